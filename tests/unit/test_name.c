/* test_name.c - the name validator (validate/names_check.c) and rules/name.yaml: every
 * written form with its normal form ("amy pascal"), confidence bands (name column >
 * both parts in the dictionaries > given name + unknown word), accented and hyphenated
 * names, and the decoys - cities, companies, film titles, months and weekdays, streets,
 * sentence starters, job titles, capitalised phrases, headings in capitals; in tables,
 * cells under name columns, placeholders, First + Last columns joined into one name and
 * no names from the other columns of a row that has a name column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "helpers.h"
#include "validate/names.h"
#include "validate/validate.h"

struct fixture {
    piiscan_rules *rules;
    struct ps_names *names;
};

static int setup(void **state)
{
    static struct fixture f;
    piiscan_diag diag;

    f.rules = helper_load_rules();
    if (f.rules == NULL ||
        ps_names_load(PIISCAN_TEST_RULES_DIR "/data", &f.names, &diag) != PIISCAN_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    piiscan_rules_free(f->rules);
    ps_names_free(f->names);
    return 0;
}

/* The validator on s: "REJECT", or "<P|S>:norm" (P plausible, S strong). */
static const char *judge(const struct fixture *f, const char *s, const char *field)
{
    static char out[300];
    char norm[256];
    struct ps_validate_ctx vc;
    enum ps_verdict v;

    memset(&vc, 0, sizeof vc);
    vc.names = f->names;
    vc.field = field;
    vc.in_column = field != NULL;
    v = ps_validate_name(&vc, s, strlen(s), norm, sizeof norm);
    if (v == PS_VERDICT_REJECT)
        return "REJECT";
    snprintf(out, sizeof out, "%c:%s", v == PS_VERDICT_CHECKSUM ? 'S' : 'P', norm);
    return out;
}

static void test_validator_forms(void **state)
{
    const struct fixture *f = *state;

    assert_string_equal(judge(f, "Amy Pascal", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Amy B. Pascal", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Amy B Pascal", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "PASCAL, AMY", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Pascal, Amy B.", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Dr. Amy Pascal", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Mrs. Amy B. Pascal", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "Amy Pascal Jr.", NULL), "S:amy pascal");
    assert_string_equal(judge(f, "José Muñoz-Peña", NULL), "S:jose munoz-pena");
    assert_string_equal(judge(f, "Renée Jimenez-Allen", NULL), "S:renee jimenez-allen");
    assert_string_equal(judge(f, "Sean O'Brien", NULL), "S:sean obrien");
    assert_string_equal(judge(f, "Amy\xc2\xa0Pascal", NULL), "S:amy pascal");
}

static void test_validator_evidence(void **state)
{
    const struct fixture *f = *state;

    /* a stop-listed part carried by the other part: plausible, strong with a cue */
    assert_string_equal(judge(f, "May Pascal", NULL), "P:may pascal");
    assert_string_equal(judge(f, "Charlotte Perez", NULL), "P:charlotte perez");
    assert_string_equal(judge(f, "Dr. May Pascal", NULL), "S:may pascal");
    /* a common given name + a word in no list: weak */
    assert_string_equal(judge(f, "Amy Zelinskyy", NULL), "P:amy zelinskyy");
    /* ... but not after a rare given name, in capitals, or a second given name */
    assert_string_equal(judge(f, "Johnson Controls", NULL), "REJECT");
    assert_string_equal(judge(f, "Golden Globes", NULL), "REJECT");
    assert_string_equal(judge(f, "AMY ZELINSKYY", NULL), "REJECT");
    assert_string_equal(judge(f, "Amy Madison", NULL), "P:amy madison"); /* place word */
    assert_string_equal(judge(f, "Amy Hayley", NULL), "REJECT");         /* two given names */
}

static void test_validator_decoys(void **state)
{
    const struct fixture *f = *state;
    static const char *const decoys[] = {
        "Culver City",     "Sony Pictures",
        "Beverly Hills",   "Santa Monica",
        "Morgan Stanley",  "Captain Phillips",
        "Men in Black",    "August Monday",
        "Grant Street",    "Washington Blvd",
        "Street, Beverly", "Following Kevin",
        "Vice President",  "Open Enrollment",
        "Pacific Time",    "Net Income",
        "Academy Awards",  "Hotel Transylvania",
        "Director Amy",    "ANNUAL SALARY",
        "Dear Amy",        "Amy",
        "Will Review",     "Jersey City",
    };
    for (size_t i = 0; i < sizeof decoys / sizeof decoys[0]; i++) {
        if (strcmp(judge(f, decoys[i], NULL), "REJECT") != 0) {
            print_error("decoy \"%s\" accepted: %s\n", decoys[i], judge(f, decoys[i], NULL));
            fail();
        }
    }
}

static void test_validator_cells(void **state)
{
    const struct fixture *f = *state;

    /* under a name column: the column is the evidence */
    assert_string_equal(judge(f, "VLASENKO, RACHEL", "Emp Name"), "P:rachel vlasenko");
    assert_string_equal(judge(f, "Thorsdottir, Walter C.", "Employee Name"),
                        "P:walter thorsdottir");
    assert_string_equal(judge(f, "Xq Zelinskyy", "Name"), "P:xq zelinskyy");
    assert_string_equal(judge(f, "Madonna", "Talent"), "P:madonna");
    /* placeholders and non-names */
    assert_string_equal(judge(f, "N/A", "Name"), "REJECT");
    assert_string_equal(judge(f, "Unknown", "Name"), "REJECT");
    assert_string_equal(judge(f, "TBD", "Name"), "REJECT");
    assert_string_equal(judge(f, "-", "Name"), "REJECT");
    assert_string_equal(judge(f, "12345", "Name"), "REJECT");
    /* formulas, markup, numbers and companies are not people, even under a name column */
    assert_string_equal(judge(f, "=HYPERLINK(\"http://x\",\"Amy\")", "Name"), "REJECT");
    assert_string_equal(judge(f, "@SUM(1)", "Name"), "REJECT");
    assert_string_equal(judge(f, "Amy Pascal 2", "Name"), "REJECT");
    assert_string_equal(judge(f, "Acme Corp LLC", "Employee Name"), "REJECT");
    assert_string_equal(judge(f, "Sony Pictures Entertainment", "Name"), "REJECT");
    /* ... but apostrophes, hyphens, accents, commas and initials are */
    assert_string_equal(judge(f, "O'Brien, Pat", "Name"), "P:pat obrien");
    assert_string_equal(judge(f, "Jos\xc3\xa9 Mu\xc3\xb1oz-Pe\xc3\xb1" "a", "Name"),
                        "P:jose munoz-pena");
    /* without dictionaries the validator accepts nothing */
    struct ps_validate_ctx vc;
    char norm[64];
    memset(&vc, 0, sizeof vc);
    assert_int_equal(ps_validate_name(&vc, "Amy Pascal", 10, norm, sizeof norm), PS_VERDICT_REJECT);
}

/* The name findings of text: "value=norm@conf" joined by " | ". */
static const char *names_in(const struct fixture *f, const char *text)
{
    static char out[2048];
    struct helper_findings fs;
    size_t n = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_text(f->rules, text, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "name") == 0)
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s=%s@%.2f", n ? " | " : "", h->value,
                                  h->normalized, h->confidence);
    }
    return out;
}

