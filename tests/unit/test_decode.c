/* test_decode.c - charset -> valid UTF-8 streaming, blocks split anywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text/decode.h"
#include "util/buf.h"

/* A stream over a buffer, handed out in blocks of blk bytes. */
struct blk_stream {
    const char *p;
    size_t len;
    size_t pos;
    size_t blk;
    size_t fail_at; /* fail with ECORRUPT once pos reaches this (0 = never) */
};

static piiscan_status blk_next(void *h, const void **buf, size_t *len)
{
    struct blk_stream *b = h;
    size_t n = b->len - b->pos;
    if (b->fail_at != 0 && b->pos >= b->fail_at)
        return PIISCAN_ECORRUPT;
    if (n > b->blk)
        n = b->blk;
    *buf = b->p + b->pos;
    *len = n;
    b->pos += n;
    return PIISCAN_OK;
}

/* Decodes in[0..n) given in blocks of blk; returns malloc'd output. */
static char *decode(const char *cs, const char *in, size_t n, size_t blk, size_t *out_len,
                    uint64_t *replaced, piiscan_status *rc_out)
{
    struct ps_decoder *d = NULL;
    struct blk_stream bs = {in, n, 0, blk, 0};
    struct ps_stream src = {blk_next, &bs, n};
    struct ps_stream u8;
    struct ps_buf out;
    piiscan_status rc = PIISCAN_OK;

    assert_int_equal(ps_decoder_new(cs, &d), PIISCAN_OK);
    ps_decoder_start(d, &src, &u8);
    ps_buf_init(&out, 64u * 1024u * 1024u);
    for (int guard = 0; guard < 10000000; guard++) {
        const void *b = NULL;
        size_t len = 0;
        rc = u8.next(u8.h, &b, &len);
        if (rc != PIISCAN_OK || len == 0)
            break;
        assert_int_equal(ps_buf_append(&out, b, len), PIISCAN_OK);
    }
    if (rc_out != NULL)
        *rc_out = rc;
    else
        assert_int_equal(rc, PIISCAN_OK);
    if (replaced != NULL)
        *replaced = ps_decoder_replaced(d);
    ps_decoder_free(d);
    return ps_buf_take(&out, out_len);
}

static void expect_decode(const char *cs, const char *in, size_t n, const char *want,
                          uint64_t want_replaced)
{
    /* every block size from 1 to 7, and one block */
    size_t sizes[] = {1, 2, 3, 4, 5, 7, 1u << 20};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t len = 0;
        uint64_t rep = 99;
        char *got = decode(cs, in, n, sizes[i], &len, &rep, NULL);
        assert_int_equal(len, strlen(want));
        assert_memory_equal(got, want, len);
        assert_int_equal(rep, want_replaced);
        free(got);
    }
}

