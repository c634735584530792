/* text/table.c - delimited tables: detect by content, parse per RFC 4180, emit rows.
 *
 * Detection (ps_table_detect) looks at the decoded head of a file only. For each
 * candidate delimiter (',', '\t', ';', '|') a quote-aware pass splits the head into
 * records and counts their fields. A delimiter qualifies when the first record and at
 * least 80% of all records have the same field count k >= 2 over at least two records
 * (a last record cut by the end of the head does not count) and the text does not
 * read as prose: for ',' and ';' at most half the records may have a field that starts
 * with a space after the delimiter (prose writes "Dear Amy, thanks"), most cells must not be
 * sentences, records must not all start with '{', '[' or '<' (JSON lines, markup) and, for tabs,
 * the first cell must not always be empty (indentation). The best delimiter has the most consistent
 * records, then the most columns. The first record is a header when its cells are distinct,
 * non-empty, carry letters and none reads as a number or date, and no column contradicts it (the
 * csv.Sniffer vote: a column whose data cells are all numbers, or all text of one length, differs
 * in kind from its header cell).
 *
 * Parsing (ps_table_parse) is a byte-level state machine over the stream's blocks
 * (FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, SKIP), with runs of ordinary bytes
 * copied in bulk. The current record's cells live NUL-terminated in one buffer that
 * never grows past PS_MAX_LINE_BYTES + PS_MAX_CELLS + 1 bytes; the header row is
 * copied once. Bounds and their handling are documented in table.h; a record cut by
 * PS_MAX_LINE_BYTES resyncs at the next physical line (SKIP), which also stops an
 * unbalanced quote from swallowing the rest of the file.
 *
 * ps_table_scan, the adapter to the pipeline, is the only part that knows scanners:
 * rows become PS_UNIT_ROW units (ps_scan_unit), warnings become ps_warn().
 */
#include "text/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"

/* ---- detection ---------------------------------------------------------------- */

#define DET_CELLS 64u       /* cells per record kept for the header vote */
#define DET_VOTE_RECORDS 20 /* data records the header vote looks at */

struct det_cell {
    size_t start; /* content span in the head, quotes excluded */
    size_t end;
};

struct det_rec {
    unsigned nfields;
    unsigned nkept; /* min(nfields, DET_CELLS) */
    struct det_cell cells[DET_CELLS];
};

struct det_stats {
    unsigned nrec;           /* complete, non-blank records */
    unsigned k;              /* field count of the first record */
    unsigned nk;             /* records with exactly k fields */
    unsigned spaced_records; /* records where a field after a delimiter starts with ' ' */
    unsigned cells;          /* cells looked at */
    unsigned sentences;      /* cells with five or more spaces */
    unsigned markup_starts;  /* records starting with '{', '[' or '<' */
    unsigned empty_first;    /* records whose first cell is empty */
};

/* Splits the head into records for delimiter d, quotes respected. Fills recs (up to
 * PS_TABLE_DETECT_RECORDS) and returns how many complete records there are. */
static unsigned det_split(const char *s, size_t len, char d, struct det_rec *recs)
{
    unsigned n = 0;
    size_t i = 0;

    while (i < len && n < PS_TABLE_DETECT_RECORDS) {
        struct det_rec *r = &recs[n];
        size_t cell_start = i;
        bool quoted = false;
        bool in_quotes = false;
        bool ended = false;

        if (s[i] == '\n' || s[i] == '\r') { /* blank line */
            i++;
            continue;
        }
        r->nfields = 0;
        r->nkept = 0;
        while (i < len && !ended) {
            char c = s[i];
            if (in_quotes) {
                if (c == '"' && i + 1 < len && s[i + 1] == '"')
                    i++;
                else if (c == '"')
                    in_quotes = false;
                i++;
                continue;
            }
            if (i == cell_start && c == '"') {
                quoted = true;
                in_quotes = true;
                i++;
                continue;
            }
            if (c == d || c == '\n' || c == '\r') {
                if (r->nkept < DET_CELLS) {
                    r->cells[r->nkept].start = cell_start + (quoted ? 1 : 0);
                    r->cells[r->nkept].end =
                        i - (quoted && i > cell_start + 1 && s[i - 1] == '"' ? 1 : 0);
                    r->nkept++;
                }
                r->nfields++;
                ended = (c != d);
                cell_start = i + 1;
                quoted = false;
            }
            i++;
        }
        /* A record cut by the end of the head counts only when it is not inside quotes
         * and has as many fields as the first (the head may be the whole file). */
        if (!ended) {
            if (!in_quotes && r->nkept < DET_CELLS) {
                r->cells[r->nkept].start = cell_start + (quoted ? 1 : 0);
                r->cells[r->nkept].end = len;
                r->nkept++;
            }
            r->nfields++;
            if (!in_quotes && n > 0 && r->nfields == recs[0].nfields)
                n++;
            break;
        }
        n++;
    }
    return n;
}

