/* test_columns.c - engine/columns: header synonyms -> category, qualifiers, decoys,
 * and malformed columns.yaml files. Uses the shipped rules/data/columns.yaml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/columns.h"

static struct ps_columns *cols;

static int load_cols(void **state)
{
    piiscan_diag diag;

    (void)state;
    if (ps_columns_load(PIISCAN_TEST_RULES_DIR, &cols, &diag) != PIISCAN_OK) {
        fprintf(stderr, "%s:%u: %s\n", diag.file, diag.line, diag.message);
        return -1;
    }
    return 0;
}

static int free_cols(void **state)
{
    (void)state;
    ps_columns_free(cols);
    cols = NULL;
    return 0;
}

struct expect {
    const char *header;
    piiscan_category category;
    enum ps_col_part part;
};

static void check(const struct expect *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        piiscan_category cat = PIISCAN_CAT_COUNT;
        enum ps_col_part part = PS_COL_ROUTING + 1;
        if (!ps_columns_lookup(cols, e[i].header, &cat, &part))
            fail_msg("no category for header \"%s\"", e[i].header);
        if (cat != e[i].category || part != e[i].part)
            fail_msg("header \"%s\": category %d part %d, expected %d %d", e[i].header, (int)cat,
                     (int)part, (int)e[i].category, (int)e[i].part);
    }
}

static void test_ssn_dob(void **state)
{
    static const struct expect e[] = {
        {"SSN", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {" ssn ", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Social Security No", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"SOCIAL SECURITY NUMBER", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Social Security No.", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"SSN/TIN", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Soc_Sec_Num", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"soc-sec-num", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"SS#", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"TaxID", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Tax ID", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"ITIN", PIISCAN_CAT_ITIN, PS_COL_WHOLE},
        {"DOB", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"D.O.B.", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"Birth Date", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"Date of Birth", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"DateOfBirth", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"date_of_birth", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"Birthdate", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"Birthday", PIISCAN_CAT_DOB, PS_COL_WHOLE},
    };
    (void)state;
    check(e, sizeof(e) / sizeof(e[0]));
}

static void test_name_salary(void **state)
{
    static const struct expect e[] = {
        {"Name", PIISCAN_CAT_NAME, PS_COL_WHOLE},
        {"Employee Name", PIISCAN_CAT_NAME, PS_COL_WHOLE},
        {"Full Name", PIISCAN_CAT_NAME, PS_COL_WHOLE},
        {"Employee", PIISCAN_CAT_NAME, PS_COL_WHOLE},
        {"First Name", PIISCAN_CAT_NAME, PS_COL_GIVEN},
        {"first_name", PIISCAN_CAT_NAME, PS_COL_GIVEN},
        {"Last Name", PIISCAN_CAT_NAME, PS_COL_SURNAME},
        {"LASTNAME", PIISCAN_CAT_NAME, PS_COL_SURNAME},
        {"Surname", PIISCAN_CAT_NAME, PS_COL_SURNAME},
        {"Middle Name", PIISCAN_CAT_NAME, PS_COL_MIDDLE},
        {"M.I.", PIISCAN_CAT_NAME, PS_COL_MIDDLE},
        {"Salary", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Base Pay", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Base Salary", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Annual Comp", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Annual Salary", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Compensation", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Rate", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Pay Rate", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Hourly Rate", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Wage", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
        {"Bonus", PIISCAN_CAT_SALARY, PS_COL_WHOLE},
    };
    (void)state;
    check(e, sizeof(e) / sizeof(e[0]));
}

static void test_other_categories(void **state)
{
    static const struct expect e[] = {
        {"Email", PIISCAN_CAT_EMAIL, PS_COL_WHOLE},
        {"E-mail", PIISCAN_CAT_EMAIL, PS_COL_WHOLE},
        {"Email Address", PIISCAN_CAT_EMAIL, PS_COL_WHOLE},
        {"Phone", PIISCAN_CAT_PHONE, PS_COL_WHOLE},
        {"Telephone", PIISCAN_CAT_PHONE, PS_COL_WHOLE},
        {"Mobile", PIISCAN_CAT_PHONE, PS_COL_WHOLE},
        {"Cell", PIISCAN_CAT_PHONE, PS_COL_WHOLE},
        {"Card Number", PIISCAN_CAT_CREDIT_CARD, PS_COL_WHOLE},
        {"CC", PIISCAN_CAT_CREDIT_CARD, PS_COL_WHOLE},
        {"Credit Card", PIISCAN_CAT_CREDIT_CARD, PS_COL_WHOLE},
        {"Routing", PIISCAN_CAT_BANK_ACCOUNT, PS_COL_ROUTING},
        {"ABA", PIISCAN_CAT_BANK_ACCOUNT, PS_COL_ROUTING},
        {"Account Number", PIISCAN_CAT_BANK_ACCOUNT, PS_COL_WHOLE},
        {"Driver's License", PIISCAN_CAT_DRIVERS_LICENSE, PS_COL_WHOLE},
        {"DL#", PIISCAN_CAT_DRIVERS_LICENSE, PS_COL_WHOLE},
        {"Passport", PIISCAN_CAT_PASSPORT, PS_COL_WHOLE},
        {"Address", PIISCAN_CAT_ADDRESS, PS_COL_WHOLE},
        {"Street", PIISCAN_CAT_ADDRESS, PS_COL_WHOLE},
    };
    (void)state;
    check(e, sizeof(e) / sizeof(e[0]));
}

static void test_qualifiers(void **state)
{
    static const struct expect e[] = {
        {"Employee SSN", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"EmployeeSSN", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Employee Social Security Number", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"EmpDOB", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"Patient DOB", PIISCAN_CAT_DOB, PS_COL_WHOLE},
        {"SSN No.", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"SSN Number", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Emp SSN #", PIISCAN_CAT_SSN, PS_COL_WHOLE},
        {"Contact Phone", PIISCAN_CAT_PHONE, PS_COL_WHOLE},
        {"Spouse First Name", PIISCAN_CAT_NAME, PS_COL_GIVEN},
        {"Employee Last Name", PIISCAN_CAT_NAME, PS_COL_SURNAME},
        {"Home Address", PIISCAN_CAT_ADDRESS, PS_COL_WHOLE},
        {"Passport No", PIISCAN_CAT_PASSPORT, PS_COL_WHOLE},
    };
    (void)state;
    check(e, sizeof(e) / sizeof(e[0]));
}

static void test_decoys(void **state)
{
    static const char *const no[] = {
        "Department",
        "Notes",
        "Employee No",
        "Employee Number",
        "Employee ID",
        "Emp #",
        "Tax Rate",
        "Exchange Rate",
        "Interest Rate",
        "Marketing Budget",
        "Budget",
        "Project Name",
        "Company Name",
        "Film Title",
        "Total",
        "Invoice Date",
        "Hire Date",
        "Start Date",
        "Title",
        "City",
        "State",
        "Zip",
        "Amount",
        "Box Office",
        "Pay Date",
        "Account Manager",
        "Employer Name",
        "Customer No",
        "",
        "   ",
        "#",
        "---",
        "N/A",
    };
    char longer[2000];
    piiscan_category cat = PIISCAN_CAT_COUNT;
    enum ps_col_part part = PS_COL_ROUTING;

    (void)state;
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (ps_columns_lookup(cols, no[i], &cat, &part))
            fail_msg("header \"%s\" matched category %d", no[i], (int)cat);
    }
    /* Untouched outputs on no match. */
    assert_int_equal(cat, PIISCAN_CAT_COUNT);
    assert_int_equal(part, PS_COL_ROUTING);
    /* Very long headers never match (and are not read past the bound). */
    memset(longer, ' ', sizeof(longer) - 4);
    memcpy(longer + sizeof(longer) - 4, "SSN", 4);
    assert_false(ps_columns_lookup(cols, longer, &cat, &part));
    assert_false(ps_columns_lookup(cols, NULL, &cat, &part));
    assert_false(ps_columns_lookup(NULL, "SSN", &cat, &part));
}

