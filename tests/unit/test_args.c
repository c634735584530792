/* test_args.c - cli/args.c: the command-line contract and strict number parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/args.h"
#include "record/severity.h"

#define MAXARGV 32

struct argvec {
    char buf[1024];
    char *argv[MAXARGV + 1];
    int argc;
};

/* Splits line on single spaces into av (argv[0] = "piiscan"). */
static void split(struct argvec *av, const char *line)
{
    char *p;

    snprintf(av->buf, sizeof av->buf, "piiscan %s", line);
    av->argc = 0;
    p = av->buf;
    while (*p != '\0' && av->argc < MAXARGV) {
        av->argv[av->argc++] = p;
        p = strchr(p, ' ');
        if (p == NULL)
            break;
        *p++ = '\0';
    }
    av->argv[av->argc] = NULL;
}

static struct argvec av; /* argv strings must outlive the parse: a->paths borrows them */

static piiscan_status parse(const char *line, struct ps_args *a, char *err)
{
    split(&av, line);
    return ps_args_parse(av.argc, av.argv, a, err, 256);
}

static void test_defaults_and_paths(void **state)
{
    struct ps_args a;
    char err[256];

    (void)state;
    assert_int_equal(parse("dump -", &a, err), PIISCAN_OK);
    assert_int_equal(a.format, PS_FMT_TEXT);
    assert_null(a.output);
    assert_false(a.reveal);
    assert_int_equal(a.threads, 0);
    assert_false(a.has_max_depth);
    assert_int_equal(a.npaths, 2);
    assert_string_equal(a.paths[0], "dump");
    assert_string_equal(a.paths[1], "-");
}

static void test_all_options(void **state)
{
    struct ps_args a;
    char err[256];

    (void)state;
    assert_int_equal(parse("-f csv -o rep.csv --reveal --rules r -j 4 --max-depth 3 "
                           "--exclude *.log --exclude tmp --include *.csv --follow "
                           "--min-confidence 0.75 --max-expand 1G --scan-binary -q p1 p2",
                           &a, err),
                     PIISCAN_OK);
    assert_int_equal(a.format, PS_FMT_CSV);
    assert_string_equal(a.output, "rep.csv");
    assert_true(a.reveal);
    assert_string_equal(a.rules_dir, "r");
    assert_int_equal(a.threads, 4);
    assert_true(a.has_max_depth);
    assert_int_equal(a.max_depth, 3);
    assert_int_equal(a.n_exclude, 2);
    assert_string_equal(a.exclude[1], "tmp");
    assert_int_equal(a.n_include, 1);
    assert_true(a.follow);
    assert_true(a.has_min_confidence);
    assert_true(a.min_confidence > 0.749 && a.min_confidence < 0.751);
    assert_true(a.has_max_expand);
    assert_int_equal(a.max_expand, 1024ULL * 1024 * 1024);
    assert_true(a.scan_binary);
    assert_true(a.quiet);
    assert_int_equal(a.npaths, 2);
    /* Long forms with '=' and short clusters. */
    assert_int_equal(parse("--format=csv --threads=2 -qj3 --output=x p", &a, err), PIISCAN_OK);
    assert_int_equal(a.format, PS_FMT_CSV);
    assert_int_equal(a.threads, 3);
    assert_true(a.quiet);
    assert_string_equal(a.output, "x");
    /* After "--" a path may start with a dash. */
    assert_int_equal(parse("-- -weird", &a, err), PIISCAN_OK);
    assert_string_equal(a.paths[0], "-weird");
}

static void test_help_version_list(void **state)
{
    struct ps_args a;
    char err[256];

    (void)state;
    assert_int_equal(parse("--help", &a, err), PIISCAN_OK);
    assert_true(a.show_help);
    assert_int_equal(parse("--version", &a, err), PIISCAN_OK);
    assert_true(a.show_version);
    assert_int_equal(parse("--list-rules", &a, err), PIISCAN_OK);
    assert_true(a.list_rules);
    assert_non_null(strstr(ps_args_usage(), "--max-expand"));
}

