/* extract/xlsx.c - SpreadsheetML workbooks, streamed part by part.
 *
 * Order of reading (each an expat stream over one zip part, no DOM):
 *   _rels/.rels             -> the workbook part (officeDocument)
 *   xl/workbook.xml         -> sheet names and r:ids, workbookPr date1904
 *   xl/_rels/workbook.xml.rels -> r:id -> sheet part; sharedStrings; styles
 *   xl/styles.xml           -> cellXfs[i].numFmtId -> date / date-time / plain
 *   xl/sharedStrings.xml    -> the string table (bounded count and bytes)
 *   every sheet part        -> one zip walk, rows handed to the row builder
 * When the workbook part is missing (truncated zip), every part under
 * <workbook dir>/worksheets/ is read as a sheet named after its file.
 *
 * Sheet state machine: <row r> opens a row, <c r t s> a cell whose value comes
 * from <v> or from the <t> runs of <is>; </c> resolves it (shared string index,
 * boolean, date serial) and adds it at its column; </row> ends the row. A sheet
 * cut by damage still flushes the cells it completed.
 */
#include "extract/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/ooxml.h"
#include "extract/xmlsax.h"
#include "extract/zipmem.h"

#define WHY_MAX 256

struct sheet_ref {
    char *name;
    char *rid;
    char *part;
    long idx; /* zip member, -1 when missing */
};

struct xlsx {
    const struct ps_office_limits *lim;
    const struct ps_office_sink *sink;
    struct ps_zip *z;
    char *wb_part;
    bool date1904;

    struct sheet_ref *sheets;
    size_t nsheets;

    /* shared strings: NUL-terminated texts in one buffer */
    struct ps_text sst;
    size_t *sst_off;
    size_t sst_n;
    size_t sst_cap;
    bool sst_incomplete;

    /* styles */
    unsigned char *xf_kind; /* cellXfs index -> enum ps_numfmt_kind */
    size_t nxf;
    struct {
        unsigned id;
        unsigned char kind;
    } * fmts;
    size_t nfmts;

    struct ps_sheet *rows;
    struct ps_xml *x;       /* the parser of the part being read */
    piiscan_status sink_rc; /* a sink callback's non-OK status */
};

/* ---- number formats ---- */

enum ps_numfmt_kind ps_xlsx_builtin_kind(unsigned id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
        (id >= 50 && id <= 58))
        return PS_NUMFMT_DATE;
    if (id == 22)
        return PS_NUMFMT_DATETIME;
    if ((id >= 18 && id <= 21) || id == 32 || id == 33 || (id >= 45 && id <= 47))
        return PS_NUMFMT_TIME;
    return PS_NUMFMT_PLAIN;
}

enum ps_numfmt_kind ps_xlsx_format_kind(const char *code)
{
    bool date = false;
    bool time = false;
    bool month = false;
    const char *p = code;

    for (; *p != '\0' && *p != ';'; p++) {
        char ch = *p;
        if (ch == '"') {
            while (p[1] != '\0' && p[1] != '"')
                p++;
            if (p[1] == '"')
                p++;
            continue;
        }
        if (ch == '[') {
            /* elapsed time [h] [mm] [ss]; anything else ([Red], [$-409]) is skipped */
            char c1 = (char)(p[1] | 0x20);
            if (c1 == 'h' || c1 == 'm' || c1 == 's')
                time = true;
            while (p[1] != '\0' && p[1] != ']')
                p++;
            if (p[1] == ']')
                p++;
            continue;
        }
        if ((ch == '\\' || ch == '_' || ch == '*') && p[1] != '\0') {
            p++;
            continue;
        }
        if ((ch == 'A' || ch == 'a') &&
            (strncmp(p + 1, "M/PM", 4) == 0 || strncmp(p + 1, "m/pm", 4) == 0)) {
            p += 4;
            time = true;
            continue;
        }
        if ((ch == 'A' || ch == 'a') && p[1] == '/' && (p[2] == 'P' || p[2] == 'p')) {
            p += 2;
            time = true;
            continue;
        }
        ch = (char)(ch | 0x20);
        if (ch == 'd' || ch == 'y')
            date = true;
        else if (ch == 'm')
            month = true;
        else if (ch == 'h' || ch == 's')
            time = true;
    }
    /* a lone m with hours or seconds is minutes ("mm:ss", "h:mm") */
    if (month && !time)
        date = true;
    if (date && time)
        return PS_NUMFMT_DATETIME;
    if (date)
        return PS_NUMFMT_DATE;
    return time ? PS_NUMFMT_TIME : PS_NUMFMT_PLAIN;
}

