/* report/summary.h - summary.json, the text headline, and the exit status.
 *
 * summary.json is the machine-readable account of a run (schema 1):
 *   piiscan   {version, schema}
 *   run       {started, ended (ISO 8601 UTC), elapsed_s, inputs[], options{},
 *              rules_digest, severity_model{source, digest, bulk_threshold},
 *              key{id, stable}}
 *   totals    {files, top_files, bytes, files_with_findings, findings, records,
 *              people, notification, unlinked_records, not_read_in_full, warnings}
 *   severity  {scan, people{critical..low}, files{..}, records{..}}
 *   elements  [{category, occurrences, people}] - occurrences and distinct people
 *   worst_files [{path, severity, people, findings, records}] (at most 10)
 *   coverage  [{path, status, reason}] - every file or member not read in full
 *   people    [{person_id, severity, elements[], records, files, notification}]
 *   baseline  {key_id, fingerprints[]} - what a later --baseline run diffs against
 *   diff      {baseline, new_findings, gone_findings, new_people, gone_people}
 *             (only when this run had --baseline)
 * It holds no PII: no names, no values, only keyed ids, counts and paths.
 * Every JSON value is built with jansson.
 */
#ifndef PS_REPORT_SUMMARY_H
#define PS_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "record/impact.h"
#include "report/baseline.h"

#define PS_SUMMARY_WORST 10u
#define PS_SUMMARY_SCHEMA 1

/* Run metadata. All borrowed. */
struct ps_summary_meta {
    const char *version;
    const char *rules_digest; /* "" when unknown */
    const char *const *inputs;
    size_t ninputs;
    const char *const *option_names; /* options as given: name/value pairs */
    const char *const *option_values;
    size_t noptions;
    time_t started, ended;
    double elapsed_s;
};

/* What --baseline changed (all zero without a baseline). */
struct ps_summary_diff {
    const char *baseline; /* path, NULL without --baseline */
    uint64_t new_findings, gone_findings;
    uint64_t new_people, gone_people;
};

/* "2014-11-24T08:00:00Z" into buf (>= 21 bytes). Returns buf. */
char *ps_summary_iso8601(time_t t, char *buf, size_t len);

/* Writes summary.json of a finished impact to f (pretty-printed, UTF-8).
 * diff may be NULL. EIO when writing fails, ENOMEM. */
piiscan_status ps_summary_write_json(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_meta *meta,
                                     const struct ps_summary_diff *diff);

/* The summary as one compact JSON line with "type":"summary" (the last line of
 * --format ndjson): everything but the people and fingerprint lists. */
piiscan_status ps_summary_write_line(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_meta *meta,
                                     const struct ps_summary_diff *diff);

/* Writes the text headline (at most 80 columns): individuals, per severity,
 * notification, elements with occurrences and distinct people, the ten worst
 * files, and what was not read in full. EIO on write failure. */
piiscan_status ps_summary_write_text(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_diff *diff);

/* The exit status (DESIGN.md): 0 when nothing was reported, 1 when findings were
 * reported. With --fail-on (fail_on >= PS_SEV_LOW): 1 only when a reported
 * finding's record severity is at or above fail_on. reported_at[s] counts the
 * findings reported at severity s. */
int ps_summary_exit_status(const uint64_t reported_at[PS_SEV_COUNT], int fail_on);

#endif
