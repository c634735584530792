/* extract/sql.c - streaming SQL dump reader.
 *
 * A byte lexer (words, 'strings' with '' and - in MySQL dumps - backslash
 * escapes, "quoted" and `quoted` identifiers, comments, punctuation) feeds a
 * statement parser that turns three statements into records:
 *   CREATE TABLE t (col type, ...)      remembers t's column names
 *   INSERT/REPLACE INTO t [(cols)] VALUES (v, ...), (v, ...);
 *                                       one record per tuple
 *   COPY t (cols) FROM stdin;           switches the lexer to pg_dump's
 *                                       tab-separated data lines until "\."
 * Values keep their text (NULL and empty values are dropped); the column name
 * is the cell's header.
 *
 * Every other byte is handed to the sink as plain text, so nothing in a file
 * bid as SQL goes unscanned (UPDATE ... WHERE email = '..', a query log, prose
 * appended to a dump). The lexer copies each byte it reads into a text buffer:
 *   - other statements (UPDATE, DELETE, SELECT, SET, DROP, lines of prose up to
 *     a ';'): their raw bytes, string literals with quotes and escapes as
 *     written, one text piece per statement, ';' included;
 *   - comments (-- and # to the end of the line, block comments including
 *     MySQL's conditional ones): one piece each, or part of the statement's
 *     piece inside a skipped statement; a head held back (below) when one
 *     starts goes out first as a piece of its own, since it may be prose;
 *   - the head of INSERT/REPLACE/COPY/CREATE TABLE (keywords, table, column
 *     list) is held back and dropped once the statement gives records; a
 *     statement that never does (INSERT ... SELECT, COPY ... FROM 'file',
 *     CREATE TABLE ... AS SELECT) comes out whole. What follows the records
 *     (ON DUPLICATE KEY UPDATE ..., ENGINE=... after a column list) is text;
 *   - tuples, COPY data lines and the column definitions of CREATE TABLE are
 *     not text (their values and names are the records); only the string
 *     literals of column definitions (DEFAULT 'x', COMMENT 'y') are copied out,
 *     unescaped, as 'x' 'y';
 *   - the rest of a COPY ... FROM stdin; line (a trailing comment) is text.
 * A piece is flushed at the end of its statement or comment and at finish; a
 * longer one goes out in pieces of at most PS_MAX_CELL_BYTES, cut after a
 * newline or blank where one is near the end, never inside a UTF-8 sequence.
 * Each piece carries the line of its first byte and a record number of its
 * own (the counter rows use); blanks around a statement or comment are
 * trimmed, and a piece with no letter, digit or non-ASCII byte (";", "--") is
 * not emitted: it cannot hold PII. Invalid UTF-8 becomes '?'.
 *
 * Bounds: token and text bytes (PS_MAX_CELL_BYTES), cells per record
 * (ps_rowbuf), tables and columns remembered (MAX_TABLES, MAX_COLS), paren
 * nesting inside a tuple.
 */
#include "extract/sql.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/limits.h"

#define MAX_TABLES 1024u
#define MAX_COLS 1024u
#define MAX_NAME 128u
#define MAX_PAREN 64u

enum lex_state {
    LX_NONE = 0,
    LX_WORD,
    LX_SQ,
    LX_SQ_QUOTE,
    LX_SQ_BS,
    LX_DQ,
    LX_DQ_QUOTE,
    LX_BQ,
    LX_DASH,
    LX_LINE_COMMENT,
    LX_SLASH,
    LX_BLOCK_COMMENT,
    LX_BLOCK_STAR,
    LX_COPY
};

enum tok_kind { TK_WORD = 0, TK_STR, TK_QID, TK_PUNCT };

enum stmt_state {
    ST_START = 0,
    ST_SKIP,
    ST_CREATE,
    ST_CREATE_NAME,
    ST_CREATE_OPEN,
    ST_CREATE_COLS,
    ST_INSERT,
    ST_INSERT_COLS,
    ST_INSERT_AFTER_COLS,
    ST_VALUES,
    ST_TUPLE,
    ST_AFTER_TUPLE,
    ST_COPY,
    ST_COPY_COLS,
    ST_COPY_AFTER_COLS,
    ST_COPY_FROM
};

struct table {
    char name[MAX_NAME];
    char **cols;
    size_t ncols;
};

struct ps_sql {
    struct ps_recsink sink;
    unsigned bom; /* leading bytes of a UTF-8 byte-order mark seen; 4: past the start */
    bool at_bol;       /* only blanks since the last newline (or the start) */
    bool bol_before;   /* at_bol before the byte being lexed */
    bool word_at_bol;  /* the current word is the first thing on its line */
    enum lex_state lex;
    char tok[PS_MAX_CELL_BYTES];
    size_t tok_len;
    bool tok_cut;
    bool is_mysql;      /* backslash escapes inside strings */
    bool str_bs;        /* this string is E'...': backslash escapes too */
    bool copy_skip_eol; /* rest of the COPY statement's line before the data */

