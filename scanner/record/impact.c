/* record/impact.c - run-wide aggregation for the breach-impact reports.
 *
 * Files and members are rows in report order, found again by logical path
 * through a string map (a warning or the records of a path may come before or
 * after its FILE_END). Recsets are folded in as they finish: their counts go to
 * the file row and their identity-bearing records to the people store, so the
 * findings themselves are never kept here. Fingerprints are an append-only
 * vector of u64, sorted and made unique at finish.
 */
#include "record/impact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/category.h"
#include "record/map.h"
#include "util/lpath.h"

#define FP_LABEL "piiscan finding v1"

struct ps_impact {
    const struct ps_sevmodel *model;
    const struct ps_idkey *key;
    bool keep_fps;
    struct ps_impact_file *files;
    size_t nfiles, capfiles;
    struct ps_strmap by_path; /* lpath -> row */
    struct ps_people *people;
    uint64_t *fps;
    size_t nfps, capfps;
    struct ps_impact_totals t;
    bool is_finished;
};

const char *ps_coverage_name(enum ps_coverage cov)
{
    static const char *const names[] = {"full", "partial", "unread", "skipped"};
    return (unsigned)cov < sizeof names / sizeof names[0] ? names[cov] : "";
}

piiscan_status ps_impact_new(const struct ps_sevmodel *model, const struct ps_idkey *key,
                             bool keep_fingerprints, struct ps_impact **out)
{
    struct ps_impact *imp = calloc(1, sizeof *imp);

    *out = NULL;
    if (imp == NULL)
        return PIISCAN_ENOMEM;
    imp->model = model;
    imp->key = key;
    imp->keep_fps = keep_fingerprints;
    if (ps_people_new(model, key, &imp->people) != PIISCAN_OK) {
        free(imp);
        return PIISCAN_ENOMEM;
    }
    *out = imp;
    return PIISCAN_OK;
}

static void free_file(struct ps_impact_file *f)
{
    /* lpath is the map's copy; the others are ours */
    free((char *)f->mime);
    free((char *)f->format);
    free((char *)f->reason);
}

void ps_impact_free(struct ps_impact *imp)
{
    if (imp == NULL)
        return;
    for (size_t i = 0; i < imp->nfiles; i++)
        free_file(&imp->files[i]);
    free(imp->files);
    ps_strmap_free(&imp->by_path);
    ps_people_free(imp->people);
    free(imp->fps);
    free(imp);
}

static piiscan_status set_str(const char **dst, const char *s)
{
    char *c = strdup(s != NULL ? s : "");
    if (c == NULL)
        return PIISCAN_ENOMEM;
    free((char *)*dst);
    *dst = c;
    return PIISCAN_OK;
}

/* The row of lpath, created (FULL, empty strings) on first mention. */
static piiscan_status row_for(struct ps_impact *imp, const char *lpath, struct ps_impact_file **out)
{
    uint32_t at = PS_MAP_NONE;
    const char *stored = NULL;
    piiscan_status rc;

    *out = NULL;
    if (lpath == NULL)
        lpath = "";
    rc = ps_strmap_intern(&imp->by_path, lpath, strlen(lpath), &at, &stored);
    if (rc != PIISCAN_OK)
        return rc;
    if (at < imp->nfiles) {
        *out = &imp->files[at];
        return PIISCAN_OK;
    }
    if (imp->nfiles == imp->capfiles) {
        size_t cap = imp->capfiles ? imp->capfiles * 2 : 64;
        struct ps_impact_file *n = realloc(imp->files, cap * sizeof *n);
        if (n == NULL)
            return PIISCAN_ENOMEM;
        imp->files = n;
        imp->capfiles = cap;
    }
    struct ps_impact_file *f = &imp->files[imp->nfiles];
    memset(f, 0, sizeof *f);
    f->no = (uint32_t)imp->nfiles;
    f->lpath = stored;
    /* until its FILE_END says otherwise, the depth is what the path shows */
    for (const char *p = stored; *p != '\0'; p++)
        if (*p == PS_LPATH_SEP)
            f->depth++;
    if ((rc = set_str(&f->mime, "")) != PIISCAN_OK ||
        (rc = set_str(&f->format, "")) != PIISCAN_OK ||
        (rc = set_str(&f->reason, "")) != PIISCAN_OK) {
        free_file(f);
        return rc;
    }
    imp->nfiles++;
    *out = f;
    return PIISCAN_OK;
}

piiscan_status ps_impact_file_info(struct ps_impact *imp, const piiscan_file_info *fi)
{
    struct ps_impact_file *f = NULL;
    piiscan_status rc = row_for(imp, fi->lpath, &f);

    if (rc != PIISCAN_OK)
        return rc;
    if (fi->mime != NULL && fi->mime[0] != '\0' && (rc = set_str(&f->mime, fi->mime)) != PIISCAN_OK)
        return rc;
    if (fi->format != NULL && fi->format[0] != '\0' &&
        (rc = set_str(&f->format, fi->format)) != PIISCAN_OK)
        return rc;
    if (fi->bytes > f->bytes)
        f->bytes = fi->bytes;
    f->depth = fi->depth;
    f->is_container = fi->is_container;
    if (fi->is_skipped && f->coverage == PS_COV_FULL) {
        f->coverage = PS_COV_SKIPPED;
        rc = set_str(&f->reason, fi->mime != NULL && fi->mime[0] != '\0'
                                     ? "not scanned: binary content"
                                     : "not scanned");
    }
    return rc;
}

