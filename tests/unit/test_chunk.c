/* test_chunk.c - chunk arithmetic: tiling, overlap, UTF-8 boundaries, lines and
 * paragraphs, exactly-once reporting of a match on a chunk boundary, bounded memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text/chunk.h"

struct blk_stream {
    const char *p;
    size_t len;
    size_t pos;
    size_t blk;
    size_t fail_at;
};

static piiscan_status blk_next(void *h, const void **buf, size_t *len)
{
    struct blk_stream *b = h;
    size_t n = b->len - b->pos;
    if (b->fail_at != 0 && b->pos >= b->fail_at)
        return PIISCAN_ECORRUPT;
    if (n > b->blk)
        n = b->blk;
    if (b->fail_at != 0 && b->pos + n > b->fail_at)
        n = b->fail_at - b->pos;
    *buf = b->p + b->pos;
    *len = n;
    b->pos += n;
    return PIISCAN_OK;
}

#define MAXU 4096

struct rec {
    size_t start, limit, len;
    uint64_t base, line, para, record;
};

/* Records every unit and checks its invariants against the source text. */
struct coll {
    const char *src;
    size_t total;
    size_t overlap;
    size_t chunk;
    size_t n;
    struct rec u[MAXU];
    const char *needle; /* simulated engine: report occurrences starting in [start,limit) */
    size_t hits;
    uint64_t hit_off[64];
    size_t stop_after; /* return EABORTED after this many units (0 = never) */
};

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static piiscan_status on_unit(void *ctx, const struct ps_unit *u)
{
    struct coll *c = ctx;
    assert_true(c->n < MAXU);
    assert_int_equal(u->kind, PS_UNIT_TEXT);
    assert_string_equal(u->lpath, "t.txt");
    assert_true(u->start < u->limit);
    assert_true(u->limit <= u->len);
    assert_true(u->limit - u->start <= c->chunk);
    assert_true(u->base_offset + u->len <= c->total);
    /* the window holds exactly the stream's bytes at base_offset */
    assert_memory_equal(u->text, c->src + u->base_offset, u->len);
    /* cuts on character boundaries */
    assert_false(is_cont(u->text[u->start]));
    if (u->limit < u->len)
        assert_false(is_cont(u->text[u->limit]));
    if (u->base_offset + u->len < c->total)
        assert_false(is_cont(c->src[u->base_offset + u->len]));
    /* look-behind and look-ahead of at least overlap bytes, except at the ends */
    uint64_t abs_start = u->base_offset + u->start;
    uint64_t abs_limit = u->base_offset + u->limit;
    assert_true(u->start >= (abs_start < c->overlap ? abs_start : c->overlap));
    size_t rest = c->total - abs_limit;
    assert_true(u->len - u->limit >= (rest < c->overlap ? rest : c->overlap));
    /* tiling: this unit starts where the previous one stopped */
    if (c->n == 0)
        assert_int_equal(abs_start, 0);
    else
        assert_int_equal(abs_start, c->u[c->n - 1].base + c->u[c->n - 1].limit);
    /* lines: 1 + newlines before text[0] */
    uint64_t nl = 1;
    for (size_t i = 0; i < u->base_offset; i++)
        nl += c->src[i] == '\n';
    assert_int_equal(u->base_line, nl);

    if (c->needle != NULL) {
        size_t nlen = strlen(c->needle);
        for (size_t i = u->start; i < u->limit; i++) {
            if (i + nlen <= u->len && memcmp(u->text + i, c->needle, nlen) == 0) {
                assert_true(c->hits < 64);
                c->hit_off[c->hits++] = u->base_offset + i;
            }
        }
    }
    struct rec r = {u->start,     u->limit,     u->len,   u->base_offset,
                    u->base_line, u->base_para, u->record};
    c->u[c->n++] = r;
    if (c->stop_after != 0 && c->n == c->stop_after)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}

static piiscan_status run(struct coll *c, const char *text, size_t len, size_t chunk,
                          size_t overlap, size_t blk)
{
    struct ps_chunker *k = NULL;
    struct blk_stream bs = {text, len, 0, blk, 0};
    struct ps_stream s = {blk_next, &bs, len};
    c->src = text;
    c->total = len;
    c->overlap = overlap;
    c->chunk = chunk;
    assert_int_equal(ps_chunker_new(chunk, overlap, &k), PIISCAN_OK);
    piiscan_status rc = ps_chunk_stream(k, "t.txt", &s, 0, 0, on_unit, c);
    ps_chunker_free(k);
    return rc;
}

static void check_last(const struct coll *c)
{
    assert_true(c->n > 0);
    assert_int_equal(c->u[c->n - 1].base + c->u[c->n - 1].limit, c->total);
}

