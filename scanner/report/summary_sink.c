/* report/summary_sink.c - the sink behind --report-dir, --format json|ndjson,
 * --baseline and the text headline (see summary_sink.h).
 *
 * Per batch the work is proportional to that batch: its collector and warnings
 * go into the impact, and its kept findings (already in report order, with
 * their record's severity) are written as JSON. Everything that needs the
 * whole scan - people, per-file people counts, the summary - waits for end(),
 * where files are written in the order a legal team reads them: people.csv,
 * files.csv, then summary.json. Files in the report directory are opened
 * with ps_out_open (0600, never through a symlink).
 */
#include "report/summary_sink.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record/collect.h"
#include "report/csv.h"
#include "report/json.h"
#include "report/mask.h"
#include "report/people.h"
#include "report/summary_sections.h"

struct summary_sink {
    struct ps_summary_sink_cfg cfg;
    struct ps_jstream js;
};

piiscan_status ps_summary_csv_row(void *ctx, const char *const *cells, size_t n)
{
    FILE *f = ctx;
    piiscan_status rc = PIISCAN_OK;

    for (size_t i = 0; i < n && rc == PIISCAN_OK; i++) {
        const char *s = cells[i] != NULL ? cells[i] : "";
        size_t len = strlen(s);
        size_t cap = ps_mask_cap(len, 0);
        char *clean = malloc(cap);
        char *cell = malloc(2 * cap + 4);
        if (clean == NULL || cell == NULL) {
            rc = PIISCAN_ENOMEM;
        } else {
            size_t cl = ps_mask_clean(s, len, PS_CLEAN_FIELD, clean, cap);
            size_t w = ps_csv_cell(clean, cl, cell, 2 * cap + 4);
            if (fwrite(cell, 1, w, f) != w || fputs(i + 1 < n ? "," : "\r\n", f) == EOF)
                rc = PIISCAN_EIO;
        }
        free(clean);
        free(cell);
    }
    return rc;
}

static piiscan_status sink_begin(void *self, const struct ps_run_info *info)
{
    struct summary_sink *s = self;

    (void)info;
    s->cfg.meta.started = time(NULL);
    if (s->cfg.json_mode == PS_SUMMARY_JSON_DOC) {
        ps_js_init(&s->js, s->cfg.json);
        ps_js_open(&s->js, NULL, false);
        ps_js_open(&s->js, "findings", true);
        return ps_js_status(&s->js);
    }
    return PIISCAN_OK;
}

/* One finding as JSON, value and context masked unless --reveal. */
static json_t *finding_json(const struct summary_sink *s, const struct ps_rfinding *all, size_t n,
                            size_t i, const struct ps_collect *c)
{
    const struct ps_rfinding *r = &all[i];
    size_t vcap = ps_mask_cap(r->value_len, 1);
    size_t ccap = ps_mask_cap(r->context_len, PS_MASK_MAX_SPANS);
    char *val = malloc(vcap);
    char *ctx = malloc(ccap);
    char fp[PS_ID_HEX + 1];
    json_t *o = NULL;

    if (val != NULL && ctx != NULL) {
        ps_mask_finding_value(r, s->cfg.reveal, val, vcap);
        ps_mask_finding_context(all, n, i, s->cfg.reveal, ctx, ccap);
        ps_id_format(ps_collect_fingerprint(c, r->order), fp);
        struct ps_rjson_finding jf = {.severity = r->severity,
                                      .category = r->category,
                                      .rule = r->rule_id,
                                      .confidence = r->confidence,
                                      .path = r->lpath,
                                      .line = r->line,
                                      .field = r->field,
                                      .offset = r->offset,
                                      .value = val,
                                      .context = ctx,
                                      .record = r->record_id,
                                      .fingerprint = fp};
        o = ps_rjson_finding_new(&jf, s->cfg.json_mode == PS_SUMMARY_JSON_LINES ? "finding" : NULL);
    }
    free(val);
    free(ctx);
    return o;
}

