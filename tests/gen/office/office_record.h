/* tests/gen/office/office_record.h - a ps_office_sink for unit tests that writes
 * every call down as one line, so a test can compare what a parser produced with
 * an exact list:
 *   row     "<part>[!<sub>]:<row>: A2[Employee Name]=Maria Garcia | B2[SSN]=..."
 *           (the "A2" reference and "[header]" only when the parser gave them)
 *   text    "<part>#<n>: <text>"  (part "" for the document body)
 *   warning "W <part> <STATUS>: <message>"
 * Expected lines ending in '*' match by prefix (expat and libarchive messages).
 * rec_zip() builds small zip packages in memory for hostile cases.
 * Header-only, included by the office tests (test_xlsx.c, test_docx.c, ...).
 */
#ifndef PS_TEST_OFFICE_RECORD_H
#define PS_TEST_OFFICE_RECORD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "extract/office.h"
#include "piiscan/piiscan.h"

#define REC_MAX_LINES 4096

struct rec {
    char *lines[REC_MAX_LINES];
    size_t n;
    size_t abort_after; /* return EABORTED from the call after this many lines (0 = never) */
};

static inline const char *rec_status(piiscan_status st)
{
    static const char *const names[] = {"OK",           "ENOMEM",   "EIO",    "EINVAL",
                                        "ERULES",       "ECORRUPT", "ELIMIT", "EENCRYPTED",
                                        "EUNSUPPORTED", "EABORTED"};
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

static inline piiscan_status rec_push(struct rec *r, const char *line)
{
    assert_true(r->n < REC_MAX_LINES);
    r->lines[r->n] = strdup(line);
    assert_non_null(r->lines[r->n]);
    r->n++;
    if (r->abort_after > 0 && r->n >= r->abort_after)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}

/* Appends to a fixed line buffer, silently cut (tests keep lines short). */
static inline void rec_cat(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;

    if (len + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

static inline piiscan_status rec_row(void *ctx, const struct ps_office_row *row)
{
    char line[8192] = "";

    rec_cat(line, sizeof line, "%s%s%s:%llu:", row->part ? row->part : "", row->sub ? "!" : "",
            row->sub ? row->sub : "", (unsigned long long)row->rownum);
    for (size_t i = 0; i < row->ncells; i++) {
        assert_int_equal(strlen(row->cells[i]), row->lens[i]);
        rec_cat(line, sizeof line, "%s ", i ? " |" : "");
        if (row->refs)
            rec_cat(line, sizeof line, "%s", row->refs[i]);
        if (row->headers && row->headers[i])
            rec_cat(line, sizeof line, "[%s]", row->headers[i]);
        rec_cat(line, sizeof line, "=%s", row->cells[i]);
    }
    return rec_push(ctx, line);
}

static inline piiscan_status rec_text(void *ctx, const struct ps_office_para *p)
{
    char line[8192] = "";

    assert_int_equal(strlen(p->text), p->len);
    rec_cat(line, sizeof line, "%s#%llu: %s", p->part ? p->part : "", (unsigned long long)p->number,
            p->text);
    return rec_push(ctx, line);
}

static inline piiscan_status rec_warn(void *ctx, const char *part, piiscan_status st,
                                      const char *msg)
{
    char line[1024] = "";

    rec_cat(line, sizeof line, "W %s %s: %s", part ? part : "-", rec_status(st), msg);
    return rec_push(ctx, line);
}

static inline piiscan_status rec_embedded(void *ctx, const char *name, const char *buf, size_t len)
{
    char line[1024] = "";

    rec_cat(line, sizeof line, "E %s %zu bytes, %.2s", name, len, buf);
    return rec_push(ctx, line);
}

static inline void rec_init(struct rec *r, struct ps_office_sink *sink)
{
    memset(r, 0, sizeof *r);
    sink->row = rec_row;
    sink->text = rec_text;
    sink->warn = rec_warn;
    sink->ctx = r;
    sink->embedded = rec_embedded;
}

static inline void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->lines[i]);
    r->n = 0;
}

static inline void rec_dump(const struct rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        print_message("  got[%zu] %s\n", i, r->lines[i]);
}

/* The recorded lines equal want[0..n) (a trailing '*' in want = prefix match). */
static inline void rec_expect(const struct rec *r, const char *const *want, size_t n)
{
    bool ok = r->n == n;

    for (size_t i = 0; ok && i < n; i++) {
        size_t wl = strlen(want[i]);
        if (wl > 0 && want[i][wl - 1] == '*')
            ok = strncmp(r->lines[i], want[i], wl - 1) == 0;
        else
            ok = strcmp(r->lines[i], want[i]) == 0;
        if (!ok)
            print_message("line %zu differs:\n  want %s\n  got  %s\n", i, want[i], r->lines[i]);
    }
    if (!ok) {
        rec_dump(r);
        fail_msg("recorded %zu lines, expected %zu", r->n, n);
    }
}

/* True when some recorded line contains needle. */
static inline bool rec_has(const struct rec *r, const char *needle)
{
    for (size_t i = 0; i < r->n; i++)
        if (strstr(r->lines[i], needle) != NULL)
            return true;
    return false;
}

/* Reads a generated fixture from the build tree (caller frees). */
static inline char *rec_fixture(const char *name, size_t *len)
{
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof path, "%s/fixtures/office/%s", PIISCAN_TEST_BUILD_DIR, name);
    f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("fixture %s missing: build the office_fixtures target", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

struct rec_part {
    const char *name;
    const char *text;
};

/* A zip of the given parts, in memory (caller frees). */
static inline char *rec_zip(const struct rec_part *parts, size_t n, size_t *len)
{
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    struct archive *a = archive_write_new();

    assert_non_null(buf);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, buf, cap, len), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, parts[i].name);
        archive_entry_set_size(e, (la_int64_t)strlen(parts[i].text));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, parts[i].text, strlen(parts[i].text)),
                         (la_ssize_t)strlen(parts[i].text));
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return buf;
}

