/* extract/office_extract.c - the office formats as pipeline extractors.
 *
 * Each extractor bids on what sniff/ found (libmagic's MIME type for OOXML, ODF
 * and Excel 97 files, or the zip/OLE2 signature plus a telling member or stream
 * name in the head when libmagic only says "zip" or "OLE storage"), reads the stream whole
 * (these formats need random access: zip directory, OLE2 sectors) up to
 * max_buffer_bytes, and runs the format's parser with a sink that turns
 *   rows       -> ROW units under "<file>!<sheet>" (line = record = row number),
 *   paragraphs -> ps_emit_text under "<file>[!<part>]" (line = record = number),
 *   warnings   -> WARNING events under the same paths (partial once anything
 *                 of the file was scanned),
 *   embedded files (xl|word|ppt/embeddings/) -> ps_dispatch one level deeper.
 * A stream that fails part way (a truncated archive member) is still parsed
 * for what arrived; its failure is returned so its producer's warning stands.
 * Zip parts may not expand past max_ratio times the file (with the archive
 * grace), nor past max_buffer_bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/docx.h"
#include "extract/odf.h"
#include "extract/office.h"
#include "extract/office_extract.h"
#include "extract/pptx.h"
#include "extract/xls.h"
#include "extract/xlsx.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/lpath.h"

typedef piiscan_status (*office_parse_fn)(const char *buf, size_t len,
                                          const struct ps_office_limits *lim,
                                          const struct ps_office_sink *sink);

struct office_pipe {
    piiscan_scanner *sc;
    const char *lpath;
    unsigned depth;
    char *key;    /* "part\x01sub" of the cached path */
    char *joined; /* its lpath */
    uint64_t units;
};

/* "<file>!part!sub" (cached: rows of one sheet come in a run). */
static const char *part_lpath(struct office_pipe *p, const char *part, const char *sub)
{
    char key[PS_LPATH_MAX];
    char *one = NULL;
    char *two = NULL;

    if (part == NULL)
        return p->lpath;
    snprintf(key, sizeof key, "%s\x01%s", part, sub != NULL ? sub : "");
    if (p->key != NULL && strcmp(p->key, key) == 0)
        return p->joined;
    /* an over-long name keeps the shorter path rather than losing the finding */
    if (ps_lpath_join(p->lpath, part, &one) != PIISCAN_OK)
        return p->lpath;
    if (sub != NULL && ps_lpath_join(one, sub, &two) == PIISCAN_OK) {
        free(one);
        one = two;
    }
    free(p->key);
    free(p->joined);
    p->key = strdup(key);
    p->joined = one;
    if (p->key == NULL) {
        free(p->joined);
        p->joined = NULL;
        return p->lpath;
    }
    return p->joined;
}

static piiscan_status pipe_row(void *ctx, const struct ps_office_row *row)
{
    struct office_pipe *p = ctx;
    struct ps_unit u;

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_ROW;
    u.lpath = part_lpath(p, row->part, row->sub);
    u.ncells = row->ncells;
    u.cells = row->cells;
    u.cell_lens = row->lens;
    u.headers = row->headers;
    u.line = row->rownum;
    u.record = row->rownum;
    p->units++;
    return ps_scan_unit(p->sc, &u);
}

static piiscan_status pipe_text(void *ctx, const struct ps_office_para *para)
{
    struct office_pipe *p = ctx;

    p->units++;
    return ps_emit_text(p->sc, part_lpath(p, para->part, NULL), para->text, para->len, para->number,
                        para->number);
}

static piiscan_status pipe_warn(void *ctx, const char *part, piiscan_status st, const char *msg)
{
    struct office_pipe *p = ctx;

    return ps_warn(p->sc, part_lpath(p, part, NULL), st, p->units > 0, "%s", msg);
}

/* An embedded file is a member: sniffed and dispatched one level deeper, under
 * "<file>!word/embeddings/Book1.xlsx". */
static piiscan_status pipe_embedded(void *ctx, const char *name, const char *buf, size_t len)
{
    struct office_pipe *p = ctx;
    struct ps_mem_stream m;
    struct ps_stream s;
    char *lpath = NULL;
    piiscan_status rc;

    rc = ps_lpath_join(p->lpath, name, &lpath);
    if (rc == PIISCAN_ELIMIT)
        return ps_warn(p->sc, p->lpath, rc, p->units > 0, "embedded file %s: path too long", name);
    if (rc != PIISCAN_OK)
        return rc;
    ps_mem_stream_init(&m, buf, len, &s);
    p->units++;
    rc = ps_dispatch(p->sc, lpath, p->depth + 1, &s);
    free(lpath);
    return rc;
}

