/* record/people.c - dedupe records into affected individuals (see people.h).
 *
 * Records are reduced to compact rows of interned string ids as they arrive;
 * nothing is decided until ps_people_resolve, because linking "a name seen with
 * exactly one SSN" needs the whole scan. Resolution runs the four passes of
 * people.h over the rows in arrival order, keeping three indexes (name,
 * name+birthdate, other identifier -> person) whose entries turn AMBIGUOUS when
 * a second person claims them, so a shared name never links silently. Each
 * (person, record) assignment is stored; sorting them by (person, file) gives
 * records, distinct files, elements and severity per person in one sweep.
 */
#include "record/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/map.h"

#define AMBIGUOUS (PS_MAP_NONE - 1)
#define NAME_BIT PS_CATBIT(PIISCAN_CAT_NAME)
#define KEY_MAX 600u
#define PS_PEOPLE_DEDUP_SLOTS (1u << 20) /* 4 MiB of row indexes */

/* One identity-bearing record: ids of interned strings, counts clipped to 2. */
struct prec {
    uint32_t file;
    uint32_t name, dob, oid; /* PS_MAP_NONE when absent */
    uint32_t tin0;           /* first of ntin entries in tinv (sorted, distinct) */
    uint32_t ntin;
    uint8_t nname, ndob, noid;
    uint8_t sev;
    uint8_t is_done; /* attributed (or given up) during resolve */
    uint32_t weight; /* identical records of the same file merged into this row */
    ps_catset cats;
};

struct pperson {
    uint64_t id;
    uint32_t name, dob; /* PS_MAP_NONE when unknown */
};

struct assign {
    uint32_t person, rec;
    uint32_t file;
    ps_catset cats;
};

struct ps_people {
    const struct ps_sevmodel *model;
    const struct ps_idkey *key;
    struct ps_strmap strs; /* identity values -> id */
    const char **strv;     /* id -> value (the map's copy) */
    size_t nstr, capstr;
    struct prec *recs;
    size_t nrecs, caprecs;
    uint32_t *tinv;
    size_t ntinv, captinv;
    struct pperson *pers;
    size_t npers, cappers;
    struct ps_strmap pkeys; /* person key string -> person */
    struct ps_u64map name_idx, nd_idx, oid_idx;
    struct assign *as;
    size_t nas, capas;
    struct ps_person *out;  /* resolved, sorted */
    struct ps_u64map by_id; /* person id -> index in out */
    uint64_t *file_people;  /* distinct people per file_no */
    size_t nfiles;          /* highest file_no + 1 */
    uint64_t unlinked;
    bool is_resolved;
    uint32_t *dedup; /* hash -> row index (PS_MAP_NONE: empty); NULL until needed */
};

/* Makes room for one more element in a growable array. */
static piiscan_status grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return PIISCAN_OK;
    if (n >= PS_MAP_NONE - 2)
        return PIISCAN_ELIMIT;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return PIISCAN_ENOMEM;
    *arr = p;
    *cap = ncap;
    return PIISCAN_OK;
}

piiscan_status ps_people_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                             struct ps_people **out)
{
    struct ps_people *pp = calloc(1, sizeof *pp);

    *out = NULL;
    if (pp == NULL)
        return PIISCAN_ENOMEM;
    pp->model = model;
    pp->key = key;
    *out = pp;
    return PIISCAN_OK;
}

void ps_people_free(struct ps_people *pp)
{
    if (pp == NULL)
        return;
    ps_strmap_free(&pp->strs);
    ps_strmap_free(&pp->pkeys);
    ps_u64map_free(&pp->name_idx);
    ps_u64map_free(&pp->nd_idx);
    ps_u64map_free(&pp->oid_idx);
    ps_u64map_free(&pp->by_id);
    free(pp->strv);
    free(pp->recs);
    free(pp->tinv);
    free(pp->pers);
    free(pp->as);
    free(pp->out);
    free(pp->file_people);
    free(pp->dedup);
    free(pp);
}

