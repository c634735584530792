/* report/summary_text.c - the headline a responder reads first (80 columns).
 *
 * Order follows the questions after a leak: how many people, how bad, how
 * many must be notified, what was exposed (occurrences next to distinct
 * people), where the worst of it is, and what the scan could not see. Paths
 * are cleaned of control bytes and shortened in the middle to fit the column,
 * counted in UTF-8 code points; numbers get thousands separators.
 */
#include <stdio.h>
#include <string.h>

#include "engine/category.h"
#include "report/summary.h"
#include "report/summary_sections.h"

#define PATH_COLS 44u
#define COVERAGE_SHOWN 10u

/* 1234567 -> "1,234,567" */
static char *group(uint64_t v, char *buf, size_t len)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "%llu", (unsigned long long)v);
    size_t w = 0;

    for (int i = 0; i < n && w + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[w++] = ',';
        buf[w++] = raw[i];
    }
    buf[w] = '\0';
    return buf;
}

static size_t cols(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* s cleaned of control bytes and, when longer than width columns, cut to
 * "head...tail" on code point boundaries. */
static void fit(const char *s, size_t width, char *out, size_t cap)
{
    char clean[1024];
    size_t n = 0;

    for (const char *p = s; *p != '\0' && n + 1 < sizeof clean; p++) {
        unsigned char c = (unsigned char)*p;
        clean[n++] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
    }
    clean[n] = '\0';
    if (cols(clean, n) <= width) {
        snprintf(out, cap, "%s", clean);
        return;
    }
    /* keep a third at the front (the top-level file) and the rest at the end (the member) */
    size_t head_cols = (width - 3) / 3, tail_cols = width - 3 - head_cols;
    size_t h = 0, c = 0;
    while (h < n && (c < head_cols || ((unsigned char)clean[h] & 0xC0) == 0x80)) {
        if (((unsigned char)clean[h] & 0xC0) != 0x80)
            c++;
        h++;
    }
    size_t t = n;
    c = 0;
    while (t > h && c < tail_cols) {
        t--;
        if (((unsigned char)clean[t] & 0xC0) != 0x80)
            c++;
    }
    snprintf(out, cap, "%.*s...%s", (int)h, clean, clean + t);
}

static void headline(FILE *f, const struct ps_impact_totals *t)
{
    char a[32], b[32], c[32], d[32];

    fprintf(f, "Individuals affected: %s", group(t->people, a, sizeof a));
    fprintf(f, "   (scan severity: %s)\n",
            t->scan == PS_SEV_NONE ? "none" : ps_severity_name(t->scan));
    fprintf(f, "  critical %s   high %s   medium %s   low %s\n",
            group(t->people_at[PS_SEV_CRITICAL], a, sizeof a),
            group(t->people_at[PS_SEV_HIGH], b, sizeof b),
            group(t->people_at[PS_SEV_MEDIUM], c, sizeof c),
            group(t->people_at[PS_SEV_LOW], d, sizeof d));
    fprintf(f, "  meeting the notification combination (name + identifier): %s\n",
            group(t->notify, a, sizeof a));
    if (t->unlinked > 0)
        fprintf(f, "  records not tied to one person (shared name, no SSN): %s\n",
                group(t->unlinked, a, sizeof a));
    fprintf(f, "  %s findings in %s records, %s of %s files/members with findings\n",
            group(t->findings, a, sizeof a), group(t->records, b, sizeof b),
            group(t->files_with_findings, c, sizeof c), group(t->files, d, sizeof d));
}

static void elements(FILE *f, const struct ps_impact_totals *t)
{
    int order[PIISCAN_CAT_COUNT];
    size_t n = ps_summary_elements(t, order);
    char a[32], b[32];

    if (n == 0)
        return;
    fprintf(f, "\n%-30s %16s %16s\n", "Data elements exposed", "occurrences", "people");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %-28s %16s %16s\n", ps_category_name(order[i]),
                group(t->per_cat[order[i]], a, sizeof a),
                group(t->people_per_cat[order[i]], b, sizeof b));
}

static void worst(FILE *f, const struct ps_impact *imp)
{
    size_t idx[PS_SUMMARY_WORST];
    size_t n = ps_impact_worst_files(imp, idx, PS_SUMMARY_WORST);
    char path[256], a[32], b[32];

    if (n == 0)
        return;
    fprintf(f, "\n%-46s %-8s %11s %11s\n", "Worst files", "severity", "people", "findings");
    for (size_t i = 0; i < n; i++) {
        const struct ps_impact_file *fl = ps_impact_file_get(imp, idx[i]);
        fit(fl->lpath, PATH_COLS, path, sizeof path);
        /* pad by code points, not bytes, so columns line up with UTF-8 paths */
        fprintf(f, "  %s%*s %-8s %11s %11s\n", path, (int)(PATH_COLS - cols(path, strlen(path))),
                "", ps_severity_name(fl->severity), group(fl->people, a, sizeof a),
                group(fl->findings, b, sizeof b));
    }
}

static void coverage(FILE *f, const struct ps_impact *imp, const struct ps_impact_totals *t)
{
    char path[256], reason[256], a[32];
    size_t shown = 0;

    if (t->not_full == 0) {
        fprintf(f, "\nEvery file and member was read in full.\n");
        return;
    }
    fprintf(f, "\nNot read in full: %s files or members (all in files.csv, summary.json)\n",
            group(t->not_full, a, sizeof a));
    for (size_t i = 0; i < ps_impact_file_count(imp) && shown < COVERAGE_SHOWN; i++) {
        const struct ps_impact_file *fl = ps_impact_file_get(imp, i);
        if (fl->coverage == PS_COV_FULL)
            continue;
        shown++;
        fit(fl->lpath, 36, path, sizeof path);
        fit(fl->reason, 30, reason, sizeof reason);
        fprintf(f, "  %-8s %s: %s\n", ps_coverage_name(fl->coverage), path, reason);
    }
    if (t->not_full > shown)
        fprintf(f, "  ... and %s more\n", group(t->not_full - shown, a, sizeof a));
}

piiscan_status ps_summary_write_text(FILE *f, const struct ps_impact *imp,
                                     const struct ps_summary_diff *diff)
{
    const struct ps_impact_totals *t = ps_impact_totals(imp);
    char a[32], b[32], c[32], d[32], path[256];

    headline(f, t);
    if (diff != NULL && diff->baseline != NULL) {
        fit(diff->baseline, 40, path, sizeof path);
        fprintf(f,
                "  since baseline %s:\n    new: %s findings, %s people;"
                " gone: %s findings, %s people\n",
                path, group(diff->new_findings, a, sizeof a), group(diff->new_people, b, sizeof b),
                group(diff->gone_findings, c, sizeof c), group(diff->gone_people, d, sizeof d));
    }
    elements(f, t);
    worst(f, imp);
    coverage(f, imp, t);
    fputc('\n', f); /* apart from what follows (the scan summary) */
    return ferror(f) ? PIISCAN_EIO : PIISCAN_OK;
}
