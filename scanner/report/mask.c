/* report/mask.c - per-category masking of values and context windows, and
 * cleaning of dump text before it reaches a report or a terminal.
 *
 * Input is UTF-8 as the engine delivers it, but nothing here trusts that: a
 * byte that does not start a valid sequence counts as one character. Masking
 * works on characters (code points), so a masked name has one '*' per letter
 * whatever its encoding length, and a multi-byte character is never cut in half.
 * Rules per category (DESIGN.md, "masked by default"):
 *   ssn, itin, credit_card, bank_account, phone: every digit but the last four
 *       becomes '*', separators stay (***-**-6789, (***) ***-0143);
 *   email: first character of the local part + "***" + "@domain";
 *   dob: the year (the last run of four digits) stays, other letters/digits '*';
 *   name: the first letter of each word stays, other letters '*';
 *   salary: a currency prefix stays, the amount becomes a fixed "*******" so its
 *       magnitude does not leak through its length;
 *   anything else: every character but the last two becomes '*'.
 * All writers are bounded by cap; the output is always NUL-terminated.
 */
#include "report/mask.h"
#include "util/utf8.h"

#include "report/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SAFETY_DIGIT_RUN 6u /* unclaimed digit group runs with this many digits: starred */
#define MAX_GROUP_SEP 2u    /* separators between two digit groups of one run: ") " */
#define SALARY_STARS "*******"
#define MAX_SALARY_PREFIX 8u

/* A bounded writer: keeps room for the NUL, drops what does not fit. */
struct wr {
    char *p;
    size_t len;
    size_t cap;
    bool is_full; /* something did not fit: write nothing more (no half characters) */
};

static void wr_init(struct wr *w, char *out, size_t cap)
{
    w->p = out;
    w->len = 0;
    w->cap = cap;
    w->is_full = cap == 0;
    if (cap > 0)
        out[0] = '\0';
}

