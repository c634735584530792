/* engine/rules_load.c - rules/<name>.yaml -> struct piiscan_rules.
 *
 * piiscan_rules_load() lists every *.yaml file of a directory, sorted by name,
 * reads each whole (at most PS_MAX_RULE_FILE_BYTES), feeds it to the SHA-256
 * digest, and parses it with libyaml's document API. A file whose top-level
 * mapping has a `rules:` key is a rule file; any other file (severity.yaml,
 * columns.yaml: read by other stages) is only part of the digest. Every rule is
 * checked key by key and compiled (compile.c) as soon as it is read, so the first
 * error stops the load with a precise diagnostic: file, line, column, rule id,
 * and for a pattern the PCRE2 message and offset. YAML aliases are refused (a
 * rule file has no use for them and they make the node graph a DAG or worse).
 * The result is immutable; the format is documented in rules/README.md.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "engine/category.h"
#include "engine/columns.h"
#include "engine/engine.h"
#include "engine/rules_int.h"
#include "util/limits.h"
#include "validate/names.h"

#define MAX_RULE_FILES 256u

char *piiscan_diag_format(const piiscan_diag *diag, char *buf, size_t len)
{
    size_t n = 0;
    int w;

    if (buf == NULL || len == 0)
        return buf;
    buf[0] = '\0';
    if (diag == NULL)
        return buf;
    if (diag->file[0] != '\0') {
        w = diag->line > 0 ? snprintf(buf, len, "%s:%u: ", diag->file, diag->line)
                           : snprintf(buf, len, "%s: ", diag->file);
        n = w > 0 ? (size_t)w : 0;
    }
    if (n < len && diag->rule_id[0] != '\0') {
        w = snprintf(buf + n, len - n, "rule %s: ", diag->rule_id);
        n += w > 0 ? (size_t)w : 0;
    }
    if (n < len && diag->offset >= 0)
        snprintf(buf + n, len - n, "pattern error at offset %ld: %s", diag->offset,
                 diag->message);
    else if (n < len)
        snprintf(buf + n, len - n, "%s", diag->message);
    return buf;
}

/* ---------- YAML document walking ---------- */

/* State of one file's parse: the document, its file name, and which nodes were
 * already visited (a second visit means an alias). */
struct doc {
    yaml_document_t ydoc;
    const char *file;
    unsigned char *seen;
    size_t nnodes;
    piiscan_diag *diag;
    const char *rule_id;          /* for diagnostics inside a rule */
};

static yaml_node_t *node_at(struct doc *d, int id)
{
    return yaml_document_get_node(&d->ydoc, id);
}

static unsigned line_of(const yaml_node_t *n)
{
    return (unsigned)n->start_mark.line + 1u;
}

static unsigned col_of(const yaml_node_t *n)
{
    return (unsigned)n->start_mark.column + 1u;
}

