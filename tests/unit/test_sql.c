/* test_sql.c - SQL dumps: mysqldump INSERTs (with and without column lists), pg_dump
 * COPY blocks, strings with escapes, comments, and truncated input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "extract/sql.h"
#include "helpers_recsink.h"

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

static void test_mysqldump_without_column_list(void **state)
{
    static const char want[] =
        "R 13 1 [employees] id=1 | full_name=Amy Pascal | ssn=123-45-6780 | salary=3000000.00\n"
        "R 13 2 [employees] id=2 | full_name=O'Brien, Pat | salary=-85000.50\n"
        "R 14 3 [employees] id=3 | full_name=Semi; colon | salary=DEFAULT\n";
    struct collect c;
    size_t step;

    (void)state;
    for (step = 1; step < 40; step += 6)
        assert_string_equal(parse(&c, MYSQLDUMP, step), want);
}

static void test_insert_with_columns_and_schema(void **state)
{
    static const char sql[] =
        "INSERT INTO public.people (name, dob, email) VALUES ('Ben Stone', '1971-03-05', "
        "'ben@example.com');\n"
        "insert into \"hr\".\"staff\" (\"ssn\") values ('078-05-1121'), (E'x');\n"
        "INSERT INTO t SELECT * FROM u;\n";
    static const char want[] =
        "R 1 1 [people] name=Ben Stone | dob=1971-03-05 | email=ben@example.com\n"
        "R 2 2 [staff] ssn=078-05-1121\n"
        "R 2 3 [staff] ssn=x\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 5), want);
}

static void test_pg_dump_copy(void **state)
{
    static const char sql[] =
        "--\n-- PostgreSQL database dump\n--\n"
        "COPY public.employees (id, name, ssn, notes) FROM stdin;\n"
        "1\tAmy Pascal\t123-45-6780\tline\\none\n"
        "2\tBen Stone\t\\N\t\\N\n"
        "\\.\n"
        "SELECT pg_catalog.setval('x', 1, true);\n"
        "COPY t (a) FROM '/etc/passwd';\n";
    static const char want[] =
        "R 5 1 [employees] id=1 | name=Amy Pascal | ssn=123-45-6780 | notes=line\none\n"
        "R 6 2 [employees] id=2 | name=Ben Stone\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 3), want);
}

static void test_truncated_tuple(void **state)
{
    static const char sql[] = "INSERT INTO e (name, ssn) VALUES ('Amy Pascal', '123-45-6780'), "
                              "('Ben Stone', '219-";
    static const char want[] =
        "R 1 1 [e] name=Amy Pascal | ssn=123-45-6780\n"
        "W 5 truncated SQL: input ends inside a row; the readable part was scanned\n"
        "R 1 2 [e] name=Ben Stone\n";
    struct collect c;

    (void)state;
    assert_string_equal(parse(&c, sql, 7), want);
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
        cmocka_unit_test(test_insert_with_columns_and_schema),
        cmocka_unit_test(test_pg_dump_copy),
        cmocka_unit_test(test_truncated_tuple),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
