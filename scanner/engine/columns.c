/* engine/columns.c - header synonyms: which PII category a table column holds.
 *
 * Input: rules/data/columns.yaml, read with libyaml's document loader (bounded to
 * PS_COLUMNS_MAX_FILE_BYTES; the walk below visits a fixed number of levels and
 * only scalars as synonyms, so anchors and aliases cannot make it loop or blow up).
 * Every synonym is normalised (ps_columns_normalize: folded by ps_names_fold, then
 * letters and digits only) and stored with its category and part in one sorted
 * array; the leading and trailing qualifiers are kept in two short lists.
 *
 * Output: ps_columns_lookup() normalises a header into a stack buffer and binary
 * searches the array: first the whole header, then with one leading and/or one
 * trailing qualifier taken off (a remainder that is itself a qualifier does not
 * count, so "Employee No" is not the name column "Employee"). Immutable after
 * loading; lookups touch no shared mutable state.
 */
#include "engine/columns.h"
#include "util/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "validate/names.h"

#define MAX_QUALIFIERS 256u
#define MAX_HEADER_BYTES 1024u /* raw header bytes; longer headers never match */

struct syn {
    const char *key; /* normalised, points into pool once loading is done */
    uint32_t off;    /* key offset in pool while loading */
    uint16_t len;
    uint8_t category; /* piiscan_category */
    uint8_t part;     /* enum ps_col_part */
    unsigned line;    /* line in columns.yaml, for the duplicate diagnostic */
};

struct qual {
    const char *key;
    uint32_t off;
    uint16_t len;
};

struct ps_columns {
    char *pool;
    size_t pool_len;
    size_t pool_cap;
    struct syn *syns;
    size_t nsyns;
    size_t syns_cap;
    struct qual lead[MAX_QUALIFIERS];
    size_t nlead;
    struct qual trail[MAX_QUALIFIERS];
    size_t ntrail;
};

/* Parse state shared by the walk functions. */
struct loader {
    struct ps_columns *cols;
    yaml_document_t *doc;
    const char *path;
    piiscan_diag *diag;
};

/* Category names in enum order (DESIGN.md, piiscan/finding.h). */
static const char *const category_names[PIISCAN_CAT_COUNT] = {
    "ssn",         "dob",  "name",         "salary",          "email",    "phone",
    "credit_card", "itin", "bank_account", "drivers_license", "passport", "address",
};

static const char *const part_names[] = {"whole", "given", "surname", "middle", "routing"};

const char *ps_col_part_name(enum ps_col_part part)
{
    if ((unsigned)part >= sizeof(part_names) / sizeof(part_names[0]))
        return NULL;
    return part_names[part];
}

bool ps_columns_normalize(const char *header, size_t len, char *out, size_t cap, size_t *out_len)
{
    char folded[4 * PS_COLUMNS_MAX_KEY];
    size_t flen;
    size_t o = 0;

    if (out_len != NULL)
        *out_len = 0;
    if (cap == 0)
        return false;
    out[0] = '\0';
    if (!ps_names_fold(header, len, folded, sizeof(folded), &flen))
        return false;
    for (size_t i = 0; i < flen; i++) {
        unsigned char c = (unsigned char)folded[i];
        /* Keep ASCII letters and digits, and every byte of a non-ASCII letter. */
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80))
            continue;
        if (o + 1 >= cap) {
            out[0] = '\0';
            return false;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return true;
}

/* Appends a normalised key to the pool; *off receives its offset. */
static piiscan_status pool_add(struct ps_columns *c, const char *key, size_t len, uint32_t *off)
{
    if (c->pool_len + len + 1 > c->pool_cap) {
        size_t ncap = c->pool_cap ? c->pool_cap * 2 : 4096;
        char *p;
        while (ncap < c->pool_len + len + 1)
            ncap *= 2;
        p = realloc(c->pool, ncap);
        if (p == NULL)
            return PIISCAN_ENOMEM;
        c->pool = p;
        c->pool_cap = ncap;
    }
    memcpy(c->pool + c->pool_len, key, len);
    c->pool[c->pool_len + len] = '\0';
    *off = (uint32_t)c->pool_len;
    c->pool_len += len + 1;
    return PIISCAN_OK;
}

