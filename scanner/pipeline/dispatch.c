/* pipeline/dispatch.c - stream -> sniff -> extractor -> events.
 *
 * ps_dispatch is the one place where a stream becomes a "file" in the report:
 * it peeks the head (PS_SNIFF_HEAD bytes) into a buffer, sniffs it, lets the
 * registry pick the extractor with the highest bid, and wraps the extractor
 * between FILE_BEGIN and FILE_END. The extractor reads a stream that replays the
 * head and then continues with the source, so nothing is read twice.
 *
 * Who reports a failure: whoever produced the stream that failed. If the
 * extractor fails because its input stream failed (an archive member over a
 * bound, a read error), the producer (archive reader, file reader) has the
 * reason and gives the warning; dispatch warns only about the extractor's own
 * failures. Fatal statuses (ENOMEM, EABORTED) unwind without more events.
 *
 * ps_scan_unit runs the engine over one unit and turns findings into events;
 * the min_confidence filter lives here, so extractors and engine need not know it.
 */
#include "pipeline/internal.h"
#include "pipeline/peek.h"
#include "pipeline/private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/registry.h"
#include "extract/text.h"
#include "util/limits.h"
#include "util/lpath.h"

#define PS_WARN_BYTES 1024u

/* Binary data no extractor bids on, with scan_binary: its strings are scanned. */
static const struct ps_extractor strings_extractor = {"strings", NULL, ps_strings_extract, 0};

static piiscan_status emit(piiscan_scanner *sc, const piiscan_event *ev)
{
    if (sc->is_aborted)
        return PIISCAN_EABORTED;
    if (sc->cb != NULL && sc->cb(ev, sc->user) == PIISCAN_ABORT) {
        sc->is_aborted = true;
        return PIISCAN_EABORTED;
    }
    return PIISCAN_OK;
}

piiscan_status ps_warn(piiscan_scanner *sc, const char *lpath, piiscan_status st, bool partial,
                       const char *fmt, ...)
{
    char msg[PS_WARN_BYTES];
    va_list ap;
    piiscan_warning w;
    piiscan_event ev;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    memset(&ev, 0, sizeof(ev));
    w.lpath = lpath;
    w.status = (int)st;
    w.message = msg;
    w.is_partial = partial;
    ev.kind = PIISCAN_EV_WARNING;
    ev.warning = &w;
    return emit(sc, &ev);
}

static piiscan_status file_event(piiscan_scanner *sc, piiscan_event_kind kind,
                                 const piiscan_file_info *fi)
{
    piiscan_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.kind = kind;
    ev.file = fi;
    return emit(sc, &ev);
}

piiscan_status ps_dispatch(piiscan_scanner *sc, const char *lpath, unsigned depth,
                           struct ps_stream *in)
{
    piiscan_status rc = PIISCAN_OK;
    char *head = NULL;
    struct ps_peek pk;
    struct ps_stream s;
    struct ps_kind kind;
    const struct ps_extractor *ex = NULL;
    piiscan_file_info fi;

    if (sc->is_aborted)
        return PIISCAN_EABORTED;
    if (depth > sc->opt.max_depth)
        return ps_warn(sc, lpath, PIISCAN_ELIMIT, false,
                       "skipped: nested deeper than %u (--max-depth)", sc->opt.max_depth);
    head = malloc(PS_SNIFF_HEAD);
    if (head == NULL)
        return PIISCAN_ENOMEM;
    ps_peek_init(&pk, in, head, PS_SNIFF_HEAD, &s);
    ps_sniff(sc->sniffer, pk.head, pk.head_len, ps_lpath_leaf(lpath), &kind);
    ex = ps_registry_pick(&kind, pk.head, pk.head_len);
    if (ex == NULL && sc->opt.scan_binary)
        ex = &strings_extractor;

