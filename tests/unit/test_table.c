/* test_table.c - text/table: detection by content (and prose that must not pass),
 * the RFC 4180 parser core over streams cut into blocks of every size, and the
 * bounds (cell bytes, cells, record bytes) with their warnings and resync. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/table.h"
#include "util/limits.h"

/* ---- a stream over memory, in blocks of a chosen size, optionally failing ---- */

struct blk_stream {
    const char *buf;
    size_t len;
    size_t pos;
    size_t blk;
    piiscan_status fail; /* returned once the data is used up, instead of the end */
};

static piiscan_status blk_next(void *h, const void **buf, size_t *len)
{
    struct blk_stream *b = h;
    size_t n = b->len - b->pos;

    if (n == 0 && b->fail != PIISCAN_OK)
        return b->fail;
    if (n > b->blk)
        n = b->blk;
    *buf = b->buf + b->pos;
    *len = n;
    b->pos += n;
    return PIISCAN_OK;
}

/* ---- a row collector: rows dumped as text, warnings kept ---- */

struct collect {
    char *out;
    size_t len;
    size_t cap;
    char warnings[2048];
    size_t nrows;
    size_t abort_after; /* return EABORTED after this many rows; 0 = never */
    size_t last_ncells;
    size_t last_len0;
};

static void put(struct collect *c, const char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->out = realloc(c->out, c->cap);
        assert_non_null(c->out);
    }
    memcpy(c->out + c->len, s, n);
    c->len += n;
    c->out[c->len] = '\0';
}

static void put_cell(struct collect *c, const char *s, size_t n)
{
    char tmp[32];

    if (n > 100) { /* long cells: their length only */
        snprintf(tmp, sizeof(tmp), "<%zu>", n);
        put(c, tmp, strlen(tmp));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            put(c, "\\n", 2);
        else if (s[i] == '\r')
            put(c, "\\r", 2);
        else
            put(c, s + i, 1);
    }
}

/* "R<record> L<line>[ H][ T]: [header=]cell|..." */
static piiscan_status on_row(void *ctx, const struct ps_table_row *row)
{
    struct collect *c = ctx;
    char head[64];

    snprintf(head, sizeof(head), "R%llu L%llu%s%s: ", (unsigned long long)row->record,
             (unsigned long long)row->line, row->is_header ? " H" : "",
             row->is_truncated ? " T" : "");
    put(c, head, strlen(head));
    for (size_t i = 0; i < row->ncells && i < 20; i++) {
        assert_int_equal(strlen(row->cells[i]), row->cell_lens[i]); /* NUL-terminated */
        if (i > 0)
            put(c, "|", 1);
        if (row->headers != NULL) {
            const char *h = row->headers[i] ? row->headers[i] : "?";
            put(c, h, strlen(h));
            put(c, "=", 1);
        }
        put_cell(c, row->cells[i], row->cell_lens[i]);
    }
    if (row->ncells > 20)
        put(c, "|...", 4);
    put(c, "\n", 1);
    c->last_ncells = row->ncells;
    c->last_len0 = row->ncells ? row->cell_lens[0] : 0;
    c->nrows++;
    if (c->abort_after != 0 && c->nrows >= c->abort_after)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}

static piiscan_status on_warn(void *ctx, piiscan_status st, const char *msg)
{
    struct collect *c = ctx;
    size_t l = strlen(c->warnings);

    snprintf(c->warnings + l, sizeof(c->warnings) - l, "%d %s\n", (int)st, msg);
    return PIISCAN_OK;
}

static piiscan_status parse_blk(const char *data, size_t len, char delim, bool header, size_t blk,
                                struct collect *c)
{
    struct blk_stream b = {data, len, 0, blk, PIISCAN_OK};
    struct ps_stream in = {blk_next, &b, len};
    struct ps_table_dialect d = {delim, header, 0, 0};

    return ps_table_parse(&in, &d, on_row, on_warn, c);
}

/* Parses with block sizes 1, 2, 3, 7, 4096 and the whole; every run must give the
 * same rows and warnings, the expected ones. */
