/* engine/rules_data.c - the data files a rule set carries besides its rules.
 *
 * A rules directory may hold a data/ folder (rules/data/README): the name
 * dictionaries (given_names.txt, surnames.txt, names_supplement.txt, not_names.txt;
 * validate/names.c) and the table header synonyms (columns.yaml; engine/columns.c).
 * They are loaded once, with the rules, and live as long as the rule set: the
 * dictionaries reach the name validator through the validation context, the column
 * classifier becomes every matcher's field-class hook (match.c). Both are immutable
 * after loading and shared by all threads, like the compiled rules. A directory
 * without data/ still loads (rule tests use small ones); a rule whose validator needs
 * the dictionaries is then an error that names the missing file.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/columns.h"
#include "engine/rules_int.h"
#include "validate/names.h"

/* Is dir/rel a regular file? (A missing file is not an error here: it is optional.) */
static bool has_file(const char *dir, const char *rel)
{
    char path[4096];
    struct stat st;
    int w = snprintf(path, sizeof path, "%s/%s", dir, rel);

    return w > 0 && (size_t)w < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Validators that cannot work without the name dictionaries. */
static bool needs_names(const struct ps_rule *r)
{
    return r->validator != NULL && strcmp(r->validator->name, "name") == 0;
}

piiscan_status ps_rules_load_data(const char *dir, struct piiscan_rules *rules, piiscan_diag *diag)
{
    char data[4096];
    piiscan_status rc = PIISCAN_OK;
    int w = snprintf(data, sizeof data, "%s/data", dir);

    if (w <= 0 || (size_t)w >= sizeof data) {
        ps_diag_set(diag, dir, 0, 0, NULL, "rules directory path too long");
        return PIISCAN_EIO;
    }
    if (has_file(dir, "data/given_names.txt"))
        rc = ps_names_load(data, &rules->names, diag);
    if (rc == PIISCAN_OK && has_file(dir, PS_COLUMNS_FILE))
        rc = ps_columns_load(dir, &rules->columns, diag);
    for (size_t i = 0; rc == PIISCAN_OK && i < rules->nrules; i++) {
        const struct ps_rule *r = &rules->rules[i];
        if (rules->names == NULL && needs_names(r)) {
            ps_diag_set(diag, r->file, r->line, 0, r->id,
                        "validator '%s' needs the name dictionaries (%s/given_names.txt)",
                        r->validator->name, data);
            rc = PIISCAN_ERULES;
        }
    }
    return rc;
}
