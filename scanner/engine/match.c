/* engine/match.c - the matcher: one thread's state, the prefilter, the match loop.
 *
 * For every unit the matcher runs each rule's JIT-compiled pattern over the
 * text (TEXT: the whole window text[0..len), so look-behind assertions see the
 * bytes before start; ROW: each cell on its own). A match is kept only when it
 * starts in [start, limit): the chunk that holds a match's first byte reports
 * it, no other. Kept matches go through the rule's validator (reject, or
 * normalise), then context scoring: a keyword within `window` bytes, a fitting
 * column header, or the column classifier's category raise the confidence by the
 * rule's boost; a negative keyword lowers it by its penalty; a rule with
 * requires_context is dropped without context (context.veto: a negative keyword
 * nearer than every keyword cancels the keyword context; context.exclusive: the
 * window stops at another number). Context-aware validators get the name
 * dictionaries, the matcher's clock and the cell's column (validate.h). Hits are
 * sorted by offset, a hit overlapping a better one of the same category is
 * dropped, and the rest are emitted with their line, paragraph record and context
 * window. A ROW unit is planned first (row.c): the column classifier of the rule
 * set (rules/data/columns.yaml) gives each cell's category, a first-name and a
 * last-name column are joined into one name region, and a row that has a name
 * column gives names from that column only.
 *
 * Prefilter (YARA's atoms, in small): a rule may declare where its matches
 * can be. `prefilter: {digits: N}` - every match lies in a "digit group run"
 * (digits joined by at most 3 separators from " -.()/+") holding at least N
 * digits, starting at most 4 bytes before it; one pass per unit finds those
 * runs, and such rules are searched only there. `prefilter: {byte: "@"}` - every
 * match holds that byte; memchr finds each one and the rule is searched only in
 * the max_length bytes before it. PCRE2's offset limit keeps each search from
 * wandering past its atom, and the search order keeps the leftmost-match
 * semantics of a full scan, so prefiltered and full scans report the same.
 * Nothing is allocated per unit once the hit and run arrays have grown.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/columns.h"
#include "engine/context.h"
#include "engine/engine.h"
#include "engine/row.h"
#include "engine/rules_int.h"
#include "util/limits.h"

/* PCRE2 limits for a pattern that backtracks badly (a rule file is trusted, but
 * a slow rule must not hang a scan on a hostile text). */
#define MATCH_LIMIT 2000000u
#define DEPTH_LIMIT 100000u
#define MAX_SEP_RUN 3u

struct ps_hit {
    size_t off;                   /* value start in the region */
    size_t len;                   /* value length */
    uint32_t rule;
    bool is_dropped;
    bool in_column;               /* the cell's column fits the rule (validator context) */
    double conf;
};

/* A digit group run: text[start..end) from its first to its last digit. */
struct ps_run {
    size_t start;
    size_t end;
    unsigned digits;
};

struct ps_matcher {
    const struct piiscan_rules *rules;
    pcre2_match_data **md;        /* one per rule */
    pcre2_match_context *mctx;
    pcre2_match_context *mctx_lim; /* with an offset limit, for prefiltered rules */
    struct ps_run *runs;          /* digit group runs of the current region */
    size_t nruns;
    size_t runcap;
    struct ps_hit *hits;
    size_t nhits;
    size_t cap;
    char *value;                  /* PS_MAX_MATCH_BYTES + 1 */
    char *norm;                   /* PS_MAX_MATCH_BYTES + 16 */
    char *context;                /* PS_MAX_MATCH_BYTES + 2 * PS_CONTEXT_BYTES + 1 */
    ps_field_class_fn field_class;
    void *field_ctx;
    int64_t now;                  /* "today" for validators (Unix seconds); see set_now */
    struct ps_row_plan plan;      /* the current ROW unit's columns (engine/row.h) */
};

/* The region being matched: a TEXT unit or one cell of a ROW unit. */
struct region {
    const char *t;
    size_t len;
    size_t start;
    size_t limit;
    const char *field;            /* header of the cell; NULL */
    int field_cat;                /* classifier's category of field; -1 */
    uint64_t base;                /* stream offset of t[0] (a cell's own offset in a row) */
    int skip_cat;                 /* rules of this category are not run here; -1 */
    int only_cat;                 /* only rules of this category are run here; -1 */
};

#define NORM_CAP (PS_MAX_MATCH_BYTES + 16u)
#define CONTEXT_CAP (PS_MAX_MATCH_BYTES + 2u * PS_CONTEXT_BYTES + 1u)

