/* test_pipeline.c - the scanner end to end through the public API, with the real
 * rules: events in order (FILE_BEGIN, FINDING, WARNING, FILE_END), logical paths
 * through nested archives, charsets, chunk boundaries, bounds, abort, paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "piiscan/piiscan.h"
#include "util/buf.h"
#include "util/limits.h"

static piiscan_rules *rules;

/* Events as one line each:
 *   "B <depth> <lpath> <format> <mime> <charset>[ skipped]"
 *   "F <category> <value> @<offset> L<line> <lpath>"
 *   "W <lpath> <status>[ partial]: <message>"
 *   "E <lpath> <bytes>" */
struct evlog {
    char (*lines)[600];
    size_t n;
    size_t cap;
    size_t findings;
    size_t warnings;
    size_t abort_after_findings;
    bool keep_findings; /* false: count findings only (big inputs) */
};

static int on_event(const piiscan_event *ev, void *user)
{
    struct evlog *l = user;
    char line[600] = "";
    switch (ev->kind) {
    case PIISCAN_EV_FILE_BEGIN:
        snprintf(line, sizeof(line), "B %u %s %s %s %s%s", ev->file->depth, ev->file->lpath,
                 ev->file->format, ev->file->mime, ev->file->charset,
                 ev->file->is_skipped ? " skipped" : "");
        break;
    case PIISCAN_EV_FILE_END:
        snprintf(line, sizeof(line), "E %s %llu", ev->file->lpath,
                 (unsigned long long)ev->file->bytes);
        break;
    case PIISCAN_EV_WARNING:
        l->warnings++;
        snprintf(line, sizeof(line), "W %s %d%s: %s", ev->warning->lpath, ev->warning->status,
                 ev->warning->is_partial ? " partial" : "", ev->warning->message);
        break;
    case PIISCAN_EV_FINDING:
        l->findings++;
        snprintf(line, sizeof(line), "F %s %s @%llu L%llu %s",
                 piiscan_category_name(ev->finding->category), ev->finding->value,
                 (unsigned long long)ev->finding->offset, (unsigned long long)ev->finding->line,
                 ev->finding->lpath);
        if (!l->keep_findings)
            line[0] = '\0';
        break;
    }
    if (line[0] != '\0') {
        if (l->n == l->cap) {
            l->cap = l->cap != 0 ? l->cap * 2 : 64;
            l->lines = realloc(l->lines, l->cap * sizeof(*l->lines));
            assert_non_null(l->lines);
        }
        memcpy(l->lines[l->n++], line, sizeof(line));
    }
    if (ev->kind == PIISCAN_EV_FINDING && l->abort_after_findings != 0 &&
        l->findings >= l->abort_after_findings)
        return PIISCAN_ABORT;
    return PIISCAN_CONTINUE;
}

static void dump(const struct evlog *l)
{
    for (size_t i = 0; i < l->n; i++)
        printf("# %s\n", l->lines[i]);
}

static void expect_events(struct evlog *l, const char *const *want, size_t n)
{
    if (l->n != n)
        dump(l);
    for (size_t i = 0; i < n && i < l->n; i++) {
        if (strcmp(l->lines[i], want[i]) != 0)
            dump(l);
        assert_string_equal(l->lines[i], want[i]);
    }
    assert_int_equal(l->n, n);
    free(l->lines);
    memset(l, 0, sizeof(*l));
}

static piiscan_scanner *scanner(const piiscan_options *o)
{
    piiscan_scanner *sc = NULL;
    assert_int_equal(piiscan_scanner_new(rules, o, &sc), PIISCAN_OK);
    return sc;
}

static int setup(void **state)
{
    piiscan_diag d;
    (void)state;
    return piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &d) == PIISCAN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    piiscan_rules_free(rules);
    return 0;
}

/* ---- archives, built with libarchive's write API ---- */

struct ent {
    const char *name;
    const char *data;
    size_t len;
};

static la_ssize_t w_cb(struct archive *a, void *ctx, const void *buf, size_t n)
{
    (void)a;
    return ps_buf_append(ctx, buf, n) == PIISCAN_OK ? (la_ssize_t)n : -1;
}

static void build(struct ps_buf *out, const char *format, const char *filter, const struct ent *e,
                  size_t n)
{
    struct archive *a = archive_write_new();
    ps_buf_init(out, 256u * 1024u * 1024u);
    assert_int_equal(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter != NULL)
        assert_int_equal(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    archive_write_set_bytes_in_last_block(a, 1);
    assert_int_equal(archive_write_open(a, out, NULL, w_cb, NULL), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        size_t len = e[i].len != 0 ? e[i].len : strlen(e[i].data);
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, (la_int64_t)len);
        assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, e[i].data, len), (la_ssize_t)len);
        archive_entry_free(ae);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* ---- tests ---- */

