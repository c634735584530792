/* extract/odf.c - OpenDocument content.xml through expat into the document builder.
 *
 * Element map:
 *   office:spreadsheet           -> tables become sheets (TEXT_ROW header, refs)
 *   draw:page                    -> part "slide<N>"
 *   text:p, text:h               -> paragraph (or a line of the enclosing cell)
 *   text:s c=N, text:tab, text:line-break -> literal spaces / tab / newline
 *   table:table name=            -> table; table-row (number-rows-repeated),
 *   table:table-cell, covered-table-cell (number-columns-repeated, value-type,
 *   date-value, value)           -> cells
 * Character data counts only when its parent element is in the text namespace
 * (a stack of flags, one per open element), so svg:title and similar
 * descriptions inside a paragraph are not taken for text; text:note-citation
 * (the footnote mark) is left out. The manifest is read first: an encrypted
 * content.xml is reported instead of parsed as garbage.
 */
#include "extract/odf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/ooxml.h"
#include "extract/xmlsax.h"
#include "extract/zipmem.h"

#define MAX_SPACES 1024u /* text:s c= beyond this is hostile */

struct odf {
    struct ps_doc *doc;
    struct ps_xml *x;
    piiscan_status sink_rc;
    unsigned depth;
    bool *text_ok;   /* per open element: its character data is text */
    bool ws;         /* last text was white space (or none yet) */
    bool space_owed; /* a collapsed run waits for text to follow it */
    bool spreadsheet;
    bool presentation;
    uint64_t page_no;
    unsigned tables;
    uint64_t row_repeat;
    uint64_t cell_repeat;
    bool cell_text;      /* value-type string, or none */
    char cell_value[64]; /* ISO date or office:value, "" when none */
    bool cell_is_date;
    bool encrypted;
};

static void check(struct odf *c, piiscan_status rc)
{
    if (rc != PIISCAN_OK && c->sink_rc == PIISCAN_OK) {
        c->sink_rc = rc;
        ps_xml_stop(c->x, rc, "");
    }
}

/* Repeat count attributes: 1 when absent or silly, else the value (bounded). */
static uint64_t repeat_attr(const char **atts, int ns, const char *name)
{
    const char *v = ps_xml_attr(atts, ns, name);
    char *end;
    unsigned long long n;

    if (v == NULL)
        return 1;
    n = strtoull(v, &end, 10);
    if (*end != '\0' || n == 0 || n > (1ULL << 31))
        return 1;
    return n;
}

/* "1967-04-12T00:00:00.000" -> "1967-04-12"; "...T13:45:00" -> "... 13:45:00". */
static void iso_date(const char *v, char *out, size_t size)
{
    const char *t = strchr(v, 'T');
    size_t dlen = t != NULL ? (size_t)(t - v) : strlen(v);
    size_t tlen;

    if (t == NULL || strncmp(t + 1, "00:00:00", 8) == 0) {
        snprintf(out, size, "%.*s", (int)dlen, v);
        return;
    }
    tlen = strcspn(t + 1, ".,Z+-");
    snprintf(out, size, "%.*s %.*s", (int)dlen, v, (int)tlen, t + 1);
}

static void cell_start(struct odf *c, const char **atts)
{
    const char *type = ps_xml_attr(atts, PS_NS_ODF_OFFICE, "value-type");
    const char *v;

    c->cell_repeat = repeat_attr(atts, PS_NS_ODF_TABLE, "number-columns-repeated");
    c->cell_text = type == NULL || strcmp(type, "string") == 0;
    c->cell_is_date = type != NULL && strcmp(type, "date") == 0;
    c->cell_value[0] = '\0';
    v = ps_xml_attr(atts, PS_NS_ODF_OFFICE, c->cell_is_date ? "date-value" : "value");
    if (v != NULL && c->cell_is_date)
        iso_date(v, c->cell_value, sizeof c->cell_value);
    else if (v != NULL)
        snprintf(c->cell_value, sizeof c->cell_value, "%s", v);
    check(c, ps_doc_cell_start(c->doc));
}

