/* validate/date.c - calendar dates as people and exports write them; birthdates.
 *
 * ps_date_parse() reads one date written in any of the forms the dob rules find:
 * numeric with one separator used twice (03/05/1971, 3/5/71, 1971-03-05,
 * 05.03.1971, 1971/03/05), day-month-name-year (5-Mar-1971, 5 March 1971,
 * 19 October 2002, 5-Mar-71) and month-name-day-year (March 5, 1971, Mar. 5, 1971,
 * Sept. 5th, 1971). Numeric field order: year first when the first field has four
 * digits; otherwise slashes and dashes are read US-style month/day, falling back to
 * day/month when the first field is over 12, and dots European-style day.month,
 * falling back to month.day when the second field is over 12 (a dotted date is
 * almost never American). A two-digit year is the most recent year that ends in
 * those digits and does not put the date in the future: with today in 2025, 71 is
 * 1971, 05 is 2005, 30 is 1930.
 *
 * The dob validators then ask for a birthdate of a living person: a real calendar
 * day (no 02/30; 02/29 only in leap years) no later than today and no more than
 * 120 years back. "Today" comes from the validation context (the matcher's clock,
 * fixed in tests), never from a global. Excel stores dates as serial day numbers
 * (1900 date system: 1 = 1900-01-01, with Lotus's phantom 1900-02-29 as 60); the
 * excel_date validator converts a serial, but only in a table cell under a fitting
 * column, since a five-digit number in prose is anything but a date. The
 * normalised form is ISO 8601, YYYY-MM-DD.
 *
 * Day arithmetic uses the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil), so no time zone or libc state is involved.
 */
#include <stdio.h>
#include <string.h>

#include "validate/date.h"
#include "validate/validate.h"

#define MAX_AGE_YEARS 120
#define EXCEL_SERIAL_MAX 2958465L /* 9999-12-31 */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool ps_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ps_date_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m < 1 || m > 12)
        return 0;
    return (m == 2 && ps_date_is_leap(y)) ? 29 : days[m - 1];
}

bool ps_date_valid(const struct ps_ymd *d)
{
    return d->y >= 1 && d->y <= 9999 && d->d >= 1 && d->d <= ps_date_days_in_month(d->y, d->m);
}

int64_t ps_date_to_days(const struct ps_ymd *d)
{
    int64_t y = d->m <= 2 ? d->y - 1 : d->y;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = d->m > 2 ? d->m - 3 : d->m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d->d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void ps_date_from_days(int64_t z, struct ps_ymd *out)
{
    int64_t era;
    int64_t doe;
    int64_t yoe;
    int64_t doy;
    int64_t mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->y = (int)(yoe + era * 400 + (out->m <= 2));
}

void ps_date_today(int64_t now, struct ps_ymd *out)
{
    /* Floor division: a clock before 1970 still lands on the right day. */
    int64_t days = now / 86400 - (now % 86400 < 0);
    ps_date_from_days(days, out);
}

int ps_date_month_from_name(const char *s, size_t n)
{
    static const char *const names[12] = {"january",   "february", "march",    "april",
                                          "may",       "june",     "july",     "august",
                                          "september", "october",  "november", "december"};
    char w[10];

    if (n < 3 || n > 9)
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = lower(s[i]);
    /* "sept" is the one common abbreviation that is not the first three letters. */
    if (n == 4 && memcmp(w, "sept", 4) == 0)
        return 9;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);
        if (n <= full && (n == 3 || n == full) && memcmp(w, names[m], n) == 0)
            return m + 1;
    }
    return 0;
}

/* ---------- tokens ---------- */

static bool is_ordinal(const char *s, size_t n)
{
    static const char *const suffixes[] = {"st", "nd", "rd", "th"};

    for (size_t i = 0; n == 2 && i < 4; i++) {
        if (lower(s[0]) == suffixes[i][0] && lower(s[1]) == suffixes[i][1])
            return true;
    }
    return false;
}

