/* test_archive.c - the archive reader over archives built here with libarchive's
 * write API (zip, tar.gz, 7z, single compressed streams, nesting, corrupt,
 * encrypted, bombs). A test-side consumer plays the dispatcher: it records every
 * member (lpath, bytes, content) and recurses into members that are archives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extract/archive.h"
#include "pipeline/peek.h"
#include "util/buf.h"

/* ---- building archives ------------------------------------------------------ */

struct ent {
    const char *name;
    const char *data; /* NULL: a directory */
    size_t len;       /* 0 with data: strlen(data) */
};

static la_ssize_t w_cb(struct archive *a, void *ctx, const void *buf, size_t n)
{
    (void)a;
    return ps_buf_append(ctx, buf, n) == PIISCAN_OK ? (la_ssize_t)n : -1;
}

/* format: "zip", "7zip", "ustar", "raw"; filter: NULL, "gzip", "bzip2", "xz", "compress",
 * "zstd", "lz4"; opts: libarchive option string or NULL; pass: passphrase or NULL. */
static int build(struct ps_buf *out, const char *format, const char *filter, const char *opts,
                 const char *pass, const struct ent *e, size_t n)
{
    struct archive *a = archive_write_new();
    ps_buf_init(out, 512u * 1024u * 1024u);
    assert_int_equal(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter != NULL && archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK) {
        archive_write_free(a);
        return -1; /* this libarchive cannot write that filter */
    }
    if (opts != NULL)
        assert_int_equal(archive_write_set_options(a, opts), ARCHIVE_OK);
    if (pass != NULL)
        assert_int_equal(archive_write_set_passphrase(a, pass), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(a, 1);
    assert_int_equal(archive_write_open(a, out, NULL, w_cb, NULL), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        size_t len = e[i].data == NULL ? 0 : (e[i].len != 0 ? e[i].len : strlen(e[i].data));
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, e[i].data == NULL ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_mtime(ae, 1400000000, 0);
        archive_entry_set_size(ae, (la_int64_t)len);
        assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
        if (len > 0)
            assert_int_equal(archive_write_data(a, e[i].data, len), (la_ssize_t)len);
        archive_entry_free(ae);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return 0;
}

/* ---- the consumer ----------------------------------------------------------- */

#define MAXM 64

struct got {
    char lpath[MAXM][512];
    uint64_t bytes[MAXM];
    char data[MAXM][64]; /* first bytes */
    unsigned depth[MAXM];
    piiscan_status end[MAXM]; /* how the member stream ended */
    size_t n;
    char wpath[MAXM][512];
    piiscan_status wst[MAXM];
    bool wpartial[MAXM];
    char wmsg[MAXM][512];
    size_t nw;
    struct ps_archive_limits lim;
    struct ps_archive_budget budget;
    size_t abort_after; /* on_member returns EABORTED after this many (0 = never) */
};

static piiscan_status on_warn(void *ctx, const char *lpath, piiscan_status st, bool partial,
                              const char *msg)
{
    struct got *g = ctx;
    if (getenv("PS_TEST_VERBOSE") != NULL)
        printf("# warning %s [%d%s]: %s\n", lpath, (int)st, partial ? ", partial" : "", msg);
    assert_true(g->nw < MAXM);
    snprintf(g->wpath[g->nw], 512, "%s", lpath);
    snprintf(g->wmsg[g->nw], 512, "%s", msg);
    g->wst[g->nw] = st;
    g->wpartial[g->nw] = partial;
    g->nw++;
    return PIISCAN_OK;
}

static bool looks_archive(const char *h, size_t n)
{
    return (n >= 4 && memcmp(h, "PK\x03\x04", 4) == 0) ||
           (n >= 2 && memcmp(h, "\x1f\x8b", 2) == 0) ||
           (n >= 6 && memcmp(h, "7z\xbc\xaf\x27\x1c", 6) == 0) ||
           (n >= 262 && memcmp(h + 257, "ustar", 5) == 0);
}

static piiscan_status on_member(void *ctx, const struct ps_archive_member *m);

static piiscan_status open_it(struct got *g, const char *lpath, unsigned depth,
                              struct ps_stream *in)
{
    static char heads[8][4096];
    struct ps_peek pk;
    struct ps_stream s;
    struct ps_archive_limits lim = g->lim;
    struct ps_archive_cb cb = {g, on_member, on_warn};
    assert_true(depth < 8);
    ps_peek_init(&pk, in, heads[depth], sizeof(heads[depth]), &s);
    lim.depth = depth;
    return ps_archive_each_member(lpath, pk.head, pk.head_len, &s, &lim, &g->budget, &cb);
}

static piiscan_status on_member(void *ctx, const struct ps_archive_member *m)
{
    struct got *g = ctx;
    struct ps_peek pk;
    struct ps_stream s;
    static char head[8][4096];
    size_t i = g->n;

    assert_true(i < MAXM);
    if (getenv("PS_TEST_VERBOSE") != NULL)
        printf("# member %s depth %u size %llu\n", m->lpath, m->depth, (unsigned long long)m->size);
    g->n++;
    snprintf(g->lpath[i], 512, "%s", m->lpath);
    g->depth[i] = m->depth;
    ps_peek_init(&pk, m->stream, head[m->depth], sizeof(head[m->depth]), &s);
    if (looks_archive(pk.head, pk.head_len) && m->depth < 8) {
        /* like ps_dispatch: the member is an archive, recurse one level deeper */
        piiscan_status rc = open_it(g, m->lpath, m->depth, &s);
        g->end[i] = rc;
        g->bytes[i] = pk.consumed;
        return rc;
    }
    memcpy(g->data[i], pk.head, pk.head_len < 63 ? pk.head_len : 63);
    /* drain; each next() either advances or ends */
    for (;;) {
        const void *b = NULL;
        size_t len = 0;
        piiscan_status rc = s.next(s.h, &b, &len);
        if (rc != PIISCAN_OK) {
            g->end[i] = rc;
            break;
        }
        if (len == 0)
            break;
    }
    g->bytes[i] = pk.consumed;
    if (g->abort_after != 0 && g->n == g->abort_after)
        return PIISCAN_EABORTED;
    return g->end[i];
}

static struct got *fresh(void)
{
    static struct got g;
    memset(&g, 0, sizeof(g));
    ps_archive_limits_default(&g.lim);
    return &g;
}

static piiscan_status scan_buf(struct got *g, const char *lpath, const char *p, size_t n)
{
    struct ps_mem_stream m;
    struct ps_stream s;
    ps_mem_stream_init(&m, p, n, &s);
    g->budget.top_read = n;
    return open_it(g, lpath, 0, &s);
}

static const struct ent three[] = {
    {"docs/", NULL, 0},
    {"docs/a.txt", "SSN 123-45-6789\n", 0},
    {"b.csv", "name,dob\nAmy,1967-04-12\n", 0},
    {"empty.txt", "", 0},
};

static void expect_three(struct got *g, const char *arc)
{
    char want[256];
    assert_int_equal(g->nw, 0);
    assert_int_equal(g->n, 3);
    snprintf(want, sizeof(want), "%s!docs/a.txt", arc);
    assert_string_equal(g->lpath[0], want);
    assert_int_equal(g->bytes[0], 16);
    assert_string_equal(g->data[0], "SSN 123-45-6789\n");
    assert_int_equal(g->depth[0], 1);
    snprintf(want, sizeof(want), "%s!b.csv", arc);
    assert_string_equal(g->lpath[1], want);
    assert_int_equal(g->bytes[1], 24);
    snprintf(want, sizeof(want), "%s!empty.txt", arc);
    assert_string_equal(g->lpath[2], want);
    assert_int_equal(g->bytes[2], 0);
}

static void test_zip_targz_7z_tar(void **state)
{
    static const char *const kinds[][3] = {
        {"zip", NULL, "x.zip"},     {"ustar", "gzip", "x.tar.gz"}, {"7zip", NULL, "x.7z"},
        {"ustar", NULL, "x.tar"},   {"ustar", "xz", "x.tar.xz"},   {"cpio", "bzip2", "x.cpio.bz2"},
        {"iso9660", NULL, "x.iso"}, {"pax", "zstd", "x.tar.zst"},
    };
    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        struct ps_buf b;
        struct got *g = fresh();
        assert_int_equal(build(&b, kinds[k][0], kinds[k][1], NULL, NULL, three, 4), 0);
        assert_int_equal(scan_buf(g, kinds[k][2], b.data, b.len), PIISCAN_OK);
        expect_three(g, kinds[k][2]);
        ps_buf_free(&b);
    }
}

static void test_single_compressed_streams(void **state)
{
    static const char *const kinds[][2] = {
        {"gzip", "payroll.csv.gz"},    {"bzip2", "payroll.csv.bz2"}, {"xz", "payroll.csv.xz"},
        {"compress", "payroll.csv.Z"}, {"zstd", "payroll.csv.zst"},  {"lz4", "payroll.csv.lz4"},
    };
    static const struct ent one[] = {{"data", "name,ssn\nAmy,123-45-6789\n", 0}};
    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        struct ps_buf b;
        struct got *g = fresh();
        if (build(&b, "raw", kinds[k][0], NULL, NULL, one, 1) != 0) {
            printf("# %s: libarchive cannot write it here, skipped\n", kinds[k][0]);
            continue;
        }
        assert_int_equal(scan_buf(g, kinds[k][1], b.data, b.len), PIISCAN_OK);
        assert_int_equal(g->nw, 0);
        assert_int_equal(g->n, 1);
        char want[64];
        snprintf(want, sizeof(want), "%s!payroll.csv", kinds[k][1]);
        assert_string_equal(g->lpath[0], want);
        assert_int_equal(g->bytes[0], 25);
        assert_string_equal(g->data[0], "name,ssn\nAmy,123-45-6789\n");
        ps_buf_free(&b);
    }
}