static void expect_rows(const char *data, size_t len, char delim, bool header, const char *rows,
                        const char *warnings)
{
    static const size_t blks[] = {1, 2, 3, 7, 4096, SIZE_MAX};

    for (size_t i = 0; i < sizeof(blks) / sizeof(blks[0]); i++) {
        struct collect c;
        memset(&c, 0, sizeof(c));
        assert_int_equal(parse_blk(data, len, delim, header, blks[i], &c), PIISCAN_OK);
        if (strcmp(c.out ? c.out : "", rows) != 0)
            fail_msg("block size %zu:\n%s\nexpected:\n%s", blks[i], c.out ? c.out : "", rows);
        if (strcmp(c.warnings, warnings) != 0)
            fail_msg("block size %zu: warnings\n%s\nexpected:\n%s", blks[i], c.warnings, warnings);
        free(c.out);
    }
}

#define EXPECT(data, delim, header, rows, warnings)                                                \
    expect_rows((data), sizeof(data) - 1, (delim), (header), (rows), (warnings))

/* ---- detection ---- */

static bool detect(const char *s, struct ps_table_dialect *d)
{
    memset(d, 0xAA, sizeof(*d));
    return ps_table_detect(s, strlen(s), d);
}

static void expect_table(const char *s, char delim, bool has_header, unsigned ncols)
{
    struct ps_table_dialect d;

    if (!detect(s, &d))
        fail_msg("not detected as a table:\n%s", s);
    assert_int_equal(d.delim, delim);
    assert_int_equal(d.has_header, has_header);
    assert_int_equal(d.ncols, ncols);
}

static void expect_not_table(const char *s)
{
    struct ps_table_dialect d;

    if (detect(s, &d))
        fail_msg("detected as a table (delim '%c'):\n%s", d.delim, s);
}

static void test_detect_dialects(void **state)
{
    (void)state;
    expect_table("Employee Name,SSN,DOB,Salary\n"
                 "Amy Pascal,123-45-6789,04/12/1967,\"$3,000,000\"\n"
                 "John Smith,234-56-7890,05/13/1968,\"$150,000\"\n",
                 ',', true, 4);
    expect_table("name\tssn\nAmy Pascal\t123-45-6789\nJohn Smith\t234-56-7890\n", '\t', true, 2);
    /* Decimal commas: ';' is the delimiter, the commas are inconsistent. */
    expect_table("Name;Salary;Bonus\nAmy;3000,00;10,5\nBob;1500,50;0\n", ';', true, 3);
    expect_table("Name|SSN|DOB\nAmy Pascal|123-45-6789|04/12/1967\n"
                 "John Smith|234-56-7890|05/13/1968\n",
                 '|', true, 3);
    /* CRLF, and a last line without its newline (the head may be the whole file). */
    expect_table("a,b\r\n1,2\r\n3,4", ',', true, 2);
    expect_table("a,b\n1,2", ',', true, 2);
    /* Quoted cells with delimiters, newlines and "" escapes. */
    expect_table("id,note\n1,\"a, b, c\"\n2,\"x\ny, z\"\n3,\"q \"\"z\"\", w\"\n", ',', true, 2);
    /* One ragged row in ten is tolerated. */
    expect_table("a,b,c\n1,2,3\n1,2,3\n1,2,3\n1,2\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2,3\n", ',', true,
                 3);
}

static void test_detect_header(void **state)
{
    (void)state;
    /* Data in the first row: digits, so no header. */
    expect_table("Amy Pascal,123-45-6789,04/12/1967\nJohn Smith,234-56-7890,05/13/1968\n", ',',
                 false, 3);
    expect_table("1,2,3\n4,5,6\n", ',', false, 3);
    /* All text: a header unless a column contradicts it. */
    expect_table("First,Last\nAmy,Pascal\nJohn,Smith\n", ',', true, 2);
    /* Duplicate first-row cells are data, not column names. */
    expect_table("x,x\nAmy,Pascal\nJohn,Smith\n", ',', false, 2);
    /* Empty header cell: not a header. */
    expect_table("Name,,SSN\nAmy,1,123-45-6789\nJohn,2,234-56-7890\n", ',', false, 3);
    /* Text columns of one length that the first row shares: no header (the vote). */
    expect_table("AB,CD\nEF,GH\nIJ,KL\nMN,OP\n", ',', false, 2);
}

