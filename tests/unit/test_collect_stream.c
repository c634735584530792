/* unit.collect_stream - streaming a long file's records (ps_collect_set_stream)
 * gives the same run as keeping them all: a line-oriented file of 3000 records
 * (people repeating every 400 lines, bulk SSN lists, lone identifiers)
 * streamed every 7 records, behind an earlier file, with "not next in line"
 * answers first, yields identical totals, file rows and people (id, elements,
 * records, files, severity, notify, in order) to keep-all; records really left
 * the collector. Decoys: a file whose record keys go backwards (JSON-style),
 * and a file with a second lpath, are not streamed and still come out equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record/collect.h"
#include "record/impact.h"

#define NLINES 3000u
#define STREAM_MIN 7u

struct fx {
    struct ps_sevmodel *model;
    struct ps_idkey *key;
};

static const char test_key[] = "0123456789abcdef-test-key";

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_int_equal(ps_sevmodel_builtin(&fx->model), PIISCAN_OK);
    assert_int_equal(ps_idkey_from_bytes(test_key, strlen(test_key), &fx->key), PIISCAN_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    ps_idkey_free(fx->key);
    ps_sevmodel_free(fx->model);
    free(fx);
    return 0;
}

/* "Next in line" after `deny` refusals; counts the calls. */
struct gate {
    unsigned deny;
    unsigned calls;
};

static bool gate_ok(void *ctx)
{
    struct gate *g = ctx;
    g->calls++;
    if (g->deny > 0) {
        g->deny--;
        return false;
    }
    return true;
}

static void event_file(struct ps_collect *c, const char *lpath, bool is_end)
{
    piiscan_file_info fi = {.lpath = lpath,
                            .mime = "text/plain",
                            .charset = "us-ascii",
                            .format = "text",
                            .bytes = is_end ? 12345 : 0};
    piiscan_event ev = {.kind = is_end ? PIISCAN_EV_FILE_END : PIISCAN_EV_FILE_BEGIN, .file = &fi};
    assert_int_equal(ps_collect_event(c, &ev), PIISCAN_OK);
}

static void event_finding(struct ps_collect *c, const char *lpath, piiscan_category cat,
                          const char *value, uint64_t line, uint64_t record)
{
    piiscan_finding f = {.category = cat,
                         .rule_id = "test",
                         .confidence = 1.0,
                         .lpath = lpath,
                         .line = line,
                         .record = record,
                         .value = value,
                         .value_len = strlen(value),
                         .normalized = value,
                         .context = value,
                         .context_len = strlen(value)};
    piiscan_event ev = {.kind = PIISCAN_EV_FINDING, .finding = &f};
    assert_int_equal(ps_collect_event(c, &ev), PIISCAN_OK);
}

/* A small table file before the big one: it must keep its row and people. */
static void small_file(struct ps_collect *c)
{
    event_file(c, "a.csv", false);
    event_finding(c, "a.csv", PIISCAN_CAT_NAME, "Amy Pascal", 2, 2);
    event_finding(c, "a.csv", PIISCAN_CAT_SSN, "123-45-6789", 2, 2);
    event_finding(c, "a.csv", PIISCAN_CAT_NAME, "Bob Stone", 3, 3);
    event_finding(c, "a.csv", PIISCAN_CAT_DOB, "1970-01-02", 3, 3);
    event_file(c, "a.csv", true);
}

enum shape { LINES, BACKWARDS, TWO_PATHS };

/* The big file: NLINES records keyed by line, people repeating every 400
 * lines, some names without an SSN, bulk SSN lists, a lone passport. */
