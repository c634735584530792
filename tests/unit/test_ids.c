/* test_ids.c - driver's licence, passport, bank account and street address rules
 * (rules/ids.yaml): labelled values are found, the same digits without their label,
 * or after a customer / order label, are not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

static piiscan_rules *rules;

static int setup(void **state)
{
    (void)state;
    rules = helper_load_rules();
    return rules ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    piiscan_rules_free(rules);
    return 0;
}

static void test_drivers_license(void **state)
{
    (void)state;
    expect_finding(rules, "Driver License: C1234567", "drivers_license", "C1234567");
    expect_finding(rules, "driver's license no. D12-345-678", "drivers_license", "D12-345-678");
    expect_finding(rules, "DL# 123456789 (NY)", "drivers_license", "123456789");
    expect_finding(rules, "State ID: 87654321", "drivers_license", "87654321");
    expect_nothing(rules, "The DL is 2 miles away, 1234567 steps");
    expect_nothing(rules, "Order 12345678 shipped, invoice 9876543");
    expect_nothing(rules, "C1234567");
}

static void test_passport(void **state)
{
    (void)state;
    expect_finding(rules, "Passport No. 512345678", "passport", "512345678");
    expect_finding(rules, "passport: X12345678, exp 2031", "passport", "X12345678");
    expect_nothing(rules, "passport photo taken 2019, room 512345678x");
    expect_nothing(rules, "Reference 512345678");
}

static void test_bank_account(void **state)
{
    (void)state;
    expect_finding(rules, "account number 000123456789", "bank_account", "000123456789");
    expect_finding(rules, "Acct #: 4455667788", "bank_account", "4455667788");
    expect_nothing(rules, "Customer account 12345678 is overdue");
    expect_nothing(rules, "Order 12345678 shipped");
    expect_nothing(rules, "account 12345");
}

static void test_address(void **state)
{
    (void)state;
    expect_finding(rules, "lives at 10202 W Washington Blvd, Culver City", "address",
                   "10202 W Washington Blvd");
    expect_finding(rules, "Mail to 42 Elm Street Apt 4B please", "address", "42 Elm Street Apt 4B");
    expect_nothing(rules, "We sold 42 Blue Widgets to Main Street customers");
    expect_nothing(rules, "Washington Blvd is closed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drivers_license),
        cmocka_unit_test(test_passport),
        cmocka_unit_test(test_bank_account),
        cmocka_unit_test(test_address),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
