/* engine/rules_int.h - the compiled rule set, shared by the engine's files.
 *
 * struct piiscan_rules is opaque to everyone outside engine/. It is built by
 * ps_rules_parse_file() (rules_load.c: YAML -> rule specs with their source
 * lines) and ps_rule_compile() (compile.c: PCRE2 + JIT), then never written
 * again: any number of matchers on any number of threads read it.
 */
#ifndef PS_ENGINE_RULES_INT_H
#define PS_ENGINE_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "piiscan/rules.h"
#include "util/diag.h"
#include "validate/validate.h"

#define PS_MAX_KEYWORDS 64u      /* keywords (or negative keywords) per rule */
#define PS_MAX_KEYWORD_BYTES 64u /* bytes per keyword */
#define PS_MAX_WINDOW 256u       /* context.window ceiling, bytes each side */
#define PS_MAX_MATCH_BYTES 1024u /* max_length ceiling */
#define PS_MAX_PATTERN_BYTES 4096u

/* One rule: its YAML fields plus the compiled pattern. */
struct ps_rule {
    char *id;
    char *description;
    const char *file;             /* borrowed from piiscan_rules.files */
    unsigned line;                /* line of the rule in its file */
    piiscan_category category;
    char *pattern;
    uint32_t flags;               /* PCRE2 compile options */
    pcre2_code *code;
    uint32_t value_group;         /* capture group named "value", 0 = whole match */
    const struct ps_validator *validator; /* NULL: none */
    double confidence;            /* base */
    size_t max_length;            /* longest match, bytes */

    /* context */
    char **keywords;              /* lower-case; matched on word starts, case-insensitively */
    size_t nkeywords;
    char **negative;              /* keywords that lower the confidence */
    size_t nnegative;
    uint8_t kw_first[32];         /* bitmap of the bytes a keyword starts with (both cases) */
    uint8_t neg_first[32];        /* same for negative keywords */
    size_t window;                /* bytes searched each side of the match */
    double boost;                 /* added when a keyword (or the field) fits */
    double penalty;               /* subtracted when a negative keyword is near */
    bool requires_context;        /* report only with a keyword / fitting field */
    size_t window_after;          /* context.after: bytes searched after the value
                                     (default: window) */
    bool veto;                    /* context.veto: a negative keyword nearer to the value
                                     than every keyword cancels the keyword context */
    bool exclusive;               /* context.exclusive: the keyword window stops at the
                                     nearest other number on each side */

    /* prefilter: the matcher skips the rule on text that cannot hold a match */
    unsigned pre_digits;          /* digits needed in one digit group run; 0 = off */
    int pre_byte;                 /* a byte that must occur; -1 = off */
};

struct piiscan_rules {
    struct ps_rule *rules;
    size_t nrules;
    char **files;                 /* every rule file read, sorted */
    size_t nfiles;
    size_t overlap;               /* ps_rules_overlap() */
    size_t max_length;            /* max over rules */
    char digest[65];              /* hex SHA-256, "" if unknown */
    struct ps_names *names;       /* <dir>/data name dictionaries; NULL when absent */
    struct ps_columns *columns;   /* <dir>/data/columns.yaml header synonyms; NULL when absent */
};

/* Loads what <dir>/data holds for the detectors (detect branch, issue 3): the name
 * dictionaries (validate/names.h) when data/given_names.txt exists, the column
 * classifier (engine/columns.h) when data/columns.yaml exists; a missing data/ folder
 * is no error (a rule set of its own need not have one). Then checks that every rule
 * whose validator needs the dictionaries ("name") has them. Returns OK, or the
 * loaders' EIO / ERULES / ENOMEM with diag filled. */
piiscan_status ps_rules_load_data(const char *dir, struct piiscan_rules *rules,
                                  piiscan_diag *diag);

/* Parse one rule file held in memory (data[0..len)) and append its rules to
 * *rules (grown as needed, at most PS_MAX_RULES). file is the name used in
 * diagnostics and must outlive the rules. A file without a top-level `rules:`
 * key is not a rule file (severity.yaml, columns.yaml) and adds nothing.
 * Returns OK, ERULES (diag filled) or ENOMEM. Patterns are not compiled here. */
piiscan_status ps_rules_parse_file(const char *file, const char *data, size_t len,
                                   struct piiscan_rules *rules, piiscan_diag *diag);

/* Compile r->pattern with PCRE2 (+ JIT), find its "value" group, check that it
 * cannot match the empty string. ERULES with the PCRE2 message and offset in diag. */
piiscan_status ps_rule_compile(struct ps_rule *r, piiscan_diag *diag);

/* Computes the derived fields (overlap, max_length) once every rule is in. */
void ps_rules_finish(struct piiscan_rules *rules);

/* SHA-256 over the rule files (libcrypto EVP): each file contributes its base
 * name, a NUL, its bytes, so the digest does not depend on where rules/ lives. */
struct ps_digest;
struct ps_digest *ps_digest_new(void);
piiscan_status ps_digest_add(struct ps_digest *dg, const char *path, const char *data, size_t len);
/* Writes 64 hex digits and a NUL into hex. */
void ps_digest_final(struct ps_digest *dg, char hex[65]);
void ps_digest_free(struct ps_digest *dg);

/* Frees what a rule owns (not the struct itself). */
void ps_rule_clear(struct ps_rule *r);


#endif