enum tok_kind { TOK_NUM, TOK_WORD };

struct tok {
    enum tok_kind kind;
    long value;     /* TOK_NUM */
    size_t ndigits; /* TOK_NUM */
    int month;      /* TOK_WORD: 1-12, 0 when not a month name */
    char sep_after; /* first separator byte after the token, or 0 */
};

#define MAX_TOKS 4

/* Splits s into at most MAX_TOKS number / word tokens; ordinal suffixes after a
 * number (5th, 1st) are skipped. Returns the count, or 0 when s holds more tokens,
 * a number longer than 4 digits or a word that is not a month or an ordinal. */
static size_t tokenize(const char *s, size_t n, struct tok *t)
{
    size_t k = 0;
    size_t i = 0;

    while (i < n) {
        if (is_digit(s[i]) || is_alpha(s[i])) {
            size_t j = i;
            bool num = is_digit(s[i]);
            while (j < n && (num ? is_digit(s[j]) : is_alpha(s[j])))
                j++;
            if (!num && k > 0 && t[k - 1].kind == TOK_NUM && t[k - 1].sep_after == 0 &&
                is_ordinal(s + i, j - i)) {
                i = j; /* "5th", "1st", "22nd", "3rd" */
                continue;
            }
            if (k == MAX_TOKS || (num && j - i > 4))
                return 0;
            memset(&t[k], 0, sizeof t[k]);
            t[k].kind = num ? TOK_NUM : TOK_WORD;
            if (num) {
                t[k].ndigits = j - i;
                for (size_t q = i; q < j; q++)
                    t[k].value = t[k].value * 10 + (s[q] - '0');
            } else {
                t[k].month = ps_date_month_from_name(s + i, j - i);
                if (t[k].month == 0)
                    return 0;
            }
            k++;
            i = j;
        } else {
            if (k > 0 && t[k - 1].sep_after == 0 && s[i] != ' ')
                t[k - 1].sep_after = s[i];
            else if (k > 0 && t[k - 1].sep_after == 0)
                t[k - 1].sep_after = ' ';
            i++;
        }
    }
    return k;
}

/* A two- or four-digit year; two digits are resolved against today (see the top). */
static int full_year(const struct tok *t, int month, int day, const struct ps_ymd *today)
{
    int y = (int)t->value;

    if (t->ndigits == 4)
        return y;
    if (t->ndigits != 2)
        return -1;
    y += (today->y / 100) * 100;
    if (y > today->y ||
        (y == today->y && (month > today->m || (month == today->m && day > today->d))))
        y -= 100;
    return y;
}

static bool set(struct ps_ymd *out, int y, int m, int d)
{
    out->y = y;
    out->m = m;
    out->d = d;
    return y > 0 && ps_date_valid(out);
}

/* a sep b sep c, all numbers. */
static bool parse_numeric(const struct tok *t, const struct ps_ymd *today, struct ps_ymd *out)
{
    int a = (int)t[0].value;
    int b = (int)t[1].value;
    char sep = t[0].sep_after;

    if (sep != t[1].sep_after || (sep != '/' && sep != '-' && sep != '.'))
        return false;
    if (t[0].ndigits == 4) /* 1971-03-05, 1971/03/05 */
        return t[1].ndigits <= 2 && t[2].ndigits <= 2 && set(out, a, b, (int)t[2].value);
    if (t[0].ndigits > 2 || t[1].ndigits > 2)
        return false;
    int month = a;
    int day = b;
    if (sep == '.') {
        /* European: day.month, unless the second field cannot be a month. */
        month = b;
        day = a;
        if (b > 12) {
            month = a;
            day = b;
        }
    } else if (a > 12) {
        month = b; /* US first; 25/12/1971 can only be day/month */
        day = a;
    }
    return set(out, full_year(&t[2], month, day, today), month, day);
}

