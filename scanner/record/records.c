/* record/records.c - group one logical path's findings into records.
 *
 * Each finding maps to a record key (ps_record_key); a u64 map finds the
 * record, which accumulates its category set and, for the categories that
 * identify a person, the distinct canonical values (SSN/ITIN digits, the name
 * as ps_norm_name gives it, the birthdate, other identifiers). Only the first
 * value of each kind is kept plus a distinct count, except SSNs/ITINs, which are
 * all kept (up to PS_REC_MAX_TINS) because each is a person of its own: a text
 * paragraph can list thousands. Duplicates are only weeded out among the first
 * few (people.c removes the rest), so adding stays O(1) per finding. Severity
 * is evaluated once per record in ps_recset_finish, never per finding.
 */
#include "record/records.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/category.h"
#include "record/map.h"
#include "record/normalize.h"

#define KEY_LINE (1ULL << 62)
#define KEY_OFFSET (2ULL << 62)
#define KEY_KIND_MASK (3ULL << 62)

struct ps_recset {
    const struct ps_sevmodel *model;
    char *lpath;
    char tag[13];
    struct ps_record *recs;
    size_t nrecs, caprecs;
    struct ps_u64map index; /* key -> position in recs */
    uint64_t per_cat[PIISCAN_CAT_COUNT];
    uint64_t per_sev[PS_SEV_COUNT];
    uint64_t findings_at[PS_SEV_COUNT]; /* findings per record severity */
    uint64_t bulk;
    enum ps_severity max_record;
    enum ps_severity file_sev;
    /* records already released (ps_recset_release): graded, counted, gone */
    uint64_t nreleased;
    uint64_t rel_per_sev[PS_SEV_COUNT];
    uint64_t rel_findings_at[PS_SEV_COUNT];
    uint64_t rel_bulk;
    enum ps_severity rel_max;
    uint64_t last_key; /* key of the last finding */
    bool is_monotonic; /* every finding's key >= the one before */
};

uint64_t ps_record_key(const piiscan_finding *f)
{
    if (f->record != 0)
        return f->record & ~KEY_KIND_MASK;
    if (f->line != 0)
        return KEY_LINE | (f->line & ~KEY_KIND_MASK);
    return KEY_OFFSET | (f->offset & ~KEY_KIND_MASK);
}

void ps_record_path_tag(const char *lpath, char tag[13])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    memset(tag, '0', 12);
    tag[12] = '\0';
    if (EVP_Digest(lpath, strlen(lpath), md, &mdlen, EVP_sha256(), NULL) != 1)
        return;
    for (unsigned i = 0; i < 6; i++)
        snprintf(tag + 2 * i, 3, "%02x", md[i]);
}

piiscan_status ps_recset_new(const struct ps_sevmodel *model, struct ps_recset **out)
{
    struct ps_recset *rs = calloc(1, sizeof *rs);

    *out = NULL;
    if (rs == NULL)
        return PIISCAN_ENOMEM;
    rs->model = model;
    rs->is_monotonic = true;
    *out = rs;
    return PIISCAN_OK;
}

static void free_record(struct ps_record *r)
{
    for (unsigned i = 0; i < r->ntins; i++)
        free(r->tins[i]);
    free(r->tins);
    free(r->name);
    free(r->dob);
    free(r->oid);
}

void ps_recset_clear(struct ps_recset *rs)
{
    for (size_t i = 0; i < rs->nrecs; i++)
        free_record(&rs->recs[i]);
    free(rs->lpath);
    rs->lpath = NULL;
    rs->nrecs = 0;
    ps_u64map_free(&rs->index);
    memset(rs->per_cat, 0, sizeof rs->per_cat);
    memset(rs->per_sev, 0, sizeof rs->per_sev);
    memset(rs->findings_at, 0, sizeof rs->findings_at);
    rs->bulk = 0;
    rs->max_record = PS_SEV_NONE;
    rs->file_sev = PS_SEV_NONE;
    rs->nreleased = 0;
    memset(rs->rel_per_sev, 0, sizeof rs->rel_per_sev);
    memset(rs->rel_findings_at, 0, sizeof rs->rel_findings_at);
    rs->rel_bulk = 0;
    rs->rel_max = PS_SEV_NONE;
    rs->last_key = 0;
    rs->is_monotonic = true;
}

void ps_recset_free(struct ps_recset *rs)
{
    if (rs == NULL)
        return;
    ps_recset_clear(rs);
    free(rs->recs);
    free(rs);
}

static struct ps_record *record_for(struct ps_recset *rs, uint64_t key, piiscan_status *rc)
{
    uint32_t at = ps_u64map_get(&rs->index, key);

    *rc = PIISCAN_OK;
    if (at != PS_MAP_NONE)
        return &rs->recs[at];
    if (rs->nrecs >= PS_MAP_NONE - 1) {
        *rc = PIISCAN_ELIMIT;
        return NULL;
    }
    if (rs->nrecs == rs->caprecs) {
        size_t cap = rs->caprecs ? rs->caprecs * 2 : 64;
        struct ps_record *n = realloc(rs->recs, cap * sizeof *n);
        if (n == NULL) {
            *rc = PIISCAN_ENOMEM;
            return NULL;
        }
        rs->recs = n;
        rs->caprecs = cap;
    }
    *rc = ps_u64map_put(&rs->index, key, (uint32_t)rs->nrecs);
    if (*rc != PIISCAN_OK)
        return NULL;
    struct ps_record *r = &rs->recs[rs->nrecs++];
    memset(r, 0, sizeof *r);
    r->key = key;
    return r;
}

