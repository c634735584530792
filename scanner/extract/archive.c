/* extract/archive.c - libarchive reader: archive -> member streams, bounded.
 *
 * Input is a ps_stream (a file, or a member of a parent archive). libarchive pulls
 * it through archive_read_open callbacks, one parent block at a time, so nothing
 * is buffered beyond libarchive's own read-ahead - except zip and 7z, which are
 * read into memory first (up to max_buffer_bytes) because their directory sits at
 * the end: a zip over the cap is streamed from the buffered prefix onward (the
 * streaming zip reader copes with most zips), a 7z over the cap is skipped.
 *
 * Every format and filter libarchive has is enabled, plus the "raw" format so a
 * single compressed stream (x.csv.gz, .bz2, .xz, .zst, .lz4, .Z) is one member.
 * raw also claims uncompressed data; that case (no filter) is refused, or a
 * corrupt zip would come back as its own member forever.
 *
 * Member data is handed out from archive_read_data_block() without copying. The
 * member stream checks the bounds before each block: bytes of this member,
 * expansion ratio of this member (bytes out / compressed bytes consumed since the
 * member began, archive_filter_bytes(a, -1)) when the archive as a whole is past
 * the ratio too (solid 7z blocks are consumed early, which would make a single
 * member look like a bomb), and the budget of the top-level file (all levels).
 * After a member stopped early, the rest of it is skipped: libarchive skips it
 * (cheap when read from memory); when streaming, it is drained here so the
 * budget sees the work and a bomb runs into it within seconds.
 */
#include "extract/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/limits.h"
#include "util/lpath.h"
#include "pipeline/peek.h"

#define PS_ARCHIVE_MAX_FAILED 64u /* consecutive header failures before giving up */

/* Read side of one archive: pulls from the parent stream for libarchive. */
struct reader {
    struct ps_stream *in;
    piiscan_status in_rc; /* failure of the parent stream, passed up unwarned */
    uint64_t raw_read;    /* bytes handed to libarchive */
    bool is_eof;
};

/* One member's data as a ps_stream. */
struct member {
    struct archive *a;
    const struct ps_archive_limits *lim;
    struct ps_archive_budget *budget;
    const uint64_t *archive_out; /* bytes out of this archive so far (all members) */
    uint64_t *archive_out_w;
    uint64_t bytes;     /* bytes handed out */
    uint64_t raw_start; /* archive_filter_bytes(a, -1) at the start */
    piiscan_status rc;  /* why it stopped early, OK otherwise */
    char why[256];      /* the warning text for rc */
    bool is_done;
};

void ps_archive_limits_default(struct ps_archive_limits *lim)
{
    lim->depth = 0;
    lim->max_member_bytes = PS_DEFAULT_MAX_MEMBER_BYTES;
    lim->max_file_bytes = PS_DEFAULT_MAX_FILE_BYTES;
    lim->max_ratio = PS_DEFAULT_MAX_RATIO;
    lim->ratio_grace = PS_RATIO_GRACE_BYTES;
    lim->max_entries = PS_DEFAULT_MAX_ENTRIES;
    lim->max_buffer_bytes = PS_DEFAULT_MAX_BUFFER_BYTES;
}

bool ps_archive_is_archive_mime(const char *mime)
{
    static const char *const mimes[] = {
        "application/zip",
        "application/x-zip-compressed",
        "application/gzip",
        "application/x-gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/x-zstd",
        "application/x-lz4",
        "application/x-lzip",
        "application/x-lzma",
        "application/x-compress",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/x-rar-compressed",
        "application/x-tar",
        "application/x-gtar",
        "application/x-ustar",
        "application/x-cpio",
        "application/x-iso9660-image",
        "application/x-archive",
        "application/x-lzop",
        "application/x-lha",
        "application/x-lharc",
        "application/vnd.ms-cab-compressed",
        "application/x-xar",
        "application/x-bzip",
        "application/x-lrzip",
        "application/x-grzip",
        "application/java-archive",
        "application/x-rpm",
    };
    for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++) {
        if (strcmp(mime, mimes[i]) == 0)
            return true;
    }
    return false;
}