static void big_file(struct ps_collect *c, enum shape shape)
{
    const char *lp = "big.txt";
    char v[64];

    event_file(c, lp, false);
    if (shape == TWO_PATHS)
        event_file(c, "big.txt!inner", false);
    for (unsigned i = 0; i < NLINES; i++) {
        unsigned n = shape == BACKWARDS ? NLINES - i : i + 1; /* keys go down: never streamed */
        uint64_t line = (uint64_t)n * 4;
        unsigned who = i % 400;
        const char *path = shape == TWO_PATHS && i == 5 ? "big.txt!inner" : lp;
        snprintf(v, sizeof v, "Person %c%c", 'A' + who % 26, 'a' + (who / 26) % 26);
        event_finding(c, path, PIISCAN_CAT_NAME, v, line, 0);
        if (i % 3 != 0) {
            snprintf(v, sizeof v, "%03u-%02u-%04u", 100 + who % 150, 10 + who % 7, 1000 + who);
            event_finding(c, path, PIISCAN_CAT_SSN, v, line, 0);
        }
        if (i % 5 == 0) {
            snprintf(v, sizeof v, "19%02u-0%u-1%u", 50 + who % 40, 1 + who % 9, who % 10);
            event_finding(c, path, PIISCAN_CAT_DOB, v, line, 0);
        }
        if (i % 7 == 0)
            event_finding(c, path, PIISCAN_CAT_EMAIL, "x@example.com", line, 0);
        if (i % 97 == 0) /* a bulk paragraph: many SSNs in one record */
            for (unsigned k = 0; k < 20; k++) {
                snprintf(v, sizeof v, "%03u-55-%04u", 200 + k, 2000 + k + i);
                event_finding(c, path, PIISCAN_CAT_SSN, v, line, 0);
            }
        if (i % 211 == 0) { /* an other identifier alone */
            snprintf(v, sizeof v, "X%07u", who);
            event_finding(c, path, PIISCAN_CAT_PASSPORT, v, line, 0);
        }
    }
    event_file(c, lp, true);
    if (shape == TWO_PATHS)
        event_file(c, "big.txt!inner", true);
}

/* One run of two top-level files; stream_min 0 = keep all. */
static struct ps_impact *run(struct fx *fx, enum shape shape, size_t stream_min, uint64_t *released,
                             uint64_t new_at[PS_SEV_COUNT])
{
    struct ps_impact *imp = NULL;
    struct ps_collect *c1 = NULL, *c2 = NULL;
    struct gate g = {.deny = 3};

    assert_int_equal(ps_impact_new(fx->model, fx->key, false, &imp), PIISCAN_OK);
    assert_int_equal(ps_collect_new(fx->model, fx->key, NULL, NULL, &c1), PIISCAN_OK);
    ps_collect_set_per_finding(c1, false);
    small_file(c1);
    ps_collect_finish(c1);
    assert_int_equal(ps_impact_add_collect(imp, c1), PIISCAN_OK);
    ps_collect_count_new(c1, new_at);

    assert_int_equal(ps_collect_new(fx->model, fx->key, NULL, NULL, &c2), PIISCAN_OK);
    if (stream_min > 0)
        ps_collect_set_stream(c2, imp, stream_min, gate_ok, &g);
    ps_collect_set_per_finding(c2, false);
    big_file(c2, shape);
    const struct ps_recset *rs = ps_collect_recset_of(c2, "big.txt");
    assert_non_null(rs);
    *released = ps_recset_released(rs);
    assert_int_equal(ps_recset_records(rs), shape == TWO_PATHS ? NLINES - 1 : NLINES);
    if (*released > 0) {
        assert_true(ps_recset_count(rs) < 2 * stream_min); /* the memory bound */
        assert_true(g.calls > 3);                          /* the refusals were heeded */
    }
    ps_collect_finish(c2);
    assert_int_equal(ps_impact_add_collect(imp, c2), PIISCAN_OK);
    ps_collect_count_new(c2, new_at);
    ps_collect_free(c1);
    ps_collect_free(c2);
    assert_int_equal(ps_impact_finish(imp), PIISCAN_OK);
    return imp;
}

static void same_impact(const struct ps_impact *a, const struct ps_impact *b)
{
    const struct ps_impact_totals *ta = ps_impact_totals(a), *tb = ps_impact_totals(b);

    assert_memory_equal(ta, tb, sizeof *ta);
    assert_true(ta->people > 400);
    assert_true(ta->records_at[PS_SEV_HIGH] + ta->records_at[PS_SEV_CRITICAL] > 0);
    assert_int_equal(ps_impact_file_count(a), ps_impact_file_count(b));
    for (size_t i = 0; i < ps_impact_file_count(a); i++) {
        const struct ps_impact_file *fa = ps_impact_file_get(a, i), *fb = ps_impact_file_get(b, i);
        assert_string_equal(fa->lpath, fb->lpath);
        assert_string_equal(fa->mime, fb->mime);
        assert_int_equal(fa->bytes, fb->bytes);
        assert_int_equal(fa->findings, fb->findings);
        assert_memory_equal(fa->per_cat, fb->per_cat, sizeof fa->per_cat);
        assert_int_equal(fa->records, fb->records);
        assert_int_equal(fa->people, fb->people);
        assert_int_equal(fa->severity, fb->severity);
    }
    const struct ps_people *pa = ps_impact_people(a), *pb = ps_impact_people(b);
    assert_int_equal(ps_people_count(pa), ps_people_count(pb));
    for (size_t i = 0; i < ps_people_count(pa); i++) {
        struct ps_person xs, ys;
        assert_true(ps_people_get(pa, i, &xs) && ps_people_get(pb, i, &ys));
        const struct ps_person *x = &xs, *y = &ys;
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->elements, y->elements);
        assert_int_equal(x->records, y->records);
        assert_int_equal(x->files, y->files);
        assert_int_equal(x->severity, y->severity);
        assert_int_equal(x->notify, y->notify);
    }
}

