/* extract/ooxml.c - relationship parts, part-name resolution and streaming an XML
 * part out of the zip.
 *
 * Relationship parts are small, but they are still read with expat and bounded
 * (max_parts x 4 relationships); a relationship with TargetMode="External"
 * points outside the package and is ignored. Part names are resolved like URIs
 * (RFC 3986 dot segments) and percent-decoded; a name escaping the package
 * root is refused.
 */
#include "extract/ooxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PART_NAME_MAX 1024u

/* ---- relationships ---- */

struct rels_ctx {
    const char *source;
    struct ps_opc_rels *out;
    size_t max;
    struct ps_xml *x;
};

static piiscan_status rels_add(struct ps_opc_rels *r, const char *id, const char *type,
                               char *target)
{
    struct ps_opc_rel *rel;
    const char *slash = strrchr(type, '/');

    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct ps_opc_rel *v = realloc(r->v, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    rel = &r->v[r->n];
    rel->id = strdup(id);
    rel->type = strdup(slash != NULL ? slash + 1 : type);
    rel->target = target;
    if (rel->id == NULL || rel->type == NULL) {
        free(rel->id);
        free(rel->type);
        return PIISCAN_ENOMEM;
    }
    r->n++;
    return PIISCAN_OK;
}

static void rels_start(void *ud, int ns, const char *local, const char **atts)
{
    struct rels_ctx *c = ud;
    const char *id, *type, *target, *mode;
    char *resolved;

    if (ns != PS_NS_PREL || strcmp(local, "Relationship") != 0)
        return;
    id = ps_xml_attr(atts, PS_NS_NONE, "Id");
    type = ps_xml_attr(atts, PS_NS_NONE, "Type");
    target = ps_xml_attr(atts, PS_NS_NONE, "Target");
    mode = ps_xml_attr(atts, PS_NS_NONE, "TargetMode");
    if (id == NULL || type == NULL || target == NULL || (mode && strcmp(mode, "External") == 0))
        return;
    if (c->out->n >= c->max) {
        ps_xml_stop(c->x, PIISCAN_ELIMIT, "too many relationships");
        return;
    }
    resolved = ps_opc_resolve(c->source, target);
    if (resolved == NULL)
        return; /* escapes the package or too long: not a part we can read */
    if (rels_add(c->out, id, type, resolved) != PIISCAN_OK) {
        free(resolved);
        ps_xml_stop(c->x, PIISCAN_ENOMEM, "out of memory");
    }
}

piiscan_status ps_opc_rels_read(const struct ps_zip *z, const char *source,
                                const struct ps_office_limits *lim, struct ps_opc_rels *out,
                                char *why, size_t why_size)
{
    char name[PART_NAME_MAX + 16];
    const char *slash = strrchr(source, '/');
    struct rels_ctx c = {source, out, (size_t)lim->max_parts * 4u, NULL};
    struct ps_xml_handler h = {rels_start, NULL, NULL, &c};
    long i;

    memset(out, 0, sizeof *out);
    if (slash != NULL)
        snprintf(name, sizeof name, "%.*s/_rels/%s.rels", (int)(slash - source), source, slash + 1);
    else
        snprintf(name, sizeof name, "_rels/%s.rels", source);
    i = ps_zip_find(z, name);
    if (i < 0)
        return PIISCAN_OK;
    return ps_zip_xml(z, (size_t)i, &h, lim, &c.x, why, why_size);
}

void ps_opc_rels_free(struct ps_opc_rels *rels)
{
    for (size_t i = 0; i < rels->n; i++) {
        free(rels->v[i].id);
        free(rels->v[i].type);
        free(rels->v[i].target);
    }
    free(rels->v);
    memset(rels, 0, sizeof *rels);
}

const struct ps_opc_rel *ps_opc_rel_by_type(const struct ps_opc_rels *rels, const char *type)
{
    for (size_t i = 0; i < rels->n; i++)
        if (strcmp(rels->v[i].type, type) == 0)
            return &rels->v[i];
    return NULL;
}

const struct ps_opc_rel *ps_opc_rel_by_id(const struct ps_opc_rels *rels, const char *id)
{
    for (size_t i = 0; i < rels->n; i++)
        if (strcmp(rels->v[i].id, id) == 0)
            return &rels->v[i];
    return NULL;
}

/* ---- part names ---- */

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Appends segment seg[0..n) to out (len *olen) with dot-segment handling. */
static bool push_segment(char *out, size_t *olen, const char *seg, size_t n)
{
    if (n == 0 || (n == 1 && seg[0] == '.'))
        return true;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
        char *s;
        if (*olen == 0)
            return false; /* above the package root */
        out[*olen] = '\0';
        s = strrchr(out, '/');
        *olen = s != NULL ? (size_t)(s - out) : 0;
        return true;
    }
    if (*olen + n + 2 > PART_NAME_MAX)
        return false;
    if (*olen > 0)
        out[(*olen)++] = '/';
    memcpy(out + *olen, seg, n);
    *olen += n;
    return true;
}

