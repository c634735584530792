/* util/diag.c - see diag.h. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

void ps_diag_set(piiscan_diag *diag, const char *file, unsigned line, unsigned column,
                 const char *rule_id, const char *fmt, ...)
{
    va_list ap;

    if (diag == NULL)
        return;
    snprintf(diag->file, sizeof diag->file, "%s", file ? file : "");
    diag->line = line;
    diag->column = column;
    snprintf(diag->rule_id, sizeof diag->rule_id, "%s", rule_id ? rule_id : "");
    diag->offset = -1;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
}