static void test_detect_prose(void **state)
{
    (void)state;
    expect_not_table("");
    expect_not_table("Dear Amy, thanks for the numbers, they look right.\n"
                     "Please send the rest by Monday, if you can.\nRegards, John\n");
    expect_not_table("Hello Amy, how are you?\nI am fine, thanks.\n");
    expect_not_table("Amy Pascal, SSN 123-45-6789, born 04/12/1967, salary $3,000,000\n"
                     "John Smith, SSN 234-56-7890, born 05/13/1968, salary $1,000,000,000\n");
    expect_not_table("The meeting moved to Culver City,where the budget was discussed at length "
                     "by everyone\nWe agreed on the plan,and the team will report back to us "
                     "next week\n");
    expect_not_table("a,b,c\n");                                /* one line */
    expect_not_table("123-45-6789\n234-56-7890\n");             /* one column */
    expect_not_table("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n"); /* JSON lines */
    expect_not_table("<td>a</td>,<td>b</td>\n<td>c</td>,<td>d</td>\n");
    expect_not_table("\tFirst paragraph, indented.\n\tSecond paragraph.\n");
    expect_not_table("a,b\n1,2,3,4\n5\n6,7,8\n"); /* inconsistent */
    expect_not_table("a,\"b\n1,2\n3,4\n");        /* the quote never closes */
}

/* ---- parsing ---- */

static void test_parse_basic(void **state)
{
    (void)state;
    EXPECT("Employee Name,SSN,DOB,Salary\n"
           "Amy Pascal,123-45-6789,04/12/1967,\"$3,000,000\"\n"
           "John Smith,234-56-7890,05/13/1968,\"$150,000\"\n",
           ',', true,
           "R1 L1 H: Employee Name|SSN|DOB|Salary\n"
           "R2 L2: Employee Name=Amy Pascal|SSN=123-45-6789|DOB=04/12/1967|Salary=$3,000,000\n"
           "R3 L3: Employee Name=John Smith|SSN=234-56-7890|DOB=05/13/1968|Salary=$150,000\n",
           "");
    /* Without a header: no header names. */
    EXPECT("Amy\t1\nBob\t2\n", '\t', false, "R1 L1: Amy|1\nR2 L2: Bob|2\n", "");
}

static void test_parse_quotes_crlf(void **state)
{
    (void)state;
    EXPECT("id,note\r\n"
           "1,\"a,b\"\r\n"
           "2,\"line1\r\nline2\"\r\n"
           "3,\"say \"\"hi\"\"\"\r\n"
           "4,\r\n"
           "5,\"\"\r\n"
           "6,ab\"cd\"\r\n"
           "7,\"ab\"cd\r\n"
           "8,\"x\nyz\",last\n",
           ',', true,
           "R1 L1 H: id|note\n"
           "R2 L2: id=1|note=a,b\n"
           "R3 L3: id=2|note=line1\\r\\nline2\n"
           "R4 L5: id=3|note=say \"hi\"\n"
           "R5 L6: id=4|note=\n"
           "R6 L7: id=5|note=\n"
           "R7 L8: id=6|note=ab\"cd\"\n"
           "R8 L9: id=7|note=abcd\n"
           "R9 L10: id=8|note=x\\nyz|?=last\n",
           "");
}

/* Keeps the offsets of record 2: "<offset>:<cell offset>,<cell offset>,..." */
static piiscan_status offsets_row(void *ctx, const struct ps_table_row *row)
{
    char *out = ctx;

    if (row->record == 2) {
        size_t l = (size_t)snprintf(out, 128, "%llu:", (unsigned long long)row->offset);
        for (size_t i = 0; i < row->ncells; i++)
            l += (size_t)snprintf(out + l, 128 - l, "%s%llu", i ? "," : "",
                                  (unsigned long long)row->cell_offsets[i]);
    }
    return PIISCAN_OK;
}

static void expect_offsets(const char *data, const char *want)
{
    static const size_t blks[] = {1, 2, 5, 4096};

    for (size_t i = 0; i < sizeof(blks) / sizeof(blks[0]); i++) {
        char out[128] = "";
        struct blk_stream b = {data, strlen(data), 0, blks[i], PIISCAN_OK};
        struct ps_stream in = {blk_next, &b, 0};
        struct ps_table_dialect d = {',', true, 3, 0};
        assert_int_equal(ps_table_parse(&in, &d, offsets_row, NULL, out), PIISCAN_OK);
        if (strcmp(out, want) != 0)
            fail_msg("block size %zu: offsets %s, expected %s", blks[i], out, want);
    }
}

