/* unit.records - grouping findings into records: categories and severity per
 * record, stable record ids, identity values in canonical form, file severity
 * with the bulk rule; and the name/number normalisation behind dedupe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "record/collect.h"
#include "record/normalize.h"
#include "record/records.h"

static piiscan_finding mk(const char *lpath, piiscan_category cat, const char *value,
                          uint64_t record, uint64_t line)
{
    piiscan_finding f = {0};
    f.category = cat;
    f.rule_id = "test";
    f.confidence = 0.9;
    f.lpath = lpath;
    f.line = line;
    f.value = value;
    f.value_len = strlen(value);
    f.normalized = value;
    f.context = value;
    f.record = record;
    return f;
}

static void add(struct ps_recset *rs, const char *lpath, piiscan_category cat, const char *v,
                uint64_t record, uint64_t line)
{
    piiscan_finding f = mk(lpath, cat, v, record, line);
    assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
}

static int setup(void **state)
{
    struct ps_sevmodel *m = NULL;
    assert_int_equal(ps_sevmodel_builtin(&m), PIISCAN_OK);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    ps_sevmodel_free(*state);
    return 0;
}

static void groups_by_record(void **state)
{
    struct ps_recset *rs = NULL;
    char id[PS_RECORD_ID_MAX];

    assert_int_equal(ps_recset_new(*state, &rs), PIISCAN_OK);
    add(rs, "hr.csv", PIISCAN_CAT_NAME, "Amy Pascal", 2, 2);
    add(rs, "hr.csv", PIISCAN_CAT_SSN, "123-45-6789", 2, 2);
    add(rs, "hr.csv", PIISCAN_CAT_EMAIL, "x@y.com", 3, 3);
    add(rs, "hr.csv", PIISCAN_CAT_DOB, "1967-04-12", 2, 2);
    ps_recset_finish(rs);

    assert_int_equal(ps_recset_count(rs), 2);
    const struct ps_record *r2 = ps_recset_get(rs, 0);
    const struct ps_record *r3 = ps_recset_get(rs, 1);
    assert_int_equal(r2->cats, PS_CATBIT(PIISCAN_CAT_NAME) | PS_CATBIT(PIISCAN_CAT_SSN) |
                                   PS_CATBIT(PIISCAN_CAT_DOB));
    assert_int_equal(r2->severity, PS_SEV_CRITICAL);
    assert_int_equal(r2->nfindings, 3);
    assert_int_equal(r3->severity, PS_SEV_LOW);
    assert_int_equal(ps_recset_file_severity(rs), PS_SEV_CRITICAL);
    assert_int_equal(ps_recset_records_at(rs, PS_SEV_CRITICAL), 1);
    assert_int_equal(ps_recset_records_at(rs, PS_SEV_LOW), 1);
    assert_int_equal(ps_recset_findings(rs, PIISCAN_CAT_SSN), 1);
    assert_int_equal(ps_recset_findings(rs, -1), 4);

    /* lookup by finding, and the id: SHA-256("hr.csv")[0..12] + ":" + record */
    piiscan_finding f = mk("hr.csv", PIISCAN_CAT_EMAIL, "x@y.com", 3, 3);
    assert_ptr_equal(ps_recset_lookup(rs, &f), r3);
    assert_string_equal(ps_recset_record_id(rs, r3, id, sizeof id), "6c2e0dc3b2ed:3");
    f.record = 99;
    assert_null(ps_recset_lookup(rs, &f));

    /* a finding of another file is refused */
    f = mk("other.csv", PIISCAN_CAT_SSN, "123456789", 1, 1);
    assert_int_equal(ps_recset_add(rs, &f), PIISCAN_EINVAL);
    ps_recset_free(rs);
}

