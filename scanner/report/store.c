/* report/store.c - per-file batches: owned copies of one top-level file's events.
 *
 * A worker thread fills one batch per top-level file from the scan callback,
 * then hands it to the CLI's reorder buffer; sinks read it later on the report
 * thread. Nothing here is shared between threads: a batch has one owner at a time.
 *
 * Strings are copied into an arena of 64 KiB blocks owned by the batch (a long
 * string gets a block of its own), so freeing a batch is a walk over its blocks.
 * The logical path of consecutive findings is usually the same, so it is copied
 * once per run of findings, not once per finding.
 *
 * Attribution: FILE_BEGIN / FILE_END nest like parentheses (a member's events sit
 * inside its archive's). A stack of open files, bounded by PS_STORE_MAX_OPEN,
 * charges each finding to the innermost open file; at its FILE_END a file with
 * findings is counted. "Files with findings" therefore costs nothing per finding.
 */
#include "report/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/collect.h"

#define ARENA_BLOCK (64u * 1024u)

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t cap;
    char data[];
};

struct open_file {
    uint64_t total; /* findings charged to it so far */
};

struct ps_batch {
    uint64_t seq;
    char *path;
    bool keep_findings;
    bool is_finished;
    size_t max_kept;
    uint64_t not_kept; /* findings counted but not kept (max_kept reached) */

    struct arena_block *arena;

    struct ps_rfinding *findings;
    size_t nfindings;
    size_t cap_findings;
    const char *last_lpath; /* arena copy of the last finding's lpath */
    size_t ngroups;

    struct ps_rwarning *warnings;
    size_t nwarnings;
    size_t cap_warnings;


    struct open_file open[PS_STORE_MAX_OPEN];
    size_t nopen;
    size_t open_overflow; /* FILE_BEGINs beyond PS_STORE_MAX_OPEN not tracked */

    struct ps_counts counts;
    struct ps_collect *collect; /* record stage, when attached */
};

static void *arena_alloc(struct ps_batch *b, size_t n)
{
    struct arena_block *blk = b->arena;

    if (blk == NULL || blk->cap - blk->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        blk = malloc(sizeof *blk + cap);
        if (blk == NULL)
            return NULL;
        blk->cap = cap;
        blk->used = 0;
        /* A big one-off block goes behind the current one so the current keeps filling. */
        if (b->arena != NULL && cap > ARENA_BLOCK) {
            blk->next = b->arena->next;
            b->arena->next = blk;
        } else {
            blk->next = b->arena;
            b->arena = blk;
        }
    }
    blk->used += n;
    return blk->data + blk->used - n;
}

