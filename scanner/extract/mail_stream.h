/* extract/mail_stream.h - a GMimeStream that pulls from a ps_stream (private to mail*.c).
 *
 * Lets GMimeParser read an mbox of any size without slurping it: the stream is
 * not seekable (tell() is -1), so the parser keeps only the message it is
 * building in memory. A per-message cap bounds that: once more than cap bytes
 * were read since the last ps_mail_stream_mark() (the end of the previous
 * message), the stream reports end-of-stream and ps_mail_stream_status() says
 * ELIMIT; a failure of the ps_stream is reported the same way with its status.
 * The bytes handed to GMime are kept in a raw window until dropped (bounded:
 * 2 x cap + 64 KiB), so that findings can name lines of the file.
 */
#ifndef PS_EXTRACT_MAIL_STREAM_H
#define PS_EXTRACT_MAIL_STREAM_H

#include <gmime/gmime.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/stream.h"

/* A new stream over in (borrowed, must outlive it). Free with g_object_unref(). */
GMimeStream *ps_mail_stream_new(struct ps_stream *in, uint64_t cap);
/* The stream is an mbox: escape body lines that start with "From " but are not
 * postmarks (see mail_stream.c), so GMime does not split a message there. */
void ps_mail_stream_set_mbox(GMimeStream *s);
/* A message ended: the per-message count starts again from here. */
void ps_mail_stream_mark(GMimeStream *s);
/* OK while the stream is healthy (end of input included), ELIMIT after the cap,
 * else the ps_stream's own failure. */
piiscan_status ps_mail_stream_status(GMimeStream *s);
/* Bytes pulled from the ps_stream so far. */
uint64_t ps_mail_stream_total(GMimeStream *s);

/* The raw window: p[0..len) are the bytes handed to GMime since the last drop,
 * p[0] at stream offset off, on 1-based line `line`. Valid until the next read. */
struct ps_mail_raw {
    const char *p;
    size_t len;
    uint64_t off;
    uint64_t line;
};
void ps_mail_stream_window(GMimeStream *s, struct ps_mail_raw *out);
/* Drops the window's bytes before stream offset off (no-op for what is gone). */
void ps_mail_stream_drop(GMimeStream *s, uint64_t off);

#endif
