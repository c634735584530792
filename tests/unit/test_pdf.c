/* test_pdf.c - the PDF parsing core (extract/pdf.c).
 *
 * Fixtures are written by tests/gen/docs/gen_docs.py (reportlab, Pillow) into
 * the build tree before this test runs (CTest fixture "docs"): a 3-page text
 * PDF, a scan (image-only pages), a mix, permission-only and password
 * encryption, a broken startxref, a truncated copy and garbage. Each test
 * asserts the exact page texts and warnings, and that nothing else came out;
 * a truncation sweep checks that no prefix of a PDF crashes or passes silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers_evlog.h"

#include "extract/pdf.h"
#include "piiscan/piiscan.h"

#define FIXTURES PIISCAN_TEST_BUILD_DIR "/fixtures/docs/pdf/"

struct ev {
    unsigned page; /* 0 for a warning */
    char *text;    /* page text or warning message */
    piiscan_status st;
    bool partial;
};

struct rec {
    struct ev ev[32];
    size_t n;
    size_t abort_after;
};

static piiscan_status rec_add(struct rec *r, unsigned page, const char *t, size_t len,
                              piiscan_status st, bool partial)
{
    struct ev *e;

    assert_true(r->n < 32);
    e = &r->ev[r->n++];
    e->page = page;
    e->text = malloc(len + 1);
    memcpy(e->text, t, len);
    e->text[len] = '\0';
    e->st = st;
    e->partial = partial;
    return (r->abort_after && r->n >= r->abort_after) ? PIISCAN_EABORTED : PIISCAN_OK;
}

static piiscan_status on_page(void *ctx, unsigned page, const char *text, size_t len)
{
    assert_true(page > 0);
    return rec_add(ctx, page, text, len, PIISCAN_OK, false);
}

static piiscan_status on_warn(void *ctx, piiscan_status st, bool partial, const char *msg)
{
    return rec_add(ctx, 0, msg, strlen(msg), st, partial);
}

static void rec_free(struct rec *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ev[i].text);
    r->n = 0;
}

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf;
    long sz;

    snprintf(path, sizeof path, "%s%s", FIXTURES, name);
    f = fopen(path, "rb");
    if (!f)
        fail_msg("fixture %s missing (run the gen.docs test first)", path);
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)sz + 1);
    assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

static piiscan_status parse_lim(const char *buf, size_t len, const struct ps_pdf_limits *lim,
                                struct rec *r)
{
    struct ps_pdf_sink sink = {r, on_page, on_warn};

    return ps_pdf_parse(buf, len, lim, &sink);
}

static void parse_fixture(const char *name, struct rec *r)
{
    struct ps_pdf_limits lim;
    size_t len;
    char *buf = slurp(name, &len);

    ps_pdf_limits_init(&lim);
    assert_int_equal(parse_lim(buf, len, &lim, r), PIISCAN_OK);
    free(buf);
}

static void expect_page(const struct rec *r, size_t i, unsigned page, const char *text)
{
    assert_true(i < r->n);
    assert_int_equal(r->ev[i].page, page);
    assert_string_equal(r->ev[i].text, text);
}

static void expect_warn(const struct rec *r, size_t i, piiscan_status st, bool partial,
                        const char *msg)
{
    assert_true(i < r->n);
    assert_int_equal(r->ev[i].page, 0);
    assert_int_equal(r->ev[i].st, st);
    assert_int_equal(r->ev[i].partial, partial);
    assert_string_equal(r->ev[i].text, msg);
}

static const char page1[] = "Payroll register 2014\nEmployee: Amy Pascal\nSSN: 471-83-2265";
static const char page2[] = "Employee: John Smith\nDate of birth: 04/12/1967\nSalary: $3,000,000";
static const char page3[] = "Employee: Maria Garcia\nSSN: 318-44-9021\nConfidential";

static void test_text_pages(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("text.pdf", &r);
    assert_int_equal(r.n, 3);
    expect_page(&r, 0, 1, page1);
    expect_page(&r, 1, 2, page2);
    expect_page(&r, 2, 3, page3);
    rec_free(&r);
}

/* Page 2 is a scan (reported), page 3 blank (nothing to say). */
static void test_mixed_no_text_layer(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("mixed.pdf", &r);
    assert_int_equal(r.n, 3);
    expect_page(&r, 0, 1, page1);
    expect_page(&r, 1, 4, page3);
    expect_warn(&r, 2, PIISCAN_EUNSUPPORTED, true,
                "no text layer on 1 of 4 pages (page 2): not scanned");
    rec_free(&r);
}

