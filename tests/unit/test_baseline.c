/* unit.baseline - diffing against a previous summary.json: the same run again
 * reports nothing new; one added file reports exactly its findings and its
 * new people; a removed file is counted as gone; another key is refused; and
 * the --fail-on exit status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/category.h"
#include "report/baseline.h"
#include "report/summary.h"

/* A file of the simulated dump: rows of "category=value" cells. */
struct tfile {
    const char *lpath;
    const char *const *rows[8];
};

static const struct tfile hr = {
    "dump/hr.csv",
    {(const char *const[]){"name=Amy Pascal", "ssn=123-45-6789", "dob=1967-04-12", NULL},
     (const char *const[]){"name=Michael Lynton", "ssn=219-09-9999", NULL},
     (const char *const[]){"name=Seth Rogen", "salary=8400000", NULL}, NULL}};
static const struct tfile pay = {
    "dump/pay.zip!pay.csv",
    {(const char *const[]){"name=PASCAL, AMY", "ssn=123456789", "salary=3000000", NULL},
     (const char *const[]){"ssn=078-05-1120", "dob=1950-01-01", NULL}, NULL}};
static const struct tfile added = {
    "dump/new.xlsx!Sheet1",
    {(const char *const[]){"name=Jane Roe", "ssn=321-54-9876", NULL},
     (const char *const[]){"name=John Doe", "ssn=111-22-3333", "email=jd@example.com", NULL},
     (const char *const[]){"name=Amy Pascal", "ssn=123-45-6789", NULL}, NULL}};

struct run {
    struct ps_sevmodel *model;
    struct ps_idkey *key;
    struct ps_impact *imp;
    uint64_t findings, new_findings;
    uint64_t new_at[PS_SEV_COUNT];
};

/* Scans the files: records, fingerprints, baseline marks, as the CLI does. */
static void scan(struct run *r, const struct tfile *const *files, struct ps_baseline *bl)
{
    struct ps_recset *rs = NULL;

    assert_int_equal(ps_impact_new(r->model, r->key, true, &r->imp), PIISCAN_OK);
    assert_int_equal(ps_recset_new(r->model, &rs), PIISCAN_OK);
    for (size_t i = 0; files[i] != NULL; i++) {
        const struct tfile *tf = files[i];
        piiscan_file_info fi = {.lpath = tf->lpath, .mime = "text/csv", .format = "table"};
        piiscan_finding all[64];
        size_t n = 0;
        ps_recset_clear(rs);
        for (size_t row = 0; tf->rows[row] != NULL; row++) {
            for (size_t c = 0; tf->rows[row][c] != NULL; c++) {
                const char *cell = tf->rows[row][c];
                const char *eq = strchr(cell, '=');
                char cat[32];
                snprintf(cat, sizeof cat, "%.*s", (int)(eq - cell), cell);
                piiscan_finding f = {.category = (piiscan_category)ps_category_from_name(cat),
                                     .rule_id = "t",
                                     .lpath = tf->lpath,
                                     .line = row + 2,
                                     .value = eq + 1,
                                     .value_len = strlen(eq + 1),
                                     .normalized = eq + 1,
                                     .context = "",
                                     .record = row + 1};
                assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
                all[n++] = f;
            }
        }
        ps_recset_finish(rs);
        for (size_t k = 0; k < n; k++) {
            uint64_t fp = 0;
            assert_int_equal(ps_impact_fingerprint(r->imp, &all[k], &fp), PIISCAN_OK);
            r->findings++;
            if (bl == NULL || !ps_baseline_has_finding(bl, fp)) {
                r->new_findings++;
                r->new_at[ps_recset_lookup(rs, &all[k])->severity]++;
            }
        }
        assert_int_equal(ps_impact_add_recset(r->imp, rs), PIISCAN_OK);
        assert_int_equal(ps_impact_file_info(r->imp, &fi), PIISCAN_OK);
    }
    ps_recset_free(rs);
    assert_int_equal(ps_impact_finish(r->imp), PIISCAN_OK);
}

static void write_summary(const struct run *r, const char *path)
{
    const char *inputs[] = {"dump"};
    struct ps_summary_meta meta = {
        .version = "0.1.0", .rules_digest = "abc", .inputs = inputs, .ninputs = 1};
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(ps_summary_write_json(f, r->imp, &meta, NULL), PIISCAN_OK);
    assert_int_equal(fclose(f), 0);
}

static void run_free(struct run *r)
{
    ps_impact_free(r->imp);
    memset(r->new_at, 0, sizeof r->new_at);
    r->imp = NULL;
    r->findings = r->new_findings = 0;
}

static const char key_bytes[] = "monthly-audit-key-2014-11";