static void test_text_buffer(void **state)
{
    static struct evlog l;
    piiscan_scanner *sc = scanner(NULL);
    static const char memo[] = "Payroll memo\nEmployee SSN 536-22-8417, phone none.\n"
                               "order 536228417123 is not one\n";
    static const char *const want[] = {
        "B 0 memo.txt text text/plain us-ascii",
        "F ssn 536-22-8417 @26 L2 memo.txt",
        "E memo.txt 81",
    };
    (void)state;
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "memo.txt", memo, sizeof(memo) - 1, on_event, &l),
                     PIISCAN_OK);
    expect_events(&l, want, 3);
    piiscan_scanner_free(sc);
}

static void test_utf16_and_latin1(void **state)
{
    static struct evlog l;
    piiscan_scanner *sc = scanner(NULL);
    static const char txt[] = "Caf\xc3\xa9 staff: SSN 536-22-8417\n";
    char u16[128];
    size_t n = 0;
    (void)state;
    l.keep_findings = true;
    /* UTF-16LE with BOM: the ASCII and the e-acute as code units */
    u16[n++] = (char)0xff;
    u16[n++] = (char)0xfe;
    for (const char *p = "Caf"; *p != '\0'; p++) {
        u16[n++] = *p;
        u16[n++] = 0;
    }
    u16[n++] = (char)0xe9;
    u16[n++] = 0;
    for (const char *p = " staff: SSN 536-22-8417\n"; *p != '\0'; p++) {
        u16[n++] = *p;
        u16[n++] = 0;
    }
    assert_int_equal(piiscan_scan_buffer(sc, "u16.txt", u16, n, on_event, &l), PIISCAN_OK);
    static const char *const want16[] = {
        "B 0 u16.txt text text/plain utf-16le",
        "F ssn 536-22-8417 @17 L1 u16.txt",
        "E u16.txt 58",
    };
    expect_events(&l, want16, 3);
    /* Latin-1: offsets are in the decoded UTF-8 stream (e-acute is 2 bytes there) */
    l.keep_findings = true;
    static const char l1[] = "Caf\xe9 staff: SSN 536-22-8417\n";
    assert_int_equal(piiscan_scan_buffer(sc, "l1.txt", l1, sizeof(l1) - 1, on_event, &l),
                     PIISCAN_OK);
    static const char *const want1[] = {
        "B 0 l1.txt text text/plain iso-8859-1",
        "F ssn 536-22-8417 @17 L1 l1.txt",
        "E l1.txt 28",
    };
    expect_events(&l, want1, 3);
    (void)txt;
    piiscan_scanner_free(sc);
}