static void test_scanned_only(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("scanned.pdf", &r);
    assert_int_equal(r.n, 1);
    expect_warn(&r, 0, PIISCAN_EUNSUPPORTED, false,
                "no text layer: 2 of 2 pages are only images (scanned, not OCRed): not scanned");
    rec_free(&r);
}

/* Permissions only (empty user password): opens and reads, no warning. */
static void test_owner_password_only(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("owner_locked.pdf", &r);
    assert_int_equal(r.n, 1);
    expect_page(&r, 0, 1, page1);
    rec_free(&r);
}

static void test_encrypted(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("encrypted.pdf", &r);
    assert_int_equal(r.n, 1);
    expect_warn(&r, 0, PIISCAN_EENCRYPTED, false,
                "encrypted PDF (a password is needed to open it): not scanned");
    rec_free(&r);
}

static void test_bad_xref_repaired(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("badxref.pdf", &r);
    assert_int_equal(r.n, 4);
    expect_page(&r, 0, 1, page1);
    expect_page(&r, 1, 2, page2);
    expect_page(&r, 2, 3, page3);
    expect_warn(&r, 3, PIISCAN_ECORRUPT, true,
                "damaged PDF (cross-reference table broken, repaired by poppler): "
                "text found on 3 of 3 pages");
    rec_free(&r);
}

/* Cut inside page 3's content stream: pages 1 and 2 are recovered. */
static void test_truncated_recovered(void **state)
{
    struct rec r = {0};

    (void)state;
    parse_fixture("truncated.pdf", &r);
    assert_int_equal(r.n, 3);
    expect_page(&r, 0, 1, page1);
    expect_page(&r, 1, 2, page2);
    expect_warn(&r, 2, PIISCAN_ECORRUPT, true,
                "truncated or damaged PDF (poppler: PDF document is damaged): rebuilt from "
                "the surviving objects, text found on 2 of 3 pages");
    rec_free(&r);
}

static void test_garbage(void **state)
{
    struct rec r = {0};
    struct ps_pdf_limits lim;

    (void)state;
    parse_fixture("garbage.pdf", &r);
    assert_int_equal(r.n, 1);
    expect_warn(&r, 0, PIISCAN_ECORRUPT, false,
                "unreadable PDF (poppler: PDF document is damaged): not scanned");
    rec_free(&r);
    ps_pdf_limits_init(&lim);
    assert_int_equal(parse_lim("", 0, &lim, &r), PIISCAN_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.ev[0].st, PIISCAN_ECORRUPT);
    rec_free(&r);
}

static void test_limits(void **state)
{
    struct ps_pdf_limits lim;
    struct rec r = {0};
    size_t len;
    char *buf = slurp("text.pdf", &len);

    (void)state;
    ps_pdf_limits_init(&lim);
    lim.max_pages = 2;
    assert_int_equal(parse_lim(buf, len, &lim, &r), PIISCAN_OK);
    assert_int_equal(r.n, 3);
    expect_page(&r, 0, 1, page1);
    expect_page(&r, 1, 2, page2);
    expect_warn(&r, 2, PIISCAN_ELIMIT, true, "more than 2 pages: pages 3-3 not scanned");
    rec_free(&r);

    ps_pdf_limits_init(&lim);
    lim.max_text_bytes = sizeof page1; /* page 1 fits, page 2 does not */
    assert_int_equal(parse_lim(buf, len, &lim, &r), PIISCAN_OK);
    assert_int_equal(r.n, 2);
    expect_page(&r, 0, 1, page1);
    expect_warn(&r, 1, PIISCAN_ELIMIT, true, "text past 60 bytes not scanned (from page 2)");
    rec_free(&r);
    free(buf);
}

static void test_abort_stops(void **state)
{
    struct ps_pdf_limits lim;
    struct rec r = {0};
    size_t len;
    char *buf = slurp("text.pdf", &len);

    (void)state;
    ps_pdf_limits_init(&lim);
    r.abort_after = 1;
    assert_int_equal(parse_lim(buf, len, &lim, &r), PIISCAN_EABORTED);
    assert_int_equal(r.n, 1);
    rec_free(&r);
    free(buf);
}

/* Every prefix of a PDF: no crash, and never silence (pages or a warning). */
static void test_truncation_sweep(void **state)
{
    struct ps_pdf_limits lim;
    size_t len;
    char *buf = slurp("mixed.pdf", &len);

    (void)state;
    ps_pdf_limits_init(&lim);
    for (size_t cut = 0; cut <= len; cut += 29) {
        struct rec r = {0};
        char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
        memcpy(copy, buf, cut);
        assert_int_equal(parse_lim(copy, cut, &lim, &r), PIISCAN_OK);
        assert_true(r.n >= 1);
        rec_free(&r);
        free(copy);
    }
    free(buf);
}

