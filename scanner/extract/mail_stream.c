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
 * Every byte handed to GMime is also kept in a raw window (with the file offset
 * and line of its first byte) so that mail.c can find where a message's lines
 * are in the file; the caller drops what it is done with, and the window never
 * holds more than 2 x cap + 64 KiB (past that its older half is dropped).
 * In an mbox, a body line that starts with "From " but is not a postmark
 * ("From sender Day Mon DD HH:MM:SS YYYY") is
 * handed to GMime as ">From ...", the way mboxrd writers escape it: GMime would
 * otherwise split the message there and stop at the headerless "message" that
 * follows, losing the rest of the mailbox without a word. The line count (and so
 * every reported line) is unchanged.
 */
#include <stdint.h>
#include <string.h>

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
    char *win; /* raw window: bytes handed to GMime and not dropped */
    size_t win_len;
    size_t win_alloc;
    size_t win_cap;
    uint64_t win_off;  /* stream offset of win[0] */
    uint64_t win_line; /* 1-based line of win[0] */
    /* mbox "From " escaping */
    gboolean is_mbox;
    gboolean at_bol;        /* the next byte starts a line */
    char pend[1030];        /* a line start held back to decide on escaping */
    size_t pend_len;
    size_t pend_pos;
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

/* Drops the first n bytes of the window, counting their lines. */
static void win_drop(PsMailStream *s, size_t n)
{
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(s->win + at, '\n', n - at);
        if (!nl)
            break;
        s->win_line++;
        at = (size_t)(nl - s->win) + 1;
    }
    memmove(s->win, s->win + n, s->win_len - n);
    s->win_len -= n;
    s->win_off += n;
}

static void win_add(PsMailStream *s, const char *buf, size_t n)
{
    if (n > s->win_cap)
        return; /* cannot happen: reads are at most GMime's buffer */
    /* Over the cap: drop the older half at once (amortised, not per read). */
    if (s->win_len + n > s->win_cap)
        win_drop(s, s->win_len / 2 > n ? s->win_len / 2 : s->win_len + n - s->win_cap);
    if (s->win_len + n > s->win_alloc) {
        size_t want = s->win_alloc ? s->win_alloc : 64 * 1024;
        while (want < s->win_len + n)
            want *= 2;
        if (want > s->win_cap)
            want = s->win_cap;
        s->win = g_realloc(s->win, want); /* aborts on exhaustion, like all of GLib */
        s->win_alloc = want;
    }
    memcpy(s->win + s->win_len, buf, n);
    s->win_len += n;
}

/* Line bookkeeping for bytes about to be handed out. */
static void track_lines(PsMailStream *s, const char *p, size_t n)
{
    if (n > 0)
        s->at_bol = p[n - 1] == '\n';
}

static gboolean is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Is the 3-letter word at l[i] (a word on its own) one of list's? */
static gboolean word_in(const char *l, size_t n, size_t i, const char *list)
{
    if (i + 3 > n || (i > 0 && l[i - 1] != ' ') || (i + 3 < n && g_ascii_isalpha(l[i + 3])))
        return FALSE;
    for (; *list; list += 3)
        if (g_ascii_strncasecmp(l + i, list, 3) == 0)
            return TRUE;
    return FALSE;
}

/* "From sender Day Mon DD HH:MM[:SS] YYYY" (asctime, as mbox writers put it): a
 * message separator. A body line that merely starts with "From " lacks the
 * weekday, month, time and year. */
static gboolean is_postmark(const char *l, size_t n)
{
    gboolean has_day = FALSE, has_month = FALSE, has_time = FALSE, has_year = FALSE;
    size_t i = 5;

    while (i < n && l[i] != ' ' && l[i] != '\n')
        i++;
    if (i == 5 || i >= n || l[i] != ' ')
        return FALSE;
    for (; i < n; i++) {
        has_day = has_day || word_in(l, n, i, "MonTueWedThuFriSatSun");
        has_month = has_month || word_in(l, n, i, "JanFebMarAprMayJunJulAugSepOctNovDec");
        if (i + 4 < n && is_digit(l[i]) && is_digit(l[i + 1]) && l[i + 2] == ':' &&
            is_digit(l[i + 3]) && is_digit(l[i + 4]))
            has_time = TRUE;
        if (i + 4 <= n && l[i - 1] == ' ' && is_digit(l[i]) && is_digit(l[i + 1]) &&
            is_digit(l[i + 2]) && is_digit(l[i + 3]) && (i + 4 == n || !is_digit(l[i + 4])))
            has_year = TRUE;
    }
    return has_day && has_month && has_time && has_year;
}

