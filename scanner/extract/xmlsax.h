/* extract/xmlsax.h - a streaming XML reader for the office formats (expat).
 *
 * A thin layer over expat with the safety settings every office part needs:
 * namespaces resolved to a small enum (so "w:p" is recognised whatever prefix a
 * producer chose, in transitional and strict OOXML alike), element nesting
 * bounded, entity declarations refused (no internal-entity expansion games;
 * expat's own amplification guard stays on), external entities never loaded.
 * Bytes are fed in blocks as they come out of the zip; no tree is built.
 *
 * Lifecycle: ps_xml_new -> ps_xml_feed (any number, last with final) -> ps_xml_free.
 * Handlers may call ps_xml_stop() to end parsing with a status and a reason.
 */
#ifndef PS_EXTRACT_XMLSAX_H
#define PS_EXTRACT_XMLSAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

enum ps_xml_ns {
    PS_NS_NONE = 0, /* no namespace (plain attributes) */
    PS_NS_OTHER,    /* a namespace we do not read */
    PS_NS_SML,      /* spreadsheetml main */
    PS_NS_WML,      /* wordprocessingml main */
    PS_NS_DML,      /* drawingml main */
    PS_NS_PML,      /* presentationml main */
    PS_NS_OREL,     /* officeDocument relationships (r:id attributes) */
    PS_NS_PREL,     /* package relationships (.rels parts) */
    PS_NS_MC,       /* markup compatibility (mc:AlternateContent) */
    PS_NS_ODF_OFFICE,
    PS_NS_ODF_TEXT,
    PS_NS_ODF_TABLE,
    PS_NS_ODF_DRAW,
    PS_NS_ODF_PRESENTATION,
    PS_NS_ODF_MANIFEST,
};

struct ps_xml_handler {
    /* atts: expat's NULL-terminated name/value pairs; read them with ps_xml_attr(). */
    void (*start)(void *ctx, int ns, const char *local, const char **atts);
    void (*end)(void *ctx, int ns, const char *local);
    void (*text)(void *ctx, const char *s, size_t len);
    void *ctx;
};

struct ps_xml;

/* ENOMEM, or OK with *out set. max_depth bounds element nesting (ELIMIT). */
piiscan_status ps_xml_new(const struct ps_xml_handler *h, unsigned max_depth, struct ps_xml **out);
void ps_xml_free(struct ps_xml *x);

/* Parses the next block (final: no more input follows). Returns OK, ECORRUPT for
 * malformed XML, or the status a handler gave ps_xml_stop(); once not OK, further
 * calls return the same status. The reason is in ps_xml_error(). */
piiscan_status ps_xml_feed(struct ps_xml *x, const char *buf, size_t len, bool final);

/* "XML error at line 12: mismatched tag", or the handler's reason; "" when none. */
const char *ps_xml_error(const struct ps_xml *x);

/* From a handler: stop parsing with st (not OK) and msg (copied). */
void ps_xml_stop(struct ps_xml *x, piiscan_status st, const char *msg);

/* The value of attribute (ns, local), or NULL. */
const char *ps_xml_attr(const char **atts, int ns, const char *local);

#endif
