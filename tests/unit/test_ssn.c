/* test_ssn.c - the ssn validator: area / group / serial ranges, sample numbers,
 * normalisation; and the ssn rules on text (formats, longer-number decoys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static enum ps_verdict check(const char *s, char *norm)
{
    return ps_validate_ssn(s, strlen(s), norm, 32);
}

static void test_area_boundaries(void **state)
{
    (void)state;
    /* 000, 666 and 900-999 are never issued; since 2011 everything else may be. */
    assert_false(ps_ssn_valid(0, 12, 3456));
    assert_true(ps_ssn_valid(1, 12, 3456));
    assert_true(ps_ssn_valid(665, 12, 3456));
    assert_false(ps_ssn_valid(666, 12, 3456));
    assert_true(ps_ssn_valid(667, 12, 3456));
    assert_true(ps_ssn_valid(733, 12, 3456));
    assert_true(ps_ssn_valid(734, 12, 3456));
    assert_true(ps_ssn_valid(749, 12, 3456));
    assert_true(ps_ssn_valid(750, 12, 3456));
    assert_true(ps_ssn_valid(772, 12, 3456));
    assert_true(ps_ssn_valid(773, 12, 3456));
    assert_true(ps_ssn_valid(899, 12, 3456));
    assert_false(ps_ssn_valid(900, 12, 3456));
    assert_false(ps_ssn_valid(987, 65, 4321));
    assert_false(ps_ssn_valid(999, 12, 3456));
}

static void test_group_serial(void **state)
{
    (void)state;
    assert_false(ps_ssn_valid(123, 0, 4567));
    assert_true(ps_ssn_valid(123, 1, 4567));
    assert_true(ps_ssn_valid(123, 99, 4567));
    assert_false(ps_ssn_valid(123, 45, 0));
    assert_true(ps_ssn_valid(123, 45, 1));
    assert_true(ps_ssn_valid(123, 45, 9999));
}

static void test_validator_strings(void **state)
{
    char norm[32];
    (void)state;
    assert_int_equal(check("123-45-6780", norm), PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "123456780");
    assert_int_equal(check("734 01 0001", norm), PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "734010001");
    assert_int_equal(check("899.99.9998", norm), PS_VERDICT_PLAUSIBLE);
    assert_int_equal(check("000-12-3456", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("666-12-3456", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("900-12-3456", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("123-00-4567", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("123-45-0000", norm), PS_VERDICT_REJECT);
    /* wrong digit counts */
    assert_int_equal(check("123-45-678", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("123-45-67890", norm), PS_VERDICT_REJECT);
}

static void test_samples(void **state)
{
    char norm[32];
    (void)state;
    assert_int_equal(check("078-05-1120", norm), PS_VERDICT_REJECT); /* Woolworth wallet card */
    assert_int_equal(check("078-05-1121", norm), PS_VERDICT_PLAUSIBLE);
    assert_int_equal(check("219-09-9999", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("219-09-9998", norm), PS_VERDICT_PLAUSIBLE);
    assert_int_equal(check("123-45-6789", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("123-45-6788", norm), PS_VERDICT_PLAUSIBLE);
    assert_int_equal(check("111-11-1111", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("555-55-5555", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("888-88-8888", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("987-65-4320", norm), PS_VERDICT_REJECT);
    assert_int_equal(check("987-65-4329", norm), PS_VERDICT_REJECT);
    assert_true(ps_ssn_is_sample("777777777"));
    assert_false(ps_ssn_is_sample("777777778"));
}

static void test_rules_on_text(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "SSN 123-45-6780", "ssn", "123-45-6780");
    expect_finding(rules, "ssn: 734.01.0001.", "ssn", "734.01.0001");
    expect_finding(rules, "employee 773 12 3456 hired", "ssn", "773 12 3456");
    expect_normalized(rules, "id 899-99-9998", "ssn", "899999998");
    expect_finding(rules, "SSN: 078051121", "ssn", "078051121");
    /* structurally invalid or samples */
    expect_nothing(rules, "SSN 000-12-3456");
    expect_nothing(rules, "SSN 666-12-3456");
    expect_nothing(rules, "SSN 123-00-4567");
    expect_nothing(rules, "SSN 123-45-0000");
    expect_nothing(rules, "SSN 078-05-1120");
    expect_nothing(rules, "SSN 219-09-9999");
    expect_nothing(rules, "SSN 123-45-6789");
    expect_nothing(rules, "SSN 222-22-2222");
    expect_nothing(rules, "SSN 987-65-4321");
    /* inside longer numbers, mixed separators */
    expect_nothing(rules, "order 123456789012");
    expect_nothing(rules, "part 1234-56-7890");
    expect_nothing(rules, "part 123-45-67890");
    expect_nothing(rules, "part 12-345-6789");
    expect_nothing(rules, "part 123-45.6780");
    expect_nothing(rules, "part 5-123-45-6780");
    expect_nothing(rules, "part 123-45-6780-1");
    expect_nothing(rules, "values 1 123 45 6780");
    /* bare nine digits need an SSN keyword */
    expect_nothing(rules, "ref 078051121");
    expect_nothing(rules, "SSN 0780511210");
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
        cmocka_unit_test(test_area_boundaries),
        cmocka_unit_test(test_group_serial),
        cmocka_unit_test(test_validator_strings),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_rules_on_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
