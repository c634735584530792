/* extract/office_extract.h - the office extractors for the registry.
 *
 * Bid 80 on: xlsx/xlsm/xltx (spreadsheetml and macro-enabled MIME types, or a zip
 * with a member under xl/), xls (application/vnd.ms-excel, or OLE2 with a Workbook
 * / Book stream; 40 on other OLE2 files libmagic cannot name), docx/docm (wordprocessingml, or a
 * member under word/), pptx/pptm (presentationml, or a member under ppt/), odt/ods/odp (the
 * OpenDocument MIME types, or their "mimetype" member). 80 beats the generic archive's 50.
 */
#ifndef PS_EXTRACT_OFFICE_EXTRACT_H
#define PS_EXTRACT_OFFICE_EXTRACT_H

#include "extract/registry.h"

extern const struct ps_extractor ps_xlsx_extractor;
extern const struct ps_extractor ps_xls_extractor;
extern const struct ps_extractor ps_docx_extractor;
extern const struct ps_extractor ps_pptx_extractor;
extern const struct ps_extractor ps_odt_extractor;
extern const struct ps_extractor ps_ods_extractor;
extern const struct ps_extractor ps_odp_extractor;

#endif