static void records_without_ids(void **state)
{
    struct ps_recset *rs = NULL;
    char id[PS_RECORD_ID_MAX];

    assert_int_equal(ps_recset_new(*state, &rs), PIISCAN_OK);
    /* record 0: by line, else by offset */
    add(rs, "dump.zip!pay.csv", PIISCAN_CAT_NAME, "Amy Pascal", 0, 7);
    add(rs, "dump.zip!pay.csv", PIISCAN_CAT_SALARY, "3000000.00", 0, 7);
    piiscan_finding f = mk("dump.zip!pay.csv", PIISCAN_CAT_SSN, "123456789", 0, 0);
    f.offset = 4096;
    assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
    ps_recset_finish(rs);
    assert_int_equal(ps_recset_count(rs), 2);
    assert_string_equal(ps_recset_record_id(rs, ps_recset_get(rs, 0), id, sizeof id),
                        "bf0bfb6e7a51:L7");
    assert_int_equal(ps_recset_get(rs, 0)->severity, PS_SEV_HIGH);
    assert_string_equal(ps_recset_record_id(rs, ps_recset_get(rs, 1), id, sizeof id),
                        "bf0bfb6e7a51:@4096");
    /* record 7 is not line 7 */
    f = mk("dump.zip!pay.csv", PIISCAN_CAT_EMAIL, "a@b.c", 7, 7);
    assert_null(ps_recset_lookup(rs, &f));
    ps_recset_free(rs);
}

static void identity_values(void **state)
{
    struct ps_recset *rs = NULL;

    assert_int_equal(ps_recset_new(*state, &rs), PIISCAN_OK);
    /* one person written twice, differently */
    add(rs, "a.txt", PIISCAN_CAT_SSN, "123-45-6789", 1, 1);
    add(rs, "a.txt", PIISCAN_CAT_SSN, "123456789", 1, 1);
    add(rs, "a.txt", PIISCAN_CAT_NAME, "Amy Pascal", 1, 1);
    add(rs, "a.txt", PIISCAN_CAT_NAME, "PASCAL, AMY", 1, 1);
    add(rs, "a.txt", PIISCAN_CAT_PASSPORT, "X1234567", 1, 1);
    /* a paragraph with two people */
    add(rs, "a.txt", PIISCAN_CAT_SSN, "123-45-6789", 2, 5);
    add(rs, "a.txt", PIISCAN_CAT_SSN, "219-09-9999", 2, 5);
    add(rs, "a.txt", PIISCAN_CAT_NAME, "Amy Pascal", 2, 5);
    add(rs, "a.txt", PIISCAN_CAT_NAME, "Bob Jones", 2, 6);
    ps_recset_finish(rs);

    const struct ps_record *r = ps_recset_get(rs, 0);
    assert_int_equal(r->ntins, 1);
    assert_string_equal(r->tins[0], "123456789");
    assert_int_equal(r->nnames, 1);
    assert_string_equal(r->name, "amy pascal");
    assert_int_equal(r->noids, 1);
    assert_string_equal(r->oid, "passport:x1234567");
    r = ps_recset_get(rs, 1);
    assert_int_equal(r->ntins, 2);
    assert_string_equal(r->tins[1], "219099999");
    assert_int_equal(r->nnames, 2);
    ps_recset_free(rs);

    /* a paragraph listing 5000 people keeps every SSN */
    assert_int_equal(ps_recset_new(*state, &rs), PIISCAN_OK);
    for (unsigned i = 0; i < 5000; i++) {
        char v[16];
        snprintf(v, sizeof v, "5%08u", i);
        add(rs, "list.txt", PIISCAN_CAT_SSN, v, 1, i + 1);
    }
    add(rs, "list.txt", PIISCAN_CAT_SSN, "500000000", 1, 9999); /* a repeat, among the first */
    ps_recset_finish(rs);
    r = ps_recset_get(rs, 0);
    assert_int_equal(r->ntins, 5000);
    assert_string_equal(r->tins[4999], "500004999");
    assert_int_equal(r->line, 1);
    ps_recset_free(rs);
}

