/* extract/mail.h - e-mail: single messages (.eml, message/rfc822) and mbox files (GMime 3).
 *
 * Parsing core (mail.c) and pipeline adapter (mail_scan.c) are separate so the
 * core can be tested alone: ps_mail_parse() pulls the bytes from a ps_stream,
 * walks every message and calls a sink:
 *   text        the message rendered as text: its headers (decoded RFC 2047), a
 *               blank line, then every text/plain body and every text/html body with
 *               the tags dropped (transfer encodings and charsets decoded to UTF-8);
 *               one call per message, record = message number (a message is a record)
 *   attachment  the decoded content of every other leaf part (and of text parts that
 *               carry a file name), for the pipeline to sniff and extract again
 *   warn        a member failure (broken MIME, limit hit, encrypted part); what
 *               parsed is still handed out
 * Labels are relative to the file: "" for the single message of a .eml,
 * "msg-0042" for the 42nd message of an mbox (1-based, at least 4 digits),
 * "msg-0042!payroll.csv" for an attachment, "msg-0042!message-1" (or the part's
 * file name) for a message/rfc822 part, which is walked like a top-level message
 * (its record is 1, its own label being unique). The adapter joins them to the
 * logical path of the file: "leak.zip!exec.mbox!msg-0042!payroll.csv".
 *
 * Memory: an mbox is streamed (a GMimeStream pulls from the ps_stream); only the
 * message being parsed is in memory, and at most max_message_bytes of it.
 * GMime is initialised once per process by the core itself (g_once), so callers
 * need not call g_mime_init(); GMime's and GLib's own logging for the "GMime"
 * domain is silenced then, so no dump content reaches stderr through it.
 */
#ifndef PS_EXTRACT_MAIL_H
#define PS_EXTRACT_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/stream.h"
#include "extract/registry.h"
#include "sniff/sniff.h"

/* Bounds of the mail reader (defaults; ps_mail_limits_init). */
#define PS_MAIL_MAX_MESSAGES 10000000ULL /* messages per mbox */
#define PS_MAIL_MAX_PARTS 10000u         /* MIME parts walked per message */
#define PS_MAIL_MAX_MIME_DEPTH 32u       /* multipart inside multipart */
#define PS_MAIL_MAX_NESTING 8u           /* message/rfc822 inside a message */
#define PS_MAIL_MAX_HEADERS 1000u        /* header fields rendered per message */
#define PS_MAIL_MAX_NAME_BYTES 255u      /* attachment file name in a label */

enum ps_mail_format { PS_MAIL_MESSAGE = 0, PS_MAIL_MBOX = 1 };

struct ps_mail_limits {
    uint64_t max_message_bytes; /* raw bytes of one message (and of its rendered text) */
    uint64_t max_messages;
    unsigned max_parts;
    unsigned max_mime_depth;
    unsigned max_nesting;
};

/* Every callback returns OK to go on; anything else (EABORTED, ENOMEM) stops the
 * parse and is returned by ps_mail_parse. Pointers are borrowed for the call. */
struct ps_mail_sink {
    void *ctx;
    /* UTF-8, valid, not NUL-terminated past len. */
    piiscan_status (*text)(void *ctx, const char *label, const char *text, size_t len,
                           uint64_t record);
    piiscan_status (*attachment)(void *ctx, const char *label, const char *buf, size_t len);
    /* partial: part of the labelled item was handed out before the problem. */
    piiscan_status (*warn)(void *ctx, const char *label, piiscan_status st, bool partial,
                           const char *msg);
};

/* Defaults: max_message_bytes = max_buffer_bytes (pass PS_DEFAULT_MAX_BUFFER_BYTES
 * when there is no scanner), other fields from the PS_MAIL_MAX_* above. */
void ps_mail_limits_init(struct ps_mail_limits *lim, uint64_t max_buffer_bytes);

/* Parses in as one message or as an mbox and calls sink (see above). Malformed
 * input is a warn() call, never an error: returns OK, or what a callback returned. */
piiscan_status ps_mail_parse(struct ps_stream *in, enum ps_mail_format fmt,
                             const struct ps_mail_limits *lim, const struct ps_mail_sink *sink);

/* What head[0..len) looks like: PS_MAIL_MBOX when it opens with an mbox "From "
 * line followed by header fields, PS_MAIL_MESSAGE when it opens with a block of
 * header fields that includes mail-specific ones (From:, Received:, Message-ID:,
 * MIME-Version: ...), -1 otherwise. Used for bids: libmagic 5.44 calls an mbox
 * and many messages "text/plain". */
int ps_mail_sniff(const char *head, size_t len);

/* Bid (registry.h): 85 for any head that ps_mail_sniff recognises (libmagic 5.44
 * says text/plain for an mbox, text/html when HTML appears early, binary for raw
 * 8-bit parts: the signature must beat the text and HTML readers); 80 for what
 * libmagic calls message/rfc822, message/news or application/mbox; 0 otherwise. */
int ps_mail_bid(const struct ps_kind *kind, const char *head, size_t head_len);

/* Drops the tags of html[0..len) and writes the text to out, which must hold
 * len + 1 bytes (the text is never longer than its HTML; out is NUL-terminated).
 * <script>, <style> and comments are dropped with their content; runs of white
 * space collapse to one space; block elements (p, div, br, tr, li, h1..h6, ...)
 * end a line, table cells are separated by a tab; character references (&amp;
 * &lt; &nbsp; &#233; &#xE9; and common names) are decoded to UTF-8. Bytes are
 * otherwise copied unchanged (so UTF-8 in, UTF-8 out). Returns the length. */
size_t ps_mail_html_text(const char *html, size_t len, char *out);

/* The registry entry (mail_scan.c): "mail", a container (attachments get FILE events). */
extern const struct ps_extractor ps_mail_extractor;

#endif
