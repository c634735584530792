/* test_dob.c - rules/dob.yaml through the matcher: birthdates in every written form
 * with a birth keyword before them (or a few bytes after), in birthdate columns, Excel
 * serials under a birthdate header only; and the decoys - invoice, ship, hire, release
 * dates in prose and in a "Hire Date" column, a date after "born" that is nearer to
 * "hired", calendar-invalid, future and implausibly old birthdates, version numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "helpers.h"

static int setup(void **state)
{
    *state = helper_load_rules();
    return *state == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    piiscan_rules_free(*state);
    return 0;
}

/* The dob findings of text, in order: "value=norm" joined by " | ". */
static const char *dobs(const piiscan_rules *rules, const char *text)
{
    static char out[1024];
    struct helper_findings fs;
    size_t n = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_text(rules, text, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "dob") != 0)
            continue;
        /* Every dob is reported with context: confidence 0.95 less a near penalty. */
        assert_true(h->confidence >= 0.74 && h->confidence <= 0.96);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s=%s", n ? " | " : "", h->value,
                              h->normalized);
    }
    return out;
}

static void test_forms_with_keywords(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(dobs(r, "DOB: 04/12/1967"), "04/12/1967=1967-04-12");
    assert_string_equal(dobs(r, "Birth date: 1/31/65"), "1/31/65=1965-01-31");
    assert_string_equal(dobs(r, "Date of Birth: 1971-03-05"), "1971-03-05=1971-03-05");
    assert_string_equal(dobs(r, "Anthony (DOB 20.07.1952) was added"), "20.07.1952=1952-07-20");
    assert_string_equal(dobs(r, "DOB: 12-Apr-1955"), "12-Apr-1955=1955-04-12");
    assert_string_equal(dobs(r, "born 5 March 1971 in Ohio"), "5 March 1971=1971-03-05");
    assert_string_equal(dobs(r, "Kevin Hill, born June 2, 1943, salary"),
                        "June 2, 1943=1943-06-02");
    assert_string_equal(dobs(r, "birthday: Mar. 5, 1971"), "Mar. 5, 1971=1971-03-05");
    assert_string_equal(dobs(r, "Mr. Jeffrey (b. 4/3/68) joined Screen Gems in 2010."),
                        "4/3/68=1968-04-03");
    assert_string_equal(dobs(r, "D.O.B. 25/12/1967"), "25/12/1967=1967-12-25");
    assert_string_equal(dobs(r, "1/31/65 (DOB)"), "1/31/65=1965-01-31");
    /* keyword on the line before, within the window */
    assert_string_equal(dobs(r, "Myers, Joan G.: date of birth\n01/02/1958, SSN"),
                        "01/02/1958=1958-01-02");
}

static void test_decoy_dates(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(dobs(r, "Invoice 38783 dated 03/15/2014, due 04/15/2014."), "");
    assert_string_equal(dobs(r, "The shipment left Kansas City on 2015-10-03."), "");
    assert_string_equal(dobs(r, "Release date for Men in Black: 6/30/04."), "");
    assert_string_equal(dobs(r, "Hire Date: 11/1/14"), "");
    assert_string_equal(dobs(r, "Effective 02/27/2014, the annual base salary"), "");
    assert_string_equal(dobs(r, "Meeting on March 5, 2014 at noon"), "");
    assert_string_equal(dobs(r, "version 1.2.10 released"), "");
    /* the hire date after a birthdate: "hired" is nearer than "born" */
    assert_string_equal(dobs(r, "Alexis Wagner (born 01/05/1947) was hired on 7/18/01."),
                        "01/05/1947=1947-01-05");
    assert_string_equal(dobs(r, "Frances (born 1981-10-03) was hired on September 29, 2013"),
                        "1981-10-03=1981-10-03");
    assert_string_equal(dobs(r, "DOB: 12-Apr-1955\nHire Date: 10/07/1994"),
                        "12-Apr-1955=1955-04-12");
    /* with a birth keyword, but no living person's birthdate */
    assert_string_equal(dobs(r, "The date of birth on the form reads 11/31/1956"), "");
    assert_string_equal(dobs(r, "DOB 02/29/1971"), "");
    assert_string_equal(dobs(r, "DOB: 01/01/1850"), "");
    assert_string_equal(dobs(r, "born 2099-01-01"), "");
    /* Excel serials and bare numbers in prose are never dates */
    assert_string_equal(dobs(r, "DOB 25267"), "");
    /* a label names the date next to it, not one behind another number, and a label
     * after a date counts on that date's line only (context.exclusive) */
    assert_string_equal(dobs(r, "Gutierrez (DOB 31.10.2001) was added.\n"
                                "American Hustle grossed $202,195,785 by 02/08/2012.\n\n"
                                "Birthday on file for Héctor J. Allen: 6 October 1950."),
                        "31.10.2001=2001-10-31 | 6 October 1950=1950-10-06");
    assert_string_equal(dobs(r, "DOB 04/12/1967 and 03/15/2014"), "04/12/1967=1967-04-12");
    /* a date inside a longer run of numbers */
    assert_string_equal(dobs(r, "DOB ref 12/03/1971/7"), "");
    assert_string_equal(dobs(r, "DOB ref 1.12.03.1971"), "");
}

