/* record/severity.c - the severity model: load rules/severity.yaml, evaluate it.
 *
 * Loading walks the libyaml document tree (so every node has a line for the
 * diagnostic) and compiles each condition into category bit masks: a term is a
 * category name or a class name, and a class is a mask of categories. A
 * condition {all, any, none} then holds for a record's category set `c` when
 *   every term t of all: c & t != 0,   any (if given): c & (t1|t2|..) != 0,
 *   none: c & (t1|t2|..) == 0.
 * Record rules are tried top-down and the first match decides, which keeps the
 * table in DESIGN.md readable as data ("critical = name + identifier" above
 * "high = identifier"). Unknown keys are errors, so a typo in a tuned model is
 * reported instead of silently changing severities.
 */
#include "record/severity.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "engine/category.h"
#include "util/limits.h"

struct sev_cond {
    ps_catset all[PS_SEV_MAX_TERMS];
    size_t nall;
    ps_catset any; /* 0 = no `any` list */
    ps_catset none;
};

struct sev_rule {
    enum ps_severity sev;
    struct sev_cond cond;
    unsigned line;
};

struct sev_class {
    char name[64];
    ps_catset set;
};

struct ps_sevmodel {
    struct sev_rule rules[PS_SEV_MAX_RULES];
    size_t nrules;
    struct sev_class classes[PS_SEV_MAX_CLASSES];
    size_t nclasses;
    enum ps_severity dflt;
    uint64_t bulk_records; /* 0 = no bulk rule */
    ps_catset bulk_terms;
    enum ps_severity bulk_from, bulk_to;
    struct sev_cond notify;
    bool has_notify;
    char digest[65];
    char source[512];
};

/* NONE prints as an empty cell: a file without findings has no severity */
static const char *const sev_names[PS_SEV_COUNT] = {"", "low", "medium", "high", "critical"};

const char *ps_severity_name(enum ps_severity sev)
{
    if ((int)sev < 0 || sev >= PS_SEV_COUNT)
        return "";
    return sev_names[sev];
}

int ps_severity_from_name(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return -1;
    if (strcmp(name, "none") == 0)
        return PS_SEV_NONE;
    for (int i = PS_SEV_LOW; i < PS_SEV_COUNT; i++)
        if (strcmp(sev_names[i], name) == 0)
            return i;
    return -1;
}

static int cmp_cat_name(const void *a, const void *b)
{
    return strcmp(ps_category_name(*(const int *)a), ps_category_name(*(const int *)b));
}

char *ps_catset_format(ps_catset set, char sep, char *buf, size_t len)
{
    int cats[PIISCAN_CAT_COUNT];
    size_t n = 0;
    size_t used = 0;

    if (len == 0)
        return buf;
    buf[0] = '\0';
    for (int c = 0; c < PIISCAN_CAT_COUNT; c++)
        if (set & PS_CATBIT(c))
            cats[n++] = c;
    qsort(cats, n, sizeof cats[0], cmp_cat_name);
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? (char[]){sep, '\0'} : "",
                         ps_category_name(cats[i]));
        if (w < 0 || (size_t)w >= len - used) {
            buf[used] = '\0'; /* drop the partial name: whole names only */
            break;
        }
        used += (size_t)w;
    }
    return buf;
}

/* ---- evaluation ---- */

static bool cond_holds(const struct sev_cond *c, ps_catset cats)
{
    for (size_t i = 0; i < c->nall; i++)
        if ((cats & c->all[i]) == 0)
            return false;
    if (c->any != 0 && (cats & c->any) == 0)
        return false;
    return (cats & c->none) == 0;
}

int ps_sevmodel_record_rule(const struct ps_sevmodel *m, ps_catset cats)
{
    if (cats == 0)
        return -1;
    for (size_t i = 0; i < m->nrules; i++)
        if (cond_holds(&m->rules[i].cond, cats))
            return (int)i;
    return -1;
}

enum ps_severity ps_sevmodel_record(const struct ps_sevmodel *m, ps_catset cats)
{
    if (cats == 0)
        return PS_SEV_NONE;
    int r = ps_sevmodel_record_rule(m, cats);
    return r < 0 ? m->dflt : m->rules[r].sev;
}

bool ps_sevmodel_is_bulk_record(const struct ps_sevmodel *m, ps_catset cats)
{
    return m->bulk_records != 0 && (cats & m->bulk_terms) != 0;
}

