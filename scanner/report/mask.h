/* report/mask.h - masking PII and making dump text safe to print.
 *
 * Two jobs at the report boundary, both pure functions over bytes:
 *   - masking: a value is rewritten per category so that a report still tells a
 *     responder what kind of data it was without disclosing it
 *     (123-45-6789 -> ***-**-6789, jane@example.com -> j***@example.com,
 *     Amy Pascal -> A** P*****, 1967-04-12 -> 1967-**-**, $3,000,000 -> $*******).
 *     A context window is masked too: every span that is a finding is replaced by
 *     its masked value, and as a safety net the digits of any other digit group run
 *     (digits joined by at most two of " -./,()": dates, spaced card or phone
 *     numbers, amounts) holding 6 or more digits become stars.
 *   - cleaning: text from a dump is hostile. Control characters (C0, DEL, C1),
 *     bidirectional overrides and invalid UTF-8 are replaced, so a value cannot
 *     forge report lines or send escape sequences to a terminal.
 * Every function writes at most cap bytes including a terminating NUL and returns
 * the length written (excluding the NUL). Outputs are cut, never overrun, when cap
 * is too small; ps_mask_cap() gives a cap that is always enough.
 */
#ifndef PS_REPORT_MASK_H
#define PS_REPORT_MASK_H

#include <stdbool.h>
#include <stddef.h>

#include "piiscan/finding.h"

/* A span of a context window that holds a finding of category cat. */
struct ps_mask_span {
    size_t start;
    size_t len;
    piiscan_category cat;
};

/* How cleaning treats whitespace controls (\t \n \r \v \f). */
enum ps_clean_mode {
    PS_CLEAN_FIELD = 0,  /* every control becomes '?' (paths, values, names, messages) */
    PS_CLEAN_CONTEXT = 1 /* whitespace controls become ' ', other controls '?' */
};

/* A cap that is always enough for masking/cleaning n input bytes with nspans spans. */
size_t ps_mask_cap(size_t n, size_t nspans);

/* Masks value v (n bytes, UTF-8) per category into out. Categories out of range
 * are masked as "unknown": every character but the last two becomes '*'. */
size_t ps_mask_value(piiscan_category cat, const char *v, size_t n, char *out, size_t cap);

/* Masks a context window: each span (clipped to [0, n); spans may be unsorted and
 * overlap, the array is sorted in place) is replaced by its masked value, and the
 * digits of any other digit group run with 6+ digits by '*'. Not yet cleaned. */
size_t ps_mask_context(const char *ctx, size_t n, struct ps_mask_span *spans, size_t nspans,
                       char *out, size_t cap);

/* Copies s (n bytes) into out with control characters, C1 controls, bidi overrides
 * and invalid UTF-8 bytes replaced (see ps_clean_mode). Never longer than n. */
size_t ps_mask_clean(const char *s, size_t n, enum ps_clean_mode mode, char *out, size_t cap);

struct ps_rfinding; /* report/store.h */

#define PS_MASK_MAX_SPANS 64u /* findings masked inside one context window */

/* The CSV/JSON "value" cell of f: masked (unless reveal), then cleaned
 * (PS_CLEAN_FIELD). cap >= ps_mask_cap(f->value_len, 1) is always enough. */
size_t ps_mask_finding_value(const struct ps_rfinding *f, bool reveal, char *out, size_t cap);

/* The "context" cell of all[i]: unless reveal, its own value and every other finding
 * of the same member whose span falls inside the window (found by stream offset and
 * checked against the bytes; for a finding on the same line whose offset does not
 * map, searched by value) are masked, then digit group
 * runs of 6+ digits; finally cleaned with PS_CLEAN_CONTEXT (newlines become spaces). all[] is a
 * batch's findings in report order. cap >= ps_mask_cap(context_len, PS_MASK_MAX_SPANS). */
size_t ps_mask_finding_context(const struct ps_rfinding *all, size_t n, size_t i, bool reveal,
                               char *out, size_t cap);

#endif
