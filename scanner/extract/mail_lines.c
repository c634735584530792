/* extract/mail_lines.c - file lines for a rendered message, and runs of consecutive lines.
 *
 * See mail_lines.h for the model. The locator walks the rendered text once,
 * line by line. Lines it finds verbatim in the raw message are anchors; the
 * lines between two anchors (the "pending" stretch) are only counted, and are
 * placed when the next anchor (or the end of the text) is known: one line
 * further each, up to the line before the anchor, the rest on the last line
 * that was free. Searches are memmem() calls over at most PS_MAIL_SEARCH_SPAN
 * bytes ahead of the cursor while the message's budget (8 x its raw bytes +
 * 1 MiB) lasts, over 512 bytes after that: a message of unfindable lines costs
 * a bounded multiple of its size. Line numbers of raw positions are counted
 * incrementally as the cursor moves, so the raw message is walked once.
 * ps_mail_runs() rebuilds the text with gaps filled (a short gap keeps the
 * keyword context of a run whole) into a buffer of at most PS_MAIL_RUN_BYTES
 * plus one line plus padding.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include <glib.h>

#include "extract/mail_lines.h"

#define BUDGET_FACTOR 8u
#define BUDGET_BASE (1024u * 1024u)
#define SPAN_SPENT 512u /* search span once the budget is spent */
#define PS_MAIL_MAX_HEADER_LINES 1000u /* lines of a part's header block walked */

static uint64_t count_nl(const char *p, size_t a, size_t b)
{
    uint64_t n = 0;

    while (a < b) {
        const char *nl = memchr(p + a, '\n', b - a);
        if (!nl)
            break;
        n++;
        a = (size_t)(nl - p) + 1;
    }
    return n;
}

void ps_mail_locator_init(struct ps_mail_locator *loc, const char *raw, size_t len,
                          uint64_t first_line)
{
    loc->raw = raw;
    loc->len = len;
    loc->cur = 0;
    loc->cur_line = first_line;
    loc->first_line = first_line;
    loc->last_line = len ? first_line + count_nl(raw, 0, len - 1) : first_line;
    loc->budget = (uint64_t)len * BUDGET_FACTOR + BUDGET_BASE;
}

static void advance(struct ps_mail_locator *loc, size_t pos)
{
    loc->cur_line += count_nl(loc->raw, loc->cur, pos);
    loc->cur = pos;
}