static void test_utf16le_bom(void **state)
{
    (void)state;
    /* BOM, "SSN 12", U+00E9, U+20AC, U+1F600 (surrogate pair) */
    static const char in[] = "\xff\xfe"
                             "S\0S\0N\0 \0"
                             "1\0"
                             "2\0"
                             "\xe9\0"
                             "\xac\x20"
                             "\x3d\xd8\x00\xde";
    expect_decode("utf-16le", in, sizeof(in) - 1, "SSN 12\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 0);
}

static void test_utf16be_nobom(void **state)
{
    (void)state;
    static const char in[] = "\0H\0i\x20\xac\0\n";
    expect_decode("utf-16be", in, sizeof(in) - 1, "Hi\xe2\x82\xac\n", 0);
    /* a BOM in BE is dropped too */
    static const char in2[] = "\xfe\xff\0A";
    expect_decode("utf-16be", in2, sizeof(in2) - 1, "A", 0);
}

static void test_utf16_odd_and_lone_surrogate(void **state)
{
    (void)state;
    /* lone low surrogate then 'A', then a dangling odd byte at the end */
    static const char in[] = "A\0"
                             "\x00\xdc"
                             "B\0"
                             "C";
    expect_decode("utf-16le", in, sizeof(in) - 1,
                  "A\xef\xbf\xbd"
                  "B\xef\xbf\xbd",
                  2);
}

static void test_latin1_cp1252(void **state)
{
    (void)state;
    expect_decode("iso-8859-1",
                  "caf\xe9 \xa3"
                  "5",
                  7,
                  "caf\xc3\xa9 \xc2\xa3"
                  "5",
                  0);
    expect_decode("windows-1252", "\x80 \x93q\x94", 5, "\xe2\x82\xac \xe2\x80\x9cq\xe2\x80\x9d", 0);
    /* 0x81 is undefined in windows-1252 */
    expect_decode("windows-1252",
                  "a\x81"
                  "b",
                  3,
                  "a\xef\xbf\xbd"
                  "b",
                  1);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_decode("utf-8",
                  "a\xff"
                  "b",
                  3,
                  "a\xef\xbf\xbd"
                  "b",
                  1);
    /* overlong '/', surrogate, truncated at the end */
    expect_decode("utf-8",
                  "\xc0\xaf"
                  "x\xed\xa0\x80"
                  "y\xe2\x82",
                  9,
                  "\xef\xbf\xbd\xef\xbf\xbd"
                  "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                  "y\xef\xbf\xbd\xef\xbf\xbd",
                  7);
    /* a truncated sequence followed by ASCII: the lead byte alone is replaced */
    expect_decode("utf-8",
                  "\xe2\x82"
                  "A",
                  3,
                  "\xef\xbf\xbd\xef\xbf\xbd"
                  "A",
                  2);
}

static void test_nul_passthrough(void **state)
{
    size_t len = 0;
    char *got = decode("us-ascii", "a\0b", 3, 1, &len, NULL, NULL);
    (void)state;
    assert_int_equal(len, 3);
    assert_memory_equal(got, "a\0b", 3);
    free(got);
}

static void test_split_multibyte_and_bom(void **state)
{
    (void)state;
    /* UTF-8 BOM dropped; 2-, 3-, 4-byte characters split by every block size */
    static const char in[] = "\xef\xbb\xbf"
                             "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                             "z";
    expect_decode("utf-8", in, sizeof(in) - 1,
                  "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                  "z",
                  0);
    /* U+FEFF later in the text is kept */
    expect_decode("utf-8", "a\xef\xbb\xbf", 4, "a\xef\xbb\xbf", 0);
}

static void test_unknown_charset_fallback(void **state)
{
    struct ps_decoder *d = NULL;
    (void)state;
    assert_int_equal(ps_decoder_new("x-klingon-8", &d), PIISCAN_OK);
    assert_true(ps_decoder_is_fallback(d));
    assert_string_equal(ps_decoder_charset(d), "x-klingon-8");
    ps_decoder_free(d);
    assert_int_equal(ps_decoder_new("UTF-16LE", &d), PIISCAN_OK);
    assert_false(ps_decoder_is_fallback(d));
    assert_string_equal(ps_decoder_charset(d), "utf-16le");
    ps_decoder_free(d);
    expect_decode("x-klingon-8", "ok\xff", 3, "ok\xef\xbf\xbd", 1);
}

static void test_large_utf16(void **state)
{
    /* 3 MiB of UTF-16LE "é" pairs in odd blocks: bounded output blocks, exact length */
    size_t n = 3u * 1024u * 1024u;
    char *in = malloc(n);
    size_t len = 0;
    uint64_t rep = 0;
    (void)state;
    assert_non_null(in);
    for (size_t i = 0; i < n; i += 2) {
        in[i] = (char)0xe9;
        in[i + 1] = 0;
    }
    char *got = decode("utf-16le", in, n, 4097, &len, &rep, NULL);
    assert_int_equal(len, n); /* 2 bytes in, 2 bytes out each */
    assert_int_equal(rep, 0);
    assert_memory_equal(got, "\xc3\xa9\xc3\xa9", 4);
    assert_memory_equal(got + n - 2, "\xc3\xa9", 2);
    free(got);
    free(in);
}

static void test_source_failure_passes_through(void **state)
{
    struct ps_decoder *d = NULL;
    struct blk_stream bs = {"abcdefgh", 8, 0, 4, 4};
    struct ps_stream src = {blk_next, &bs, 8};
    struct ps_stream u8;
    const void *b = NULL;
    size_t len = 0;
    (void)state;
    assert_int_equal(ps_decoder_new("utf-8", &d), PIISCAN_OK);
    ps_decoder_start(d, &src, &u8);
    assert_int_equal(u8.next(u8.h, &b, &len), PIISCAN_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(b, "abcd", 4);
    assert_int_equal(u8.next(u8.h, &b, &len), PIISCAN_ECORRUPT);
    ps_decoder_free(d);
}

static void test_utf8_seq(void **state)
{
    (void)state;
    assert_int_equal(ps_utf8_seq((const unsigned char *)"a", 1), 1);
    assert_int_equal(ps_utf8_seq((const unsigned char *)"\xc3\xa9", 2), 2);
    assert_int_equal(ps_utf8_seq((const unsigned char *)"\xc3", 1), -1);
    assert_int_equal(ps_utf8_seq((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(ps_utf8_seq((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
    assert_int_equal(ps_utf8_seq((const unsigned char *)"\x80", 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16le_bom),
        cmocka_unit_test(test_utf16be_nobom),
        cmocka_unit_test(test_utf16_odd_and_lone_surrogate),
        cmocka_unit_test(test_latin1_cp1252),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_passthrough),
        cmocka_unit_test(test_split_multibyte_and_bom),
        cmocka_unit_test(test_unknown_charset_fallback),
        cmocka_unit_test(test_large_utf16),
        cmocka_unit_test(test_source_failure_passes_through),
        cmocka_unit_test(test_utf8_seq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
