/* extract/markup.c - the markup core shared by the HTML and XML readers.
 *
 * Input: start / end / text events with line numbers. Output: prose blocks and
 * records on a ps_recsink (see markup.h for the model). State: a bounded element
 * stack (PS_MAX_NESTING), one prose buffer, one record buffer (ps_rowbuf) owned
 * by at most one open element or table row at a time, and the header names of
 * the innermost HTML table. Prose is flushed at block boundaries and whenever
 * the buffer fills, so memory stays bounded whatever the document's size.
 */
#include "extract/markup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/limits.h"

#define PROSE_CAP (256u * 1024u)
#define LEAF_CAP (16u * 1024u)
#define MAX_TABLE_COLS 256u
#define HEADER_CAP 128u

struct element {
    char name[64];
    uint64_t line;
    bool has_children;
};

struct ps_markup {
    struct ps_recsink sink;
    bool is_html;

    struct element stack[PS_MAX_NESTING];
    unsigned depth;
    unsigned overflow;        /* elements past PS_MAX_NESTING, ignored */
    unsigned skip_depth;      /* > 0 inside <script> / <style> */

    char *prose;
    size_t prose_len;
    uint64_t prose_line;

    /* XML: leaf text and the record its cells go to */
    char *leaf;
    size_t leaf_len;
    struct ps_rowbuf row;
    int row_owner;            /* stack index owning the pending record, -1 none */
    uint64_t row_line;
    uint64_t records;         /* one counter for prose blocks and rows: ids are unique */

    /* HTML tables (the innermost one only) */
    unsigned table_depth;
    bool in_cell;
    bool row_all_th;
    bool table_has_header;
    bool cell_is_th;
    unsigned row_index;       /* rows seen in this table */
    char headers[MAX_TABLE_COLS][HEADER_CAP];
    size_t nheaders;
    size_t cell_col;
    bool warned_cut;
};

piiscan_status ps_markup_new(const struct ps_recsink *sink, bool is_html, struct ps_markup **out)
{
    struct ps_markup *m = calloc(1, sizeof(*m));

    *out = NULL;
    if (!m)
        return PIISCAN_ENOMEM;
    m->prose = malloc(PROSE_CAP);
    m->leaf = malloc(LEAF_CAP);
    if (!m->prose || !m->leaf || ps_rowbuf_init(&m->row) != PIISCAN_OK) {
        ps_markup_free(m);
        return PIISCAN_ENOMEM;
    }
    m->sink = *sink;
    m->is_html = is_html;
    m->row_owner = -1;
    *out = m;
    return PIISCAN_OK;
}

void ps_markup_free(struct ps_markup *m)
{
    if (!m)
        return;
    free(m->prose);
    free(m->leaf);
    ps_rowbuf_free(&m->row);
    free(m);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- prose ---------------------------------------------------------------------- */

static piiscan_status flush_prose(struct ps_markup *m)
{
    size_t a = 0;
    size_t b = m->prose_len;
    piiscan_status rc;

    while (a < b && is_space(m->prose[a]))
        a++;
    while (b > a && is_space(m->prose[b - 1]))
        b--;
    m->prose_len = 0;
    if (a == b)
        return PIISCAN_OK;
    ps_utf8_scrub(m->prose + a, b - a);
    rc = m->sink.text(m->sink.ctx, NULL, m->prose_line, ++m->records, m->prose + a, b - a);
    return rc;
}

static piiscan_status add_prose(struct ps_markup *m, const char *s, size_t len, uint64_t line)
{
    piiscan_status rc = PIISCAN_OK;

    while (len > 0 && rc == PIISCAN_OK) {
        size_t room = PROSE_CAP - m->prose_len;
        size_t n = len < room ? len : room;

        if (m->prose_len == 0)
            m->prose_line = line;
        /* collapse runs of white space as a browser would, keeping newlines */
        memcpy(m->prose + m->prose_len, s, n);
        m->prose_len += n;
        s += n;
        len -= n;
        if (m->prose_len == PROSE_CAP)
            rc = flush_prose(m);
    }
    return rc;
}

/* ---- records ---------------------------------------------------------------------- */

static piiscan_status emit_row(struct ps_markup *m)
{
    piiscan_status rc;

    if (m->row.is_truncated && !m->warned_cut) {
        m->warned_cut = true;
        m->sink.warn(m->sink.ctx, PIISCAN_ELIMIT, "record cut: more cells or bytes than a record may hold");
    }
    if (m->row.n == 0) {
        m->row_owner = -1;
        return PIISCAN_OK;
    }
    rc = ps_rowbuf_emit(&m->row, &m->sink, NULL, m->row_line, ++m->records);
    ps_rowbuf_clear(&m->row);
    m->row_owner = -1;
    return rc;
}

/* Makes stack[owner] the owner of the pending record, emitting another owner's. */
static piiscan_status own_row(struct ps_markup *m, int owner)
{
    piiscan_status rc = PIISCAN_OK;

    if (m->row_owner == owner)
        return PIISCAN_OK;
    if (m->row_owner >= 0)
        rc = emit_row(m);
    m->row_owner = owner;
    m->row_line = owner >= 0 ? m->stack[owner].line : 0;
    return rc;
}

/* ---- HTML ------------------------------------------------------------------------ */

static bool name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(name, *list) == 0)
            return true;
    return false;
}