static piiscan_status fail(struct doc *d, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static piiscan_status fail(struct doc *d, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[sizeof d->diag->message];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_diag_set(d->diag, d->file, n ? line_of(n) : 0, n ? col_of(n) : 0, d->rule_id, "%s", msg);
    return PIISCAN_ERULES;
}

/* Marks node id visited; an alias shows up as a node reached twice. */
static piiscan_status visit(struct doc *d, int id, yaml_node_t **out)
{
    yaml_node_t *n = node_at(d, id);

    if (n == NULL || id < 1 || (size_t)id > d->nnodes)
        return fail(d, NULL, "malformed YAML document");
    if (d->seen[id - 1])
        return fail(d, n, "YAML aliases are not supported in rule files");
    d->seen[id - 1] = 1;
    *out = n;
    return PIISCAN_OK;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A scalar value node, or an error naming the key. */
static piiscan_status want_scalar(struct doc *d, int id, const char *key, yaml_node_t **out)
{
    piiscan_status rc = visit(d, id, out);

    if (rc != PIISCAN_OK)
        return rc;
    if ((*out)->type != YAML_SCALAR_NODE)
        return fail(d, *out, "'%s' must be a scalar", key);
    return PIISCAN_OK;
}

static piiscan_status get_string(struct doc *d, int id, const char *key, size_t max, char **out)
{
    yaml_node_t *n = NULL;
    piiscan_status rc = want_scalar(d, id, key, &n);

    if (rc != PIISCAN_OK)
        return rc;
    if (n->data.scalar.length == 0 || n->data.scalar.length > max)
        return fail(d, n, "'%s' must be 1 to %zu bytes", key, max);
    if (strlen(scalar(n)) != n->data.scalar.length)
        return fail(d, n, "'%s' contains a NUL byte", key);
    free(*out);
    *out = strdup(scalar(n));
    return *out ? PIISCAN_OK : PIISCAN_ENOMEM;
}

static piiscan_status get_number(struct doc *d, int id, const char *key, double lo, double hi,
                                 double *out)
{
    yaml_node_t *n = NULL;
    char *end = NULL;
    piiscan_status rc = want_scalar(d, id, key, &n);

    if (rc != PIISCAN_OK)
        return rc;
    errno = 0;
    *out = strtod(scalar(n), &end);
    if (errno != 0 || end == scalar(n) || *end != '\0' || !(*out >= lo && *out <= hi))
        return fail(d, n, "'%s' must be a number from %g to %g", key, lo, hi);
    return PIISCAN_OK;
}

static piiscan_status get_uint(struct doc *d, int id, const char *key, unsigned long lo,
                               unsigned long hi, size_t *out)
{
    yaml_node_t *n = NULL;
    char *end = NULL;
    unsigned long v;
    piiscan_status rc = want_scalar(d, id, key, &n);

    if (rc != PIISCAN_OK)
        return rc;
    errno = 0;
    v = strtoul(scalar(n), &end, 10);
    if (errno != 0 || end == scalar(n) || *end != '\0' || scalar(n)[0] == '-' || v < lo ||
        v > hi)
        return fail(d, n, "'%s' must be an integer from %lu to %lu", key, lo, hi);
    *out = (size_t)v;
    return PIISCAN_OK;
}

static piiscan_status get_bool(struct doc *d, int id, const char *key, bool *out)
{
    yaml_node_t *n = NULL;
    const char *s;
    piiscan_status rc = want_scalar(d, id, key, &n);

    if (rc != PIISCAN_OK)
        return rc;
    s = scalar(n);
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
        *out = false;
    else
        return fail(d, n, "'%s' must be true or false", key);
    return PIISCAN_OK;
}

/* A sequence of keyword scalars -> lower-cased copies. */
static piiscan_status get_keywords(struct doc *d, int id, const char *key, char ***out,
                                   size_t *count)
{
    yaml_node_t *seq = NULL;
    piiscan_status rc = visit(d, id, &seq);
    size_t n;

    if (rc != PIISCAN_OK)
        return rc;
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(d, seq, "'%s' must be a list", key);
    n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n > PS_MAX_KEYWORDS)
        return fail(d, seq, "'%s' has more than %u entries", key, PS_MAX_KEYWORDS);
    if (*out != NULL)
        return fail(d, seq, "duplicate key '%s'", key);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL)
        return PIISCAN_ENOMEM;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        char *kw = NULL;
        rc = get_string(d, seq->data.sequence.items.start[i], key, PS_MAX_KEYWORD_BYTES, &kw);
        if (rc != PIISCAN_OK)
            return rc;
        for (char *p = kw; *p; p++) {
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        }
        (*out)[(*count)++] = kw;
    }
    return PIISCAN_OK;
}

