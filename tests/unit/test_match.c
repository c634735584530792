/* test_match.c - every rule against its neighbours: one text per category that
 * must give exactly that finding, and a zoo of number-like decoys (dates, times,
 * IPs, versions, UUIDs, ISBNs, prices, order and tracking numbers, SSN-shaped
 * phones and phone-shaped SSNs) that must give nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

static void test_one_per_rule(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "SSN 234-56-7891", "ssn", "234-56-7891");
    expect_finding(rules, "social security number 234567891", "ssn", "234567891");
    expect_finding(rules, "ITIN 912-70-1234", "itin", "912-70-1234");
    expect_finding(rules, "taxpayer identification 912701234", "itin", "912701234");
    expect_finding(rules, "card 5555 5555 5555 4444", "credit_card", "5555 5555 5555 4444");
    expect_finding(rules, "ABA 026009593", "bank_account", "026009593");
    expect_finding(rules, "tel (212) 555-0143", "phone", "(212) 555-0143");
    expect_finding(rules, "cell: 2125550143", "phone", "2125550143");
    expect_finding(rules, "amy@example.com", "email", "amy@example.com");
}

static void test_number_zoo(void **state)
{
    const piiscan_rules *rules = *state;

    expect_nothing(rules, "on 2014-03-15 at 10:30:45.123");
    expect_nothing(rules, "on 03/15/2014 and 15.03.2014");
    expect_nothing(rules, "timestamp 1394879445 epoch");
    expect_nothing(rules, "timestamp 1394879445123 ms");
    expect_nothing(rules, "host 192.168.100.200 port 8080");
    expect_nothing(rules, "version 10.42.0.1234");
    expect_nothing(rules, "uuid 123e4567-e89b-12d3-a456-426614174000");
    expect_nothing(rules, "ISBN 978-0-306-40615-7");
    expect_nothing(rules, "ISBN 9780306406157");
    expect_nothing(rules, "total $1,234,567.89 due");
    expect_nothing(rules, "order 123456789012 shipped");
    expect_nothing(rules, "tracking 1Z999AA10123456784");
    expect_nothing(rules, "invoice 2014-0315-0001");
    expect_nothing(rules, "pi 3.14159265358979");
    expect_nothing(rules, "ref 234567891");                 /* bare 9 digits, no keyword */
    expect_nothing(rules, "ref 2125550143");                /* bare 10 digits, no keyword */
    expect_nothing(rules, "ref 021000021");                 /* routing-valid, no bank word */
    expect_nothing(rules, "routing 123456789");             /* bank word, checksum fails */
    expect_nothing(rules, "SSN 234-567-891");               /* 3-3-3 */
    expect_nothing(rules, "phone 212-55-50143");            /* neither shape */
    expect_nothing(rules, "x@y");
    expect_nothing(rules, "price@2x.png");                  /* TLD must be letters only */
}

static void test_neighbours(void **state)
{
    const piiscan_rules *rules = *state;

    /* an ITIN is never an SSN, an SSN never a phone, a phone never an SSN */
    expect_no_category(rules, "SSN 912-70-1234", "ssn");
    expect_no_category(rules, "phone 234-56-7891", "phone");
    expect_no_category(rules, "SSN 212-555-0143", "ssn");
    /* an SSN keyword does not make a routing number, nor a bank word an SSN */
    expect_no_category(rules, "SSN 021000021", "bank_account");
    expect_no_category(rules, "routing 234567891", "ssn");
    /* a card number holds no phone or SSN */
    expect_finding(rules, "card 4111111111111111", "credit_card", "4111111111111111");
    expect_finding(rules, "card 4111-1111-1111-1111", "credit_card", "4111-1111-1111-1111");
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
        cmocka_unit_test(test_one_per_rule),
        cmocka_unit_test(test_number_zoo),
        cmocka_unit_test(test_neighbours),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
