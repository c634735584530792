/* test_aba.c - ABA routing numbers: checksum, Federal Reserve prefixes, and the
 * routing rule, which reports only with bank words nearby. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static void test_checksum(void **state)
{
    (void)state;
    assert_true(ps_aba_valid("021000021"));
    assert_true(ps_aba_valid("011000015"));
    assert_true(ps_aba_valid("121000358"));
    assert_true(ps_aba_valid("322271627"));
    assert_true(ps_aba_valid("026009593"));
    assert_false(ps_aba_valid("021000022"));
    assert_false(ps_aba_valid("123456789"));
    assert_false(ps_aba_valid("000000000")); /* checksum 0, but filler */
    assert_false(ps_aba_valid("02100002a"));
}

static void test_prefixes(void **state)
{
    (void)state;
    /* every one of these passes the checksum; only the prefix decides */
    assert_true(ps_aba_valid("120000003"));
    assert_false(ps_aba_valid("130000006"));
    assert_false(ps_aba_valid("200000004"));
    assert_true(ps_aba_valid("210000007"));
    assert_true(ps_aba_valid("320000007"));
    assert_false(ps_aba_valid("330000000"));
    assert_false(ps_aba_valid("600000002"));
    assert_true(ps_aba_valid("610000005"));
    assert_true(ps_aba_valid("720000005"));
    assert_false(ps_aba_valid("730000008"));
    assert_false(ps_aba_valid("790000006"));
    assert_true(ps_aba_valid("800000006"));
    assert_false(ps_aba_valid("810000009"));
    assert_false(ps_aba_valid("990000000"));
}

static void test_validator(void **state)
{
    char norm[16];
    (void)state;
    assert_int_equal(ps_validate_aba("021000021", 9, norm, sizeof norm), PS_VERDICT_CHECKSUM);
    assert_string_equal(norm, "021000021");
    assert_int_equal(ps_validate_aba("02100002", 8, norm, sizeof norm), PS_VERDICT_REJECT);
}

static void test_rules_on_text(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "Routing: 021000021", "bank_account", "021000021");
    expect_finding(rules, "ABA 011000015 acct 12345", "bank_account", "011000015");
    expect_finding(rules, "bank account routing no. 322271627", "bank_account", "322271627");
    expect_nothing(rules, "ref 021000021");               /* no bank words */
    expect_nothing(rules, "Routing: 021000022");          /* checksum */
    expect_nothing(rules, "Routing: 330000000");          /* prefix */
    expect_nothing(rules, "Routing: 0210000210");         /* longer number */
    expect_nothing(rules, "Routing: 1021000021");
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
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_rules_on_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
