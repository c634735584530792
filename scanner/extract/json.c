/* extract/json.c - streaming JSON / NDJSON to records.
 *
 * Two layers. The lexer eats one byte at a time and produces tokens (braces,
 * brackets, colon, comma, string, number, literal); strings are unescaped into a
 * capped token buffer (\uXXXX with surrogate pairs to UTF-8, anything broken to
 * U+FFFD). The parser keeps a bounded stack of containers and checks the
 * grammar; its side effect is the record model described in json.h: a record
 * frame owns a ps_rowbuf, a flattened object only extends the key path.
 *
 * Hostile input: nesting is capped (PS_MAX_NESTING), so are tokens, cells and
 * key paths. On a syntax error the parser warns once with the line, emits the
 * records it has open (what was readable is scanned), hands the rest of that
 * line - from the offending token on - to the sink as plain text, and
 * resynchronises at the next newline as if a new NDJSON value started there.
 * A line that does not open an object or array at the top level (a log line
 * after an export, "key: value" notes) is plain text too, without a warning:
 * nothing in a file bid as JSON goes unscanned because it is not JSON.
 */
#include "extract/json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"

#define MAX_RECORD_LEVELS 16u
#define MAX_PATH_BYTES 512u

enum lex_state { LX_WS = 0, LX_STR, LX_ESC, LX_UHEX, LX_NUM, LX_LIT, LX_TEXTLINE };

enum frame_kind { FR_OBJ = 0, FR_ARR };
/* what an object frame expects next */
enum obj_state { OB_KEY_OR_END = 0, OB_KEY, OB_COLON, OB_VALUE, OB_COMMA_OR_END };
enum arr_state { AR_VALUE_OR_END = 0, AR_VALUE, AR_COMMA_OR_END };

struct frame {
    enum frame_kind kind;
    int state;
    int record_level; /* index into rows[] this frame's scalars go to; -1 none */
    bool is_record;   /* this object opened its own record */
    size_t base_len;  /* key path its keys extend ("address" for address.city) */
    size_t saved_len; /* key path length to restore when it closes */
};

struct ps_json {
    struct ps_recsink sink;
    enum lex_state lex;
    char tok[PS_MAX_CELL_BYTES];
    size_t tok_len;
    bool tok_cut;
    unsigned uhex_n;
    unsigned uhex;
    unsigned hi_surrogate;
    bool str_is_key;

    struct frame stack[PS_MAX_NESTING];
    unsigned depth;
    bool want_value_top; /* at top level, between values */

    struct ps_rowbuf rows[MAX_RECORD_LEVELS];
    bool rows_ready[MAX_RECORD_LEVELS];
    uint64_t row_line[MAX_RECORD_LEVELS];
    int nrows; /* open record levels */

    char path[MAX_PATH_BYTES];
    size_t path_len;

    char text[PS_MAX_CELL_BYTES]; /* a line read as plain text, up to its end */
    size_t text_len;
    uint64_t text_line;

    uint64_t line;
    uint64_t records;
    bool warned_syntax;
    bool warned_cut;
    piiscan_status fatal;
};

piiscan_status ps_json_new(const struct ps_recsink *sink, struct ps_json **out)
{
    struct ps_json *j = calloc(1, sizeof(*j));

    *out = NULL;
    if (!j)
        return PIISCAN_ENOMEM;
    j->sink = *sink;
    j->line = 1;
    j->want_value_top = true;
    *out = j;
    return PIISCAN_OK;
}

void ps_json_free(struct ps_json *j)
{
    unsigned i;

    if (!j)
        return;
    for (i = 0; i < MAX_RECORD_LEVELS; i++)
        if (j->rows_ready[i])
            ps_rowbuf_free(&j->rows[i]);
    free(j);
}

static void warn_once(struct ps_json *j, bool *flag, piiscan_status st, const char *msg)
{
    if (*flag)
        return;
    *flag = true;
    j->sink.warn(j->sink.ctx, st, msg);
}

/* ---- records ---------------------------------------------------------- */

static piiscan_status open_record(struct ps_json *j, int *level)
{
    int l;

    if (j->nrows >= (int)MAX_RECORD_LEVELS) {
        *level = j->nrows - 1; /* too deep: flatten into the innermost */
        return PIISCAN_OK;
    }
    l = j->nrows;
    if (!j->rows_ready[l]) {
        if (ps_rowbuf_init(&j->rows[l]) != PIISCAN_OK)
            return PIISCAN_ENOMEM;
        j->rows_ready[l] = true;
    }
    ps_rowbuf_clear(&j->rows[l]);
    j->row_line[l] = j->line;
    j->nrows++;
    *level = l;
    return PIISCAN_OK;
}

