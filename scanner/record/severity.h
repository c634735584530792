/* record/severity.h - the severity model: category combinations -> severity.
 *
 * The model is data (rules/severity.yaml, top-level key `severity:`): finding
 * classes, an ordered list of record rules {severity, all, any, none}, a default,
 * the bulk threshold that raises a file's severity, and the notification
 * condition for people. Loaded once, immutable afterwards, so any thread may
 * evaluate it. Evaluation works on a set of categories (one bit per
 * piiscan_category), so it is a pure function of what a record holds.
 */
#ifndef PS_RECORD_SEVERITY_H
#define PS_RECORD_SEVERITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "piiscan/rules.h"
#include "piiscan/status.h"

/* Ordered: a larger value is more severe. NONE = no finding at all. */
enum ps_severity {
    PS_SEV_NONE = 0,
    PS_SEV_LOW,
    PS_SEV_MEDIUM,
    PS_SEV_HIGH,
    PS_SEV_CRITICAL,
    PS_SEV_COUNT
};

/* A set of categories: bit (1u << piiscan_category). */
typedef uint32_t ps_catset;
#define PS_CATBIT(cat) ((ps_catset)1u << (unsigned)(cat))

/* "low", "medium", "high", "critical"; "" for NONE or an out-of-range value. */
const char *ps_severity_name(enum ps_severity sev);
/* "none", "low", ... "critical" (exact, lower-case) -> the severity; -1 otherwise. */
int ps_severity_from_name(const char *name);

/* Writes the category names of set, in category-name order (alphabetical),
 * separated by sep, into buf ("dob;name;ssn"). Returns buf; truncated if small. */
char *ps_catset_format(ps_catset set, char sep, char *buf, size_t len);

struct ps_sevmodel;

#define PS_SEVERITY_FILE "severity.yaml"
#define PS_SEV_MAX_RULES 64u   /* record rules in one model */
#define PS_SEV_MAX_CLASSES 32u /* classes in one model */
#define PS_SEV_MAX_TERMS 16u   /* terms in one all/any/none list */

/* Parses a model from YAML text (name is used in diagnostics). On error returns
 * PIISCAN_ERULES (or ENOMEM), fills *diag ("severity.yaml:12: ...") and sets
 * *out to NULL. Caller frees with ps_sevmodel_free. */
piiscan_status ps_sevmodel_parse(const char *yaml, size_t len, const char *name,
                                 struct ps_sevmodel **out, piiscan_diag *diag);
/* Reads and parses a model file (at most PS_MAX_RULE_FILE_BYTES). EIO when it
 * cannot be read (diag says why), else as ps_sevmodel_parse. */
piiscan_status ps_sevmodel_load(const char *path, struct ps_sevmodel **out, piiscan_diag *diag);
/* The built-in model: the same text as the shipped rules/severity.yaml, used when
 * a --rules directory has no severity.yaml. ENOMEM only. */
piiscan_status ps_sevmodel_builtin(struct ps_sevmodel **out);
void ps_sevmodel_free(struct ps_sevmodel *m);

/* Severity of a record holding the categories in cats (NONE for an empty set). */
enum ps_severity ps_sevmodel_record(const struct ps_sevmodel *m, ps_catset cats);
/* 0-based index of the record rule that decided, or -1 (empty set or default). */
int ps_sevmodel_record_rule(const struct ps_sevmodel *m, ps_catset cats);
/* True when a record holding cats counts toward the bulk threshold. */
bool ps_sevmodel_is_bulk_record(const struct ps_sevmodel *m, ps_catset cats);
/* File severity from its highest record severity and its count of bulk records. */
enum ps_severity ps_sevmodel_file(const struct ps_sevmodel *m, enum ps_severity max_record,
                                  uint64_t bulk_records);
/* True when a person whose exposed elements are `elements` meets the notification
 * combination. */
bool ps_sevmodel_notify(const struct ps_sevmodel *m, ps_catset elements);
/* Bulk threshold (records), 0 when the model has no bulk rule. */
uint64_t ps_sevmodel_bulk_threshold(const struct ps_sevmodel *m);
/* Sets the bulk threshold (0 disables it), e.g. from a command-line option. */
void ps_sevmodel_set_bulk_threshold(struct ps_sevmodel *m, uint64_t records);
/* Hex SHA-256 of the model text, for run metadata. Borrowed from m. */
const char *ps_sevmodel_digest(const struct ps_sevmodel *m);
/* Name the model was loaded from ("rules/severity.yaml", "built-in"). Borrowed. */
const char *ps_sevmodel_source(const struct ps_sevmodel *m);

#endif
