/* report/baseline.h - diffing a run against an earlier one (--baseline FILE).
 *
 * A baseline is a previous summary.json (or a --format json document, whose
 * "summary" member is one). It holds no PII: person ids and finding
 * fingerprints are keyed hashes (record/idkey.h), and the key id it was made
 * with. Loading refuses a baseline made with another key (ids would never
 * match, and everything would look new). During the run each finding and
 * person is looked up; what is found is marked, so at the end the baseline
 * entries never marked are the ones that disappeared.
 */
#ifndef PS_REPORT_BASELINE_H
#define PS_REPORT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "record/idkey.h"
#include "record/people.h"

#define PS_BASELINE_MAX_BYTES (2ULL * 1024 * 1024 * 1024) /* largest baseline file read */

struct ps_baseline;

/* Loads path. key is the current run's key: the baseline must carry the same key
 * id. Returns EIO (unreadable), EINVAL (not a piiscan summary, or another key;
 * err says which), ENOMEM. *out NULL on failure. */
piiscan_status ps_baseline_load(const char *path, const struct ps_idkey *key,
                                struct ps_baseline **out, char *err, size_t errlen);
void ps_baseline_free(struct ps_baseline *bl);

/* True when the baseline had this finding fingerprint; marks it seen. */
bool ps_baseline_has_finding(struct ps_baseline *bl, uint64_t fp);
/* True when the baseline had this person id; marks it seen. */
bool ps_baseline_has_person(struct ps_baseline *bl, const char *person_id);
/* Read-only lookups that mark nothing (safe from worker threads while the
 * report thread marks: marks live in a separate array). */
bool ps_baseline_knows_person(const struct ps_baseline *bl, const char *person_id);
bool ps_baseline_knows_finding(const struct ps_baseline *bl, uint64_t fp);

size_t ps_baseline_finding_count(const struct ps_baseline *bl);
size_t ps_baseline_person_count(const struct ps_baseline *bl);
/* Entries of the baseline never marked seen: what disappeared since. */
uint64_t ps_baseline_gone_findings(const struct ps_baseline *bl);
uint64_t ps_baseline_gone_people(const struct ps_baseline *bl);
/* Marks every person of a resolved store seen; returns how many were new. */
uint64_t ps_baseline_mark_people(struct ps_baseline *bl, const struct ps_people *pp);

/* The path it was loaded from. Borrowed. */
const char *ps_baseline_path(const struct ps_baseline *bl);

#endif