static piiscan_status get_flags(struct doc *d, int id, uint32_t *flags)
{
    static const struct {
        const char *name;
        uint32_t bits;
    } table[] = {
        {"caseless", PCRE2_CASELESS}, {"utf", PCRE2_UTF},           {"ucp", PCRE2_UTF | PCRE2_UCP},
        {"multiline", PCRE2_MULTILINE}, {"dotall", PCRE2_DOTALL}, {"extended", PCRE2_EXTENDED},
    };
    yaml_node_t *seq = NULL;
    piiscan_status rc = visit(d, id, &seq);

    if (rc != PIISCAN_OK)
        return rc;
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail(d, seq, "'flags' must be a list");
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++) {
        yaml_node_t *n = NULL;
        size_t k = 0;
        rc = want_scalar(d, *it, "flags", &n);
        if (rc != PIISCAN_OK)
            return rc;
        while (k < sizeof table / sizeof table[0] && strcmp(table[k].name, scalar(n)) != 0)
            k++;
        if (k == sizeof table / sizeof table[0])
            return fail(d, n, "unknown flag '%s' (caseless, utf, ucp, multiline, dotall, extended)",
                        scalar(n));
        *flags |= table[k].bits;
    }
    return PIISCAN_OK;
}

static piiscan_status parse_context(struct doc *d, int id, struct ps_rule *r)
{
    yaml_node_t *map = NULL;
    piiscan_status rc = visit(d, id, &map);

    if (rc != PIISCAN_OK)
        return rc;
    if (map->type != YAML_MAPPING_NODE)
        return fail(d, map, "'context' must be a mapping");
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = NULL;
        rc = want_scalar(d, p->key, "context key", &k);
        if (rc != PIISCAN_OK)
            return rc;
        const char *key = scalar(k);
        if (strcmp(key, "keywords") == 0)
            rc = get_keywords(d, p->value, "keywords", &r->keywords, &r->nkeywords);
        else if (strcmp(key, "negative") == 0)
            rc = get_keywords(d, p->value, "negative", &r->negative, &r->nnegative);
        else if (strcmp(key, "window") == 0)
            rc = get_uint(d, p->value, "window", 0, PS_MAX_WINDOW, &r->window);
        else if (strcmp(key, "boost") == 0)
            rc = get_number(d, p->value, "boost", 0.0, 1.0, &r->boost);
        else if (strcmp(key, "penalty") == 0)
            rc = get_number(d, p->value, "penalty", 0.0, 1.0, &r->penalty);
        else if (strcmp(key, "after") == 0)
            rc = get_uint(d, p->value, "after", 0, PS_MAX_WINDOW, &r->window_after);
        else if (strcmp(key, "veto") == 0)
            rc = get_bool(d, p->value, "veto", &r->veto);
        else if (strcmp(key, "exclusive") == 0)
            rc = get_bool(d, p->value, "exclusive", &r->exclusive);
        else
            rc = fail(d, k, "unknown key 'context.%s'", key);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

static piiscan_status parse_prefilter(struct doc *d, int id, struct ps_rule *r)
{
    yaml_node_t *map = NULL;
    piiscan_status rc = visit(d, id, &map);

    if (rc != PIISCAN_OK)
        return rc;
    if (map->type != YAML_MAPPING_NODE)
        return fail(d, map, "'prefilter' must be a mapping");
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = NULL;
        yaml_node_t *v = NULL;
        size_t digits = 0;
        rc = want_scalar(d, p->key, "prefilter key", &k);
        if (rc != PIISCAN_OK)
            return rc;
        if (strcmp(scalar(k), "digits") == 0) {
            rc = get_uint(d, p->value, "digits", 1, 64, &digits);
            r->pre_digits = (unsigned)digits;
        } else if (strcmp(scalar(k), "byte") == 0) {
            rc = want_scalar(d, p->value, "byte", &v);
            if (rc == PIISCAN_OK && v->data.scalar.length != 1)
                rc = fail(d, v, "'prefilter.byte' must be one byte");
            if (rc == PIISCAN_OK)
                r->pre_byte = (unsigned char)scalar(v)[0];
        } else {
            rc = fail(d, k, "unknown key 'prefilter.%s'", scalar(k));
        }
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* The keys of a rule; `seen` catches a key given twice. */
enum rule_key { K_ID, K_CATEGORY, K_DESCRIPTION, K_PATTERN, K_VALIDATOR, K_CONFIDENCE,
                K_MAX_LENGTH, K_CONTEXT, K_REQUIRES_CONTEXT, K_FLAGS, K_PREFILTER, K_COUNT };
static const char *const rule_keys[K_COUNT] = {
    "id", "category", "description", "pattern", "validator", "confidence",
    "max_length", "context", "requires_context", "flags", "prefilter"};

static piiscan_status parse_key(struct doc *d, enum rule_key key, int vid, struct ps_rule *r)
{
    yaml_node_t *n = NULL;
    piiscan_status rc = PIISCAN_OK;
    int cat;

    switch (key) {
    case K_ID: /* read before the other keys, see parse_rule */
        break;
    case K_CATEGORY:
        rc = want_scalar(d, vid, "category", &n);
        if (rc != PIISCAN_OK)
            return rc;
        cat = ps_category_from_name(scalar(n));
        if (cat < 0)
            return fail(d, n, "unknown category '%s'", scalar(n));
        r->category = (piiscan_category)cat;
        break;
    case K_DESCRIPTION:
        rc = get_string(d, vid, "description", 1024, &r->description);
        break;
    case K_PATTERN:
        rc = get_string(d, vid, "pattern", PS_MAX_PATTERN_BYTES, &r->pattern);
        break;
    case K_VALIDATOR:
        rc = want_scalar(d, vid, "validator", &n);
        if (rc != PIISCAN_OK)
            return rc;
        r->validator = ps_validator_find(scalar(n));
        if (r->validator == NULL)
            return fail(d, n, "unknown validator '%s'", scalar(n));
        break;
    case K_CONFIDENCE:
        rc = get_number(d, vid, "confidence", 0.0, 1.0, &r->confidence);
        break;
    case K_MAX_LENGTH:
        rc = get_uint(d, vid, "max_length", 1, PS_MAX_MATCH_BYTES, &r->max_length);
        break;
    case K_CONTEXT:
        rc = parse_context(d, vid, r);
        break;
    case K_REQUIRES_CONTEXT:
        rc = get_bool(d, vid, "requires_context", &r->requires_context);
        break;
    case K_FLAGS:
        rc = get_flags(d, vid, &r->flags);
        break;
    case K_PREFILTER:
        rc = parse_prefilter(d, vid, r);
        break;
    case K_COUNT:
        break;
    }
    return rc;
}

static bool id_ok(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof ((piiscan_diag *)0)->rule_id)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* The `id` first, so that every later error can name the rule. */
static piiscan_status read_id(struct doc *d, yaml_node_t *map, struct ps_rule *r)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(d, p->key);
        yaml_node_t *v = node_at(d, p->value);
        if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE || strcmp(scalar(k), "id") != 0)
            continue;
        if (v->type != YAML_SCALAR_NODE || !id_ok(scalar(v), v->data.scalar.length))
            return fail(d, v, "'id' must be 1-127 characters of [A-Za-z0-9._-]");
        r->id = strdup(scalar(v));
        if (r->id == NULL)
            return PIISCAN_ENOMEM;
        d->rule_id = r->id;
        return PIISCAN_OK;
    }
    return fail(d, map, "missing key 'id'");
}

