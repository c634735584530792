/* unit.severity - the severity model: every row of the DESIGN.md table as
 * loaded from rules/severity.yaml, the bulk threshold, file and notification
 * rules, the built-in copy, and precise loader diagnostics for broken models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "record/severity.h"

#define C(x) PS_CATBIT(PIISCAN_CAT_##x)

static const ps_catset identifiers[] = {
    C(SSN), C(ITIN), C(CREDIT_CARD), C(BANK_ACCOUNT), C(DRIVERS_LICENSE), C(PASSPORT)};
#define NIDS (sizeof identifiers / sizeof identifiers[0])

static int setup(void **state)
{
    struct ps_sevmodel *m = NULL;
    piiscan_diag d;
    piiscan_status rc = ps_sevmodel_load(PIISCAN_TEST_RULES_DIR "/severity.yaml", &m, &d);
    if (rc != PIISCAN_OK) {
        print_error("%s:%u: %s\n", d.file, d.line, d.message);
        return -1;
    }
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    ps_sevmodel_free(*state);
    return 0;
}

static void critical_rows(void **state)
{
    const struct ps_sevmodel *m = *state;

    /* name + any identifier */
    for (size_t i = 0; i < NIDS; i++) {
        assert_int_equal(ps_sevmodel_record(m, C(NAME) | identifiers[i]), PS_SEV_CRITICAL);
        assert_int_equal(ps_sevmodel_record(m, C(NAME) | identifiers[i] | C(EMAIL)),
                         PS_SEV_CRITICAL);
    }
    /* ssn + dob, with or without a name */
    assert_int_equal(ps_sevmodel_record(m, C(SSN) | C(DOB)), PS_SEV_CRITICAL);
    assert_int_equal(ps_sevmodel_record(m, C(SSN) | C(DOB) | C(SALARY)), PS_SEV_CRITICAL);
    /* decoy: ITIN + dob is not the ssn + dob row, it is "identifier without a name" */
    assert_int_equal(ps_sevmodel_record(m, C(ITIN) | C(DOB)), PS_SEV_HIGH);
}

static void high_rows(void **state)
{
    const struct ps_sevmodel *m = *state;

    for (size_t i = 0; i < NIDS; i++) {
        assert_int_equal(ps_sevmodel_record(m, identifiers[i]), PS_SEV_HIGH);
        assert_int_equal(ps_sevmodel_record(m, identifiers[i] | C(EMAIL) | C(PHONE)), PS_SEV_HIGH);
        assert_int_equal(ps_sevmodel_record(m, identifiers[i] | C(SALARY)), PS_SEV_HIGH);
    }
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(DOB)), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(SALARY)), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(SALARY) | C(ADDRESS)), PS_SEV_HIGH);
}

static void medium_rows(void **state)
{
    const struct ps_sevmodel *m = *state;

    assert_int_equal(ps_sevmodel_record(m, C(DOB)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(SALARY)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(DOB) | C(SALARY)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(DOB) | C(EMAIL) | C(PHONE)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(EMAIL)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(PHONE)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(ADDRESS) | C(PHONE)), PS_SEV_MEDIUM);
}

static void low_rows(void **state)
{
    const struct ps_sevmodel *m = *state;

    assert_int_equal(ps_sevmodel_record(m, C(NAME)), PS_SEV_LOW);
    assert_int_equal(ps_sevmodel_record(m, C(EMAIL)), PS_SEV_LOW);
    assert_int_equal(ps_sevmodel_record(m, C(PHONE)), PS_SEV_LOW);
    assert_int_equal(ps_sevmodel_record(m, C(ADDRESS)), PS_SEV_LOW);
    /* contact data without a name stays low */
    assert_int_equal(ps_sevmodel_record(m, C(EMAIL) | C(PHONE) | C(ADDRESS)), PS_SEV_LOW);
    assert_int_equal(ps_sevmodel_record(m, 0), PS_SEV_NONE);
    assert_int_equal(ps_sevmodel_record_rule(m, C(NAME) | C(SSN)), 0);
    assert_int_equal(ps_sevmodel_record_rule(m, C(EMAIL)), 6);
}

