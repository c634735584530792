/* test_json.c - the streaming JSON reader: records, key paths, NDJSON, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract/json.h"
#include "helpers_recsink.h"

/* Parses s fed in blocks of `step` bytes (so every boundary is exercised). */
static const char *parse(struct collect *c, const char *s, size_t step)
{
    struct ps_recsink sink;
    struct ps_json *j = NULL;
    size_t len = strlen(s);
    size_t i;

    collect_init(c, &sink);
    assert_int_equal(ps_json_new(&sink, &j), PIISCAN_OK);
    for (i = 0; i < len; i += step)
        assert_int_equal(ps_json_feed(j, s + i, len - i < step ? len - i : step), PIISCAN_OK);
    assert_int_equal(ps_json_finish(j), PIISCAN_OK);
    ps_json_free(j);
    return c->out;
}

static void test_array_of_employees(void **state)
{
    static const char doc[] =
        "[\n"
        "  {\"name\": \"Amy Pascal\", \"ssn\": \"123-45-6780\", \"dob\": \"1967-04-12\",\n"
        "   \"salary\": 3000000, \"active\": true, \"manager\": null},\n"
        "  {\"name\": \"Ben Stone\", \"address\": {\"city\": \"Culver City\", \"zip\": \"90232\"},\n"
        "   \"phones\": [\"310-555-0143\", \"310-555-0199\"]}\n"
        "]\n";
    static const char want[] =
        "R 2 1 name=Amy Pascal | ssn=123-45-6780 | dob=1967-04-12 | salary=3000000\n"
        "R 4 2 name=Ben Stone | address.city=Culver City | address.zip=90232 | "
        "phones=310-555-0143 | phones=310-555-0199\n";
    struct collect c;
    size_t step;

    (void)state;
    for (step = 1; step <= sizeof(doc); step += 7)
        assert_string_equal(parse(&c, doc, step), want);
}

/* Records are numbered as they are emitted: the inner one closes first, so the
 * numbers only grow (the record stage relies on that to stream a long file). */
static void test_nested_records_and_escapes(void **state)
{
    static const char doc[] =
        "{\"company\": \"Sony\", \"employees\": [{\"name\": \"Jos\\u00e9 Mu\\u00f1oz\", "
        "\"note\": \"tab\\there \\\"q\\\"\"}], \"emoji\": \"\\ud83d\\ude00\", \"bad\": \"\\udc00x\"}";
    static const char want[] =
        "R 1 1 name=Jos\xc3\xa9 Mu\xc3\xb1oz | note=tab\there \"q\"\n"
        "R 1 2 company=Sony | emoji=\xf0\x9f\x98\x80 | bad=\xef\xbf\xbdx\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, doc, 3), want);
}

static void test_ndjson_lines(void **state)
{
    static const char doc[] = "{\"email\":\"amy@example.com\"}\n{\"email\":\"ben@example.com\"}\n"
                              "\"loose scalar\"\n42\n";
    static const char want[] = "R 1 1 email=amy@example.com\n"
                               "R 2 2 email=ben@example.com\n"
                               "T 3 3 \"loose scalar\"\n"
                               "T 4 4 42\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, doc, 5), want);
}

static void test_malformed_resyncs_and_keeps_readable(void **state)
{
    /* line 2 is broken; the record open on it is emitted, the rest of the line is
     * text (the SSN after the error is not lost), line 3 is read again */
    static const char doc[] = "{\"ssn\":\"123-45-6780\"}\n"
                              "{\"name\":\"Amy\", \"x\": ] ssn 219-09-9998\n"
                              "{\"name\":\"Ben\"}\n";
    static const char want[] =
        "R 1 1 ssn=123-45-6780\n"
        "W 5 malformed JSON at line 2: unexpected ']'; the rest of that line (and of any "
        "later malformed line) is scanned as plain text\n"
        "R 2 2 name=Amy\n"
        "T 2 3 ] ssn 219-09-9998\n"
        "R 3 4 name=Ben\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, doc, 4), want);
}

/* An export followed by a log (files concatenated, a dump with a header): the
 * lines that are not JSON are text, every byte of them, and nothing warns. A word
 * that ends a bad line does not swallow the next line. */
static void test_text_after_json_is_scanned(void **state)
{
    static const char doc[] = "{\"ssn\":\"123-45-6780\"}\n"
                              "Jan 12 10:00:01 login user=amy ssn=219-09-9998\n"
                              "2024-01-12 ssn 078 05 1121\n"
                              "\n"
                              "  \"quoted\" note, 555-0100\n"
                              "{\"a\": \"b\" oops\n"
                              "{\"name\":\"Ben\"}\n"
                              "tail without newline";
    static const char want[] =
        "R 1 1 ssn=123-45-6780\n"
        "T 2 2 Jan 12 10:00:01 login user=amy ssn=219-09-9998\n"
        "T 3 3 2024-01-12 ssn 078 05 1121\n"
        "T 5 4 \"quoted\" note, 555-0100\n"
        "W 5 malformed JSON at line 6: unknown literal; the rest of that line (and of any "
        "later malformed line) is scanned as plain text\n"
        "R 6 5 a=b\n"
        "T 6 6 oops\n"
        "R 7 7 name=Ben\n"
        "T 8 8 tail without newline\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, doc, 7), want);
}