static piiscan_status check_duplicate(struct doc *d, const yaml_node_t *map,
                                      const struct piiscan_rules *rules, const struct ps_rule *r)
{
    for (size_t i = 0; i < rules->nrules; i++) {
        const struct ps_rule *o = &rules->rules[i];
        if (strcmp(o->id, r->id) == 0)
            return fail(d, map, "duplicate rule id (first defined at %s:%u)", o->file, o->line);
    }
    return PIISCAN_OK;
}

static piiscan_status parse_rule(struct doc *d, int id, struct piiscan_rules *rules,
                                 struct ps_rule *r)
{
    static const enum rule_key required[] = {K_CATEGORY, K_DESCRIPTION, K_PATTERN,
                                             K_CONFIDENCE, K_MAX_LENGTH};
    bool seen[K_COUNT] = {false};
    yaml_node_t *map = NULL;
    yaml_node_t *pattern_node = NULL;
    piiscan_status rc = visit(d, id, &map);

    if (rc != PIISCAN_OK)
        return rc;
    if (map->type != YAML_MAPPING_NODE)
        return fail(d, map, "a rule must be a mapping");
    r->file = d->file;
    r->line = line_of(map);
    r->window = 40;
    r->window_after = SIZE_MAX; /* context.after: defaults to the window (below) */
    r->pre_byte = -1;
    rc = read_id(d, map, r);
    if (rc == PIISCAN_OK)
        rc = check_duplicate(d, map, rules, r);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         rc == PIISCAN_OK && p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = NULL;
        size_t key = 0;
        rc = want_scalar(d, p->key, "rule key", &k);
        if (rc != PIISCAN_OK)
            break;
        while (key < K_COUNT && strcmp(rule_keys[key], scalar(k)) != 0)
            key++;
        if (key == K_COUNT)
            rc = fail(d, k, "unknown key '%s'", scalar(k));
        else if (seen[key])
            rc = fail(d, k, "duplicate key '%s'", scalar(k));
        else if (key == K_ID)
            d->seen[p->value - 1] = 1; /* read by read_id */
        else
            rc = parse_key(d, (enum rule_key)key, p->value, r);
        if (key < K_COUNT) {
            seen[key] = true;
            if (key == K_PATTERN)
                pattern_node = node_at(d, p->value);
        }
    }
    for (size_t i = 0; rc == PIISCAN_OK && i < sizeof required / sizeof required[0]; i++) {
        if (!seen[required[i]])
            rc = fail(d, map, "missing key '%s'", rule_keys[required[i]]);
    }
    if (rc != PIISCAN_OK)
        return rc;
    if (r->window_after == SIZE_MAX)
        r->window_after = r->window;
    rc = ps_rule_compile(r, d->diag);
    if (rc == PIISCAN_ERULES && pattern_node != NULL) {
        d->diag->line = line_of(pattern_node);
        d->diag->column = col_of(pattern_node);
    }
    return rc;
}

