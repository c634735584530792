/* test_phone.c - NANP numbers: area code / exchange rules, the written forms,
 * and decoys (longer numbers, dates, SSN shapes, bare digits without context). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static void test_nanp(void **state)
{
    (void)state;
    assert_true(ps_nanp_valid("2125550143"));
    assert_true(ps_nanp_valid("2002000000"));
    assert_false(ps_nanp_valid("1125550143"));  /* area starts with 1 */
    assert_false(ps_nanp_valid("0125550143"));
    assert_false(ps_nanp_valid("2121550143"));  /* exchange starts with 1 */
    assert_false(ps_nanp_valid("2120550143"));
    assert_false(ps_nanp_valid("4115550143"));  /* N11 area */
    assert_false(ps_nanp_valid("9115550143"));
    assert_true(ps_nanp_valid("4105550143"));
    assert_false(ps_nanp_valid("2125110143"));  /* N11 exchange */
    assert_true(ps_nanp_valid("2125100143"));
    assert_false(ps_nanp_valid("2915550143"));  /* N9X reserved */
    assert_true(ps_nanp_valid("8005550143"));
}

static void test_validator(void **state)
{
    char norm[16];
    (void)state;
    assert_int_equal(ps_validate_phone("(212) 555-0143", 14, norm, sizeof norm),
                     PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "2125550143");
    assert_int_equal(ps_validate_phone("+1 212 555 0143", 15, norm, sizeof norm),
                     PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "2125550143");
    assert_int_equal(ps_validate_phone("2-212-555-0143", 14, norm, sizeof norm),
                     PS_VERDICT_REJECT);
    assert_int_equal(ps_validate_phone("212-555-014", 11, norm, sizeof norm), PS_VERDICT_REJECT);
}

static void test_forms(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "call (212) 555-0143 now", "phone", "(212) 555-0143");
    expect_finding(rules, "x (212)555-0143", "phone", "(212)555-0143");
    expect_finding(rules, "x 212-555-0143", "phone", "212-555-0143");
    expect_finding(rules, "x 212.555.0143.", "phone", "212.555.0143");
    expect_finding(rules, "x +1 212 555 0143", "phone", "+1 212 555 0143");
    expect_finding(rules, "x +1 (212) 555-0143", "phone", "+1 (212) 555-0143");
    expect_finding(rules, "x 1-212-555-0143", "phone", "1-212-555-0143");
    expect_finding(rules, "x +12125550143", "phone", "+12125550143");
    expect_finding(rules, "x 212 555 0143", "phone", "212 555 0143");
    expect_finding(rules, "Phone: 2125550143", "phone", "2125550143");
    expect_normalized(rules, "x 1-212-555-0143", "phone", "2125550143");
    expect_normalized(rules, "x (212) 555-0143", "phone", "2125550143");
}

static void test_decoys(void **state)
{
    const piiscan_rules *rules = *state;

    expect_nothing(rules, "ref 2125550143");             /* bare, no context */
    expect_nothing(rules, "order 12125550143999");
    expect_nothing(rules, "x 212-555-01439");
    expect_nothing(rules, "x 9212-555-0143");
    expect_nothing(rules, "x 212-555.0143");              /* mixed separators */
    expect_nothing(rules, "on 2014-03-15 at 10:30");      /* a date */
    expect_nothing(rules, "x 112-555-0143");              /* area starts with 1 */
    expect_nothing(rules, "x 411-555-0143");              /* N11 area */
    expect_nothing(rules, "x 212-911-0143");              /* N11 exchange */
    expect_nothing(rules, "x 212-155-0143");
    expect_nothing(rules, "v 212.555.0143.7");
    expect_nothing(rules, "1 212 555 0143 9");
    expect_no_category(rules, "SSN 234-56-7890", "phone"); /* SSN shape */
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
        cmocka_unit_test(test_nanp),
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_decoys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