static void test_raw_names(void **state)
{
    char out[64];
    (void)state;
    ps_archive_raw_name("a.zip!dir/payroll.csv.gz", out, sizeof(out));
    assert_string_equal(out, "payroll.csv");
    ps_archive_raw_name("backup.tgz", out, sizeof(out));
    assert_string_equal(out, "backup.tar");
    ps_archive_raw_name("/data/noext", out, sizeof(out));
    assert_string_equal(out, "noext");
    ps_archive_raw_name("x.gz", out, sizeof(out));
    assert_string_equal(out, "x");
    ps_archive_raw_name(".gz", out, sizeof(out));
    assert_string_equal(out, ".gz");
}

/* zip > tar.gz > zip > deep.txt */
static void test_nested(void **state)
{
    struct ps_buf inner, mid, outer;
    struct got *g = fresh();
    (void)state;
    static const struct ent deep[] = {{"2014/deep.txt", "Amy Pascal 123-45-6789\n", 0}};
    assert_int_equal(build(&inner, "zip", NULL, NULL, NULL, deep, 1), 0);
    struct ent m[] = {{"hr/", NULL, 0},
                      {"hr/payroll.zip", inner.data, inner.len},
                      {"hr/readme.txt", "nothing here\n", 0}};
    assert_int_equal(build(&mid, "ustar", "gzip", NULL, NULL, m, 3), 0);
    struct ent o[] = {{"mid.tar.gz", mid.data, mid.len}, {"z.txt", "last\n", 0}};
    assert_int_equal(build(&outer, "zip", NULL, NULL, NULL, o, 2), 0);
    assert_int_equal(scan_buf(g, "dump.zip", outer.data, outer.len), PIISCAN_OK);
    assert_int_equal(g->nw, 0);
    assert_int_equal(g->n, 5);
    assert_string_equal(g->lpath[0], "dump.zip!mid.tar.gz");
    assert_string_equal(g->lpath[1], "dump.zip!mid.tar.gz!hr/payroll.zip");
    assert_string_equal(g->lpath[2], "dump.zip!mid.tar.gz!hr/payroll.zip!2014/deep.txt");
    assert_int_equal(g->depth[2], 3);
    assert_string_equal(g->data[2], "Amy Pascal 123-45-6789\n");
    assert_int_equal(g->bytes[2], 23);
    assert_string_equal(g->lpath[3], "dump.zip!mid.tar.gz!hr/readme.txt");
    assert_string_equal(g->lpath[4], "dump.zip!z.txt");
    assert_int_equal(g->bytes[4], 5);
    ps_buf_free(&inner);
    ps_buf_free(&mid);
    ps_buf_free(&outer);
}

