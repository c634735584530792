/* record/idkey.h - the secret key behind person ids and finding fingerprints.
 *
 * Person ids and baseline fingerprints are HMAC-SHA-256 (OpenSSL) of a
 * canonical key string ("tin:123456789"), never the value itself. With
 * --key-file the key is the file's bytes, so ids are stable across runs and
 * responders; without it a random 32-byte key is drawn per run (RAND_bytes), and
 * ids cannot be linked to any other run. The key never appears in a report: only
 * its "key id" (HMAC of a fixed label) does, so a baseline made with another key
 * is recognised.
 */
#ifndef PS_RECORD_IDKEY_H
#define PS_RECORD_IDKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

#define PS_IDKEY_MIN 16u   /* bytes a key file must hold */
#define PS_IDKEY_MAX 4096u /* bytes read from a key file */
#define PS_ID_HEX 16u      /* hex digits of a person id / fingerprint */

struct ps_idkey;

/* Key from a file (its first PS_IDKEY_MAX bytes). EIO when unreadable, EINVAL
 * when shorter than PS_IDKEY_MIN bytes; err (may be NULL) gets the reason. */
piiscan_status ps_idkey_from_file(const char *path, struct ps_idkey **out, char *err,
                                  size_t errlen);
/* Key from bytes (tests, embedding). EINVAL when len < PS_IDKEY_MIN. */
piiscan_status ps_idkey_from_bytes(const void *key, size_t len, struct ps_idkey **out);
/* A random per-run key. EIO when the system RNG fails. */
piiscan_status ps_idkey_random(struct ps_idkey **out);
void ps_idkey_free(struct ps_idkey *k);
/* True when the key came from a file or bytes (ids are stable). */
bool ps_idkey_is_stable(const struct ps_idkey *k);

/* HMAC-SHA-256(key, data), first PS_ID_HEX hex digits into hex[PS_ID_HEX + 1]. */
void ps_idkey_hex(const struct ps_idkey *k, const void *data, size_t len, char hex[PS_ID_HEX + 1]);
/* Same, first 8 bytes as a big-endian integer (compact fingerprints). */
uint64_t ps_idkey_u64(const struct ps_idkey *k, const void *data, size_t len);
/* The key id: HMAC of a fixed label, PS_ID_HEX hex digits. */
void ps_idkey_id(const struct ps_idkey *k, char hex[PS_ID_HEX + 1]);

/* Formats v as PS_ID_HEX lower-case hex digits (the inverse of ps_id_parse). */
void ps_id_format(uint64_t v, char hex[PS_ID_HEX + 1]);
/* Parses exactly PS_ID_HEX hex digits; false otherwise. */
bool ps_id_parse(const char *hex, uint64_t *v);

#endif
