/* record/pool.c - chunked vector and string pool (see pool.h).
 *
 * An id table holds ids only; a probe asks the caller whether the id holds the
 * key (the pool compares its string), so a slot costs 4 bytes. Strings are copied into arena
 * blocks of PS_POOL_BLOCK bytes (a longer string gets a block of its own) and
 * never move, which is what lets ps_strpool_get hand out plain pointers.
 */
#include "record/pool.h"

#include <stdlib.h>
#include <string.h>

#include "record/map.h"

#define PS_POOL_BLOCK (256u * 1024u)
#define POOL_MIN_CAP 64u

void ps_chunkv_init(struct ps_chunkv *v, size_t elem)
{
    memset(v, 0, sizeof *v);
    v->elem = elem;
}

void ps_chunkv_free(struct ps_chunkv *v)
{
    size_t elem = v->elem;

    for (size_t i = 0; i < v->nchunks; i++)
        free(v->chunks[i]);
    free(v->chunks);
    ps_chunkv_init(v, elem);
}

piiscan_status ps_chunkv_push(struct ps_chunkv *v, void **out)
{
    size_t at = v->n & (PS_CHUNKV_PER - 1);

    *out = NULL;
    if (v->n >= (size_t)UINT32_MAX - 1)
        return PIISCAN_ELIMIT;
    if (at == 0 && (v->n >> PS_CHUNKV_SHIFT) == v->nchunks) {
        if (v->nchunks == v->capchunks) {
            size_t cap = v->capchunks ? v->capchunks * 2 : 16;
            void **c = realloc(v->chunks, cap * sizeof *c);
            if (c == NULL)
                return PIISCAN_ENOMEM;
            v->chunks = c;
            v->capchunks = cap;
        }
        v->chunks[v->nchunks] = malloc(PS_CHUNKV_PER * v->elem);
        if (v->chunks[v->nchunks] == NULL)
            return PIISCAN_ENOMEM;
        v->nchunks++;
    }
    *out = ps_chunkv_at(v, v->n);
    memset(*out, 0, v->elem);
    v->n++;
    return PIISCAN_OK;
}

void ps_strpool_free(struct ps_strpool *p)
{
    for (size_t i = 0; i < p->blocks.n; i++)
        free(*(char **)ps_chunkv_at(&p->blocks, i));
    ps_chunkv_free(&p->blocks);
    ps_chunkv_free(&p->strv);
    ps_idtable_free(&p->ids);
    memset(p, 0, sizeof *p);
}

const char *ps_strpool_get(const struct ps_strpool *p, uint32_t id)
{
    return *(const char *const *)ps_chunkv_at(&p->strv, id);
}

void ps_idtable_free(struct ps_idtable *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}

uint32_t ps_idtable_get(const struct ps_idtable *t, uint64_t h, ps_idtable_is_fn is,
                        const void *ctx, const void *key)
{
    size_t mask = t->cap - 1;

    if (t->cap == 0)
        return PS_IDTABLE_NONE;
    for (size_t i = h & mask;; i = (i + 1) & mask)
        if (t->slots[i] == PS_IDTABLE_NONE || is(ctx, t->slots[i], key))
            return t->slots[i];
}

/* Puts id in the first empty slot from h (the table has room). */
static void idtable_place(uint32_t *slots, size_t cap, uint64_t h, uint32_t id)
{
    size_t i = h & (cap - 1);

    while (slots[i] != PS_IDTABLE_NONE)
        i = (i + 1) & (cap - 1);
    slots[i] = id;
}

piiscan_status ps_idtable_add(struct ps_idtable *t, uint64_t h, uint32_t id,
                              ps_idtable_hash_fn hash_of, const void *ctx)
{
    if ((t->count + 1) * 4 > t->cap * 3) {
        size_t cap = t->cap ? t->cap * 2 : POOL_MIN_CAP;
        uint32_t *slots = malloc(cap * sizeof *slots);
        if (slots == NULL)
            return PIISCAN_ENOMEM;
        memset(slots, 0xff, cap * sizeof *slots);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i] != PS_IDTABLE_NONE)
                idtable_place(slots, cap, hash_of(ctx, t->slots[i]), t->slots[i]);
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    idtable_place(t->slots, t->cap, h, id);
    t->count++;
    return PIISCAN_OK;
}

struct pool_key {
    const char *s;
    size_t len;
};

static bool pool_is(const void *ctx, uint32_t id, const void *key)
{
    const struct pool_key *k = key;
    const char *t = ps_strpool_get(ctx, id);

    return strncmp(t, k->s, k->len) == 0 && t[k->len] == '\0';
}

static uint64_t pool_hash_of(const void *ctx, uint32_t id)
{
    const char *t = ps_strpool_get(ctx, id);

    return ps_map_hash(t, strlen(t));
}

/* A copy of s in the arena. */
static piiscan_status pool_copy(struct ps_strpool *p, const char *s, size_t len, char **out)
{
    void *slot;
    piiscan_status rc;

    if (p->blocks.elem == 0)
        ps_chunkv_init(&p->blocks, sizeof(char *));
    if (p->block == NULL || p->block_cap - p->block_used < len + 1) {
        size_t cap = len + 1 > PS_POOL_BLOCK ? len + 1 : PS_POOL_BLOCK;
        char *b = malloc(cap);
        if (b == NULL)
            return PIISCAN_ENOMEM;
        rc = ps_chunkv_push(&p->blocks, &slot);
        if (rc != PIISCAN_OK) {
            free(b);
            return rc;
        }
        *(char **)slot = b;
        /* a string with a block of its own leaves the current block current */
        if (cap == PS_POOL_BLOCK || p->block == NULL) {
            p->block = b;
            p->block_used = 0;
            p->block_cap = cap;
        } else {
            memcpy(b, s, len);
            b[len] = '\0';
            *out = b;
            return PIISCAN_OK;
        }
    }
    *out = p->block + p->block_used;
    memcpy(*out, s, len);
    (*out)[len] = '\0';
    p->block_used += len + 1;
    return PIISCAN_OK;
}

piiscan_status ps_strpool_intern(struct ps_strpool *p, const char *s, size_t len, uint32_t *id)
{
    uint64_t h = ps_map_hash(s, len);
    struct pool_key k = {s, len};
    char *copy = NULL;
    void *slot;
    piiscan_status rc;

    if (p->strv.elem == 0)
        ps_chunkv_init(&p->strv, sizeof(char *));
    *id = ps_idtable_get(&p->ids, h, pool_is, p, &k);
    if (*id != PS_IDTABLE_NONE)
        return PIISCAN_OK;
    if ((rc = pool_copy(p, s, len, &copy)) != PIISCAN_OK ||
        (rc = ps_chunkv_push(&p->strv, &slot)) != PIISCAN_OK)
        return rc; /* a copy left in the arena is freed with it */
    *(char **)slot = copy;
    *id = (uint32_t)(p->strv.n - 1);
    return ps_idtable_add(&p->ids, h, *id, pool_hash_of, p);
}
