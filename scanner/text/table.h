/* text/table.h - delimited tables (CSV, TSV, ';' and '|' separated) recognised by
 * content and parsed per RFC 4180 into ROW units with their header names.
 *
 * The text extractor decodes a stream to UTF-8, hands the decoded head to
 * ps_table_detect(), and when it says yes passes the UTF-8 stream to
 * ps_table_scan() instead of chunking it as prose.
 */
#ifndef PS_TEXT_TABLE_H
#define PS_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/scanner.h"
#include "pipeline/stream.h"

struct ps_table_dialect {
    char delim;              /* ',', '\t', ';' or '|' */
    bool has_header;         /* first record is a header row */
    unsigned ncols;          /* columns of the header (or first) row */
};

/* Looks at up to len bytes of decoded UTF-8 (the head of a file) and decides whether it
 * is a delimited table: consistent delimiter counts over the first lines (quotes
 * respected), at least 2 columns. Fills *out when it returns true. */
bool ps_table_detect(const char *utf8, size_t len, struct ps_table_dialect *out);

/* Parses the whole UTF-8 stream as a table and calls ps_scan_unit() with one ROW unit
 * per record (line = physical line where the record starts, record = row number).
 * Bounded by PS_MAX_CELLS, PS_MAX_CELL_BYTES, PS_MAX_LINE_BYTES (a warning names the
 * bound). Returns OK, EABORTED, ENOMEM, or the stream's failure. */
piiscan_status ps_table_scan(piiscan_scanner *sc, const char *lpath, struct ps_stream *utf8,
                             const struct ps_table_dialect *dialect);

#endif
