/* extract/pptx.h - PowerPoint 2007+ presentations (.pptx, .pptm, .ppsx): slide text.
 *
 * ps_pptx_parse reads the slides in presentation order (p:sldIdLst), each as part
 * "slide<N>" (N = position in the show, from 1), followed by its speaker notes as
 * "slide<N>-notes". DrawingML paragraphs (a:p: runs, fields, line breaks) go to
 * sink->text numbered within the slide; tables (a:tbl) go to sink->row with their
 * first row as header, part "slide<N>", sub "table<M>". When the presentation
 * part is missing, the slide parts are read in file-name order.
 * Problems are warnings; returns OK, ENOMEM or a sink callback's status.
 */
#ifndef PS_EXTRACT_PPTX_H
#define PS_EXTRACT_PPTX_H

#include <stddef.h>

#include "extract/office.h"

piiscan_status ps_pptx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink);

#endif
