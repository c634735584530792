/* cli/args.c - argv -> struct ps_args, with strict number parsing.
 *
 * getopt_long does the option syntax (short clusters, --opt=value, "--", and "-"
 * as the stdin path); this file checks every value. A usage error is a message
 * in err and EINVAL; main.c prints it and exits with status 2. Nothing here keeps
 * state between calls except getopt's own optind, which is reset on entry.
 */
#include "cli/args.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/severity.h"

enum {
    OPT_REVEAL = 256,
    OPT_RULES,
    OPT_LIST_RULES,
    OPT_MAX_DEPTH,
    OPT_EXCLUDE,
    OPT_INCLUDE,
    OPT_FOLLOW,
    OPT_MIN_CONFIDENCE,
    OPT_MAX_EXPAND,
    OPT_SCAN_BINARY,
    OPT_VERSION,
    OPT_REPORT_DIR,
    OPT_KEY_FILE,
    OPT_BASELINE,
    OPT_FAIL_ON,
    OPT_NO_PROGRESS
};

static const struct option long_opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"reveal", no_argument, NULL, OPT_REVEAL},
    {"rules", required_argument, NULL, OPT_RULES},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"threads", required_argument, NULL, 'j'},
    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"include", required_argument, NULL, OPT_INCLUDE},
    {"follow", no_argument, NULL, OPT_FOLLOW},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
    {"max-expand", required_argument, NULL, OPT_MAX_EXPAND},
    {"scan-binary", no_argument, NULL, OPT_SCAN_BINARY},
    {"quiet", no_argument, NULL, 'q'},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {"report-dir", required_argument, NULL, OPT_REPORT_DIR},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "Usage: piiscan [options] PATH...\n"
    "Scan files, directories (recursively) and archives for personal data.\n"
    "PATH may be a file, a directory, or - for standard input.\n"
    "\n"
    "Output:\n"
    "  -f, --format FMT        report format: text (summary, default), csv (one\n"
    "                          row per finding), json or ndjson (findings + summary)\n"
    "  -o, --output FILE       write the report to FILE (created with mode 0600)\n"
    "      --reveal            print values in clear (masked by default)\n"
    "  -q, --quiet             no warnings on stderr (they stay in the report)\n"
    "      --no-progress       no progress line (it is shown only when stderr is a\n"
    "                          terminal, never in pipes or files)\n"
    "\n"
    "Rules:\n"
    "      --rules DIR         rule files to use instead of the installed ones\n"
    "      --list-rules        list the loaded rules and exit\n"
    "      --min-confidence X  drop findings below X (0.00-1.00)\n"
    "\n"
    "Walking and limits:\n"
    "  -j, --threads N         worker threads (default: online CPUs)\n"
    "      --include GLOB      scan only files matching GLOB (repeatable)\n"
    "      --exclude GLOB      skip files and directories matching GLOB (repeatable)\n"
    "      --follow            follow symbolic links (loops are detected)\n"
    "      --max-depth N       archive nesting limit (default 8)\n"
    "      --max-expand SIZE   expanded bytes per archive member, e.g. 512M, 1G\n"
    "                          (default 8G)\n"
    "      --scan-binary       scan the strings of binary files instead of skipping\n"
    "\n"
    "Breach-impact reports:\n"
    "      --report-dir DIR    also write findings.csv, people.csv, files.csv and\n"
    "                          summary.json into DIR (created 0700, files 0600)\n"
    "      --key-file FILE     secret (16+ bytes) behind person ids and fingerprints;\n"
    "                          the same key gives the same ids in every run\n"
    "      --baseline FILE     report only findings and people that are new since\n"
    "                          the run that wrote FILE (a summary.json; same key)\n"
    "      --fail-on SEV       exit 1 only when a finding at or above SEV is\n"
    "                          reported (low, medium, high, critical)\n"
    "\n"
    "  -h, --help              this text\n"
    "      --version           print the version\n"
    "\n"
    "Exit status: 0 no findings, 1 findings reported (with --fail-on: at or above\n"
    "it), 2 usage or fatal error.\n";

