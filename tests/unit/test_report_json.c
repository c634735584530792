/* unit.report_json - the report writers, read back: findings as JSON objects, the
 * streaming document writer, summary.json (parsed with jansson: totals,
 * severities, elements with occurrences and people, coverage, people without
 * PII, baseline ids), people.csv and files.csv cells, and the 80-column text
 * headline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "engine/category.h"
#include "report/json.h"
#include "report/people.h"
#include "report/summary.h"
#include "report/summary_sink.h"

/* ---- a small impact: two files with people, a skipped and an unread member ---- */

struct fx {
    struct ps_sevmodel *model;
    struct ps_idkey *key;
    struct ps_impact *imp;
    struct ps_recset *rs;
};

static void add_row(struct fx *fx, const char *lpath, uint64_t rec, const char *const *kv)
{
    for (size_t i = 0; kv[i] != NULL; i++) {
        const char *eq = strchr(kv[i], '=');
        char cat[32];
        uint64_t fp = 0;
        snprintf(cat, sizeof cat, "%.*s", (int)(eq - kv[i]), kv[i]);
        piiscan_finding f = {.category = (piiscan_category)ps_category_from_name(cat),
                             .rule_id = "t",
                             .lpath = lpath,
                             .line = rec,
                             .value = eq + 1,
                             .value_len = strlen(eq + 1),
                             .normalized = eq + 1,
                             .context = "",
                             .record = rec};
        assert_int_equal(ps_recset_add(fx->rs, &f), PIISCAN_OK);
        assert_int_equal(ps_impact_fingerprint(fx->imp, &f, &fp), PIISCAN_OK);
    }
}

#define ROW(fx, path, rec, ...) add_row(fx, path, rec, (const char *const[]){__VA_ARGS__, NULL})

static void end_file(struct fx *fx, const char *lpath, const char *mime, uint64_t bytes)
{
    piiscan_file_info fi = {
        .lpath = lpath, .mime = mime, .format = "table", .bytes = bytes, .depth = 1};
    ps_recset_finish(fx->rs);
    assert_int_equal(ps_impact_add_recset(fx->imp, fx->rs), PIISCAN_OK);
    assert_int_equal(ps_impact_file_info(fx->imp, &fi), PIISCAN_OK);
    ps_recset_clear(fx->rs);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);

    assert_non_null(fx);
    assert_int_equal(ps_sevmodel_builtin(&fx->model), PIISCAN_OK);
    assert_int_equal(ps_idkey_from_bytes("json-test-key-0123456789", 24, &fx->key), PIISCAN_OK);
    assert_int_equal(ps_impact_new(fx->model, fx->key, true, &fx->imp), PIISCAN_OK);
    assert_int_equal(ps_recset_new(fx->model, &fx->rs), PIISCAN_OK);
    ROW(fx, "dump.zip!hr.csv", 2, "name=Amy Pascal", "ssn=123-45-6789", "dob=1967-04-12");
    ROW(fx, "dump.zip!hr.csv", 3, "name=Michael Lynton", "ssn=219-09-9999");
    end_file(fx, "dump.zip!hr.csv", "text/csv", 120);
    ROW(fx, "dump.zip!pay.csv", 7, "name=PASCAL, AMY", "ssn=123456789", "salary=3000000.00");
    ROW(fx, "dump.zip!pay.csv", 8, "email=x@example.com");
    end_file(fx, "dump.zip!pay.csv", "text/csv", 80);
    piiscan_file_info skipped = {.lpath = "dump.zip!logo.png",
                                 .mime = "image/png",
                                 .format = "binary",
                                 .bytes = 10,
                                 .depth = 1,
                                 .is_skipped = true};
    assert_int_equal(ps_impact_file_info(fx->imp, &skipped), PIISCAN_OK);
    assert_int_equal(ps_impact_warning(fx->imp, "dump.zip!secret.zip", PIISCAN_EENCRYPTED, false,
                                       "encrypted: not read"),
                     PIISCAN_OK);
    piiscan_file_info top = {.lpath = "dump.zip",
                             .mime = "application/zip",
                             .format = "archive",
                             .bytes = 4096,
                             .is_container = true};
    assert_int_equal(ps_impact_file_info(fx->imp, &top), PIISCAN_OK);
    assert_int_equal(ps_impact_finish(fx->imp), PIISCAN_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    ps_recset_free(fx->rs);
    ps_impact_free(fx->imp);
    ps_idkey_free(fx->key);
    ps_sevmodel_free(fx->model);
    free(fx);
    return 0;
}

