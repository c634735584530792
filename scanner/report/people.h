/* report/people.h - people.csv and files.csv as rows of cells.
 *
 * The writers produce the cells of each row (raw UTF-8 from the dump where it
 * applies) and hand them to a row function; the CSV layer (report/csv.c)
 * cleans control characters, neutralises formulas and quotes them. Keeping the
 * two apart lets tests read the cells directly and keeps one CSV encoder.
 *
 * people.csv (DESIGN.md "People CSV"): person_id, name (masked unless reveal:
 * "A** P*****"), elements (";"-separated, sorted), records, files, severity,
 * notification (yes/no). With a baseline only people not in it are written.
 *
 * files.csv: path, type (MIME), format, bytes, findings, one column per
 * category (ssn ... address, in category order), records, people, severity,
 * warnings, coverage (full/partial/unread/skipped), reason.
 */
#ifndef PS_REPORT_PEOPLE_H
#define PS_REPORT_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/impact.h"
#include "record/people.h"
#include "report/baseline.h"

/* Receives one row (cells borrowed for the call). Returns OK or a fatal status. */
typedef piiscan_status (*ps_row_fn)(void *ctx, const char *const *cells, size_t n);

#define PS_PEOPLE_NCOLS 7u
#define PS_FILES_NCOLS (11u + (size_t)PIISCAN_CAT_COUNT)

/* Header row, then one row per person in people order (severity, records, id).
 * bl (may be NULL): skip people the baseline already had. *written (may be
 * NULL) gets the number of people rows. Returns the row function's failure. */
piiscan_status ps_people_csv(const struct ps_people *pp, bool reveal, const struct ps_baseline *bl,
                             ps_row_fn row, void *ctx, uint64_t *written);

/* Header row, then one row per file or member in report order. */
piiscan_status ps_files_csv(const struct ps_impact *imp, ps_row_fn row, void *ctx);

#endif