piiscan_status ps_matcher_new(const piiscan_rules *rules, struct ps_matcher **out)
{
    struct ps_matcher *m = NULL;
    piiscan_status rc = PIISCAN_ENOMEM;

    if (out == NULL || rules == NULL)
        return PIISCAN_EINVAL;
    *out = NULL;
    m = calloc(1, sizeof *m);
    if (m == NULL)
        goto out;
    m->rules = rules;
    m->md = calloc(rules->nrules ? rules->nrules : 1, sizeof *m->md);
    m->mctx = pcre2_match_context_create(NULL);
    m->mctx_lim = pcre2_match_context_create(NULL);
    m->value = malloc(PS_MAX_MATCH_BYTES + 1u);
    m->norm = malloc(NORM_CAP);
    m->context = malloc(CONTEXT_CAP);
    if (m->md == NULL || !m->mctx || !m->mctx_lim || !m->value || !m->norm || !m->context)
        goto out;
    m->now = (int64_t)time(NULL);
    /* The rule set's column classifier is every matcher's field-class hook. */
    if (rules->columns != NULL)
        ps_matcher_set_field_class(m, ps_columns_field_class, rules->columns);
    pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
    pcre2_set_match_limit(m->mctx_lim, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx_lim, DEPTH_LIMIT);
    for (size_t i = 0; i < rules->nrules; i++) {
        m->md[i] = pcre2_match_data_create_from_pattern(rules->rules[i].code, NULL);
        if (m->md[i] == NULL)
            goto out;
    }
    *out = m;
    m = NULL;
    rc = PIISCAN_OK;
out:
    ps_matcher_free(m);
    return rc;
}

void ps_matcher_free(struct ps_matcher *m)
{
    if (m == NULL)
        return;
    if (m->md != NULL) {
        for (size_t i = 0; i < m->rules->nrules; i++)
            pcre2_match_data_free(m->md[i]);
    }
    free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_match_context_free(m->mctx_lim);
    free(m->runs);
    free(m->hits);
    free(m->value);
    free(m->norm);
    free(m->context);
    ps_row_plan_free(&m->plan);
    free(m);
}

void ps_matcher_set_field_class(struct ps_matcher *m, ps_field_class_fn fn, void *ctx)
{
    m->field_class = fn;
    m->field_ctx = ctx;
}

void ps_matcher_set_now(struct ps_matcher *m, int64_t now)
{
    m->now = now;
}

void ps_engine_count_lines(const char *t, size_t len, size_t upto, uint64_t *lines,
                           uint64_t *breaks)
{
    struct ps_textpos p;

    ps_textpos_init(&p);
    ps_textpos_advance(&p, t, len, upto);
    *lines = p.lines;
    *breaks = p.breaks;
}

/* ---------- prefilter ---------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_sep(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '+';
}

/* First i' >= i with t[i'] a digit, or len. Eight bytes at a time: after
 * x = w ^ 0x30.., a byte is a digit iff it is < 10, and "some byte < 10" is
 * the classic (x - 0x0a..) & ~x & 0x80.. test (exact for bytes < 0x80; a byte
 * >= 0x80 never sets its high bit in ~x, so no false positives either). */
static size_t skip_to_digit(const char *t, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101ULL;

    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, t + i, 8);
        uint64_t x = w ^ (ones * 0x30u);
        if (((x - ones * 0x0au) & ~x & (ones * 0x80u)) != 0)
            break;
        i += 8;
    }
    while (i < len && !is_digit(t[i]))
        i++;
    return i;
}

/* The smallest prefilter digit count any rule asks for: runs with fewer digits
 * are of no use to any rule and are not stored. 0 when no rule uses digits. */
static unsigned digits_min(const struct piiscan_rules *rules)
{
    unsigned need = 0;
    for (size_t i = 0; i < rules->nrules; i++) {
        unsigned d = rules->rules[i].pre_digits;
        if (d > 0 && (need == 0 || d < need))
            need = d;
    }
    return need;
}

static piiscan_status push_run(struct ps_matcher *m, size_t start, size_t end, unsigned digits)
{
    if (m->nruns == m->runcap) {
        size_t ncap = m->runcap ? m->runcap * 2 : 64;
        struct ps_run *p = realloc(m->runs, ncap * sizeof *p);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        m->runs = p;
        m->runcap = ncap;
    }
    m->runs[m->nruns++] = (struct ps_run){start, end, digits};
    return PIISCAN_OK;
}

