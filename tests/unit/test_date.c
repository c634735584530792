/* test_date.c - validate/date.c: every written form, field order (US first, day/month
 * fallback, European dots), two-digit years resolved to the past against a fixed
 * "today", the calendar (02/30, leap years, 1900 and 2000), the 0-120 age window, Excel
 * serials (1900 system with its phantom leap day) and the two validators' contracts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "validate/date.h"
#include "validate/validate.h"

/* Unix time of a calendar day at noon UTC: the tests' "today". */
static int64_t at(int y, int m, int d)
{
    struct ps_ymd t = {y, m, d};
    return ps_date_to_days(&t) * 86400 + 43200;
}

/* Runs the date validator with today = 2025-06-15; returns the ISO form or "REJECT". */
static const char *dob(const char *s)
{
    static char norm[64];
    struct ps_validate_ctx vc;

    memset(&vc, 0, sizeof vc);
    vc.now = at(2025, 6, 15);
    if (ps_validate_date(&vc, s, strlen(s), norm, sizeof norm) == PS_VERDICT_REJECT)
        return "REJECT";
    return norm;
}

static void test_forms(void **state)
{
    (void)state;
    assert_string_equal(dob("03/05/1971"), "1971-03-05");
    assert_string_equal(dob("3/5/71"), "1971-03-05");
    assert_string_equal(dob("1971-03-05"), "1971-03-05");
    assert_string_equal(dob("1971/3/5"), "1971-03-05");
    assert_string_equal(dob("3-5-1971"), "1971-03-05");
    assert_string_equal(dob("5-Mar-1971"), "1971-03-05");
    assert_string_equal(dob("5-MAR-71"), "1971-03-05");
    assert_string_equal(dob("5 March 1971"), "1971-03-05");
    assert_string_equal(dob("5th March 1971"), "1971-03-05");
    assert_string_equal(dob("19 Oct. 2002"), "2002-10-19");
    assert_string_equal(dob("March 5, 1971"), "1971-03-05");
    assert_string_equal(dob("Mar. 5, 1971"), "1971-03-05");
    assert_string_equal(dob("Sept 5th 1971"), "1971-09-05");
    assert_string_equal(dob("september 5, 1971"), "1971-09-05");
    assert_string_equal(dob("June 2, '43"), "1943-06-02");
}

static void test_field_order(void **state)
{
    (void)state;
    /* slashes and dashes: month first, day first when the first field is over 12 */
    assert_string_equal(dob("04/12/1967"), "1967-04-12");
    assert_string_equal(dob("25/12/1967"), "1967-12-25");
    assert_string_equal(dob("12/25/1967"), "1967-12-25");
    assert_string_equal(dob("13/13/1967"), "REJECT");
    /* dots: day first (European), month first only when the second field is over 12 */
    assert_string_equal(dob("05.03.1971"), "1971-03-05");
    assert_string_equal(dob("20.07.1952"), "1952-07-20");
    assert_string_equal(dob("07.20.1952"), "1952-07-20");
    /* mixed separators are no date */
    assert_string_equal(dob("03/05-1971"), "REJECT");
    assert_string_equal(dob("1971-03/05"), "REJECT");
}

static void test_two_digit_years(void **state)
{
    (void)state;
    /* today is 2025-06-15 */
    assert_string_equal(dob("1/1/05"), "2005-01-01");
    assert_string_equal(dob("6/15/25"), "2025-06-15");
    assert_string_equal(dob("6/16/25"), "1925-06-16");
    assert_string_equal(dob("1/1/30"), "1930-01-01");
    assert_string_equal(dob("12/31/99"), "1999-12-31");
    assert_string_equal(dob("01-02-00"), "2000-01-02");
}

static void test_calendar(void **state)
{
    (void)state;
    assert_string_equal(dob("02/30/1971"), "REJECT");
    assert_string_equal(dob("04/31/1971"), "REJECT");
    assert_string_equal(dob("11/31/1956"), "REJECT");
    assert_string_equal(dob("02/29/1971"), "REJECT");
    assert_string_equal(dob("02/29/1972"), "1972-02-29");
    assert_string_equal(dob("29.02.2000"), "2000-02-29");
    assert_string_equal(dob("00/10/1971"), "REJECT");
    assert_string_equal(dob("10/00/1971"), "REJECT");
    assert_string_equal(dob("31 Feb 1971"), "REJECT");
    assert_string_equal(dob("Foo 5, 1971"), "REJECT");
    assert_true(ps_date_is_leap(2000));
    assert_false(ps_date_is_leap(1900));
    assert_int_equal(ps_date_days_in_month(2024, 2), 29);
    assert_int_equal(ps_date_days_in_month(2023, 13), 0);
}

static void test_age_window(void **state)
{
    (void)state;
    /* today 2025-06-15: oldest plausible birthdate 1905-06-15 */
    assert_string_equal(dob("06/15/1905"), "1905-06-15");
    assert_string_equal(dob("06/14/1905"), "REJECT");
    assert_string_equal(dob("01/01/1850"), "REJECT");
    assert_string_equal(dob("06/16/2025"), "REJECT"); /* tomorrow */
    assert_string_equal(dob("2031-01-01"), "REJECT");
    assert_string_equal(dob("2025-06-15"), "2025-06-15"); /* born today */
}