enum ps_severity ps_sevmodel_file(const struct ps_sevmodel *m, enum ps_severity max_record,
                                  uint64_t bulk_records)
{
    if (m->bulk_records != 0 && bulk_records >= m->bulk_records && max_record == m->bulk_from)
        return m->bulk_to;
    return max_record;
}

bool ps_sevmodel_notify(const struct ps_sevmodel *m, ps_catset elements)
{
    return m->has_notify && elements != 0 && cond_holds(&m->notify, elements);
}

uint64_t ps_sevmodel_bulk_threshold(const struct ps_sevmodel *m)
{
    return m->bulk_records;
}

void ps_sevmodel_set_bulk_threshold(struct ps_sevmodel *m, uint64_t records)
{
    m->bulk_records = records;
}

const char *ps_sevmodel_digest(const struct ps_sevmodel *m)
{
    return m->digest;
}

const char *ps_sevmodel_source(const struct ps_sevmodel *m)
{
    return m->source;
}

void ps_sevmodel_free(struct ps_sevmodel *m)
{
    free(m);
}

/* ---- loading ---- */

struct loader {
    yaml_document_t *doc;
    struct ps_sevmodel *m;
    piiscan_diag *diag;
};

static piiscan_status fail_at(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static piiscan_status fail_at(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;

    if (node != NULL) {
        ld->diag->line = (unsigned)node->start_mark.line + 1;
        ld->diag->column = (unsigned)node->start_mark.column + 1;
    }
    va_start(ap, fmt);
    vsnprintf(ld->diag->message, sizeof ld->diag->message, fmt, ap);
    va_end(ap);
    return PIISCAN_ERULES;
}

static const char *scalar(const yaml_node_t *n)
{
    return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node_at(struct loader *ld, int index)
{
    return yaml_document_get_node(ld->doc, index);
}

/* Checks that every key of map is in allowed (NULL-terminated). */
static piiscan_status check_keys(struct loader *ld, yaml_node_t *map, const char *what,
                                 const char *const *allowed)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(ld, p->key);
        const char *key = scalar(k);
        bool ok = false;
        for (size_t i = 0; key != NULL && allowed[i] != NULL; i++)
            ok = ok || strcmp(key, allowed[i]) == 0;
        if (!ok)
            return fail_at(ld, k, "%s: unknown key '%s'", what, key ? key : "(not a scalar)");
    }
    return PIISCAN_OK;
}

static yaml_node_t *map_get(struct loader *ld, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(node_at(ld, p->key));
        if (k != NULL && strcmp(k, key) == 0)
            return node_at(ld, p->value);
    }
    return NULL;
}

/* A term: a category or class name -> its category mask. */
static piiscan_status parse_term(struct loader *ld, yaml_node_t *n, ps_catset *out)
{
    const char *s = scalar(n);

    if (s == NULL)
        return fail_at(ld, n, "expected a category or class name");
    int cat = ps_category_from_name(s);
    if (cat >= 0) {
        *out = PS_CATBIT(cat);
        return PIISCAN_OK;
    }
    for (size_t i = 0; i < ld->m->nclasses; i++) {
        if (strcmp(ld->m->classes[i].name, s) == 0) {
            *out = ld->m->classes[i].set;
            return PIISCAN_OK;
        }
    }
    return fail_at(ld, n, "unknown category or class '%s'", s);
}

/* A list of terms; each mask goes to out[i] (n <= PS_SEV_MAX_TERMS). */
static piiscan_status parse_terms(struct loader *ld, yaml_node_t *n, const char *what,
                                  ps_catset *out, size_t *count)
{
    *count = 0;
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(ld, n, "%s: expected a list like [name, identifier]", what);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        if (*count >= PS_SEV_MAX_TERMS)
            return fail_at(ld, n, "%s: more than %u terms", what, PS_SEV_MAX_TERMS);
        piiscan_status rc = parse_term(ld, node_at(ld, *it), &out[*count]);
        if (rc != PIISCAN_OK)
            return rc;
        (*count)++;
    }
    if (*count == 0)
        return fail_at(ld, n, "%s: empty list", what);
    return PIISCAN_OK;
}

static ps_catset union_of(const ps_catset *sets, size_t n)
{
    ps_catset u = 0;
    for (size_t i = 0; i < n; i++)
        u |= sets[i];
    return u;
}