static void test_exact_arithmetic(void **state)
{
    static struct coll c;
    char text[41];
    (void)state;
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < 40; i++)
        text[i] = (char)('a' + i % 26);
    text[40] = '\0';
    assert_int_equal(run(&c, text, 40, 16, 4, 1000), PIISCAN_OK);
    /* round 1: [0,16) of 20; round 2: base 12, [4,20) of 24; round 3: base 28, [4,12) */
    assert_int_equal(c.n, 3);
    assert_int_equal(c.u[0].base, 0);
    assert_int_equal(c.u[0].start, 0);
    assert_int_equal(c.u[0].limit, 16);
    assert_int_equal(c.u[0].len, 20);
    assert_int_equal(c.u[1].base, 12);
    assert_int_equal(c.u[1].start, 4);
    assert_int_equal(c.u[1].limit, 20);
    assert_int_equal(c.u[1].len, 24);
    assert_int_equal(c.u[2].base, 28);
    assert_int_equal(c.u[2].start, 4);
    assert_int_equal(c.u[2].limit, 12);
    assert_int_equal(c.u[2].len, 12);
    check_last(&c);
}

static void test_empty_and_tiny(void **state)
{
    static struct coll c;
    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(run(&c, "", 0, 16, 4, 8), PIISCAN_OK);
    assert_int_equal(c.n, 0);
    memset(&c, 0, sizeof(c));
    assert_int_equal(run(&c, "abc", 3, 16, 4, 1), PIISCAN_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.u[0].start, 0);
    assert_int_equal(c.u[0].limit, 3);
    assert_int_equal(c.u[0].len, 3);
    /* exactly one chunk long: one unit */
    memset(&c, 0, sizeof(c));
    assert_int_equal(run(&c, "0123456789abcdef", 16, 16, 4, 3), PIISCAN_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.u[0].limit, 16);
}

/* A match starting exactly on a chunk boundary, one ending on it, one across it:
 * each found exactly once, at its true offset. */
static void test_match_on_boundary(void **state)
{
    static struct coll c;
    static const char needle[] = "123-45-6789";
    char text[200];
    (void)state;
    for (size_t blk = 1; blk <= 33; blk += 8) {
        memset(&c, 0, sizeof(c));
        memset(text, '.', sizeof(text));
        /* chunk 32, overlap 12 (>= needle length): boundaries at 32, 64, 96, ... */
        memcpy(text + 32, needle, 11);      /* starts on the boundary */
        memcpy(text + 64 - 11, needle, 11); /* ends on the boundary */
        memcpy(text + 96 - 5, needle, 11);  /* straddles it */
        memcpy(text + 189, needle, 11);     /* at the very end */
        c.needle = needle;
        assert_int_equal(run(&c, text, sizeof(text), 32, 12, blk), PIISCAN_OK);
        check_last(&c);
        assert_int_equal(c.hits, 4);
        assert_int_equal(c.hit_off[0], 32);
        assert_int_equal(c.hit_off[1], 53);
        assert_int_equal(c.hit_off[2], 91);
        assert_int_equal(c.hit_off[3], 189);
        assert_int_equal(c.u[0].limit, 32);
        assert_int_equal(c.u[1].base + c.u[1].start, 32);
    }
}

static void test_utf8_boundaries(void **state)
{
    static struct coll c;
    /* multibyte characters everywhere: every cut must move onto a boundary */
    static const char *pieces[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "a"};
    char text[1000];
    size_t n = 0;
    (void)state;
    for (int i = 0; n + 4 < sizeof(text); i++) {
        const char *p = pieces[(i * 7) % 4];
        memcpy(text + n, p, strlen(p));
        n += strlen(p);
    }
    for (size_t chunk = 16; chunk < 40; chunk += 5) {
        memset(&c, 0, sizeof(c));
        assert_int_equal(run(&c, text, n, chunk, 5, 13), PIISCAN_OK);
        check_last(&c);
        assert_true(c.n > 10);
    }
}

/* Paragraph number of text[0], counted directly over the prefix: 1 + the newlines
 * whose next line is blank (the engine's rule, engine/context.c). */
static uint64_t para_at(const char *s, size_t off, size_t total)
{
    uint64_t para = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] != '\n')
            continue;
        size_t k = i + 1;
        while (k < total && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k < total && s[k] == '\n')
            para++;
    }
    return para;
}

static void test_lines_and_paragraphs(void **state)
{
    static struct coll c;
    static const char text[] = "\n\nfirst para line one\nline two\n\n  \nsecond para\n"
                               "still second\n\n\nthird para here and some more text\r\n"
                               "\r\nfourth\n";
    size_t n = sizeof(text) - 1;
    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(run(&c, text, n, 16, 4, 5), PIISCAN_OK);
    check_last(&c);
    for (size_t i = 0; i < c.n; i++)
        assert_int_equal(c.u[i].para, para_at(text, c.u[i].base, n));
    /* breaks (a newline whose next line is blank): 1 leading, 2 after "line two",
     * 2 after "still second", 1 after "more text" */
    assert_int_equal(para_at(text, n, n), 7);
    assert_int_equal(c.u[0].line, 1);
}

