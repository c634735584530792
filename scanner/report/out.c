/* report/out.c - the report output file, sink helpers and the warning printer.
 *
 * Reports hold PII, so a report file is created with mode 0600 and, when it
 * existed before with a wider mode, narrowed to 0600 before anything is written.
 * O_NOFOLLOW refuses a symlink planted where the report goes.
 *
 * The warning printer is a sink like the report writers, so warnings reach stderr
 * in walk order whatever the number of threads, each cleaned of control characters
 * (member names and messages come from the dump).
 */
#include "report/out.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/mask.h"

#define CLEAN_STACK 512u

void ps_sink_free(struct ps_sink *sink)
{
    if (sink == NULL)
        return;
    if (sink->free != NULL)
        sink->free(sink->self);
    memset(sink, 0, sizeof *sink);
}

piiscan_status ps_out_open(const char *path, FILE **out)
{
    struct stat st;
    int fd;
    int saved;

    *out = NULL;
    fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return PIISCAN_EIO;
    /* Only a regular file gets its mode changed: -o /dev/null must not chmod the device. */
    if (fstat(fd, &st) != 0 || (S_ISREG(st.st_mode) && fchmod(fd, 0600) != 0))
        goto fail;
    *out = fdopen(fd, "w");
    if (*out == NULL)
        goto fail;
    return PIISCAN_OK;
fail:
    saved = errno;
    close(fd);
    errno = saved;
    return PIISCAN_EIO;
}

bool ps_out_clean(FILE *f, const char *s)
{
    char stack[CLEAN_STACK];
    char *buf = stack;
    size_t n = s != NULL ? strlen(s) : 0;
    size_t len;
    bool is_ok;

    if (n + 1 > sizeof stack) {
        buf = malloc(n + 1);
        if (buf == NULL)
            return false;
    }
    len = ps_mask_clean(s, n, PS_CLEAN_FIELD, buf, n + 1);
    is_ok = fwrite(buf, 1, len, f) == len;
    if (buf != stack)
        free(buf);
    return is_ok;
}

void ps_out_error(const char *what, const char *detail)
{
    fputs("piiscan: ", stderr);
    ps_out_clean(stderr, what);
    if (detail != NULL && detail[0] != '\0') {
        fputs(": ", stderr);
        ps_out_clean(stderr, detail);
    }
    fputc('\n', stderr);
}

void ps_out_open_failed(const char *path)
{
    /* O_NOFOLLOW reports a symlink as ELOOP: say what actually happened */
    ps_out_error(path, errno == ELOOP ? "is a symbolic link; refusing to write a report "
                                        "through it"
                                      : strerror(errno));
}

static piiscan_status warnings_batch(void *self, const struct ps_batch *b)
{
    FILE *err = self;
    size_t n;
    const struct ps_rwarning *w = ps_batch_warnings(b, &n);
    uint64_t all = ps_batch_counts(b)->warnings;

    /* stderr failing is not worth ending a scan over: the report still goes out. */
    for (size_t i = 0; i < n; i++) {
        fputs("piiscan: warning: ", err);
        ps_out_clean(err, w[i].lpath);
        fputs(": ", err);
        ps_out_clean(err, w[i].message);
        fputc('\n', err);
    }
    if (all > n) {
        fputs("piiscan: warning: ", err);
        ps_out_clean(err, ps_batch_path(b) != NULL ? ps_batch_path(b) : "walk");
        fprintf(err, ": %" PRIu64 " more warnings not shown\n", all - n);
    }
    return PIISCAN_OK;
}

piiscan_status ps_out_warnings_sink(FILE *err, struct ps_sink *out)
{
    memset(out, 0, sizeof *out);
    out->self = err;
    out->batch = warnings_batch;
    return PIISCAN_OK;
}
