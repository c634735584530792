/* walk/walk.c - paths -> regular files, depth first, in a repeatable order.
 *
 * A directory is opened relative to its parent's descriptor (openat with
 * O_DIRECTORY, and O_NOFOLLOW unless symlinks are followed), its names are read
 * whole and sorted with strcmp - a directory's name as if it ended in '/', so
 * the files come out in the byte order of their full paths ("a-b.txt" before
 * "a/x.txt", as sort(1) in the C locale has them) - and each is classified with
 * fstatat(AT_SYMLINK_NOFOLLOW)
 * before anything is opened: FIFOs, sockets and devices are reported and never
 * opened (opening a FIFO would block, a device could be a tape). Symlinks are
 * skipped unless follow_symlinks; when followed, a directory whose device+inode is
 * already on the chain from the root is a loop and is skipped. The root itself is
 * followed when it is a symlink (it was named explicitly, as find -H does).
 * Recursion depth is bounded by max_dir_depth; each level holds one descriptor
 * and its sorted names. Excludes prune directories and files; includes only
 * filter files. Globs match the path as found or its basename (fnmatch, no flags).
 */
#include "walk/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PS_WALK_DEFAULT_DEPTH 4096u
#define PS_WALK_MAX_NAMES (16u * 1024u * 1024u) /* entries read from one directory */

struct chain {
    dev_t dev;
    ino_t ino;
    const struct chain *up;
};

struct walker {
    const struct ps_walk_opts *o;
    const struct ps_walk_cb *cb;
    unsigned max_depth;
};

static void report_error(struct walker *w, const char *path, int err, const char *what)
{
    if (w->cb->on_error != NULL)
        w->cb->on_error(w->cb->ctx, path, err, what);
}

static void report_skip(struct walker *w, const char *path, enum ps_walk_skip why)
{
    if (w->cb->on_skip != NULL)
        w->cb->on_skip(w->cb->ctx, path, why);
}

static bool glob_any(const char *const *globs, size_t n, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base != NULL && base[1] != '\0' ? base + 1 : path;
    for (size_t i = 0; i < n; i++) {
        if (fnmatch(globs[i], path, 0) == 0 || fnmatch(globs[i], base, 0) == 0)
            return true;
    }
    return false;
}

static bool is_excluded(struct walker *w, const char *path)
{
    return w->o != NULL && glob_any(w->o->exclude, w->o->n_exclude, path);
}

static bool is_included(struct walker *w, const char *path)
{
    if (w->o == NULL || w->o->n_include == 0)
        return true;
    return glob_any(w->o->include, w->o->n_include, path);
}

static bool on_chain(const struct chain *c, const struct stat *st)
{
    for (; c != NULL; c = c->up) {
        if (c->dev == st->st_dev && c->ino == st->st_ino)
            return true;
    }
    return false;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether entry de of the directory open as dfd is (or, followed, leads to) a
 * directory; d_type answers without a system call on most file systems. */
static bool is_dir_entry(int dfd, const struct dirent *de, bool follow)
{
    struct stat st;

    if (de->d_type == DT_DIR)
        return true;
    if (de->d_type != DT_UNKNOWN && !(de->d_type == DT_LNK && follow))
        return false;
    return fstatat(dfd, de->d_name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISDIR(st.st_mode);
}

/* A copy of name, with a '/' after it for a directory (the sort key). */
static char *sort_key(const char *name, bool is_dir)
{
    size_t n = strlen(name);
    char *k = malloc(n + 2);

    if (k == NULL)
        return NULL;
    memcpy(k, name, n);
    k[n] = '/';
    k[n + is_dir] = '\0';
    return k;
}

/* Reads and sorts the names of dir (closing it; dfd is the same directory). *out
 * is malloc'd, as each name. */
static piiscan_status read_names(DIR *dir, int dfd, bool follow, char ***out, size_t *count)
{
    char **v = NULL;
    size_t n = 0;
    size_t cap = 0;
    struct dirent *de = NULL;

    *out = NULL;
    *count = 0;
    /* readdir ends the directory; the name count is bounded as well */
    while (n < PS_WALK_MAX_NAMES) {
        de = readdir(dir);
        if (de == NULL)
            break;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 64;
            char **nv = realloc(v, ncap * sizeof(*v));
            if (nv == NULL)
                goto nomem;
            v = nv;
            cap = ncap;
        }
        v[n] = sort_key(de->d_name, is_dir_entry(dfd, de, follow));
        if (v[n] == NULL)
            goto nomem;
        n++;
    }
    closedir(dir);
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]);
        if (len > 0 && v[i][len - 1] == '/')
            v[i][len - 1] = '\0'; /* back to the name */
    }
    *out = v;
    *count = n;
    return PIISCAN_OK;
