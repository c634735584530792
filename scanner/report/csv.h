/* report/csv.h - the findings CSV (DESIGN.md, "Findings CSV (contract)").
 *
 * RFC 4180: a header row, records ended by CRLF, a cell quoted when it holds a
 * comma, a double quote, CR or LF (quotes doubled). UTF-8 without a byte order
 * mark. Columns: severity, category, rule, confidence, path, line, field, value,
 * context, record. Cells are cleaned of control characters first (a newline in a
 * context becomes a space, in any other cell '?'), so one finding is always one
 * physical line; a cell that a spreadsheet would read as a formula (it starts with
 * = + - @ tab or CR) gets a leading apostrophe.
 */
#ifndef PS_REPORT_CSV_H
#define PS_REPORT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/out.h"
#include "report/store.h"

#define PS_CSV_HEADER "severity,category,rule,confidence,path,line,field,value,context,record"

/* One cell: formula neutralised, then quoted when needed. s is already cleaned.
 * Writes at most cap bytes (NUL included); cap >= 2 * n + 4 is always enough.
 * Returns the length written. */
size_t ps_csv_cell(const char *s, size_t n, char *out, size_t cap);

/* Writes the row of finding all[i] (all = a batch's findings in report order; the
 * neighbours are needed to mask the context). Returns OK, ENOMEM or EIO. */
piiscan_status ps_csv_write_finding(FILE *f, const struct ps_rfinding *all, size_t n, size_t i,
                                    bool reveal);

/* A sink writing the header at begin and one row per finding of each batch. The sink
 * needs batches made with keep_findings. f is borrowed (flushed at end, not closed). */
piiscan_status ps_csv_sink(FILE *f, bool reveal, struct ps_sink *out);

#endif
