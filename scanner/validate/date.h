/* validate/date.h - calendar dates written as text, birthdate plausibility, Excel
 * serial numbers. Pure functions (no time zone, no libc state); the validators
 * themselves (date, excel_date) are declared through validators.def. See date.c
 * for the forms read and the field-order rules.
 */
#ifndef PS_VALIDATE_DATE_H
#define PS_VALIDATE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A calendar date, proleptic Gregorian. */
struct ps_ymd {
    int y;
    int m; /* 1-12 */
    int d; /* 1-31 */
};

bool ps_date_is_leap(int y);
/* 28-31; 0 for a month outside 1-12. */
int ps_date_days_in_month(int y, int m);
/* Year 1-9999, month 1-12, day within the month. */
bool ps_date_valid(const struct ps_ymd *d);

/* Days since 1970-01-01 (negative before), and back. */
int64_t ps_date_to_days(const struct ps_ymd *d);
void ps_date_from_days(int64_t days, struct ps_ymd *out);
/* The UTC calendar day of Unix time now. */
void ps_date_today(int64_t now, struct ps_ymd *out);

/* 1-12 for an English month name or its three-letter abbreviation ("Sept" too),
 * any case, s[0..n) without the period; 0 otherwise. */
int ps_date_month_from_name(const char *s, size_t n);

/* Reads the date written in s[0..n) (see date.c for the forms). Two-digit years are
 * resolved against today. False when s is not one of the forms or the day does not
 * exist (02/30, 02/29/1971). */
bool ps_date_parse(const char *s, size_t n, const struct ps_ymd *today, struct ps_ymd *out);

/* A living person's birthdate: not after today, not more than 120 years before. */
bool ps_date_is_birthdate(const struct ps_ymd *d, const struct ps_ymd *today);

/* Excel 1900 date system serial -> date (1 = 1900-01-01; 60, the phantom 1900-02-29,
 * and values past 9999-12-31 are false). */
bool ps_date_from_excel(long serial, struct ps_ymd *out);

#endif
