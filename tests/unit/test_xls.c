/* test_xls.c - the legacy Excel parser (FreeXL over a memfd) on a workbook written
 * by xlwt (text, numbers, date-formatted cells, two sheets), the same file cut in
 * half, and buffers that are not .xls at all. Exact rows, headers and refs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>

#include "../gen/office/office_record.h"
#include "extract/office.h"
#include "extract/xls.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void parse_buf(const char *buf, size_t len, struct rec *r)
{
    struct ps_office_sink sink;
    struct ps_office_limits lim;

    ps_office_limits_init(&lim, NULL);
    rec_init(r, &sink);
    assert_int_equal(ps_xls_parse(buf, len, &lim, &sink), PIISCAN_OK);
}

static void parse_fixture(const char *name, struct rec *r)
{
    size_t len;
    char *buf = rec_fixture(name, &len);

    parse_buf(buf, len, r);
    free(buf);
}

/* Descriptors open in this process, to show the memfd is closed again. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    assert_non_null(d);
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}

static void test_xlwt_workbook(void **state)
{
    static const char *const want[] = {
        "Employees:1: A1=Employee Name | B1=SSN | C1=DOB | D1=Salary",
        "Employees:2: A2[Employee Name]=Maria Garcia | B2[SSN]=536-22-8153 | C2[DOB]=1967-04-12 | "
        "D2[Salary]=85000",
        "Employees:3: A3[Employee Name]=James Whitfield | B3[SSN]=412-67-3390 | "
        "C3[DOB]=1982-11-03 | D3[Salary]=123500.5",
        "Employees:4: A4[Employee Name]=Linda Okafor | B4[SSN]=287-14-5562 | C4[DOB]=1975-02-28 | "
        "D4[Salary]=67250",
        "Employees:5: A5[Employee Name]=Robert Chen | B5[SSN]=601-38-7244 | C5[DOB]=1990-07-19 | "
        "D5[Salary]=240000",
        "Contacts:1: A1=Name | B1=Email | C1=Phone | D1=Hire Date",
        "Contacts:2: A2[Name]=Maria Garcia | B2[Email]=mgarcia@example.com | "
        "C2[Phone]=(212) 555-0147 | D2[Hire Date]=2009-03-02",
        "Contacts:3: A3[Name]=Robert Chen | B3[Email]=rchen@example.com | C3[Phone]=310-555-0199 | "
        "D3[Hire Date]=2014-08-25",
    };
    struct rec r = {0};
    int fds = open_fds();

    (void)state;
    parse_fixture("hr.xls", &r);
    rec_expect(&r, want, N(want));
    assert_int_equal(open_fds(), fds);
    rec_free(&r);
}

static void test_truncated_workbook(void **state)
{
    static const char *const want[] = {"W - ECORRUPT: not a readable Excel 97-2003 workbook: *"};
    struct rec r = {0};

    (void)state;
    parse_fixture("truncated.xls", &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
}

static void test_not_xls(void **state)
{
    static const char *const want[] = {"W - ECORRUPT: not a readable Excel 97-2003 workbook: *"};
    static const char junk[] = "Name,SSN\nMaria Garcia,536-22-8153\n";
    struct rec r = {0};
    size_t len;
    char *xlsx = rec_fixture("hr.xlsx", &len);

    (void)state;
    parse_buf(xlsx, len, &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    free(xlsx);
    parse_buf(junk, sizeof junk - 1, &r);
    rec_expect(&r, want, N(want));
    rec_free(&r);
    parse_buf("", 0, &r);
    assert_int_equal(r.n, 1);
    assert_true(rec_has(&r, "W - ECORRUPT: not a readable Excel"));
    rec_free(&r);
}

static void test_scan_end_to_end(void **state)
{
    static const char *const cats[] = {"ssn", "email", "phone", NULL};
    static const char *const want[] = {
        "B hr.xls xls",
        "F ssn hr.xls!Employees:2 [SSN] 536-22-8153 #2",
        "F ssn hr.xls!Employees:3 [SSN] 412-67-3390 #3",
        "F ssn hr.xls!Employees:4 [SSN] 287-14-5562 #4",
        "F ssn hr.xls!Employees:5 [SSN] 601-38-7244 #5",
        "F email hr.xls!Contacts:2 [Email] mgarcia@example.com #2",
        "F phone hr.xls!Contacts:2 [Phone] (212) 555-0147 #2",
        "F email hr.xls!Contacts:3 [Email] rchen@example.com #3",
        "F phone hr.xls!Contacts:3 [Phone] 310-555-0199 #3",
    };
    static const char *const broken[] = {
        "B truncated.xls xls",
        "W truncated.xls ECORRUPT whole: not a readable Excel 97-2003 workbook: *",
    };
    struct rec_scan s = {.cats = cats};

    (void)state;
    rec_scan_fixture("hr.xls", &s);
    rec_expect(&s.r, want, N(want));
    rec_free(&s.r);
    rec_scan_fixture("truncated.xls", &s);
    rec_expect(&s.r, broken, N(broken));
    rec_free(&s.r);
}

/* FreeXL 1.0.6 leaks a few hundred bytes inside freexl_open / freexl_open_info on
 * some damaged files even though the handle is closed (allocated and lost in its
 * own error paths; nothing of ours). LeakSanitizer reads this hook of the test
 * binary, so only this binary and only that library are excused. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfreexl.so\n";
}

/* 300 mutants of the xlwt workbook through FreeXL: no crash. */
static void test_mutants(void **state)
{
    (void)state;
    (void)rec_mutate("hr.xls", ps_xls_parse, 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlwt_workbook), cmocka_unit_test(test_truncated_workbook),
        cmocka_unit_test(test_not_xls),       cmocka_unit_test(test_scan_end_to_end),
        cmocka_unit_test(test_mutants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