/* Runs fn writing into a memory buffer; returns it (caller frees). */
static char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fn(f, arg);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* ---- findings ---- */

static void finding_object(void **state)
{
    struct ps_rjson_finding in = {.severity = PS_SEV_CRITICAL,
                                  .category = PIISCAN_CAT_SSN,
                                  .rule = "ssn.formatted",
                                  .confidence = 0.95,
                                  .path = "dump.zip!bad\xff\xfename.csv",
                                  .line = 0,
                                  .field = "SSN",
                                  .offset = 1234,
                                  .value = "***-**-6789",
                                  .context = "SSN \"***-**-6789\"\n",
                                  .record = "6c2e0dc3b2ed:2"};
    (void)state;

    json_t *o = ps_rjson_finding_new(&in, NULL);
    assert_non_null(o);
    char *text = json_dumps(o, PS_JSON_FLAGS);
    json_decref(o);
    json_error_t err;
    json_t *back = json_loads(text, 0, &err);
    assert_non_null(back);
    assert_string_equal(json_string_value(json_object_get(back, "severity")), "critical");
    assert_string_equal(json_string_value(json_object_get(back, "category")), "ssn");
    assert_string_equal(json_string_value(json_object_get(back, "rule")), "ssn.formatted");
    assert_true(json_real_value(json_object_get(back, "confidence")) == 0.95);
    assert_non_null(strstr(text, "\"confidence\":0.95,"));
    /* invalid UTF-8 bytes of a hostile name became U+FFFD; the document stays valid */
    assert_string_equal(json_string_value(json_object_get(back, "path")),
                        "dump.zip!bad\xef\xbf\xbd\xef\xbf\xbdname.csv");
    assert_true(json_is_null(json_object_get(back, "line")));
    assert_string_equal(json_string_value(json_object_get(back, "field")), "SSN");
    assert_int_equal(json_integer_value(json_object_get(back, "offset")), 1234);
    assert_string_equal(json_string_value(json_object_get(back, "context")),
                        "SSN \"***-**-6789\"\n");
    assert_string_equal(json_string_value(json_object_get(back, "record")), "6c2e0dc3b2ed:2");
    assert_null(json_object_get(back, "fingerprint"));
    assert_null(json_object_get(back, "type"));
    json_decref(back);
    free(text);

    in.fingerprint = "00112233445566ff";
    in.field = "";
    in.line = 9;
    o = ps_rjson_finding_new(&in, "finding");
    assert_string_equal(json_string_value(json_object_get(o, "type")), "finding");
    assert_true(json_is_null(json_object_get(o, "field")));
    assert_int_equal(json_integer_value(json_object_get(o, "line")), 9);
    assert_string_equal(json_string_value(json_object_get(o, "fingerprint")), "00112233445566ff");
    json_decref(o);

    /* NUL and overlong/surrogate sequences are replaced too */
    json_t *s = ps_rjson_str("a\0b\xc0\xaf\xed\xa0\x80z", 9);
    assert_non_null(s);
    assert_int_equal(json_string_length(s), 1 + 3 + 1 + 6 + 9 + 1);
    json_decref(s);
}

