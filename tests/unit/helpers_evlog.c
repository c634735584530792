/* helpers_evlog.c - see helpers_evlog.h. */
#include "helpers_evlog.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

int evlog_on_event(const piiscan_event *ev, void *user)
{
    struct evlog *l = user;
    char *line = l->lines[l->n];
    const char *lp = ev->kind == PIISCAN_EV_FINDING   ? ev->finding->lpath
                     : ev->kind == PIISCAN_EV_WARNING ? ev->warning->lpath
                                                      : ev->file->lpath;

    if (strncmp(lp, l->prefix, strlen(l->prefix)) != 0)
        return PIISCAN_CONTINUE;
    if (l->exclude && strncmp(lp, l->exclude, strlen(l->exclude)) == 0)
        return PIISCAN_CONTINUE;
    if (ev->kind == PIISCAN_EV_FINDING && ev->finding->category != PIISCAN_CAT_SSN)
        return PIISCAN_CONTINUE;
    assert_true(l->n < 64);
    if (ev->kind == PIISCAN_EV_FILE_BEGIN)
        snprintf(line, 300, "B %u %s %s", ev->file->depth, lp, ev->file->format);
    else if (ev->kind == PIISCAN_EV_FILE_END)
        snprintf(line, 300, "E %s", lp);
    else if (ev->kind == PIISCAN_EV_WARNING)
        snprintf(line, 300, "W %s %d%s: %s", lp, ev->warning->status,
                 ev->warning->is_partial ? " partial" : "", ev->warning->message);
    else
        snprintf(line, 300, "F ssn %s L%llu %s", ev->finding->value,
                 (unsigned long long)ev->finding->line, lp);
    l->n++;
    return PIISCAN_CONTINUE;
}

void evlog_scan_path(const piiscan_rules *rules, const char *path, const char *lpath,
                     struct evlog *l)
{
    piiscan_options o;
    piiscan_scanner *sc = NULL;

    piiscan_options_init(&o);
    assert_int_equal(piiscan_scanner_new(rules, &o, &sc), PIISCAN_OK);
    assert_int_equal(piiscan_scan_path(sc, path, lpath, evlog_on_event, l), PIISCAN_OK);
    piiscan_scanner_free(sc);
}

void evlog_scan_buf(const piiscan_rules *rules, const char *lpath, const char *buf,
                    struct evlog *l)
{
    piiscan_options o;
    piiscan_scanner *sc = NULL;

    piiscan_options_init(&o);
    assert_int_equal(piiscan_scanner_new(rules, &o, &sc), PIISCAN_OK);
    assert_int_equal(piiscan_scan_buffer(sc, lpath, buf, strlen(buf), evlog_on_event, l),
                     PIISCAN_OK);
    piiscan_scanner_free(sc);
}

void evlog_expect(const struct evlog *l, const char *const *want, size_t n)
{
    bool same = l->n == n;

    for (size_t i = 0; same && i < n; i++)
        same = strcmp(l->lines[i], want[i]) == 0;
    for (size_t i = 0; !same && i < l->n; i++)
        printf("# %s\n", l->lines[i]);
    for (size_t i = 0; i < n && i < l->n; i++)
        assert_string_equal(l->lines[i], want[i]);
    assert_int_equal(l->n, n);
}
