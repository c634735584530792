/* report/csv.c - findings CSV writer (RFC 4180, formula-safe).
 *
 * Each row is assembled cell by cell: the raw bytes are masked (unless --reveal),
 * cleaned of control characters (report/mask.h), neutralised against spreadsheet
 * formula injection and quoted. Leaked data is hostile and legal teams open these
 * files in Excel: a cell "=HYPERLINK(...)" must stay text, so it is written as
 * "'=HYPERLINK(...)". Numbers the writer itself formats (confidence, line) are
 * plain. The writer holds nothing across rows except one scratch buffer.
 */
#include "report/csv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine/category.h"
#include "report/mask.h"

struct csv_sink {
    FILE *f;
    bool reveal;
};

static bool needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return true;
    }
    return false;
}

static bool is_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

size_t ps_csv_cell(const char *s, size_t n, char *out, size_t cap)
{
    bool quote = needs_quotes(s, n);
    size_t need = n + 1 + (is_formula_start(n > 0 ? s[0] : 'x') ? 1 : 0);
    size_t len = 0;

    for (size_t i = 0; quote && i < n; i++)
        need += s[i] == '"';
    need += quote ? 2 : 0;
    if (cap == 0)
        return 0;
    if (need > cap) {
        out[0] = '\0'; /* never a cut cell: the caller sized cap from n */
        return 0;
    }
    if (quote)
        out[len++] = '"';
    if (n > 0 && is_formula_start(s[0]))
        out[len++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (quote && s[i] == '"')
            out[len++] = '"';
        out[len++] = s[i];
    }
    if (quote)
        out[len++] = '"';
    out[len] = '\0';
    return len;
}

/* Writes one already-cleaned string cell followed by sep (',' or the row end). */
static bool put_cell(FILE *f, const char *s, size_t n, const char *sep)
{
    char stack[512];
    size_t cap = 2 * n + 4;
    char *buf = cap <= sizeof stack ? stack : malloc(cap);
    size_t len;
    bool is_ok;

    if (buf == NULL)
        return false;
    len = ps_csv_cell(s, n, buf, cap);
    is_ok = fwrite(buf, 1, len, f) == len && fputs(sep, f) >= 0;
    if (buf != stack)
        free(buf);
    return is_ok;
}

/* Cleans a plain string (path, field, rule) and writes it as a cell. */
static bool put_clean(FILE *f, const char *s, const char *sep)
{
    size_t n = strlen(s);
    char *buf = malloc(n + 1);
    size_t len;
    bool is_ok;

    if (buf == NULL)
        return false;
    len = ps_mask_clean(s, n, PS_CLEAN_FIELD, buf, n + 1);
    is_ok = put_cell(f, buf, len, sep);
    free(buf);
    return is_ok;
}

piiscan_status ps_csv_write_finding(FILE *f, const struct ps_rfinding *all, size_t n, size_t i,
                                    bool reveal)
{
    const struct ps_rfinding *r = &all[i];
    size_t vcap = ps_mask_cap(r->value_len, 1);
    size_t ccap = ps_mask_cap(r->context_len, PS_MASK_MAX_SPANS);
    char *val = malloc(vcap);
    char *ctx = malloc(ccap);
    const char *cat = ps_category_name(r->category);
    piiscan_status rc = PIISCAN_EIO;
    size_t vlen;
    size_t clen;
    bool is_ok;

    if (val == NULL || ctx == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    vlen = ps_mask_finding_value(r, reveal, val, vcap);
    clen = ps_mask_finding_context(all, n, i, reveal, ctx, ccap);
    is_ok = put_clean(f, ps_severity_name(r->severity), ",") &&
            put_clean(f, cat != NULL ? cat : "unknown", ",") && put_clean(f, r->rule_id, ",") &&
            fprintf(f, "%.2f,", r->confidence) > 0 && put_clean(f, r->lpath, ",");
    if (is_ok && r->line > 0)
        is_ok = fprintf(f, "%" PRIu64, r->line) > 0;
    is_ok = is_ok && fputc(',', f) != EOF && put_clean(f, r->field, ",") &&
            put_cell(f, val, vlen, ",") && put_cell(f, ctx, clen, ",") &&
            put_clean(f, r->record_id, "\r\n");
    if (is_ok)
        rc = PIISCAN_OK;
out:
    free(val);
    free(ctx);
    return rc;
}

static piiscan_status csv_begin(void *self, const struct ps_run_info *info)
{
    struct csv_sink *s = self;

    (void)info;
    if (fputs(PS_CSV_HEADER "\r\n", s->f) < 0)
        return PIISCAN_EIO;
    return PIISCAN_OK;
}

static piiscan_status csv_batch(void *self, const struct ps_batch *b)
{
    struct csv_sink *s = self;
    size_t n;
    const struct ps_rfinding *all = ps_batch_findings(b, &n);

    for (size_t i = 0; i < n; i++) {
        if (all[i].is_known)
            continue; /* --baseline: reported last time */
        piiscan_status rc = ps_csv_write_finding(s->f, all, n, i, s->reveal);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return ferror(s->f) ? PIISCAN_EIO : PIISCAN_OK;
}

static piiscan_status csv_end(void *self, const struct ps_run_end *end)
{
    struct csv_sink *s = self;

    (void)end;
    return fflush(s->f) == 0 && !ferror(s->f) ? PIISCAN_OK : PIISCAN_EIO;
}

piiscan_status ps_csv_sink(FILE *f, bool reveal, struct ps_sink *out)
{
    struct csv_sink *s = calloc(1, sizeof *s);

    memset(out, 0, sizeof *out);
    if (s == NULL)
        return PIISCAN_ENOMEM;
    s->f = f;
    s->reveal = reveal;
    out->self = s;
    out->begin = csv_begin;
    out->batch = csv_batch;
    out->end = csv_end;
    out->free = free;
    return PIISCAN_OK;
}
