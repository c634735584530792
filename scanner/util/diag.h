/* util/diag.h - filling a piiscan_diag, for every loader of rules/ data (rule files,
 * header synonyms, name lists, the severity model). */
#ifndef PS_UTIL_DIAG_H
#define PS_UTIL_DIAG_H

#include "piiscan/rules.h"

/* Fills every field of diag (NULL: nothing): file, line, column (0 = unknown), rule
 * id ("" for NULL), offset -1, message (printf format). */
void ps_diag_set(piiscan_diag *diag, const char *file, unsigned line, unsigned column,
                 const char *rule_id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
