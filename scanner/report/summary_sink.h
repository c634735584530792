/* report/summary_sink.h - the breach-impact reports as one report sink.
 *
 * For each batch (walk order) the sink folds the record stage's collector and
 * the batch's warnings into the run's ps_impact, marks what the baseline had,
 * counts the findings it reports per severity (for the exit status) and, for
 * --format json|ndjson, writes the batch's new findings. At the end it
 * resolves people and writes, as configured: the rest of the JSON document,
 * people.csv, files.csv and summary.json in the report directory (mode 0600),
 * and the text headline.
 */
#ifndef PS_REPORT_SUMMARY_SINK_H
#define PS_REPORT_SUMMARY_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record/impact.h"
#include "report/baseline.h"
#include "report/out.h"
#include "report/summary.h"

enum ps_summary_json { PS_SUMMARY_JSON_NONE = 0, PS_SUMMARY_JSON_DOC, PS_SUMMARY_JSON_LINES };

struct ps_summary_sink_cfg {
    struct ps_impact *imp;  /* borrowed; the sink finishes it at end */
    struct ps_baseline *bl; /* borrowed, may be NULL */
    FILE *headline;         /* text headline at end; NULL = none */
    FILE *json;             /* --format json / ndjson output; NULL = none */
    enum ps_summary_json json_mode;
    bool reveal;                  /* values in clear in the JSON findings and people.csv */
    const char *report_dir;       /* people.csv, files.csv, summary.json; NULL = none */
    struct ps_summary_meta meta;  /* inputs, options, digest (times set by the sink) */
    uint64_t *reported_at;        /* [PS_SEV_COUNT], caller-owned: findings reported */
    struct ps_summary_diff *diff; /* caller-owned, filled at end (with a baseline) */
};

/* A sink over cfg (copied; what it points to is borrowed). ENOMEM. */
piiscan_status ps_summary_sink(const struct ps_summary_sink_cfg *cfg, struct ps_sink *out);

/* Writes one CSV row (cells cleaned of control characters, formulas neutralised,
 * quoted per RFC 4180, CRLF) to the FILE ctx: the ps_row_fn for people.csv and
 * files.csv. EIO, ENOMEM. */
piiscan_status ps_summary_csv_row(void *ctx, const char *const *cells, size_t n);

#endif
