/* test_store.c - report/store.c: batches copy borrowed events, count, attribute
 * findings to files, sort into report order and assign default severity/records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report/store.h"

static void file_event(struct ps_batch *b, piiscan_event_kind kind, const char *lpath,
                       unsigned depth, uint64_t bytes, bool is_container, bool is_skipped)
{
    piiscan_file_info fi;
    piiscan_event ev;

    memset(&fi, 0, sizeof fi);
    fi.lpath = lpath;
    fi.depth = depth;
    fi.bytes = bytes;
    fi.is_container = is_container;
    fi.is_skipped = is_skipped;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.file = &fi;
    assert_int_equal(ps_batch_add_event(b, &ev), PIISCAN_OK);
}

/* Emits a finding from a scratch buffer that is wiped afterwards: the batch must
 * have copied everything (the event is borrowed). */
static void finding(struct ps_batch *b, const char *lpath, piiscan_category cat, const char *value,
                    uint64_t offset, uint64_t line)
{
    char scratch[4][128];
    piiscan_finding f;
    piiscan_event ev;

    snprintf(scratch[0], sizeof scratch[0], "%s", lpath);
    snprintf(scratch[1], sizeof scratch[1], "%s", value);
    snprintf(scratch[2], sizeof scratch[2], "ctx %s ctx", value);
    snprintf(scratch[3], sizeof scratch[3], "rule.%d", (int)cat);
    memset(&f, 0, sizeof f);
    f.category = cat;
    f.rule_id = scratch[3];
    f.confidence = 0.9;
    f.lpath = scratch[0];
    f.line = line;
    f.field = NULL;
    f.offset = offset;
    f.value = scratch[1];
    f.value_len = strlen(value);
    f.normalized = scratch[1];
    f.context = scratch[2];
    f.context_len = strlen(scratch[2]);
    f.value_in_context = 4;
    memset(&ev, 0, sizeof ev);
    ev.kind = PIISCAN_EV_FINDING;
    ev.finding = &f;
    assert_int_equal(ps_batch_add_event(b, &ev), PIISCAN_OK);
    memset(scratch, 'X', sizeof scratch);
}

/* dump.zip holding a.csv (2 findings, emitted out of offset order), a binary, and
 * b.txt (1 finding); then a warning. */
static struct ps_batch *make_zip_batch(bool keep)
{
    struct ps_batch *b = NULL;

    assert_int_equal(ps_batch_new(3, "dump.zip", keep, &b), PIISCAN_OK);
    file_event(b, PIISCAN_EV_FILE_BEGIN, "dump.zip", 0, 0, true, false);
    file_event(b, PIISCAN_EV_FILE_BEGIN, "dump.zip!a.csv", 1, 0, false, false);
    finding(b, "dump.zip!a.csv", PIISCAN_CAT_EMAIL, "a@b.com", 50, 3);
    finding(b, "dump.zip!a.csv", PIISCAN_CAT_SSN, "123-45-6789", 10, 0);
    file_event(b, PIISCAN_EV_FILE_END, "dump.zip!a.csv", 1, 400, false, false);
    file_event(b, PIISCAN_EV_FILE_BEGIN, "dump.zip!x.bin", 1, 0, false, false);
    file_event(b, PIISCAN_EV_FILE_END, "dump.zip!x.bin", 1, 99, false, true);
    file_event(b, PIISCAN_EV_FILE_BEGIN, "dump.zip!b.txt", 1, 0, false, false);
    finding(b, "dump.zip!b.txt", PIISCAN_CAT_DOB, "04/12/1967", 5, 2);
    file_event(b, PIISCAN_EV_FILE_END, "dump.zip!b.txt", 1, 100, false, false);
    assert_int_equal(ps_batch_add_warning(b, "dump.zip!c.zip", PIISCAN_ECORRUPT, true, "truncated"),
                     PIISCAN_OK);
    file_event(b, PIISCAN_EV_FILE_END, "dump.zip", 0, 321, true, false);
    assert_int_equal(ps_batch_finish(b), PIISCAN_OK);
    return b;
}

static void test_counts_and_stats(void **state)
{
    struct ps_batch *b = make_zip_batch(false);
    const struct ps_counts *c = ps_batch_counts(b);
    size_t n;

    (void)state;
    assert_int_equal(ps_batch_seq(b), 3);
    assert_string_equal(ps_batch_path(b), "dump.zip");
    assert_int_equal(c->top_files, 1);
    assert_int_equal(c->files_scanned, 2);
    assert_int_equal(c->members, 2);
    assert_int_equal(c->containers, 1);
    assert_int_equal(c->skipped_binary, 1);
    assert_int_equal(c->bytes_read, 321);
    assert_int_equal(c->bytes_scanned, 500);
    assert_int_equal(c->findings, 3);
    assert_int_equal(c->per_cat[PIISCAN_CAT_SSN], 1);
    assert_int_equal(c->per_cat[PIISCAN_CAT_DOB], 1);
    assert_int_equal(c->per_cat[PIISCAN_CAT_NAME], 0);
    assert_int_equal(c->files_with_findings, 2);
    assert_int_equal(c->warnings, 1);
    assert_int_equal(c->nformats, 1);
    assert_string_equal(c->formats[0].name, "unknown");
    assert_int_equal(c->formats[0].n, 4);
    /* Text mode keeps no findings. */
    ps_batch_findings(b, &n);
    assert_int_equal(n, 0);
    ps_batch_free(b);
}

