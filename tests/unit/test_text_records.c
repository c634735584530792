/* test_text_records.c - the record of a TEXT finding (pipeline/unit.h, engine.h):
 * a paragraph of at most PS_PARA_MAX_LINES lines is one record whose id is its first
 * line; in a longer block of non-blank lines every line is a record of its own. A memo
 * paragraph with a name, an SSN and a birthdate is one record; a 40-line log with one
 * person per line is 40; the 12/13-line boundary; blank lines of spaces and CR; the
 * end of the stream ends the last paragraph only in a final unit; and the same text
 * cut by the real chunker at many sizes gives the same records as one whole scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "helpers.h"
#include "pipeline/stream.h"
#include "text/chunk.h"
#include "util/limits.h"

/* Asserts finding i: category, line and record. */
static void expect_at(const struct helper_findings *fs, size_t i, const char *category,
                      uint64_t line, uint64_t record)
{
    if (i >= fs->n || strcmp(fs->items[i].category, category) != 0 ||
        fs->items[i].line != line || fs->items[i].record != record) {
        print_error("finding %zu: want %s line %llu record %llu\n", i, category,
                    (unsigned long long)line, (unsigned long long)record);
        helper_dump(fs);
        for (size_t k = 0; k < fs->n && k < HELPER_MAX_FINDINGS; k++)
            print_error("  [%zu] line %llu record %llu\n", k,
                        (unsigned long long)fs->items[k].line,
                        (unsigned long long)fs->items[k].record);
        fail();
    }
}

static void test_memo_paragraph(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;

    /* lines 3-7 are one paragraph: its name, SSN and birthdate are one record, 3 */
    assert_int_equal(helper_scan_text(rules,
                                      "MEMO - personnel file\n"
                                      "\n"
                                      "Re: transfer of Amy Pascal to the Culver City office\n"
                                      "Her SSN 234-56-7891 stays on file,\n"
                                      "date of birth 03/15/1971.\n"
                                      "Please keep this confidential.\n"
                                      "HR\n"
                                      "\n"
                                      "Second memo for Stacey Snider, SSN 345-67-8912.\n",
                                      &fs),
                     PIISCAN_OK);
    assert_int_equal(fs.n, 5);
    expect_at(&fs, 0, "name", 3, 3);
    expect_at(&fs, 1, "ssn", 4, 3);
    expect_at(&fs, 2, "dob", 5, 3);
    expect_at(&fs, 3, "name", 9, 9);
    expect_at(&fs, 4, "ssn", 9, 9);
}

