/* text/decode.h - any detected charset -> valid UTF-8, as a stream.
 *
 * A decoder is made once per charset (it owns an iconv_t and its buffers; the
 * scanner caches them) and restarted for every stream. The UTF-8 it hands out
 * is always valid: invalid or unconvertible input becomes U+FFFD, so the engine
 * can match with PCRE2_NO_UTF_CHECK. A leading byte-order mark is dropped. A
 * multibyte sequence split across input blocks is carried over, never broken.
 * Memory is bounded (PS_DECODE_OUT_BYTES per decoder) whatever the input size.
 */
#ifndef PS_TEXT_DECODE_H
#define PS_TEXT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/stream.h"

#define PS_DECODE_IN_BYTES (16u * 1024u)  /* input bytes converted per step */
#define PS_DECODE_OUT_BYTES (64u * 1024u) /* output block (>= 3 x input + slack) */

struct ps_decoder;

/* A decoder for charset (as sniff/ names it: "utf-8", "us-ascii", "utf-16le",
 * "utf-16be", "iso-8859-1", "windows-1252", or any name iconv knows). Unknown
 * charsets fall back to UTF-8 with replacement (ps_decoder_is_fallback says so).
 * Caller frees with ps_decoder_free. ENOMEM. */
piiscan_status ps_decoder_new(const char *charset, struct ps_decoder **out);
void ps_decoder_free(struct ps_decoder *d);

/* Starts decoding src (borrowed until the end of the stream); *out hands out
 * UTF-8 blocks, valid until the next call. Failures of src end *out with them. */
void ps_decoder_start(struct ps_decoder *d, struct ps_stream *src, struct ps_stream *out);

/* The charset the decoder was made for (lower-case, as given). */
const char *ps_decoder_charset(const struct ps_decoder *d);
/* True when the charset was unknown to iconv and is read as UTF-8. */
bool ps_decoder_is_fallback(const struct ps_decoder *d);
/* U+FFFD characters inserted since ps_decoder_start. */
uint64_t ps_decoder_replaced(const struct ps_decoder *d);

/* Length of the valid UTF-8 sequence at s[0..n): >0 valid, 0 invalid first byte
 * (or bad sequence), -1 incomplete (a valid prefix cut by the end of s). */
int ps_utf8_seq(const unsigned char *s, size_t n);

#endif
