/* record/collect.h - the record stage's share of one top-level file's events.
 *
 * A worker thread scans a top-level file and hands every event to its batch
 * (report/store.h); the batch passes them on to a ps_collect, which groups the
 * findings into records per logical path (one ps_recset each), computes each
 * finding's keyed fingerprint (for the baseline), and keeps a copy of every file
 * and member description. All of this is per file and needs only immutable
 * shared state (the model, the key), so it runs on the worker, in parallel
 * (streaming, ps_collect_set_stream, is the exception: report order serialises it).
 * On the report thread the finished collector is folded into the run's
 * ps_impact (ps_impact_add_collect) in walk order.
 *
 * Findings are numbered in arrival order (0, 1, 2, ...), the same numbering as
 * ps_rfinding.order in a batch, so a report can ask for a finding's fingerprint.
 */
#ifndef PS_RECORD_COLLECT_H
#define PS_RECORD_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "record/idkey.h"
#include "record/impact.h"
#include "record/records.h"
#include "record/severity.h"

struct ps_collect;

/* Tells whether a fingerprint was in the baseline (read-only; any thread). */
typedef bool (*ps_known_fn)(const void *ctx, uint64_t fingerprint);

/* model is borrowed; key (borrowed, may be NULL) enables fingerprints; known
 * (may be NULL) marks findings the baseline already had. ENOMEM. */
piiscan_status ps_collect_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                              ps_known_fn known, const void *known_ctx, struct ps_collect **out);
void ps_collect_free(struct ps_collect *c);

/* Per-finding mode (the default) keeps, per finding, its fingerprint, record
 * and baseline mark for ps_collect_fingerprint/_severity/_is_known. Off, only
 * the count and the records are kept (the text summary needs nothing more):
 * fingerprints read 0, severities NONE, and ps_impact_add_collect adds no
 * fingerprints. A baseline always keeps it on. Call before the first event. */
void ps_collect_set_per_finding(struct ps_collect *c, bool on);

/* Tells whether the collector's file is next in report order: every earlier
 * file is in the impact and none is being added (called on the worker). */
typedef bool (*ps_stream_ok_fn)(void *ctx);

/* Streaming, for a long file: with per-finding mode off, once the set of the
 * file's only lpath so far holds min_records records and ok(ctx) says the file
 * is next in line, the complete records (keys that only grow: text, tables,
 * SQL, mail) go to imp's people store (ps_impact_release_records) and are
 * freed; again every min_records. File figures and people come out the same
 * as without streaming. imp is borrowed; the caller guarantees that while ok()
 * is true nothing else uses imp. Call before the first event. */
void ps_collect_set_stream(struct ps_collect *c, struct ps_impact *imp, size_t min_records,
                           ps_stream_ok_fn ok, void *ctx);

/* Fingerprints use paths relative to these scan roots (ps_impact_relative_path);
 * roots are borrowed and must outlive the collector. */
void ps_collect_set_roots(struct ps_collect *c, const char *const *roots, size_t n);

/* One scan event (borrowed). FINDING: into the recset of its lpath; FILE_BEGIN:
 * a file row (in begin order); FILE_END: its bytes and final description.
 * Warnings are ignored (the batch keeps them). ENOMEM, ELIMIT. */
piiscan_status ps_collect_event(struct ps_collect *c, const piiscan_event *ev);
/* Evaluates severities of every recset. Call once, after the last event. */
void ps_collect_finish(struct ps_collect *c);

/* The recset holding the findings of lpath, or NULL. */
const struct ps_recset *ps_collect_recset_of(const struct ps_collect *c, const char *lpath);
/* Severity and report id of a finding's record (after finish). Returns false
 * when its lpath had no recset (the finding was not given to this collector). */
bool ps_collect_record(const struct ps_collect *c, const char *lpath, uint64_t record,
                       uint64_t line, uint64_t offset, enum ps_severity *sev, char *id,
                       size_t idlen);
/* Findings seen, and the fingerprint of finding number i (0 without a key). */
uint64_t ps_collect_findings(const struct ps_collect *c);
uint64_t ps_collect_fingerprint(const struct ps_collect *c, uint64_t i);
/* Record severity of finding number i (after finish); NONE when out of range. */
enum ps_severity ps_collect_severity(const struct ps_collect *c, uint64_t i);
/* True when finding number i was in the baseline (after finish). */
bool ps_collect_is_known(const struct ps_collect *c, uint64_t i);
/* Findings not in the baseline, per record severity, added to at[] (after finish). */
void ps_collect_count_new(const struct ps_collect *c, uint64_t at[PS_SEV_COUNT]);

/* Folds a finished collector into the run (report thread, walk order): file
 * rows, then records and people, then fingerprints. ENOMEM. */
piiscan_status ps_impact_add_collect(struct ps_impact *imp, const struct ps_collect *c);

#endif
