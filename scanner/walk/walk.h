/* walk/walk.h - paths -> regular files to scan.
 *
 * Recursive, depth-first, directory entries in byte order (strcmp) so a scan is
 * repeatable. Symlinks are not followed unless asked (then with loop detection by
 * device+inode of every directory on the current chain). FIFOs, sockets and devices
 * are reported as skipped and never opened. An unreadable file or directory is a
 * warning; the walk goes on. --include / --exclude globs (fnmatch) are matched
 * against the path as found (and against its basename).
 */
#ifndef PS_WALK_WALK_H
#define PS_WALK_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "piiscan/status.h"

struct ps_walk_opts {
    bool follow_symlinks;
    const char *const *include;   /* files must match one of these (none = all) */
    size_t n_include;
    const char *const *exclude;   /* files or directories matching any are skipped */
    size_t n_exclude;
    unsigned max_dir_depth;       /* directory recursion bound (0 = 4096) */
};

enum ps_walk_skip { PS_SKIP_SPECIAL = 0, PS_SKIP_EXCLUDED, PS_SKIP_SYMLINK, PS_SKIP_LOOP };

struct ps_walk_cb {
    void *ctx;
    /* A regular file to scan. Return 0 to go on, non-zero to stop the walk. */
    int (*on_file)(void *ctx, const char *path, const struct stat *st);
    /* Something that could not be read (errno in err). */
    void (*on_error)(void *ctx, const char *path, int err, const char *what);
    /* Something deliberately not scanned (fifo, socket, device, excluded, symlink, loop). */
    void (*on_skip)(void *ctx, const char *path, enum ps_walk_skip why);
};

/* Walks root (a file or a directory). Returns OK, EABORTED when on_file asked to stop,
 * or ENOMEM. A root that does not exist is reported through on_error. */
piiscan_status ps_walk(const char *root, const struct ps_walk_opts *opts,
                       const struct ps_walk_cb *cb);

#endif
