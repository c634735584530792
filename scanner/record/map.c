/* record/map.c - open-addressing hash maps (see map.h).
 *
 * The maps keep arrays sized to a power of two and probe linearly; they grow
 * (rehash into twice the size) before the load passes 3/4 (the numeric map,
 * which the record stage fills with millions of entries) or 1/2 (strings), so a
 * probe sequence always ends at an empty slot. Values double as the occupancy marker:
 * PS_MAP_NONE is an empty slot, which is why it can never be stored.
 */
#include "record/map.h"

#include <stdlib.h>
#include <string.h>

#define MAP_MIN_CAP 16u

uint64_t ps_map_mix64(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

uint64_t ps_map_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return ps_map_mix64(h); /* FNV's low bits are weak: mix before masking */
}

static uint64_t hash_u64(uint64_t k)
{
    return ps_map_hash(&k, sizeof k);
}

void ps_u64map_free(struct ps_u64map *m)
{
    if (m == NULL)
        return;
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

uint32_t ps_u64map_get(const struct ps_u64map *m, uint64_t key)
{
    if (m->cap == 0)
        return PS_MAP_NONE;
    size_t mask = m->cap - 1;
    for (size_t i = hash_u64(key) & mask;; i = (i + 1) & mask) {
        if (m->vals[i] == PS_MAP_NONE)
            return PS_MAP_NONE;
        if (m->keys[i] == key)
            return m->vals[i];
    }
}

/* Places key/val in a table known to have room and not to hold key. */
static void u64_place(uint64_t *keys, uint32_t *vals, size_t cap, uint64_t key, uint32_t val)
{
    size_t mask = cap - 1;
    size_t i = hash_u64(key) & mask;

    while (vals[i] != PS_MAP_NONE)
        i = (i + 1) & mask;
    keys[i] = key;
    vals[i] = val;
}

static piiscan_status u64_grow(struct ps_u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : MAP_MIN_CAP;
    uint64_t *keys = malloc(cap * sizeof *keys);
    uint32_t *vals = malloc(cap * sizeof *vals);

    if (keys == NULL || vals == NULL || cap < m->cap) {
        free(keys);
        free(vals);
        return PIISCAN_ENOMEM;
    }
    memset(vals, 0xff, cap * sizeof *vals); /* every slot PS_MAP_NONE */
    for (size_t i = 0; i < m->cap; i++)
        if (m->vals[i] != PS_MAP_NONE)
            u64_place(keys, vals, cap, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return PIISCAN_OK;
}

piiscan_status ps_u64map_put(struct ps_u64map *m, uint64_t key, uint32_t val)
{
    if (val == PS_MAP_NONE)
        return PIISCAN_EINVAL;
    if (m->cap != 0) {
        size_t mask = m->cap - 1;
        for (size_t i = hash_u64(key) & mask; m->vals[i] != PS_MAP_NONE; i = (i + 1) & mask) {
            if (m->keys[i] == key) {
                m->vals[i] = val;
                return PIISCAN_OK;
            }
        }
    }
    if ((m->count + 1) * 4 > m->cap * 3) {
        piiscan_status rc = u64_grow(m);
        if (rc != PIISCAN_OK)
            return rc;
    }
    u64_place(m->keys, m->vals, m->cap, key, val);
    m->count++;
    return PIISCAN_OK;
}

void ps_strmap_free(struct ps_strmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->vals[i] != PS_MAP_NONE)
            free(m->keys[i]);
    free(m->keys);
    free(m->lens);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Slot holding key, or the empty slot where it would go. Table must exist. */
static size_t str_slot(const struct ps_strmap *m, const char *key, size_t len)
{
    size_t mask = m->cap - 1;
    size_t i = ps_map_hash(key, len) & mask;

    while (m->vals[i] != PS_MAP_NONE) {
        if (m->lens[i] == len && memcmp(m->keys[i], key, len) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

uint32_t ps_strmap_get(const struct ps_strmap *m, const char *key, size_t len)
{
    if (m->cap == 0)
        return PS_MAP_NONE;
    return m->vals[str_slot(m, key, len)];
}

static piiscan_status str_grow(struct ps_strmap *m)
{
    struct ps_strmap n = {0};

    n.cap = m->cap ? m->cap * 2 : MAP_MIN_CAP;
    n.keys = malloc(n.cap * sizeof *n.keys);
    n.lens = malloc(n.cap * sizeof *n.lens);
    n.vals = malloc(n.cap * sizeof *n.vals);
    if (n.keys == NULL || n.lens == NULL || n.vals == NULL || n.cap < m->cap) {
        free(n.keys);
        free(n.lens);
        free(n.vals);
        return PIISCAN_ENOMEM;
    }
    memset(n.vals, 0xff, n.cap * sizeof *n.vals);
    /* keys move by pointer: no copy, no free */
    for (size_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == PS_MAP_NONE)
            continue;
        size_t j = str_slot(&n, m->keys[i], m->lens[i]);
        n.keys[j] = m->keys[i];
        n.lens[j] = m->lens[i];
        n.vals[j] = m->vals[i];
    }
    n.count = m->count;
    free(m->keys);
    free(m->lens);
    free(m->vals);
    *m = n;
    return PIISCAN_OK;
}

piiscan_status ps_strmap_put(struct ps_strmap *m, const char *key, size_t len, uint32_t val)
{
    if (val == PS_MAP_NONE)
        return PIISCAN_EINVAL;
    if (m->cap != 0) {
        size_t i = str_slot(m, key, len);
        if (m->vals[i] != PS_MAP_NONE) {
            m->vals[i] = val;
            return PIISCAN_OK;
        }
    }
    if ((m->count + 1) * 2 > m->cap) {
        piiscan_status rc = str_grow(m);
        if (rc != PIISCAN_OK)
            return rc;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return PIISCAN_ENOMEM;
    memcpy(copy, key, len);
    copy[len] = '\0';
    size_t i = str_slot(m, key, len);
    m->keys[i] = copy;
    m->lens[i] = len;
    m->vals[i] = val;
    m->count++;
    return PIISCAN_OK;
}

piiscan_status ps_strmap_intern(struct ps_strmap *m, const char *key, size_t len, uint32_t *id,
                                const char **stored)
{
    if (m->cap != 0) {
        size_t i = str_slot(m, key, len);
        if (m->vals[i] != PS_MAP_NONE) {
            *id = m->vals[i];
            if (stored != NULL)
                *stored = m->keys[i];
            return PIISCAN_OK;
        }
    }
    if (m->count >= PS_MAP_NONE - 2)
        return PIISCAN_ELIMIT;
    uint32_t v = (uint32_t)m->count;
    piiscan_status rc = ps_strmap_put(m, key, len, v);
    if (rc != PIISCAN_OK)
        return rc;
    *id = v;
    if (stored != NULL)
        *stored = m->keys[str_slot(m, key, len)];
    return PIISCAN_OK;
}