/* Normalises the scalar node sn into key; ERULES when it is no scalar or empty. */
static piiscan_status scalar_key(struct loader *ld, yaml_node_t *sn, char *key, size_t *klen)
{
    unsigned line = (unsigned)sn->start_mark.line + 1;

    if (sn->type != YAML_SCALAR_NODE) {
        ps_diag_set(ld->diag, ld->path, line, 0, NULL, "expected a header name (a string)");
        return PIISCAN_ERULES;
    }
    if (!ps_columns_normalize((const char *)sn->data.scalar.value, sn->data.scalar.length, key,
                              PS_COLUMNS_MAX_KEY, klen) ||
        *klen == 0) {
        ps_diag_set(ld->diag, ld->path, line, 0, NULL, "header name \"%.60s\" is empty or too long",
                    (const char *)sn->data.scalar.value);
        return PIISCAN_ERULES;
    }
    return PIISCAN_OK;
}

/* Adds every scalar of the sequence node seq as a synonym for (cat, part). */
static piiscan_status add_synonyms(struct loader *ld, yaml_node_t *seq, piiscan_category cat,
                                   enum ps_col_part part)
{
    struct ps_columns *c = ld->cols;

    if (seq->type != YAML_SEQUENCE_NODE) {
        ps_diag_set(ld->diag, ld->path, (unsigned)seq->start_mark.line + 1, 0, NULL,
                    "expected a list of header names");
        return PIISCAN_ERULES;
    }
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++) {
        yaml_node_t *sn = yaml_document_get_node(ld->doc, *it);
        char key[PS_COLUMNS_MAX_KEY];
        size_t klen;
        struct syn *s;
        piiscan_status rc = sn ? scalar_key(ld, sn, key, &klen) : PIISCAN_ERULES;

        if (rc != PIISCAN_OK)
            return rc;
        if (c->nsyns >= PS_COLUMNS_MAX_SYNONYMS) {
            ps_diag_set(ld->diag, ld->path, (unsigned)sn->start_mark.line + 1, 0, NULL,
                        "more than %u header names", PS_COLUMNS_MAX_SYNONYMS);
            return PIISCAN_ERULES;
        }
        if (c->nsyns == c->syns_cap) {
            size_t ncap = c->syns_cap ? c->syns_cap * 2 : 256;
            struct syn *p = realloc(c->syns, ncap * sizeof(*p));
            if (p == NULL)
                return PIISCAN_ENOMEM;
            c->syns = p;
            c->syns_cap = ncap;
        }
        s = &c->syns[c->nsyns];
        memset(s, 0, sizeof(*s));
        rc = pool_add(c, key, klen, &s->off);
        if (rc != PIISCAN_OK)
            return rc;
        s->len = (uint16_t)klen;
        s->category = (uint8_t)cat;
        s->part = (uint8_t)part;
        s->line = (unsigned)sn->start_mark.line + 1;
        c->nsyns++;
    }
    return PIISCAN_OK;
}

static int lookup_name(const char *const *names, size_t n, const yaml_node_t *kn)
{
    if (kn == NULL || kn->type != YAML_SCALAR_NODE)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strlen(names[i]) == kn->data.scalar.length &&
            memcmp(names[i], kn->data.scalar.value, kn->data.scalar.length) == 0)
            return (int)i;
    }
    return -1;
}

/* Whether a category may be split into this part (name: given/surname/middle,
 * bank_account: routing; every category: whole). */
static bool part_allowed(piiscan_category cat, enum ps_col_part part)
{
    if (part == PS_COL_WHOLE)
        return true;
    if (part == PS_COL_ROUTING)
        return cat == PIISCAN_CAT_BANK_ACCOUNT;
    return cat == PIISCAN_CAT_NAME;
}

