/* test_luhn.c - payment cards: Luhn, issuer prefixes and lengths, the card rule
 * on text (groupings, longer-number and same-digit decoys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static const char *issuer(const char *d)
{
    return ps_card_issuer(d, strlen(d));
}

static enum ps_verdict card(const char *s)
{
    char norm[32];
    return ps_validate_card(s, strlen(s), norm, sizeof norm);
}

static void test_luhn(void **state)
{
    (void)state;
    assert_true(ps_luhn_valid("4111111111111111", 16));
    assert_false(ps_luhn_valid("4111111111111112", 16));
    assert_true(ps_luhn_valid("79927398713", 11));   /* the textbook example */
    assert_false(ps_luhn_valid("79927398710", 11));
    assert_false(ps_luhn_valid("4111-1111", 9));     /* non-digit */
    assert_false(ps_luhn_valid("", 0));
}

static void test_issuers(void **state)
{
    (void)state;
    assert_string_equal(issuer("4111111111111111"), "visa");
    assert_string_equal(issuer("4222222222222"), "visa");          /* 13 */
    assert_string_equal(issuer("4000000000000000006"), "visa");    /* 19 */
    assert_null(issuer("400000000000006"));                        /* visa, 15 */
    assert_string_equal(issuer("5100000000000008"), "mastercard");
    assert_string_equal(issuer("5555555555554444"), "mastercard");
    assert_null(issuer("5000000000000009"));
    assert_null(issuer("5600000000000003"));
    assert_null(issuer("2220000000000000"));
    assert_string_equal(issuer("2221000000000009"), "mastercard");
    assert_string_equal(issuer("2720000000000005"), "mastercard");
    assert_null(issuer("2721000000000004"));
    assert_string_equal(issuer("378282246310005"), "amex");
    assert_string_equal(issuer("340000000000009"), "amex");
    assert_null(issuer("3400000000000000"));                       /* amex, 16 */
    assert_string_equal(issuer("6011111111111117"), "discover");
    assert_string_equal(issuer("60110000000000001"), "discover");  /* 17 */
    assert_string_equal(issuer("6440000000000005"), "discover");
    assert_string_equal(issuer("6490000000000004"), "discover");
    assert_null(issuer("6430000000000007"));
    assert_string_equal(issuer("6500000000000000003"), "discover");
    assert_null(issuer("3527000000000008"));
    assert_string_equal(issuer("3528000000000007"), "jcb");
    assert_string_equal(issuer("3589000000000000009"), "jcb");
    assert_null(issuer("3590000000000000"));
    assert_null(issuer("352800000000007"));                        /* jcb, 15 */
    assert_string_equal(issuer("30000000000004"), "diners");
    assert_string_equal(issuer("30500000000003"), "diners");
    assert_null(issuer("30600000000001"));
    assert_string_equal(issuer("36000000000008"), "diners");
    assert_string_equal(issuer("3800000000000006"), "diners");
    assert_null(issuer("411111111111"));                           /* 12 digits */
    assert_null(issuer("41111111111111111111"));                   /* 20 digits */
}

static void test_validator(void **state)
{
    char norm[32];
    (void)state;
    assert_int_equal(ps_validate_card("4111 1111 1111 1111", 19, norm, sizeof norm),
                     PS_VERDICT_CHECKSUM);
    assert_string_equal(norm, "4111111111111111");
    assert_int_equal(card("3782-822463-10005"), PS_VERDICT_CHECKSUM);
    assert_int_equal(card("4111111111111112"), PS_VERDICT_REJECT);  /* Luhn */
    assert_int_equal(card("1234567812345670"), PS_VERDICT_REJECT);  /* Luhn ok, no issuer */
    assert_int_equal(card("0000000000000000"), PS_VERDICT_REJECT);  /* Luhn ok, filler */
    assert_int_equal(card("4444444444444444"), PS_VERDICT_REJECT);  /* all same */
}

static void test_rules_on_text(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "card 4111 1111 1111 1111 exp 12/25", "credit_card",
                   "4111 1111 1111 1111");
    expect_finding(rules, "visa 4111-1111-1111-1111.", "credit_card", "4111-1111-1111-1111");
    expect_finding(rules, "pan=4012888888881881", "credit_card", "4012888888881881");
    expect_finding(rules, "amex 3782 822463 10005", "credit_card", "3782 822463 10005");
    expect_finding(rules, "diners 3056 930902 5904", "credit_card", "3056 930902 5904");
    expect_finding(rules, "old visa 4222 2222 2222 2", "credit_card", "4222 2222 2222 2");
    expect_finding(rules, "19: 4000 0000 0000 0000 006", "credit_card", "4000 0000 0000 0000 006");
    expect_normalized(rules, "jcb 3530-1113-3330-0000", "credit_card", "3530111333300000");
    /* decoys */
    expect_nothing(rules, "card 4111 1111 1111 1112");
    expect_nothing(rules, "card 4111-1111 1111-1111");
    expect_nothing(rules, "order 41111111111111110");
    expect_nothing(rules, "order 94111111111111111");
    expect_nothing(rules, "id 0000 0000 0000 0000");
    expect_nothing(rules, "id 1234 5678 1234 5670");
    expect_nothing(rules, "v1.4111111111111111");
    expect_nothing(rules, "3.14159265358979323846");
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
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_issuers),
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_rules_on_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