    enum stmt_state st;
    char table[MAX_NAME];
    char *cols[MAX_COLS]; /* column list of the current INSERT/COPY/CREATE */
    size_t ncols;
    bool expect_col;    /* CREATE: next word at depth 1 names a column */
    unsigned depth;     /* parens inside CREATE or a tuple */
    bool value_pending; /* a tuple value began with a word/str not yet closed by ',' */
    bool copy_stdin;

    struct table *tables;
    size_t ntables;

    struct ps_rowbuf row;
    size_t cell_index;
    uint64_t tuple_line;
    uint64_t line;
    uint64_t records;
    bool warned_cut;
    bool warned_syntax;

    /* bytes that are not records, on their way to sink->text */
    char text[PS_MAX_CELL_BYTES];
    size_t text_len;
    size_t text_mark;   /* text[mark..len) is a record statement's head, held back */
    uint64_t text_line; /* line of text[0] */
    bool text_cont;     /* a full buffer went out mid-piece: keep leading blanks */
    bool had_body;      /* this statement has given records: its head is dropped */
};

/* ---- tables and columns --------------------------------------------------- */

static void clear_cols(struct ps_sql *q)
{
    size_t i;

    for (i = 0; i < q->ncols; i++)
        free(q->cols[i]);
    q->ncols = 0;
}

static void add_col(struct ps_sql *q, const char *name, size_t len)
{
    if (q->ncols >= MAX_COLS)
        return;
    if (len >= MAX_NAME)
        len = MAX_NAME - 1;
    q->cols[q->ncols] = strndup(name, len);
    if (q->cols[q->ncols])
        q->ncols++;
}

static struct table *find_table(struct ps_sql *q, const char *name)
{
    size_t i;

    for (i = 0; i < q->ntables; i++)
        if (strcasecmp(q->tables[i].name, name) == 0)
            return &q->tables[i];
    return NULL;
}

/* CREATE TABLE finished: remember (or replace) the table's columns. */
static void save_table(struct ps_sql *q)
{
    struct table *t = find_table(q, q->table);
    size_t i;

    if (!t) {
        if (q->ntables >= MAX_TABLES)
            return;
        t = &q->tables[q->ntables++];
        memset(t, 0, sizeof(*t));
        snprintf(t->name, sizeof(t->name), "%s", q->table);
    }
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    free(t->cols);
    t->cols = calloc(q->ncols ? q->ncols : 1, sizeof(char *));
    t->ncols = 0;
    for (i = 0; t->cols && i < q->ncols; i++) {
        t->cols[i] = q->cols[i];
        q->cols[i] = NULL;
        t->ncols++;
    }
    q->ncols = 0;
}

/* INSERT without a column list: borrow the CREATE TABLE's names. */
static void cols_from_table(struct ps_sql *q)
{
    const struct table *t = find_table(q, q->table);
    size_t i;

    if (!t || q->ncols)
        return;
    for (i = 0; i < t->ncols; i++)
        add_col(q, t->cols[i], strlen(t->cols[i]));
}

/* ---- records ------------------------------------------------------------- */

static void add_value(struct ps_sql *q, const char *v, size_t len, bool is_null)
{
    size_t i = q->cell_index++;
    const char *h = i < q->ncols ? q->cols[i] : NULL;

    if (is_null || len == 0)
        return;
    ps_rowbuf_add(&q->row, h, h ? strlen(h) : 0, v, len);
}

static piiscan_status emit_row(struct ps_sql *q)
{
    piiscan_status rc;

    if (q->row.is_truncated && !q->warned_cut) {
        q->warned_cut = true;
        q->sink.warn(q->sink.ctx, PIISCAN_ELIMIT,
                     "row cut: more cells or bytes than a record may hold");
    }
    if (q->row.n == 0) {
        q->cell_index = 0;
        return PIISCAN_OK;
    }
    q->records++;
    rc =
        ps_rowbuf_emit(&q->row, &q->sink, q->table[0] ? q->table : NULL, q->tuple_line, q->records);
    ps_rowbuf_clear(&q->row);
    q->cell_index = 0;
    return rc;
}

static void set_table(struct ps_sql *q, const char *name, size_t len)
{
    const char *dot = memchr(name, '.', len);

    /* schema.table: the table is what counts */
    while (dot) {
        len -= (size_t)(dot + 1 - name);
        name = dot + 1;
        dot = memchr(name, '.', len);
    }
    if (len >= sizeof(q->table))
        len = sizeof(q->table) - 1;
    memcpy(q->table, name, len);
    q->table[len] = '\0';
}

