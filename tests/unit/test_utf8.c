/* test_utf8.c - the one strict UTF-8 sequence check (util/utf8.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/utf8.h"

static size_t dec(const char *s, size_t n, uint32_t *cp)
{
    return ps_utf8_decode((const unsigned char *)s, n, cp);
}

static void test_valid(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(dec("A", 1, &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(dec("\xc3\xa9", 2, &cp), 2); /* é */
    assert_int_equal(cp, 0xE9);
    assert_int_equal(dec("\xe2\x82\xac", 3, &cp), 3); /* € */
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(dec("\xf0\x9f\x98\x80", 4, &cp), 4); /* U+1F600 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(dec("\xf4\x8f\xbf\xbf", 4, &cp), 4); /* U+10FFFF */
    assert_int_equal(dec("\xed\x9f\xbf", 3, NULL), 3);     /* U+D7FF, below surrogates */
}

static void test_invalid(void **state)
{
    (void)state;
    assert_int_equal(dec("", 0, NULL), 0);                 /* nothing */
    assert_int_equal(dec("\x80", 1, NULL), 0);             /* lone continuation */
    assert_int_equal(dec("\xc0\xaf", 2, NULL), 0);         /* overlong '/' */
    assert_int_equal(dec("\xe0\x80\xaf", 3, NULL), 0);     /* overlong, 3 bytes */
    assert_int_equal(dec("\xf0\x80\x80\xaf", 4, NULL), 0); /* overlong, 4 bytes */
    assert_int_equal(dec("\xed\xa0\x80", 3, NULL), 0);     /* surrogate U+D800 */
    assert_int_equal(dec("\xf4\x90\x80\x80", 4, NULL), 0); /* past U+10FFFF */
    assert_int_equal(dec("\xf5\x80\x80\x80", 4, NULL), 0); /* bad lead */
    assert_int_equal(dec("\xc3", 1, NULL), 0);             /* cut short */
    assert_int_equal(dec("\xe2\x82", 2, NULL), 0);
    assert_int_equal(dec("\xc3\x41", 2, NULL), 0);         /* bad continuation */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
