/* extract/office.c - the row builder and helpers shared by the office parsers.
 *
 * ps_sheet collects the cells of one row (text copied into a row buffer, each
 * with its 0-based column), decides which row is the header, and hands complete
 * rows to the sink with a header name per cell, looked up by column. Memory is
 * bounded by max_cells x max_cell_bytes per row plus one header row; the column
 * index is bounded by PS_OFFICE_MAX_COLUMNS.
 *
 * Header decision (spreadsheets, PS_HEADER_TEXT_ROW): the first non-empty row
 * with two or more cells decides - all text means it is the header, anything
 * else means the sheet has none. Single-cell rows before it are title rows
 * ("Employee census 2014"), except that when the first two non-empty rows both
 * hold one cell in the same column the sheet is a single-column list and the
 * first of them is its header. After 8 undecided rows the sheet has no header.
 * Document tables (PS_HEADER_FIRST_ROW) take their first non-empty row.
 *
 * Excel dates: serial day numbers counted from 1899-12-31 (serial 1 =
 * 1900-01-01) with Lotus 1-2-3's fictional 1900-02-29 at serial 60, or from
 * 1904-01-01 (serial 0) in the Mac system; converted with the days-from-civil
 * inverse of H. Hinnant's algorithm on the proleptic Gregorian calendar.
 */
#include "extract/office.h"

#include <math.h> /* isfinite (a macro) */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/recsink.h" /* ps_utf8_scrub */
#include "util/limits.h"

#define UNDECIDED_ROWS_MAX 8u
#define NO_HEADER SIZE_MAX

void ps_office_limits_init(struct ps_office_limits *lim, const piiscan_options *opt)
{
    lim->max_part_bytes = PS_DEFAULT_MAX_BUFFER_BYTES;
    lim->max_entries = PS_DEFAULT_MAX_ENTRIES;
    lim->max_strings = PS_OFFICE_MAX_STRINGS;
    lim->max_string_bytes = PS_OFFICE_MAX_STRING_BYTES;
    lim->max_rows = PS_MAX_ROWS;
    lim->max_cells = PS_MAX_CELLS;
    lim->max_cell_bytes = PS_MAX_CELL_BYTES;
    lim->max_para_bytes = PS_OFFICE_MAX_PARA_BYTES;
    lim->max_nesting = PS_MAX_NESTING;
    lim->max_parts = PS_OFFICE_MAX_PARTS;
    lim->max_repeat = PS_OFFICE_MAX_REPEAT;
    if (opt != NULL) {
        if (opt->max_entries > 0)
            lim->max_entries = opt->max_entries;
        if (opt->max_buffer_bytes > 0)
            lim->max_part_bytes = opt->max_buffer_bytes;
    }
}

piiscan_status ps_office_warn(const struct ps_office_sink *sink, const char *part,
                              piiscan_status st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (sink->warn == NULL)
        return PIISCAN_OK;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sink->warn(sink->ctx, part, st, msg);
}

/* ---- row builder ---- */

struct cell {
    uint64_t col;
    size_t off; /* into row.data */
    size_t len;
    bool is_text;
};

/* A growable byte buffer; growth is bounded by the callers' checks. */
struct bytes {
    char *p;
    size_t len;
    size_t cap;
};

enum header_state { HDR_UNDECIDED = 0, HDR_CANDIDATE, HDR_DECIDED };

struct ps_sheet {
    const struct ps_office_limits *lim;
    const struct ps_office_sink *sink;
    enum ps_header_mode mode;
    bool with_refs;
    char *part;
    char *sub;

    struct cell *cells; /* current row, up to lim->max_cells */
    size_t ncells;
    struct bytes data; /* NUL-terminated cell texts of the current row */

    enum header_state hstate;
    unsigned undecided_rows;
    struct bytes hdata; /* header texts */
    size_t *hoff;       /* column -> offset in hdata, NO_HEADER when none */
    size_t hcols;
    uint64_t cand_col; /* HDR_CANDIDATE: the single cell's column */

    /* output arrays, sized max_cells */
    const char **out_cells;
    size_t *out_lens;
    const char **out_headers;
    const char **out_refs;
    char (*refbuf)[32];

    uint64_t rows;
    bool warned_cells, warned_cols, warned_bytes;
};