/* One pass over t[0..len): every digit group run (digits joined by at most
 * MAX_SEP_RUN separators from " -.()/+") with at least need digits -> m->runs.
 * A run spans its first to its last digit. */
static piiscan_status find_runs(struct ps_matcher *m, const char *t, size_t len, unsigned need)
{
    size_t i = 0;

    m->nruns = 0;
    while (i < len) {
        /* Skip to the next digit; prose is mostly letters, so this is the hot loop. */
        i = skip_to_digit(t, i, len);
        if (i == len)
            break;
        size_t start = i;
        size_t end = i;
        unsigned digits = 0;
        unsigned seps = 0;
        while (i < len) {
            if (is_digit(t[i])) {
                digits++;
                seps = 0;
                end = i + 1;
            } else if (is_sep(t[i]) && seps < MAX_SEP_RUN) {
                seps++;
            } else {
                break;
            }
            i++;
        }
        if (digits >= need) {
            piiscan_status rc = push_run(m, start, end, digits);
            if (rc != PIISCAN_OK)
                return rc;
        }
        i = end > i ? end : i;
    }
    return PIISCAN_OK;
}

/* ---------- scoring ---------- */

static bool field_fits(const struct ps_rule *r, const struct region *g)
{
    if (g->field == NULL)
        return false;
    if (g->field_cat >= 0 && (piiscan_category)g->field_cat == r->category)
        return true;
    return ps_context_has_keyword(g->field, strlen(g->field), 0, strlen(g->field), r->keywords,
                                  r->nkeywords, r->kw_first);
}

/* Runs r's validator on the value t[vs..ve) of region g into m->norm. */
static enum ps_verdict validate(struct ps_matcher *m, const struct ps_rule *r,
                                const struct region *g, size_t vs, size_t ve, bool in_column)
{
    struct ps_validate_ctx vc;

    if (r->validator == NULL)
        return PS_VERDICT_PLAUSIBLE;
    vc.names = m->rules->names;
    vc.now = m->now;
    vc.field = g->field;
    vc.in_column = in_column;
    return ps_validator_run(r->validator, &vc, g->t + vs, ve - vs, m->norm, NORM_CAP);
}

/* Keyword context of value [vs, ve): a keyword within `window` bytes before or
 * `after` bytes after it (with context.exclusive, not beyond another number). With context.veto, a negative keyword nearer to the
 * value than every keyword cancels it: "salary $90,000; the marketing budget is
 * $152,000,000" gives the second amount no context. */
static bool keyword_context(const struct ps_rule *r, const struct region *g, size_t vs,
                            size_t ve)
{
    size_t a = vs > r->window ? vs - r->window : 0;
    size_t b = ve + r->window_after < g->len ? ve + r->window_after : g->len;

    /* context.exclusive: a label names the value next to it, not one behind another
     * number ("DOB 31.10.2001 ... by 02/08/2012"). */
    if (r->exclusive)
        ps_context_clip(g->t, vs, ve, &a, &b);
    if (!r->veto || r->nnegative == 0)
        return ps_context_has_keyword(g->t, g->len, a, b, r->keywords, r->nkeywords,
                                      r->kw_first);
    size_t dk = ps_context_keyword_distance(g->t, g->len, vs, ve, a, b, r->keywords,
                                            r->nkeywords, r->kw_first);
    if (dk == SIZE_MAX)
        return false;
    return dk <= ps_context_keyword_distance(g->t, g->len, vs, ve, a, b, r->negative,
                                             r->nnegative, r->neg_first);
}

/* Validator + context -> confidence; false when the match is not reported. */
static bool score(struct ps_matcher *m, const struct ps_rule *r, const struct region *g,
                  size_t vs, size_t ve, bool *in_column, double *conf)
{
    enum ps_verdict v;
    size_t a = vs > r->window ? vs - r->window : 0;
    bool has_ctx;
    bool has_neg;
    double c = r->confidence;

    *in_column = field_fits(r, g);
    v = validate(m, r, g, vs, ve, *in_column);
    if (v == PS_VERDICT_REJECT)
        return false;
    has_ctx = *in_column || keyword_context(r, g, vs, ve);
    if (r->requires_context && !has_ctx)
        return false;
    has_neg = r->nnegative > 0 &&
              ps_context_has_keyword(g->t, g->len, a, ve + r->window_after, r->negative,
                                     r->nnegative, r->neg_first);
    if (v == PS_VERDICT_CHECKSUM)
        c += PS_CHECKSUM_BONUS;
    if (has_ctx)
        c += r->boost;
    if (has_neg)
        c -= r->penalty;
    *conf = c < 0.0 ? 0.0 : (c > 1.0 ? 1.0 : c);
    return true;
}