static void test_first_line_and_record(void **state)
{
    struct ps_chunker *k = NULL;
    static struct coll c;
    struct blk_stream bs = {"ab\ncd", 5, 0, 2, 0};
    struct ps_stream s = {blk_next, &bs, 5};
    (void)state;
    memset(&c, 0, sizeof(c));
    c.src = bs.p;
    c.total = 5;
    c.overlap = 4;
    c.chunk = 16;
    assert_int_equal(ps_chunker_new(16, 4, &k), PIISCAN_OK);
    /* first_line 0 means line 1; record 0 is passed through */
    assert_int_equal(ps_chunk_stream(k, "t.txt", &s, 0, 0, on_unit, &c), PIISCAN_OK);
    assert_int_equal(c.u[0].line, 1);
    assert_int_equal(c.u[0].record, 0);
    ps_chunker_free(k);
}

static piiscan_status record_probe(void *ctx, const struct ps_unit *u)
{
    struct rec *r = ctx;
    r->line = u->base_line;
    r->record = u->record;
    return PIISCAN_OK;
}

static void test_line_offset_record(void **state)
{
    struct ps_chunker *k = NULL;
    struct blk_stream bs = {"x", 1, 0, 1, 0};
    struct ps_stream s = {blk_next, &bs, 1};
    struct rec r = {0};
    (void)state;
    assert_int_equal(ps_chunker_new(16, 0, &k), PIISCAN_OK);
    assert_int_equal(ps_chunk_stream(k, "t.txt", &s, 42, 7, record_probe, &r), PIISCAN_OK);
    assert_int_equal(r.line, 42);
    assert_int_equal(r.record, 7);
    ps_chunker_free(k);
}

static void test_abort_and_failure(void **state)
{
    static struct coll c;
    struct ps_chunker *k = NULL;
    char text[100];
    (void)state;
    memset(text, 'z', sizeof(text));
    memset(&c, 0, sizeof(c));
    c.stop_after = 2;
    assert_int_equal(run(&c, text, sizeof(text), 16, 4, 7), PIISCAN_EABORTED);
    assert_int_equal(c.n, 2);

    /* the stream fails at byte 50: bytes before it are reported, then the failure */
    memset(&c, 0, sizeof(c));
    struct blk_stream bs = {text, sizeof(text), 0, 7, 50};
    struct ps_stream s = {blk_next, &bs, sizeof(text)};
    c.src = text;
    c.total = 50;
    c.overlap = 4;
    c.chunk = 16;
    assert_int_equal(ps_chunker_new(16, 4, &k), PIISCAN_OK);
    assert_int_equal(ps_chunk_stream(k, "t.txt", &s, 0, 0, on_unit, &c), PIISCAN_ECORRUPT);
    check_last(&c);
    ps_chunker_free(k);
}

/* 20 MiB through a production-size chunker, generated on the fly: the window never
 * exceeds 2 * overlap + chunk + 8 and every byte is reported once. */
struct gen_stream {
    char blk[65536];
    uint64_t left;
};

static piiscan_status gen_next(void *h, const void **buf, size_t *len)
{
    struct gen_stream *g = h;
    size_t n = g->left < sizeof(g->blk) ? (size_t)g->left : sizeof(g->blk);
    *buf = g->blk;
    *len = n;
    g->left -= n;
    return PIISCAN_OK;
}

struct big {
    uint64_t reported;
    uint64_t next_start;
    size_t max_len;
    size_t units;
};

static piiscan_status big_unit(void *ctx, const struct ps_unit *u)
{
    struct big *b = ctx;
    assert_int_equal(u->base_offset + u->start, b->next_start);
    b->next_start = u->base_offset + u->limit;
    b->reported += u->limit - u->start;
    if (u->len > b->max_len)
        b->max_len = u->len;
    b->units++;
    return PIISCAN_OK;
}

static void test_bounded_memory(void **state)
{
    static struct gen_stream g;
    struct ps_stream s = {gen_next, &g, 0};
    struct ps_chunker *k = NULL;
    struct big b = {0, 0, 0, 0};
    (void)state;
    for (size_t i = 0; i < sizeof(g.blk); i++)
        g.blk[i] = (char)(i % 61 == 60 ? '\n' : 'a' + i % 26);
    g.left = 20u * 1024u * 1024u;
    assert_int_equal(ps_chunker_new(256u * 1024u, 1024, &k), PIISCAN_OK);
    assert_int_equal(ps_chunk_stream(k, "big", &s, 0, 0, big_unit, &b), PIISCAN_OK);
    assert_int_equal(b.reported, 20u * 1024u * 1024u);
    assert_int_equal(b.units, 80);
    assert_true(b.max_len <= 2 * 1024 + 256u * 1024u + 8);
    ps_chunker_free(k);
}

static void test_bad_args(void **state)
{
    struct ps_chunker *k = (struct ps_chunker *)1;
    (void)state;
    assert_int_equal(ps_chunker_new(8, 4, &k), PIISCAN_EINVAL);
    assert_null(k);
    ps_chunker_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_arithmetic),     cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_match_on_boundary),    cmocka_unit_test(test_utf8_boundaries),
        cmocka_unit_test(test_lines_and_paragraphs), cmocka_unit_test(test_first_line_and_record),
        cmocka_unit_test(test_line_offset_record),   cmocka_unit_test(test_abort_and_failure),
        cmocka_unit_test(test_bounded_memory),       cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