/* Locale-independent decimal ("24574", "23111.5", "1.5E3"); false if it is not one. */
static bool parse_number(const char *s, double *out)
{
    double v = 0.0;
    double scale = 1.0;
    int exp = 0;
    int esign = 1;
    bool neg = false;
    bool digits = false;

    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++, digits = true)
        v = v * 10.0 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
            v += (*s - '0') * (scale /= 10.0);
    if (digits && (*s == 'e' || *s == 'E')) {
        s++;
        if (*s == '-' || *s == '+')
            esign = *s++ == '-' ? -1 : 1;
        for (; *s >= '0' && *s <= '9' && exp < 400; s++)
            exp = exp * 10 + (*s - '0');
        for (; exp > 0; exp--)
            v = esign > 0 ? v * 10.0 : v / 10.0;
    }
    if (!digits || *s != '\0')
        return false;
    *out = neg ? -v : v;
    return true;
}

/* Unsigned decimal with an upper bound; false on anything else. */
static bool parse_index(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    if (*s != '\0')
        return false;
    *out = v;
    return true;
}

/* ---- workbook.xml ---- */

static void wb_start(void *ud, int ns, const char *local, const char **atts)
{
    struct xlsx *w = ud;
    const char *name, *rid, *v;
    struct sheet_ref *s;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "workbookPr") == 0) {
        v = ps_xml_attr(atts, PS_NS_NONE, "date1904");
        w->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
        return;
    }
    if (strcmp(local, "sheet") != 0)
        return;
    name = ps_xml_attr(atts, PS_NS_NONE, "name");
    rid = ps_xml_attr(atts, PS_NS_OREL, "id");
    if (name == NULL || rid == NULL)
        return;
    if (w->nsheets >= w->lim->max_parts) {
        ps_xml_stop(w->x, PIISCAN_ELIMIT, "too many sheets; the rest were not read");
        return;
    }
    s = &w->sheets[w->nsheets];
    s->name = strdup(name);
    s->rid = strdup(rid);
    s->idx = -1;
    if (s->name == NULL || s->rid == NULL) {
        free(s->name);
        free(s->rid);
        ps_xml_stop(w->x, PIISCAN_ENOMEM, "out of memory");
        return;
    }
    w->nsheets++;
}

/* ---- styles.xml ---- */

struct styles_ctx {
    struct xlsx *w;
    bool in_numfmts;
    bool in_cellxfs;
    unsigned *xf_fmt; /* numFmtId of each cellXfs entry */
    size_t nxf;
};

static void styles_start(void *ud, int ns, const char *local, const char **atts)
{
    struct styles_ctx *c = ud;
    struct xlsx *w = c->w;
    uint64_t id = 0;
    const char *code;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "numFmts") == 0)
        c->in_numfmts = true;
    else if (strcmp(local, "cellXfs") == 0)
        c->in_cellxfs = true;
    else if (c->in_numfmts && strcmp(local, "numFmt") == 0) {
        code = ps_xml_attr(atts, PS_NS_NONE, "formatCode");
        if (code == NULL || !parse_index(ps_xml_attr(atts, PS_NS_NONE, "numFmtId"), 0xFFFFFF, &id))
            return;
        if (w->nfmts >= PS_OFFICE_MAX_STYLES) {
            ps_xml_stop(w->x, PIISCAN_ELIMIT, "too many number formats");
            return;
        }
        w->fmts[w->nfmts].id = (unsigned)id;
        w->fmts[w->nfmts].kind = (unsigned char)ps_xlsx_format_kind(code);
        w->nfmts++;
    } else if (c->in_cellxfs && strcmp(local, "xf") == 0) {
        if (c->nxf >= PS_OFFICE_MAX_STYLES) {
            ps_xml_stop(w->x, PIISCAN_ELIMIT, "too many cell formats");
            return;
        }
        if (!parse_index(ps_xml_attr(atts, PS_NS_NONE, "numFmtId"), 0xFFFFFF, &id))
            id = 0;
        c->xf_fmt[c->nxf++] = (unsigned)id;
    }
}

