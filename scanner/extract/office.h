/* extract/office.h - what the office parsers (xlsx, xls, docx, pptx, odf) hand out.
 *
 * Each parser is a pure function of a buffer in memory: it knows nothing of the
 * scanner and reports through a ps_office_sink, so it can be tested alone. The
 * thin adapters in office_extract.c turn the sink calls into pipeline calls:
 *   row()   one table row (spreadsheet row, document table row) -> a ROW unit
 *           under lpath "<file>!<part>[!<sub>]", line = record = row number;
 *   text()  one paragraph of a document or slide -> ps_emit_text() under
 *           "<file>[!<part>]", line = record = paragraph number;
 *   warn()  a damaged or bounded part -> ps_warn(); the parser carries on with
 *           what it can still read.
 * A callback that returns anything but OK stops the parser, which returns that
 * status unchanged (EABORTED when the scan was cancelled, ENOMEM).
 *
 * ps_sheet is the row builder shared by every format: cells arrive with their
 * column index, the header row is recognised, and complete rows go to the sink.
 * Header rule: in spreadsheets the header is the first non-empty row when all of
 * its cells are text (a first row holding numbers or dates means "no header");
 * in document tables it is the first row. The header row itself is also handed
 * out (without header names) so nothing in it escapes the scan.
 *
 * All pointers given to the sink are borrowed for the duration of the call.
 */
#ifndef PS_EXTRACT_OFFICE_H
#define PS_EXTRACT_OFFICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/scan.h"
#include "piiscan/status.h"

/* Ceilings of the office formats, beyond those in util/limits.h. */
#define PS_OFFICE_MAX_STRINGS 4000000ULL          /* shared strings of one workbook */
#define PS_OFFICE_MAX_STRING_BYTES (256ULL << 20) /* their total bytes */
#define PS_OFFICE_MAX_PARTS 4096u                 /* sheets, slides, tables per file */
#define PS_OFFICE_MAX_PARA_BYTES (1024u * 1024u)  /* paragraph handed on in pieces past this */
#define PS_OFFICE_MAX_REPEAT 1000u                /* ODF repeated rows/cells with content */
#define PS_OFFICE_MAX_COLUMNS 16384u              /* columns A..XFD, as Excel and Calc */
#define PS_OFFICE_MAX_STYLES 65536u               /* cell formats of a workbook */

struct ps_office_limits {
    uint64_t max_part_bytes;   /* decompressed bytes of one zip part */
    uint64_t max_entries;      /* zip entries listed */
    uint64_t max_strings;      /* shared strings (xlsx) */
    uint64_t max_string_bytes; /* bytes of all shared strings */
    uint64_t max_rows;         /* rows per table */
    size_t max_cells;          /* non-empty cells per row */
    size_t max_cell_bytes;     /* bytes per cell (longer cells are cut, with a warning) */
    size_t max_para_bytes;     /* paragraph bytes before a piece is handed on */
    unsigned max_nesting;      /* XML element depth */
    unsigned max_parts;        /* sheets, slides, tables */
    unsigned max_repeat;       /* ODF number-rows/columns-repeated with content */
};

/* Defaults from util/limits.h and the constants above; opt (may be NULL) supplies
 * max_entries and max_buffer_bytes (as max_part_bytes). */
void ps_office_limits_init(struct ps_office_limits *lim, const piiscan_options *opt);

struct ps_office_row {
    const char *part;         /* sheet name, "table2", "slide3" */
    const char *sub;          /* NULL, or a table inside part ("table1" in "slide3") */
    uint64_t rownum;          /* 1-based row number (the sheet's own numbering) */
    size_t ncells;            /* non-empty cells only, in document order */
    const char *const *cells; /* UTF-8, NUL-terminated */
    const size_t *lens;
    const char *const *headers; /* NULL when no header applies; else one per cell
                                   (an entry is NULL when its column has no header) */
    const char *const *refs;    /* "B2"-style cell references (spreadsheets); or NULL */
};

struct ps_office_para {
    const char *part; /* NULL = the document body; "slide3", "footer1", ... */
    uint64_t number;  /* 1-based paragraph number within part */
    const char *text; /* UTF-8, NUL-terminated; a very long paragraph comes in
                         pieces of at most max_para_bytes with the same number */
    size_t len;
};

