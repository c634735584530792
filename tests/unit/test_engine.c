/* test_engine.c - the matcher over units: chunk boundaries ([start, limit) makes a
 * match appear exactly once, with the same line / record / offset as one whole
 * scan), line and paragraph numbering, context windows, ROW units with headers
 * and the column classifier hook, confidence arithmetic, offset order, dedupe,
 * the "value" group, prefilters and abort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "helpers.h"

static bool near(double a, double b)
{
    return a > b - 1e-9 && a < b + 1e-9;
}

static struct ps_unit text_unit(const char *text)
{
    struct ps_unit u;
    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_TEXT;
    u.lpath = "memo.txt";
    u.text = text;
    u.len = strlen(text);
    u.limit = u.len;
    u.base_line = 1;
    u.base_para = 1;
    return u;
}

static void test_two_overlapping_units(void **state)
{
    const piiscan_rules *rules = *state;
    /* The SSN straddles byte 20; both units hold the whole text. */
    const char *text = "lead text SSN 123-45-6780 tail";
    struct helper_findings a;
    struct helper_findings b;
    struct ps_unit u = text_unit(text);

    u.limit = 20;
    assert_int_equal(helper_scan_unit(rules, &u, &a), PIISCAN_OK);
    u.start = 20;
    u.limit = u.len;
    assert_int_equal(helper_scan_unit(rules, &u, &b), PIISCAN_OK);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.items[0].value, "123-45-6780");
    assert_int_equal(a.items[0].offset, 14);
    assert_int_equal(b.n, 0);
    /* the match starting exactly at limit belongs to the second unit */
    u.start = 0;
    u.limit = 14;
    assert_int_equal(helper_scan_unit(rules, &u, &a), PIISCAN_OK);
    assert_int_equal(a.n, 0);
    u.start = 14;
    u.limit = u.len;
    assert_int_equal(helper_scan_unit(rules, &u, &b), PIISCAN_OK);
    assert_int_equal(b.n, 1);
    /* look-behind before start still counts: "5123-45-6780" is no SSN */
    u = text_unit("x5123-45-6780");
    u.start = 2;
    assert_int_equal(helper_scan_unit(rules, &u, &b), PIISCAN_OK);
    assert_int_equal(b.n, 0);
}

