/* sniff/sniff.c - what a stream is, from its first bytes.
 *
 * Input: the head of a stream (at most PS_SNIFF_HEAD bytes) and its leaf name
 * (a hint kept for extractors, never used to decide). Output: a ps_kind with
 * MIME type, lower-case charset and is_text. Order of evidence:
 *   1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides the charset;
 *   2. libmagic (one magic_t per sniffer, i.e. per scanner thread) gives the
 *      MIME type and encoding in one call (MAGIC_MIME); its answer is copied at
 *      once because it is only valid until the next call on that cookie;
 *   3. BOM-less UTF-16 that libmagic calls binary is recognised by its zero
 *      bytes in every other position (Latin-script text).
 * libmagic's "unknown-8bit" (text with bytes 0x80-0x9F) is read as windows-1252.
 * Never fails on content: unknown data is application/octet-stream, binary.
 */
#include "sniff/sniff.h"

#include <ctype.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_sniffer {
    magic_t cookie;
};

piiscan_status ps_sniffer_new(struct ps_sniffer **out)
{
    struct ps_sniffer *s = NULL;
    int flags = MAGIC_MIME | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF | MAGIC_ERROR;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return PIISCAN_ENOMEM;
    s->cookie = magic_open(flags);
    if (s->cookie == NULL) {
        free(s);
        return PIISCAN_ENOMEM;
    }
    /* NULL: the system database (/usr/share/misc/magic.mgc) */
    if (magic_load(s->cookie, NULL) != 0) {
        magic_close(s->cookie);
        free(s);
        return PIISCAN_EIO;
    }
    *out = s;
    return PIISCAN_OK;
}

void ps_sniffer_free(struct ps_sniffer *s)
{
    if (s == NULL)
        return;
    magic_close(s->cookie);
    free(s);
}

/* Copies at most cap-1 bytes of src[0..n), lower-cased, into dst. */
static void copy_lower(char *dst, size_t cap, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* Splits libmagic's "type/sub; charset=xxx" into the kind. */
static void parse_magic(const char *ans, struct ps_kind *k)
{
    const char *semi = strchr(ans, ';');
    size_t mlen = semi != NULL ? (size_t)(semi - ans) : strlen(ans);
    const char *cs = NULL;

    copy_lower(k->mime, sizeof(k->mime), ans, mlen);
    if (semi != NULL) {
        cs = strstr(semi, "charset=");
        if (cs != NULL) {
            cs += strlen("charset=");
            copy_lower(k->charset, sizeof(k->charset), cs, strcspn(cs, " ;"));
        }
    }
}

/* Charset from a byte-order mark, or NULL. */
static const char *bom_charset(const unsigned char *h, size_t n)
{
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
        return "utf-8";
    if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE)
        return "utf-16le";
    if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF)
        return "utf-16be";
    return NULL;
}

/* BOM-less UTF-16 of mostly Latin text: one byte of each pair is zero nearly
 * always, the other nearly never. Returns "utf-16le", "utf-16be" or NULL. */
static const char *guess_utf16(const unsigned char *h, size_t n)
{
    size_t zero[2] = {0, 0};
    size_t pairs = 0;

    if (n < 8)
        return NULL;
    n &= ~(size_t)1;
    for (size_t i = 0; i < n; i += 2) {
        zero[0] += h[i] == 0;
        zero[1] += h[i + 1] == 0;
        pairs++;
    }
    /* at least 90% zeros on one side and at most 10% on the other */
    if (zero[1] * 10 >= pairs * 9 && zero[0] * 10 <= pairs)
        return "utf-16le";
    if (zero[0] * 10 >= pairs * 9 && zero[1] * 10 <= pairs)
        return "utf-16be";
    return NULL;
}

/* No control bytes but tab, line ends and form feed in the head. */
static bool is_plain(const unsigned char *h, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((h[i] < 0x20 && h[i] != '\t' && h[i] != '\n' && h[i] != '\r' && h[i] != '\f') ||
            h[i] == 0x7f)
            return false;
    }
    return true;
}

static bool is_text_mime(const char *mime)
{
    static const char *const textual[] = {
        "application/json",       "application/xml",
        "application/csv",        "application/x-ndjson",
        "application/javascript", "application/sql",
        "application/x-sql",      "application/x-empty",
        "message/rfc822",         "message/news",
        "application/mbox",       "application/x-yaml",
        "application/yaml",       "application/x-php",
        "application/x-sh",       "application/x-wine-extension-ini",
        "application/x-subrip",
    };
    if (strncmp(mime, "text/", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof(textual) / sizeof(textual[0]); i++) {
        if (strcmp(mime, textual[i]) == 0)
            return true;
    }
    return false;
}

void ps_sniff(struct ps_sniffer *s, const char *head, size_t len, const char *name,
              struct ps_kind *out)
{
    const unsigned char *h = (const unsigned char *)head;
    const char *bom = bom_charset(h, len);
    const char *ans = NULL;

    memset(out, 0, sizeof(*out));
    out->name = name;
    if (len == 0) {
        snprintf(out->mime, sizeof(out->mime), "%s", "application/x-empty");
        snprintf(out->charset, sizeof(out->charset), "%s", "us-ascii");
        out->is_text = true;
        return;
    }
    ans = s != NULL ? magic_buffer(s->cookie, head, len) : NULL;
    if (ans != NULL)
        parse_magic(ans, out);
    if (out->mime[0] == '\0')
        snprintf(out->mime, sizeof(out->mime), "%s", "application/octet-stream");
    if (out->charset[0] == '\0')
        snprintf(out->charset, sizeof(out->charset), "%s", "binary");
    if (strcmp(out->charset, "unknown-8bit") == 0)
        snprintf(out->charset, sizeof(out->charset), "%s", "windows-1252");

    if (bom != NULL) {
        /* The BOM wins over libmagic's charset; a text MIME type is kept. */
        snprintf(out->charset, sizeof(out->charset), "%s", bom);
        out->has_bom = true;
        if (!is_text_mime(out->mime))
            snprintf(out->mime, sizeof(out->mime), "%s", "text/plain");
    } else if (strcmp(out->charset, "binary") == 0) {
        const char *u16 = guess_utf16(h, len);
        if (u16 != NULL) {
            snprintf(out->charset, sizeof(out->charset), "%s", u16);
            snprintf(out->mime, sizeof(out->mime), "%s", "text/plain");
        }
    }
    /* libmagic names some plain text after a format that is text too: a memo whose
     * first line is "PAYROLL NOTES" is "application/vnd.hp-hpgl" (HP-GL's "PA"
     * command). Text in a text charset without control bytes is scanned as text. */
    if (strcmp(out->charset, "binary") != 0 && !is_text_mime(out->mime) && is_plain(h, len))
        snprintf(out->mime, sizeof(out->mime), "%s", "text/plain");
    out->is_text = strcmp(out->charset, "binary") != 0 && is_text_mime(out->mime);
}
