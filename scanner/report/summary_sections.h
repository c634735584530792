/* report/summary_sections.h - pieces of summary.json reused by other writers
 * (the --format json document embeds the summary, ndjson writes people and the
 * summary as lines). Internal to report/.
 */
#ifndef PS_REPORT_SUMMARY_SECTIONS_H
#define PS_REPORT_SUMMARY_SECTIONS_H

#include <jansson.h>

#include "report/json.h"
#include "report/summary.h"

enum {
    PS_SUMMARY_PEOPLE = 1u,      /* the people array */
    PS_SUMMARY_FINGERPRINTS = 2u /* the baseline section */
};

/* Streams the summary object (as member key, or the document when key is NULL
 * at depth 0) with the optional parts. Failures are recorded in js. */
void ps_summary_stream(struct ps_jstream *js, const char *key, const struct ps_impact *imp,
                       const struct ps_summary_meta *meta, const struct ps_summary_diff *diff,
                       unsigned parts);
/* One person of summary.json (no name); type adds a "type" member (ndjson). */
json_t *ps_summary_person(const struct ps_person *p, const char *type);
/* {"critical": n, ...} for counts indexed by severity. */
json_t *ps_summary_by_severity(const uint64_t at[PS_SEV_COUNT]);
/* Categories with occurrences or people, most occurrences first, into order;
 * returns how many. */
size_t ps_summary_elements(const struct ps_impact_totals *t, int order[PIISCAN_CAT_COUNT]);

#endif