static void styles_end(void *ud, int ns, const char *local)
{
    struct styles_ctx *c = ud;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "numFmts") == 0)
        c->in_numfmts = false;
    else if (strcmp(local, "cellXfs") == 0)
        c->in_cellxfs = false;
}

/* Kind of number format id: a custom definition wins over the built-in meaning. */
static unsigned char fmt_kind(const struct xlsx *w, unsigned id)
{
    for (size_t i = w->nfmts; i > 0; i--)
        if (w->fmts[i - 1].id == id)
            return w->fmts[i - 1].kind;
    return (unsigned char)ps_xlsx_builtin_kind(id);
}

static piiscan_status read_styles(struct xlsx *w, long idx)
{
    struct styles_ctx c;
    struct ps_xml_handler h = {styles_start, styles_end, NULL, &c};
    char why[WHY_MAX];
    piiscan_status rc;

    memset(&c, 0, sizeof c);
    c.w = w;
    c.xf_fmt = calloc(PS_OFFICE_MAX_STYLES, sizeof *c.xf_fmt);
    w->fmts = calloc(PS_OFFICE_MAX_STYLES, sizeof *w->fmts);
    if (c.xf_fmt == NULL || w->fmts == NULL) {
        free(c.xf_fmt);
        return PIISCAN_ENOMEM;
    }
    rc = ps_zip_xml(w->z, (size_t)idx, &h, w->lim, &w->x, why, sizeof why);
    if (rc == PIISCAN_OK || rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT ||
        rc == PIISCAN_EENCRYPTED) {
        if (rc != PIISCAN_OK)
            rc = ps_office_warn(w->sink, NULL, rc,
                                "styles part unreadable (%s): dates may show as numbers", why);
        w->xf_kind = malloc(c.nxf > 0 ? c.nxf : 1);
        if (w->xf_kind == NULL) {
            free(c.xf_fmt);
            return PIISCAN_ENOMEM;
        }
        for (size_t i = 0; i < c.nxf; i++)
            w->xf_kind[i] = fmt_kind(w, c.xf_fmt[i]);
        w->nxf = c.nxf;
    }
    free(c.xf_fmt);
    return rc;
}

/* ---- sharedStrings.xml ---- */

struct sst_ctx {
    struct xlsx *w;
    bool in_si;
    bool in_t;
    unsigned rph; /* inside <rPh> (phonetic guide): not cell text */
    size_t start; /* offset of the string being read */
    size_t si_bytes;
};

static void sst_start(void *ud, int ns, const char *local, const char **atts)
{
    struct sst_ctx *c = ud;
    struct xlsx *w = c->w;

    (void)atts;
    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "si") == 0) {
        if (w->sst_n >= w->lim->max_strings) {
            ps_xml_stop(w->x, PIISCAN_ELIMIT, "too many shared strings; the rest not read");
            return;
        }
        c->in_si = true;
        c->start = w->sst.len;
        c->si_bytes = 0;
    } else if (strcmp(local, "rPh") == 0) {
        c->rph++;
    } else if (strcmp(local, "t") == 0 && c->in_si && c->rph == 0) {
        c->in_t = true;
    }
}