static void write_doc(FILE *f, void *arg)
{
    struct ps_jstream js;
    (void)arg;
    ps_js_init(&js, f);
    ps_js_open(&js, NULL, false);
    ps_js_open(&js, "findings", true);
    for (int i = 0; i < 3; i++)
        ps_js_put(&js, NULL, json_pack("{s:i}", "n", i));
    ps_js_close(&js);
    ps_js_open(&js, "empty", true);
    ps_js_close(&js);
    ps_js_put(&js, "key \"quoted\"\n", json_string("v"));
    ps_js_close(&js);
    assert_int_equal(ps_js_status(&js), PIISCAN_OK);
}

static void stream_document(void **state)
{
    (void)state;
    char *text = capture(write_doc, NULL);
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);

    if (doc == NULL)
        fail_msg("invalid JSON: %s\n%s", err.text, text);
    assert_int_equal(json_array_size(json_object_get(doc, "findings")), 3);
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(json_object_get(doc, "findings"), 2), "n")),
                     2);
    assert_int_equal(json_array_size(json_object_get(doc, "empty")), 0);
    assert_string_equal(json_string_value(json_object_get(doc, "key \"quoted\"\n")), "v");
    /* one element per line */
    assert_non_null(strstr(text, "\n    {\"n\":1},\n"));
    json_decref(doc);
    free(text);

    /* misuse is an error, not a broken document */
    struct ps_jstream js;
    FILE *f = fopen("/dev/null", "w");
    ps_js_init(&js, f);
    ps_js_open(&js, NULL, true);
    ps_js_put(&js, "key-in-array", json_true());
    assert_int_equal(ps_js_status(&js), PIISCAN_EINVAL);
    ps_js_init(&js, f);
    ps_js_open(&js, NULL, false);
    ps_js_put(&js, "x", NULL);
    assert_int_equal(ps_js_status(&js), PIISCAN_ENOMEM);
    fclose(f);
}

/* ---- summary.json ---- */

struct sumarg {
    struct fx *fx;
    const struct ps_summary_diff *diff;
};

static void write_summary(FILE *f, void *arg)
{
    struct sumarg *a = arg;
    const char *inputs[] = {"dump.zip"};
    const char *on[] = {"threads", "reveal"};
    const char *ov[] = {"2", "no"};
    struct ps_summary_meta meta = {.version = "0.1.0",
                                   .rules_digest = "deadbeef",
                                   .inputs = inputs,
                                   .ninputs = 1,
                                   .option_names = on,
                                   .option_values = ov,
                                   .noptions = 2,
                                   .started = 1416816000,
                                   .ended = 1416816065,
                                   .elapsed_s = 65.0};
    assert_int_equal(ps_summary_write_json(f, a->fx->imp, &meta, a->diff), PIISCAN_OK);
}

static json_t *get(json_t *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k != NULL && o != NULL;
         k = strtok_r(NULL, ".", &save))
        o = json_object_get(o, k);
    return o;
}

static json_int_t geti(json_t *o, const char *path)
{
    json_t *v = get(o, path);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", path);
    return json_integer_value(v);
}

