/* record/people.c - dedupe records into affected individuals (see people.h).
 *
 * Memory is what this file is about: a dump can hold millions of people, and
 * every record cannot be kept until the end. Two observations keep it to a few
 * dozen bytes per person:
 *
 *   - Pass 1 (a record with SSNs/ITINs belongs to the person of each) does not
 *     depend on anything later, so it runs as records arrive: the person's
 *     totals (records, elements, severity, files) are accumulated on the spot
 *     and the record is gone. Its "learning" (name, name+birthdate and other
 *     identifier -> person) happens in arrival order, as a pass over stored
 *     records would do it.
 *   - Passes 2-4 need the whole scan, but their outcome for a record depends
 *     only on its identity signature (name, birthdate, other identifier and how
 *     many of each, clipped to 2). Records are therefore folded into one group
 *     per signature (weight, union of categories, worst severity, files), and
 *     the passes run over groups in order of first arrival. Within each pass a
 *     later record of a signature changes nothing the first did not, so this is
 *     the same as running over the records; pass 3 runs records without exactly
 *     one name first (3a), then those with one name (3b), so that a named record
 *     joins the holder of its identifier whichever of the two came first.
 *
 * People and groups are one kind of 28-byte entity in one vector: a group that
 * founds a person in passes 2-4 becomes that person in place (its totals are
 * already the person's), and the groups that joined someone else are squeezed
 * out before the sort. Distinct files per person are counted from a first-file
 * field plus a list of (entity, file) pairs for any further file, sorted and
 * deduplicated at the end. Strings live in a pool (record/pool.h); SSNs/ITINs
 * are kept as their nine-digit number; the indexes that find a person by TIN,
 * name, name and birthdate or other identifier hold 4-byte slots that point at
 * the person (struct pindex). Person ids are keyed hashes of the same key strings as
 * always ("tin:<digits>", "nd:<name>|<dob>", "id:<cat>:<value>", "n:<name>"),
 * so ids do not change with the representation.
 */
#include "record/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/map.h"
#include "record/pool.h"

#define NONE PS_MAP_NONE
#define AMBIGUOUS (PS_MAP_NONE - 1)
#define NAME_BIT PS_CATBIT(PIISCAN_CAT_NAME)
#define KEY_MAX 600u
#define TIN_STR_BIT (1u << 31)  /* a TIN code that is a pool id, not nine digits */
#define TIN_ITIN_MIN 900000000u /* nine-digit codes from here start with 9 */

_Static_assert(PIISCAN_CAT_COUNT <= 16, "elements are kept in 16 bits");

_Static_assert(PS_SEV_COUNT <= 8, "a severity fits in 3 bits");

/* What an entity is: a person (keyed as the id's key string says) or a group of
 * records without SSN/ITIN that share one identity signature. */
enum ekind { K_TIN = 0, K_ND, K_ID, K_N, K_GROUP };

/* 28 bytes: fields a later phase no longer reads make room for what it adds. */
struct pent {
    uint32_t first_file; /* NONE: none yet */
    union {
        uint32_t last_file; /* while records arrive */
        uint32_t joined;    /* a group, from resolve on: NONE, AMBIGUOUS or its person */
        uint32_t files;     /* a person, from count_files on */
    } f;
    union {
        struct {
            /* K_TIN: TIN code; K_ID and K_GROUP: pool id of "cat:value" (NONE: none);
             * K_N: the name */
            uint32_t key;
            uint32_t dob; /* pool id, NONE when unknown */
        } k;
        uint32_t id[2]; /* the keyed id (high, low), once computed from key and dob */
    } v;
    uint32_t name;     /* pool id, NONE when unknown */
    uint32_t records;  /* saturating */
    uint16_t elements; /* categories over its records */
    uint8_t counts;    /* K_GROUP: nname | ndob << 2 | noid << 4, each clipped to 2 */
    uint8_t sevkind;   /* severity (bits 0-2) | enum ekind << 3 */
};

_Static_assert(sizeof(struct pent) == 28, "an entity is 28 bytes");

static enum ekind ent_kind(const struct pent *e)
{
    return (enum ekind)(e->sevkind >> 3);
}

static void ent_set_kind(struct pent *e, enum ekind k)
{
    e->sevkind = (uint8_t)((e->sevkind & 7u) | (unsigned)k << 3);
}

static uint8_t ent_sev(const struct pent *e)
{
    return e->sevkind & 7u;
}