/* all/any/none of one mapping into c; at least one of all/any is required. */
static piiscan_status parse_cond(struct loader *ld, yaml_node_t *map, const char *what,
                                 struct sev_cond *c)
{
    ps_catset tmp[PS_SEV_MAX_TERMS];
    size_t n = 0;
    piiscan_status rc = PIISCAN_OK;
    yaml_node_t *all = map_get(ld, map, "all");
    yaml_node_t *any = map_get(ld, map, "any");
    yaml_node_t *none = map_get(ld, map, "none");

    memset(c, 0, sizeof *c);
    if (all == NULL && any == NULL)
        return fail_at(ld, map, "%s: needs 'all' or 'any'", what);
    if (all != NULL && (rc = parse_terms(ld, all, what, c->all, &c->nall)) != PIISCAN_OK)
        return rc;
    if (any != NULL) {
        rc = parse_terms(ld, any, what, tmp, &n);
        if (rc != PIISCAN_OK)
            return rc;
        c->any = union_of(tmp, n);
    }
    if (none != NULL) {
        rc = parse_terms(ld, none, what, tmp, &n);
        if (rc != PIISCAN_OK)
            return rc;
        c->none = union_of(tmp, n);
    }
    return PIISCAN_OK;
}

static piiscan_status parse_sev(struct loader *ld, yaml_node_t *n, const char *what,
                                enum ps_severity *out)
{
    const char *s = scalar(n);
    int sev = ps_severity_from_name(s);

    if (s == NULL || sev <= PS_SEV_NONE)
        return fail_at(ld, n, "%s: expected low, medium, high or critical", what);
    *out = (enum ps_severity)sev;
    return PIISCAN_OK;
}

/* classes: {name: [terms]}. A class may use classes defined above it, which
 * keeps the lookup one pass and rules out cycles. */
static piiscan_status parse_classes(struct loader *ld, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(ld, n, "classes: expected a mapping of class name to categories");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node_at(ld, p->key);
        const char *name = scalar(k);
        ps_catset sets[PS_SEV_MAX_TERMS];
        size_t cnt = 0;

        if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof ld->m->classes[0].name)
            return fail_at(ld, k, "classes: bad class name");
        if (ps_category_from_name(name) >= 0)
            return fail_at(ld, k, "classes: '%s' is a category, not a class name", name);
        for (size_t i = 0; i < ld->m->nclasses; i++)
            if (strcmp(ld->m->classes[i].name, name) == 0)
                return fail_at(ld, k, "classes: '%s' defined twice", name);
        if (ld->m->nclasses >= PS_SEV_MAX_CLASSES)
            return fail_at(ld, k, "classes: more than %u classes", PS_SEV_MAX_CLASSES);
        /* terms of a class are categories or earlier classes */
        piiscan_status rc = parse_terms(ld, node_at(ld, p->value), name, sets, &cnt);
        if (rc != PIISCAN_OK)
            return rc;
        struct sev_class *cl = &ld->m->classes[ld->m->nclasses++];
        snprintf(cl->name, sizeof cl->name, "%s", name);
        cl->set = union_of(sets, cnt);
    }
    return PIISCAN_OK;
}

/* records: the ordered rule list; each rule is checked for unknown keys so a
 * typo ("alll:") is an error with its line, not a rule that never matches. */
static piiscan_status parse_records(struct loader *ld, yaml_node_t *n)
{
    static const char *const keys[] = {"severity", "why", "all", "any", "none", NULL};

    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(ld, n, "records: expected a list of rules");
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         it++) {
        yaml_node_t *r = node_at(ld, *it);
        char what[32];
        piiscan_status rc;

        snprintf(what, sizeof what, "records[%zu]", ld->m->nrules);
        if (ld->m->nrules >= PS_SEV_MAX_RULES)
            return fail_at(ld, r, "records: more than %u rules", PS_SEV_MAX_RULES);
        if (r->type != YAML_MAPPING_NODE)
            return fail_at(ld, r, "%s: expected {severity, all, any, none}", what);
        if ((rc = check_keys(ld, r, what, keys)) != PIISCAN_OK)
            return rc;
        struct sev_rule *rule = &ld->m->rules[ld->m->nrules];
        yaml_node_t *sev = map_get(ld, r, "severity");
        if (sev == NULL)
            return fail_at(ld, r, "%s: missing 'severity'", what);
        if ((rc = parse_sev(ld, sev, what, &rule->sev)) != PIISCAN_OK)
            return rc;
        if ((rc = parse_cond(ld, r, what, &rule->cond)) != PIISCAN_OK)
            return rc;
        rule->line = (unsigned)r->start_mark.line + 1;
        ld->m->nrules++;
    }
    if (ld->m->nrules == 0)
        return fail_at(ld, n, "records: no rules");
    return PIISCAN_OK;
}

