/* validate/validate.h - validators: pure functions that accept or reject a match.
 *
 * A rule names its validator in YAML (`validator: ssn`); the engine looks it up
 * by that name in the registry (validators.def, one line per validator) when the
 * rules are loaded. A validator sees the matched text (the rule's `value` group,
 * separators and all), decides whether it is a plausible instance, and writes
 * the canonical form used for dedupe ("123456789" for an SSN, lower-case email,
 * "2125550143" for a phone) into norm. Validators do no I/O, keep no state and
 * may run on any thread.
 *
 * The verdict feeds the confidence: REJECT drops the match, PLAUSIBLE keeps the
 * rule's base confidence, CHECKSUM (a check digit verified: Luhn, ABA) adds
 * PS_CHECKSUM_BONUS.
 */
#ifndef PS_VALIDATE_VALIDATE_H
#define PS_VALIDATE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ps_verdict {
    PS_VERDICT_REJECT = 0,    /* not an instance: drop the match */
    PS_VERDICT_PLAUSIBLE = 1, /* structure checked (ranges, prefixes) */
    PS_VERDICT_CHECKSUM = 2   /* structure and a check digit verified, or evidence as
                                 strong (a name whose parts are both in the dictionaries) */
};

#define PS_CHECKSUM_BONUS 0.10

/* s[0..n) is the matched value (not NUL-terminated). norm has room for cap bytes
 * (cap >= n + 1 is always enough); on PLAUSIBLE / CHECKSUM it holds the
 * NUL-terminated canonical form. norm is unspecified on REJECT. */
typedef enum ps_verdict (*ps_validate_fn)(const char *s, size_t n, char *norm, size_t cap);

/* --- context-aware validators (detect branch, issue 3) ---
 *
 * Some validators need more than the value: the date validator needs "today" (a
 * birthdate is plausible for ages 0-120), the name validator the name dictionaries
 * loaded with the rules from <rules>/data/, and both whether the value sits in a
 * table cell under a fitting column (an Excel serial is a date only under a
 * birthdate header; any cell under a name header is a name). The matcher builds a
 * ps_validate_ctx per call (borrowed for the call) and hands it to the validators
 * registered with PS_VALIDATOR_CTX; plain validators (PS_VALIDATOR) never see it. */
struct ps_names;

struct ps_validate_ctx {
    const struct ps_names *names; /* name dictionaries of the rule set; NULL when none */
    int64_t now;                  /* "today", Unix seconds (UTC): the matcher's clock, which
                                     tests fix with ps_matcher_set_now() */
    const char *field;            /* header of the table cell the value is in; NULL in text */
    bool in_column;               /* the cell's column fits the rule: the column classifier
                                     gives the rule's category, or the header holds a keyword */
};

typedef enum ps_verdict (*ps_validate_ctx_fn)(const struct ps_validate_ctx *vc, const char *s,
                                              size_t n, char *norm, size_t cap);

struct ps_validator {
    const char *name;      /* the YAML name: "ssn", "luhn", ... */
    ps_validate_fn fn;     /* plain validator; NULL when fn_ctx is set */
    const char *summary;   /* one line, for --list-rules and docs */
    ps_validate_ctx_fn fn_ctx; /* context-aware validator; NULL for plain ones */
};

/* The registry (validators.c). NULL when no validator has that name. */
const struct ps_validator *ps_validator_find(const char *name);
size_t ps_validator_count(void);
/* i < ps_validator_count(); NULL otherwise. */
const struct ps_validator *ps_validator_at(size_t i);

/* Runs v over s[0..n): fn_ctx with vc when it has one (vc may be NULL: a context of
 * zeros, "now" = the current time), fn otherwise. */
enum ps_verdict ps_validator_run(const struct ps_validator *v, const struct ps_validate_ctx *vc,
                                 const char *s, size_t n, char *norm, size_t cap);

/* The validators themselves, one per line of validators.def. */
#define PS_VALIDATOR(name, fn, summary) \
    enum ps_verdict fn(const char *s, size_t n, char *norm, size_t cap);
#define PS_VALIDATOR_CTX(name, fn, summary) \
    enum ps_verdict fn(const struct ps_validate_ctx *vc, const char *s, size_t n, char *norm, \
                       size_t cap);
#include "validate/validators.def"
#undef PS_VALIDATOR
#undef PS_VALIDATOR_CTX

/* --- pure helpers, exposed for tests and for validators added later --- */

/* Copies the ASCII digits of s[0..n) to out (NUL-terminated). Returns how many,
 * or 0 when they do not fit in cap - 1. */
size_t ps_digits_copy(const char *s, size_t n, char *out, size_t cap);
/* True when every byte of d[0..n) is the same (n > 0). */
bool ps_digits_all_same(const char *d, size_t n);

/* SSN: area 001-899 except 666, group 01-99, serial 0001-9999. */
bool ps_ssn_valid(unsigned area, unsigned group, unsigned serial);
/* Numbers published as samples or in advertising (078-05-1120, 219-09-9999,
 * 123-45-6789) and all-one-digit numbers: valid in structure, never real. */
bool ps_ssn_is_sample(const char digits[9]);
/* ITIN: area 9xx, group 50-65, 70-88, 90-92 or 94-99. */
bool ps_itin_valid(unsigned area, unsigned group, unsigned serial);

/* Luhn mod 10 over n ASCII digits. */
bool ps_luhn_valid(const char *digits, size_t n);
/* Issuer whose IIN prefix and length fit: "visa", "mastercard", "amex",
 * "discover", "jcb", "diners"; NULL when none. */
const char *ps_card_issuer(const char *digits, size_t n);

/* ABA routing number: 9 digits, prefix 00-12, 21-32, 61-72 or 80, checksum
 * 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) = 0 mod 10, not all zero. */
bool ps_aba_valid(const char digits[9]);

/* NANP: area NXX (not N11, not N9X), exchange NXX (not N11); 10 digits. */
bool ps_nanp_valid(const char digits[10]);

/* Practical RFC 5321 check: local 1-64 bytes without leading/trailing/double dot,
 * domain <= 253 bytes of labels 1-63 [A-Za-z0-9-] not starting or ending with '-',
 * at least two labels, TLD letters only (2+). */
bool ps_email_valid(const char *s, size_t n);

#endif