/* Raises the entity's severity to sev if that is higher. */
static void ent_raise_sev(struct pent *e, unsigned sev)
{
    if (sev > ent_sev(e))
        e->sevkind = (uint8_t)((e->sevkind & ~7u) | (sev & 7u));
}

static uint64_t person_id(const struct pent *e)
{
    return (uint64_t)e->v.id[0] << 32 | e->v.id[1];
}

/* A person index: key -> person or AMBIGUOUS. Most entries are keyed by the
 * person's own fields (the TIN a person was made for, the name and birthdate a
 * person holds), so the table keeps only the person (4 bytes a slot) and a probe
 * compares the key with that person's fields, which never change once set. An
 * entry whose key is not its person's own (a second birthdate for an SSN holder)
 * and an AMBIGUOUS mark go to a small exact map looked at first. */
enum pxkind { PX_TIN, PX_NAME, PX_ND, PX_OID };

struct pindex {
    enum pxkind kind;
    const struct ps_people *pp;
    struct ps_idtable ids; /* persons, found by their own key */
    struct ps_u64map over;
};

struct ps_people {
    const struct ps_sevmodel *model;
    const struct ps_idkey *key;
    struct ps_strpool strs;
    struct ps_chunkv ents;  /* struct pent: people and groups, in order of first arrival;
                               after resolve only people, in report order */
    struct ps_idtable gids; /* groups, found by signature */
    struct ps_chunkv pairs; /* uint64_t entity << 32 | file: files after the first */
    struct pindex tin_ix;   /* TIN code -> person */
    /* What records taught: -> person or AMBIGUOUS. They also find the people of
     * passes 2-4: a person keyed "nd:", "id:" or "n:" is only created where its
     * index entry is empty, and creating it fills the entry (learn). */
    struct pindex name_ix, nd_ix, oid_ix;
    uint32_t *tins; /* scratch: TIN codes of one record */
    size_t captins;
    uint64_t *file_people; /* distinct people per file_no */
    size_t nfiles;         /* highest file_no + 1 */
    uint64_t unlinked;
    bool is_resolved;
    bool is_sorted; /* people in report order: resolve succeeded */
};

piiscan_status ps_people_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                             struct ps_people **out)
{
    struct ps_people *pp = calloc(1, sizeof *pp);

    *out = NULL;
    if (pp == NULL)
        return PIISCAN_ENOMEM;
    pp->model = model;
    pp->key = key;
    ps_chunkv_init(&pp->ents, sizeof(struct pent));
    ps_chunkv_init(&pp->pairs, sizeof(uint64_t));
    pp->tin_ix = (struct pindex){.kind = PX_TIN, .pp = pp};
    pp->name_ix = (struct pindex){.kind = PX_NAME, .pp = pp};
    pp->nd_ix = (struct pindex){.kind = PX_ND, .pp = pp};
    pp->oid_ix = (struct pindex){.kind = PX_OID, .pp = pp};
    *out = pp;
    return PIISCAN_OK;
}

static void free_resolve_state(struct ps_people *pp);

void ps_people_free(struct ps_people *pp)
{
    if (pp == NULL)
        return;
    free_resolve_state(pp); /* indexes, pairs */
    ps_strpool_free(&pp->strs);
    ps_chunkv_free(&pp->ents);
    ps_idtable_free(&pp->gids);
    free(pp->tins);
    free(pp->file_people);
    free(pp);
}

static struct pent *ent_at(const struct ps_people *pp, uint32_t i)
{
    return ps_chunkv_at(&pp->ents, i);
}

/* Pool id of s (NONE for NULL). */
static piiscan_status intern(struct ps_people *pp, const char *s, uint32_t *id)
{
    *id = NONE;
    if (s == NULL)
        return PIISCAN_OK;
    piiscan_status rc = ps_strpool_intern(&pp->strs, s, strlen(s), id);
    if (rc == PIISCAN_OK && *id >= TIN_STR_BIT)
        rc = PIISCAN_ELIMIT; /* ids must leave room for TIN_STR_BIT */
    return rc;
}

static uint8_t clip2(unsigned n)
{
    return (uint8_t)(n > 2 ? 2 : n);
}

static uint32_t add_sat(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static uint64_t pair(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32) | b;
}

static piiscan_status push_pair(struct ps_chunkv *v, uint32_t who, uint32_t file)
{
    void *slot;
    piiscan_status rc = ps_chunkv_push(v, &slot);

    if (rc == PIISCAN_OK)
        *(uint64_t *)slot = pair(who, file);
    return rc;
}

