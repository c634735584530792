/* extract/markup.h - HTML and XML documents as prose and records.
 *
 * The tag-soup parsing is libxml2's (HTML) or expat's (XML); both drive the same
 * markup core through start / end / text events:
 *   - text outside tables becomes prose, one record per block (a paragraph, a
 *     list item, a heading; <br> and block ends break blocks); <script> and
 *     <style> content is dropped;
 *   - HTML tables become rows: a row of <th> cells (or a first row with no digits
 *     in a table without <th>) names the columns of the rows after it;
 *   - XML elements whose children are leaves become records whose cells are
 *     named by the leaf elements: <employee><name>..</name><ssn>..</ssn></employee>
 *     is one record with the headers name and ssn; attributes are kept as
 *     `name: value` prose so that keywords still give context.
 */
#ifndef PS_EXTRACT_MARKUP_H
#define PS_EXTRACT_MARKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/recsink.h"
#include "extract/registry.h"

struct ps_markup;

piiscan_status ps_markup_new(const struct ps_recsink *sink, bool is_html, struct ps_markup **out);
void ps_markup_free(struct ps_markup *m);
/* attrs: NULL-terminated name, value pairs (may be NULL). */
piiscan_status ps_markup_start(struct ps_markup *m, const char *name, const char *const *attrs,
                               uint64_t line);
piiscan_status ps_markup_end(struct ps_markup *m, const char *name);
piiscan_status ps_markup_text(struct ps_markup *m, const char *s, size_t len, uint64_t line);
/* End of document: flushes pending prose and records. */
piiscan_status ps_markup_finish(struct ps_markup *m);

/* Parse a whole buffer (tests) or feed the pipeline (extractors). */
piiscan_status ps_html_parse(const char *buf, size_t len, const struct ps_recsink *sink);
piiscan_status ps_xml_parse(const char *buf, size_t len, const struct ps_recsink *sink);

extern const struct ps_extractor ps_html_extractor;
extern const struct ps_extractor ps_xml_extractor;

#endif