static void test_nested_archives(void **state)
{
    static struct evlog l;
    struct ps_buf inner, mid, outer, gz;
    piiscan_scanner *sc = scanner(NULL);
    (void)state;
    static const struct ent deep[] = {{"2014/pay.txt", "Name: Amy\nSSN: 536-22-8417\n", 0}};
    build(&inner, "zip", NULL, deep, 1);
    static const struct ent one[] = {{"data", "id,ssn\n1,536-22-8418\n", 0}};
    build(&gz, "raw", "gzip", one, 1);
    struct ent m[] = {{"hr/payroll.zip", inner.data, inner.len},
                      {"hr/payroll.csv.gz", gz.data, gz.len}};
    build(&mid, "ustar", "gzip", m, 2);
    unsigned char bin[300];
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (unsigned char)(i * 151 + 7);
    struct ent o[] = {{"mid.tar.gz", mid.data, mid.len}, {"blob.bin", (char *)bin, sizeof(bin)}};
    build(&outer, "zip", NULL, o, 2);
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "dump.zip", outer.data, outer.len, on_event, &l),
                     PIISCAN_OK);
    char e_outer[64];
    char e_mid[64];
    char e_inner[96];
    char e_gz[96];
    snprintf(e_outer, sizeof(e_outer), "E dump.zip %zu", outer.len);
    snprintf(e_mid, sizeof(e_mid), "E dump.zip!mid.tar.gz %zu", mid.len);
    snprintf(e_inner, sizeof(e_inner), "E dump.zip!mid.tar.gz!hr/payroll.zip %zu", inner.len);
    snprintf(e_gz, sizeof(e_gz), "E dump.zip!mid.tar.gz!hr/payroll.csv.gz %zu", gz.len);
    const char *const want[] = {
        "B 0 dump.zip archive application/zip ",
        "B 1 dump.zip!mid.tar.gz archive application/gzip ",
        "B 2 dump.zip!mid.tar.gz!hr/payroll.zip archive application/zip ",
        "B 3 dump.zip!mid.tar.gz!hr/payroll.zip!2014/pay.txt text text/plain us-ascii",
        "F ssn 536-22-8417 @15 L2 dump.zip!mid.tar.gz!hr/payroll.zip!2014/pay.txt",
        "E dump.zip!mid.tar.gz!hr/payroll.zip!2014/pay.txt 27",
        e_inner,
        "B 2 dump.zip!mid.tar.gz!hr/payroll.csv.gz archive application/gzip ",
        "B 3 dump.zip!mid.tar.gz!hr/payroll.csv.gz!payroll.csv text text/plain us-ascii",
        "F ssn 536-22-8418 @9 L2 dump.zip!mid.tar.gz!hr/payroll.csv.gz!payroll.csv",
        "E dump.zip!mid.tar.gz!hr/payroll.csv.gz!payroll.csv 21",
        e_gz,
        e_mid,
        "B 1 dump.zip!blob.bin binary application/octet-stream  skipped",
        "E dump.zip!blob.bin 300",
        e_outer,
    };
    expect_events(&l, want, sizeof(want) / sizeof(want[0]));

    /* --max-depth 1: the members of mid.tar.gz are not opened */
    piiscan_options o1;
    piiscan_options_init(&o1);
    o1.max_depth = 1;
    piiscan_scanner *sc1 = scanner(&o1);
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc1, "dump.zip", outer.data, outer.len, on_event, &l),
                     PIISCAN_OK);
    assert_int_equal(l.findings, 0);
    assert_int_equal(l.warnings, 2);
    assert_string_equal(l.lines[2], "W dump.zip!mid.tar.gz!hr/payroll.zip 6: skipped: nested "
                                    "deeper than 1 (--max-depth)");
    free(l.lines);
    memset(&l, 0, sizeof(l));
    piiscan_scanner_free(sc1);
    ps_buf_free(&inner);
    ps_buf_free(&mid);
    ps_buf_free(&outer);
    ps_buf_free(&gz);
    piiscan_scanner_free(sc);
}

/* SSNs around the chunk boundaries (PS_CHUNK_BYTES) of a long text: each found once,
 * at its true offset and line - one starts on a boundary, one ends on one, one
 * straddles one. */
static void test_chunk_boundary(void **state)
{
    static struct evlog l;
    piiscan_scanner *sc = scanner(NULL);
    const size_t b = PS_CHUNK_BYTES;
    size_t n = 4 * b;
    char *t = malloc(n);
    (void)state;
    assert_non_null(t);
    /* a newline at column 31 of every 64 bytes: none falls inside the values */
    for (size_t i = 0; i < n; i++)
        t[i] = (i % 64 == 31) ? '\n' : 'x';
    size_t at[] = {b - 30, b, 2 * b - 11, 3 * b - 6};
    for (size_t i = 0; i < 4; i++) {
        t[at[i] - 1] = ' ';
        memcpy(t + at[i], "536-22-8417", 11);
        t[at[i] + 11] = ' ';
    }
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "big.txt", t, n, on_event, &l), PIISCAN_OK);
    if (l.findings != 4)
        dump(&l);
    assert_int_equal(l.findings, 4);
    char want[4][96];
    for (size_t i = 0; i < 4; i++) {
        size_t line = at[i] / 64 + 1 + (at[i] % 64 > 31 ? 1 : 0);
        snprintf(want[i], sizeof(want[i]), "F ssn 536-22-8417 @%zu L%zu big.txt", at[i], line);
        assert_string_equal(l.lines[1 + i], want[i]);
    }
    free(l.lines);
    memset(&l, 0, sizeof(l));
    free(t);
    piiscan_scanner_free(sc);
}

