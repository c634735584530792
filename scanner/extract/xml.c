/* extract/xml.c - XML through expat, into the markup core.
 *
 * expat reads UTF-8, UTF-16, ISO-8859-1 and US-ASCII documents and hands out
 * UTF-8. It loads no external entities, and expat 2.4+ caps entity expansion
 * (billion laughs). A well-formedness error stops expat: we warn with its
 * message and line, and keep what was read before the error.
 */
#include <stdio.h>
#include <string.h>

#include <expat.h>

#include "extract/markup.h"

struct xml_state {
    struct ps_markup *m;
    XML_Parser p;
    piiscan_status rc;
};

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml_state *s = ud;

    if (s->rc == PIISCAN_OK)
        s->rc = ps_markup_start(s->m, name, (const char *const *)atts,
                                (uint64_t)XML_GetCurrentLineNumber(s->p));
    if (s->rc != PIISCAN_OK)
        XML_StopParser(s->p, XML_FALSE);
}

static void on_end(void *ud, const XML_Char *name)
{
    struct xml_state *s = ud;

    if (s->rc == PIISCAN_OK)
        s->rc = ps_markup_end(s->m, name);
    if (s->rc != PIISCAN_OK)
        XML_StopParser(s->p, XML_FALSE);
}

static void on_chars(void *ud, const XML_Char *ch, int len)
{
    struct xml_state *s = ud;

    if (s->rc == PIISCAN_OK && len > 0)
        s->rc = ps_markup_text(s->m, ch, (size_t)len, (uint64_t)XML_GetCurrentLineNumber(s->p));
    if (s->rc != PIISCAN_OK)
        XML_StopParser(s->p, XML_FALSE);
}

static piiscan_status xml_open(struct xml_state *s, const struct ps_recsink *sink)
{
    memset(s, 0, sizeof(*s));
    if (ps_markup_new(sink, false, &s->m) != PIISCAN_OK)
        return PIISCAN_ENOMEM;
    s->p = XML_ParserCreate(NULL);
    if (!s->p) {
        ps_markup_free(s->m);
        return PIISCAN_ENOMEM;
    }
    XML_SetUserData(s->p, s);
    XML_SetElementHandler(s->p, on_start, on_end);
    XML_SetCharacterDataHandler(s->p, on_chars);
    return PIISCAN_OK;
}

/* Returns the sink's failure, or ECORRUPT (after warning) on malformed XML. */
static piiscan_status xml_feed(struct xml_state *s, const struct ps_recsink *sink,
                               const char *buf, size_t len, int is_final)
{
    while (s->rc == PIISCAN_OK) {
        int n = len > (1u << 20) ? (1 << 20) : (int)len;
        int last = is_final && (size_t)n == len;

        if (XML_Parse(s->p, buf, n, last) == XML_STATUS_ERROR && s->rc == PIISCAN_OK) {
            char msg[200];

            snprintf(msg, sizeof(msg), "malformed XML at line %lu: %s; the part before was scanned",
                     (unsigned long)XML_GetCurrentLineNumber(s->p),
                     XML_ErrorString(XML_GetErrorCode(s->p)));
            sink->warn(sink->ctx, PIISCAN_ECORRUPT, msg);
            return PIISCAN_ECORRUPT;
        }
        buf += n;
        len -= (size_t)n;
        if (len == 0)
            break;
    }
    return s->rc;
}

static piiscan_status xml_close(struct xml_state *s, piiscan_status rc)
{
    if (rc == PIISCAN_OK || rc == PIISCAN_ECORRUPT) {
        piiscan_status frc = ps_markup_finish(s->m);

        if (frc != PIISCAN_OK)
            rc = frc;
        else if (rc == PIISCAN_ECORRUPT)
            rc = PIISCAN_OK;   /* already warned */
    }
    XML_ParserFree(s->p);
    ps_markup_free(s->m);
    return rc;
}

piiscan_status ps_xml_parse(const char *buf, size_t len, const struct ps_recsink *sink)
{
    struct xml_state s;
    piiscan_status rc = xml_open(&s, sink);

    if (rc != PIISCAN_OK)
        return rc;
    return xml_close(&s, xml_feed(&s, sink, buf, len, 1));
}

static int bid_xml(const struct ps_kind *kind, const char *head, size_t len)
{
    (void)head;
    (void)len;
    if (strcmp(kind->mime, "text/xml") == 0 || strcmp(kind->mime, "application/xml") == 0 ||
        strcmp(kind->mime, "image/svg+xml") == 0 || strcmp(kind->mime, "application/rss+xml") == 0)
        return 60;
    return 0;
}

static piiscan_status extract_xml(piiscan_scanner *sc, struct ps_input *in)
{
    struct ps_recsink_pipeline pipe;
    struct ps_recsink sink;
    struct xml_state s;
    piiscan_status rc;
    piiscan_status src = PIISCAN_OK;

    ps_recsink_pipeline_init(&pipe, sc, in->lpath, &sink);
    rc = xml_open(&s, &sink);
    if (rc != PIISCAN_OK)
        return rc;
    while (rc == PIISCAN_OK) {
        const void *buf;
        size_t len;

        src = in->stream->next(in->stream->h, &buf, &len);
        if (src != PIISCAN_OK || len == 0) {
            if (src == PIISCAN_OK)
                rc = xml_feed(&s, &sink, "", 0, 1);
            break;
        }
        rc = xml_feed(&s, &sink, buf, len, 0);
    }
    rc = xml_close(&s, rc);
    return rc == PIISCAN_OK ? src : rc;
}

const struct ps_extractor ps_xml_extractor = {
    .name = "xml",
    .bid = bid_xml,
    .extract = extract_xml,
    .is_container = 0,
};