/* Notes that entity i has a record in file; a file other than its first is
 * listed once per change of file. */
static piiscan_status note_file(struct ps_people *pp, uint32_t i, uint32_t file)
{
    struct pent *e = ent_at(pp, i);

    if (e->first_file == NONE) {
        e->first_file = e->f.last_file = file;
        return PIISCAN_OK;
    }
    if (file == e->f.last_file)
        return PIISCAN_OK;
    e->f.last_file = file;
    return file == e->first_file ? PIISCAN_OK : push_pair(&pp->pairs, i, file);
}

/* A new entity, its fields NONE or 0; *e points at it. */
static piiscan_status ent_new(struct ps_people *pp, enum ekind kind, uint32_t *out, struct pent **e)
{
    void *slot;
    piiscan_status rc = ps_chunkv_push(&pp->ents, &slot);

    if (rc != PIISCAN_OK)
        return rc;
    if (pp->ents.n - 1 >= AMBIGUOUS)
        return PIISCAN_ELIMIT;
    *e = slot;
    (*e)->first_file = (*e)->f.last_file = NONE;
    (*e)->v.k.key = (*e)->name = (*e)->v.k.dob = NONE;
    ent_set_kind(*e, kind);
    *out = (uint32_t)(pp->ents.n - 1);
    return PIISCAN_OK;
}

/* The key person p has in an index of this kind; false when it has none. */
static bool px_own_key(const struct ps_people *pp, enum pxkind kind, uint32_t p, uint64_t *key)
{
    const struct pent *ps = ent_at(pp, p);

    switch (kind) {
    case PX_TIN:
        *key = ps->v.k.key;
        return ent_kind(ps) == K_TIN;
    case PX_NAME:
        *key = ps->name;
        return ps->name != NONE;
    case PX_ND:
        *key = pair(ps->name, ps->v.k.dob);
        return ps->name != NONE && ps->v.k.dob != NONE;
    case PX_OID:
        *key = ps->v.k.key;
        return ent_kind(ps) == K_ID;
    }
    return false;
}

static bool px_is(const void *ctx, uint32_t p, const void *key)
{
    const struct pindex *ix = ctx;
    uint64_t own = 0;

    return px_own_key(ix->pp, ix->kind, p, &own) && own == *(const uint64_t *)key;
}

static uint64_t px_hash_of(const void *ctx, uint32_t p)
{
    const struct pindex *ix = ctx;
    uint64_t own = 0;

    px_own_key(ix->pp, ix->kind, p, &own);
    return ps_map_mix64(own);
}

/* Empties ix (it stays usable). */
static void px_free(struct pindex *ix)
{
    ps_idtable_free(&ix->ids);
    ps_u64map_free(&ix->over);
}

static uint32_t px_get(const struct pindex *ix, uint64_t key)
{
    uint32_t v = ps_u64map_get(&ix->over, key);

    return v != NONE ? v : ps_idtable_get(&ix->ids, ps_map_mix64(key), px_is, ix, &key);
}

/* Adds key -> p (or AMBIGUOUS) for a key the index does not hold. */
static piiscan_status px_add(struct pindex *ix, uint64_t key, uint32_t p)
{
    uint64_t own = 0;

    if (p == AMBIGUOUS || !px_own_key(ix->pp, ix->kind, p, &own) || own != key)
        return ps_u64map_put(&ix->over, key, p);
    return ps_idtable_add(&ix->ids, ps_map_mix64(key), p, px_hash_of, ix);
}

/* Index entry key -> person; a second, different person makes it AMBIGUOUS. */
static piiscan_status px_note(struct pindex *ix, uint64_t key, uint32_t p)
{
    uint32_t cur = px_get(ix, key);

    if (cur == p || cur == AMBIGUOUS)
        return PIISCAN_OK;
    if (cur == NONE)
        return px_add(ix, key, p);
    return ps_u64map_put(&ix->over, key, AMBIGUOUS); /* looked at first: hides the slot */
}

/* The person of TIN code, created on first use. */
static piiscan_status tin_person(struct ps_people *pp, uint32_t code, uint32_t *out)
{
    struct pent *e = NULL;
    piiscan_status rc;

    *out = px_get(&pp->tin_ix, code);
    if (*out != NONE)
        return PIISCAN_OK;
    if ((rc = ent_new(pp, K_TIN, out, &e)) != PIISCAN_OK)
        return rc;
    e->v.k.key = code;
    return px_add(&pp->tin_ix, code, *out);
}