static void sst_text(void *ud, const char *s, size_t len)
{
    struct sst_ctx *c = ud;
    struct xlsx *w = c->w;

    if (!c->in_t)
        return;
    /* one string is at most a cell (plus slack for the builder's own cut) */
    if (len > w->lim->max_cell_bytes + 4 - c->si_bytes)
        len = w->lim->max_cell_bytes + 4 - c->si_bytes;
    c->si_bytes += len;
    if (ps_text_add(&w->sst, s, len) != PIISCAN_OK)
        ps_xml_stop(w->x, PIISCAN_ENOMEM, "out of memory");
    else if (w->sst.cut)
        ps_xml_stop(w->x, PIISCAN_ELIMIT, "shared strings too large; the rest not read");
}

static void sst_end(void *ud, int ns, const char *local)
{
    struct sst_ctx *c = ud;
    struct xlsx *w = c->w;
    size_t n;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(local, "rPh") == 0 && c->rph > 0) {
        c->rph--;
    } else if (strcmp(local, "si") == 0 && c->in_si) {
        c->in_si = false;
        if (w->sst_n == w->sst_cap) {
            size_t cap = w->sst_cap ? w->sst_cap * 2 : 256;
            size_t *p = realloc(w->sst_off, cap * sizeof *p);
            if (p == NULL) {
                ps_xml_stop(w->x, PIISCAN_ENOMEM, "out of memory");
                return;
            }
            w->sst_off = p;
            w->sst_cap = cap;
        }
        /* decode _xHHHH_ in place, then terminate: strings are NUL-separated */
        n = w->sst.p != NULL ? ps_ooxml_unescape(w->sst.p + c->start, w->sst.len - c->start) : 0;
        w->sst.len = c->start + n;
        if (w->sst.len + 1 > w->sst.max) {
            ps_xml_stop(w->x, PIISCAN_ELIMIT, "shared strings too large; the rest not read");
            return;
        }
        if (ps_text_add(&w->sst, "", 1) != PIISCAN_OK) {
            ps_xml_stop(w->x, PIISCAN_ENOMEM, "out of memory");
            return;
        }
        w->sst_off[w->sst_n++] = c->start;
    }
}

static piiscan_status read_sst(struct xlsx *w, long idx)
{
    struct sst_ctx c;
    struct ps_xml_handler h = {sst_start, sst_end, sst_text, &c};
    char why[WHY_MAX];
    piiscan_status rc;

    memset(&c, 0, sizeof c);
    c.w = w;
    rc = ps_zip_xml(w->z, (size_t)idx, &h, w->lim, &w->x, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED) {
        w->sst_incomplete = true;
        rc = ps_office_warn(w->sink, NULL, rc,
                            "shared strings read only in part (%s): %zu strings available", why,
                            w->sst_n);
    }
    return rc;
}

static const char *sst_get(const struct xlsx *w, uint64_t i)
{
    return i < w->sst_n ? w->sst.p + w->sst_off[i] : NULL;
}

/* ---- worksheets ---- */

struct ws_ctx {
    struct xlsx *w;
    const char *sheet; /* name, for warnings */
    bool in_row;
    bool in_cell;
    bool in_v;
    bool in_is;
    bool in_t;
    unsigned rph;
    uint64_t rownum;   /* current row (1-based) */
    uint64_t next_col; /* column of a cell without r= */
    uint64_t col;
    char type[12]; /* t= of the current cell ("" = number) */
    uint64_t style;
    bool has_style;
    struct ps_text val;       /* <v> or inline string text */
    uint64_t missing_strings; /* cells whose shared string could not be read */
};

static void ws_sink_failed(struct ws_ctx *c, piiscan_status rc)
{
    c->w->sink_rc = rc;
    ps_xml_stop(c->w->x, rc, "");
}

