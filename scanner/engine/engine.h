/* engine/engine.h - rules -> matcher -> findings.
 *
 * piiscan_rules (engine/rules_load.c, compile.c) is immutable after loading and
 * shared by every thread. A ps_matcher is one thread's matching state over it
 * (PCRE2 match data per rule, scratch buffers): one per scanner.
 */
#ifndef PS_ENGINE_ENGINE_H
#define PS_ENGINE_ENGINE_H

#include <stddef.h>

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

#endif
