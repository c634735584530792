/* test_sql.c - SQL dumps: mysqldump INSERTs (with and without column lists), pg_dump
 * COPY blocks, strings with escapes, truncated input, and everything that is not a
 * record - other statements, comments, prose - coming out as text exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extract/sql.h"
#include "helpers_recsink.h"
#include "util/limits.h"

static const char *parse(struct collect *c, const char *s, size_t step)
{
    struct ps_recsink sink;
    struct ps_sql *q = NULL;
    size_t len = strlen(s);
    size_t i;

    collect_init(c, &sink);
    assert_int_equal(ps_sql_new(&sink, &q), PIISCAN_OK);
    for (i = 0; i < len; i += step)
        assert_int_equal(ps_sql_feed(q, s + i, len - i < step ? len - i : step), PIISCAN_OK);
    assert_int_equal(ps_sql_finish(q), PIISCAN_OK);
    ps_sql_free(q);
    return c->out;
}

static const char MYSQLDUMP[] =
    "-- MySQL dump 10.13  Distrib 8.0.36\n"
    "/*!40101 SET NAMES utf8mb4 */;\n"
    "DROP TABLE IF EXISTS `employees`;\n"
    "CREATE TABLE `employees` (\n"
    "  `id` int NOT NULL AUTO_INCREMENT,\n"
    "  `full_name` varchar(100) DEFAULT NULL,\n"
    "  `ssn` char(11) DEFAULT NULL,\n"
    "  `salary` decimal(12,2) DEFAULT NULL,\n"
    "  PRIMARY KEY (`id`),\n"
    "  KEY `idx_ssn` (`ssn`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
    "LOCK TABLES `employees` WRITE;\n"
    "INSERT INTO `employees` VALUES (1,'Amy Pascal','123-45-6780',3000000.00),"
    "(2,'O\\'Brien, Pat',NULL,-85000.50),\n"
    "(3,'Semi; colon','',DEFAULT);\n"
    "UNLOCK TABLES;\n";

/* The banner, the conditional comment and the boilerplate statements are text (one
 * piece each); the CREATE TABLE column list and the INSERT are not, but what follows
 * the column list (ENGINE=...) is. */
static void test_mysqldump_without_column_list(void **state)
{
    static const char want[] =
        "T 1 1 -- MySQL dump 10.13  Distrib 8.0.36\n"
        "T 2 2 /*!40101 SET NAMES utf8mb4 */\n"
        "T 3 3 DROP TABLE IF EXISTS `employees`;\n"
        "T 11 4 ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
        "T 12 5 LOCK TABLES `employees` WRITE;\n"
        "R 13 6 [employees] id=1 | full_name=Amy Pascal | ssn=123-45-6780 | salary=3000000.00\n"
        "R 13 7 [employees] id=2 | full_name=O'Brien, Pat | salary=-85000.50\n"
        "R 14 8 [employees] id=3 | full_name=Semi; colon | salary=DEFAULT\n"
        "T 15 9 UNLOCK TABLES;\n";
    struct collect c;
    size_t step;

    (void)state;
    for (step = 1; step < 40; step += 6)
        assert_string_equal(parse(&c, MYSQLDUMP, step), want);
}

/* A byte-order mark before the dump (Windows tools write one) is skipped: the
 * CREATE TABLE after it still names the columns. A lone 0xEF is not a mark. */
static void test_bom_is_skipped(void **state)
{
    static const char sql[] = "\xEF\xBB\xBF"
                              "CREATE TABLE staff (name varchar(40), ssn char(11));\n"
                              "INSERT INTO staff VALUES ('Amy Pascal','123-45-6780');\n";
    static const char want[] = "R 2 1 [staff] name=Amy Pascal | ssn=123-45-6780\n";
    static const char odd[] = "\xEF" "abc 219-09-9998;\n";
    struct collect c;

    (void)state;
    for (size_t step = 1; step < 8; step++)
        assert_string_equal(parse(&c, sql, step), want);
    /* fed on as it came, then scrubbed to valid UTF-8 like any stray byte */
    assert_string_equal(parse(&c, odd, 1), "T 1 1 ?abc 219-09-9998;\n");
}

