/* pipeline/names.c - the library's fixed strings: status texts, category names,
 * version. Pure lookups with no state, so every stage and test can link them
 * without pulling in the scanner.
 */
#include <string.h>

#include "piiscan/piiscan.h"
#include "piiscan_config.h"

const char *piiscan_strerror(piiscan_status st)
{
    static const char *const text[] = {
        "ok",
        "out of memory",
        "input/output error",
        "invalid argument",
        "bad rule file",
        "corrupt data",
        "limit reached",
        "encrypted",
        "unsupported format",
        "aborted",
    };
    if ((int)st < 0 || st >= PIISCAN_STATUS_COUNT)
        return "unknown status";
    return text[st];
}

static const char *const category_names[PIISCAN_CAT_COUNT] = {
    "ssn",         "dob",  "name",         "salary",          "email",    "phone",
    "credit_card", "itin", "bank_account", "drivers_license", "passport", "address",
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
    for (int i = 0; i < (int)PIISCAN_CAT_COUNT; i++) {
        if (strcmp(name, category_names[i]) == 0)
            return i;
    }
    return -1;
}

const char *piiscan_version(void)
{
    return PIISCAN_VERSION;
}
