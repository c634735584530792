/* extract/docx.c - WordprocessingML through expat into the document builder.
 *
 * Element map (w: = wordprocessingml main, transitional or strict):
 *   w:p -> paragraph      w:r -> run (tab/br/cr count only inside runs, since
 *   w:t, w:delText -> text       w:tab also names tab stops in paragraph props)
 *   w:tbl/w:tr/w:tc -> table/row/cell, w:gridSpan widens the cell
 *   mc:Fallback -> skipped whole (it repeats the mc:Choice content)
 * The parts after the body are found through the body's relationships, so only
 * parts the document really uses are read.
 */
#include "extract/docx.h"

#include <stdlib.h>
#include <string.h>

#include "extract/ooxml.h"
#include "extract/xmlsax.h"
#include "extract/zipmem.h"

struct docx {
    struct ps_doc *doc;
    struct ps_xml *x;
    piiscan_status sink_rc;
    unsigned skip;   /* depth inside mc:Fallback */
    unsigned runs;   /* open w:r */
    unsigned tables; /* open w:tbl */
    bool in_t;
    uint64_t span; /* gridSpan of the outermost table's current cell */
};

static void check(struct docx *c, piiscan_status rc)
{
    if (rc != PIISCAN_OK && c->sink_rc == PIISCAN_OK) {
        c->sink_rc = rc;
        ps_xml_stop(c->x, rc, "");
    }
}

static void docx_start(void *ud, int ns, const char *local, const char **atts)
{
    struct docx *c = ud;
    const char *v;

    if (c->skip > 0 || (ns == PS_NS_MC && strcmp(local, "Fallback") == 0)) {
        c->skip++;
        return;
    }
    if (ns != PS_NS_WML)
        return;
    if (strcmp(local, "p") == 0)
        check(c, ps_doc_para_start(c->doc));
    else if (strcmp(local, "r") == 0)
        c->runs++;
    else if (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0)
        c->in_t = true;
    else if (c->runs > 0 && strcmp(local, "tab") == 0)
        check(c, ps_doc_text(c->doc, "\t", 1));
    else if (c->runs > 0 && (strcmp(local, "br") == 0 || strcmp(local, "cr") == 0))
        check(c, ps_doc_text(c->doc, "\n", 1));
    else if (c->runs > 0 && strcmp(local, "noBreakHyphen") == 0)
        check(c, ps_doc_text(c->doc, "-", 1));
    else if (strcmp(local, "tbl") == 0) {
        c->tables++;
        check(c, ps_doc_table_start(c->doc, NULL));
    } else if (strcmp(local, "tr") == 0)
        check(c, ps_doc_row_start(c->doc));
    else if (strcmp(local, "tc") == 0) {
        if (c->tables == 1)
            c->span = 1;
        check(c, ps_doc_cell_start(c->doc));
    } else if (strcmp(local, "gridSpan") == 0 && c->tables == 1) {
        v = ps_xml_attr(atts, PS_NS_WML, "val");
        c->span = v != NULL ? strtoull(v, NULL, 10) : 1;
        if (c->span == 0 || c->span > PS_OFFICE_MAX_COLUMNS)
            c->span = 1;
    }
}

static void docx_end(void *ud, int ns, const char *local)
{
    struct docx *c = ud;

    if (c->skip > 0) {
        c->skip--;
        return;
    }
    if (ns != PS_NS_WML)
        return;
    if (strcmp(local, "p") == 0)
        check(c, ps_doc_para_end(c->doc));
    else if (strcmp(local, "r") == 0 && c->runs > 0)
        c->runs--;
    else if (strcmp(local, "t") == 0 || strcmp(local, "delText") == 0)
        c->in_t = false;
    else if (strcmp(local, "tc") == 0)
        check(c, ps_doc_cell_end(c->doc, 1, c->tables == 1 ? c->span : 1, true));
    else if (strcmp(local, "tr") == 0)
        check(c, ps_doc_row_end(c->doc, 1));
    else if (strcmp(local, "tbl") == 0) {
        if (c->tables > 0)
            c->tables--;
        check(c, ps_doc_table_end(c->doc));
    }
}

static void docx_text(void *ud, const char *s, size_t len)
{
    struct docx *c = ud;

    if (c->in_t && c->skip == 0)
        check(c, ps_doc_text(c->doc, s, len));
}

/* Label of a secondary part: its file name without ".xml" ("footer1"). */
static void part_label(const char *part, char *buf, size_t size)
{
    const char *base = strrchr(part, '/');
    size_t n;

    base = base != NULL ? base + 1 : part;
    n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".xml") == 0)
        n -= 4;
    if (n >= size)
        n = size - 1;
    memcpy(buf, base, n);
    buf[n] = '\0';
}

static bool is_text_part(const char *type)
{
    static const char *const types[] = {"header", "footer", "footnotes", "endnotes", "comments"};

    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i]) == 0)
            return true;
    return false;
}

static piiscan_status read_part(struct docx *c, const struct ps_zip *z, long idx, const char *label,
                                const struct ps_office_limits *lim,
                                const struct ps_office_sink *sink)
{
    struct ps_xml_handler h = {docx_start, docx_end, docx_text, c};

    c->skip = 0;
    c->runs = 0;
    c->tables = 0;
    c->in_t = false;
    return ps_doc_zip_part(z, (size_t)idx, label, c->doc, &h, lim, sink, &c->x, &c->sink_rc);
}

piiscan_status ps_docx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink)
{
    struct docx c;
    struct ps_zip *z = NULL;
    struct ps_opc_rels rels;
    char *main_part = NULL;
    char why[256];
    char label[128];
    long idx;
    piiscan_status rc;

    memset(&c, 0, sizeof c);
    memset(&rels, 0, sizeof rels);
    rc = ps_opc_open(buf, len, lim, sink, "document", &z);
    if (rc != PIISCAN_OK || z == NULL)
        return rc;
    rc = ps_doc_new(lim, sink, PS_HEADER_FIRST_ROW, false, &c.doc);
    if (rc == PIISCAN_OK)
        rc = ps_opc_main_part(z, lim, sink, "word/document.xml", &main_part);
    if (rc != PIISCAN_OK)
        goto out;
    idx = ps_zip_find(z, main_part);
    if (idx < 0)
        rc = ps_office_warn(sink, NULL, PIISCAN_ECORRUPT, "document part %s is missing", main_part);
    else
        rc = read_part(&c, z, idx, NULL, lim, sink);
    if (rc != PIISCAN_OK)
        goto out;
    rc = ps_opc_rels_read(z, main_part, lim, &rels, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        rc = ps_office_warn(sink, NULL, rc, "document relationships read only in part (%s)", why);
    for (size_t i = 0; i < rels.n && rc == PIISCAN_OK; i++) {
        if (!is_text_part(rels.v[i].type))
            continue;
        part_label(rels.v[i].target, label, sizeof label);
        idx = ps_zip_find(z, rels.v[i].target);
        if (idx < 0)
            rc = ps_office_warn(sink, label, PIISCAN_ECORRUPT, "part %s is missing",
                                rels.v[i].target);
        else
            rc = read_part(&c, z, idx, label, lim, sink);
    }
    if (rc == PIISCAN_OK)
        rc = ps_opc_embedded(z, "word/embeddings/", lim, sink);
    if (rc == PIISCAN_OK)
        rc = ps_opc_damage_warn(z, sink);
out:
    ps_opc_rels_free(&rels);
    free(main_part);
    ps_doc_free(c.doc);
    ps_zip_free(z);
    return rc;
}