static void test_truncated_zip(void **state)
{
    struct ps_buf b;
    char big[3000];
    (void)state;
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('A' + (i * 7919) % 26);
    struct ent e[] = {{"first.txt", "first member\n", 0},
                      {"second.txt", big, sizeof(big)},
                      {"third.txt", "third\n", 0}};
    assert_int_equal(build(&b, "zip", NULL, "zip:compression=store", NULL, e, 3), 0);
    /* cut in the middle of second.txt's data */
    size_t cut = 60 + 13 + 60 + 1500;
    struct got *g = fresh();
    assert_int_equal(scan_buf(g, "t.zip", b.data, cut), PIISCAN_OK);
    assert_int_equal(g->n, 2);
    assert_string_equal(g->lpath[0], "t.zip!first.txt");
    assert_int_equal(g->bytes[0], 13);
    assert_string_equal(g->lpath[1], "t.zip!second.txt");
    assert_true(g->bytes[1] < sizeof(big));
    assert_int_equal(g->end[1], PIISCAN_ECORRUPT);
    /* the member that broke, then the archive: the rest of it is lost */
    assert_int_equal(g->nw, 2);
    assert_string_equal(g->wpath[0], "t.zip!second.txt");
    assert_int_equal(g->wst[0], PIISCAN_ECORRUPT);
    assert_true(g->wpartial[0]);
    assert_true(strncmp(g->wmsg[0], "corrupt member data: ", 21) == 0);
    assert_string_equal(g->wpath[1], "t.zip");
    assert_int_equal(g->wst[1], PIISCAN_ECORRUPT);
    assert_true(g->wpartial[1]);
    assert_true(strncmp(g->wmsg[1], "corrupt or truncated archive, rest not scanned: ", 48) == 0);
    ps_buf_free(&b);
}