static void summary_json(void **state)
{
    struct fx *fx = *state;
    struct sumarg arg = {fx, NULL};
    char *text = capture(write_summary, &arg);
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);

    if (doc == NULL)
        fail_msg("invalid JSON: %s", err.text);
    assert_string_equal(json_string_value(get(doc, "piiscan.version")), "0.1.0");
    assert_string_equal(json_string_value(get(doc, "run.started")), "2014-11-24T08:00:00Z");
    assert_string_equal(json_string_value(get(doc, "run.ended")), "2014-11-24T08:01:05Z");
    assert_string_equal(json_string_value(get(doc, "run.options.threads")), "2");
    assert_string_equal(json_string_value(json_array_get(get(doc, "run.inputs"), 0)), "dump.zip");
    assert_string_equal(json_string_value(get(doc, "run.rules_digest")), "deadbeef");
    assert_int_equal(geti(doc, "run.severity_model.bulk_threshold"), 100);
    assert_true(json_is_true(get(doc, "run.key.stable")));

    /* totals: 5 rows (zip, 2 csv, png, secret.zip), one top-level of 4096 bytes */
    assert_int_equal(geti(doc, "totals.files"), 5);
    assert_int_equal(geti(doc, "totals.top_files"), 1);
    assert_int_equal(geti(doc, "totals.bytes"), 4096);
    assert_int_equal(geti(doc, "totals.findings"), 9);
    assert_int_equal(geti(doc, "totals.records"), 4);
    assert_int_equal(geti(doc, "totals.people"), 2);
    assert_int_equal(geti(doc, "totals.notification"), 2);
    assert_int_equal(geti(doc, "totals.not_read_in_full"), 2);
    assert_string_equal(json_string_value(get(doc, "severity.scan")), "critical");
    assert_int_equal(geti(doc, "severity.people.critical"), 2);
    assert_int_equal(geti(doc, "severity.people.low"), 0);
    assert_int_equal(geti(doc, "severity.files.critical"), 2);
    assert_int_equal(geti(doc, "severity.records.low"), 1);

    /* elements: occurrences and distinct people side by side, most first */
    json_t *el = get(doc, "elements");
    assert_int_equal(json_array_size(el), 5);
    json_t *first = json_array_get(el, 0);
    assert_true(strcmp(json_string_value(json_object_get(first, "category")), "name") == 0 ||
                strcmp(json_string_value(json_object_get(first, "category")), "ssn") == 0);
    assert_int_equal(json_integer_value(json_object_get(first, "occurrences")), 3);
    assert_int_equal(json_integer_value(json_object_get(first, "people")), 2);
    /* ties by name: dob, email, salary; the email sat in no person's record */
    json_t *email = json_array_get(el, 3);
    assert_string_equal(json_string_value(json_object_get(email, "category")), "email");
    assert_int_equal(json_integer_value(json_object_get(email, "occurrences")), 1);
    assert_int_equal(json_integer_value(json_object_get(email, "people")), 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(el, 4), "category")),
                        "salary");

    /* coverage: both gaps with their reason */
    json_t *cov = get(doc, "coverage");
    assert_int_equal(json_array_size(cov), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cov, 0), "path")),
                        "dump.zip!logo.png");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cov, 0), "status")),
                        "skipped");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cov, 1), "status")),
                        "unread");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cov, 1), "reason")),
                        "encrypted: not read");

    /* worst files: hr.csv (2 people) before pay.csv */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(get(doc, "worst_files"), 0), "path")),
        "dump.zip!hr.csv");

    /* people: ids only, no PII anywhere in the document */
    json_t *people = get(doc, "people");
    assert_int_equal(json_array_size(people), 2);
    json_t *amy = json_array_get(people, 0);
    assert_int_equal(json_string_length(json_object_get(amy, "person_id")), PS_ID_HEX);
    assert_null(json_object_get(amy, "name"));
    assert_int_equal(json_integer_value(json_object_get(amy, "records")), 2);
    assert_int_equal(json_array_size(json_object_get(amy, "elements")), 4);
    assert_true(json_is_true(json_object_get(amy, "notification")));
    assert_null(strstr(text, "123456789"));
    assert_null(strstr(text, "6789"));
    assert_null(strstr(text, "ascal"));
    assert_null(strstr(text, "1967"));
    assert_null(strstr(text, "json-test-key"));

    /* baseline: the key id and one fingerprint per distinct finding */
    char kid[PS_ID_HEX + 1];
    ps_idkey_id(fx->key, kid);
    assert_string_equal(json_string_value(get(doc, "baseline.key_id")), kid);
    assert_int_equal(json_array_size(get(doc, "baseline.fingerprints")), 9);
    assert_null(get(doc, "diff"));
    json_decref(doc);
    free(text);

    struct ps_summary_diff d = {
        .baseline = "old/summary.json", .new_findings = 3, .gone_findings = 1, .new_people = 1};
    arg.diff = &d;
    text = capture(write_summary, &arg);
    doc = json_loads(text, 0, &err);
    assert_non_null(doc);
    assert_int_equal(geti(doc, "diff.new_findings"), 3);
    assert_int_equal(geti(doc, "diff.gone_people"), 0);
    assert_string_equal(json_string_value(get(doc, "diff.baseline")), "old/summary.json");
    json_decref(doc);
    free(text);
}

