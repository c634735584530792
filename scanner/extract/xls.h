/* extract/xls.h - Excel 97-2003 workbooks (.xls, BIFF5/BIFF8 in an OLE2 compound file).
 *
 * ps_xls_parse hands every non-empty row of every sheet to sink->row, like the
 * xlsx parser (part = sheet name, rownum 1-based, "B2" refs, header row rule of
 * office.h). Cells: text as UTF-8, integers and numbers as written ("%.15g"),
 * dates as "YYYY-MM-DD", date-times "YYYY-MM-DD HH:MM:SS", times "HH:MM:SS" (FreeXL
 * recognises date formats itself).
 *
 * FreeXL (1.0.6) opens files by path only. The bytes go into an anonymous
 * memory file (memfd_create) opened as /proc/self/fd/N: RAM, never the disk,
 * which keeps the rule that nothing from a dump is written to disk. Systems
 * without memfd or /proc get an EUNSUPPORTED warning.
 *
 * Problems are warnings through sink->warn (not a workbook, encrypted, too many
 * cells for the buffer cap); returns OK, ENOMEM or a sink callback's status.
 */
#ifndef PS_EXTRACT_XLS_H
#define PS_EXTRACT_XLS_H

#include <stddef.h>

#include "extract/office.h"

piiscan_status ps_xls_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                            const struct ps_office_sink *sink);

#endif