static bool has_letter(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return true;
        if (c >= 0x80)
            return true;
    }
    return false;
}

/* A number, amount, date, phone or id: digits and separators, no letters. */
static bool is_numeric(const char *s, size_t a, size_t b)
{
    bool digit = false;

    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (strchr(" ,.-/$%:()+#*", c) == NULL || c == '\0')
            return false;
    }
    return digit;
}

static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
        (*a)++;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t'))
        (*b)--;
}

static void det_collect(const char *s, const struct det_rec *recs, unsigned n, struct det_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->nrec = n;
    st->k = n ? recs[0].nfields : 0;
    for (unsigned r = 0; r < n; r++) {
        const struct det_rec *rec = &recs[r];
        bool spaced = false;
        st->nk += rec->nfields == st->k;
        for (unsigned c = 0; c < rec->nkept; c++) {
            size_t a = rec->cells[c].start;
            size_t b = rec->cells[c].end;
            unsigned spaces = 0;
            spaced |= (c > 0 && a < b && s[a] == ' ');
            for (size_t i = a; i < b && spaces < 5; i++)
                spaces += (s[i] == ' ');
            st->sentences += (spaces >= 5);
            st->cells++;
        }
        st->spaced_records += spaced;
        if (rec->nkept > 0) {
            size_t a = rec->cells[0].start;
            size_t b = rec->cells[0].end;
            char first = a < b ? s[a] : '\0';
            /* cells[0].start skips an opening quote, so look at the raw byte before. */
            if (a > 0 && s[a - 1] == '"' && (a == 1 || s[a - 2] == '\n' || s[a - 2] == '\r'))
                first = '"';
            st->markup_starts += (first == '{' || first == '[' || first == '<');
            st->empty_first += (a == b);
        }
    }
}

static bool det_is_table(const struct det_stats *st, char d)
{
    if (st->nrec < 2 || st->k < 2)
        return false;
    if (st->nk * 10 < st->nrec * 8)
        return false;
    if ((d == ',' || d == ';') && st->spaced_records * 2 > st->nrec)
        return false;
    if (st->sentences * 2 > st->cells)
        return false;
    if (st->markup_starts == st->nrec)
        return false;
    if (d == '\t' && st->empty_first == st->nrec)
        return false;
    return true;
}

/* The csv.Sniffer vote for column c: +1 when its data cells are all numbers (the
 * header cell is not), or all text of one length the header does not share; -1 when
 * all text of the header's length; 0 otherwise. */
static int det_vote(const char *s, const struct det_rec *recs, unsigned n, unsigned c)
{
    size_t ha = recs[0].cells[c].start;
    size_t hb = recs[0].cells[c].end;
    size_t text_len = 0;
    bool all_num = true;
    bool same_len = true;
    unsigned seen = 0;

    trim(s, &ha, &hb);
    for (unsigned r = 1; r < n && r <= DET_VOTE_RECORDS; r++) {
        size_t a;
        size_t b;
        if (c >= recs[r].nkept)
            continue;
        a = recs[r].cells[c].start;
        b = recs[r].cells[c].end;
        trim(s, &a, &b);
        if (a == b)
            continue;
        if (!is_numeric(s, a, b))
            all_num = false;
        if (seen == 0)
            text_len = b - a;
        else if (b - a != text_len)
            same_len = false;
        seen++;
    }
    if (seen == 0)
        return 0;
    if (all_num)
        return 1;
    if (same_len)
        return (hb - ha != text_len) ? 1 : -1;
    return 0;
}

