/* extract/mail.c - the mail parsing core: messages and mboxes into text and attachments.
 *
 * GMimeParser reads the input through a non-seekable stream (mail_stream.c), one
 * message at a time (GMIME_FORMAT_MBOX splits on "From " lines). Each message is
 * rendered as one text: its header fields (decoded; transport fields such as
 * Received, DKIM-Signature or Content-Type are left out, every other field is
 * kept so that nothing a person wrote is lost), a blank line, then its bodies in
 * MIME order - text/plain decoded to UTF-8 (GMime undoes the transfer encoding
 * and converts the charset; invalid UTF-8 is read as Windows-1252 when no
 * charset was declared, else repaired), text/html through the tag stripper.
 * Every alternative of a multipart/alternative is rendered (a value may then be
 * reported twice: losing data a client would show is worse). Every other leaf,
 * and any text part with a file name or an attachment disposition, is handed
 * out as an attachment after the message's text; message/rfc822 parts are
 * walked as messages of their own, nested up to max_nesting.
 * Problems GMime reports while parsing (missing or broken boundary, truncated
 * message) become one warning per message; the message is still rendered from
 * what parsed. Bounds: bytes per message (the stream), messages per mbox, parts
 * and multipart depth per message, header fields rendered, rendered text bytes.
 * File lines: after GMime returns a message, its raw bytes are cut out of the
 * stream's raw window (an mbox message ends where the next "From " line starts,
 * as in GMime) and every text of it gets a line map (mail_lines.c); each body
 * part's first rendered line is marked with its multipart boundary so the map
 * can place decoded content where that part starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "extract/mail.h"
#include "extract/mail_lines.h"
#include "extract/mail_stream.h"

/* ---- one-time process setup -------------------------------------------------------- */

static void log_drop(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer u)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)u;
}

/* g_mime_init() is not thread-safe: run it once per process, whoever comes first. */
static gpointer mail_init_once(gpointer unused)
{
    (void)unused;
    g_mime_init();
    g_log_set_handler("GMime", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, log_drop,
                      NULL);
    return NULL;
}

static void mail_init(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, mail_init_once, NULL);
}

void ps_mail_limits_init(struct ps_mail_limits *lim, uint64_t max_buffer_bytes)
{
    lim->max_message_bytes = max_buffer_bytes;
    lim->max_messages = PS_MAIL_MAX_MESSAGES;
    lim->max_parts = PS_MAIL_MAX_PARTS;
    lim->max_mime_depth = PS_MAIL_MAX_MIME_DEPTH;
    lim->max_nesting = PS_MAIL_MAX_NESTING;
}

/* ---- the rendered text of one message (capped) ------------------------------------ */

struct render {
    char *p;
    size_t len;
    size_t alloc;
    size_t cap;
    uint64_t lines; /* '\n' in p[0..len) */
    bool is_truncated;
};

static void render_add(struct render *r, const char *s, size_t n)
{
    if (r->len + n > r->cap) {
        r->is_truncated = true;
        n = r->cap - r->len;
        /* Never cut a UTF-8 sequence in two. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n == 0)
        return;
    if (r->len + n > r->alloc) {
        size_t want = r->alloc ? r->alloc : 4096;
        while (want < r->len + n)
            want *= 2;
        if (want > r->cap)
            want = r->cap;
        r->p = g_realloc(r->p, want); /* aborts on exhaustion, like all of GLib */
        r->alloc = want;
    }
    memcpy(r->p + r->len, s, n);
    r->len += n;
    for (size_t i = 0; i < n; i++)
        r->lines += s[i] == '\n';
}

static void render_str(struct render *r, const char *s)
{
    render_add(r, s, strlen(s));
}

/* A blank line between blocks (header block, bodies). */
static void render_gap(struct render *r)
{
    if (r->len > 0 && r->p[r->len - 1] != '\n')
        render_str(r, "\n");
    if (r->len > 0)
        render_str(r, "\n");
}

