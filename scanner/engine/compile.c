/* engine/compile.c - rule patterns -> PCRE2 JIT code; the read-only rule set API.
 *
 * Each pattern is compiled once with pcre2_compile (the rule's flags; UTF mode
 * only when asked or when the pattern itself holds non-ASCII bytes, since the
 * byte mode is faster and the text is valid UTF-8 anyway) and JIT-compiled for
 * complete matches. A pattern that could match the empty string is refused: the
 * match loop would not advance. A capture group named "value" narrows the
 * reported value, so a pattern may require surroundings it does not report.
 * Also here: the SHA-256 digest of the rule files and the accessors of
 * include/piiscan/rules.h. Nothing in a loaded rule set is written again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "engine/engine.h"
#include "engine/rules_int.h"
#include "util/limits.h"

/* Slack past max_length + window for look-around assertions at either end. */
#define LOOKAROUND_SLACK 8u

static bool has_non_ascii(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s >= 0x80)
            return true;
    }
    return false;
}

piiscan_status ps_rule_compile(struct ps_rule *r, piiscan_diag *diag)
{
    int err = 0;
    PCRE2_SIZE erroff = 0;
    uint32_t minlen = 0;
    uint32_t flags = r->flags;
    int group;

    if (has_non_ascii(r->pattern))
        flags |= PCRE2_UTF;
    /* Prefiltered rules are searched near their atoms only (match.c). */
    if (r->pre_digits > 0 || r->pre_byte >= 0)
        flags |= PCRE2_USE_OFFSET_LIMIT;
    r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, flags, &err, &erroff,
                            NULL);
    if (r->code == NULL) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "PCRE2 error %d", err);
        ps_diag_set(diag, r->file, r->line, 0, r->id, "%s", (const char *)msg);
        if (diag != NULL)
            diag->offset = (long)erroff;
        return err == PCRE2_ERROR_NOMEMORY ? PIISCAN_ENOMEM : PIISCAN_ERULES;
    }
    r->flags = flags;
    if (pcre2_pattern_info(r->code, PCRE2_INFO_MINLENGTH, &minlen) != 0 || minlen == 0) {
        ps_diag_set(diag, r->file, r->line, 0, r->id, "pattern can match an empty string");
        return PIISCAN_ERULES;
    }
    /* JIT failure (no JIT on this CPU) is not fatal: the interpreter is used. */
    (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
    group = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "value");
    r->value_group = group > 0 ? (uint32_t)group : 0;
    return PIISCAN_OK;
}

void ps_rule_clear(struct ps_rule *r)
{
    if (r == NULL)
        return;
    free(r->id);
    free(r->description);
    free(r->pattern);
    pcre2_code_free(r->code);
    for (size_t i = 0; i < r->nkeywords; i++)
        free(r->keywords[i]);
    free(r->keywords);
    for (size_t i = 0; i < r->nnegative; i++)
        free(r->negative[i]);
    free(r->negative);
    memset(r, 0, sizeof *r);
}

/* Marks the first byte of every keyword, in both cases, in first. */
static void first_bytes(char *const *kws, size_t n, uint8_t first[32])
{
    memset(first, 0, 32);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)kws[i][0];
        unsigned char u = (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
        first[c >> 3] |= (uint8_t)(1u << (c & 7u));
        first[u >> 3] |= (uint8_t)(1u << (u & 7u));
    }
}

void ps_rules_finish(struct piiscan_rules *rules)
{
    size_t overlap = 0;
    size_t maxlen = 0;

    for (size_t i = 0; i < rules->nrules; i++) {
        struct ps_rule *r = &rules->rules[i];
        first_bytes(r->keywords, r->nkeywords, r->kw_first);
        first_bytes(r->negative, r->nnegative, r->neg_first);
        size_t side = r->window > PS_CONTEXT_BYTES ? r->window : PS_CONTEXT_BYTES;
        size_t need = r->max_length + side + LOOKAROUND_SLACK;
        if (need > overlap)
            overlap = need;
        if (r->max_length > maxlen)
            maxlen = r->max_length;
    }
    rules->overlap = overlap;
    rules->max_length = maxlen;
}

size_t ps_rules_overlap(const piiscan_rules *rules)
{
    return rules ? rules->overlap : 0;
}

size_t piiscan_rules_count(const piiscan_rules *rules)
{
    return rules ? rules->nrules : 0;
}

piiscan_status piiscan_rules_get(const piiscan_rules *rules, size_t i, piiscan_rule_info *info)
{
    const struct ps_rule *r;

    if (rules == NULL || info == NULL || i >= rules->nrules)
        return PIISCAN_EINVAL;
    r = &rules->rules[i];
    info->id = r->id;
    info->category = r->category;
    info->description = r->description;
    info->validator = r->validator ? r->validator->name : "";
    info->confidence = r->confidence;
    info->file = r->file;
    return PIISCAN_OK;
}

const char *piiscan_rules_digest(const piiscan_rules *rules)
{
    return rules ? rules->digest : "";
}

/* ---------- digest ---------- */

struct ps_digest {
    EVP_MD_CTX *ctx;
};

struct ps_digest *ps_digest_new(void)
{
    struct ps_digest *dg = calloc(1, sizeof *dg);

    if (dg == NULL)
        return NULL;
    dg->ctx = EVP_MD_CTX_new();
    if (dg->ctx == NULL || EVP_DigestInit_ex(dg->ctx, EVP_sha256(), NULL) != 1) {
        ps_digest_free(dg);
        return NULL;
    }
    return dg;
}

piiscan_status ps_digest_add(struct ps_digest *dg, const char *path, const char *data, size_t len)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    if (EVP_DigestUpdate(dg->ctx, base, strlen(base) + 1) != 1 ||
        EVP_DigestUpdate(dg->ctx, data, len) != 1)
        return PIISCAN_ENOMEM;
    return PIISCAN_OK;
}

void ps_digest_final(struct ps_digest *dg, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static const char digits[] = "0123456789abcdef";

    hex[0] = '\0';
    if (EVP_DigestFinal_ex(dg->ctx, md, &n) != 1 || n != 32)
        return;
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

void ps_digest_free(struct ps_digest *dg)
{
    if (dg == NULL)
        return;
    EVP_MD_CTX_free(dg->ctx);
    free(dg);
}
