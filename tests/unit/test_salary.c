/* test_salary.c - validate/salary.c and rules/salary.yaml: every written form and its
 * normal form, the plausibility ranges, salary columns (plain numbers, "Rate" hourly
 * cells), and the decoys - prices, budgets, box office, totals, invoices, expenses,
 * a budget right after a salary, amounts in other columns, years and IDs. */
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
#include "validate/salary.h"
#include "validate/validate.h"

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

/* The salary validator on s (field = column header or NULL): norm or "REJECT". */
static const char *pay(const char *s, const char *field)
{
    static char norm[64];
    struct ps_validate_ctx vc;

    memset(&vc, 0, sizeof vc);
    vc.field = field;
    vc.in_column = field != NULL;
    if (ps_validate_salary(&vc, s, strlen(s), norm, sizeof norm) == PS_VERDICT_REJECT)
        return "REJECT";
    return norm;
}

static void test_validator_forms(void **state)
{
    (void)state;
    assert_string_equal(pay("$123,456.00", NULL), "123456.00");
    assert_string_equal(pay("$123,456", NULL), "123456.00");
    assert_string_equal(pay("123456", "Salary"), "123456.00");
    assert_string_equal(pay("USD 85,000", NULL), "85000.00");
    assert_string_equal(pay("USD85000", NULL), "85000.00");
    assert_string_equal(pay("US$ 85,000", NULL), "85000.00");
    assert_string_equal(pay("85,000.00 USD", NULL), "85000.00");
    assert_string_equal(pay("$85k", NULL), "85000.00");
    assert_string_equal(pay("$85K", NULL), "85000.00");
    assert_string_equal(pay("$1.2M", NULL), "1200000.00");
    assert_string_equal(pay("$1.25 million", NULL), "1250000.00");
    assert_string_equal(pay("$3,000,000", NULL), "3000000.00");
    assert_string_equal(pay("$42.50/hr", NULL), "42.50/hr");
    assert_string_equal(pay("$42.50 / hour", NULL), "42.50/hr");
    assert_string_equal(pay("$42.50 per hour", NULL), "42.50/hr");
    assert_string_equal(pay("$42.5 an hour", NULL), "42.50/hr");
}

static void test_validator_ranges(void **state)
{
    (void)state;
    /* hourly: 7 - 1,000 */
    assert_string_equal(pay("$6.99/hr", NULL), "REJECT");
    assert_string_equal(pay("$1,000.00/hr", NULL), "1000.00/hr");
    assert_string_equal(pay("$1,000.01/hr", NULL), "REJECT");
    /* a plain amount under 100 reads as hourly; 100-1,000 only in a rate column */
    assert_string_equal(pay("93.79", "Rate"), "93.79/hr");
    assert_string_equal(pay("110.60", "Hourly Rate"), "110.60/hr");
    assert_string_equal(pay("110.60", "Bonus"), "110.60");
    assert_string_equal(pay("$6", NULL), "REJECT");
    /* other pay (a bonus, a month): 100 - 10,000 */
    assert_string_equal(pay("$500", "Bonus"), "500.00");
    assert_string_equal(pay("$99.00", "Bonus"), "99.00/hr");
    /* annual: 10,000 - 50,000,000 */
    assert_string_equal(pay("$50,000,000", NULL), "50000000.00");
    assert_string_equal(pay("$50,000,001", NULL), "REJECT");
    assert_string_equal(pay("$152,000,000", NULL), "REJECT");
    assert_string_equal(pay("$60M", NULL), "REJECT");
}

static void test_validator_malformed(void **state)
{
    struct ps_salary a;
    (void)state;

    assert_string_equal(pay("$1,23,456", NULL), "REJECT");
    assert_string_equal(pay("$1234,567", NULL), "REJECT");
    assert_string_equal(pay("$123,45", NULL), "REJECT");
    assert_string_equal(pay("$85,000.123", NULL), "REJECT");
    assert_string_equal(pay("$85k/hr", NULL), "REJECT");
    assert_string_equal(pay("$85,000 dollars", NULL), "REJECT");
    assert_string_equal(pay("", NULL), "REJECT");
    assert_string_equal(pay("$", NULL), "REJECT");
    assert_string_equal(pay("$9999999999999", NULL), "REJECT");
    assert_false(ps_salary_parse("$999999999999M", 14, &a));
    assert_true(ps_salary_parse("$1.255M", 7, &a));
    assert_int_equal(a.cents, 125500000);
    assert_true(a.is_scaled && a.has_currency && !a.is_hourly);
}

/* The salary findings of text: "value=norm" joined by " | ". */
static const char *salaries(const piiscan_rules *rules, const char *text)
{
    static char out[1024];
    struct helper_findings fs;
    size_t n = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_text(rules, text, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "salary") != 0)
            continue;
        assert_true(h->confidence >= 0.69 && h->confidence <= 0.91);
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s=%s", n ? " | " : "", h->value,
                              h->normalized);
    }
    return out;
}