piiscan_status ps_impact_warning(struct ps_impact *imp, const char *lpath, int status,
                                 bool is_partial, const char *message)
{
    struct ps_impact_file *f = NULL;
    piiscan_status rc = row_for(imp, lpath, &f);

    (void)status;
    if (rc != PIISCAN_OK)
        return rc;
    f->warnings++;
    imp->t.warnings++;
    /* the worst gap gives the status and its first warning the reason */
    if (!is_partial && f->coverage != PS_COV_UNREAD) {
        f->coverage = PS_COV_UNREAD;
        return set_str(&f->reason, message);
    }
    if (is_partial && (f->coverage == PS_COV_FULL || f->coverage == PS_COV_SKIPPED)) {
        f->coverage = PS_COV_PARTIAL;
        return set_str(&f->reason, message);
    }
    return PIISCAN_OK;
}

piiscan_status ps_impact_add_recset(struct ps_impact *imp, const struct ps_recset *rs)
{
    struct ps_impact_file *f = NULL;
    piiscan_status rc;

    if (ps_recset_records(rs) == 0)
        return PIISCAN_OK; /* nothing was found in it */
    rc = row_for(imp, ps_recset_lpath(rs), &f);
    if (rc != PIISCAN_OK)
        return rc;
    for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
        f->per_cat[c] += ps_recset_findings(rs, c);
    f->findings += ps_recset_findings(rs, -1);
    f->records += ps_recset_records(rs); /* released ones included */
    if (ps_recset_file_severity(rs) > f->severity)
        f->severity = ps_recset_file_severity(rs);
    for (int s = 0; s < PS_SEV_COUNT; s++)
        imp->t.records_at[s] += ps_recset_records_at(rs, (enum ps_severity)s);
    return ps_people_add_file(imp->people, rs, f->no);
}

struct release_ctx {
    struct ps_people *people;
    uint32_t file_no;
};

static piiscan_status release_one(void *ctx, const struct ps_record *rec)
{
    const struct release_ctx *rc = ctx;
    return ps_people_add_record(rc->people, rec, rc->file_no);
}

piiscan_status ps_impact_release_records(struct ps_impact *imp, struct ps_recset *rs, size_t n)
{
    struct ps_impact_file *f = NULL;
    piiscan_status rc;

    if (n == 0)
        return PIISCAN_OK;
    rc = row_for(imp, ps_recset_lpath(rs), &f);
    if (rc != PIISCAN_OK)
        return rc;
    /* the file's counts wait for ps_impact_add_recset; people take the records now */
    struct release_ctx ctx = {imp->people, f->no};
    return ps_recset_release(rs, n, release_one, &ctx);
}

const char *ps_impact_relative_path(const char *lpath, const char *const *roots, size_t nroots)
{
    size_t best = 0;
    const char *rel = lpath;

    for (size_t i = 0; i < nroots; i++) {
        size_t n = strlen(roots[i]);
        while (n > 1 && roots[i][n - 1] == '/')
            n--;
        if (n <= best || strncmp(lpath, roots[i], n) != 0)
            continue;
        if (lpath[n] == '/') {
            best = n;
            rel = lpath + n + 1;
        } else if (lpath[n] == '\0' || lpath[n] == PS_LPATH_SEP) {
            /* the root is this file: keep its name (and any member path) */
            const char *slash = memchr(lpath, '/', n) ? lpath + n : NULL;
            while (slash != NULL && slash > lpath && slash[-1] != '/')
                slash--;
            best = n;
            rel = slash != NULL ? slash : lpath;
        }
    }
    return rel;
}