static void test_text(void **state)
{
    const struct fixture *f = *state;

    assert_string_equal(names_in(f, "Amy Pascal, SSN 123-45-6780, born 04/12/1967"),
                        "Amy Pascal=amy pascal@0.70");
    /* a rejected candidate does not hide the name after it */
    assert_string_equal(names_in(f, "Following Kevin Hill, the director"),
                        "Kevin Hill=kevin hill@0.70");
    assert_string_equal(names_in(f, "Director Amy Pascal met"), "Amy Pascal=amy pascal@0.70");
    /* the honorific stays in the value; the keyword "dr" raises the confidence */
    assert_string_equal(names_in(f, "Approved by Dr. Amy B. Pascal."),
                        "Dr. Amy B. Pascal=amy pascal@0.90");
    assert_string_equal(names_in(f, "Williams, Evelyn SSN: 297.28.9681"),
                        "Williams, Evelyn=evelyn williams@0.70");
    assert_string_equal(names_in(f, "Employee name: PASCAL, AMY"), "PASCAL, AMY=amy pascal@0.90");
    assert_string_equal(names_in(f, "Lawrence Romero's salary is $341,000.00"),
                        "Lawrence Romero=lawrence romero@0.70");
    assert_string_equal(names_in(f, "cc José Muñoz-Peña"), "José Muñoz-Peña=jose munoz-pena@0.70");
    assert_string_equal(names_in(f, "Ask Amy Zelinskyy."), "Amy Zelinskyy=amy zelinskyy@0.60");
    assert_string_equal(names_in(f, "From: Lawrence Kelly <lawrence_kelly@example.com>"),
                        "Lawrence Kelly=lawrence kelly@0.90");
}

