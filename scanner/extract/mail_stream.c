/* extract/mail_stream.c - GMimeStream subclass reading a ps_stream, with a per-message cap.
 *
 * GMime parses from GMimeStreams; the pipeline hands out ps_streams (archive
 * members, files, attachments). This read-only, forward-only subclass copies
 * the ps_stream's borrowed blocks into the parser's buffer on demand. It says
 * it cannot seek or tell, which makes GMimeParser load part contents into
 * memory instead of keeping substreams of a stream we cannot rewind - exactly
 * what streaming needs. The byte count since the last mark (the previous
 * message's end, give or take the parser's 4 KiB read-ahead) is capped so one
 * enormous message cannot take all memory; hitting the cap, like a failure of
 * the underlying stream, looks like end of input to GMime and is remembered
 * for ps_mail_stream_status().
 */
#include "extract/mail_stream.h"

typedef struct {
    GMimeStream parent;
    struct ps_stream *in;
    const char *blk; /* current borrowed block of in */
    size_t blk_len;
    size_t blk_pos;
    uint64_t total; /* bytes handed to GMime */
    uint64_t mark;  /* total at the last message end */
    uint64_t cap;
    piiscan_status status;
    gboolean eos;
} PsMailStream;

typedef struct {
    GMimeStreamClass parent_class;
} PsMailStreamClass;

GType ps_mail_stream_get_type(void);
G_DEFINE_TYPE(PsMailStream, ps_mail_stream, GMIME_TYPE_STREAM)

#define PS_MAIL_STREAM(o) ((PsMailStream *)(o))

/* Makes sure a block with unread bytes is at hand; FALSE at end or failure. */
static gboolean fill(PsMailStream *s)
{
    const void *buf = NULL;
    size_t len = 0;
    piiscan_status rc;

    /* Empty blocks are legal in the middle of a ps_stream only as its end. */
    while (s->blk_pos >= s->blk_len) {
        rc = s->in->next(s->in->h, &buf, &len);
        if (rc != PIISCAN_OK) {
            s->status = rc;
            return FALSE;
        }
        if (len == 0)
            return FALSE;
        s->blk = buf;
        s->blk_len = len;
        s->blk_pos = 0;
    }
    return TRUE;
}

static ssize_t stream_read(GMimeStream *gs, char *buf, size_t len)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);
    size_t n;

    if (s->eos || len == 0)
        return 0;
    if (s->total - s->mark >= s->cap) {
        s->status = PIISCAN_ELIMIT;
        s->eos = TRUE;
        return 0;
    }
    if (!fill(s)) {
        s->eos = TRUE;
        return 0;
    }
    n = s->blk_len - s->blk_pos;
    if (n > len)
        n = len;
    if (n > s->cap - (s->total - s->mark))
        n = (size_t)(s->cap - (s->total - s->mark));
    memcpy(buf, s->blk + s->blk_pos, n);
    s->blk_pos += n;
    s->total += n;
    return (ssize_t)n;
}

static ssize_t stream_write(GMimeStream *gs, const char *buf, size_t len)
{
    (void)gs;
    (void)buf;
    (void)len;
    return -1;
}

static int stream_flush(GMimeStream *gs)
{
    (void)gs;
    return 0;
}

static int stream_close(GMimeStream *gs)
{
    PS_MAIL_STREAM(gs)->eos = TRUE;
    return 0;
}

static gboolean stream_eos(GMimeStream *gs)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);

    /* Look ahead so that the parser sees the end before asking for another message. */
    if (!s->eos && s->blk_pos >= s->blk_len && !fill(s))
        s->eos = TRUE;
    return s->eos;
}

static int stream_reset(GMimeStream *gs)
{
    (void)gs;
    return -1;
}

static gint64 stream_seek(GMimeStream *gs, gint64 offset, GMimeSeekWhence whence)
{
    (void)gs;
    (void)offset;
    (void)whence;
    return -1;
}

static gint64 stream_tell(GMimeStream *gs)
{
    (void)gs;
    return -1; /* not seekable: the parser then copies contents to memory */
}

static gint64 stream_length(GMimeStream *gs)
{
    (void)gs;
    return -1;
}

static GMimeStream *stream_substream(GMimeStream *gs, gint64 start, gint64 end)
{
    (void)gs;
    (void)start;
    (void)end;
    return NULL;
}

static void ps_mail_stream_class_init(PsMailStreamClass *klass)
{
    GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);

    sc->read = stream_read;
    sc->write = stream_write;
    sc->flush = stream_flush;
    sc->close = stream_close;
    sc->eos = stream_eos;
    sc->reset = stream_reset;
    sc->seek = stream_seek;
    sc->tell = stream_tell;
    sc->length = stream_length;
    sc->substream = stream_substream;
}

static void ps_mail_stream_init(PsMailStream *s)
{
    s->in = NULL;
    s->blk = NULL;
    s->blk_len = 0;
    s->blk_pos = 0;
    s->total = 0;
    s->mark = 0;
    s->cap = 0;
    s->status = PIISCAN_OK;
    s->eos = FALSE;
}

GMimeStream *ps_mail_stream_new(struct ps_stream *in, uint64_t cap)
{
    PsMailStream *s = g_object_new(ps_mail_stream_get_type(), NULL);

    g_mime_stream_construct(GMIME_STREAM(s), 0, -1);
    s->in = in;
    s->cap = cap ? cap : 1;
    return GMIME_STREAM(s);
}

void ps_mail_stream_mark(GMimeStream *gs)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);

    s->mark = s->total;
}

piiscan_status ps_mail_stream_status(GMimeStream *gs)
{
    return PS_MAIL_STREAM(gs)->status;
}

uint64_t ps_mail_stream_total(GMimeStream *gs)
{
    return PS_MAIL_STREAM(gs)->total;
}
