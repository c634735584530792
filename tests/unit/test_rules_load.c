/* test_rules_load.c - loading rule files: the real rules load; every kind of
 * broken file (bad YAML, unknown key / category / validator / flag, missing key,
 * duplicate id, bad regex, empty-match regex, out-of-range number, alias) fails
 * with an exact diagnostic: file, line, rule id, PCRE2 offset and message. Files
 * are written into a fresh temporary directory per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "helpers.h"

struct tmp {
    char dir[256];
    char files[8][320];
    size_t nfiles;
};

static int setup_dir(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/piiscan-rules-XXXXXX");
    if (mkdtemp(t->dir) == NULL) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown_dir(void **state)
{
    struct tmp *t = *state;
    for (size_t i = 0; i < t->nfiles; i++)
        unlink(t->files[i]);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void write_file(struct tmp *t, const char *name, const char *text)
{
    char *path = t->files[t->nfiles++];
    char buf[sizeof t->files[0]];
    FILE *fp;

    /* via a local buffer: t->dir and path live in the same struct (-Wrestrict) */
    snprintf(buf, sizeof buf, "%s/%s", t->dir, name);
    memcpy(path, buf, sizeof buf);
    fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    fclose(fp);
}

/* Loads t->dir expecting failure; checks the diagnostic line, rule id, message
 * and the formatted line (with "<dir>" standing for the directory). */
static void expect_error(struct tmp *t, piiscan_status want, unsigned line, const char *rule_id,
                         long offset, const char *message, const char *formatted)
{
    piiscan_rules *rules = (piiscan_rules *)1;
    piiscan_diag diag;
    char buf[1200];
    char want_fmt[1200];
    const char *p = strstr(formatted, "<dir>");

    assert_int_equal(piiscan_rules_load(t->dir, &rules, &diag), want);
    assert_null(rules);
    assert_int_equal(diag.line, line);
    assert_string_equal(diag.rule_id, rule_id);
    assert_int_equal(diag.offset, offset);
    assert_string_equal(diag.message, message);
    assert_non_null(p);
    snprintf(want_fmt, sizeof want_fmt, "%.*s%s%s", (int)(p - formatted), formatted, t->dir,
             p + 5);
    assert_string_equal(piiscan_diag_format(&diag, buf, sizeof buf), want_fmt);
}

#define RULE_HEAD                                                                                 \
    "version: 1\n"                                                                                \
    "rules:\n"                                                                                    \
    "  - id: t.one\n"                                                                             \
    "    category: ssn\n"                                                                         \
    "    description: test rule\n"

static void test_real_rules(void **state)
{
    piiscan_rules *rules = NULL;
    piiscan_diag diag;
    piiscan_rule_info info;
    const char *digest;
    (void)state;

    assert_int_equal(piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &diag), PIISCAN_OK);
    /* files sorted by name: bank.yaml first, ssn.yaml last (others come and go) */
    assert_true(piiscan_rules_count(rules) >= 9);
    assert_int_equal(piiscan_rules_get(rules, 0, &info), PIISCAN_OK);
    assert_string_equal(info.id, "bank.aba_routing");
    assert_int_equal(info.category, PIISCAN_CAT_BANK_ACCOUNT);
    assert_string_equal(info.validator, "aba");
    assert_true(info.confidence > 0.54 && info.confidence < 0.56);
    assert_non_null(strstr(info.file, "/bank.yaml"));
    assert_int_equal(piiscan_rules_get(rules, piiscan_rules_count(rules) - 1, &info), PIISCAN_OK);
    assert_string_equal(info.id, "ssn.bare");
    assert_int_equal(piiscan_rules_get(rules, piiscan_rules_count(rules), &info), PIISCAN_EINVAL);
    digest = piiscan_rules_digest(rules);
    assert_int_equal(strlen(digest), 64);
    assert_int_equal(strspn(digest, "0123456789abcdef"), 64);
    /* email: 254-byte values plus the context window each side */
    assert_true(ps_rules_overlap(rules) >= 254 + 60);
    piiscan_rules_free(rules);
}