static const char *const BLOCKS[] = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl", "address",
    "title", "body", "html", "form", "fieldset", "nav", "aside", "main", "figure",
    "figcaption", "caption", "table", NULL};

static bool cell_has_digit(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

static void html_cell_end(struct ps_markup *m)
{
    size_t a = 0;
    size_t b = m->leaf_len;
    size_t col = m->cell_col++;
    bool header_row;

    if (!m->cell_is_th)
        m->row_all_th = false;
    header_row = m->row_all_th || (!m->table_has_header && m->row_index == 1);
    while (a < b && is_space(m->leaf[a]))
        a++;
    while (b > a && is_space(m->leaf[b - 1]))
        b--;
    m->in_cell = false;
    m->leaf_len = 0;
    if (header_row && col < MAX_TABLE_COLS) {
        size_t n = b - a < HEADER_CAP - 1 ? b - a : HEADER_CAP - 1;

        memcpy(m->headers[col], m->leaf + a, n);
        m->headers[col][n] = '\0';
        if (col + 1 > m->nheaders)
            m->nheaders = col + 1;
    }
    if (b > a) {
        const char *h = !header_row && col < m->nheaders && m->headers[col][0] ? m->headers[col]
                                                                                 : NULL;

        ps_rowbuf_add(&m->row, h, h ? strlen(h) : 0, m->leaf + a, b - a);
    }
}

static piiscan_status html_row_end(struct ps_markup *m)
{
    bool all_th = m->row_all_th && m->cell_col > 0;
    bool first_plain = !m->table_has_header && m->row_index == 1;
    size_t i;

    if (all_th)
        m->table_has_header = true;
    if (all_th || first_plain) {
        /* a header row: names, not data - unless it holds digits (then it was data) */
        bool digits = false;

        for (i = 0; i < m->row.n; i++)
            digits = digits || cell_has_digit(m->row.data + m->row.cell_off[i], m->row.cell_len[i]);
        if (all_th || !digits) {
            ps_rowbuf_clear(&m->row);
            m->row_owner = -1;
            return PIISCAN_OK;
        }
        m->nheaders = 0;
    }
    return emit_row(m);
}

static piiscan_status html_start(struct ps_markup *m, const char *name, uint64_t line)
{
    piiscan_status rc = PIISCAN_OK;

    if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
        strcasecmp(name, "noscript") == 0 || strcasecmp(name, "template") == 0) {
        m->skip_depth++;
        return PIISCAN_OK;
    }
    if (strcasecmp(name, "table") == 0) {
        rc = flush_prose(m);
        m->table_depth++;
        if (m->table_depth == 1) {
            m->nheaders = 0;
            m->row_index = 0;
            m->table_has_header = false;
        }
        return rc;
    }
    if (m->table_depth == 1 && strcasecmp(name, "tr") == 0) {
        rc = flush_prose(m);
        ps_rowbuf_clear(&m->row);
        m->row_owner = 0;
        m->row_line = line;
        m->row_all_th = true;
        m->cell_col = 0;
        m->row_index++;
        return rc;
    }
    if (m->table_depth == 1 && (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)) {
        m->in_cell = true;
        m->cell_is_th = strcasecmp(name, "th") == 0;
        m->leaf_len = 0;
        return PIISCAN_OK;
    }
    if (m->in_cell)
        return PIISCAN_OK;
    if (name_in(name, BLOCKS))
        rc = flush_prose(m);
    return rc;
}

static piiscan_status html_end(struct ps_markup *m, const char *name)
{
    if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
        strcasecmp(name, "noscript") == 0 || strcasecmp(name, "template") == 0) {
        if (m->skip_depth)
            m->skip_depth--;
        return PIISCAN_OK;
    }
    if (strcasecmp(name, "table") == 0) {
        if (m->table_depth)
            m->table_depth--;
        return PIISCAN_OK;
    }
    if (m->table_depth == 1 && (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0)) {
        if (m->in_cell)
            html_cell_end(m);
        return PIISCAN_OK;
    }
    if (m->table_depth == 1 && strcasecmp(name, "tr") == 0) {
        if (m->in_cell)
            html_cell_end(m);
        return html_row_end(m);
    }
    if (m->in_cell)
        return PIISCAN_OK;
    return name_in(name, BLOCKS) ? flush_prose(m) : PIISCAN_OK;
}

/* ---- XML -------------------------------------------------------------------------- */

