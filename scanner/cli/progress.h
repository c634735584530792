/* cli/progress.h - the progress line on stderr.
 *
 * When stderr is a terminal (and --no-progress is not given) a thread redraws one
 * line four times a second: files and bytes done, the rate, and the file being
 * scanned. It never appears in pipes or files. Warnings printed meanwhile go
 * through ps_progress_wrap_sink, which wipes the line first, so the two never
 * share a line. Every function accepts NULL (progress off) and then does nothing.
 */
#ifndef PS_CLI_PROGRESS_H
#define PS_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "report/out.h"

struct ps_progress;

/* Starts the line when wanted and stderr is a terminal; *out is NULL otherwise
 * (and on failure: progress is a convenience, never a reason to stop). */
void ps_progress_start(bool wanted, struct ps_progress **out);
/* A worker starts on path / finished a top-level file of `bytes` bytes. */
void ps_progress_file_begin(struct ps_progress *p, const char *path);
void ps_progress_file_end(struct ps_progress *p, uint64_t bytes);
/* Makes *sink wipe the progress line before each batch it prints. */
piiscan_status ps_progress_wrap_sink(struct ps_progress *p, struct ps_sink *sink);
/* Stops the thread and wipes the line. */
void ps_progress_stop(struct ps_progress *p);

#endif
