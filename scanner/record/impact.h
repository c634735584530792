/* record/impact.h - the breach-impact picture of a whole run.
 *
 * The report side feeds it, in report order, what each top-level file produced:
 * file and member descriptions (FILE_END), warnings, and for every logical path
 * with findings its finished ps_recset. It keeps one row per file or member
 * (files.csv), the people store (people.csv), run totals (summary.json and the
 * text headline) and, when asked, the keyed fingerprint of every distinct
 * finding (so a later run can diff against this one). ps_impact_finish()
 * resolves people and fills the totals. Single-threaded (the report thread).
 *
 * Coverage: a file or member is FULL unless a warning named it (PARTIAL when
 * the warning says part of it was scanned, else UNREAD) or it was SKIPPED
 * (binary without a text format). The first warning is its reason.
 */
#ifndef PS_RECORD_IMPACT_H
#define PS_RECORD_IMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "record/idkey.h"
#include "record/people.h"
#include "record/records.h"
#include "record/severity.h"

enum ps_coverage { PS_COV_FULL = 0, PS_COV_PARTIAL, PS_COV_UNREAD, PS_COV_SKIPPED };

/* "full", "partial", "unread", "skipped". */
const char *ps_coverage_name(enum ps_coverage cov);

struct ps_impact_file {
    uint32_t no;        /* position in report order */
    const char *lpath;  /* owned by the impact */
    const char *mime;   /* "" when unknown */
    const char *format; /* extractor ("text", "archive", "xlsx", ...); "" when unknown */
    uint64_t bytes;
    unsigned depth;
    bool is_container;
    uint64_t findings;
    uint64_t per_cat[PIISCAN_CAT_COUNT];
    uint64_t records; /* records holding findings */
    uint64_t people;  /* distinct people with a record here (after finish) */
    enum ps_severity severity;
    uint64_t warnings;
    enum ps_coverage coverage;
    const char *reason; /* first warning or skip reason; "" when FULL */
};

struct ps_impact_totals {
    uint64_t files;     /* files and members seen (rows of files.csv) */
    uint64_t top_files; /* depth 0 */
    uint64_t bytes;     /* bytes read from top-level files */
    uint64_t findings;
    uint64_t per_cat[PIISCAN_CAT_COUNT];        /* occurrences */
    uint64_t people_per_cat[PIISCAN_CAT_COUNT]; /* distinct people exposed */
    uint64_t records;
    uint64_t records_at[PS_SEV_COUNT];
    uint64_t files_at[PS_SEV_COUNT]; /* files by severity (NONE = no findings) */
    uint64_t people_at[PS_SEV_COUNT];
    uint64_t people;
    uint64_t notify;   /* people meeting notification */
    uint64_t unlinked; /* records not attributed (ambiguous) */
    uint64_t files_with_findings;
    uint64_t not_full; /* files/members not read in full */
    uint64_t warnings;
    enum ps_severity scan; /* highest file severity */
};

struct ps_impact;

/* model and key are borrowed. keep_fingerprints: collect finding fingerprints
 * (8 bytes per distinct finding) for summary.json. ENOMEM. */
piiscan_status ps_impact_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                             bool keep_fingerprints, struct ps_impact **out);
void ps_impact_free(struct ps_impact *imp);

/* A file or member (from its FILE_END; FILE_BEGIN also works). Strings copied. */
piiscan_status ps_impact_file_info(struct ps_impact *imp, const piiscan_file_info *fi);
/* A warning about lpath (a walk error for a path never opened creates its row). */
piiscan_status ps_impact_warning(struct ps_impact *imp, const char *lpath, int status,
                                 bool is_partial, const char *message);
/* The finished records of one logical path (ps_recset_finish done). Each lpath
 * is added once; records released earlier count in the file's figures. */
piiscan_status ps_impact_add_recset(struct ps_impact *imp, const struct ps_recset *rs);
/* Streaming a long file: hands the first n held records of rs (n <=
 * ps_recset_complete) to the people store and frees them from rs (see
 * ps_recset_release). Call in report order, before this file's later records
 * and before ps_impact_add_recset(rs), which then adds the rest and the file's
 * counts (released records included). Only for a set whose findings are not
 * kept per finding. ENOMEM. */
piiscan_status ps_impact_release_records(struct ps_impact *imp, struct ps_recset *rs, size_t n);
/* The keyed fingerprint of a finding: HMAC(category, normalized value, lpath) -
 * no line or offset, so it survives edits elsewhere in the file. Recorded when
 * keep_fingerprints. ENOMEM. */
piiscan_status ps_impact_fingerprint(struct ps_impact *imp, const piiscan_finding *f, uint64_t *fp);
/* The fingerprint of f under key, without recording it (any thread). path (may
 * be NULL = f->lpath) is the path to fingerprint, e.g. lpath relative to its
 * scan root, so that a dump moved elsewhere keeps its fingerprints. */
uint64_t ps_impact_fingerprint_of(const struct ps_idkey *key, const piiscan_finding *f,
                                  const char *path);
/* The part of lpath below the scan root it was found under: "hr/pay.csv!a.csv"
 * for root "dump" (or "dump/"), the file name for a root that is the file itself,
 * else lpath unchanged. Borrowed from lpath. */
const char *ps_impact_relative_path(const char *lpath, const char *const *roots, size_t nroots);
/* Records a fingerprint computed elsewhere (when keep_fingerprints). ENOMEM. */
piiscan_status ps_impact_add_fingerprint(struct ps_impact *imp, uint64_t fp);
/* Resolves people, per-file people counts and totals. Call once. ENOMEM. */
piiscan_status ps_impact_finish(struct ps_impact *imp);

size_t ps_impact_file_count(const struct ps_impact *imp);
const struct ps_impact_file *ps_impact_file_get(const struct ps_impact *imp, size_t i);
const struct ps_impact_totals *ps_impact_totals(const struct ps_impact *imp);
const struct ps_people *ps_impact_people(const struct ps_impact *imp);
/* Sorted, distinct fingerprints (after finish; empty unless keep_fingerprints). */
const uint64_t *ps_impact_fingerprints(const struct ps_impact *imp, size_t *n);
/* Indexes of the n worst files (severity, people, findings, path), n <= max. */
size_t ps_impact_worst_files(const struct ps_impact *imp, size_t *idx, size_t max);
const struct ps_sevmodel *ps_impact_model(const struct ps_impact *imp);
const struct ps_idkey *ps_impact_key(const struct ps_impact *imp);

#endif