/* Counts value as one more distinct value of a slot that keeps the first. */
static piiscan_status note_value(char **first, unsigned *count, const char *v, size_t len)
{
    if (len == 0)
        return PIISCAN_OK;
    if (*first != NULL) {
        /* only "one" vs "several" matters: a third distinct value changes nothing */
        if (*count == 1 && strcmp(*first, v) != 0)
            *count = 2;
        return PIISCAN_OK;
    }
    *first = strndup(v, len);
    if (*first == NULL)
        return PIISCAN_ENOMEM;
    *count = 1;
    return PIISCAN_OK;
}

#define TIN_DEDUPE 8u /* leading entries checked for a repeat */

static piiscan_status note_tin(struct ps_record *r, const char *digits, size_t len)
{
    if (len == 0)
        return PIISCAN_OK;
    for (unsigned i = 0; i < r->ntins && i < TIN_DEDUPE; i++)
        if (strcmp(r->tins[i], digits) == 0)
            return PIISCAN_OK;
    if (r->ntins >= PS_REC_MAX_TINS)
        return PIISCAN_OK; /* bounded: the findings are still counted */
    if (r->ntins == r->captins) {
        unsigned cap = r->captins ? r->captins * 2 : 2;
        char **n = realloc(r->tins, cap * sizeof *n);
        if (n == NULL)
            return PIISCAN_ENOMEM;
        r->tins = n;
        r->captins = cap;
    }
    r->tins[r->ntins] = strndup(digits, len);
    if (r->tins[r->ntins] == NULL)
        return PIISCAN_ENOMEM;
    r->ntins++;
    return PIISCAN_OK;
}

static bool is_other_identifier(piiscan_category c)
{
    return c == PIISCAN_CAT_CREDIT_CARD || c == PIISCAN_CAT_BANK_ACCOUNT ||
           c == PIISCAN_CAT_DRIVERS_LICENSE || c == PIISCAN_CAT_PASSPORT;
}

static piiscan_status note_identity(struct ps_record *r, const piiscan_finding *f)
{
    char v[PS_NORM_MAX];
    char oid[PS_NORM_MAX + 32];
    const char *src = f->normalized ? f->normalized : f->value;
    size_t len;

    if (src == NULL)
        return PIISCAN_OK;
    switch (f->category) {
    case PIISCAN_CAT_SSN:
    case PIISCAN_CAT_ITIN:
        len = ps_norm_digits(src, v, sizeof v);
        return note_tin(r, v, len);
    case PIISCAN_CAT_NAME:
        len = ps_norm_name(src, v, sizeof v);
        return note_value(&r->name, &r->nnames, v, len);
    case PIISCAN_CAT_DOB:
        len = ps_norm_plain(src, v, sizeof v);
        return note_value(&r->dob, &r->ndobs, v, len);
    default:
        if (!is_other_identifier(f->category))
            return PIISCAN_OK;
        len = ps_norm_plain(src, v, sizeof v);
        if (len == 0)
            return PIISCAN_OK;
        int w = snprintf(oid, sizeof oid, "%s:%s", ps_category_name(f->category), v);
        return note_value(&r->oid, &r->noids, oid, (size_t)w);
    }
}

piiscan_status ps_recset_add(struct ps_recset *rs, const piiscan_finding *f)
{
    piiscan_status rc = PIISCAN_OK;

    if ((int)f->category < 0 || f->category >= PIISCAN_CAT_COUNT || f->lpath == NULL)
        return PIISCAN_EINVAL;
    if (rs->lpath == NULL) {
        rs->lpath = strdup(f->lpath);
        if (rs->lpath == NULL)
            return PIISCAN_ENOMEM;
        ps_record_path_tag(rs->lpath, rs->tag);
    } else if (strcmp(rs->lpath, f->lpath) != 0) {
        return PIISCAN_EINVAL;
    }
    uint64_t key = ps_record_key(f);
    if (rs->nrecs + rs->nreleased > 0 && key < rs->last_key)
        rs->is_monotonic = false;
    rs->last_key = key;
    struct ps_record *r = record_for(rs, key, &rc);
    if (r == NULL)
        return rc;
    if (r->line == 0 || (f->line != 0 && f->line < r->line))
        r->line = f->line;
    r->cats |= PS_CATBIT(f->category);
    if (r->nfindings < UINT32_MAX)
        r->nfindings++;
    rs->per_cat[f->category]++;
    return note_identity(r, f);
}