static void test_abort_and_confidence(void **state)
{
    static struct evlog l;
    static const char two[] = "SSN 536-22-8417 and SSN 536-22-8418\n";
    piiscan_scanner *sc = scanner(NULL);
    (void)state;
    l.keep_findings = true;
    l.abort_after_findings = 1;
    assert_int_equal(piiscan_scan_buffer(sc, "a.txt", two, sizeof(two) - 1, on_event, &l),
                     PIISCAN_EABORTED);
    static const char *const want[] = {
        "B 0 a.txt text text/plain us-ascii",
        "F ssn 536-22-8417 @4 L1 a.txt",
    };
    expect_events(&l, want, 2);
    /* the scanner is reusable after an abort */
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "a.txt", two, sizeof(two) - 1, on_event, &l),
                     PIISCAN_OK);
    assert_int_equal(l.findings, 2);
    free(l.lines);
    memset(&l, 0, sizeof(l));
    piiscan_scanner_free(sc);

    piiscan_options o;
    piiscan_options_init(&o);
    o.min_confidence = 0.999;
    sc = scanner(&o);
    assert_int_equal(piiscan_scan_buffer(sc, "a.txt", two, sizeof(two) - 1, on_event, &l),
                     PIISCAN_OK);
    assert_int_equal(l.findings, 0);
    free(l.lines);
    memset(&l, 0, sizeof(l));
    piiscan_scanner_free(sc);
}

static void test_paths_and_fds(void **state)
{
    static struct evlog l;
    char dir[] = "/tmp/piiscan-pipe-XXXXXX";
    char p[128], q[128], fifo[128];
    piiscan_scanner *sc = scanner(NULL);
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/f.txt", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("SSN 536-22-8417\n", f);
    fclose(f);
    snprintf(q, sizeof(q), "%s/link.txt", dir);
    assert_int_equal(symlink(p, q), 0);
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);

    l.keep_findings = true;
    assert_int_equal(piiscan_scan_path(sc, p, "f.txt", on_event, &l), PIISCAN_OK);
    assert_int_equal(piiscan_scan_path(sc, q, "link.txt", on_event, &l), PIISCAN_OK);
    /* a FIFO is refused without blocking (O_NONBLOCK, then fstat) */
    assert_int_equal(piiscan_scan_path(sc, fifo, "fifo", on_event, &l), PIISCAN_OK);
    assert_int_equal(piiscan_scan_path(sc, "/nonexistent/x", NULL, on_event, &l), PIISCAN_OK);
    char w_missing[128];
    snprintf(w_missing, sizeof(w_missing), "W /nonexistent/x 2: cannot open: %s", strerror(ENOENT));
    const char *const want[] = {
        "B 0 f.txt text text/plain us-ascii",
        "F ssn 536-22-8417 @4 L1 f.txt",
        "E f.txt 16",
        "W link.txt 2: skipped: symbolic link (--follow)",
        "W fifo 8: skipped: not a regular file",
        w_missing,
    };
    expect_events(&l, want, sizeof(want) / sizeof(want[0]));

    /* with follow_symlinks the link is read */
    piiscan_options o;
    piiscan_options_init(&o);
    o.follow_symlinks = true;
    piiscan_scanner *sf = scanner(&o);
    assert_int_equal(piiscan_scan_path(sf, q, "link.txt", on_event, &l), PIISCAN_OK);
    assert_int_equal(l.findings, 1);
    free(l.lines);
    memset(&l, 0, sizeof(l));
    piiscan_scanner_free(sf);

    /* a pipe, as stdin would be */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "SSN 536-22-8417\n", 16), 16);
    close(fds[1]);
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_fd(sc, fds[0], NULL, on_event, &l), PIISCAN_OK);
    close(fds[0]);
    static const char *const want_fd[] = {
        "B 0 - text text/plain us-ascii",
        "F ssn 536-22-8417 @4 L1 -",
        "E - 16",
    };
    expect_events(&l, want_fd, 3);
    unlink(p);
    unlink(q);
    unlink(fifo);
    rmdir(dir);
    piiscan_scanner_free(sc);
}

/* A 42.zip-like bomb: 4 levels of 16 zips, innermost 16 members of 4 MiB of zeros
 * (16^4 * 16 * 4 MiB = 4 TiB expanded). Must end within seconds, with one warning. */
