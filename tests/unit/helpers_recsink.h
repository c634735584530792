/* helpers_recsink.h - a ps_recsink that writes what a format parser emits as lines
 * of text, so a test asserts the exact records, prose and warnings:
 *   row  "R <line> <record> [<sub>] <header>=<value> | <header>=<value>"
 *   text "T <line> <record> <text>"
 *   warn "W <status> <message>"
 */
#ifndef PS_TEST_HELPERS_RECSINK_H
#define PS_TEST_HELPERS_RECSINK_H

#include <stddef.h>

#include "extract/recsink.h"

struct collect {
    char out[65536];
    size_t len;
    int abort_after;   /* > 0: return EABORTED at the n-th row */
    int rows;
    char last_warn[256];  /* the last warning, kept even when out is full */
};

void collect_init(struct collect *c, struct ps_recsink *sink);

#endif