static piiscan_status grow_rules(struct piiscan_rules *rules, size_t *cap)
{
    struct ps_rule *p;
    size_t ncap = *cap ? *cap * 2 : 16;

    if (rules->nrules < *cap)
        return PIISCAN_OK;
    p = realloc(rules->rules, ncap * sizeof *p);
    if (p == NULL)
        return PIISCAN_ENOMEM;
    rules->rules = p;
    *cap = ncap;
    return PIISCAN_OK;
}

/* Top level: a mapping; `rules:` a list of rule mappings; `version: 1` allowed. */
static piiscan_status parse_root(struct doc *d, struct piiscan_rules *rules)
{
    yaml_node_t *root = yaml_document_get_root_node(&d->ydoc);
    yaml_node_t *list = NULL;
    piiscan_status rc = PIISCAN_OK;
    size_t cap = rules->nrules;

    if (root == NULL)
        return PIISCAN_OK; /* empty file */
    if (root->type != YAML_MAPPING_NODE)
        return fail(d, root, "top level must be a mapping with a 'rules' list");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(d, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE && strcmp(scalar(k), "rules") == 0)
            list = node_at(d, p->value);
    }
    if (list == NULL)
        return PIISCAN_OK; /* not a rule file: severity.yaml, columns.yaml */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(d, p->key);
        size_t version = 0;
        if (k == NULL || k->type != YAML_SCALAR_NODE)
            return fail(d, k, "top-level keys must be scalars");
        if (strcmp(scalar(k), "version") == 0)
            rc = get_uint(d, p->value, "version", 1, 1, &version);
        else if (strcmp(scalar(k), "rules") != 0)
            rc = fail(d, k, "unknown top-level key '%s'", scalar(k));
        if (rc != PIISCAN_OK)
            return rc;
    }
    if (list->type != YAML_SEQUENCE_NODE)
        return fail(d, list, "'rules' must be a list");
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        if (rules->nrules >= PS_MAX_RULES)
            return fail(d, list, "more than %u rules", PS_MAX_RULES);
        rc = grow_rules(rules, &cap);
        if (rc != PIISCAN_OK)
            return rc;
        struct ps_rule *r = &rules->rules[rules->nrules];
        memset(r, 0, sizeof *r);
        d->rule_id = NULL;
        rc = parse_rule(d, *it, rules, r);
        if (rc != PIISCAN_OK) {
            ps_rule_clear(r);
            return rc;
        }
        rules->nrules++;
    }
    return PIISCAN_OK;
}

