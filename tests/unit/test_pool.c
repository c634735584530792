/* test_pool.c - the people store's compact containers: chunked vector, id
 * table, string pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record/pool.h"

/* Elements never move: a pointer taken early still sees its value at the end. */
static void chunkv_keeps_elements_in_place(void **state)
{
    struct ps_chunkv v;
    uint64_t *first = NULL;
    void *slot;

    (void)state;
    ps_chunkv_init(&v, sizeof(uint64_t));
    for (uint64_t i = 0; i < 3 * PS_CHUNKV_PER + 5; i++) {
        assert_int_equal(ps_chunkv_push(&v, &slot), PIISCAN_OK);
        assert_int_equal(*(uint64_t *)slot, 0); /* zeroed */
        *(uint64_t *)slot = i * 7;
        if (i == 0)
            first = slot;
    }
    assert_int_equal(v.n, 3 * PS_CHUNKV_PER + 5);
    assert_int_equal(v.nchunks, 4);
    assert_ptr_equal(ps_chunkv_at(&v, 0), first);
    for (size_t i = 0; i < v.n; i++)
        assert_int_equal(*(uint64_t *)ps_chunkv_at(&v, i), i * 7);
    ps_chunkv_free(&v);
    assert_int_equal(v.n, 0);
    assert_int_equal(v.elem, sizeof(uint64_t)); /* usable again */
}

/* Ids number distinct strings in order of first sight; repeats, prefixes and
 * longer strings sharing a prefix are told apart; a string longer than an arena
 * block is kept whole. */
static void strpool_interns(void **state)
{
    struct ps_strpool p = {0};
    char buf[32];
    uint32_t id = 0;
    size_t big_len = 300 * 1024;
    char *big = malloc(big_len);

    (void)state;
    assert_non_null(big);
    memset(big, 'x', big_len);
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = 0; i < 100000; i++) {
            int n = snprintf(buf, sizeof buf, "%09u", i * 3u);
            assert_int_equal(ps_strpool_intern(&p, buf, (size_t)n, &id), PIISCAN_OK);
            assert_int_equal(id, i);
        }
    }
    assert_int_equal(ps_strpool_count(&p), 100000);
    assert_string_equal(ps_strpool_get(&p, 4), "000000012");
    assert_int_equal(ps_strpool_intern(&p, "00000001", 8, &id), PIISCAN_OK); /* a prefix */
    assert_int_equal(id, 100000);
    assert_int_equal(ps_strpool_intern(&p, "0000000120", 10, &id), PIISCAN_OK);
    assert_int_equal(id, 100001);
    assert_int_equal(ps_strpool_intern(&p, "", 0, &id), PIISCAN_OK);
    assert_int_equal(id, 100002);
    assert_int_equal(ps_strpool_intern(&p, big, big_len, &id), PIISCAN_OK);
    assert_int_equal(id, 100003);
    assert_int_equal(ps_strpool_intern(&p, "after", 5, &id), PIISCAN_OK);
    assert_int_equal(id, 100004);
    assert_int_equal(strlen(ps_strpool_get(&p, 100003)), big_len);
    assert_int_equal(ps_strpool_intern(&p, big, big_len, &id), PIISCAN_OK);
    assert_int_equal(id, 100003);
    assert_string_equal(ps_strpool_get(&p, 100002), "");
    assert_string_equal(ps_strpool_get(&p, 100004), "after");
    assert_string_equal(ps_strpool_get(&p, 99999), "000299997");
    ps_strpool_free(&p);
    free(big);
}

/* Keys of an id table live with the caller; colliding hashes still find each. */
static bool is_value(const void *ctx, uint32_t id, const void *key)
{
    return ((const uint64_t *)ctx)[id] == *(const uint64_t *)key;
}

static uint64_t same_hash(const void *ctx, uint32_t id)
{
    (void)ctx;
    (void)id;
    return 42; /* every key collides: probing alone must tell them apart */
}

static void idtable_with_collisions(void **state)
{
    struct ps_idtable t = {0};
    uint64_t vals[500];

    (void)state;
    for (uint32_t i = 0; i < 500; i++) {
        vals[i] = 1000 + i * 13u;
        assert_int_equal(ps_idtable_get(&t, 42, is_value, vals, &vals[i]), PS_IDTABLE_NONE);
        assert_int_equal(ps_idtable_add(&t, 42, i, same_hash, vals), PIISCAN_OK);
    }
    for (uint32_t i = 0; i < 500; i++)
        assert_int_equal(ps_idtable_get(&t, 42, is_value, vals, &vals[i]), i);
    uint64_t absent = 7;
    assert_int_equal(ps_idtable_get(&t, 42, is_value, vals, &absent), PS_IDTABLE_NONE);
    assert_true(t.count * 4 <= t.cap * 3);
    ps_idtable_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunkv_keeps_elements_in_place),
        cmocka_unit_test(strpool_interns),
        cmocka_unit_test(idtable_with_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