static void test_garbage_and_plain(void **state)
{
    struct got *g = fresh();
    static const char junk[] = "PK\x03\x04garbage that is not a zip at all, really not";
    (void)state;
    assert_int_equal(scan_buf(g, "j.zip", junk, sizeof(junk) - 1), PIISCAN_OK);
    assert_int_equal(g->n, 0);
    assert_int_equal(g->nw, 1);
    assert_string_equal(g->wpath[0], "j.zip");
    assert_int_equal(g->wst[0], PIISCAN_ECORRUPT);

    /* plain text is not an archive: raw format without a filter is refused */
    g = fresh();
    static const char txt[] = "just some text, not compressed\n";
    assert_int_equal(scan_buf(g, "p.txt", txt, sizeof(txt) - 1), PIISCAN_OK);
    assert_int_equal(g->n, 0);
    assert_int_equal(g->nw, 1);
    assert_int_equal(g->wst[0], PIISCAN_EUNSUPPORTED);
}

static void test_encrypted_zip(void **state)
{
    static const char *const how[] = {"zip:encryption=zipcrypt", "zip:encryption=aes256"};
    (void)state;
    static const struct ent e[] = {{"secret.txt", "SSN 123-45-6789\n", 0},
                                   {"plain.txt", "open\n", 0}};
    for (size_t k = 0; k < 2; k++) {
        struct ps_buf b;
        if (k == 1) {
            /* AES needs libarchive built with a crypto library */
            struct archive *probe = archive_write_new();
            archive_write_set_format_zip(probe);
            int ok = archive_write_set_options(probe, how[k]) == ARCHIVE_OK;
            archive_write_free(probe);
            if (!ok) {
                printf("# %s: not supported by this libarchive, skipped\n", how[k]);
                continue;
            }
        }
        assert_int_equal(build(&b, "zip", NULL, how[k], "hunter2", e, 1), 0);
        /* from memory (central directory) and streamed (local headers) */
        for (int streamed = 0; streamed < 2; streamed++) {
            struct got *g = fresh();
            if (streamed)
                g->lim.max_buffer_bytes = 16;
            assert_int_equal(scan_buf(g, "enc.zip", b.data, b.len), PIISCAN_OK);
            assert_int_equal(g->n, 0);
            assert_int_equal(g->nw, 1);
            assert_string_equal(g->wpath[0], "enc.zip!secret.txt");
            assert_int_equal(g->wst[0], PIISCAN_EENCRYPTED);
            assert_string_equal(g->wmsg[0], "skipped: encrypted");
        }
        ps_buf_free(&b);
    }
}