const char *ps_args_usage(void)
{
    return usage_text;
}

bool ps_args_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end = NULL;
    unsigned long v;

    if (s == NULL || *s < '0' || *s > '9')
        return false; /* no sign, no leading blanks */
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

bool ps_args_parse_size(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    unsigned shift = 0;

    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s)
        return false;
    /* K, M, G, T: each a further factor of 1024. */
    static const char units[] = "KMGT";
    for (const char *u = units; *end != '\0' && *u != '\0'; u++) {
        if (*end == *u || *end == *u + ('a' - 'A')) {
            shift = 10u * (unsigned)(u - units + 1);
            end++;
            break;
        }
    }
    if (shift > 0 && *end == 'i')
        end++;
    if (*end == 'B' || (*end == 'b' && shift == 0))
        end++;
    if (*end != '\0' || v == 0 || v > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

static bool parse_confidence(const char *s, double *out)
{
    char *end = NULL;
    double v;

    if (s == NULL || *s == '\0')
        return false;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0.0 || v > 1.0)
        return false;
    *out = v;
    return true;
}

static bool parse_format(const char *s, enum ps_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = PS_FMT_TEXT;
    else if (strcmp(s, "csv") == 0)
        *out = PS_FMT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = PS_FMT_JSON;
    else if (strcmp(s, "ndjson") == 0)
        *out = PS_FMT_NDJSON;
    else
        return false;
    return true;
}

/* The writers this build has (all four formats of the contract). */
static bool format_available(enum ps_format f)
{
    return f == PS_FMT_TEXT || f == PS_FMT_CSV || f == PS_FMT_JSON || f == PS_FMT_NDJSON;
}

static bool add_glob(const char **arr, size_t *n, const char *g)
{
    if (*n >= PS_ARGS_MAX_GLOBS || *g == '\0')
        return false;
    arr[(*n)++] = g;
    return true;
}

