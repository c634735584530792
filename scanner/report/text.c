/* report/text.c - the scan part of the text summary, 80 columns, for a human.
 *
 * The breach-impact headline (people, severities, data elements, worst files,
 * coverage: report/summary_text.c) comes first; this sink adds how the scan went:
 * files and bytes read, time, files by type, what was skipped, and the first
 * PS_TEXT_MAX_WARNINGS warnings. It sums the counters of every batch
 * (report/store.h) and prints at end. Names and messages from the dump are cleaned of control
 * characters; long paths keep their tail ("...hr/2014/payroll.csv"), the part
 * that tells which file it is.
 */
#include "report/text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine/category.h"
#include "report/mask.h"

struct text_sink {
    FILE *f;
    struct ps_run_info info;
    struct ps_counts totals;
    char *warnings[PS_TEXT_MAX_WARNINGS];
    size_t nwarnings;
};

char *ps_text_bytes(uint64_t n, char *buf, size_t len)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)n;
    size_t u = 0;

    if (n < 1024) {
        snprintf(buf, len, "%" PRIu64 " B", n);
        return buf;
    }
    v /= 1024.0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, len, "%.1f %s", v, units[u]);
    return buf;
}

static piiscan_status text_begin(void *self, const struct ps_run_info *info)
{
    struct text_sink *s = self;

    s->info = *info;
    return PIISCAN_OK;
}

/* Keeps "lpath" NUL "message" in one allocation. */
static piiscan_status keep_warning(struct text_sink *s, const struct ps_rwarning *w)
{
    size_t lp = strlen(w->lpath);
    size_t ms = strlen(w->message);
    char *pair;

    if (s->nwarnings >= PS_TEXT_MAX_WARNINGS)
        return PIISCAN_OK;
    pair = malloc(lp + ms + 2);
    if (pair == NULL)
        return PIISCAN_ENOMEM;
    memcpy(pair, w->lpath, lp + 1);
    memcpy(pair + lp + 1, w->message, ms + 1);
    s->warnings[s->nwarnings++] = pair;
    return PIISCAN_OK;
}

static piiscan_status text_batch(void *self, const struct ps_batch *b)
{
    struct text_sink *s = self;
    size_t nw;
    const struct ps_rwarning *w = ps_batch_warnings(b, &nw);
    piiscan_status rc = PIISCAN_OK;

    ps_store_totals_add(&s->totals, ps_batch_counts(b));
    for (size_t i = 0; i < nw && rc == PIISCAN_OK; i++)
        rc = keep_warning(s, &w[i]);
    return rc;
}

/* Prints s cleaned, cut to its last `width` bytes (on a character boundary). */
static void put_tail(FILE *f, const char *s, size_t width)
{
    size_t n = strlen(s);
    char *buf;
    size_t len;
    size_t from = 0;

    buf = malloc(n + 1);
    if (buf == NULL)
        return;
    len = ps_mask_clean(s, n, PS_CLEAN_FIELD, buf, n + 1);
    if (len > width && width > 3) {
        from = len - (width - 3);
        while (from < len && ((unsigned char)buf[from] & 0xC0) == 0x80)
            from++;
        fputs("...", f);
    }
    fwrite(buf + from, 1, len - from, f);
    free(buf);
}

/* Prints s cleaned, cut to its first `width` bytes (on a character boundary). */
static void put_head(FILE *f, const char *s, size_t width)
{
    size_t n = strlen(s);
    char *buf = malloc(n + 1);
    size_t len;

    if (buf == NULL)
        return;
    len = ps_mask_clean(s, n, PS_CLEAN_FIELD, buf, n + 1);
    if (len > width && width > 3) {
        len = width - 3;
        while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80)
            len--;
        fwrite(buf, 1, len, f);
        fputs("...", f);
    } else {
        fwrite(buf, 1, len, f);
    }
    free(buf);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "  By type     text 12, xlsx 3, archive 2, pdf 1" wrapped at 80 columns. */
static void print_formats(FILE *f, const struct ps_counts *t)
{
    size_t col = 0;

    if (t->nformats == 0)
        return;
    fputs("  By type     ", f);
    col = 14;
    for (size_t i = 0; i < t->nformats; i++) {
        char item[48];
        int n = snprintf(item, sizeof item, "%s%s %" PRIu64, i ? ", " : "", t->formats[i].name,
                         t->formats[i].n);
        if (n < 0)
            continue;
        if (col + (size_t)n > PS_TEXT_WIDTH && i > 0) {
            fputs(",\n              ", f);
            col = 14;
            n = snprintf(item, sizeof item, "%s %" PRIu64, t->formats[i].name, t->formats[i].n);
        }
        fputs(item, f);
        col += (size_t)n;
    }
    fputc('\n', f);
}