/* Non-negative integer scalar, bounded by max. */
static piiscan_status parse_count(struct loader *ld, yaml_node_t *n, const char *what, uint64_t max,
                                  uint64_t *out)
{
    const char *s = scalar(n);
    char *end = NULL;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return fail_at(ld, n, "%s: expected a number", what);
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return fail_at(ld, n, "%s: expected a number from 0 to %llu", what,
                       (unsigned long long)max);
    *out = v;
    return PIISCAN_OK;
}

/* files.bulk: {records, terms, from, to}; absent = no bulk rule. */
static piiscan_status parse_files(struct loader *ld, yaml_node_t *n)
{
    static const char *const fkeys[] = {"bulk", NULL};
    static const char *const bkeys[] = {"records", "terms", "from", "to", NULL};
    ps_catset sets[PS_SEV_MAX_TERMS];
    size_t cnt = 0;
    piiscan_status rc;

    if (n->type != YAML_MAPPING_NODE)
        return fail_at(ld, n, "files: expected a mapping");
    if ((rc = check_keys(ld, n, "files", fkeys)) != PIISCAN_OK)
        return rc;
    yaml_node_t *b = map_get(ld, n, "bulk");
    if (b == NULL)
        return PIISCAN_OK;
    if (b->type != YAML_MAPPING_NODE)
        return fail_at(ld, b, "files.bulk: expected {records, terms, from, to}");
    if ((rc = check_keys(ld, b, "files.bulk", bkeys)) != PIISCAN_OK)
        return rc;
    yaml_node_t *rec = map_get(ld, b, "records");
    yaml_node_t *terms = map_get(ld, b, "terms");
    yaml_node_t *from = map_get(ld, b, "from");
    yaml_node_t *to = map_get(ld, b, "to");
    if (rec == NULL || terms == NULL || from == NULL || to == NULL)
        return fail_at(ld, b, "files.bulk: needs records, terms, from and to");
    if ((rc = parse_count(ld, rec, "files.bulk.records", UINT32_MAX, &ld->m->bulk_records)) !=
            PIISCAN_OK ||
        (rc = parse_terms(ld, terms, "files.bulk.terms", sets, &cnt)) != PIISCAN_OK ||
        (rc = parse_sev(ld, from, "files.bulk.from", &ld->m->bulk_from)) != PIISCAN_OK ||
        (rc = parse_sev(ld, to, "files.bulk.to", &ld->m->bulk_to)) != PIISCAN_OK)
        return rc;
    ld->m->bulk_terms = union_of(sets, cnt);
    return PIISCAN_OK;
}

/* The document: one top-level key, `severity:`, whose sections are read in
 * dependency order (classes before the rules that name them). */
static piiscan_status parse_model(struct loader *ld, yaml_node_t *root)
{
    static const char *const top[] = {"severity", NULL};
    static const char *const keys[] = {"version", "classes",      "records", "default",
                                       "files",   "notification", NULL};
    static const char *const nkeys[] = {"all", "any", "none", NULL};
    piiscan_status rc;
    uint64_t version = 0;

    if (root == NULL) {
        ld->diag->line = 1;
        return fail_at(ld, NULL, "empty file: expected a mapping with the key 'severity:'");
    }
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(ld, root, "expected a mapping with the key 'severity:'");
    if ((rc = check_keys(ld, root, "top level", top)) != PIISCAN_OK)
        return rc;
    yaml_node_t *s = map_get(ld, root, "severity");
    if (s == NULL || s->type != YAML_MAPPING_NODE)
        return fail_at(ld, s ? s : root, "'severity:' must be a mapping");
    if ((rc = check_keys(ld, s, "severity", keys)) != PIISCAN_OK)
        return rc;

    yaml_node_t *n = map_get(ld, s, "version");
    if (n != NULL && (rc = parse_count(ld, n, "version", 1000, &version)) != PIISCAN_OK)
        return rc;
    if (n != NULL && version != 1)
        return fail_at(ld, n, "version: this piiscan reads version 1 models");
    /* classes first: the other sections refer to them */
    if ((n = map_get(ld, s, "classes")) != NULL && (rc = parse_classes(ld, n)) != PIISCAN_OK)
        return rc;
    if ((n = map_get(ld, s, "records")) == NULL)
        return fail_at(ld, s, "severity: missing 'records'");
    if ((rc = parse_records(ld, n)) != PIISCAN_OK)
        return rc;
    ld->m->dflt = PS_SEV_LOW;
    if ((n = map_get(ld, s, "default")) != NULL &&
        (rc = parse_sev(ld, n, "default", &ld->m->dflt)) != PIISCAN_OK)
        return rc;
    if ((n = map_get(ld, s, "files")) != NULL && (rc = parse_files(ld, n)) != PIISCAN_OK)
        return rc;
    if ((n = map_get(ld, s, "notification")) != NULL) {
        if (n->type != YAML_MAPPING_NODE)
            return fail_at(ld, n, "notification: expected {all, any, none}");
        if ((rc = check_keys(ld, n, "notification", nkeys)) != PIISCAN_OK ||
            (rc = parse_cond(ld, n, "notification", &ld->m->notify)) != PIISCAN_OK)
            return rc;
        ld->m->has_notify = true;
    }
    return PIISCAN_OK;
}

