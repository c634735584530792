/* piiscan/rules.h - loading the rule set.
 *
 * A rule set is every rules/<name>.yaml file of a directory (plus its data/ folder),
 * compiled once with PCRE2 JIT. After loading it is immutable and may be shared
 * by any number of scanners on any number of threads.
 */
#ifndef PIISCAN_RULES_H
#define PIISCAN_RULES_H

#include <stddef.h>

#include "piiscan/finding.h"
#include "piiscan/status.h"

typedef struct piiscan_rules piiscan_rules;

/* Where a rule file went wrong. Printed as
 * "rules/ssn.yaml:14: rule ssn.dashed: pattern error at offset 7: missing )". */
typedef struct piiscan_diag {
    char file[512];
    unsigned line;           /* 1-based; 0 when unknown */
    unsigned column;
    char rule_id[128];       /* "" when not inside a rule */
    long offset;             /* PCRE2 error offset in the pattern; -1 when not a pattern error */
    char message[512];
} piiscan_diag;

/* Load and compile every *.yaml in dir. On error returns PIISCAN_ERULES (or
 * ENOMEM / EIO), fills *diag, and sets *out to NULL. Caller frees with piiscan_rules_free. */
piiscan_status piiscan_rules_load(const char *dir, piiscan_rules **out, piiscan_diag *diag);
void piiscan_rules_free(piiscan_rules *rules);

/* Formats diag into buf as one line (see above). Returns buf. */
char *piiscan_diag_format(const piiscan_diag *diag, char *buf, size_t len);

/* A read-only view of one rule, for --list-rules. */
typedef struct piiscan_rule_info {
    const char *id;
    piiscan_category category;
    const char *description;
    const char *validator;   /* "" when none */
    double confidence;       /* base confidence */
    const char *file;        /* rule file it came from */
} piiscan_rule_info;

size_t piiscan_rules_count(const piiscan_rules *rules);
/* Fills *info for rule i (0 <= i < count). Returns EINVAL when out of range. */
piiscan_status piiscan_rules_get(const piiscan_rules *rules, size_t i, piiscan_rule_info *info);
/* Hex SHA-256 over the loaded rule files, for run metadata; "" if unknown. */
const char *piiscan_rules_digest(const piiscan_rules *rules);

#endif