static void test_findings_order_and_records(void **state)
{
    struct ps_batch *b = make_zip_batch(true);
    const struct ps_rfinding *f;
    const struct ps_rwarning *w;
    size_t n;

    (void)state;
    f = ps_batch_findings(b, &n);
    assert_int_equal(n, 3);
    /* Member order first, then offset within a member. */
    assert_string_equal(f[0].value, "123-45-6789");
    assert_string_equal(f[1].value, "a@b.com");
    assert_string_equal(f[2].value, "04/12/1967");
    assert_string_equal(f[0].lpath, "dump.zip!a.csv");
    assert_string_equal(f[0].context, "ctx 123-45-6789 ctx");
    assert_string_equal(f[0].rule_id, "rule.0");
    assert_string_equal(f[0].field, "");
    /* Default severity = class of a lone finding; record = line ("" for line 0). */
    assert_int_equal(f[0].severity, PS_SEV_HIGH);
    assert_string_equal(f[0].record_id, "");
    assert_int_equal(f[1].severity, PS_SEV_LOW);
    assert_string_equal(f[1].record_id, "3");
    assert_int_equal(f[2].severity, PS_SEV_MEDIUM);
    assert_string_equal(ps_severity_name(f[2].severity), "medium");
    w = ps_batch_warnings(b, &n);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].lpath, "dump.zip!c.zip");
    assert_string_equal(w[0].message, "truncated");
    assert_true(w[0].is_partial);
    ps_batch_free(b);
}

static void test_warning_cap_and_walk_batch(void **state)
{
    struct ps_batch *b = NULL;
    size_t n;

    (void)state;
    assert_int_equal(ps_batch_new(0, NULL, false, &b), PIISCAN_OK);
    for (unsigned i = 0; i < PS_STORE_MAX_WARNINGS + 5; i++)
        assert_int_equal(ps_batch_add_warning(b, "p", PIISCAN_EIO, false, "m"), PIISCAN_OK);
    ps_batch_count_walk_skip(b);
    assert_int_equal(ps_batch_finish(b), PIISCAN_OK);
    ps_batch_warnings(b, &n);
    assert_int_equal(n, PS_STORE_MAX_WARNINGS);
    assert_int_equal(ps_batch_counts(b)->warnings, PS_STORE_MAX_WARNINGS + 5);
    assert_int_equal(ps_batch_counts(b)->walk_skipped, 1);
    assert_int_equal(ps_batch_counts(b)->top_files, 0);
    assert_null(ps_batch_path(b));
    ps_batch_free(b);
    ps_batch_free(NULL);
}

static void test_unbalanced_and_deep(void **state)
{
    struct ps_batch *b = NULL;
    char name[32];

    (void)state;
    assert_int_equal(ps_batch_new(1, "deep.zip", true, &b), PIISCAN_OK);
    /* Deeper than the tracked nesting, then an aborted scan: no FILE_ENDs at all. */
    for (unsigned i = 0; i < PS_STORE_MAX_OPEN + 10; i++) {
        snprintf(name, sizeof name, "d%u", i);
        file_event(b, PIISCAN_EV_FILE_BEGIN, name, i, 0, true, false);
    }
    finding(b, "d73", PIISCAN_CAT_SSN, "123-45-6789", 1, 1);
    file_event(b, PIISCAN_EV_FILE_END, "stray", 0, 0, false, false);
    assert_int_equal(ps_batch_finish(b), PIISCAN_OK);
    assert_int_equal(ps_batch_finish(b), PIISCAN_OK); /* idempotent */
    assert_int_equal(ps_batch_counts(b)->files_with_findings, 1);
    ps_batch_free(b);
}

static void test_kept_cap_warns(void **state)
{
    struct ps_batch *b = NULL;
    const struct ps_rwarning *w;
    size_t n;

    (void)state;
    assert_int_equal(ps_batch_new(0, "big.csv", true, &b), PIISCAN_OK);
    ps_batch_set_max_kept(b, 2);
    file_event(b, PIISCAN_EV_FILE_BEGIN, "big.csv", 0, 0, false, false);
    for (uint64_t i = 0; i < 5; i++)
        finding(b, "big.csv", PIISCAN_CAT_SSN, "536-22-8914", i * 20, i + 1);
    file_event(b, PIISCAN_EV_FILE_END, "big.csv", 0, 100, false, false);
    assert_int_equal(ps_batch_finish(b), PIISCAN_OK);
    ps_batch_findings(b, &n);
    assert_int_equal(n, 2);
    /* Counts stay complete; the cut is a warning naming the file. */
    assert_int_equal(ps_batch_counts(b)->findings, 5);
    w = ps_batch_warnings(b, &n);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].lpath, "big.csv");
    assert_non_null(strstr(w[0].message, "first 2 findings only; 3 more"));
    ps_batch_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_stats),
        cmocka_unit_test(test_findings_order_and_records),
        cmocka_unit_test(test_warning_cap_and_walk_batch),
        cmocka_unit_test(test_unbalanced_and_deep),
        cmocka_unit_test(test_kept_cap_warns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
