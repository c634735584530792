/* extract/ooxml.h - Open Packaging Conventions helpers shared by xlsx, docx, pptx
 * (and the XML-part reader ODF uses too).
 *
 * An OOXML file is a zip of XML parts tied together by relationship parts:
 * "_rels/.rels" names the main part (xl/workbook.xml, word/document.xml,
 * ppt/presentation.xml) and "<dir>/_rels/<part>.rels" maps the r:id values a
 * part uses to the parts they point at. Targets are resolved here to package
 * part names ("xl/worksheets/sheet1.xml", no leading '/').
 */
#ifndef PS_EXTRACT_OOXML_H
#define PS_EXTRACT_OOXML_H

#include <stddef.h>

#include "extract/office.h"
#include "extract/xmlsax.h"
#include "extract/zipmem.h"

struct ps_opc_rel {
    char *id;     /* "rId3" */
    char *type;   /* last segment of the Type URI: "worksheet", "officeDocument" */
    char *target; /* resolved part name */
};

struct ps_opc_rels {
    struct ps_opc_rel *v;
    size_t n;
    size_t cap;
};

/* Reads the relationships of source ("" = the package itself). A missing rels part
 * is not an error (n = 0). A damaged one: what was read is kept, the status
 * (ECORRUPT, ELIMIT) returned and the reason put in why. ENOMEM. */
piiscan_status ps_opc_rels_read(const struct ps_zip *z, const char *source,
                                const struct ps_office_limits *lim, struct ps_opc_rels *out,
                                char *why, size_t why_size);
void ps_opc_rels_free(struct ps_opc_rels *rels);

/* First relationship of that type / with that id, or NULL. */
const struct ps_opc_rel *ps_opc_rel_by_type(const struct ps_opc_rels *rels, const char *type);
const struct ps_opc_rel *ps_opc_rel_by_id(const struct ps_opc_rels *rels, const char *id);

/* Resolves target against the folder of source (both part names; target may be
 * absolute "/x/y.xml", relative "../a.xml", percent-encoded). Caller frees. NULL
 * on ENOMEM or when the result escapes the package or is too long. */
char *ps_opc_resolve(const char *source, const char *target);

/* Streams member i through an XML parser with handler h (depth bounded by lim).
 * Returns OK, or ECORRUPT / ELIMIT / EENCRYPTED with why filled (malformed XML
 * with its line, truncated member, part too large): the handler has seen every
 * element before the damage. ENOMEM and statuses given to ps_xml_stop pass through.
 * *xp (optional) receives the parser for handlers that call ps_xml_stop: set it
 * in the handler context before parsing via the hook below. */
piiscan_status ps_zip_xml(const struct ps_zip *z, size_t i, const struct ps_xml_handler *h,
                          const struct ps_office_limits *lim, struct ps_xml **hook, char *why,
                          size_t why_size);

/* Decodes OOXML's _xHHHH_ escapes (ST_Xstring) in place; returns the new length. */
size_t ps_ooxml_unescape(char *s, size_t len);

/* Appends UTF-8 for code point cp to buf (at most 4 bytes); returns bytes written. */
size_t ps_utf8_put(unsigned long cp, char *buf);

/* Reads member i as one document part: ps_doc_begin_part(label), the XML through h,
 * ps_doc_end_part. Damage (ECORRUPT / ELIMIT / EENCRYPTED) becomes one warning
 * naming label (or `what` for the body) with the paragraphs and rows read before
 * it. Returns OK, ENOMEM or a sink's status (sink_rc, when a handler stopped for it). */
piiscan_status ps_doc_zip_part(const struct ps_zip *z, size_t i, const char *label,
                               struct ps_doc *doc, const struct ps_xml_handler *h,
                               const struct ps_office_limits *lim,
                               const struct ps_office_sink *sink, struct ps_xml **hook,
                               const piiscan_status *sink_rc);

/* Opens buf as a zip package, or warns "not a readable <what>: <why>" (returning
 * OK with *out NULL). ENOMEM / a sink's status otherwise. */
piiscan_status ps_opc_open(const char *buf, size_t len, const struct ps_office_limits *lim,
                           const struct ps_office_sink *sink, const char *what,
                           struct ps_zip **out);

/* Hands every member under folder ("word/embeddings/") to sink->embedded, each
 * read whole up to lim->max_part_bytes (a cut or damaged one is handed over as
 * far as it goes, with a warning), at most lim->max_parts of them. */
piiscan_status ps_opc_embedded(const struct ps_zip *z, const char *folder,
                               const struct ps_office_limits *lim,
                               const struct ps_office_sink *sink);

/* After a parse: one warning when the zip listing ended early (truncated package),
 * given last so that it is "partial" once the readable parts were scanned. */
piiscan_status ps_opc_damage_warn(const struct ps_zip *z, const struct ps_office_sink *sink);

/* The main part named by the package relationships of that type, else fallback. */
piiscan_status ps_opc_main_part(const struct ps_zip *z, const struct ps_office_limits *lim,
                                const struct ps_office_sink *sink, const char *fallback,
                                char **out);

#endif