/* The model's digest goes into summary.json, so two reports tell whether they
 * were judged by the same model. */
static void sha256_hex(const char *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    out[0] = '\0';
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1)
        return;
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

piiscan_status ps_sevmodel_parse(const char *yaml, size_t len, const char *name,
                                 struct ps_sevmodel **out, piiscan_diag *diag)
{
    piiscan_status rc = PIISCAN_OK;
    yaml_parser_t parser;
    yaml_document_t doc;
    bool have_parser = false;
    bool have_doc = false;
    struct loader ld = {.doc = &doc, .diag = diag};
    struct ps_sevmodel *m = NULL;

    *out = NULL;
    memset(diag, 0, sizeof *diag);
    diag->offset = -1;
    snprintf(diag->file, sizeof diag->file, "%s", name ? name : "severity.yaml");
    m = calloc(1, sizeof *m);
    if (m == NULL || !yaml_parser_initialize(&parser)) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    have_parser = true;
    ld.m = m;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &doc)) {
        diag->line = (unsigned)parser.problem_mark.line + 1;
        diag->column = (unsigned)parser.problem_mark.column + 1;
        snprintf(diag->message, sizeof diag->message, "YAML: %s",
                 parser.problem ? parser.problem : "syntax error");
        rc = parser.error == YAML_MEMORY_ERROR ? PIISCAN_ENOMEM : PIISCAN_ERULES;
        goto out;
    }
    have_doc = true;
    rc = parse_model(&ld, yaml_document_get_root_node(&doc));
    if (rc != PIISCAN_OK)
        goto out;
    sha256_hex(yaml, len, m->digest);
    snprintf(m->source, sizeof m->source, "%s", diag->file);
    *out = m;
    m = NULL;
out:
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&parser);
    free(m);
    return rc;
}

piiscan_status ps_sevmodel_load(const char *path, struct ps_sevmodel **out, piiscan_diag *diag)
{
    piiscan_status rc = PIISCAN_OK;
    FILE *fp = NULL;
    char *buf = NULL;
    size_t len = 0;

    *out = NULL;
    memset(diag, 0, sizeof *diag);
    diag->offset = -1;
    snprintf(diag->file, sizeof diag->file, "%s", path);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(diag->message, sizeof diag->message, "cannot open: %s", strerror(errno));
        rc = PIISCAN_EIO;
        goto out;
    }
    /* one byte more than the cap tells "too large" from "exactly the cap" */
    buf = malloc(PS_MAX_RULE_FILE_BYTES + 1);
    if (buf == NULL) {
        rc = PIISCAN_ENOMEM;
        goto out;
    }
    len = fread(buf, 1, PS_MAX_RULE_FILE_BYTES + 1, fp);
    if (ferror(fp)) {
        snprintf(diag->message, sizeof diag->message, "read error");
        rc = PIISCAN_EIO;
        goto out;
    }
    if (len > PS_MAX_RULE_FILE_BYTES) {
        snprintf(diag->message, sizeof diag->message, "larger than %u bytes",
                 PS_MAX_RULE_FILE_BYTES);
        rc = PIISCAN_ERULES;
        goto out;
    }
    rc = ps_sevmodel_parse(buf, len, path, out, diag);
out:
    free(buf);
    if (fp != NULL)
        fclose(fp);
    return rc;
}
