/* util/buf.h - a growable byte buffer with a ceiling (curl's dynbuf / "toobig").
 *
 * Every buffer that grows from input has a cap: appending past it returns
 * PIISCAN_ELIMIT and leaves the buffer as it was. The data is always followed
 * by a NUL byte (not counted in len) once anything was appended.
 *
 *   struct ps_buf b;
 *   ps_buf_init(&b, 16 * PS_MIB);
 *   rc = ps_buf_append(&b, data, n);     // OK, ELIMIT or ENOMEM
 *   ... b.data, b.len ...
 *   ps_buf_free(&b);
 */
#ifndef PS_UTIL_BUF_H
#define PS_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

struct ps_buf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap; /* allocated bytes */
    size_t max; /* ceiling for len */
};

/* Empty buffer that may hold at most max bytes. */
void ps_buf_init(struct ps_buf *b, size_t max);
/* Appends n bytes. ELIMIT when len + n > max (buffer unchanged), ENOMEM. */
piiscan_status ps_buf_append(struct ps_buf *b, const void *p, size_t n);
/* Ensures room for extra more bytes without appending them (same errors). */
piiscan_status ps_buf_reserve(struct ps_buf *b, size_t extra);
/* len = 0, memory kept. */
void ps_buf_reset(struct ps_buf *b);
/* Hands the memory to the caller (free() it); the buffer is empty afterwards.
 * Returns a NUL-terminated (possibly empty, never NULL unless ENOMEM) string. */
char *ps_buf_take(struct ps_buf *b, size_t *len);
void ps_buf_free(struct ps_buf *b);

#endif