static void bulk_file(void **state)
{
    struct ps_recset *rs = NULL;
    char v[16];

    assert_int_equal(ps_recset_new(*state, &rs), PIISCAN_OK);
    for (uint64_t i = 1; i <= 99; i++) {
        snprintf(v, sizeof v, "1234%05u", (unsigned)i);
        add(rs, "ssns.txt", PIISCAN_CAT_SSN, v, i, i);
    }
    add(rs, "ssns.txt", PIISCAN_CAT_EMAIL, "a@b.c", 500, 500); /* not an identifier record */
    ps_recset_finish(rs);
    assert_int_equal(ps_recset_bulk_records(rs), 99);
    assert_int_equal(ps_recset_file_severity(rs), PS_SEV_HIGH);
    add(rs, "ssns.txt", PIISCAN_CAT_ITIN, "912-70-1234", 100, 100);
    ps_recset_finish(rs);
    assert_int_equal(ps_recset_bulk_records(rs), 100);
    assert_int_equal(ps_recset_max_record_severity(rs), PS_SEV_HIGH);
    assert_int_equal(ps_recset_file_severity(rs), PS_SEV_CRITICAL);

    /* clear: the set is reusable for the next file */
    ps_recset_clear(rs);
    add(rs, "next.txt", PIISCAN_CAT_DOB, "1990-01-01", 1, 1);
    ps_recset_finish(rs);
    assert_int_equal(ps_recset_count(rs), 1);
    assert_int_equal(ps_recset_file_severity(rs), PS_SEV_MEDIUM);
    ps_recset_free(rs);
}

static void name_forms(void **state)
{
    static const char *const same[][2] = {
        {"Amy Pascal", "amy pascal"},
        {"PASCAL, AMY", "amy pascal"},
        {"Pascal, Amy B.", "amy pascal"},
        {"Ms. Amy B Pascal", "amy pascal"},
        {"  amy   pascal ", "amy pascal"},
        {"Dr. Michael M. Lynton, Jr.", "michael lynton"},
        {"Lynton, Michael, Jr.", "michael lynton"},
        {"O'Neil, Mary-Kate", "mary-kate o'neil"},
        {"JOSÉ García", "jos\xc3\x89 garc\xc3\xad"
                        "a"}, /* non-ASCII bytes kept as they are */
        {"\"Bob\" (Robert) Jones", "bob robert jones"},
    };
    char out[PS_NORM_MAX];
    (void)state;

    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        ps_norm_name(same[i][0], out, sizeof out);
        assert_string_equal(out, same[i][1]);
    }
    /* decoys: different people stay different */
    ps_norm_name("Amy Pascal", out, sizeof out);
    char other[PS_NORM_MAX];
    ps_norm_name("Amy Pascale", other, sizeof other);
    assert_string_not_equal(out, other);
    assert_int_equal(ps_norm_name("Mr. J.", out, sizeof out), 0);
    assert_int_equal(ps_norm_name("", out, sizeof out), 0);
    /* a word that does not fit is dropped whole */
    assert_int_equal(ps_norm_name("amy pascal", out, 8), 3);
    assert_string_equal(out, "amy");

    assert_int_equal(ps_norm_digits("123-45-6789", out, sizeof out), 9);
    assert_string_equal(out, "123456789");
    ps_name_display("mary-kate o'neil", out, sizeof out);
    assert_string_equal(out, "Mary-Kate O'Neil");
    ps_name_mask("Amy Pascal", out, sizeof out);
    assert_string_equal(out, "A** P*****");
    ps_name_mask("\xc3\x89mile Zola", out, sizeof out);
    assert_string_equal(out, "\xc3\x89**** Z***");
    ps_norm_plain("  X1234567 ", out, sizeof out);
    assert_string_equal(out, "x1234567");
}

static void ev_file(struct ps_collect *c, piiscan_event_kind kind, const char *lpath,
                    unsigned depth, uint64_t bytes, bool is_container)
{
    piiscan_file_info fi = {.lpath = lpath,
                            .mime = is_container ? "application/zip" : "text/plain",
                            .charset = "",
                            .format = is_container ? "archive" : "text",
                            .bytes = bytes,
                            .depth = depth,
                            .is_container = is_container};
    piiscan_event ev = {.kind = kind, .file = &fi};
    assert_int_equal(ps_collect_event(c, &ev), PIISCAN_OK);
}

