/* validate/salary.h - amounts of pay as written: parsing, plausibility ranges, normal
 * form. Pure functions; the `salary` validator is declared through validators.def.
 * See salary.c for the forms read and the ranges.
 */
#ifndef PS_VALIDATE_SALARY_H
#define PS_VALIDATE_SALARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One amount as read from the text. */
struct ps_salary {
    uint64_t cents;    /* the amount, scale applied: "$1.2M" = 120000000 */
    bool has_currency; /* "$", "US$" or "USD" was written */
    bool is_scaled;    /* "k", "M", "million" was written */
    bool is_hourly;    /* "/hr", "per hour" ... was written */
};

/* Reads s[0..n) whole: [currency] number [scale] [USD] [hourly unit]. False when s
 * is anything else (stray text, malformed commas, more than two decimals without a
 * scale, a scaled hourly amount). */
bool ps_salary_parse(const char *s, size_t n, struct ps_salary *out);

enum ps_salary_kind {
    PS_SALARY_NONE = 0, /* no plausible pay */
    PS_SALARY_HOURLY,   /* 7 - 1,000 an hour */
    PS_SALARY_ANNUAL,   /* 10,000 - 50,000,000 */
    PS_SALARY_OTHER     /* 100 - 10,000: a bonus, a monthly salary */
};

/* What a plausible pay a is; field (a column header, or NULL) tells an hourly rate
 * column ("Hourly Rate", "Rate", "Wage") from others for amounts of 100-1,000. */
enum ps_salary_kind ps_salary_classify(const struct ps_salary *a, const char *field);

#endif