/* A document with findings of every kind, blank lines, and UTF-8. */
static char *build_document(size_t *len)
{
    static const char *const lines[] = {
        "Payroll export 2014 — confidential\n",
        "Amy Pascal, SSN 234-56-7891, phone (310) 244-4000\n",
        "\n",
        "Card on file: 4111 1111 1111 1111, e-mail amy.pascal@example.com\n",
        "  \t \n",
        "Routing 021000021 for direct deposit; ITIN 912-70-1234.\n",
        "Über-Straße 5 — contact: jörg.müller@example.de or j.mueller@example.de\n",
        "Décoy order 123456789012 and date 2014-03-15, SSN: 078051121\n",
        "\n\n",
        "Mobile 212.555.0143; fax +1 212 555 0199\n",
    };
    size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    size_t n = 0;

    assert_non_null(buf);
    for (int rep = 0; rep < 12; rep++) {
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
            size_t l = strlen(lines[i]);
            assert_true(n + l < cap);
            memcpy(buf + n, lines[i], l);
            n += l;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool same_finding(const struct helper_finding *x, const struct helper_finding *y)
{
    return strcmp(x->rule, y->rule) == 0 && strcmp(x->value, y->value) == 0 &&
           x->offset == y->offset && x->line == y->line && x->record == y->record &&
           near(x->confidence, y->confidence) && strcmp(x->context, y->context) == 0;
}

/* Scans the document in chunks of size chunk with the rules' overlap, the way
 * the pipeline's chunker does, and compares with one whole-text scan. */
static void check_chunking(const piiscan_rules *rules, const char *doc, size_t len, size_t chunk,
                           const struct helper_findings *whole)
{
    size_t overlap = ps_rules_overlap(rules);
    size_t k = 0;

    for (size_t at = 0; at < len; at += chunk) {
        size_t text0 = at > overlap ? at - overlap : 0;
        size_t end = at + chunk + overlap < len ? at + chunk + overlap : len;
        struct ps_unit u;
        struct helper_findings part;
        uint64_t lines;
        uint64_t breaks;

        memset(&u, 0, sizeof u);
        u.kind = PS_UNIT_TEXT;
        u.lpath = "doc.txt";
        u.text = doc + text0;
        u.len = end - text0;
        u.start = at - text0;
        u.limit = (at + chunk < len ? at + chunk : len) - text0;
        u.base_offset = text0;
        /* counted over the stream with look-ahead past text0, as engine.h says */
        ps_engine_count_lines(doc, end, text0, &lines, &breaks);
        u.base_line = 1 + lines;
        u.base_para = 1 + breaks;
        assert_int_equal(helper_scan_unit(rules, &u, &part), PIISCAN_OK);
        for (size_t i = 0; i < part.n; i++, k++) {
            assert_true(k < whole->n);
            if (!same_finding(&part.items[i], &whole->items[k])) {
                print_error("chunk %zu at %zu: finding %zu differs: %s@%llu line %llu rec %llu "
                            "vs %s@%llu line %llu rec %llu\n",
                            chunk, at, k, part.items[i].value,
                            (unsigned long long)part.items[i].offset,
                            (unsigned long long)part.items[i].line,
                            (unsigned long long)part.items[i].record, whole->items[k].value,
                            (unsigned long long)whole->items[k].offset,
                            (unsigned long long)whole->items[k].line,
                            (unsigned long long)whole->items[k].record);
                fail();
            }
        }
    }
    assert_int_equal(k, whole->n);
}

static void test_chunking_equals_whole_scan(void **state)
{
    const piiscan_rules *rules = *state;
    size_t len = 0;
    char *doc = build_document(&len);
    struct helper_findings *whole = calloc(1, sizeof *whole);
    struct ps_unit u;

    assert_non_null(whole);
    u = text_unit(doc);
    u.lpath = "doc.txt";
    assert_int_equal(helper_scan_unit(rules, &u, whole), PIISCAN_OK);
    /* 11 findings per copy, and the name "Amy Pascal" (rules/name.yaml) */
    assert_int_equal(whole->n, 12 * 12);
    /* only the first 64 are kept; compare chunked scans of the prefix holding them */
    /* (cut before the line of the 64th: a line may hold several findings) */
    size_t prefix = whole->items[HELPER_MAX_FINDINGS - 1].offset;
    while (prefix > 0 && doc[prefix - 1] != '\n')
        prefix--;
    prefix--;
    doc[prefix + 1] = '\0';
    u = text_unit(doc);
    assert_int_equal(helper_scan_unit(rules, &u, whole), PIISCAN_OK);
    assert_true(whole->n <= HELPER_MAX_FINDINGS);
    for (size_t chunk = 1; chunk < 700; chunk += 7)
        check_chunking(rules, doc, prefix + 1, chunk, whole);
    free(whole);
    free(doc);
}

static void test_lines_and_records(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;
    struct ps_unit u = text_unit("SSN 234-56-7891\n"
                                 "phone 212-555-0143\n"
                                 "\n"
                                 " \t\n"
                                 "mail a.b@example.com\n"
                                 "\n"
                                 "ITIN 912-70-1234\n");
    u.base_line = 100;
    u.base_para = 7;
    u.base_offset = 1000;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 4);
    assert_string_equal(fs.items[0].category, "ssn");
    assert_int_equal(fs.items[0].line, 100);
    assert_int_equal(fs.items[0].record, 7);
    assert_int_equal(fs.items[0].offset, 1004);
    assert_string_equal(fs.items[1].category, "phone");
    assert_int_equal(fs.items[1].line, 101);
    assert_int_equal(fs.items[1].record, 7);
    assert_string_equal(fs.items[2].category, "email");
    assert_int_equal(fs.items[2].line, 104);
    assert_int_equal(fs.items[2].record, 9);   /* two blank lines: two breaks */
    assert_string_equal(fs.items[3].category, "itin");
    assert_int_equal(fs.items[3].line, 106);
    assert_int_equal(fs.items[3].record, 10);
    /* a unit with a record id gives it to every finding */
    u.record = 42;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    assert_int_equal(fs.items[0].record, 42);
    assert_int_equal(fs.items[3].record, 42);
}

static void test_count_lines(void **state)
{
    uint64_t lines;
    uint64_t breaks;
    const char *t = "a\n\nb\n  \nc\n";
    (void)state;
    ps_engine_count_lines(t, strlen(t), strlen(t), &lines, &breaks);
    assert_int_equal(lines, 5);
    assert_int_equal(breaks, 2);
    /* the '\n' before a blank line counts even when the blank line is past upto */
    ps_engine_count_lines(t, strlen(t), 2, &lines, &breaks);
    assert_int_equal(lines, 1);
    assert_int_equal(breaks, 1);
    ps_engine_count_lines(t, strlen(t), 1, &lines, &breaks);
    assert_int_equal(lines, 0);
    assert_int_equal(breaks, 0);
}

static void test_context_window(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;
    char text[400];
    char want[200];

    /* other lines are cut off; tabs become spaces */
    assert_int_equal(helper_scan_text(rules, "line one\nSSN:\t234-56-7891 ok\nline three", &fs),
                     PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.items[0].context, "SSN: 234-56-7891 ok");
    assert_int_equal(fs.items[0].value_in_context, 5);
    /* 60 bytes each side at most, never half a UTF-8 character */
    memset(text, 0, sizeof text);
    for (int i = 0; i < 40; i++)
        strcat(text, "é");                       /* 80 bytes of 2-byte characters */
    strcat(text, "x 234-56-7891 y");
    for (int i = 0; i < 40; i++)
        strcat(text, "é");
    assert_int_equal(helper_scan_text(rules, text, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    want[0] = '\0';
    for (int i = 0; i < 29; i++)
        strcat(want, "é");                       /* 58 bytes + "x " = 60 */
    strcat(want, "x 234-56-7891 y");
    for (int i = 0; i < 29; i++)
        strcat(want, "é");                       /* " y" + 58 bytes = 60 */
    assert_string_equal(fs.items[0].context, want);
    assert_int_equal(fs.items[0].value_in_context, 60);
}

static void test_confidence(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;

    helper_scan_text(rules, "SSN 234-56-7891", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.95)); /* base + keyword */
    helper_scan_text(rules, "id 234-56-7891", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.80)); /* base */
    helper_scan_text(rules, "x 4111 1111 1111 1111", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.90)); /* base + Luhn */
    helper_scan_text(rules, "visa 4111 1111 1111 1111", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 1.00)); /* clamped */
    helper_scan_text(rules, "order 4111 1111 1111 1111", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.70)); /* negative keyword */
    /* the keyword must be within the window (40 bytes for ssn.formatted) */
    helper_scan_text(rules, "SSN                                           234-56-7891", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.80));
    /* keywords are words: "lesson" holds no "ssn", "SSNs" is a keyword */
    helper_scan_text(rules, "lessn 234-56-7891", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.80));
    helper_scan_text(rules, "EmployeeSSNs: 234-56-7891", &fs);
    assert_true(fs.n == 1 && near(fs.items[0].confidence, 0.95));
}

