/* pipeline/private.h - scanner services for extractors inside the library.
 *
 * pipeline/scanner.h is what every stage may call; these are the few extra
 * services that the library's own extractors (archive, text, table) need from
 * the scanner's per-thread state: the budget of the current top-level file, the
 * cache of charset decoders, and the UTF-8 text path (chunk -> engine).
 */
#ifndef PS_PIPELINE_PRIVATE_H
#define PS_PIPELINE_PRIVATE_H

#include <stdint.h>

#include "extract/archive.h"
#include "pipeline/scanner.h"
#include "text/decode.h"

/* Expansion budget of the top-level file being scanned (reset per top-level file). */
struct ps_archive_budget *ps_scanner_budget(piiscan_scanner *sc);

/* A decoder for charset, borrowed until ps_scanner_decoder_put (cached per scanner;
 * nested use gets a fresh one). NULL on ENOMEM. */
struct ps_decoder *ps_scanner_decoder(piiscan_scanner *sc, const char *charset);
void ps_scanner_decoder_put(piiscan_scanner *sc, struct ps_decoder *d);

/* Chunks a valid UTF-8 stream into TEXT units and scans them (first_line, record as in
 * ps_chunk_stream). Returns OK, EABORTED, ENOMEM, or the stream's failure. */
piiscan_status ps_scan_utf8_stream(piiscan_scanner *sc, const char *lpath, struct ps_stream *u8,
                                   uint64_t first_line, uint64_t record);

#endif
