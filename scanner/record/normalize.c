/* record/normalize.c - canonical forms of names and numbers (see normalize.h).
 *
 * Names are cut into words on white space (and a comma, which also marks the
 * "Last, First" order); each word is lower-cased and stripped of dots and
 * other punctuation at its ends; titles, generational suffixes and one-letter
 * initials are dropped. What is left is joined with single spaces. The input
 * is bounded by PS_NORM_MAX words of output, so hostile values cost O(len).
 */
#include "record/normalize.h"

#include <stdbool.h>
#include <string.h>

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static unsigned char upper(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

size_t ps_norm_digits(const char *in, char *out, size_t cap)
{
    size_t n = 0;

    if (cap == 0)
        return 0;
    for (const char *p = in; *p != '\0' && n + 1 < cap; p++)
        if (*p >= '0' && *p <= '9')
            out[n++] = *p;
    out[n] = '\0';
    return n;
}

size_t ps_norm_plain(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    size_t len = strlen(in);

    if (cap == 0)
        return 0;
    while (len > 0 && is_space((unsigned char)in[len - 1]))
        len--;
    while (len > 0 && is_space((unsigned char)*in)) {
        in++;
        len--;
    }
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        out[n++] = (char)lower((unsigned char)in[i]);
    out[n] = '\0';
    return n;
}

/* Words that are not part of who someone is. */
static bool is_title(const char *w, size_t len)
{
    static const char *const titles[] = {"mr",    "mrs", "ms",  "miss", "mx",  "dr", "prof", "sir",
                                         "madam", "rev", "hon", "jr",   "sr",  "ii", "iii",  "iv",
                                         "phd",   "md",  "esq", "dds",  "cpa", NULL};

    for (size_t i = 0; titles[i] != NULL; i++)
        if (strlen(titles[i]) == len && memcmp(titles[i], w, len) == 0)
            return true;
    return false;
}

/* UTF-8 code points in w[0..len). */
static size_t codepoints(const char *w, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_word_byte(unsigned char c)
{
    /* letters, digits, non-ASCII (UTF-8) and the in-word marks of names */
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 || c == '-' || c == '\'';
}

/* Appends the cleaned words of s[0..len) to out (space separated). */
static void add_words(const char *s, size_t len, char *out, size_t cap, size_t *n)
{
    size_t i = 0;

    while (i < len) {
        char w[PS_NORM_MAX];
        size_t wl = 0;

        while (i < len && is_space((unsigned char)s[i]))
            i++;
        /* a word: lower-cased, keeping only word bytes (drops dots, quotes, parens) */
        while (i < len && !is_space((unsigned char)s[i])) {
            unsigned char c = lower((unsigned char)s[i++]);
            if (is_word_byte(c) && wl + 1 < sizeof w)
                w[wl++] = (char)c;
        }
        while (wl > 0 && (w[wl - 1] == '-' || w[wl - 1] == '\''))
            wl--;
        size_t start = 0;
        while (start < wl && (w[start] == '-' || w[start] == '\''))
            start++;
        wl -= start;
        if (wl == 0 || codepoints(w + start, wl) < 2 || is_title(w + start, wl))
            continue;
        if (*n + (*n ? 1 : 0) + wl + 1 > cap)
            return; /* no room for a whole word: stop rather than cut one */
        if (*n)
            out[(*n)++] = ' ';
        memcpy(out + *n, w + start, wl);
        *n += wl;
    }
}

size_t ps_norm_name(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    size_t len = strlen(in);
    const char *comma = memchr(in, ',', len);

    if (cap == 0)
        return 0;
    if (comma != NULL) {
        /* "Pascal, Amy B." -> "amy pascal"; a suffix after a second comma drops out */
        const char *rest = comma + 1;
        size_t rlen = len - (size_t)(rest - in);
        const char *comma2 = memchr(rest, ',', rlen);
        size_t given = comma2 ? (size_t)(comma2 - rest) : rlen;
        add_words(rest, given, out, cap, &n);
        add_words(in, (size_t)(comma - in), out, cap, &n);
    } else {
        add_words(in, len, out, cap, &n);
    }
    out[n] = '\0';
    return n;
}

size_t ps_name_display(const char *norm, char *out, size_t cap)
{
    size_t n = 0;
    bool start = true;

    if (cap == 0)
        return 0;
    for (const char *p = norm; *p != '\0' && n + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        out[n++] = (char)(start ? upper(c) : c);
        start = c == ' ' || c == '-' || c == '\'';
    }
    out[n] = '\0';
    return n;
}

size_t ps_name_mask(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    bool start = true;

    if (cap == 0)
        return 0;
    for (const char *p = name; *p != '\0' && n + 1 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ') {
            out[n++] = ' ';
            start = true;
        } else if (start) {
            /* keep the whole first code point, continuation bytes included */
            out[n++] = (char)c;
            while ((((unsigned char)p[1]) & 0xC0) == 0x80 && n + 1 < cap)
                out[n++] = *++p;
            start = false;
        } else if ((c & 0xC0) != 0x80) {
            out[n++] = '*';
        }
    }
    out[n] = '\0';
    return n;
}
