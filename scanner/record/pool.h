/* record/pool.h - compact storage for the people store: a chunked vector and a
 * string pool.
 *
 * Both exist for memory that must stay small when a dump holds millions of
 * people. A realloc-doubled array briefly needs old + new copies and leaves the
 * old block in the heap; a malloc per string costs a 32-byte chunk for a
 * 9-byte value. So:
 *
 *   ps_chunkv  elements in fixed chunks of PS_CHUNKV_PER elements, allocated as
 *              the vector grows and never moved: a pointer to an element stays
 *              valid until the vector is freed; growth costs one chunk.
 *   ps_idtable an open-addressing table of 4-byte ids whose keys live elsewhere
 *              (in a vector): the caller hashes a key and says whether an id
 *              holds it. Linear probing, load <= 3/4. The string pool, the
 *              people store's groups and its person indexes are built on it.
 *   ps_strpool interning of byte strings into arena blocks; ids number the
 *              distinct strings 0, 1, 2, ...; an id table finds them. About
 *              len + 1 + 8 + 5 bytes per distinct string, nothing per repeat.
 *
 * A zeroed struct is empty; _free releases everything and leaves it empty.
 * Single-threaded (the report side).
 */
#ifndef PS_RECORD_POOL_H
#define PS_RECORD_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

#define PS_CHUNKV_SHIFT 14u
#define PS_CHUNKV_PER (1u << PS_CHUNKV_SHIFT) /* elements per chunk */

struct ps_chunkv {
    size_t elem; /* element size, set by ps_chunkv_init */
    void **chunks;
    size_t nchunks, capchunks;
    size_t n; /* elements in use */
};

void ps_chunkv_init(struct ps_chunkv *v, size_t elem);
void ps_chunkv_free(struct ps_chunkv *v);
/* Appends one zeroed element; *out points at it. ENOMEM, ELIMIT past 2^32 - 2. */
piiscan_status ps_chunkv_push(struct ps_chunkv *v, void **out);
/* Element i (i < v->n). */
static inline void *ps_chunkv_at(const struct ps_chunkv *v, size_t i)
{
    return (char *)v->chunks[i >> PS_CHUNKV_SHIFT] + (i & (PS_CHUNKV_PER - 1)) * v->elem;
}

#define PS_IDTABLE_NONE UINT32_MAX /* no id; marks an empty slot */

struct ps_idtable {
    uint32_t *slots; /* ids; PS_IDTABLE_NONE is empty */
    size_t cap;      /* power of two, or 0 */
    size_t count;
};

/* Whether id holds key (the caller's key type). */
typedef bool (*ps_idtable_is_fn)(const void *ctx, uint32_t id, const void *key);
/* The hash of the key id holds (to place it again when the table grows). */
typedef uint64_t (*ps_idtable_hash_fn)(const void *ctx, uint32_t id);

void ps_idtable_free(struct ps_idtable *t);
/* The id holding key, whose hash is h; PS_IDTABLE_NONE when none does. */
uint32_t ps_idtable_get(const struct ps_idtable *t, uint64_t h, ps_idtable_is_fn is,
                        const void *ctx, const void *key);
/* Adds id for a key the table does not hold (h its hash). Growing rehashes the
 * ids held with hash_of(ctx, id). ENOMEM. */
piiscan_status ps_idtable_add(struct ps_idtable *t, uint64_t h, uint32_t id,
                              ps_idtable_hash_fn hash_of, const void *ctx);

struct ps_strpool {
    char *block; /* current arena block */
    size_t block_used, block_cap;
    struct ps_chunkv blocks; /* every block, for free */
    struct ps_chunkv strv;   /* id -> const char * into a block */
    struct ps_idtable ids;
};

void ps_strpool_free(struct ps_strpool *p);
/* The id of s (len bytes, no NUL inside), interned on first sight; ids are
 * 0, 1, 2, ... in order of first sight. ENOMEM, ELIMIT. */
piiscan_status ps_strpool_intern(struct ps_strpool *p, const char *s, size_t len, uint32_t *id);
/* The string of id (NUL-terminated), valid until the pool is freed. */
const char *ps_strpool_get(const struct ps_strpool *p, uint32_t id);
/* Distinct strings held. */
static inline size_t ps_strpool_count(const struct ps_strpool *p)
{
    return p->strv.n;
}

#endif
