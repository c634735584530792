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
 * requires_context is dropped without context. Hits are sorted by offset, a hit
 * overlapping a better one of the same category is dropped, and the rest are
 * emitted with their line, paragraph record and context window.
 *
 * Prefilter (YARA's atoms, in small): one pass over the unit measures the most
 * digits in one "digit group run" (digits joined by at most 3 separators from
 * " -.()/+"), and a rule that declares `prefilter: {digits: N}` is skipped when
 * no run reaches N; `prefilter: {byte: "@"}` skips a rule when the byte is absent
 * (memchr). Nothing is allocated per unit once the hit array has grown to the
 * largest unit seen.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/context.h"
#include "engine/engine.h"
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
    double conf;
};

struct ps_matcher {
    const struct piiscan_rules *rules;
    pcre2_match_data **md;        /* one per rule */
    pcre2_match_context *mctx;
    struct ps_hit *hits;
    size_t nhits;
    size_t cap;
    char *value;                  /* PS_MAX_MATCH_BYTES + 1 */
    char *norm;                   /* PS_MAX_MATCH_BYTES + 16 */
    char *context;                /* PS_MAX_MATCH_BYTES + 2 * PS_CONTEXT_BYTES + 1 */
    ps_field_class_fn field_class;
    void *field_ctx;
};

/* The region being matched: a TEXT unit or one cell of a ROW unit. */
struct region {
    const char *t;
    size_t len;
    size_t start;
    size_t limit;
    const char *field;            /* header of the cell; NULL */
    int field_cat;                /* classifier's category of field; -1 */
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
    m->value = malloc(PS_MAX_MATCH_BYTES + 1u);
    m->norm = malloc(NORM_CAP);
    m->context = malloc(CONTEXT_CAP);
    if (m->md == NULL || m->mctx == NULL || !m->value || !m->norm || !m->context)
        goto out;
    pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
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
    free(m->hits);
    free(m->value);
    free(m->norm);
    free(m->context);
    free(m);
}

void ps_matcher_set_field_class(struct ps_matcher *m, ps_field_class_fn fn, void *ctx)
{
    m->field_class = fn;
    m->field_ctx = ctx;
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

/* Most digits in one digit group run of t[0..len), stopping early at need. */
static unsigned max_digit_run(const char *t, size_t len, unsigned need)
{
    unsigned best = 0;
    unsigned digits = 0;
    unsigned seps = 0;

    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (is_digit(c)) {
            digits++;
            seps = 0;
            if (digits > best) {
                best = digits;
                if (best >= need)
                    return best;
            }
        } else if (digits > 0 && is_sep(c) && ++seps <= MAX_SEP_RUN) {
            continue;
        } else {
            digits = 0;
            seps = 0;
        }
    }
    return best;
}

/* The largest prefilter digit count any rule asks for (what the pass must prove). */
static unsigned digits_needed(const struct piiscan_rules *rules)
{
    unsigned need = 0;
    for (size_t i = 0; i < rules->nrules; i++) {
        if (rules->rules[i].pre_digits > need)
            need = rules->rules[i].pre_digits;
    }
    return need;
}

static bool prefilter_pass(const struct ps_rule *r, const struct region *g, unsigned run)
{
    if (r->pre_digits > 0 && run < r->pre_digits)
        return false;
    if (r->pre_byte >= 0 && memchr(g->t, r->pre_byte, g->len) == NULL)
        return false;
    return true;
}

/* ---------- scoring ---------- */

static bool field_fits(const struct ps_rule *r, const struct region *g)
{
    if (g->field == NULL)
        return false;
    if (g->field_cat >= 0 && (piiscan_category)g->field_cat == r->category)
        return true;
    return ps_context_has_keyword(g->field, strlen(g->field), 0, strlen(g->field), r->keywords,
                                  r->nkeywords);
}