static piiscan_status bytes_add(struct bytes *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->p, cap);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len++] = '\0';
    return PIISCAN_OK;
}

piiscan_status ps_sheet_new(const struct ps_office_limits *lim, const struct ps_office_sink *sink,
                            enum ps_header_mode mode, bool with_refs, struct ps_sheet **out)
{
    struct ps_sheet *sh = calloc(1, sizeof *sh);
    size_t n = lim->max_cells > 0 ? lim->max_cells : 1;

    *out = NULL;
    if (sh == NULL)
        return PIISCAN_ENOMEM;
    sh->lim = lim;
    sh->sink = sink;
    sh->mode = mode;
    sh->with_refs = with_refs;
    sh->cells = calloc(n, sizeof *sh->cells);
    sh->out_cells = calloc(n, sizeof *sh->out_cells);
    sh->out_lens = calloc(n, sizeof *sh->out_lens);
    sh->out_headers = calloc(n, sizeof *sh->out_headers);
    sh->out_refs = calloc(n, sizeof *sh->out_refs);
    sh->refbuf = calloc(n, sizeof *sh->refbuf);
    if (sh->cells == NULL || sh->out_cells == NULL || sh->out_lens == NULL ||
        sh->out_headers == NULL || sh->out_refs == NULL || sh->refbuf == NULL) {
        ps_sheet_free(sh);
        return PIISCAN_ENOMEM;
    }
    *out = sh;
    return PIISCAN_OK;
}

void ps_sheet_free(struct ps_sheet *sh)
{
    if (sh == NULL)
        return;
    free(sh->part);
    free(sh->sub);
    free(sh->cells);
    free(sh->data.p);
    free(sh->hdata.p);
    free(sh->hoff);
    free(sh->out_cells);
    free(sh->out_lens);
    free(sh->out_headers);
    free(sh->out_refs);
    free(sh->refbuf);
    free(sh);
}

static char *dup_or_null(const char *s, piiscan_status *rc)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        *rc = PIISCAN_ENOMEM;
    return d;
}

piiscan_status ps_sheet_begin(struct ps_sheet *sh, const char *part, const char *sub)
{
    piiscan_status rc = PIISCAN_OK;

    free(sh->part);
    free(sh->sub);
    sh->part = dup_or_null(part, &rc);
    sh->sub = dup_or_null(sub, &rc);
    sh->ncells = 0;
    sh->data.len = 0;
    sh->hdata.len = 0;
    sh->hcols = 0;
    sh->hstate = HDR_UNDECIDED;
    sh->undecided_rows = 0;
    sh->rows = 0;
    sh->warned_cells = false;
    sh->warned_cols = false;
    sh->warned_bytes = false;
    return rc;
}

/* The name shown in warnings: "slide3!table1" style when there is a sub-part. */
static piiscan_status sheet_warn(struct ps_sheet *sh, piiscan_status st, const char *what)
{
    if (sh->sub != NULL)
        return ps_office_warn(sh->sink, sh->part, st, "%s: %s", sh->sub, what);
    return ps_office_warn(sh->sink, sh->part, st, "%s", what);
}