struct ps_office_sink {
    piiscan_status (*row)(void *ctx, const struct ps_office_row *row);
    piiscan_status (*text)(void *ctx, const struct ps_office_para *para);
    /* part as in text() (NULL = the file); msg is a complete sentence without the path. */
    piiscan_status (*warn)(void *ctx, const char *part, piiscan_status st, const char *msg);
    void *ctx;
    /* Optional (NULL = not read): an embedded file (word/embeddings/Book1.xlsx, an
     * OLE object), name = its package path, bytes borrowed for the call. */
    piiscan_status (*embedded)(void *ctx, const char *name, const char *buf, size_t len);
};

/* Calls sink->warn with a printf-style message (cut at 512 bytes). */
piiscan_status ps_office_warn(const struct ps_office_sink *sink, const char *part,
                              piiscan_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- row builder ---- */

enum ps_header_mode {
    PS_HEADER_TEXT_ROW = 0,  /* spreadsheets: first non-empty row, if it is all text */
    PS_HEADER_FIRST_ROW = 1, /* document tables: first non-empty row */
};

struct ps_sheet;

/* A builder delivering rows to sink. with_refs: hand out "B2" references. */
piiscan_status ps_sheet_new(const struct ps_office_limits *lim, const struct ps_office_sink *sink,
                            enum ps_header_mode mode, bool with_refs, struct ps_sheet **out);
void ps_sheet_free(struct ps_sheet *sh);

/* Starts a new table: forgets the header; part and sub are copied. */
piiscan_status ps_sheet_begin(struct ps_sheet *sh, const char *part, const char *sub);

/* Adds a cell of the current row at column col (0-based). Empty cells are ignored.
 * is_text: the cell holds text (not a number, date or boolean), for the header rule.
 * Past max_cells, PS_OFFICE_MAX_COLUMNS or max_cell_bytes the cell is dropped or cut
 * and one warning per table says so. Returns OK, or the sink's status. */
piiscan_status ps_sheet_cell(struct ps_sheet *sh, uint64_t col, const char *text, size_t len,
                             bool is_text);

/* Ends the current row: hands it out `repeat` times (rows rownum, rownum+1, ...)
 * unless it is empty, then clears it. Returns OK or the sink's status. */
piiscan_status ps_sheet_end_row(struct ps_sheet *sh, uint64_t rownum, uint64_t repeat);

/* Rows handed out since ps_sheet_begin (header row included). */
uint64_t ps_sheet_rows(const struct ps_sheet *sh);
/* Non-empty cells in the row being built. */
size_t ps_sheet_row_cells(const struct ps_sheet *sh);
/* Changes the header rule and references for the tables that follow. */
void ps_sheet_set_mode(struct ps_sheet *sh, enum ps_header_mode mode, bool with_refs);

/* ---- small helpers shared by the parsers ---- */

/* "B2" from a 0-based column and 1-based row; buf of at least 32 bytes. */
void ps_cell_ref(uint64_t col, uint64_t row, char *buf, size_t size);

/* Parses "AB12" (or "AB" / "$AB$12"): *col 0-based, *row 1-based (0 when absent).
 * Returns false when it is not a cell reference. */
bool ps_cell_ref_parse(const char *ref, uint64_t *col, uint64_t *row);

/* Excel serial day number -> "YYYY-MM-DD" (with_time: "YYYY-MM-DD HH:MM:SS" when the
 * serial has a fraction). date1904 selects the Mac epoch; the 1900 system keeps
 * Lotus' fictional 1900-02-29 (serial 60). Returns false (buf untouched) for a
 * serial outside 1900-01-01 .. 9999-12-31. buf of at least 32 bytes. */
bool ps_excel_date(double serial, bool date1904, bool with_time, char *buf, size_t size);

/* ---- text buffers ---- */

/* A growable string keeping at most max bytes (the rest is dropped and cut set);
 * p is NUL-terminated once anything was added. */
struct ps_text {
    char *p;
    size_t len;
    size_t cap;
    size_t max;
    bool cut;
};

void ps_text_init(struct ps_text *t, size_t max);
/* ENOMEM, else OK (bytes past max are dropped and t->cut set). */
piiscan_status ps_text_add(struct ps_text *t, const char *s, size_t n);
void ps_text_clear(struct ps_text *t); /* empties, keeps the memory */
void ps_text_free(struct ps_text *t);

/* A paragraph being collected for sink->text. Text past max_para_bytes is handed
 * on in pieces (cut at a UTF-8 boundary) carrying the same paragraph number. */
struct ps_para {
    struct ps_text t;
    const struct ps_office_sink *sink;
    size_t max;
};

void ps_para_init(struct ps_para *pa, const struct ps_office_sink *sink, size_t max);
piiscan_status ps_para_add(struct ps_para *pa, const char *part, uint64_t number, const char *s,
                           size_t n);
/* Hands out what is left (unless it is only white space) and empties the buffer. */
piiscan_status ps_para_end(struct ps_para *pa, const char *part, uint64_t number);
void ps_para_free(struct ps_para *pa);

/* Length of the longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
size_t ps_utf8_boundary(const char *s, size_t n);

/* ---- document builder (docx, pptx, odf) ----
 *
 * Paragraphs and tables of a document part, in reading order. Paragraphs outside
 * tables go to sink->text, numbered from 1 in each part (empty ones count, so the
 * numbers stay positions). The outermost table of a nest becomes rows (via
 * ps_sheet) under "<part>!<name>" (or just "<name>" in the body), named by the
 * format ("Severance") or "table<N>"; a paragraph inside a cell adds a line to
 * the cell, and a table nested in a cell adds its text (cells tab-separated, rows
 * on lines). A paragraph nested in a paragraph (text box, note) joins it on a
 * new line. Text arriving outside any paragraph or cell is ignored.
 */
struct ps_doc;

/* mode/with_refs apply to every table (spreadsheets: TEXT_ROW + refs). */
piiscan_status ps_doc_new(const struct ps_office_limits *lim, const struct ps_office_sink *sink,
                          enum ps_header_mode mode, bool with_refs, struct ps_doc **out);
void ps_doc_free(struct ps_doc *d);

/* Starts a part (NULL = the document body): paragraph and table numbers restart. */
piiscan_status ps_doc_begin_part(struct ps_doc *d, const char *part);
/* Flushes an open paragraph / row / table (a part cut by damage) and ends the part. */
piiscan_status ps_doc_end_part(struct ps_doc *d);

piiscan_status ps_doc_para_start(struct ps_doc *d);
piiscan_status ps_doc_para_end(struct ps_doc *d);
piiscan_status ps_doc_text(struct ps_doc *d, const char *s, size_t n);

/* name: NULL = "table<N>". */
piiscan_status ps_doc_table_start(struct ps_doc *d, const char *name);
piiscan_status ps_doc_table_end(struct ps_doc *d);
piiscan_status ps_doc_row_start(struct ps_doc *d);
/* repeat: ODF number-rows-repeated (the row is handed out that many times). */
piiscan_status ps_doc_row_end(struct ps_doc *d, uint64_t repeat);
piiscan_status ps_doc_cell_start(struct ps_doc *d);
/* Replaces the text collected for the current cell (ODF date cells: the ISO value). */
piiscan_status ps_doc_cell_set(struct ps_doc *d, const char *s, size_t n);
/* Same, only when the cell collected no text (a number cell showing nothing). */
piiscan_status ps_doc_cell_set_if_empty(struct ps_doc *d, const char *s, size_t n);
/* Ends the cell: its text goes to `repeat` columns (ODF number-columns-repeated,
 * bounded by max_repeat when not empty), then the column moves on by `span`
 * (docx gridSpan) more. is_text as in ps_sheet_cell. */
piiscan_status ps_doc_cell_end(struct ps_doc *d, uint64_t repeat, uint64_t span, bool is_text);

/* Paragraphs and table rows handed out since the last ps_doc_reset_counts. */
uint64_t ps_doc_paras(const struct ps_doc *d);
uint64_t ps_doc_rows(const struct ps_doc *d);
void ps_doc_reset_counts(struct ps_doc *d);
/* Header rule and references for the tables that follow (ODF: set once the body
 * says it is a spreadsheet). */
void ps_doc_set_table_mode(struct ps_doc *d, enum ps_header_mode mode, bool with_refs);

#endif