/* "<n>: login ok for <name> ssn 234-56-<n>" per line, no blank line. */
static size_t build_log(char *buf, size_t cap, unsigned first, unsigned n)
{
    static const char *const names[] = {"Amy Pascal", "Stacey Snider", "Michael Lynton",
                                        "David Hendler"};
    size_t len = 0;
    for (unsigned i = 0; i < n; i++) {
        int w = snprintf(buf + len, cap - len, "%u: login ok for %s ssn 234-56-%04u\n",
                         first + i, names[i % 4], 1001 + i);
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    return len;
}

static void test_log_lines(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings *fs = calloc(1, sizeof *fs);
    char buf[4096];
    size_t len = 0;
    uint64_t ssns = 0;

    assert_non_null(fs);
    /* 40 lines, one SSN each (names would take the count past HELPER_MAX_FINDINGS) */
    for (unsigned i = 0; i < 40; i++) {
        int w = snprintf(buf + len, sizeof buf - len, "2014-11-%02u login ok ssn 234-56-%04u\n",
                         1 + i % 28, 1001 + i);
        assert_true(w > 0);
        len += (size_t)w;
    }
    assert_int_equal(helper_scan_text(rules, buf, fs), PIISCAN_OK);
    for (size_t i = 0; i < fs->n && i < HELPER_MAX_FINDINGS; i++) {
        if (strcmp(fs->items[i].category, "ssn") != 0)
            continue;
        /* the i-th SSN is on line i + 1, its own record */
        ssns++;
        assert_int_equal(fs->items[i].line, ssns);
        assert_int_equal(fs->items[i].record, ssns);
    }
    assert_int_equal(ssns, 40);
    /* with names: each line's name and SSN share the line's record, no other */
    len = build_log(buf, sizeof buf, 1, 30);
    assert_int_equal(helper_scan_text(rules, buf, fs), PIISCAN_OK);
    assert_int_equal(fs->n, 60);
    for (size_t i = 0; i < 60; i += 2) {
        expect_at(fs, i, "name", i / 2 + 1, i / 2 + 1);
        expect_at(fs, i + 1, "ssn", i / 2 + 1, i / 2 + 1);
    }
    free(fs);
}

/* A header paragraph, a blank line, then a block of n lines with an SSN each. */
static void check_block(const piiscan_rules *rules, unsigned n, const char *blank)
{
    struct helper_findings *fs = calloc(1, sizeof *fs);
    char buf[4096];
    size_t len;
    int w;

    assert_non_null(fs);
    w = snprintf(buf, sizeof buf, "employee list%s\n", blank);
    assert_true(w > 0);
    len = (size_t)w;
    for (unsigned i = 0; i < n; i++) {
        w = snprintf(buf + len, sizeof buf - len, "ssn 234-56-%04u\n", 1001 + i);
        assert_true(w > 0);
        len += (size_t)w;
    }
    /* a paragraph after it, unaffected */
    w = snprintf(buf + len, sizeof buf - len, "%s\nlast ssn 456-78-9123", blank + 1);
    assert_true(w > 0);
    assert_int_equal(helper_scan_text(rules, buf, fs), PIISCAN_OK);
    assert_int_equal(fs->n, n + 1);
    for (unsigned i = 0; i < n; i++)
        expect_at(fs, i, "ssn", 3 + i, n <= PS_PARA_MAX_LINES ? 3 : 3 + i);
    expect_at(fs, n, "ssn", 4 + n, 4 + n);
    free(fs);
}

static void test_block_boundary(void **state)
{
    const piiscan_rules *rules = *state;

    assert_int_equal(PS_PARA_MAX_LINES, 12);
    /* blank = "\n" + the blank line's bytes: empty, spaces, tab + CR, CR alone */
    check_block(rules, 12, "\n");
    check_block(rules, 13, "\n");
    check_block(rules, 1, "\n");
    check_block(rules, 11, "\n   ");
    check_block(rules, 12, "\n \t\r");
    check_block(rules, 13, "\n\r");
    check_block(rules, 40, "\n\r");
}

static void test_blank_lines_of_spaces(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;

    /* CRLF text: "\r\n" ends a line, a line of " \r" is blank; "x" is not */
    assert_int_equal(helper_scan_text(rules,
                                      "ssn 234-56-7891\r\n"
                                      "  \r\n"
                                      "ssn 345-67-8912\r\n"
                                      "\t\r\n"
                                      "\r\n"
                                      "ssn 456-78-9123\r\n"
                                      "x\r\n"
                                      "ssn 567-89-1234\r\n",
                                      &fs),
                     PIISCAN_OK);
    assert_int_equal(fs.n, 4);
    expect_at(&fs, 0, "ssn", 1, 1);
    expect_at(&fs, 1, "ssn", 3, 3);
    expect_at(&fs, 2, "ssn", 6, 6);
    expect_at(&fs, 3, "ssn", 8, 6);
    /* leading blank lines: the first paragraph starts after them */
    assert_int_equal(helper_scan_text(rules, " \r\n\nssn 234-56-7891\nssn 345-67-8912\n", &fs),
                     PIISCAN_OK);
    assert_int_equal(fs.n, 2);
    expect_at(&fs, 0, "ssn", 3, 3);
    expect_at(&fs, 1, "ssn", 4, 3);
}

/* The end of the text ends the last paragraph only when it is the end of the
 * stream: a unit that runs out before a blank line, not final, gives line records. */
static void test_final_unit(void **state)
{
    const piiscan_rules *rules = *state;
    struct helper_findings fs;
    const char *t = "ssn 234-56-7891\nssn 345-67-8912\nssn 456-78-9123";
    struct ps_unit u;

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_TEXT;
    u.lpath = "t.txt";
    u.text = t;
    u.len = strlen(t);
    u.limit = u.len;
    u.base_line = 1;
    u.base_para = 1;
    u.is_final = true;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 3);
    expect_at(&fs, 2, "ssn", 3, 1);
    u.is_final = false;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    expect_at(&fs, 0, "ssn", 1, 1);
    expect_at(&fs, 1, "ssn", 2, 2);
    expect_at(&fs, 2, "ssn", 3, 3);
    /* a blank line inside the text decides it whatever is_final says */
    t = "ssn 234-56-7891\nssn 345-67-8912\n\nmore";
    u.text = t;
    u.len = strlen(t);
    u.limit = u.len;
    assert_int_equal(helper_scan_unit(rules, &u, &fs), PIISCAN_OK);
    expect_at(&fs, 1, "ssn", 2, 1);
}

/* ---- the real chunker at many sizes = one whole scan ---- */

struct mem {
    const char *p;
    size_t len;
    size_t pos;
    size_t blk;
};

static piiscan_status mem_next(void *h, const void **buf, size_t *len)
{
    struct mem *m = h;
    size_t n = m->len - m->pos < m->blk ? m->len - m->pos : m->blk;
    *buf = m->p + m->pos;
    *len = n;
    m->pos += n;
    return PIISCAN_OK;
}

struct chunk_run {
    struct ps_matcher *m;
    struct helper_findings *fs;
};

static piiscan_status on_unit(void *ctx, const struct ps_unit *u)
{
    struct chunk_run *r = ctx;
    return ps_matcher_run(r->m, u, helper_collect, r->fs);
}

