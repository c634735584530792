/* record/normalize.h - canonical forms of identity values, for dedupe.
 *
 * The engine already hands out a `normalized` value per finding; these
 * functions make the forms that identify a person robust to how a dump wrote
 * them: "123-45-6789" and "123456789" are the same SSN, "Amy Pascal",
 * "PASCAL, AMY" and "Ms. Amy B. Pascal" the same name. Pure functions, no
 * allocation: output goes to a caller buffer and is always NUL-terminated.
 */
#ifndef PS_RECORD_NORMALIZE_H
#define PS_RECORD_NORMALIZE_H

#include <stddef.h>

#define PS_NORM_MAX 256u /* longest canonical value kept (bytes, with the NUL) */

/* ASCII digits of in, in order. Returns the length written. */
size_t ps_norm_digits(const char *in, char *out, size_t cap);

/* A person's name: ASCII lower-case; "Last, First Middle" reordered to
 * "first middle last"; titles and suffixes (mr, mrs, ms, dr, prof, jr, sr, ii,
 * iii, phd, ...) and single-letter initials dropped; punctuation other than
 * '-' and '\'' inside words dropped; words joined by one space. Non-ASCII bytes
 * are kept as they are. Returns the length (0 when nothing is left). */
size_t ps_norm_name(const char *in, char *out, size_t cap);

/* Display form of a canonical name: each word capitalised ("amy pascal" ->
 * "Amy Pascal", "o'neil smith-jones" -> "O'Neil Smith-Jones"). */
size_t ps_name_display(const char *norm, char *out, size_t cap);

/* Masked name: the first character of each word, then one '*' per further
 * character (UTF-8 aware): "Amy Pascal" -> "A** P*****". */
size_t ps_name_mask(const char *name, char *out, size_t cap);

/* Trimmed copy with ASCII letters lower-cased (a generic canonical form). */
size_t ps_norm_plain(const char *in, char *out, size_t cap);

#endif
