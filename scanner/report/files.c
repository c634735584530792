/* report/files.c - the rows of files.csv (see people.h).
 *
 * One row per file or member in report order, including those without
 * findings and those not read in full, so counsel can see both what was
 * exposed where and what the scan did not see.
 */
#include <stdio.h>

#include "engine/category.h"
#include "report/people.h"

#define NUM 24

static piiscan_status header(ps_row_fn row, void *ctx)
{
    const char *cells[PS_FILES_NCOLS];
    size_t n = 0;

    cells[n++] = "path";
    cells[n++] = "type";
    cells[n++] = "format";
    cells[n++] = "bytes";
    cells[n++] = "findings";
    for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
        cells[n++] = ps_category_name(c);
    cells[n++] = "records";
    cells[n++] = "people";
    cells[n++] = "severity";
    cells[n++] = "warnings";
    cells[n++] = "coverage";
    cells[n++] = "reason";
    return row(ctx, cells, n);
}

piiscan_status ps_files_csv(const struct ps_impact *imp, ps_row_fn row, void *ctx)
{
    piiscan_status rc = header(row, ctx);

    for (size_t i = 0; rc == PIISCAN_OK && i < ps_impact_file_count(imp); i++) {
        const struct ps_impact_file *f = ps_impact_file_get(imp, i);
        char num[PS_FILES_NCOLS][NUM];
        const char *cells[PS_FILES_NCOLS];
        size_t n = 0;

        cells[n++] = f->lpath;
        cells[n++] = f->mime;
        cells[n++] = f->format;
        snprintf(num[n], NUM, "%llu", (unsigned long long)f->bytes);
        cells[n] = num[n];
        n++;
        snprintf(num[n], NUM, "%llu", (unsigned long long)f->findings);
        cells[n] = num[n];
        n++;
        for (int c = 0; c < PIISCAN_CAT_COUNT; c++, n++) {
            snprintf(num[n], NUM, "%llu", (unsigned long long)f->per_cat[c]);
            cells[n] = num[n];
        }
        snprintf(num[n], NUM, "%llu", (unsigned long long)f->records);
        cells[n] = num[n];
        n++;
        snprintf(num[n], NUM, "%llu", (unsigned long long)f->people);
        cells[n] = num[n];
        n++;
        cells[n++] = ps_severity_name(f->severity);
        snprintf(num[n], NUM, "%llu", (unsigned long long)f->warnings);
        cells[n] = num[n];
        n++;
        cells[n++] = ps_coverage_name(f->coverage);
        cells[n++] = f->reason;
        rc = row(ctx, cells, n);
    }
    return rc;
}