static piiscan_status xml_attrs(struct ps_markup *m, const char *const *attrs, uint64_t line)
{
    piiscan_status rc;
    size_t i;

    if (!attrs || !attrs[0])
        return PIISCAN_OK;
    /* an element's attributes are a prose block of their own */
    rc = flush_prose(m);
    for (i = 0; attrs[i] && attrs[i + 1] && rc == PIISCAN_OK; i += 2) {
        rc = add_prose(m, attrs[i], strlen(attrs[i]), line);
        if (rc == PIISCAN_OK)
            rc = add_prose(m, ": ", 2, line);
        if (rc == PIISCAN_OK)
            rc = add_prose(m, attrs[i + 1], strlen(attrs[i + 1]), line);
        if (rc == PIISCAN_OK)
            rc = add_prose(m, "\n", 1, line);
    }
    return rc == PIISCAN_OK ? flush_prose(m) : rc;
}

static bool all_space(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!is_space(s[i]))
            return false;
    return true;
}

/* A leaf element closed: its text is a cell of its parent's record. */
static piiscan_status xml_leaf_end(struct ps_markup *m, const struct element *e)
{
    size_t a = 0;
    size_t b = m->leaf_len;
    int parent = (int)m->depth - 1;
    piiscan_status rc;

    while (a < b && is_space(m->leaf[a]))
        a++;
    while (b > a && is_space(m->leaf[b - 1]))
        b--;
    m->leaf_len = 0;
    if (a == b)
        return PIISCAN_OK;
    if (parent < 0)     /* a document that is one element of text */
        return add_prose(m, m->leaf + a, b - a, e->line);
    rc = own_row(m, parent);
    if (rc == PIISCAN_OK)
        ps_rowbuf_add(&m->row, e->name, strlen(e->name), m->leaf + a, b - a);
    return rc;
}

/* ---- events ----------------------------------------------------------------------- */

piiscan_status ps_markup_start(struct ps_markup *m, const char *name, const char *const *attrs,
                               uint64_t line)
{
    struct element *e;
    piiscan_status rc;

    if (m->depth >= PS_MAX_NESTING) {
        m->overflow++;
        return PIISCAN_OK;
    }
    if (m->depth > 0)
        m->stack[m->depth - 1].has_children = true;
    if (!m->is_html && m->leaf_len > 0) {
        /* mixed content: the text before the child element is prose */
        rc = all_space(m->leaf, m->leaf_len) ? PIISCAN_OK : add_prose(m, m->leaf, m->leaf_len, line);
        m->leaf_len = 0;
        if (rc != PIISCAN_OK)
            return rc;
    }
    e = &m->stack[m->depth++];
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->line = line;
    e->has_children = false;
    if (m->is_html)
        return html_start(m, name, line);
    return xml_attrs(m, attrs, line);
}

piiscan_status ps_markup_end(struct ps_markup *m, const char *name)
{
    struct element e;
    piiscan_status rc = PIISCAN_OK;

    if (m->overflow) {
        m->overflow--;
        return PIISCAN_OK;
    }
    if (m->depth == 0)
        return PIISCAN_OK;
    e = m->stack[--m->depth];
    if (m->is_html)
        return html_end(m, name);
    if (!e.has_children)
        rc = xml_leaf_end(m, &e);
    else if (m->leaf_len > 0) {
        rc = all_space(m->leaf, m->leaf_len) ? PIISCAN_OK : add_prose(m, m->leaf, m->leaf_len, e.line);
        m->leaf_len = 0;
    }
    if (rc == PIISCAN_OK && m->row_owner == (int)m->depth)
        rc = emit_row(m);
    if (rc == PIISCAN_OK && e.has_children)
        rc = flush_prose(m);
    return rc;
}

piiscan_status ps_markup_text(struct ps_markup *m, const char *s, size_t len, uint64_t line)
{
    size_t room;

    if (m->skip_depth || m->overflow)
        return PIISCAN_OK;
    if (m->is_html && !m->in_cell)
        return add_prose(m, s, len, line);
    /* a table cell or an XML element's text: kept until the element closes */
    room = LEAF_CAP - m->leaf_len;
    if (len > room) {
        if (!m->in_cell && !m->is_html) {
            piiscan_status rc = add_prose(m, m->leaf, m->leaf_len, line);

            m->leaf_len = 0;
            if (rc != PIISCAN_OK)
                return rc;
            return add_prose(m, s, len, line);   /* too long to be a field: prose */
        }
        len = room;
    }
    memcpy(m->leaf + m->leaf_len, s, len);
    m->leaf_len += len;
    return PIISCAN_OK;
}

piiscan_status ps_markup_finish(struct ps_markup *m)
{
    piiscan_status rc = PIISCAN_OK;

    if (m->leaf_len > 0) {
        rc = add_prose(m, m->leaf, m->leaf_len, m->depth ? m->stack[m->depth - 1].line : 1);
        m->leaf_len = 0;
    }
    if (rc == PIISCAN_OK && m->row_owner >= 0)
        rc = emit_row(m);
    if (rc == PIISCAN_OK)
        rc = flush_prose(m);
    return rc;
}
