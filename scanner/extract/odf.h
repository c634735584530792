/* extract/odf.h - OpenDocument text, spreadsheets and presentations (.odt, .ods,
 * .odp and their templates), as written by LibreOffice, OpenOffice, odfpy.
 *
 * ps_odf_parse reads content.xml, then the page headers and footers kept in
 * styles.xml (part "headers"). Text documents: paragraphs and headings to
 * sink->text (body part NULL) and tables to sink->row under their table:name,
 * first row as header. Spreadsheets: each table:table is a sheet (part = its
 * name, "B2" refs, the header rule of office.h); date cells carry their ISO
 * office:date-value ("1967-04-12", or "1967-04-12 13:45:00"), other cells their
 * displayed text (office:value when the cell shows none); repeated rows and
 * cells (number-rows/columns-repeated) are expanded when they hold something,
 * up to max_repeat copies. Presentations: each draw:page is part "slide<N>".
 * ODF white-space rules apply (runs collapse to one space; text:s, text:tab,
 * text:line-break are literal).
 * Password-protected packages are reported (EENCRYPTED), not parsed.
 * Problems are warnings; returns OK, ENOMEM or a sink callback's status.
 */
#ifndef PS_EXTRACT_ODF_H
#define PS_EXTRACT_ODF_H

#include <stddef.h>

#include "extract/office.h"

piiscan_status ps_odf_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                            const struct ps_office_sink *sink);

#endif
