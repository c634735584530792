/* test_csv_quote.c - report/csv.c: RFC 4180 quoting, formula neutralisation, rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/csv.h"
#include "report/store.h"

static void expect_cell(const char *in, const char *want)
{
    char out[128];
    size_t n = ps_csv_cell(in, strlen(in), out, sizeof out);

    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_quoting(void **state)
{
    (void)state;
    expect_cell("plain", "plain");
    expect_cell("", "");
    expect_cell("a,b", "\"a,b\"");
    expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_cell("two\nlines", "\"two\nlines\"");
    expect_cell("cr\r", "\"cr\r\"");
    /* Spaces and semicolons need no quotes in RFC 4180. */
    expect_cell(" lead; trail ", " lead; trail ");
}

static void test_formula_injection(void **state)
{
    (void)state;
    expect_cell("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect_cell("=1+1", "'=1+1");
    expect_cell("+1 310 555 0143", "'+1 310 555 0143");
    expect_cell("-5", "'-5");
    expect_cell("@SUM(A1)", "'@SUM(A1)");
    expect_cell("\tx", "'\tx");
    expect_cell("\rx", "\"'\rx\"");
    /* Only the first character matters. */
    expect_cell("a=b", "a=b");
    expect_cell("1-2", "1-2");
}

static void test_cell_cap(void **state)
{
    char out[4];

    (void)state;
    /* Too small: an empty cell, never a cut one (a cut quote would break the file). */
    assert_int_equal(ps_csv_cell("a,b", 3, out, sizeof out), 0);
    assert_string_equal(out, "");
}

/* Writes rows for all[] through the real writer and returns them (caller frees). */
static char *rows(struct ps_rfinding *all, size_t n, bool reveal)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ps_csv_write_finding(f, all, n, i, reveal), PIISCAN_OK);
    fclose(f);
    return buf;
}

static struct ps_rfinding mk(piiscan_category cat, const char *rule, const char *value,
                             uint64_t offset, const char *ctx, size_t vic)
{
    struct ps_rfinding f;

    memset(&f, 0, sizeof f);
    f.category = cat;
    f.rule_id = rule;
    f.confidence = 0.955;
    f.lpath = "dump.zip!hr/pay,roll.csv";
    f.line = 7;
    f.field = "SSN";
    f.value = value;
    f.value_len = strlen(value);
    f.offset = offset;
    f.normalized = value;
    f.context = ctx;
    f.context_len = strlen(ctx);
    f.value_in_context = vic;
    f.group = 1;
    f.severity = PS_SEV_HIGH;
    f.record_id = "7";
    return f;
}

static void test_row_masked_and_revealed(void **state)
{
    /* The window starts at stream offset 3: the SSN is at 10 (7 in the window), the
     * phone at 28 (25). */
    const char *ctx = "=cmd|x 123-45-6789\nphone (310) 555-0143";
    struct ps_rfinding all[2];
    char *out;

    (void)state;
    all[0] = mk(PIISCAN_CAT_SSN, "ssn.formatted", "123-45-6789", 10, ctx, 7);
    all[1] = mk(PIISCAN_CAT_PHONE, "phone.us", "(310) 555-0143", 28, ctx, 25);
    all[1].field = "";
    all[1].line = 0;
    all[1].severity = PS_SEV_LOW;
    all[1].record_id = "";
    out = rows(all, 2, false);
    assert_string_equal(
        out, "high,ssn,ssn.formatted,0.95,\"dump.zip!hr/pay,roll.csv\",7,SSN,***-**-6789,"
             "'=cmd|x ***-**-6789 phone (***) ***-0143,7\r\n"
             "low,phone,phone.us,0.95,\"dump.zip!hr/pay,roll.csv\",,,(***) ***-0143,"
             "'=cmd|x ***-**-6789 phone (***) ***-0143,\r\n");
    free(out);
    out = rows(all, 1, true);
    assert_string_equal(
        out, "high,ssn,ssn.formatted,0.95,\"dump.zip!hr/pay,roll.csv\",7,SSN,123-45-6789,"
             "'=cmd|x 123-45-6789 phone (310) 555-0143,7\r\n");
    free(out);
}

static void test_row_hostile_cells(void **state)
{
    const char *ctx = "\x1b]0;pwned\x07 4111111111111111";
    struct ps_rfinding all[1];
    char *out;

    (void)state;
    all[0] = mk(PIISCAN_CAT_CREDIT_CARD, "cc", "4111111111111111", 12, ctx, 12);
    all[0].lpath = "evil\nname.txt";
    all[0].field = "@card\r";
    out = rows(all, 1, false);
    /* Controls gone, field neutralised, one physical line per finding. */
    assert_string_equal(out, "high,credit_card,cc,0.95,evil?name.txt,7,'@card?,************1111,"
                             "?]0;pwned? ************1111,7\r\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),           cmocka_unit_test(test_formula_injection),
        cmocka_unit_test(test_cell_cap),          cmocka_unit_test(test_row_masked_and_revealed),
        cmocka_unit_test(test_row_hostile_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
