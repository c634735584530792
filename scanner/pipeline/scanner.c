/* pipeline/scanner.c - the scanner object and the piiscan_scan_* entry points.
 *
 * A scanner is one thread's worth of state over shared immutable rules: the
 * matcher (PCRE2 match data), a libmagic cookie, a chunker window, a few cached
 * iconv decoders, and the expansion budget of the top-level file in progress.
 * The entry points turn a path, a descriptor or a buffer into a ps_stream and
 * hand it to ps_dispatch at depth 0. Files are read in 1 MiB blocks, never
 * mapped or read whole; a path is opened with O_NOFOLLOW (unless the options
 * follow symlinks) and O_NONBLOCK, then fstat'ed, so a FIFO or device that
 * replaced a regular file since the walk is refused without blocking.
 * Read errors are warnings here: the producer of a stream reports its failures.
 */
#include "pipeline/internal.h"
#include "pipeline/private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/limits.h"

#define PS_READ_BLOCK (1024u * 1024u)

void piiscan_options_init(piiscan_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->max_depth = PS_DEFAULT_MAX_DEPTH;
    opt->max_member_bytes = PS_DEFAULT_MAX_MEMBER_BYTES;
    opt->max_file_bytes = PS_DEFAULT_MAX_FILE_BYTES;
    opt->max_ratio = PS_DEFAULT_MAX_RATIO;
    opt->max_entries = PS_DEFAULT_MAX_ENTRIES;
    opt->max_buffer_bytes = PS_DEFAULT_MAX_BUFFER_BYTES;
    opt->scan_binary = false;
    opt->min_confidence = 0.0;
    opt->follow_symlinks = false;
}

piiscan_status piiscan_scanner_new(const piiscan_rules *rules, const piiscan_options *opt,
                                   piiscan_scanner **out)
{
    piiscan_status rc = PIISCAN_OK;
    piiscan_scanner *sc = NULL;

    *out = NULL;
    if (rules == NULL)
        return PIISCAN_EINVAL;
    sc = calloc(1, sizeof(*sc));
    if (sc == NULL)
        return PIISCAN_ENOMEM;
    sc->rules = rules;
    if (opt != NULL)
        sc->opt = *opt;
    else
        piiscan_options_init(&sc->opt);
    sc->overlap = ps_rules_overlap(rules);
    rc = ps_matcher_new(rules, &sc->matcher);
    if (rc != PIISCAN_OK)
        goto out;
    rc = ps_sniffer_new(&sc->sniffer);
    if (rc != PIISCAN_OK)
        goto out;
    rc = ps_chunker_new(PS_CHUNK_BYTES, sc->overlap, &sc->chunker);
out:
    if (rc != PIISCAN_OK) {
        piiscan_scanner_free(sc);
        return rc;
    }
    *out = sc;
    return PIISCAN_OK;
}

void piiscan_scanner_free(piiscan_scanner *sc)
{
    if (sc == NULL)
        return;
    for (size_t i = 0; i < PS_DECODER_CACHE; i++)
        ps_decoder_free(sc->dec[i].d);
    ps_chunker_free(sc->chunker);
    ps_sniffer_free(sc->sniffer);
    ps_matcher_free(sc->matcher);
    free(sc);
}

const piiscan_options *ps_scanner_options(const piiscan_scanner *sc)
{
    return &sc->opt;
}

const piiscan_rules *ps_scanner_rules(const piiscan_scanner *sc)
{
    return sc->rules;
}

struct ps_archive_budget *ps_scanner_budget(piiscan_scanner *sc)
{
    return &sc->budget;
}

void ps_scanner_begin(piiscan_scanner *sc, piiscan_callback cb, void *user)
{
    sc->cb = cb;
    sc->user = user;
    sc->is_aborted = false;
    memset(&sc->budget, 0, sizeof(sc->budget));
}

struct ps_decoder *ps_scanner_decoder(piiscan_scanner *sc, const char *charset)
{
    struct ps_decoder *d = NULL;
    struct ps_decoder_slot *empty = NULL;

    for (size_t i = 0; i < PS_DECODER_CACHE; i++) {
        struct ps_decoder_slot *s = &sc->dec[i];
        if (s->d == NULL) {
            if (empty == NULL)
                empty = s;
        } else if (!s->is_busy && strcmp(ps_decoder_charset(s->d), charset) == 0) {
            s->is_busy = true;
            return s->d;
        }
    }
    if (ps_decoder_new(charset, &d) != PIISCAN_OK)
        return NULL;
    if (empty == NULL) {
        /* the cache is full: replace an idle entry, or hand out an uncached one */
        for (size_t i = 0; i < PS_DECODER_CACHE && empty == NULL; i++) {
            if (!sc->dec[i].is_busy) {
                ps_decoder_free(sc->dec[i].d);
                sc->dec[i].d = NULL;
                empty = &sc->dec[i];
            }
        }
    }
    if (empty != NULL) {
        empty->d = d;
        empty->is_busy = true;
    }
    return d;
}