/* A statement that never ends (prose with no ';' before the dump, a dump that
 * lost one) ends where a line opens CREATE, INSERT, REPLACE or COPY: the rows
 * after it are still records with their column names. */
static void test_statement_keyword_at_line_start_restarts(void **state)
{
    static const char sql[] = "Exported by hr-tool for Amy Pascal\n"
                              "CREATE TABLE staff (name varchar(40), ssn char(11));\n"
                              "INSERT INTO staff VALUES ('Ben Stone','219-09-9998')\n"
                              "INSERT INTO staff VALUES ('Amy Pascal','123-45-6780');\n"
                              "Note: create a copy, insert it later\n";
    static const char want[] = "T 1 1 Exported by hr-tool for Amy Pascal\n"
                               "R 3 2 [staff] name=Ben Stone | ssn=219-09-9998\n"
                               "R 4 3 [staff] name=Amy Pascal | ssn=123-45-6780\n"
                               "T 5 4 Note: create a copy, insert it later\n";
    struct collect c;

    (void)state;
    for (size_t step = 1; step < 9; step++)
        assert_string_equal(parse(&c, sql, step), want);
}

static void test_insert_with_columns_and_schema(void **state)
{
    static const char sql[] =
        "INSERT INTO public.people (name, dob, email) VALUES ('Ben Stone', '1971-03-05', "
        "'ben@example.com');\n"
        "insert into \"hr\".\"staff\" (\"ssn\") values ('078-05-1121'), (E'x');\n"
        "INSERT INTO t SELECT * FROM u;\n";
    /* INSERT ... SELECT gives no record: the whole statement is text */
    static const char want[] =
        "R 1 1 [people] name=Ben Stone | dob=1971-03-05 | email=ben@example.com\n"
        "R 2 2 [staff] ssn=078-05-1121\n"
        "R 2 3 [staff] ssn=x\n"
        "T 3 4 INSERT INTO t SELECT * FROM u;\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 5), want);
}

static void test_pg_dump_copy(void **state)
{
    static const char sql[] = "--\n-- PostgreSQL database dump\n--\n"
                              "COPY public.employees (id, name, ssn, notes) FROM stdin;\n"
                              "1\tAmy Pascal\t123-45-6780\tline\\none\n"
                              "2\tBen Stone\t\\N\t\\N\n"
                              "\\.\n"
                              "SELECT pg_catalog.setval('x', 1, true);\n"
                              "COPY t (a) FROM '/etc/passwd';\n";
    /* bare "--" lines hold nothing; COPY ... FROM a file gives no record: text */
    static const char want[] =
        "T 2 1 -- PostgreSQL database dump\n"
        "R 5 2 [employees] id=1 | name=Amy Pascal | ssn=123-45-6780 | notes=line\none\n"
        "R 6 3 [employees] id=2 | name=Ben Stone\n"
        "T 8 4 SELECT pg_catalog.setval('x', 1, true);\n"
        "T 9 5 COPY t (a) FROM '/etc/passwd';\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 3), want);
}

static void test_truncated_tuple(void **state)
{
    static const char sql[] = "INSERT INTO e (name, ssn) VALUES ('Amy Pascal', '123-45-6780'), "
                              "('Ben Stone', '219-";
    /* the cut value keeps its readable part */
    static const char want[] =
        "R 1 1 [e] name=Amy Pascal | ssn=123-45-6780\n"
        "W 5 truncated SQL: input ends inside a row; the readable part was scanned\n"
        "R 1 2 [e] name=Ben Stone | ssn=219-\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 7), want);
}

/* Other statements are text, raw: quotes, '' and \' as written, comments inside
 * them kept in the same piece, the line of the first byte. Invalid UTF-8 is '?'. */