static bool det_has_header(const char *s, const struct det_rec *recs, unsigned n)
{
    const struct det_rec *h = &recs[0];
    int votes = 0;

    for (unsigned c = 0; c < h->nkept; c++) {
        size_t a = h->cells[c].start;
        size_t b = h->cells[c].end;
        trim(s, &a, &b);
        if (a == b || !has_letter(s, a, b) || is_numeric(s, a, b))
            return false;
        for (unsigned o = 0; o < c; o++) {
            size_t oa = h->cells[o].start;
            size_t ob = h->cells[o].end;
            trim(s, &oa, &ob);
            if (ob - oa == b - a && strncasecmp(s + oa, s + a, b - a) == 0)
                return false; /* duplicate names: data, not a header */
        }
    }
    for (unsigned c = 0; c < h->nkept; c++)
        votes += det_vote(s, recs, n, c);
    return votes >= 0;
}

/* Records of a preamble come before a table of at least this many fields ... */
#define DET_PREAMBLE_MIN_COLS 3u

/* ... and have fewer fields than it: a title, a date line. */
static bool det_preamble_ok(const struct det_rec *recs, unsigned skip, unsigned k)
{
    for (unsigned r = 0; r < skip; r++) {
        if (recs[r].nfields >= k)
            return false;
    }
    return k >= DET_PREAMBLE_MIN_COLS;
}

/* Detection with the first `skip` records taken as a report preamble (see
 * ps_table_detect); false when no delimiter gives a table there. */
static bool det_try(const char *utf8, size_t len, unsigned skip, struct det_rec *recs,
                    struct ps_table_dialect *out)
{
    static const char delims[] = {',', '\t', ';', '|'};
    unsigned best_n = 0;
    unsigned best_nk = 0;
    unsigned best_k = 0;
    char best = 0;

    for (size_t i = 0; i < sizeof(delims); i++) {
        struct det_stats st;
        unsigned n = det_split(utf8, len, delims[i], recs);
        if (n <= skip)
            continue;
        det_collect(utf8, recs + skip, n - skip, &st);
        if (!det_is_table(&st, delims[i]))
            continue;
        /* After a preamble only a table that names its columns is believed. */
        if (skip > 0 &&
            (!det_preamble_ok(recs, skip, st.k) || !det_has_header(utf8, recs + skip, n - skip)))
            continue;
        /* Most consistent first (nk / n, compared without division), then widest. */
        if (best == 0 || (uint64_t)st.nk * best_n > (uint64_t)best_nk * st.nrec ||
            ((uint64_t)st.nk * best_n == (uint64_t)best_nk * st.nrec && st.k > best_k)) {
            best = delims[i];
            best_n = st.nrec;
            best_nk = st.nk;
            best_k = st.k;
        }
    }
    if (best != 0) {
        unsigned n = det_split(utf8, len, best, recs);
        out->delim = best;
        out->ncols = best_k;
        out->has_header = det_has_header(utf8, recs + skip, n - skip);
        out->preamble = skip;
    }
    return best != 0;
}

bool ps_table_detect(const char *utf8, size_t len, struct ps_table_dialect *out)
{
    struct det_rec *recs;
    bool found = false;

    if (utf8 == NULL || out == NULL || len == 0)
        return false;
    if (len > PS_TABLE_DETECT_BYTES)
        len = PS_TABLE_DETECT_BYTES;
    /* About 50 KB: too big for a worker's stack, allocated once per file. */
    recs = malloc(sizeof(*recs) * PS_TABLE_DETECT_RECORDS);
    if (recs == NULL)
        return false;
    /* A report title above the header ("Payroll Register - May 2014"): look past up
     * to PS_TABLE_MAX_PREAMBLE short records before giving up on a table. */
    for (unsigned skip = 0; skip <= PS_TABLE_MAX_PREAMBLE && !found; skip++)
        found = det_try(utf8, len, skip, recs, out);
    free(recs);
    return found;
}

