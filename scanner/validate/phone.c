/* validate/phone.c - North American Numbering Plan telephone numbers.
 *
 * A NANP number is NPA-NXX-XXXX: area code (NPA) and exchange (NXX) start with
 * 2-9. N11 codes (211, 311, ... 911) are service codes, never an area code or an
 * exchange; N9X area codes are reserved for expansion and unassigned. The
 * engine's patterns handle the written forms ((212) 555-0143, +1 212 555 0143,
 * 1-212-555-0143, ...) and the "not inside a longer digit run / not a date /
 * not an SSN shape" boundaries; this judges the digits. A leading country code 1
 * is dropped, so the normalised form is always the ten digits: "2125550143".
 */
#include "validate/validate.h"

bool ps_nanp_valid(const char d[10])
{
    for (size_t i = 0; i < 10; i++) {
        if (d[i] < '0' || d[i] > '9')
            return false;
    }
    if (d[0] < '2' || d[3] < '2')
        return false;
    if (d[1] == '1' && d[2] == '1')
        return false;               /* N11 area code */
    if (d[1] == '9')
        return false;               /* N9X: reserved */
    if (d[4] == '1' && d[5] == '1')
        return false;               /* N11 exchange */
    return true;
}

enum ps_verdict ps_validate_phone(const char *s, size_t n, char *norm, size_t cap)
{
    char d[16];
    size_t k = ps_digits_copy(s, n, d, sizeof d);
    const char *ten = d;

    if (k == 11 && d[0] == '1')
        ten = d + 1;
    else if (k != 10)
        return PS_VERDICT_REJECT;
    if (!ps_nanp_valid(ten) || cap < 11)
        return PS_VERDICT_REJECT;
    for (size_t i = 0; i < 10; i++)
        norm[i] = ten[i];
    norm[10] = '\0';
    return PS_VERDICT_PLAUSIBLE;
}