piiscan_status ps_sheet_cell(struct ps_sheet *sh, uint64_t col, const char *text, size_t len,
                             bool is_text)
{
    char msg[160];
    struct cell *c;
    piiscan_status rc;

    if (len == 0)
        return PIISCAN_OK;
    if (col >= PS_OFFICE_MAX_COLUMNS) {
        if (sh->warned_cols)
            return PIISCAN_OK;
        sh->warned_cols = true;
        snprintf(msg, sizeof msg, "cells past column %u ignored", PS_OFFICE_MAX_COLUMNS);
        return sheet_warn(sh, PIISCAN_ELIMIT, msg);
    }
    if (sh->ncells >= sh->lim->max_cells) {
        if (sh->warned_cells)
            return PIISCAN_OK;
        sh->warned_cells = true;
        snprintf(msg, sizeof msg, "rows cut at %zu cells", sh->lim->max_cells);
        return sheet_warn(sh, PIISCAN_ELIMIT, msg);
    }
    if (len > sh->lim->max_cell_bytes) {
        len = sh->lim->max_cell_bytes;
        /* never cut a UTF-8 sequence in two */
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
        if (!sh->warned_bytes) {
            sh->warned_bytes = true;
            snprintf(msg, sizeof msg, "cells cut at %zu bytes", sh->lim->max_cell_bytes);
            rc = sheet_warn(sh, PIISCAN_ELIMIT, msg);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
    c = &sh->cells[sh->ncells];
    c->col = col;
    c->off = sh->data.len;
    c->len = len;
    c->is_text = is_text;
    rc = bytes_add(&sh->data, text, len);
    if (rc != PIISCAN_OK)
        return rc;
    /* the engine matches cells without a UTF-8 check: make sure they are valid */
    ps_utf8_scrub(sh->data.p + c->off, len);
    sh->ncells++;
    return PIISCAN_OK;
}

/* Copies the current row into the header (column -> text). */
static piiscan_status take_header(struct ps_sheet *sh)
{
    uint64_t maxcol = 0;
    size_t i;
    piiscan_status rc;

    for (i = 0; i < sh->ncells; i++)
        if (sh->cells[i].col + 1 > maxcol)
            maxcol = sh->cells[i].col + 1;
    free(sh->hoff);
    sh->hoff = malloc((size_t)maxcol * sizeof *sh->hoff);
    if (sh->hoff == NULL)
        return PIISCAN_ENOMEM;
    for (i = 0; i < maxcol; i++)
        sh->hoff[i] = NO_HEADER;
    sh->hcols = (size_t)maxcol;
    sh->hdata.len = 0;
    for (i = 0; i < sh->ncells; i++) {
        const struct cell *c = &sh->cells[i];
        size_t off = sh->hdata.len;
        rc = bytes_add(&sh->hdata, sh->data.p + c->off, c->len);
        if (rc != PIISCAN_OK)
            return rc;
        sh->hoff[c->col] = off;
    }
    return PIISCAN_OK;
}

static bool row_all_text(const struct ps_sheet *sh)
{
    size_t i;

    for (i = 0; i < sh->ncells; i++)
        if (!sh->cells[i].is_text)
            return false;
    return true;
}

/* Decides about the header on a non-empty row. *is_header: this row is it. */
static piiscan_status decide_header(struct ps_sheet *sh, bool *is_header)
{
    bool one = sh->ncells == 1;
    piiscan_status rc = PIISCAN_OK;

    *is_header = false;
    if (sh->hstate == HDR_DECIDED)
        return PIISCAN_OK;
    if (sh->mode == PS_HEADER_FIRST_ROW || (!one && row_all_text(sh))) {
        *is_header = true;
        sh->hstate = HDR_DECIDED;
        return take_header(sh);
    }
    if (!one) {
        sh->hstate = HDR_DECIDED; /* numbers or dates in the first row: no header */
        return PIISCAN_OK;
    }
    if (sh->hstate == HDR_CANDIDATE && sh->undecided_rows == 1 &&
        sh->cells[0].col == sh->cand_col) {
        sh->hstate = HDR_DECIDED; /* a single-column list: the candidate heads it */
        return PIISCAN_OK;
    }
    if (sh->hstate == HDR_UNDECIDED && sh->cells[0].is_text) {
        sh->hstate = HDR_CANDIDATE;
        sh->cand_col = sh->cells[0].col;
        rc = take_header(sh);
    }
    if (++sh->undecided_rows >= UNDECIDED_ROWS_MAX) {
        sh->hstate = HDR_DECIDED;
        sh->hcols = 0;
    }
    return rc;
}

/* A pending candidate that did not become the header must not name columns. */
static bool header_usable(const struct ps_sheet *sh)
{
    return sh->hstate == HDR_DECIDED && sh->hcols > 0;
}

piiscan_status ps_sheet_end_row(struct ps_sheet *sh, uint64_t rownum, uint64_t repeat)
{
    struct ps_office_row row;
    bool is_header = false;
    piiscan_status rc = PIISCAN_OK;
    uint64_t k;
    size_t i;

    if (sh->ncells == 0)
        return PIISCAN_OK;
    if (sh->hstate == HDR_CANDIDATE && sh->ncells > 1)
        sh->hcols = 0; /* a title row, not a header: the next rule decides */
    rc = decide_header(sh, &is_header);
    if (rc != PIISCAN_OK)
        goto out;
    for (i = 0; i < sh->ncells; i++) {
        const struct cell *c = &sh->cells[i];
        sh->out_cells[i] = sh->data.p + c->off;
        sh->out_lens[i] = c->len;
        sh->out_headers[i] = NULL;
        if (!is_header && header_usable(sh) && c->col < sh->hcols && sh->hoff[c->col] != NO_HEADER)
            sh->out_headers[i] = sh->hdata.p + sh->hoff[c->col];
    }
    memset(&row, 0, sizeof row);
    row.part = sh->part;
    row.sub = sh->sub;
    row.ncells = sh->ncells;
    row.cells = sh->out_cells;
    row.lens = sh->out_lens;
    row.headers = (!is_header && header_usable(sh)) ? sh->out_headers : NULL;
    for (k = 0; k < repeat && rc == PIISCAN_OK; k++) {
        if (sh->rows >= sh->lim->max_rows) {
            rc = sheet_warn(sh, PIISCAN_ELIMIT, "rows past the row limit ignored");
            break;
        }
        row.rownum = rownum + k;
        if (sh->with_refs) {
            for (i = 0; i < sh->ncells; i++) {
                ps_cell_ref(sh->cells[i].col, row.rownum, sh->refbuf[i], sizeof sh->refbuf[i]);
                sh->out_refs[i] = sh->refbuf[i];
            }
            row.refs = sh->out_refs;
        }
        sh->rows++;
        if (sh->sink->row != NULL)
            rc = sh->sink->row(sh->sink->ctx, &row);
    }
out:
    sh->ncells = 0;
    sh->data.len = 0;
    return rc;
}

uint64_t ps_sheet_rows(const struct ps_sheet *sh)
{
    return sh->rows;
}

size_t ps_sheet_row_cells(const struct ps_sheet *sh)
{
    return sh->ncells;
}

void ps_sheet_set_mode(struct ps_sheet *sh, enum ps_header_mode mode, bool with_refs)
{
    sh->mode = mode;
    sh->with_refs = with_refs;
}

/* ---- helpers ---- */

void ps_cell_ref(uint64_t col, uint64_t row, char *buf, size_t size)
{
    char letters[16];
    size_t n = 0;
    size_t k;
    uint64_t c = col + 1;

    /* bijective base 26: A..Z, AA..ZZ, AAA.. */
    while (c > 0 && n < sizeof letters) {
        c--;
        letters[n++] = (char)('A' + (c % 26));
        c /= 26;
    }
    if (size == 0)
        return;
    for (k = 0; n > 0 && k + 1 < size; n--)
        buf[k++] = letters[n - 1];
    snprintf(buf + k, size - k, "%llu", (unsigned long long)row);
}

bool ps_cell_ref_parse(const char *ref, uint64_t *col, uint64_t *row)
{
    uint64_t c = 0;
    uint64_t r = 0;
    size_t nl = 0;
    size_t nd = 0;
    const char *p = ref;

    if (*p == '$')
        p++;
    for (; ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) && nl < 4; p++, nl++)
        c = c * 26 + (uint64_t)((*p | 0x20) - 'a' + 1);
    if (nl == 0 || nl > 3)
        return false;
    if (*p == '$')
        p++;
    for (; *p >= '0' && *p <= '9' && nd < 8; p++, nd++)
        r = r * 10 + (uint64_t)(*p - '0');
    if (*p != '\0')
        return false;
    *col = c - 1;
    *row = r;
    return true;
}

/* Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    long long era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

bool ps_excel_date(double serial, bool date1904, bool with_time, char *buf, size_t size)
{
    /* days from 1970-01-01 to each epoch's day 0 */
    const long long epoch1900 = -25569; /* 1899-12-30: serial 61 = 1900-03-01 */
    const long long epoch1904 = -24107; /* 1904-01-01 */
    const double max1900 = 2958465.0;   /* 9999-12-31 */
    const double max1904 = 2957003.0;
    double days, frac;
    long long y, day0;
    unsigned m, d;
    long secs;

    if (!isfinite(serial) || serial < (date1904 ? 0.0 : 1.0) ||
        serial >= (date1904 ? max1904 : max1900) + 1.0)
        return false;
    /* in range now, so the integer conversions below cannot overflow (no libm needed) */
    days = (double)(long long)serial;
    frac = serial - days;
    secs = (long)(frac * 86400.0 + 0.5);
    if (secs >= 86400) {
        days += 1.0;
        secs = 0;
    }
    if (!date1904 && days == 60.0) {
        y = 1900; /* the day that never was, kept as Excel shows it */
        m = 2;
        d = 29;
    } else {
        day0 = date1904 ? epoch1904 : epoch1900;
        if (!date1904 && days < 60.0)
            day0 += 1; /* before the fictional leap day the count is one ahead */
        civil_from_days(day0 + (long long)days, &y, &m, &d);
    }
    if (with_time && secs > 0)
        snprintf(buf, size, "%04lld-%02u-%02u %02ld:%02ld:%02ld", y, m, d, secs / 3600,
                 (secs / 60) % 60, secs % 60);
    else
        snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
    return true;
}

