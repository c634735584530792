/* test_lpath.c - logical path joining and member-name sanitising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/lpath.h"

static void expect_join(const char *parent, const char *child, const char *want)
{
    char *out = NULL;
    assert_int_equal(ps_lpath_join(parent, child, &out), PIISCAN_OK);
    assert_string_equal(out, want);
    free(out);
}

static void test_join_plain(void **state)
{
    (void)state;
    expect_join("dump.tar.gz", "hr/payroll.zip", "dump.tar.gz!hr/payroll.zip");
    expect_join("dump.tar.gz!hr/payroll.zip", "2014/pay.csv",
                "dump.tar.gz!hr/payroll.zip!2014/pay.csv");
    expect_join("a", "", "a!");
}

static void test_join_sanitises_controls(void **state)
{
    (void)state;
    /* newline, ESC (terminal escape), DEL, tab, CR */
    expect_join("x.zip", "evil\nwarning: fake\x1b[31m\x7f\t\r.csv",
                "x.zip!evil?warning: fake?[31m???.csv");
    /* C1 control U+0085 as UTF-8, and raw invalid bytes: one '?' each */
    expect_join("x.zip",
                "a\xc2\x85"
                "b\xff\xfe"
                "c",
                "x.zip!a?b??c");
    /* valid UTF-8 is kept: é, €, U+1F600; U+00A0 is not a control */
    expect_join("x.zip", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\xc2\xa0",
                "x.zip!caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\xc2\xa0");
    /* overlong '/' and a UTF-16 surrogate are invalid */
    expect_join("x.zip",
                "\xc0\xaf"
                "\xed\xa0\x80",
                "x.zip!?????");
    /* truncated sequence at the end */
    expect_join("x.zip", "ab\xe2\x82", "x.zip!ab??");
}

static void test_join_limit(void **state)
{
    char *big = malloc(PS_LPATH_MAX + 1);
    char *out = (char *)1;
    (void)state;
    assert_non_null(big);
    memset(big, 'a', PS_LPATH_MAX - 3);
    big[PS_LPATH_MAX - 3] = '\0';
    /* "p" + "!" + (MAX-3) + NUL = MAX - 0 bytes: fits exactly */
    assert_int_equal(ps_lpath_join("p", big, &out), PIISCAN_OK);
    assert_int_equal(strlen(out), PS_LPATH_MAX - 1);
    free(out);
    assert_int_equal(ps_lpath_join("pq", big, &out), PIISCAN_ELIMIT);
    assert_null(out);
    free(big);
}

static void test_leaf(void **state)
{
    (void)state;
    assert_string_equal(ps_lpath_leaf("a.zip!b/c.tar!d.csv"), "d.csv");
    assert_string_equal(ps_lpath_leaf("plain/path.txt"), "plain/path.txt");
    assert_string_equal(ps_lpath_leaf("a.zip!"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_plain),
        cmocka_unit_test(test_join_sanitises_controls),
        cmocka_unit_test(test_join_limit),
        cmocka_unit_test(test_leaf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
