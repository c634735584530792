/* record/records.h - one file's findings grouped into records.
 *
 * A record is the smallest unit that belongs to one person (table row, JSON
 * object, SQL row, text paragraph); the engine tags every finding with its
 * record id within its logical path. A ps_recset collects the findings of ONE
 * logical path: which categories each record holds, the identity values
 * (SSN/ITIN, name, birthdate, other identifiers) that people.c needs, and the
 * per-category occurrence counts. ps_recset_finish() then evaluates the
 * severity model per record and for the file. Memory is O(records of the
 * file), never O(findings): a finding only updates its record.
 *
 * Record ids in reports are "<path tag>:<record>", where the path tag is the
 * first 12 hex digits of SHA-256(lpath): stable across runs and any -j, and
 * unique across the scan, so a spreadsheet filter on the `record` column never
 * mixes files.
 */
#ifndef PS_RECORD_RECORDS_H
#define PS_RECORD_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/finding.h"
#include "record/severity.h"

#define PS_REC_MAX_TINS (1u << 20) /* SSNs/ITINs kept per record (a list of people) */
#define PS_RECORD_ID_MAX 48u       /* buffer for ps_recset_record_id */

struct ps_record {
    uint64_t key;              /* ps_record_key() of its findings */
    uint64_t line;             /* line of its first finding (0 = none) */
    ps_catset cats;            /* categories present */
    enum ps_severity severity; /* set by ps_recset_finish */
    uint32_t nfindings;
    /* identity values (canonical forms, owned by the set) */
    char **tins;    /* SSN/ITIN digits: distinct among the first 8; a longer list
                       (a paragraph listing many people) may repeat a value */
    unsigned ntins; /* entries in tins (at most PS_REC_MAX_TINS) */
    unsigned captins;
    char *name;      /* first canonical name */
    unsigned nnames; /* distinct names */
    char *dob;
    unsigned ndobs;
    char *oid; /* first other identifier as "category:value" */
    unsigned noids;
};

struct ps_recset;

/* model is borrowed and must outlive the set. *out NULL on failure (ENOMEM). */
piiscan_status ps_recset_new(const struct ps_sevmodel *model, struct ps_recset **out);
void ps_recset_free(struct ps_recset *rs);
/* Empties the set for the next file (keeps its allocations). */
void ps_recset_clear(struct ps_recset *rs);

/* Adds one finding of the set's file (the first finding fixes the lpath; a
 * finding of another lpath is EINVAL). ENOMEM. */
piiscan_status ps_recset_add(struct ps_recset *rs, const piiscan_finding *f);
/* Computes record and file severities; call once all findings are in. */
void ps_recset_finish(struct ps_recset *rs);

/* Records held (not released). */
size_t ps_recset_count(const struct ps_recset *rs);
/* Records of the lpath, released ones included. */
uint64_t ps_recset_records(const struct ps_recset *rs);
uint64_t ps_recset_released(const struct ps_recset *rs);

/* Streaming a long file: the number of leading held records that can get no
 * more findings - all but the last while every finding's record key has been
 * >= the one before (text, table, SQL and mail lpaths), else 0. */
size_t ps_recset_complete(const struct ps_recset *rs);
typedef piiscan_status (*ps_record_fn)(void *ctx, const struct ps_record *rec);
/* Grades the first n held records (n <= ps_recset_complete), passes each to fn
 * (may be NULL), then frees them. Their severities, findings and bulk count
 * stay in the set's tallies, so ps_recset_finish gives the same file figures
 * as if they had been kept; ps_recset_get then sees only the records left.
 * A finding for a released record's key would make a new record: release only
 * while keys only grow. EINVAL when n is too large; fn's error; ENOMEM. */
piiscan_status ps_recset_release(struct ps_recset *rs, size_t n, ps_record_fn fn, void *ctx);

/* Records in order of first appearance. */
const struct ps_record *ps_recset_get(const struct ps_recset *rs, size_t i);
/* The record of finding f, or NULL when f was not added. */
const struct ps_record *ps_recset_lookup(const struct ps_recset *rs, const piiscan_finding *f);
/* Position of finding f's record in the set (for ps_recset_get), or SIZE_MAX. */
size_t ps_recset_index(const struct ps_recset *rs, const piiscan_finding *f);
/* Writes the report id of rec into buf (PS_RECORD_ID_MAX bytes); returns buf. */
char *ps_recset_record_id(const struct ps_recset *rs, const struct ps_record *rec, char *buf,
                          size_t len);

/* The logical path of the set's findings; NULL while empty. Borrowed. */
const char *ps_recset_lpath(const struct ps_recset *rs);
enum ps_severity ps_recset_file_severity(const struct ps_recset *rs);
/* Highest record severity (before the bulk rule). */
enum ps_severity ps_recset_max_record_severity(const struct ps_recset *rs);
uint64_t ps_recset_bulk_records(const struct ps_recset *rs);
/* Findings of category cat added to the set; total over all when cat < 0. */
uint64_t ps_recset_findings(const struct ps_recset *rs, int cat);
/* Records per severity (index enum ps_severity). */
uint64_t ps_recset_records_at(const struct ps_recset *rs, enum ps_severity sev);

/* Findings whose record has severity sev (after finish). */
uint64_t ps_recset_findings_at(const struct ps_recset *rs, enum ps_severity sev);

/* The record key of a finding: its record id, else (record 0) derived from its
 * line, else from its offset, so that every finding has a record. */
uint64_t ps_record_key(const piiscan_finding *f);

/* First 12 hex digits of SHA-256(lpath) into tag[13]. */
void ps_record_path_tag(const char *lpath, char tag[13]);

#endif
