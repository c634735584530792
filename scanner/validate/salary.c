/* validate/salary.c - compensation amounts as written, their plausibility and normal form.
 *
 * ps_salary_parse() reads one amount the salary rules found: an optional currency
 * ("$", "US$", "USD", before or "USD" after), digits with or without thousands
 * commas and up to two decimals ("$123,456.00", "85,000.00 USD", "123456"), a scale
 * ("$85k", "$1.2M", "$2 million": up to three decimals before a scale) and an hourly
 * unit ("/hr", "/hour", "per hour", "an hour"). Arithmetic is in whole cents on 64
 * bits, so "$1.2M" is exactly 120000000 cents, never a float rounding.
 *
 * The salary validator then asks for a plausible pay: hourly amounts 7-1,000 (marked
 * hourly, under 100 without a unit, or up to 1,000 in a cell under an hourly or rate
 * column), annual amounts 10,000-50,000,000, and other compensation - a bonus, a
 * monthly salary - from 100 up to 10,000. Whether an amount is pay at all is the
 * rule's business (keywords, columns, veto); the validator only removes amounts no
 * one is paid. Normal form: a decimal string with two places, "3000000.00", and
 * hourly amounts with a "/hr" suffix, "42.50/hr", so that one salary written
 * "$85k", "$85,000" and "85,000.00 USD" dedupes to "85000.00".
 */
#include <stdio.h>
#include <string.h>

#include "validate/salary.h"
#include "validate/validate.h"

#define CENTS(x) ((uint64_t)(x)*100u)
#define MAX_INT_DIGITS 12u /* 999 billion: far past any pay, far from overflow */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Does s[*i..n) start with word w (case-insensitive, not followed by a letter)?
 * Advances *i past it when it does. */
static bool eat_word(const char *s, size_t n, size_t *i, const char *w)
{
    size_t k = strlen(w);

    if (*i + k > n)
        return false;
    for (size_t j = 0; j < k; j++) {
        if (lower(s[*i + j]) != w[j])
            return false;
    }
    if (*i + k < n &&
        ((s[*i + k] >= 'a' && s[*i + k] <= 'z') || (s[*i + k] >= 'A' && s[*i + k] <= 'Z')))
        return false;
    *i += k;
    return true;
}

static void skip_spaces(const char *s, size_t n, size_t *i)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
        (*i)++;
}

/* Currency before the number: "$", "US$", "USD". */
static void eat_currency(const char *s, size_t n, size_t *i, struct ps_salary *out)
{
    if (*i + 3 <= n && memcmp(s + *i, "US$", 3) == 0)
        *i += 3;
    else if (*i < n && s[*i] == '$')
        (*i)++;
    else if (*i + 3 <= n && lower(s[*i]) == 'u' && lower(s[*i + 1]) == 's' &&
             lower(s[*i + 2]) == 'd')
        *i += 3;
    else
        return;
    out->has_currency = true;
    skip_spaces(s, n, i);
}

/* Digits with optional thousands commas (groups of exactly three) and decimals.
 * *micro is the amount in millionths of a unit. False when malformed. */
static bool eat_number(const char *s, size_t n, size_t *i, uint64_t *micro, unsigned *decimals)
{
    uint64_t whole = 0;
    uint64_t frac = 0;
    size_t digits = 0;
    size_t group = 0;
    bool comma = false;

    while (*i < n && (is_digit(s[*i]) || (s[*i] == ',' && *i + 1 < n && is_digit(s[*i + 1])))) {
        if (s[*i] == ',') {
            /* "1,234" has one to three digits before the first comma, three after each. */
            if ((comma && group != 3) || (!comma && (group == 0 || group > 3)))
                return false;
            comma = true;
            group = 0;
        } else {
            if (++digits > MAX_INT_DIGITS)
                return false;
            whole = whole * 10u + (uint64_t)(s[*i] - '0');
            group++;
        }
        (*i)++;
    }
    if (digits == 0 || (comma && group != 3))
        return false;
    *decimals = 0;
    if (*i + 1 < n && s[*i] == '.' && is_digit(s[*i + 1])) {
        (*i)++;
        while (*i < n && is_digit(s[*i])) {
            if (++*decimals > 6)
                return false;
            frac = frac * 10u + (uint64_t)(s[*i] - '0');
            (*i)++;
        }
        for (unsigned k = *decimals; k < 6; k++)
            frac *= 10u;
    }
    *micro = whole * 1000000u + frac;
    return true;
}

/* "k", "K", "M", "MM", "million", "mil": the multiplier, or 1. */
static uint64_t eat_scale(const char *s, size_t n, size_t *i)
{
    size_t j = *i;

    skip_spaces(s, n, &j);
    if (eat_word(s, n, &j, "k") || eat_word(s, n, &j, "thousand")) {
        *i = j;
        return 1000u;
    }
    if (eat_word(s, n, &j, "m") || eat_word(s, n, &j, "mm") || eat_word(s, n, &j, "million") ||
        eat_word(s, n, &j, "mil")) {
        *i = j;
        return 1000000u;
    }
    return 1u;
}

