/* extract/xmlsax.c - expat with namespaces mapped to enum ps_xml_ns, bounded depth
 * and entity declarations refused.
 *
 * expat is created with a namespace separator, so element and attribute names
 * arrive as "uri<SEP>local" (or "local" alone without a namespace). The URI is
 * mapped through a small table (length first, then bytes) and handlers only see
 * (ns, local). A stop from a handler or a bound turns into XML_StopParser; the
 * wrapper then swallows whatever events expat still delivers.
 */
#include "extract/xmlsax.h"

#include <expat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_SEP '\x01'

struct ps_xml {
    XML_Parser p;
    struct ps_xml_handler h;
    unsigned depth;
    unsigned max_depth;
    bool stopped;
    piiscan_status st;
    char msg[256];
};

struct ns_entry {
    const char *uri;
    int ns;
};

/* Transitional (ECMA-376 / ISO 29500 transitional) and strict URIs, and ODF 1.x. */
static const struct ns_entry ns_table[] = {
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", PS_NS_SML},
    {"http://purl.oclc.org/ooxml/spreadsheetml/main", PS_NS_SML},
    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", PS_NS_WML},
    {"http://purl.oclc.org/ooxml/wordprocessingml/main", PS_NS_WML},
    {"http://schemas.openxmlformats.org/drawingml/2006/main", PS_NS_DML},
    {"http://purl.oclc.org/ooxml/drawingml/main", PS_NS_DML},
    {"http://schemas.openxmlformats.org/presentationml/2006/main", PS_NS_PML},
    {"http://purl.oclc.org/ooxml/presentationml/main", PS_NS_PML},
    {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", PS_NS_OREL},
    {"http://purl.oclc.org/ooxml/officeDocument/relationships", PS_NS_OREL},
    {"http://schemas.openxmlformats.org/package/2006/relationships", PS_NS_PREL},
    {"http://schemas.openxmlformats.org/markup-compatibility/2006", PS_NS_MC},
    {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", PS_NS_ODF_OFFICE},
    {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", PS_NS_ODF_TEXT},
    {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", PS_NS_ODF_TABLE},
    {"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", PS_NS_ODF_DRAW},
    {"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0", PS_NS_ODF_PRESENTATION},
    {"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0", PS_NS_ODF_MANIFEST},
};

/* Splits "uri<SEP>local": returns the namespace id and points *local at the name. */
static int split_name(const char *name, const char **local)
{
    const char *sep = strrchr(name, NS_SEP);
    size_t ulen;
    size_t i;

    if (sep == NULL) {
        *local = name;
        return PS_NS_NONE;
    }
    *local = sep + 1;
    ulen = (size_t)(sep - name);
    for (i = 0; i < sizeof ns_table / sizeof ns_table[0]; i++)
        if (strlen(ns_table[i].uri) == ulen && memcmp(ns_table[i].uri, name, ulen) == 0)
            return ns_table[i].ns;
    return PS_NS_OTHER;
}

const char *ps_xml_attr(const char **atts, int ns, const char *local)
{
    const char *l;
    size_t i;

    if (atts == NULL)
        return NULL;
    for (i = 0; atts[i] != NULL && atts[i + 1] != NULL; i += 2)
        if (split_name(atts[i], &l) == ns && strcmp(l, local) == 0)
            return atts[i + 1];
    return NULL;
}

void ps_xml_stop(struct ps_xml *x, piiscan_status st, const char *msg)
{
    if (x->stopped)
        return;
    x->stopped = true;
    x->st = st;
    snprintf(x->msg, sizeof x->msg, "%s", msg);
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct ps_xml *x = ud;
    const char *local;
    int ns;
    char msg[96];

    if (x->stopped)
        return;
    if (++x->depth > x->max_depth) {
        snprintf(msg, sizeof msg, "XML nested deeper than %u elements", x->max_depth);
        ps_xml_stop(x, PIISCAN_ELIMIT, msg);
        return;
    }
    ns = split_name(name, &local);
    if (x->h.start != NULL)
        x->h.start(x->h.ctx, ns, local, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct ps_xml *x = ud;
    const char *local;
    int ns;

    if (x->stopped)
        return;
    x->depth--;
    ns = split_name(name, &local);
    if (x->h.end != NULL)
        x->h.end(x->h.ctx, ns, local);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct ps_xml *x = ud;

    if (x->stopped || len <= 0 || x->h.text == NULL)
        return;
    x->h.text(x->h.ctx, s, (size_t)len);
}

/* Office parts never declare entities; one that does is refused outright. */
static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)system_id;
    (void)public_id;
    (void)notation;
    ps_xml_stop(ud, PIISCAN_ECORRUPT, "XML entity declarations refused");
}

piiscan_status ps_xml_new(const struct ps_xml_handler *h, unsigned max_depth, struct ps_xml **out)
{
    struct ps_xml *x = calloc(1, sizeof *x);

    *out = NULL;
    if (x == NULL)
        return PIISCAN_ENOMEM;
    x->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (x->p == NULL) {
        free(x);
        return PIISCAN_ENOMEM;
    }
    x->h = *h;
    x->max_depth = max_depth;
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetEntityDeclHandler(x->p, on_entity_decl);
    XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
    *out = x;
    return PIISCAN_OK;
}

void ps_xml_free(struct ps_xml *x)
{
    if (x == NULL)
        return;
    XML_ParserFree(x->p);
    free(x);
}

static piiscan_status parse_error(struct ps_xml *x)
{
    enum XML_Error e = XML_GetErrorCode(x->p);

    if (x->stopped && e == XML_ERROR_ABORTED)
        return x->st;
    x->stopped = true;
    x->st = PIISCAN_ECORRUPT;
    snprintf(x->msg, sizeof x->msg, "XML error at line %lu: %s",
             (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(e));
    return x->st;
}

piiscan_status ps_xml_feed(struct ps_xml *x, const char *buf, size_t len, bool final)
{
    if (x->stopped)
        return x->st;
    /* expat takes an int length: feed huge blocks in pieces */
    while (len > (size_t)INT_MAX / 2) {
        if (XML_Parse(x->p, buf, INT_MAX / 2, XML_FALSE) != XML_STATUS_OK)
            return parse_error(x);
        buf += INT_MAX / 2;
        len -= (size_t)INT_MAX / 2;
    }
    if (XML_Parse(x->p, buf, (int)len, final ? XML_TRUE : XML_FALSE) != XML_STATUS_OK)
        return parse_error(x);
    return x->stopped ? x->st : PIISCAN_OK;
}

const char *ps_xml_error(const struct ps_xml *x)
{
    return x->msg;
}
