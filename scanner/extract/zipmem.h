/* extract/zipmem.h - random access to the parts of a zip package held in memory.
 *
 * OOXML and ODF files are zip packages whose parts must be read in an order the
 * zip does not follow (workbook.xml names the sheets, but openpyxl writes it
 * after them). The buffer is already in memory, so the package is listed once
 * and then re-opened (cheaply, archive_read_open_memory) for each walk. Parts
 * stream out in blocks; nothing is extracted to disk and no part is held whole.
 *
 * A damaged zip is read as far as it goes: without a central directory
 * libarchive falls back to the local headers (streaming reader), so a truncated
 * file still yields the members before the cut and the first part of the one
 * that was cut (its end() then reports ECORRUPT).
 */
#ifndef PS_EXTRACT_ZIPMEM_H
#define PS_EXTRACT_ZIPMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

struct ps_zip;

/* Lists the package. buf is borrowed and must outlive the handle. ECORRUPT when
 * no member at all can be read (*out NULL, reason in why); ENOMEM. More than
 * max_entries members: the rest are ignored and ps_zip_damage() says so. */
piiscan_status ps_zip_open(const char *buf, size_t len, uint64_t max_entries,
                           uint64_t max_part_bytes, struct ps_zip **out, char *why,
                           size_t why_size);
void ps_zip_free(struct ps_zip *z);

size_t ps_zip_count(const struct ps_zip *z);
const char *ps_zip_name(const struct ps_zip *z, size_t i);
/* Why the listing ended early ("Truncated ZIP file data"), or NULL when it did not. */
const char *ps_zip_damage(const struct ps_zip *z);
/* Index of the member named name (ASCII case-insensitive, leading '/' ignored), or -1. */
long ps_zip_find(const struct ps_zip *z, const char *name);

struct ps_zip_reader {
    /* Called for each member in zip order: read it? */
    bool (*want)(void *ctx, size_t i, const char *name);
    /* A block of the member's bytes. Non-OK stops the walk and is returned. */
    piiscan_status (*data)(void *ctx, size_t i, const char *buf, size_t len);
    /* End of the member: OK, or ECORRUPT / ELIMIT (past max_part_bytes) / EENCRYPTED
     * with a reason; bytes before the failure were delivered. Non-OK return stops. */
    piiscan_status (*end)(void *ctx, size_t i, piiscan_status st, const char *msg);
    void *ctx;
};

/* Reads the wanted members in zip order. Returns OK, ENOMEM or a callback's status. */
piiscan_status ps_zip_walk(const struct ps_zip *z, const struct ps_zip_reader *r);

#endif
