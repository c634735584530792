/* engine/category.h - the engine's own category name table.
 *
 * The public piiscan_category_name() belongs to pipeline/; the engine keeps this
 * small table so it can map the YAML `category:` names without depending on it.
 * Either may be implemented on top of the other later; both use the same names.
 */
#ifndef PS_ENGINE_CATEGORY_H
#define PS_ENGINE_CATEGORY_H

#include "piiscan/finding.h"

/* "ssn", "dob", ...; NULL for a value out of range. */
const char *ps_category_name(piiscan_category cat);
/* Inverse; -1 when unknown. Exact, lower-case match. */
int ps_category_from_name(const char *name);

#endif