static void test_text(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(salaries(r, "Amy Pascal, SSN 123-45-6780, salary $3,000,000"),
                        "$3,000,000=3000000.00");
    assert_string_equal(salaries(r, "Annual Salary: $110,000.00"), "$110,000.00=110000.00");
    assert_string_equal(salaries(r, "Base Salary: $192k"), "$192k=192000.00");
    assert_string_equal(salaries(r, "Base Salary: 129,000.00 USD"), "129,000.00 USD=129000.00");
    assert_string_equal(salaries(r, "The signing bonus for Nancy Peters is USD 13,000."),
                        "USD 13,000=13000.00");
    assert_string_equal(salaries(r, "will be paid at a pay rate of $26.19/hr as a contractor"),
                        "$26.19/hr=26.19/hr");
    assert_string_equal(salaries(r, "she earns $42.50 per hour"), "$42.50 per hour=42.50/hr");
    assert_string_equal(salaries(r, "CEO compensation: $1.2M plus stock"), "$1.2M=1200000.00");
    assert_string_equal(salaries(r, "an offer of $120,000 per year"), "$120,000=120000.00");
    assert_string_equal(
        salaries(r, "Compensation review: Julie S. Smith current base pay USD 116,000, proposed "
                    "$140,250.00."),
        "USD 116,000=116000.00 | $140,250.00=140250.00");
    /* the budget after a salary is nearer to "budget" than to "salary" */
    assert_string_equal(salaries(r, "Lawrence Romero's salary is $341,000.00; separately, the "
                                    "Annie marketing budget is $152,000,000."),
                        "$341,000.00=341000.00");
    assert_string_equal(salaries(r, "Her salary is $90,000.00; separately, the Grown Ups "
                                    "marketing budget is USD 21,000,000."),
                        "$90,000.00=90000.00");
}

static void test_text_decoys(void **state)
{
    const piiscan_rules *r = *state;

    assert_string_equal(salaries(r, "Tickets are $19.99 each."), "");
    assert_string_equal(salaries(r, "The production budget was $44,000,000."), "");
    assert_string_equal(salaries(r, "Opening weekend box office: $36,500,000"), "");
    assert_string_equal(salaries(r, "Invoice total: $12,345.67, due in 30 days"), "");
    assert_string_equal(salaries(r, "Travel expenses of $2,027.23 were reimbursed"), "");
    assert_string_equal(salaries(r, "Annual marketing spend: $4,500,000"), "");
    assert_string_equal(salaries(r, "Price: USD 85,000"), "");
    assert_string_equal(salaries(r, "Net revenue for 2014 was 85,000.00 USD"), "");
    /* a unit price after a paragraph about a salary */
    assert_string_equal(salaries(r, "Her salary is $85,000.00.\n\nUnit price $602k, quantity 84"),
                        "$85,000.00=85000.00");
    /* "Price" the surname is no price; "Payroll" the department is no pay */
    assert_string_equal(salaries(r, "the annual base salary for Albert Price will be USD 124,500."),
                        "USD 124,500=124500.00");
    assert_string_equal(salaries(r, "The July budget for Payroll is $43 million."), "");
    /* no currency in text: no salary, whatever the keyword */
    assert_string_equal(salaries(r, "Salary review 2014 for employee 58204"), "");
    /* implausible pay */
    assert_string_equal(salaries(r, "salary $5"), "");
    assert_string_equal(salaries(r, "salary $60M"), "");
    /* inside a longer number */
    assert_string_equal(salaries(r, "salary ref $1,234,56"), "");
}

/* One ROW unit: the salary findings as "field:value=norm". */
static const char *row(const piiscan_rules *rules, const char *const *headers,
                       const char *const *cells, size_t n)
{
    static char out[1024];
    struct helper_findings fs;
    size_t k = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_row(rules, "pay.csv", 5, 4, headers, cells, n, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "salary") != 0)
            continue;
        assert_true(h->confidence >= 0.89);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s:%s=%s", k ? " | " : "", h->field,
                              h->value, h->normalized);
    }
    return out;
}

static void test_columns(void **state)
{
    const piiscan_rules *r = *state;
    const char *const h1[] = {"Employee Name", "Base Salary", "Bonus", "Travel Expenses",
                              "Employee ID"};
    const char *const c1[] = {"Harry Coleman", "82000.00", "$133,000", "$13,949.54", "266807868"};
    const char *const h2[] = {"Hourly Rate", "Annual Salary", "Price", "Box Office"};
    const char *const c2[] = {"93.79", "5,400,000", "$19.99", "$36,500,000"};
    const char *const h3[] = {"Salary", "Salary", "Salary", "Wage"};
    const char *const c3[] = {"n/a", "0", "$152,000,000", "42.50"};

    assert_string_equal(row(r, h1, c1, 5),
                        "Base Salary:82000.00=82000.00 | Bonus:$133,000=133000.00");
    assert_string_equal(row(r, h2, c2, 4),
                        "Hourly Rate:93.79=93.79/hr | Annual Salary:5,400,000=5400000.00");
    assert_string_equal(row(r, h3, c3, 4), "Wage:42.50=42.50/hr");
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
        if (ps_validate_salary(&vc, exact, n, norm, sizeof norm) != PS_VERDICT_REJECT)
            assert_true(memchr(norm, '\0', sizeof norm) != NULL);
        free(exact);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validator_forms),
        cmocka_unit_test(test_validator_ranges),
        cmocka_unit_test(test_validator_malformed),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_decoys),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