static void expect_usage_error(const char *line, const char *msg_part)
{
    struct ps_args a;
    char err[256];

    assert_int_equal(parse(line, &a, err), PIISCAN_EINVAL);
    if (strstr(err, msg_part) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", line, err, msg_part);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage_error("", "no PATH");
    expect_usage_error("-f xml p", "unknown --format 'xml'");
    expect_usage_error("--fail-on severe p", "--fail-on wants low, medium, high or critical");
    expect_usage_error("--fail-on none p", "--fail-on wants");
    expect_usage_error("--baseline old.json p", "--baseline needs --key-file");
    expect_usage_error("--report-dir= p", "empty");
    expect_usage_error("-j 0 p", "--threads");
    expect_usage_error("-j 4x p", "--threads");
    expect_usage_error("-j -1 p", "--threads");
    expect_usage_error("-j 99999999999999999999 p", "--threads");
    expect_usage_error("--max-depth 65 p", "--max-depth");
    expect_usage_error("--min-confidence 1.5 p", "--min-confidence");
    expect_usage_error("--min-confidence nan p", "--min-confidence");
    expect_usage_error("--min-confidence 0.5x p", "--min-confidence");
    expect_usage_error("--max-expand 0 p", "--max-expand");
    expect_usage_error("--max-expand 1Q p", "--max-expand");
    expect_usage_error("--bogus p", "unknown option '--bogus'");
    expect_usage_error("-Z p", "unknown option -Z");
    expect_usage_error("p -o", "missing value");
    expect_usage_error("p --rules", "missing value");
}

static void test_impact_options(void **state)
{
    struct ps_args a;
    char err[256];

    (void)state;
    assert_int_equal(parse("-f json p", &a, err), PIISCAN_OK);
    assert_int_equal(a.format, PS_FMT_JSON);
    assert_int_equal(parse("--format ndjson p", &a, err), PIISCAN_OK);
    assert_int_equal(a.format, PS_FMT_NDJSON);
    assert_false(a.has_fail_on);
    assert_null(a.report_dir);
    assert_int_equal(parse("--report-dir out --key-file k --baseline old/summary.json "
                           "--fail-on high p",
                           &a, err),
                     PIISCAN_OK);
    assert_string_equal(a.report_dir, "out");
    assert_string_equal(a.key_file, "k");
    assert_string_equal(a.baseline, "old/summary.json");
    assert_true(a.has_fail_on);
    assert_int_equal(a.fail_on, PS_SEV_HIGH);
    assert_int_equal(parse("--fail-on=low p", &a, err), PIISCAN_OK);
    assert_int_equal(a.fail_on, PS_SEV_LOW);
}

static void test_numbers(void **state)
{
    uint64_t v = 0;
    unsigned u = 0;

    (void)state;
    assert_true(ps_args_parse_size("100", &v));
    assert_int_equal(v, 100);
    assert_true(ps_args_parse_size("64k", &v));
    assert_int_equal(v, 65536);
    assert_true(ps_args_parse_size("512MiB", &v));
    assert_int_equal(v, 512ULL << 20);
    assert_true(ps_args_parse_size("2GB", &v));
    assert_int_equal(v, 2ULL << 30);
    assert_true(ps_args_parse_size("1T", &v));
    assert_int_equal(v, 1ULL << 40);
    assert_true(ps_args_parse_size("7b", &v));
    assert_int_equal(v, 7);
    assert_false(ps_args_parse_size("", &v));
    assert_false(ps_args_parse_size("-1G", &v));
    assert_false(ps_args_parse_size(" 1G", &v));
    assert_false(ps_args_parse_size("1GG", &v));
    assert_false(ps_args_parse_size("16777216T", &v)); /* 2^64: overflow */
    assert_false(ps_args_parse_size("99999999999999999999", &v));
    assert_true(ps_args_parse_uint("0", 0, 5, &u));
    assert_int_equal(u, 0);
    assert_false(ps_args_parse_uint("+1", 0, 5, &u));
    assert_false(ps_args_parse_uint("6", 0, 5, &u));
    assert_false(ps_args_parse_uint("4294967297", 0, 4294967295u, &u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_paths),
        cmocka_unit_test(test_all_options),
        cmocka_unit_test(test_help_version_list),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_impact_options),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