static void test_parse_offsets(void **state)
{
    (void)state;
    /* Cell offsets point at the first content byte (after an opening quote). */
    expect_offsets("id,ssn\n1,\"536\"\"x\",z\n", "7:7,10,18");
    expect_offsets("\xEF\xBB\xBFid,ssn\n1,\"536\"\"x\",z\n", "10:10,13,21");
    expect_offsets("id,ssn\r\n\r\n,,\n", "10:10,11,12");
}

static void test_parse_ragged_blank_bom(void **state)
{
    (void)state;
    /* Ragged rows: headers NULL past the header's width. Trailing delimiter. */
    EXPECT("a,b,c\n1,2\n3,4,5,6\n7,8,\n", ',', true,
           "R1 L1 H: a|b|c\nR2 L2: a=1|b=2\nR3 L3: a=3|b=4|c=5|?=6\nR4 L4: a=7|b=8|c=\n", "");
    /* BOM, bare CR line ends, blank lines (skipped, but counted as lines), no final
     * newline. */
    EXPECT("\xEF\xBB\xBF"
           "a;b\r\r1;2\r\n\n3;4",
           ';', true, "R1 L1 H: a|b\nR2 L3: a=1|b=2\nR3 L5: a=3|b=4\n", "");
    /* Something that starts like a BOM but is not one stays data. */
    EXPECT("\xEF\xBB"
           "x|y\n",
           '|', false,
           "R1 L1: \xEF\xBB"
           "x|y\n",
           "");
    EXPECT("\xEF", '|', false, "R1 L1: \xEF\n", "");
}

static void test_parse_unterminated(void **state)
{
    (void)state;
    EXPECT("a,b\n1,\"open\nmore", ',', true, "R1 L1 H: a|b\nR2 L2: a=1|b=open\\nmore\n",
           "5 line 2: quoted cell not closed at the end of the data\n");
}

static char *repeat(const char *unit, size_t n, const char *prefix, const char *suffix, size_t *len)
{
    size_t ul = strlen(unit);
    size_t pl = strlen(prefix);
    size_t sl = strlen(suffix);
    char *s = malloc(pl + ul * n + sl + 1);

    assert_non_null(s);
    memcpy(s, prefix, pl);
    for (size_t i = 0; i < n; i++)
        memcpy(s + pl + i * ul, unit, ul);
    memcpy(s + pl + ul * n, suffix, sl + 1);
    *len = pl + ul * n + sl;
    return s;
}

static void test_bound_cell(void **state)
{
    size_t len;
    char *s = repeat("x", 70000, "", ",y\nz,w\n", &len);
    char *u;

    (void)state;
    expect_rows(s, len, ',', false, "R1 L1 T: <65536>|y\nR2 L2: z|w\n",
                "6 line 1: cell longer than 65536 bytes (PS_MAX_CELL_BYTES), cut\n");
    free(s);
    /* Cut inside a two-byte character: the partial character is dropped. Two records
     * hit the bound: one warning, then a count. */
    u = repeat("\xC3\xA9", 40000, "x", "\n", &len);
    s = malloc(2 * len + 1);
    memcpy(s, u, len);
    memcpy(s + len, u, len + 1);
    expect_rows(s, 2 * len, ',', false, "R1 L1 T: <65535>\nR2 L2 T: <65535>\n",
                "6 line 1: cell longer than 65536 bytes (PS_MAX_CELL_BYTES), cut\n"
                "6 2 records in all hit the PS_MAX_CELL_BYTES bound (first at line 1)\n");
    free(s);
    free(u);
}

static void test_bound_cells(void **state)
{
    size_t len;
    char *s = repeat("1,", 5000, "", "1\na,b\n", &len);
    struct collect c;

    (void)state;
    expect_rows(s, len, ',', false,
                "R1 L1 T: 1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|1|...\nR2 L2: a|b\n",
                "6 line 1: more than 4096 cells (PS_MAX_CELLS), extra cells dropped\n");
    memset(&c, 0, sizeof(c));
    c.abort_after = 1;
    assert_int_equal(parse_blk(s, len, ',', false, 4096, &c), PIISCAN_EABORTED);
    assert_int_equal(c.last_ncells, PS_MAX_CELLS);
    free(c.out);
    free(s);
}