/* The whole stream, up to cap; on a stream failure what arrived is kept. */
static piiscan_status read_all(struct ps_stream *in, uint64_t cap, struct ps_buf *b,
                               piiscan_status *stream_rc)
{
    ps_buf_init(b, cap > (uint64_t)SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)cap);
    *stream_rc = PIISCAN_OK;
    for (;;) {
        const void *blk = NULL;
        size_t n = 0;
        piiscan_status rc = in->next(in->h, &blk, &n);
        if (rc != PIISCAN_OK) {
            *stream_rc = rc;
            return PIISCAN_OK;
        }
        if (n == 0)
            return PIISCAN_OK;
        rc = ps_buf_append(b, blk, n);
        if (rc != PIISCAN_OK)
            return rc;
    }
}

static piiscan_status run_parser(piiscan_scanner *sc, struct ps_input *in, office_parse_fn parse)
{
    const piiscan_options *opt = ps_scanner_options(sc);
    struct office_pipe p = {sc, in->lpath, in->depth, NULL, NULL, 0};
    struct ps_office_sink sink = {pipe_row, pipe_text, pipe_warn, &p, pipe_embedded};
    struct ps_office_limits lim;
    struct ps_buf b;
    piiscan_status stream_rc;
    piiscan_status rc;
    uint64_t bound;

    rc = read_all(in->stream, opt->max_buffer_bytes, &b, &stream_rc);
    if (rc == PIISCAN_ELIMIT) {
        rc = ps_warn(sc, in->lpath, PIISCAN_ELIMIT, false,
                     "skipped: must be read whole and is larger than %llu bytes "
                     "(max_buffer_bytes)",
                     (unsigned long long)opt->max_buffer_bytes);
        ps_buf_free(&b);
        return rc;
    }
    if (rc != PIISCAN_OK || (stream_rc != PIISCAN_OK && b.len == 0)) {
        ps_buf_free(&b);
        return rc != PIISCAN_OK ? rc : stream_rc;
    }
    ps_office_limits_init(&lim, opt);
    /* a part may expand max_ratio times the whole file (zip bombs), with grace */
    bound = (uint64_t)b.len * (opt->max_ratio > 0 ? opt->max_ratio : PS_DEFAULT_MAX_RATIO);
    if (bound < PS_RATIO_GRACE_BYTES)
        bound = PS_RATIO_GRACE_BYTES;
    if (bound < lim.max_part_bytes)
        lim.max_part_bytes = bound;
    rc = parse(b.data != NULL ? b.data : "", b.len, &lim, &sink);
    ps_buf_free(&b);
    free(p.key);
    free(p.joined);
    if (rc == PIISCAN_OK)
        rc = stream_rc;
    return rc;
}

/* ---- bids ---- */

static bool mime_is(const struct ps_kind *k, const char *mime)
{
    return strcasecmp(k->mime, mime) == 0;
}

static bool mime_starts(const struct ps_kind *k, const char *prefix)
{
    return strncasecmp(k->mime, prefix, strlen(prefix)) == 0;
}

/* A bounded search of the sniffed head (memmem is a GNU extension). */
static bool head_has(const char *head, size_t len, const char *needle, size_t nlen)
{
    for (size_t i = 0; nlen > 0 && i + nlen <= len; i++)
        if (head[i] == needle[0] && memcmp(head + i, needle, nlen) == 0)
            return true;
    return false;
}

static unsigned le16(const char *p)
{
    return (unsigned)(unsigned char)p[0] | (unsigned)(unsigned char)p[1] << 8;
}

static unsigned long le32(const char *p)
{
    return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* A zip whose own members (local headers walked within the head, not names that
 * merely appear in it: a zip of .xlsx files holds those too) include one whose
 * name starts with prefix. The walk stops where sizes are unknown (data
 * descriptors, zip64) or the head ends. */
static bool zip_with_part(const struct ps_kind *k, const char *head, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);
    size_t off = 0;

    if (!mime_is(k, "application/zip") && !mime_is(k, "application/octet-stream"))
        return false;
    for (unsigned n = 0; n < 256 && off + 30 <= len; n++) {
        const char *h = head + off;
        unsigned long csize = le32(h + 18);
        size_t nlen = le16(h + 26);
        size_t xlen = le16(h + 28);
        if (memcmp(h, "PK\x03\x04", 4) != 0 || off + 30 + nlen > len)
            return false;
        if (nlen >= plen && memcmp(h + 30, prefix, plen) == 0)
            return true;
        if ((le16(h + 6) & 8) != 0 || csize == 0xFFFFFFFFUL)
            return false;
        off += 30 + nlen + xlen + csize;
    }
    return false;
}

static int bid_xlsx(const struct ps_kind *k, const char *head, size_t len)
{
    if (mime_starts(k, "application/vnd.openxmlformats-officedocument.spreadsheetml.") ||
        mime_starts(k, "application/vnd.ms-excel.sheet.macroenabled") ||
        mime_starts(k, "application/vnd.ms-excel.template.macroenabled"))
        return 80;
    return zip_with_part(k, head, len, "xl/") ? 80 : 0;
}

