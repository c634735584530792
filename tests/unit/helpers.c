/* tests/unit/helpers.c - see helpers.h. Linked into every unit test binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/category.h"
#include "engine/engine.h"
#include "helpers.h"

#ifndef PIISCAN_TEST_RULES_DIR
#define PIISCAN_TEST_RULES_DIR "rules"
#endif

piiscan_rules *helper_load_rules(void)
{
    piiscan_rules *rules = NULL;
    piiscan_diag diag;
    char buf[1200];

    if (piiscan_rules_load(PIISCAN_TEST_RULES_DIR, &rules, &diag) != PIISCAN_OK) {
        print_error("rules: %s\n", piiscan_diag_format(&diag, buf, sizeof buf));
        return NULL;
    }
    return rules;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static int collect(void *ctx, const piiscan_finding *f)
{
    struct helper_findings *fs = ctx;
    struct helper_finding *h;

    if (fs->n < HELPER_MAX_FINDINGS) {
        h = &fs->items[fs->n];
        copy(h->category, sizeof h->category, ps_category_name(f->category));
        copy(h->rule, sizeof h->rule, f->rule_id);
        copy(h->value, sizeof h->value, f->value);
        copy(h->normalized, sizeof h->normalized, f->normalized);
        copy(h->field, sizeof h->field, f->field);
        copy(h->context, sizeof h->context, f->context);
        h->value_in_context = f->value_in_context;
        h->confidence = f->confidence;
        h->line = f->line;
        h->record = f->record;
        h->offset = f->offset;
    }
    fs->n++;
    if (fs->abort_after > 0 && fs->n >= fs->abort_after)
        return PIISCAN_ABORT;
    return PIISCAN_CONTINUE;
}

int helper_collect(void *ctx, const piiscan_finding *f)
{
    return collect(ctx, f);
}

int helper_scan_unit(const piiscan_rules *rules, const struct ps_unit *u,
                     struct helper_findings *out)
{
    struct ps_matcher *m = NULL;
    piiscan_status rc;

    out->n = 0;
    rc = ps_matcher_new(rules, &m);
    if (rc != PIISCAN_OK)
        return rc;
    rc = ps_matcher_run(m, u, collect, out);
    ps_matcher_free(m);
    return rc;
}

int helper_scan_text(const piiscan_rules *rules, const char *text, struct helper_findings *out)
{
    struct ps_unit u;

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_TEXT;
    u.lpath = "test.txt";
    u.text = text;
    u.len = strlen(text);
    u.start = 0;
    u.limit = u.len;
    u.base_line = 1;
    u.base_para = 1;
    u.is_final = true;
    out->abort_after = 0;
    return helper_scan_unit(rules, &u, out);
}

int helper_scan_row(const piiscan_rules *rules, const char *lpath, uint64_t line, uint64_t record,
                    const char *const *headers, const char *const *cells, size_t n,
                    struct helper_findings *out)
{
    struct ps_unit u;

    memset(&u, 0, sizeof u);
    u.kind = PS_UNIT_ROW;
    u.lpath = lpath;
    u.ncells = n;
    u.cells = cells;
    u.headers = headers;
    u.line = line;
    u.record = record;
    out->abort_after = 0;
    return helper_scan_unit(rules, &u, out);
}

void helper_dump(const struct helper_findings *fs)
{
    print_error("  %zu finding(s)\n", fs->n);
    for (size_t i = 0; i < fs->n && i < HELPER_MAX_FINDINGS; i++) {
        const struct helper_finding *h = &fs->items[i];
        print_error("  - %s %s \"%s\" norm \"%s\" conf %.2f line %llu\n", h->category, h->rule,
                    h->value, h->normalized, h->confidence, (unsigned long long)h->line);
    }
}

static void expect_one(const piiscan_rules *rules, const char *text, const char *category,
                       const char *value, const char *norm, const char *file, int line)
{
    struct helper_findings fs;
    int rc = helper_scan_text(rules, text, &fs);

    if (rc == PIISCAN_OK && fs.n == 1 && strcmp(fs.items[0].category, category) == 0 &&
        (value == NULL || strcmp(fs.items[0].value, value) == 0) &&
        (norm == NULL || strcmp(fs.items[0].normalized, norm) == 0))
        return;
    print_error("%s:%d: in \"%s\" expected one %s \"%s\" (rc %d), got:\n", file, line, text,
                category, value ? value : norm, rc);
    helper_dump(&fs);
    _fail(file, line);
}

void helper_expect_finding(const piiscan_rules *rules, const char *text, const char *category,
                           const char *value, const char *file, int line)
{
    expect_one(rules, text, category, value, NULL, file, line);
}

void helper_expect_normalized(const piiscan_rules *rules, const char *text, const char *category,
                              const char *normalized, const char *file, int line)
{
    expect_one(rules, text, category, NULL, normalized, file, line);
}

void helper_expect_nothing(const piiscan_rules *rules, const char *text, const char *file,
                           int line)
{
    struct helper_findings fs;
    int rc = helper_scan_text(rules, text, &fs);

    if (rc == PIISCAN_OK && fs.n == 0)
        return;
    print_error("%s:%d: in \"%s\" expected nothing (rc %d), got:\n", file, line, text, rc);
    helper_dump(&fs);
    _fail(file, line);
}

void helper_expect_no_category(const piiscan_rules *rules, const char *text,
                               const char *category, const char *file, int line)
{
    struct helper_findings fs;
    int rc = helper_scan_text(rules, text, &fs);
    bool bad = rc != PIISCAN_OK;

    for (size_t i = 0; i < fs.n && i < HELPER_MAX_FINDINGS; i++)
        bad = bad || strcmp(fs.items[i].category, category) == 0;
    if (!bad)
        return;
    print_error("%s:%d: in \"%s\" expected no %s (rc %d), got:\n", file, line, text, category,
                rc);
    helper_dump(&fs);
    _fail(file, line);
}
