/* report/text.h - the scan part of the text summary (the breach-impact headline
 * before it is report/summary_text.c's).
 *
 * Written at the end of the run, at most 80 columns wide: files and bytes scanned,
 * elapsed time, files by type, skipped binaries, the number of findings, and the
 * list of what could not be read with the reason. It keeps only counters and one
 * bounded list (PS_TEXT_MAX_WARNINGS warnings), never findings, so its memory does
 * not grow with the dump.
 */
#ifndef PS_REPORT_TEXT_H
#define PS_REPORT_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/out.h"

#define PS_TEXT_MAX_WARNINGS 20u
#define PS_TEXT_WIDTH 80u

/* A sink writing the summary to f at end (f borrowed, flushed, not closed). */
piiscan_status ps_text_sink(FILE *f, struct ps_sink *out);

/* Formats a byte count as "512 B", "48.2 KiB", "1.3 MiB", ... into buf. Returns buf. */
char *ps_text_bytes(uint64_t n, char *buf, size_t len);

#endif
