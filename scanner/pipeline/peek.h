/* pipeline/peek.h - look at the head of a stream, then replay it.
 *
 * Sniffing needs the first PS_SNIFF_HEAD bytes of a stream before an extractor
 * reads it from the start. ps_peek_init() pulls blocks from src into a caller
 * buffer until it holds cap bytes (or the stream ends), and sets up *out, a
 * stream that hands out the head, then the unused tail of the last block pulled
 * (still valid: src was not advanced since), then the rest of src. A failure
 * of src while peeking is remembered and returned after the head was replayed.
 * The same trick serves formats that buffer a prefix and then fall back to
 * streaming (archive.c with a zip larger than its buffer cap).
 */
#ifndef PS_PIPELINE_PEEK_H
#define PS_PIPELINE_PEEK_H

#include <stddef.h>
#include <stdint.h>

#include "pipeline/stream.h"

struct ps_peek {
    struct ps_stream *src;
    const char *head; /* borrowed buffer: the bytes peeked */
    size_t head_len;
    const char *tail; /* unused part of the last block of src */
    size_t tail_len;
    int state;               /* 0 head, 1 tail, 2 src, 3 done */
    piiscan_status src_rc;   /* failure of src met while peeking */
    uint64_t consumed;       /* bytes handed out through *out */
    piiscan_status src_fail; /* the first failure src returned (peeking or replaying) */
};

/* Peeks up to cap bytes of src into buf (caller-owned, cap bytes) and sets *out to
 * the replaying stream. p->head / p->head_len hold the head afterwards. Never fails:
 * a source error is replayed in order. */
void ps_peek_init(struct ps_peek *p, struct ps_stream *src, char *buf, size_t cap,
                  struct ps_stream *out);

/* Replays a caller-held prefix (buf[0..len), borrowed), then the rest of src. */
void ps_peek_prefix(struct ps_peek *p, struct ps_stream *src, const char *buf, size_t len,
                    struct ps_stream *out);

#endif