static void cell_end(struct odf *c)
{
    size_t n = strlen(c->cell_value);

    /* dates by their ISO value; numbers by their text unless they show none */
    if (n > 0 && c->cell_is_date)
        check(c, ps_doc_cell_set(c->doc, c->cell_value, n));
    else if (n > 0 && !c->cell_text)
        check(c, ps_doc_cell_set_if_empty(c->doc, c->cell_value, n));
    check(c, ps_doc_cell_end(c->doc, c->cell_repeat, 1, c->cell_text));
}

/* The space a collapsed run owes, now that text follows it. */
static void pay_space(struct odf *c)
{
    if (c->space_owed)
        check(c, ps_doc_text(c->doc, " ", 1));
    c->space_owed = false;
}

static void text_elem(struct odf *c, const char *local, const char **atts)
{
    if (strcmp(local, "p") == 0 || strcmp(local, "h") == 0) {
        c->ws = true;
        c->space_owed = false;
        check(c, ps_doc_para_start(c->doc));
        return;
    }
    if (strcmp(local, "s") == 0 || strcmp(local, "tab") == 0 || strcmp(local, "line-break") == 0)
        pay_space(c);
    if (strcmp(local, "s") == 0) {
        uint64_t n = repeat_attr(atts, PS_NS_ODF_TEXT, "c");
        static const char spaces[] = "                                ";
        for (n = n > MAX_SPACES ? MAX_SPACES : n; n > 0;) {
            size_t k = n < sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1;
            check(c, ps_doc_text(c->doc, spaces, k));
            n -= k;
        }
        c->ws = false;
    } else if (strcmp(local, "tab") == 0) {
        check(c, ps_doc_text(c->doc, "\t", 1));
        c->ws = false;
    } else if (strcmp(local, "line-break") == 0) {
        check(c, ps_doc_text(c->doc, "\n", 1));
        c->ws = false;
    }
}

static void odf_start(void *ud, int ns, const char *local, const char **atts)
{
    struct odf *c = ud;
    char label[32];

    /* the parser bounds depth at max_nesting, the size of the flag stack */
    c->text_ok[c->depth++] = ns == PS_NS_ODF_TEXT && strcmp(local, "note-citation") != 0;
    if (ns == PS_NS_ODF_TEXT) {
        text_elem(c, local, atts);
    } else if (ns == PS_NS_ODF_TABLE) {
        if (strcmp(local, "table") == 0) {
            c->tables++;
            check(c, ps_doc_table_start(c->doc, ps_xml_attr(atts, PS_NS_ODF_TABLE, "name")));
        } else if (strcmp(local, "table-row") == 0) {
            c->row_repeat = repeat_attr(atts, PS_NS_ODF_TABLE, "number-rows-repeated");
            check(c, ps_doc_row_start(c->doc));
        } else if (strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0) {
            cell_start(c, atts);
        }
    } else if (ns == PS_NS_ODF_OFFICE && strcmp(local, "spreadsheet") == 0) {
        c->spreadsheet = true;
        ps_doc_set_table_mode(c->doc, PS_HEADER_TEXT_ROW, true);
    } else if (ns == PS_NS_ODF_DRAW && strcmp(local, "page") == 0) {
        snprintf(label, sizeof label, "slide%llu", (unsigned long long)++c->page_no);
        check(c, ps_doc_end_part(c->doc));
        check(c, ps_doc_begin_part(c->doc, label));
    }
}

static void odf_end(void *ud, int ns, const char *local)
{
    struct odf *c = ud;

    if (c->depth > 0)
        c->depth--;
    if (ns == PS_NS_ODF_TEXT && (strcmp(local, "p") == 0 || strcmp(local, "h") == 0)) {
        c->space_owed = false; /* trailing white space is dropped */
        c->ws = true;
        check(c, ps_doc_para_end(c->doc));
    } else if (ns == PS_NS_ODF_TABLE) {
        if (strcmp(local, "table") == 0) {
            if (c->tables > 0)
                c->tables--;
            check(c, ps_doc_table_end(c->doc));
        } else if (strcmp(local, "table-row") == 0) {
            check(c, ps_doc_row_end(c->doc, c->row_repeat));
        } else if (strcmp(local, "table-cell") == 0 || strcmp(local, "covered-table-cell") == 0) {
            cell_end(c);
        }
    } else if (ns == PS_NS_ODF_DRAW && strcmp(local, "page") == 0) {
        check(c, ps_doc_end_part(c->doc));
        check(c, ps_doc_begin_part(c->doc, NULL));
    }
}

