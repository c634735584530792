/* report/store.h - the per-file batch: what one top-level file produced.
 *
 * Events handed to a scan callback are borrowed. A worker copies what the
 * reports need into a ps_batch, one per top-level file (a file found by the
 * walk, or stdin); the CLI then hands batches to the report sinks strictly in
 * walk order, so the output does not depend on thread timing.
 *
 * What a batch keeps:
 *   - counters (files, members, bytes, skipped binaries, findings per category):
 *     always, O(1) per finding;
 *   - files and members by format, and how many had findings: O(1);
 *   - warnings, up to PS_STORE_MAX_WARNINGS per batch (the rest are counted);
 *   - the findings themselves, owned copies, only when keep_findings is set (CSV
 *     and, later, JSON need them; the text summary does not). Cost: about 160
 *     bytes plus the rule id, value, normalized value, field and context (a context
 *     is at most 2 * PS_CONTEXT_BYTES plus the value) per finding, for the findings
 *     of the top-level files that are in flight (the one being written plus those
 *     finished early by other threads: at most the CLI's reorder window).
 *
 * Past PS_STORE_MAX_KEPT findings in one top-level file the rest are counted but not
 * kept, and ps_batch_finish() adds a warning saying so: a report is never cut short
 * silently, and one enormous file cannot exhaust memory.
 *
 * ps_batch_finish() puts findings in report order (logical path, then line, then offset) and
 * assigns severity and record ids through ps_store_assign_records(): from the
 * record stage's collector (record/collect.h) when one is attached, which groups
 * the findings into records on the worker thread as the events arrive.
 */
#ifndef PS_REPORT_STORE_H
#define PS_REPORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "piiscan/status.h"
#include "record/severity.h"

#define PS_STORE_MAX_WARNINGS 10000u     /* warnings kept per batch; more are counted only */
#define PS_STORE_MAX_OPEN 64u            /* nesting of FILE_BEGIN tracked for attribution */
#define PS_STORE_MAX_KEPT 4000000u       /* findings kept (for CSV) per top-level file */

/* enum ps_severity and ps_severity_name() come from record/severity.h. */

/* An owned copy of a piiscan_finding. Strings live in the batch and are never NULL
 * ("" when the finding had none). */
struct ps_rfinding {
    piiscan_category category;
    const char *rule_id;
    double confidence;
    const char *lpath;
    uint64_t line;
    const char *field;
    uint64_t offset;
    const char *value;
    size_t value_len;
    const char *normalized;
    const char *context;
    size_t context_len;
    size_t value_in_context;
    uint64_t record;

    /* Filled by ps_batch_finish (ps_store_assign_records). */
    enum ps_severity severity;
    const char *record_id; /* the CSV "record" column */
    bool is_known;         /* --baseline had it: counted, not reported */

    size_t group; /* order in which its lpath first produced a finding */
    size_t order; /* arrival order, the final tie-break */
};

struct ps_rwarning {
    const char *lpath;
    const char *message;
    int status; /* piiscan_status */
    bool is_partial;
};

#define PS_STORE_MAX_FORMATS 24u

struct ps_batch; /* opaque: use the accessors below */

/* Counters of a batch (and, summed, of a run: see ps_store_totals_add). */
struct ps_counts {
    uint64_t top_files;      /* top-level files handed to the scanner */
    uint64_t files_scanned;  /* files and members whose content was scanned */
    uint64_t members;        /* ... of which inside archives or containers (depth > 0) */
    uint64_t containers;     /* archives and containers opened */
    uint64_t skipped_binary; /* files or members skipped as binary */
    uint64_t walk_skipped;   /* symlinks not followed, excluded paths (not warnings) */
    uint64_t bytes_read;     /* bytes read from top-level files */
    uint64_t bytes_scanned;  /* bytes of the files and members that were scanned */
    uint64_t findings;
    uint64_t per_cat[PIISCAN_CAT_COUNT];
    uint64_t files_with_findings;
    uint64_t warnings; /* all warnings, including those not kept */
    /* files and members by the extractor that read them ("text", "xlsx", "pdf",
     * "archive", "binary", ...): the first PS_STORE_MAX_FORMATS names seen, in the
     * order first seen; the rest are summed under "other" */
    struct ps_format_count {
        char name[16];
        uint64_t n;
    } formats[PS_STORE_MAX_FORMATS];
    size_t nformats;
};

/* A new empty batch for top-level file number seq (path is copied; NULL for a
 * batch that only carries walk warnings). Caller frees with ps_batch_free. */
piiscan_status ps_batch_new(uint64_t seq, const char *path, bool keep_findings,
                            struct ps_batch **out);
void ps_batch_free(struct ps_batch *b);

struct ps_collect; /* record/collect.h */

/* Attaches the record stage's collector: every event added from now on also goes
 * to it, ps_batch_finish() finishes it and takes severities, record ids and
 * baseline marks from it. The batch owns it from now on (freed with the batch). */
void ps_batch_set_collect(struct ps_batch *b, struct ps_collect *c);
/* The attached collector, or NULL. */
const struct ps_collect *ps_batch_collect(const struct ps_batch *b);

/* Copies what the reports need from one event. Returns OK or ENOMEM. */
piiscan_status ps_batch_add_event(struct ps_batch *b, const piiscan_event *ev);
/* Adds a warning that did not come from the scanner (walk errors, skipped fifos,
 * a scan call that failed). message is copied. OK or ENOMEM. */
piiscan_status ps_batch_add_warning(struct ps_batch *b, const char *lpath, int status,
                                    bool is_partial, const char *message);
/* Counts something the walk deliberately left out (not a warning). */
void ps_batch_count_walk_skip(struct ps_batch *b);
/* Sorts findings into report order and assigns severity and record ids. Call once,
 * after the last event. OK or ENOMEM. */
piiscan_status ps_batch_finish(struct ps_batch *b);

uint64_t ps_batch_seq(const struct ps_batch *b);
const char *ps_batch_path(const struct ps_batch *b); /* NULL: walk-only batch */
const struct ps_counts *ps_batch_counts(const struct ps_batch *b);
const struct ps_rfinding *ps_batch_findings(const struct ps_batch *b, size_t *n);
const struct ps_rwarning *ps_batch_warnings(const struct ps_batch *b, size_t *n);

/* The severity class of a finding on its own (DESIGN.md severity model): an
 * identifier is high, dob or salary medium, contact data low. */
enum ps_severity ps_store_lone_severity(piiscan_category cat);

/* Assigns severity, record_id and is_known to the (sorted) findings of b: from
 * the attached collector (the record's severity, "<path tag>:<record>"); without
 * one, severity = ps_store_lone_severity and record_id = the line ("" for 0). */
piiscan_status ps_store_assign_records(struct ps_batch *b, struct ps_rfinding *f, size_t n);

/* Lowers the number of findings kept (default PS_STORE_MAX_KEPT); for tests. */
void ps_batch_set_max_kept(struct ps_batch *b, size_t max);

/* Copies n bytes of s (plus a NUL) into the batch's storage, freed with the batch.
 * NULL on ENOMEM. For stages that annotate findings (record ids). */
const char *ps_batch_strdup(struct ps_batch *b, const char *s, size_t n);

/* Run totals: sum of batch counters. */
void ps_store_totals_add(struct ps_counts *total, const struct ps_counts *add);

#endif
