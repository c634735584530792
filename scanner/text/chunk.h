/* text/chunk.h - a UTF-8 stream -> bounded, overlapping TEXT units.
 *
 * See pipeline/unit.h for the unit. Each unit reports [start, limit), at most
 * chunk_bytes bytes; text[0..start) is at least `overlap` bytes of look-behind
 * (less only at the start of the stream), text[limit..len) at least `overlap` bytes
 * of look-ahead (less only at its end). Consecutive units tile the stream: the
 * limit of one, in stream offsets, is the start of the next, so a match is
 * reported by exactly one unit when the engine honours [start, limit). All cuts
 * fall on UTF-8 character boundaries. Memory: one window of
 * 2*overlap + chunk_bytes + 8 bytes per chunker, whatever the stream length.
 *
 * base_line counts '\n'; base_para is 1 + the paragraph breaks before text[0], a
 * break being a '\n' followed by a blank line (only spaces, tabs, '\r', '\f', '\v'
 * up to the next '\n') - the engine counts breaks inside a unit the same way, so
 * base_para + breaks before a match is one record id across chunk boundaries.
 */
#ifndef PS_TEXT_CHUNK_H
#define PS_TEXT_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/stream.h"
#include "pipeline/unit.h"

struct ps_chunker;

/* Called once per unit (borrowed for the call). Return OK to go on; anything
 * else stops ps_chunk_stream, which returns it. */
typedef piiscan_status (*ps_unit_fn)(void *ctx, const struct ps_unit *u);

/* chunk_bytes: reportable bytes per unit (>= 16; PS_CHUNK_BYTES in production);
 * overlap: look-behind and look-ahead (ps_rules_overlap). Caller frees. ENOMEM, EINVAL. */
piiscan_status ps_chunker_new(size_t chunk_bytes, size_t overlap, struct ps_chunker **out);
void ps_chunker_free(struct ps_chunker *c);

/* Cuts the whole of utf8 (valid UTF-8) into units for lpath and calls fn for each.
 * first_line: 1-based line of the first byte (0 = 1); record is copied into every
 * unit (0 = derive records from paragraphs). Returns OK, fn's status, or the
 * stream's failure after every byte before it was handed to fn. */
piiscan_status ps_chunk_stream(struct ps_chunker *c, const char *lpath, struct ps_stream *utf8,
                               uint64_t first_line, uint64_t record, ps_unit_fn fn, void *ctx);

#endif