uint64_t ps_impact_fingerprint_of(const struct ps_idkey *key, const piiscan_finding *f,
                                  const char *path)
{
    char buf[1024];
    const char *cat = ps_category_name(f->category);
    const char *norm = f->normalized != NULL ? f->normalized : (f->value ? f->value : "");
    if (path == NULL)
        path = f->lpath != NULL ? f->lpath : "";
    int n =
        snprintf(buf, sizeof buf, "%s%c%s%c%s%c%s", FP_LABEL, 0, cat ? cat : "?", 0, norm, 0, path);
    size_t len = n < 0 ? 0 : ((size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);

    /* a path longer than the buffer is cut; the fingerprint stays deterministic */
    return ps_idkey_u64(key, buf, len);
}

piiscan_status ps_impact_add_fingerprint(struct ps_impact *imp, uint64_t fp)
{
    if (!imp->keep_fps)
        return PIISCAN_OK;
    if (imp->nfps == imp->capfps) {
        size_t cap = imp->capfps ? imp->capfps * 2 : 1024;
        uint64_t *v = realloc(imp->fps, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ENOMEM;
        imp->fps = v;
        imp->capfps = cap;
    }
    imp->fps[imp->nfps++] = fp;
    return PIISCAN_OK;
}

piiscan_status ps_impact_fingerprint(struct ps_impact *imp, const piiscan_finding *f, uint64_t *fp)
{
    *fp = ps_impact_fingerprint_of(imp->key, f, NULL);
    return ps_impact_add_fingerprint(imp, *fp);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y);
}

/* Totals over the file rows; per-file people counts come from the resolved
 * people store (each (person, file) pair counted once). */
static void sum_files(struct ps_impact *imp)
{
    struct ps_impact_totals *t = &imp->t;

    t->files = imp->nfiles;
    for (size_t i = 0; i < imp->nfiles; i++) {
        struct ps_impact_file *f = &imp->files[i];
        f->people = ps_people_in_file(imp->people, f->no);
        if (f->depth == 0) {
            t->top_files++;
            t->bytes += f->bytes;
        }
        t->findings += f->findings;
        for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
            t->per_cat[c] += f->per_cat[c];
        t->records += f->records;
        t->files_at[f->severity]++;
        if (f->findings > 0)
            t->files_with_findings++;
        if (f->coverage != PS_COV_FULL)
            t->not_full++;
        if (f->severity > t->scan)
            t->scan = f->severity;
    }
}

/* Totals over people: per severity, notification, and per element the number
 * of distinct people exposed (next to its occurrences). */
static void sum_people(struct ps_impact *imp)
{
    struct ps_impact_totals *t = &imp->t;

    t->people = ps_people_count(imp->people);
    t->unlinked = ps_people_unlinked(imp->people);
    struct ps_person person;

    for (size_t i = 0; ps_people_get(imp->people, i, &person); i++) {
        const struct ps_person *p = &person;
        t->people_at[p->severity]++;
        if (p->notify)
            t->notify++;
        for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
            if (p->elements & PS_CATBIT(c))
                t->people_per_cat[c]++;
    }
}

/* Everything that needs the whole scan happens here, once. */
piiscan_status ps_impact_finish(struct ps_impact *imp)
{
    piiscan_status rc;

    if (imp->is_finished)
        return PIISCAN_EINVAL;
    imp->is_finished = true;
    rc = ps_people_resolve(imp->people);
    if (rc != PIISCAN_OK)
        return rc;
    sum_files(imp);
    sum_people(imp);
    if (imp->nfps > 0) {
        size_t w = 1;
        qsort(imp->fps, imp->nfps, sizeof *imp->fps, cmp_u64);
        for (size_t i = 1; i < imp->nfps; i++)
            if (imp->fps[i] != imp->fps[w - 1])
                imp->fps[w++] = imp->fps[i];
        imp->nfps = w;
    }
    return PIISCAN_OK;
}

size_t ps_impact_file_count(const struct ps_impact *imp)
{
    return imp->nfiles;
}

const struct ps_impact_file *ps_impact_file_get(const struct ps_impact *imp, size_t i)
{
    return i < imp->nfiles ? &imp->files[i] : NULL;
}

const struct ps_impact_totals *ps_impact_totals(const struct ps_impact *imp)
{
    return &imp->t;
}

const struct ps_people *ps_impact_people(const struct ps_impact *imp)
{
    return imp->people;
}

const uint64_t *ps_impact_fingerprints(const struct ps_impact *imp, size_t *n)
{
    *n = imp->is_finished ? imp->nfps : 0;
    return imp->fps;
}

const struct ps_sevmodel *ps_impact_model(const struct ps_impact *imp)
{
    return imp->model;
}

const struct ps_idkey *ps_impact_key(const struct ps_impact *imp)
{
    return imp->key;
}

/* Worse first: severity, then people, then findings; path breaks ties. */
static bool is_worse(const struct ps_impact_file *a, const struct ps_impact_file *b)
{
    if (a->severity != b->severity)
        return a->severity > b->severity;
    if (a->people != b->people)
        return a->people > b->people;
    if (a->findings != b->findings)
        return a->findings > b->findings;
    return strcmp(a->lpath, b->lpath) < 0;
}

size_t ps_impact_worst_files(const struct ps_impact *imp, size_t *idx, size_t max)
{
    size_t n = 0;

    /* insertion into a short sorted list: O(files * max) */
    for (size_t i = 0; i < imp->nfiles && max > 0; i++) {
        const struct ps_impact_file *f = &imp->files[i];
        if (f->findings == 0)
            continue;
        size_t pos = n;
        while (pos > 0 && is_worse(f, &imp->files[idx[pos - 1]]))
            pos--;
        if (pos >= max)
            continue;
        size_t end = n < max ? n : max - 1;
        memmove(idx + pos + 1, idx + pos, (end - pos) * sizeof *idx);
        idx[pos] = i;
        if (n < max)
            n++;
    }
    return n;
}
