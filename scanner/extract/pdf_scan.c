/* extract/pdf_scan.c - the PDF extractor: ps_pdf_parse wired to the pipeline.
 *
 * PDF needs random access (the cross-reference table is at the end), so the
 * stream is read whole, up to max_buffer_bytes, into memory - never to a
 * temporary file. Page n's text is scanned under the logical path
 * "<file>!page-<n>" with lines counted from 1 on that page; the records are the
 * page's paragraphs (record 0: the engine derives them). Warnings name the file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "extract/pdf.h"
#include "util/lpath.h"

struct pdf_ctx {
    piiscan_scanner *sc;
    const char *lpath;
};

static piiscan_status on_page(void *ctx, unsigned page, const char *text, size_t len)
{
    struct pdf_ctx *c = ctx;
    char label[32];
    char *lp = NULL;
    piiscan_status rc;

    snprintf(label, sizeof label, "page-%u", page);
    rc = ps_lpath_join(c->lpath, label, &lp);
    if (rc == PIISCAN_ENOMEM)
        return rc;
    if (rc != PIISCAN_OK)
        return ps_warn(c->sc, c->lpath, rc, true, "page %u not scanned: logical path too long",
                       page);
    rc = ps_emit_text(c->sc, lp, text, len, 1, 0);
    free(lp);
    return rc;
}

static piiscan_status on_warn(void *ctx, piiscan_status st, bool partial, const char *msg)
{
    struct pdf_ctx *c = ctx;

    return ps_warn(c->sc, c->lpath, st, partial, "%s", msg);
}

static piiscan_status pdf_extract(piiscan_scanner *sc, struct ps_input *in)
{
    uint64_t cap = ps_scanner_options(sc)->max_buffer_bytes;
    struct pdf_ctx c = {sc, in->lpath};
    struct ps_pdf_sink sink = {&c, on_page, on_warn};
    struct ps_pdf_limits lim;
    char *buf = NULL;
    size_t len = 0;
    piiscan_status rc;

    rc = ps_stream_slurp(in->stream, cap, &buf, &len);
    if (rc == PIISCAN_ELIMIT)
        return ps_warn(sc, in->lpath, rc, false,
                       "PDF larger than %llu bytes (max_buffer_bytes): not scanned",
                       (unsigned long long)cap);
    if (rc != PIISCAN_OK)
        return rc;
    ps_pdf_limits_init(&lim);
    rc = ps_pdf_parse(buf, len, &lim, &sink);
    free(buf);
    return rc;
}

const struct ps_extractor ps_pdf_extractor = {
    .name = "pdf",
    .bid = ps_pdf_bid,
    .extract = pdf_extract,
    .is_container = 0,
};
