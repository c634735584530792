/* extract/zipmem.c - zip packages in memory through libarchive.
 *
 * ps_zip_open lists the member names once (bounded by max_entries). Each
 * ps_zip_walk opens the same buffer again and iterates the headers, reading the
 * data of wanted members with archive_read_data_block (zero copy) and skipping
 * the others. Both passes see the members in the same order, so an index from
 * the listing names the same member in every walk. The seekable zip reader is
 * tried first (central directory); when it cannot open the package the
 * streaming reader is used, which is what recovers truncated files.
 */
#include "extract/zipmem.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ps_zip {
    const char *buf;
    size_t len;
    uint64_t max_part_bytes;
    bool streamable; /* the seekable reader failed: use local headers */
    char **names;
    size_t count;
    size_t cap;
    char damage[256];
    bool is_damaged;
};

static struct archive *open_archive(const struct ps_zip *z, bool streamable)
{
    struct archive *a = archive_read_new();

    if (a == NULL)
        return NULL;
    if (streamable)
        archive_read_support_format_zip_streamable(a);
    else
        archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, z->buf, z->len) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

static void set_reason(char *dst, size_t size, struct archive *a, const char *fallback)
{
    const char *e = a != NULL ? archive_error_string(a) : NULL;

    snprintf(dst, size, "%s", e != NULL && *e != '\0' ? e : fallback);
}

static piiscan_status add_name(struct ps_zip *z, const char *name)
{
    if (z->count == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 32;
        char **p = realloc(z->names, cap * sizeof *p);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        z->names = p;
        z->cap = cap;
    }
    z->names[z->count] = strdup(name != NULL ? name : "");
    if (z->names[z->count] == NULL)
        return PIISCAN_ENOMEM;
    z->count++;
    return PIISCAN_OK;
}

/* One listing pass with the given reader; stops at the first damage. */
static piiscan_status list_members(struct ps_zip *z, uint64_t max_entries)
{
    struct archive *a = open_archive(z, z->streamable);
    struct archive_entry *e;
    piiscan_status rc = PIISCAN_OK;
    int r;

    if (a == NULL) {
        z->is_damaged = true;
        snprintf(z->damage, sizeof z->damage, "not a readable zip package");
        return PIISCAN_OK;
    }
    for (;;) {
        r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            z->is_damaged = true;
            set_reason(z->damage, sizeof z->damage, a, "damaged zip directory");
            break;
        }
        if (z->count >= max_entries) {
            z->is_damaged = true;
            snprintf(z->damage, sizeof z->damage, "more than %llu zip entries; the rest ignored",
                     (unsigned long long)max_entries);
            break;
        }
        rc = add_name(z, archive_entry_pathname(e));
        if (rc != PIISCAN_OK)
            break;
        if (archive_read_data_skip(a) != ARCHIVE_OK) {
            z->is_damaged = true;
            set_reason(z->damage, sizeof z->damage, a, "damaged zip member");
            break;
        }
    }
    archive_read_free(a);
    return rc;
}

static void clear_names(struct ps_zip *z)
{
    for (size_t i = 0; i < z->count; i++)
        free(z->names[i]);
    z->count = 0;
    z->is_damaged = false;
    z->damage[0] = '\0';
}

piiscan_status ps_zip_open(const char *buf, size_t len, uint64_t max_entries,
                           uint64_t max_part_bytes, struct ps_zip **out, char *why, size_t why_size)
{
    struct ps_zip *z = calloc(1, sizeof *z);
    piiscan_status rc;

    *out = NULL;
    if (z == NULL)
        return PIISCAN_ENOMEM;
    z->buf = buf;
    z->len = len;
    z->max_part_bytes = max_part_bytes;
    rc = list_members(z, max_entries);
    /* Without a usable central directory, the local headers may still be read. */
    if (rc == PIISCAN_OK && z->count == 0 && z->is_damaged) {
        clear_names(z);
        z->streamable = true;
        rc = list_members(z, max_entries);
    }
    if (rc == PIISCAN_OK && z->count == 0) {
        snprintf(why, why_size, "%s", z->is_damaged ? z->damage : "empty zip package");
        rc = PIISCAN_ECORRUPT;
    }
    if (rc != PIISCAN_OK) {
        ps_zip_free(z);
        return rc;
    }
    *out = z;
    return PIISCAN_OK;
}

void ps_zip_free(struct ps_zip *z)
{
    if (z == NULL)
        return;
    clear_names(z);
    free(z->names);
    free(z);
}

size_t ps_zip_count(const struct ps_zip *z)
{
    return z->count;
}

const char *ps_zip_name(const struct ps_zip *z, size_t i)
{
    return i < z->count ? z->names[i] : NULL;
}

const char *ps_zip_damage(const struct ps_zip *z)
{
    return z->is_damaged ? z->damage : NULL;
}

long ps_zip_find(const struct ps_zip *z, const char *name)
{
    while (*name == '/')
        name++;
    for (size_t i = 0; i < z->count; i++) {
        const char *n = z->names[i];
        while (*n == '/')
            n++;
        if (strcasecmp(n, name) == 0)
            return (long)i;
    }
    return -1;
}

/* Streams the current member's data to r; always ends with r->end(). */
static piiscan_status read_member(const struct ps_zip *z, struct archive *a,
                                  struct archive_entry *e, size_t i, const struct ps_zip_reader *r,
                                  bool *fatal)
{
    const void *block;
    size_t size;
    la_int64_t offset;
    uint64_t total = 0;
    char msg[256];
    piiscan_status rc;
    int ar;

    if (archive_entry_is_encrypted(e))
        return r->end(r->ctx, i, PIISCAN_EENCRYPTED, "encrypted zip member");
    for (;;) {
        ar = archive_read_data_block(a, &block, &size, &offset);
        if (ar == ARCHIVE_EOF)
            return r->end(r->ctx, i, PIISCAN_OK, "");
        if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN) {
            *fatal = ar == ARCHIVE_FATAL;
            set_reason(msg, sizeof msg, a, "damaged zip member");
            return r->end(r->ctx, i, PIISCAN_ECORRUPT, msg);
        }
        if (size > z->max_part_bytes - total) {
            snprintf(msg, sizeof msg, "part larger than %llu bytes; the rest was not read",
                     (unsigned long long)z->max_part_bytes);
            size = (size_t)(z->max_part_bytes - total);
            rc = size > 0 ? r->data(r->ctx, i, block, size) : PIISCAN_OK;
            if (rc != PIISCAN_OK)
                return rc;
            return r->end(r->ctx, i, PIISCAN_ELIMIT, msg);
        }
        total += size;
        if (size > 0) {
            rc = r->data(r->ctx, i, block, size);
            if (rc != PIISCAN_OK)
                return rc;
        }
    }
}

piiscan_status ps_zip_walk(const struct ps_zip *z, const struct ps_zip_reader *r)
{
    struct archive *a = open_archive(z, z->streamable);
    struct archive_entry *e;
    piiscan_status rc = PIISCAN_OK;
    bool fatal = false;
    size_t i;

    if (a == NULL)
        return PIISCAN_OK; /* listed before: cannot happen short of memory trouble */
    for (i = 0; i < z->count && rc == PIISCAN_OK && !fatal; i++) {
        int ar = archive_read_next_header(a, &e);
        if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN)
            break;
        if (!r->want(r->ctx, i, z->names[i]))
            continue;
        rc = read_member(z, a, e, i, r, &fatal);
    }
    archive_read_free(a);
    return rc;
}