static piiscan_status push_hit(struct ps_matcher *m, size_t off, size_t len, size_t rule,
                               bool in_column, double conf)
{
    if (m->nhits == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        struct ps_hit *p = realloc(m->hits, ncap * sizeof *p);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        m->hits = p;
        m->cap = ncap;
    }
    m->hits[m->nhits++] = (struct ps_hit){off, len, (uint32_t)rule, false, in_column, conf};
    return PIISCAN_OK;
}

/* ---------- the match loop ---------- */

/* Next match of rule ri at or after pos, starting at or before lim (lim =
 * PCRE2_UNSET: anywhere). Returns pcre2_match's count (> 0) or <= 0 for none. */
static int next_match(struct ps_matcher *m, size_t ri, const struct region *g, size_t pos,
                      size_t lim)
{
    const struct ps_rule *r = &m->rules->rules[ri];
    uint32_t opts = (r->flags & PCRE2_UTF) ? PCRE2_NO_UTF_CHECK : 0;
    pcre2_match_context *mc = m->mctx;

    if (r->flags & PCRE2_USE_OFFSET_LIMIT) {
        mc = m->mctx_lim;
        pcre2_set_offset_limit(mc, lim);
    }
    return pcre2_match(r->code, (PCRE2_SPTR)g->t, g->len, pos, opts, m->md[ri], mc);
}

/* The match in m->md[ri] (rc from next_match): checks bounds, narrows to the
 * value group, scores, records. *next is where the following search starts. */
static piiscan_status take(struct ps_matcher *m, size_t ri, const struct region *g, int rc,
                           size_t *next)
{
    const struct ps_rule *r = &m->rules->rules[ri];
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md[ri]);
    size_t ms = ov[0];
    size_t me = ov[1];
    size_t vs = ms;
    size_t ve = me;
    double conf = 0.0;
    bool in_column = false;

    if (me <= ms) {
        /* An empty match (\K tricks): step one character, a whole one in UTF mode. */
        me = ms + 1;
        while ((r->flags & PCRE2_UTF) && me < g->len && ((unsigned char)g->t[me] & 0xC0u) == 0x80u)
            me++;
        *next = me;
        return PIISCAN_OK;
    }
    *next = me;
    if (ms < g->start || me - ms > r->max_length)
        return PIISCAN_OK;
    if (r->value_group > 0 && (uint32_t)rc > r->value_group &&
        ov[2 * r->value_group] != PCRE2_UNSET) {
        vs = ov[2 * r->value_group];
        ve = ov[2 * r->value_group + 1];
    }
    if (ve > vs && score(m, r, g, vs, ve, &in_column, &conf))
        return push_hit(m, vs, ve - vs, ri, in_column, conf);
    return PIISCAN_OK;
}

/* No prefilter: the pattern runs over the whole region. */
static piiscan_status run_full(struct ps_matcher *m, size_t ri, const struct region *g)
{
    size_t pos = 0;
    piiscan_status st = PIISCAN_OK;

    /* pos strictly increases, so at most len + 1 iterations. A match/depth
     * limit error ends the rule for this region. */
    while (pos <= g->len && st == PIISCAN_OK) {
        int rc = next_match(m, ri, g, pos, PCRE2_UNSET);
        if (rc <= 0 || pcre2_get_ovector_pointer(m->md[ri])[0] >= g->limit)
            break;
        st = take(m, ri, g, rc, &pos);
    }
    return st;
}

/* prefilter.byte: every match holds the byte, at most max_length - 1 bytes after
 * its start. For each occurrence at p, search starts in [max(pos, p - back), p]
 * (PCRE2's offset limit); a match found is the leftmost one at or after pos, as
 * a full scan would find it, since any match starting earlier would hold an
 * occurrence before p. */
