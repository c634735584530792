/* extract/pptx.c - PresentationML slides through expat into the document builder.
 *
 * presentation.xml gives the show order as r:ids (p:sldId), its relationships
 * give the slide parts; each slide's own relationships point at its notes. The
 * slide XML is DrawingML text: a:p paragraphs of a:r / a:fld runs with a:t text
 * and a:br breaks, a:tbl/a:tr/a:tc tables (gridSpan widens a cell). mc:Fallback
 * copies are skipped as in docx.
 */
#include "extract/pptx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/ooxml.h"
#include "extract/xmlsax.h"
#include "extract/zipmem.h"

struct pptx {
    const struct ps_office_limits *lim;
    const struct ps_office_sink *sink;
    struct ps_zip *z;
    struct ps_doc *doc;
    struct ps_xml *x;
    piiscan_status sink_rc;
    char **rids; /* show order */
    size_t nrids;
    unsigned skip;
    unsigned tables;
    bool in_t;
    uint64_t span;
};

static void check(struct pptx *c, piiscan_status rc)
{
    if (rc != PIISCAN_OK && c->sink_rc == PIISCAN_OK) {
        c->sink_rc = rc;
        ps_xml_stop(c->x, rc, "");
    }
}

/* ---- presentation.xml: the show order ---- */

static void pres_start(void *ud, int ns, const char *local, const char **atts)
{
    struct pptx *c = ud;
    const char *rid;

    if (ns != PS_NS_PML || strcmp(local, "sldId") != 0)
        return;
    rid = ps_xml_attr(atts, PS_NS_OREL, "id");
    if (rid == NULL)
        return;
    if (c->nrids >= c->lim->max_parts) {
        ps_xml_stop(c->x, PIISCAN_ELIMIT, "too many slides; the rest were not read");
        return;
    }
    c->rids[c->nrids] = strdup(rid);
    if (c->rids[c->nrids] == NULL)
        ps_xml_stop(c->x, PIISCAN_ENOMEM, "out of memory");
    else
        c->nrids++;
}

/* ---- slides ---- */

static void slide_start(void *ud, int ns, const char *local, const char **atts)
{
    struct pptx *c = ud;
    const char *v;

    if (c->skip > 0 || (ns == PS_NS_MC && strcmp(local, "Fallback") == 0)) {
        c->skip++;
        return;
    }
    if (ns != PS_NS_DML)
        return;
    if (strcmp(local, "p") == 0)
        check(c, ps_doc_para_start(c->doc));
    else if (strcmp(local, "t") == 0)
        c->in_t = true;
    else if (strcmp(local, "br") == 0)
        check(c, ps_doc_text(c->doc, "\n", 1));
    else if (strcmp(local, "tbl") == 0) {
        c->tables++;
        check(c, ps_doc_table_start(c->doc, NULL));
    } else if (strcmp(local, "tr") == 0)
        check(c, ps_doc_row_start(c->doc));
    else if (strcmp(local, "tc") == 0) {
        if (c->tables == 1) {
            v = ps_xml_attr(atts, PS_NS_NONE, "gridSpan");
            c->span = v != NULL ? strtoull(v, NULL, 10) : 1;
            if (c->span == 0 || c->span > PS_OFFICE_MAX_COLUMNS)
                c->span = 1;
        }
        check(c, ps_doc_cell_start(c->doc));
    }
}