static piiscan_status close_record(struct ps_json *j)
{
    int l = j->nrows - 1;
    piiscan_status rc;

    if (l < 0)
        return PIISCAN_OK;
    if (j->rows[l].is_truncated)
        warn_once(j, &j->warned_cut, PIISCAN_ELIMIT,
                  "record cut: more cells or bytes than a record may hold");
    /* numbered as emitted (an inner record closes first), so record numbers only
     * grow and the record stage can let go of every record but the last */
    rc = ps_rowbuf_emit(&j->rows[l], &j->sink, NULL, j->row_line[l],
                        j->rows[l].n > 0 ? ++j->records : j->records);
    j->nrows--;
    return rc;
}

/* A scalar (string or number text in tok) at the current position. */
static piiscan_status add_scalar(struct ps_json *j)
{
    const struct frame *f = j->depth ? &j->stack[j->depth - 1] : NULL;
    const char *head = j->path_len ? j->path : NULL;
    int level;
    piiscan_status rc;

    if (j->tok_len == 0)
        return PIISCAN_OK;
    if (f && f->record_level >= 0) {
        ps_rowbuf_add(&j->rows[f->record_level], head, j->path_len, j->tok, j->tok_len);
        return PIISCAN_OK;
    }
    /* a scalar outside any object: a record of its own */
    rc = open_record(j, &level);
    if (rc != PIISCAN_OK)
        return rc;
    ps_rowbuf_add(&j->rows[level], head, j->path_len, j->tok, j->tok_len);
    return close_record(j);
}

/* ---- key path ---------------------------------------------------------- */

static void path_set_key(struct ps_json *j, size_t base)
{
    size_t n = j->tok_len;

    j->path_len = base;
    if (base && base + 1 < MAX_PATH_BYTES)
        j->path[j->path_len++] = '.';
    if (n > MAX_PATH_BYTES - 1 - j->path_len)
        n = MAX_PATH_BYTES - 1 - j->path_len;
    memcpy(j->path + j->path_len, j->tok, n);
    j->path_len += n;
    j->path[j->path_len] = '\0';
}

/* ---- grammar ----------------------------------------------------------- */

/* Hands the plain text collected so far to the sink (nothing for blanks). */
static piiscan_status flush_text(struct ps_json *j)
{
    size_t n = j->text_len;
    size_t i = 0;

    j->text_len = 0;
    while (i < n && (j->text[i] == ' ' || j->text[i] == '\t' || j->text[i] == '\r'))
        i++;
    if (i == n)
        return PIISCAN_OK;
    ps_utf8_scrub(j->text, n);
    return j->sink.text(j->sink.ctx, NULL, j->text_line, ++j->records, j->text, n);
}

static piiscan_status text_putc(struct ps_json *j, char c)
{
    if (j->text_len == sizeof(j->text)) {
        /* a huge line goes in pieces, cut where no value is split */
        size_t cut = ps_text_split_point(j->text, j->text_len);
        size_t rest = j->text_len - cut;
        piiscan_status rc;

        j->text_len = cut;
        rc = flush_text(j);
        memmove(j->text, j->text + cut, rest);
        j->text_len = rest;
        if (rc != PIISCAN_OK)
            return rc;
    }
    j->text[j->text_len++] = c;
    return PIISCAN_OK;
}

/* Reads the rest of the line as plain text, starting with lead (n bytes). */
static piiscan_status begin_text_line(struct ps_json *j, const char *lead, size_t n)
{
    piiscan_status rc = PIISCAN_OK;

    j->lex = LX_TEXTLINE;
    j->text_len = 0;
    j->text_line = j->line;
    for (size_t i = 0; i < n && rc == PIISCAN_OK; i++)
        rc = text_putc(j, lead[i]);
    return rc;
}

/* lead: the bytes of the offending token, where the plain text starts. */
static piiscan_status syntax_error(struct ps_json *j, const char *what, const char *lead,
                                   size_t n)
{
    char msg[200];
    piiscan_status rc = PIISCAN_OK;

    snprintf(msg, sizeof(msg),
             "malformed JSON at line %llu: %s; the rest of that line (and of any later "
             "malformed line) is scanned as plain text",
             (unsigned long long)j->line, what);
    warn_once(j, &j->warned_syntax, PIISCAN_ECORRUPT, msg);
    while (j->nrows > 0 && rc == PIISCAN_OK)
        rc = close_record(j);
    j->depth = 0;
    j->path_len = 0;
    j->want_value_top = true;
    return rc == PIISCAN_OK ? begin_text_line(j, lead, n) : rc;
}

