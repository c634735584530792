/* report/out.h - report sinks and the report output file.
 *
 * A sink consumes the ordered stream of a run: begin, then one call per batch
 * (report/store.h) strictly in walk order, then end. Sinks run on one thread, one
 * at a time; they never see a batch before all earlier batches. Every writer
 * (text summary, findings CSV, the stderr warning printer; JSON, people and record
 * writers later) is one sink; the CLI calls them in a row for each batch.
 *
 * A sink method returns OK, or a fatal status (EIO when its output failed, ENOMEM)
 * that ends the run with exit status 2.
 */
#ifndef PS_REPORT_OUT_H
#define PS_REPORT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "piiscan/status.h"
#include "report/store.h"

/* What a sink may want to say about the run as a whole. */
struct ps_run_info {
    const char *version;
    const char *const *paths; /* as given on the command line */
    size_t npaths;
    unsigned threads;
    size_t nrules;
    const char *rules_dir;
    bool reveal;
};

struct ps_run_end {
    double elapsed_s; /* wall clock of the scan */
    bool is_aborted;  /* stopped early by a fatal error */
};

struct ps_sink {
    void *self;
    piiscan_status (*begin)(void *self, const struct ps_run_info *info);
    piiscan_status (*batch)(void *self, const struct ps_batch *b);
    piiscan_status (*end)(void *self, const struct ps_run_end *end);
    void (*free)(void *self);
};

/* Calls sink->free(sink->self) when set; then clears the sink. NULL is a no-op. */
void ps_sink_free(struct ps_sink *sink);

/* Opens path for a report: open(O_CREAT|O_TRUNC|O_WRONLY|O_NOFOLLOW|O_CLOEXEC, 0600),
 * then fchmod 0600 when it is a regular file (it may have existed with another mode).
 * A symlink is refused. On failure returns EIO with errno kept and *out = NULL. */
piiscan_status ps_out_open(const char *path, FILE **out);

/* A sink printing every warning of a batch to err as
 * "piiscan: warning: <lpath>: <message>" (cleaned of control characters), plus
 * "piiscan: warning: <path>: N more warnings not shown" when a batch dropped some. */
piiscan_status ps_out_warnings_sink(FILE *err, struct ps_sink *out);

/* Writes s cleaned of control characters (report/mask.h, PS_CLEAN_FIELD) to f.
 * Returns false when the write failed. */
bool ps_out_clean(FILE *f, const char *s);

/* Prints "piiscan: <what>[: <detail>]" on stderr, both cleaned with ps_out_clean: the
 * form of every fatal or usage message of the command line. */
void ps_out_error(const char *what, const char *detail);
/* After ps_out_open failed (errno set): the error for path, saying "is a symbolic
 * link; refusing to write a report through it" where O_NOFOLLOW gave ELOOP. */
void ps_out_open_failed(const char *path);

#endif
