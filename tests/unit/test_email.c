/* test_email.c - e-mail addresses: RFC 5321 lengths and dot rules, lower-case
 * normalisation, and the rule's boundaries on text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "validate/validate.h"

static bool ok(const char *s)
{
    return ps_email_valid(s, strlen(s));
}

static void test_valid(void **state)
{
    char buf[300];
    (void)state;
    assert_true(ok("amy.pascal@sonypictures.com"));
    assert_true(ok("a@b.co"));
    assert_true(ok("first+tag@mail.example.co.uk"));
    assert_false(ok("a@b.c"));                /* one-letter TLD */
    assert_false(ok(".amy@example.com"));
    assert_false(ok("amy.@example.com"));
    assert_false(ok("amy..p@example.com"));
    assert_false(ok("amy@-example.com"));
    assert_false(ok("amy@example-.com"));
    assert_false(ok("amy@example..com"));
    assert_false(ok("amy@example.com."));
    assert_false(ok("amy@example.c0m"));
    assert_false(ok("amy@localhost"));
    assert_false(ok("a@b@example.com"));
    assert_false(ok("icon@2x.png"));          /* retina image, not an address */
    assert_false(ok("logo@3x.JPG"));
    assert_true(ok("amy@example.photo"));
    /* 64-byte local part is the limit */
    memset(buf, 'a', 64);
    memcpy(buf + 64, "@example.com", 13);
    assert_true(ok(buf));
    memset(buf, 'a', 65);
    memcpy(buf + 65, "@example.com", 13);
    assert_false(ok(buf));
}

static void test_normalized(void **state)
{
    char norm[64];
    (void)state;
    assert_int_equal(ps_validate_email("Amy.Pascal@SonyPictures.COM", 27, norm, sizeof norm),
                     PS_VERDICT_PLAUSIBLE);
    assert_string_equal(norm, "amy.pascal@sonypictures.com");
}

static void test_rules_on_text(void **state)
{
    const piiscan_rules *rules = *state;

    expect_finding(rules, "mail Amy.Pascal@SonyPictures.com.", "email",
                   "Amy.Pascal@SonyPictures.com");
    expect_normalized(rules, "<Amy.Pascal@SonyPictures.com>", "email",
                      "amy.pascal@sonypictures.com");
    expect_finding(rules, "to: j.doe+hr@mail.example.co.uk, cc", "email",
                   "j.doe+hr@mail.example.co.uk");
    /* a UTF-8 local part is taken whole, never cut at the first non-ASCII byte */
    expect_finding(rules, "contact: jörg.müller@example.de", "email", "jörg.müller@example.de");
    expect_normalized(rules, "Jörg@Example.DE", "email", "jörg@example.de");
    expect_nothing(rules, "user@localhost");
    expect_nothing(rules, "<img src=\"icon@2x.png\">");
    expect_nothing(rules, "@example.com");
    expect_nothing(rules, "amy@");
    expect_nothing(rules, "amy..p@example.com");
    expect_nothing(rules, "v=1.2@3.4");
    expect_nothing(rules, "amy@example.c0m");
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
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_normalized),
        cmocka_unit_test(test_rules_on_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
