/* cli/impact.c - wiring the record stage and the breach-impact reports into a run.
 *
 * Owns what lives for the whole run: the severity model, the id key, the
 * baseline, the ps_impact aggregate and the report directory's findings.csv.
 * Workers get a collector per top-level file (record/collect.h) that reads the
 * model, the key and the baseline's ids, all immutable while the scan runs;
 * the report thread owns the impact and the baseline's "seen" marks.
 */
#include "cli/impact.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "piiscan_config.h"
#include "record/idkey.h"
#include "record/impact.h"
#include "record/severity.h"
#include "report/baseline.h"
#include "report/csv.h"
#include "report/summary_sink.h"

#define MAX_OPTIONS 16u

struct ps_cli_impact {
    struct ps_sevmodel *model;
    struct ps_idkey *key;
    struct ps_baseline *bl;
    struct ps_impact *imp;
    FILE *findings_csv;
    uint64_t reported_at[PS_SEV_COUNT];
    struct ps_summary_diff diff;
    const char *rules_digest;
    const char *const *roots; /* the PATHs of the command line */
    size_t nroots;
    const char *opt_names[MAX_OPTIONS];
    const char *opt_values[MAX_OPTIONS];
    char opt_buf[MAX_OPTIONS][32];
    size_t nopts;
};

/* <rules>/severity.yaml when it exists, else the built-in model. */
static bool open_model(struct ps_cli_impact *ci, const char *rules_dir)
{
    char path[4096];
    piiscan_diag d;
    char line[1400];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", rules_dir, PS_SEVERITY_FILE);
    if (stat(path, &st) != 0 && errno == ENOENT)
        return ps_sevmodel_builtin(&ci->model) == PIISCAN_OK;
    if (ps_sevmodel_load(path, &ci->model, &d) == PIISCAN_OK)
        return true;
    ps_out_error(piiscan_diag_format(&d, line, sizeof line), NULL);
    return false;
}

static bool open_key_and_baseline(struct ps_cli_impact *ci, const struct ps_args *a)
{
    char err[600];
    piiscan_status rc;

    if (a->key_file != NULL)
        rc = ps_idkey_from_file(a->key_file, &ci->key, err, sizeof err);
    else
        rc = ps_idkey_random(&ci->key);
    if (rc != PIISCAN_OK) {
        ps_out_error(a->key_file != NULL ? err : "cannot draw a random key", NULL);
        return false;
    }
    if (a->baseline == NULL)
        return true;
    if (ps_baseline_load(a->baseline, ci->key, &ci->bl, err, sizeof err) != PIISCAN_OK) {
        ps_out_error(a->baseline, err);
        return false;
    }
    return true;
}

/* Creates the report directory (0700); an existing directory is used as it is. */
static bool open_dir(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0700) == 0)
        return true;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    ps_out_error(dir, errno == EEXIST ? "exists and is not a directory" : strerror(errno));
    return false;
}

static void add_opt(struct ps_cli_impact *ci, const char *name, const char *value)
{
    if (ci->nopts >= MAX_OPTIONS)
        return;
    ci->opt_names[ci->nopts] = name;
    ci->opt_values[ci->nopts] = value;
    ci->nopts++;
}

/* A number option; real = two decimals, else an integer. */
static void add_num(struct ps_cli_impact *ci, const char *name, bool is_real, double v)
{
    if (ci->nopts >= MAX_OPTIONS)
        return;
    if (is_real)
        snprintf(ci->opt_buf[ci->nopts], sizeof ci->opt_buf[0], "%.2f", v);
    else
        snprintf(ci->opt_buf[ci->nopts], sizeof ci->opt_buf[0], "%.0f", v);
    add_opt(ci, name, ci->opt_buf[ci->nopts]);
}

/* The options of the run as summary.json reports them (never the key itself). */
static void note_options(struct ps_cli_impact *ci, const struct ps_args *a, const char *rules_dir)
{
    static const char *const formats[] = {"text", "csv", "json", "ndjson"};

    add_opt(ci, "format", formats[a->format]);
    add_opt(ci, "reveal", a->reveal ? "yes" : "no");
    add_opt(ci, "rules", rules_dir);
    if (a->threads != 0)
        add_num(ci, "threads", false, a->threads);
    if (a->has_max_depth)
        add_num(ci, "max_depth", false, a->max_depth);
    if (a->has_min_confidence)
        add_num(ci, "min_confidence", true, a->min_confidence);
    if (a->has_max_expand)
        add_num(ci, "max_expand", false, (double)a->max_expand);
    if (a->follow)
        add_opt(ci, "follow", "yes");
    if (a->scan_binary)
        add_opt(ci, "scan_binary", "yes");
    if (a->report_dir != NULL)
        add_opt(ci, "report_dir", a->report_dir);
    add_opt(ci, "key", a->key_file != NULL ? "key file" : "random per run");
    if (a->baseline != NULL)
        add_opt(ci, "baseline", a->baseline);
    if (a->has_fail_on)
        add_opt(ci, "fail_on", ps_severity_name((enum ps_severity)a->fail_on));
}