void ps_archive_raw_name(const char *parent_lpath, char *out, size_t cap)
{
    static const char *const sfx[][2] = {
        {".tgz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".txz", ".tar"}, {".tzst", ".tar"},
        {".taz", ".tar"}, {".gz", ""},       {".bz2", ""},     {".xz", ""},      {".zst", ""},
        {".lz4", ""},     {".Z", ""},        {".lzma", ""},    {".lz", ""},      {".lzo", ""},
        {".z", ""},       {".bz", ""},
    };
    const char *leaf = ps_lpath_leaf(parent_lpath);
    const char *slash = strrchr(leaf, '/');
    size_t n = 0;

    if (slash != NULL && slash[1] != '\0')
        leaf = slash + 1;
    n = strlen(leaf);
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        size_t sl = strlen(sfx[i][0]);
        if (n > sl && strcmp(leaf + n - sl, sfx[i][0]) == 0) {
            snprintf(out, cap, "%.*s%s", (int)(n - sl), leaf, sfx[i][1]);
            return;
        }
    }
    snprintf(out, cap, "%s", n > 0 ? leaf : "data");
}

static la_ssize_t read_cb(struct archive *a, void *ctx, const void **buf)
{
    struct reader *r = ctx;
    size_t n = 0;

    (void)a;
    *buf = NULL;
    if (r->is_eof)
        return 0;
    piiscan_status rc = r->in->next(r->in->h, buf, &n);
    if (rc != PIISCAN_OK) {
        r->in_rc = rc;
        r->is_eof = true;
        return -1;
    }
    if (n == 0)
        r->is_eof = true;
    r->raw_read += n;
    return (la_ssize_t)n;
}

/* libarchive reports encryption it cannot read as an error string only. */
static piiscan_status classify(const char *err)
{
    if (err != NULL && (strstr(err, "ncrypt") != NULL || strstr(err, "assphrase") != NULL))
        return PIISCAN_EENCRYPTED;
    return PIISCAN_ECORRUPT;
}

static bool over_ratio(uint64_t out, uint64_t in, unsigned max_ratio)
{
    if (max_ratio == 0)
        return false;
    if (in == 0)
        return true;
    return out / in > max_ratio;
}

static void budget_message(const struct ps_archive_limits *lim, const struct ps_archive_budget *b,
                           char *out, size_t cap)
{
    snprintf(out, cap,
             "stopped: %llu bytes expanded from a %llu-byte top-level file exceed its budget "
             "(max_file_bytes %llu, max_ratio %u:1); rest of the file not scanned",
             (unsigned long long)b->expanded, (unsigned long long)b->top_read,
             (unsigned long long)lim->max_file_bytes, lim->max_ratio);
}

/* True when the budget of the top-level file cannot take n more bytes. */
static bool budget_over(const struct ps_archive_limits *lim, const struct ps_archive_budget *b,
                        uint64_t n)
{
    uint64_t after = b->expanded + n;
    if (after > lim->max_file_bytes)
        return true;
    return b->top_read > 0 && after > lim->ratio_grace &&
           over_ratio(after, b->top_read, lim->max_ratio);
}

/* Checks the bounds before handing out n more bytes; sets m->rc and m->why. The
 * member-size bound is handled by the caller (it cuts the block). */
static bool member_over(struct member *m, size_t n)
{
    const struct ps_archive_limits *lim = m->lim;
    struct ps_archive_budget *b = m->budget;
    uint64_t out = m->bytes + n;

    if (out > lim->ratio_grace) {
        int64_t raw = archive_filter_bytes(m->a, -1);
        uint64_t used = raw > 0 && (uint64_t)raw > m->raw_start ? (uint64_t)raw - m->raw_start : 0;
        uint64_t all_out = *m->archive_out + n;
        if (over_ratio(out, used, lim->max_ratio) &&
            over_ratio(all_out, raw > 0 ? (uint64_t)raw : 0, lim->max_ratio)) {
            m->rc = PIISCAN_ELIMIT;
            snprintf(m->why, sizeof(m->why),
                     "stopped after %llu bytes: compression ratio above %u:1 (max_ratio)",
                     (unsigned long long)m->bytes, lim->max_ratio);
            return true;
        }
    }
    if (budget_over(lim, b, n)) {
        b->is_exhausted = true;
        m->rc = PIISCAN_ELIMIT;
        budget_message(lim, b, m->why, sizeof(m->why));
        return true;
    }
    return false;
}