static void test_offset_order(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;
    struct ps_unit u = text_unit("a@example.com 212-555-0143 234-56-7891 4111111111111111 "
                                 "b@example.com");

    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 5);
    assert_string_equal(fs.items[0].category, "email");
    assert_string_equal(fs.items[1].category, "phone");
    assert_string_equal(fs.items[2].category, "ssn");
    assert_string_equal(fs.items[3].category, "credit_card");
    assert_string_equal(fs.items[4].category, "email");
    for (size_t i = 1; i < fs.n; i++)
        assert_true(fs.items[i - 1].offset < fs.items[i].offset);
}

static int collect_abort(void *ctx, const piiscan_finding *f)
{
    size_t *n = ctx;
    (void)f;
    return ++*n >= 2 ? PIISCAN_ABORT : PIISCAN_CONTINUE;
}

static void test_abort(void **state)
{
    const piiscan_rules *rules = *state;
    struct ps_unit u = text_unit("a@example.com 212-555-0143 234-56-7891");
    struct ps_matcher *m = NULL;
    size_t n = 0;

    assert_int_equal(ps_matcher_new(rules, &m), PIISCAN_OK);
    assert_int_equal(ps_matcher_run(m, &u, collect_abort, &n), PIISCAN_EABORTED);
    assert_int_equal(n, 2);
    ps_matcher_free(m);
}

static int classify(void *ctx, const char *header)
{
    (void)ctx;
    if (strcmp(header, "Identifier") == 0)
        return PIISCAN_CAT_SSN;
    return -1;
}