/* ---- text ------------------------------------------------------------------ */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Could s hold PII? Every detector needs a letter, a digit or a non-ASCII byte. */
static bool has_content(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/* Hands text[0..n) to the sink as one piece (it is scrubbed in place). */
static piiscan_status emit_piece(struct ps_sql *q, size_t n)
{
    if (!has_content(q->text, n))
        return PIISCAN_OK;
    ps_utf8_scrub(q->text, n);
    return q->sink.text(q->sink.ctx, NULL, q->text_line, ++q->records, q->text, n);
}

/* End of a statement or comment: the whole buffer goes, trailing blanks trimmed. */
static piiscan_status flush_text(struct ps_sql *q)
{
    size_t n = q->text_len;

    q->text_len = 0;
    q->text_mark = 0;
    q->text_cont = false;
    while (n > 0 && is_blank(q->text[n - 1]))
        n--;
    return emit_piece(q, n);
}

/* The buffer is full inside one piece: send its first part, keep the rest. */
static piiscan_status flush_full(struct ps_sql *q)
{
    size_t cut = ps_text_split_point(q->text, q->text_len);
    uint64_t lines = 0;
    piiscan_status rc;
    size_t i;

    for (i = 0; i < cut; i++)
        lines += q->text[i] == '\n';
    rc = emit_piece(q, cut);
    memmove(q->text, q->text + cut, q->text_len - cut);
    q->text_len -= cut;
    q->text_mark = q->text_mark > cut ? q->text_mark - cut : 0;
    q->text_line += lines;
    q->text_cont = true;
    return rc;
}

/* Appends one byte; keep = it is text for sure (not a record statement's head). */
static piiscan_status text_putc(struct ps_sql *q, char c, bool keep)
{
    if (q->text_len == 0 && !q->text_cont && is_blank(c))
        return PIISCAN_OK;
    if (q->text_len == sizeof(q->text)) {
        piiscan_status rc = flush_full(q);

        if (rc != PIISCAN_OK)
            return rc;
    }
    if (q->text_len == 0)
        q->text_line = q->line;
    q->text[q->text_len++] = c;
    if (keep)
        q->text_mark = q->text_len;
    return PIISCAN_OK;
}

static piiscan_status text_put(struct ps_sql *q, const char *s, size_t n)
{
    piiscan_status rc = PIISCAN_OK;
    size_t i;

    for (i = 0; i < n && rc == PIISCAN_OK; i++)
        rc = text_putc(q, s[i], true);
    return rc;
}

/* Inside a tuple or a CREATE TABLE column list: bytes that are records. */
static bool is_body(enum stmt_state st)
{
    return st == ST_TUPLE || st == ST_CREATE_COLS;
}

/* A byte of a statement (not of a comment): text unless it is inside a tuple or
 * a CREATE TABLE column list; held back while a record statement's head. */
static piiscan_status stmt_putc(struct ps_sql *q, char c)
{
    if (is_body(q->st))
        return PIISCAN_OK;
    return text_putc(q, c, q->st == ST_SKIP);
}

/* A comment starts with intro. Outside a skipped statement it is a piece of its
 * own, so what was held back goes out first (a head that turns out to be prose
 * must not be lost; one that is a head holds only keywords). */
static piiscan_status comment_begin(struct ps_sql *q, const char *intro, size_t n)
{
    piiscan_status rc = PIISCAN_OK;

    if (q->st != ST_SKIP)
        rc = flush_text(q);
    return rc == PIISCAN_OK ? text_put(q, intro, n) : rc;
}

/* A comment ended: its piece goes out unless it belongs to a skipped statement. */
static piiscan_status comment_end(struct ps_sql *q)
{
    return q->st == ST_SKIP ? PIISCAN_OK : flush_text(q);
}

/* A statement ended (';' or end of input): the head of one that gave records
 * is dropped, everything else is flushed. */
static piiscan_status end_text(struct ps_sql *q)
{
    if (q->had_body && q->st != ST_SKIP)
        q->text_len = q->text_mark;
    q->had_body = false;
    return flush_text(q);
}

/* ---- statements ------------------------------------------------------------ */

static bool word_is(const struct ps_sql *q, enum tok_kind k, const char *w)
{
    return k == TK_WORD && strcasecmp(q->tok, w) == 0;
}

static bool is_constraint_word(const char *w)
{
    static const char *const kw[] = {"PRIMARY", "KEY",     "UNIQUE",   "CONSTRAINT",
                                     "INDEX",   "FOREIGN", "FULLTEXT", "SPATIAL",
                                     "CHECK",   "EXCLUDE", "PERIOD",   "LIKE"};
    size_t i;

    for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (strcasecmp(w, kw[i]) == 0)
            return true;
    return false;
}

static void begin_statement(struct ps_sql *q, enum tok_kind k)
{
    clear_cols(q);
    q->table[0] = '\0';
    q->depth = 0;
    q->had_body = false;
    if (word_is(q, k, "CREATE"))
        q->st = ST_CREATE;
    else if (word_is(q, k, "INSERT") || word_is(q, k, "REPLACE"))
        q->st = ST_INSERT;
    else if (word_is(q, k, "COPY"))
        q->st = ST_COPY;
    else if (k == TK_PUNCT && q->tok[0] == ';')
        q->st = ST_START;
    else
        q->st = ST_SKIP;
}

static piiscan_status on_create(struct ps_sql *q, enum tok_kind k)
{
    char c = q->tok[0];

    switch (q->st) {
    case ST_CREATE: /* CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name */
        if (word_is(q, k, "TABLE"))
            q->st = ST_CREATE_NAME;
        else if (!(k == TK_WORD &&
                   (strcasecmp(q->tok, "TEMPORARY") == 0 || strcasecmp(q->tok, "UNLOGGED") == 0)))
            q->st = ST_SKIP;
        break;
    case ST_CREATE_NAME:
        if (k == TK_WORD && (strcasecmp(q->tok, "IF") == 0 || strcasecmp(q->tok, "NOT") == 0 ||
                             strcasecmp(q->tok, "EXISTS") == 0))
            break;
        if (k == TK_PUNCT && c == '.')
            break;
        if (k == TK_PUNCT && c == '(') {
            q->st = ST_CREATE_COLS;
            q->depth = 1;
            q->expect_col = true;
            break;
        }
        set_table(q, q->tok, q->tok_len);
        break;
    default: /* ST_CREATE_COLS */
        if (k == TK_PUNCT && c == '(') {
            q->depth++;
        } else if (k == TK_PUNCT && c == ')') {
            if (--q->depth == 0) {
                save_table(q);
                q->st = ST_SKIP;
            }
        } else if (k == TK_PUNCT && c == ',' && q->depth == 1) {
            q->expect_col = true;
        } else if (q->expect_col && q->depth == 1 && (k == TK_WORD || k == TK_QID)) {
            if (k == TK_QID || !is_constraint_word(q->tok))
                add_col(q, q->tok, q->tok_len);
            q->expect_col = false;
        } else if (k == TK_STR) { /* DEFAULT 'x', COMMENT 'y': text, not a name */
            piiscan_status rc = text_put(q, q->text_len ? " '" : "'", q->text_len ? 2 : 1);

            if (rc == PIISCAN_OK)
                rc = text_put(q, q->tok, q->tok_len);
            return rc == PIISCAN_OK ? text_put(q, "'", 1) : rc;
        }
        break;
    }
    return PIISCAN_OK;
}

static piiscan_status on_tuple(struct ps_sql *q, enum tok_kind k)
{
    char c = q->tok[0];

    if (k == TK_PUNCT && c == '(') {
        q->depth++; /* a function call inside a value, e.g. DATE('...') */
        return PIISCAN_OK;
    }
    if (k == TK_PUNCT && c == ')' && q->depth > 1) {
        q->depth--;
        return PIISCAN_OK;
    }
    if (k == TK_PUNCT && c == ')') {
        if (!q->value_pending && q->cell_index > 0)
            q->cell_index++;
        q->value_pending = false;
        q->st = ST_AFTER_TUPLE;
        q->depth = 0;
        return emit_row(q);
    }
    if (k == TK_PUNCT && c == ',' && q->depth == 1) {
        if (!q->value_pending)
            q->cell_index++; /* an empty or unusual value still takes a column */
        q->value_pending = false;
        return PIISCAN_OK;
    }
    if (q->depth == 1 && !q->value_pending && (k == TK_STR || k == TK_WORD)) {
        add_value(q, q->tok, q->tok_len, k == TK_WORD && strcasecmp(q->tok, "NULL") == 0);
        q->value_pending = true;
    }
    return PIISCAN_OK;
}

static piiscan_status on_insert(struct ps_sql *q, enum tok_kind k)
{
    char c = q->tok[0];

    switch (q->st) {
    case ST_INSERT: /* INSERT [IGNORE|...] INTO name */
        if (k == TK_WORD &&
            (strcasecmp(q->tok, "INTO") == 0 || strcasecmp(q->tok, "IGNORE") == 0 ||
             strcasecmp(q->tok, "LOW_PRIORITY") == 0 || strcasecmp(q->tok, "DELAYED") == 0 ||
             strcasecmp(q->tok, "HIGH_PRIORITY") == 0))
            break;
        if (k == TK_PUNCT && c == '.')
            break;
        if (k == TK_WORD || k == TK_QID) {
            set_table(q, q->tok, q->tok_len);
            q->st = ST_INSERT_AFTER_COLS;
        } else {
            q->st = ST_SKIP;
        }
        break;
    case ST_INSERT_AFTER_COLS:
        if (k == TK_PUNCT && c == '.')
            break;
        if ((k == TK_WORD || k == TK_QID) && !word_is(q, k, "VALUES") && !word_is(q, k, "VALUE") &&
            q->ncols == 0 && q->depth == 0) {
            set_table(q, q->tok, q->tok_len); /* schema.`table` */
            break;
        }
        if (k == TK_PUNCT && c == '(' && q->ncols == 0) {
            q->st = ST_INSERT_COLS;
            break;
        }
        if (word_is(q, k, "VALUES") || word_is(q, k, "VALUE")) {
            cols_from_table(q);
            q->st = ST_VALUES;
            break;
        }
        q->st = ST_SKIP; /* INSERT ... SELECT, DEFAULT VALUES, ... */
        break;
    case ST_INSERT_COLS:
        if (k == TK_WORD || k == TK_QID)
            add_col(q, q->tok, q->tok_len);
        else if (k == TK_PUNCT && c == ')')
            q->st = ST_INSERT_AFTER_COLS;
        break;
    case ST_VALUES:
    case ST_AFTER_TUPLE:
        if (k == TK_PUNCT && c == '(') {
            q->st = ST_TUPLE;
            q->depth = 1;
            q->cell_index = 0;
            q->value_pending = false;
            q->tuple_line = q->line;
        } else if (!(k == TK_PUNCT && c == ',')) {
            q->st = ST_SKIP; /* ON DUPLICATE KEY UPDATE ..., RETURNING ... */
        }
        break;
    default:
        return on_tuple(q, k);
    }
    return PIISCAN_OK;
}

static void on_copy(struct ps_sql *q, enum tok_kind k)
{
    char c = q->tok[0];

    switch (q->st) {
    case ST_COPY:
        if (k == TK_WORD || k == TK_QID) {
            set_table(q, q->tok, q->tok_len);
            q->st = ST_COPY_AFTER_COLS;
        } else {
            q->st = ST_SKIP;
        }
        break;
    case ST_COPY_AFTER_COLS:
        if (k == TK_PUNCT && c == '.')
            break;
        if (k == TK_PUNCT && c == '(') {
            q->st = ST_COPY_COLS;
        } else if (word_is(q, k, "FROM")) {
            q->st = ST_COPY_FROM;
            q->copy_stdin = false;
        } else if (k == TK_WORD || k == TK_QID) {
            set_table(q, q->tok, q->tok_len);
        } else {
            q->st = ST_SKIP;
        }
        break;
    case ST_COPY_COLS:
        if (k == TK_WORD || k == TK_QID)
            add_col(q, q->tok, q->tok_len);
        else if (k == TK_PUNCT && c == ')')
            q->st = ST_COPY_AFTER_COLS;
        break;
    default: /* ST_COPY_FROM */
        if (word_is(q, k, "stdin"))
            q->copy_stdin = true;
        break;
    }
}

/* ';' outside a tuple: the statement ends, or pg_dump's data lines begin. */
static piiscan_status end_statement(struct ps_sql *q)
{
    piiscan_status rc;

    if (q->st == ST_COPY_FROM && q->copy_stdin) {
        q->had_body = true; /* the COPY head is not text */
        rc = end_text(q);
        q->st = ST_COPY_FROM; /* data lines follow; the lexer switches */
        q->lex = LX_COPY;
        q->copy_skip_eol = true;
        q->tok_len = 0;
        q->cell_index = 0;
        q->tuple_line = q->line + 1;
        return rc;
    }
    rc = end_text(q);
    q->st = ST_START;
    return rc;
}

/* A line opening CREATE, INSERT, REPLACE or COPY while the statement before it
 * never ended (prose without a ';', a dump that lost one): that statement's piece
 * goes out and this one is read, keyword and all, as the start of a new one. */
static piiscan_status restart_at(struct ps_sql *q, enum tok_kind k)
{
    piiscan_status rc;

    if (!(q->st == ST_SKIP || q->st == ST_AFTER_TUPLE) || !q->word_at_bol ||
        !(word_is(q, k, "CREATE") || word_is(q, k, "INSERT") || word_is(q, k, "REPLACE") ||
          word_is(q, k, "COPY")))
        return PIISCAN_OK;
    /* the keyword's bytes end the buffer: they belong to the new statement */
    if (q->text_len >= q->tok_len &&
        memcmp(q->text + q->text_len - q->tok_len, q->tok, q->tok_len) == 0)
        q->text_len -= q->tok_len;
    if (q->text_mark > q->text_len)
        q->text_mark = q->text_len;
    rc = end_statement(q);
    for (size_t i = 0; i < q->tok_len && rc == PIISCAN_OK; i++)
        rc = text_putc(q, q->tok[i], false); /* a head, held back */
    return rc;
}

static piiscan_status on_token(struct ps_sql *q, enum tok_kind k)
{
    enum stmt_state before;
    piiscan_status rc = PIISCAN_OK;

    q->tok[q->tok_len] = '\0';
    if (k == TK_PUNCT && q->tok[0] == ';' && q->st != ST_TUPLE)
        return end_statement(q);
    if ((rc = restart_at(q, k)) != PIISCAN_OK)
        return rc;
    before = q->st;
    switch (q->st) {
    case ST_START:
        begin_statement(q, k);
        break;
    case ST_SKIP:
        break;
    case ST_CREATE:
    case ST_CREATE_NAME:
    case ST_CREATE_OPEN:
    case ST_CREATE_COLS:
        rc = on_create(q, k);
        break;
    case ST_COPY:
    case ST_COPY_COLS:
    case ST_COPY_AFTER_COLS:
    case ST_COPY_FROM:
        on_copy(q, k);
        break;
    default:
        rc = on_insert(q, k);
        break;
    }
    /* the head held back so far: text after all, or dropped as records begin */
    if (q->st == ST_SKIP) {
        q->text_mark = q->text_len;
    } else if (is_body(q->st) && !is_body(before)) {
        q->text_len = q->text_mark;
        q->had_body = true;
    }
    return rc;
}

/* ---- COPY data ------------------------------------------------------------- */

/* One pg_dump data line in tok: tab-separated, \N is NULL, backslash escapes. */
static piiscan_status copy_line(struct ps_sql *q)
{
    size_t i = 0;
    size_t out = 0;
    size_t cell_start = 0;

    if (q->tok_len == 2 && q->tok[0] == '\\' && q->tok[1] == '.') {
        q->lex = LX_NONE;
        q->st = ST_START;
        q->had_body = false;
        return PIISCAN_OK;
    }
    q->cell_index = 0;
    while (i <= q->tok_len) {
        char c = i < q->tok_len ? q->tok[i] : '\t';

        if (c == '\t') {
            size_t n = out - cell_start;
            bool is_null = n == 2 && q->tok[cell_start] == '\\' && q->tok[cell_start + 1] == 'N';

            add_value(q, q->tok + cell_start, n, is_null);
            cell_start = ++out;
            i++;
            continue;
        }
        if (c == '\\' && i + 1 < q->tok_len && q->tok[i + 1] != 'N') {
            char e = q->tok[++i];

            c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
        }
        q->tok[out++] = c;
        i++;
    }
    return emit_row(q);
}

/* ---- lexer ------------------------------------------------------------------- */

static void tok_putc(struct ps_sql *q, char c)
{
    if (q->tok_len + 1 < sizeof(q->tok)) {
        q->tok[q->tok_len++] = c;
    } else if (!q->tok_cut) {
        q->tok_cut = true;
        /* elsewhere the token is a keyword or name, and its bytes are text anyway */
        if (!q->warned_cut && (is_body(q->st) || q->lex == LX_COPY)) {
            q->warned_cut = true;
            q->sink.warn(q->sink.ctx, PIISCAN_ELIMIT, "value longer than 64 KiB cut");
        }
    }
}

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || c == '.' || c == '+' ||
           (unsigned char)c >= 0x80;
}

