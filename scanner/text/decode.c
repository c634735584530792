/* text/decode.c - streaming charset conversion to valid UTF-8.
 *
 * Input blocks of any size are consumed in steps of at most PS_DECODE_IN_BYTES:
 * each step copies the carried-over bytes (an incomplete multibyte sequence from
 * the previous step, at most PS_CARRY bytes) and the next piece of the current
 * block into a staging buffer, and converts it into the output block:
 *   - UTF-8 / US-ASCII: validated here (no iconv); every byte that does not
 *     start a valid sequence becomes U+FFFD (EF BF BD);
 *   - anything else: iconv to UTF-8; EILSEQ skips one code unit (1 byte, 2 for
 *     UTF-16, 4 for UTF-32) and inserts U+FFFD.
 * An incomplete sequence at the end of a step is carried to the next step; at
 * the end of the stream it becomes U+FFFD. The worst output growth is 3x
 * (a byte -> U+FFFD, or windows-1252 0x80 -> U+20AC), so one step always fits the
 * output block. The first character is dropped when it is U+FEFF (a BOM).
 */
#include "text/decode.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PS_CARRY 8u

struct ps_decoder {
    char charset[32];
    iconv_t cd; /* (iconv_t)-1 in UTF-8 mode */
    bool is_fallback;
    size_t unit; /* code unit skipped on EILSEQ */

    struct ps_stream *src;
    const unsigned char *blk; /* current input block (borrowed from src) */
    size_t blk_len;
    size_t blk_pos;
    bool is_eof;
    piiscan_status src_rc;

    unsigned char carry[PS_CARRY];
    size_t carry_len;
    bool at_start; /* nothing handed out yet: strip a BOM */
    uint64_t replaced;

    unsigned char stage[PS_CARRY + PS_DECODE_IN_BYTES];
    char out[PS_DECODE_OUT_BYTES];
};

int ps_utf8_seq(const unsigned char *s, size_t n)
{
    size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;

    if (n == 0)
        return -1;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 0;
    /* The second byte's range excludes overlongs, surrogates and > U+10FFFF. */
    if (s[0] == 0xE0)
        lo = 0xA0;
    else if (s[0] == 0xED)
        hi = 0x9F;
    else if (s[0] == 0xF0)
        lo = 0x90;
    else if (s[0] == 0xF4)
        hi = 0x8F;
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return -1;
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
            return 0;
    }
    return (int)len;
}

static bool is_utf8_name(const char *cs)
{
    return strcmp(cs, "utf-8") == 0 || strcmp(cs, "us-ascii") == 0 || strcmp(cs, "ascii") == 0 ||
           strcmp(cs, "utf8") == 0 || cs[0] == '\0';
}

piiscan_status ps_decoder_new(const char *charset, struct ps_decoder **out)
{
    struct ps_decoder *d = NULL;

    *out = NULL;
    d = calloc(1, sizeof(*d));
    if (d == NULL)
        return PIISCAN_ENOMEM;
    snprintf(d->charset, sizeof(d->charset), "%s", charset != NULL ? charset : "");
    for (char *p = d->charset; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    d->cd = (iconv_t)-1;
    d->unit = 1;
    if (!is_utf8_name(d->charset)) {
        d->cd = iconv_open("UTF-8", d->charset);
        if (d->cd == (iconv_t)-1)
            d->is_fallback = true;
        else if (strncmp(d->charset, "utf-16", 6) == 0 || strncmp(d->charset, "ucs-2", 5) == 0)
            d->unit = 2;
        else if (strncmp(d->charset, "utf-32", 6) == 0 || strncmp(d->charset, "ucs-4", 5) == 0)
            d->unit = 4;
    }
    *out = d;
    return PIISCAN_OK;
}

void ps_decoder_free(struct ps_decoder *d)
{
    if (d == NULL)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d);
}

const char *ps_decoder_charset(const struct ps_decoder *d)
{
    return d->charset;
}

bool ps_decoder_is_fallback(const struct ps_decoder *d)
{
    return d->is_fallback;
}

uint64_t ps_decoder_replaced(const struct ps_decoder *d)
{
    return d->replaced;
}

static size_t put_fffd(struct ps_decoder *d, char *o)
{
    o[0] = (char)0xEF;
    o[1] = (char)0xBF;
    o[2] = (char)0xBD;
    d->replaced++;
    return 3;
}

/* Validates s[0..n) into out; returns bytes written. *used = bytes consumed: all
 * of them except an incomplete tail when is_last is false. */