static void test_row_units(void **state)
{
    const piiscan_rules *rules = *state;
    const char *cells[] = {"Amy Pascal", "078051121", "2125550143", "078051121", "078051121",
                           "a@example.com"};
    const size_t lens[] = {10, 9, 10, 9, 9, 13};
    const char *headers[] = {"Name", "SSN", "Cell Phone", NULL, "Identifier", "E-mail"};
    struct ps_unit u;
    struct helper_findings fs;
    struct ps_matcher *m = NULL;

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_ROW;
    u.lpath = "hr.csv";
    u.ncells = 6;
    u.cells = cells;
    u.cell_lens = lens;
    u.headers = headers;
    u.line = 17;
    u.record = 16;
    u.base_offset = 2000;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    /* the name under "Name" (rules/name.yaml, column classifier of rules/data), bare
     * SSN under "SSN", bare phone under "Cell Phone"; the unlabelled and the
     * "Identifier" columns hold no SSN without a classifier */
    assert_int_equal(fs.n, 4);
    assert_string_equal(fs.items[0].category, "name");
    assert_string_equal(fs.items[0].field, "Name");
    assert_string_equal(fs.items[0].normalized, "amy pascal");
    memmove(&fs.items[0], &fs.items[1], 3 * sizeof fs.items[0]);
    fs.n = 3;
    assert_string_equal(fs.items[0].category, "ssn");
    assert_string_equal(fs.items[0].field, "SSN");
    assert_string_equal(fs.items[0].value, "078051121");
    assert_int_equal(fs.items[0].line, 17);
    assert_int_equal(fs.items[0].record, 16);
    assert_int_equal(fs.items[0].offset, 2000);
    assert_true(near(fs.items[0].confidence, 0.90));
    assert_string_equal(fs.items[1].category, "phone");
    assert_string_equal(fs.items[1].field, "Cell Phone");
    assert_string_equal(fs.items[1].normalized, "2125550143");
    assert_string_equal(fs.items[2].category, "email");
    assert_string_equal(fs.items[2].field, "E-mail");
    /* with the classifier, "Identifier" is an SSN column */
    assert_int_equal(ps_matcher_new(rules, &m), PIISCAN_OK);
    ps_matcher_set_field_class(m, classify, NULL);
    {
        size_t n = 0;
        assert_int_equal(ps_matcher_run(m, &u, collect_abort, &n), PIISCAN_EABORTED);
        assert_int_equal(n, 2);
    }
    ps_matcher_free(m);
    /* no header row at all */
    u.headers = NULL;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 2);
    assert_string_equal(fs.items[0].category, "name"); /* "Amy Pascal" read as text */
    assert_string_equal(fs.items[1].category, "email");
    assert_string_equal(fs.items[1].field, "");
}

static int count_cat(void *ctx, const piiscan_finding *f)
{
    size_t *n = ctx;
    if (f->category == PIISCAN_CAT_SSN && strcmp(f->field, "Identifier") == 0)
        n[1]++;
    n[0]++;
    return PIISCAN_CONTINUE;
}

static void test_field_classifier(void **state)
{
    const piiscan_rules *rules = *state;
    const char *cells[] = {"078051121", "078051121"};
    const size_t lens[] = {9, 9};
    const char *headers[] = {"Identifier", "Other"};
    struct ps_unit u;
    struct ps_matcher *m = NULL;
    size_t n[2] = {0, 0};

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_ROW;
    u.lpath = "hr.csv";
    u.ncells = 2;
    u.cells = cells;
    u.cell_lens = lens;
    u.headers = headers;
    assert_int_equal(ps_matcher_new(rules, &m), PIISCAN_OK);
    ps_matcher_set_field_class(m, classify, NULL);
    assert_int_equal(ps_matcher_run(m, &u, count_cat, n), PIISCAN_OK);
    assert_int_equal(n[0], 1);
    assert_int_equal(n[1], 1);
    ps_matcher_free(m);
}

/* ---------- custom rule sets ---------- */