static bool is_string_prefix(const struct ps_sql *q)
{
    if (q->tok_len == 1)
        return strchr("EeNnXxBb", q->tok[0]) != NULL;
    return q->tok_len > 1 && q->tok[0] == '_'; /* MySQL charset introducer */
}

static piiscan_status lex_byte(struct ps_sql *q, char c);

static piiscan_status start_token(struct ps_sql *q, char c)
{
    piiscan_status rc;

    q->tok_len = 0;
    q->tok_cut = false;
    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        return stmt_putc(q, c);
    case '\'':
        q->str_bs = false;
        q->lex = LX_SQ;
        return stmt_putc(q, c);
    case '"':
        q->lex = LX_DQ;
        return stmt_putc(q, c);
    case '`':
        q->is_mysql = true;
        q->lex = LX_BQ;
        return stmt_putc(q, c);
    case '-': /* held until the next byte tells a comment from a minus */
        q->lex = LX_DASH;
        return PIISCAN_OK;
    case '/':
        q->lex = LX_SLASH;
        return PIISCAN_OK;
    case '#':
        q->lex = LX_LINE_COMMENT;
        return comment_begin(q, &c, 1);
    default:
        break;
    }
    rc = stmt_putc(q, c);
    if (rc != PIISCAN_OK)
        return rc;
    if (is_word_char(c)) {
        q->lex = LX_WORD;
        q->word_at_bol = q->bol_before;
        tok_putc(q, c);
        return PIISCAN_OK;
    }
    tok_putc(q, c);
    return on_token(q, TK_PUNCT);
}