static const char UPDATES[] = "UPDATE employees\n"
                              "   SET ssn = '219-09-9998' -- was 078-05-1120\n"
                              " WHERE email = 'amy@example.com';\n"
                              "\n"
                              "  DELETE FROM people WHERE name = 'O''Brien' AND note = 'caf\xff';"
                              "SELECT * FROM t WHERE phone = '555-0100' /* ticket 42 */;\n";

static void test_update_delete_select_are_text(void **state)
{
    static const char want[] =
        "T 1 1 UPDATE employees\n"
        "   SET ssn = '219-09-9998' -- was 078-05-1120\n"
        " WHERE email = 'amy@example.com';\n"
        "T 5 2 DELETE FROM people WHERE name = 'O''Brien' AND note = 'caf?';\n"
        "T 5 3 SELECT * FROM t WHERE phone = '555-0100' /* ticket 42 */;\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, UPDATES, 4), want);
}

/* Comments between and inside INSERTs are pieces of their own, in order; the
 * values around them are records only. A comment inside an INSERT's head sends the
 * head out first (it might have been prose). */
static const char COMMENTS[] =
    "INSERT INTO e (name, ssn) VALUES ('Amy Pascal', '123-45-6780');\n"
    "-- note: Ben Stone ssn 219-09-9998\n"
    "/* moved from\n"
    "   hr: ben@example.com */\n"
    "INSERT INTO e (name, ssn) VALUES ('Ben Stone', '078-05-1120') # legacy row\n"
    ", ('Cy Young', /* dob 1970-01-02 */ '111-22-3333');\n"
    "INSERT INTO e /* batch 2 */ (name, ssn) VALUES ('Dee Lane', '222-33-4444');--end";

static void test_comments_between_inserts(void **state)
{
    static const char want[] = "R 1 1 [e] name=Amy Pascal | ssn=123-45-6780\n"
                               "T 2 2 -- note: Ben Stone ssn 219-09-9998\n"
                               "T 3 3 /* moved from\n"
                               "   hr: ben@example.com */\n"
                               "R 5 4 [e] name=Ben Stone | ssn=078-05-1120\n"
                               "T 5 5 # legacy row\n"
                               "T 6 6 /* dob 1970-01-02 */\n"
                               "R 6 7 [e] name=Cy Young | ssn=111-22-3333\n"
                               "T 7 8 INSERT INTO e\n"
                               "T 7 9 /* batch 2 */\n"
                               "R 7 10 [e] name=Dee Lane | ssn=222-33-4444\n"
                               "T 7 11 --end\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, COMMENTS, 3), want);
}

/* A log appended to a dump has no ';': it is one piece, flushed at finish, with an
 * unbalanced quote in it and no warning. */
static const char TRAILING_LOG[] = "COPY e (name, ssn) FROM stdin; -- loaded by root@db1.example\n"
                                   "Amy Pascal\t123-45-6780\n"
                                   "\\.\n"
                                   "2024-01-12 10:00:01 login user=amy ssn=219-09-9998\n"
                                   "2024-01-12 10:00:02 don't panic, mail ben@example.com\n"
                                   "tail without newline  \n\n";