static void test_minimal_and_digest(void **state)
{
    struct tmp *t = *state;
    piiscan_rules *rules = NULL;
    piiscan_diag diag;
    char first[65];

    write_file(t, "a.yaml", RULE_HEAD "    pattern: 'x\\d+'\n    confidence: 0.5\n"
                                      "    max_length: 10\n");
    /* a file without 'rules' is another stage's (columns.yaml): not an error */
    write_file(t, "columns.yaml", "columns:\n  ssn: [ssn, social security]\n");
    write_file(t, "notes.txt", "not yaml at all: [");
    assert_int_equal(piiscan_rules_load(t->dir, &rules, &diag), PIISCAN_OK);
    assert_int_equal(piiscan_rules_count(rules), 1);
    assert_int_equal(ps_rules_overlap(rules), 10 + 60 + 8);
    snprintf(first, sizeof first, "%s", piiscan_rules_digest(rules));
    piiscan_rules_free(rules);
    /* the digest covers every .yaml file, rule file or not */
    write_file(t, "columns.yaml", "columns:\n  ssn: [ssn]\n");
    t->nfiles--;
    assert_int_equal(piiscan_rules_load(t->dir, &rules, &diag), PIISCAN_OK);
    assert_string_not_equal(piiscan_rules_digest(rules), first);
    piiscan_rules_free(rules);
}

static void test_bad_yaml(void **state)
{
    struct tmp *t = *state;
    write_file(t, "bad.yaml", RULE_HEAD "    pattern: [unclosed\n    confidence: 0.5\n");
    expect_error(t, PIISCAN_ERULES, 7, "", -1,
                 "YAML error: did not find expected ',' or ']' while parsing a flow sequence",
                 "<dir>/bad.yaml:7: YAML error: did not find expected ',' or ']' while parsing "
                 "a flow sequence");
}

static void test_unknown_key(void **state)
{
    struct tmp *t = *state;
    write_file(t, "k.yaml", RULE_HEAD "    pattern: 'x\\d+'\n    colour: red\n"
                                      "    confidence: 0.5\n    max_length: 10\n");
    expect_error(t, PIISCAN_ERULES, 7, "t.one", -1, "unknown key 'colour'",
                 "<dir>/k.yaml:7: rule t.one: unknown key 'colour'");
}

static void test_unknown_category(void **state)
{
    struct tmp *t = *state;
    write_file(t, "c.yaml", "rules:\n  - id: t.cat\n    category: ssnx\n    description: d\n"
                            "    pattern: 'x'\n    confidence: 0.5\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 3, "t.cat", -1, "unknown category 'ssnx'",
                 "<dir>/c.yaml:3: rule t.cat: unknown category 'ssnx'");
}

static void test_unknown_validator(void **state)
{
    struct tmp *t = *state;
    write_file(t, "v.yaml", RULE_HEAD "    pattern: 'x'\n    validator: luhnn\n"
                                      "    confidence: 0.5\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 7, "t.one", -1, "unknown validator 'luhnn'",
                 "<dir>/v.yaml:7: rule t.one: unknown validator 'luhnn'");
}

static void test_unknown_flag(void **state)
{
    struct tmp *t = *state;
    write_file(t, "f.yaml", RULE_HEAD "    pattern: 'x'\n    flags: [caseless, fast]\n"
                                      "    confidence: 0.5\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 7, "t.one", -1,
                 "unknown flag 'fast' (caseless, utf, ucp, multiline, dotall, extended)",
                 "<dir>/f.yaml:7: rule t.one: unknown flag 'fast' (caseless, utf, ucp, "
                 "multiline, dotall, extended)");
}

static void test_missing_key(void **state)
{
    struct tmp *t = *state;
    write_file(t, "m.yaml", RULE_HEAD "    confidence: 0.5\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 3, "t.one", -1, "missing key 'pattern'",
                 "<dir>/m.yaml:3: rule t.one: missing key 'pattern'");
}

static void test_missing_id(void **state)
{
    struct tmp *t = *state;
    write_file(t, "i.yaml", "rules:\n  - category: ssn\n    pattern: x\n");
    expect_error(t, PIISCAN_ERULES, 2, "", -1, "missing key 'id'",
                 "<dir>/i.yaml:2: missing key 'id'");
}

static void test_duplicate_id(void **state)
{
    struct tmp *t = *state;
    char msg[600];
    char fmt[700];

    write_file(t, "a.yaml", RULE_HEAD "    pattern: 'x'\n    confidence: 0.5\n"
                                      "    max_length: 1\n");
    write_file(t, "b.yaml", "\n" RULE_HEAD "    pattern: 'y'\n    confidence: 0.5\n"
                                           "    max_length: 1\n");
    snprintf(msg, sizeof msg, "duplicate rule id (first defined at %s/a.yaml:3)", t->dir);
    snprintf(fmt, sizeof fmt, "<dir>/b.yaml:4: rule t.one: %s", msg);
    expect_error(t, PIISCAN_ERULES, 4, "t.one", -1, msg, fmt);
}

static void test_duplicate_key(void **state)
{
    struct tmp *t = *state;
    write_file(t, "d.yaml", RULE_HEAD "    pattern: 'x'\n    confidence: 0.5\n"
                                      "    confidence: 0.6\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 8, "t.one", -1, "duplicate key 'confidence'",
                 "<dir>/d.yaml:8: rule t.one: duplicate key 'confidence'");
}

