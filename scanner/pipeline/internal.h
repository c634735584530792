/* pipeline/internal.h - the scanner's state, private to the pipeline/ sources.
 *
 * One scanner per thread: nothing here is shared, nothing is global. The
 * rules are borrowed (immutable, shared); everything else is owned.
 */
#ifndef PS_PIPELINE_INTERNAL_H
#define PS_PIPELINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "extract/archive.h"
#include "piiscan/piiscan.h"
#include "sniff/sniff.h"
#include "text/chunk.h"
#include "text/decode.h"

#define PS_DECODER_CACHE 4u

struct ps_decoder_slot {
    struct ps_decoder *d;
    bool is_busy;
};

struct piiscan_scanner {
    const piiscan_rules *rules; /* borrowed */
    piiscan_options opt;
    struct ps_matcher *matcher;
    struct ps_sniffer *sniffer;
    struct ps_chunker *chunker; /* cached; is_chunker_busy when in use */
    bool is_chunker_busy;
    size_t overlap; /* ps_rules_overlap(rules) */
    struct ps_decoder_slot dec[PS_DECODER_CACHE];

    piiscan_callback cb; /* of the current scan call */
    void *user;
    bool is_aborted;                 /* the callback said PIISCAN_ABORT */
    struct ps_archive_budget budget; /* of the current top-level file */
};

/* Sets the callback and resets per-top-level state; used by every piiscan_scan_*. */
void ps_scanner_begin(piiscan_scanner *sc, piiscan_callback cb, void *user);

#endif
