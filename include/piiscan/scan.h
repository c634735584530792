/* piiscan/scan.h - scanning paths and buffers.
 *
 * One piiscan_scanner per thread (it owns PCRE2 match data, a magic_t, iconv
 * handles and buffers); never share one between threads. Lifecycle:
 *   piiscan_options_init(&opt) -> piiscan_scanner_new(rules, &opt, &sc)
 *   -> piiscan_scan_path / piiscan_scan_buffer / piiscan_scan_fd (any number of times)
 *   -> piiscan_scanner_free(sc).
 * Events go to the callback on the calling thread, in stream order: FILE_BEGIN,
 * then FINDINGs by offset and WARNINGs, nested members' events, then FILE_END.
 */
#ifndef PIISCAN_SCAN_H
#define PIISCAN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "piiscan/status.h"

typedef struct piiscan_scanner piiscan_scanner;

/* Fields are only ever appended; always start from piiscan_options_init. */
typedef struct piiscan_options {
    unsigned max_depth;          /* archive nesting limit (default 8) */
    uint64_t max_member_bytes;   /* expanded bytes per archive member (default 8 GiB) */
    uint64_t max_file_bytes;     /* expanded bytes under one top-level file (default 64 GiB) */
    unsigned max_ratio;          /* expanded/compressed ratio of a member (default 200) */
    uint64_t max_entries;        /* entries per archive (default 1,000,000) */
    uint64_t max_buffer_bytes;   /* cap for formats that must be read whole (default 512 MiB) */
    bool scan_binary;            /* scan strings of binary files instead of skipping them */
    double min_confidence;       /* findings below are not reported (default 0.0) */
    bool follow_symlinks;        /* piiscan_scan_path opens a symlink's target (--follow);
                                    default false: O_NOFOLLOW, a symlink is a warning */
} piiscan_options;

void piiscan_options_init(piiscan_options *opt);

/* rules is borrowed and must outlive the scanner. *out is NULL on failure. */
piiscan_status piiscan_scanner_new(const piiscan_rules *rules, const piiscan_options *opt,
                                   piiscan_scanner **out);
void piiscan_scanner_free(piiscan_scanner *sc);

/* Scan one regular file (path is opened, never followed into a directory;
 * the walk lives in the CLI). lpath is its logical path in reports; NULL = path.
 * Unreadable or corrupt input is a WARNING event and returns PIISCAN_OK;
 * returns EABORTED when the callback aborted, ENOMEM on exhaustion. */
piiscan_status piiscan_scan_path(piiscan_scanner *sc, const char *path, const char *lpath,
                                 piiscan_callback cb, void *user);
/* Same, for an open descriptor (stdin is fd 0 with lpath "-"). The fd is not closed. */
piiscan_status piiscan_scan_fd(piiscan_scanner *sc, int fd, const char *lpath,
                               piiscan_callback cb, void *user);
/* Same, for bytes in memory (borrowed for the call). */
piiscan_status piiscan_scan_buffer(piiscan_scanner *sc, const char *lpath, const void *buf,
                                   size_t len, piiscan_callback cb, void *user);

#endif
