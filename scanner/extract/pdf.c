/* extract/pdf.c - the PDF parsing core: page texts out of a PDF in memory (poppler-glib).
 *
 * Poppler opens the buffer in place (a static GBytes: no copy, no file). Each
 * page's text layer is taken with poppler_page_get_text (reading order, lines
 * separated by '\n') and handed to the sink; a page without text is checked for
 * images (poppler_page_get_image_mapping lists the image placements without
 * decoding them) so that a scanned page is reported as "no text layer" instead
 * of passing silently, while a truly blank page says nothing.
 * Damage is reported, and recovered where it can be: a startxref that does not
 * point at a cross-reference table means poppler rebuilt the table (warned);
 * a file poppler cannot open at all is retried once on a copy cut before any
 * partial xref table and given a minimal trailer (<< /Root n g R >>, the
 * catalog found by its "/Catalog" key), which makes poppler reconstruct the
 * table from the surviving objects - how a truncated download is read.
 * Bounds: pages read, text bytes handed out, the recovery copy (one copy of
 * the input, which the adapter capped). Poppler's own decompression is not
 * bounded by us; its log messages are dropped (they quote file content).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "extract/pdf.h"

static void log_drop(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer u)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)u;
}

static gpointer pdf_init_once(gpointer unused)
{
    (void)unused;
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                      log_drop, NULL);
    return NULL;
}

/* Once per process, whichever thread comes first (g_log_set_handler is locked, but
 * installing it twice would stack two handlers). */
static void pdf_init(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, pdf_init_once, NULL);
}

void ps_pdf_limits_init(struct ps_pdf_limits *lim)
{
    lim->max_pages = PS_PDF_MAX_PAGES;
    lim->max_text_bytes = PS_PDF_MAX_TEXT_BYTES;
}

/* ---- structure checks and recovery ------------------------------------------------ */

