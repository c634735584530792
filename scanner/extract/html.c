/* extract/html.c - HTML through libxml2's push parser (SAX), into the markup core.
 *
 * libxml2 copes with tag soup, detects the charset (BOM, <meta charset>) and hands
 * out UTF-8; we only forward its events. Its own error printing is switched off
 * (HTML_PARSE_NOERROR | NOWARNING): content from a dump never reaches stderr.
 * No network, no entity loading (HTML_PARSE_NONET). The document is streamed in
 * blocks, so its size does not matter.
 */
#include <pthread.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "extract/markup.h"

struct html_state {
    struct ps_markup *m;
    htmlParserCtxtPtr ctxt;
    piiscan_status rc;        /* first failure from the sink (EABORTED, ENOMEM) */
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static htmlSAXHandler html_sax;   /* written once under pthread_once, read-only after */

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts);
static void on_end(void *ctx, const xmlChar *name);
static void on_chars(void *ctx, const xmlChar *ch, int len);

static void init_libxml(void)
{
    xmlInitParser();
    html_sax.startElement = on_start;
    html_sax.endElement = on_end;
    html_sax.characters = on_chars;
    html_sax.cdataBlock = on_chars;
}

static struct html_state *state_of(void *ctx)
{
    return ((htmlParserCtxtPtr)ctx)->_private;
}

static uint64_t line_of(void *ctx)
{
    int l = xmlSAX2GetLineNumber(ctx);

    return l > 0 ? (uint64_t)l : 1;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    struct html_state *s = state_of(ctx);

    if (s->rc == PIISCAN_OK)
        s->rc = ps_markup_start(s->m, (const char *)name, (const char *const *)atts, line_of(ctx));
    if (s->rc != PIISCAN_OK)
        xmlStopParser(ctx);
}

static void on_end(void *ctx, const xmlChar *name)
{
    struct html_state *s = state_of(ctx);

    if (s->rc == PIISCAN_OK)
        s->rc = ps_markup_end(s->m, (const char *)name);
    if (s->rc != PIISCAN_OK)
        xmlStopParser(ctx);
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    struct html_state *s = state_of(ctx);

    if (s->rc == PIISCAN_OK && len > 0)
        s->rc = ps_markup_text(s->m, (const char *)ch, (size_t)len, line_of(ctx));
    if (s->rc != PIISCAN_OK)
        xmlStopParser(ctx);
}

/* Starts a push parser over the first bytes. */
static piiscan_status html_open(struct html_state *s, const struct ps_recsink *sink,
                                const char *head, size_t len)
{
    pthread_once(&xml_once, init_libxml);
    memset(s, 0, sizeof(*s));
    if (ps_markup_new(sink, true, &s->m) != PIISCAN_OK)
        return PIISCAN_ENOMEM;
    s->ctxt = htmlCreatePushParserCtxt(&html_sax, NULL, head, (int)(len > 4 ? 4 : len), NULL,
                                       XML_CHAR_ENCODING_NONE);
    if (!s->ctxt) {
        ps_markup_free(s->m);
        return PIISCAN_ENOMEM;
    }
    s->ctxt->_private = s;
    htmlCtxtUseOptions(s->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    return PIISCAN_OK;
}

static piiscan_status html_feed(struct html_state *s, const char *buf, size_t len, int end)
{
    while (s->rc == PIISCAN_OK && (len > 0 || end)) {
        int n = len > (1u << 20) ? (1 << 20) : (int)len;

        htmlParseChunk(s->ctxt, buf, n, end && (size_t)n == len);
        buf += n;
        len -= (size_t)n;
        if (len == 0)
            break;
    }
    return s->rc;
}

static piiscan_status html_close(struct html_state *s)
{
    piiscan_status rc = s->rc;

    if (rc == PIISCAN_OK)
        rc = ps_markup_finish(s->m);
    htmlFreeParserCtxt(s->ctxt);
    ps_markup_free(s->m);
    return rc;
}

piiscan_status ps_html_parse(const char *buf, size_t len, const struct ps_recsink *sink)
{
    struct html_state s;
    size_t first = len > 4 ? 4 : len;
    piiscan_status rc = html_open(&s, sink, buf, len);

    if (rc != PIISCAN_OK)
        return rc;
    html_feed(&s, buf + first, len - first, 1);
    return html_close(&s);
}

static int bid_html(const struct ps_kind *kind, const char *head, size_t len)
{
    (void)head;
    (void)len;
    if (strcmp(kind->mime, "text/html") == 0 || strcmp(kind->mime, "application/xhtml+xml") == 0)
        return 80;
    return 0;
}

static piiscan_status extract_html(piiscan_scanner *sc, struct ps_input *in)
{
    struct ps_recsink_pipeline pipe;
    struct ps_recsink sink;
    struct html_state s;
    const void *buf;
    size_t len = 0;
    piiscan_status rc;
    piiscan_status src;

    ps_recsink_pipeline_init(&pipe, sc, in->lpath, &sink);
    src = in->stream->next(in->stream->h, &buf, &len);
    if (src != PIISCAN_OK || len == 0)
        return src;
    rc = html_open(&s, &sink, buf, len);
    if (rc != PIISCAN_OK)
        return rc;
    if (len > 4)
        rc = html_feed(&s, (const char *)buf + 4, len - 4, 0);
    while (rc == PIISCAN_OK) {
        src = in->stream->next(in->stream->h, &buf, &len);
        if (src != PIISCAN_OK || len == 0)
            break;
        rc = html_feed(&s, buf, len, 0);
    }
    if (rc == PIISCAN_OK)
        rc = html_feed(&s, "", 0, 1);
    rc = rc == PIISCAN_OK ? html_close(&s) : (html_close(&s), rc);
    return rc == PIISCAN_OK ? src : rc;
}

const struct ps_extractor ps_html_extractor = {
    .name = "html",
    .bid = bid_html,
    .extract = extract_html,
    .is_container = 0,
};