/* ---- text buffers ---- */

void ps_text_init(struct ps_text *t, size_t max)
{
    memset(t, 0, sizeof *t);
    t->max = max;
}

piiscan_status ps_text_add(struct ps_text *t, const char *s, size_t n)
{
    if (n > t->max - t->len) {
        n = t->max - t->len;
        t->cut = true;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        char *p;
        while (cap < t->len + n + 1)
            cap *= 2;
        p = realloc(t->p, cap);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        t->p = p;
        t->cap = cap;
    }
    if (n > 0)
        memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return PIISCAN_OK;
}

void ps_text_clear(struct ps_text *t)
{
    t->len = 0;
    t->cut = false;
    if (t->p != NULL)
        t->p[0] = '\0';
}

void ps_text_free(struct ps_text *t)
{
    free(t->p);
    memset(t, 0, sizeof *t);
}

size_t ps_utf8_boundary(const char *s, size_t n)
{
    size_t i = n;
    size_t back = 0;

    /* step back over continuation bytes to the lead byte of the last sequence */
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i > 0 && (unsigned char)s[i - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (back + 1 < need)
            return i - 1; /* incomplete: stop before its lead byte */
    }
    return n;
}

void ps_para_init(struct ps_para *pa, const struct ps_office_sink *sink, size_t max)
{
    ps_text_init(&pa->t, max > 8 ? max : 8);
    pa->sink = sink;
    pa->max = max > 8 ? max : 8;
}

