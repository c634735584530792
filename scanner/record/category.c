/* record/category.c - category names (public piiscan_category_name / _from_name).
 *
 * The lower-case names of DESIGN.md "Categories", in enum order. They appear in
 * every report and in rules/severity.yaml; once released they never change.
 */
#include <string.h>

#include "piiscan/finding.h"

static const char *const category_names[PIISCAN_CAT_COUNT] = {
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

const char *piiscan_category_name(piiscan_category cat)
{
    if ((int)cat < 0 || cat >= PIISCAN_CAT_COUNT)
        return NULL;
    return category_names[cat];
}

int piiscan_category_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < PIISCAN_CAT_COUNT; i++)
        if (strcmp(category_names[i], name) == 0)
            return i;
    return -1;
}
