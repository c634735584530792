/* test_walk.c - the directory walk over a real temporary tree.
 *
 * Tree (under a mkdtemp directory R):
 *   R/a.txt  R/b.csv  R/dir/c.txt  R/dir/skip.log  R/dir/deep/d.txt
 *   R/fifo (mkfifo)  R/loop -> . (symlink)  R/dangling -> nowhere  R/flink -> a.txt
 * Unreadable files: the tests run as root, for whom chmod 000 changes nothing, so
 * the error path is exercised with a dangling symlink (--follow) and with a file
 * removed between the directory read and its stat (deleted by on_file).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk/walk.h"

static char root[256];

struct log {
    char lines[64][512];
    size_t n;
    const char *unlink_on; /* on_file for this suffix deletes unlink_path */
    char unlink_path[512];
    const char *stop_on; /* on_file returns 1 for this suffix */
};

/* Paths are logged relative to root: "F a.txt", "S2 fifo", "E2 dangling" (errno name). */
static void add(struct log *l, char kind, int code, const char *path)
{
    size_t rl = strlen(root);
    const char *rel = strncmp(path, root, rl) == 0 ? path + rl : path;
    if (*rel == '/')
        rel++;
    assert_true(l->n < 64);
    if (code < 0)
        snprintf(l->lines[l->n++], 512, "%c %s", kind, rel);
    else
        snprintf(l->lines[l->n++], 512, "%c%d %s", kind, code, rel);
}

static int on_file(void *ctx, const char *path, const struct stat *st)
{
    struct log *l = ctx;
    assert_true(S_ISREG(st->st_mode));
    add(l, 'F', -1, path);
    if (l->unlink_on != NULL && strstr(path, l->unlink_on) != NULL)
        unlink(l->unlink_path);
    if (l->stop_on != NULL && strstr(path, l->stop_on) != NULL)
        return 1;
    return 0;
}

static void on_error(void *ctx, const char *path, int err, const char *what)
{
    assert_non_null(what);
    add(ctx, 'E', err, path);
}

static void on_skip(void *ctx, const char *path, enum ps_walk_skip why)
{
    add(ctx, 'S', (int)why, path);
}

static void mk(const char *rel, const char *content)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void mkd(const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0700), 0);
}

static void mkl(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
    char p[512];
    (void)state;
    snprintf(root, sizeof(root), "/tmp/piiscan-walk-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    mk("a.txt", "a");
    mk("b.csv", "b");
    mkd("dir");
    mk("dir/c.txt", "c");
    mk("dir/skip.log", "log");
    mkd("dir/deep");
    mk("dir/deep/d.txt", "d");
    snprintf(p, sizeof(p), "%s/fifo", root);
    if (mkfifo(p, 0600) != 0)
        return -1;
    mkl(".", "loop");
    mkl("/nonexistent/piiscan", "dangling");
    mkl("a.txt", "flink");
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void walk(struct log *l, const struct ps_walk_opts *o, piiscan_status want)
{
    struct ps_walk_cb cb = {l, on_file, on_error, on_skip};
    assert_int_equal(ps_walk(root, o, &cb), want);
}

static void expect_log(const struct log *l, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n && i < l->n; i++)
        assert_string_equal(l->lines[i], want[i]);
    assert_int_equal(l->n, n);
}

static void test_default(void **state)
{
    static struct log l;
    static const char *const want[] = {
        "F a.txt",        "F b.csv", "S2 dangling", "F dir/c.txt", "F dir/deep/d.txt",
        "F dir/skip.log", "S0 fifo", "S2 flink",    "S2 loop",
    };
    (void)state;
    memset(&l, 0, sizeof(l));
    walk(&l, NULL, PIISCAN_OK);
    expect_log(&l, want, sizeof(want) / sizeof(want[0]));
}

static void test_follow_loop_and_dangling(void **state)
{
    static struct log l;
    struct ps_walk_opts o = {true, NULL, 0, NULL, 0, 0};
    static const char *const want[] = {
        "F a.txt",        "F b.csv", "E2 dangling", "F dir/c.txt", "F dir/deep/d.txt",
        "F dir/skip.log", "S0 fifo", "F flink",     "S3 loop",
    };
    (void)state;
    memset(&l, 0, sizeof(l));
    walk(&l, &o, PIISCAN_OK);
    expect_log(&l, want, sizeof(want) / sizeof(want[0]));
}

static void test_include_exclude(void **state)
{
    static struct log l;
    static const char *const exc[] = {"*.log", "deep"};
    static const char *const inc[] = {"*.txt"};
    struct ps_walk_opts o = {false, inc, 1, exc, 2, 0};
    static const char *const want[] = {
        "F a.txt",         "S1 b.csv", "S2 dangling", "F dir/c.txt", "S1 dir/deep",
        "S1 dir/skip.log", "S0 fifo",  "S2 flink",    "S2 loop",
    };
    (void)state;
    memset(&l, 0, sizeof(l));
    walk(&l, &o, PIISCAN_OK);
    expect_log(&l, want, sizeof(want) / sizeof(want[0]));
}

static void test_removed_mid_walk(void **state)
{
    static struct log l;
    static const char *const exc[] = {"dir", "fifo", "flink", "loop", "dangling"};
    struct ps_walk_opts o = {false, NULL, 0, exc, 5, 0};
    (void)state;
    memset(&l, 0, sizeof(l));
    /* a.txt's callback removes b.csv after the directory was read */
    l.unlink_on = "/a.txt";
    snprintf(l.unlink_path, sizeof(l.unlink_path), "%s/b.csv", root);
    walk(&l, &o, PIISCAN_OK);
    assert_int_equal(l.n, 7);
    assert_string_equal(l.lines[0], "F a.txt");
    char want[32];
    snprintf(want, sizeof(want), "E%d b.csv", ENOENT);
    assert_string_equal(l.lines[1], want);
    mk("b.csv", "b");
}

static void test_stop_and_depth(void **state)
{
    static struct log l;
    struct ps_walk_opts o = {false, NULL, 0, NULL, 0, 1};
    (void)state;
    memset(&l, 0, sizeof(l));
    l.stop_on = "/b.csv";
    walk(&l, NULL, PIISCAN_EABORTED);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.lines[1], "F b.csv");

    /* max_dir_depth 1: dir/ is walked, dir/deep/ is reported as too deep */
    memset(&l, 0, sizeof(l));
    walk(&l, &o, PIISCAN_OK);
    char want[32];
    snprintf(want, sizeof(want), "E%d dir/deep", ELOOP);
    assert_string_equal(l.lines[4], want);
    assert_string_equal(l.lines[5], "F dir/skip.log");
}