static void slide_end(void *ud, int ns, const char *local)
{
    struct pptx *c = ud;

    if (c->skip > 0) {
        c->skip--;
        return;
    }
    if (ns != PS_NS_DML)
        return;
    if (strcmp(local, "p") == 0)
        check(c, ps_doc_para_end(c->doc));
    else if (strcmp(local, "t") == 0)
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

static void slide_text(void *ud, const char *s, size_t len)
{
    struct pptx *c = ud;

    if (c->in_t && c->skip == 0)
        check(c, ps_doc_text(c->doc, s, len));
}

static piiscan_status read_slide_part(struct pptx *c, const char *part, const char *label)
{
    struct ps_xml_handler h = {slide_start, slide_end, slide_text, c};
    long idx = ps_zip_find(c->z, part);

    if (idx < 0)
        return ps_office_warn(c->sink, label, PIISCAN_ECORRUPT, "part %s is missing", part);
    c->skip = 0;
    c->tables = 0;
    c->in_t = false;
    return ps_doc_zip_part(c->z, (size_t)idx, label, c->doc, &h, c->lim, c->sink, &c->x,
                           &c->sink_rc);
}

/* A slide, then the notes its relationships name. */
static piiscan_status read_slide(struct pptx *c, const char *part, const char *label)
{
    struct ps_opc_rels rels;
    const struct ps_opc_rel *notes;
    char why[256];
    char nlabel[64];
    piiscan_status rc = read_slide_part(c, part, label);

    if (rc != PIISCAN_OK)
        return rc;
    rc = ps_opc_rels_read(c->z, part, c->lim, &rels, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        rc = ps_office_warn(c->sink, label, rc, "slide relationships read only in part (%s)", why);
    notes = ps_opc_rel_by_type(&rels, "notesSlide");
    if (rc == PIISCAN_OK && notes != NULL) {
        snprintf(nlabel, sizeof nlabel, "%s-notes", label);
        rc = read_slide_part(c, notes->target, nlabel);
    }
    ps_opc_rels_free(&rels);
    return rc;
}

/* Number in "ppt/slides/slide12.xml", or 0 when the name is not a slide part. */
static unsigned long slide_number(const char *name)
{
    static const char prefix[] = "ppt/slides/slide";
    char *end;
    unsigned long n;

    if (strncasecmp(name, prefix, sizeof prefix - 1) != 0)
        return 0;
    n = strtoul(name + sizeof prefix - 1, &end, 10);
    return strcasecmp(end, ".xml") == 0 ? n : 0;
}

/* Without a show order: every slide part, by the number in its name. */
static piiscan_status slides_by_name(struct pptx *c)
{
    piiscan_status rc = PIISCAN_OK;
    unsigned long last = 0;
    char label[32];

    for (unsigned k = 0; k < c->lim->max_parts && rc == PIISCAN_OK; k++) {
        unsigned long best = 0;
        long pick = -1;
        for (size_t i = 0; i < ps_zip_count(c->z); i++) {
            unsigned long n = slide_number(ps_zip_name(c->z, i));
            if (n > last && (pick < 0 || n < best)) {
                best = n;
                pick = (long)i;
            }
        }
        if (pick < 0)
            break;
        last = best;
        snprintf(label, sizeof label, "slide%lu", best);
        rc = read_slide(c, ps_zip_name(c->z, (size_t)pick), label);
    }
    return rc;
}

static piiscan_status read_show(struct pptx *c, const char *main_part)
{
    struct ps_xml_handler h = {pres_start, NULL, NULL, c};
    struct ps_opc_rels rels;
    char why[256];
    char label[32];
    long idx = ps_zip_find(c->z, main_part);
    piiscan_status rc = PIISCAN_OK;
    bool by_name = false;

    memset(&rels, 0, sizeof rels);
    if (idx >= 0)
        rc = ps_zip_xml(c->z, (size_t)idx, &h, c->lim, &c->x, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        rc = ps_office_warn(c->sink, NULL, rc, "presentation part read only in part (%s)", why);
    if (rc == PIISCAN_OK)
        rc = ps_opc_rels_read(c->z, main_part, c->lim, &rels, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        rc = ps_office_warn(c->sink, NULL, rc, "presentation relationships read only in part (%s)",
                            why);
    if (rc == PIISCAN_OK && (idx < 0 || c->nrids == 0 || rels.n == 0)) {
        rc = ps_office_warn(c->sink, NULL, PIISCAN_ECORRUPT,
                            "presentation part %s %s: slides read in file-name order", main_part,
                            idx < 0 ? "missing" : "names no slide");
        if (rc == PIISCAN_OK)
            rc = slides_by_name(c);
        by_name = true;
    }
    for (size_t k = 0; k < c->nrids && !by_name && rc == PIISCAN_OK; k++) {
        const struct ps_opc_rel *rel = ps_opc_rel_by_id(&rels, c->rids[k]);
        snprintf(label, sizeof label, "slide%zu", k + 1);
        if (rel == NULL)
            rc = ps_office_warn(c->sink, label, PIISCAN_ECORRUPT,
                                "slide %s has no part in the package", c->rids[k]);
        else
            rc = read_slide(c, rel->target, label);
    }
    ps_opc_rels_free(&rels);
    return rc;
}

piiscan_status ps_pptx_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                             const struct ps_office_sink *sink)
{
    struct pptx c;
    char *main_part = NULL;
    piiscan_status rc;

    memset(&c, 0, sizeof c);
    c.lim = lim;
    c.sink = sink;
    rc = ps_opc_open(buf, len, lim, sink, "presentation", &c.z);
    if (rc != PIISCAN_OK || c.z == NULL)
        return rc;
    c.rids = calloc(lim->max_parts ? lim->max_parts : 1, sizeof *c.rids);
    rc =
        c.rids == NULL ? PIISCAN_ENOMEM : ps_doc_new(lim, sink, PS_HEADER_FIRST_ROW, false, &c.doc);
    if (rc == PIISCAN_OK)
        rc = ps_opc_main_part(c.z, lim, sink, "ppt/presentation.xml", &main_part);
    if (rc == PIISCAN_OK)
        rc = read_show(&c, main_part);
    if (rc == PIISCAN_OK)
        rc = ps_opc_embedded(c.z, "ppt/embeddings/", lim, sink);
    if (rc == PIISCAN_OK)
        rc = ps_opc_damage_warn(c.z, sink);
    for (size_t k = 0; k < c.nrids; k++)
        free(c.rids[k]);
    free(c.rids);
    free(main_part);
    ps_doc_free(c.doc);
    ps_zip_free(c.z);
    return rc;
}
