/* extract/recsink.h - where structured-format parsers put what they find.
 *
 * A format parser (JSON, SQL, HTML, XML, ...) knows records and text, not the
 * pipeline. It hands each record (cells with the names they sat under) and each
 * run of prose to a ps_recsink. Two sinks exist: the pipeline adapter below,
 * which turns rows into ROW units and text into chunked TEXT units, and the
 * collecting sinks of the unit tests, which assert exactly what a parser saw.
 * Everything passed to a sink is borrowed for the call.
 */
#ifndef PS_EXTRACT_RECSINK_H
#define PS_EXTRACT_RECSINK_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/scanner.h"

struct ps_recsink {
    void *ctx;
    /* One record. sub names a part of the file (SQL table, XML element) that becomes
     * a logical-path element ("dump.sql!employees"); NULL keeps the file's own lpath.
     * headers may be NULL, or hold NULL for a cell without a name. */
    piiscan_status (*row)(void *ctx, const char *sub, uint64_t line, uint64_t record, size_t n,
                          const char *const *cells, const size_t *lens,
                          const char *const *headers);
    /* Prose (valid UTF-8): line is the line its first byte came from. */
    piiscan_status (*text)(void *ctx, const char *sub, uint64_t line, uint64_t record,
                           const char *text, size_t len);
    /* A problem with part of the input; the parser goes on where it can. */
    void (*warn)(void *ctx, piiscan_status st, const char *msg);
};

/* The pipeline adapter: rows -> ps_scan_unit, text -> ps_emit_text, warn -> ps_warn,
 * all under lpath (borrowed; must outlive the sink). */
struct ps_recsink_pipeline {
    piiscan_scanner *sc;
    const char *lpath;
};
void ps_recsink_pipeline_init(struct ps_recsink_pipeline *p, piiscan_scanner *sc,
                              const char *lpath, struct ps_recsink *out);

/* A record under construction: cells and their names in one capped byte buffer.
 * Bounds: PS_MAX_CELLS cells, PS_MAX_CELL_BYTES a cell, PS_MAX_LINE_BYTES in all; what
 * passes a bound is cut and remembered in is_truncated (the parser warns once). */
struct ps_rowbuf {
    char *data;
    size_t used;
    size_t cap;
    size_t n;
    size_t *cell_off;        /* offsets into data; header offset SIZE_MAX = no header */
    size_t *cell_len;
    size_t *head_off;
    int is_truncated;
    /* views built by ps_rowbuf_emit */
    const char **cells;
    const char **heads;
};

piiscan_status ps_rowbuf_init(struct ps_rowbuf *r);
void ps_rowbuf_free(struct ps_rowbuf *r);
void ps_rowbuf_clear(struct ps_rowbuf *r);
/* Appends a cell; header (may be NULL) is copied too. Invalid UTF-8 in either is
 * replaced with '?', so the engine may match without a UTF check. */
void ps_rowbuf_add(struct ps_rowbuf *r, const char *header, size_t hlen, const char *val,
                   size_t vlen);
/* Hands the row to sink->row (nothing happens for an empty row). */
piiscan_status ps_rowbuf_emit(struct ps_rowbuf *r, const struct ps_recsink *sink,
                              const char *sub, uint64_t line, uint64_t record);

/* Pulls every block of in into feed(parser, ...), then calls finish(parser) - also
 * after the stream failed, so what was read before the failure is still scanned
 * (not after EABORTED or ENOMEM, which stop everything). Returns the first failure:
 * the stream's, feed's or finish's. The pull loop of the streaming parsers. */
piiscan_status ps_recsink_pump(struct ps_stream *in, void *parser,
                               piiscan_status (*feed)(void *parser, const char *buf, size_t len),
                               piiscan_status (*finish)(void *parser));

/* Makes s[0..len) valid UTF-8 in place: each byte of an invalid or truncated sequence
 * becomes '?'. (Overlong forms, surrogates and values past U+10FFFF are invalid.) */
void ps_utf8_scrub(char *s, size_t len);

/* Where a parser's full text buffer t[0..len) is best cut into a piece for the
 * sink: after the last newline (else blank) in its second half, else at its end
 * but not inside a UTF-8 sequence - so a value is rarely split between pieces. */
size_t ps_text_split_point(const char *t, size_t len);

#endif