static void test_bound_line(void **state)
{
    /* 18 cells of 60000 bytes: the record passes PS_MAX_LINE_BYTES inside the 18th. */
    size_t cell = 60000;
    size_t len = 0;
    char *s = malloc(4 + 18 * (cell + 1) + 16);
    struct collect c;

    (void)state;
    memcpy(s, "a,b\n", 4);
    len = 4;
    for (int i = 0; i < 18; i++) {
        memset(s + len, 'y', cell);
        len += cell;
        s[len++] = i < 17 ? ',' : '\n';
    }
    memcpy(s + len, "c,d\n", 4);
    len += 4;
    /* 17 cells + 17 commas = 1020017 bytes; the 18th gets 1048576 - 1020017 = 28559. */
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse_blk(s, len, ',', false, 65536, &c), PIISCAN_OK);
    assert_non_null(strstr(c.out, "R2 L2 T: <60000>|"));
    assert_non_null(strstr(c.out, "|<28559>\nR3 L3: c|d\n"));
    assert_int_equal(c.nrows, 3);
    assert_string_equal(c.warnings, "6 line 2: record longer than 1048576 bytes "
                                    "(PS_MAX_LINE_BYTES), rest skipped up to the next line\n");
    free(c.out);
    /* An unbalanced quote swallows lines only up to the bound, then the parser resyncs
     * at the next line. */
    len = 0;
    memcpy(s, "1,\"", 3);
    len = 3;
    for (int i = 0; i < 18; i++) {
        memset(s + len, 'q', cell);
        len += cell;
        s[len++] = '\n';
    }
    memcpy(s + len, "2,x\n", 4);
    len += 4;
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse_blk(s, len, ',', false, 7777, &c), PIISCAN_OK);
    assert_non_null(strstr(c.out, "R1 L1 T: 1|<65536>\nR2 L19: 2|x\n"));
    assert_int_equal(c.nrows, 2);
    assert_non_null(strstr(c.warnings, "line 1: record longer than"));
    assert_non_null(strstr(c.warnings, "line 1: cell longer than"));
    free(c.out);
    free(s);
}

static void test_abort_and_stream_failure(void **state)
{
    static const char data[] = "a,b\n1,2\n3,4\n5,6\n";
    struct collect c;
    struct blk_stream b = {"a,b\n1,2\n3,", 10, 0, 3, PIISCAN_ECORRUPT};
    struct ps_stream in = {blk_next, &b, 0};
    struct ps_table_dialect d = {',', true, 2, 0};

    (void)state;
    memset(&c, 0, sizeof(c));
    c.abort_after = 2;
    assert_int_equal(parse_blk(data, sizeof(data) - 1, ',', true, 1, &c), PIISCAN_EABORTED);
    assert_int_equal(c.nrows, 2);
    free(c.out);
    /* The stream fails after "3,": the rows before it, and the partial one, are out. */
    memset(&c, 0, sizeof(c));
    assert_int_equal(ps_table_parse(&in, &d, on_row, on_warn, &c), PIISCAN_ECORRUPT);
    assert_string_equal(c.out, "R1 L1 H: a|b\nR2 L2: a=1|b=2\nR3 L3: a=3|b=\n");
    free(c.out);
    assert_int_equal(ps_table_parse(NULL, &d, on_row, NULL, NULL), PIISCAN_EINVAL);
}

/* Every detected head of hostile bytes parses without harm (ASan watches). */
static void test_garbage(void **state)
{
    unsigned seed = 12345;
    char buf[512];

    (void)state;
    for (int round = 0; round < 2000; round++) {
        struct ps_table_dialect d;
        struct collect c;
        for (size_t i = 0; i < sizeof(buf); i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = "a,;|\t\"\r\n1 \xC3\xA9"[(seed >> 16) % 12];
        }
        memset(&c, 0, sizeof(c));
        if (ps_table_detect(buf, sizeof(buf), &d))
            assert_int_equal(parse_blk(buf, sizeof(buf), d.delim, d.has_header, 5, &c), PIISCAN_OK);
        else
            assert_int_equal(parse_blk(buf, sizeof(buf), ',', true, 64, &c), PIISCAN_OK);
        free(c.out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_dialects),
        cmocka_unit_test(test_detect_header),
        cmocka_unit_test(test_detect_prose),
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_parse_quotes_crlf),
        cmocka_unit_test(test_parse_offsets),
        cmocka_unit_test(test_parse_ragged_blank_bom),
        cmocka_unit_test(test_parse_unterminated),
        cmocka_unit_test(test_bound_cell),
        cmocka_unit_test(test_bound_cells),
        cmocka_unit_test(test_bound_line),
        cmocka_unit_test(test_abort_and_stream_failure),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