static void diffs(void **state)
{
    struct run r = {0};
    struct ps_baseline *bl = NULL;
    char path[] = "/tmp/piiscan-baseline-XXXXXX";
    char err[256];
    int fd = mkstemp(path);
    (void)state;

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ps_sevmodel_builtin(&r.model), PIISCAN_OK);
    assert_int_equal(ps_idkey_from_bytes(key_bytes, strlen(key_bytes), &r.key), PIISCAN_OK);

    /* first run: the baseline */
    scan(&r, (const struct tfile *const[]){&hr, &pay, NULL}, NULL);
    assert_int_equal(ps_impact_totals(r.imp)->people, 4);
    write_summary(&r, path);
    run_free(&r);

    /* the same dump again: nothing new, nothing gone */
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_OK);
    assert_int_equal(ps_baseline_person_count(bl), 4);
    assert_int_equal(ps_baseline_finding_count(bl), 12);
    scan(&r, (const struct tfile *const[]){&hr, &pay, NULL}, bl);
    assert_int_equal(r.findings, 12);
    assert_int_equal(r.new_findings, 0);
    assert_int_equal(ps_baseline_mark_people(bl, ps_impact_people(r.imp)), 0);
    assert_int_equal(ps_baseline_gone_findings(bl), 0);
    assert_int_equal(ps_baseline_gone_people(bl), 0);
    assert_int_equal(ps_summary_exit_status(r.new_at, -1), 0);
    run_free(&r);
    ps_baseline_free(bl);

    /* one spreadsheet added: exactly its findings and its two new people */
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_OK);
    scan(&r, (const struct tfile *const[]){&hr, &pay, &added, NULL}, bl);
    assert_int_equal(r.new_findings, 7);
    assert_int_equal(ps_baseline_mark_people(bl, ps_impact_people(r.imp)), 2);
    size_t fresh = 0;
    struct ps_person p;
    for (size_t i = 0; ps_people_get(ps_impact_people(r.imp), i, &p); i++) {
        if (!ps_baseline_knows_person(bl, p.id))
            fresh++;
    }
    assert_int_equal(fresh, 2); /* what people.csv writes with this baseline */
    assert_int_equal(ps_baseline_gone_findings(bl), 0);
    assert_int_equal(ps_summary_exit_status(r.new_at, -1), 1);
    assert_int_equal(ps_summary_exit_status(r.new_at, PS_SEV_CRITICAL), 1);
    run_free(&r);
    ps_baseline_free(bl);

    /* pay.csv gone: its 5 findings and the one person only it had */
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_OK);
    scan(&r, (const struct tfile *const[]){&hr, NULL}, bl);
    assert_int_equal(r.new_findings, 0);
    assert_int_equal(ps_baseline_mark_people(bl, ps_impact_people(r.imp)), 0);
    assert_int_equal(ps_baseline_gone_findings(bl), 5);
    assert_int_equal(ps_baseline_gone_people(bl), 1);
    run_free(&r);
    ps_baseline_free(bl);

    /* another key: refused, with the reason */
    struct ps_idkey *other = NULL;
    assert_int_equal(ps_idkey_random(&other), PIISCAN_OK);
    bl = (struct ps_baseline *)&bl;
    assert_int_equal(ps_baseline_load(path, other, &bl, err, sizeof err), PIISCAN_EINVAL);
    assert_null(bl);
    assert_non_null(strstr(err, "another key"));
    ps_idkey_free(other);

    /* not a summary; not there */
    FILE *f = fopen(path, "w");
    fputs("{\"findings\": []}\n", f);
    fclose(f);
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_EINVAL);
    assert_non_null(strstr(err, "not a piiscan summary"));
    f = fopen(path, "w");
    fputs("{\"people\": [", f);
    fclose(f);
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_EINVAL);
    unlink(path);
    assert_int_equal(ps_baseline_load(path, r.key, &bl, err, sizeof err), PIISCAN_EIO);
    ps_idkey_free(r.key);
    ps_sevmodel_free(r.model);
}

static void fail_on(void **state)
{
    uint64_t at[PS_SEV_COUNT] = {0};
    (void)state;

    /* nothing reported: 0 whatever the threshold */
    assert_int_equal(ps_summary_exit_status(at, -1), 0);
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_LOW), 0);
    at[PS_SEV_MEDIUM] = 3;
    assert_int_equal(ps_summary_exit_status(at, -1), 1);
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_LOW), 1);
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_MEDIUM), 1);
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_HIGH), 0);
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_CRITICAL), 0);
    at[PS_SEV_CRITICAL] = 1;
    assert_int_equal(ps_summary_exit_status(at, PS_SEV_CRITICAL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diffs),
        cmocka_unit_test(fail_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