/* Encrypted 7z from the real 7z tool (p7zip-full, scripts/deps.sh): data encrypted
 * (names readable) and headers encrypted too (-mhe=on). */
static void test_encrypted_7z(void **state)
{
    char dir[] = "/tmp/piiscan-7z-XXXXXX";
    char cmd[512];
    (void)state;
    if (access("/usr/bin/7z", X_OK) != 0) {
        printf("# 7z not installed, skipped\n");
        return;
    }
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "cd %s && printf 'SSN 123-45-6789\\n' > s.txt && 7z a -phunter2 d.7z s.txt "
             ">/dev/null && 7z a -phunter2 -mhe=on h.7z s.txt >/dev/null",
             dir);
    assert_int_equal(system(cmd), 0);
    for (int k = 0; k < 2; k++) {
        char path[128];
        static char data[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, k == 0 ? "d.7z" : "h.7z");
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        size_t n = fread(data, 1, sizeof(data), f);
        fclose(f);
        struct got *g = fresh();
        assert_int_equal(scan_buf(g, "e.7z", data, n), PIISCAN_OK);
        assert_int_equal(g->n, 0);
        assert_int_equal(g->nw, 1);
        assert_int_equal(g->wst[0], PIISCAN_EENCRYPTED);
        if (k == 0) {
            assert_string_equal(g->wpath[0], "e.7z!s.txt");
            assert_string_equal(g->wmsg[0], "skipped: encrypted");
        } else {
            assert_string_equal(g->wpath[0], "e.7z");
            assert_int_equal(strncmp(g->wmsg[0], "skipped: encrypted archive: ", 28), 0);
        }
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Hostile input: every archive above, with bytes flipped, cut or duplicated, must end
 * with members and warnings, never a crash (the run is under ASan/UBSan). */
static void test_mutations_never_crash(void **state)
{
    static const char *const kinds[][2] = {
        {"zip", NULL}, {"ustar", "gzip"}, {"7zip", NULL}, {"cpio", "bzip2"}, {"ustar", "xz"},
    };
    uint32_t seed = 12345;
    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        struct ps_buf b;
        assert_int_equal(build(&b, kinds[k][0], kinds[k][1], NULL, NULL, three, 4), 0);
        char *m = malloc(b.len);
        assert_non_null(m);
        for (int round = 0; round < 150; round++) {
            memcpy(m, b.data, b.len);
            size_t len = b.len;
            /* xorshift: flip a few bytes, sometimes truncate */
            for (int f = 0; f < 1 + round % 4; f++) {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                m[seed % len] ^= (char)(1u << (seed % 8));
            }
            if (round % 5 == 4)
                len = seed % len;
            struct got *g = fresh();
            piiscan_status rc = scan_buf(g, "m.arc", m, len);
            assert_true(rc == PIISCAN_OK);
            assert_true(g->n <= 3);
        }
        free(m);
        ps_buf_free(&b);
    }
}

static char *zeros(size_t n)
{
    char *p = calloc(1, n);
    assert_non_null(p);
    return p;
}

/* 64 MiB of zeros deflates ~1000:1; with a 1 MiB grace the member stops early and
 * the next member is still read. */
