/* report/people.c - the rows of people.csv (see people.h).
 *
 * A person's name is the canonical form the dedupe used ("amy pascal"),
 * capitalised for display, and masked to initials plus stars unless --reveal.
 * The person_id is the keyed hash; nothing here prints an SSN.
 */
#include "report/people.h"

#include <stdio.h>

#include "record/normalize.h"

piiscan_status ps_people_csv(const struct ps_people *pp, bool reveal, const struct ps_baseline *bl,
                             ps_row_fn row, void *ctx, uint64_t *written)
{
    static const char *const header[PS_PEOPLE_NCOLS] = {
        "person_id", "name", "elements", "records", "files", "severity", "notification"};
    piiscan_status rc = row(ctx, header, PS_PEOPLE_NCOLS);
    uint64_t n = 0;

    struct ps_person person;

    for (size_t i = 0; rc == PIISCAN_OK && ps_people_get(pp, i, &person); i++) {
        const struct ps_person *p = &person;
        char name[PS_NORM_MAX], shown[PS_NORM_MAX], elements[256], records[24], files[24];

        if (bl != NULL && ps_baseline_knows_person(bl, p->id))
            continue;
        name[0] = '\0';
        if (p->name != NULL)
            ps_name_display(p->name, name, sizeof name);
        if (reveal)
            snprintf(shown, sizeof shown, "%s", name);
        else
            ps_name_mask(name, shown, sizeof shown);
        ps_catset_format(p->elements, ';', elements, sizeof elements);
        snprintf(records, sizeof records, "%llu", (unsigned long long)p->records);
        snprintf(files, sizeof files, "%llu", (unsigned long long)p->files);
        const char *cells[PS_PEOPLE_NCOLS] = {p->id,
                                              shown,
                                              elements,
                                              records,
                                              files,
                                              ps_severity_name(p->severity),
                                              p->notify ? "yes" : "no"};
        rc = row(ctx, cells, PS_PEOPLE_NCOLS);
        n++;
    }
    if (written != NULL)
        *written = n;
    return rc;
}
