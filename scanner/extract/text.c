/* extract/text.c - plain text of any charset -> UTF-8 -> chunks -> engine.
 *
 * The generic text extractor bids low (10) on anything sniff/ calls text, so
 * every specific format (mail, JSON, tables, ...) outbids it. The stream is
 * decoded by a cached per-scanner decoder (text/decode.c) and cut into
 * overlapping chunks (text/chunk.c) that go to ps_scan_unit. Memory stays at
 * one decoder and one chunk window, whatever the file size.
 */
#include "extract/text.h"

#include "pipeline/private.h"

static int bid_text(const struct ps_kind *kind, const char *head, size_t head_len)
{
    (void)head;
    (void)head_len;
    return kind->is_text ? 10 : 0;
}

static piiscan_status extract_text(piiscan_scanner *sc, struct ps_input *in)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_decoder *d = NULL;
    struct ps_stream u8;

    d = ps_scanner_decoder(sc, in->kind->charset);
    if (d == NULL)
        return PIISCAN_ENOMEM;
    ps_decoder_start(d, in->stream, &u8);
    rc = ps_scan_utf8_stream(sc, in->lpath, &u8, 1, 0);
    ps_scanner_decoder_put(sc, d);
    return rc;
}

const struct ps_extractor ps_text_extractor = {"text", bid_text, extract_text, 0};
