/* record/collect.c - per-top-level-file record grouping on the worker thread.
 *
 * Findings of one logical path arrive together (a member's events are nested
 * inside its archive's), so the collector keeps the recset of the last lpath
 * at hand and looks others up in a string map only when the path changes. File
 * rows are copies of FILE_BEGIN/FILE_END descriptions; fingerprints, record
 * refs and baseline marks are arrays indexed by arrival number, filled only in
 * per-finding mode (findings kept for CSV/JSON/--report-dir, or a baseline).
 * Memory: O(records + files), plus O(findings * 16 bytes) in per-finding mode,
 * for one top-level file, freed with its batch. Streaming (text summary, no
 * per-finding arrays) caps the records: once the file is next in report order,
 * every stream_min records the complete ones go to the impact and are freed.
 */
#include "record/collect.h"

#include <stdlib.h>
#include <string.h>

#include "record/map.h"

struct cfile {
    char *lpath, *mime, *charset, *format;
    uint64_t bytes;
    unsigned depth;
    bool is_container, is_skipped;
};

/* Where a finding went: recset and record position (records only grow). */
struct fref {
    uint32_t set;
    uint32_t rec;
};

struct ps_collect {
    const struct ps_sevmodel *model;
    const struct ps_idkey *key;
    struct ps_recset **sets;
    size_t nsets, capsets;
    struct ps_strmap set_of; /* lpath -> index in sets */
    size_t last;             /* index of the last finding's set */
    struct cfile *files;
    size_t nfiles, capfiles;
    struct ps_strmap file_of; /* lpath -> index in files */
    ps_known_fn known;
    const void *known_ctx;
    const char *const *roots;
    size_t nroots;
    /* per finding, by arrival number */
    uint64_t *fps;     /* with a key */
    struct fref *refs; /* its record */
    unsigned char *is_known;
    uint64_t nfindings;
    size_t capf;
    bool per_finding; /* fill fps/refs/is_known (kept findings or a baseline) */
    /* streaming (ps_collect_set_stream): complete records go to the impact early */
    struct ps_impact *stream_imp;
    size_t stream_min;
    ps_stream_ok_fn stream_ok;
    void *stream_ctx;
    size_t next_try;  /* held records at which to try again */
    size_t rows_made; /* files whose impact rows exist already */
};

piiscan_status ps_collect_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                              ps_known_fn known, const void *known_ctx, struct ps_collect **out)
{
    struct ps_collect *c = calloc(1, sizeof *c);

    *out = NULL;
    if (c == NULL)
        return PIISCAN_ENOMEM;
    c->model = model;
    c->key = key;
    c->known = known;
    c->known_ctx = known_ctx;
    c->last = SIZE_MAX;
    c->per_finding = true;
    *out = c;
    return PIISCAN_OK;
}

void ps_collect_free(struct ps_collect *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nsets; i++)
        ps_recset_free(c->sets[i]);
    for (size_t i = 0; i < c->nfiles; i++) {
        free(c->files[i].lpath);
        free(c->files[i].mime);
        free(c->files[i].charset);
        free(c->files[i].format);
    }
    free(c->sets);
    free(c->files);
    free(c->fps);
    free(c->refs);
    free(c->is_known);
    ps_strmap_free(&c->set_of);
    ps_strmap_free(&c->file_of);
    free(c);
}

static piiscan_status grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return PIISCAN_OK;
    if (n >= PS_MAP_NONE - 2)
        return PIISCAN_ELIMIT;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return PIISCAN_ENOMEM;
    *arr = p;
    *cap = ncap;
    return PIISCAN_OK;
}

/* The recset of lpath, created on its first finding. */
static piiscan_status set_for(struct ps_collect *c, const char *lpath, struct ps_recset **out)
{
    piiscan_status rc;

    const char *last = c->last != SIZE_MAX ? ps_recset_lpath(c->sets[c->last]) : NULL;

    if (last != NULL && strcmp(last, lpath) == 0) {
        *out = c->sets[c->last];
        return PIISCAN_OK;
    }
    uint32_t at = ps_strmap_get(&c->set_of, lpath, strlen(lpath));
    if (at == PS_MAP_NONE) {
        if ((rc = grow((void **)&c->sets, &c->capsets, c->nsets, sizeof *c->sets)) != PIISCAN_OK)
            return rc;
        if ((rc = ps_recset_new(c->model, &c->sets[c->nsets])) != PIISCAN_OK)
            return rc;
        at = (uint32_t)c->nsets++;
        rc = ps_strmap_put(&c->set_of, lpath, strlen(lpath), at);
        if (rc != PIISCAN_OK)
            return rc;
    }
    c->last = at;
    *out = c->sets[at];
    return PIISCAN_OK;
}