static void ev_finding(struct ps_collect *c, piiscan_finding *f)
{
    piiscan_event ev = {.kind = PIISCAN_EV_FINDING, .finding = f};
    assert_int_equal(ps_collect_event(c, &ev), PIISCAN_OK);
}

/* The "baseline": it knows exactly the finding ctx points to. */
static const struct ps_idkey *known_key;

static bool known_fp(const void *ctx, uint64_t fp)
{
    return fp == ps_impact_fingerprint_of(known_key, ctx, NULL);
}

/* A top-level zip with two members, as a worker sees the events. */
static void collector(void **state)
{
    struct ps_idkey *key = NULL;
    struct ps_collect *c = NULL;
    struct ps_impact *imp = NULL;
    piiscan_finding f[4];
    enum ps_severity sev = PS_SEV_NONE;
    char id[PS_RECORD_ID_MAX];

    assert_int_equal(ps_idkey_from_bytes("collector-test-key", 18, &key), PIISCAN_OK);
    known_key = key;
    assert_int_equal(ps_collect_new(*state, key, known_fp, &f[1], &c), PIISCAN_OK);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip", 0, 0, true);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip!a.csv", 1, 0, false);
    f[0] = mk("dump.zip!a.csv", PIISCAN_CAT_NAME, "Amy Pascal", 1, 2);
    f[1] = mk("dump.zip!a.csv", PIISCAN_CAT_SSN, "123-45-6789", 1, 2);
    f[2] = mk("dump.zip!a.csv", PIISCAN_CAT_EMAIL, "x@y.com", 2, 3);
    for (int i = 0; i < 3; i++)
        ev_finding(c, &f[i]);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip!a.csv", 1, 100, false);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip!b.txt", 1, 0, false);
    f[3] = mk("dump.zip!b.txt", PIISCAN_CAT_SSN, "219-09-9999", 0, 3);
    ev_finding(c, &f[3]);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip!b.txt", 1, 50, false);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip", 0, 4096, true);
    ps_collect_finish(c);

    assert_true(ps_collect_record(c, "dump.zip!a.csv", 1, 2, 0, &sev, id, sizeof id));
    assert_int_equal(sev, PS_SEV_CRITICAL);
    assert_true(ps_collect_record(c, "dump.zip!a.csv", 2, 3, 0, &sev, id, sizeof id));
    assert_int_equal(sev, PS_SEV_LOW);
    assert_true(ps_collect_record(c, "dump.zip!b.txt", 0, 3, 0, &sev, id, sizeof id));
    assert_int_equal(sev, PS_SEV_HIGH);
    assert_non_null(strstr(id, ":L3"));
    assert_false(ps_collect_record(c, "dump.zip!c.txt", 1, 1, 0, &sev, id, sizeof id));
    assert_false(ps_collect_record(c, "dump.zip!a.csv", 9, 9, 0, &sev, id, sizeof id));
    assert_int_equal(ps_collect_findings(c), 4);
    for (int i = 0; i < 4; i++)
        assert_true(ps_collect_fingerprint(c, (uint64_t)i) ==
                    ps_impact_fingerprint_of(key, &f[i], NULL));
    assert_true(ps_collect_fingerprint(c, 0) != ps_collect_fingerprint(c, 1));
    /* per finding: its record's severity, and whether the baseline had it (f[1] only) */
    assert_int_equal(ps_collect_severity(c, 0), PS_SEV_CRITICAL);
    assert_int_equal(ps_collect_severity(c, 2), PS_SEV_LOW);
    assert_int_equal(ps_collect_severity(c, 3), PS_SEV_HIGH);
    assert_int_equal(ps_collect_severity(c, 4), PS_SEV_NONE);
    assert_false(ps_collect_is_known(c, 0));
    assert_true(ps_collect_is_known(c, 1));
    uint64_t at[PS_SEV_COUNT] = {0};
    ps_collect_count_new(c, at);
    assert_int_equal(at[PS_SEV_CRITICAL], 1);
    assert_int_equal(at[PS_SEV_HIGH], 1);
    assert_int_equal(at[PS_SEV_LOW], 1);

    /* folded into the run: rows in begin order, records, people, fingerprints */
    assert_int_equal(ps_impact_new(*state, key, true, &imp), PIISCAN_OK);
    assert_int_equal(ps_impact_add_collect(imp, c), PIISCAN_OK);
    assert_int_equal(ps_impact_finish(imp), PIISCAN_OK);
    assert_int_equal(ps_impact_file_count(imp), 3);
    assert_string_equal(ps_impact_file_get(imp, 0)->lpath, "dump.zip");
    assert_int_equal(ps_impact_file_get(imp, 0)->bytes, 4096);
    assert_true(ps_impact_file_get(imp, 0)->is_container);
    assert_string_equal(ps_impact_file_get(imp, 1)->format, "text");
    assert_int_equal(ps_impact_file_get(imp, 1)->records, 2);
    assert_int_equal(ps_impact_file_get(imp, 1)->severity, PS_SEV_CRITICAL);
    assert_int_equal(ps_impact_file_get(imp, 2)->bytes, 50);
    const struct ps_impact_totals *t = ps_impact_totals(imp);
    assert_int_equal(t->top_files, 1);
    assert_int_equal(t->bytes, 4096);
    assert_int_equal(t->findings, 4);
    assert_int_equal(t->people, 2);
    assert_int_equal(t->scan, PS_SEV_CRITICAL);
    size_t nfp = 0;
    ps_impact_fingerprints(imp, &nfp);
    assert_int_equal(nfp, 4);
    ps_impact_free(imp);
    ps_collect_free(c);

    /* fingerprints follow the path below the scan root: a moved dump keeps them */
    static const char *const roots[] = {"dump.zip", "/mnt/share/", "a"};
    assert_string_equal(ps_impact_relative_path("/mnt/share/hr/x.csv!y", roots, 3), "hr/x.csv!y");
    assert_string_equal(ps_impact_relative_path("dump.zip!a.csv", roots, 3), "dump.zip!a.csv");
    assert_string_equal(ps_impact_relative_path("/mnt/shared/x", roots, 3), "/mnt/shared/x");
    assert_string_equal(ps_impact_relative_path("a/b/c.txt", roots, 3), "b/c.txt");
    static const char *const file_root[] = {"/srv/dumps/leak.zip"};
    assert_string_equal(ps_impact_relative_path("/srv/dumps/leak.zip!hr.csv", file_root, 1),
                        "leak.zip!hr.csv");
    assert_int_equal(ps_collect_new(*state, key, NULL, NULL, &c), PIISCAN_OK);
    static const char *const moved[] = {"/mnt/old"};
    ps_collect_set_roots(c, moved, 1);
    piiscan_finding g = mk("/mnt/old/dump.zip!a.csv", PIISCAN_CAT_SSN, "123-45-6789", 1, 1);
    ev_finding(c, &g);
    assert_true(ps_collect_fingerprint(c, 0) ==
                ps_impact_fingerprint_of(key, &f[1], "dump.zip!a.csv"));
    ps_collect_free(c);

    /* without a key: no fingerprints */
    assert_int_equal(ps_collect_new(*state, NULL, known_fp, &f[1], &c), PIISCAN_OK);
    ev_finding(c, &f[0]);
    ps_collect_finish(c);
    assert_int_equal(ps_collect_fingerprint(c, 0), 0);
    assert_false(ps_collect_is_known(c, 0));
    ps_collect_free(c);
    ps_idkey_free(key);
}