static piiscan_status run_byte(struct ps_matcher *m, size_t ri, const struct region *g)
{
    const struct ps_rule *r = &m->rules->rules[ri];
    size_t back = r->max_length;
    size_t pos = 0;
    piiscan_status st = PIISCAN_OK;

    while (pos < g->len && st == PIISCAN_OK) {
        const char *hit = memchr(g->t + pos, r->pre_byte, g->len - pos);
        if (hit == NULL)
            break;
        size_t p = (size_t)(hit - g->t);
        size_t from = p > pos + back ? p - back : pos;
        if (from >= g->limit)
            break;
        int rc = next_match(m, ri, g, from, p);
        if (rc <= 0) {
            pos = p + 1;
            continue;
        }
        if (pcre2_get_ovector_pointer(m->md[ri])[0] >= g->limit)
            break;
        st = take(m, ri, g, rc, &pos);
    }
    return st;
}

/* prefilter.digits: every match lies in a digit group run with at least N
 * digits, starting at most RUN_BACK bytes before the run ("+1 (212) ..."). Only
 * those runs are searched, with the same leftmost-match argument as run_byte. */
#define RUN_BACK 4u

static piiscan_status run_digits(struct ps_matcher *m, size_t ri, const struct region *g)
{
    const struct ps_rule *r = &m->rules->rules[ri];
    size_t pos = 0;
    piiscan_status st = PIISCAN_OK;

    for (size_t k = 0; k < m->nruns && st == PIISCAN_OK; k++) {
        const struct ps_run *run = &m->runs[k];
        if (run->digits < r->pre_digits)
            continue;
        /* pos advances past each match, so this loop ends within the run. */
        while (st == PIISCAN_OK) {
            size_t from = run->start > pos + RUN_BACK ? run->start - RUN_BACK : pos;
            if (from >= run->end)
                break;
            if (from >= g->limit)
                return PIISCAN_OK;
            int rc = next_match(m, ri, g, from, run->end - 1);
            if (rc <= 0)
                break;
            if (pcre2_get_ovector_pointer(m->md[ri])[0] >= g->limit)
                return PIISCAN_OK;
            st = take(m, ri, g, rc, &pos);
        }
    }
    return st;
}

static piiscan_status run_rule(struct ps_matcher *m, size_t ri, const struct region *g)
{
    const struct ps_rule *r = &m->rules->rules[ri];

    if (r->pre_digits > 0)
        return run_digits(m, ri, g);
    if (r->pre_byte >= 0)
        return run_byte(m, ri, g);
    return run_full(m, ri, g);
}

static int cmp_hit(const void *pa, const void *pb)
{
    const struct ps_hit *a = pa;
    const struct ps_hit *b = pb;

    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    if (a->conf != b->conf)
        return a->conf > b->conf ? -1 : 1;
    return a->rule < b->rule ? -1 : (a->rule > b->rule);
}

/* Sort by offset; of two overlapping hits of one category keep the more confident. */
static void sort_and_dedupe(struct ps_matcher *m)
{
    const struct ps_rule *rules = m->rules->rules;

    if (m->nhits < 2)
        return;
    qsort(m->hits, m->nhits, sizeof *m->hits, cmp_hit);
    for (size_t i = 1; i < m->nhits; i++) {
        struct ps_hit *h = &m->hits[i];
        /* Earlier hits that can overlap h: bounded by the longest match. */
        for (size_t j = i; j-- > 0;) {
            struct ps_hit *o = &m->hits[j];
            if (o->off + m->rules->max_length < h->off)
                break;
            if (o->is_dropped || o->off + o->len <= h->off ||
                rules[o->rule].category != rules[h->rule].category)
                continue;
            if (h->conf > o->conf)
                o->is_dropped = true;
            else
                h->is_dropped = true;
            break;
        }
    }
}

/* Builds the finding for hit h and calls emit. */
static int emit_hit(struct ps_matcher *m, const struct ps_unit *u, const struct region *g,
                    const struct ps_hit *h, uint64_t line, uint64_t record, ps_finding_fn emit,
                    void *ctx)
{
    const struct ps_rule *r = &m->rules->rules[h->rule];
    piiscan_finding f;
    size_t vlen = h->len <= PS_MAX_MATCH_BYTES ? h->len : PS_MAX_MATCH_BYTES;

    memcpy(m->value, g->t + h->off, vlen);
    m->value[vlen] = '\0';
    if (validate(m, r, g, h->off, h->off + h->len, h->in_column) == PS_VERDICT_REJECT ||
        r->validator == NULL)
        memcpy(m->norm, m->value, vlen + 1);
    memset(&f, 0, sizeof f);
    f.category = r->category;
    f.rule_id = r->id;
    f.confidence = h->conf;
    f.lpath = u->lpath;
    f.line = line;
    f.field = g->field;
    f.offset = g->base + h->off;
    f.value = m->value;
    f.value_len = vlen;
    f.normalized = m->norm;
    f.context_len = ps_context_window(g->t, g->len, h->off, h->off + vlen, m->context, CONTEXT_CAP,
                                      &f.value_in_context);
    f.context = m->context;
    f.record = record;
    return emit(ctx, &f);
}