static void test_bad_regex(void **state)
{
    struct tmp *t = *state;
    write_file(t, "r.yaml", RULE_HEAD "    confidence: 0.5\n    max_length: 11\n"
                                      "    pattern: '\\d{3}(-\\d{2}'\n");
    expect_error(t, PIISCAN_ERULES, 8, "t.one", 12, "missing closing parenthesis",
                 "<dir>/r.yaml:8: rule t.one: pattern error at offset 12: missing closing "
                 "parenthesis");
}

static void test_empty_match_regex(void **state)
{
    struct tmp *t = *state;
    write_file(t, "e.yaml", RULE_HEAD "    pattern: '\\d*'\n    confidence: 0.5\n"
                                      "    max_length: 11\n");
    expect_error(t, PIISCAN_ERULES, 6, "t.one", -1, "pattern can match an empty string",
                 "<dir>/e.yaml:6: rule t.one: pattern can match an empty string");
}

static void test_bad_numbers(void **state)
{
    struct tmp *t = *state;
    write_file(t, "n.yaml", RULE_HEAD "    pattern: 'x'\n    confidence: 1.5\n"
                                      "    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 7, "t.one", -1, "'confidence' must be a number from 0 to 1",
                 "<dir>/n.yaml:7: rule t.one: 'confidence' must be a number from 0 to 1");
}

static void test_bad_max_length(void **state)
{
    struct tmp *t = *state;
    write_file(t, "n.yaml", RULE_HEAD "    pattern: 'x'\n    confidence: 0.5\n"
                                      "    max_length: -3\n");
    expect_error(t, PIISCAN_ERULES, 8, "t.one", -1,
                 "'max_length' must be an integer from 1 to 1024",
                 "<dir>/n.yaml:8: rule t.one: 'max_length' must be an integer from 1 to 1024");
}

static void test_unknown_context_key(void **state)
{
    struct tmp *t = *state;
    write_file(t, "x.yaml", RULE_HEAD "    pattern: 'x'\n    confidence: 0.5\n    max_length: 1\n"
                                      "    context:\n      keywords: [ssn]\n      windw: 3\n");
    expect_error(t, PIISCAN_ERULES, 11, "t.one", -1, "unknown key 'context.windw'",
                 "<dir>/x.yaml:11: rule t.one: unknown key 'context.windw'");
}

static void test_alias(void **state)
{
    struct tmp *t = *state;
    write_file(t, "a.yaml", RULE_HEAD "    pattern: &p 'x'\n    confidence: 0.5\n"
                                      "    max_length: 1\n"
                                      "  - id: t.two\n    category: ssn\n    description: d\n"
                                      "    pattern: *p\n    confidence: 0.5\n    max_length: 1\n");
    expect_error(t, PIISCAN_ERULES, 6, "t.two", -1, "YAML aliases are not supported in rule files",
                 "<dir>/a.yaml:6: rule t.two: YAML aliases are not supported in rule files");
}

static void test_unknown_top_level(void **state)
{
    struct tmp *t = *state;
    write_file(t, "top.yaml", "rulez: 1\nrules: []\n");
    expect_error(t, PIISCAN_ERULES, 1, "", -1, "unknown top-level key 'rulez'",
                 "<dir>/top.yaml:1: unknown top-level key 'rulez'");
}

static void test_no_rules(void **state)
{
    struct tmp *t = *state;
    char fmt[600];
    write_file(t, "severity.yaml", "severity:\n  critical: []\n");
    snprintf(fmt, sizeof fmt, "<dir>: no rules found (no *.yaml file with a 'rules' list)");
    expect_error(t, PIISCAN_ERULES, 0, "", -1,
                 "no rules found (no *.yaml file with a 'rules' list)", fmt);
}

static void test_missing_dir(void **state)
{
    piiscan_rules *rules = NULL;
    piiscan_diag diag;
    char buf[1200];
    (void)state;
    assert_int_equal(piiscan_rules_load("/nonexistent/piiscan-rules", &rules, &diag),
                     PIISCAN_EIO);
    assert_null(rules);
    assert_string_equal(piiscan_diag_format(&diag, buf, sizeof buf),
                        "/nonexistent/piiscan-rules: cannot open rules directory: No such file or "
                        "directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_rules),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test_setup_teardown(test_minimal_and_digest, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_yaml, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_key, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_category, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_validator, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_flag, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_missing_key, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_missing_id, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_duplicate_id, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_duplicate_key, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_regex, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_empty_match_regex, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_numbers, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_max_length, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_context_key, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_alias, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unknown_top_level, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_no_rules, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
