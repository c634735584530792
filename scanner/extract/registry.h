/* extract/registry.h - the bid table of extractors (libarchive register_format style).
 *
 * Each extractor bids on what sniff/ found; the highest bid opens the data. A
 * new format is one file in extract/ plus one line in registry.c.
 * Bids (guide): 0 not mine; 10 generic text; 50 generic container (archive);
 * 80 a specific format recognised by MIME type or signature (xlsx, pdf, mbox).
 */
#ifndef PS_EXTRACT_REGISTRY_H
#define PS_EXTRACT_REGISTRY_H

#include <stddef.h>

#include "pipeline/scanner.h"
#include "pipeline/stream.h"
#include "sniff/sniff.h"

struct ps_input {
    const char *lpath;
    unsigned depth;                /* 0 for a top-level file */
    const struct ps_kind *kind;    /* what sniff/ found */
    const char *head;              /* first bytes of the stream (up to PS_SNIFF_HEAD) */
    size_t head_len;
    struct ps_stream *stream;      /* the whole stream, head included (replayed) */
};

struct ps_extractor {
    const char *name;              /* reported as piiscan_file_info.format */
    int (*bid)(const struct ps_kind *kind, const char *head, size_t head_len);
    /* Returns OK, a member failure (dispatch turns it into a warning), EABORTED or ENOMEM. */
    piiscan_status (*extract)(piiscan_scanner *sc, struct ps_input *in);
    int is_container;              /* members get their own FILE events */
};

/* The extractor with the highest bid, or NULL when none bids (binary: skipped). */
const struct ps_extractor *ps_registry_pick(const struct ps_kind *kind, const char *head,
                                            size_t head_len);

#endif