static piiscan_status member_next(void *h, const void **buf, size_t *len)
{
    struct member *m = h;
    size_t size = 0;
    la_int64_t off = 0;

    *buf = NULL;
    *len = 0;
    if (m->is_done)
        return m->rc;
    int r = archive_read_data_block(m->a, buf, &size, &off);
    if (r == ARCHIVE_EOF) {
        m->is_done = true;
        *buf = NULL;
        return PIISCAN_OK;
    }
    if (r < ARCHIVE_WARN) {
        const char *err = archive_error_string(m->a);
        m->is_done = true;
        m->rc = classify(err);
        snprintf(m->why, sizeof(m->why), "%s: %s",
                 m->rc == PIISCAN_EENCRYPTED ? "skipped: encrypted" : "corrupt member data",
                 err != NULL ? err : "read error");
        *buf = NULL;
        return m->rc;
    }
    if (m->bytes + size > m->lim->max_member_bytes) {
        /* hand out what fits, then stop: the first max_member_bytes are scanned */
        size = (size_t)(m->lim->max_member_bytes - m->bytes);
        m->is_done = true;
        m->rc = PIISCAN_ELIMIT;
        snprintf(m->why, sizeof(m->why),
                 "stopped after %llu bytes: member expands past the limit (max_member_bytes)",
                 (unsigned long long)m->lim->max_member_bytes);
        if (size == 0) {
            *buf = NULL;
            return m->rc;
        }
    }
    if (member_over(m, size)) {
        m->is_done = true;
        *buf = NULL;
        return m->rc;
    }
    m->bytes += size;
    *m->archive_out_w += size;
    m->budget->expanded += size;
    *len = size;
    return PIISCAN_OK;
}

/* Reads and discards the rest of a member that stopped early, counting it in the
 * budget (streaming mode; the skip inside libarchive would do the same work unseen). */
static void drain_member(struct member *m)
{
    const void *b = NULL;
    size_t size = 0;
    la_int64_t off = 0;

    /* Each block advances the member; the budget ends a bomb. */
    while (!m->budget->is_exhausted) {
        int r = archive_read_data_block(m->a, &b, &size, &off);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            break;
        if (budget_over(m->lim, m->budget, size))
            m->budget->is_exhausted = true;
        m->budget->expanded += size;
    }
}

/* Every format libarchive reads except mtree, which is plain text (any decompressed
 * text file would parse as an mtree spec and come back as bogus members). raw comes
 * last: it claims whatever no other format does. */
