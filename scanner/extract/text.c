/* extract/text.c - plain text of any charset -> UTF-8 -> chunks -> engine.
 *
 * The generic text extractor bids low (10) on anything sniff/ calls text, so
 * every specific format (mail, JSON, tables, ...) outbids it. The stream is
 * decoded by a cached per-scanner decoder (text/decode.c) and cut into
 * overlapping chunks (text/chunk.c) that go to ps_scan_unit. Memory stays at
 * one decoder and one chunk window, whatever the file size. When the decoded head
 * reads as a delimited table (text/table.c), the stream is parsed into ROW units
 * with their header names instead.
 */
#include "extract/text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/peek.h"
#include "pipeline/private.h"
#include "text/table.h"

static int bid_text(const struct ps_kind *kind, const char *head, size_t head_len)
{
    (void)head;
    (void)head_len;
    return kind->is_text ? 10 : 0;
}

static piiscan_status extract_text(piiscan_scanner *sc, struct ps_input *in)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_decoder *d = NULL;
    struct ps_stream u8;
    struct ps_stream replay;
    struct ps_peek peek;
    struct ps_table_dialect dialect;
    char *head = NULL;

    d = ps_scanner_decoder(sc, in->kind->charset);
    if (d == NULL)
        return PIISCAN_ENOMEM;
    ps_decoder_start(d, in->stream, &u8);
    /* A delimited table (by content) is parsed into rows; anything else is prose. */
    head = malloc(PS_TABLE_DETECT_BYTES);
    if (head == NULL) {
        ps_scanner_decoder_put(sc, d);
        return PIISCAN_ENOMEM;
    }
    ps_peek_init(&peek, &u8, head, PS_TABLE_DETECT_BYTES, &replay);
    if (ps_table_detect(peek.head, peek.head_len, &dialect))
        rc = ps_table_scan(sc, in->lpath, &replay, &dialect);
    else
        rc = ps_scan_utf8_stream(sc, in->lpath, &replay, 1, 0);
    free(head);
    ps_scanner_decoder_put(sc, d);
    return rc;
}

const struct ps_extractor ps_text_extractor = {"text", bid_text, extract_text, 0};

/* ---- strings of binary data (--scan-binary) ------------------------------------
 * Two small state machines run over every byte: one collects printable ASCII runs,
 * the other UTF-16LE runs (a printable byte followed by a zero byte). For plain
 * ASCII the second never completes a character; for UTF-16 text the first sees
 * runs of one byte; so a string comes out once. Runs longer than the run buffer
 * are flushed in pieces (they continue on the next line, which is still text). */

static bool is_print(unsigned char c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t';
}

/* Appends a finished run and a newline to the output block. */
static void put_run(struct ps_strings *s, const char *run, size_t len)
{
    memcpy(s->out + s->out_len, run, len);
    s->out_len += len;
    s->out[s->out_len++] = '\n';
}

static void end_run(struct ps_strings *s)
{
    if (s->run_total >= PS_STRINGS_MIN && s->run_len > 0)
        put_run(s, s->run, s->run_len);
    s->run_len = 0;
    s->run_total = 0;
}

static void end_wrun(struct ps_strings *s)
{
    if (s->wrun_total >= PS_STRINGS_MIN && s->wrun_len > 0)
        put_run(s, s->wrun, s->wrun_len);
    s->wrun_len = 0;
    s->wrun_total = 0;
}

static void ascii_byte(struct ps_strings *s, unsigned char c)
{
    if (!is_print(c)) {
        end_run(s);
        return;
    }
    if (s->run_len == sizeof(s->run)) {
        put_run(s, s->run, s->run_len); /* a long run: flush a piece, keep going */
        s->run_len = 0;
    }
    s->run[s->run_len++] = (char)c;
    s->run_total++;
}

static void wide_byte(struct ps_strings *s, unsigned char c)
{
    if (s->wstate == 1 && c == 0) {
        if (s->wrun_len == sizeof(s->wrun)) {
            put_run(s, s->wrun, s->wrun_len);
            s->wrun_len = 0;
        }
        s->wrun[s->wrun_len++] = (char)s->wchar;
        s->wrun_total++;
        s->wstate = 0;
        return;
    }
    if (s->wstate == 1)
        end_wrun(s); /* printable byte not followed by zero: the run is over */
    if (is_print(c)) {
        s->wchar = c;
        s->wstate = 1;
    } else {
        end_wrun(s);
        s->wstate = 0;
    }
}

static piiscan_status strings_next(void *h, const void **buf, size_t *len)
{
    struct ps_strings *s = h;
    /* room for two flushed runs of either buffer per input byte */
    const size_t reserve = 2 * (sizeof(s->run) + 1);

    s->out_len = 0;
    /* Each turn consumes input or ends it. */
    while (s->out_len + reserve <= sizeof(s->out) && s->out_len < sizeof(s->out) / 2) {
        if (s->pos == s->blk_len) {
            const void *b = NULL;
            size_t n = 0;
            if (s->is_eof)
                break;
            s->rc = s->src->next(s->src->h, &b, &n);
            if (s->rc != PIISCAN_OK || n == 0) {
                s->is_eof = 1;
                end_run(s);
                end_wrun(s);
                break;
            }
            s->blk = b;
            s->blk_len = n;
            s->pos = 0;
        }
        unsigned char c = s->blk[s->pos++];
        ascii_byte(s, c);
        wide_byte(s, c);
    }
    *buf = s->out;
    *len = s->out_len;
    if (s->out_len == 0 && s->is_eof)
        return s->rc;
    return PIISCAN_OK;
}

void ps_strings_init(struct ps_strings *s, struct ps_stream *src, struct ps_stream *out)
{
    memset(s, 0, sizeof(*s));
    s->src = src;
    out->next = strings_next;
    out->h = s;
    out->size_hint = 0;
}

piiscan_status ps_strings_extract(piiscan_scanner *sc, struct ps_input *in)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_strings *s = malloc(sizeof(*s));
    struct ps_stream u8;

    if (s == NULL)
        return PIISCAN_ENOMEM;
    ps_strings_init(s, in->stream, &u8);
    rc = ps_scan_utf8_stream(sc, in->lpath, &u8, 1, 0);
    free(s);
    return rc;
}