const char *ps_batch_strdup(struct ps_batch *b, const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        return NULL;
    p = arena_alloc(b, n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static const char *dup_str(struct ps_batch *b, const char *s)
{
    if (s == NULL)
        return "";
    return ps_batch_strdup(b, s, strlen(s));
}

/* Grows *arr (of elem-sized items) to hold one more; returns false on ENOMEM. */
static bool grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return true;
    ncap = *cap == 0 ? 16 : *cap * 2;
    if (ncap > SIZE_MAX / elem)
        return false;
    p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

piiscan_status ps_batch_new(uint64_t seq, const char *path, bool keep_findings,
                            struct ps_batch **out)
{
    struct ps_batch *b = calloc(1, sizeof *b);

    *out = NULL;
    if (b == NULL)
        return PIISCAN_ENOMEM;
    b->seq = seq;
    b->keep_findings = keep_findings;
    b->max_kept = PS_STORE_MAX_KEPT;
    if (path != NULL) {
        b->path = strdup(path);
        if (b->path == NULL) {
            free(b);
            return PIISCAN_ENOMEM;
        }
        b->counts.top_files = 1;
    }
    *out = b;
    return PIISCAN_OK;
}

void ps_batch_free(struct ps_batch *b)
{
    struct arena_block *blk;

    if (b == NULL)
        return;
    blk = b->arena;
    while (blk != NULL) {
        struct arena_block *next = blk->next;
        free(blk);
        blk = next;
    }
    free(b->findings);
    free(b->warnings);
    ps_collect_free(b->collect);
    free(b->path);
    free(b);
}

static piiscan_status open_push(struct ps_batch *b)
{
    if (b->nopen == PS_STORE_MAX_OPEN) {
        b->open_overflow++;
        return PIISCAN_OK;
    }
    b->open[b->nopen++].total = 0;
    return PIISCAN_OK;
}

/* Closes the innermost open file, counting it when it had findings. */
static piiscan_status close_top(struct ps_batch *b)
{
    if (b->open[--b->nopen].total > 0)
        b->counts.files_with_findings++;
    return PIISCAN_OK;
}

/* Adds n files of format name to c (the last slot collects what does not fit). */
static void count_format(struct ps_counts *c, const char *name, uint64_t n)
{
    size_t i;

    if (name == NULL || *name == '\0')
        name = "unknown";
    for (i = 0; i < c->nformats; i++)
        if (strcmp(c->formats[i].name, name) == 0)
            break;
    if (i == c->nformats) {
        if (c->nformats == PS_STORE_MAX_FORMATS) {
            i = PS_STORE_MAX_FORMATS - 1;
            snprintf(c->formats[i].name, sizeof c->formats[i].name, "other");
        } else {
            snprintf(c->formats[i].name, sizeof c->formats[i].name, "%s", name);
            c->nformats++;
        }
    }
    c->formats[i].n += n;
}

/* FILE_END: counters, then close the file it ends. */
static piiscan_status open_pop(struct ps_batch *b, const piiscan_file_info *fi)
{
    struct ps_counts *c = &b->counts;

    if (fi->depth == 0)
        c->bytes_read += fi->bytes;
    count_format(c, fi->format, 1);
    if (fi->is_skipped) {
        c->skipped_binary++;
    } else if (fi->is_container) {
        c->containers++;
    } else {
        c->files_scanned++;
        c->members += fi->depth > 0;
        c->bytes_scanned += fi->bytes;
    }
    if (b->open_overflow > 0) {
        b->open_overflow--;
        return PIISCAN_OK;
    }
    if (b->nopen == 0)
        return PIISCAN_OK; /* unbalanced FILE_END: counted, nothing to close */
    return close_top(b);
}

static piiscan_status copy_finding(struct ps_batch *b, const piiscan_finding *f)
{
    struct ps_rfinding *r;
    const char *lp = f->lpath != NULL ? f->lpath : "";

    if (!grow((void **)&b->findings, &b->cap_findings, b->nfindings, sizeof *b->findings))
        return PIISCAN_ENOMEM;
    r = &b->findings[b->nfindings];
    memset(r, 0, sizeof *r);
    if (b->last_lpath == NULL || strcmp(b->last_lpath, lp) != 0) {
        b->last_lpath = dup_str(b, lp);
        b->ngroups++;
    }
    r->lpath = b->last_lpath;
    r->rule_id = dup_str(b, f->rule_id);
    r->field = dup_str(b, f->field);
    r->value = f->value != NULL ? ps_batch_strdup(b, f->value, f->value_len) : "";
    r->normalized = dup_str(b, f->normalized);
    r->context = f->context != NULL ? ps_batch_strdup(b, f->context, f->context_len) : "";
    if (r->lpath == NULL || r->rule_id == NULL || r->field == NULL || r->value == NULL ||
        r->normalized == NULL || r->context == NULL)
        return PIISCAN_ENOMEM;
    r->category = f->category;
    r->confidence = f->confidence;
    r->line = f->line;
    r->offset = f->offset;
    r->value_len = f->value != NULL ? f->value_len : 0;
    r->context_len = f->context != NULL ? f->context_len : 0;
    r->value_in_context = f->value_in_context;
    r->record = f->record;
    r->group = b->ngroups;
    r->order = b->nfindings;
    b->nfindings++;
    return PIISCAN_OK;
}

static piiscan_status add_finding(struct ps_batch *b, const piiscan_finding *f)
{
    struct ps_counts *c = &b->counts;
    unsigned cat = (unsigned)f->category;

    c->findings++;
    if (cat < PIISCAN_CAT_COUNT)
        c->per_cat[cat]++;
    if (b->nopen > 0)
        b->open[b->nopen - 1].total++;
    if (!b->keep_findings)
        return PIISCAN_OK;
    if (b->nfindings >= b->max_kept) {
        b->not_kept++;
        return PIISCAN_OK;
    }
    return copy_finding(b, f);
}

piiscan_status ps_batch_add_warning(struct ps_batch *b, const char *lpath, int status,
                                    bool is_partial, const char *message)
{
    struct ps_rwarning *w;

    b->counts.warnings++;
    if (b->nwarnings >= PS_STORE_MAX_WARNINGS)
        return PIISCAN_OK;
    if (!grow((void **)&b->warnings, &b->cap_warnings, b->nwarnings, sizeof *b->warnings))
        return PIISCAN_ENOMEM;
    w = &b->warnings[b->nwarnings];
    w->lpath = dup_str(b, lpath);
    w->message = dup_str(b, message);
    if (w->lpath == NULL || w->message == NULL)
        return PIISCAN_ENOMEM;
    w->status = status;
    w->is_partial = is_partial;
    b->nwarnings++;
    return PIISCAN_OK;
}

void ps_batch_count_walk_skip(struct ps_batch *b)
{
    b->counts.walk_skipped++;
}

piiscan_status ps_batch_add_event(struct ps_batch *b, const piiscan_event *ev)
{
    if (b->collect != NULL) {
        piiscan_status rc = ps_collect_event(b->collect, ev);
        if (rc != PIISCAN_OK)
            return rc;
    }
    switch (ev->kind) {
    case PIISCAN_EV_FINDING:
        return ev->finding != NULL ? add_finding(b, ev->finding) : PIISCAN_OK;
    case PIISCAN_EV_WARNING:
        if (ev->warning == NULL)
            return PIISCAN_OK;
        return ps_batch_add_warning(b, ev->warning->lpath, ev->warning->status,
                                    ev->warning->is_partial, ev->warning->message);
    case PIISCAN_EV_FILE_BEGIN:
        return ev->file != NULL ? open_push(b) : PIISCAN_OK;
    case PIISCAN_EV_FILE_END:
        return ev->file != NULL ? open_pop(b, ev->file) : PIISCAN_OK;
    }
    return PIISCAN_OK;
}

/* Report order: logical path (byte order: a container before its members,
 * members in name order whatever order the archive stores them in), then line,
 * then offset, then arrival. Line comes before offset because a reader that hands
 * over text in pieces (a JSON or SQL file's stray text, document paragraphs)
 * counts offsets from each piece; in plain text both grow together. Arrival is
 * unique, so the order is total. */
static int finding_cmp(const void *pa, const void *pb)
{
    const struct ps_rfinding *a = pa;
    const struct ps_rfinding *b = pb;

    if (a->group != b->group) /* one group per lpath: the paths differ */
        return strcmp(a->lpath, b->lpath) < 0 ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return 0;
}

enum ps_severity ps_store_lone_severity(piiscan_category cat)
{
    switch (cat) {
    case PIISCAN_CAT_SSN:
    case PIISCAN_CAT_ITIN:
    case PIISCAN_CAT_CREDIT_CARD:
    case PIISCAN_CAT_BANK_ACCOUNT:
    case PIISCAN_CAT_DRIVERS_LICENSE:
    case PIISCAN_CAT_PASSPORT:
        return PS_SEV_HIGH;
    case PIISCAN_CAT_DOB:
    case PIISCAN_CAT_SALARY:
        return PS_SEV_MEDIUM;
    case PIISCAN_CAT_NAME:
    case PIISCAN_CAT_EMAIL:
    case PIISCAN_CAT_PHONE:
    case PIISCAN_CAT_ADDRESS:
        return PS_SEV_LOW;
    default:
        return PS_SEV_LOW;
    }
}

piiscan_status ps_store_assign_records(struct ps_batch *b, struct ps_rfinding *f, size_t n)
{
    char id[PS_RECORD_ID_MAX];

    for (size_t i = 0; i < n; i++) {
        int len = 0;
        enum ps_severity sev = PS_SEV_NONE;
        if (b->collect != NULL && ps_collect_record(b->collect, f[i].lpath, f[i].record, f[i].line,
                                                    f[i].offset, &sev, id, sizeof id)) {
            /* the record's severity and id; arrival order numbers findings as the collector does */
            f[i].severity = sev;
            f[i].is_known = ps_collect_is_known(b->collect, f[i].order);
            len = (int)strlen(id);
        } else {
            f[i].severity = ps_store_lone_severity(f[i].category);
            if (f[i].line > 0)
                len = snprintf(id, sizeof id, "%" PRIu64, f[i].line);
        }
        f[i].record_id = ps_batch_strdup(b, id, len > 0 ? (size_t)len : 0);
        if (f[i].record_id == NULL)
            return PIISCAN_ENOMEM;
    }
    return PIISCAN_OK;
}

void ps_batch_set_collect(struct ps_batch *b, struct ps_collect *c)
{
    ps_collect_free(b->collect);
    b->collect = c;
    /* per-finding severities and marks only matter when findings are listed */
    if (c != NULL)
        ps_collect_set_per_finding(c, b->keep_findings);
}

const struct ps_collect *ps_batch_collect(const struct ps_batch *b)
{
    return b->collect;
}

piiscan_status ps_batch_finish(struct ps_batch *b)
{
    if (b->is_finished)
        return PIISCAN_OK;
    b->is_finished = true;
    /* Files still open (a scan that aborted mid-archive) are closed for the counts. */
    while (b->nopen > 0) {
        if (close_top(b) != PIISCAN_OK)
            return PIISCAN_ENOMEM;
    }
    if (b->not_kept > 0) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "report lists the first %zu findings only; %" PRIu64
                 " more were counted but not listed (memory bound)",
                 b->nfindings, b->not_kept);
        if (ps_batch_add_warning(b, b->path != NULL ? b->path : "", PIISCAN_ELIMIT, true, msg) !=
            PIISCAN_OK)
            return PIISCAN_ENOMEM;
    }
    if (b->nfindings > 1)
        qsort(b->findings, b->nfindings, sizeof *b->findings, finding_cmp);
    if (b->collect != NULL)
        ps_collect_finish(b->collect);
    return ps_store_assign_records(b, b->findings, b->nfindings);
}

