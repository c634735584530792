/* extract/sql.h - SQL dumps (mysqldump, pg_dump) as tables of rows.
 *
 * `INSERT INTO employees (name, ssn) VALUES (...), (...);` gives one record per
 * tuple with the column names as headers; without a column list (mysqldump's
 * default) the names come from the table's earlier `CREATE TABLE`. pg_dump's
 * `COPY employees (name, ssn) FROM stdin;` blocks give one record per data line.
 * Records are located as "dump.sql!employees" with the line the tuple starts on.
 * Every other byte - other statements (UPDATE ... WHERE email = '...', DELETE,
 * SELECT), comments, prose before or after the SQL - goes to sink->text, one
 * piece per statement or comment, with the line its first byte came from.
 */
#ifndef PS_EXTRACT_SQL_H
#define PS_EXTRACT_SQL_H

#include <stddef.h>

#include "extract/recsink.h"
#include "extract/registry.h"

struct ps_sql;

piiscan_status ps_sql_new(const struct ps_recsink *sink, struct ps_sql **out);
void ps_sql_free(struct ps_sql *q);
/* Feeds the next bytes; returns OK or the sink's failure (EABORTED, ENOMEM).
 * Malformed SQL is no error: what does not parse as records is text. */
piiscan_status ps_sql_feed(struct ps_sql *q, const char *buf, size_t len);
piiscan_status ps_sql_finish(struct ps_sql *q);

/* Does this head look like a SQL dump (INSERT INTO / COPY ... FROM stdin / CREATE TABLE
 * near the start, or a mysqldump / pg_dump banner)? */
int ps_sql_sniff(const char *head, size_t len);

extern const struct ps_extractor ps_sql_extractor;

#endif