static void check_shape(struct fx *fx, enum shape shape, bool want_stream)
{
    uint64_t rel_keep = 0, rel_stream = 0;
    uint64_t new_keep[PS_SEV_COUNT] = {0}, new_stream[PS_SEV_COUNT] = {0};
    struct ps_impact *keep = run(fx, shape, 0, &rel_keep, new_keep);
    struct ps_impact *stream = run(fx, shape, STREAM_MIN, &rel_stream, new_stream);

    assert_int_equal(rel_keep, 0);
    if (want_stream)
        assert_true(rel_stream > NLINES - 2 * STREAM_MIN);
    else
        assert_int_equal(rel_stream, 0);
    same_impact(keep, stream);
    assert_memory_equal(new_keep, new_stream, sizeof new_keep);
    ps_impact_free(keep);
    ps_impact_free(stream);
}

static void test_lines_stream_same_result(void **state)
{
    check_shape(*state, LINES, true);
}

static void test_backwards_keys_not_streamed(void **state)
{
    check_shape(*state, BACKWARDS, false);
}

static void test_second_lpath_stops_streaming(void **state)
{
    uint64_t rel = 0, at[PS_SEV_COUNT] = {0};
    struct ps_impact *imp = run(*state, TWO_PATHS, STREAM_MIN, &rel, at);

    /* nothing was complete yet when the second lpath appeared (line 5 < 7 records) */
    assert_int_equal(rel, 0);
    ps_impact_free(imp);
    check_shape(*state, TWO_PATHS, false);
}

/* Per-finding mode (CSV, JSON, a baseline) never streams: records stay for
 * the findings' severities. */
static void test_per_finding_not_streamed(void **state)
{
    struct fx *fx = *state;
    struct ps_impact *imp = NULL;
    struct ps_collect *c = NULL;
    struct gate g = {0};

    assert_int_equal(ps_impact_new(fx->model, fx->key, false, &imp), PIISCAN_OK);
    assert_int_equal(ps_collect_new(fx->model, fx->key, NULL, NULL, &c), PIISCAN_OK);
    ps_collect_set_stream(c, imp, STREAM_MIN, gate_ok, &g);
    ps_collect_set_per_finding(c, true);
    big_file(c, LINES);
    assert_int_equal(ps_recset_released(ps_collect_recset_of(c, "big.txt")), 0);
    assert_int_equal(ps_recset_count(ps_collect_recset_of(c, "big.txt")), NLINES);
    assert_int_equal(g.calls, 0);
    ps_collect_finish(c);
    ps_collect_free(c);
    ps_impact_free(imp);
}

/* ps_recset_release refuses the open record and anything after a key went back. */
static void test_release_bounds(void **state)
{
    struct fx *fx = *state;
    struct ps_recset *rs = NULL;
    piiscan_finding f = {.category = PIISCAN_CAT_SSN,
                         .lpath = "t.txt",
                         .value = "123456789",
                         .normalized = "123456789"};

    assert_int_equal(ps_recset_new(fx->model, &rs), PIISCAN_OK);
    for (uint64_t l = 1; l <= 3; l++) {
        f.line = l;
        assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
    }
    assert_int_equal(ps_recset_complete(rs), 2);
    assert_int_equal(ps_recset_release(rs, 3, NULL, NULL), PIISCAN_EINVAL);
    assert_int_equal(ps_recset_release(rs, 2, NULL, NULL), PIISCAN_OK);
    assert_int_equal(ps_recset_count(rs), 1);
    assert_int_equal(ps_recset_records(rs), 3);
    f.line = 3; /* the open record still takes findings */
    assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
    assert_int_equal(ps_recset_records(rs), 3);
    f.line = 2; /* a key going back: nothing is complete any more */
    assert_int_equal(ps_recset_add(rs, &f), PIISCAN_OK);
    assert_int_equal(ps_recset_complete(rs), 0);
    ps_recset_finish(rs);
    assert_int_equal(ps_recset_findings(rs, -1), 5);
    assert_int_equal(ps_recset_records_at(rs, ps_recset_max_record_severity(rs)), 4);
    ps_recset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lines_stream_same_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backwards_keys_not_streamed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_lpath_stops_streaming, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_finding_not_streamed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_bounds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
