/* engine/row.h - how the matcher reads one table row with its headers (issue 3).
 *
 * Before a ROW unit's cells are matched, the row is planned once: every cell's column
 * gets a category from the column classifier (rules/data/columns.yaml or the hook set
 * with ps_matcher_set_field_class), and the name columns decide two things:
 *   - a first-name column and a last-name column together hold one name: the plan
 *     joins the two cells into "Given Surname" (field "First Name+Last Name"), which
 *     the matcher scans as one more region with the name rules only, at the place of
 *     the first of the two cells; the part columns themselves (first, last, middle)
 *     give no name finding of their own;
 *   - in a row whose name column holds letters, the person of the row is that column:
 *     other cells (department, city, job title, company) are not searched for names.
 * The plan is per matcher (one thread), reused from row to row.
 */
#ifndef PS_ENGINE_ROW_H
#define PS_ENGINE_ROW_H

#include <stddef.h>

#include "engine/columns.h"
#include "engine/engine.h"
#include "pipeline/unit.h"

#define PS_ROW_NAME_BYTES 256u  /* longest combined name; longer pairs are not joined */
#define PS_ROW_FIELD_BYTES 256u /* longest "First+Last" field label (cut) */

struct ps_row_plan {
    int *cat;                     /* per cell: category of its column, or -1 */
    int *skip;                    /* per cell: a category whose rules are not run there, or -1 */
    size_t cap;                   /* room in cat / skip */
    size_t name_at;               /* cell where the combined name is scanned; SIZE_MAX: none */
    char name[PS_ROW_NAME_BYTES]; /* "Given Surname", trimmed, NUL-terminated */
    size_t name_len;
    char field[PS_ROW_FIELD_BYTES]; /* "<given header>+<surname header>" */
};

/* Plans row u (kind ROW). cols gives the name parts (may be NULL: no parts, no
 * combined name); fn/ctx the category of a header (may be NULL: -1 everywhere).
 * Grows p's arrays to u->ncells: OK or ENOMEM. */
piiscan_status ps_row_plan_build(struct ps_row_plan *p, const struct ps_unit *u,
                                 const struct ps_columns *cols, ps_field_class_fn fn, void *ctx);

/* Frees p's arrays (p itself is the caller's). */
void ps_row_plan_free(struct ps_row_plan *p);

#endif
