/* engine/context.c - keywords near a match, the context window, line counting.
 *
 * Keyword search is a bounded scan of the window each side of a value (at most
 * PS_MAX_WINDOW bytes, so the cost per match is small and fixed); keywords are
 * stored lower-case and compared ASCII case-insensitively with word boundaries.
 * The context window shown in reports is cut on UTF-8 boundaries and at line
 * ends, so a report never shows half a character or a neighbouring line.
 * Line and paragraph numbers are counted incrementally as findings come in offset
 * order, so a unit is walked once whatever the number of findings.
 */
#include <stdint.h>
#include <string.h>

#include "engine/context.h"
#include "util/limits.h"

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

static bool word_start(const char *t, size_t i)
{
    if (i == 0 || !is_alnum(t[i - 1]))
        return true;
    /* camelCase: "employeeSSN" */
    return t[i - 1] >= 'a' && t[i - 1] <= 'z' && t[i] >= 'A' && t[i] <= 'Z';
}

static bool word_end(const char *t, size_t len, size_t e)
{
    if (e >= len || !is_alpha(t[e]))
        return true;
    if ((t[e] == 's' || t[e] == 'S') && (e + 1 >= len || !is_alpha(t[e + 1])))
        return true;
    /* camelCase again: "ssnNumber" */
    return t[e - 1] >= 'a' && t[e - 1] <= 'z' && t[e] >= 'A' && t[e] <= 'Z';
}

static bool keyword_at(const char *t, size_t len, size_t i, const char *kw, size_t kwlen)
{
    if (i + kwlen > len)
        return false;
    for (size_t k = 0; k < kwlen; k++) {
        if (lower(t[i + k]) != kw[k])
            return false;
    }
    if (is_alnum(kw[0]) && !word_start(t, i))
        return false;
    if (is_alpha(kw[kwlen - 1]) && !word_end(t, len, i + kwlen))
        return false;
    return true;
}

bool ps_context_has_keyword(const char *t, size_t len, size_t a, size_t b, char *const *kws,
                            size_t n, const uint8_t first[32])
{
    if (b > len)
        b = len;
    for (size_t i = a; i < b && n > 0; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!(first[c >> 3] & (1u << (c & 7u))))
            continue;
        for (size_t j = 0; j < n; j++) {
            const char *kw = kws[j];
            if (lower(t[i]) == kw[0] && keyword_at(t, len, i, kw, strlen(kw)))
                return true;
        }
    }
    return false;
}

static bool is_digit_byte(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_number_joiner(char c)
{
    return c == '/' || c == '.' || c == '-' || c == ',' || c == ':';
}

void ps_context_clip(const char *t, size_t vs, size_t ve, size_t *a, size_t *b)
{
    unsigned digits = 0;

    /* Backwards from the value: the first group of 4+ digits met ends the window. */
    for (size_t i = vs; i > *a; i--) {
        char c = t[i - 1];
        if (is_digit_byte(c))
            digits++;
        else if (!(is_number_joiner(c) && i - 1 > *a && is_digit_byte(t[i - 2])))
            digits = 0;
        if (digits >= 4) {
            /* skip to the group's end: the window starts after it */
            size_t e = i;
            while (e < vs && (is_digit_byte(t[e]) || is_number_joiner(t[e])))
                e++;
            *a = e;
            break;
        }
    }
    digits = 0;
    for (size_t i = ve; i < *b; i++) {
        char c = t[i];
        /* After the value, a label on the same line only ("1/31/65 (DOB)"): one on
         * the next line heads the next record ("\n\nBirthday on file: ..."). */
        if (c == '\n') {
            *b = i;
            break;
        }
        if (is_digit_byte(c))
            digits++;
        else if (!(is_number_joiner(c) && i + 1 < *b && is_digit_byte(t[i + 1])))
            digits = 0;
        if (digits >= 4) {
            size_t s0 = i;
            while (s0 > ve && (is_digit_byte(t[s0 - 1]) || is_number_joiner(t[s0 - 1])))
                s0--;
            *b = s0;
            break;
        }
    }
}

size_t ps_context_keyword_distance(const char *t, size_t len, size_t vs, size_t ve, size_t a,
                                   size_t b, char *const *kws, size_t n, const uint8_t first[32])
{
    size_t best = SIZE_MAX;

    if (b > len)
        b = len;
    /* Same scan as ps_context_has_keyword, but it cannot stop at the first hit. */
    for (size_t i = a; i < b && n > 0 && best > 0; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!(first[c >> 3] & (1u << (c & 7u))))
            continue;
        for (size_t j = 0; j < n; j++) {
            const char *kw = kws[j];
            size_t kwlen = strlen(kw);
            if (lower(t[i]) != kw[0] || !keyword_at(t, len, i, kw, kwlen))
                continue;
            size_t d = 0;
            /* Labels come before values: a keyword after the value counts as if
             * PS_CONTEXT_AFTER_BYTES farther ("born 01/05/1947) was hired on"). */
            if (i + kwlen <= vs)
                d = vs - (i + kwlen);
            else if (i >= ve)
                d = i - ve + PS_CONTEXT_AFTER_BYTES;
            if (d < best)
                best = d;
        }
    }
    return best;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xC0u) == 0x80u;
}

size_t ps_context_window(const char *t, size_t len, size_t vs, size_t ve, char *out, size_t cap,
                         size_t *value_at)
{
    size_t a = vs > PS_CONTEXT_BYTES ? vs - PS_CONTEXT_BYTES : 0;
    size_t b = ve + PS_CONTEXT_BYTES < len ? ve + PS_CONTEXT_BYTES : len;
    size_t n;

    while (a < vs && is_cont(t[a]))
        a++;
    while (b > ve && b < len && is_cont(t[b]))
        b--;
    for (size_t i = vs; i > a; i--) {
        if (t[i - 1] == '\n') {
            a = i;
            break;
        }
    }
    for (size_t i = ve; i < b; i++) {
        if (t[i] == '\n' || t[i] == '\r') {
            b = i;
            break;
        }
    }
    n = b - a;
    if (cap == 0)
        return 0;
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[a + i];
        out[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[n] = '\0';
    *value_at = vs - a;
    return n;
}

void ps_textpos_init(struct ps_textpos *p)
{
    memset(p, 0, sizeof *p);
}

static bool is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

void ps_textpos_advance(struct ps_textpos *p, const char *t, size_t len, size_t to)
{
    size_t i = p->at;

    if (to > len)
        to = len;
    while (i < to) {
        const char *nl = memchr(t + i, '\n', to - i);
        if (nl == NULL)
            break;
        size_t q = (size_t)(nl - t);
        size_t k = q + 1;
        p->lines++;
        /* Is the next line blank? It is short, or it is not blank: bounded by len. */
        while (k < len && is_blank_byte(t[k]))
            k++;
        if (k < len && t[k] == '\n')
            p->breaks++;
        i = q + 1;
    }
    if (to > p->at)
        p->at = to;
}
