/* extract/office_doc.c - the document builder: paragraphs and tables of docx,
 * pptx and ODF parts, in reading order, to the office sink.
 *
 * State: a paragraph nesting depth (text boxes and notes nest paragraphs), a
 * table nesting depth (only the outermost table makes rows; deeper ones are
 * flattened into the enclosing cell), the current row/column, and one cell
 * buffer. Text goes to the innermost open container: a cell if a table row is
 * open, else the paragraph. Paragraph text is handed on in pieces past
 * max_para_bytes; cell text is bounded by max_cell_bytes (the row builder warns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/office.h"

struct ps_doc {
    const struct ps_office_limits *lim;
    const struct ps_office_sink *sink;
    struct ps_sheet *sheet;
    char *part;
    bool in_part;

    unsigned para_depth; /* open paragraphs outside tables */
    uint64_t para_no;    /* paragraphs started in this part */
    uint64_t paras_out;
    struct ps_para para;

    unsigned table_depth;
    uint64_t table_no;
    bool in_row; /* a row of the outermost table is open */
    bool in_cell;
    uint64_t rownum;
    uint64_t col;
    unsigned inner_cells; /* cells of a nested table's current row */
    struct ps_text cell;
    char para_sep; /* separator owed before the next paragraph text */
    char cell_sep; /* ... before the next cell text ('\n' or '\t') */
    uint64_t rows_out;
    bool warned_repeat;
};

piiscan_status ps_doc_new(const struct ps_office_limits *lim, const struct ps_office_sink *sink,
                          enum ps_header_mode mode, bool with_refs, struct ps_doc **out)
{
    struct ps_doc *d = calloc(1, sizeof *d);
    piiscan_status rc;

    *out = NULL;
    if (d == NULL)
        return PIISCAN_ENOMEM;
    d->lim = lim;
    d->sink = sink;
    ps_para_init(&d->para, sink, lim->max_para_bytes);
    ps_text_init(&d->cell, lim->max_cell_bytes + 4);
    rc = ps_sheet_new(lim, sink, mode, with_refs, &d->sheet);
    if (rc != PIISCAN_OK) {
        ps_doc_free(d);
        return rc;
    }
    *out = d;
    return PIISCAN_OK;
}

void ps_doc_free(struct ps_doc *d)
{
    if (d == NULL)
        return;
    ps_sheet_free(d->sheet);
    ps_para_free(&d->para);
    ps_text_free(&d->cell);
    free(d->part);
    free(d);
}

piiscan_status ps_doc_begin_part(struct ps_doc *d, const char *part)
{
    free(d->part);
    d->part = NULL;
    if (part != NULL) {
        d->part = strdup(part);
        if (d->part == NULL)
            return PIISCAN_ENOMEM;
    }
    d->in_part = true;
    d->para_depth = 0;
    d->para_no = 0;
    d->table_depth = 0;
    d->table_no = 0;
    d->in_row = false;
    d->in_cell = false;
    ps_text_clear(&d->para.t);
    ps_text_clear(&d->cell);
    return PIISCAN_OK;
}

piiscan_status ps_doc_end_part(struct ps_doc *d)
{
    piiscan_status rc = PIISCAN_OK;

    /* close whatever damage left open, innermost first (nested tables are flat) */
    if (d->table_depth > 1)
        d->table_depth = 1;
    if (d->in_cell)
        rc = ps_doc_cell_end(d, 1, 0, true);
    if (rc == PIISCAN_OK && d->in_row)
        rc = ps_doc_row_end(d, 1);
    if (rc == PIISCAN_OK && d->table_depth > 0)
        rc = ps_doc_table_end(d);
    if (rc == PIISCAN_OK && d->para_depth > 0) {
        d->para_depth = 1;
        rc = ps_doc_para_end(d);
    }
    d->in_part = false;
    return rc;
}

/* Text to the innermost open container, after the separator it is owed (never
 * at the very start: a cell or paragraph does not begin with one). */
static piiscan_status add_text(struct ps_doc *d, const char *s, size_t n)
{
    piiscan_status rc = PIISCAN_OK;

    if (n == 0)
        return PIISCAN_OK;
    if (d->table_depth > 0) {
        if (!d->in_cell)
            return PIISCAN_OK;
        if (d->cell_sep != 0 && d->cell.len > 0)
            rc = ps_text_add(&d->cell, &d->cell_sep, 1);
        d->cell_sep = 0;
        return rc == PIISCAN_OK ? ps_text_add(&d->cell, s, n) : rc;
    }
    if (d->para_depth == 0)
        return PIISCAN_OK;
    if (d->para_sep != 0 && d->para.t.len > 0)
        rc = ps_para_add(&d->para, d->part, d->para_no, &d->para_sep, 1);
    d->para_sep = 0;
    return rc == PIISCAN_OK ? ps_para_add(&d->para, d->part, d->para_no, s, n) : rc;
}

/* Owes a separator; a tab (between cells) outranks a line break. */
static void owe(char *sep, char ch)
{
    if (*sep != '\t')
        *sep = ch;
}

piiscan_status ps_doc_text(struct ps_doc *d, const char *s, size_t n)
{
    return add_text(d, s, n);
}

piiscan_status ps_doc_para_start(struct ps_doc *d)
{
    if (d->table_depth > 0) {
        owe(&d->cell_sep, '\n');
        return PIISCAN_OK;
    }
    if (d->para_depth++ > 0) {
        owe(&d->para_sep, '\n');
        return PIISCAN_OK;
    }
    d->para_no++;
    d->para_sep = 0;
    return PIISCAN_OK;
}