nomem:
    closedir(dir);
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return PIISCAN_ENOMEM;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    size_t nl = strlen(name);
    bool has_slash = dl > 0 && dir[dl - 1] == '/';
    char *p = malloc(dl + 1 + nl + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, dir, dl);
    if (!has_slash)
        p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

static piiscan_status walk_dir(struct walker *w, int dfd, const char *path, unsigned depth,
                               const struct chain *up);

/* One entry of a directory: classify, then file / recurse / skip. */
static piiscan_status walk_entry(struct walker *w, int dfd, const char *name, const char *path,
                                 unsigned depth, const struct chain *up)
{
    struct stat st;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        report_error(w, path, errno, "cannot stat");
        return PIISCAN_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (w->o == NULL || !w->o->follow_symlinks) {
            report_skip(w, path, PS_SKIP_SYMLINK);
            return PIISCAN_OK;
        }
        if (fstatat(dfd, name, &st, 0) != 0) {
            report_error(w, path, errno, "cannot follow symlink");
            return PIISCAN_OK;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        if (is_excluded(w, path)) {
            report_skip(w, path, PS_SKIP_EXCLUDED);
            return PIISCAN_OK;
        }
        if (on_chain(up, &st)) {
            report_skip(w, path, PS_SKIP_LOOP);
            return PIISCAN_OK;
        }
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
        if (w->o == NULL || !w->o->follow_symlinks)
            flags |= O_NOFOLLOW;
        int fd = openat(dfd, name, flags);
        if (fd < 0) {
            report_error(w, path, errno, "cannot open directory");
            return PIISCAN_OK;
        }
        struct chain me = {st.st_dev, st.st_ino, up};
        return walk_dir(w, fd, path, depth + 1, &me);
    }
    if (!S_ISREG(st.st_mode)) {
        report_skip(w, path, PS_SKIP_SPECIAL);
        return PIISCAN_OK;
    }
    if (is_excluded(w, path) || !is_included(w, path)) {
        report_skip(w, path, PS_SKIP_EXCLUDED);
        return PIISCAN_OK;
    }
    if (w->cb->on_file != NULL && w->cb->on_file(w->cb->ctx, path, &st) != 0)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}

/* Walks the open directory fd (closed here) found at path. */
static piiscan_status walk_dir(struct walker *w, int fd, const char *path, unsigned depth,
                               const struct chain *up)
{
    piiscan_status rc = PIISCAN_OK;
    char **names = NULL;
    size_t n = 0;
    int dup_fd = -1;
    DIR *dir = NULL;

    if (depth > w->max_depth) {
        close(fd);
        report_error(w, path, ELOOP, "directory nesting too deep");
        return PIISCAN_OK;
    }
    /* fdopendir takes over one descriptor; keep another for fstatat/openat */
    dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dup_fd < 0) {
        report_error(w, path, errno, "cannot open directory");
        close(fd);
        return PIISCAN_OK;
    }
    dir = fdopendir(dup_fd);
    if (dir == NULL) {
        report_error(w, path, errno, "cannot read directory");
        close(dup_fd);
        close(fd);
        return PIISCAN_OK;
    }
    rc = read_names(dir, fd, w->o != NULL && w->o->follow_symlinks, &names, &n);
    if (rc != PIISCAN_OK)
        goto out;
    for (size_t i = 0; i < n && rc == PIISCAN_OK; i++) {
        char *child = join(path, names[i]);
        if (child == NULL) {
            rc = PIISCAN_ENOMEM;
            break;
        }
        rc = walk_entry(w, fd, names[i], child, depth, up);
        free(child);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    close(fd);
    return rc;
}

piiscan_status ps_walk(const char *root, const struct ps_walk_opts *opts,
                       const struct ps_walk_cb *cb)
{
    struct walker w = {opts, cb, PS_WALK_DEFAULT_DEPTH};
    struct stat st;

    if (opts != NULL && opts->max_dir_depth != 0)
        w.max_depth = opts->max_dir_depth;
    if (stat(root, &st) != 0) {
        report_error(&w, root, errno, "cannot stat");
        return PIISCAN_OK;
    }
    if (S_ISDIR(st.st_mode)) {
        int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            report_error(&w, root, errno, "cannot open directory");
            return PIISCAN_OK;
        }
        struct chain me = {st.st_dev, st.st_ino, NULL};
        return walk_dir(&w, fd, root, 0, &me);
    }
    if (!S_ISREG(st.st_mode)) {
        report_skip(&w, root, PS_SKIP_SPECIAL);
        return PIISCAN_OK;
    }
    if (is_excluded(&w, root) || !is_included(&w, root)) {
        report_skip(&w, root, PS_SKIP_EXCLUDED);
        return PIISCAN_OK;
    }
    if (cb->on_file != NULL && cb->on_file(cb->ctx, root, &st) != 0)
        return PIISCAN_EABORTED;
    return PIISCAN_OK;
}
