/* report/summary.c - summary.json and the exit status (see summary.h).
 *
 * Small sections (run, totals, severity, elements, worst files, diff) are
 * built as json_t objects and put whole; the long lists (coverage, people,
 * fingerprints) are streamed one element at a time through ps_jstream, so
 * the document costs O(1) memory beyond what the impact already holds.
 */
#include "report/summary.h"

#include <string.h>

#include "engine/category.h"
#include "report/json.h"
#include "report/summary_sections.h"

char *ps_summary_iso8601(time_t t, char *buf, size_t len)
{
    struct tm tm;

    if (len == 0)
        return buf;
    buf[0] = '\0';
    if (gmtime_r(&t, &tm) != NULL)
        strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/* {"critical": n, "high": n, "medium": n, "low": n} */
json_t *ps_summary_by_severity(const uint64_t at[PS_SEV_COUNT])
{
    json_t *o = json_object();

    for (int s = PS_SEV_CRITICAL; o != NULL && s >= PS_SEV_LOW; s--) {
        if (json_object_set_new(o, ps_severity_name((enum ps_severity)s), ps_rjson_count(at[s])) !=
            0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++) {
        if (json_array_append_new(a, ps_rjson_cstr(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Run metadata: when, on what, with which options, rules and model. The key
 * itself never appears, only its id (so a baseline can be matched to it). */
static json_t *run_section(const struct ps_impact *imp, const struct ps_summary_meta *m)
{
    char started[32], ended[32], key_id[PS_ID_HEX + 1];
    const struct ps_sevmodel *model = ps_impact_model(imp);
    json_t *opts = json_object();

    for (size_t i = 0; opts != NULL && i < m->noptions; i++)
        json_object_set_new(opts, m->option_names[i], ps_rjson_cstr(m->option_values[i]));
    ps_idkey_id(ps_impact_key(imp), key_id);
    return json_pack(
        "{s:s, s:s, s:f, s:o, s:o, s:o, s:{s:o, s:s, s:I}, s:{s:s, s:b}}", "started",
        ps_summary_iso8601(m->started, started, sizeof started), "ended",
        ps_summary_iso8601(m->ended, ended, sizeof ended), "elapsed_s", m->elapsed_s, "inputs",
        str_array(m->inputs, m->ninputs), "options", opts ? opts : json_null(), "rules_digest",
        ps_rjson_cstr(m->rules_digest ? m->rules_digest : ""), "severity_model", "source",
        ps_rjson_cstr(ps_sevmodel_source(model)), "digest", ps_sevmodel_digest(model),
        "bulk_threshold", (json_int_t)ps_sevmodel_bulk_threshold(model), "key", "id", key_id,
        "stable", ps_idkey_is_stable(ps_impact_key(imp)));
}

/* Counts of the run; people and records next to findings, since occurrences
 * alone overstate a breach (one SSN repeated in a hundred mails is one person). */
static json_t *totals_section(const struct ps_impact_totals *t)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "files",
                     ps_rjson_count(t->files), "top_files", ps_rjson_count(t->top_files), "bytes",
                     ps_rjson_count(t->bytes), "files_with_findings",
                     ps_rjson_count(t->files_with_findings), "findings",
                     ps_rjson_count(t->findings), "records", ps_rjson_count(t->records), "people",
                     ps_rjson_count(t->people), "notification", ps_rjson_count(t->notify),
                     "unlinked_records", ps_rjson_count(t->unlinked), "not_read_in_full",
                     ps_rjson_count(t->not_full), "warnings", ps_rjson_count(t->warnings));
}

/* How bad: the scan's severity, then people, files and records per severity. */
static json_t *severity_section(const struct ps_impact_totals *t)
{
    return json_pack(
        "{s:s, s:o, s:o, s:o}", "scan", t->scan == PS_SEV_NONE ? "none" : ps_severity_name(t->scan),
        "people", ps_summary_by_severity(t->people_at), "files",
        ps_summary_by_severity(t->files_at), "records", ps_summary_by_severity(t->records_at));
}

/* Elements exposed, most occurrences first (name breaks ties). */
size_t ps_summary_elements(const struct ps_impact_totals *t, int order[PIISCAN_CAT_COUNT])
{
    size_t n = 0;

    for (int c = 0; c < PIISCAN_CAT_COUNT; c++) {
        if (t->per_cat[c] == 0 && t->people_per_cat[c] == 0)
            continue;
        size_t pos = n++;
        while (pos > 0) {
            int p = order[pos - 1];
            bool is_before = t->per_cat[c] > t->per_cat[p] ||
                             (t->per_cat[c] == t->per_cat[p] &&
                              strcmp(ps_category_name(c), ps_category_name(p)) < 0);
            if (!is_before)
                break;
            order[pos] = p;
            pos--;
        }
        order[pos] = c;
    }
    return n;
}

static json_t *elements_section(const struct ps_impact_totals *t)
{
    int order[PIISCAN_CAT_COUNT];
    size_t n = ps_summary_elements(t, order);
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++) {
        int c = order[i];
        if (json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "category", ps_category_name(c),
                                               "occurrences", ps_rjson_count(t->per_cat[c]),
                                               "people", ps_rjson_count(t->people_per_cat[c]))) !=
            0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The ten worst files (severity, then people, then findings). */
static json_t *worst_section(const struct ps_impact *imp)
{
    size_t idx[PS_SUMMARY_WORST];
    size_t n = ps_impact_worst_files(imp, idx, PS_SUMMARY_WORST);
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++) {
        const struct ps_impact_file *f = ps_impact_file_get(imp, idx[i]);
        if (json_array_append_new(
                a, json_pack("{s:o, s:s, s:o, s:o, s:o}", "path", ps_rjson_cstr(f->lpath),
                             "severity", ps_severity_name(f->severity), "people",
                             ps_rjson_count(f->people), "findings", ps_rjson_count(f->findings),
                             "records", ps_rjson_count(f->records))) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* What --baseline changed: new and disappeared findings and people. */
static json_t *diff_section(const struct ps_summary_diff *d)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "baseline", ps_rjson_cstr(d->baseline),
                     "new_findings", ps_rjson_count(d->new_findings), "gone_findings",
                     ps_rjson_count(d->gone_findings), "new_people", ps_rjson_count(d->new_people),
                     "gone_people", ps_rjson_count(d->gone_people));
}

json_t *ps_summary_person(const struct ps_person *p, const char *type)
{
    char buf[256];
    json_t *el = json_array();
    json_t *o = json_object();
    const char *sep = ";";

    ps_catset_format(p->elements, sep[0], buf, sizeof buf);
    for (char *save = NULL, *tok = strtok_r(buf, sep, &save); el != NULL && tok != NULL;
         tok = strtok_r(NULL, sep, &save))
        json_array_append_new(el, json_string(tok));
    /* "type" first, so that ndjson lines read type-first like the findings */
    if (o != NULL && type != NULL && json_object_set_new(o, "type", json_string(type)) != 0) {
        json_decref(o);
        o = NULL;
    }
    json_t *rest = json_pack("{s:s, s:o, s:s, s:o, s:o, s:b}", "person_id", p->id, "elements",
                             el ? el : json_null(), "severity", ps_severity_name(p->severity),
                             "records", ps_rjson_count(p->records), "files",
                             ps_rjson_count(p->files), "notification", p->notify);
    if (o == NULL || rest == NULL || json_object_update(o, rest) != 0) {
        json_decref(o);
        o = NULL;
    }
    json_decref(rest);
    return o;
}

/* The whole summary, long lists streamed element by element. */
void ps_summary_stream(struct ps_jstream *js, const char *key, const struct ps_impact *imp,
                       const struct ps_summary_meta *meta, const struct ps_summary_diff *diff,
                       unsigned parts)
{
    const struct ps_impact_totals *t = ps_impact_totals(imp);

    ps_js_open(js, key, false);
    ps_js_put(js, "piiscan",
              json_pack("{s:s, s:i}", "version", meta->version ? meta->version : "", "schema",
                        PS_SUMMARY_SCHEMA));
    ps_js_put(js, "run", run_section(imp, meta));
    ps_js_put(js, "totals", totals_section(t));
    ps_js_put(js, "severity", severity_section(t));
    ps_js_put(js, "elements", elements_section(t));
    ps_js_put(js, "worst_files", worst_section(imp));
    if (diff != NULL && diff->baseline != NULL)
        ps_js_put(js, "diff", diff_section(diff));
    ps_js_open(js, "coverage", true);
    for (size_t i = 0; i < ps_impact_file_count(imp); i++) {
        const struct ps_impact_file *f = ps_impact_file_get(imp, i);
        if (f->coverage != PS_COV_FULL)
            ps_js_put(js, NULL,
                      json_pack("{s:o, s:s, s:o}", "path", ps_rjson_cstr(f->lpath), "status",
                                ps_coverage_name(f->coverage), "reason", ps_rjson_cstr(f->reason)));
    }
    ps_js_close(js);
    if (parts & PS_SUMMARY_PEOPLE) {
        const struct ps_people *pp = ps_impact_people(imp);
        ps_js_open(js, "people", true);
        struct ps_person p;
        for (size_t i = 0; ps_people_get(pp, i, &p); i++)
            ps_js_put(js, NULL, ps_summary_person(&p, NULL));
        ps_js_close(js);
    }
    if (parts & PS_SUMMARY_FINGERPRINTS) {
        char hex[PS_ID_HEX + 1];
        size_t n = 0;
        const uint64_t *fps = ps_impact_fingerprints(imp, &n);
        ps_idkey_id(ps_impact_key(imp), hex);
        ps_js_open(js, "baseline", false);
        ps_js_put(js, "key_id", json_string(hex));
        ps_js_open(js, "fingerprints", true);
        for (size_t i = 0; i < n; i++) {
            ps_id_format(fps[i], hex);
            ps_js_put(js, NULL, json_string(hex));
        }
        ps_js_close(js);
        ps_js_close(js);
    }
    ps_js_close(js);
}

/* Every file or member not read in full, with the reason (in memory: for the
 * one-line ndjson summary). */
static json_t *coverage_array(const struct ps_impact *imp)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < ps_impact_file_count(imp); i++) {
        const struct ps_impact_file *f = ps_impact_file_get(imp, i);
        if (f->coverage == PS_COV_FULL)
            continue;
        if (json_array_append_new(a, json_pack("{s:o, s:s, s:o}", "path", ps_rjson_cstr(f->lpath),
                                               "status", ps_coverage_name(f->coverage), "reason",
                                               ps_rjson_cstr(f->reason))) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

piiscan_status ps_summary_write_line(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_meta *meta,
                                     const struct ps_summary_diff *diff)
{
    const struct ps_impact_totals *t = ps_impact_totals(imp);
    json_t *o =
        json_pack("{s:s, s:{s:s, s:i}, s:o, s:o, s:o, s:o, s:o, s:o}", "type", "summary", "piiscan",
                  "version", meta->version ? meta->version : "", "schema", PS_SUMMARY_SCHEMA, "run",
                  run_section(imp, meta), "totals", totals_section(t), "severity",
                  severity_section(t), "elements", elements_section(t), "worst_files",
                  worst_section(imp), "coverage", coverage_array(imp));

    if (o != NULL && diff != NULL && diff->baseline != NULL &&
        json_object_set_new(o, "diff", diff_section(diff)) != 0) {
        json_decref(o);
        return PIISCAN_ENOMEM;
    }
    return ps_rjson_line(f, o);
}

piiscan_status ps_summary_write_json(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_meta *meta,
                                     const struct ps_summary_diff *diff)
{
    struct ps_jstream js;

    ps_js_init(&js, f);
    ps_summary_stream(&js, NULL, imp, meta, diff, PS_SUMMARY_PEOPLE | PS_SUMMARY_FINGERPRINTS);
    return ps_js_status(&js);
}

int ps_summary_exit_status(const uint64_t reported_at[PS_SEV_COUNT], int fail_on)
{
    int from = fail_on >= PS_SEV_LOW ? fail_on : PS_SEV_NONE;

    /* without --fail-on every reported finding counts, whatever its severity */
    for (int s = from; s < PS_SEV_COUNT; s++)
        if (reported_at[s] > 0)
            return 1;
    return 0;
}