static void add_to_person(struct pent *e, uint32_t weight, ps_catset cats, unsigned sev)
{
    e->records = add_sat(e->records, weight);
    e->elements |= (uint16_t)cats;
    ent_raise_sev(e, sev);
}

/* An identity signature: what passes 2-4 look at. */
struct sig {
    uint32_t name, dob, oid;
    uint8_t nname, ndob, noid;
};

/* Teaches the indexes what a record (its signature) says about person p. */
static piiscan_status learn(struct ps_people *pp, const struct sig *s, uint32_t p)
{
    piiscan_status rc = PIISCAN_OK;
    struct pent *ps = ent_at(pp, p);

    if (s->nname == 1 && ps->name == NONE)
        ps->name = s->name;
    if (s->ndob == 1 && ps->v.k.dob == NONE)
        ps->v.k.dob = s->dob;
    if (s->nname == 1)
        rc = px_note(&pp->name_ix, s->name, p);
    if (rc == PIISCAN_OK && s->nname == 1 && s->ndob == 1)
        rc = px_note(&pp->nd_ix, pair(s->name, s->dob), p);
    if (rc == PIISCAN_OK && s->noid == 1)
        rc = px_note(&pp->oid_ix, s->oid, p);
    return rc;
}

static piiscan_status sig_of(struct ps_people *pp, const struct ps_record *rec, struct sig *s)
{
    piiscan_status rc;

    s->nname = clip2(rec->nnames);
    s->ndob = clip2(rec->ndobs);
    s->noid = clip2(rec->noids);
    if ((rc = intern(pp, rec->name, &s->name)) != PIISCAN_OK ||
        (rc = intern(pp, rec->dob, &s->dob)) != PIISCAN_OK)
        return rc;
    return intern(pp, rec->oid, &s->oid);
}

/* ---- pass 1, as records arrive ---- */

/* The code of an SSN/ITIN: its nine digits as a number, else a pool id. */
static piiscan_status tin_code(struct ps_people *pp, const char *digits, uint32_t *code)
{
    uint32_t v = 0;
    size_t n = 0;

    for (; n < 9 && digits[n] >= '0' && digits[n] <= '9'; n++)
        v = v * 10 + (uint32_t)(digits[n] - '0');
    if (n == 9 && digits[n] == '\0') {
        *code = v;
        return PIISCAN_OK;
    }
    piiscan_status rc = intern(pp, digits, code);
    *code |= TIN_STR_BIT;
    return rc;
}