void ps_batch_set_max_kept(struct ps_batch *b, size_t max)
{
    b->max_kept = max;
}

uint64_t ps_batch_seq(const struct ps_batch *b)
{
    return b->seq;
}

const char *ps_batch_path(const struct ps_batch *b)
{
    return b->path;
}

const struct ps_counts *ps_batch_counts(const struct ps_batch *b)
{
    return &b->counts;
}

const struct ps_rfinding *ps_batch_findings(const struct ps_batch *b, size_t *n)
{
    *n = b->nfindings;
    return b->findings;
}

const struct ps_rwarning *ps_batch_warnings(const struct ps_batch *b, size_t *n)
{
    *n = b->nwarnings;
    return b->warnings;
}

void ps_store_totals_add(struct ps_counts *total, const struct ps_counts *add)
{
    total->top_files += add->top_files;
    total->files_scanned += add->files_scanned;
    total->members += add->members;
    total->containers += add->containers;
    total->skipped_binary += add->skipped_binary;
    total->walk_skipped += add->walk_skipped;
    total->bytes_read += add->bytes_read;
    total->bytes_scanned += add->bytes_scanned;
    total->findings += add->findings;
    for (size_t i = 0; i < PIISCAN_CAT_COUNT; i++)
        total->per_cat[i] += add->per_cat[i];
    total->files_with_findings += add->files_with_findings;
    total->warnings += add->warnings;
    for (size_t i = 0; i < add->nformats; i++)
        count_format(total, add->formats[i].name, add->formats[i].n);
}