/* At a line start in an mbox: holds the line's head back (up to a newline, 1024
 * bytes, or the first byte that rules out "From ") and escapes it when it is a
 * "From " line that is not a message separator. */
static void hold_line_start(PsMailStream *s)
{
    static const char from[] = "From ";
    gboolean is_from;

    s->pend_len = 0;
    s->pend_pos = 0;
    while (s->pend_len < 1024 && fill(s)) {
        char c = s->blk[s->blk_pos++];
        s->pend[s->pend_len++] = c;
        if (c == '\n' || (s->pend_len <= 5 && c != from[s->pend_len - 1]))
            break;
    }
    is_from = s->pend_len >= 5 && memcmp(s->pend, from, 5) == 0;
    if (is_from && !is_postmark(s->pend, s->pend_len)) {
        memmove(s->pend + 1, s->pend, s->pend_len);
        s->pend[0] = '>';
        s->pend_len++;
    }
}

static ssize_t stream_read(GMimeStream *gs, char *buf, size_t len)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);
    const char *src;
    size_t n;

    if (s->eos || len == 0)
        return 0;
    if (s->total - s->mark >= s->cap) {
        s->status = PIISCAN_ELIMIT;
        s->eos = TRUE;
        return 0;
    }
    if (s->pend_pos >= s->pend_len && s->is_mbox && s->at_bol && fill(s) &&
        s->blk[s->blk_pos] == 'F')
        hold_line_start(s);
    if (s->pend_pos < s->pend_len) {
        src = s->pend + s->pend_pos;
        n = s->pend_len - s->pend_pos;
    } else {
        if (!fill(s)) {
            s->eos = TRUE;
            return 0;
        }
        src = s->blk + s->blk_pos;
        n = s->blk_len - s->blk_pos;
        if (s->is_mbox) {
            /* one line at a time, so every line start is seen */
            const char *nl = memchr(src, '\n', n);
            if (nl != NULL)
                n = (size_t)(nl - src) + 1;
        }
    }
    if (n > len)
        n = len;
    if (n > s->cap - (s->total - s->mark))
        n = (size_t)(s->cap - (s->total - s->mark));
    memcpy(buf, src, n);
    if (src == s->pend + s->pend_pos)
        s->pend_pos += n;
    else
        s->blk_pos += n;
    track_lines(s, buf, n);
    win_add(s, buf, n);
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
    if (!s->eos && s->pend_pos >= s->pend_len && s->blk_pos >= s->blk_len && !fill(s))
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

static void ps_mail_stream_finalize(GObject *o)
{
    g_free(PS_MAIL_STREAM(o)->win);
    G_OBJECT_CLASS(ps_mail_stream_parent_class)->finalize(o);
}

static void ps_mail_stream_class_init(PsMailStreamClass *klass)
{
    GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);

    G_OBJECT_CLASS(klass)->finalize = ps_mail_stream_finalize;
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
    s->win = NULL;
    s->win_len = 0;
    s->win_alloc = 0;
    s->win_cap = 0;
    s->win_off = 0;
    s->win_line = 1;
    s->is_mbox = FALSE;
    s->at_bol = TRUE;
    s->pend_len = 0;
    s->pend_pos = 0;
}

void ps_mail_stream_set_mbox(GMimeStream *gs)
{
    PS_MAIL_STREAM(gs)->is_mbox = TRUE;
}


GMimeStream *ps_mail_stream_new(struct ps_stream *in, uint64_t cap)
{
    PsMailStream *s = g_object_new(ps_mail_stream_get_type(), NULL);

    g_mime_stream_construct(GMIME_STREAM(s), 0, -1);
    s->in = in;
    s->cap = cap ? cap : 1;
    /* A message, the parser's read-ahead (4 KiB) and the rest of the previous one. */
    s->win_cap = s->cap > (SIZE_MAX - 65536) / 2 ? SIZE_MAX : (size_t)(2 * s->cap + 65536);
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

void ps_mail_stream_window(GMimeStream *gs, struct ps_mail_raw *out)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);

    out->p = s->win ? s->win : "";
    out->len = s->win_len;
    out->off = s->win_off;
    out->line = s->win_line;
}

void ps_mail_stream_drop(GMimeStream *gs, uint64_t off)
{
    PsMailStream *s = PS_MAIL_STREAM(gs);

    if (off > s->win_off)
        win_drop(s, off - s->win_off < s->win_len ? (size_t)(off - s->win_off) : s->win_len);
}