static piiscan_status write_findings(struct summary_sink *s, const struct ps_batch *b,
                                     const struct ps_collect *c)
{
    size_t n = 0;
    const struct ps_rfinding *all = ps_batch_findings(b, &n);

    for (size_t i = 0; i < n; i++) {
        if (all[i].is_known)
            continue;
        json_t *o = finding_json(s, all, n, i, c);
        if (s->cfg.json_mode == PS_SUMMARY_JSON_DOC) {
            ps_js_put(&s->js, NULL, o);
        } else {
            piiscan_status rc = ps_rjson_line(s->cfg.json, o);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
    return ps_js_status(&s->js);
}

static piiscan_status sink_batch(void *self, const struct ps_batch *b)
{
    struct summary_sink *s = self;
    const struct ps_collect *c = ps_batch_collect(b);
    piiscan_status rc = PIISCAN_OK;
    size_t nw = 0;
    const struct ps_rwarning *w = ps_batch_warnings(b, &nw);

    if (c != NULL) {
        rc = ps_impact_add_collect(s->cfg.imp, c);
        ps_collect_count_new(c, s->cfg.reported_at);
        /* mark what the baseline had, so the end can count what disappeared */
        for (uint64_t i = 0; s->cfg.bl != NULL && i < ps_collect_findings(c); i++)
            if (!ps_baseline_has_finding(s->cfg.bl, ps_collect_fingerprint(c, i)))
                s->cfg.diff->new_findings++;
    }
    for (size_t i = 0; rc == PIISCAN_OK && i < nw; i++)
        rc = ps_impact_warning(s->cfg.imp, w[i].lpath, w[i].status, w[i].is_partial, w[i].message);
    if (rc == PIISCAN_OK && c != NULL && s->cfg.json_mode != PS_SUMMARY_JSON_NONE)
        rc = write_findings(s, b, c);
    return rc;
}

/* dir/name through ps_out_open, written by fn, closed. */
static piiscan_status write_file(const char *dir, const char *name,
                                 piiscan_status (*fn)(struct summary_sink *s, FILE *f),
                                 struct summary_sink *s)
{
    char path[4096];
    FILE *f = NULL;
    piiscan_status rc;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return PIISCAN_EIO;
    rc = ps_out_open(path, &f);
    if (rc != PIISCAN_OK)
        return rc;
    rc = fn(s, f);
    if (fclose(f) != 0 && rc == PIISCAN_OK)
        rc = PIISCAN_EIO;
    return rc;
}

static piiscan_status people_file(struct summary_sink *s, FILE *f)
{
    /* with --baseline only the people it did not have */
    return ps_people_csv(ps_impact_people(s->cfg.imp), s->cfg.reveal, s->cfg.bl, ps_summary_csv_row,
                         f, NULL);
}

static piiscan_status files_file(struct summary_sink *s, FILE *f)
{
    return ps_files_csv(s->cfg.imp, ps_summary_csv_row, f);
}

static piiscan_status summary_file(struct summary_sink *s, FILE *f)
{
    return ps_summary_write_json(f, s->cfg.imp, &s->cfg.meta, s->cfg.diff);
}

/* The end of --format json / ndjson: the summary after the findings. */
static piiscan_status finish_json(struct summary_sink *s)
{
    const struct ps_people *pp = ps_impact_people(s->cfg.imp);
    piiscan_status rc = PIISCAN_OK;

    if (s->cfg.json_mode == PS_SUMMARY_JSON_DOC) {
        ps_js_close(&s->js);
        ps_summary_stream(&s->js, "summary", s->cfg.imp, &s->cfg.meta, s->cfg.diff,
                          PS_SUMMARY_PEOPLE | PS_SUMMARY_FINGERPRINTS);
        ps_js_close(&s->js);
        return ps_js_status(&s->js);
    }
    /* ndjson: a line per person, then the summary (without the long lists) */
    struct ps_person p;
    for (size_t i = 0; rc == PIISCAN_OK && ps_people_get(pp, i, &p); i++)
        rc = ps_rjson_line(s->cfg.json, ps_summary_person(&p, "person"));
    if (rc == PIISCAN_OK)
        rc = ps_summary_write_line(s->cfg.json, s->cfg.imp, &s->cfg.meta, s->cfg.diff);
    if (rc == PIISCAN_OK && fflush(s->cfg.json) != 0)
        rc = PIISCAN_EIO;
    return rc;
}

static piiscan_status sink_end(void *self, const struct ps_run_end *end)
{
    struct summary_sink *s = self;
    const char *dir = s->cfg.report_dir;
    piiscan_status rc;

    s->cfg.meta.ended = time(NULL);
    s->cfg.meta.elapsed_s = end->elapsed_s;
    rc = ps_impact_finish(s->cfg.imp);
    if (rc != PIISCAN_OK)
        return rc;
    if (s->cfg.bl != NULL) {
        s->cfg.diff->baseline = ps_baseline_path(s->cfg.bl);
        s->cfg.diff->new_people = ps_baseline_mark_people(s->cfg.bl, ps_impact_people(s->cfg.imp));
        s->cfg.diff->gone_findings = ps_baseline_gone_findings(s->cfg.bl);
        s->cfg.diff->gone_people = ps_baseline_gone_people(s->cfg.bl);
    }
    if (s->cfg.json_mode != PS_SUMMARY_JSON_NONE)
        rc = finish_json(s);
    if (rc == PIISCAN_OK && dir != NULL)
        rc = write_file(dir, "people.csv", people_file, s);
    if (rc == PIISCAN_OK && dir != NULL)
        rc = write_file(dir, "files.csv", files_file, s);
    if (rc == PIISCAN_OK && dir != NULL)
        rc = write_file(dir, "summary.json", summary_file, s);
    if (rc == PIISCAN_OK && s->cfg.headline != NULL)
        rc = ps_summary_write_text(s->cfg.headline, s->cfg.imp, s->cfg.diff);
    return rc;
}

piiscan_status ps_summary_sink(const struct ps_summary_sink_cfg *cfg, struct ps_sink *out)
{
    struct summary_sink *s = calloc(1, sizeof *s);

    memset(out, 0, sizeof *out);
    if (s == NULL)
        return PIISCAN_ENOMEM;
    s->cfg = *cfg;
    out->self = s;
    out->begin = sink_begin;
    out->batch = sink_batch;
    out->end = sink_end;
    out->free = free;
    return PIISCAN_OK;
}