/* Ends the current token of kind k and lets c start the next one. */
static piiscan_status end_then(struct ps_sql *q, enum tok_kind k, char c)
{
    piiscan_status rc;

    q->lex = LX_NONE;
    rc = on_token(q, k);
    if (rc != PIISCAN_OK || q->lex != LX_NONE)
        return rc;
    return start_token(q, c);
}

/* Inside a 'string', "identifier" or `identifier`; the byte is text by the
 * statement's rule. */
static piiscan_status lex_quoted(struct ps_sql *q, char c)
{
    switch (q->lex) {
    case LX_SQ:
        if (c == '\'')
            q->lex = LX_SQ_QUOTE;
        else if (c == '\\' && (q->is_mysql || q->str_bs))
            q->lex = LX_SQ_BS;
        else
            tok_putc(q, c);
        return stmt_putc(q, c);
    case LX_SQ_BS:
        tok_putc(q, c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == '0' ? ' ' : c);
        q->lex = LX_SQ;
        return stmt_putc(q, c);
    case LX_SQ_QUOTE:
        if (c == '\'') {
            tok_putc(q, '\'');
            q->lex = LX_SQ;
            return stmt_putc(q, c);
        }
        return end_then(q, TK_STR, c);
    case LX_DQ:
        if (c == '"')
            q->lex = LX_DQ_QUOTE;
        else
            tok_putc(q, c);
        return stmt_putc(q, c);
    case LX_DQ_QUOTE:
        if (c == '"') {
            tok_putc(q, '"');
            q->lex = LX_DQ;
            return stmt_putc(q, c);
        }
        return end_then(q, TK_QID, c);
    default: /* LX_BQ */
        if (c == '`') {
            piiscan_status rc = stmt_putc(q, c);

            q->lex = LX_NONE;
            return rc == PIISCAN_OK ? on_token(q, TK_QID) : rc;
        }
        tok_putc(q, c);
        return stmt_putc(q, c);
    }
}