/* Validator + context -> confidence; false when the match is not reported. */
static bool score(struct ps_matcher *m, const struct ps_rule *r, const struct region *g,
                  size_t vs, size_t ve, double *conf)
{
    enum ps_verdict v = PS_VERDICT_PLAUSIBLE;
    size_t a = vs > r->window ? vs - r->window : 0;
    bool has_ctx;
    bool has_neg;
    double c = r->confidence;

    if (r->validator != NULL)
        v = r->validator->fn(g->t + vs, ve - vs, m->norm, NORM_CAP);
    if (v == PS_VERDICT_REJECT)
        return false;
    has_ctx = field_fits(r, g) ||
              ps_context_has_keyword(g->t, g->len, a, ve + r->window, r->keywords, r->nkeywords);
    if (r->requires_context && !has_ctx)
        return false;
    has_neg = r->nnegative > 0 &&
              ps_context_has_keyword(g->t, g->len, a, ve + r->window, r->negative, r->nnegative);
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
                               double conf)
{
    if (m->nhits == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        struct ps_hit *p = realloc(m->hits, ncap * sizeof *p);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        m->hits = p;
        m->cap = ncap;
    }
    m->hits[m->nhits++] = (struct ps_hit){off, len, (uint32_t)rule, false, conf};
    return PIISCAN_OK;
}

/* ---------- the match loop ---------- */

/* All matches of rule ri starting in [start, limit) of region g -> hits. */
static piiscan_status run_rule(struct ps_matcher *m, size_t ri, const struct region *g)
{
    const struct ps_rule *r = &m->rules->rules[ri];
    pcre2_match_data *md = m->md[ri];
    uint32_t opts = (r->flags & PCRE2_UTF) ? PCRE2_NO_UTF_CHECK : 0;
    size_t pos = 0;

    /* pos strictly increases, so at most len + 1 iterations. */
    while (pos <= g->len) {
        int rc = pcre2_match(r->code, (PCRE2_SPTR)g->t, g->len, pos, opts, md, m->mctx);
        if (rc <= 0)
            break; /* no match; or a match/depth limit hit: the rest of this region is skipped */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t ms = ov[0];
        size_t me = ov[1];
        if (me > pos) {
            pos = me;
        } else {
            /* An empty match: step one character (whole UTF-8 sequence in UTF mode). */
            pos++;
            while ((opts & PCRE2_NO_UTF_CHECK) && pos < g->len &&
                   ((unsigned char)g->t[pos] & 0xC0u) == 0x80u)
                pos++;
        }
        if (ms >= g->limit)
            break;
        if (ms < g->start || me - ms > r->max_length || me < ms)
            continue;
        size_t vs = ms;
        size_t ve = me;
        if (r->value_group > 0 && (uint32_t)rc > r->value_group &&
            ov[2 * r->value_group] != PCRE2_UNSET) {
            vs = ov[2 * r->value_group];
            ve = ov[2 * r->value_group + 1];
        }
        double conf = 0.0;
        if (ve > vs && score(m, r, g, vs, ve, &conf)) {
            piiscan_status st = push_hit(m, vs, ve - vs, ri, conf);
            if (st != PIISCAN_OK)
                return st;
        }
    }
    return PIISCAN_OK;
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
    if (r->validator == NULL ||
        r->validator->fn(g->t + h->off, h->len, m->norm, NORM_CAP) == PS_VERDICT_REJECT)
        memcpy(m->norm, m->value, vlen + 1);
    memset(&f, 0, sizeof f);
    f.category = r->category;
    f.rule_id = r->id;
    f.confidence = h->conf;
    f.lpath = u->lpath;
    f.line = line;
    f.field = g->field;
    f.offset = u->base_offset + h->off;
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
    unsigned need = digits_needed(rules);
    unsigned run = need > 0 ? max_digit_run(g->t, g->len, need) : 0;
    struct ps_textpos pos;
    piiscan_status rc = PIISCAN_OK;

    m->nhits = 0;
    for (size_t i = 0; i < rules->nrules && rc == PIISCAN_OK; i++) {
        if (prefilter_pass(&rules->rules[i], g, run))
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
    if (u->kind == PS_UNIT_TEXT) {
        if (u->text == NULL)
            return PIISCAN_OK;
        g.t = u->text;
        g.len = u->len;
        g.limit = u->limit < u->len ? u->limit : u->len;
        g.start = u->start;
        if (g.start >= g.limit)
            return PIISCAN_OK;
        return scan_region(m, u, &g, emit, ctx);
    }
    for (size_t i = 0; i < u->ncells && rc == PIISCAN_OK; i++) {
        if (u->cells == NULL || u->cells[i] == NULL)
            continue;
        g.t = u->cells[i];
        g.len = u->cell_lens ? u->cell_lens[i] : strlen(u->cells[i]);
        g.start = 0;
        g.limit = g.len;
        g.field = u->headers ? u->headers[i] : NULL;
        g.field_cat = (g.field && m->field_class) ? m->field_class(m->field_ctx, g.field) : -1;
        rc = scan_region(m, u, &g, emit, ctx);
    }
    return rc;
}
