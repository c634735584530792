/* util/utf8.c - the strict UTF-8 sequence check (see utf8.h). */
#include "util/utf8.h"

size_t ps_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t need;
    uint32_t c;
    uint32_t min;

    if (n == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        need = 1;
        min = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp != NULL)
        *cp = c;
    return need;
}