/* ---- the whole pipeline: piiscan_scan_path with the real rules ---- */

struct rec_scan {
    struct rec r;
    const char *const *cats; /* categories kept (NULL-terminated list) */
};

static inline bool rec_cat_kept(const struct rec_scan *s, const char *cat)
{
    for (size_t i = 0; s->cats[i] != NULL; i++)
        if (strcmp(s->cats[i], cat) == 0)
            return true;
    return false;
}

/* Events as lines: "F <category> <lpath>:<line> [<field>] <value> #<record>",
 * "W <lpath> <STATUS> partial|whole: <message>", "B <lpath> <format>". */
static inline int rec_scan_event(const piiscan_event *ev, void *user)
{
    struct rec_scan *s = user;
    char line[2048] = "";

    if (ev->kind == PIISCAN_EV_FINDING) {
        const piiscan_finding *f = ev->finding;
        const char *cat = piiscan_category_name(f->category);
        if (!rec_cat_kept(s, cat))
            return PIISCAN_CONTINUE;
        rec_cat(line, sizeof line, "F %s %s:%llu [%s] %s #%llu", cat, f->lpath,
                (unsigned long long)f->line, f->field ? f->field : "", f->value,
                (unsigned long long)f->record);
    } else if (ev->kind == PIISCAN_EV_WARNING) {
        rec_cat(line, sizeof line, "W %s %s %s: %s", ev->warning->lpath,
                rec_status((piiscan_status)ev->warning->status),
                ev->warning->is_partial ? "partial" : "whole", ev->warning->message);
    } else if (ev->kind == PIISCAN_EV_FILE_BEGIN) {
        rec_cat(line, sizeof line, "B %s %s", ev->file->lpath, ev->file->format);
    } else {
        return PIISCAN_CONTINUE;
    }
    rec_push(&s->r, line);
    return PIISCAN_CONTINUE;
}

/* Scans the generated fixture `name` under the logical path `name`. */
static inline void rec_scan_fixture(const char *name, struct rec_scan *s)
{
    char path[1024];
    piiscan_rules *rules = NULL;
    piiscan_scanner *sc = NULL;
    piiscan_options opt;
    piiscan_diag diag;

    snprintf(path, sizeof path, "%s/fixtures/office/%s", PIISCAN_TEST_BUILD_DIR, name);
    memset(&s->r, 0, sizeof s->r);
    if (piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &diag) != PIISCAN_OK)
        fail_msg("rules: %s", diag.message);
    piiscan_options_init(&opt);
    assert_int_equal(piiscan_scanner_new(rules, &opt, &sc), PIISCAN_OK);
    assert_int_equal(piiscan_scan_path(sc, path, name, rec_scan_event, s), PIISCAN_OK);
    piiscan_scanner_free(sc);
    piiscan_rules_free(rules);
}

/* ---- mutation runs: hostile bytes must never crash a parser ---- */

typedef piiscan_status (*rec_parse_fn)(const char *buf, size_t len,
                                       const struct ps_office_limits *lim,
                                       const struct ps_office_sink *sink);

static inline piiscan_status rec_null_row(void *ctx, const struct ps_office_row *row)
{
    size_t *n = ctx;

    for (size_t i = 0; i < row->ncells; i++)
        assert_int_equal(strlen(row->cells[i]), row->lens[i]);
    (*n)++;
    return PIISCAN_OK;
}

static inline piiscan_status rec_null_text(void *ctx, const struct ps_office_para *p)
{
    size_t *n = ctx;

    assert_int_equal(strlen(p->text), p->len);
    (*n)++;
    return PIISCAN_OK;
}

static inline piiscan_status rec_null_warn(void *ctx, const char *part, piiscan_status st,
                                           const char *msg)
{
    (void)ctx;
    (void)part;
    assert_true(st != PIISCAN_OK);
    assert_non_null(msg);
    return PIISCAN_OK;
}

/* Runs parse over `rounds` mutants of the fixture (deterministic): random byte
 * changes, truncations, and both; every run must return OK (problems are
 * warnings) under ASan/UBSan. Returns the units handed out, to show the
 * mutants were not all rejected at the door. */
static inline size_t rec_mutate(const char *name, rec_parse_fn parse, unsigned rounds)
{
    struct ps_office_limits lim;
    size_t units = 0;
    struct ps_office_sink sink = {rec_null_row, rec_null_text, rec_null_warn, &units, NULL};
    size_t len;
    char *orig = rec_fixture(name, &len);
    char *buf = malloc(len + 1);
    uint64_t x = 0x9E3779B97F4A7C15ULL;

    assert_non_null(buf);
    ps_office_limits_init(&lim, NULL);
    for (unsigned r = 0; r < rounds; r++) {
        size_t n = len;
        memcpy(buf, orig, len);
        for (unsigned k = 0; k < 1 + r % 8; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[x % len] = (char)(x >> 32);
        }
        if (r % 3 == 1)
            n = (size_t)((x >> 20) % len);
        assert_int_equal(parse(buf, n, &lim, &sink), PIISCAN_OK);
    }
    free(buf);
    free(orig);
    return units;
}

#endif