static void test_text_decoys(void **state)
{
    const struct fixture *f = *state;

    assert_string_equal(names_in(f, "The shipment left Culver City for Sony Pictures in May."), "");
    assert_string_equal(names_in(f, "Release date for Men in Black and Captain Phillips."), "");
    assert_string_equal(names_in(f, "Office: 10202 Washington Blvd, Culver City, CA 90232"), "");
    assert_string_equal(names_in(f, "Our Vice President approved Open Enrollment on Monday."), "");
    assert_string_equal(names_in(f, "June 22, 1943 and August were quiet at Morgan Stanley."), "");
    assert_string_equal(names_in(f, "ANNUAL SALARY REVIEW and SOCIAL SECURITY NUMBER"), "");
    assert_string_equal(names_in(f, "Overall Deadline; Attached Report; Net Income"), "");
    /* a month that is a given name, or a name, at the head of a longer capitalised
     * name of something else */
    assert_string_equal(names_in(f, "training by April Human Resources and January General "
                                    "Counsel at Amy Pascal Productions"),
                        "");
    /* names never span a line break or a tab (a TSV read as text) */
    assert_string_equal(names_in(f, "Kelly\nAccountant"), "");
    assert_string_equal(names_in(f, "Naomi\tSenior"), "");
    /* an e-mail address is not a name */
    assert_string_equal(names_in(f, "write to Jonathan.Sanchez@outlook.com"), "");
}

/* One ROW unit: the name findings as "field:value=norm@conf". */
static const char *row_names(const struct fixture *f, const char *const *headers,
                             const char *const *cells, size_t n)
{
    static char out[1024];
    struct helper_findings fs;
    size_t k = 0;

    out[0] = '\0';
    assert_int_equal(helper_scan_row(f->rules, "hr.csv", 3, 3, headers, cells, n, &fs), PIISCAN_OK);
    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs.items[i];
        if (strcmp(h->category, "name") != 0)
            continue;
        assert_int_equal(h->line, 3);
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s:%s=%s@%.2f", k ? " | " : "", h->field,
                              h->value, h->normalized, h->confidence);
    }
    return out;
}

static void test_columns(void **state)
{
    const struct fixture *f = *state;
    const char *const h1[] = {"Employee Name", "Department", "City", "Job Title"};
    const char *const c1[] = {"VLASENKO, RACHEL", "Sony Pictures Television", "Beverly Hills",
                              "Vice President"};
    const char *const h2[] = {"Emp ID", "LastName", "First", "Dept", "Middle Initial"};
    const char *const c2[] = {"58204", "Alvarez", "Joshua", "Amy Pascal Productions", "Q"};
    const char *const h3[] = {"Name", "Name"};
    const char *const c3[] = {"N/A", "  "};
    const char *const h4[] = {"Vendor", "Contact Name", "Project Name"};
    const char *const c4[] = {"Johnson Controls", "Charlotte Boyd", "Amy Pascal Story"};
    const char *const h5[] = {"First Name", "Dept"};
    const char *const c5[] = {"Amy", "Amy Pascal"};
    const char *const h6[] = {"Vendor", "Notes"};
    const char *const c6[] = {"Sony Pictures", "call Amy Pascal"};

    assert_string_equal(row_names(f, h1, c1, 4),
                        "Employee Name:VLASENKO, RACHEL=rachel vlasenko@0.95");
    /* first + last columns: one name, given name first, where the first of them is */
    assert_string_equal(row_names(f, h2, c2, 5),
                        "First+LastName:Joshua Alvarez=joshua alvarez@0.95");
    assert_string_equal(row_names(f, h3, c3, 2), "");
    assert_string_equal(row_names(f, h4, c4, 3), "Contact Name:Charlotte Boyd=charlotte boyd@0.95");
    /* a first name alone is no name, and its row has a name column */
    assert_string_equal(row_names(f, h5, c5, 2), "");
    /* a row without name columns: cells are read as text */
    assert_string_equal(row_names(f, h6, c6, 2), "Notes:Amy Pascal=amy pascal@0.70");
}

/* Hostile input: random bytes (a fixed LCG) in text and cell mode; the validator
 * returns, never reads past n (exact-size copies for ASan), terminates norm. */
static void test_hostile(void **state)
{
    static const char alphabet[] = "AaBbJjPpZz ,.-'\t\xc3\xa9\xc2\xa0\x80\xff"
                                   "0";
    const struct fixture *f = *state;
    char buf[80];
    char norm[64];
    uint32_t x = 777;
    struct ps_validate_ctx vc;

    memset(&vc, 0, sizeof vc);
    vc.names = f->names;
    for (int round = 0; round < 20000; round++) {
        x = x * 1103515245u + 12345u;
        size_t n = (x >> 8) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        char *exact = malloc(n ? n : 1);
        assert_non_null(exact);
        memcpy(exact, buf, n);
        vc.in_column = (round & 1) != 0;
        vc.field = vc.in_column ? "Name" : NULL;
        if (ps_validate_name(&vc, exact, n, norm, sizeof norm) != PS_VERDICT_REJECT)
            assert_true(memchr(norm, '\0', sizeof norm) != NULL);
        free(exact);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validator_forms),
        cmocka_unit_test(test_validator_evidence),
        cmocka_unit_test(test_validator_decoys),
        cmocka_unit_test(test_validator_cells),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_decoys),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