/* Inside or at the edge of a comment; comment bytes are always text. */
static piiscan_status lex_comment(struct ps_sql *q, char c)
{
    piiscan_status rc;

    switch (q->lex) {
    case LX_DASH:
        if (c == '-') {
            q->lex = LX_LINE_COMMENT;
            return comment_begin(q, "--", 2);
        }
        rc = stmt_putc(q, '-');
        if (rc != PIISCAN_OK)
            return rc;
        q->lex = LX_WORD; /* a negative number */
        tok_putc(q, '-');
        return lex_byte(q, c);
    case LX_LINE_COMMENT:
        if (c != '\n')
            return text_putc(q, c, true);
        q->lex = LX_NONE;
        return q->st == ST_SKIP ? text_putc(q, c, true) : comment_end(q);
    case LX_SLASH:
        if (c == '*') {
            q->lex = LX_BLOCK_COMMENT;
            return comment_begin(q, "/*", 2);
        }
        rc = stmt_putc(q, '/');
        if (rc != PIISCAN_OK)
            return rc;
        tok_putc(q, '/');
        q->lex = LX_NONE;
        rc = on_token(q, TK_PUNCT);
        return rc == PIISCAN_OK ? start_token(q, c) : rc;
    case LX_BLOCK_COMMENT:
        if (c == '*')
            q->lex = LX_BLOCK_STAR;
        return text_putc(q, c, true);
    default: /* LX_BLOCK_STAR */
        q->lex = c == '/' ? LX_NONE : c == '*' ? LX_BLOCK_STAR : LX_BLOCK_COMMENT;
        rc = text_putc(q, c, true);
        return rc == PIISCAN_OK && q->lex == LX_NONE ? comment_end(q) : rc;
    }
}

