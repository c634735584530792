/* test_columns_detect.c - column awareness end to end, through the public API
 * (piiscan_scan_buffer: sniff -> text extractor -> table detection -> ROW units ->
 * engine with the column classifier of rules/data installed by the rule loader).
 *
 * The acceptance case of issue 3: a CSV whose header is "Employee Name,SSN,DOB,Salary"
 * gives exactly four findings per row with `field` filled in, also when the values are
 * unformatted (nine bare digits, an Excel serial, a plain number); the same data as free
 * text gives the same four; a published sample SSN (123-45-6789) is never reported.
 * Also: a report title above the header row, First + Last columns joined into one
 * name, a "Hire Date" column and an "Employee ID" column that hold no PII, and a memo
 * libmagic mistakes for HP-GL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/category.h"
#include "helpers.h"
#include "piiscan/scan.h"

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

/* Findings as "line:category:field=value" lines, in report order. */
struct collected {
    char text[8192];
    size_t len;
    size_t n;
};

static int on_event(const piiscan_event *ev, void *user)
{
    struct collected *c = user;
    const piiscan_finding *f = ev->finding;

    if (ev->kind != PIISCAN_EV_FINDING)
        return PIISCAN_CONTINUE;
    c->n++;
    int w = snprintf(c->text + c->len, sizeof c->text - c->len, "%llu:%s:%s=%s\n",
                     (unsigned long long)f->line, ps_category_name(f->category),
                     f->field ? f->field : "", f->value);
    if (w > 0 && (size_t)w < sizeof c->text - c->len)
        c->len += (size_t)w;
    return PIISCAN_CONTINUE;
}

static const char *scan(const piiscan_rules *rules, const char *lpath, const char *data,
                        size_t *count)
{
    static struct collected c;
    piiscan_scanner *sc = NULL;
    piiscan_options opt;

    memset(&c, 0, sizeof c);
    piiscan_options_init(&opt);
    assert_int_equal(piiscan_scanner_new(rules, &opt, &sc), PIISCAN_OK);
    assert_int_equal(piiscan_scan_buffer(sc, lpath, data, strlen(data), on_event, &c), PIISCAN_OK);
    piiscan_scanner_free(sc);
    if (count != NULL)
        *count = c.n;
    return c.text;
}

static void test_csv_four_per_row(void **state)
{
    const piiscan_rules *r = *state;
    size_t n = 0;
    const char *out = scan(r, "hr/payroll.csv",
                           "Employee Name,SSN,DOB,Salary\n"
                           "Amy Pascal,123-45-6780,04/12/1967,\"$3,000,000\"\n"
                           "\"Pascal, Amy\",123456780,25267,3000000\n"
                           "Michael Lynton,234-56-7891,1960-01-02,\"$2,500,000.00\"\n"
                           "Sample Person,123-45-6789,07/04/1976,85000\n",
                           &n);

    assert_string_equal(out, "2:name:Employee Name=Amy Pascal\n"
                             "2:ssn:SSN=123-45-6780\n"
                             "2:dob:DOB=04/12/1967\n"
                             "2:salary:Salary=$3,000,000\n"
                             "3:name:Employee Name=Pascal, Amy\n"
                             "3:ssn:SSN=123456780\n"
                             "3:dob:DOB=25267\n"
                             "3:salary:Salary=3000000\n"
                             "4:name:Employee Name=Michael Lynton\n"
                             "4:ssn:SSN=234-56-7891\n"
                             "4:dob:DOB=1960-01-02\n"
                             "4:salary:Salary=$2,500,000.00\n"
                             "5:name:Employee Name=Sample Person\n"
                             "5:dob:DOB=07/04/1976\n"
                             "5:salary:Salary=85000\n");
    assert_int_equal(n, 15);
}

static void test_free_text_same_four(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(
        scan(r, "memo.txt", "Amy Pascal, SSN 123-45-6780, born 04/12/1967, salary $3,000,000\n",
             NULL),
        "1:name:=Amy Pascal\n1:ssn:=123-45-6780\n1:dob:=04/12/1967\n1:salary:=$3,000,000\n");
    /* the sample number is never a person's: three */
    assert_string_equal(scan(r, "memo.txt",
                             "Amy Pascal, SSN 123-45-6789, born 04/12/1967, salary $3,000,000\n",
                             NULL),
                        "1:name:=Amy Pascal\n1:dob:=04/12/1967\n1:salary:=$3,000,000\n");
}

static void test_columns_without_pii(void **state)
{
    const piiscan_rules *r = *state;

    /* first + last name columns give one name; a hire date, an employee ID, a city and a
     * department are no findings; a rate column makes a plain number an hourly salary */
    assert_string_equal(scan(r, "hr/hourly.csv",
                             "Employee ID;LastName;First;Social Security Number;Rate;Hire Date;"
                             "City;Dept\n"
                             "266807868;Powell;Evelyn;270 13 6306;93.79;10/12/1986;Culver City;"
                             "Sony Pictures\n"
                             "58204;Alvarez;Joshua;790404545;16.50;06/10/1987;Beverly Hills;"
                             "Payroll\n",
                             NULL),
                        "2:name:First+LastName=Evelyn Powell\n"
                        "2:ssn:Social Security Number=270 13 6306\n"
                        "2:salary:Rate=93.79\n"
                        "3:name:First+LastName=Joshua Alvarez\n"
                        "3:ssn:Social Security Number=790404545\n"
                        "3:salary:Rate=16.50\n");
    /* nine digits are an SSN under an SSN column, nothing under an ID column */
    assert_string_equal(scan(r, "ids.csv",
                             "Employee ID,Badge,Employee SSN\n"
                             "790404545,790404545,790404545\n",
                             NULL),
                        "2:ssn:Employee SSN=790404545\n");
}

static void test_report_preamble(void **state)
{
    const piiscan_rules *r = *state;

    /* a title and a blank line above the header: still a table, lines stay physical */
    assert_string_equal(scan(r, "exec.csv",
                             "Payroll Register - May 2014\n"
                             "\n"
                             "Associate Name,Title,BASE_SAL,Bonus Amt,DateOfBirth\n"
                             "\"WILLIAMS, GARY\",Executive Assistant,\"$3,700,000.00\","
                             "\"$105,000.00\",12/22/1964\n",
                             NULL),
                        "4:name:Associate Name=WILLIAMS, GARY\n"
                        "4:salary:BASE_SAL=$3,700,000.00\n"
                        "4:salary:Bonus Amt=$105,000.00\n"
                        "4:dob:DateOfBirth=12/22/1964\n");
    /* prose that starts with a short line is not a table */
    assert_string_equal(scan(r, "note.txt",
                             "Hello\n\nWe met Amy Pascal, then Sony, then lunch.\n"
                             "Also, later, more, words, here.\n",
                             NULL),
                        "3:name:=Amy Pascal\n");
}

/* A memo libmagic calls HP-GL ("PA" starts an HP-GL program) is still read as text. */
static void test_memo_sniffed_as_hpgl(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(scan(r, "memo.txt",
                             "PAYROLL NOTES\nDate: July 17, 2014\n\n"
                             "Peter Hunt (DOB 06/20/1953), salary $86,250.00\n",
                             NULL),
                        "4:name:=Peter Hunt\n4:dob:=06/20/1953\n4:salary:=$86,250.00\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_four_per_row),
        cmocka_unit_test(test_free_text_same_four),
        cmocka_unit_test(test_columns_without_pii),
        cmocka_unit_test(test_report_preamble),
        cmocka_unit_test(test_memo_sniffed_as_hpgl),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
