/* text/chunk.c - cutting a UTF-8 stream into overlapping TEXT units.
 *
 * The chunker keeps one window buf[0..len) of the stream, starting at stream
 * offset base_off. The reportable part of the next unit starts at buf[start];
 * everything before it is look-behind (at most overlap + 3 bytes, so the window
 * never holds more than 2 * overlap + chunk + 8 bytes). One round:
 *   1. fill the window up to start + chunk + overlap + 4 bytes (or the end);
 *   2. limit = start + chunk, moved back onto a character boundary (or len at the
 *      end of the stream); the unit's len = limit + overlap moved forward onto a
 *      boundary (or len);
 *   3. hand out the unit;
 *   4. slide: drop buf[0..drop), drop = limit - overlap moved back onto a boundary,
 *      counting the lines and paragraphs of the dropped bytes; start = limit - drop.
 * Invariant: limit(k) + base_off(k) == start(k+1) + base_off(k+1), which is what
 * makes every byte reportable by exactly one unit.
 */
#include "text/chunk.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct ps_chunker {
    size_t chunk;
    size_t overlap;
    size_t cap;
    char *buf;
};

/* Line and paragraph numbers of the first byte of the window. */
struct para_state {
    uint64_t line;
    uint64_t para;
};

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

piiscan_status ps_chunker_new(size_t chunk_bytes, size_t overlap, struct ps_chunker **out)
{
    struct ps_chunker *c = NULL;

    *out = NULL;
    if (chunk_bytes < 16 || overlap > 64u * 1024u * 1024u || chunk_bytes > 1024u * 1024u * 1024u)
        return PIISCAN_EINVAL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return PIISCAN_ENOMEM;
    c->chunk = chunk_bytes;
    c->overlap = overlap;
    c->cap = 2 * overlap + chunk_bytes + 8;
    c->buf = malloc(c->cap);
    if (c->buf == NULL) {
        free(c);
        return PIISCAN_ENOMEM;
    }
    *out = c;
    return PIISCAN_OK;
}

void ps_chunker_free(struct ps_chunker *c)
{
    if (c == NULL)
        return;
    free(c->buf);
    free(c);
}

static bool is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Counts the lines and paragraph breaks of buf[0..drop) the way the engine counts
 * them inside a unit (engine/context.c): a break is a '\n' whose next line is blank,
 * looked up to the end of the window (len). Each '\n' is counted exactly once, here
 * when it is dropped or by the engine when it lies in a unit's text. */
static void count_dropped(struct para_state *ps, const char *buf, size_t drop, size_t len)
{
    size_t i = 0;
    while (i < drop) {
        const char *nl = memchr(buf + i, '\n', drop - i);
        if (nl == NULL)
            break;
        size_t q = (size_t)(nl - buf);
        size_t k = q + 1;
        ps->line++;
        while (k < len && is_blank_byte(buf[k]))
            k++;
        if (k < len && buf[k] == '\n')
            ps->para++;
        i = q + 1;
    }
}

/* Pending part of the current source block. */
struct feed {
    struct ps_stream *src;
    const char *p;
    size_t n;
    bool is_eof;
    piiscan_status rc;
};

/* Tops buf up to want bytes (or the end of the stream). */
static void fill(struct ps_chunker *c, struct feed *f, size_t *len, size_t want)
{
    if (want > c->cap)
        want = c->cap;
    /* Each turn copies bytes or ends the stream. */
    while (*len < want && !f->is_eof) {
        if (f->n == 0) {
            const void *b = NULL;
            size_t n = 0;
            f->rc = f->src->next(f->src->h, &b, &n);
            if (f->rc != PIISCAN_OK || n == 0) {
                f->is_eof = true;
                break;
            }
            f->p = b;
            f->n = n;
        }
        size_t take = want - *len < f->n ? want - *len : f->n;
        memcpy(c->buf + *len, f->p, take);
        *len += take;
        f->p += take;
        f->n -= take;
    }
}

piiscan_status ps_chunk_stream(struct ps_chunker *c, const char *lpath, struct ps_stream *utf8,
                               uint64_t first_line, uint64_t record, ps_unit_fn fn, void *ctx)
{
    struct feed f = {utf8, NULL, 0, false, PIISCAN_OK};
    struct para_state ps = {first_line != 0 ? first_line : 1, 1};
    size_t len = 0;
    size_t start = 0;
    uint64_t base_off = 0;

    /* Every round reports at least one byte (limit > start), so the loop ends. */
    for (;;) {
        fill(c, &f, &len, start + c->chunk + c->overlap + 4);
        if (len <= start)
            break;
        size_t limit = start + c->chunk;
        if (f.is_eof && len <= limit) {
            limit = len;
        } else {
            while (limit > start + 1 && is_cont(c->buf[limit]))
                limit--;
        }
        size_t ulen = limit + c->overlap < len ? limit + c->overlap : len;
        while (ulen < len && is_cont(c->buf[ulen]))
            ulen++;

        struct ps_unit u;
        memset(&u, 0, sizeof(u));
        u.kind = PS_UNIT_TEXT;
        u.lpath = lpath;
        u.text = c->buf;
        u.len = ulen;
        u.start = start;
        u.limit = limit;
        u.base_offset = base_off;
        u.base_line = ps.line;
        u.base_para = ps.para;
        u.record = record;
        piiscan_status rc = fn(ctx, &u);
        if (rc != PIISCAN_OK)
            return rc;
        if (f.is_eof && limit == len)
            break;

        size_t drop = limit > c->overlap ? limit - c->overlap : 0;
        while (drop > 0 && is_cont(c->buf[drop]))
            drop--;
        count_dropped(&ps, c->buf, drop, len);
        memmove(c->buf, c->buf + drop, len - drop);
        len -= drop;
        start = limit - drop;
        base_off += drop;
    }
    return f.rc;
}