/* Handles one option; false with err filled on a bad value. */
static bool take_option(int c, const char *arg, struct ps_args *a, char *err, size_t errlen)
{
    switch (c) {
    case 'f':
        if (!parse_format(arg, &a->format)) {
            snprintf(err, errlen, "unknown --format '%s' (text, csv, json, ndjson)", arg);
            return false;
        }
        if (!format_available(a->format)) {
            snprintf(err, errlen, "--format %s is not available in this build yet (text, csv)",
                     arg);
            return false;
        }
        return true;
    case 'o':
        a->output = arg;
        return true;
    case 'j':
        if (!ps_args_parse_uint(arg, 1, PS_ARGS_MAX_THREADS, &a->threads)) {
            snprintf(err, errlen, "--threads wants a number from 1 to %u, not '%s'",
                     PS_ARGS_MAX_THREADS, arg);
            return false;
        }
        return true;
    case 'q':
        a->quiet = true;
        return true;
    case 'h':
        a->show_help = true;
        return true;
    case OPT_REVEAL:
        a->reveal = true;
        return true;
    case OPT_NO_PROGRESS:
        a->no_progress = true;
        return true;
    case OPT_RULES:
        a->rules_dir = arg;
        return true;
    case OPT_LIST_RULES:
        a->list_rules = true;
        return true;
    case OPT_MAX_DEPTH:
        a->has_max_depth = ps_args_parse_uint(arg, 0, PS_ARGS_MAX_DEPTH, &a->max_depth);
        if (!a->has_max_depth)
            snprintf(err, errlen, "--max-depth wants a number from 0 to %u, not '%s'",
                     PS_ARGS_MAX_DEPTH, arg);
        return a->has_max_depth;
    case OPT_EXCLUDE:
    case OPT_INCLUDE: {
        bool is_ok = c == OPT_EXCLUDE ? add_glob(a->exclude, &a->n_exclude, arg)
                                      : add_glob(a->include, &a->n_include, arg);
        if (!is_ok)
            snprintf(err, errlen, "--%s: empty pattern or more than %u patterns",
                     c == OPT_EXCLUDE ? "exclude" : "include", PS_ARGS_MAX_GLOBS);
        return is_ok;
    }
    case OPT_FOLLOW:
        a->follow = true;
        return true;
    case OPT_MIN_CONFIDENCE:
        a->has_min_confidence = parse_confidence(arg, &a->min_confidence);
        if (!a->has_min_confidence)
            snprintf(err, errlen, "--min-confidence wants a number from 0 to 1, not '%s'", arg);
        return a->has_min_confidence;
    case OPT_MAX_EXPAND:
        a->has_max_expand = ps_args_parse_size(arg, &a->max_expand);
        if (!a->has_max_expand)
            snprintf(err, errlen, "--max-expand wants a size such as 512M or 1G, not '%s'", arg);
        return a->has_max_expand;
    case OPT_SCAN_BINARY:
        a->scan_binary = true;
        return true;
    case OPT_VERSION:
        a->show_version = true;
        return true;
    case OPT_REPORT_DIR:
    case OPT_KEY_FILE:
    case OPT_BASELINE:
        if (*arg == '\0') {
            snprintf(err, errlen, "empty file or directory name");
            return false;
        }
        *(c == OPT_REPORT_DIR ? &a->report_dir : c == OPT_KEY_FILE ? &a->key_file : &a->baseline) =
            arg;
        return true;
    case OPT_FAIL_ON: {
        int sev = ps_severity_from_name(arg);
        a->has_fail_on = sev >= PS_SEV_LOW;
        a->fail_on = a->has_fail_on ? (unsigned)sev : 0;
        if (!a->has_fail_on)
            snprintf(err, errlen, "--fail-on wants low, medium, high or critical, not '%s'", arg);
        return a->has_fail_on;
    }
    default:
        snprintf(err, errlen, "internal: unhandled option %d", c);
        return false;
    }
}

piiscan_status ps_args_parse(int argc, char **argv, struct ps_args *a, char *err, size_t errlen)
{
    int c;

    memset(a, 0, sizeof *a);
    if (errlen > 0)
        err[0] = '\0';
    optind = 0; /* glibc: full re-initialisation, so the parser can run again */
    opterr = 0;
    for (;;) {
        c = getopt_long(argc, argv, ":f:o:j:qh", long_opts, NULL);
        if (c == -1)
            break;
        if (c == '?' || c == ':') {
            /* getopt has stepped past the culprit (after permuting argv). */
            const char *what = optind > 1 && optind <= argc ? argv[optind - 1] : "";
            if (optopt != 0 && optopt < 256 && (what[0] != '-' || what[1] != '-'))
                snprintf(err, errlen, "%s option -%c", c == ':' ? "missing value for" : "unknown",
                         optopt);
            else
                snprintf(err, errlen, "%s option '%s'", c == ':' ? "missing value for" : "unknown",
                         what);
            return PIISCAN_EINVAL;
        }
        if (!take_option(c, optarg, a, err, errlen))
            return PIISCAN_EINVAL;
    }
    a->paths = argv + optind;
    a->npaths = optind < argc ? (size_t)(argc - optind) : 0;
    if (a->show_help || a->show_version || a->list_rules)
        return PIISCAN_OK;
    if (a->baseline != NULL && a->key_file == NULL) {
        /* ids from a random per-run key never match an earlier run's */
        snprintf(err, errlen, "--baseline needs --key-file (the key the baseline was made with)");
        return PIISCAN_EINVAL;
    }
    if (a->npaths == 0) {
        snprintf(err, errlen, "no PATH given");
        return PIISCAN_EINVAL;
    }
    return PIISCAN_OK;
}
