/* extract/recsink_pipeline.c - the ps_recsink that feeds the pipeline.
 *
 * Rows become ROW units for the engine, prose goes through ps_emit_text (which
 * chunks it), warnings become WARNING events. A record that names a part of the
 * file (a SQL table, a sheet-like XML element) gets that name as one more
 * logical-path element, so a legal team reads "dump.sql!employees" and line 1042.
 * Kept apart from recsink.c so the parsers' unit tests need no pipeline.
 */
#include "extract/recsink.h"

#include <stdlib.h>

#include "util/lpath.h"

/* lpath of a record: the file's own, or file!sub. Caller frees *owned. */
static piiscan_status record_lpath(const struct ps_recsink_pipeline *p, const char *sub,
                                   const char **lpath, char **owned)
{
    *owned = NULL;
    *lpath = p->lpath;
    if (!sub || !*sub)
        return PIISCAN_OK;
    if (ps_lpath_join(p->lpath, sub, owned) != PIISCAN_OK)
        return PIISCAN_OK;   /* too long a name: keep the file's own path */
    *lpath = *owned;
    return PIISCAN_OK;
}

static piiscan_status pipe_row(void *ctx, const char *sub, uint64_t line, uint64_t record,
                               size_t n, const char *const *cells, const size_t *lens,
                               const char *const *headers)
{
    const struct ps_recsink_pipeline *p = ctx;
    struct ps_unit u = {0};
    char *owned = NULL;
    piiscan_status rc;

    record_lpath(p, sub, &u.lpath, &owned);
    u.kind = PS_UNIT_ROW;
    u.ncells = n;
    u.cells = cells;
    u.cell_lens = lens;
    u.headers = headers;
    u.line = line;
    u.record = record;
    rc = ps_scan_unit(p->sc, &u);
    free(owned);
    return rc;
}

static piiscan_status pipe_text(void *ctx, const char *sub, uint64_t line, uint64_t record,
                                const char *text, size_t len)
{
    const struct ps_recsink_pipeline *p = ctx;
    const char *lpath;
    char *owned = NULL;
    piiscan_status rc;

    record_lpath(p, sub, &lpath, &owned);
    rc = ps_emit_text(p->sc, lpath, text, len, line, record);
    free(owned);
    return rc;
}

static void pipe_warn(void *ctx, piiscan_status st, const char *msg)
{
    const struct ps_recsink_pipeline *p = ctx;

    ps_warn(p->sc, p->lpath, st, 1, "%s", msg);
}

void ps_recsink_pipeline_init(struct ps_recsink_pipeline *p, piiscan_scanner *sc,
                              const char *lpath, struct ps_recsink *out)
{
    p->sc = sc;
    p->lpath = lpath;
    out->ctx = p;
    out->row = pipe_row;
    out->text = pipe_text;
    out->warn = pipe_warn;
}
