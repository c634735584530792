/* validate/luhn.c - payment card numbers: issuer prefix, length, Luhn check digit.
 *
 * A card number is 13-19 digits. The issuer identification number (IIN) fixes
 * the allowed lengths: Visa 4 (13, 16, 19), Mastercard 51-55 and 2221-2720 (16),
 * American Express 34/37 (15), Discover 6011, 644-649, 65 (16-19), JCB 3528-3589
 * (16-19), Diners Club 36 (14-19), 300-305 and 38 (14-19). The last digit is the
 * Luhn mod-10 check digit. Numbers of one repeated digit (0000 0000 0000 0000
 * passes Luhn) are filler, never a card. The normalised form is the digits.
 */
#include "validate/validate.h"

bool ps_luhn_valid(const char *digits, size_t n)
{
    unsigned sum = 0;
    bool dbl = false;

    if (n == 0)
        return false;
    /* From the right: every second digit doubled, 9 subtracted when it exceeds 9. */
    for (size_t i = n; i-- > 0;) {
        unsigned d = (unsigned)(digits[i] - '0');
        if (d > 9)
            return false;
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return sum % 10 == 0;
}

/* The first k digits as a number (k <= 6, n >= k checked by the caller). */
static unsigned prefix(const char *d, size_t k)
{
    unsigned v = 0;
    for (size_t i = 0; i < k; i++)
        v = v * 10u + (unsigned)(d[i] - '0');
    return v;
}

const char *ps_card_issuer(const char *d, size_t n)
{
    unsigned p1, p2, p3, p4;

    if (n < 13 || n > 19)
        return NULL;
    p1 = prefix(d, 1);
    p2 = prefix(d, 2);
    p3 = prefix(d, 3);
    p4 = prefix(d, 4);
    if (p1 == 4)
        return (n == 13 || n == 16 || n == 19) ? "visa" : NULL;
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
        return n == 16 ? "mastercard" : NULL;
    if (p2 == 34 || p2 == 37)
        return n == 15 ? "amex" : NULL;
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))
        return n >= 16 ? "discover" : NULL;
    if (p4 >= 3528 && p4 <= 3589)
        return n >= 16 ? "jcb" : NULL;
    if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305))
        return n >= 14 ? "diners" : NULL;
    return NULL;
}

enum ps_verdict ps_validate_card(const char *s, size_t n, char *norm, size_t cap)
{
    size_t k = ps_digits_copy(s, n, norm, cap);

    if (k < 13 || k > 19 || ps_digits_all_same(norm, k))
        return PS_VERDICT_REJECT;
    if (ps_card_issuer(norm, k) == NULL || !ps_luhn_valid(norm, k))
        return PS_VERDICT_REJECT;
    return PS_VERDICT_CHECKSUM;
}
