/* extract/mail_lines.h - file lines for a message's rendered text (private to mail*.c).
 *
 * A message is scanned as the text mail.c renders (selected header fields, a
 * blank line, decoded bodies), but a finding must name the line of the *file*
 * (the .eml, or the mbox) where the value is. The locator keeps the raw bytes
 * of the message (a region of the raw window mail_stream.c keeps) and a
 * cursor that only goes forward; for every rendered line of at least
 * PS_MAIL_MIN_MATCH bytes (spaces and tabs at both ends trimmed) it looks for
 * the line's first verbatim occurrence ahead of the cursor (a short line only
 * where it fills a whole raw line). A line found there gets the raw line it
 * sits on and moves the cursor past it. A line not found (decoded
 * quoted-printable or base64, RFC 2047 words, HTML, folded fields, blank lines)
 * takes the line after the previous one as long as that stays before the next
 * line that was found (or the message's last line), else the previous line's
 * own: always a line of the message, never past it. The result is a short list
 * of segments (a stretch of rendered lines on consecutive file lines, or on one
 * line), so memory grows with the places the text jumps, not with its length.
 * Two probes help decoded content: a line not found whole is looked for by its
 * first PS_MAIL_PROBE_BYTES bytes (a quoted-printable paragraph: its start is
 * verbatim up to the first escape or soft break) and then by its tab-separated
 * cells (an HTML table row); and each body part's first rendered line is
 * marked, so the locator moves to where that part's content starts (after its
 * boundary line and its header block) and places an unfound first line there.
 * ps_mail_runs() then cuts the text into runs the pipeline can count lines in:
 * small gaps are filled with empty lines, larger gaps and repeated lines start
 * a new run with its own first line.
 */
#ifndef PS_EXTRACT_MAIL_LINES_H
#define PS_EXTRACT_MAIL_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "piiscan/status.h"

#define PS_MAIL_MIN_MATCH 4u          /* shorter rendered lines are never searched */
#define PS_MAIL_ANCHOR_BYTES 16u      /* shorter ones must fill a raw line */
#define PS_MAIL_SEARCH_SPAN (64u * 1024u) /* raw bytes searched ahead per line */
#define PS_MAIL_MAX_SEGMENTS (1u << 20)   /* segments per message; then no more matching */
#define PS_MAIL_PROBE_BYTES 32u     /* prefix probe of a long line not found whole */
#define PS_MAIL_MIN_CELL 6u         /* shortest table cell probed */
#define PS_MAIL_MAX_CELLS 8u        /* cells probed per line */
#define PS_MAIL_MAX_PAD 256u          /* empty lines that may fill a gap inside a run */
#define PS_MAIL_RUN_BYTES (1024u * 1024u) /* a run is cut at a line end past this size */

/* Rendered lines first.. (0-based) are on file line `line` + step * (i - first). */
struct ps_mail_lineseg {
    uint64_t first;
    uint64_t line;
    unsigned step; /* 1: consecutive lines; 0: all on `line` */
};

/* Segments ascend in first; first[0] == 0 when n > 0 (n == 0: empty text). */
struct ps_mail_linemap {
    struct ps_mail_lineseg *seg;
    size_t n;
    size_t alloc;
};

/* Rendered line `line` is the first of a body part whose content follows the
 * delimiter "--boundary" (boundary of the enclosing multipart; NULL for the
 * body of a message that is no multipart: its content follows the header block). */
struct ps_mail_partmark {
    uint64_t line;
    const char *boundary;
};

struct ps_mail_locator {
    const char *raw;     /* the message's raw bytes (borrowed) */
    size_t len;          /* searches never go past raw[len] */
    size_t cur;          /* next search starts here; never goes back */
    uint64_t cur_line;   /* file line of raw[cur] */
    uint64_t first_line; /* file line of raw[0] */
    uint64_t last_line;  /* file line of raw[len - 1] (first_line when len == 0) */
    uint64_t budget;     /* raw bytes the searches may still scan at full span */
};

/* raw[0..len) is the message (or what is left of it), raw[0] on file line first_line. */
void ps_mail_locator_init(struct ps_mail_locator *loc, const char *raw, size_t len,
                          uint64_t first_line);

/* Maps every line of text[0..len) (lines end at '\n') to a file line: map is
 * reset and filled (g_malloc'd; ps_mail_linemap_clear). marks[0..nmarks), in
 * ascending line order, say where body parts start (may be NULL, 0). The
 * cursor moves on, so a nested message continues after what this one matched. */
void ps_mail_lines_map(struct ps_mail_locator *loc, const char *text, size_t len,
                       const struct ps_mail_partmark *marks, size_t nmarks,
                       struct ps_mail_linemap *map);

void ps_mail_linemap_clear(struct ps_mail_linemap *map);

/* File line of rendered line i (0-based); 1 for an empty map. */
uint64_t ps_mail_linemap_line(const struct ps_mail_linemap *map, uint64_t i);

/* Cuts text into runs whose lines are on consecutive file lines (gaps of at most
 * PS_MAIL_MAX_PAD lines filled with '\n') and calls fn(ctx, run, run_len, line)
 * with each run's first file line. Stops at and returns what fn returns if not OK. */
typedef piiscan_status (*ps_mail_run_fn)(void *ctx, const char *run, size_t len, uint64_t line);
piiscan_status ps_mail_runs(const char *text, size_t len, const struct ps_mail_linemap *map,
                            ps_mail_run_fn fn, void *ctx);

/* In raw[0..len): the first line starting with "From " at or after the line
 * start `from` (*start), the byte after that line (*body), and the start of the
 * next line starting with "From " after it, else len (*end) - where GMime 3
 * splits an mbox. false when no "From " line is there. */
bool ps_mail_mbox_region(const char *raw, size_t len, size_t from, size_t *start, size_t *body,
                         size_t *end);

#endif
