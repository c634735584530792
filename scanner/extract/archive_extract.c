/* extract/archive_extract.c - the archive extractor: archive.c's members -> ps_dispatch.
 *
 * The reader (archive.c) knows nothing of the pipeline; this adapter gives it the
 * scanner's limits and the budget of the current top-level file, passes every
 * member back to ps_dispatch one level deeper (so a zip inside a tar.gz inside a
 * zip recurses, bounded by max_depth) and turns the reader's warnings into
 * WARNING events.
 */
#include "extract/archive.h"
#include "extract/registry.h"
#include "pipeline/private.h"

#include <string.h>

#include "util/limits.h"

static int bid_archive(const struct ps_kind *kind, const char *head, size_t head_len)
{
    if (ps_archive_is_archive_mime(kind->mime))
        return 50;
    /* a zip container no specific extractor claims (odt, epub, jar, ...) */
    if (head_len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return 30;
    return 0;
}

static piiscan_status on_member(void *ctx, const struct ps_archive_member *m)
{
    return ps_dispatch(ctx, m->lpath, m->depth, m->stream);
}

static piiscan_status on_warn(void *ctx, const char *lpath, piiscan_status st, bool partial,
                              const char *msg)
{
    return ps_warn(ctx, lpath, st, partial, "%s", msg);
}

static piiscan_status extract_archive(piiscan_scanner *sc, struct ps_input *in)
{
    const piiscan_options *opt = ps_scanner_options(sc);
    struct ps_archive_limits lim;
    struct ps_archive_cb cb = {sc, on_member, on_warn};

    ps_archive_limits_default(&lim);
    lim.depth = in->depth;
    lim.max_member_bytes = opt->max_member_bytes;
    lim.max_file_bytes = opt->max_file_bytes;
    lim.max_ratio = opt->max_ratio;
    lim.max_entries = opt->max_entries;
    lim.max_buffer_bytes = opt->max_buffer_bytes;
    return ps_archive_each_member(in->lpath, in->head, in->head_len, in->stream, &lim,
                                  ps_scanner_budget(sc), &cb);
}

const struct ps_extractor ps_archive_extractor = {"archive", bid_archive, extract_archive, 1};