/* Last occurrence of needle in hay[0..hl), or NULL. */
static const char *rfind(const char *hay, size_t hl, const char *needle)
{
    size_t nl = strlen(needle);

    if (hl < nl)
        return NULL;
    for (size_t i = hl - nl + 1; i-- > 0;)
        if (memcmp(hay + i, needle, nl) == 0)
            return hay + i;
    return NULL;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads an unsigned decimal at buf[*i] (at most 19 digits); false if none. */
static bool read_uint(const char *buf, size_t len, size_t *i, unsigned long long *v)
{
    size_t start = *i;

    *v = 0;
    while (*i < len && *i - start < 19 && is_digit(buf[*i]))
        *v = *v * 10 + (unsigned long long)(buf[(*i)++] - '0');
    return *i > start;
}

static void skip_ws(const char *buf, size_t len, size_t *i)
{
    size_t start = *i;

    while (*i < len && *i - start < 256 && is_ws(buf[*i]))
        (*i)++;
}

/* Does the last startxref point at an xref table ("xref") or stream ("n g obj")? */
static bool xref_is_sound(const char *buf, size_t len)
{
    size_t tail = len < 16384 ? len : 16384;
    const char *sx = rfind(buf + len - tail, tail, "startxref");
    size_t i;
    unsigned long long off;
    unsigned long long num;

    if (!sx)
        return false;
    i = (size_t)(sx - buf) + 9;
    skip_ws(buf, len, &i);
    if (!read_uint(buf, len, &i, &off) || off >= len)
        return false;
    i = (size_t)off;
    skip_ws(buf, len, &i);
    if (len - i >= 4 && memcmp(buf + i, "xref", 4) == 0)
        return true;
    if (!read_uint(buf, len, &i, &num))
        return false;
    skip_ws(buf, len, &i);
    if (!read_uint(buf, len, &i, &num))
        return false;
    skip_ws(buf, len, &i);
    return len - i >= 3 && memcmp(buf + i, "obj", 3) == 0;
}

/* Object number and generation of the object holding the last "/Catalog": the
 * "n g obj" header searched backwards from it, within 4 KiB. */
static bool find_catalog(const char *buf, size_t len, unsigned long long *num,
                         unsigned long long *gen)
{
    const char *cat = rfind(buf, len, "/Catalog");
    size_t lo;
    const char *obj;
    size_t i;

    if (!cat)
        return false;
    lo = (size_t)(cat - buf) > 4096 ? (size_t)(cat - buf) - 4096 : 0;
    obj = rfind(buf + lo, (size_t)(cat - buf) - lo, " obj");
    if (!obj)
        return false;
    /* Walk back over "g" then "n" (digits separated by white space). */
    i = (size_t)(obj - buf);
    while (i > 0 && is_digit(buf[i - 1]))
        i--;
    while (i > 0 && is_ws(buf[i - 1]))
        i--;
    while (i > 0 && is_digit(buf[i - 1]))
        i--;
    if (!read_uint(buf, len, &i, num))
        return false;
    skip_ws(buf, len, &i);
    return read_uint(buf, len, &i, gen) && buf + i == obj;
}

/* A copy of a truncated PDF that poppler can rebuild: cut before a partial xref
 * table, then a trailer naming the catalog. NULL when no catalog can be found. */
static char *salvage_copy(const char *buf, size_t len, size_t *out_len)
{
    unsigned long long num;
    unsigned long long gen;
    const char *xref = rfind(buf, len, "xref");
    const char *endobj = rfind(buf, len, "endobj");
    size_t cut = len;
    char trailer[96];
    int tn;
    char *out;

    if (!find_catalog(buf, len, &num, &gen))
        return NULL;
    if (xref && (!endobj || xref > endobj))
        cut = (size_t)(xref - buf);
    tn = snprintf(trailer, sizeof trailer, "\ntrailer\n<< /Root %llu %llu R >>\n%%%%EOF\n", num,
                  gen);
    if (tn <= 0 || (size_t)tn >= sizeof trailer)
        return NULL;
    out = malloc(cut + (size_t)tn);
    if (!out)
        return NULL;
    memcpy(out, buf, cut);
    memcpy(out + cut, trailer, (size_t)tn);
    *out_len = cut + (size_t)tn;
    return out;
}

/* ---- pages ------------------------------------------------------------------------ */

struct page_stats {
    unsigned n_pages;      /* in the document */
    unsigned n_read;       /* looked at (max_pages) */
    unsigned n_text;       /* handed out */
    unsigned n_image_only; /* images but no text */
    unsigned image_pages[PS_PDF_MAX_LISTED_PAGES];
    uint64_t text_bytes;
    unsigned text_limit_page; /* first page not handed out for the text cap, 0 = none */
};

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static bool has_images(PopplerPage *page)
{
    GList *maps = poppler_page_get_image_mapping(page);
    bool any = maps != NULL;

    poppler_page_free_image_mapping(maps);
    return any;
}

static void note_image_page(struct page_stats *st, unsigned pageno)
{
    if (st->n_image_only < PS_PDF_MAX_LISTED_PAGES)
        st->image_pages[st->n_image_only] = pageno;
    st->n_image_only++;
}

/* One page: its text to the sink, or a note when it has none. */
static piiscan_status read_page(PopplerDocument *doc, unsigned idx, const struct ps_pdf_limits *lim,
                                const struct ps_pdf_sink *sink, struct page_stats *st)
{
    PopplerPage *page = poppler_document_get_page(doc, (int)idx);
    char *text;
    size_t len;
    piiscan_status rc = PIISCAN_OK;

    if (!page)
        return PIISCAN_OK; /* a page poppler cannot build: counted as not read */
    text = poppler_page_get_text(page);
    len = text ? strlen(text) : 0;
    if (len == 0 || is_blank(text, len)) {
        if (has_images(page))
            note_image_page(st, idx + 1);
    } else if (st->text_bytes + len > lim->max_text_bytes) {
        if (st->text_limit_page == 0)
            st->text_limit_page = idx + 1;
    } else {
        if (!g_utf8_validate(text, (gssize)len, NULL)) {
            char *fixed = g_utf8_make_valid(text, (gssize)len);
            g_free(text);
            text = fixed;
            len = strlen(text);
        }
        st->text_bytes += len;
        st->n_text++;
        rc = sink->page(sink->ctx, idx + 1, text, len);
    }
    g_free(text);
    g_object_unref(page);
    return rc;
}

/* "2, 5, 7" (the first few), for warnings. */
static void list_pages(const struct page_stats *st, char *out, size_t cap)
{
    size_t len = 0;
    unsigned shown =
        st->n_image_only < PS_PDF_MAX_LISTED_PAGES ? st->n_image_only : PS_PDF_MAX_LISTED_PAGES;

    out[0] = '\0';
    for (unsigned i = 0; i < shown; i++) {
        int n = snprintf(out + len, cap - len, "%s%u", i ? ", " : "", st->image_pages[i]);
        if (n < 0 || (size_t)n >= cap - len)
            return;
        len += (size_t)n;
    }
    if (st->n_image_only > shown)
        snprintf(out + len, cap - len, ", ...");
}

static piiscan_status warn_pages(const struct page_stats *st, const struct ps_pdf_limits *lim,
                                 const struct ps_pdf_sink *sink)
{
    char msg[256];
    char pages[128];
    piiscan_status rc = PIISCAN_OK;

    if (st->n_image_only > 0 && st->n_text == 0) {
        snprintf(msg, sizeof msg,
                 "no text layer: %u of %u page%s only images (scanned, not OCRed): not scanned",
                 st->n_image_only, st->n_pages, st->n_pages == 1 ? " is" : "s are");
        rc = sink->warn(sink->ctx, PIISCAN_EUNSUPPORTED, false, msg);
    } else if (st->n_image_only > 0) {
        list_pages(st, pages, sizeof pages);
        snprintf(msg, sizeof msg, "no text layer on %u of %u pages (page%s %s): not scanned",
                 st->n_image_only, st->n_pages, st->n_image_only == 1 ? "" : "s", pages);
        rc = sink->warn(sink->ctx, PIISCAN_EUNSUPPORTED, true, msg);
    }
    if (rc == PIISCAN_OK && st->n_read < st->n_pages) {
        snprintf(msg, sizeof msg, "more than %u pages: pages %u-%u not scanned", lim->max_pages,
                 st->n_read + 1, st->n_pages);
        rc = sink->warn(sink->ctx, PIISCAN_ELIMIT, true, msg);
    }
    if (rc == PIISCAN_OK && st->text_limit_page) {
        snprintf(msg, sizeof msg, "text past %llu bytes not scanned (from page %u)",
                 (unsigned long long)lim->max_text_bytes, st->text_limit_page);
        rc = sink->warn(sink->ctx, PIISCAN_ELIMIT, true, msg);
    }
    return rc;
}

/* ---- the driver ------------------------------------------------------------------- */

static PopplerDocument *open_doc(const char *buf, size_t len, GError **err)
{
    GBytes *bytes = g_bytes_new_static(buf, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, err);

    g_bytes_unref(bytes); /* the document keeps its own reference */
    return doc;
}

/* poppler's error text, printable and short (it is shown in reports). */
static void error_text(const GError *err, char *out, size_t cap)
{
    size_t i = 0;
    const char *m = err && err->message ? err->message : "unknown error";

    for (; m[i] && i + 1 < cap; i++)
        out[i] = ((unsigned char)m[i] < 0x20 || m[i] == 0x7f) ? '?' : m[i];
    out[i] = '\0';
}

static piiscan_status warn_open_failed(const GError *err, const struct ps_pdf_sink *sink)
{
    char why[160];
    char msg[256];

    if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
        return sink->warn(sink->ctx, PIISCAN_EENCRYPTED, false,
                          "encrypted PDF (a password is needed to open it): not scanned");
    error_text(err, why, sizeof why);
    snprintf(msg, sizeof msg, "unreadable PDF (poppler: %s): not scanned", why);
    return sink->warn(sink->ctx, PIISCAN_ECORRUPT, false, msg);
}

static piiscan_status warn_damage(bool recovered, const GError *first_err,
                                  const struct page_stats *st, const struct ps_pdf_sink *sink)
{
    char why[160];
    char msg[320];

    if (recovered) {
        error_text(first_err, why, sizeof why);
        snprintf(msg, sizeof msg,
                 "truncated or damaged PDF (poppler: %s): rebuilt from the surviving objects, "
                 "text found on %u of %u pages",
                 why, st->n_text, st->n_pages);
    } else {
        snprintf(msg, sizeof msg,
                 "damaged PDF (cross-reference table broken, repaired by poppler): "
                 "text found on %u of %u pages",
                 st->n_text, st->n_pages);
    }
    return sink->warn(sink->ctx, PIISCAN_ECORRUPT, true, msg);
}

piiscan_status ps_pdf_parse(const char *buf, size_t len, const struct ps_pdf_limits *lim,
                            const struct ps_pdf_sink *sink)
{
    GError *err = NULL;
    GError *err2 = NULL;
    PopplerDocument *doc = NULL;
    char *copy = NULL;
    size_t copy_len = 0;
    bool is_sound;
    bool recovered = false;
    struct page_stats st = {0};
    piiscan_status rc = PIISCAN_OK;
    int n;

    pdf_init();
    is_sound = xref_is_sound(buf, len);
    doc = open_doc(buf, len, &err);
    if (!doc && !(err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)) {
        copy = salvage_copy(buf, len, &copy_len);
        if (copy)
            doc = open_doc(copy, copy_len, &err2);
        recovered = doc != NULL;
    }
    if (!doc) {
        rc = warn_open_failed(err, sink);
        goto out;
    }
    n = poppler_document_get_n_pages(doc);
    st.n_pages = n > 0 ? (unsigned)n : 0;
    st.n_read = st.n_pages < lim->max_pages ? st.n_pages : lim->max_pages;
    for (unsigned i = 0; i < st.n_read && rc == PIISCAN_OK && st.text_limit_page == 0; i++)
        rc = read_page(doc, i, lim, sink, &st);
    if (rc == PIISCAN_OK && (recovered || !is_sound))
        rc = warn_damage(recovered, err, &st, sink);
    if (rc == PIISCAN_OK && st.n_pages == 0)
        rc = sink->warn(sink->ctx, PIISCAN_ECORRUPT, false, "PDF without pages");
    if (rc == PIISCAN_OK)
        rc = warn_pages(&st, lim, sink);
out:
    if (doc)
        g_object_unref(doc);
    free(copy); /* after the document: poppler reads it in place */
    g_clear_error(&err2);
    g_clear_error(&err);
    return rc;
}

int ps_pdf_bid(const struct ps_kind *kind, const char *head, size_t head_len)
{
    if (strcmp(kind->mime, "application/pdf") == 0)
        return 80;
    if (head_len >= 5 && memcmp(head, "%PDF-", 5) == 0)
        return 80;
    return 0;
}