/* category: [synonyms]  or  category: {part: [synonyms], ...} */
static piiscan_status load_category(struct loader *ld, piiscan_category cat, yaml_node_t *val)
{
    piiscan_status rc = PIISCAN_OK;

    if (val->type != YAML_MAPPING_NODE)
        return add_synonyms(ld, val, cat, PS_COL_WHOLE);
    for (yaml_node_pair_t *p = val->data.mapping.pairs.start;
         p < val->data.mapping.pairs.top && rc == PIISCAN_OK; p++) {
        yaml_node_t *kn = yaml_document_get_node(ld->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(ld->doc, p->value);
        int part = lookup_name(part_names, sizeof(part_names) / sizeof(part_names[0]), kn);

        if (kn == NULL || vn == NULL || part < 0 || !part_allowed(cat, (enum ps_col_part)part)) {
            ps_diag_set(ld->diag, ld->path, kn ? (unsigned)kn->start_mark.line + 1 : 0, 0, NULL,
                        "category %s has no part \"%.40s\"", category_names[cat],
                        kn && kn->type == YAML_SCALAR_NODE ? (const char *)kn->data.scalar.value
                                                           : "?");
            return PIISCAN_ERULES;
        }
        rc = add_synonyms(ld, vn, cat, (enum ps_col_part)part);
    }
    return rc;
}

static piiscan_status load_columns(struct loader *ld, yaml_node_t *map)
{
    piiscan_status rc = PIISCAN_OK;

    if (map->type != YAML_MAPPING_NODE) {
        ps_diag_set(ld->diag, ld->path, (unsigned)map->start_mark.line + 1, 0, NULL,
                    "columns: expected a map of category -> header names");
        return PIISCAN_ERULES;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top && rc == PIISCAN_OK; p++) {
        yaml_node_t *kn = yaml_document_get_node(ld->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(ld->doc, p->value);
        int cat = lookup_name(category_names, PIISCAN_CAT_COUNT, kn);

        if (cat < 0 || vn == NULL) {
            ps_diag_set(ld->diag, ld->path, kn ? (unsigned)kn->start_mark.line + 1 : 0, 0, NULL,
                        "unknown category \"%.40s\"",
                        kn && kn->type == YAML_SCALAR_NODE ? (const char *)kn->data.scalar.value
                                                           : "?");
            return PIISCAN_ERULES;
        }
        rc = load_category(ld, (piiscan_category)cat, vn);
    }
    return rc;
}

/* qualifiers: {leading: [...], trailing: [...]} */
static piiscan_status load_qualifiers(struct loader *ld, yaml_node_t *map)
{
    static const char *const sides[] = {"leading", "trailing"};

    if (map->type != YAML_MAPPING_NODE) {
        ps_diag_set(ld->diag, ld->path, (unsigned)map->start_mark.line + 1, 0, NULL,
                    "qualifiers: expected leading: and trailing: lists");
        return PIISCAN_ERULES;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = yaml_document_get_node(ld->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(ld->doc, p->value);
        int side = lookup_name(sides, 2, kn);
        struct qual *q = side == 0 ? ld->cols->lead : ld->cols->trail;
        size_t *nq = side == 0 ? &ld->cols->nlead : &ld->cols->ntrail;

        if (side < 0 || vn == NULL || vn->type != YAML_SEQUENCE_NODE) {
            ps_diag_set(ld->diag, ld->path, kn ? (unsigned)kn->start_mark.line + 1 : 0, 0, NULL,
                        "qualifiers: expected leading: and trailing: lists");
            return PIISCAN_ERULES;
        }
        for (yaml_node_item_t *it = vn->data.sequence.items.start; it < vn->data.sequence.items.top;
             it++) {
            yaml_node_t *sn = yaml_document_get_node(ld->doc, *it);
            char key[PS_COLUMNS_MAX_KEY];
            size_t klen;
            piiscan_status rc = sn ? scalar_key(ld, sn, key, &klen) : PIISCAN_ERULES;

            if (rc == PIISCAN_OK && *nq >= MAX_QUALIFIERS) {
                ps_diag_set(ld->diag, ld->path, (unsigned)sn->start_mark.line + 1, 0, NULL,
                            "more than %u qualifiers", MAX_QUALIFIERS);
                rc = PIISCAN_ERULES;
            }
            if (rc == PIISCAN_OK)
                rc = pool_add(ld->cols, key, klen, &q[*nq].off);
            if (rc != PIISCAN_OK)
                return rc;
            q[*nq].len = (uint16_t)klen;
            ++*nq;
        }
    }
    return PIISCAN_OK;
}

static piiscan_status load_root(struct loader *ld, yaml_node_t *root)
{
    piiscan_status rc = PIISCAN_OK;
    bool has_columns = false;

    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        ps_diag_set(ld->diag, ld->path, root ? (unsigned)root->start_mark.line + 1 : 0, 0, NULL,
                    "expected a map with a columns: key");
        return PIISCAN_ERULES;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top && rc == PIISCAN_OK; p++) {
        static const char *const keys[] = {"columns", "qualifiers"};
        yaml_node_t *kn = yaml_document_get_node(ld->doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(ld->doc, p->value);
        int which = lookup_name(keys, 2, kn);

        if (which < 0 || vn == NULL) {
            ps_diag_set(ld->diag, ld->path, kn ? (unsigned)kn->start_mark.line + 1 : 0, 0, NULL,
                        "unknown key (expected columns: or qualifiers:)");
            return PIISCAN_ERULES;
        }
        has_columns |= (which == 0);
        rc = which == 0 ? load_columns(ld, vn) : load_qualifiers(ld, vn);
    }
    if (rc == PIISCAN_OK && !has_columns) {
        ps_diag_set(ld->diag, ld->path, 0, 0, NULL, "no columns: key");
        rc = PIISCAN_ERULES;
    }
    return rc;
}

/* Byte order, then length. Keys are short: a plain loop beats a memcmp call. */
static int cmp_key(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;

    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
    }
    return (alen > blen) - (alen < blen);
}

static int cmp_syn(const void *a, const void *b)
{
    const struct syn *x = a;
    const struct syn *y = b;
    int r = cmp_key(x->key, x->len, y->key, y->len);

    /* Ties by line keep the order of the file, for a stable duplicate message. */
    return r != 0 ? r : (x->line > y->line) - (x->line < y->line);
}

/* Pool offsets -> pointers, sort, then reject a synonym listed under two meanings. */
static piiscan_status finish(struct ps_columns *c, const char *path, piiscan_diag *diag)
{
    size_t o = 0;

    for (size_t i = 0; i < c->nsyns; i++)
        c->syns[i].key = c->pool + c->syns[i].off;
    for (size_t i = 0; i < c->nlead; i++)
        c->lead[i].key = c->pool + c->lead[i].off;
    for (size_t i = 0; i < c->ntrail; i++)
        c->trail[i].key = c->pool + c->trail[i].off;
    if (c->nsyns > 0)
        qsort(c->syns, c->nsyns, sizeof(*c->syns), cmp_syn);
    for (size_t i = 0; i < c->nsyns; i++) {
        const struct syn *s = &c->syns[i];
        const struct syn *prev = o ? &c->syns[o - 1] : NULL;

        if (prev != NULL && cmp_key(prev->key, prev->len, s->key, s->len) == 0) {
            if (prev->category != s->category || prev->part != s->part) {
                ps_diag_set(diag, path, s->line, 0, NULL, "header \"%s\" already listed at line %u",
                            s->key, prev->line);
                return PIISCAN_ERULES;
            }
            continue; /* the same synonym twice: keep one */
        }
        c->syns[o++] = *s;
    }
    c->nsyns = o;
    return PIISCAN_OK;
}

piiscan_status ps_columns_load(const char *rules_dir, struct ps_columns **out, piiscan_diag *diag)
{
    piiscan_status rc = PIISCAN_OK;
    struct ps_columns *c = NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool has_parser = false;
    bool has_doc = false;
    char path[4096];
    char *buf = NULL;
    size_t len = 0;
    int w = snprintf(path, sizeof(path), "%s/%s", rules_dir, PS_COLUMNS_FILE);

    *out = NULL;
    if (w < 0 || (size_t)w >= sizeof(path)) {
        ps_diag_set(diag, PS_COLUMNS_FILE, 0, 0, NULL, "rules directory path too long");
        return PIISCAN_EIO;
    }
    rc = ps_names_read_file(path, PS_COLUMNS_MAX_FILE_BYTES, &buf, &len, diag);
    if (rc != PIISCAN_OK)
        goto out;
    c = calloc(1, sizeof(*c));
    if (c == NULL || !yaml_parser_initialize(&parser)) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    has_parser = true;
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        ps_diag_set(diag, path, (unsigned)parser.problem_mark.line + 1, 0, NULL, "YAML: %s",
                    parser.problem ? parser.problem : "parse error");
        rc = PIISCAN_ERULES;
        goto out;
    }
    has_doc = true;
    {
        struct loader ld = {c, &doc, path, diag};
        rc = load_root(&ld, yaml_document_get_root_node(&doc));
    }
    if (rc == PIISCAN_OK)
        rc = finish(c, path, diag);
    if (rc == PIISCAN_OK) {
        *out = c;
        c = NULL;
    }
out:
    if (has_doc)
        yaml_document_delete(&doc);
    if (has_parser)
        yaml_parser_delete(&parser);
    ps_columns_free(c);
    free(buf);
    return rc;
}

void ps_columns_free(struct ps_columns *cols)
{
    if (cols == NULL)
        return;
    free(cols->syns);
    free(cols->pool);
    free(cols);
}

size_t ps_columns_count(const struct ps_columns *cols)
{
    return cols ? cols->nsyns : 0;
}

static const struct syn *find_syn(const struct ps_columns *c, const char *key, size_t len)
{
    size_t lo = 0;
    size_t hi = c->nsyns;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_key(c->syns[mid].key, c->syns[mid].len, key, len);
        if (r == 0)
            return &c->syns[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool is_qualifier(const struct ps_columns *c, const char *key, size_t len)
{
    for (size_t i = 0; i < c->nlead; i++) {
        if (c->lead[i].len == len && memcmp(c->lead[i].key, key, len) == 0)
            return true;
    }
    for (size_t i = 0; i < c->ntrail; i++) {
        if (c->trail[i].len == len && memcmp(c->trail[i].key, key, len) == 0)
            return true;
    }
    return false;
}

/* key[skip_lead .. len - skip_trail) as a synonym, unless it is a bare qualifier. */
static const struct syn *find_rest(const struct ps_columns *c, const char *key, size_t len,
                                   size_t skip_lead, size_t skip_trail)
{
    size_t rlen;

    if (skip_lead + skip_trail >= len)
        return NULL;
    rlen = len - skip_lead - skip_trail;
    if (is_qualifier(c, key + skip_lead, rlen))
        return NULL;
    return find_syn(c, key + skip_lead, rlen);
}

/* Whether key starts (ends) with qualifier q and has something left besides it. */
static bool has_prefix(const struct qual *q, const char *key, size_t len)
{
    return q->len < len && key[0] == q->key[0] && memcmp(key, q->key, q->len) == 0;
}

static bool has_suffix(const struct qual *q, const char *key, size_t len)
{
    return q->len < len && key[len - 1] == q->key[q->len - 1] &&
           memcmp(key + len - q->len, q->key, q->len) == 0;
}

bool ps_columns_lookup(const struct ps_columns *cols, const char *header,
                       piiscan_category *category, enum ps_col_part *part)
{
    char key[PS_COLUMNS_MAX_KEY];
    size_t len;
    size_t hlen;
    const struct syn *s;

    if (cols == NULL || header == NULL)
        return false;
    hlen = strnlen(header, MAX_HEADER_BYTES + 1);
    if (hlen > MAX_HEADER_BYTES || !ps_columns_normalize(header, hlen, key, sizeof(key), &len) ||
        len == 0)
        return false;
    s = find_syn(cols, key, len);
    if (s == NULL) {
        /* Then one leading qualifier, one trailing, and one of each: collect the
         * qualifiers the key starts and ends with once (rarely more than one). */
        size_t lead[8];
        size_t trail[8];
        size_t nlead = 0;
        size_t ntrail = 0;

        for (size_t i = 0; i < cols->nlead && nlead < 8; i++) {
            if (has_prefix(&cols->lead[i], key, len))
                lead[nlead++] = cols->lead[i].len;
        }
        for (size_t j = 0; j < cols->ntrail && ntrail < 8; j++) {
            if (has_suffix(&cols->trail[j], key, len))
                trail[ntrail++] = cols->trail[j].len;
        }
        for (size_t i = 0; s == NULL && i < nlead; i++)
            s = find_rest(cols, key, len, lead[i], 0);
        for (size_t j = 0; s == NULL && j < ntrail; j++)
            s = find_rest(cols, key, len, 0, trail[j]);
        for (size_t i = 0; s == NULL && i < nlead; i++) {
            for (size_t j = 0; s == NULL && j < ntrail; j++)
                s = find_rest(cols, key, len, lead[i], trail[j]);
        }
    }
    if (s == NULL)
        return false;
    *category = (piiscan_category)s->category;
    *part = (enum ps_col_part)s->part;
    return true;
}

int ps_columns_field_class(void *ctx, const char *header)
{
    piiscan_category cat;
    enum ps_col_part part;

    if (!ps_columns_lookup(ctx, header, &cat, &part))
        return -1;
    return (int)cat;
}
