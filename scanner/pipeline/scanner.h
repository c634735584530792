/* pipeline/scanner.h - what extractors and the engine may call on a scanner.
 *
 * The scanner (struct piiscan_scanner, private to pipeline/) owns one thread's
 * state: options, the matcher, the sniffer, the callback. Stages reach it only
 * through these functions:
 *   ps_dispatch   a stream with a logical path -> sniff -> the best extractor
 *                 (archive members and mail attachments come back here, depth+1)
 *   ps_scan_unit  a unit -> engine -> FINDING events
 *   ps_emit_text  already-decoded UTF-8 text (a docx paragraph, a PDF page) ->
 *                 chunked TEXT units
 *   ps_warn       a member failure -> WARNING event (the scan goes on)
 * All functions return EABORTED once the callback has asked to stop; extractors
 * pass that up unchanged and stop.
 */
#ifndef PS_PIPELINE_SCANNER_H
#define PS_PIPELINE_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/scan.h"
#include "pipeline/stream.h"
#include "pipeline/unit.h"

/* Sniff in, pick the extractor with the highest bid, emit FILE_BEGIN/FILE_END around it.
 * Member failures are turned into warnings here; returns OK, EABORTED or ENOMEM. */
piiscan_status ps_dispatch(piiscan_scanner *sc, const char *lpath, unsigned depth,
                           struct ps_stream *in);

/* Run the engine over one unit; findings below min_confidence are dropped. */
piiscan_status ps_scan_unit(piiscan_scanner *sc, const struct ps_unit *u);

/* Chunk and scan UTF-8 text that an extractor already decoded. line is the
 * 1-based line of text[0] (0 = none: lines are counted from 1); record != 0 gives
 * every finding that record id (a paragraph of a document); 0 = paragraphs. */
piiscan_status ps_emit_text(piiscan_scanner *sc, const char *lpath, const char *text,
                            size_t len, uint64_t line, uint64_t record);

/* WARNING event: "lpath: <message>". partial = part of it was scanned. */
piiscan_status ps_warn(piiscan_scanner *sc, const char *lpath, piiscan_status st, bool partial,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

const piiscan_options *ps_scanner_options(const piiscan_scanner *sc);
const piiscan_rules *ps_scanner_rules(const piiscan_scanner *sc);

#endif
