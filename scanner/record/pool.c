/* record/pool.c - chunked vector and string pool (see pool.h).
 *
 * The pool's table holds ids only; a probe compares the key with the pooled
 * string of the id, so a slot costs 4 bytes. Strings are copied into arena
 * blocks of PS_POOL_BLOCK bytes (a longer string gets a block of its own) and
 * never move, which is what lets ps_strpool_get hand out plain pointers.
 */
#include "record/pool.h"

#include <stdlib.h>
#include <string.h>

#include "record/map.h"

#define PS_POOL_BLOCK (256u * 1024u)
#define POOL_EMPTY UINT32_MAX
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
    free(p->slots);
    memset(p, 0, sizeof *p);
}

const char *ps_strpool_get(const struct ps_strpool *p, uint32_t id)
{
    return *(const char *const *)ps_chunkv_at(&p->strv, id);
}

/* Slot of s, or the empty slot where it would go. */
static size_t pool_slot(const struct ps_strpool *p, const char *s, size_t len, uint64_t h)
{
    size_t mask = p->cap - 1;

    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t id = p->slots[i];
        if (id == POOL_EMPTY)
            return i;
        const char *t = ps_strpool_get(p, id);
        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return i;
    }
}

static piiscan_status pool_grow(struct ps_strpool *p)
{
    size_t cap = p->cap ? p->cap * 2 : POOL_MIN_CAP;
    uint32_t *slots = malloc(cap * sizeof *slots);

    if (slots == NULL)
        return PIISCAN_ENOMEM;
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t id = 0; id < p->strv.n; id++) {
        const char *s = ps_strpool_get(p, (uint32_t)id);
        size_t i = ps_map_hash(s, strlen(s)) & (cap - 1);
        while (slots[i] != POOL_EMPTY)
            i = (i + 1) & (cap - 1);
        slots[i] = (uint32_t)id;
    }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
    return PIISCAN_OK;
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
    char *copy = NULL;
    void *slot;
    piiscan_status rc;

    if (p->strv.elem == 0)
        ps_chunkv_init(&p->strv, sizeof(char *));
    if (p->cap != 0) {
        size_t i = pool_slot(p, s, len, h);
        if (p->slots[i] != POOL_EMPTY) {
            *id = p->slots[i];
            return PIISCAN_OK;
        }
    }
    if ((p->strv.n + 1) * 4 > p->cap * 3 && (rc = pool_grow(p)) != PIISCAN_OK)
        return rc;
    if ((rc = pool_copy(p, s, len, &copy)) != PIISCAN_OK ||
        (rc = ps_chunkv_push(&p->strv, &slot)) != PIISCAN_OK)
        return rc; /* a copy left in the arena is freed with it */
    *(char **)slot = copy;
    *id = (uint32_t)(p->strv.n - 1);
    p->slots[pool_slot(p, s, len, h)] = *id;
    return PIISCAN_OK;
}
