/* extract/text.h - the plain-text extractor (any charset sniff/ recognises). */
#ifndef PS_EXTRACT_TEXT_H
#define PS_EXTRACT_TEXT_H

#include "extract/registry.h"

/* Bids 10 on any kind with is_text; decodes to UTF-8 and scans it in chunks. */
extern const struct ps_extractor ps_text_extractor;

/* For binary data nobody bids on, when piiscan_options.scan_binary is set (ps_dispatch
 * calls it; format "strings"): runs of at least PS_STRINGS_MIN printable ASCII
 * characters, and of UTF-16LE ASCII characters, one per line, are scanned as text.
 * Offsets and lines are those of that list of strings, not of the binary. */
#define PS_STRINGS_MIN 6u
piiscan_status ps_strings_extract(piiscan_scanner *sc, struct ps_input *in);

/* The same, as a stream transformer (testable alone): *out yields the strings of
 * src, each followed by '\n'. s must stay alive while *out is read. */
struct ps_strings {
    struct ps_stream *src;
    const unsigned char *blk;
    size_t blk_len;
    size_t pos;
    int is_eof;
    piiscan_status rc;
    char run[512]; /* ASCII run in progress */
    size_t run_len;
    size_t run_total; /* whole run length (may exceed the buffer: flushed) */
    char wrun[512];   /* UTF-16LE run in progress */
    size_t wrun_len;
    size_t wrun_total;
    int wstate; /* 0 want char, 1 want the zero byte after wchar */
    unsigned char wchar;
    char out[16384];
    size_t out_len;
};
void ps_strings_init(struct ps_strings *s, struct ps_stream *src, struct ps_stream *out);

#endif