/* Filler prose without findings (lower case: no names), n lines. */
static size_t filler(char *buf, size_t cap, unsigned n)
{
    size_t len = 0;
    for (unsigned i = 0; i < n; i++) {
        int w = snprintf(buf + len, cap - len,
                         "the quarterly numbers were reviewed again and nothing changed %u\n", i);
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    return len;
}

static void test_chunked_at_many_sizes(void **state)
{
    const piiscan_rules *rules = *state;
    size_t cap = 64 * 1024;
    char *doc = malloc(cap);
    struct helper_findings *whole = calloc(1, sizeof *whole);
    struct helper_findings *part = calloc(1, sizeof *part);
    size_t len = 0;
    struct ps_unit u;

    assert_non_null(doc);
    assert_non_null(whole);
    assert_non_null(part);
    /* prose (more than the look-ahead), a memo paragraph, a 13-line block, prose, a
     * 12-line block after a CR blank line, a 20-line log, prose, a last paragraph
     * without a final newline */
    len += filler(doc + len, cap - len, 80);
    len += (size_t)snprintf(doc + len, cap - len,
                            "\nEmployee Amy Pascal\nSSN 234-56-7891\ndate of birth 03/15/1971\n\n");
    for (unsigned i = 0; i < 13; i++)
        len += (size_t)snprintf(doc + len, cap - len, "row ssn 345-67-%04u\n", 2001 + i);
    len += (size_t)snprintf(doc + len, cap - len, "  \n");
    len += filler(doc + len, cap - len, 70);
    len += (size_t)snprintf(doc + len, cap - len, "\r\n");
    for (unsigned i = 0; i < 12; i++)
        len += (size_t)snprintf(doc + len, cap - len, "ssn 456-78-%04u ok\n", 3001 + i);
    len += (size_t)snprintf(doc + len, cap - len, "\n");
    len += build_log(doc + len, cap - len, 1, 10);
    len += filler(doc + len, cap - len, 3);
    len += (size_t)snprintf(doc + len, cap - len, "\nlast: ssn 567-89-1234");
    assert_true(len > 2 * PS_PARA_LOOKAHEAD && len < cap);

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_TEXT;
    u.lpath = "doc.txt";
    u.text = doc;
    u.len = len;
    u.limit = len;
    u.base_line = 1;
    u.is_final = true;
    assert_int_equal(helper_scan_unit(rules, &u, whole), PIISCAN_OK);
    /* 3 memo + 13 + 12 + 2 * 10 + 1 */
    assert_int_equal(whole->n, 49);
    expect_at(whole, 0, "name", 82, 82);
    expect_at(whole, 2, "dob", 84, 82);
    expect_at(whole, 3, "ssn", 86, 86);
    expect_at(whole, 15, "ssn", 98, 98);
    expect_at(whole, 16, "ssn", 171, 171);
    expect_at(whole, 27, "ssn", 182, 171);
    expect_at(whole, 28, "name", 184, 184);
    expect_at(whole, 47, "ssn", 193, 193);
    expect_at(whole, 48, "ssn", 198, 198);

    struct ps_matcher *m = NULL;
    assert_int_equal(ps_matcher_new(rules, &m), PIISCAN_OK);
    for (size_t chunk = 16; chunk < 9000; chunk += chunk < 700 ? 23 : 997) {
        struct ps_chunker *c = NULL;
        struct mem ms = {doc, len, 0, 1 + chunk % 301};
        struct ps_stream s = {mem_next, &ms, len};
        struct chunk_run r = {m, part};
        part->n = 0;
        assert_int_equal(ps_chunker_new(chunk, ps_rules_overlap(rules), &c), PIISCAN_OK);
        assert_int_equal(ps_chunk_stream(c, "doc.txt", &s, 0, 0, on_unit, &r), PIISCAN_OK);
        ps_chunker_free(c);
        assert_int_equal(part->n, whole->n);
        for (size_t i = 0; i < whole->n; i++) {
            const struct helper_finding *a = &part->items[i];
            const struct helper_finding *b = &whole->items[i];
            if (a->offset != b->offset || a->line != b->line || a->record != b->record ||
                strcmp(a->value, b->value) != 0) {
                print_error("chunk %zu: finding %zu %s line %llu rec %llu vs %s line %llu "
                            "rec %llu\n",
                            chunk, i, a->value, (unsigned long long)a->line,
                            (unsigned long long)a->record, b->value,
                            (unsigned long long)b->line, (unsigned long long)b->record);
                fail();
            }
        }
    }
    ps_matcher_free(m);
    free(part);
    free(whole);
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
        cmocka_unit_test(test_memo_paragraph),        cmocka_unit_test(test_log_lines),
        cmocka_unit_test(test_block_boundary),        cmocka_unit_test(test_blank_lines_of_spaces),
        cmocka_unit_test(test_final_unit),            cmocka_unit_test(test_chunked_at_many_sizes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
