/* extract/json.h - JSON and NDJSON, streamed.
 *
 * A byte-at-a-time parser (no document is ever built) that turns objects into
 * records: an object at the top level or inside an array is a record; an object
 * inside an object is flattened into its record with dotted names
 * ("address.city"); scalars inside arrays take the array's name. Keys are the
 * cells' headers, so {"ssn": "..."} gets column context. A sequence of top-level
 * values (NDJSON, or concatenated JSON) is read as well as one document.
 */
#ifndef PS_EXTRACT_JSON_H
#define PS_EXTRACT_JSON_H

#include <stddef.h>

#include "extract/recsink.h"
#include "extract/registry.h"

struct ps_json;

piiscan_status ps_json_new(const struct ps_recsink *sink, struct ps_json **out);
void ps_json_free(struct ps_json *j);
/* Feeds the next bytes. Syntax errors are warnings (the rest of the line goes to
 * the sink as text and the parser resynchronises at the next line, keeping what
 * it had read); lines that are not JSON values are text. Returns OK, EABORTED or
 * ENOMEM. */
piiscan_status ps_json_feed(struct ps_json *j, const char *buf, size_t len);
/* End of input: emits open records (truncated input), warns if incomplete. */
piiscan_status ps_json_finish(struct ps_json *j);

extern const struct ps_extractor ps_json_extractor;

#endif