static piiscan_rules *load_custom(const char *yaml, char *dir, size_t dirlen)
{
    char path[300];
    FILE *fp;
    piiscan_rules *rules = NULL;
    piiscan_diag diag;
    char buf[1200];

    snprintf(dir, dirlen, "/tmp/piiscan-engine-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/custom.yaml", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(yaml, fp);
    fclose(fp);
    if (piiscan_rules_load(dir, &rules, &diag) != PIISCAN_OK)
        print_error("%s\n", piiscan_diag_format(&diag, buf, sizeof buf));
    unlink(path);
    rmdir(dir);
    assert_non_null(rules);
    return rules;
}

static void test_value_group_dedupe_prefilter(void **state)
{
    char dir[64];
    piiscan_rules *rules;
    struct helper_findings fs;
    (void)state;

    rules = load_custom("rules:\n"
                        "  - id: t.labelled\n    category: passport\n    description: d\n"
                        "    pattern: 'passport(?: no\\.?)?:? (?<value>[A-Z]\\d{8})'\n"
                        "    flags: [caseless]\n    confidence: 0.9\n    max_length: 40\n"
                        "  - id: t.loose\n    category: passport\n    description: d\n"
                        "    pattern: '\\b[A-Z]\\d{8}\\b'\n    confidence: 0.3\n"
                        "    max_length: 9\n"
                        "  - id: t.nine\n    category: drivers_license\n    description: d\n"
                        "    pattern: 'N\\d{9}\\b'\n    confidence: 0.5\n    max_length: 10\n"
                        "    prefilter: {digits: 9}\n"
                        "  - id: t.at\n    category: email\n    description: d\n"
                        "    pattern: '\\w+@\\w+'\n    confidence: 0.5\n    max_length: 20\n"
                        "    prefilter: {byte: '@'}\n",
                        dir, sizeof dir);
    /* the value group narrows the value; the overlapping weaker hit of the same
     * category is dropped */
    assert_int_equal(helper_scan_text(rules, "Passport No. C03005988 issued", &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.items[0].rule, "t.labelled");
    assert_string_equal(fs.items[0].value, "C03005988");
    assert_int_equal(fs.items[0].offset, 13);
    assert_true(near(fs.items[0].confidence, 0.9));
    assert_int_equal(helper_scan_text(rules, "id C03005988", &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.items[0].rule, "t.loose");
    /* prefiltered rules find their matches next to their atoms, and only there */
    assert_int_equal(helper_scan_text(rules, "DL N123456789, N12345678 x@y abc@def@ghi", &fs),
                     PIISCAN_OK);
    assert_int_equal(fs.n, 4);
    assert_string_equal(fs.items[0].value, "N123456789");
    assert_string_equal(fs.items[1].value, "N12345678");   /* t.loose: not prefiltered */
    assert_string_equal(fs.items[1].rule, "t.loose");
    assert_string_equal(fs.items[2].value, "x@y");
    assert_string_equal(fs.items[3].value, "abc@def");
    piiscan_rules_free(rules);
}

/* The prefilters are an optimisation only: the real rules with and without
 * their prefilter lines report exactly the same findings on the document. */
static void test_prefilter_equals_full_scan(void **state)
{
    const piiscan_rules *rules = *state;
    char dir[64];
    char path[300];
    char line[2048];
    piiscan_rules *full = NULL;
    piiscan_diag diag;
    size_t len = 0;
    char *doc = build_document(&len);
    struct helper_findings *a = calloc(2, sizeof *a);
    struct ps_unit u;
    FILE *list;

    assert_non_null(a);
    snprintf(dir, sizeof dir, "/tmp/piiscan-nopre-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(line, sizeof line, "ls %s/*.yaml", PIISCAN_TEST_RULES_DIR);
    list = popen(line, "r");
    assert_non_null(list);
    while (fgets(path, sizeof path, list) != NULL) {
        char out[400];
        FILE *in;
        FILE *o;
        path[strcspn(path, "\n")] = '\0';
        snprintf(out, sizeof out, "%s/%s", dir, strrchr(path, '/') + 1);
        in = fopen(path, "r");
        o = fopen(out, "w");
        assert_true(in != NULL && o != NULL);
        while (fgets(line, sizeof line, in) != NULL) {
            if (strstr(line, "prefilter:") == NULL)
                fputs(line, o);
        }
        fclose(in);
        fclose(o);
    }
    pclose(list);
    /* the name dictionaries and column synonyms travel with the rules */
    snprintf(line, sizeof line, "cp -r %s/data %s/data", PIISCAN_TEST_RULES_DIR, dir);
    assert_int_equal(system(line), 0);
    assert_int_equal(piiscan_rules_load(dir, &full, &diag), PIISCAN_OK);
    snprintf(line, sizeof line, "rm -r %s", dir);
    assert_int_equal(system(line), 0);
    /* the first 64 findings' worth of the document */
    doc[2000] = '\0';
    u = text_unit(doc);
    assert_int_equal(helper_scan_unit(rules, &u, &a[0]), PIISCAN_OK);
    assert_int_equal(helper_scan_unit(full, &u, &a[1]), PIISCAN_OK);
    assert_true(a[0].n > 30 && a[0].n <= HELPER_MAX_FINDINGS);
    assert_int_equal(a[0].n, a[1].n);
    for (size_t i = 0; i < a[0].n; i++)
        assert_true(same_finding(&a[0].items[i], &a[1].items[i]));
    piiscan_rules_free(full);
    free(a);
    free(doc);
}

static int setup(void **state)
{
    *state = helper_load_rules();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    piiscan_rules_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_overlapping_units),
        cmocka_unit_test(test_chunking_equals_whole_scan),
        cmocka_unit_test(test_lines_and_records),
        cmocka_unit_test(test_count_lines),
        cmocka_unit_test(test_context_window),
        cmocka_unit_test(test_confidence),
        cmocka_unit_test(test_offset_order),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_row_units),
        cmocka_unit_test(test_field_classifier),
        cmocka_unit_test(test_value_group_dedupe_prefilter),
        cmocka_unit_test(test_prefilter_equals_full_scan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
