/* cli/args.h - the command line (DESIGN.md, "Command line (contract)").
 *
 * ps_args_parse() is a pure function: it reads argv, fills struct ps_args and,
 * on a usage error, writes one line of explanation into err. It prints nothing
 * and never exits (main.c does both), so tests/unit/test_args.c can drive it.
 * Numbers are parsed with strtoul/strtod with full checks (no trailing junk, no
 * overflow, no sign where none makes sense).
 */
#ifndef PS_CLI_ARGS_H
#define PS_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

#define PS_ARGS_MAX_GLOBS 256u /* --include / --exclude each */
#define PS_ARGS_MAX_THREADS 256u
#define PS_ARGS_MAX_DEPTH 64u /* highest --max-depth accepted */

enum ps_format { PS_FMT_TEXT = 0, PS_FMT_CSV, PS_FMT_JSON, PS_FMT_NDJSON };

struct ps_args {
    enum ps_format format;
    const char *output; /* -o FILE, NULL = stdout */
    bool reveal;
    const char *rules_dir; /* --rules DIR, NULL = default */
    bool list_rules;
    unsigned threads; /* 0 = online CPUs */
    bool has_max_depth;
    unsigned max_depth;
    const char *include[PS_ARGS_MAX_GLOBS];
    size_t n_include;
    const char *exclude[PS_ARGS_MAX_GLOBS];
    size_t n_exclude;
    bool follow;
    bool has_min_confidence;
    double min_confidence;
    bool has_max_expand;
    uint64_t max_expand; /* bytes */
    bool scan_binary;
    bool quiet;
    bool no_progress; /* --no-progress */
    bool show_version;
    bool show_help;
    char **paths; /* borrowed from argv */
    size_t npaths;
    /* breach-impact reports (issue 5) */
    const char *report_dir; /* --report-dir DIR */
    const char *key_file;   /* --key-file FILE */
    const char *baseline;   /* --baseline FILE (needs --key-file) */
    bool has_fail_on;
    unsigned fail_on; /* --fail-on: enum ps_severity, PS_SEV_LOW..PS_SEV_CRITICAL */
};

/* Parses argv into *a (strings are borrowed from argv). Returns OK, or EINVAL with
 * a one-line message in err. --help / --version set show_help / show_version and
 * return OK with no paths required. Reformats argv order (getopt_long permutes). */
piiscan_status ps_args_parse(int argc, char **argv, struct ps_args *a, char *err, size_t errlen);

/* "1G", "512M", "64k", "100" (bytes; K/M/G/T are powers of 1024, an optional
 * trailing "B" or "iB" is accepted) -> *out. false on junk, zero or overflow. */
bool ps_args_parse_size(const char *s, uint64_t *out);

/* A decimal unsigned in [min, max] -> *out. false otherwise. */
bool ps_args_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out);

/* The usage text printed by --help. */
const char *ps_args_usage(void);

#endif