bool ps_date_parse(const char *s, size_t n, const struct ps_ymd *today, struct ps_ymd *out)
{
    struct tok t[MAX_TOKS];
    size_t k = tokenize(s, n, t);

    if (k != 3)
        return false;
    if (t[0].kind == TOK_NUM && t[1].kind == TOK_NUM && t[2].kind == TOK_NUM)
        return parse_numeric(t, today, out);
    /* 5-Mar-1971, 5 March 1971 */
    if (t[0].kind == TOK_NUM && t[1].kind == TOK_WORD && t[2].kind == TOK_NUM && t[0].ndigits <= 2)
        return set(out, full_year(&t[2], t[1].month, (int)t[0].value, today), t[1].month,
                   (int)t[0].value);
    /* March 5, 1971; Mar. 5 1971 */
    if (t[0].kind == TOK_WORD && t[1].kind == TOK_NUM && t[2].kind == TOK_NUM && t[1].ndigits <= 2)
        return set(out, full_year(&t[2], t[0].month, (int)t[1].value, today), t[0].month,
                   (int)t[1].value);
    return false;
}

bool ps_date_is_birthdate(const struct ps_ymd *d, const struct ps_ymd *today)
{
    int64_t day = ps_date_to_days(d);
    struct ps_ymd oldest = *today;

    oldest.y -= MAX_AGE_YEARS;
    if (oldest.m == 2 && oldest.d == 29 && !ps_date_is_leap(oldest.y))
        oldest.d = 28;
    return day <= ps_date_to_days(today) && day >= ps_date_to_days(&oldest);
}

static enum ps_verdict write_iso(const struct ps_ymd *d, char *norm, size_t cap)
{
    int w = snprintf(norm, cap, "%04d-%02d-%02d", d->y, d->m, d->d);
    return (w > 0 && (size_t)w < cap) ? PS_VERDICT_PLAUSIBLE : PS_VERDICT_REJECT;
}

enum ps_verdict ps_validate_date(const struct ps_validate_ctx *vc, const char *s, size_t n,
                                 char *norm, size_t cap)
{
    struct ps_ymd today;
    struct ps_ymd d;

    ps_date_today(vc->now, &today);
    if (!ps_date_parse(s, n, &today, &d) || !ps_date_is_birthdate(&d, &today))
        return PS_VERDICT_REJECT;
    return write_iso(&d, norm, cap);
}

bool ps_date_from_excel(long serial, struct ps_ymd *out)
{
    /* 1900 system: day 1 is 1900-01-01; 60 is Lotus's 1900-02-29, which never was. */
    struct ps_ymd base = {1899, 12, 31};

    if (serial < 1 || serial > EXCEL_SERIAL_MAX || serial == 60)
        return false;
    if (serial > 60)
        serial--;
    ps_date_from_days(ps_date_to_days(&base) + serial, out);
    return true;
}

enum ps_verdict ps_validate_excel_date(const struct ps_validate_ctx *vc, const char *s, size_t n,
                                       char *norm, size_t cap)
{
    struct ps_ymd today;
    struct ps_ymd d;
    long serial = 0;
    size_t i = 0;

    /* Only a table cell: a bare number in prose is no date. */
    if (vc->field == NULL || !vc->in_column)
        return PS_VERDICT_REJECT;
    while (i < n && s[i] == ' ')
        i++;
    size_t start = i;
    while (i < n && is_digit(s[i]) && i - start < 7)
        serial = serial * 10 + (s[i++] - '0');
    if (i == start)
        return PS_VERDICT_REJECT;
    /* A whole day may be written with zero decimals (25267.0), nothing else. */
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] == '0')
            i++;
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i != n)
        return PS_VERDICT_REJECT;
    ps_date_today(vc->now, &today);
    if (!ps_date_from_excel(serial, &d) || !ps_date_is_birthdate(&d, &today))
        return PS_VERDICT_REJECT;
    return write_iso(&d, norm, cap);
}