static bool only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

static piiscan_status para_emit(struct ps_para *pa, const char *part, uint64_t number, size_t n)
{
    struct ps_office_para para;
    piiscan_status rc = PIISCAN_OK;
    char keep;

    if (n > 0 && !only_space(pa->t.p, n) && pa->sink->text != NULL) {
        keep = pa->t.p[n];
        pa->t.p[n] = '\0';
        para.part = part;
        para.number = number;
        para.text = pa->t.p;
        para.len = n;
        rc = pa->sink->text(pa->sink->ctx, &para);
        pa->t.p[n] = keep;
    }
    /* keep the tail (an incomplete UTF-8 sequence) for the next piece */
    memmove(pa->t.p, pa->t.p + n, pa->t.len - n);
    pa->t.len -= n;
    pa->t.p[pa->t.len] = '\0';
    return rc;
}

piiscan_status ps_para_add(struct ps_para *pa, const char *part, uint64_t number, const char *s,
                           size_t n)
{
    piiscan_status rc = PIISCAN_OK;

    while (n > 0 && rc == PIISCAN_OK) {
        size_t room = pa->max - pa->t.len;
        size_t take = n < room ? n : room;
        rc = ps_text_add(&pa->t, s, take);
        s += take;
        n -= take;
        if (rc == PIISCAN_OK && pa->t.len == pa->max) {
            size_t cut = ps_utf8_boundary(pa->t.p, pa->t.len);
            rc = para_emit(pa, part, number, cut > 0 ? cut : pa->t.len);
        }
    }
    return rc;
}

piiscan_status ps_para_end(struct ps_para *pa, const char *part, uint64_t number)
{
    piiscan_status rc = PIISCAN_OK;

    if (pa->t.len > 0)
        rc = para_emit(pa, part, number, pa->t.len);
    ps_text_clear(&pa->t);
    return rc;
}

void ps_para_free(struct ps_para *pa)
{
    ps_text_free(&pa->t);
}
