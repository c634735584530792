/* helpers_recsink.c - the collecting ps_recsink of the format parsers' tests. */
#include "helpers_recsink.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void put(struct collect *c, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(c->out + c->len, sizeof(c->out) - c->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->len += (size_t)n < sizeof(c->out) - c->len ? (size_t)n : sizeof(c->out) - c->len - 1;
}

static piiscan_status on_row(void *ctx, const char *sub, uint64_t line, uint64_t record, size_t n,
                             const char *const *cells, const size_t *lens,
                             const char *const *headers)
{
    struct collect *c = ctx;
    size_t i;

    put(c, "R %llu %llu", (unsigned long long)line, (unsigned long long)record);
    if (sub)
        put(c, " [%s]", sub);
    for (i = 0; i < n; i++) {
        put(c, "%s%s=%.*s", i ? " | " : " ", headers && headers[i] ? headers[i] : "-",
            (int)lens[i], cells[i]);
        if (strlen(cells[i]) != lens[i])
            put(c, "(BADLEN)");
    }
    put(c, "\n");
    c->rows++;
    if (c->abort_after > 0 && c->rows >= c->abort_after)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}

static piiscan_status on_text(void *ctx, const char *sub, uint64_t line, uint64_t record,
                              const char *text, size_t len)
{
    struct collect *c = ctx;

    put(c, "T %llu %llu%s%s%s %.*s\n", (unsigned long long)line, (unsigned long long)record,
        sub ? " [" : "", sub ? sub : "", sub ? "]" : "", (int)len, text);
    return PIISCAN_OK;
}

static void on_warn(void *ctx, piiscan_status st, const char *msg)
{
    struct collect *c = ctx;

    put(c, "W %d %s\n", (int)st, msg);
    snprintf(c->last_warn, sizeof(c->last_warn), "W %d %s", (int)st, msg);
}

void collect_init(struct collect *c, struct ps_recsink *sink)
{
    memset(c, 0, sizeof(*c));
    sink->ctx = c;
    sink->row = on_row;
    sink->text = on_text;
    sink->warn = on_warn;
}