static void test_ratio_bomb(void **state)
{
    struct ps_buf b;
    size_t n = 64u * 1024u * 1024u;
    char *z = zeros(n);
    (void)state;
    struct ent e[] = {{"bomb.bin", z, n}, {"after.txt", "still scanned\n", 0}};
    assert_int_equal(build(&b, "zip", NULL, NULL, NULL, e, 2), 0);
    free(z);
    assert_true(b.len < 200u * 1024u);
    for (int streamed = 0; streamed < 2; streamed++) {
        struct got *g = fresh();
        g->lim.ratio_grace = 1024u * 1024u;
        if (streamed)
            g->lim.max_buffer_bytes = 1024; /* too small: stream instead of memory */
        time_t t0 = time(NULL);
        assert_int_equal(scan_buf(g, "bomb.zip", b.data, b.len), PIISCAN_OK);
        assert_true(time(NULL) - t0 < 10);
        assert_string_equal(g->lpath[0], "bomb.zip!bomb.bin");
        assert_int_equal(g->end[0], PIISCAN_ELIMIT);
        assert_true(g->bytes[0] <= 1024u * 1024u + 256u * 1024u);
        assert_string_equal(g->wpath[0], "bomb.zip!bomb.bin");
        assert_int_equal(g->wst[0], PIISCAN_ELIMIT);
        assert_true(g->wpartial[0]);
        assert_non_null(strstr(g->wmsg[0], "compression ratio above 200:1 (max_ratio)"));
        if (!streamed) {
            /* from memory the rest of the bomb is skipped for free: next member read */
            assert_int_equal(g->n, 2);
            assert_string_equal(g->lpath[1], "bomb.zip!after.txt");
            assert_int_equal(g->bytes[1], 14);
            assert_int_equal(g->nw, 1);
        } else {
            /* streamed, skipping means inflating: that runs into the file's budget
             * (64 MiB from a 65 KiB file is over 200:1), which ends the file */
            assert_int_equal(g->n, 1);
            assert_int_equal(g->nw, 2);
            assert_string_equal(g->wpath[1], "bomb.zip");
            assert_true(g->wpartial[1]);
            assert_non_null(strstr(g->wmsg[1], "rest of the file not scanned"));
            assert_true(g->budget.is_exhausted);
        }
    }
    ps_buf_free(&b);
}

static void test_member_and_entry_limits(void **state)
{
    struct ps_buf b;
    char big[5000];
    (void)state;
    memset(big, 'x', sizeof(big));
    struct ent e[] = {{"1.txt", big, sizeof(big)},
                      {"2.txt", "two\n", 0},
                      {"3.txt", "three\n", 0},
                      {"4.txt", "four\n", 0}};
    assert_int_equal(build(&b, "ustar", "gzip", NULL, NULL, e, 4), 0);
    struct got *g = fresh();
    g->lim.max_member_bytes = 1000;
    g->lim.max_entries = 3;
    assert_int_equal(scan_buf(g, "l.tgz", b.data, b.len), PIISCAN_OK);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->bytes[0], 1000); /* the first 1000 bytes are still scanned */
    assert_int_equal(g->end[0], PIISCAN_ELIMIT);
    assert_int_equal(g->bytes[1], 4);
    assert_int_equal(g->nw, 2);
    assert_string_equal(g->wpath[0], "l.tgz!1.txt");
    assert_non_null(strstr(g->wmsg[0], "(max_member_bytes)"));
    assert_string_equal(g->wpath[1], "l.tgz");
    assert_string_equal(g->wmsg[1], "stopped after 3 entries (max_entries)");
    ps_buf_free(&b);
}

/* Budget of the top-level file: once exhausted, one warning, nothing more. */
static void test_budget(void **state)
{
    struct ps_buf b;
    char blk[4096];
    (void)state;
    memset(blk, 'y', sizeof(blk));
    struct ent e[] = {
        {"1.txt", blk, sizeof(blk)}, {"2.txt", blk, sizeof(blk)}, {"3.txt", blk, sizeof(blk)}};
    assert_int_equal(build(&b, "ustar", NULL, NULL, NULL, e, 3), 0);
    struct got *g = fresh();
    g->lim.max_file_bytes = 6000;
    assert_int_equal(scan_buf(g, "b.tar", b.data, b.len), PIISCAN_OK);
    assert_int_equal(g->n, 2);
    assert_int_equal(g->bytes[0], 4096);
    assert_int_equal(g->end[1], PIISCAN_ELIMIT);
    assert_true(g->budget.is_exhausted);
    assert_int_equal(g->nw, 1);
    assert_string_equal(g->wpath[0], "b.tar!2.txt");
    assert_non_null(strstr(g->wmsg[0], "rest of the file not scanned"));
    ps_buf_free(&b);
}

/* 7z must be read whole: over the buffer cap it is skipped with a warning; a zip over
 * the cap is streamed and read fully. */