static void ws_start(void *ud, int ns, const char *local, const char **atts)
{
    struct ws_ctx *c = ud;
    uint64_t v = 0, r = 0;
    const char *a;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "row") == 0) {
        c->in_row = true;
        if (parse_index(ps_xml_attr(atts, PS_NS_NONE, "r"), UINT32_MAX, &v) && v > 0)
            c->rownum = v;
        else
            c->rownum++;
        c->next_col = 0;
    } else if (strcmp(local, "c") == 0 && c->in_row) {
        c->in_cell = true;
        a = ps_xml_attr(atts, PS_NS_NONE, "r");
        c->col = a != NULL && ps_cell_ref_parse(a, &v, &r) ? v : c->next_col;
        c->next_col = c->col + 1;
        a = ps_xml_attr(atts, PS_NS_NONE, "t");
        snprintf(c->type, sizeof c->type, "%s", a != NULL ? a : "");
        c->has_style = parse_index(ps_xml_attr(atts, PS_NS_NONE, "s"), UINT32_MAX, &c->style);
        ps_text_clear(&c->val);
    } else if (c->in_cell && strcmp(local, "v") == 0) {
        c->in_v = true;
    } else if (c->in_cell && strcmp(local, "is") == 0) {
        c->in_is = true;
    } else if (c->in_is && strcmp(local, "rPh") == 0) {
        c->rph++;
    } else if (c->in_is && c->rph == 0 && strcmp(local, "t") == 0) {
        c->in_t = true;
    }
}

static void ws_text(void *ud, const char *s, size_t len)
{
    struct ws_ctx *c = ud;

    if ((c->in_v || c->in_t) && ps_text_add(&c->val, s, len) != PIISCAN_OK)
        ws_sink_failed(c, PIISCAN_ENOMEM);
}