/* ---- parsing ------------------------------------------------------------------ */

enum pstate { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_IN_QUOTED, ST_SKIP };

enum bound { B_CELL, B_CELLS, B_LINE, B_COUNT };

struct parser {
    char delim;
    bool has_header;
    uint64_t preamble; /* records before the header row */
    ps_table_row_fn on_row;
    ps_table_warn_fn on_warn;
    void *ctx;

    enum pstate st;
    bool in_record;
    bool prev_cr;  /* last byte was '\r': a following '\n' is the same line end */
    unsigned bom;  /* bytes of a leading UTF-8 BOM matched so far; 3 = past it */
    uint64_t line; /* physical line of the next byte, 1-based */
    uint64_t rec_line;
    uint64_t pos;      /* stream offset of the first byte of the block being fed */
    uint64_t rec_off;  /* stream offset of the record's first byte */
    uint64_t cell_off; /* stream offset of the current cell's first content byte */
    uint64_t nrec;     /* records emitted */
    size_t raw;        /* bytes of the current record consumed so far */

    char *buf; /* cells of the current record, NUL-terminated one after another */
    size_t len;
    size_t cap;
    size_t cell_start; /* where the current cell begins in buf */
    bool cell_cut;
    size_t *offs; /* per cell: offset in buf and length */
    size_t *lens;
    uint64_t *coffs; /* per cell: stream offset */
    const char **cellv;
    const char **hdrv;
    size_t ptr_cap; /* entries of cellv and hdrv */
    size_t ncells;
    size_t cells_cap;
    bool truncated;      /* this record hit a bound */
    unsigned rec_bounds; /* bounds this record hit (bit per enum bound) */

    char *hdr_buf; /* the header row's cells, copied */
    const char **hdr;
    size_t nhdr;

    uint64_t hits[B_COUNT];
    uint64_t first_line[B_COUNT];
    bool stopped; /* PS_MAX_ROWS reached */
};

static piiscan_status warn(struct parser *p, piiscan_status st, const char *msg)
{
    return p->on_warn ? p->on_warn(p->ctx, st, msg) : PIISCAN_OK;
}

static const char *bound_name(enum bound b)
{
    return b == B_CELL ? "PS_MAX_CELL_BYTES" : b == B_CELLS ? "PS_MAX_CELLS" : "PS_MAX_LINE_BYTES";
}

/* Records a bound hit; the first hit of each bound is reported at once. */
static piiscan_status hit(struct parser *p, enum bound b)
{
    unsigned long long line = p->rec_line;
    char msg[200];

    p->truncated = true;
    if (p->rec_bounds & (1u << b))
        return PIISCAN_OK; /* counted once per record */
    p->rec_bounds |= 1u << b;
    if (p->hits[b]++ > 0)
        return PIISCAN_OK;
    p->first_line[b] = p->rec_line;
    if (b == B_CELL)
        snprintf(msg, sizeof(msg), "line %llu: cell longer than %u bytes (%s), cut", line,
                 PS_MAX_CELL_BYTES, bound_name(b));
    else if (b == B_CELLS)
        snprintf(msg, sizeof(msg), "line %llu: more than %u cells (%s), extra cells dropped", line,
                 PS_MAX_CELLS, bound_name(b));
    else
        snprintf(msg, sizeof(msg),
                 "line %llu: record longer than %u bytes (%s), rest skipped up to the next line",
                 line, PS_MAX_LINE_BYTES, bound_name(b));
    return warn(p, PIISCAN_ELIMIT, msg);
}

