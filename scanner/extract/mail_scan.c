/* extract/mail_scan.c - the mail extractor: ps_mail_parse wired to the pipeline.
 *
 * The adapter between the parsing core (mail.c, which knows nothing of
 * scanners) and the pipeline: labels become logical paths under the file's
 * ("exec.mbox" + "msg-0042!payroll.csv"), a message's text goes to
 * ps_emit_text with the message number as its record, an attachment goes back
 * to ps_dispatch one level deeper (so it is sniffed and extracted like any
 * file: a CSV becomes rows, a zip is opened, a PDF read), warnings go to
 * ps_warn. The input stream is handed to the core as is: an mbox is streamed.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/mail.h"
#include "util/lpath.h"

struct mail_ctx {
    piiscan_scanner *sc;
    const struct ps_input *in;
};

/* *out = the logical path for label (the file's own for ""); caller frees. */
static piiscan_status lpath_for(const struct mail_ctx *c, const char *label, char **out)
{
    if (label[0] == '\0') {
        *out = strdup(c->in->lpath);
        return *out ? PIISCAN_OK : PIISCAN_ENOMEM;
    }
    return ps_lpath_join(c->in->lpath, label, out);
}

/* A path too long to name is a warning on the file, not the end of the scan. */
static piiscan_status path_failed(const struct mail_ctx *c, piiscan_status rc)
{
    if (rc == PIISCAN_ENOMEM)
        return rc;
    return ps_warn(c->sc, c->in->lpath, rc, true, "item not scanned: logical path too long");
}

static piiscan_status on_text(void *ctx, const char *label, const char *text, size_t len,
                              uint64_t record)
{
    struct mail_ctx *c = ctx;
    char *lp = NULL;
    piiscan_status rc = lpath_for(c, label, &lp);

    if (rc != PIISCAN_OK)
        return path_failed(c, rc);
    rc = ps_emit_text(c->sc, lp, text, len, 1, record);
    free(lp);
    return rc;
}

static piiscan_status on_attachment(void *ctx, const char *label, const char *buf, size_t len)
{
    struct mail_ctx *c = ctx;
    struct ps_mem_stream mem;
    struct ps_stream st;
    char *lp = NULL;
    piiscan_status rc = lpath_for(c, label, &lp);

    if (rc != PIISCAN_OK)
        return path_failed(c, rc);
    ps_mem_stream_init(&mem, buf, len, &st);
    rc = ps_dispatch(c->sc, lp, c->in->depth + 1, &st);
    free(lp);
    return rc;
}

static piiscan_status on_warn(void *ctx, const char *label, piiscan_status st, bool partial,
                              const char *msg)
{
    struct mail_ctx *c = ctx;
    char *lp = NULL;
    piiscan_status rc = lpath_for(c, label, &lp);

    if (rc != PIISCAN_OK)
        return path_failed(c, rc);
    rc = ps_warn(c->sc, lp, st, partial, "%s", msg);
    free(lp);
    return rc;
}

static piiscan_status mail_extract(piiscan_scanner *sc, struct ps_input *in)
{
    struct mail_ctx c = {sc, in};
    struct ps_mail_sink sink = {&c, on_text, on_attachment, on_warn};
    struct ps_mail_limits lim;
    enum ps_mail_format fmt = PS_MAIL_MESSAGE;

    ps_mail_limits_init(&lim, ps_scanner_options(sc)->max_buffer_bytes);
    if (in->head_len >= 5 && memcmp(in->head, "From ", 5) == 0)
        fmt = PS_MAIL_MBOX;
    return ps_mail_parse(in->stream, fmt, &lim, &sink);
}

const struct ps_extractor ps_mail_extractor = {
    .name = "mail",
    .bid = ps_mail_bid,
    .extract = mail_extract,
    .is_container = 1,
};