/* One ROW unit: header/cell pairs, the dob findings as "field:value=norm". */
static const char *row_dobs(const piiscan_rules *rules, const char *const *headers,
                            const char *const *cells, size_t n)
{
    static char out[1024];
    struct helper_findings fs;
    size_t k = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_row(rules, "hr.csv", 2, 1, headers, cells, n, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "dob") != 0)
            continue;
        assert_true(h->confidence >= 0.94);
        assert_int_equal(h->line, 2);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s:%s=%s", k ? " | " : "", h->field,
                              h->value, h->normalized);
    }
    return out;
}

static void test_columns(void **state)
{
    const piiscan_rules *r = *state;
    const char *const h1[] = {"EmpID", "Date of Birth", "Start Date", "Hire Date"};
    const char *const c1[] = {"132852826", "07/31/1955", "12/02/2001", "12/02/2001"};
    const char *const h2[] = {"Employee", "DOB", "Invoice Date", "Invoice No"};
    const char *const c2[] = {"Jeremy Richardson", "25267", "25267", "25267"};
    const char *const h3[] = {"Birth Date", "Birthdate", "D.O.B.", "Notes"};
    const char *const c3[] = {"1/7/64", "14-Sep-1974", "1971-03-05", "born 1971-03-05"};
    const char *const h4[] = {"DOB", "DOB", "DOB"};
    const char *const c4[] = {"02/30/1971", "n/a", "99999"};

    assert_string_equal(row_dobs(r, h1, c1, 4), "Date of Birth:07/31/1955=1955-07-31");
    assert_string_equal(row_dobs(r, h2, c2, 4), "DOB:25267=1969-03-05");
    assert_string_equal(row_dobs(r, h3, c3, 4),
                        "Birth Date:1/7/64=1964-01-07 | Birthdate:14-Sep-1974=1974-09-14 | "
                        "D.O.B.:1971-03-05=1971-03-05 | Notes:1971-03-05=1971-03-05");
    assert_string_equal(row_dobs(r, h4, c4, 3), "");
}

/* "Today" is the matcher's clock: a fixed clock decides two-digit years and ages. */
static void test_fixed_clock(void **state)
{
    const piiscan_rules *r = *state;
    struct ps_matcher *m = NULL;
    struct helper_findings fs;
    struct ps_unit u;
    const char *text = "DOB: 6/16/25";

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_TEXT;
    u.lpath = "t.txt";
    u.text = text;
    u.len = strlen(text);
    u.limit = u.len;
    u.base_line = 1;
    assert_int_equal(ps_matcher_new(r, &m), PIISCAN_OK);
    /* 2025-06-15 12:00 UTC: 6/16/25 would be tomorrow, so it is 1925 */
    ps_matcher_set_now(m, 1749988800);
    memset(&fs, 0, sizeof fs);
    assert_int_equal(ps_matcher_run(m, &u, helper_collect, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.items[0].normalized, "1925-06-16");
    /* a day later it is born today */
    ps_matcher_set_now(m, 1749988800 + 86400);
    fs.n = 0;
    assert_int_equal(ps_matcher_run(m, &u, helper_collect, &fs), PIISCAN_OK);
    assert_int_equal(fs.n, 1);
    assert_string_equal(fs.items[0].normalized, "2025-06-16");
    ps_matcher_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_with_keywords),
        cmocka_unit_test(test_decoy_dates),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_fixed_clock),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
