/* record/idkey.c - keyed hashes for person ids and fingerprints (see idkey.h).
 *
 * One HMAC-SHA-256 per person or per distinct finding at report time, through
 * OpenSSL's one-shot HMAC(). The 64-bit truncation keeps ids short in a
 * spreadsheet; collisions among a million people are ~3e-8 likely. The key is
 * wiped (OPENSSL_cleanse) when freed.
 */
#include "record/idkey.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_KEY_BYTES 32u
#define KEY_ID_LABEL "piiscan key id v1"

struct ps_idkey {
    unsigned char key[PS_IDKEY_MAX];
    size_t len;
    bool is_stable;
};

piiscan_status ps_idkey_from_bytes(const void *key, size_t len, struct ps_idkey **out)
{
    *out = NULL;
    if (len < PS_IDKEY_MIN)
        return PIISCAN_EINVAL;
    struct ps_idkey *k = calloc(1, sizeof *k);
    if (k == NULL)
        return PIISCAN_ENOMEM;
    k->len = len < PS_IDKEY_MAX ? len : PS_IDKEY_MAX;
    memcpy(k->key, key, k->len);
    k->is_stable = true;
    *out = k;
    return PIISCAN_OK;
}

piiscan_status ps_idkey_from_file(const char *path, struct ps_idkey **out, char *err, size_t errlen)
{
    unsigned char buf[PS_IDKEY_MAX];
    piiscan_status rc = PIISCAN_OK;
    FILE *fp = fopen(path, "rb");
    size_t len = 0;

    *out = NULL;
    if (fp == NULL) {
        if (err != NULL)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return PIISCAN_EIO;
    }
    len = fread(buf, 1, sizeof buf, fp);
    if (ferror(fp)) {
        if (err != NULL)
            snprintf(err, errlen, "%s: read error", path);
        rc = PIISCAN_EIO;
        goto out;
    }
    if (len < PS_IDKEY_MIN) {
        if (err != NULL)
            snprintf(err, errlen, "%s: key file holds %zu bytes, needs at least %u", path, len,
                     PS_IDKEY_MIN);
        rc = PIISCAN_EINVAL;
        goto out;
    }
    rc = ps_idkey_from_bytes(buf, len, out);
out:
    OPENSSL_cleanse(buf, sizeof buf);
    fclose(fp);
    return rc;
}

piiscan_status ps_idkey_random(struct ps_idkey **out)
{
    *out = NULL;
    struct ps_idkey *k = calloc(1, sizeof *k);
    if (k == NULL)
        return PIISCAN_ENOMEM;
    if (RAND_bytes(k->key, RANDOM_KEY_BYTES) != 1) {
        free(k);
        return PIISCAN_EIO;
    }
    k->len = RANDOM_KEY_BYTES;
    k->is_stable = false;
    *out = k;
    return PIISCAN_OK;
}

void ps_idkey_free(struct ps_idkey *k)
{
    if (k == NULL)
        return;
    OPENSSL_cleanse(k->key, sizeof k->key);
    free(k);
}

bool ps_idkey_is_stable(const struct ps_idkey *k)
{
    return k->is_stable;
}

uint64_t ps_idkey_u64(const struct ps_idkey *k, const void *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    uint64_t v = 0;

    /* HMAC() fails only on allocation failure; an all-zero id is then returned */
    if (HMAC(EVP_sha256(), k->key, (int)k->len, data, len, md, &mdlen) == NULL || mdlen < 8)
        return 0;
    for (unsigned i = 0; i < 8; i++)
        v = (v << 8) | md[i];
    return v;
}

void ps_id_format(uint64_t v, char hex[PS_ID_HEX + 1])
{
    snprintf(hex, PS_ID_HEX + 1, "%016llx", (unsigned long long)v);
}

bool ps_id_parse(const char *hex, uint64_t *v)
{
    uint64_t r = 0;

    for (unsigned i = 0; i < PS_ID_HEX; i++) {
        char c = hex[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        r = (r << 4) | d;
    }
    if (hex[PS_ID_HEX] != '\0')
        return false;
    *v = r;
    return true;
}

void ps_idkey_hex(const struct ps_idkey *k, const void *data, size_t len, char hex[PS_ID_HEX + 1])
{
    ps_id_format(ps_idkey_u64(k, data, len), hex);
}

void ps_idkey_id(const struct ps_idkey *k, char hex[PS_ID_HEX + 1])
{
    ps_idkey_hex(k, KEY_ID_LABEL, strlen(KEY_ID_LABEL), hex);
}