piiscan_status ps_rules_parse_file(const char *file, const char *data, size_t len,
                                   struct piiscan_rules *rules, piiscan_diag *diag)
{
    yaml_parser_t parser;
    struct doc d;
    yaml_document_t extra;
    piiscan_status rc = PIISCAN_OK;
    bool loaded = false;

    memset(&d, 0, sizeof d);
    d.file = file;
    d.diag = diag;
    if (!yaml_parser_initialize(&parser))
        return PIISCAN_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &d.ydoc)) {
        ps_diag_set(diag, file, (unsigned)parser.problem_mark.line + 1u,
                    (unsigned)parser.problem_mark.column + 1u, NULL, "YAML error: %s%s%s",
                    parser.problem ? parser.problem : "unknown error",
                    parser.context ? " " : "", parser.context ? parser.context : "");
        rc = parser.error == YAML_MEMORY_ERROR ? PIISCAN_ENOMEM : PIISCAN_ERULES;
        goto out;
    }
    loaded = true;
    d.nnodes = (size_t)(d.ydoc.nodes.top - d.ydoc.nodes.start);
    d.seen = calloc(d.nnodes ? d.nnodes : 1, 1);
    if (d.seen == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    rc = parse_root(&d, rules);
    if (rc != PIISCAN_OK)
        goto out;
    /* A second document would be silently ignored: refuse it. */
    if (!yaml_parser_load(&parser, &extra)) {
        ps_diag_set(diag, file, (unsigned)parser.problem_mark.line + 1u,
                    (unsigned)parser.problem_mark.column + 1u, NULL, "YAML error: %s",
                    parser.problem ? parser.problem : "unknown error");
        rc = PIISCAN_ERULES;
        goto out;
    }
    if (yaml_document_get_root_node(&extra) != NULL) {
        ps_diag_set(diag, file, (unsigned)extra.start_mark.line + 1u, 1, NULL,
                    "more than one YAML document in a rule file");
        rc = PIISCAN_ERULES;
    }
    yaml_document_delete(&extra);
out:
    free(d.seen);
    if (loaded)
        yaml_document_delete(&d.ydoc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---------- directory ---------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

/* Sorted "dir/x.yaml" paths of every rule file in dir. */
static piiscan_status list_files(const char *dir, struct piiscan_rules *rules, piiscan_diag *diag)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    piiscan_status rc = PIISCAN_OK;

    if (dp == NULL) {
        ps_diag_set(diag, dir, 0, 0, NULL, "cannot open rules directory: %s", strerror(errno));
        return PIISCAN_EIO;
    }
    rules->files = calloc(MAX_RULE_FILES, sizeof *rules->files);
    if (rules->files == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    while ((de = readdir(dp)) != NULL) {
        if (!is_yaml_name(de->d_name))
            continue;
        if (rules->nfiles == MAX_RULE_FILES) {
            ps_diag_set(diag, dir, 0, 0, NULL, "more than %u rule files", MAX_RULE_FILES);
            rc = PIISCAN_ERULES;
            goto out;
        }
        size_t n = strlen(dir) + strlen(de->d_name) + 2;
        char *path = malloc(n);
        if (path == NULL) {
            rc = PIISCAN_ENOMEM;
            goto out;
        }
        snprintf(path, n, "%s/%s", dir, de->d_name);
        rules->files[rules->nfiles++] = path;
    }
    qsort(rules->files, rules->nfiles, sizeof *rules->files, cmp_str);
out:
    closedir(dp);
    return rc;
}

/* Reads a whole rule file (regular, at most PS_MAX_RULE_FILE_BYTES). */
static piiscan_status read_file(const char *path, char **data, size_t *len, piiscan_diag *diag)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    piiscan_status rc = PIISCAN_OK;

    *data = NULL;
    if (fp == NULL) {
        ps_diag_set(diag, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return PIISCAN_EIO;
    }
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        ps_diag_set(diag, path, 0, 0, NULL, "not a regular file");
        rc = PIISCAN_EIO;
        goto out;
    }
    if ((unsigned long long)st.st_size > PS_MAX_RULE_FILE_BYTES) {
        ps_diag_set(diag, path, 0, 0, NULL, "rule file larger than %u bytes",
                    PS_MAX_RULE_FILE_BYTES);
        rc = PIISCAN_ERULES;
        goto out;
    }
    *data = malloc((size_t)st.st_size + 1);
    if (*data == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    *len = fread(*data, 1, (size_t)st.st_size, fp);
    if (*len != (size_t)st.st_size || ferror(fp)) {
        ps_diag_set(diag, path, 0, 0, NULL, "read error");
        rc = PIISCAN_EIO;
        goto out;
    }
    (*data)[*len] = '\0';
out:
    if (rc != PIISCAN_OK) {
        free(*data);
        *data = NULL;
    }
    fclose(fp);
    return rc;
}

piiscan_status piiscan_rules_load(const char *dir, piiscan_rules **out, piiscan_diag *diag)
{
    struct piiscan_rules *rules = NULL;
    struct ps_digest *dg = NULL;
    piiscan_diag scratch;
    piiscan_status rc = PIISCAN_OK;

    if (diag == NULL)
        diag = &scratch;
    ps_diag_set(diag, NULL, 0, 0, NULL, "%s", "");
    if (out == NULL || dir == NULL)
        return PIISCAN_EINVAL;
    *out = NULL;
    rules = calloc(1, sizeof *rules);
    dg = ps_digest_new();
    if (rules == NULL || dg == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    rc = list_files(dir, rules, diag);
    if (rc != PIISCAN_OK)
        goto out;
    for (size_t i = 0; i < rules->nfiles; i++) {
        char *data = NULL;
        size_t len = 0;
        rc = read_file(rules->files[i], &data, &len, diag);
        if (rc == PIISCAN_OK)
            rc = ps_digest_add(dg, rules->files[i], data, len);
        if (rc == PIISCAN_OK)
            rc = ps_rules_parse_file(rules->files[i], data, len, rules, diag);
        free(data);
        if (rc != PIISCAN_OK)
            goto out;
    }
    if (rules->nrules == 0) {
        ps_diag_set(diag, dir, 0, 0, NULL, "no rules found (no *.yaml file with a 'rules' list)");
        rc = PIISCAN_ERULES;
        goto out;
    }
    rc = ps_rules_load_data(dir, rules, diag);
    if (rc != PIISCAN_OK)
        goto out;
    ps_digest_final(dg, rules->digest);
    ps_rules_finish(rules);
    *out = rules;
    rules = NULL;
out:
    ps_digest_free(dg);
    piiscan_rules_free(rules);
    return rc;
}

void piiscan_rules_free(piiscan_rules *rules)
{
    if (rules == NULL)
        return;
    ps_names_free(rules->names);
    ps_columns_free(rules->columns);
    for (size_t i = 0; i < rules->nrules; i++)
        ps_rule_clear(&rules->rules[i]);
    free(rules->rules);
    for (size_t i = 0; i < rules->nfiles; i++)
        free(rules->files[i]);
    free(rules->files);
    free(rules);
}
