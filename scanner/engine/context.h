/* engine/context.h - what surrounds a match: keywords, the context window, line
 * and paragraph position. Pure functions over a borrowed text; used by match.c.
 */
#ifndef PS_ENGINE_CONTEXT_H
#define PS_ENGINE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when one of kws[0..n) (lower-case, non-empty) starts in t[a..b) (b
 * clipped to len), compared ASCII case-insensitively. first is a 256-bit map of
 * the bytes keywords start with (both cases), so most bytes cost one test. A keyword that begins with a letter or digit
 * must begin a word: the byte before is not alphanumeric, or is a lower-case
 * letter followed by an upper-case one ("EmployeeSSN"). One that ends with a
 * letter must end a word, an 's' excepted ("SSNs"); digits may follow ("SSN123"). */
bool ps_context_has_keyword(const char *t, size_t len, size_t a, size_t b, char *const *kws,
                            size_t n, const uint8_t first[32]);

/* Distance in bytes from value t[vs..ve) to the nearest keyword of kws[0..n) that
 * starts in t[a..b) (same matching rules as ps_context_has_keyword): for a keyword
 * ending at or before vs, vs minus its end; for one starting at or after ve, its
 * start minus ve plus PS_CONTEXT_AFTER_BYTES (labels come before values, so a word
 * after the value is weaker evidence); 0 when it overlaps the value. SIZE_MAX when
 * there is none. Used by
 * rules with context.veto, where the nearer of a keyword and a negative keyword
 * decides ("salary $90,000; the marketing budget is $152,000,000"). */
/* Narrows the keyword window [*a, vs) before value t[vs..ve) and [ve, *b) after it so
 * that it stops at the nearest other number - a group of at least 4 digits joined by
 * '/', '.', '-', ',' or ':' - on each side: a label names the value next to it, not
 * one behind another number ("DOB 31.10.2001 ... grossed $202M by 02/08/2012"); after
 * the value the window also ends with the value's line. For context.exclusive. */
void ps_context_clip(const char *t, size_t vs, size_t ve, size_t *a, size_t *b);

#define PS_CONTEXT_AFTER_BYTES 32u

size_t ps_context_keyword_distance(const char *t, size_t len, size_t vs, size_t ve, size_t a,
                                   size_t b, char *const *kws, size_t n, const uint8_t first[32]);

/* Copies the context of value t[vs..ve) into out (NUL-terminated): up to
 * PS_CONTEXT_BYTES each side, cut back to UTF-8 character boundaries and to the
 * value's own line; control bytes become spaces. The value is never cut (out must
 * hold ve - vs + 2 * PS_CONTEXT_BYTES + 1). Returns the length; *value_at is the
 * value's offset in out. */
size_t ps_context_window(const char *t, size_t len, size_t vs, size_t ve, char *out, size_t cap,
                         size_t *value_at);

/* Incremental line / paragraph counter over one text t[0..len); `at` only moves
 * forward. lines = '\n' bytes in t[0..at). breaks = '\n' bytes in t[0..at) that
 * are followed by a blank line (only spaces, tabs, CR, FF, VT, then '\n' before
 * len): each marks the end of a paragraph. Counting at the '\n' *before* the blank
 * line makes the count decidable from the text alone, wherever a chunk starts. */
struct ps_textpos {
    size_t at;
    uint64_t lines;
    uint64_t breaks;
};

void ps_textpos_init(struct ps_textpos *p);
void ps_textpos_advance(struct ps_textpos *p, const char *t, size_t len, size_t to);

#endif