/* The text a cell shows, in buf or borrowed from the string table. */
static const char *cell_text(struct ws_ctx *c, char *buf, size_t size, size_t *len, bool *is_text)
{
    const struct xlsx *w = c->w;
    const char *v = c->val.p != NULL ? c->val.p : "";
    uint64_t i;
    double serial;
    unsigned kind;

    *is_text = false;
    *len = c->val.len;
    if (strcmp(c->type, "s") == 0) {
        const char *s = parse_index(v, UINT32_MAX, &i) ? sst_get(w, i) : NULL;
        *is_text = true;
        if (s == NULL) {
            c->missing_strings++;
            *len = 0;
            return "";
        }
        *len = strlen(s);
        return s;
    }
    if (strcmp(c->type, "inlineStr") == 0 || strcmp(c->type, "str") == 0) {
        *is_text = true;
        *len = c->val.p != NULL ? ps_ooxml_unescape(c->val.p, c->val.len) : 0;
        return v;
    }
    if (strcmp(c->type, "b") == 0) {
        snprintf(buf, size, "%s", strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
        *len = strlen(buf);
        return c->val.len > 0 ? buf : "";
    }
    if (c->type[0] != '\0' && strcmp(c->type, "n") != 0)
        return v; /* "e" errors, "d" ISO dates: as written */
    kind = c->has_style && c->style < w->nxf ? w->xf_kind[c->style] : PS_NUMFMT_PLAIN;
    if ((kind == PS_NUMFMT_DATE || kind == PS_NUMFMT_DATETIME) && parse_number(v, &serial) &&
        ps_excel_date(serial, w->date1904, kind == PS_NUMFMT_DATETIME, buf, size)) {
        *len = strlen(buf);
        return buf;
    }
    return v;
}

static void ws_end(void *ud, int ns, const char *local)
{
    struct ws_ctx *c = ud;
    char buf[40];
    const char *text;
    size_t len;
    bool is_text;
    piiscan_status rc;

    if (ns != PS_NS_SML)
        return;
    if (strcmp(local, "v") == 0) {
        c->in_v = false;
    } else if (strcmp(local, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(local, "rPh") == 0 && c->rph > 0) {
        c->rph--;
    } else if (strcmp(local, "is") == 0) {
        c->in_is = false;
    } else if (strcmp(local, "c") == 0 && c->in_cell) {
        c->in_cell = false;
        text = cell_text(c, buf, sizeof buf, &len, &is_text);
        rc = ps_sheet_cell(c->w->rows, c->col, text, len, is_text);
        if (rc != PIISCAN_OK)
            ws_sink_failed(c, rc);
    } else if (strcmp(local, "row") == 0 && c->in_row) {
        c->in_row = false;
        rc = ps_sheet_end_row(c->w->rows, c->rownum, 1);
        if (rc != PIISCAN_OK)
            ws_sink_failed(c, rc);
    }
}

/* One zip walk over all sheet parts; each gets its own parser. */
struct walk_ctx {
    struct xlsx *w;
    struct ws_ctx ws;
    struct sheet_ref *cur;
    bool *seen;
};

static bool sheets_want(void *ud, size_t i, const char *name)
{
    struct walk_ctx *k = ud;
    struct xlsx *w = k->w;
    struct ps_xml_handler h = {ws_start, ws_end, ws_text, &k->ws};
    struct ps_text keep = k->ws.val;

    (void)name;
    for (size_t s = 0; s < w->nsheets; s++) {
        if (w->sheets[s].idx != (long)i || k->seen[s])
            continue;
        k->seen[s] = true;
        k->cur = &w->sheets[s];
        memset(&k->ws, 0, sizeof k->ws);
        k->ws.val = keep;
        ps_text_clear(&k->ws.val);
        k->ws.w = w;
        k->ws.sheet = k->cur->name;
        if (ps_xml_new(&h, w->lim->max_nesting, &w->x) != PIISCAN_OK ||
            ps_sheet_begin(w->rows, k->cur->name, NULL) != PIISCAN_OK) {
            w->sink_rc = PIISCAN_ENOMEM;
            return false;
        }
        return true;
    }
    return false;
}

static piiscan_status sheets_data(void *ud, size_t i, const char *buf, size_t len)
{
    struct walk_ctx *k = ud;
    piiscan_status rc = ps_xml_feed(k->w->x, buf, len, false);

    (void)i;
    /* a malformed sheet ends that sheet, not the walk: the error is kept in the parser */
    return k->w->sink_rc != PIISCAN_OK ? k->w->sink_rc : (rc == PIISCAN_ENOMEM ? rc : PIISCAN_OK);
}

static piiscan_status sheets_end(void *ud, size_t i, piiscan_status st, const char *msg)
{
    struct walk_ctx *k = ud;
    struct xlsx *w = k->w;
    struct ws_ctx *c = &k->ws;
    const char *why = msg;
    piiscan_status rc = PIISCAN_OK;

    (void)i;
    if (st == PIISCAN_OK) {
        st = ps_xml_feed(w->x, NULL, 0, true);
        why = ps_xml_error(w->x);
    } else if (ps_xml_feed(w->x, NULL, 0, false) != PIISCAN_OK) {
        /* the XML broke before the zip did: report the XML error */
        why = ps_xml_error(w->x);
    }
    if (w->sink_rc != PIISCAN_OK)
        rc = w->sink_rc;
    else if (st != PIISCAN_OK && st != PIISCAN_ENOMEM) {
        /* damage: the cells completed before it still form a row */
        if (c->in_row)
            rc = ps_sheet_end_row(w->rows, c->rownum, 1);
        if (rc == PIISCAN_OK)
            rc = ps_office_warn(w->sink, k->cur->name, st,
                                "sheet read only in part (%s); %llu rows before the damage were "
                                "scanned",
                                why, (unsigned long long)ps_sheet_rows(w->rows));
    } else if (st == PIISCAN_ENOMEM) {
        rc = st;
    }
    if (rc == PIISCAN_OK && c->missing_strings > 0)
        rc = ps_office_warn(w->sink, k->cur->name, PIISCAN_ECORRUPT,
                            "%llu cells refer to shared strings that could not be read",
                            (unsigned long long)c->missing_strings);
    ps_xml_free(w->x);
    w->x = NULL;
    return rc;
}

static piiscan_status read_sheets(struct xlsx *w)
{
    struct walk_ctx k;
    struct ps_zip_reader r = {sheets_want, sheets_data, sheets_end, &k};
    piiscan_status rc;

    memset(&k, 0, sizeof k);
    k.w = w;
    ps_text_init(&k.ws.val, w->lim->max_cell_bytes + 4);
    k.seen = calloc(w->nsheets ? w->nsheets : 1, sizeof *k.seen);
    if (k.seen == NULL)
        return PIISCAN_ENOMEM;
    rc = ps_zip_walk(w->z, &r);
    if (rc == PIISCAN_OK && w->sink_rc != PIISCAN_OK)
        rc = w->sink_rc;
    ps_xml_free(w->x);
    w->x = NULL;
    for (size_t s = 0; s < w->nsheets && rc == PIISCAN_OK; s++)
        if (!k.seen[s])
            rc = ps_office_warn(w->sink, w->sheets[s].name, PIISCAN_ECORRUPT,
                                "sheet part %s is missing from the package",
                                w->sheets[s].part != NULL ? w->sheets[s].part : "(none)");
    ps_text_free(&k.ws.val);
    free(k.seen);
    return rc;
}

/* ---- the workbook ---- */

/* A part's status after ps_zip_xml: warnings for damage, pass-through otherwise. */
static piiscan_status part_status(struct xlsx *w, piiscan_status rc, const char *what,
                                  const char *why)
{
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        return ps_office_warn(w->sink, NULL, rc, "%s read only in part (%s)", what, why);
    return rc;
}

/* Sheets from the part names when the workbook part cannot tell them. */
static piiscan_status sheets_from_parts(struct xlsx *w)
{
    const char *slash = strrchr(w->wb_part, '/');
    char prefix[256];
    size_t plen;

    snprintf(prefix, sizeof prefix, "%.*sworksheets/", slash ? (int)(slash - w->wb_part + 1) : 0,
             w->wb_part);
    plen = strlen(prefix);
    for (size_t i = 0; i < ps_zip_count(w->z) && w->nsheets < w->lim->max_parts; i++) {
        const char *n = ps_zip_name(w->z, i);
        size_t nl = strlen(n);
        struct sheet_ref *s = &w->sheets[w->nsheets];
        if (nl <= plen + 4 || strncasecmp(n, prefix, plen) != 0 || strchr(n + plen, '/') ||
            strcasecmp(n + nl - 4, ".xml") != 0)
            continue;
        s->name = strndup(n + plen, nl - plen - 4);
        s->part = strdup(n);
        s->idx = (long)i;
        if (s->name == NULL || s->part == NULL)
            return PIISCAN_ENOMEM;
        w->nsheets++;
    }
    return PIISCAN_OK;
}

/* workbook.xml and its relationships: sheet names, parts, strings, styles. */
static piiscan_status read_workbook(struct xlsx *w, long *sst_idx, long *styles_idx)
{
    struct ps_opc_rels rels;
    struct ps_xml_handler h = {wb_start, NULL, NULL, w};
    const struct ps_opc_rel *rel;
    char why[WHY_MAX];
    char alt[300];
    piiscan_status rc = PIISCAN_OK;
    long wb = ps_zip_find(w->z, w->wb_part);

    memset(&rels, 0, sizeof rels);
    if (wb >= 0)
        rc = part_status(w, ps_zip_xml(w->z, (size_t)wb, &h, w->lim, &w->x, why, sizeof why),
                         "workbook part", why);
    if (rc == PIISCAN_OK)
        rc = part_status(w, ps_opc_rels_read(w->z, w->wb_part, w->lim, &rels, why, sizeof why),
                         "workbook relationships", why);
    for (size_t s = 0; s < w->nsheets && rc == PIISCAN_OK; s++) {
        rel = ps_opc_rel_by_id(&rels, w->sheets[s].rid);
        if (rel == NULL || strcmp(rel->type, "chartsheet") == 0)
            continue;
        w->sheets[s].part = strdup(rel->target);
        if (w->sheets[s].part == NULL)
            rc = PIISCAN_ENOMEM;
        else
            w->sheets[s].idx = ps_zip_find(w->z, rel->target);
    }
    rel = ps_opc_rel_by_type(&rels, "sharedStrings");
    snprintf(alt, sizeof alt, "%.*ssharedStrings.xml",
             (int)(strrchr(w->wb_part, '/') ? strrchr(w->wb_part, '/') - w->wb_part + 1 : 0),
             w->wb_part);
    *sst_idx = ps_zip_find(w->z, rel != NULL ? rel->target : alt);
    rel = ps_opc_rel_by_type(&rels, "styles");
    snprintf(alt, sizeof alt, "%.*sstyles.xml",
             (int)(strrchr(w->wb_part, '/') ? strrchr(w->wb_part, '/') - w->wb_part + 1 : 0),
             w->wb_part);
    *styles_idx = ps_zip_find(w->z, rel != NULL ? rel->target : alt);
    if (rc == PIISCAN_OK && (wb < 0 || w->nsheets == 0)) {
        rc = ps_office_warn(w->sink, NULL, PIISCAN_ECORRUPT,
                            "workbook part %s %s: sheets named after their parts", w->wb_part,
                            wb < 0 ? "missing" : "lists no sheet");
        if (rc == PIISCAN_OK)
            rc = sheets_from_parts(w);
    }
    ps_opc_rels_free(&rels);
    return rc;
}

/* The workbook part named by the package relationships (xl/workbook.xml usually). */
static piiscan_status find_workbook(struct xlsx *w)
{
    struct ps_opc_rels rels;
    const struct ps_opc_rel *rel;
    char why[WHY_MAX];
    piiscan_status rc;

    rc = part_status(w, ps_opc_rels_read(w->z, "", w->lim, &rels, why, sizeof why),
                     "package relationships", why);
    rel = ps_opc_rel_by_type(&rels, "officeDocument");
    w->wb_part = strdup(rel != NULL ? rel->target : "xl/workbook.xml");
    ps_opc_rels_free(&rels);
    if (w->wb_part == NULL)
        return PIISCAN_ENOMEM;
    return rc;
}

static void xlsx_free(struct xlsx *w)
{
    for (size_t s = 0; s < w->nsheets; s++) {
        free(w->sheets[s].name);
        free(w->sheets[s].rid);
        free(w->sheets[s].part);
    }
    free(w->sheets);
    free(w->wb_part);
    ps_text_free(&w->sst);
    free(w->sst_off);
    free(w->xf_kind);
    free(w->fmts);
    ps_sheet_free(w->rows);
    ps_xml_free(w->x);
    ps_zip_free(w->z);
}

piiscan_status ps_xlsx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink)
{
    struct xlsx w;
    long sst_idx = -1, styles_idx = -1;
    piiscan_status rc;

    memset(&w, 0, sizeof w);
    w.lim = lim;
    w.sink = sink;
    ps_text_init(&w.sst, lim->max_string_bytes);
    rc = ps_opc_open(buf, len, lim, sink, "workbook", &w.z);
    if (rc != PIISCAN_OK || w.z == NULL)
        goto out;
    w.sheets = calloc(lim->max_parts ? lim->max_parts : 1, sizeof *w.sheets);
    rc = w.sheets == NULL ? PIISCAN_ENOMEM
                          : ps_sheet_new(lim, sink, PS_HEADER_TEXT_ROW, true, &w.rows);
    if (rc == PIISCAN_OK)
        rc = find_workbook(&w);
    if (rc == PIISCAN_OK)
        rc = read_workbook(&w, &sst_idx, &styles_idx);
    if (rc == PIISCAN_OK && styles_idx >= 0)
        rc = read_styles(&w, styles_idx);
    if (rc == PIISCAN_OK && sst_idx >= 0)
        rc = read_sst(&w, sst_idx);
    if (rc == PIISCAN_OK)
        rc = read_sheets(&w);
    if (rc == PIISCAN_OK)
        rc = ps_opc_embedded(w.z, "xl/embeddings/", lim, sink);
    if (rc == PIISCAN_OK)
        rc = ps_opc_damage_warn(w.z, sink);
out:
    xlsx_free(&w);
    return rc;
}