/* pg_dump data lines after COPY ... FROM stdin; (records, not text). */
static piiscan_status lex_copy(struct ps_sql *q, char c)
{
    piiscan_status rc;

    if (q->copy_skip_eol) { /* the rest of the COPY line: text */
        q->copy_skip_eol = c != '\n';
        q->tuple_line = q->line + 1;
        return c == '\n' ? flush_text(q) : text_putc(q, c, true);
    }
    if (c != '\n') {
        tok_putc(q, c);
        return PIISCAN_OK;
    }
    if (q->tok_len && q->tok[q->tok_len - 1] == '\r')
        q->tok_len--;
    rc = copy_line(q);
    q->tok_len = 0;
    q->tok_cut = false;
    q->tuple_line = q->line + 1;
    return rc;
}

static piiscan_status lex_byte(struct ps_sql *q, char c)
{
    switch (q->lex) {
    case LX_NONE:
        return start_token(q, c);
    case LX_WORD:
        if (c == '\'' && is_string_prefix(q)) {
            /* E'..', N'..', _utf8mb4'..', X'..': the prefix is not a value */
            q->str_bs = q->tok_len == 1 && (q->tok[0] == 'E' || q->tok[0] == 'e');
            q->tok_len = 0;
            q->lex = LX_SQ;
            return stmt_putc(q, c);
        }
        if (is_word_char(c) || (c == '-' && q->tok_len &&
                                (q->tok[q->tok_len - 1] == 'e' || q->tok[q->tok_len - 1] == 'E'))) {
            tok_putc(q, c);
            return stmt_putc(q, c);
        }
        return end_then(q, TK_WORD, c);
    case LX_SQ:
    case LX_SQ_BS:
    case LX_SQ_QUOTE:
    case LX_DQ:
    case LX_DQ_QUOTE:
    case LX_BQ:
        return lex_quoted(q, c);
    case LX_COPY:
        return lex_copy(q, c);
    default:
        return lex_comment(q, c);
    }
}

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* Whether byte c is part of a byte-order mark opening the input (skipped: as
 * text it would glue the first statement to it). A partial mark that turns out
 * not to be one is fed on as it came. */
static bool skip_bom(struct ps_sql *q, char c, piiscan_status *rc)
{
    *rc = PIISCAN_OK;
    if (q->bom >= 3)
        return false;
    if (c == utf8_bom[q->bom]) {
        q->bom = q->bom == 2 ? 4 : q->bom + 1;
        return true;
    }
    for (unsigned i = 0; i < q->bom && *rc == PIISCAN_OK; i++)
        *rc = lex_byte(q, utf8_bom[i]);
    q->bom = 4;
    return false;
}

piiscan_status ps_sql_feed(struct ps_sql *q, const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        piiscan_status rc;

        if (skip_bom(q, buf[i], &rc) || rc != PIISCAN_OK) {
            if (rc != PIISCAN_OK)
                return rc;
            continue;
        }
        q->bol_before = q->at_bol;
        if (buf[i] == '\n')
            q->at_bol = true;
        else if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')
            q->at_bol = false;
        rc = lex_byte(q, buf[i]);

        if (rc != PIISCAN_OK)
            return rc;
        if (buf[i] == '\n')
            q->line++;
    }
    return PIISCAN_OK;
}