/* Room for one more finding in the per-finding arrays. */
static piiscan_status grow_findings(struct ps_collect *c)
{
    if (c->nfindings < c->capf)
        return PIISCAN_OK;
    if (c->nfindings >= SIZE_MAX / 2 / sizeof *c->fps)
        return PIISCAN_ELIMIT;
    size_t cap = c->capf ? c->capf * 2 : 256;
    struct fref *r = realloc(c->refs, cap * sizeof *r);
    if (r == NULL)
        return PIISCAN_ENOMEM;
    c->refs = r;
    if (c->key != NULL) {
        uint64_t *v = realloc(c->fps, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ENOMEM;
        c->fps = v;
    }
    c->capf = cap;
    return PIISCAN_OK;
}

/* Hands the complete records of rs to the impact when this file may (it is
 * next in report order: everything before it is in the impact, and nothing
 * else touches the impact until this file is delivered). Only with one lpath
 * so far, so people see the records in the order ps_impact_add_collect would
 * give them, and only for an lpath with a file row, so rows keep their order. */
static piiscan_status try_stream(struct ps_collect *c, struct ps_recset *rs)
{
    size_t held = ps_recset_count(rs);
    size_t n = ps_recset_complete(rs);
    const char *lp = ps_recset_lpath(rs);
    piiscan_status rc = PIISCAN_OK;

    c->next_try = held + c->stream_min;
    if (n == 0 || c->nsets != 1 || ps_strmap_get(&c->file_of, lp, strlen(lp)) == PS_MAP_NONE)
        return PIISCAN_OK;
    if (!c->stream_ok(c->stream_ctx)) {
        c->next_try = held + c->stream_min / 8 + 1; /* not next in line yet: ask again soon */
        return PIISCAN_OK;
    }
    /* the rows of the files begun so far, in the order the end would make them */
    for (; rc == PIISCAN_OK && c->rows_made < c->nfiles; c->rows_made++) {
        const struct cfile *cf = &c->files[c->rows_made];
        piiscan_file_info fi = {
            .lpath = cf->lpath, .depth = cf->depth, .is_container = cf->is_container};
        rc = ps_impact_file_info(c->stream_imp, &fi);
    }
    if (rc == PIISCAN_OK)
        rc = ps_impact_release_records(c->stream_imp, rs, n);
    c->next_try = ps_recset_count(rs) + c->stream_min;
    return rc;
}

void ps_collect_set_stream(struct ps_collect *c, struct ps_impact *imp, size_t min_records,
                           ps_stream_ok_fn ok, void *ctx)
{
    if (c->nfindings != 0 || imp == NULL || ok == NULL)
        return;
    c->stream_imp = imp;
    c->stream_min = min_records > 1 ? min_records : 2;
    c->stream_ok = ok;
    c->stream_ctx = ctx;
    c->next_try = c->stream_min;
}

static piiscan_status on_finding(struct ps_collect *c, const piiscan_finding *f)
{
    struct ps_recset *rs = NULL;
    piiscan_status rc = set_for(c, f->lpath != NULL ? f->lpath : "", &rs);

    if (rc == PIISCAN_OK)
        rc = ps_recset_add(rs, f);
    if (rc == PIISCAN_OK && !c->per_finding) {
        c->nfindings++; /* counted only: nothing reads the per-finding arrays */
        /* nothing refers to a record by position either, so records may leave */
        if (c->stream_imp != NULL && ps_recset_count(rs) >= c->next_try)
            rc = try_stream(c, rs);
        return rc;
    }
    if (rc == PIISCAN_OK)
        rc = grow_findings(c);
    if (rc != PIISCAN_OK)
        return rc;
    c->refs[c->nfindings].set = (uint32_t)c->last;
    c->refs[c->nfindings].rec = (uint32_t)ps_recset_index(rs, f);
    if (c->key != NULL)
        c->fps[c->nfindings] = ps_impact_fingerprint_of(
            c->key, f, ps_impact_relative_path(f->lpath ? f->lpath : "", c->roots, c->nroots));
    c->nfindings++;
    return PIISCAN_OK;
}

void ps_collect_set_per_finding(struct ps_collect *c, bool on)
{
    if (c->nfindings == 0)
        c->per_finding = on || c->known != NULL;
}

void ps_collect_set_roots(struct ps_collect *c, const char *const *roots, size_t n)
{
    c->roots = roots;
    c->nroots = n;
}

static piiscan_status dup_into(char **dst, const char *s)
{
    char *d = strdup(s != NULL ? s : "");
    if (d == NULL)
        return PIISCAN_ENOMEM;
    free(*dst);
    *dst = d;
    return PIISCAN_OK;
}

static piiscan_status on_file(struct ps_collect *c, const piiscan_file_info *fi, bool is_end)
{
    const char *lp = fi->lpath != NULL ? fi->lpath : "";
    uint32_t at = ps_strmap_get(&c->file_of, lp, strlen(lp));
    piiscan_status rc;

    if (at == PS_MAP_NONE) {
        if ((rc = grow((void **)&c->files, &c->capfiles, c->nfiles, sizeof *c->files)) !=
            PIISCAN_OK)
            return rc;
        memset(&c->files[c->nfiles], 0, sizeof c->files[0]);
        at = (uint32_t)c->nfiles++;
        if ((rc = dup_into(&c->files[at].lpath, lp)) != PIISCAN_OK ||
            (rc = ps_strmap_put(&c->file_of, lp, strlen(lp), at)) != PIISCAN_OK)
            return rc;
    }
    struct cfile *cf = &c->files[at];
    /* FILE_END has the bytes and the final word on format and skipping */
    if ((rc = dup_into(&cf->mime, fi->mime)) != PIISCAN_OK ||
        (rc = dup_into(&cf->charset, fi->charset)) != PIISCAN_OK ||
        (rc = dup_into(&cf->format, fi->format)) != PIISCAN_OK)
        return rc;
    cf->depth = fi->depth;
    cf->is_container = fi->is_container;
    if (is_end) {
        cf->bytes = fi->bytes;
        cf->is_skipped = fi->is_skipped;
    }
    return PIISCAN_OK;
}

piiscan_status ps_collect_event(struct ps_collect *c, const piiscan_event *ev)
{
    switch (ev->kind) {
    case PIISCAN_EV_FINDING:
        return ev->finding != NULL ? on_finding(c, ev->finding) : PIISCAN_OK;
    case PIISCAN_EV_FILE_BEGIN:
    case PIISCAN_EV_FILE_END:
        return ev->file != NULL ? on_file(c, ev->file, ev->kind == PIISCAN_EV_FILE_END)
                                : PIISCAN_OK;
    default:
        return PIISCAN_OK;
    }
}

void ps_collect_finish(struct ps_collect *c)
{
    for (size_t i = 0; i < c->nsets; i++)
        ps_recset_finish(c->sets[i]);
    if (c->known == NULL || c->key == NULL || c->nfindings == 0 || !c->per_finding)
        return;
    /* without memory for the marks every finding counts as new: nothing is hidden */
    c->is_known = calloc(c->nfindings, 1);
    for (uint64_t i = 0; c->is_known != NULL && i < c->nfindings; i++)
        c->is_known[i] = c->known(c->known_ctx, c->fps[i]) ? 1 : 0;
}

const struct ps_recset *ps_collect_recset_of(const struct ps_collect *c, const char *lpath)
{
    uint32_t at = ps_strmap_get(&c->set_of, lpath, strlen(lpath));
    return at == PS_MAP_NONE ? NULL : c->sets[at];
}

bool ps_collect_record(const struct ps_collect *c, const char *lpath, uint64_t record,
                       uint64_t line, uint64_t offset, enum ps_severity *sev, char *id,
                       size_t idlen)
{
    const struct ps_recset *rs = ps_collect_recset_of(c, lpath);
    piiscan_finding f = {.lpath = lpath, .record = record, .line = line, .offset = offset};
    const struct ps_record *r = rs != NULL ? ps_recset_lookup(rs, &f) : NULL;

    if (r == NULL)
        return false;
    *sev = r->severity;
    ps_recset_record_id(rs, r, id, idlen);
    return true;
}

uint64_t ps_collect_findings(const struct ps_collect *c)
{
    return c->nfindings;
}

uint64_t ps_collect_fingerprint(const struct ps_collect *c, uint64_t i)
{
    return c->fps != NULL && i < c->nfindings ? c->fps[i] : 0;
}

enum ps_severity ps_collect_severity(const struct ps_collect *c, uint64_t i)
{
    if (i >= c->nfindings || c->refs == NULL)
        return PS_SEV_NONE;
    const struct ps_record *r = ps_recset_get(c->sets[c->refs[i].set], c->refs[i].rec);
    return r != NULL ? r->severity : PS_SEV_NONE;
}

bool ps_collect_is_known(const struct ps_collect *c, uint64_t i)
{
    return c->is_known != NULL && i < c->nfindings && c->is_known[i];
}

void ps_collect_count_new(const struct ps_collect *c, uint64_t at[PS_SEV_COUNT])
{
    if (!c->per_finding) {
        /* no baseline: every finding is new, at its record's severity */
        for (size_t i = 0; i < c->nsets; i++)
            for (int s = 0; s < PS_SEV_COUNT; s++)
                at[s] += ps_recset_findings_at(c->sets[i], (enum ps_severity)s);
        return;
    }
    for (uint64_t i = 0; i < c->nfindings; i++)
        if (!ps_collect_is_known(c, i))
            at[ps_collect_severity(c, i)]++;
}

piiscan_status ps_impact_add_collect(struct ps_impact *imp, const struct ps_collect *c)
{
    piiscan_status rc = PIISCAN_OK;

    for (size_t i = 0; rc == PIISCAN_OK && i < c->nfiles; i++) {
        const struct cfile *cf = &c->files[i];
        piiscan_file_info fi = {.lpath = cf->lpath,
                                .mime = cf->mime,
                                .charset = cf->charset,
                                .format = cf->format,
                                .bytes = cf->bytes,
                                .depth = cf->depth,
                                .is_container = cf->is_container,
                                .is_skipped = cf->is_skipped};
        rc = ps_impact_file_info(imp, &fi);
    }
    for (size_t i = 0; rc == PIISCAN_OK && i < c->nsets; i++)
        rc = ps_impact_add_recset(imp, c->sets[i]);
    for (uint64_t i = 0; rc == PIISCAN_OK && c->fps != NULL && i < c->nfindings; i++)
        rc = ps_impact_add_fingerprint(imp, c->fps[i]);
    return rc;
}
