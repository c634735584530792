/* extract/recsink.c - the record buffer shared by the structured-format parsers.
 *
 * A parser adds cells one by one while it reads a record (a JSON object, a SQL
 * tuple, an XML element with leaf children, an HTML table row) and emits the
 * record when it closes. Memory is allocated once per parser and reused for
 * every record; every dimension is capped (util/limits.h), and cutting a record
 * is remembered so the parser can warn once instead of once per cell.
 */
#include "extract/recsink.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"
#include "util/utf8.h"

#define NO_HEADER SIZE_MAX

piiscan_status ps_rowbuf_init(struct ps_rowbuf *r)
{
    memset(r, 0, sizeof(*r));
    r->cap = PS_MAX_LINE_BYTES;
    r->data = malloc(r->cap);
    r->cell_off = calloc(PS_MAX_CELLS, sizeof(size_t));
    r->cell_len = calloc(PS_MAX_CELLS, sizeof(size_t));
    r->head_off = calloc(PS_MAX_CELLS, sizeof(size_t));
    r->cells = calloc(PS_MAX_CELLS, sizeof(char *));
    r->heads = calloc(PS_MAX_CELLS, sizeof(char *));
    if (!r->data || !r->cell_off || !r->cell_len || !r->head_off || !r->cells || !r->heads) {
        ps_rowbuf_free(r);
        return PIISCAN_ENOMEM;
    }
    return PIISCAN_OK;
}

void ps_rowbuf_free(struct ps_rowbuf *r)
{
    if (!r)
        return;
    free(r->data);
    free(r->cell_off);
    free(r->cell_len);
    free(r->head_off);
    free(r->cells);
    free(r->heads);
    memset(r, 0, sizeof(*r));
}

void ps_rowbuf_clear(struct ps_rowbuf *r)
{
    r->used = 0;
    r->n = 0;
    r->is_truncated = 0;
}

/* Copies s (cut to max bytes, on a character boundary) plus a NUL; returns its offset
 * or NO_HEADER when the buffer is full. */
static size_t put_string(struct ps_rowbuf *r, const char *s, size_t len, size_t max)
{
    size_t off = r->used;

    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
        r->is_truncated = 1;
    }
    if (r->cap - r->used < len + 1) {
        r->is_truncated = 1;
        return NO_HEADER;
    }
    memcpy(r->data + off, s, len);
    ps_utf8_scrub(r->data + off, len);
    r->data[off + len] = '\0';
    r->used += len + 1;
    return off;
}

void ps_rowbuf_add(struct ps_rowbuf *r, const char *header, size_t hlen, const char *val,
                   size_t vlen)
{
    size_t start = r->used;
    size_t hoff = NO_HEADER;
    size_t voff;

    if (r->n >= PS_MAX_CELLS) {
        r->is_truncated = 1;
        return;
    }
    if (header) {
        hoff = put_string(r, header, hlen, 1024);
        if (hoff == NO_HEADER)
            return;
    }
    voff = put_string(r, val, vlen, PS_MAX_CELL_BYTES);
    if (voff == NO_HEADER) {
        r->used = start; /* no half cells */
        return;
    }
    r->cell_off[r->n] = voff;
    r->cell_len[r->n] = strlen(r->data + voff);
    r->head_off[r->n] = hoff;
    r->n++;
}

piiscan_status ps_rowbuf_emit(struct ps_rowbuf *r, const struct ps_recsink *sink, const char *sub,
                              uint64_t line, uint64_t record)
{
    size_t i;

    if (r->n == 0)
        return PIISCAN_OK;
    for (i = 0; i < r->n; i++) {
        r->cells[i] = r->data + r->cell_off[i];
        r->heads[i] = r->head_off[i] == NO_HEADER ? NULL : r->data + r->head_off[i];
    }
    return sink->row(sink->ctx, sub, line, record, r->n, r->cells, r->cell_len, r->heads);
}

piiscan_status ps_recsink_pump(struct ps_stream *in, void *parser,
                               piiscan_status (*feed)(void *parser, const char *buf, size_t len),
                               piiscan_status (*finish)(void *parser))
{
    piiscan_status rc = PIISCAN_OK;

    while (rc == PIISCAN_OK) {
        const void *buf;
        size_t len;

        rc = in->next(in->h, &buf, &len);
        if (rc != PIISCAN_OK || len == 0)
            break;
        rc = feed(parser, buf, len);
    }
    if (rc != PIISCAN_EABORTED && rc != PIISCAN_ENOMEM) {
        piiscan_status frc = finish(parser);

        if (rc == PIISCAN_OK)
            rc = frc;
    }
    return rc;
}

size_t ps_text_split_point(const char *t, size_t len)
{
    size_t i;
    size_t j = len;
    unsigned char lead;
    size_t need;

    for (i = len; i > len / 2; i--)
        if (t[i - 1] == '\n')
            return i;
    for (i = len; i > len / 2; i--)
        if (t[i - 1] == ' ' || t[i - 1] == '\t')
            return i;
    while (j > 0 && len - j < 3 && ((unsigned char)t[j - 1] & 0xC0) == 0x80)
        j--;
    if (j == 0)
        return len;
    lead = (unsigned char)t[j - 1];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return len - (j - 1) < need ? j - 1 : len;
}

void ps_utf8_scrub(char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t n = ps_utf8_decode((const unsigned char *)s + i, len - i, NULL);

        if (n == 0) {
            s[i] = '?';
            n = 1;
        }
        i += n;
    }
}