static int bid_docx(const struct ps_kind *k, const char *head, size_t len)
{
    if (mime_starts(k, "application/vnd.openxmlformats-officedocument.wordprocessingml.") ||
        mime_starts(k, "application/vnd.ms-word.document.macroenabled") ||
        mime_starts(k, "application/vnd.ms-word.template.macroenabled"))
        return 80;
    return zip_with_part(k, head, len, "word/") ? 80 : 0;
}

static int bid_pptx(const struct ps_kind *k, const char *head, size_t len)
{
    if (mime_starts(k, "application/vnd.openxmlformats-officedocument.presentationml.") ||
        mime_starts(k, "application/vnd.ms-powerpoint.presentation.macroenabled") ||
        mime_starts(k, "application/vnd.ms-powerpoint.slideshow.macroenabled"))
        return 80;
    return zip_with_part(k, head, len, "ppt/") ? 80 : 0;
}

/* ODF: the MIME type, or the uncompressed "mimetype" member ODF puts first. */
static int bid_odf(const struct ps_kind *k, const char *head, size_t len, const char *type)
{
    char mime[96];
    static const char sig[] = "mimetypeapplication/vnd.oasis.opendocument.";

    snprintf(mime, sizeof mime, "application/vnd.oasis.opendocument.%s", type);
    if (mime_starts(k, mime))
        return 80;
    if (len >= 30 + sizeof sig - 1 + strlen(type) && memcmp(head, "PK\x03\x04", 4) == 0 &&
        memcmp(head + 30, sig, sizeof sig - 1) == 0 &&
        memcmp(head + 30 + sizeof sig - 1, type, strlen(type)) == 0)
        return 80;
    return 0;
}

static int bid_odt(const struct ps_kind *k, const char *head, size_t len)
{
    return bid_odf(k, head, len, "text");
}

static int bid_ods(const struct ps_kind *k, const char *head, size_t len)
{
    return bid_odf(k, head, len, "spreadsheet");
}

static int bid_odp(const struct ps_kind *k, const char *head, size_t len)
{
    return bid_odf(k, head, len, "presentation");
}

/* Excel 97: its MIME type, or an OLE2 file whose directory (in the head) has a
 * "Workbook" (BIFF8) or "Book" (BIFF5) stream; an OLE2 file libmagic could not
 * name (its directory past the head, or damaged) gets a low bid, so FreeXL tries
 * and a failure is reported rather than the file skipped as binary. */
static int bid_xls(const struct ps_kind *k, const char *head, size_t len)
{
    static const char workbook[] = "W\0o\0r\0k\0b\0o\0o\0k\0";
    static const char book[] = "B\0o\0o\0k\0\0\0";

    if (mime_is(k, "application/vnd.ms-excel"))
        return 80;
    if (!mime_is(k, "application/x-ole-storage") && !mime_is(k, "application/CDFV2") &&
        !mime_is(k, "application/octet-stream"))
        return 0;
    if (len < 8 || memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0)
        return 0;
    if (head_has(head, len, workbook, sizeof workbook - 1) ||
        head_has(head, len, book, sizeof book - 1))
        return 80;
    return mime_is(k, "application/octet-stream") ? 0 : 40;
}

/* ---- extract ---- */

static piiscan_status extract_xlsx(piiscan_scanner *sc, struct ps_input *in)
{
    return run_parser(sc, in, ps_xlsx_parse);
}

static piiscan_status extract_xls(piiscan_scanner *sc, struct ps_input *in)
{
    return run_parser(sc, in, ps_xls_parse);
}

static piiscan_status extract_docx(piiscan_scanner *sc, struct ps_input *in)
{
    return run_parser(sc, in, ps_docx_parse);
}

static piiscan_status extract_pptx(piiscan_scanner *sc, struct ps_input *in)
{
    return run_parser(sc, in, ps_pptx_parse);
}

static piiscan_status extract_odf(piiscan_scanner *sc, struct ps_input *in)
{
    return run_parser(sc, in, ps_odf_parse);
}

const struct ps_extractor ps_xlsx_extractor = {"xlsx", bid_xlsx, extract_xlsx, 0};
const struct ps_extractor ps_xls_extractor = {"xls", bid_xls, extract_xls, 0};
const struct ps_extractor ps_docx_extractor = {"docx", bid_docx, extract_docx, 0};
const struct ps_extractor ps_pptx_extractor = {"pptx", bid_pptx, extract_pptx, 0};
const struct ps_extractor ps_odt_extractor = {"odt", bid_odt, extract_odf, 0};
const struct ps_extractor ps_ods_extractor = {"ods", bid_ods, extract_odf, 0};
const struct ps_extractor ps_odp_extractor = {"odp", bid_odp, extract_odf, 0};