char *ps_opc_resolve(const char *source, const char *target)
{
    char joined[2 * PART_NAME_MAX + 2];
    char out[PART_NAME_MAX + 2];
    const char *slash = strrchr(source, '/');
    size_t jlen = 0;
    size_t olen = 0;
    size_t i, start;

    if (*target != '/' && slash != NULL) {
        size_t d = (size_t)(slash - source) + 1;
        if (d >= PART_NAME_MAX)
            return NULL;
        memcpy(joined, source, d);
        jlen = d;
    }
    /* percent-decode the target and unify separators */
    for (i = 0; target[i] != '\0'; i++) {
        int ch = (unsigned char)target[i];
        if (jlen + 2 >= sizeof joined)
            return NULL;
        if (ch == '%' && hexval(target[i + 1]) >= 0 && hexval(target[i + 2]) >= 0) {
            ch = hexval(target[i + 1]) * 16 + hexval(target[i + 2]);
            i += 2;
        }
        joined[jlen++] = ch == '\\' ? '/' : (char)ch;
    }
    joined[jlen] = '\0';
    for (i = 0, start = 0; i <= jlen; i++) {
        if (i < jlen && joined[i] != '/')
            continue;
        if (!push_segment(out, &olen, joined + start, i - start))
            return NULL;
        start = i + 1;
    }
    out[olen] = '\0';
    return olen > 0 ? strdup(out) : NULL;
}

/* ---- one XML part ---- */

struct xml_walk {
    size_t want;
    struct ps_xml *x;
    piiscan_status zip_st; /* the member's own failure */
    char zip_msg[256];
};

static bool xw_want(void *ud, size_t i, const char *name)
{
    (void)name;
    return i == ((struct xml_walk *)ud)->want;
}

static piiscan_status xw_data(void *ud, size_t i, const char *buf, size_t len)
{
    (void)i;
    return ps_xml_feed(((struct xml_walk *)ud)->x, buf, len, false);
}

static piiscan_status xw_end(void *ud, size_t i, piiscan_status st, const char *msg)
{
    struct xml_walk *w = ud;

    (void)i;
    if (st != PIISCAN_OK) {
        w->zip_st = st;
        snprintf(w->zip_msg, sizeof w->zip_msg, "%s", msg);
        return st;
    }
    return ps_xml_feed(w->x, NULL, 0, true);
}

piiscan_status ps_zip_xml(const struct ps_zip *z, size_t i, const struct ps_xml_handler *h,
                          const struct ps_office_limits *lim, struct ps_xml **hook, char *why,
                          size_t why_size)
{
    struct xml_walk w;
    struct ps_zip_reader r = {xw_want, xw_data, xw_end, &w};
    piiscan_status rc;

    memset(&w, 0, sizeof w);
    w.want = i;
    rc = ps_xml_new(h, lim->max_nesting, &w.x);
    if (rc != PIISCAN_OK)
        return rc;
    if (hook != NULL)
        *hook = w.x;
    rc = ps_zip_walk(z, &r);
    if (w.zip_st != PIISCAN_OK)
        snprintf(why, why_size, "%s", w.zip_msg);
    else if (rc != PIISCAN_OK)
        snprintf(why, why_size, "%s", ps_xml_error(w.x));
    if (hook != NULL)
        *hook = NULL;
    ps_xml_free(w.x);
    return rc;
}

/* ---- strings ---- */

size_t ps_utf8_put(unsigned long cp, char *buf)
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t ps_ooxml_unescape(char *s, size_t len)
{
    size_t r = 0;
    size_t w = 0;

    /* _xHHHH_ is at most 7 bytes and decodes to at most 3: in place is safe */
    while (r < len) {
        if (r + 7 <= len && s[r] == '_' && s[r + 1] == 'x' && s[r + 6] == '_' &&
            hexval(s[r + 2]) >= 0 && hexval(s[r + 3]) >= 0 && hexval(s[r + 4]) >= 0 &&
            hexval(s[r + 5]) >= 0) {
            unsigned long cp = (unsigned long)(hexval(s[r + 2]) << 12 | hexval(s[r + 3]) << 8 |
                                               hexval(s[r + 4]) << 4 | hexval(s[r + 5]));
            r += 7;
            /* NUL and lone surrogates cannot be kept in valid UTF-8 */
            if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF))
                w += ps_utf8_put(cp, s + w);
            continue;
        }
        s[w++] = s[r++];
    }
    if (w < len)
        s[w] = '\0';
    return w;
}

/* ---- document parts and packages ---- */