/* Interned id of s (PS_MAP_NONE for NULL). */
static piiscan_status intern(struct ps_people *pp, const char *s, uint32_t *id)
{
    const char *stored = NULL;
    piiscan_status rc;

    *id = PS_MAP_NONE;
    if (s == NULL)
        return PIISCAN_OK;
    rc = ps_strmap_intern(&pp->strs, s, strlen(s), id, &stored);
    if (rc != PIISCAN_OK)
        return rc;
    if (*id < pp->nstr)
        return PIISCAN_OK;
    /* a new value: interning numbers them 0, 1, 2, ... so it goes at the end */
    rc = grow((void **)&pp->strv, &pp->capstr, pp->nstr, sizeof *pp->strv);
    if (rc != PIISCAN_OK)
        return rc;
    pp->strv[pp->nstr++] = stored;
    return PIISCAN_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

static uint8_t clip2(unsigned n)
{
    return (uint8_t)(n > 2 ? 2 : n);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

/* Hash of everything that makes a row what it is (not its weight). */
static uint64_t row_hash(const struct ps_people *pp, const struct prec *r)
{
    uint64_t h = mix(mix(r->file, r->name), ((uint64_t)r->dob << 32) | r->oid);

    h = mix(h, (uint64_t)r->cats);
    h = mix(h, ((uint64_t)r->nname << 24) | ((uint64_t)r->ndob << 16) |
                   ((uint64_t)r->noid << 8) | r->sev);
    for (uint32_t t = 0; t < r->ntin; t++)
        h = mix(h, pp->tinv[r->tin0 + t]);
    return h;
}

static bool row_equal(const struct ps_people *pp, const struct prec *a, const struct prec *b)
{
    if (a->file != b->file || a->name != b->name || a->dob != b->dob || a->oid != b->oid ||
        a->cats != b->cats || a->nname != b->nname || a->ndob != b->ndob ||
        a->noid != b->noid || a->sev != b->sev || a->ntin != b->ntin)
        return false;
    return memcmp(pp->tinv + a->tin0, pp->tinv + b->tin0, a->ntin * sizeof *pp->tinv) == 0;
}

/* The new row r (at index nrecs, not yet counted) repeats an earlier row: merge it
 * into that row and return true (its TIN ids are dropped again). */
static bool merge_duplicate(struct ps_people *pp, struct prec *r)
{
    uint32_t slot;
    uint32_t j;

    if (pp->dedup == NULL) {
        pp->dedup = malloc(PS_PEOPLE_DEDUP_SLOTS * sizeof *pp->dedup);
        if (pp->dedup == NULL)
            return false; /* no table, no merging: still correct */
        memset(pp->dedup, 0xff, PS_PEOPLE_DEDUP_SLOTS * sizeof *pp->dedup);
    }
    slot = (uint32_t)(row_hash(pp, r) & (PS_PEOPLE_DEDUP_SLOTS - 1));
    j = pp->dedup[slot];
    if (j != UINT32_MAX && j < pp->nrecs && pp->recs[j].weight < UINT32_MAX &&
        row_equal(pp, &pp->recs[j], r)) {
        pp->recs[j].weight++;
        pp->ntinv -= r->ntin;
        return true;
    }
    pp->dedup[slot] = (uint32_t)pp->nrecs;
    return false;
}

piiscan_status ps_people_add_record(struct ps_people *pp, const struct ps_record *rec,
                                    uint32_t file_no)
{
    piiscan_status rc;
    bool has_other = (rec->cats & ~NAME_BIT) != 0;

    /* a name alone is not an exposure of a person; no identity, no person */
    if (pp->is_resolved)
        return PIISCAN_EINVAL;
    if (rec->ntins == 0 && rec->noids == 0 && !(rec->nnames > 0 && has_other))
        return PIISCAN_OK;
    rc = grow((void **)&pp->recs, &pp->caprecs, pp->nrecs, sizeof *pp->recs);
    if (rc != PIISCAN_OK)
        return rc;
    struct prec *r = &pp->recs[pp->nrecs];
    memset(r, 0, sizeof *r);
    r->file = file_no;
    if ((size_t)file_no + 1 > pp->nfiles)
        pp->nfiles = (size_t)file_no + 1;
    r->cats = rec->cats;
    r->sev = (uint8_t)rec->severity;
    r->nname = clip2(rec->nnames);
    r->ndob = clip2(rec->ndobs);
    r->noid = clip2(rec->noids);
    r->tin0 = (uint32_t)pp->ntinv;
    if ((rc = intern(pp, rec->name, &r->name)) != PIISCAN_OK ||
        (rc = intern(pp, rec->dob, &r->dob)) != PIISCAN_OK ||
        (rc = intern(pp, rec->oid, &r->oid)) != PIISCAN_OK)
        return rc;
    for (unsigned i = 0; i < rec->ntins; i++) {
        rc = grow((void **)&pp->tinv, &pp->captinv, pp->ntinv, sizeof *pp->tinv);
        if (rc == PIISCAN_OK)
            rc = intern(pp, rec->tins[i], &pp->tinv[pp->ntinv]);
        if (rc != PIISCAN_OK)
            return rc;
        pp->ntinv++;
        r->ntin++;
    }
    /* a long list may repeat a value: sort the ids and keep each once */
    if (r->ntin > 1) {
        uint32_t *v = pp->tinv + r->tin0;
        uint32_t w = 1;
        qsort(v, r->ntin, sizeof *v, cmp_u32);
        for (uint32_t i = 1; i < r->ntin; i++)
            if (v[i] != v[w - 1])
                v[w++] = v[i];
        pp->ntinv -= r->ntin - w;
        r->ntin = w;
    }
    r->weight = 1;
    if (merge_duplicate(pp, r))
        return PIISCAN_OK;
    pp->nrecs++;
    return PIISCAN_OK;
}

piiscan_status ps_people_add_file(struct ps_people *pp, const struct ps_recset *rs,
                                  uint32_t file_no)
{
    for (size_t i = 0; i < ps_recset_count(rs); i++) {
        piiscan_status rc = ps_people_add_record(pp, ps_recset_get(rs, i), file_no);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* ---- resolution ---- */

/* The person with key "<prefix><a>[|<b>]", created on first use. */
static piiscan_status person_for(struct ps_people *pp, const char *prefix, uint32_t a, uint32_t b,
                                 uint32_t *out)
{
    char key[KEY_MAX];
    uint32_t idx;
    int n = snprintf(key, sizeof key, "%s%s%s%s", prefix, pp->strv[a], b != PS_MAP_NONE ? "|" : "",
                     b != PS_MAP_NONE ? pp->strv[b] : "");
    size_t len = n < 0 ? 0 : ((size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
    piiscan_status rc = ps_strmap_intern(&pp->pkeys, key, len, &idx, NULL);

    if (rc != PIISCAN_OK)
        return rc;
    if (idx == pp->npers) {
        rc = grow((void **)&pp->pers, &pp->cappers, pp->npers, sizeof *pp->pers);
        if (rc != PIISCAN_OK)
            return rc;
        pp->pers[idx].id = ps_idkey_u64(pp->key, key, len);
        pp->pers[idx].name = PS_MAP_NONE;
        pp->pers[idx].dob = PS_MAP_NONE;
        pp->npers++;
    }
    *out = idx;
    return PIISCAN_OK;
}

static piiscan_status assign(struct ps_people *pp, uint32_t person, uint32_t rec, ps_catset cats)
{
    piiscan_status rc = grow((void **)&pp->as, &pp->capas, pp->nas, sizeof *pp->as);

    if (rc != PIISCAN_OK)
        return rc;
    pp->as[pp->nas++] = (struct assign){person, rec, pp->recs[rec].file, cats};
    pp->recs[rec].is_done = 1;
    return PIISCAN_OK;
}

/* Index entry key -> person; a second, different person makes it AMBIGUOUS. */
static piiscan_status note(struct ps_u64map *idx, uint64_t key, uint32_t person)
{
    uint32_t cur = ps_u64map_get(idx, key);

    if (cur == person || cur == AMBIGUOUS)
        return PIISCAN_OK;
    return ps_u64map_put(idx, key, cur == PS_MAP_NONE ? person : AMBIGUOUS);
}

static uint64_t pair(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32) | b;
}

/* Teaches the indexes what a record says about person p. */
static piiscan_status learn(struct ps_people *pp, const struct prec *r, uint32_t p)
{
    piiscan_status rc = PIISCAN_OK;
    struct pperson *ps = &pp->pers[p];

    if (r->nname == 1 && ps->name == PS_MAP_NONE)
        ps->name = r->name;
    if (r->ndob == 1 && ps->dob == PS_MAP_NONE)
        ps->dob = r->dob;
    if (r->nname == 1)
        rc = note(&pp->name_idx, r->name, p);
    if (rc == PIISCAN_OK && r->nname == 1 && r->ndob == 1)
        rc = note(&pp->nd_idx, pair(r->name, r->dob), p);
    if (rc == PIISCAN_OK && r->noid == 1)
        rc = note(&pp->oid_idx, r->oid, p);
    return rc;
}

/* The category bit of an SSN/ITIN in canonical digits. */
static ps_catset tin_bit(const char *digits)
{
    return digits[0] == '9' ? PS_CATBIT(PIISCAN_CAT_ITIN) : PS_CATBIT(PIISCAN_CAT_SSN);
}

/* Pass 1: SSN/ITIN records. */
static piiscan_status pass_tins(struct ps_people *pp)
{
    for (uint32_t i = 0; i < pp->nrecs; i++) {
        struct prec *r = &pp->recs[i];
        uint32_t p = PS_MAP_NONE;
        piiscan_status rc = PIISCAN_OK;

        if (r->ntin == 0)
            continue;
        for (uint32_t t = 0; t < r->ntin && rc == PIISCAN_OK; t++) {
            uint32_t tin = pp->tinv[r->tin0 + t];
            rc = person_for(pp, "tin:", tin, PS_MAP_NONE, &p);
            /* several SSNs in one record: each is exposed, the rest is not theirs for
             * sure; and only their own kind (an ITIN starts with 9, an SSN never does) */
            if (rc == PIISCAN_OK)
                rc = assign(pp, p, i, r->ntin == 1 ? r->cats : (r->cats & tin_bit(pp->strv[tin])));
        }
        if (rc == PIISCAN_OK && r->ntin == 1)
            rc = learn(pp, r, p);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Pass 2: one name + one birthdate, no SSN. */
static piiscan_status pass_name_dob(struct ps_people *pp)
{
    for (uint32_t i = 0; i < pp->nrecs; i++) {
        struct prec *r = &pp->recs[i];
        piiscan_status rc = PIISCAN_OK;

        if (r->is_done || r->nname != 1 || r->ndob != 1)
            continue;
        uint32_t p = ps_u64map_get(&pp->nd_idx, pair(r->name, r->dob));
        if (p == AMBIGUOUS) {
            pp->unlinked += r->weight;
            r->is_done = 1;
            continue;
        }
        if (p == PS_MAP_NONE) {
            /* the one person of this name, if their birthdate is not known to differ */
            uint32_t q = ps_u64map_get(&pp->name_idx, r->name);
            if (q != PS_MAP_NONE && q != AMBIGUOUS && pp->pers[q].dob == PS_MAP_NONE)
                p = q;
            else
                rc = person_for(pp, "nd:", r->name, r->dob, &p);
        }
        if (rc == PIISCAN_OK)
            rc = assign(pp, p, i, r->cats);
        if (rc == PIISCAN_OK)
            rc = learn(pp, r, p);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Pass 3: another identifier (card, passport, ...), no SSN. Records with one name
 * whose identifier is unknown are left to pass 4. */
static piiscan_status pass_other_ids(struct ps_people *pp)
{
    for (uint32_t i = 0; i < pp->nrecs; i++) {
        struct prec *r = &pp->recs[i];
        piiscan_status rc = PIISCAN_OK;

        if (r->is_done || r->noid == 0)
            continue;
        uint32_t p = r->noid == 1 ? ps_u64map_get(&pp->oid_idx, r->oid) : AMBIGUOUS;
        if (p == PS_MAP_NONE || p == AMBIGUOUS) {
            if (r->nname == 1)
                continue;
            if (p == AMBIGUOUS || r->nname > 1) {
                pp->unlinked += r->weight;
                r->is_done = 1;
                continue;
            }
            rc = person_for(pp, "id:", r->oid, PS_MAP_NONE, &p);
        }
        if (rc == PIISCAN_OK)
            rc = assign(pp, p, i, r->cats);
        if (rc == PIISCAN_OK)
            rc = learn(pp, r, p);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Pass 4: one name with some other element. */
static piiscan_status pass_names(struct ps_people *pp)
{
    for (uint32_t i = 0; i < pp->nrecs; i++) {
        struct prec *r = &pp->recs[i];
        piiscan_status rc = PIISCAN_OK;

        if (r->is_done)
            continue;
        if (r->nname != 1) {
            pp->unlinked += r->weight; /* several names, no SSN: whose is it? */
            r->is_done = 1;
            continue;
        }
        uint32_t p = ps_u64map_get(&pp->name_idx, r->name);
        if (p == AMBIGUOUS) {
            pp->unlinked += r->weight;
            r->is_done = 1;
            continue;
        }
        if (p == PS_MAP_NONE)
            rc = person_for(pp, "n:", r->name, PS_MAP_NONE, &p);
        if (rc == PIISCAN_OK)
            rc = assign(pp, p, i, r->cats);
        if (rc == PIISCAN_OK)
            rc = learn(pp, r, p);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

static int cmp_assign(const void *a, const void *b)
{
    const struct assign *x = a, *y = b;

    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->rec < y->rec ? -1 : (x->rec > y->rec);
}

static int cmp_person(const void *a, const void *b)
{
    const struct ps_person *x = a, *y = b;

    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->records != y->records)
        return x->records > y->records ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* One sweep over assignments sorted by (person, file). */
static piiscan_status aggregate(struct ps_people *pp)
{
    pp->out = calloc(pp->npers ? pp->npers : 1, sizeof *pp->out);
    pp->file_people = calloc(pp->nfiles ? pp->nfiles : 1, sizeof *pp->file_people);
    if (pp->out == NULL || pp->file_people == NULL)
        return PIISCAN_ENOMEM;
    qsort(pp->as, pp->nas, sizeof *pp->as, cmp_assign);
    for (size_t i = 0; i < pp->nas; i++) {
        const struct assign *a = &pp->as[i];
        struct ps_person *o = &pp->out[a->person];
        enum ps_severity sev = (enum ps_severity)pp->recs[a->rec].sev;

        if (o->records == 0 || pp->as[i - 1].file != a->file) {
            o->files++;
            pp->file_people[a->file]++;
        }
        o->records += pp->recs[a->rec].weight;
        o->elements |= a->cats;
        if (sev > o->severity)
            o->severity = sev;
    }
    for (size_t p = 0; p < pp->npers; p++) {
        struct ps_person *o = &pp->out[p];
        /* what the dump exposes about them together can be worse than any one record */
        enum ps_severity combined = ps_sevmodel_record(pp->model, o->elements);
        if (combined > o->severity)
            o->severity = combined;
        o->notify = ps_sevmodel_notify(pp->model, o->elements);
        ps_id_format(pp->pers[p].id, o->id);
        o->name = pp->pers[p].name == PS_MAP_NONE ? NULL : pp->strv[pp->pers[p].name];
    }
    qsort(pp->out, pp->npers, sizeof *pp->out, cmp_person);
    for (size_t p = 0; p < pp->npers; p++) {
        uint64_t v = 0;
        if (ps_id_parse(pp->out[p].id, &v)) {
            piiscan_status rc = ps_u64map_put(&pp->by_id, v, (uint32_t)p);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
    return PIISCAN_OK;
}

piiscan_status ps_people_resolve(struct ps_people *pp)
{
    piiscan_status rc;

    if (pp->is_resolved)
        return PIISCAN_EINVAL;
    pp->is_resolved = true;
    if ((rc = pass_tins(pp)) != PIISCAN_OK || (rc = pass_name_dob(pp)) != PIISCAN_OK ||
        (rc = pass_other_ids(pp)) != PIISCAN_OK || (rc = pass_names(pp)) != PIISCAN_OK)
        return rc;
    return aggregate(pp);
}

size_t ps_people_count(const struct ps_people *pp)
{
    return pp->out != NULL ? pp->npers : 0;
}

const struct ps_person *ps_people_get(const struct ps_people *pp, size_t i)
{
    return i < ps_people_count(pp) ? &pp->out[i] : NULL;
}

uint64_t ps_people_unlinked(const struct ps_people *pp)
{
    return pp->unlinked;
}

uint64_t ps_people_in_file(const struct ps_people *pp, uint32_t file_no)
{
    return pp->file_people != NULL && file_no < pp->nfiles ? pp->file_people[file_no] : 0;
}

long ps_people_find(const struct ps_people *pp, const char *id)
{
    uint64_t v = 0;

    if (pp->out == NULL || !ps_id_parse(id, &v))
        return -1;
    uint32_t at = ps_u64map_get(&pp->by_id, v);
    return at == PS_MAP_NONE ? -1 : (long)at;
}
