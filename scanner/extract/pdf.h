/* extract/pdf.h - PDF documents: the text layer of every page (poppler-glib).
 *
 * Parsing core (pdf.c) and pipeline adapter (pdf_scan.c) are separate so the
 * core can be tested alone. ps_pdf_parse() opens a PDF held in memory (poppler
 * reads it in place: nothing is written to disk) and calls a sink:
 *   page   the text of page n (1-based), UTF-8, in poppler's reading order,
 *          lines separated by '\n'; pages without text are not handed out
 *   warn   what could not be read and why: "encrypted", "no text layer" (pages that
 *          are only images, i.e. scans that were never OCRed), a damaged file
 *          (poppler's message), a limit reached
 * Location: the adapter gives page n the logical path "doc.pdf!page-<n>" and the
 * engine counts lines from 1 within the page, so a finding reads
 * "report.pdf!page-3, line 12": the page number a PDF viewer's "go to page"
 * takes, and the line on that page.
 *
 * Damage: poppler repairs a broken cross-reference table itself (the pages are
 * then scanned and a warning says the file was damaged). A truncated file (no
 * trailer) poppler refuses; the core then retries once on a copy with a minimal
 * trailer naming the document catalog, which lets poppler rebuild the table
 * from the objects that survived - the pages whose content is intact are
 * scanned, with a warning.
 *
 * Threads: each call uses its own document; poppler's log output ("Poppler" log
 * domain) is silenced once per process, so no dump content reaches stderr.
 */
#ifndef PS_EXTRACT_PDF_H
#define PS_EXTRACT_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/registry.h"
#include "piiscan/status.h"
#include "sniff/sniff.h"

#define PS_PDF_MAX_PAGES 100000u                           /* pages read per document */
#define PS_PDF_MAX_TEXT_BYTES (256ULL * 1024ULL * 1024ULL) /* text handed out per document */
#define PS_PDF_MAX_LISTED_PAGES 10u                        /* page numbers named in a warning */

struct ps_pdf_limits {
    unsigned max_pages;
    uint64_t max_text_bytes;
};

/* Every callback returns OK to go on; anything else (EABORTED, ENOMEM) stops the
 * parse and is returned by ps_pdf_parse. Pointers are borrowed for the call. */
struct ps_pdf_sink {
    void *ctx;
    piiscan_status (*page)(void *ctx, unsigned page, const char *text, size_t len);
    /* partial: some of the document was handed out despite the problem. */
    piiscan_status (*warn)(void *ctx, piiscan_status st, bool partial, const char *msg);
};

void ps_pdf_limits_init(struct ps_pdf_limits *lim);

/* Reads the PDF in buf[0..len) (borrowed; must stay valid for the call) and calls
 * sink. Unreadable input is a warn() call, never an error: returns OK, or what a
 * callback returned. */
piiscan_status ps_pdf_parse(const char *buf, size_t len, const struct ps_pdf_limits *lim,
                            const struct ps_pdf_sink *sink);

/* Bid (registry.h): 80 for application/pdf or a "%PDF-" head; 0 otherwise. */
int ps_pdf_bid(const struct ps_kind *kind, const char *head, size_t head_len);

/* The registry entry (pdf_scan.c): "pdf". */
extern const struct ps_extractor ps_pdf_extractor;

#endif