static void bulk_and_file(void **state)
{
    struct ps_sevmodel *m = *state;

    assert_int_equal(ps_sevmodel_bulk_threshold(m), 100);
    assert_true(ps_sevmodel_is_bulk_record(m, C(SSN)));
    assert_true(ps_sevmodel_is_bulk_record(m, C(PASSPORT) | C(EMAIL)));
    assert_false(ps_sevmodel_is_bulk_record(m, C(NAME) | C(DOB)));
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 99), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 100), PS_SEV_CRITICAL);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 5000), PS_SEV_CRITICAL);
    /* only high is raised: medium with many records stays medium */
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_MEDIUM, 1000), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_CRITICAL, 0), PS_SEV_CRITICAL);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_NONE, 0), PS_SEV_NONE);
    /* configurable: threshold 3, and 0 disables */
    ps_sevmodel_set_bulk_threshold(m, 3);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 2), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 3), PS_SEV_CRITICAL);
    ps_sevmodel_set_bulk_threshold(m, 0);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 1000000), PS_SEV_HIGH);
    assert_false(ps_sevmodel_is_bulk_record(m, C(SSN)));
    ps_sevmodel_set_bulk_threshold(m, 100);
}

static void notification(void **state)
{
    const struct ps_sevmodel *m = *state;

    for (size_t i = 0; i < NIDS; i++)
        assert_true(ps_sevmodel_notify(m, C(NAME) | identifiers[i]));
    assert_false(ps_sevmodel_notify(m, C(SSN) | C(DOB)));
    assert_false(ps_sevmodel_notify(m, C(NAME) | C(DOB) | C(SALARY)));
    assert_false(ps_sevmodel_notify(m, 0));
}

static void builtin_matches_file(void **state)
{
    const struct ps_sevmodel *m = *state;
    struct ps_sevmodel *b = NULL;

    assert_int_equal(ps_sevmodel_builtin(&b), PIISCAN_OK);
    assert_string_equal(ps_sevmodel_digest(b), ps_sevmodel_digest(m));
    for (ps_catset s = 0; s < PS_CATBIT(PIISCAN_CAT_COUNT); s++) {
        assert_int_equal(ps_sevmodel_record(b, s), ps_sevmodel_record(m, s));
        assert_int_equal(ps_sevmodel_notify(b, s), ps_sevmodel_notify(m, s));
        assert_int_equal(ps_sevmodel_is_bulk_record(b, s), ps_sevmodel_is_bulk_record(m, s));
    }
    /* every non-empty combination gets a severity */
    for (ps_catset s = 1; s < PS_CATBIT(PIISCAN_CAT_COUNT); s++)
        assert_true(ps_sevmodel_record(b, s) >= PS_SEV_LOW);
    assert_string_equal(ps_sevmodel_source(b), "built-in");
    ps_sevmodel_free(b);
}

static void names_and_format(void **state)
{
    char buf[128];
    (void)state;

    assert_string_equal(ps_severity_name(PS_SEV_CRITICAL), "critical");
    assert_string_equal(ps_severity_name(PS_SEV_NONE), "");
    assert_int_equal(ps_severity_from_name("none"), PS_SEV_NONE);
    assert_int_equal(ps_severity_from_name(""), -1);
    assert_int_equal(ps_severity_from_name("medium"), PS_SEV_MEDIUM);
    assert_int_equal(ps_severity_from_name("Medium"), -1);
    assert_int_equal(ps_severity_from_name("severe"), -1);
    ps_catset_format(C(SSN) | C(SALARY) | C(NAME) | C(DOB), ';', buf, sizeof buf);
    assert_string_equal(buf, "dob;name;salary;ssn");
    ps_catset_format(0, ';', buf, sizeof buf);
    assert_string_equal(buf, "");
    ps_catset_format(C(SSN) | C(DOB), ';', buf, 6); /* "dob;s" does not fit whole */
    assert_string_equal(buf, "dob");
}

