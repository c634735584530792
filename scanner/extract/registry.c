/* extract/registry.c - the bid table (libarchive's register_format, YARA's module_list).
 *
 * Every extractor bids on what sniff/ found; the highest bid wins, ties go to the
 * earlier line. Adding a format: one file in extract/ and one line here.
 */
#include "extract/registry.h"

#include "extract/archive.h"
#include "extract/json.h"
#include "extract/mail.h"
#include "extract/markup.h"
#include "extract/office_extract.h"
#include "extract/pdf.h"
#include "extract/sql.h"
#include "extract/text.h"

static const struct ps_extractor *const extractors[] = {
    &ps_archive_extractor,
    &ps_xlsx_extractor,
    &ps_xls_extractor,
    &ps_docx_extractor,
    &ps_pptx_extractor,
    &ps_odt_extractor,
    &ps_ods_extractor,
    &ps_odp_extractor,
    &ps_json_extractor,
    &ps_sql_extractor,
    &ps_html_extractor,
    &ps_xml_extractor,
    &ps_pdf_extractor,
    &ps_mail_extractor,
    &ps_text_extractor,
};

const struct ps_extractor *ps_registry_pick(const struct ps_kind *kind, const char *head,
                                            size_t head_len)
{
    const struct ps_extractor *best = NULL;
    int best_bid = 0;

    for (size_t i = 0; i < sizeof(extractors) / sizeof(extractors[0]); i++) {
        int b = extractors[i]->bid(kind, head, head_len);
        if (b > best_bid) {
            best = extractors[i];
            best_bid = b;
        }
    }
    return best;
}
