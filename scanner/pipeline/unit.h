/* pipeline/unit.h - the unit: what the engine sees.
 *
 * Every extractor (plain text, tables, spreadsheets, mail, JSON, SQL, ...) turns
 * its input into units; the engine never sees bytes in any other form. A unit is
 * either
 *   - TEXT: a window of UTF-8 text (validated once by text/, so the engine
 *     matches with PCRE2_NO_UTF_CHECK). A long stream is cut into chunks that
 *     overlap: text[0..start) is look-behind (context for keywords and the
 *     "not inside a longer digit run" checks), text[start..limit) is the part
 *     this unit reports, text[limit..len) is look-ahead so that a match that
 *     starts before limit is seen whole. A match is reported by exactly one
 *     chunk: the one whose [start, limit) holds its first byte.
 *   - ROW: one record of a table (CSV row, spreadsheet row, JSON object, SQL
 *     row): cells with the header (column name, JSON key) each sat under.
 *
 * Offsets and lines: base_offset is the offset of text[0] in the stream of
 * lpath; base_line the 1-based line of text[0]. For ROW units, line is the row
 * number (or physical line) and record the record id.
 * All pointers are borrowed for the duration of ps_scan_unit().
 */
#ifndef PS_PIPELINE_UNIT_H
#define PS_PIPELINE_UNIT_H

#include <stddef.h>
#include <stdint.h>

enum ps_unit_kind { PS_UNIT_TEXT = 0, PS_UNIT_ROW = 1 };

struct ps_unit {
    enum ps_unit_kind kind;
    const char *lpath;

    /* PS_UNIT_TEXT */
    const char *text;        /* UTF-8, valid, not necessarily NUL-terminated */
    size_t len;
    size_t start;            /* first byte this unit reports */
    size_t limit;            /* matches starting at or after limit belong to the next chunk */
    uint64_t base_offset;    /* stream offset of text[0] */
    uint64_t base_line;      /* 1-based line number of text[0] */
    uint64_t base_para;      /* paragraph number of text[0] (blank-line separated, 1-based) */

    /* PS_UNIT_ROW */
    size_t ncells;
    const char *const *cells;      /* UTF-8, NUL-terminated */
    const size_t *cell_lens;
    const char *const *headers;    /* same length as cells; NULL (array) when no header row,
                                      or NULL entries for cells without a header */

    /* both */
    uint64_t line;           /* ROW: row/line number; TEXT: 0 (the engine counts lines) */
    uint64_t record;         /* record id; 0 for TEXT = derive from paragraphs */

    /* PS_UNIT_ROW, optional (appended): stream offset of each cell's first byte, same
       length as cells, or NULL. base_offset is then the offset of the record. */
    const uint64_t *cell_offsets;
};

#endif