static void test_roots(void **state)
{
    static struct log l;
    struct ps_walk_cb cb = {&l, on_file, on_error, on_skip};
    char p[512];
    (void)state;
    memset(&l, 0, sizeof(l));
    snprintf(p, sizeof(p), "%s/dir/c.txt", root);
    assert_int_equal(ps_walk(p, NULL, &cb), PIISCAN_OK);
    snprintf(p, sizeof(p), "%s/missing", root);
    assert_int_equal(ps_walk(p, NULL, &cb), PIISCAN_OK);
    /* a symlink named as the root is followed (it was named explicitly) */
    snprintf(p, sizeof(p), "%s/flink", root);
    assert_int_equal(ps_walk(p, NULL, &cb), PIISCAN_OK);
    /* a fifo root is skipped without being opened (this would block otherwise) */
    snprintf(p, sizeof(p), "%s/fifo", root);
    assert_int_equal(ps_walk(p, NULL, &cb), PIISCAN_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.lines[0], "F dir/c.txt");
    char want[32];
    snprintf(want, sizeof(want), "E%d missing", ENOENT);
    assert_string_equal(l.lines[1], want);
    assert_string_equal(l.lines[2], "F flink");
    assert_string_equal(l.lines[3], "S0 fifo");
}

/* Files come out in the byte order of their full paths (what sort(1) gives in
 * the C locale), not name by name: "a-b.txt" < "a.txt" < "a/x.txt" < "a0.txt". */
static void test_full_path_order(void **state)
{
    static struct log l;
    static const char *const want[] = {
        "F ord/a b.txt", "F ord/a-b.txt", "F ord/a.txt", "F ord/a/x.txt", "F ord/a/z/y.txt",
        "F ord/a0.txt",
    };
    char sub[512];
    struct ps_walk_cb cb = {&l, on_file, on_error, on_skip};
    (void)state;
    memset(&l, 0, sizeof(l));
    mkd("ord");
    mkd("ord/a");
    mkd("ord/a/z");
    mk("ord/a0.txt", "");
    mk("ord/a/z/y.txt", "");
    mk("ord/a/x.txt", "");
    mk("ord/a.txt", "");
    mk("ord/a-b.txt", "");
    mk("ord/a b.txt", "");
    snprintf(sub, sizeof(sub), "%s/ord", root);
    assert_int_equal(ps_walk(sub, NULL, &cb), PIISCAN_OK);
    expect_log(&l, want, sizeof(want) / sizeof(want[0]));
    for (size_t i = 1; i < l.n; i++)
        assert_true(strcmp(l.lines[i - 1], l.lines[i]) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),         cmocka_unit_test(test_follow_loop_and_dangling),
        cmocka_unit_test(test_include_exclude), cmocka_unit_test(test_removed_mid_walk),
        cmocka_unit_test(test_stop_and_depth),  cmocka_unit_test(test_roots),
        cmocka_unit_test(test_full_path_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