static void kind_set(struct ps_kind *k, const char *mime)
{
    memset(k, 0, sizeof *k);
    snprintf(k->mime, sizeof k->mime, "%s", mime);
}

static void test_bid(void **state)
{
    struct ps_kind k;

    (void)state;
    kind_set(&k, "application/pdf");
    assert_int_equal(ps_pdf_bid(&k, "%PDF-1.4\n", 9), 80);
    kind_set(&k, "application/octet-stream");
    assert_int_equal(ps_pdf_bid(&k, "%PDF-1.7\n", 9), 80);
    assert_int_equal(ps_pdf_bid(&k, "%PDF", 4), 0);
    kind_set(&k, "text/plain");
    assert_int_equal(ps_pdf_bid(&k, "PDF report\n", 11), 0);
}

/* ---- through the pipeline (public API, real rules) --------------------------------- */

static piiscan_rules *rules;

static void scan_leak(struct evlog *l)
{
    evlog_scan_path(rules, PIISCAN_TEST_BUILD_DIR "/fixtures/docs/leak.zip", "leak.zip", l);
}

static int load_rules(void **state)
{
    piiscan_diag d;

    (void)state;
    return piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &d) == PIISCAN_OK ? 0 : -1;
}

static int free_rules(void **state)
{
    (void)state;
    piiscan_rules_free(rules);
    return 0;
}

/* leak.zip > reports/ *.pdf: page paths, lines on the page, warnings. */
static void test_pipeline_pdf_in_zip(void **state)
{
    struct evlog l = {"leak.zip!reports/", NULL, {{0}}, 0};
    static const char *const want[] = {
        "B 1 leak.zip!reports/text.pdf pdf",
        "F ssn 471-83-2265 L3 leak.zip!reports/text.pdf!page-1",
        "F ssn 318-44-9021 L2 leak.zip!reports/text.pdf!page-3",
        "E leak.zip!reports/text.pdf",
        "B 1 leak.zip!reports/mixed.pdf pdf",
        "F ssn 471-83-2265 L3 leak.zip!reports/mixed.pdf!page-1",
        "F ssn 318-44-9021 L2 leak.zip!reports/mixed.pdf!page-4",
        "W leak.zip!reports/mixed.pdf 8 partial: no text layer on 1 of 4 pages "
        "(page 2): not scanned",
        "E leak.zip!reports/mixed.pdf",
        "B 1 leak.zip!reports/scanned.pdf pdf",
        "W leak.zip!reports/scanned.pdf 8: no text layer: 2 of 2 pages are "
        "only images (scanned, not OCRed): not scanned",
        "E leak.zip!reports/scanned.pdf",
        "B 1 leak.zip!reports/truncated.pdf pdf",
        "F ssn 471-83-2265 L3 leak.zip!reports/truncated.pdf!page-1",
        "W leak.zip!reports/truncated.pdf 5 partial: truncated or damaged PDF "
        "(poppler: PDF document is damaged): rebuilt from the surviving "
        "objects, text found on 2 of 3 pages",
        "E leak.zip!reports/truncated.pdf",
        "B 1 leak.zip!reports/badxref.pdf pdf",
        "F ssn 471-83-2265 L3 leak.zip!reports/badxref.pdf!page-1",
        "F ssn 318-44-9021 L2 leak.zip!reports/badxref.pdf!page-3",
        "W leak.zip!reports/badxref.pdf 5 partial: damaged PDF "
        "(cross-reference table broken, repaired by poppler): text found on 3 "
        "of 3 pages",
        "E leak.zip!reports/badxref.pdf",
        "B 1 leak.zip!reports/encrypted.pdf pdf",
        "W leak.zip!reports/encrypted.pdf 7: encrypted PDF (a password is "
        "needed to open it): not scanned",
        "E leak.zip!reports/encrypted.pdf",
    };

    (void)state;
    scan_leak(&l);
    evlog_expect(&l, want, sizeof want / sizeof want[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_pages),
        cmocka_unit_test(test_mixed_no_text_layer),
        cmocka_unit_test(test_scanned_only),
        cmocka_unit_test(test_owner_password_only),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_bad_xref_repaired),
        cmocka_unit_test(test_truncated_recovered),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_abort_stops),
        cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_bid),
        cmocka_unit_test(test_pipeline_pdf_in_zip),
    };

    return cmocka_run_group_tests(tests, load_rules, free_rules);
}
