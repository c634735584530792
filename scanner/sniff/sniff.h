/* sniff/sniff.h - what a stream is, from its content (libmagic + BOM), never its name. */
#ifndef PS_SNIFF_SNIFF_H
#define PS_SNIFF_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "piiscan/status.h"

#define PS_SNIFF_HEAD (64 * 1024)  /* bytes of a stream's head given to libmagic */

struct ps_kind {
    char mime[128];          /* "text/plain", "application/zip", "application/gzip", ... */
    char charset[32];        /* lower-case: "utf-8", "us-ascii", "utf-16le", "utf-16be",
                                "iso-8859-1", "binary", ... */
    bool is_text;            /* decodable text (any charset above but binary) */
    bool has_bom;            /* charset came from a byte-order mark */
    const char *name;        /* last element of the logical path: a hint only, never trusted */
};

struct ps_sniffer;           /* one magic_t; one per scanner (thread) */

piiscan_status ps_sniffer_new(struct ps_sniffer **out);
void ps_sniffer_free(struct ps_sniffer *s);
/* Classify head[0..len). Never fails on content: unknown data is application/octet-stream. */
void ps_sniff(struct ps_sniffer *s, const char *head, size_t len, const char *name,
              struct ps_kind *out);

#endif
