/* engine/engine.h - rules -> matcher -> findings.
 *
 * piiscan_rules (engine/rules_load.c, compile.c) is immutable after loading and
 * shared by every thread. A ps_matcher is one thread's matching state over it
 * (PCRE2 match data per rule, scratch buffers): one per scanner.
 */
#ifndef PS_ENGINE_ENGINE_H
#define PS_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "pipeline/unit.h"

struct ps_matcher;

piiscan_status ps_matcher_new(const piiscan_rules *rules, struct ps_matcher **out);
void ps_matcher_free(struct ps_matcher *m);

/* Called once per finding, in offset order within the unit; the finding is
 * borrowed for the call. Return PIISCAN_CONTINUE or PIISCAN_ABORT. */
typedef int (*ps_finding_fn)(void *ctx, const piiscan_finding *f);

/* Match every rule over u (TEXT: only matches starting in [start, limit)).
 * Returns OK, EABORTED (emit said stop) or ENOMEM. */
piiscan_status ps_matcher_run(struct ps_matcher *m, const struct ps_unit *u, ps_finding_fn emit,
                              void *ctx);

/* Bytes of look-behind and look-ahead a TEXT chunk needs so that every rule
 * sees its whole match and its context window (the chunk overlap). */
size_t ps_rules_overlap(const piiscan_rules *rules);

/* --- additions (engine branch) --- */

/* Optional column classifier (issue 3: rules/columns.yaml): maps a ROW cell's
 * header to a category, or -1. A rule whose category equals the header's category
 * counts as having context (it satisfies requires_context and gets the rule's
 * boost), exactly like a keyword near the value. Without one, headers are only
 * searched for the rule's keywords. fn may be NULL (off). */
typedef int (*ps_field_class_fn)(void *ctx, const char *header);
void ps_matcher_set_field_class(struct ps_matcher *m, ps_field_class_fn fn, void *ctx);

/* How the engine numbers lines and paragraphs in a TEXT unit, for the chunker.
 * Over t[0..upto) (upto <= len): *lines = number of '\n'; *breaks = number of
 * '\n' followed by a blank line (only spaces, tabs, CR, FF, VT, then '\n', looked
 * up in t[0..len)). A finding at offset o of a unit gets
 *   line   = base_line + lines(text, len, o)
 *   record = base_para + breaks(text, len, o)      (when the unit's record is 0)
 * so a chunker keeps findings of all chunks consistent by giving the next chunk
 *   base_line = 1 + lines(stream, text0), base_para = 1 + breaks(stream, text0)
 * counted with look-ahead past text0 (its overlap is enough). Record ids are
 * distinct per paragraph, not consecutive (two blank lines count twice). */
void ps_engine_count_lines(const char *t, size_t len, size_t upto, uint64_t *lines,
                           uint64_t *breaks);

/* --- additions (detect branch, issue 3) --- */

/* Fixes the matcher's "today" (Unix seconds, UTC), which context-aware validators
 * read (a birthdate is plausible for ages 0-120 today). ps_matcher_new sets it to
 * the current time; tests fix it here. */
void ps_matcher_set_now(struct ps_matcher *m, int64_t now);

#endif
