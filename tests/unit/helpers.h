/* tests/unit/helpers.h - one-line detector assertions for the engine tests, in the
 * spirit of YARA's assert_true_rule:
 *
 *   expect_finding(rules, "SSN 123-45-6780", "ssn", "123-45-6780");
 *   expect_nothing(rules, "order 123456789012");
 *
 * Each builds a TEXT unit over the string (start 0, limit len) and calls
 * ps_matcher_run directly; no pipeline is needed. Failures name the caller's
 * file and line and list what was found.
 */
#ifndef PS_TESTS_HELPERS_H
#define PS_TESTS_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "pipeline/unit.h"

#define HELPER_MAX_FINDINGS 64

/* A finding copied out of the callback (the original is borrowed). */
struct helper_finding {
    char category[32];
    char rule[128];
    char value[512];
    char normalized[512];
    char field[128];          /* "" when NULL */
    char context[1024];
    size_t value_in_context;
    double confidence;
    uint64_t line;
    uint64_t record;
    uint64_t offset;
};

struct helper_findings {
    struct helper_finding items[HELPER_MAX_FINDINGS];
    size_t n;
    size_t abort_after;       /* 0 = never abort; else return ABORT after this many */
};

/* Rules from PIISCAN_TEST_RULES_DIR; fails the test (with the diagnostic) on error. */
piiscan_rules *helper_load_rules(void);

/* The ps_finding_fn the helpers use: copies f into the struct helper_findings ctx
 * (for tests that drive a matcher of their own, e.g. with a fixed clock). */
int helper_collect(void *ctx, const piiscan_finding *f);

/* Runs a fresh matcher over u; returns the ps_matcher_run status. */
int helper_scan_unit(const piiscan_rules *rules, const struct ps_unit *u,
                     struct helper_findings *out);
/* TEXT unit over NUL-terminated text, start 0, limit len, line 1, para 1, final
 * (the text is a whole stream). */
int helper_scan_text(const piiscan_rules *rules, const char *text, struct helper_findings *out);

/* ROW unit of n cells under headers (cells NUL-terminated, no lengths, base
 * offset 0) at line and record of lpath. */
int helper_scan_row(const piiscan_rules *rules, const char *lpath, uint64_t line,
                    uint64_t record, const char *const *headers, const char *const *cells,
                    size_t n, struct helper_findings *out);

/* Prints the findings (for failure messages). */
void helper_dump(const struct helper_findings *fs);

void helper_expect_finding(const piiscan_rules *rules, const char *text, const char *category,
                           const char *value, const char *file, int line);
void helper_expect_normalized(const piiscan_rules *rules, const char *text, const char *category,
                              const char *normalized, const char *file, int line);
void helper_expect_nothing(const piiscan_rules *rules, const char *text, const char *file,
                           int line);
void helper_expect_no_category(const piiscan_rules *rules, const char *text,
                               const char *category, const char *file, int line);

/* Exactly one finding in text, of this category, with this value. */
#define expect_finding(rules, text, cat, value) \
    helper_expect_finding((rules), (text), (cat), (value), __FILE__, __LINE__)
/* Exactly one finding, of this category, with this normalized form. */
#define expect_normalized(rules, text, cat, norm) \
    helper_expect_normalized((rules), (text), (cat), (norm), __FILE__, __LINE__)
/* No finding at all. */
#define expect_nothing(rules, text) helper_expect_nothing((rules), (text), __FILE__, __LINE__)
/* No finding of this category (others may exist). */
#define expect_no_category(rules, text, cat) \
    helper_expect_no_category((rules), (text), (cat), __FILE__, __LINE__)

#endif