/* A tuned model: classes of classes, `none`, order, a different bulk rule. */
static void custom_model(void **state)
{
    static const char y[] = "severity:\n"
                            "  classes:\n"
                            "    gov: [ssn, itin]\n"
                            "    money: [credit_card, bank_account]\n"
                            "    ids: [gov, money]\n"
                            "  records:\n"
                            "    - {severity: critical, all: [ids, name], none: [email]}\n"
                            "    - {severity: high, any: [ids]}\n"
                            "    - {severity: medium, all: [name, salary]}\n"
                            "  default: low\n"
                            "  files:\n"
                            "    bulk: {records: 2, terms: [gov], from: medium, to: high}\n"
                            "  notification: {any: [ssn, itin]}\n";
    struct ps_sevmodel *m = NULL;
    piiscan_diag d;
    (void)state;

    assert_int_equal(ps_sevmodel_parse(y, strlen(y), "t.yaml", &m, &d), PIISCAN_OK);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(BANK_ACCOUNT)), PS_SEV_CRITICAL);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(SSN) | C(EMAIL)), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_record(m, C(NAME) | C(SALARY)), PS_SEV_MEDIUM);
    assert_int_equal(ps_sevmodel_record(m, C(PASSPORT)), PS_SEV_LOW); /* default */
    assert_true(ps_sevmodel_is_bulk_record(m, C(ITIN)));
    assert_false(ps_sevmodel_is_bulk_record(m, C(CREDIT_CARD)));
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_MEDIUM, 2), PS_SEV_HIGH);
    assert_int_equal(ps_sevmodel_file(m, PS_SEV_HIGH, 2), PS_SEV_HIGH);
    assert_true(ps_sevmodel_notify(m, C(ITIN)));
    assert_false(ps_sevmodel_notify(m, C(NAME) | C(PASSPORT)));
    ps_sevmodel_free(m);
}

static void expect_error(const char *yaml, unsigned line, const char *needle)
{
    struct ps_sevmodel *m = (struct ps_sevmodel *)&m; /* must be reset to NULL */
    piiscan_diag d;

    assert_int_equal(ps_sevmodel_parse(yaml, strlen(yaml), "bad.yaml", &m, &d), PIISCAN_ERULES);
    assert_null(m);
    assert_string_equal(d.file, "bad.yaml");
    if (strstr(d.message, needle) == NULL || d.line != line)
        fail_msg("got line %u '%s', want line %u '%s'", d.line, d.message, line, needle);
}

static void loader_errors(void **state)
{
    (void)state;
    expect_error("severity:\n  records:\n    - {severity: high, all: [nmae]}\n", 3,
                 "unknown category or class 'nmae'");
    expect_error("severity:\n  records:\n    - severity: hihg\n      all: [ssn]\n", 3,
                 "expected low, medium, high or critical");
    expect_error("severity:\n  records:\n    - severity: high\n      alll: [ssn]\n", 4,
                 "records[0]: unknown key 'alll'");
    expect_error("severity:\n  records:\n    - severity: high\n", 3, "needs 'all' or 'any'");
    expect_error("severity:\n  records:\n    - {all: [ssn]}\n", 3, "missing 'severity'");
    expect_error("severity:\n  classes:\n    ssn: [itin]\n  records: []\n", 3,
                 "'ssn' is a category");
    expect_error("severity:\n  version: 1\n", 2, "missing 'records'");
    expect_error("severity:\n  records: []\n", 2, "no rules");
    expect_error("rules:\n  - id: x\n", 1, "unknown key 'rules'");
    expect_error("severity:\n  records:\n    - {severity: low, all: [ssn\n", 4, "YAML");
    expect_error("severity:\n  records:\n    - {severity: low, any: [ssn]}\n"
                 "  files:\n    bulk: {records: -4, terms: [ssn], from: high, to: critical}\n",
                 5, "files.bulk.records: expected a number");
    expect_error("severity:\n  records:\n    - {severity: low, any: [ssn]}\n"
                 "  files:\n    bulk: {records: 4, from: high, to: critical}\n",
                 5, "needs records, terms, from and to");
    expect_error("severity:\n  version: 2\n  records:\n    - {severity: low, any: [ssn]}\n", 2,
                 "version 1");
    expect_error("- a\n- b\n", 1, "expected a mapping");
    expect_error("", 1, "expected a mapping");
}

static void load_missing_file(void **state)
{
    struct ps_sevmodel *m = NULL;
    piiscan_diag d;
    (void)state;

    assert_int_equal(ps_sevmodel_load("/nonexistent/severity.yaml", &m, &d), PIISCAN_EIO);
    assert_null(m);
    assert_non_null(strstr(d.message, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(critical_rows),        cmocka_unit_test(high_rows),
        cmocka_unit_test(medium_rows),          cmocka_unit_test(low_rows),
        cmocka_unit_test(bulk_and_file),        cmocka_unit_test(notification),
        cmocka_unit_test(builtin_matches_file),
    };
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(names_and_format),
        cmocka_unit_test(custom_model),
        cmocka_unit_test(loader_errors),
        cmocka_unit_test(load_missing_file),
    };
    int fails = cmocka_run_group_tests_name("model", tests, setup, teardown);
    return fails + cmocka_run_group_tests_name("loader", plain, NULL, NULL);
}
