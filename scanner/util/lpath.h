/* util/lpath.h - logical paths: "outer.tar.gz!inner.zip!hr/payroll.csv".
 *
 * The first element is the path as given (or found by the walk); each archive
 * member, attachment or sheet adds "!" and its name. Member names are labels
 * only: control characters are replaced by '?' so a hostile name cannot forge
 * report lines or terminal escapes.
 */
#ifndef PS_UTIL_LPATH_H
#define PS_UTIL_LPATH_H

#include <stddef.h>

#include "piiscan/status.h"

#define PS_LPATH_SEP '!'
#define PS_LPATH_MAX 4096u

/* *out = parent + "!" + child (child sanitised). Caller frees with free().
 * ELIMIT when the result would exceed PS_LPATH_MAX; ENOMEM. */
piiscan_status ps_lpath_join(const char *parent, const char *child, char **out);
/* The last element (after the last '!'), borrowed from lpath. */
const char *ps_lpath_leaf(const char *lpath);

#endif
