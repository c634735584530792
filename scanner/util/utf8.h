/* util/utf8.h - one UTF-8 sequence check for every stage that cleans or reads text
 * it did not decode itself (member names, record cells, report cells, names).
 * (text/decode.h's ps_utf8_seq is the streaming variant: it also tells a sequence
 * cut by the end of a block from an invalid one.)
 */
#ifndef PS_UTIL_UTF8_H
#define PS_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s[0..n), or 0 when s does not
 * start with one: n == 0, a bad lead or continuation byte, a sequence cut short, an
 * overlong form, a surrogate or a code point past U+10FFFF. Its code point goes to
 * *cp when cp is not NULL. */
size_t ps_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