/* The same zip with per-finding mode off (the text summary): records, people
 * and counts per severity are as in per-finding mode; nothing per finding is
 * kept. A baseline keeps per-finding mode on. */
static void collector_counts_only(void **state)
{
    struct ps_idkey *key = NULL;
    struct ps_collect *c = NULL;
    struct ps_impact *imp = NULL;
    piiscan_finding f[4];

    assert_int_equal(ps_idkey_from_bytes("collector-test-key", 18, &key), PIISCAN_OK);
    known_key = key;
    assert_int_equal(ps_collect_new(*state, key, NULL, NULL, &c), PIISCAN_OK);
    ps_collect_set_per_finding(c, false);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip", 0, 0, true);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip!a.csv", 1, 0, false);
    f[0] = mk("dump.zip!a.csv", PIISCAN_CAT_NAME, "Amy Pascal", 1, 2);
    f[1] = mk("dump.zip!a.csv", PIISCAN_CAT_SSN, "123-45-6789", 1, 2);
    f[2] = mk("dump.zip!a.csv", PIISCAN_CAT_EMAIL, "x@y.com", 2, 3);
    for (int i = 0; i < 3; i++)
        ev_finding(c, &f[i]);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip!a.csv", 1, 100, false);
    ev_file(c, PIISCAN_EV_FILE_BEGIN, "dump.zip!b.txt", 1, 0, false);
    f[3] = mk("dump.zip!b.txt", PIISCAN_CAT_SSN, "219-09-9999", 0, 3);
    ev_finding(c, &f[3]);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip!b.txt", 1, 50, false);
    ev_file(c, PIISCAN_EV_FILE_END, "dump.zip", 0, 4096, true);
    ps_collect_finish(c);

    assert_int_equal(ps_collect_findings(c), 4);
    assert_int_equal(ps_collect_fingerprint(c, 1), 0);
    assert_int_equal(ps_collect_severity(c, 0), PS_SEV_NONE);
    uint64_t at[PS_SEV_COUNT] = {0};
    ps_collect_count_new(c, at);
    assert_int_equal(at[PS_SEV_CRITICAL], 2); /* name + ssn of record 1 */
    assert_int_equal(at[PS_SEV_HIGH], 1);
    assert_int_equal(at[PS_SEV_LOW], 1);
    assert_int_equal(at[PS_SEV_MEDIUM], 0);
    assert_int_equal(ps_impact_new(*state, key, true, &imp), PIISCAN_OK);
    assert_int_equal(ps_impact_add_collect(imp, c), PIISCAN_OK);
    assert_int_equal(ps_impact_finish(imp), PIISCAN_OK);
    assert_int_equal(ps_impact_file_get(imp, 1)->records, 2);
    assert_int_equal(ps_impact_file_get(imp, 1)->severity, PS_SEV_CRITICAL);
    const struct ps_impact_totals *t = ps_impact_totals(imp);
    assert_int_equal(t->findings, 4);
    assert_int_equal(t->people, 2);
    size_t nfp = 0;
    ps_impact_fingerprints(imp, &nfp);
    assert_int_equal(nfp, 0);
    ps_impact_free(imp);
    ps_collect_free(c);

    /* with a baseline the marks are needed: per-finding mode stays on */
    assert_int_equal(ps_collect_new(*state, key, known_fp, &f[1], &c), PIISCAN_OK);
    ps_collect_set_per_finding(c, false);
    ev_finding(c, &f[0]);
    ev_finding(c, &f[1]);
    ps_collect_finish(c);
    assert_false(ps_collect_is_known(c, 0));
    assert_true(ps_collect_is_known(c, 1));
    assert_int_equal(ps_collect_severity(c, 1), PS_SEV_CRITICAL);
    ps_collect_free(c);
    ps_idkey_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_by_record), cmocka_unit_test(records_without_ids),
        cmocka_unit_test(identity_values),  cmocka_unit_test(bulk_file),
        cmocka_unit_test(name_forms),       cmocka_unit_test(collector),
        cmocka_unit_test(collector_counts_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