    memset(&fi, 0, sizeof(fi));
    fi.lpath = lpath;
    fi.mime = kind.mime;
    fi.charset = kind.is_text ? kind.charset : "";
    fi.format = ex != NULL ? ex->name : "binary";
    fi.depth = depth;
    fi.is_container = ex != NULL && ex->is_container;
    fi.is_skipped = ex == NULL;
    rc = file_event(sc, PIISCAN_EV_FILE_BEGIN, &fi);
    if (rc != PIISCAN_OK)
        goto out;
    if (ex != NULL) {
        struct ps_input input = {lpath, depth, &kind, pk.head, pk.head_len, &s};
        rc = ex->extract(sc, &input);
        if (rc == PIISCAN_EABORTED || rc == PIISCAN_ENOMEM)
            goto out;
        if (rc != PIISCAN_OK && rc != pk.src_fail) {
            rc = ps_warn(sc, lpath, rc, pk.consumed > 0, "%s: %s",
                         rc == PIISCAN_EENCRYPTED ? "skipped" : "not fully read",
                         piiscan_strerror(rc));
            if (rc != PIISCAN_OK)
                goto out;
        }
        rc = PIISCAN_OK;
    }
    fi.bytes = pk.consumed > pk.head_len ? pk.consumed : pk.head_len;
    rc = file_event(sc, PIISCAN_EV_FILE_END, &fi);
out:
    free(head);
    return rc;
}

/* Engine findings -> FINDING events, below min_confidence dropped. */
static int on_finding(void *ctx, const piiscan_finding *f)
{
    piiscan_scanner *sc = ctx;
    piiscan_event ev;

    if (f->confidence < sc->opt.min_confidence)
        return PIISCAN_CONTINUE;
    memset(&ev, 0, sizeof(ev));
    ev.kind = PIISCAN_EV_FINDING;
    ev.finding = f;
    return emit(sc, &ev) == PIISCAN_OK ? PIISCAN_CONTINUE : PIISCAN_ABORT;
}

piiscan_status ps_scan_unit(piiscan_scanner *sc, const struct ps_unit *u)
{
    piiscan_status rc = PIISCAN_OK;

    if (sc->is_aborted)
        return PIISCAN_EABORTED;
    rc = ps_matcher_run(sc->matcher, u, on_finding, sc);
    if (sc->is_aborted)
        return PIISCAN_EABORTED;
    return rc;
}

static piiscan_status unit_to_engine(void *ctx, const struct ps_unit *u)
{
    return ps_scan_unit(ctx, u);
}

piiscan_status ps_scan_utf8_stream(piiscan_scanner *sc, const char *lpath, struct ps_stream *u8,
                                   uint64_t first_line, uint64_t record)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_chunker *c = sc->chunker;
    bool is_temp = sc->is_chunker_busy || c == NULL;

    /* A nested use (an extractor emitting text while another chunk stream runs)
     * gets its own window. */
    if (is_temp) {
        rc = ps_chunker_new(PS_CHUNK_BYTES, sc->overlap, &c);
        if (rc != PIISCAN_OK)
            return rc;
    } else {
        sc->is_chunker_busy = true;
    }
    rc = ps_chunk_stream(c, lpath, u8, first_line, record, unit_to_engine, sc);
    if (is_temp)
        ps_chunker_free(c);
    else
        sc->is_chunker_busy = false;
    return rc;
}

piiscan_status ps_emit_text(piiscan_scanner *sc, const char *lpath, const char *text, size_t len,
                            uint64_t line, uint64_t record)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_mem_stream m;
    struct ps_stream raw;
    struct ps_stream u8;
    struct ps_decoder *d = NULL;

    if (sc->is_aborted)
        return PIISCAN_EABORTED;
    if (len == 0)
        return PIISCAN_OK;
    /* Validated here too: extractors hand over what their parsers gave them. */
    d = ps_scanner_decoder(sc, "utf-8");
    if (d == NULL)
        return PIISCAN_ENOMEM;
    ps_mem_stream_init(&m, text, len, &raw);
    ps_decoder_start(d, &raw, &u8);
    rc = ps_scan_utf8_stream(sc, lpath, &u8, line, record);
    ps_scanner_decoder_put(sc, d);
    return rc;
}