static void test_normalize(void **state)
{
    char out[PS_COLUMNS_MAX_KEY];
    size_t len;

    (void)state;
    assert_true(ps_columns_normalize("Soc_Sec_Num", 11, out, sizeof(out), &len));
    assert_string_equal(out, "socsecnum");
    assert_int_equal(len, 9);
    assert_true(ps_columns_normalize(" D.O.B. ", 8, out, sizeof(out), &len));
    assert_string_equal(out, "dob");
    assert_true(ps_columns_normalize("Número", strlen("Número"), out, sizeof(out), &len));
    assert_string_equal(out, "numero");
    assert_false(ps_columns_normalize("abcdef", 6, out, 4, &len));
    assert_string_equal(out, "");
    assert_string_equal(ps_col_part_name(PS_COL_SURNAME), "surname");
    assert_null(ps_col_part_name((enum ps_col_part)99));
    assert_true(ps_columns_count(cols) > 200);
    /* The engine's field-class callback form. */
    assert_int_equal(ps_columns_field_class(cols, "Soc_Sec_Num"), PIISCAN_CAT_SSN);
    assert_int_equal(ps_columns_field_class(cols, "Last Name"), PIISCAN_CAT_NAME);
    assert_int_equal(ps_columns_field_class(cols, "Notes"), -1);
}

