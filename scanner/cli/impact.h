/* cli/impact.h - the breach-impact side of a run: what --report-dir, --key-file,
 * --baseline, --fail-on and --format json|ndjson need, set up from the command
 * line and handed to run.c as sinks, a per-batch collector and an exit status.
 *
 * Setup order: the severity model (<rules>/severity.yaml, else the built-in
 * copy), the key (--key-file, else random per run), the baseline (refused when
 * made with another key), the report directory (created 0700). Errors are
 * printed on stderr ("piiscan: ...") and make the run exit with status 2.
 */
#ifndef PS_CLI_IMPACT_H
#define PS_CLI_IMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/args.h"
#include "record/collect.h"
#include "report/out.h"

struct ps_cli_impact;

/* Sets everything up; prints the reason and returns false on failure. */
bool ps_cli_impact_open(const struct ps_args *a, const char *rules_dir, const char *rules_digest,
                        struct ps_cli_impact **out);
void ps_cli_impact_free(struct ps_cli_impact *ci);

/* Adds the impact sink (and the findings.csv sink of --report-dir) to sinks[*n],
 * writing --format json|ndjson to out and the text headline to out for text.
 * Sets *keep_findings when batches must keep their findings. ENOMEM, EIO (the
 * report directory cannot be written: printed). */
piiscan_status ps_cli_impact_sinks(struct ps_cli_impact *ci, const struct ps_args *a, FILE *out,
                                   struct ps_sink *sinks, size_t *n, size_t max,
                                   bool *keep_findings);

/* A collector for one top-level file's batch (called on a worker). ENOMEM. */
piiscan_status ps_cli_impact_collector(const struct ps_cli_impact *ci, struct ps_collect **out);
/* Lets collector c hand complete records to the run's impact while its file is
 * next in report order (ok(ctx) says when; see ps_collect_set_stream). Only
 * takes effect when the file's findings are not kept per finding (the text
 * summary without --baseline): the peak then holds PS_CLI_STREAM_RECORDS
 * records of a long file (a few MiB), not all of them. */
#define PS_CLI_STREAM_RECORDS 4096u
void ps_cli_impact_stream(const struct ps_cli_impact *ci, struct ps_collect *c, ps_stream_ok_fn ok,
                          void *ctx);

/* Closes the report directory's findings.csv. EIO when it could not be written. */
piiscan_status ps_cli_impact_close(struct ps_cli_impact *ci);

/* The exit status for a run that ended without a fatal error: 0 nothing
 * reported, 1 findings reported (at or above --fail-on when given). */
int ps_cli_impact_exit(const struct ps_cli_impact *ci, const struct ps_args *a);

#endif