static void print_scanned(FILE *f, const struct text_sink *s, const struct ps_run_end *end)
{
    const struct ps_counts *t = &s->totals;
    char read[32];
    char scanned[32];

    fprintf(f, "piiscan %s scan summary%s\n", s->info.version != NULL ? s->info.version : "",
            end->is_aborted ? " (INCOMPLETE: the scan stopped on a fatal error)" : "");
    fprintf(f, "  Scanned     %" PRIu64 " %s", t->files_scanned,
            plural(t->files_scanned, "file", "files"));
    if (t->containers > 0)
        fprintf(f, " (%" PRIu64 " inside %" PRIu64 " %s)", t->members, t->containers,
                plural(t->containers, "archive or container", "archives or containers"));
    fputc('\n', f);
    fprintf(f, "  Bytes       %s read, %s of content\n", ps_text_bytes(t->bytes_read, read, 32),
            ps_text_bytes(t->bytes_scanned, scanned, 32));
    fprintf(f, "  Time        %.2f s, %u %s, %zu rules\n", end->elapsed_s, s->info.threads,
            plural(s->info.threads, "thread", "threads"), s->info.nrules);
    if (t->skipped_binary > 0)
        fprintf(f, "  Skipped     %" PRIu64 " binary %s (--scan-binary to scan them)\n",
                t->skipped_binary, plural(t->skipped_binary, "file", "files"));
    if (t->walk_skipped > 0)
        fprintf(f, "  Not walked  %" PRIu64 " excluded %s or symlinks (--follow)\n",
                t->walk_skipped, plural(t->walk_skipped, "path", "paths"));
    print_formats(f, t);
}

static void print_findings(FILE *f, const struct text_sink *s)
{
    const struct ps_counts *t = &s->totals;

    if (t->findings == 0)
        fprintf(f, "  Findings    none\n");
    else
        fprintf(f, "  Findings    %" PRIu64 " in %" PRIu64 " %s (by element and file: above)\n",
                t->findings, t->files_with_findings,
                plural(t->files_with_findings, "file", "files"));
}

static void print_warnings(FILE *f, const struct text_sink *s)
{
    uint64_t n = s->totals.warnings;

    if (n == 0)
        return;
    fprintf(f, "  Warnings    %" PRIu64 " (not read, or not read fully)\n", n);
    /* Path (its tail: the member that failed) and reason on lines of their own, so
     * the list stays within 80 columns; stderr has the full text. */
    for (size_t i = 0; i < s->nwarnings; i++) {
        const char *lpath = s->warnings[i];
        fputs("    ", f);
        put_tail(f, lpath, PS_TEXT_WIDTH - 4);
        fputs("\n      ", f);
        put_head(f, lpath + strlen(lpath) + 1, PS_TEXT_WIDTH - 6);
        fputc('\n', f);
    }
    if (n > s->nwarnings)
        fprintf(f, "    ... and %" PRIu64 " more (all are printed on stderr)\n", n - s->nwarnings);
}

static piiscan_status text_end(void *self, const struct ps_run_end *end)
{
    struct text_sink *s = self;
    FILE *f = s->f;

    print_scanned(f, s, end);
    print_findings(f, s);
    print_warnings(f, s);
    if (s->totals.findings > 0)
        fprintf(f, "%s\n",
                s->info.reveal ? "Every finding: -f csv."
                               : "Every finding: -f csv (values masked; --reveal "
                                 "shows them).");
    return fflush(f) == 0 && !ferror(f) ? PIISCAN_OK : PIISCAN_EIO;
}

static void text_free(void *self)
{
    struct text_sink *s = self;

    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nwarnings; i++)
        free(s->warnings[i]);
    free(s);
}

piiscan_status ps_text_sink(FILE *f, struct ps_sink *out)
{
    struct text_sink *s = calloc(1, sizeof *s);

    memset(out, 0, sizeof *out);
    if (s == NULL)
        return PIISCAN_ENOMEM;
    s->f = f;
    out->self = s;
    out->begin = text_begin;
    out->batch = text_batch;
    out->end = text_end;
    out->free = text_free;
    return PIISCAN_OK;
}