/* ---- malformed files ---- */

static char tmpdir[512];

static piiscan_status load_yaml(const char *text, piiscan_diag *diag)
{
    char path[1024];
    struct ps_columns *c = (struct ps_columns *)1;
    piiscan_status rc;
    FILE *f;

    snprintf(path, sizeof(path), "%s/data", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/data/columns.yaml", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    rc = ps_columns_load(tmpdir, &c, diag);
    if (rc != PIISCAN_OK)
        assert_null(c);
    ps_columns_free(c);
    return rc;
}

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "%s/test_columns.XXXXXX", PIISCAN_TEST_BUILD_DIR);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char path[1024];

    (void)state;
    snprintf(path, sizeof(path), "%s/data/columns.yaml", tmpdir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/data", tmpdir);
    rmdir(path);
    rmdir(tmpdir);
    return 0;
}

static void test_malformed(void **state)
{
    piiscan_diag diag;
    struct ps_columns *c = NULL;

    (void)state;
    assert_int_equal(ps_columns_load(tmpdir, &c, &diag), PIISCAN_EIO); /* no file yet */
    assert_null(c);
    assert_int_equal(load_yaml("columns:\n  ssn: [SSN]\n", &diag), PIISCAN_OK);
    assert_int_equal(load_yaml("columns:\n  ssn: [SSN]\n  weapon: [Gun]\n", &diag), PIISCAN_ERULES);
    assert_int_equal(diag.line, 3);
    assert_non_null(strstr(diag.message, "unknown category"));
    /* A synonym under two categories (after normalisation). */
    assert_int_equal(load_yaml("columns:\n  ssn: [SSN]\n  dob:\n    - S.S.N.\n", &diag),
                     PIISCAN_ERULES);
    assert_int_equal(diag.line, 4);
    assert_non_null(strstr(diag.message, "already listed"));
    /* The same synonym twice under one category is fine. */
    assert_int_equal(load_yaml("columns:\n  ssn: [SSN, ssn]\n", &diag), PIISCAN_OK);
    assert_int_equal(load_yaml("columns:\n  ssn: {given: [SSN]}\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns:\n  name: {nick: [x]}\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns:\n  ssn: [\"#\"]\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns:\n  ssn: [[SSN]]\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns:\n  ssn: SSN\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("rules:\n  - id: x\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("qualifiers: {leading: [emp]}\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns: [\n", &diag), PIISCAN_ERULES);
    assert_non_null(strstr(diag.message, "YAML"));
    /* An alias cycle is rejected, not walked forever. */
    assert_int_equal(load_yaml("columns:\n  ssn: &a [*a]\n", &diag), PIISCAN_ERULES);
    assert_int_equal(load_yaml("columns: &r {ssn: *r}\n", &diag), PIISCAN_ERULES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ssn_dob),          cmocka_unit_test(test_name_salary),
        cmocka_unit_test(test_other_categories), cmocka_unit_test(test_qualifiers),
        cmocka_unit_test(test_decoys),           cmocka_unit_test(test_normalize),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test_setup_teardown(test_malformed, make_tmpdir, remove_tmpdir),
    };
    int failed = cmocka_run_group_tests(tests, load_cols, free_cols);

    return failed + cmocka_run_group_tests(files, NULL, NULL);
}
