/* engine/row.c - the row plan: column categories, name parts, the combined name.
 *
 * See row.h for what a plan decides. One pass over the cells classifies each header
 * (a hash lookup in the column classifier, ~100 ns), finds the first non-empty
 * first-name and last-name cells, and marks which cells may not produce names. The
 * combined name is built in a fixed buffer: given name, one space, surname, each
 * trimmed; a pair that does not fit is not joined (the cells are then simply not
 * names). Nothing here allocates except growing the per-cell arrays.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/row.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The cell i trimmed: *s and *n, false when empty or absent. */
static bool cell_text(const struct ps_unit *u, size_t i, const char **s, size_t *n)
{
    const char *t = u->cells[i];
    size_t len;

    if (t == NULL)
        return false;
    len = u->cell_lens ? u->cell_lens[i] : strlen(t);
    while (len > 0 && is_space(t[len - 1]))
        len--;
    while (len > 0 && is_space(*t)) {
        t++;
        len--;
    }
    *s = t;
    *n = len;
    return len > 0;
}

/* At least two letters (ASCII, or any UTF-8 sequence) in cell i. */
static bool has_letters(const struct ps_unit *u, size_t i)
{
    const char *s;
    size_t n;
    unsigned letters = 0;

    if (u->cells == NULL || !cell_text(u, i, &s, &n))
        return false;
    for (size_t k = 0; k < n && letters < 2; k++) {
        unsigned char b = (unsigned char)s[k];
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0xC0)
            letters++;
    }
    return letters >= 2;
}

static piiscan_status grow(struct ps_row_plan *p, size_t n)
{
    size_t ncap = p->cap ? p->cap : 16;
    int *cat;
    int *skip;

    if (n <= p->cap)
        return PIISCAN_OK;
    while (ncap < n)
        ncap *= 2;
    cat = realloc(p->cat, ncap * sizeof *cat);
    if (cat == NULL)
        return PIISCAN_ENOMEM;
    p->cat = cat;
    skip = realloc(p->skip, ncap * sizeof *skip);
    if (skip == NULL)
        return PIISCAN_ENOMEM;
    p->skip = skip;
    p->cap = ncap;
    return PIISCAN_OK;
}

/* Joins the given-name cell g and the surname cell s into p->name and their
 * headers into p->field. False when the name does not fit. */
static bool join(struct ps_row_plan *p, const struct ps_unit *u, size_t g, size_t s)
{
    const char *gs;
    const char *ss;
    size_t gn;
    size_t sn;

    if (!cell_text(u, g, &gs, &gn) || !cell_text(u, s, &ss, &sn) || gn + 1 + sn >= sizeof p->name)
        return false;
    memcpy(p->name, gs, gn);
    p->name[gn] = ' ';
    memcpy(p->name + gn + 1, ss, sn);
    p->name_len = gn + 1 + sn;
    p->name[p->name_len] = '\0';
    /* The label is informative only: cut it rather than refuse the name. */
    size_t k = 0;
    for (const char *h = u->headers[g]; *h && k + 1 < sizeof p->field; h++)
        p->field[k++] = *h;
    if (k + 1 < sizeof p->field)
        p->field[k++] = '+';
    for (const char *h = u->headers[s]; *h && k + 1 < sizeof p->field; h++)
        p->field[k++] = *h;
    p->field[k] = '\0';
    return true;
}

piiscan_status ps_row_plan_build(struct ps_row_plan *p, const struct ps_unit *u,
                                 const struct ps_columns *cols, ps_field_class_fn fn, void *ctx)
{
    size_t given = SIZE_MAX;
    size_t surname = SIZE_MAX;
    bool has_name_col = false;
    const char *s;
    size_t n;

    p->name_at = SIZE_MAX;
    p->name_len = 0;
    if (grow(p, u->ncells) != PIISCAN_OK)
        return PIISCAN_ENOMEM;
    for (size_t i = 0; i < u->ncells; i++) {
        const char *h = u->headers ? u->headers[i] : NULL;
        piiscan_category c = PIISCAN_CAT_COUNT;
        enum ps_col_part part = PS_COL_WHOLE;
        bool known = h != NULL && cols != NULL && ps_columns_lookup(cols, h, &c, &part);

        p->cat[i] = -1;
        p->skip[i] = -1;
        if (h != NULL && fn != NULL)
            p->cat[i] =
                (fn == ps_columns_field_class && ctx == cols) ? (known ? (int)c : -1) : fn(ctx, h);
        if (!known || c != PIISCAN_CAT_NAME)
            continue;
        /* A "name" column only holds the row's person when it holds letters: a
         * misnamed ID column ("Person Number": 108426848) must not silence the
         * column that really has the names. */
        has_name_col = has_name_col || has_letters(u, i);
        if (part == PS_COL_WHOLE)
            continue;
        /* A first, last or middle name alone is no name finding. */
        p->skip[i] = PIISCAN_CAT_NAME;
        if (part == PS_COL_GIVEN && given == SIZE_MAX && u->cells && cell_text(u, i, &s, &n))
            given = i;
        else if (part == PS_COL_SURNAME && surname == SIZE_MAX && u->cells &&
                 cell_text(u, i, &s, &n))
            surname = i;
    }
    for (size_t i = 0; has_name_col && i < u->ncells; i++) {
        if (p->cat[i] != PIISCAN_CAT_NAME)
            p->skip[i] = PIISCAN_CAT_NAME;
    }
    if (given != SIZE_MAX && surname != SIZE_MAX && join(p, u, given, surname))
        p->name_at = given < surname ? given : surname;
    return PIISCAN_OK;
}

void ps_row_plan_free(struct ps_row_plan *p)
{
    free(p->cat);
    free(p->skip);
    p->cat = NULL;
    p->skip = NULL;
    p->cap = 0;
}
