/* extract/xls.c - legacy Excel through FreeXL, read from a memory file.
 *
 * Steps: copy the buffer into a memfd; freexl_open_info to learn the sheets and
 * their dimensions without loading cells, refusing workbooks whose cell grid
 * (rows x columns, which FreeXL allocates up front) would pass the buffer cap;
 * freexl_open; then sheet by sheet, row by row, every cell through
 * freexl_get_cell_value into the shared row builder. The memfd is closed (and
 * its pages freed) before returning.
 */
#define _GNU_SOURCE /* memfd_create */

#include "extract/xls.h"

#include <errno.h>
#include <freexl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CELL_COST 24u /* bytes FreeXL spends per cell of a sheet's grid, roughly */

/* The memfd holding buf, or -1 with errno set. */
static int memory_file(const char *buf, size_t len)
{
    int fd = memfd_create("piiscan-xls", MFD_CLOEXEC);
    size_t done = 0;

    if (fd < 0)
        return -1;
    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            errno = e;
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

static const char *freexl_reason(int err)
{
    switch (err) {
    case FREEXL_INSUFFICIENT_MEMORY:
        return "out of memory";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
        return "not an OLE2 compound file";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
        return "compound file unreadable (truncated, or not OLE2)";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "no Workbook stream (not an Excel file)";
    case FREEXL_CRAFTED_FILE:
        return "severely corrupted or crafted file";
    default:
        return "corrupt or unsupported workbook";
    }
}

/* Sum of rows x columns over all sheets, from a metadata-only open. */
static int grid_cells(const char *path, unsigned long long *cells, unsigned *sheets)
{
    const void *h = NULL;
    unsigned count = 0;
    int rc = freexl_open_info(path, &h);

    *cells = 0;
    if (rc == FREEXL_OK)
        rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count);
    for (unsigned s = 0; rc == FREEXL_OK && s < count && s <= 0xFFFF; s++) {
        unsigned int rows = 0;
        unsigned short cols = 0;
        if (freexl_select_active_worksheet(h, (unsigned short)s) == FREEXL_OK &&
            freexl_worksheet_dimensions(h, &rows, &cols) == FREEXL_OK)
            *cells += (unsigned long long)rows * cols;
    }
    *sheets = count;
    freexl_close(h);
    return rc;
}

/* One cell as text in buf (or borrowed from FreeXL). */
static const char *cell_text(const FreeXL_CellValue *v, char *buf, size_t size, bool *is_text)
{
    *is_text = false;
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(buf, size, "%d", v->value.int_value);
        return buf;
    case FREEXL_CELL_DOUBLE:
        snprintf(buf, size, "%.15g", v->value.double_value);
        return buf;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        *is_text = true;
        return v->value.text_value != NULL ? v->value.text_value : "";
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        return v->value.text_value != NULL ? v->value.text_value : "";
    default:
        return "";
    }
}

static piiscan_status read_sheet(const void *h, unsigned short s, struct ps_sheet *sh,
                                 const struct ps_office_sink *sink)
{
    const char *name = NULL;
    char fallback[32];
    char num[64];
    unsigned int rows = 0;
    unsigned short cols = 0;
    piiscan_status rc;

    if (freexl_get_worksheet_name(h, s, &name) != FREEXL_OK || name == NULL) {
        snprintf(fallback, sizeof fallback, "sheet%u", (unsigned)s + 1);
        name = fallback;
    }
    rc = ps_sheet_begin(sh, name, NULL);
    if (rc != PIISCAN_OK)
        return rc;
    if (freexl_select_active_worksheet(h, s) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
        return ps_office_warn(sink, name, PIISCAN_ECORRUPT, "sheet could not be read");
    for (unsigned int r = 0; r < rows && rc == PIISCAN_OK; r++) {
        for (unsigned short c = 0; c < cols && rc == PIISCAN_OK; c++) {
            FreeXL_CellValue v;
            const char *t;
            bool is_text;
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
                continue;
            t = cell_text(&v, num, sizeof num, &is_text);
            rc = ps_sheet_cell(sh, c, t, strlen(t), is_text);
        }
        if (rc == PIISCAN_OK)
            rc = ps_sheet_end_row(sh, (uint64_t)r + 1, 1);
    }
    return rc;
}

piiscan_status ps_xls_parse(const char *buf, size_t len, const struct ps_office_limits *lim,
                            const struct ps_office_sink *sink)
{
    struct ps_sheet *sh = NULL;
    const void *h = NULL;
    char path[64];
    unsigned long long cells = 0;
    unsigned sheets = 0;
    unsigned int pw = 0;
    piiscan_status rc = PIISCAN_OK;
    int fd = memory_file(buf, len);
    int err;

    if (fd < 0)
        return ps_office_warn(sink, NULL, PIISCAN_EUNSUPPORTED,
                              "cannot hand the workbook to FreeXL in memory (memfd_create: %s)",
                              strerror(errno));
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    err = grid_cells(path, &cells, &sheets);
    if (err != FREEXL_OK) {
        rc = ps_office_warn(sink, NULL, PIISCAN_ECORRUPT,
                            "not a readable Excel 97-2003 workbook: %s (FreeXL %d)",
                            freexl_reason(err), err);
        goto out;
    }
    if (cells > lim->max_part_bytes / CELL_COST) {
        rc = ps_office_warn(sink, NULL, PIISCAN_ELIMIT,
                            "skipped: a grid of %llu cells passes the buffer cap", cells);
        goto out;
    }
    err = freexl_open(path, &h);
    if (err == FREEXL_OK && freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
        pw == FREEXL_BIFF_OBFUSCATED) {
        rc = ps_office_warn(sink, NULL, PIISCAN_EENCRYPTED, "workbook is password-protected");
        goto out;
    }
    if (err != FREEXL_OK) {
        rc = err == FREEXL_INSUFFICIENT_MEMORY
                 ? PIISCAN_ENOMEM
                 : ps_office_warn(sink, NULL, PIISCAN_ECORRUPT,
                                  "not a readable Excel 97-2003 workbook: %s (FreeXL %d)",
                                  freexl_reason(err), err);
        goto out;
    }
    rc = ps_sheet_new(lim, sink, PS_HEADER_TEXT_ROW, true, &sh);
    for (unsigned s = 0; rc == PIISCAN_OK && s < sheets && s < lim->max_parts && s <= 0xFFFF; s++)
        rc = read_sheet(h, (unsigned short)s, sh, sink);
    if (rc == PIISCAN_OK && sheets > lim->max_parts)
        rc = ps_office_warn(sink, NULL, PIISCAN_ELIMIT, "only the first %u of %u sheets read",
                            lim->max_parts, sheets);
out:
    ps_sheet_free(sh);
    freexl_close(h);
    close(fd);
    return rc;
}
