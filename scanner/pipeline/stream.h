/* pipeline/stream.h - a pull stream of bytes, the way data flows between stages.
 *
 * A file on disk, an archive member (archive_read_data_block), a decoded text
 * view, a MIME attachment: each is a ps_stream. next() hands out a borrowed
 * block valid until the following call; *len == 0 means end of stream. A
 * failure (ECORRUPT, EIO, ELIMIT, EENCRYPTED) ends the stream; what came
 * before it has already been handed out and scanned.
 */
#ifndef PS_PIPELINE_STREAM_H
#define PS_PIPELINE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

struct ps_stream {
    piiscan_status (*next)(void *h, const void **buf, size_t *len);
    void *h;
    uint64_t size_hint;      /* total size when known (regular file, archive entry), else 0 */
};

/* Reads the rest of in into one malloc'd buffer of at most cap bytes (NUL-terminated
 * one past len for convenience). Caller frees *out with free(). Returns ELIMIT when the
 * stream is longer than cap (*out then holds nothing), or the stream's own failure. */
piiscan_status ps_stream_slurp(struct ps_stream *in, uint64_t cap, char **out, size_t *len);

/* A stream over bytes in memory (borrowed). */
struct ps_mem_stream {
    const char *buf;
    size_t len;
    size_t pos;
};
void ps_mem_stream_init(struct ps_mem_stream *m, const void *buf, size_t len,
                        struct ps_stream *out);

#endif