static void test_nested_bomb(void **state)
{
    static struct evlog l;
    struct ps_buf lvl, next;
    size_t zn = 4u * 1024u * 1024u;
    char *z = calloc(1, zn);
    struct ent e[16];
    char names[16][16];
    piiscan_scanner *sc = scanner(NULL);
    (void)state;
    assert_non_null(z);
    for (int i = 0; i < 16; i++) {
        snprintf(names[i], sizeof(names[i]), "%x.bin", i);
        e[i].name = names[i];
        e[i].data = z;
        e[i].len = zn;
    }
    build(&lvl, "zip", NULL, e, 16);
    free(z);
    for (int level = 0; level < 4; level++) {
        for (int i = 0; i < 16; i++) {
            snprintf(names[i], sizeof(names[i]), "%d-%x.zip", level, i);
            e[i].data = lvl.data;
            e[i].len = lvl.len;
        }
        build(&next, "zip", NULL, e, 16);
        ps_buf_free(&lvl);
        lvl = next;
    }
    time_t t0 = time(NULL);
    assert_int_equal(piiscan_scan_buffer(sc, "42.zip", lvl.data, lvl.len, on_event, &l),
                     PIISCAN_OK);
    assert_true(time(NULL) - t0 < 20);
    if (getenv("PS_TEST_VERBOSE") != NULL)
        dump(&l);
    assert_int_equal(l.warnings, 1);
    bool seen = false;
    for (size_t i = 0; i < l.n; i++) {
        if (l.lines[i][0] == 'W') {
            assert_non_null(strstr(l.lines[i], "rest of the file not scanned"));
            seen = true;
        }
    }
    assert_true(seen);
    assert_string_equal(l.lines[l.n - 1] + 0, l.lines[l.n - 1]);
    assert_int_equal(strncmp(l.lines[l.n - 1], "E 42.zip ", 9), 0);
    free(l.lines);
    memset(&l, 0, sizeof(l));
    ps_buf_free(&lvl);
    piiscan_scanner_free(sc);
}

/* --scan-binary: strings of binary data (ASCII and UTF-16LE) are scanned. */
static void test_scan_binary(void **state)
{
    static struct evlog l;
    unsigned char bin[600];
    size_t n = 0;
    (void)state;
    for (size_t i = 0; i < 200; i++)
        bin[n++] = (unsigned char)(i * 151 + 7) | 0x80;
    memcpy(bin + n, "\0SSN 536-22-8417\0", 17);
    n += 17;
    for (size_t i = 0; i < 100; i++)
        bin[n++] = (unsigned char)(i * 13) | 0x80;
    for (const char *p = "\1SSN 536-22-8418"; *p != '\0'; p++) {
        bin[n++] = (unsigned char)*p;
        bin[n++] = 0;
    }
    for (size_t i = 0; i < 100; i++)
        bin[n++] = (unsigned char)(i * 29) | 0x80;
    piiscan_scanner *sc = scanner(NULL);
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "x.bin", bin, n, on_event, &l), PIISCAN_OK);
    assert_int_equal(l.findings, 0);
    assert_int_equal(strncmp(l.lines[0], "B 0 x.bin binary ", 17), 0);
    free(l.lines);
    memset(&l, 0, sizeof(l));
    piiscan_scanner_free(sc);

    piiscan_options o;
    piiscan_options_init(&o);
    o.scan_binary = true;
    sc = scanner(&o);
    l.keep_findings = true;
    assert_int_equal(piiscan_scan_buffer(sc, "x.bin", bin, n, on_event, &l), PIISCAN_OK);
    char end[32];
    snprintf(end, sizeof(end), "E x.bin %zu", n);
    const char *const want[] = {
        "B 0 x.bin strings application/octet-stream ",
        "F ssn 536-22-8417 @4 L1 x.bin",
        "F ssn 536-22-8418 @20 L2 x.bin",
        end,
    };
    expect_events(&l, want, 4);
    piiscan_scanner_free(sc);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(piiscan_strerror(PIISCAN_ECORRUPT), "corrupt data");
    assert_string_equal(piiscan_strerror(PIISCAN_STATUS_COUNT), "unknown status");
    assert_string_equal(piiscan_category_name(PIISCAN_CAT_CREDIT_CARD), "credit_card");
    assert_null(piiscan_category_name(PIISCAN_CAT_COUNT));
    assert_int_equal(piiscan_category_from_name("drivers_license"), PIISCAN_CAT_DRIVERS_LICENSE);
    assert_int_equal(piiscan_category_from_name("DOB"), -1);
    assert_string_equal(piiscan_version(), "0.1.0");
    piiscan_options o;
    piiscan_options_init(&o);
    assert_int_equal(o.max_depth, 8);
    assert_int_equal(o.max_ratio, 200);
    piiscan_scanner *sc = (piiscan_scanner *)1;
    assert_int_equal(piiscan_scanner_new(NULL, &o, &sc), PIISCAN_EINVAL);
    assert_null(sc);
    piiscan_scanner_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_buffer),
        cmocka_unit_test(test_utf16_and_latin1),
        cmocka_unit_test(test_nested_archives),
        cmocka_unit_test(test_chunk_boundary),
        cmocka_unit_test(test_abort_and_confidence),
        cmocka_unit_test(test_paths_and_fds),
        cmocka_unit_test(test_nested_bomb),
        cmocka_unit_test(test_scan_binary),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
