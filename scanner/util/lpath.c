/* util/lpath.c - logical paths "outer.tar.gz!inner.zip!hr/payroll.csv".
 *
 * A logical path names where a byte came from: the path on the command line,
 * then one element per archive member / attachment, joined with '!'. Member
 * names come from hostile data, so they are treated as labels only: every
 * control character (C0, DEL, and the C1 range when it appears as a UTF-8
 * sequence) becomes '?', so a name cannot forge report lines or send terminal
 * escapes. Invalid UTF-8 bytes also become '?'. The result is bounded by
 * PS_LPATH_MAX.
 */
#include "util/lpath.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* Copies the sanitised child into dst (room for at least strlen(child) bytes). */
static size_t sanitise(char *dst, const char *child)
{
    const unsigned char *s = (const unsigned char *)child;
    size_t n = strlen(child);
    size_t o = 0;
    size_t i = 0;
    while (i < n) {
        size_t k = ps_utf8_decode(s + i, n - i, NULL);
        if (k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7F)) ||
            (k == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0)) {
            /* one '?' per invalid byte or per control character */
            dst[o++] = '?';
            i += (k == 0) ? 1 : k;
            continue;
        }
        memcpy(dst + o, s + i, k);
        o += k;
        i += k;
    }
    dst[o] = '\0';
    return o;
}

piiscan_status ps_lpath_join(const char *parent, const char *child, char **out)
{
    size_t plen = strlen(parent);
    size_t clen = strlen(child);
    char *p = NULL;

    *out = NULL;
    if (plen + 1 + clen + 1 > PS_LPATH_MAX)
        return PIISCAN_ELIMIT;
    p = malloc(plen + 1 + clen + 1);
    if (p == NULL)
        return PIISCAN_ENOMEM;
    memcpy(p, parent, plen);
    p[plen] = PS_LPATH_SEP;
    sanitise(p + plen + 1, child);
    *out = p;
    return PIISCAN_OK;
}

const char *ps_lpath_leaf(const char *lpath)
{
    const char *sep = strrchr(lpath, PS_LPATH_SEP);
    return sep != NULL ? sep + 1 : lpath;
}
