/* extract/docx.h - Word 2007+ documents (.docx, .docm, .dotx): text in reading order.
 *
 * ps_docx_parse reads the main document part, then the headers, footers,
 * footnotes, endnotes and comments it references (in relationship order).
 * Paragraphs go to sink->text (part NULL for the body, else "header1",
 * "footer1", "footnotes", "comments", ...; numbered from 1 in each part); tables
 * go to sink->row, first row as header, under "table<N>" ("footer1" +
 * "table<N>" in other parts). Run text (w:t), deleted text kept by tracked
 * changes (w:delText: still in the file, so still leaked), tabs, breaks and
 * non-breaking hyphens are kept; field codes and the VML fallback copy of text
 * boxes (mc:Fallback) are not.
 * Problems are warnings; returns OK, ENOMEM or a sink callback's status.
 */
#ifndef PS_EXTRACT_DOCX_H
#define PS_EXTRACT_DOCX_H

#include <stddef.h>

#include "extract/office.h"

piiscan_status ps_docx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink);

#endif