/* Runs every rule over region g, then emits its hits in offset order. */
static piiscan_status scan_region(struct ps_matcher *m, const struct ps_unit *u,
                                  const struct region *g, ps_finding_fn emit, void *ctx)
{
    const struct piiscan_rules *rules = m->rules;
    unsigned need = digits_min(rules);
    struct ps_textpos pos;
    piiscan_status rc = PIISCAN_OK;

    m->nhits = 0;
    if (need > 0)
        rc = find_runs(m, g->t, g->len, need);
    for (size_t i = 0; i < rules->nrules && rc == PIISCAN_OK; i++) {
        int cat = (int)rules->rules[i].category;
        if (cat != g->skip_cat && (g->only_cat < 0 || cat == g->only_cat))
            rc = run_rule(m, i, g);
    }
    if (rc != PIISCAN_OK)
        return rc;
    sort_and_dedupe(m);
    ps_textpos_init(&pos);
    for (size_t i = 0; i < m->nhits; i++) {
        const struct ps_hit *h = &m->hits[i];
        uint64_t line = u->line;
        uint64_t record = u->record;
        if (h->is_dropped)
            continue;
        if (u->kind == PS_UNIT_TEXT) {
            ps_textpos_advance(&pos, g->t, g->len, h->off);
            line = (u->base_line ? u->base_line : 1) + pos.lines;
            if (record == 0)
                record = u->base_para + pos.breaks;
        }
        if (emit_hit(m, u, g, h, line, record, emit, ctx) != PIISCAN_CONTINUE)
            return PIISCAN_EABORTED;
    }
    return PIISCAN_OK;
}

piiscan_status ps_matcher_run(struct ps_matcher *m, const struct ps_unit *u, ps_finding_fn emit,
                              void *ctx)
{
    struct region g;
    piiscan_status rc = PIISCAN_OK;

    if (m == NULL || u == NULL || emit == NULL)
        return PIISCAN_EINVAL;
    memset(&g, 0, sizeof g);
    g.field_cat = -1;
    g.skip_cat = -1;
    g.only_cat = -1;
    if (u->kind == PS_UNIT_TEXT) {
        if (u->text == NULL)
            return PIISCAN_OK;
        g.t = u->text;
        g.len = u->len;
        g.base = u->base_offset;
        g.limit = u->limit < u->len ? u->limit : u->len;
        g.start = u->start;
        if (g.start >= g.limit)
            return PIISCAN_OK;
        return scan_region(m, u, &g, emit, ctx);
    }
    /* The row plan (row.c): column categories, cells that give no names, and a
     * first + last name pair joined into one name, scanned with the name rules only
     * where the first of the two cells is. */
    rc = ps_row_plan_build(&m->plan, u, m->rules->columns, m->field_class, m->field_ctx);
    for (size_t i = 0; i < u->ncells && rc == PIISCAN_OK; i++) {
        if (i == m->plan.name_at) {
            struct region name = g;
            name.t = m->plan.name;
            name.len = m->plan.name_len;
            name.limit = name.len;
            name.field = m->plan.field;
            name.base = u->cell_offsets ? u->cell_offsets[i] : u->base_offset;
            name.field_cat = PIISCAN_CAT_NAME;
            name.skip_cat = -1;
            name.only_cat = PIISCAN_CAT_NAME;
            rc = scan_region(m, u, &name, emit, ctx);
        }
        if (rc != PIISCAN_OK || u->cells == NULL || u->cells[i] == NULL)
            continue;
        g.t = u->cells[i];
        g.len = u->cell_lens ? u->cell_lens[i] : strlen(u->cells[i]);
        g.base = u->cell_offsets ? u->cell_offsets[i] : u->base_offset;
        g.start = 0;
        g.limit = g.len;
        g.field = u->headers ? u->headers[i] : NULL;
        g.field_cat = m->plan.cat[i];
        g.skip_cat = m->plan.skip[i];
        rc = scan_region(m, u, &g, emit, ctx);
    }
    return rc;
}