static void test_buffer_cap(void **state)
{
    struct ps_buf b;
    (void)state;
    assert_int_equal(build(&b, "7zip", NULL, NULL, NULL, three, 4), 0);
    struct got *g = fresh();
    g->lim.max_buffer_bytes = 64;
    assert_int_equal(scan_buf(g, "x.7z", b.data, b.len), PIISCAN_OK);
    assert_int_equal(g->n, 0);
    assert_int_equal(g->nw, 1);
    assert_int_equal(g->wst[0], PIISCAN_ELIMIT);
    assert_non_null(strstr(g->wmsg[0], "(max_buffer_bytes)"));
    ps_buf_free(&b);

    assert_int_equal(build(&b, "zip", NULL, NULL, NULL, three, 4), 0);
    g = fresh();
    g->lim.max_buffer_bytes = 64;
    assert_int_equal(scan_buf(g, "x.zip", b.data, b.len), PIISCAN_OK);
    expect_three(g, "x.zip");
    ps_buf_free(&b);
}

static void test_hostile_names_and_abort(void **state)
{
    struct ps_buf b;
    (void)state;
    static const struct ent e[] = {{"evil\n\x1b[2Jname.txt", "x\n", 0}, {"ok.txt", "y\n", 0}};
    assert_int_equal(build(&b, "ustar", NULL, NULL, NULL, e, 2), 0);
    struct got *g = fresh();
    assert_int_equal(scan_buf(g, "h.tar", b.data, b.len), PIISCAN_OK);
    assert_int_equal(g->n, 2);
    assert_string_equal(g->lpath[0], "h.tar!evil??[2Jname.txt");
    g = fresh();
    g->abort_after = 1;
    assert_int_equal(scan_buf(g, "h.tar", b.data, b.len), PIISCAN_EABORTED);
    assert_int_equal(g->n, 1);
    ps_buf_free(&b);
}

/* The parent stream fails in the middle: the reader returns that status and does not
 * warn (the parent reports it). */
struct failing {
    const char *p;
    size_t len;
    size_t pos;
    size_t fail_at;
};

static piiscan_status failing_next(void *h, const void **buf, size_t *len)
{
    struct failing *f = h;
    if (f->pos >= f->fail_at)
        return PIISCAN_ELIMIT;
    size_t n = f->fail_at - f->pos < 512 ? f->fail_at - f->pos : 512;
    *buf = f->p + f->pos;
    *len = n;
    f->pos += n;
    return PIISCAN_OK;
}

static void test_parent_failure(void **state)
{
    struct ps_buf b;
    static char big[200000];
    (void)state;
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + (i * 31) % 26);
    struct ent e[] = {{"a.txt", "alpha\n", 0}, {"big.txt", big, sizeof(big)}, {"c.txt", "c\n", 0}};
    assert_int_equal(build(&b, "ustar", NULL, NULL, NULL, e, 3), 0);
    /* past what the format bidders read ahead (an error there fails the open) */
    struct failing f = {b.data, b.len, 0, 100000};
    struct ps_stream s = {failing_next, &f, 0};
    struct got *g = fresh();
    assert_int_equal(open_it(g, "p.tar", 0, &s), PIISCAN_ELIMIT);
    assert_int_equal(g->nw, 0);
    assert_int_equal(g->n, 2);
    assert_int_equal(g->bytes[0], 6);
    assert_string_equal(g->lpath[1], "p.tar!big.txt");
    assert_true(g->bytes[1] > 50000 && g->bytes[1] < 100000);
    ps_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_targz_7z_tar),
        cmocka_unit_test(test_single_compressed_streams),
        cmocka_unit_test(test_raw_names),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_truncated_zip),
        cmocka_unit_test(test_garbage_and_plain),
        cmocka_unit_test(test_encrypted_zip),
        cmocka_unit_test(test_encrypted_7z),
        cmocka_unit_test(test_mutations_never_crash),
        cmocka_unit_test(test_ratio_bomb),
        cmocka_unit_test(test_member_and_entry_limits),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_buffer_cap),
        cmocka_unit_test(test_hostile_names_and_abort),
        cmocka_unit_test(test_parent_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