void ps_scanner_decoder_put(piiscan_scanner *sc, struct ps_decoder *d)
{
    for (size_t i = 0; i < PS_DECODER_CACHE; i++) {
        if (sc->dec[i].d == d) {
            sc->dec[i].is_busy = false;
            return;
        }
    }
    ps_decoder_free(d);
}

/* A regular file or stdin, read in PS_READ_BLOCK blocks. */
struct fd_stream {
    int fd;
    char *buf;
    int err; /* errno of a failed read */
    uint64_t *top_read;
};

static piiscan_status fd_next(void *h, const void **buf, size_t *len)
{
    struct fd_stream *f = h;
    ssize_t n = -1;

    *buf = f->buf;
    *len = 0;
    /* retry only on EINTR / EAGAIN, a bounded number of times */
    for (int tries = 0; tries < 1000; tries++) {
        n = read(f->fd, f->buf, PS_READ_BLOCK);
        if (n >= 0 || (errno != EINTR && errno != EAGAIN))
            break;
    }
    if (n < 0) {
        f->err = errno;
        return PIISCAN_EIO;
    }
    *len = (size_t)n;
    *f->top_read += (uint64_t)n;
    return PIISCAN_OK;
}

static piiscan_status scan_open_fd(piiscan_scanner *sc, int fd, const char *lpath,
                                   uint64_t size_hint)
{
    piiscan_status rc = PIISCAN_OK;
    struct fd_stream f = {fd, NULL, 0, &sc->budget.top_read};
    struct ps_stream s = {fd_next, &f, size_hint};

    f.buf = malloc(PS_READ_BLOCK);
    if (f.buf == NULL)
        return PIISCAN_ENOMEM;
    rc = ps_dispatch(sc, lpath, 0, &s);
    if (rc == PIISCAN_OK && f.err != 0)
        rc = ps_warn(sc, lpath, PIISCAN_EIO, sc->budget.top_read > 0, "read error: %s",
                     strerror(f.err));
    free(f.buf);
    return rc;
}

piiscan_status piiscan_scan_fd(piiscan_scanner *sc, int fd, const char *lpath, piiscan_callback cb,
                               void *user)
{
    struct stat st;
    uint64_t size = 0;

    if (sc == NULL || fd < 0)
        return PIISCAN_EINVAL;
    ps_scanner_begin(sc, cb, user);
    if (lpath == NULL)
        lpath = "-";
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        size = (uint64_t)st.st_size;
    return scan_open_fd(sc, fd, lpath, size);
}

piiscan_status piiscan_scan_path(piiscan_scanner *sc, const char *path, const char *lpath,
                                 piiscan_callback cb, void *user)
{
    piiscan_status rc = PIISCAN_OK;
    struct stat st;
    int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
    int fd = -1;

    if (sc == NULL || path == NULL)
        return PIISCAN_EINVAL;
    ps_scanner_begin(sc, cb, user);
    if (lpath == NULL)
        lpath = path;
    if (!sc->opt.follow_symlinks)
        flags |= O_NOFOLLOW;
    fd = open(path, flags);
    if (fd < 0) {
        int err = errno;
        if (err == ELOOP && !sc->opt.follow_symlinks)
            return ps_warn(sc, lpath, PIISCAN_EIO, false, "skipped: symbolic link (--follow)");
        return ps_warn(sc, lpath, PIISCAN_EIO, false, "cannot open: %s", strerror(err));
    }
    if (fstat(fd, &st) != 0) {
        rc = ps_warn(sc, lpath, PIISCAN_EIO, false, "cannot stat: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = ps_warn(sc, lpath, PIISCAN_EUNSUPPORTED, false, "skipped: not a regular file");
        goto out;
    }
    /* Regular files never block; clear O_NONBLOCK so read() behaves plainly. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    rc = scan_open_fd(sc, fd, lpath, st.st_size > 0 ? (uint64_t)st.st_size : 0);
out:
    close(fd);
    return rc;
}

piiscan_status piiscan_scan_buffer(piiscan_scanner *sc, const char *lpath, const void *buf,
                                   size_t len, piiscan_callback cb, void *user)
{
    struct ps_mem_stream m;
    struct ps_stream s;

    if (sc == NULL || (buf == NULL && len > 0))
        return PIISCAN_EINVAL;
    ps_scanner_begin(sc, cb, user);
    sc->budget.top_read = len;
    ps_mem_stream_init(&m, buf != NULL ? buf : "", len, &s);
    return ps_dispatch(sc, lpath != NULL ? lpath : "-", 0, &s);
}
