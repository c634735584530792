/* validate/aba.c - ABA routing transit numbers (US bank routing numbers).
 *
 * Nine digits. The first two are a Federal Reserve routing symbol: 00-12 (banks),
 * 21-32 (thrifts), 61-72 (electronic), 80 (traveller's cheques). The ninth digit
 * is a check digit: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) = 0 (mod 10). Nine
 * zeros pass both tests and are rejected as filler. Nine random digits pass the
 * checksum one time in ten, which is why the routing rule also wants bank words
 * ("routing", "ABA", "account") nearby.
 */
#include "validate/validate.h"

bool ps_aba_valid(const char digits[9])
{
    static const unsigned weight[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    unsigned sum = 0;
    unsigned sym;

    for (size_t i = 0; i < 9; i++) {
        unsigned d = (unsigned)(digits[i] - '0');
        if (d > 9)
            return false;
        sum += weight[i] * d;
    }
    if (ps_digits_all_same(digits, 9) && digits[0] == '0')
        return false;
    sym = (unsigned)(digits[0] - '0') * 10u + (unsigned)(digits[1] - '0');
    if (!(sym <= 12 || (sym >= 21 && sym <= 32) || (sym >= 61 && sym <= 72) || sym == 80))
        return false;
    return sum % 10 == 0;
}

enum ps_verdict ps_validate_aba(const char *s, size_t n, char *norm, size_t cap)
{
    if (ps_digits_copy(s, n, norm, cap) != 9)
        return PS_VERDICT_REJECT;
    return ps_aba_valid(norm) ? PS_VERDICT_CHECKSUM : PS_VERDICT_REJECT;
}
