/* extract/xlsx.h - Excel 2007+ workbooks (.xlsx, .xlsm, .xltx): every sheet's rows.
 *
 * ps_xlsx_parse reads a workbook held in memory and hands each non-empty row of
 * every sheet to sink->row (part = sheet name, rownum = the sheet's row number,
 * refs = "B2"-style references, headers from the header row; see office.h).
 * Cell text: shared and inline strings (rich-text runs joined, phonetic runs
 * left out, _xHHHH_ escapes decoded), numbers as written, booleans TRUE/FALSE,
 * formula results, and date-styled numbers as ISO "YYYY-MM-DD" (or
 * "YYYY-MM-DD HH:MM:SS" for date-time formats with a time part) in the
 * workbook's date system (1900, or 1904 with workbookPr date1904).
 *
 * Every problem (not a zip, truncated zip, malformed or cut sheet XML, a bound
 * reached) goes to sink->warn with the reason; rows read before the damage have
 * been handed out. Returns OK, or ENOMEM / the status a sink callback returned.
 */
#ifndef PS_EXTRACT_XLSX_H
#define PS_EXTRACT_XLSX_H

#include <stddef.h>

#include "extract/office.h"

piiscan_status ps_xlsx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink);

enum ps_numfmt_kind {
    PS_NUMFMT_PLAIN = 0,    /* General, numbers, text */
    PS_NUMFMT_DATE = 1,     /* has day / month / year */
    PS_NUMFMT_DATETIME = 2, /* date and time of day */
    PS_NUMFMT_TIME = 3,     /* hours / minutes / seconds only */
};

/* Kind of a custom number format code: d, m, y, h, s tokens of the first section
 * counted outside "quoted text", [brackets] (except elapsed [h] [m] [s]),
 * \escapes and _x / *x spacers; AM/PM and A/P ignored. */
enum ps_numfmt_kind ps_xlsx_format_kind(const char *code);
/* Kind of a built-in number format id (14-22, 27-36, 45-47, 50-58 are dates/times). */
enum ps_numfmt_kind ps_xlsx_builtin_kind(unsigned id);

#endif
