/* engine/category.c - category <-> name, in the order of enum piiscan_category.
 *
 * Names are the lower-case identifiers of DESIGN.md, stable once released; the
 * rule loader uses them to read `category:` and rejects any other name.
 */
#include <string.h>

#include "engine/category.h"

static const char *const names[PIISCAN_CAT_COUNT] = {
    [PIISCAN_CAT_SSN] = "ssn",
    [PIISCAN_CAT_DOB] = "dob",
    [PIISCAN_CAT_NAME] = "name",
    [PIISCAN_CAT_SALARY] = "salary",
    [PIISCAN_CAT_EMAIL] = "email",
    [PIISCAN_CAT_PHONE] = "phone",
    [PIISCAN_CAT_CREDIT_CARD] = "credit_card",
    [PIISCAN_CAT_ITIN] = "itin",
    [PIISCAN_CAT_BANK_ACCOUNT] = "bank_account",
    [PIISCAN_CAT_DRIVERS_LICENSE] = "drivers_license",
    [PIISCAN_CAT_PASSPORT] = "passport",
    [PIISCAN_CAT_ADDRESS] = "address",
};

const char *ps_category_name(piiscan_category cat)
{
    if ((int)cat < 0 || cat >= PIISCAN_CAT_COUNT)
        return NULL;
    return names[cat];
}

int ps_category_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < (int)PIISCAN_CAT_COUNT; i++) {
        if (strcmp(names[i], name) == 0)
            return i;
    }
    return -1;
}