static void test_days_roundtrip(void **state)
{
    struct ps_ymd d = {1970, 1, 1};
    struct ps_ymd back;
    (void)state;

    assert_int_equal(ps_date_to_days(&d), 0);
    for (int64_t z = -700000; z <= 2900000; z += 997) {
        ps_date_from_days(z, &back);
        assert_true(ps_date_valid(&back));
        assert_int_equal(ps_date_to_days(&back), z);
    }
    ps_date_today(at(2014, 11, 24), &back);
    assert_int_equal(back.y, 2014);
    assert_int_equal(back.m, 11);
    assert_int_equal(back.d, 24);
    ps_date_today(-1, &back); /* one second before the epoch */
    assert_int_equal(back.y, 1969);
    assert_int_equal(back.d, 31);
}

static void test_month_names(void **state)
{
    (void)state;
    assert_int_equal(ps_date_month_from_name("Jan", 3), 1);
    assert_int_equal(ps_date_month_from_name("SEPT", 4), 9);
    assert_int_equal(ps_date_month_from_name("September", 9), 9);
    assert_int_equal(ps_date_month_from_name("May", 3), 5);
    assert_int_equal(ps_date_month_from_name("Ma", 2), 0);
    assert_int_equal(ps_date_month_from_name("Marc", 4), 0);
    assert_int_equal(ps_date_month_from_name("Mayday", 6), 0);
}

/* Excel serials: only in a cell under a fitting column. */
static const char *serial(const char *s, const char *field, bool in_column)
{
    static char norm[64];
    struct ps_validate_ctx vc;

    memset(&vc, 0, sizeof vc);
    vc.now = at(2025, 6, 15);
    vc.field = field;
    vc.in_column = in_column;
    if (ps_validate_excel_date(&vc, s, strlen(s), norm, sizeof norm) == PS_VERDICT_REJECT)
        return "REJECT";
    return norm;
}

static void test_excel(void **state)
{
    struct ps_ymd d;
    (void)state;

    assert_true(ps_date_from_excel(1, &d));
    assert_true(d.y == 1900 && d.m == 1 && d.d == 1);
    assert_true(ps_date_from_excel(59, &d));
    assert_true(d.y == 1900 && d.m == 2 && d.d == 28);
    assert_false(ps_date_from_excel(60, &d)); /* Lotus's 1900-02-29 */
    assert_true(ps_date_from_excel(61, &d));
    assert_true(d.y == 1900 && d.m == 3 && d.d == 1);
    assert_true(ps_date_from_excel(25569, &d));
    assert_true(d.y == 1970 && d.m == 1 && d.d == 1);
    assert_false(ps_date_from_excel(0, &d));
    assert_string_equal(serial("25267", "DOB", true), "1969-03-05");
    assert_string_equal(serial("25267.0", "DOB", true), "1969-03-05");
    assert_string_equal(serial("18454", "Date of Birth", true), "1950-07-10");
    assert_string_equal(serial("25267.5", "DOB", true), "REJECT");
    assert_string_equal(serial("25267", NULL, true), "REJECT");       /* prose */
    assert_string_equal(serial("25267", "Invoice", false), "REJECT"); /* other column */
    assert_string_equal(serial("1971", "DOB", true), "REJECT");       /* a year: 1905 */
    assert_string_equal(serial("99999", "DOB", true), "REJECT");      /* 2173 */
}

static void test_validator_registry(void **state)
{
    const struct ps_validator *v = ps_validator_find("date");
    char norm[32];
    (void)state;

    assert_non_null(v);
    assert_null(v->fn);
    assert_non_null(v->fn_ctx);
    assert_non_null(ps_validator_find("excel_date"));
    /* without a context: the current time, which is after 1971 */
    assert_int_equal(ps_validator_run(v, NULL, "3/5/71", 6, norm, sizeof norm),
                     PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "1971-03-05");
    /* a norm buffer too small is a reject, never an overflow */
    assert_int_equal(ps_validator_run(v, NULL, "3/5/71", 6, norm, 8), PS_VERDICT_REJECT);
    /* plain validators still run through ps_validator_run */
    assert_int_equal(
        ps_validator_run(ps_validator_find("ssn"), NULL, "123-45-6780", 11, norm, sizeof norm),
        PS_VERDICT_PLAUSIBLE);
}

/* Hostile input: random bytes (a fixed LCG), long runs, no NUL terminator; the
 * validator must return, never read past n, and write a terminated norm. */
static void test_hostile(void **state)
{
    static const char alphabet[] = "0123456789/-.,: $kKmMuUsSdDhHrR'\x80\xc3\xa9"
                                   "AaJjNn\t";
    char buf[96];
    char norm[64];
    uint32_t x = 12345;
    struct ps_validate_ctx vc;
    (void)state;

    memset(&vc, 0, sizeof vc);
    vc.now = 1749988800;
    vc.field = "X";
    vc.in_column = true;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        x = x * 1103515245u + 12345u;
        n = (x >> 8) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        /* buf is not NUL-terminated at n: ASan catches a read past it only with a
         * copy of the exact size */
        char *exact = malloc(n ? n : 1);
        assert_non_null(exact);
        memcpy(exact, buf, n);
        if (ps_validate_date(&vc, exact, n, norm, sizeof norm) != PS_VERDICT_REJECT)
            assert_true(memchr(norm, '\0', sizeof norm) != NULL);
        free(exact);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_field_order),
        cmocka_unit_test(test_two_digit_years),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_age_window),
        cmocka_unit_test(test_days_roundtrip),
        cmocka_unit_test(test_month_names),
        cmocka_unit_test(test_excel),
        cmocka_unit_test(test_validator_registry),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