piiscan_status ps_doc_para_end(struct ps_doc *d)
{
    if (d->table_depth > 0) {
        owe(&d->cell_sep, '\n');
        return PIISCAN_OK;
    }
    if (d->para_depth == 0)
        return PIISCAN_OK;
    if (--d->para_depth > 0) {
        owe(&d->para_sep, '\n');
        return PIISCAN_OK;
    }
    d->para_sep = 0;
    if (d->para.t.len > 0)
        d->paras_out++;
    return ps_para_end(&d->para, d->part, d->para_no);
}

piiscan_status ps_doc_table_start(struct ps_doc *d, const char *name)
{
    char label[32];

    if (d->table_depth++ > 0)
        return PIISCAN_OK;
    d->table_no++;
    d->rownum = 0;
    if (name == NULL || *name == '\0') {
        snprintf(label, sizeof label, "table%llu", (unsigned long long)d->table_no);
        name = label;
    }
    /* rows sit under part!name, or under name alone in the document body */
    return d->part != NULL ? ps_sheet_begin(d->sheet, d->part, name)
                           : ps_sheet_begin(d->sheet, name, NULL);
}

piiscan_status ps_doc_table_end(struct ps_doc *d)
{
    if (d->table_depth == 0)
        return PIISCAN_OK;
    if (--d->table_depth == 0) {
        d->rows_out += ps_sheet_rows(d->sheet);
        (void)ps_sheet_begin(d->sheet, NULL, NULL); /* rows counted once; frees nothing */
    }
    return PIISCAN_OK;
}

piiscan_status ps_doc_row_start(struct ps_doc *d)
{
    if (d->table_depth > 1) {
        d->inner_cells = 0;
        d->cell_sep = '\n'; /* a new row of a nested table: a new line, even after a tab */
        return PIISCAN_OK;
    }
    if (d->table_depth == 0)
        return PIISCAN_OK;
    d->in_row = true;
    d->col = 0;
    return PIISCAN_OK;
}

piiscan_status ps_doc_row_end(struct ps_doc *d, uint64_t repeat)
{
    uint64_t first;

    if (d->table_depth != 1 || !d->in_row)
        return PIISCAN_OK;
    d->in_row = false;
    first = d->rownum + 1;
    if (repeat == 0)
        repeat = 1;
    d->rownum += repeat;
    if (ps_sheet_row_cells(d->sheet) == 0)
        return PIISCAN_OK; /* empty (padding) rows only move the row number */
    if (repeat > d->lim->max_repeat) {
        /* an empty row repeated a million times is padding; content is bounded */
        repeat = d->lim->max_repeat;
        if (!d->warned_repeat) {
            d->warned_repeat = true;
            piiscan_status rc =
                ps_office_warn(d->sink, d->part, PIISCAN_ELIMIT, "repeated rows cut at %u copies",
                               d->lim->max_repeat);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
    return ps_sheet_end_row(d->sheet, first, repeat);
}

piiscan_status ps_doc_cell_start(struct ps_doc *d)
{
    if (d->table_depth > 1) {
        if (d->inner_cells++ > 0)
            d->cell_sep = '\t';
        return PIISCAN_OK;
    }
    if (!d->in_row)
        return PIISCAN_OK;
    d->in_cell = true;
    d->cell_sep = 0;
    ps_text_clear(&d->cell);
    return PIISCAN_OK;
}

piiscan_status ps_doc_cell_set(struct ps_doc *d, const char *s, size_t n)
{
    if (d->table_depth != 1 || !d->in_cell)
        return PIISCAN_OK;
    ps_text_clear(&d->cell);
    return ps_text_add(&d->cell, s, n);
}

piiscan_status ps_doc_cell_set_if_empty(struct ps_doc *d, const char *s, size_t n)
{
    if (d->table_depth != 1 || !d->in_cell || d->cell.len > 0)
        return PIISCAN_OK;
    return ps_text_add(&d->cell, s, n);
}

piiscan_status ps_doc_cell_end(struct ps_doc *d, uint64_t repeat, uint64_t span, bool is_text)
{
    piiscan_status rc = PIISCAN_OK;
    uint64_t k;

    if (d->table_depth != 1 || !d->in_cell)
        return PIISCAN_OK;
    d->in_cell = false;
    if (repeat == 0)
        repeat = 1;
    if (d->cell.len == 0) {
        d->col += repeat + (span > 1 ? span - 1 : 0);
        return PIISCAN_OK;
    }
    for (k = 0; k < repeat && k < d->lim->max_repeat && rc == PIISCAN_OK; k++)
        rc = ps_sheet_cell(d->sheet, d->col + k, d->cell.p, d->cell.len, is_text);
    d->col += repeat + (span > 1 ? span - 1 : 0);
    return rc;
}

void ps_doc_reset_counts(struct ps_doc *d)
{
    d->paras_out = 0;
    d->rows_out = 0;
}

void ps_doc_set_table_mode(struct ps_doc *d, enum ps_header_mode mode, bool with_refs)
{
    ps_sheet_set_mode(d->sheet, mode, with_refs);
}

uint64_t ps_doc_paras(const struct ps_doc *d)
{
    return d->paras_out;
}

uint64_t ps_doc_rows(const struct ps_doc *d)
{
    return d->rows_out + (d->table_depth > 0 ? ps_sheet_rows(d->sheet) : 0);
}