/* A value is about to start: is one allowed here? Moves the container's state on. */
static bool value_allowed(struct ps_json *j)
{
    struct frame *f;

    if (j->depth == 0)
        return j->want_value_top;
    f = &j->stack[j->depth - 1];
    if (f->kind == FR_OBJ && f->state == OB_VALUE) {
        f->state = OB_COMMA_OR_END;
        return true;
    }
    if (f->kind == FR_ARR && (f->state == AR_VALUE_OR_END || f->state == AR_VALUE)) {
        f->state = AR_COMMA_OR_END;
        return true;
    }
    return false;
}

static piiscan_status begin_container(struct ps_json *j, enum frame_kind kind)
{
    const struct frame *parent = j->depth ? &j->stack[j->depth - 1] : NULL;
    struct frame *f;
    piiscan_status rc;

    if (!value_allowed(j))
        return syntax_error(j, kind == FR_OBJ ? "unexpected '{'" : "unexpected '['",
                            kind == FR_OBJ ? "{" : "[", 1);
    if (j->depth >= PS_MAX_NESTING) {
        warn_once(j, &j->warned_cut, PIISCAN_ELIMIT, "nested deeper than 256 levels");
        return syntax_error(j, "nesting limit", kind == FR_OBJ ? "{" : "[", 1);
    }
    f = &j->stack[j->depth++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->record_level = parent ? parent->record_level : -1;
    f->saved_len = j->path_len;
    f->base_len = j->path_len;
    if (kind == FR_OBJ && (!parent || parent->kind == FR_ARR)) {
        rc = open_record(j, &f->record_level);
        if (rc != PIISCAN_OK)
            return rc;
        f->is_record = true;
        f->base_len = 0; /* a record's own keys are its headers */
        j->path_len = 0;
    }
    if (j->depth == 1)
        j->want_value_top = false;
    return PIISCAN_OK;
}

static piiscan_status end_container(struct ps_json *j, enum frame_kind kind)
{
    struct frame *f = j->depth ? &j->stack[j->depth - 1] : NULL;
    bool ok;
    piiscan_status rc = PIISCAN_OK;

    if (!f || f->kind != kind)
        return syntax_error(j, kind == FR_OBJ ? "unexpected '}'" : "unexpected ']'",
                            kind == FR_OBJ ? "}" : "]", 1);
    ok = kind == FR_OBJ ? (f->state == OB_KEY_OR_END || f->state == OB_COMMA_OR_END)
                        : (f->state == AR_VALUE_OR_END || f->state == AR_COMMA_OR_END);
    if (!ok)
        return syntax_error(j, "container closed early", kind == FR_OBJ ? "}" : "]", 1);
    if (f->is_record)
        rc = close_record(j);
    j->depth--;
    j->path_len = f->saved_len; /* the parent's key path, as it was */
    j->path[j->path_len] = '\0';
    if (j->depth == 0)
        j->want_value_top = true;
    return rc;
}

static piiscan_status on_string(struct ps_json *j)
{
    struct frame *f = j->depth ? &j->stack[j->depth - 1] : NULL;

    if (f && f->kind == FR_OBJ && (f->state == OB_KEY_OR_END || f->state == OB_KEY)) {
        path_set_key(j, f->base_len);
        f->state = OB_COLON;
        return PIISCAN_OK;
    }
    if (!value_allowed(j))
        return syntax_error(j, "unexpected string", j->tok, j->tok_len);
    return add_scalar(j);
}

static piiscan_status on_scalar_word(struct ps_json *j, bool is_number)
{
    if (!value_allowed(j))
        return syntax_error(j, "unexpected value", j->tok, j->tok_len);
    if (!is_number)
        return PIISCAN_OK; /* true / false / null carry no PII */
    return add_scalar(j);
}

static piiscan_status on_punct(struct ps_json *j, char c)
{
    struct frame *f = j->depth ? &j->stack[j->depth - 1] : NULL;

    switch (c) {
    case '{':
        return begin_container(j, FR_OBJ);
    case '[':
        return begin_container(j, FR_ARR);
    case '}':
        return end_container(j, FR_OBJ);
    case ']':
        return end_container(j, FR_ARR);
    case ':':
        if (!f || f->kind != FR_OBJ || f->state != OB_COLON)
            return syntax_error(j, "unexpected ':'", &c, 1);
        f->state = OB_VALUE;
        return PIISCAN_OK;
    case ',':
        if (f && f->kind == FR_OBJ && f->state == OB_COMMA_OR_END) {
            f->state = OB_KEY;
            return PIISCAN_OK;
        }
        if (f && f->kind == FR_ARR && f->state == AR_COMMA_OR_END) {
            f->state = AR_VALUE;
            return PIISCAN_OK;
        }
        return syntax_error(j, "unexpected ','", &c, 1);
    default:
        return syntax_error(j, "unexpected character", &c, 1);
    }
}

/* ---- lexer ------------------------------------------------------------- */

static void tok_putc(struct ps_json *j, char c)
{
    if (j->tok_len + 1 < sizeof(j->tok))
        j->tok[j->tok_len++] = c;
    else
        j->tok_cut = true;
}

static void tok_put_cp(struct ps_json *j, unsigned cp)
{
    if (cp < 0x80) {
        tok_putc(j, (char)cp);
    } else if (cp < 0x800) {
        tok_putc(j, (char)(0xC0 | (cp >> 6)));
        tok_putc(j, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        tok_putc(j, (char)(0xE0 | (cp >> 12)));
        tok_putc(j, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tok_putc(j, (char)(0x80 | (cp & 0x3F)));
    } else {
        tok_putc(j, (char)(0xF0 | (cp >> 18)));
        tok_putc(j, (char)(0x80 | ((cp >> 12) & 0x3F)));
        tok_putc(j, (char)(0x80 | ((cp >> 6) & 0x3F)));
        tok_putc(j, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \uXXXX complete: pair surrogates, U+FFFD for a lone one. */
static void on_uhex(struct ps_json *j)
{
    unsigned u = j->uhex;

    if (u >= 0xD800 && u <= 0xDBFF) {
        if (j->hi_surrogate)
            tok_put_cp(j, 0xFFFD);
        j->hi_surrogate = u;
        return;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) {
        if (j->hi_surrogate)
            tok_put_cp(j, 0x10000 + ((j->hi_surrogate - 0xD800) << 10) + (u - 0xDC00));
        else
            tok_put_cp(j, 0xFFFD);
        j->hi_surrogate = 0;
        return;
    }
    if (j->hi_surrogate)
        tok_put_cp(j, 0xFFFD);
    j->hi_surrogate = 0;
    tok_put_cp(j, u);
}

static piiscan_status end_string(struct ps_json *j)
{
    if (j->hi_surrogate)
        tok_put_cp(j, 0xFFFD);
    j->hi_surrogate = 0;
    j->tok[j->tok_len] = '\0';
    if (j->tok_cut)
        warn_once(j, &j->warned_cut, PIISCAN_ELIMIT, "string longer than 64 KiB cut");
    j->lex = LX_WS;
    return on_string(j);
}

static char escape_char(char c)
{
    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    default:
        return c; /* \" \\ \/ and anything lenient */
    }
}

static bool is_word_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

/* End of a number or literal word in tok. */
static piiscan_status end_word(struct ps_json *j)
{
    bool is_number;

    j->tok[j->tok_len] = '\0';
    j->lex = LX_WS;
    is_number = j->tok[0] == '-' || (j->tok[0] >= '0' && j->tok[0] <= '9');
    if (!is_number && strcmp(j->tok, "true") != 0 && strcmp(j->tok, "false") != 0 &&
        strcmp(j->tok, "null") != 0)
        return syntax_error(j, "unknown literal", j->tok, j->tok_len);
    return on_scalar_word(j, is_number);
}

static piiscan_status lex_ws(struct ps_json *j, char c)
{
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return PIISCAN_OK;
    if (c == '\xEF' || c == '\xBB' || c == '\xBF')
        return PIISCAN_OK; /* a UTF-8 BOM */
    if (j->depth == 0 && c != '{' && c != '[')
        return begin_text_line(j, &c, 1); /* not a JSON value: a line of text */
    if (c == '"') {
        j->lex = LX_STR;
        j->tok_len = 0;
        j->tok_cut = false;
        j->hi_surrogate = 0;
        return PIISCAN_OK;
    }
    if (is_word_char(c)) {
        j->lex = (c == '-' || (c >= '0' && c <= '9')) ? LX_NUM : LX_LIT;
        j->tok_len = 0;
        tok_putc(j, c);
        return PIISCAN_OK;
    }
    return on_punct(j, c);
}

static piiscan_status lex_byte(struct ps_json *j, char c)
{
    int h;

    switch (j->lex) {
    case LX_TEXTLINE:
        if (c != '\n')
            return text_putc(j, c);
        j->lex = LX_WS;
        return flush_text(j);
    case LX_WS:
        return lex_ws(j, c);
    case LX_STR:
        if (c == '"')
            return end_string(j);
        if (c == '\\')
            j->lex = LX_ESC;
        else
            tok_putc(j, c);
        return PIISCAN_OK;
    case LX_ESC:
        if (c == 'u') {
            j->lex = LX_UHEX;
            j->uhex = 0;
            j->uhex_n = 0;
            return PIISCAN_OK;
        }
        tok_putc(j, escape_char(c));
        j->lex = LX_STR;
        return PIISCAN_OK;
    case LX_UHEX:
        h = hexval(c);
        if (h < 0) {
            tok_put_cp(j, 0xFFFD);
            j->lex = LX_STR;
            return c == '"' ? end_string(j) : PIISCAN_OK;
        }
        j->uhex = (j->uhex << 4) | (unsigned)h;
        if (++j->uhex_n == 4) {
            on_uhex(j);
            j->lex = LX_STR;
        }
        return PIISCAN_OK;
    case LX_NUM:
    case LX_LIT:
        if (is_word_char(c)) {
            tok_putc(j, c);
            return PIISCAN_OK;
        }
        {
            piiscan_status rc = end_word(j);

            if (rc != PIISCAN_OK)
                return rc;
        }
        /* the byte after the word: JSON again, or part of a line now read as text */
        return j->lex == LX_WS ? lex_ws(j, c) : lex_byte(j, c);
    }
    return PIISCAN_OK;
}

piiscan_status ps_json_feed(struct ps_json *j, const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        piiscan_status rc = lex_byte(j, buf[i]);

        if (rc != PIISCAN_OK)
            return rc;
        if (buf[i] == '\n')
            j->line++;
    }
    return PIISCAN_OK;
}

piiscan_status ps_json_finish(struct ps_json *j)
{
    piiscan_status rc = PIISCAN_OK;

    if (j->lex == LX_NUM || j->lex == LX_LIT)
        rc = end_word(j);
    if (rc == PIISCAN_OK && j->lex == LX_TEXTLINE)
        rc = flush_text(j);
    if (rc != PIISCAN_OK)
        return rc;
    if (j->depth > 0 || j->lex == LX_STR || j->lex == LX_ESC || j->lex == LX_UHEX) {
        char msg[128];

        snprintf(msg, sizeof(msg), "truncated JSON: input ends inside a value at line %llu",
                 (unsigned long long)j->line);
        warn_once(j, &j->warned_syntax, PIISCAN_ECORRUPT, msg);
    }
    while (j->nrows > 0 && rc == PIISCAN_OK)
        rc = close_record(j);
    return rc;
}

/* ---- extractor --------------------------------------------------------- */

static const char *first_non_space(const char *s, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i < len ? s + i : NULL;
}

static int bid_json(const struct ps_kind *kind, const char *head, size_t len)
{
    const char *p = first_non_space(head, len);

    if (!p || (*p != '{' && *p != '['))
        return 0;
    if (strstr(kind->mime, "json"))
        return 80;
    /* libmagic calls JSON plain text when the sniffed head cuts it (a big export:
     * the head is not a whole document) or for NDJSON; an object with a key, or an
     * array of objects, arrays or strings, is JSON enough to try */
    if (!kind->is_text)
        return 0;
    if (*p == '{' && memchr(p, '"', (size_t)(head + len - p)) != NULL)
        return 30;
    if (*p == '[') {
        const char *q = first_non_space(p + 1, (size_t)(head + len - p - 1));
        if (q != NULL && (*q == '{' || *q == '[' || *q == '"'))
            return 30;
    }
    return 0;
}

static piiscan_status pump_feed(void *j, const char *buf, size_t len)
{
    return ps_json_feed(j, buf, len);
}

static piiscan_status pump_finish(void *j)
{
    return ps_json_finish(j);
}

static piiscan_status extract_json(piiscan_scanner *sc, struct ps_input *in)
{
    struct ps_recsink_pipeline pipe;
    struct ps_recsink sink;
    struct ps_json *j = NULL;
    piiscan_status rc;

    ps_recsink_pipeline_init(&pipe, sc, in->lpath, &sink);
    rc = ps_json_new(&sink, &j);
    if (rc == PIISCAN_OK)
        rc = ps_recsink_pump(in->stream, j, pump_feed, pump_finish);
    ps_json_free(j);
    return rc;
}

const struct ps_extractor ps_json_extractor = {
    .name = "json",
    .bid = bid_json,
    .extract = extract_json,
    .is_container = 0,
};
