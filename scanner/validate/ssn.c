/* validate/ssn.c - US Social Security and Individual Taxpayer Identification numbers.
 *
 * An SSN is AAA-GG-SSSS. Never issued: area 000, 666 and 900-999 (9xx is the
 * ITIN space), group 00, serial 0000. Since the 2011 randomisation every other
 * area can be issued (734-749 and 773-899 included), so there is no "high group"
 * table any more. Numbers printed as examples (Woolworth's wallet card
 * 078-05-1120, the 1950s advertising 219-09-9999, the textbook 123-45-6789)
 * and all-one-digit numbers are structurally valid but are never a person's:
 * they are rejected. The engine's patterns already refuse matches inside longer
 * digit runs; these functions judge the nine digits only.
 *
 * An ITIN is 9XX-GG-SSSS with the group in 50-65, 70-88, 90-92 or 94-99: it
 * lives in the area the SSN check rejects, so a number is never both. The SSA
 * reserves 987-65-4320 ... 987-65-4329 for advertisements; they fit the ITIN
 * ranges and are rejected there too.
 */
#include "validate/validate.h"

/* Three ASCII digits from d -> number. */
static unsigned num3(const char *d)
{
    return (unsigned)(d[0] - '0') * 100u + (unsigned)(d[1] - '0') * 10u + (unsigned)(d[2] - '0');
}

static unsigned num2(const char *d)
{
    return (unsigned)(d[0] - '0') * 10u + (unsigned)(d[1] - '0');
}

static unsigned num4(const char *d)
{
    return num2(d) * 100u + num2(d + 2);
}

bool ps_ssn_valid(unsigned area, unsigned group, unsigned serial)
{
    if (area == 0 || area == 666 || area >= 900)
        return false;
    return group >= 1 && group <= 99 && serial >= 1 && serial <= 9999;
}

bool ps_ssn_is_sample(const char digits[9])
{
    static const char *const samples[] = {"078051120", "219099999", "123456789"};

    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *p = samples[i];
        size_t k = 0;
        while (k < 9 && p[k] == digits[k])
            k++;
        if (k == 9)
            return true;
    }
    return ps_digits_all_same(digits, 9);
}

bool ps_itin_valid(unsigned area, unsigned group, unsigned serial)
{
    if (area < 900 || area > 999 || serial > 9999)
        return false;
    return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
           (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

enum ps_verdict ps_validate_ssn(const char *s, size_t n, char *norm, size_t cap)
{
    if (ps_digits_copy(s, n, norm, cap) != 9)
        return PS_VERDICT_REJECT;
    if (!ps_ssn_valid(num3(norm), num2(norm + 3), num4(norm + 5)))
        return PS_VERDICT_REJECT;
    return ps_ssn_is_sample(norm) ? PS_VERDICT_REJECT : PS_VERDICT_PLAUSIBLE;
}

enum ps_verdict ps_validate_itin(const char *s, size_t n, char *norm, size_t cap)
{
    if (ps_digits_copy(s, n, norm, cap) != 9)
        return PS_VERDICT_REJECT;
    if (!ps_itin_valid(num3(norm), num2(norm + 3), num4(norm + 5)))
        return PS_VERDICT_REJECT;
    if (num3(norm) == 987 && num2(norm + 3) == 65 && num4(norm + 5) / 10u == 432u)
        return PS_VERDICT_REJECT; /* advertising range 987-65-4320..4329 */
    return PS_VERDICT_PLAUSIBLE;
}