/* The category bit of a TIN (an ITIN starts with 9, an SSN never does). */
static ps_catset tin_bit(const struct ps_people *pp, uint32_t code)
{
    bool is_itin = code & TIN_STR_BIT ? ps_strpool_get(&pp->strs, code & ~TIN_STR_BIT)[0] == '9'
                                      : code >= TIN_ITIN_MIN;
    return is_itin ? PS_CATBIT(PIISCAN_CAT_ITIN) : PS_CATBIT(PIISCAN_CAT_SSN);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

/* The distinct TIN codes of rec into pp->tins; *n gets their number. */
static piiscan_status tin_codes(struct ps_people *pp, const struct ps_record *rec, size_t *n)
{
    piiscan_status rc = PIISCAN_OK;
    size_t w = 0;

    if (rec->ntins > pp->captins) {
        uint32_t *t = realloc(pp->tins, rec->ntins * sizeof *t);
        if (t == NULL)
            return PIISCAN_ENOMEM;
        pp->tins = t;
        pp->captins = rec->ntins;
    }
    for (unsigned i = 0; i < rec->ntins && rc == PIISCAN_OK; i++)
        rc = tin_code(pp, rec->tins[i], &pp->tins[i]);
    /* a long list may repeat a value: sort the codes and keep each once */
    qsort(pp->tins, rec->ntins, sizeof *pp->tins, cmp_u32);
    for (size_t i = 0; i < rec->ntins; i++)
        if (w == 0 || pp->tins[i] != pp->tins[w - 1])
            pp->tins[w++] = pp->tins[i];
    *n = w;
    return rc;
}

static piiscan_status add_tin_record(struct ps_people *pp, const struct ps_record *rec,
                                     uint32_t file)
{
    size_t n = 0;
    uint32_t p = NONE;
    piiscan_status rc = tin_codes(pp, rec, &n);

    for (size_t t = 0; t < n && rc == PIISCAN_OK; t++) {
        rc = tin_person(pp, pp->tins[t], &p);
        if (rc != PIISCAN_OK)
            break;
        /* several SSNs in one record: each is exposed, the rest is not theirs for
         * sure; and only their own kind */
        add_to_person(ent_at(pp, p), 1, n == 1 ? rec->cats : (rec->cats & tin_bit(pp, pp->tins[t])),
                      (unsigned)rec->severity);
        rc = note_file(pp, p, file);
    }
    if (rc == PIISCAN_OK && n == 1) {
        struct sig s;
        rc = sig_of(pp, rec, &s);
        if (rc == PIISCAN_OK)
            rc = learn(pp, &s, p);
    }
    return rc;
}

/* ---- groups: records without SSN/ITIN ---- */

static uint8_t sig_counts(const struct sig *s)
{
    return (uint8_t)(s->nname | s->ndob << 2 | s->noid << 4);
}

static uint64_t sig_hash(const struct sig *s)
{
    uint32_t k[4] = {s->name, s->dob, s->oid, sig_counts(s)};
    return ps_map_hash(k, sizeof k);
}

static bool sig_is(const struct pent *g, const struct sig *s)
{
    return g->name == s->name && g->v.k.dob == s->dob && g->v.k.key == s->oid &&
           g->counts == sig_counts(s);
}

static struct sig sig_of_group(const struct pent *g)
{
    return (struct sig){g->name,       g->v.k.dob,           g->v.k.key,
                        g->counts & 3, (g->counts >> 2) & 3, (g->counts >> 4) & 3};
}

static bool group_is(const void *ctx, uint32_t g, const void *key)
{
    return sig_is(ent_at(ctx, g), key);
}

static uint64_t group_hash_of(const void *ctx, uint32_t g)
{
    struct sig s = sig_of_group(ent_at(ctx, g));
    return sig_hash(&s);
}

/* The group of signature s, created on first sight. */
static piiscan_status group_for(struct ps_people *pp, const struct sig *s, uint32_t *out)
{
    uint64_t h = sig_hash(s);
    struct pent *g = NULL;
    piiscan_status rc;

    *out = ps_idtable_get(&pp->gids, h, group_is, pp, s);
    if (*out != NONE)
        return PIISCAN_OK;
    if ((rc = ent_new(pp, K_GROUP, out, &g)) != PIISCAN_OK)
        return rc;
    g->name = s->name;
    g->v.k.dob = s->dob;
    g->v.k.key = s->oid;
    g->counts = sig_counts(s);
    return ps_idtable_add(&pp->gids, h, *out, group_hash_of, pp);
}

static piiscan_status add_group_record(struct ps_people *pp, const struct ps_record *rec,
                                       uint32_t file)
{
    struct sig s;
    uint32_t gi = NONE;
    piiscan_status rc = sig_of(pp, rec, &s);

    if (rc == PIISCAN_OK)
        rc = group_for(pp, &s, &gi);
    if (rc != PIISCAN_OK)
        return rc;
    add_to_person(ent_at(pp, gi), 1, rec->cats, (unsigned)rec->severity);
    return note_file(pp, gi, file);
}

piiscan_status ps_people_add_record(struct ps_people *pp, const struct ps_record *rec,
                                    uint32_t file_no)
{
    bool has_other = (rec->cats & ~NAME_BIT) != 0;
    if (pp->is_resolved)
        return PIISCAN_EINVAL;
    /* a name alone is not an exposure of a person; no identity, no person */
    if (rec->ntins == 0 && rec->noids == 0 && !(rec->nnames > 0 && has_other))
        return PIISCAN_OK;
    if ((size_t)file_no + 1 > pp->nfiles)
        pp->nfiles = (size_t)file_no + 1;
    if (rec->ntins > 0)
        return add_tin_record(pp, rec, file_no);
    return add_group_record(pp, rec, file_no);
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

/* ---- passes 2-4, over groups ---- */

/* Group g, of signature s, joins person p (another entity). */
static piiscan_status join(struct ps_people *pp, struct pent *g, const struct sig *s, uint32_t p)
{
    struct pent *ps = ent_at(pp, p);
    piiscan_status rc = PIISCAN_OK;

    g->f.joined = p;
    add_to_person(ps, g->records, g->elements, ent_sev(g));
    /* the group's first file is a further file of the person's, unless the same
     * (its other files are mapped from its pairs at the end) */
    if (g->first_file != ps->first_file)
        rc = push_pair(&pp->pairs, p, g->first_file);
    return rc == PIISCAN_OK ? learn(pp, s, p) : rc;
}

/* Group gi founds a person of kind k in place: its records, elements, severity
 * and files already are the person's; the key and the name and birthdate a new
 * person starts with are set, then the group's signature teaches as a record
 * would. */
static piiscan_status found(struct ps_people *pp, uint32_t gi, const struct sig *s, enum ekind k)
{
    struct pent *g = ent_at(pp, gi);

    ent_set_kind(g, k);
    g->f.joined = gi;
    g->v.k.key = k == K_ID ? s->oid : s->name; /* K_ND keys on name and dob */
    g->name = k == K_ID ? NONE : s->name;
    g->v.k.dob = k == K_ND ? s->dob : NONE;
    return learn(pp, s, gi);
}

/* Records nobody can be picked for without guessing. */
static void give_up(struct ps_people *pp, struct pent *g)
{
    pp->unlinked += g->records;
    g->f.joined = AMBIGUOUS;
}

/* Pass 2: one name + one birthdate. */
static piiscan_status pass_name_dob(struct ps_people *pp, uint32_t gi, const struct sig *s)
{
    struct pent *g = ent_at(pp, gi);
    uint32_t p = px_get(&pp->nd_ix, pair(s->name, s->dob));

    if (p == AMBIGUOUS) {
        give_up(pp, g);
        return PIISCAN_OK;
    }
    if (p == NONE) {
        /* the one person of this name, if their birthdate is not known to differ */
        uint32_t q = px_get(&pp->name_ix, s->name);
        if (q == NONE || q == AMBIGUOUS || ent_at(pp, q)->v.k.dob != NONE)
            return found(pp, gi, s, K_ND);
        p = q;
    }
    return join(pp, g, s, p);
}

/* Pass 3: another identifier (card, passport, ...). 3a (not exactly one name)
 * may found the identifier's person; 3b (one name) only joins one, else the
 * group waits for pass 4. */
static piiscan_status pass_other_ids(struct ps_people *pp, uint32_t gi, const struct sig *s,
                                     bool named)
{
    struct pent *g = ent_at(pp, gi);
    uint32_t p = s->noid == 1 ? px_get(&pp->oid_ix, s->oid) : AMBIGUOUS;

    if (p != NONE && p != AMBIGUOUS)
        return join(pp, g, s, p);
    if (named)
        return PIISCAN_OK;
    if (p == AMBIGUOUS || s->nname > 1) {
        give_up(pp, g);
        return PIISCAN_OK;
    }
    return found(pp, gi, s, K_ID);
}

/* Pass 4: one name with some other element. */
static piiscan_status pass_names(struct ps_people *pp, uint32_t gi, const struct sig *s)
{
    struct pent *g = ent_at(pp, gi);
    uint32_t p = s->nname == 1 ? px_get(&pp->name_ix, s->name) : AMBIGUOUS;

    if (p == AMBIGUOUS) {
        give_up(pp, g); /* several names and no SSN, or a shared name: whose is it? */
        return PIISCAN_OK;
    }
    return p == NONE ? found(pp, gi, s, K_N) : join(pp, g, s, p);
}

enum gpass { GP_NAME_DOB, GP_IDS, GP_IDS_NAMED, GP_NAMES };

static piiscan_status run_pass(struct ps_people *pp, enum gpass which)
{
    piiscan_status rc = PIISCAN_OK;

    for (uint32_t i = 0; i < pp->ents.n && rc == PIISCAN_OK; i++) {
        const struct pent *g = ent_at(pp, i);
        if (ent_kind(g) != K_GROUP || g->f.joined != NONE)
            continue;
        /* a copy: founding a person rewrites the fields it is read from */
        struct sig sg = sig_of_group(g);
        if (which == GP_NAME_DOB && sg.nname == 1 && sg.ndob == 1)
            rc = pass_name_dob(pp, i, &sg);
        else if ((which == GP_IDS || which == GP_IDS_NAMED) && sg.noid > 0 &&
                 (sg.nname == 1) == (which == GP_IDS_NAMED))
            rc = pass_other_ids(pp, i, &sg, which == GP_IDS_NAMED);
        else if (which == GP_NAMES)
            rc = pass_names(pp, i, &sg);
    }
    return rc;
}

/* ---- aggregation ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y);
}

/* The person entity i stands for: itself, the one its group joined, or NONE. */
static uint32_t person_of(const struct ps_people *pp, uint32_t i)
{
    const struct pent *e = ent_at(pp, i);

    if (ent_kind(e) != K_GROUP)
        return i;
    return e->f.joined == AMBIGUOUS ? NONE : e->f.joined;
}

/* Every (person, file) beyond a person's first file, sorted, distinct. */
static piiscan_status person_file_pairs(struct ps_people *pp, uint64_t **out, size_t *n)
{
    uint64_t *v = malloc((pp->pairs.n ? pp->pairs.n : 1) * sizeof *v);
    size_t k = 0, w = 0;

    *out = v;
    *n = 0;
    if (v == NULL)
        return PIISCAN_ENOMEM;
    for (size_t i = 0; i < pp->pairs.n; i++) {
        uint64_t ef = *(uint64_t *)ps_chunkv_at(&pp->pairs, i);
        uint32_t p = person_of(pp, (uint32_t)(ef >> 32));
        if (p != NONE)
            v[k++] = pair(p, (uint32_t)ef);
    }
    qsort(v, k, sizeof *v, cmp_u64);
    for (size_t i = 0; i < k; i++)
        if (w == 0 || v[i] != v[w - 1])
            v[w++] = v[i];
    *n = w;
    return PIISCAN_OK;
}

static piiscan_status count_files(struct ps_people *pp)
{
    uint64_t *v = NULL;
    size_t n = 0;
    piiscan_status rc = person_file_pairs(pp, &v, &n);

    pp->file_people = calloc(pp->nfiles ? pp->nfiles : 1, sizeof *pp->file_people);
    if (rc == PIISCAN_OK && pp->file_people == NULL)
        rc = PIISCAN_ENOMEM;
    if (rc != PIISCAN_OK) {
        free(v);
        return rc;
    }
    /* the pairs are mapped: a person's f field may now hold its file count */
    for (uint32_t i = 0; i < pp->ents.n; i++) {
        struct pent *e = ent_at(pp, i);
        if (ent_kind(e) == K_GROUP)
            continue;
        e->f.files = 1; /* every person has a record, so a first file */
        pp->file_people[e->first_file]++;
    }
    for (size_t i = 0; i < n; i++) {
        struct pent *e = ent_at(pp, (uint32_t)(v[i] >> 32));
        uint32_t file = (uint32_t)v[i];
        if (file != e->first_file) {
            e->f.files++;
            pp->file_people[file]++;
        }
    }
    free(v);
    return PIISCAN_OK;
}

/* The key string a person's id is the keyed hash of. */
static size_t person_key(const struct ps_people *pp, const struct pent *ps, char *key)
{
    const struct ps_strpool *s = &pp->strs;
    int n = 0;

    switch (ent_kind(ps)) {
    case K_TIN:
        n = ps->v.k.key & TIN_STR_BIT
                ? snprintf(key, KEY_MAX, "tin:%s", ps_strpool_get(s, ps->v.k.key & ~TIN_STR_BIT))
                : snprintf(key, KEY_MAX, "tin:%09u", (unsigned)ps->v.k.key);
        break;
    case K_ND:
        n = snprintf(key, KEY_MAX, "nd:%s|%s", ps_strpool_get(s, ps->name),
                     ps_strpool_get(s, ps->v.k.dob));
        break;
    case K_ID:
        n = snprintf(key, KEY_MAX, "id:%s", ps_strpool_get(s, ps->v.k.key));
        break;
    case K_N:
        n = snprintf(key, KEY_MAX, "n:%s", ps_strpool_get(s, ps->v.k.key));
        break;
    case K_GROUP:
        break; /* not a person: squeezed out before ids are made */
    }
    return n < 0 ? 0 : ((size_t)n < KEY_MAX ? (size_t)n : KEY_MAX - 1);
}

/* Report order: severity (highest first), records (most first), id. */
static bool person_before(const struct pent *x, const struct pent *y)
{
    if (ent_sev(x) != ent_sev(y))
        return ent_sev(x) > ent_sev(y);
    if (x->records != y->records)
        return x->records > y->records;
    return person_id(x) < person_id(y);
}

static void swap_ents(struct pent *a, struct pent *b)
{
    struct pent t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(struct ps_people *pp, size_t at, size_t n)
{
    for (size_t child; (child = 2 * at + 1) < n; at = child) {
        if (child + 1 < n &&
            person_before(ent_at(pp, (uint32_t)child), ent_at(pp, (uint32_t)child + 1)))
            child++;
        if (!person_before(ent_at(pp, (uint32_t)at), ent_at(pp, (uint32_t)child)))
            return;
        swap_ents(ent_at(pp, (uint32_t)at), ent_at(pp, (uint32_t)child));
    }
}

/* Heapsort of the people themselves into report order: in place (no index
 * array), O(n log n) whatever the input. Entity indexes mean nothing after it. */
static void sort_people(struct ps_people *pp)
{
    size_t n = pp->ents.n;

    for (size_t i = n / 2; i-- > 0;)
        sift_down(pp, i, n);
    for (size_t end = n; end-- > 1;) {
        swap_ents(ent_at(pp, 0), ent_at(pp, (uint32_t)end));
        sift_down(pp, 0, end);
    }
}

/* Squeezes out the groups (all joined someone or were given up), keeping the
 * people in order, and lets go of the chunks no longer used. */
static void keep_people(struct ps_people *pp)
{
    size_t w = 0;

    for (uint32_t i = 0; i < pp->ents.n; i++) {
        const struct pent *e = ent_at(pp, i);
        if (ent_kind(e) == K_GROUP)
            continue;
        if (w != i)
            *ent_at(pp, (uint32_t)w) = *e;
        w++;
    }
    pp->ents.n = w;
    while (pp->ents.nchunks > (w + PS_CHUNKV_PER - 1) / PS_CHUNKV_PER)
        free(pp->ents.chunks[--pp->ents.nchunks]);
}

/* What only the passes needed, freed before the sort and the report. */
static void free_resolve_state(struct ps_people *pp)
{
    px_free(&pp->tin_ix);
    px_free(&pp->name_ix);
    px_free(&pp->nd_ix);
    px_free(&pp->oid_ix);
    ps_chunkv_free(&pp->pairs);
}

static piiscan_status aggregate(struct ps_people *pp)
{
    char key[KEY_MAX];
    piiscan_status rc;

    /* the indexes were for the passes; the pairs are for count_files */
    px_free(&pp->name_ix);
    px_free(&pp->nd_ix);
    px_free(&pp->oid_ix);
    rc = count_files(pp);
    free_resolve_state(pp);
    if (rc != PIISCAN_OK)
        return rc;
    keep_people(pp);
    for (uint32_t p = 0; p < pp->ents.n; p++) {
        struct pent *e = ent_at(pp, p);
        /* what the dump exposes about them together can be worse than any one record */
        ent_raise_sev(e, (unsigned)ps_sevmodel_record(pp->model, e->elements));
        uint64_t id = ps_idkey_u64(pp->key, key, person_key(pp, e, key));
        e->v.id[0] = (uint32_t)(id >> 32); /* key and dob are not read again */
        e->v.id[1] = (uint32_t)id;
    }
    sort_people(pp);
    pp->is_sorted = true;
    return PIISCAN_OK;
}

piiscan_status ps_people_resolve(struct ps_people *pp)
{
    piiscan_status rc = PIISCAN_OK;

    if (pp->is_resolved)
        return PIISCAN_EINVAL;
    pp->is_resolved = true;
    /* no record is added from here on: the tables that found groups and SSN
     * holders can go */
    px_free(&pp->tin_ix);
    ps_idtable_free(&pp->gids);
    free(pp->tins);
    pp->tins = NULL;
    pp->captins = 0;
    for (uint32_t i = 0; i < pp->ents.n; i++)
        if (ent_kind(ent_at(pp, i)) == K_GROUP)
            ent_at(pp, i)->f.joined = NONE; /* its last file is no longer needed */
    for (enum gpass w = GP_NAME_DOB; w <= GP_NAMES && rc == PIISCAN_OK; w++)
        rc = run_pass(pp, w);
    return rc == PIISCAN_OK ? aggregate(pp) : rc;
}

size_t ps_people_count(const struct ps_people *pp)
{
    return pp->is_sorted ? pp->ents.n : 0;
}

bool ps_people_get(const struct ps_people *pp, size_t i, struct ps_person *out)
{
    if (i >= ps_people_count(pp))
        return false;
    const struct pent *ps = ent_at(pp, (uint32_t)i);
    memset(out, 0, sizeof *out);
    ps_id_format(person_id(ps), out->id);
    out->name = ps->name == NONE ? NULL : ps_strpool_get(&pp->strs, ps->name);
    out->elements = ps->elements;
    out->records = ps->records;
    out->files = ps->f.files;
    out->severity = (enum ps_severity)ent_sev(ps);
    out->notify = ps_sevmodel_notify(pp->model, ps->elements);
    return true;
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

    if (!ps_id_parse(id, &v))
        return -1;
    for (size_t i = 0; i < ps_people_count(pp); i++)
        if (person_id(ent_at(pp, (uint32_t)i)) == v)
            return (long)i;
    return -1;
}