static void enable_formats(struct archive *a)
{
    archive_read_support_format_7zip(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_empty(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_warc(a);
    archive_read_support_format_xar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_raw(a);
}

static bool needs_memory(const char *head, size_t n, bool *is_7z)
{
    *is_7z = n >= 6 && memcmp(head, "7z\xBC\xAF\x27\x1C", 6) == 0;
    if (*is_7z)
        return true;
    return n >= 4 && (memcmp(head, "PK\x03\x04", 4) == 0 || memcmp(head, "PK\x05\x06", 4) == 0 ||
                      memcmp(head, "PK\x07\x08", 4) == 0);
}

/* State of one ps_archive_each_member call. */
struct walkstate {
    const char *lpath;
    const struct ps_archive_limits *lim;
    struct ps_archive_budget *budget;
    const struct ps_archive_cb *cb;
    struct archive *a;
    struct reader rd;
    bool is_memory;
    piiscan_status mem_in_rc; /* input failure while buffering: read what came, then it */
    uint64_t entries;
    uint64_t members; /* members handed out */
    uint64_t out;     /* bytes out of this archive */
};

static piiscan_status warn(struct walkstate *w, const char *lpath, piiscan_status st, bool partial,
                           const char *msg)
{
    if (w->cb->on_warn == NULL)
        return PIISCAN_OK;
    return w->cb->on_warn(w->cb->ctx, lpath, st, partial, msg);
}

static const char *entry_name(struct walkstate *w, struct archive_entry *e, char *raw, size_t cap)
{
    const char *name = NULL;
    if (archive_format(w->a) == ARCHIVE_FORMAT_RAW) {
        ps_archive_raw_name(w->lpath, raw, cap);
        return raw;
    }
    name = archive_entry_pathname_utf8(e);
    if (name == NULL)
        name = archive_entry_pathname(e);
    if (name == NULL || name[0] == '\0')
        name = "(unnamed)";
    return name;
}

/* One regular-file member: stream it to on_member, then report how it ended. */
static piiscan_status do_member(struct walkstate *w, struct archive_entry *e, const char *name)
{
    piiscan_status rc = PIISCAN_OK;
    char *mlpath = NULL;
    struct member m;
    struct ps_stream s;
    struct ps_archive_member am;

    rc = ps_lpath_join(w->lpath, name, &mlpath);
    if (rc == PIISCAN_ELIMIT)
        return warn(w, w->lpath, PIISCAN_ELIMIT, true, "member skipped: logical path too long");
    if (rc != PIISCAN_OK)
        return rc;
    if (archive_entry_is_encrypted(e)) {
        rc = warn(w, mlpath, PIISCAN_EENCRYPTED, false, "skipped: encrypted");
        goto out;
    }
    memset(&m, 0, sizeof(m));
    m.a = w->a;
    m.lim = w->lim;
    m.budget = w->budget;
    m.archive_out = &w->out;
    m.archive_out_w = &w->out;
    m.raw_start =
        (uint64_t)(archive_filter_bytes(w->a, -1) > 0 ? archive_filter_bytes(w->a, -1) : 0);
    s.next = member_next;
    s.h = &m;
    s.size_hint = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                      ? (uint64_t)archive_entry_size(e)
                      : 0;
    am.lpath = mlpath;
    am.name = name;
    am.size = s.size_hint;
    am.depth = w->lim->depth + 1;
    am.stream = &s;
    w->members++;
    rc = w->cb->on_member(w->cb->ctx, &am);
    if (rc == PIISCAN_EABORTED || rc == PIISCAN_ENOMEM)
        goto out;
    rc = PIISCAN_OK;
    if (w->rd.in_rc != PIISCAN_OK)
        goto out; /* the parent stream failed under us: its producer reports it */
    if (m.rc != PIISCAN_OK &&
        !(m.rc == PIISCAN_ELIMIT && w->budget->is_exhausted && w->budget->is_reported)) {
        if (w->budget->is_exhausted)
            w->budget->is_reported = true;
        rc = warn(w, mlpath, m.rc, m.bytes > 0, m.why);
        if (rc != PIISCAN_OK)
            goto out;
    }
    if (m.rc == PIISCAN_ELIMIT && !w->is_memory && !w->budget->is_exhausted) {
        drain_member(&m);
        if (w->budget->is_exhausted && !w->budget->is_reported) {
            char msg[256];
            w->budget->is_reported = true;
            budget_message(w->lim, w->budget, msg, sizeof(msg));
            rc = warn(w, w->lpath, PIISCAN_ELIMIT, true, msg);
        }
    }
out:
    free(mlpath);
    return rc;
}

static piiscan_status open_archive(struct walkstate *w, const char *head, size_t head_len,
                                   struct ps_stream *in, struct ps_buf *mem, struct ps_peek *pk,
                                   struct ps_stream *rest, bool *is_done)
{
    bool is_7z = false;
    int r = ARCHIVE_OK;

    *is_done = false;
    w->rd.in = in;
    if (needs_memory(head, head_len, &is_7z)) {
        piiscan_status rc = PIISCAN_OK;
        const void *b = NULL;
        size_t n = 0;
        /* Buffer up to the cap; a stream failure ends the buffer (libarchive then
         * reads what there is, as a truncated archive). */
        for (;;) {
            rc = in->next(in->h, &b, &n);
            if (rc != PIISCAN_OK) {
                w->mem_in_rc = rc;
                rc = PIISCAN_OK;
                break;
            }
            if (n == 0)
                break;
            rc = ps_buf_append(mem, b, n);
            if (rc != PIISCAN_OK)
                break;
        }
        if (rc == PIISCAN_ENOMEM)
            return rc;
        if (rc == PIISCAN_ELIMIT && is_7z) {
            char msg[160];
            snprintf(msg, sizeof(msg),
                     "skipped: 7z archive larger than %llu bytes "
                     "must be read whole (max_buffer_bytes)",
                     (unsigned long long)w->lim->max_buffer_bytes);
            *is_done = true;
            return warn(w, w->lpath, PIISCAN_ELIMIT, false, msg);
        }
        if (rc == PIISCAN_ELIMIT) {
            /* zip over the cap: stream it, the buffered prefix first, then block b */
            ps_peek_prefix(pk, in, mem->data, mem->len, rest);
            pk->tail = b;
            pk->tail_len = n;
            w->rd.in = rest;
        } else {
            w->is_memory = true;
            w->rd.raw_read = mem->len;
        }
    }
    w->a = archive_read_new();
    if (w->a == NULL)
        return PIISCAN_ENOMEM;
    archive_read_support_filter_all(w->a);
    enable_formats(w->a);
    if (w->is_memory)
        r = archive_read_open_memory(w->a, mem->data != NULL ? mem->data : "", mem->len);
    else
        r = archive_read_open(w->a, &w->rd, NULL, read_cb, NULL);
    if (r != ARCHIVE_OK) {
        const char *err = archive_error_string(w->a);
        char msg[300];
        *is_done = true;
        if (w->rd.in_rc != PIISCAN_OK)
            return w->rd.in_rc;
        snprintf(msg, sizeof(msg), "%s: %s",
                 classify(err) == PIISCAN_EENCRYPTED ? "skipped: encrypted archive"
                                                     : "cannot open archive",
                 err != NULL ? err : "unrecognised data");
        return warn(w, w->lpath, classify(err), false, msg);
    }
    return PIISCAN_OK;
}

/* The entry loop; returns OK, EABORTED, ENOMEM or the input's failure. */
static piiscan_status each_entry(struct walkstate *w)
{
    piiscan_status rc = PIISCAN_OK;
    struct archive_entry *e = NULL;
    unsigned failed = 0;
    char raw[256];
    char msg[400];

    for (;;) {
        if (w->budget->is_exhausted)
            break; /* reported where it was hit; the rest is not scanned */
        if (w->entries >= w->lim->max_entries) {
            snprintf(msg, sizeof(msg), "stopped after %llu entries (max_entries)",
                     (unsigned long long)w->entries);
            return warn(w, w->lpath, PIISCAN_ELIMIT, true, msg);
        }
        int r = archive_read_next_header(w->a, &e);
        if (r == ARCHIVE_EOF)
            break;
        w->entries++;
        if (w->rd.in_rc != PIISCAN_OK)
            return w->rd.in_rc;
        if (r == ARCHIVE_FATAL || (r == ARCHIVE_FAILED && ++failed > PS_ARCHIVE_MAX_FAILED)) {
            const char *err = archive_error_string(w->a);
            piiscan_status st = classify(err);
            snprintf(msg, sizeof(msg), "%s: %s",
                     st == PIISCAN_EENCRYPTED ? "skipped: encrypted archive"
                     : w->members > 0         ? "corrupt or truncated archive, rest not scanned"
                                              : "corrupt archive",
                     err != NULL ? err : "unreadable entry header");
            return warn(w, w->lpath, st, w->members > 0, msg);
        }
        if (r == ARCHIVE_FAILED)
            continue;
        failed = 0;
        if (archive_format(w->a) == ARCHIVE_FORMAT_RAW &&
            archive_filter_code(w->a, 0) == ARCHIVE_FILTER_NONE) {
            /* raw without compression is just the input again: not an archive */
            return warn(w, w->lpath, PIISCAN_EUNSUPPORTED, false,
                        "not an archive or compressed stream libarchive can read");
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue; /* directories, links, devices: labels only */
        if (archive_entry_hardlink(e) != NULL && archive_entry_size(e) == 0)
            continue; /* tar hard link: the data came with the first name */
        rc = do_member(w, e, entry_name(w, e, raw, sizeof(raw)));
        if (rc != PIISCAN_OK)
            return rc;
        if (w->rd.in_rc != PIISCAN_OK)
            return w->rd.in_rc;
    }
    return PIISCAN_OK;
}

piiscan_status ps_archive_each_member(const char *lpath, const char *head, size_t head_len,
                                      struct ps_stream *in, const struct ps_archive_limits *lim,
                                      struct ps_archive_budget *budget,
                                      const struct ps_archive_cb *cb)
{
    piiscan_status rc = PIISCAN_OK;
    struct walkstate w;
    struct ps_buf mem;
    struct ps_peek pk;
    struct ps_stream rest;
    bool is_done = false;

    memset(&w, 0, sizeof(w));
    w.lpath = lpath;
    w.lim = lim;
    w.budget = budget;
    w.cb = cb;
    ps_buf_init(&mem, lim->max_buffer_bytes > SIZE_MAX - 1 ? SIZE_MAX - 1
                                                           : (size_t)lim->max_buffer_bytes);
    rc = open_archive(&w, head, head_len, in, &mem, &pk, &rest, &is_done);
    if (rc != PIISCAN_OK || is_done)
        goto out;
    rc = each_entry(&w);
    if (rc == PIISCAN_OK && w.mem_in_rc != PIISCAN_OK)
        rc = w.mem_in_rc;
out:
    if (w.a != NULL)
        archive_read_free(w.a);
    ps_buf_free(&mem);
    return rc;
}