static piiscan_status grow_buf(struct parser *p, size_t need)
{
    size_t ncap = p->cap ? p->cap : 4096;
    char *q;

    while (ncap < need)
        ncap *= 2;
    q = realloc(p->buf, ncap);
    if (q == NULL)
        return PIISCAN_ENOMEM;
    p->buf = q;
    p->cap = ncap;
    return PIISCAN_OK;
}

/* Appends bytes to the current cell, up to PS_MAX_CELL_BYTES. */
static piiscan_status append(struct parser *p, const char *s, size_t n)
{
    size_t cell_len = p->len - p->cell_start;
    piiscan_status rc;

    if (p->cell_cut)
        return PIISCAN_OK;
    if (cell_len + n > PS_MAX_CELL_BYTES) {
        n = PS_MAX_CELL_BYTES - cell_len;
        p->cell_cut = true;
        rc = hit(p, B_CELL);
        if (rc != PIISCAN_OK)
            return rc;
    }
    /* +2: this cell's NUL and the record's final NUL always fit. */
    if (p->len + n + 2 > p->cap) {
        rc = grow_buf(p, p->len + n + 2);
        if (rc != PIISCAN_OK)
            return rc;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    return PIISCAN_OK;
}

/* Drops a UTF-8 sequence left incomplete at the end of a cut cell. */
static void trim_partial_utf8(struct parser *p)
{
    size_t back = 0;

    while (back < 3 && p->len - back > p->cell_start &&
           ((unsigned char)p->buf[p->len - 1 - back] & 0xC0) == 0x80)
        back++;
    if (p->len - back > p->cell_start) {
        unsigned char lead = (unsigned char)p->buf[p->len - 1 - back];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (need != back + 1 && lead >= 0xC0)
            p->len -= back + 1;
    }
}

static piiscan_status end_cell(struct parser *p)
{
    if (p->cell_cut)
        trim_partial_utf8(p);
    if (p->ncells >= PS_MAX_CELLS) {
        p->len = p->cell_start; /* dropped */
        p->cell_cut = false;
        return hit(p, B_CELLS);
    }
    if (p->ncells == p->cells_cap) {
        size_t ncap = p->cells_cap ? p->cells_cap * 2 : 64;
        size_t *o = realloc(p->offs, ncap * sizeof(*o));
        size_t *l = o ? realloc(p->lens, ncap * sizeof(*l)) : NULL;
        uint64_t *co = l ? realloc(p->coffs, ncap * sizeof(*co)) : NULL;
        /* Each array that moved is kept, so a failure leaks nothing. */
        if (o != NULL)
            p->offs = o;
        if (l != NULL)
            p->lens = l;
        if (co == NULL)
            return PIISCAN_ENOMEM;
        p->coffs = co;
        p->cells_cap = ncap;
    }
    if (p->len + 1 > p->cap && grow_buf(p, p->len + 2) != PIISCAN_OK)
        return PIISCAN_ENOMEM;
    p->offs[p->ncells] = p->cell_start;
    p->lens[p->ncells] = p->len - p->cell_start;
    p->coffs[p->ncells] = p->cell_off;
    p->buf[p->len++] = '\0';
    p->ncells++;
    p->cell_start = p->len;
    p->cell_cut = false;
    return PIISCAN_OK;
}

/* Keeps a copy of the header row for the rows that follow. */
static piiscan_status keep_header(struct parser *p)
{
    p->hdr_buf = malloc(p->len ? p->len : 1);
    p->hdr = calloc(p->ncells ? p->ncells : 1, sizeof(*p->hdr));
    if (p->hdr_buf == NULL || p->hdr == NULL)
        return PIISCAN_ENOMEM;
    memcpy(p->hdr_buf, p->buf, p->len);
    for (size_t i = 0; i < p->ncells; i++)
        p->hdr[i] = p->hdr_buf + p->offs[i];
    p->nhdr = p->ncells;
    return PIISCAN_OK;
}

static piiscan_status pointer_arrays(struct parser *p)
{
    if (p->ptr_cap < p->ncells) {
        /* Sized like offs / lens: the widest record yet, at most PS_MAX_CELLS. */
        size_t n = p->cells_cap;
        const char **c = realloc((void *)p->cellv, n * sizeof(*c));
        const char **h = c ? realloc((void *)p->hdrv, n * sizeof(*h)) : NULL;
        if (c != NULL)
            p->cellv = c;
        if (h == NULL)
            return PIISCAN_ENOMEM;
        p->hdrv = h;
        p->ptr_cap = n;
    }
    return PIISCAN_OK;
}

static piiscan_status end_record(struct parser *p)
{
    struct ps_table_row row;
    piiscan_status rc = end_cell(p);

    if (rc == PIISCAN_OK)
        rc = pointer_arrays(p);
    if (rc != PIISCAN_OK)
        return rc;
    memset(&row, 0, sizeof(row));
    /* Records of a preamble come first, without headers; then the header row. */
    row.is_header = p->has_header && p->nrec == p->preamble;
    for (size_t i = 0; i < p->ncells; i++) {
        p->cellv[i] = p->buf + p->offs[i];
        p->hdrv[i] = i < p->nhdr ? p->hdr[i] : NULL;
    }
    row.ncells = p->ncells;
    row.cells = p->cellv;
    row.cell_lens = p->lens;
    row.headers = (p->has_header && p->nrec > p->preamble) ? p->hdrv : NULL;
    row.line = p->rec_line;
    row.record = ++p->nrec;
    row.offset = p->rec_off;
    row.cell_offsets = p->coffs;
    row.is_truncated = p->truncated;
    if (row.is_header) {
        rc = keep_header(p);
        if (rc != PIISCAN_OK)
            return rc;
    }
    rc = p->on_row(p->ctx, &row);
    p->len = 0;
    p->cell_start = 0;
    p->ncells = 0;
    p->in_record = false;
    p->truncated = false;
    p->rec_bounds = 0;
    p->raw = 0;
    if (rc == PIISCAN_OK && p->nrec >= PS_MAX_ROWS) {
        char msg[160];
        snprintf(msg, sizeof(msg), "line %llu: more than %llu records (PS_MAX_ROWS), rest skipped",
                 (unsigned long long)p->line, (unsigned long long)PS_MAX_ROWS);
        p->stopped = true;
        rc = warn(p, PIISCAN_ELIMIT, msg);
    }
    return rc;
}

/* Length of the run of bytes at s that need no per-byte handling in state st. */
static size_t plain_run(const struct parser *p, const char *s, size_t n)
{
    size_t i = 0;

    if (p->st == ST_QUOTED) {
        while (i < n && s[i] != '"' && s[i] != '\n' && s[i] != '\r')
            i++;
    } else {
        while (i < n && s[i] != p->delim && s[i] != '\n' && s[i] != '\r')
            i++;
    }
    return i;
}

/* One byte that ends a record (outside quotes) or is special in state st. */
static piiscan_status step(struct parser *p, char c)
{
    bool nl = (c == '\n' || c == '\r');

    switch (p->st) {
    case ST_FIELD_START:
        if (c == '"') {
            p->st = ST_QUOTED;
            return PIISCAN_OK;
        }
        if (c == p->delim)
            return end_cell(p);
        if (nl)
            return end_record(p);
        p->st = ST_UNQUOTED;
        return append(p, &c, 1);
    case ST_UNQUOTED:
        if (c == p->delim) {
            p->st = ST_FIELD_START;
            return end_cell(p);
        }
        if (nl) {
            p->st = ST_FIELD_START;
            return end_record(p);
        }
        return append(p, &c, 1);
    case ST_QUOTED:
        if (c == '"') {
            p->st = ST_QUOTE_IN_QUOTED;
            return PIISCAN_OK;
        }
        return append(p, &c, 1); /* a newline inside quotes is content */
    case ST_QUOTE_IN_QUOTED:
        if (c == '"') {
            p->st = ST_QUOTED; /* "" escape */
            return append(p, &c, 1);
        }
        if (c == p->delim) {
            p->st = ST_FIELD_START;
            return end_cell(p);
        }
        if (nl) {
            p->st = ST_FIELD_START;
            return end_record(p);
        }
        p->st = ST_UNQUOTED; /* "abc"def: lenient, the rest is literal */
        return append(p, &c, 1);
    case ST_SKIP:
        if (nl)
            p->st = ST_FIELD_START;
        return PIISCAN_OK;
    }
    return PIISCAN_OK;
}

/* The record grew past PS_MAX_LINE_BYTES: emit it as read, then skip to the next line. */
static piiscan_status cut_record(struct parser *p)
{
    piiscan_status rc = hit(p, B_LINE);

    if (rc == PIISCAN_OK)
        rc = end_record(p);
    p->st = ST_SKIP;
    return rc;
}

static piiscan_status feed_bytes(struct parser *p, const char *s, size_t n)
{
    size_t i = 0;
    piiscan_status rc = PIISCAN_OK;

    while (i < n && rc == PIISCAN_OK && !p->stopped) {
        char c = s[i];
        bool nl = (c == '\n' || c == '\r');

        if (c == '\n' && p->prev_cr) {
            /* Second half of CRLF: the line was counted (and ended) at the '\r'. */
            p->prev_cr = false;
            i++;
            if (p->st == ST_QUOTED && p->raw < PS_MAX_LINE_BYTES) {
                p->raw++;
                rc = append(p, &c, 1);
            }
            continue;
        }
        p->prev_cr = (c == '\r');
        if (p->st == ST_SKIP) {
            p->line += nl;
            p->st = nl ? ST_FIELD_START : ST_SKIP;
            i++;
            continue;
        }
        if (!p->in_record) {
            if (nl) { /* blank line: no record */
                p->line++;
                i++;
                continue;
            }
            p->in_record = true;
            p->rec_line = p->line;
            p->rec_off = p->pos + i;
        }
        if (p->st == ST_UNQUOTED || p->st == ST_QUOTED) {
            size_t run = plain_run(p, s + i, n - i);
            if (run > 0) {
                size_t take = run;
                if (p->raw + take > PS_MAX_LINE_BYTES)
                    take = PS_MAX_LINE_BYTES - p->raw;
                rc = append(p, s + i, take);
                p->raw += take;
                i += take;
                if (rc == PIISCAN_OK && take < run)
                    rc = cut_record(p);
                continue;
            }
        }
        /* One structural byte. A line end outside quotes does not count as record bytes. */
        if (!nl || p->st == ST_QUOTED) {
            if (p->raw >= PS_MAX_LINE_BYTES) {
                p->prev_cr = false; /* c is looked at again, in ST_SKIP */
                rc = cut_record(p);
                continue;
            }
            p->raw++;
        }
        if (p->st == ST_FIELD_START)
            p->cell_off = p->pos + i + (c == '"');
        p->line += nl;
        rc = step(p, c);
        i++;
    }
    p->pos += n;
    return rc;
}

static const char bom_bytes[] = "\xEF\xBB\xBF";

/* Skips a UTF-8 BOM at the start of the stream (it may straddle blocks). */
static piiscan_status feed(struct parser *p, const char *s, size_t n)
{
    size_t i = 0;

    while (p->bom < 3 && i < n) {
        size_t matched = p->bom;
        if (s[i] == bom_bytes[matched]) {
            p->bom++;
            p->pos++;
            i++;
            continue;
        }
        /* Not a BOM after all: what looked like its start is data (fed again, at the
         * offsets it had). */
        p->bom = 3;
        p->pos -= matched;
        if (matched > 0) {
            piiscan_status rc = feed_bytes(p, bom_bytes, matched);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
    return feed_bytes(p, s + i, n - i);
}

static piiscan_status finish(struct parser *p)
{
    piiscan_status rc = PIISCAN_OK;
    char msg[200];

    if (p->bom > 0 && p->bom < 3) {
        unsigned matched = p->bom;
        p->bom = 3;
        p->pos -= matched;
        rc = feed_bytes(p, bom_bytes, matched);
    }

    if (rc == PIISCAN_OK && p->in_record && !p->stopped && p->st != ST_SKIP) {
        if (p->st == ST_QUOTED) {
            snprintf(msg, sizeof(msg), "line %llu: quoted cell not closed at the end of the data",
                     (unsigned long long)p->rec_line);
            rc = warn(p, PIISCAN_ECORRUPT, msg);
        }
        if (rc == PIISCAN_OK)
            rc = end_record(p);
    }
    for (int b = 0; b < B_COUNT && rc == PIISCAN_OK; b++) {
        if (p->hits[b] < 2)
            continue;
        snprintf(msg, sizeof(msg), "%llu records in all hit the %s bound (first at line %llu)",
                 (unsigned long long)p->hits[b], bound_name((enum bound)b),
                 (unsigned long long)p->first_line[b]);
        rc = warn(p, PIISCAN_ELIMIT, msg);
    }
    return rc;
}

piiscan_status ps_table_parse(struct ps_stream *in, const struct ps_table_dialect *dialect,
                              ps_table_row_fn on_row, ps_table_warn_fn on_warn, void *ctx)
{
    struct parser p;
    piiscan_status rc = PIISCAN_OK;
    piiscan_status src = PIISCAN_OK;

    if (in == NULL || dialect == NULL || on_row == NULL)
        return PIISCAN_EINVAL;
    memset(&p, 0, sizeof(p));
    p.delim = dialect->delim;
    p.has_header = dialect->has_header;
    p.preamble = dialect->preamble;
    p.on_row = on_row;
    p.on_warn = on_warn;
    p.ctx = ctx;
    p.st = ST_FIELD_START;
    p.line = 1;
    while (rc == PIISCAN_OK && !p.stopped) {
        const void *blk = NULL;
        size_t n = 0;
        src = in->next(in->h, &blk, &n);
        if (src != PIISCAN_OK || n == 0)
            break;
        rc = feed(&p, blk, n);
    }
    /* A stream failure still emits the record read before it. */
    if (rc == PIISCAN_OK)
        rc = finish(&p);
    if (rc == PIISCAN_OK)
        rc = src;
    free(p.buf);
    free(p.offs);
    free(p.lens);
    free(p.coffs);
    free((void *)p.cellv);
    free((void *)p.hdrv);
    free(p.hdr_buf);
    free((void *)p.hdr);
    return rc;
}

/* ---- the adapter to the pipeline ----------------------------------------------- */

struct scan_ctx {
    piiscan_scanner *sc;
    const char *lpath;
};

/* Every record becomes a ROW unit. The header row is scanned too, without header
 * names: a real header holds no PII, and a first data row taken for a header (an
 * all-text table) still gets scanned. */
static piiscan_status scan_row(void *ctx, const struct ps_table_row *row)
{
    struct scan_ctx *c = ctx;
    struct ps_unit u;

    memset(&u, 0, sizeof(u));
    u.kind = PS_UNIT_ROW;
    u.lpath = c->lpath;
    u.ncells = row->ncells;
    u.cells = row->cells;
    u.cell_lens = row->cell_lens;
    u.headers = row->headers;
    u.line = row->line;
    u.record = row->record;
    u.base_offset = row->offset;
    u.cell_offsets = row->cell_offsets;
    return ps_scan_unit(c->sc, &u);
}

static piiscan_status scan_warn(void *ctx, piiscan_status st, const char *msg)
{
    struct scan_ctx *c = ctx;

    return ps_warn(c->sc, c->lpath, st, true, "%s", msg);
}

piiscan_status ps_table_scan(piiscan_scanner *sc, const char *lpath, struct ps_stream *utf8,
                             const struct ps_table_dialect *dialect)
{
    struct scan_ctx c = {sc, lpath};

    return ps_table_parse(utf8, dialect, scan_row, scan_warn, &c);
}
