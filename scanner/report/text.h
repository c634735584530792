/* report/text.h - the text summary: what a responder reads in ten seconds.
 *
 * Written at the end of the run, at most 80 columns wide: files and bytes scanned,
 * elapsed time, findings per category, the files with the most findings, skipped
 * binaries, and the list of what could not be read with the reason. It keeps only
 * counters and a few bounded lists (PS_TEXT_TOP_FILES files, PS_TEXT_MAX_WARNINGS
 * warnings), never findings, so its memory does not grow with the dump.
 */
#ifndef PS_REPORT_TEXT_H
#define PS_REPORT_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/out.h"

#define PS_TEXT_TOP_FILES 10u
#define PS_TEXT_MAX_WARNINGS 20u
#define PS_TEXT_WIDTH 80u

/* A sink writing the summary to f at end (f borrowed, flushed, not closed). */
piiscan_status ps_text_sink(FILE *f, struct ps_sink *out);

/* Formats a byte count as "512 B", "48.2 KiB", "1.3 MiB", ... into buf. Returns buf. */
char *ps_text_bytes(uint64_t n, char *buf, size_t len);

#endif