/* End of input inside a token: deliver what the lexer holds. */
static piiscan_status finish_token(struct ps_sql *q)
{
    enum lex_state lx = q->lex;

    q->lex = LX_NONE;
    switch (lx) {
    case LX_WORD:
        return on_token(q, TK_WORD);
    case LX_SQ: /* unterminated: in a tuple, the cut value's readable part */
    case LX_SQ_BS:
    case LX_SQ_QUOTE:
        return on_token(q, TK_STR);
    case LX_DQ:
    case LX_DQ_QUOTE:
    case LX_BQ:
        return on_token(q, TK_QID);
    case LX_DASH:
        return stmt_putc(q, '-');
    case LX_SLASH:
        return stmt_putc(q, '/');
    case LX_COPY:
        return !q->copy_skip_eol && q->tok_len ? copy_line(q) : PIISCAN_OK;
    default:
        return PIISCAN_OK;
    }
}

piiscan_status ps_sql_finish(struct ps_sql *q)
{
    piiscan_status rc = finish_token(q);

    if (rc != PIISCAN_OK)
        return rc;
    if (q->st == ST_TUPLE && !q->warned_syntax) {
        q->warned_syntax = true;
        q->sink.warn(q->sink.ctx, PIISCAN_ECORRUPT,
                     "truncated SQL: input ends inside a row; the readable part was scanned");
        if (q->row.n)
            rc = emit_row(q);
    }
    return rc == PIISCAN_OK ? end_text(q) : rc;
}

piiscan_status ps_sql_new(const struct ps_recsink *sink, struct ps_sql **out)
{
    struct ps_sql *q = calloc(1, sizeof(*q));

    *out = NULL;
    if (!q)
        return PIISCAN_ENOMEM;
    q->tables = calloc(MAX_TABLES, sizeof(struct table));
    if (!q->tables || ps_rowbuf_init(&q->row) != PIISCAN_OK) {
        free(q->tables);
        free(q);
        return PIISCAN_ENOMEM;
    }
    q->sink = *sink;
    q->line = 1;
    q->at_bol = true;
    *out = q;
    return PIISCAN_OK;
}

void ps_sql_free(struct ps_sql *q)
{
    size_t i;
    size_t c;

    if (!q)
        return;
    clear_cols(q);
    for (i = 0; i < q->ntables; i++) {
        for (c = 0; c < q->tables[i].ncols; c++)
            free(q->tables[i].cols[c]);
        free(q->tables[i].cols);
    }
    free(q->tables);
    ps_rowbuf_free(&q->row);
    free(q);
}

/* ---- extractor ---------------------------------------------------------------- */

/* Does a line of head start with w (case-sensitive: dump tools write upper case)? */
static bool has_line(const char *head, size_t len, const char *w)
{
    size_t wl = strlen(w);
    size_t i;

    for (i = 0; i + wl <= len; i++)
        if ((i == 0 || head[i - 1] == '\n') && memcmp(head + i, w, wl) == 0)
            return true;
    return false;
}

static bool has_word(const char *head, size_t len, const char *w)
{
    size_t wl = strlen(w);
    size_t i;

    for (i = 0; i + wl <= len; i++)
        if (memcmp(head + i, w, wl) == 0)
            return true;
    return false;
}

int ps_sql_sniff(const char *head, size_t len)
{
    if (len > 16384)
        len = 16384;
    if (has_line(head, len, "-- MySQL dump") || has_word(head, len, "PostgreSQL database dump"))
        return 1;
    if (has_line(head, len, "INSERT INTO ") && has_word(head, len, "VALUES"))
        return 1;
    return (has_line(head, len, "COPY ") && has_word(head, len, "FROM stdin;")) ||
           has_line(head, len, "CREATE TABLE ");
}

static int bid_sql(const struct ps_kind *kind, const char *head, size_t len)
{
    if (!kind->is_text && !strstr(kind->mime, "sql"))
        return 0;
    if (strncmp(kind->charset, "utf-16", 6) == 0)
        return 0; /* leave UTF-16 to the text extractor's decoder */
    return ps_sql_sniff(head, len) ? 40 : 0;
}

static piiscan_status pump_feed(void *q, const char *buf, size_t len)
{
    return ps_sql_feed(q, buf, len);
}

static piiscan_status pump_finish(void *q)
{
    return ps_sql_finish(q);
}

static piiscan_status extract_sql(piiscan_scanner *sc, struct ps_input *in)
{
    struct ps_recsink_pipeline pipe;
    struct ps_recsink sink;
    struct ps_sql *q = NULL;
    piiscan_status rc;

    ps_recsink_pipeline_init(&pipe, sc, in->lpath, &sink);
    rc = ps_sql_new(&sink, &q);
    if (rc == PIISCAN_OK)
        rc = ps_recsink_pump(in->stream, q, pump_feed, pump_finish);
    ps_sql_free(q);
    return rc;
}

const struct ps_extractor ps_sql_extractor = {
    .name = "sql",
    .bid = bid_sql,
    .extract = extract_sql,
    .is_container = 0,
};