/* A text line longer than the reader's buffer goes to the sink in pieces cut
 * after a blank, so a value near the cut stays whole; nothing is lost. */
struct pieces {
    size_t n, bytes;
    int whole_ssn;
    char cut_before; /* last byte of the first piece */
};

static piiscan_status piece_text(void *ctx, const char *sub, uint64_t line, uint64_t record,
                                 const char *text, size_t len)
{
    struct pieces *p = ctx;
    (void)sub;
    (void)record;
    assert_int_equal(line, 2);
    if (p->n++ == 0)
        p->cut_before = text[len - 1];
    p->bytes += len;
    for (size_t i = 0; i + 11 <= len; i++)
        p->whole_ssn += memcmp(text + i, "219-09-9998", 11) == 0;
    return PIISCAN_OK;
}

static piiscan_status piece_row(void *ctx, const char *sub, uint64_t line, uint64_t record,
                                size_t n, const char *const *cells, const size_t *lens,
                                const char *const *headers)
{
    (void)ctx, (void)sub, (void)line, (void)record, (void)n, (void)cells, (void)lens;
    (void)headers;
    return PIISCAN_OK;
}

static void piece_warn(void *ctx, piiscan_status st, const char *msg)
{
    (void)ctx, (void)st, (void)msg;
    fail_msg("no warning expected");
}

static void test_long_text_line_in_pieces(void **state)
{
    struct pieces p = {0};
    struct ps_recsink sink = {&p, piece_row, piece_text, piece_warn};
    struct ps_json *j = NULL;
    size_t len = 100000;
    char *line = malloc(len + 1);

    (void)state;
    assert_non_null(line);
    for (size_t i = 0; i < len; i++)
        line[i] = i % 6 == 5 ? ' ' : 'a'; /* "aaaaa aaaaa ..." */
    memcpy(line + 65530, " 219-09-9998 ", 13); /* across the 64 KiB buffer's end */
    line[len] = '\n';
    assert_int_equal(ps_json_new(&sink, &j), PIISCAN_OK);
    assert_int_equal(ps_json_feed(j, "{\"a\": 1}\n", 9), PIISCAN_OK);
    assert_int_equal(ps_json_feed(j, line, len + 1), PIISCAN_OK);
    assert_int_equal(ps_json_finish(j), PIISCAN_OK);
    ps_json_free(j);
    free(line);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.bytes, len);
    assert_int_equal(p.whole_ssn, 1);
    assert_int_equal(p.cut_before, ' ');
}

static void test_truncated(void **state)
{
    static const char doc[] = "[{\"name\":\"Amy Pascal\",\"ssn\":\"123-45-67";
    static const char want[] =
        "W 5 truncated JSON: input ends inside a value at line 1\n"
        "R 1 1 name=Amy Pascal\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, doc, 64), want);
}

static void test_deep_nesting_is_bounded(void **state)
{
    size_t n = 100000;
    char *doc = malloc(2 * n + 1);
    struct collect c;

    (void)state;
    memset(doc, '[', n);
    memset(doc + n, ']', n);
    doc[2 * n] = '\0';
    parse(&c, doc, 4096);
    assert_non_null(strstr(c.out, "W 6 nested deeper than 256 levels"));
    free(doc);
}

static void test_abort_stops(void **state)
{
    struct ps_recsink sink;
    struct collect c;
    struct ps_json *j = NULL;
    static const char doc[] = "{\"a\":\"1\"}\n{\"a\":\"2\"}\n{\"a\":\"3\"}\n";

    (void)state;
    collect_init(&c, &sink);
    c.abort_after = 2;
    assert_int_equal(ps_json_new(&sink, &j), PIISCAN_OK);
    assert_int_equal(ps_json_feed(j, doc, strlen(doc)), PIISCAN_EABORTED);
    ps_json_free(j);
    assert_int_equal(c.rows, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_of_employees),
        cmocka_unit_test(test_nested_records_and_escapes),
        cmocka_unit_test(test_ndjson_lines),
        cmocka_unit_test(test_malformed_resyncs_and_keeps_readable),
        cmocka_unit_test(test_text_after_json_is_scanned),
        cmocka_unit_test(test_long_text_line_in_pieces),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_deep_nesting_is_bounded),
        cmocka_unit_test(test_abort_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
