/* test_itin.c - the itin validator (9xx area, group ranges) and the itin rules:
 * an ITIN is reported as itin, never also as an ssn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static void test_groups(void **state)
{
    (void)state;
    assert_false(ps_itin_valid(912, 49, 1234));
    assert_true(ps_itin_valid(912, 50, 1234));
    assert_true(ps_itin_valid(912, 65, 1234));
    assert_false(ps_itin_valid(912, 66, 1234));
    assert_false(ps_itin_valid(912, 69, 1234));
    assert_true(ps_itin_valid(912, 70, 1234));
    assert_true(ps_itin_valid(912, 88, 1234));
    assert_false(ps_itin_valid(912, 89, 1234));
    assert_true(ps_itin_valid(912, 90, 1234));
    assert_true(ps_itin_valid(912, 92, 1234));
    assert_false(ps_itin_valid(912, 93, 1234));
    assert_true(ps_itin_valid(912, 94, 1234));
    assert_true(ps_itin_valid(999, 99, 1234));
    assert_false(ps_itin_valid(899, 70, 1234));
    assert_true(ps_itin_valid(900, 70, 1234));
}

static void test_validator(void **state)
{
    char norm[32];
    (void)state;
    assert_int_equal(ps_validate_itin("912-70-1234", 11, norm, sizeof norm), PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "912701234");
    assert_int_equal(ps_validate_itin("912-93-1234", 11, norm, sizeof norm), PS_VERDICT_REJECT);
    assert_int_equal(ps_validate_itin("812-70-1234", 11, norm, sizeof norm), PS_VERDICT_REJECT);
    /* the SSA advertising range, ITIN-shaped */
    assert_int_equal(ps_validate_itin("987-65-4320", 11, norm, sizeof norm), PS_VERDICT_REJECT);
    assert_int_equal(ps_validate_itin("987-65-4329", 11, norm, sizeof norm), PS_VERDICT_REJECT);
    assert_int_equal(ps_validate_itin("987-65-4330", 11, norm, sizeof norm), PS_VERDICT_PLAUSIBLE);
    /* and the ssn validator never accepts an ITIN */
    assert_int_equal(ps_validate_ssn("912-70-1234", 11, norm, sizeof norm), PS_VERDICT_REJECT);
}

static void test_rules_on_text(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "ITIN 912-70-1234", "itin", "912-70-1234");
    expect_finding(rules, "taxpayer 955 94 0001", "itin", "955 94 0001");
    expect_finding(rules, "id 900.50.1234", "itin", "900.50.1234");
    expect_finding(rules, "ITIN: 912701234", "itin", "912701234");
    expect_no_category(rules, "ITIN 912-70-1234", "ssn");
    /* a 9xx area with a group outside the ITIN ranges is neither */
    expect_nothing(rules, "ITIN 912-93-1234");
    expect_nothing(rules, "ITIN 912-45-1234");
    expect_nothing(rules, "ref 912701234");
    expect_nothing(rules, "ITIN 912-70-12345");
    expect_nothing(rules, "ITIN 912-70.1234");
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
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_rules_on_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
