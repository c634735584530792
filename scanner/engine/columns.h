/* engine/columns.h - table header names -> PII category (header synonyms).
 *
 * Loaded once from rules/data/columns.yaml (a `columns:` map of category -> synonyms,
 * or category -> part -> synonyms, and a `qualifiers:` map of leading / trailing
 * words), immutable afterwards and shared by every thread. A header matches when its
 * normalised form (ps_columns_normalize: folded like the name dictionaries, then only
 * letters and digits kept: "Soc_Sec_Num" -> "socsecnum", "D.O.B." -> "dob") equals a
 * synonym's, or does once one leading and/or one trailing qualifier is taken off
 * ("Employee SSN" -> "ssn", "SSN No." -> "ssn"). A header made of qualifiers only
 * ("Employee No") matches nothing.
 */
#ifndef PS_ENGINE_COLUMNS_H
#define PS_ENGINE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "piiscan/status.h"

struct ps_columns;

/* Which part of a value a column holds. */
enum ps_col_part {
    PS_COL_WHOLE = 0,   /* the whole value (a full name, an SSN) */
    PS_COL_GIVEN = 1,   /* name: first / given name */
    PS_COL_SURNAME = 2, /* name: last name / surname */
    PS_COL_MIDDLE = 3,  /* name: middle name or initial */
    PS_COL_ROUTING = 4  /* bank_account: ABA routing number */
};

#define PS_COLUMNS_FILE "data/columns.yaml" /* relative to the rules directory */
#define PS_COLUMNS_MAX_FILE_BYTES (1024u * 1024u)
#define PS_COLUMNS_MAX_SYNONYMS 8192u
#define PS_COLUMNS_MAX_KEY 128u /* normalised header, bytes; longer headers never match */

/* Loads rules_dir/data/columns.yaml. Returns OK; EIO when it cannot be read; ERULES
 * when it is malformed (diag: file, line, message), e.g. an unknown category or part,
 * a synonym listed under two categories, a synonym that normalises to nothing;
 * ENOMEM. *out is NULL on failure. Free with ps_columns_free(). */
piiscan_status ps_columns_load(const char *rules_dir, struct ps_columns **out, piiscan_diag *diag);
void ps_columns_free(struct ps_columns *cols);

/* Category and part of the column named header (UTF-8, NUL-terminated). Returns
 * false (outputs untouched) when the header names no PII category. Thread-safe,
 * allocation-free; ~100 ns, so cache it per table column (a ROW unit from
 * text/table.c keeps the same header pointers for every row of a table). */
bool ps_columns_lookup(const struct ps_columns *cols, const char *header,
                       piiscan_category *category, enum ps_col_part *part);

/* The same as a ps_field_class_fn (engine.h: ps_matcher_set_field_class), ctx being
 * the struct ps_columns: the header's category, or -1 when it has none. */
int ps_columns_field_class(void *ctx, const char *header);

/* Normalises header[0..len) into out (NUL-terminated): folded, letters and digits
 * only. Returns false (out = "") when the result needs cap bytes or more. */
bool ps_columns_normalize(const char *header, size_t len, char *out, size_t cap, size_t *out_len);

/* "whole", "given", "surname", "middle", "routing"; NULL when out of range. */
const char *ps_col_part_name(enum ps_col_part part);

/* Number of synonyms loaded. */
size_t ps_columns_count(const struct ps_columns *cols);

#endif
