/* extract/archive.h - every format libarchive reads, member by member, in memory.
 *
 * ps_archive_each_member() is the whole reader: it opens an archive (or a single
 * compressed stream: x.csv.gz -> one member x.csv) from a parent stream and calls
 * on_member once per regular-file member with a stream over its data. It knows
 * nothing of the pipeline: the extractor in archive_extract.c passes members to
 * ps_dispatch (so nested archives recurse there), tests pass their own callback.
 *
 * Bounds (each a warning naming the member and the bound, then the next member):
 * expanded bytes per member, compression ratio per member (past a grace), entry
 * count; expanded bytes and ratio over everything under one top-level file (the
 * budget: when it is exhausted, the rest of that file is not scanned, with one
 * warning). Encrypted members are skipped with a warning; a corrupt or truncated
 * archive gives a warning with libarchive's reason after every readable member.
 * Zip and 7z are read from memory (up to max_buffer_bytes) so that libarchive can
 * seek to their central directory; a larger zip is streamed, a larger 7z skipped.
 */
#ifndef PS_EXTRACT_ARCHIVE_H
#define PS_EXTRACT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"
#include "pipeline/stream.h"

/* Shared by every archive under one top-level file (the scanner resets it per file). */
struct ps_archive_budget {
    uint64_t expanded; /* bytes handed out by member streams, every level */
    uint64_t top_read; /* bytes read from the top-level file so far (0 = unknown) */
    bool is_exhausted; /* max_file_bytes or the overall ratio was hit */
    bool is_reported;  /* the warning for it was given */
};

struct ps_archive_limits {
    unsigned depth; /* depth of the archive itself (0 = top-level file) */
    uint64_t max_member_bytes;
    uint64_t max_file_bytes; /* budget->expanded ceiling */
    unsigned max_ratio;      /* expanded / compressed, per member and overall */
    uint64_t ratio_grace;    /* ratios are checked past this many expanded bytes */
    uint64_t max_entries;
    uint64_t max_buffer_bytes; /* zip / 7z read into memory up to this */
};

/* Fills lim from the scanner options' defaults (util/limits.h) for depth 0. */
void ps_archive_limits_default(struct ps_archive_limits *lim);

struct ps_archive_member {
    const char *lpath;        /* archive lpath + "!" + name (sanitised) */
    const char *name;         /* name as stored (may hold anything but NUL) */
    uint64_t size;            /* declared size, 0 when unknown */
    unsigned depth;           /* archive depth + 1 */
    struct ps_stream *stream; /* member data; ends with ELIMIT / ECORRUPT / EENCRYPTED on
                                 failure (the reader then warns, not the consumer) */
};

struct ps_archive_cb {
    void *ctx;
    /* One regular-file member. Return OK to go on; EABORTED or ENOMEM stop the archive
     * (returned as is); any other status is taken as already reported. */
    piiscan_status (*on_member)(void *ctx, const struct ps_archive_member *m);
    /* A warning about lpath (the archive or a member). Return OK or EABORTED. */
    piiscan_status (*on_warn)(void *ctx, const char *lpath, piiscan_status st, bool partial,
                              const char *msg);
};

/* Reads the archive at lpath from in (head[0..head_len) are its first bytes, for format
 * decisions only; in still starts at byte 0). Returns OK when the archive was read as far
 * as possible (warnings given), the input stream's own failure (not warned: the stream's
 * producer reports it), EABORTED, or ENOMEM. */
piiscan_status ps_archive_each_member(const char *lpath, const char *head, size_t head_len,
                                      struct ps_stream *in, const struct ps_archive_limits *lim,
                                      struct ps_archive_budget *budget,
                                      const struct ps_archive_cb *cb);

/* Member name of a single compressed stream: the parent's leaf without its compression
 * suffix ("payroll.csv.gz" -> "payroll.csv", "x.tgz" -> "x.tar"). Writes into out. */
void ps_archive_raw_name(const char *parent_lpath, char *out, size_t cap);

/* The extractor (archive_extract.c): bids 50 on archive MIME types, 30 on other zips. */
struct ps_extractor;
extern const struct ps_extractor ps_archive_extractor;

/* True for MIME types the archive extractor opens (archives and compressed streams). */
bool ps_archive_is_archive_mime(const char *mime);

#endif