static void test_trailing_text_without_semicolon(void **state)
{
    static const char want[] = "T 1 1 -- loaded by root@db1.example\n"
                               "R 2 2 [e] name=Amy Pascal | ssn=123-45-6780\n"
                               "T 4 3 2024-01-12 10:00:01 login user=amy ssn=219-09-9998\n"
                               "2024-01-12 10:00:02 don't panic, mail ben@example.com\n"
                               "tail without newline\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, TRAILING_LOG, 5), want);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* Values, column lists and statement heads that became records are not text too;
 * what trails the records (ON DUPLICATE KEY UPDATE, ENGINE=) and string literals of
 * column definitions are. Decoys: each value appears once in the whole output. */
static const char NO_DUP[] =
    "CREATE TABLE `t` (\n"
    "  `name` varchar(50) DEFAULT 'Unknown Person' COMMENT 'legal name',\n"
    "  `ssn` char(11)\n"
    ") ENGINE=InnoDB;\n"
    "INSERT INTO `t` VALUES ('Amy Pascal','123-45-6780'),\n"
    "('Ben Stone','219-09-9998') ON DUPLICATE KEY UPDATE ssn = '078-05-1120';\n"
    "REPLACE INTO t (name, ssn) VALUES ('Cy Young', '111-22-3333');\n";

static void test_records_are_not_text_too(void **state)
{
    static const char want[] = "T 2 1 'Unknown Person' 'legal name' ENGINE=InnoDB;\n"
                               "R 5 2 [t] name=Amy Pascal | ssn=123-45-6780\n"
                               "R 6 3 [t] name=Ben Stone | ssn=219-09-9998\n"
                               "T 6 4 ON DUPLICATE KEY UPDATE ssn = '078-05-1120';\n"
                               "R 7 5 [t] name=Cy Young | ssn=111-22-3333\n";
    static const char *const once[] = {"Amy Pascal",  "123-45-6780",   "Ben Stone",
                                       "219-09-9998", "078-05-1120",   "Cy Young",
                                       "111-22-3333", "Unknown Person"};
    struct collect c;
    size_t i;

    (void)state;
    assert_string_equal(parse(&c, NO_DUP, 2), want);
    for (i = 0; i < sizeof(once) / sizeof(once[0]); i++)
        assert_int_equal(count_of(c.out, once[i]), 1);
    assert_int_equal(count_of(c.out, "INSERT"), 0);
    assert_int_equal(count_of(c.out, "REPLACE"), 0);
    assert_int_equal(count_of(c.out, "varchar"), 0);
}

/* A sink that keeps every text piece whole, for inputs larger than collect.out. */
struct pieces {
    char *all;
    size_t len;
    size_t cap;
    size_t n;
    uint64_t first_line[64];
    uint64_t record[64];
    size_t piece_len[64];
};

static piiscan_status pieces_row(void *ctx, const char *sub, uint64_t line, uint64_t record,
                                 size_t n, const char *const *cells, const size_t *lens,
                                 const char *const *headers)
{
    (void)ctx, (void)sub, (void)line, (void)record, (void)n, (void)cells, (void)lens, (void)headers;
    return PIISCAN_EINVAL; /* no record expected */
}

static piiscan_status pieces_text(void *ctx, const char *sub, uint64_t line, uint64_t record,
                                  const char *text, size_t len)
{
    struct pieces *p = ctx;

    if (sub || p->n >= 64 || p->len + len > p->cap)
        return PIISCAN_EINVAL;
    memcpy(p->all + p->len, text, len);
    p->len += len;
    p->first_line[p->n] = line;
    p->record[p->n] = record;
    p->piece_len[p->n++] = len;
    return PIISCAN_OK;
}

static void pieces_warn(void *ctx, piiscan_status st, const char *msg)
{
    (void)ctx, (void)st, (void)msg;
    fail_msg("unexpected warning");
}

/* Feeds s in blocks of step and checks that the pieces, put together, are s. */
static void check_pieces(const char *s, size_t len, size_t step, struct pieces *p)
{
    struct ps_recsink sink = {p, pieces_row, pieces_text, pieces_warn};
    struct ps_sql *q = NULL;
    uint64_t line = 1;
    size_t i;
    size_t off = 0;

    memset(p, 0, sizeof(*p));
    p->cap = len;
    p->all = malloc(len);
    assert_non_null(p->all);
    assert_int_equal(ps_sql_new(&sink, &q), PIISCAN_OK);
    for (i = 0; i < len; i += step)
        assert_int_equal(ps_sql_feed(q, s + i, len - i < step ? len - i : step), PIISCAN_OK);
    assert_int_equal(ps_sql_finish(q), PIISCAN_OK);
    ps_sql_free(q);
    assert_int_equal(p->len, len); /* nothing lost, nothing twice */
    assert_memory_equal(p->all, s, len);
    for (i = 0; i < p->n; i++) {
        size_t k;

        assert_true(p->piece_len[i] <= PS_MAX_CELL_BYTES);
        assert_int_equal(p->record[i], i + 1);
        assert_int_equal(p->first_line[i], line);
        for (k = 0; k < p->piece_len[i]; k++)
            line += s[off + k] == '\n';
        off += p->piece_len[i];
    }
}

/* A statement longer than the text buffer goes out in pieces with every byte: cut
 * after a newline when there is one, else never inside a UTF-8 sequence. */
static void test_long_statement_in_pieces(void **state)
{
    static const char head[] = "UPDATE notes SET body = '";
    static const char tail[] = "' WHERE email = 'amy@example.com';";
    size_t cap = 3 * PS_MAX_CELL_BYTES;
    char *s = malloc(cap);
    struct pieces p;
    size_t len;
    size_t i;

    (void)state;
    assert_non_null(s);
    /* lines of prose */
    len = strlen(head);
    memcpy(s, head, len);
    for (i = 0; len + 64 < cap - sizeof(tail); i++)
        len +=
            (size_t)snprintf(s + len, cap - len, "row %06zu ssn 219-09-9998 amy@example.com\n", i);
    memcpy(s + len, tail, sizeof(tail) - 1);
    len += sizeof(tail) - 1;
    check_pieces(s, len, len, &p);
    assert_true(p.n >= 3);
    for (i = 0, len = 0; i + 1 < p.n; i++) { /* every cut is after a newline */
        len += p.piece_len[i];
        assert_int_equal(p.all[len - 1], '\n');
    }
    free(p.all);

    /* one word of two-byte characters after an odd-length head, so the buffer's
     * end falls inside a character: no '?' anywhere */
    len = strlen(head);
    memcpy(s, head, len);
    assert_int_equal(len % 2, 1);
    while (len + 2 < cap - sizeof(tail)) {
        s[len++] = '\xc3';
        s[len++] = '\xa9';
    }
    memcpy(s + len, tail, sizeof(tail) - 1);
    len += sizeof(tail) - 1;
    check_pieces(s, len, 4096, &p);
    assert_true(p.n >= 3);
    assert_null(memchr(p.all, '?', p.len));
    free(p.all);
    free(s);
}

/* Byte by byte or in one block: the same output, for every input above. */
static void test_byte_by_byte_equals_one_block(void **state)
{
    static const char *const inputs[] = {MYSQLDUMP, UPDATES, COMMENTS, TRAILING_LOG, NO_DUP};
    static struct collect one;
    static struct collect bytes;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        parse(&one, inputs[i], strlen(inputs[i]));
        parse(&bytes, inputs[i], 1);
        assert_true(one.len > 0);
        assert_string_equal(bytes.out, one.out);
    }
}

static void test_sniff(void **state)
{
    (void)state;
    assert_true(ps_sql_sniff(MYSQLDUMP, strlen(MYSQLDUMP)));
    assert_true(ps_sql_sniff("COPY x (a) FROM stdin;\n", 23));
    assert_false(ps_sql_sniff("Please insert into the form your values", 39));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mysqldump_without_column_list),
        cmocka_unit_test(test_bom_is_skipped),
        cmocka_unit_test(test_statement_keyword_at_line_start_restarts),
        cmocka_unit_test(test_insert_with_columns_and_schema),
        cmocka_unit_test(test_pg_dump_copy),
        cmocka_unit_test(test_truncated_tuple),
        cmocka_unit_test(test_update_delete_select_are_text),
        cmocka_unit_test(test_comments_between_inserts),
        cmocka_unit_test(test_trailing_text_without_semicolon),
        cmocka_unit_test(test_records_are_not_text_too),
        cmocka_unit_test(test_long_statement_in_pieces),
        cmocka_unit_test(test_byte_by_byte_equals_one_block),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