/* Grades record r and counts it into the given per-severity tallies. */
static void grade(const struct ps_recset *rs, struct ps_record *r, uint64_t *per_sev,
                  uint64_t *findings_at, uint64_t *bulk, enum ps_severity *max)
{
    r->severity = ps_sevmodel_record(rs->model, r->cats);
    per_sev[r->severity]++;
    findings_at[r->severity] += r->nfindings;
    if (r->severity > *max)
        *max = r->severity;
    if (ps_sevmodel_is_bulk_record(rs->model, r->cats))
        (*bulk)++;
}

void ps_recset_finish(struct ps_recset *rs)
{
    /* released records were graded when they left; start from their tallies */
    rs->bulk = rs->rel_bulk;
    rs->max_record = rs->rel_max;
    memcpy(rs->per_sev, rs->rel_per_sev, sizeof rs->per_sev);
    memcpy(rs->findings_at, rs->rel_findings_at, sizeof rs->findings_at);
    for (size_t i = 0; i < rs->nrecs; i++)
        grade(rs, &rs->recs[i], rs->per_sev, rs->findings_at, &rs->bulk, &rs->max_record);
    rs->file_sev = ps_sevmodel_file(rs->model, rs->max_record, rs->bulk);
}

size_t ps_recset_complete(const struct ps_recset *rs)
{
    /* with keys that only grow, only the last record can still get findings */
    return rs->is_monotonic && rs->nrecs > 1 ? rs->nrecs - 1 : 0;
}

piiscan_status ps_recset_release(struct ps_recset *rs, size_t n, ps_record_fn fn, void *ctx)
{
    piiscan_status rc = PIISCAN_OK;

    if (n > ps_recset_complete(rs))
        return PIISCAN_EINVAL;
    if (n == 0)
        return PIISCAN_OK;
    for (size_t i = 0; i < n; i++) {
        struct ps_record *r = &rs->recs[i];
        grade(rs, r, rs->rel_per_sev, rs->rel_findings_at, &rs->rel_bulk, &rs->rel_max);
        if (rc == PIISCAN_OK && fn != NULL)
            rc = fn(ctx, r);
        free_record(r);
    }
    memmove(rs->recs, rs->recs + n, (rs->nrecs - n) * sizeof *rs->recs);
    rs->nrecs -= n;
    rs->nreleased += n;
    /* positions moved: index the (few) records left again */
    ps_u64map_free(&rs->index);
    for (size_t i = 0; rc == PIISCAN_OK && i < rs->nrecs; i++)
        rc = ps_u64map_put(&rs->index, rs->recs[i].key, (uint32_t)i);
    return rc;
}

uint64_t ps_recset_released(const struct ps_recset *rs)
{
    return rs->nreleased;
}

uint64_t ps_recset_records(const struct ps_recset *rs)
{
    return rs->nreleased + rs->nrecs;
}

size_t ps_recset_count(const struct ps_recset *rs)
{
    return rs->nrecs;
}

const struct ps_record *ps_recset_get(const struct ps_recset *rs, size_t i)
{
    return i < rs->nrecs ? &rs->recs[i] : NULL;
}

const struct ps_record *ps_recset_lookup(const struct ps_recset *rs, const piiscan_finding *f)
{
    uint32_t at = ps_u64map_get(&rs->index, ps_record_key(f));
    return at == PS_MAP_NONE ? NULL : &rs->recs[at];
}

size_t ps_recset_index(const struct ps_recset *rs, const piiscan_finding *f)
{
    uint32_t at = ps_u64map_get(&rs->index, ps_record_key(f));
    return at == PS_MAP_NONE ? SIZE_MAX : at;
}

char *ps_recset_record_id(const struct ps_recset *rs, const struct ps_record *rec, char *buf,
                          size_t len)
{
    uint64_t v = rec->key & ~KEY_KIND_MASK;
    const char *kind = "";

    if ((rec->key & KEY_KIND_MASK) == KEY_LINE)
        kind = "L";
    else if ((rec->key & KEY_KIND_MASK) == KEY_OFFSET)
        kind = "@";
    snprintf(buf, len, "%s:%s%llu", rs->tag, kind, (unsigned long long)v);
    return buf;
}

const char *ps_recset_lpath(const struct ps_recset *rs)
{
    return rs->lpath;
}

enum ps_severity ps_recset_file_severity(const struct ps_recset *rs)
{
    return rs->file_sev;
}

enum ps_severity ps_recset_max_record_severity(const struct ps_recset *rs)
{
    return rs->max_record;
}

uint64_t ps_recset_bulk_records(const struct ps_recset *rs)
{
    return rs->bulk;
}

uint64_t ps_recset_findings(const struct ps_recset *rs, int cat)
{
    uint64_t total = 0;

    if (cat >= 0)
        return cat < PIISCAN_CAT_COUNT ? rs->per_cat[cat] : 0;
    for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
        total += rs->per_cat[c];
    return total;
}

uint64_t ps_recset_findings_at(const struct ps_recset *rs, enum ps_severity sev)
{
    return (int)sev >= 0 && sev < PS_SEV_COUNT ? rs->findings_at[sev] : 0;
}

uint64_t ps_recset_records_at(const struct ps_recset *rs, enum ps_severity sev)
{
    return (int)sev >= 0 && sev < PS_SEV_COUNT ? rs->per_sev[sev] : 0;
}