static size_t conv_utf8(struct ps_decoder *d, const unsigned char *s, size_t n, bool is_last,
                        char *out, size_t *used)
{
    size_t i = 0;
    size_t o = 0;
    while (i < n) {
        /* ASCII runs, 8 bytes at a time, are copied in one go (the common case) */
        size_t j = i;
        while (j + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + j, 8);
            if ((w & 0x8080808080808080ULL) != 0)
                break;
            j += 8;
        }
        while (j < n && s[j] < 0x80)
            j++;
        if (j > i) {
            memcpy(out + o, s + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        int k = ps_utf8_seq(s + i, n - i);
        if (k > 0) {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        } else if (k < 0 && !is_last) {
            break; /* carried over to the next step */
        } else {
            o += put_fffd(d, out + o);
            i++;
        }
    }
    *used = i;
    return o;
}

/* iconv over s[0..n) into out (room >= 3n + 8); same contract as conv_utf8. */
static size_t conv_iconv(struct ps_decoder *d, const unsigned char *s, size_t n, bool is_last,
                         char *out, size_t room, size_t *used)
{
    char *in = (char *)s;
    size_t inleft = n;
    char *op = out;
    size_t outleft = room;

    /* Each turn either finishes, or skips at least one byte of input. */
    while (inleft > 0) {
        size_t r = iconv(d->cd, &in, &inleft, &op, &outleft);
        if (r != (size_t)-1)
            break;
        if (errno == EINVAL && !is_last && inleft < PS_CARRY)
            break; /* incomplete sequence: carried over */
        if (errno == E2BIG)
            break; /* cannot happen with room >= 3n; stop, rest is retried */
        if (outleft < 3)
            break;
        size_t skip = d->unit < inleft ? d->unit : inleft;
        op += put_fffd(d, op);
        outleft -= 3;
        in += skip;
        inleft -= skip;
    }
    *used = n - inleft;
    return (size_t)(op - out);
}

/* Pulls the next input block; false at the end of the stream or on failure. */
static bool pull(struct ps_decoder *d)
{
    const void *b = NULL;
    size_t n = 0;
    if (d->is_eof)
        return false;
    /* A stream may hand out empty blocks only at its end. */
    piiscan_status rc = d->src->next(d->src->h, &b, &n);
    if (rc != PIISCAN_OK || n == 0) {
        d->src_rc = rc;
        d->is_eof = true;
        return false;
    }
    d->blk = b;
    d->blk_len = n;
    d->blk_pos = 0;
    return true;
}

/* One conversion step; returns the bytes written to d->out. */
static size_t step(struct ps_decoder *d)
{
    size_t take = 0;
    size_t n = 0;
    size_t used = 0;
    size_t o = 0;
    bool is_last = false;

    if (d->blk_pos >= d->blk_len)
        pull(d);
    if (!d->is_eof) {
        take = d->blk_len - d->blk_pos;
        if (take > PS_DECODE_IN_BYTES)
            take = PS_DECODE_IN_BYTES;
    }
    is_last = d->is_eof;
    memcpy(d->stage, d->carry, d->carry_len);
    if (take > 0)
        memcpy(d->stage + d->carry_len, d->blk + d->blk_pos, take);
    d->blk_pos += take;
    n = d->carry_len + take;
    d->carry_len = 0;
    if (d->cd == (iconv_t)-1)
        o = conv_utf8(d, d->stage, n, is_last, d->out, &used);
    else
        o = conv_iconv(d, d->stage, n, is_last, d->out, sizeof(d->out), &used);
    /* Whatever was not used is an incomplete tail (< PS_CARRY bytes). */
    if (used < n) {
        size_t rest = n - used;
        if (rest > PS_CARRY)
            rest = PS_CARRY;
        memcpy(d->carry, d->stage + used, rest);
        d->carry_len = rest;
    }
    return o;
}

static piiscan_status dec_next(void *h, const void **buf, size_t *len)
{
    struct ps_decoder *d = h;
    size_t o = 0;
    *buf = NULL;
    *len = 0;
    /* Each step consumes input or ends the stream, so this loop is bounded by the
     * input length; it only repeats when a step produced nothing. */
    while (o == 0) {
        if (d->is_eof && d->carry_len == 0)
            return d->src_rc;
        o = step(d);
        if (d->is_eof && d->carry_len > 0 && o == 0)
            continue;
    }
    char *p = d->out;
    if (d->at_start) {
        d->at_start = false;
        if (o >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            o -= 3;
            if (o == 0)
                return dec_next(h, buf, len);
        }
    }
    *buf = p;
    *len = o;
    return PIISCAN_OK;
}

void ps_decoder_start(struct ps_decoder *d, struct ps_stream *src, struct ps_stream *out)
{
    d->src = src;
    d->blk = NULL;
    d->blk_len = 0;
    d->blk_pos = 0;
    d->is_eof = false;
    d->src_rc = PIISCAN_OK;
    d->carry_len = 0;
    d->at_start = true;
    d->replaced = 0;
    if (d->cd != (iconv_t)-1)
        iconv(d->cd, NULL, NULL, NULL, NULL);
    out->next = dec_next;
    out->h = d;
    out->size_hint = 0;
}