/* The line of the last byte consumed: the "previous line" of the next text. */
static uint64_t consumed_line(const struct ps_mail_locator *loc)
{
    if (loc->cur == 0 || loc->raw[loc->cur - 1] == '\n')
        return loc->cur_line - 1; /* may be first_line - 1: nothing consumed yet */
    return loc->cur_line;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* raw[pos..pos+n) is all of its raw line but spaces, tabs and a CR. */
static bool fills_line(const struct ps_mail_locator *loc, size_t pos, size_t n)
{
    size_t b = pos;
    size_t e = pos + n;

    while (b > 0 && is_blank(loc->raw[b - 1]))
        b--;
    if (b > 0 && loc->raw[b - 1] != '\n')
        return false;
    while (e < loc->len && (is_blank(loc->raw[e]) || loc->raw[e] == '\r'))
        e++;
    return e == loc->len || loc->raw[e] == '\n';
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* raw[pos..pos+n) is not part of a longer word or number (a table cell in HTML). */
static bool is_word(const struct ps_mail_locator *loc, size_t pos, size_t n)
{
    return (pos == 0 || !is_alnum(loc->raw[pos - 1])) &&
           (pos + n >= loc->len || !is_alnum(loc->raw[pos + n]));
}

/* Offset of the first fitting occurrence of s[0..n) at or after the cursor, or
 * SIZE_MAX: a long line anywhere, a short one where it fills a raw line, a cell
 * (is_cell) as a word of its own. The span searched is bounded (see the top). */
static size_t search(struct ps_mail_locator *loc, const char *s, size_t n, bool is_cell)
{
    size_t span = loc->budget > 0 ? PS_MAIL_SEARCH_SPAN : SPAN_SPENT;
    size_t end = loc->len - loc->cur > span ? loc->cur + span : loc->len;
    size_t at = loc->cur;

    loc->budget = loc->budget > end - loc->cur ? loc->budget - (end - loc->cur) : 0;
    while (at < end && end - at >= n) {
        const char *p = memmem(loc->raw + at, end - at, s, n);
        size_t pos;
        if (!p)
            return SIZE_MAX;
        pos = (size_t)(p - loc->raw);
        if (is_cell ? is_word(loc, pos, n)
                    : (n >= PS_MAIL_ANCHOR_BYTES || fills_line(loc, pos, n)))
            return pos;
        at = pos + 1;
    }
    return SIZE_MAX;
}

/* Finds s[0..n) ahead (trimmed of spaces, tabs and CRs; n >= min) and moves the
 * cursor past it: the file line it is on, else 0. */
static uint64_t find_piece(struct ps_mail_locator *loc, const char *s, size_t n, size_t min,
                           bool is_cell)
{
    size_t pos;
    uint64_t line;

    while (n > 0 && (is_blank(s[0]) || s[0] == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
        n--;
    if (n < min)
        return 0;
    pos = search(loc, s, n, is_cell);
    if (pos == SIZE_MAX)
        return 0;
    advance(loc, pos);
    line = loc->cur_line;
    loc->cur = pos + n; /* a rendered line holds no '\n': still the same line */
    return line;
}

/* The file line of the rendered line s[0..n): the line itself, else its prefix
 * (a quoted-printable paragraph), else one of its cells (an HTML table row). */
static uint64_t find_line(struct ps_mail_locator *loc, const char *s, size_t n)
{
    uint64_t line = find_piece(loc, s, n, PS_MAIL_MIN_MATCH, false);
    size_t at = 0;

    if (line == 0 && n > PS_MAIL_PROBE_BYTES)
        line = find_piece(loc, s, PS_MAIL_PROBE_BYTES, PS_MAIL_PROBE_BYTES, false);
    for (unsigned k = 0; line == 0 && k < PS_MAIL_MAX_CELLS && memchr(s, '\t', n); k++) {
        const char *tab = memchr(s + at, '\t', n - at);
        size_t end = tab ? (size_t)(tab - s) : n;
        line = find_piece(loc, s + at, end - at, PS_MAIL_MIN_CELL, true);
        if (!tab)
            break;
        at = end + 1;
    }
    return line;
}

/* The start of the line after the one holding raw[at] (len when none). */
static size_t next_line(const struct ps_mail_locator *loc, size_t at)
{
    const char *nl = at < loc->len ? memchr(loc->raw + at, '\n', loc->len - at) : NULL;

    return nl ? (size_t)(nl - loc->raw) + 1 : loc->len;
}

/* Moves the cursor to where a body part's content starts: after the next
 * "--boundary" line (when boundary is set) and the blank line that ends the
 * part's header block. Returns its file line, or 0 (cursor unmoved) when not
 * found while the budget lasts. */
static uint64_t part_start(struct ps_mail_locator *loc, const char *boundary)
{
    size_t at = loc->cur;

    if (at > 0 && loc->raw[at - 1] != '\n')
        at = next_line(loc, at);
    if (boundary) {
        char needle[80];
        size_t bl = strlen(boundary);
        const char *p = NULL;
        if (bl == 0 || bl + 2 > sizeof needle || loc->budget == 0)
            return 0;
        needle[0] = '-';
        needle[1] = '-';
        memcpy(needle + 2, boundary, bl);
        /* Delimiters begin a line; the whole rest of the message may be searched. */
        for (;;) {
            p = at < loc->len ? memmem(loc->raw + at, loc->len - at, needle, bl + 2) : NULL;
            if (!p || p == loc->raw || p[-1] == '\n')
                break;
            at = (size_t)(p - loc->raw) + 1;
        }
        loc->budget = loc->budget > loc->len - loc->cur ? loc->budget - (loc->len - loc->cur) : 0;
        if (!p)
            return 0;
        at = next_line(loc, (size_t)(p - loc->raw));
    }
    /* The part's header block ends at its first empty line (bounded). */
    for (unsigned k = 0; k < PS_MAIL_MAX_HEADER_LINES && at < loc->len; k++) {
        size_t end = next_line(loc, at);
        size_t n = end - at;
        if (n <= 2 && (n == 0 || loc->raw[at] == '\n' || loc->raw[at] == '\r')) {
            advance(loc, end);
            return end < loc->len ? loc->cur_line : 0;
        }
        at = end;
    }
    return 0;
}

/* ---- building the segment list ---------------------------------------------------- */

struct mapper {
    struct ps_mail_linemap *map;
    uint64_t prev;          /* file line of the last placed rendered line */
    uint64_t floor;         /* no line before this one (the message's first) */
    uint64_t pending_first; /* first rendered line not placed yet */
    uint64_t pending_n;
};

static void seg_add(struct ps_mail_linemap *m, uint64_t first, uint64_t line, unsigned step)
{
    struct ps_mail_lineseg *last = m->n ? &m->seg[m->n - 1] : NULL;

    /* A line that continues the last segment needs none of its own. */
    if (last && last->step == step && last->line + step * (first - last->first) == line)
        return;
    if (m->n == m->alloc) {
        m->alloc = m->alloc ? m->alloc * 2 : 16;
        m->seg = g_realloc_n(m->seg, m->alloc, sizeof *m->seg);
    }
    m->seg[m->n].first = first;
    m->seg[m->n].line = line;
    m->seg[m->n].step = step;
    m->n++;
}

/* Places the pending lines before the file line `bound` (exclusive). */
static void place_pending(struct mapper *mp, uint64_t bound)
{
    uint64_t room = bound > mp->prev + 1 ? bound - 1 - mp->prev : 0;
    uint64_t k = mp->pending_n < room ? mp->pending_n : room;

    if (k > 0) {
        seg_add(mp->map, mp->pending_first, mp->prev + 1, 1);
        mp->prev += k;
    }
    if (mp->pending_n > k) {
        /* No room left: the rest shares the last free line (the message's first
         * line at least, so never a line before the message). */
        uint64_t at = mp->prev < mp->floor ? mp->floor : mp->prev;
        seg_add(mp->map, mp->pending_first + k, at, 0);
        mp->prev = at;
    }
    mp->pending_first += mp->pending_n;
    mp->pending_n = 0;
}

void ps_mail_lines_map(struct ps_mail_locator *loc, const char *text, size_t len,
                       const struct ps_mail_partmark *marks, size_t nmarks,
                       struct ps_mail_linemap *map)
{
    struct mapper mp = {map, consumed_line(loc), loc->first_line, 0, 0};
    size_t pos = 0;
    size_t k = 0;
    uint64_t i = 0;

    map->n = 0;
    if (len == 0)
        return;
    for (;;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        /* Past the segment cap nothing more is matched: the rest is one stretch. */
        bool can_match = map->n + 2 < PS_MAIL_MAX_SEGMENTS;
        uint64_t start = 0;
        uint64_t line;

        while (k < nmarks && marks[k].line < i)
            k++;
        if (can_match && k < nmarks && marks[k].line == i)
            start = part_start(loc, marks[k].boundary);
        line = can_match ? find_line(loc, text + pos, end - pos) : 0;
        /* A part's first line not found is placed where its content starts. */
        if (line == 0)
            line = start;

        if (line == 0) {
            mp.pending_n++;
        } else {
            place_pending(&mp, line);
            seg_add(map, i, line, 1);
            mp.prev = line;
            mp.pending_first = i + 1;
        }
        i++;
        if (!nl)
            break;
        pos = end + 1;
    }
    place_pending(&mp, loc->last_line + 1);
}

void ps_mail_linemap_clear(struct ps_mail_linemap *map)
{
    g_free(map->seg);
    map->seg = NULL;
    map->n = 0;
    map->alloc = 0;
}

uint64_t ps_mail_linemap_line(const struct ps_mail_linemap *map, uint64_t i)
{
    size_t lo = 0;
    size_t hi = map->n;
    const struct ps_mail_lineseg *s;

    if (map->n == 0)
        return 1;
    /* The last segment with first <= i (seg[0].first == 0). */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->seg[mid].first <= i)
            lo = mid;
        else
            hi = mid;
    }
    s = &map->seg[lo];
    return s->line + s->step * (i - s->first);
}

/* ---- runs ------------------------------------------------------------------------- */

struct run {
    char *buf;
    size_t len;
    size_t alloc;
    uint64_t first; /* file line of buf's first line */
    uint64_t last;  /* file line of buf's last line; buf ends with its '\n' or the text */
    ps_mail_run_fn fn;
    void *ctx;
};

static void run_put(struct run *r, const char *s, size_t n)
{
    if (r->len + n > r->alloc) {
        size_t want = r->alloc ? r->alloc : 4096;
        while (want < r->len + n)
            want *= 2;
        r->buf = g_realloc(r->buf, want);
        r->alloc = want;
    }
    memcpy(r->buf + r->len, s, n);
    r->len += n;
}

static piiscan_status run_flush(struct run *r)
{
    piiscan_status rc = PIISCAN_OK;

    if (r->len > 0)
        rc = r->fn(r->ctx, r->buf, r->len, r->first);
    r->len = 0;
    return rc;
}

/* Appends one rendered line (with its '\n', if any) that is on file line `line`. */
static piiscan_status run_line(struct run *r, const char *s, size_t n, uint64_t line)
{
    char pad[64];
    piiscan_status rc = PIISCAN_OK;

    if (r->len > 0 &&
        (line <= r->last || line - r->last - 1 > PS_MAIL_MAX_PAD || r->len >= PS_MAIL_RUN_BYTES))
        rc = run_flush(r);
    if (rc != PIISCAN_OK)
        return rc;
    if (r->len == 0) {
        r->first = line;
    } else {
        /* Fill the gap with empty lines: the engine counts them. */
        memset(pad, '\n', sizeof pad);
        for (uint64_t gap = line - r->last - 1; gap > 0;) {
            size_t k = gap < sizeof pad ? (size_t)gap : sizeof pad;
            run_put(r, pad, k);
            gap -= k;
        }
    }
    run_put(r, s, n);
    r->last = line;
    return PIISCAN_OK;
}

piiscan_status ps_mail_runs(const char *text, size_t len, const struct ps_mail_linemap *map,
                            ps_mail_run_fn fn, void *ctx)
{
    struct run r = {NULL, 0, 0, 0, 0, fn, ctx};
    piiscan_status rc = PIISCAN_OK;
    size_t pos = 0;
    size_t k = 0;

    for (uint64_t i = 0; pos < len && rc == PIISCAN_OK; i++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        uint64_t line = 1;

        /* Segments are walked along with the lines (no search per line). */
        while (k + 1 < map->n && map->seg[k + 1].first <= i)
            k++;
        if (map->n > 0)
            line = map->seg[k].line + map->seg[k].step * (i - map->seg[k].first);
        rc = run_line(&r, text + pos, end - pos, line);
        pos = end;
    }
    if (rc == PIISCAN_OK)
        rc = run_flush(&r);
    g_free(r.buf);
    return rc;
}

/* ---- mbox regions ----------------------------------------------------------------- */

/* The first line start at or after `from` (a line start) that begins with "From ". */
static size_t next_from_line(const char *raw, size_t len, size_t from)
{
    size_t at = from;

    while (at < len) {
        const char *nl;
        if (len - at >= 5 && memcmp(raw + at, "From ", 5) == 0)
            return at;
        nl = memchr(raw + at, '\n', len - at);
        if (!nl)
            break;
        at = (size_t)(nl - raw) + 1;
    }
    return len;
}

bool ps_mail_mbox_region(const char *raw, size_t len, size_t from, size_t *start, size_t *body,
                         size_t *end)
{
    size_t s = next_from_line(raw, len, from);
    const char *nl;

    if (s >= len)
        return false;
    nl = memchr(raw + s, '\n', len - s);
    *start = s;
    *body = nl ? (size_t)(nl - raw) + 1 : len;
    *end = next_from_line(raw, len, *body);
    return true;
}