/* Takes ownership of s (g_malloc'd) and returns valid UTF-8. Undeclared 8-bit text
 * is most often Windows-1252 (Outlook); declared charsets were converted by GMime. */
static char *valid_utf8(char *s, bool has_charset)
{
    char *fixed;

    if (g_utf8_validate(s, -1, NULL))
        return s;
    fixed = has_charset ? NULL : g_convert(s, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
    if (!fixed)
        fixed = g_utf8_make_valid(s, -1);
    g_free(s);
    return fixed;
}

/* ---- header fields ---------------------------------------------------------------- */

/* Fields that carry routing, structure or client noise rather than what people wrote. */
static bool header_skipped(const char *name)
{
    static const char *const skip[] = {"received",
                                       "dkim-signature",
                                       "domainkey-signature",
                                       "authentication-results",
                                       "received-spf",
                                       "message-id",
                                       "in-reply-to",
                                       "references",
                                       "return-path",
                                       "mime-version",
                                       "date",
                                       "x-mailer",
                                       "user-agent",
                                       "precedence",
                                       "importance",
                                       "priority",
                                       "x-priority",
                                       "x-msmail-priority",
                                       "x-mimeole",
                                       "thread-index",
                                       "thread-topic",
                                       "x-originating-ip",
                                       "content-language",
                                       "accept-language",
                                       "x-original-to",
                                       "x-uid",
                                       "status",
                                       "x-status",
                                       "x-keywords",
                                       "lines",
                                       NULL};
    static const char *const skip_prefix[] = {
        "content-",   "arc-",  "x-ms-",  "x-microsoft-", "x-google-",    "x-gm-",
        "x-received", "list-", "x-spam", "x-virus",      "x-forefront-", NULL};

    for (size_t i = 0; skip[i]; i++)
        if (g_ascii_strcasecmp(name, skip[i]) == 0)
            return true;
    for (size_t i = 0; skip_prefix[i]; i++)
        if (g_ascii_strncasecmp(name, skip_prefix[i], strlen(skip_prefix[i])) == 0)
            return true;
    return false;
}

static void render_headers(struct render *r, GMimeObject *msg)
{
    GMimeHeaderList *hl = g_mime_object_get_header_list(msg);
    int n = hl ? g_mime_header_list_get_count(hl) : 0;
    unsigned shown = 0;

    for (int i = 0; i < n && shown < PS_MAIL_MAX_HEADERS; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        const char *name = g_mime_header_get_name(h);
        const char *value = g_mime_header_get_value(h); /* unfolded, RFC 2047 decoded */
        char *v;

        if (!name || !value || header_skipped(name))
            continue;
        v = valid_utf8(g_strdup(value), false);
        render_str(r, name);
        render_str(r, ": ");
        render_str(r, v);
        render_str(r, "\n");
        g_free(v);
        shown++;
    }
}

/* ---- walking the MIME tree -------------------------------------------------------- */

struct parse {
    const struct ps_mail_limits *lim;
    const struct ps_mail_sink *sink;
    unsigned gmime_warnings;    /* bit per GMimeParserWarning, for the current message */
    struct ps_mail_locator loc; /* the current message's raw bytes, for file lines */
    struct ps_mail_linemap map; /* reused by every text */
};

/* What a message's walk leaves for after its text: attachments and nested messages. */
struct walk {
    struct parse *ps;
    struct render text;
    GPtrArray *later; /* GMimeObject*, borrowed from the message */
    GArray *marks;    /* struct ps_mail_partmark: where each body starts in the text */
    unsigned parts;
    bool is_part_limited;
    bool is_depth_limited;
    bool has_encrypted;
};

static bool content_is(GMimeObject *o, const char *type, const char *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(o);

    return ct && g_mime_content_type_is_type(ct, type, subtype);
}

/* CRLF (the wire form of mail) and lone CR become LF, in place; returns the new length. */
static size_t unix_newlines(char *s, size_t len)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

static void render_text_part(struct walk *w, GMimePart *part, const char *boundary)
{
    GMimeObject *o = GMIME_OBJECT(part);
    bool has_charset = g_mime_object_get_content_type_parameter(o, "charset") != NULL;
    char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    size_t len;

    if (!text)
        return;
    text = valid_utf8(text, has_charset);
    len = unix_newlines(text, strlen(text));
    text[len] = '\0';
    render_gap(&w->text);
    if (!w->text.is_truncated) {
        struct ps_mail_partmark m = {w->text.lines, boundary};
        g_array_append_val(w->marks, m);
    }
    if (content_is(o, "text", "html")) {
        char *plain = g_malloc(len + 1);
        size_t n = ps_mail_html_text(text, len, plain);
        render_add(&w->text, plain, n);
        g_free(plain);
    } else {
        render_add(&w->text, text, len);
    }
    g_free(text);
}

/* A part a mail client shows as the message: inline text/plain or text/html. A text
 * part with a file name is a document of its own (notes.txt, a CSV): it goes back to
 * the pipeline, which may read it as a table. */
static bool is_body_text(GMimeObject *o)
{
    if (!GMIME_IS_TEXT_PART(o))
        return false;
    if (!content_is(o, "text", "plain") && !content_is(o, "text", "html"))
        return false;
    return g_mime_part_get_filename(GMIME_PART(o)) == NULL &&
           !g_mime_part_is_attachment(GMIME_PART(o));
}

/* Depth-first over the MIME tree, bounded in parts and depth (GMime bounds its own
 * nesting too). Bodies are rendered now; everything else waits in w->later so the
 * message's text is scanned before its attachments, in MIME order. */
static void walk_part(struct walk *w, GMimeObject *o, unsigned depth, const char *boundary)
{
    if (w->parts >= w->ps->lim->max_parts) {
        w->is_part_limited = true;
        return;
    }
    w->parts++;
    if (GMIME_IS_MULTIPART(o)) {
        GMimeMultipart *mp = GMIME_MULTIPART(o);
        int n = g_mime_multipart_get_count(mp);
        if (GMIME_IS_MULTIPART_ENCRYPTED(o))
            w->has_encrypted = true;
        if (depth >= w->ps->lim->max_mime_depth) {
            w->is_depth_limited = true;
            return;
        }
        for (int i = 0; i < n && !w->is_part_limited; i++)
            walk_part(w, g_mime_multipart_get_part(mp, i), depth + 1,
                      g_mime_multipart_get_boundary(mp));
    } else if (GMIME_IS_MESSAGE_PART(o)) {
        g_ptr_array_add(w->later, o);
    } else if (GMIME_IS_PART(o)) {
        if (GMIME_IS_APPLICATION_PKCS7_MIME(o))
            w->has_encrypted = true;
        if (is_body_text(o))
            render_text_part(w, GMIME_PART(o), boundary);
        else
            g_ptr_array_add(w->later, o);
    }
}

/* ---- labels ----------------------------------------------------------------------- */

/* parent + "!" + name (or just name under the file itself), with the name cut to
 * PS_MAIL_MAX_NAME_BYTES and '!' or control characters replaced: a label must not
 * forge a deeper logical path. Caller g_free()s. */
static char *label_join(const char *parent, const char *name)
{
    size_t n = strlen(name);
    char *clean;
    char *out;

    if (n > PS_MAIL_MAX_NAME_BYTES) {
        n = PS_MAIL_MAX_NAME_BYTES;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    clean = g_strndup(name, n);
    for (char *c = clean; *c; c++)
        if (*c == '!' || (unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '_';
    out = parent[0] ? g_strdup_printf("%s!%s", parent, clean) : g_strdup(clean);
    g_free(clean);
    return out;
}

/* The name an attachment or nested message gets: its file name, else kind-N. */
static char *item_name(GMimeObject *o, const char *kind, unsigned n)
{
    const char *fn = GMIME_IS_PART(o)
                         ? g_mime_part_get_filename(GMIME_PART(o))
                         : g_mime_object_get_content_disposition_parameter(o, "filename");
    char *v;

    if (fn && fn[0]) {
        v = valid_utf8(g_strdup(fn), false);
        return v;
    }
    return g_strdup_printf("%s-%u", kind, n);
}

/* ---- one message ------------------------------------------------------------------ */

static piiscan_status do_message(struct parse *ps, GMimeMessage *msg, const char *label,
                                 uint64_t record, unsigned nesting);

static piiscan_status hand_out_part(struct parse *ps, GMimePart *part, const char *label)
{
    GMimeDataWrapper *dw = g_mime_part_get_content(part);
    GMimeStream *mem;
    GByteArray *ba;
    piiscan_status rc;

    if (!dw)
        return PIISCAN_OK;
    mem = g_mime_stream_mem_new();
    /* Undoes base64 / quoted-printable / uuencode; never longer than the raw part,
     * which the per-message cap already bounds. */
    g_mime_data_wrapper_write_to_stream(dw, mem);
    ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    rc = ps->sink->attachment(ps->sink->ctx, label, (const char *)ba->data, ba->len);
    g_object_unref(mem);
    return rc;
}

static piiscan_status do_later(struct parse *ps, struct walk *w, const char *label,
                               unsigned nesting)
{
    piiscan_status rc = PIISCAN_OK;
    unsigned n_att = 0;
    unsigned n_msg = 0;

    for (guint i = 0; i < w->later->len && rc == PIISCAN_OK; i++) {
        GMimeObject *o = g_ptr_array_index(w->later, i);
        bool is_msg = GMIME_IS_MESSAGE_PART(o);
        char *name = is_msg ? item_name(o, "message", ++n_msg) : item_name(o, "part", ++n_att);
        char *sub = label_join(label, name);

        if (!is_msg) {
            rc = hand_out_part(ps, GMIME_PART(o), sub);
        } else {
            GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
            if (inner && nesting + 1 > ps->lim->max_nesting)
                rc = ps->sink->warn(ps->sink->ctx, sub, PIISCAN_ELIMIT, false,
                                    "attached message nested too deep: not scanned");
            else if (inner)
                rc = do_message(ps, inner, sub, 1, nesting + 1);
        }
        g_free(sub);
        g_free(name);
    }
    return rc;
}

/* Warnings about the message's own structure, after its text went out. */
static piiscan_status warn_walk(struct parse *ps, struct walk *w, const char *label)
{
    const struct ps_mail_sink *s = ps->sink;
    piiscan_status rc = PIISCAN_OK;

    if (w->text.is_truncated)
        rc = s->warn(s->ctx, label, PIISCAN_ELIMIT, true,
                     "message text cut at the size limit (max_buffer_bytes)");
    if (rc == PIISCAN_OK && (w->is_part_limited || w->is_depth_limited))
        rc = s->warn(s->ctx, label, PIISCAN_ELIMIT, true,
                     w->is_part_limited ? "too many MIME parts: the rest not scanned"
                                        : "MIME parts nested too deep: not scanned");
    if (rc == PIISCAN_OK && w->has_encrypted)
        rc = s->warn(s->ctx, label, PIISCAN_EENCRYPTED, true,
                     "encrypted part (PGP/MIME or S/MIME): not scanned");
    return rc;
}

static piiscan_status do_message(struct parse *ps, GMimeMessage *msg, const char *label,
                                 uint64_t record, unsigned nesting)
{
    struct walk w = {0};
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    piiscan_status rc;

    w.ps = ps;
    w.text.cap = (size_t)ps->lim->max_message_bytes;
    w.later = g_ptr_array_new();
    w.marks = g_array_new(FALSE, FALSE, sizeof(struct ps_mail_partmark));
    render_headers(&w.text, GMIME_OBJECT(msg));
    if (body)
        walk_part(&w, body, 0, NULL);
    /* One text per message: header fields and bodies share the record. Its lines
     * are looked up in the raw message; nested messages go on from there. */
    ps_mail_lines_map(&ps->loc, w.text.p ? w.text.p : "", w.text.len,
                      (const struct ps_mail_partmark *)(void *)w.marks->data, w.marks->len, &ps->map);
    rc = ps->sink->text(ps->sink->ctx, label, w.text.p ? w.text.p : "", w.text.len, record,
                        &ps->map);
    if (rc == PIISCAN_OK)
        rc = warn_walk(ps, &w, label);
    if (rc == PIISCAN_OK)
        rc = do_later(ps, &w, label, nesting);
    g_ptr_array_free(w.later, TRUE);
    g_array_free(w.marks, TRUE);
    g_free(w.text.p);
    return rc;
}

/* ---- GMime's parser warnings ------------------------------------------------------ */

static void on_gmime_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
                             gpointer user)
{
    struct parse *ps = user;

    (void)offset;
    (void)item; /* may hold dump content: never shown */
    if ((unsigned)code < 32)
        ps->gmime_warnings |= 1u << (unsigned)code;
}

/* The structural problems worth a warning ("the message may be read differently"). */
static piiscan_status warn_gmime(struct parse *ps, const char *label)
{
    static const struct {
        GMimeParserWarning code;
        const char *text;
    } serious[] = {
        {GMIME_WARN_MALFORMED_MULTIPART, "multipart not closed by its boundary"},
        {GMIME_WARN_TRUNCATED_MESSAGE, "truncated message (closing boundary missing)"},
        {GMIME_WARN_MALFORMED_MESSAGE, "malformed message"},
        {GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY, "multipart without boundary"},
        {GMIME_CRIT_NESTING_OVERFLOW, "MIME nesting too deep"},
        {GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT, "part without headers or content"},
        {GMIME_CRIT_CONFLICTING_HEADER, "conflicting header fields"},
    };
    char msg[512];
    size_t len = 0;

    for (size_t i = 0; i < sizeof serious / sizeof serious[0]; i++) {
        if (!(ps->gmime_warnings & (1u << (unsigned)serious[i].code)))
            continue;
        int n = snprintf(msg + len, sizeof msg - len, "%s%s",
                         len ? "; " : "broken MIME: ", serious[i].text);
        if (n > 0 && (size_t)n < sizeof msg - len)
            len += (size_t)n;
    }
    if (len == 0)
        return PIISCAN_OK;
    return ps->sink->warn(ps->sink->ctx, label, PIISCAN_ECORRUPT, true, msg);
}

/* ---- the driver ------------------------------------------------------------------- */

/* After the messages: why the mailbox may not have been read to its end. */
static piiscan_status warn_stream(struct parse *ps, GMimeStream *st, uint64_t n_msgs, bool hit_max)
{
    const struct ps_mail_sink *s = ps->sink;
    piiscan_status sst = ps_mail_stream_status(st);
    char msg[160];

    if (hit_max) {
        snprintf(msg, sizeof msg, "more than %llu messages: the rest not scanned",
                 (unsigned long long)ps->lim->max_messages);
        return s->warn(s->ctx, "", PIISCAN_ELIMIT, true, msg);
    }
    if (sst == PIISCAN_ELIMIT) {
        snprintf(msg, sizeof msg,
                 "message %llu larger than %llu bytes (max_buffer_bytes): cut there, "
                 "the rest not scanned",
                 (unsigned long long)n_msgs, (unsigned long long)ps->lim->max_message_bytes);
        return s->warn(s->ctx, "", PIISCAN_ELIMIT, true, msg);
    }
    if (sst != PIISCAN_OK) {
        snprintf(msg, sizeof msg, "input failed after %llu bytes: the rest not scanned",
                 (unsigned long long)ps_mail_stream_total(st));
        return s->warn(s->ctx, "", sst, true, msg);
    }
    return PIISCAN_OK;
}

/* Points ps->loc at the raw bytes of the message GMime just returned and drops
 * the window before them. An mbox message runs from the line after its "From "
 * line to the next "From " line (where GMime splits); *next_from is where the
 * next one is looked for. A single message is the whole window. */
static void locate_message(struct parse *ps, GMimeStream *st, enum ps_mail_format fmt,
                           uint64_t *next_from)
{
    struct ps_mail_raw raw;
    size_t from;
    size_t start;
    size_t body;
    size_t end;

    ps_mail_stream_window(st, &raw);
    if (fmt == PS_MAIL_MBOX) {
        from = *next_from > raw.off ? (size_t)MIN(*next_from - raw.off, (uint64_t)raw.len) : 0;
        if (!ps_mail_mbox_region(raw.p, raw.len, from, &start, &body, &end)) {
            body = from;
            end = raw.len;
        }
        *next_from = raw.off + end;
        ps_mail_stream_drop(st, raw.off + body);
        ps_mail_stream_window(st, &raw);
        end = *next_from > raw.off ? (size_t)MIN(*next_from - raw.off, (uint64_t)raw.len) : 0;
    } else {
        end = raw.len;
    }
    ps_mail_locator_init(&ps->loc, raw.p, end, raw.line);
}

piiscan_status ps_mail_parse(struct ps_stream *in, enum ps_mail_format fmt,
                             const struct ps_mail_limits *lim, const struct ps_mail_sink *sink)
{
    struct parse ps = {0};
    GMimeStream *st;
    GMimeParser *parser;
    GMimeParserOptions *opts;
    static const char *const fallback[] = {"UTF-8", "WINDOWS-1252", NULL};
    piiscan_status rc = PIISCAN_OK;
    uint64_t n = 0;
    uint64_t next_from = 0;
    bool hit_max = false;

    ps.lim = lim;
    ps.sink = sink;
    mail_init();
    st = ps_mail_stream_new(in, lim->max_message_bytes);
    if (fmt == PS_MAIL_MBOX)
        ps_mail_stream_set_mbox(st);
    parser = g_mime_parser_new_with_stream(st);
    g_mime_parser_set_format(parser,
                             fmt == PS_MAIL_MBOX ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
    opts = g_mime_parser_options_new();
    g_mime_parser_options_set_fallback_charsets(opts, (const char **)fallback);
    g_mime_parser_options_set_warning_callback(opts, on_gmime_warning, &ps);

    while (rc == PIISCAN_OK && !g_mime_parser_eos(parser)) {
        GMimeMessage *msg;
        char label[32];

        if (n >= lim->max_messages) {
            hit_max = true;
            break;
        }
        /* GMime reports problems through the callback while it builds the message. */
        ps.gmime_warnings = 0;
        msg = g_mime_parser_construct_message(parser, opts);
        if (!msg) {
            /* nothing parseable left (trailing garbage, cap, failure): never silently */
            if (n > 0 && !g_mime_parser_eos(parser) &&
                ps_mail_stream_status(st) == PIISCAN_OK) {
                char why[96];
                snprintf(why, sizeof why,
                         "parsing stopped after message %llu: the rest is not readable mail",
                         (unsigned long long)n);
                rc = sink->warn(sink->ctx, "", PIISCAN_ECORRUPT, true, why);
            }
            break;
        }
        n++;
        locate_message(&ps, st, fmt, &next_from);
        label[0] = '\0';
        if (fmt == PS_MAIL_MBOX)
            snprintf(label, sizeof label, "msg-%04llu", (unsigned long long)n);
        rc = do_message(&ps, msg, label, n, 0);
        if (rc == PIISCAN_OK)
            rc = warn_gmime(&ps, label);
        g_object_unref(msg);
        /* The next message gets a fresh max_message_bytes, the window loses this one. */
        ps_mail_stream_mark(st);
        ps_mail_stream_drop(st, next_from);
        if (fmt == PS_MAIL_MESSAGE)
            break;
    }
    if (rc == PIISCAN_OK && n == 0)
        rc = sink->warn(sink->ctx, "", PIISCAN_ECORRUPT, false,
                        fmt == PS_MAIL_MBOX ? "no message found in mailbox"
                                            : "not a readable MIME message");
    else if (rc == PIISCAN_OK)
        rc = warn_stream(&ps, st, n, hit_max);
    g_mime_parser_options_free(opts);
    g_object_unref(parser);
    g_object_unref(st);
    ps_mail_linemap_clear(&ps.map);
    return rc;
}

/* ---- recognition ------------------------------------------------------------------ */

/* Length of the header field name at s (RFC 5322 ftext, then ':'), or 0. */
static size_t field_name(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && i < 76 && s[i] > 32 && s[i] < 127 && s[i] != ':')
        i++;
    return (i > 0 && i < len && s[i] == ':') ? i : 0;
}

static bool is_mail_field(const char *s, size_t n)
{
    static const char *const fields[] = {
        "from",         "received", "message-id",  "return-path", "mime-version",
        "delivered-to", "x-mailer", "in-reply-to", "references",  NULL};

    for (size_t i = 0; fields[i]; i++)
        if (strlen(fields[i]) == n && g_ascii_strncasecmp(s, fields[i], n) == 0)
            return true;
    return false;
}

/* Counts the header block starting at head[pos]: fields seen, mail-specific ones
 * among them. Stops at the first blank line or at a line that is no field. */
static void header_block(const char *head, size_t len, size_t pos, unsigned *fields,
                         unsigned *mail_fields)
{
    *fields = 0;
    *mail_fields = 0;
    while (pos < len && *fields < 200) {
        const char *eol = memchr(head + pos, '\n', len - pos);
        size_t line_end = eol ? (size_t)(eol - head) : len;
        size_t n;

        if (head[pos] == '\n' || head[pos] == '\r')
            return; /* end of the header block */
        if (head[pos] != ' ' && head[pos] != '\t') {
            n = field_name(head + pos, line_end - pos);
            if (n == 0)
                return;
            (*fields)++;
            if (is_mail_field(head + pos, n))
                (*mail_fields)++;
        }
        if (!eol)
            return;
        pos = line_end + 1;
    }
}

int ps_mail_sniff(const char *head, size_t len)
{
    size_t pos = 0;
    unsigned fields;
    unsigned mail_fields;
    bool is_mbox = false;

    if (len > 16384)
        len = 16384;
    if (len >= 5 && memcmp(head, "From ", 5) == 0) {
        const char *eol = memchr(head, '\n', len);
        if (!eol)
            return -1;
        is_mbox = true;
        pos = (size_t)(eol - head) + 1;
    }
    header_block(head, len, pos, &fields, &mail_fields);
    /* An mbox "From " line vouches for the block; a bare block must look like mail. */
    if (is_mbox && fields >= 1)
        return PS_MAIL_MBOX;
    if (fields >= 2 && mail_fields >= 1)
        return PS_MAIL_MESSAGE;
    return -1;
}

int ps_mail_bid(const struct ps_kind *kind, const char *head, size_t head_len)
{
    /* libmagic calls an mbox text/plain, text/html when a message holds HTML, or
     * binary when an attachment is raw 8-bit: the signature itself (an mbox "From "
     * line or a block of mail header fields) outbids the text and HTML readers. */
    if (ps_mail_sniff(head, head_len) >= 0)
        return 85;
    if (strcmp(kind->mime, "message/rfc822") == 0 || strcmp(kind->mime, "application/mbox") == 0 ||
        strcmp(kind->mime, "message/news") == 0)
        return 80;
    return 0;
}
