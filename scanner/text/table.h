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
#include <stdint.h>

#include "pipeline/scanner.h"
#include "pipeline/stream.h"

struct ps_table_dialect {
    char delim;      /* ',', '\t', ';' or '|' */
    bool has_header; /* first record is a header row */
    unsigned ncols;  /* columns of the header (or first) row */
    unsigned preamble; /* (appended) records before the header row - a report title
                          ("Payroll Register - May 2014"): rows without headers; 0 usually */
};

/* Records of a report preamble ps_table_detect() looks past (title, date, blank). */
#define PS_TABLE_MAX_PREAMBLE 3u

/* Looks at up to len bytes of decoded UTF-8 (the head of a file) and decides whether it
 * is a delimited table: consistent delimiter counts over the first lines (quotes
 * respected), at least 2 columns. A table with a header row may follow up to
 * PS_TABLE_MAX_PREAMBLE records of a report preamble (out->preamble). Fills *out when it returns true. Only the first
 * PS_TABLE_DETECT_BYTES and PS_TABLE_DETECT_RECORDS records are looked at. */
#define PS_TABLE_DETECT_BYTES (64u * 1024u)
#define PS_TABLE_DETECT_RECORDS 50u
bool ps_table_detect(const char *utf8, size_t len, struct ps_table_dialect *out);

/* Parses the whole UTF-8 stream as a table and calls ps_scan_unit() with one ROW unit
 * per record (line = physical line where the record starts, record = row number).
 * Bounded by PS_MAX_CELLS, PS_MAX_CELL_BYTES, PS_MAX_LINE_BYTES (a warning names the
 * bound). Returns OK, EABORTED, ENOMEM, or the stream's failure. */
piiscan_status ps_table_scan(piiscan_scanner *sc, const char *lpath, struct ps_stream *utf8,
                             const struct ps_table_dialect *dialect);

/* The parser core, usable without a scanner (unit tests, fuzzing). ps_table_scan() is
 * a thin adapter over it that turns rows into ROW units and warnings into WARNING
 * events.
 *
 * Numbering: record counts every record of the file from 1, the header row included,
 * so it is the row number a spreadsheet shows for the same file; line is the physical
 * line (1-based) where the record starts, which differs once a quoted cell spans
 * lines. Blank lines are skipped and not counted as records. */
struct ps_table_row {
    size_t ncells;
    const char *const *cells; /* UTF-8, NUL-terminated, quotes and "" escapes removed */
    const size_t *cell_lens;
    const char *const *headers; /* ncells entries, NULL past the header row's width;
                                   NULL (array) for the header row and without header;
                                   headers[i] is the same pointer in every row */
    uint64_t line;
    uint64_t record;
    uint64_t offset;              /* stream offset of the record's first byte */
    const uint64_t *cell_offsets; /* per cell: stream offset of its first content byte
                                     (after an opening quote) */
    bool is_header;               /* this is the header row (dialect has_header) */
    bool is_truncated;            /* a bound cut this record; a warning said which */
};

/* Called per record; return OK to go on, anything else (EABORTED) stops the parse and
 * is returned by ps_table_parse(). The row is borrowed for the call. */
typedef piiscan_status (*ps_table_row_fn)(void *ctx, const struct ps_table_row *row);
/* Called when a bound is hit (st = ELIMIT) or the data ends inside a quoted cell
 * (st = ECORRUPT). msg names the line and the bound; the parse goes on. */
typedef piiscan_status (*ps_table_warn_fn)(void *ctx, piiscan_status st, const char *msg);

/* Parses the UTF-8 stream in as a table of the given dialect (RFC 4180: quoted cells,
 * "" escapes, delimiters and newlines inside quotes, CRLF / LF / CR line ends; lenient
 * about stray quotes). Memory is bounded by PS_MAX_LINE_BYTES + PS_MAX_CELLS: a cell over
 * PS_MAX_CELL_BYTES is cut (at a UTF-8 boundary), cells past PS_MAX_CELLS are dropped,
 * a record over PS_MAX_LINE_BYTES is emitted as read so far and the parser resyncs at
 * the next physical line; past PS_MAX_ROWS records the rest is skipped. Each bound
 * warns once, with a count at the end when hit again. Returns OK, ENOMEM, what a
 * callback returned, or the stream's failure (after emitting the records before it). */
piiscan_status ps_table_parse(struct ps_stream *in, const struct ps_table_dialect *dialect,
                              ps_table_row_fn on_row, ps_table_warn_fn on_warn, void *ctx);

#endif
