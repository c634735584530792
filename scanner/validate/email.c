/* validate/email.c - e-mail addresses, RFC 5321 in practice.
 *
 * The rule's pattern finds local@domain.tld with a letters-only TLD; this adds
 * what a regex states badly: local part 1-64 bytes with no leading, trailing or
 * doubled dot; domain at most 253 bytes, two or more labels of 1-63 bytes of
 * letters, digits and '-', no label starting or ending with '-'; whole address at
 * most 254 bytes. Quoted local parts and IP-literal domains are not PII a dump
 * typically carries and are not matched. Image names like "icon@2x.png" (retina
 * assets, common in web dumps) have the shape of an address: a "TLD" that is an
 * image or web file extension and no real TLD is refused. The normalised form is
 * lower-case ASCII.
 */
#include <string.h>

#include "validate/validate.h"

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

/* File extensions that look like a TLD but are none. */
static bool is_file_ext(const char *tld, size_t n)
{
    static const char *const ext[] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp",
                                      "ico", "tif", "tiff", "css", "js", "html", "htm", "php"};
    char low[8];

    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = (tld[i] >= 'A' && tld[i] <= 'Z') ? (char)(tld[i] - 'A' + 'a') : tld[i];
    low[n] = '\0';
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        if (strcmp(ext[i], low) == 0)
            return true;
    }
    return false;
}

static bool local_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '.' && s[i - 1] == '.')
            return false;
    }
    return true;
}

static bool domain_ok(const char *s, size_t n)
{
    size_t labels = 0;
    size_t i = 0;
    size_t tld = 0;

    if (n == 0 || n > 253)
        return false;
    while (i <= n) {
        size_t b = i;
        while (i < n && s[i] != '.')
            i++;
        size_t len = i - b;
        if (len == 0 || len > 63 || s[b] == '-' || s[i - 1] == '-')
            return false;
        for (size_t k = b; k < i; k++) {
            if (!is_alnum(s[k]) && s[k] != '-')
                return false;
        }
        labels++;
        tld = b;
        i++;                        /* past the dot, or past the end */
    }
    if (labels < 2 || n - tld < 2 || is_file_ext(s + tld, n - tld))
        return false;
    for (size_t k = tld; k < n; k++) {
        if (!is_alpha(s[k]))
            return false;
    }
    return true;
}

bool ps_email_valid(const char *s, size_t n)
{
    size_t at = n;

    if (n < 6 || n > 254)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '@') {
            if (at != n)
                return false;       /* two @ */
            at = i;
        }
    }
    if (at == n)
        return false;
    return local_ok(s, at) && domain_ok(s + at + 1, n - at - 1);
}

enum ps_verdict ps_validate_email(const char *s, size_t n, char *norm, size_t cap)
{
    if (!ps_email_valid(s, n) || cap < n + 1)
        return PS_VERDICT_REJECT;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        norm[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    norm[n] = '\0';
    return PS_VERDICT_PLAUSIBLE;
}