/* Character data with ODF white-space collapsing: runs of space, tab, CR, LF
 * become one space, owed until more text follows, so none is kept at the start
 * or the end of a paragraph. */
static void odf_text(void *ud, const char *s, size_t len)
{
    struct odf *c = ud;
    size_t i = 0;

    if (c->depth == 0 || !c->text_ok[c->depth - 1])
        return;
    while (i < len && c->sink_rc == PIISCAN_OK) {
        size_t j = i;
        while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
            j++;
        if (j > i) {
            pay_space(c);
            check(c, ps_doc_text(c->doc, s + i, j - i));
            c->ws = false;
        }
        if (j < len && !c->ws) {
            c->space_owed = true;
            c->ws = true;
        }
        while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        i = j;
    }
}

/* ---- the manifest: is content.xml encrypted? ---- */

static void manifest_start(void *ud, int ns, const char *local, const char **atts)
{
    struct odf *c = ud;

    (void)atts;
    if (ns == PS_NS_ODF_MANIFEST && strcmp(local, "encryption-data") == 0)
        c->encrypted = true;
}

static piiscan_status read_manifest(struct odf *c, const struct ps_zip *z,
                                    const struct ps_office_limits *lim)
{
    struct ps_xml_handler h = {manifest_start, NULL, NULL, c};
    char why[256];
    long idx = ps_zip_find(z, "META-INF/manifest.xml");
    piiscan_status rc;

    if (idx < 0)
        return PIISCAN_OK;
    rc = ps_zip_xml(z, (size_t)idx, &h, lim, &c->x, why, sizeof why);
    /* a damaged manifest says nothing about encryption: parse content.xml anyway */
    return rc == PIISCAN_ENOMEM ? rc : PIISCAN_OK;
}

static piiscan_status read_part(struct odf *c, const struct ps_zip *z, const char *name,
                                const char *label, const struct ps_office_limits *lim,
                                const struct ps_office_sink *sink, bool required)
{
    struct ps_xml_handler h = {odf_start, odf_end, odf_text, c};
    long idx = ps_zip_find(z, name);

    if (idx < 0)
        return required ? ps_office_warn(sink, NULL, PIISCAN_ECORRUPT, "%s is missing", name)
                        : PIISCAN_OK;
    c->depth = 0;
    c->tables = 0;
    c->page_no = 0;
    return ps_doc_zip_part(z, (size_t)idx, label, c->doc, &h, lim, sink, &c->x, &c->sink_rc);
}

piiscan_status ps_odf_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                            const struct ps_office_sink *sink)
{
    struct odf c;
    struct ps_zip *z = NULL;
    piiscan_status rc;

    memset(&c, 0, sizeof c);
    rc = ps_opc_open(buf, len, lim, sink, "OpenDocument file", &z);
    if (rc != PIISCAN_OK || z == NULL)
        return rc;
    c.text_ok = calloc(lim->max_nesting + 1, sizeof *c.text_ok);
    rc = c.text_ok == NULL ? PIISCAN_ENOMEM
                           : ps_doc_new(lim, sink, PS_HEADER_FIRST_ROW, false, &c.doc);
    if (rc == PIISCAN_OK)
        rc = read_manifest(&c, z, lim);
    if (rc == PIISCAN_OK && c.encrypted)
        rc = ps_office_warn(sink, NULL, PIISCAN_EENCRYPTED,
                            "document is password-protected: not scanned");
    else if (rc == PIISCAN_OK)
        rc = read_part(&c, z, "content.xml", NULL, lim, sink, true);
    if (rc == PIISCAN_OK && !c.encrypted) {
        /* page headers and footers live with the styles; tables there are rare */
        ps_doc_set_table_mode(c.doc, PS_HEADER_FIRST_ROW, false);
        rc = read_part(&c, z, "styles.xml", "headers", lim, sink, false);
    }
    if (rc == PIISCAN_OK)
        rc = ps_opc_damage_warn(z, sink);
    ps_doc_free(c.doc);
    free(c.text_ok);
    ps_zip_free(z);
    return rc;
}