piiscan_status ps_doc_zip_part(const struct ps_zip *z, size_t i, const char *label,
                               struct ps_doc *doc, const struct ps_xml_handler *h,
                               const struct ps_office_limits *lim,
                               const struct ps_office_sink *sink, struct ps_xml **hook,
                               const piiscan_status *sink_rc)
{
    char why[256] = "";
    piiscan_status rc;
    piiscan_status st;

    ps_doc_reset_counts(doc);
    rc = ps_doc_begin_part(doc, label);
    if (rc != PIISCAN_OK)
        return rc;
    st = ps_zip_xml(z, i, h, lim, hook, why, sizeof why);
    if (sink_rc != NULL && *sink_rc != PIISCAN_OK)
        return *sink_rc;
    if (st != PIISCAN_OK && st != PIISCAN_ECORRUPT && st != PIISCAN_ELIMIT &&
        st != PIISCAN_EENCRYPTED)
        return st;
    /* flush what the damage left open: those paragraphs and cells were read */
    rc = ps_doc_end_part(doc);
    if (rc == PIISCAN_OK && st != PIISCAN_OK)
        rc = ps_office_warn(sink, label, st,
                            "%s read only in part (%s); %llu paragraphs and %llu table rows "
                            "before the damage were scanned",
                            label != NULL ? "part" : "document", why,
                            (unsigned long long)ps_doc_paras(doc),
                            (unsigned long long)ps_doc_rows(doc));
    return rc;
}

piiscan_status ps_opc_open(const char *buf, size_t len, const struct ps_office_limits *lim,
                           const struct ps_office_sink *sink, const char *what, struct ps_zip **out)
{
    char why[256];
    piiscan_status rc;

    rc = ps_zip_open(buf, len, lim->max_entries, lim->max_part_bytes, out, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT)
        return ps_office_warn(sink, NULL, PIISCAN_ECORRUPT, "not a readable %s: %s", what, why);
    return rc;
}

piiscan_status ps_opc_damage_warn(const struct ps_zip *z, const struct ps_office_sink *sink)
{
    if (ps_zip_damage(z) == NULL)
        return PIISCAN_OK;
    return ps_office_warn(sink, NULL, PIISCAN_ECORRUPT,
                          "damaged zip package (%s): only the parts before the damage were read",
                          ps_zip_damage(z));
}

piiscan_status ps_opc_main_part(const struct ps_zip *z, const struct ps_office_limits *lim,
                                const struct ps_office_sink *sink, const char *fallback, char **out)
{
    struct ps_opc_rels rels;
    const struct ps_opc_rel *rel;
    char why[256];
    piiscan_status rc;

    rc = ps_opc_rels_read(z, "", lim, &rels, why, sizeof why);
    if (rc == PIISCAN_ECORRUPT || rc == PIISCAN_ELIMIT || rc == PIISCAN_EENCRYPTED)
        rc = ps_office_warn(sink, NULL, rc, "package relationships read only in part (%s)", why);
    rel = ps_opc_rel_by_type(&rels, "officeDocument");
    *out = strdup(rel != NULL ? rel->target : fallback);
    ps_opc_rels_free(&rels);
    if (*out == NULL)
        return PIISCAN_ENOMEM;
    return rc;
}

/* ---- embedded files ---- */

struct embed_walk {
    const char *folder;
    const struct ps_office_limits *lim;
    const struct ps_office_sink *sink;
    struct ps_text data;
    char name[PART_NAME_MAX];
    unsigned count;
};

static bool embed_want(void *ud, size_t i, const char *name)
{
    struct embed_walk *e = ud;
    size_t n = strlen(e->folder);
    size_t len = strlen(name);

    (void)i;
    if (len <= n || len >= sizeof e->name || strncasecmp(name, e->folder, n) != 0 ||
        name[len - 1] == '/' || e->count >= e->lim->max_parts)
        return false;
    e->count++;
    memcpy(e->name, name, len + 1);
    ps_text_clear(&e->data);
    return true;
}

static piiscan_status embed_data(void *ud, size_t i, const char *buf, size_t len)
{
    struct embed_walk *e = ud;

    (void)i;
    return ps_text_add(&e->data, buf, len); /* the walk stops at max_part_bytes */
}

static piiscan_status embed_end(void *ud, size_t i, piiscan_status st, const char *msg)
{
    struct embed_walk *e = ud;
    piiscan_status rc = PIISCAN_OK;

    (void)i;
    if (st != PIISCAN_OK)
        rc = ps_office_warn(e->sink, NULL, st, "embedded file %s read only in part (%s)", e->name,
                            msg);
    /* what arrived is handed over anyway: its own parser copes with the cut */
    if (rc == PIISCAN_OK && e->data.len > 0)
        rc = e->sink->embedded(e->sink->ctx, e->name, e->data.p, e->data.len);
    return rc;
}

piiscan_status ps_opc_embedded(const struct ps_zip *z, const char *folder,
                               const struct ps_office_limits *lim,
                               const struct ps_office_sink *sink)
{
    struct embed_walk e;
    struct ps_zip_reader r = {embed_want, embed_data, embed_end, &e};
    piiscan_status rc;

    if (sink->embedded == NULL)
        return PIISCAN_OK;
    memset(&e, 0, sizeof e);
    e.folder = folder;
    e.lim = lim;
    e.sink = sink;
    ps_text_init(&e.data,
                 lim->max_part_bytes > SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)lim->max_part_bytes);
    rc = ps_zip_walk(z, &r);
    ps_text_free(&e.data);
    return rc;
}