/* "/hr", "/hour", "/h", "per hour", "an hour", "hourly", "p/h". */
static bool eat_hourly(const char *s, size_t n, size_t *i)
{
    size_t j = *i;

    skip_spaces(s, n, &j);
    if (j < n && s[j] == '/') {
        j++;
        skip_spaces(s, n, &j);
        if (eat_word(s, n, &j, "hr") || eat_word(s, n, &j, "hour") || eat_word(s, n, &j, "h")) {
            *i = j;
            return true;
        }
        return false;
    }
    if (eat_word(s, n, &j, "per") || eat_word(s, n, &j, "an") || eat_word(s, n, &j, "a")) {
        skip_spaces(s, n, &j);
        if (eat_word(s, n, &j, "hour")) {
            *i = j;
            return true;
        }
        return false;
    }
    if (eat_word(s, n, &j, "hourly") || eat_word(s, n, &j, "p/h")) {
        *i = j;
        return true;
    }
    return false;
}

bool ps_salary_parse(const char *s, size_t n, struct ps_salary *out)
{
    size_t i = 0;
    uint64_t micro = 0;
    unsigned decimals = 0;
    uint64_t scale;

    memset(out, 0, sizeof *out);
    skip_spaces(s, n, &i);
    eat_currency(s, n, &i, out);
    if (!eat_number(s, n, &i, &micro, &decimals))
        return false;
    scale = eat_scale(s, n, &i);
    out->is_scaled = scale > 1;
    /* A million million is no pay, and keeps the arithmetic below in 64 bits. */
    if (out->is_scaled && micro > UINT64_C(1000000) * 1000000u)
        return false;
    /* Money has two decimals; only a scaled amount ("$1.25M") may have more. */
    if (decimals > (out->is_scaled ? 3u : 2u))
        return false;
    out->cents = micro / 10000u * scale + (micro % 10000u) * scale / 10000u;
    skip_spaces(s, n, &i);
    if (!out->has_currency && i + 3 <= n && lower(s[i]) == 'u' && lower(s[i + 1]) == 's' &&
        lower(s[i + 2]) == 'd') {
        i += 3;
        out->has_currency = true;
    }
    out->is_hourly = eat_hourly(s, n, &i);
    skip_spaces(s, n, &i);
    return i == n && !(out->is_hourly && out->is_scaled);
}

/* Does the column header suggest an hourly rate ("Hourly Rate", "Rate", "Wage")? */
static bool field_is_hourly(const char *field)
{
    static const char *const hints[] = {"hour", "rate", "wage"};

    if (field == NULL)
        return false;
    for (const char *p = field; *p; p++) {
        for (size_t k = 0; k < sizeof hints / sizeof hints[0]; k++) {
            size_t j = 0;
            while (hints[k][j] && lower(p[j]) == hints[k][j])
                j++;
            if (hints[k][j] == '\0')
                return true;
        }
    }
    return false;
}

enum ps_salary_kind ps_salary_classify(const struct ps_salary *a, const char *field)
{
    uint64_t c = a->cents;

    if (a->is_hourly)
        return (c >= CENTS(7) && c <= CENTS(1000)) ? PS_SALARY_HOURLY : PS_SALARY_NONE;
    if (c >= CENTS(10000) && c <= CENTS(50000000))
        return PS_SALARY_ANNUAL;
    if (!a->is_scaled && c >= CENTS(7) && c <= CENTS(1000) &&
        (c < CENTS(100) || field_is_hourly(field)))
        return PS_SALARY_HOURLY;
    if (c >= CENTS(100) && c < CENTS(10000))
        return PS_SALARY_OTHER;
    return PS_SALARY_NONE;
}

enum ps_verdict ps_validate_salary(const struct ps_validate_ctx *vc, const char *s, size_t n,
                                   char *norm, size_t cap)
{
    struct ps_salary a;
    enum ps_salary_kind kind;
    int w;

    if (!ps_salary_parse(s, n, &a))
        return PS_VERDICT_REJECT;
    kind = ps_salary_classify(&a, vc->field);
    if (kind == PS_SALARY_NONE)
        return PS_VERDICT_REJECT;
    w = snprintf(norm, cap, "%llu.%02llu%s", (unsigned long long)(a.cents / 100u),
                 (unsigned long long)(a.cents % 100u), kind == PS_SALARY_HOURLY ? "/hr" : "");
    return (w > 0 && (size_t)w < cap) ? PS_VERDICT_PLAUSIBLE : PS_VERDICT_REJECT;
}