bool ps_cli_impact_open(const struct ps_args *a, const char *rules_dir, const char *rules_digest,
                        struct ps_cli_impact **out)
{
    struct ps_cli_impact *ci = calloc(1, sizeof *ci);

    *out = NULL;
    if (ci == NULL) {
        ps_out_error("out of memory", NULL);
        return false;
    }
    ci->rules_digest = rules_digest;
    ci->roots = (const char *const *)a->paths;
    ci->nroots = a->npaths;
    if (!open_model(ci, rules_dir) || !open_key_and_baseline(ci, a) ||
        (a->report_dir != NULL && !open_dir(a->report_dir)))
        goto fail;
    if (ps_impact_new(ci->model, ci->key, a->report_dir != NULL, &ci->imp) != PIISCAN_OK) {
        ps_out_error("out of memory", NULL);
        goto fail;
    }
    note_options(ci, a, rules_dir);
    *out = ci;
    return true;
fail:
    ps_cli_impact_free(ci);
    return false;
}

void ps_cli_impact_free(struct ps_cli_impact *ci)
{
    if (ci == NULL)
        return;
    if (ci->findings_csv != NULL)
        fclose(ci->findings_csv);
    ps_impact_free(ci->imp);
    ps_baseline_free(ci->bl);
    ps_idkey_free(ci->key);
    ps_sevmodel_free(ci->model);
    free(ci);
}

piiscan_status ps_cli_impact_sinks(struct ps_cli_impact *ci, const struct ps_args *a, FILE *out,
                                   struct ps_sink *sinks, size_t *n, size_t max,
                                   bool *keep_findings)
{
    struct ps_summary_sink_cfg cfg;
    piiscan_status rc;

    if (*n + 2 > max)
        return PIISCAN_ENOMEM;
    memset(&cfg, 0, sizeof cfg);
    cfg.imp = ci->imp;
    cfg.bl = ci->bl;
    cfg.headline = a->format == PS_FMT_TEXT ? out : NULL;
    cfg.json = out;
    cfg.json_mode = a->format == PS_FMT_JSON     ? PS_SUMMARY_JSON_DOC
                    : a->format == PS_FMT_NDJSON ? PS_SUMMARY_JSON_LINES
                                                 : PS_SUMMARY_JSON_NONE;
    cfg.reveal = a->reveal;
    cfg.report_dir = a->report_dir;
    cfg.meta.version = PIISCAN_VERSION;
    cfg.meta.rules_digest = ci->rules_digest;
    cfg.meta.inputs = (const char *const *)a->paths;
    cfg.meta.ninputs = a->npaths;
    cfg.meta.option_names = ci->opt_names;
    cfg.meta.option_values = ci->opt_values;
    cfg.meta.noptions = ci->nopts;
    cfg.reported_at = ci->reported_at;
    cfg.diff = &ci->diff;
    if (cfg.json_mode != PS_SUMMARY_JSON_NONE)
        *keep_findings = true;
    rc = ps_summary_sink(&cfg, &sinks[(*n)++]);
    if (rc != PIISCAN_OK || a->report_dir == NULL)
        return rc;
    /* findings.csv: the contract CSV, through the same writer as --format csv */
    char path[4096];
    snprintf(path, sizeof path, "%s/findings.csv", a->report_dir);
    if (ps_out_open(path, &ci->findings_csv) != PIISCAN_OK) {
        ps_out_open_failed(path);
        return PIISCAN_EIO;
    }
    *keep_findings = true;
    return ps_csv_sink(ci->findings_csv, a->reveal, &sinks[(*n)++]);
}

static bool known(const void *ctx, uint64_t fp)
{
    return ps_baseline_knows_finding(ctx, fp);
}

piiscan_status ps_cli_impact_collector(const struct ps_cli_impact *ci, struct ps_collect **out)
{
    piiscan_status rc =
        ps_collect_new(ci->model, ci->key, ci->bl != NULL ? known : NULL, ci->bl, out);

    /* fingerprints relative to the PATHs given: a dump scanned from elsewhere matches */
    if (rc == PIISCAN_OK)
        ps_collect_set_roots(*out, ci->roots, ci->nroots);
    return rc;
}

void ps_cli_impact_stream(const struct ps_cli_impact *ci, struct ps_collect *c, ps_stream_ok_fn ok,
                          void *ctx)
{
    ps_collect_set_stream(c, ci->imp, PS_CLI_STREAM_RECORDS, ok, ctx);
}

piiscan_status ps_cli_impact_close(struct ps_cli_impact *ci)
{
    FILE *f = ci->findings_csv;

    ci->findings_csv = NULL;
    return f == NULL || fclose(f) == 0 ? PIISCAN_OK : PIISCAN_EIO;
}

int ps_cli_impact_exit(const struct ps_cli_impact *ci, const struct ps_args *a)
{
    return ps_summary_exit_status(ci->reported_at, a->has_fail_on ? (int)a->fail_on : -1);
}
