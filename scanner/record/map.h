/* record/map.h - small open-addressing hash maps for the record stage.
 *
 * Two maps, both from a key to a uint32_t value (an index into the caller's
 * array): ps_u64map for numeric keys (record ids, fingerprints, pooled string
 * ids) and ps_strmap for byte-string keys, whose keys the map copies and owns.
 * Linear probing at load <= 3/4 (numeric) or 1/2 (strings); memory is
 * O(entries). For millions of entries whose keys live elsewhere, record/pool.h
 * has a 4-byte-slot id table. The record stage is
 * single-threaded (report side), so the maps have no locking.
 */
#ifndef PS_RECORD_MAP_H
#define PS_RECORD_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

#define PS_MAP_NONE UINT32_MAX /* "no value"; never stored */

struct ps_u64map {
    uint64_t *keys;
    uint32_t *vals; /* PS_MAP_NONE marks an empty slot */
    size_t cap;     /* power of two, or 0 before the first put */
    size_t count;
};

/* A zeroed struct is an empty map; ps_u64map_free releases it (and leaves it empty). */
void ps_u64map_free(struct ps_u64map *m);
/* Value for key, or PS_MAP_NONE. */
uint32_t ps_u64map_get(const struct ps_u64map *m, uint64_t key);
/* Inserts or replaces. val must not be PS_MAP_NONE (EINVAL). ENOMEM. */
piiscan_status ps_u64map_put(struct ps_u64map *m, uint64_t key, uint32_t val);

struct ps_strmap {
    char **keys; /* owned copies, NUL-terminated (keys may not contain NUL) */
    size_t *lens;
    uint32_t *vals; /* PS_MAP_NONE marks an empty slot */
    size_t cap;
    size_t count;
};

void ps_strmap_free(struct ps_strmap *m);
uint32_t ps_strmap_get(const struct ps_strmap *m, const char *key, size_t len);
/* Inserts or replaces; copies the key. EINVAL for PS_MAP_NONE, ENOMEM. */
piiscan_status ps_strmap_put(struct ps_strmap *m, const char *key, size_t len, uint32_t val);

/* Interning: the value of key if present, else inserts it with the value
 * m->count (so values number distinct keys 0, 1, 2, ...). *id gets the value,
 * *stored (may be NULL) the map's copy of the key, valid until the map is freed.
 * ENOMEM, ELIMIT past PS_MAP_NONE - 2 keys. */
piiscan_status ps_strmap_intern(struct ps_strmap *m, const char *key, size_t len, uint32_t *id,
                                const char **stored);

/* 64-bit hash of bytes (FNV-1a with a final avalanche); stable across runs. */
uint64_t ps_map_hash(const void *data, size_t len);
/* The splitmix64 finaliser: spreads every bit of h over the low bits a table masks. */
uint64_t ps_map_mix64(uint64_t h);

#endif