static void wr_bytes(struct wr *w, const char *s, size_t n)
{
    if (w->is_full)
        return;
    /* Never write a partial character: if it does not fit, stop here. */
    if (n >= w->cap - w->len) {
        w->is_full = true;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
    w->p[w->len] = '\0';
}

static void wr_char(struct wr *w, char c)
{
    wr_bytes(w, &c, 1);
}

/* Length of the character at s, counting an invalid byte as one character. */
static size_t char_len(const char *s, size_t n)
{
    size_t l = ps_utf8_decode((const unsigned char *)s, n, NULL);
    return l == 0 ? 1 : l;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Letters and digits in ASCII, and any non-ASCII character (accented letters). */
static bool is_wordish(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return is_digit((char)c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static size_t count_chars(const char *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i += char_len(v + i, n - i))
        k++;
    return k;
}

/* Every digit but the last `keep` becomes '*'; other characters stay. */
static void mask_digits_keep_last(struct wr *w, const char *v, size_t n, size_t keep)
{
    size_t digits = 0;
    size_t seen = 0;

    for (size_t i = 0; i < n; i++)
        digits += is_digit(v[i]);
    for (size_t i = 0; i < n;) {
        size_t l = char_len(v + i, n - i);
        if (l == 1 && is_digit(v[i])) {
            seen++;
            wr_char(w, seen + keep > digits ? v[i] : '*');
        } else {
            wr_bytes(w, v + i, l);
        }
        i += l;
    }
}

/* Every character but the last `keep` becomes '*'. */
static void mask_keep_last_chars(struct wr *w, const char *v, size_t n, size_t keep)
{
    size_t total = count_chars(v, n);
    size_t k = 0;

    for (size_t i = 0; i < n;) {
        size_t l = char_len(v + i, n - i);
        k++;
        if (k + keep > total)
            wr_bytes(w, v + i, l);
        else
            wr_char(w, '*');
        i += l;
    }
}

static void mask_email(struct wr *w, const char *v, size_t n)
{
    const char *at = NULL;

    for (size_t i = 0; i < n; i++) {
        if (v[i] == '@')
            at = v + i;
    }
    if (at == NULL || at == v) {
        mask_keep_last_chars(w, v, n, 2);
        return;
    }
    wr_bytes(w, v, char_len(v, (size_t)(at - v)));
    wr_bytes(w, "***", 3);
    wr_bytes(w, at, n - (size_t)(at - v));
}

/* Keeps the first character of each word; word characters after it become '*'. */
static void mask_name(struct wr *w, const char *v, size_t n)
{
    bool in_word = false;

    for (size_t i = 0; i < n;) {
        size_t l = char_len(v + i, n - i);
        if (!is_wordish(v + i)) {
            wr_bytes(w, v + i, l);
            in_word = false;
        } else if (!in_word) {
            wr_bytes(w, v + i, l);
            in_word = true;
        } else {
            wr_char(w, '*');
        }
        i += l;
    }
}

/* Keeps the year: the last run of exactly four digits (or, failing that, the last
 * digit run, for 04/12/67). Every other letter or digit becomes '*'. */
static void mask_dob(struct wr *w, const char *v, size_t n)
{
    size_t keep_at = n;
    size_t keep_len = 0;
    size_t last_at = n;
    size_t last_len = 0;

    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && is_digit(v[j]))
            j++;
        if (j > i) {
            if (j - i == 4) {
                keep_at = i;
                keep_len = 4;
            }
            last_at = i;
            last_len = j - i;
            i = j;
        } else {
            i++;
        }
    }
    if (keep_len == 0 && last_len < n) {
        keep_at = last_at;
        keep_len = last_len;
    }
    for (size_t i = 0; i < n;) {
        size_t l = char_len(v + i, n - i);
        if (i >= keep_at && i < keep_at + keep_len)
            wr_bytes(w, v + i, l);
        else if (is_wordish(v + i))
            wr_char(w, '*');
        else
            wr_bytes(w, v + i, l);
        i += l;
    }
}

/* A currency prefix ("$", "USD ", "€") stays; the amount is a fixed run of stars. */
static void mask_salary(struct wr *w, const char *v, size_t n)
{
    size_t p = 0;

    while (p < n && p < MAX_SALARY_PREFIX && !is_digit(v[p]))
        p += char_len(v + p, n - p);
    if (p > MAX_SALARY_PREFIX || p == n)
        p = 0;
    wr_bytes(w, v, p);
    wr_bytes(w, SALARY_STARS, sizeof SALARY_STARS - 1);
}

size_t ps_mask_cap(size_t n, size_t nspans)
{
    /* A masked value grows by at most max(3 for "***" in email, 7 salary stars). */
    return n + (nspans + 1) * (sizeof SALARY_STARS + 8) + 1;
}

static void mask_value_into(struct wr *w, piiscan_category cat, const char *v, size_t n)
{
    switch (cat) {
    case PIISCAN_CAT_SSN:
    case PIISCAN_CAT_ITIN:
    case PIISCAN_CAT_CREDIT_CARD:
    case PIISCAN_CAT_BANK_ACCOUNT:
    case PIISCAN_CAT_PHONE:
        mask_digits_keep_last(w, v, n, 4);
        break;
    case PIISCAN_CAT_EMAIL:
        mask_email(w, v, n);
        break;
    case PIISCAN_CAT_NAME:
        mask_name(w, v, n);
        break;
    case PIISCAN_CAT_DOB:
        mask_dob(w, v, n);
        break;
    case PIISCAN_CAT_SALARY:
        mask_salary(w, v, n);
        break;
    default:
        mask_keep_last_chars(w, v, n, 2);
        break;
    }
}

size_t ps_mask_value(piiscan_category cat, const char *v, size_t n, char *out, size_t cap)
{
    struct wr w;

    wr_init(&w, out, cap);
    mask_value_into(&w, cat, v, n);
    return w.len;
}

static int span_cmp(const void *a, const void *b)
{
    const struct ps_mask_span *x = a;
    const struct ps_mask_span *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* The longer span first, so a span inside another one is merged away. */
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return 0;
}

static bool is_group_sep(char c)
{
    return c == '-' || c == '.' || c == '/' || c == ' ' || c == ',' || c == '(' || c == ')';
}

/* End of the digit group run starting at ctx[i] (a digit): digits joined by at most
 * MAX_GROUP_SEP separators (dates, spaced card numbers, phone numbers, amounts).
 * *digits gets the number of digits in it. The run ends on its last digit. */
static size_t group_run_end(const char *ctx, size_t i, size_t to, size_t *digits)
{
    size_t end = i;

    *digits = 0;
    while (i < to && is_digit(ctx[i])) {
        size_t k = 0;
        while (i < to && is_digit(ctx[i])) {
            i++;
            (*digits)++;
        }
        end = i;
        while (i + k < to && k < MAX_GROUP_SEP && is_group_sep(ctx[i + k]))
            k++;
        if (k == 0 || i + k >= to || !is_digit(ctx[i + k]))
            break;
        i += k;
    }
    return end;
}

/* Copies ctx[from, to); the safety net: a digit group run holding SAFETY_DIGIT_RUN or
 * more digits that no finding claimed has its digits starred (separators stay). A run
 * touching the edges of the segment is judged within the segment only. */
static void copy_gap(struct wr *w, const char *ctx, size_t from, size_t to)
{
    size_t i = from;

    while (i < to) {
        size_t digits;
        size_t end;
        if (!is_digit(ctx[i])) {
            wr_char(w, ctx[i]);
            i++;
            continue;
        }
        end = group_run_end(ctx, i, to, &digits);
        if (digits < SAFETY_DIGIT_RUN) {
            wr_bytes(w, ctx + i, end - i);
        } else {
            for (size_t k = i; k < end; k++)
                wr_char(w, is_digit(ctx[k]) ? '*' : ctx[k]);
        }
        i = end;
    }
}

size_t ps_mask_context(const char *ctx, size_t n, struct ps_mask_span *spans, size_t nspans,
                       char *out, size_t cap)
{
    struct wr w;
    size_t pos = 0;

    wr_init(&w, out, cap);
    if (nspans > 0)
        qsort(spans, nspans, sizeof *spans, span_cmp);
    for (size_t i = 0; i < nspans; i++) {
        size_t s = spans[i].start;
        size_t e = s + spans[i].len;
        if (s >= n || spans[i].len == 0)
            continue;
        if (e > n || e < s)
            e = n;
        if (s < pos) {
            /* Overlaps what was already masked: star the part that sticks out. */
            for (size_t k = pos; k < e; k += char_len(ctx + k, e - k))
                wr_char(&w, '*');
            pos = e > pos ? e : pos;
            continue;
        }
        copy_gap(&w, ctx, pos, s);
        mask_value_into(&w, spans[i].cat, ctx + s, e - s);
        pos = e;
    }
    copy_gap(&w, ctx, pos, n);
    return w.len;
}

/* True for the invisible characters that reorder text on display (Trojan Source). */
static bool is_bidi_control(const unsigned char *s, size_t l)
{
    uint32_t cp;

    if (l != 3)
        return false;
    cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t ps_mask_clean(const char *s, size_t n, enum ps_clean_mode mode, char *out, size_t cap)
{
    struct wr w;
    const unsigned char *u = (const unsigned char *)s;

    wr_init(&w, out, cap);
    for (size_t i = 0; i < n;) {
        size_t l = ps_utf8_decode(u + i, n - i, NULL);
        if (l == 0) {
            wr_char(&w, '?');
            i++;
        } else if (l == 1 && (u[i] < 0x20 || u[i] == 0x7F)) {
            bool ws = u[i] == '\t' || u[i] == '\n' || u[i] == '\r' || u[i] == '\v' || u[i] == '\f';
            wr_char(&w, ws && mode == PS_CLEAN_CONTEXT ? ' ' : '?');
            i++;
        } else if ((l == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0) || is_bidi_control(u + i, l)) {
            wr_char(&w, '?'); /* C1 control (U+0080-U+009F) or bidi override */
            i += l;
        } else {
            wr_bytes(&w, s + i, l);
            i += l;
        }
    }
    return w.len;
}

/* ---- findings (report/store.h) ---------------------------------------------------- */

#define NEIGHBOUR_STEPS 64u /* findings looked at on each side of a finding */

size_t ps_mask_finding_value(const struct ps_rfinding *f, bool reveal, char *out, size_t cap)
{
    size_t mcap = ps_mask_cap(f->value_len, 1);
    char *tmp;
    size_t len;

    if (reveal)
        return ps_mask_clean(f->value, f->value_len, PS_CLEAN_FIELD, out, cap);
    tmp = malloc(mcap);
    if (tmp == NULL) {
        /* No memory for the scratch copy: never fall back to the clear value. */
        return ps_mask_value(PIISCAN_CAT_COUNT, "", 0, out, cap);
    }
    len = ps_mask_value(f->category, f->value, f->value_len, tmp, mcap);
    len = ps_mask_clean(tmp, len, PS_CLEAN_FIELD, out, cap);
    free(tmp);
    return len;
}

/* Adds the spans where value v occurs in ctx (a fallback when offsets do not map). */
static size_t find_value_spans(const char *ctx, size_t n, const char *v, size_t vlen,
                               piiscan_category cat, struct ps_mask_span *sp, size_t nsp)
{
    if (vlen == 0 || vlen > n)
        return nsp;
    for (size_t p = 0; p + vlen <= n && nsp < PS_MASK_MAX_SPANS; p++) {
        if (memcmp(ctx + p, v, vlen) == 0) {
            sp[nsp].start = p;
            sp[nsp].len = vlen;
            sp[nsp].cat = cat;
            nsp++;
            p += vlen - 1;
        }
    }
    return nsp;
}

/* Span of finding g inside the context window of f (window starts at stream offset
 * ws), when g's bytes are really there (the part inside the window, if clipped). */
static size_t add_neighbour(const struct ps_rfinding *f, uint64_t ws, const struct ps_rfinding *g,
                            struct ps_mask_span *sp, size_t nsp)
{
    uint64_t we = ws + f->context_len;
    uint64_t gs = g->offset;
    uint64_t ge = g->offset + g->value_len;
    uint64_t s = gs > ws ? gs : ws;
    uint64_t e = ge < we ? ge : we;

    if (nsp >= PS_MASK_MAX_SPANS || g->value_len == 0)
        return nsp;
    if (s < e && memcmp(f->context + (s - ws), g->value + (s - gs), (size_t)(e - s)) == 0) {
        sp[nsp].start = (size_t)(s - ws);
        sp[nsp].len = (size_t)(e - s);
        sp[nsp].cat = g->category;
        return nsp + 1;
    }
    /* Offsets do not map onto this context (a table row, a rebuilt window): search,
     * but only for values of the same line (a row), or it would cost O(window) each. */
    if (g->line == f->line)
        return find_value_spans(f->context, f->context_len, g->value, g->value_len, g->category, sp,
                                nsp);
    return nsp;
}

/* True when g lies wholly outside f's context window (stream offsets, window at ws). */
static bool is_far(const struct ps_rfinding *f, uint64_t ws, const struct ps_rfinding *g)
{
    return g->offset + g->value_len <= ws || g->offset >= ws + f->context_len;
}

static size_t collect_spans(const struct ps_rfinding *all, size_t n, size_t i,
                            struct ps_mask_span *sp)
{
    const struct ps_rfinding *f = &all[i];
    size_t nsp = 0;
    uint64_t ws = f->offset >= f->value_in_context ? f->offset - f->value_in_context : 0;
    size_t vic = f->value_in_context;

    if (vic <= f->context_len && f->value_len <= f->context_len - vic &&
        memcmp(f->context + vic, f->value, f->value_len) == 0) {
        sp[nsp].start = vic;
        sp[nsp].len = f->value_len;
        sp[nsp].cat = f->category;
        nsp++;
    } else {
        nsp = find_value_spans(f->context, f->context_len, f->value, f->value_len, f->category, sp,
                               nsp);
    }
    /* Findings are sorted by offset within a member: stop at the first neighbour that
     * is neither near the window nor on the same line. */
    for (size_t k = 1; k <= NEIGHBOUR_STEPS && k <= i; k++) {
        const struct ps_rfinding *g = &all[i - k];
        if (g->group != f->group || (g->line != f->line && is_far(f, ws, g)))
            break;
        nsp = add_neighbour(f, ws, g, sp, nsp);
    }
    for (size_t k = 1; k <= NEIGHBOUR_STEPS && i + k < n; k++) {
        const struct ps_rfinding *g = &all[i + k];
        if (g->group != f->group || (g->line != f->line && is_far(f, ws, g)))
            break;
        nsp = add_neighbour(f, ws, g, sp, nsp);
    }
    return nsp;
}

size_t ps_mask_finding_context(const struct ps_rfinding *all, size_t n, size_t i, bool reveal,
                               char *out, size_t cap)
{
    const struct ps_rfinding *f = &all[i];
    struct ps_mask_span sp[PS_MASK_MAX_SPANS];
    size_t mcap = ps_mask_cap(f->context_len, PS_MASK_MAX_SPANS);
    size_t nsp;
    size_t len;
    char *tmp;

    if (reveal)
        return ps_mask_clean(f->context, f->context_len, PS_CLEAN_CONTEXT, out, cap);
    tmp = malloc(mcap);
    if (tmp == NULL)
        return ps_mask_value(PIISCAN_CAT_COUNT, "", 0, out, cap);
    nsp = collect_spans(all, n, i, sp);
    len = ps_mask_context(f->context, f->context_len, sp, nsp, tmp, mcap);
    len = ps_mask_clean(tmp, len, PS_CLEAN_CONTEXT, out, cap);
    free(tmp);
    return len;
}