/* ---- people.csv / files.csv cells ---- */

struct rows {
    char cells[16][32][64];
    size_t ncells[16];
    size_t n;
};

static piiscan_status keep_row(void *ctx, const char *const *cells, size_t n)
{
    struct rows *r = ctx;
    assert_true(r->n < 16 && n <= 32);
    for (size_t i = 0; i < n; i++)
        snprintf(r->cells[r->n][i], 64, "%s", cells[i]);
    r->ncells[r->n++] = n;
    return PIISCAN_OK;
}

static piiscan_status fail_row(void *ctx, const char *const *cells, size_t n)
{
    (void)ctx;
    (void)cells;
    (void)n;
    return PIISCAN_EIO;
}

static void people_csv(void **state)
{
    struct fx *fx = *state;
    struct rows *r = calloc(1, sizeof *r);
    uint64_t written = 0;

    assert_int_equal(ps_people_csv(ps_impact_people(fx->imp), false, NULL, keep_row, r, &written),
                     PIISCAN_OK);
    assert_int_equal(written, 2);
    assert_int_equal(r->n, 3);
    const char *header[] = {"person_id", "name",     "elements",    "records",
                            "files",     "severity", "notification"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(r->cells[0][i], header[i]);
    assert_string_equal(r->cells[1][1], "A** P*****");
    assert_string_equal(r->cells[1][2], "dob;name;salary;ssn");
    assert_string_equal(r->cells[1][3], "2");
    assert_string_equal(r->cells[1][4], "2");
    assert_string_equal(r->cells[1][5], "critical");
    assert_string_equal(r->cells[1][6], "yes");
    assert_string_equal(r->cells[2][1], "M****** L*****");
    assert_string_equal(r->cells[2][2], "name;ssn");

    memset(r, 0, sizeof *r);
    assert_int_equal(ps_people_csv(ps_impact_people(fx->imp), true, NULL, keep_row, r, NULL),
                     PIISCAN_OK);
    assert_string_equal(r->cells[1][1], "Amy Pascal");
    assert_int_equal(ps_people_csv(ps_impact_people(fx->imp), true, NULL, fail_row, r, NULL),
                     PIISCAN_EIO);
    free(r);
}

static void files_csv(void **state)
{
    struct fx *fx = *state;
    struct rows *r = calloc(1, sizeof *r);

    assert_int_equal(ps_files_csv(fx->imp, keep_row, r), PIISCAN_OK);
    assert_int_equal(r->n, 6);
    assert_int_equal(r->ncells[0], PS_FILES_NCOLS);
    assert_string_equal(r->cells[0][0], "path");
    assert_string_equal(r->cells[0][5], "ssn");
    assert_string_equal(r->cells[0][PS_FILES_NCOLS - 2], "coverage");
    /* report order: hr.csv, pay.csv, logo.png, secret.zip, dump.zip */
    assert_string_equal(r->cells[1][0], "dump.zip!hr.csv");
    assert_string_equal(r->cells[1][1], "text/csv");
    assert_string_equal(r->cells[1][3], "120");
    assert_string_equal(r->cells[1][4], "5");                     /* findings */
    assert_string_equal(r->cells[1][5], "2");                     /* ssn */
    assert_string_equal(r->cells[1][6], "1");                     /* dob */
    assert_string_equal(r->cells[1][5 + PIISCAN_CAT_COUNT], "2"); /* records */
    assert_string_equal(r->cells[1][6 + PIISCAN_CAT_COUNT], "2"); /* people */
    assert_string_equal(r->cells[1][7 + PIISCAN_CAT_COUNT], "critical");
    assert_string_equal(r->cells[1][9 + PIISCAN_CAT_COUNT], "full");
    assert_string_equal(r->cells[3][0], "dump.zip!logo.png");
    assert_string_equal(r->cells[3][7 + PIISCAN_CAT_COUNT], "");
    assert_string_equal(r->cells[3][9 + PIISCAN_CAT_COUNT], "skipped");
    assert_string_equal(r->cells[4][0], "dump.zip!secret.zip");
    assert_string_equal(r->cells[4][8 + PIISCAN_CAT_COUNT], "1"); /* warnings */
    assert_string_equal(r->cells[4][9 + PIISCAN_CAT_COUNT], "unread");
    assert_string_equal(r->cells[4][10 + PIISCAN_CAT_COUNT], "encrypted: not read");
    assert_string_equal(r->cells[5][0], "dump.zip");
    free(r);
}

static void write_rows(FILE *f, void *arg)
{
    static const char *const cells[] = {
        "=HYPERLINK(\"http://x\")", "a,b", "line\nbreak", "@SUM(A1)", "-2+3", "Jos\xc3\xa9", ""};
    (void)arg;
    assert_int_equal(ps_summary_csv_row(f, cells, 7), PIISCAN_OK);
}

/* people.csv / files.csv rows go through the findings CSV encoder: RFC 4180 quoting,
 * control characters replaced, formulas neutralised (legal teams open these in Excel) */
static void csv_rows(void **state)
{
    (void)state;
    char *text = capture(write_rows, NULL);
    assert_string_equal(text, "\"'=HYPERLINK(\"\"http://x\"\")\",\"a,b\",line?break,'@SUM(A1),"
                              "'-2+3,Jos\xc3\xa9,\r\n");
    free(text);
}

/* ---- text headline ---- */

static void write_text(FILE *f, void *arg)
{
    struct fx *fx = arg;
    struct ps_summary_diff d = {.baseline = "audits/2014-10/summary.json", .new_people = 2};
    assert_int_equal(ps_summary_write_text(f, fx->imp, &d), PIISCAN_OK);
}

static void text_headline(void **state)
{
    char *text = capture(write_text, *state);
    size_t lines = 0;

    assert_true(strncmp(text, "Individuals affected: 2   (scan severity: critical)\n", 52) == 0);
    assert_non_null(strstr(text, "  critical 2   high 0   medium 0   low 0\n"));
    assert_non_null(strstr(text, "notification combination (name + identifier): 2\n"));
    assert_non_null(strstr(text, "new: 0 findings, 2 people; gone: 0 findings, 0 people"));
    assert_non_null(strstr(text, "  ssn "));
    assert_non_null(strstr(text, "  dump.zip!hr.csv"));
    assert_non_null(strstr(text, "Not read in full: 2 files or members"));
    assert_non_null(strstr(text, "  unread   dump.zip!secret.zip: encrypted: not read\n"));
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        if (strlen(l) > 80)
            fail_msg("line over 80 columns: '%s'", l);
        lines++;
    }
    assert_true(lines > 10);
    free(text);
}

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(finding_object),
        cmocka_unit_test(stream_document),
        cmocka_unit_test(csv_rows),
    };
    const struct CMUnitTest reports[] = {
        cmocka_unit_test(summary_json),
        cmocka_unit_test(people_csv),
        cmocka_unit_test(files_csv),
        cmocka_unit_test(text_headline),
    };
    int fails = cmocka_run_group_tests_name("json", plain, NULL, NULL);
    return fails + cmocka_run_group_tests_name("reports", reports, setup, teardown);
}
