/* cli/progress.c - the progress line on stderr (see progress.h).
 *
 * Workers only bump two atomic counters and copy the current path under a mutex;
 * the drawing thread reads them every 250 ms. The path comes from the walk (a
 * file name from the dump): it is cleaned of control characters before it reaches
 * the terminal, and only its tail is shown so the line stays within 80 columns.
 */
#include "cli/progress.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/mask.h"
#include "report/text.h"

#define TICK_NS 250000000L
#define LINE_COLS 79u

struct ps_progress {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool is_stopping;         /* guarded by mu */
    bool is_shown;            /* a line is on the terminal; guarded by mu */
    char current[512];        /* guarded by mu */
    atomic_uint_fast64_t files;
    atomic_uint_fast64_t bytes;
    struct timespec t0;
    struct ps_sink inner;     /* the wrapped warnings sink */
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Draws the line (caller holds mu). */
static void draw_locked(struct ps_progress *p)
{
    char line[LINE_COLS + 1];
    char done[32];
    char rate[32];
    char clean[512];
    double s = seconds_since(&p->t0);
    uint64_t bytes = atomic_load(&p->bytes);
    size_t len;
    size_t room;
    int n;

    ps_text_bytes(bytes, done, sizeof done);
    ps_text_bytes(s > 0.1 ? (uint64_t)((double)bytes / s) : 0, rate, sizeof rate);
    n = snprintf(line, sizeof line, "piiscan: %" PRIuFAST64 " files, %s, %s/s  ",
                 atomic_load(&p->files), done, rate);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    len = ps_mask_clean(p->current, strlen(p->current), PS_CLEAN_FIELD, clean, sizeof clean);
    room = LINE_COLS - (size_t)n;
    if (len > room) {
        /* the tail of the path: the file name is what tells where the scan is */
        size_t from = len - room + 3;
        while (from < len && ((unsigned char)clean[from] & 0xC0) == 0x80)
            from++;
        memcpy(line + n, "...", 3);
        memcpy(line + n + 3, clean + from, len - from);
        line[(size_t)n + 3 + (len - from)] = '\0';
    } else {
        memcpy(line + n, clean, len);
        line[(size_t)n + len] = '\0';
    }
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    p->is_shown = true;
}

static void wipe_locked(struct ps_progress *p)
{
    if (!p->is_shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->is_shown = false;
}

static void *progress_main(void *arg)
{
    struct ps_progress *p = arg;
    struct timespec until;

    pthread_mutex_lock(&p->mu);
    draw_locked(p);   /* at once: even a short scan shows it is alive */
    while (!p->is_stopping) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TICK_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &until);
        if (!p->is_stopping)
            draw_locked(p);
    }
    wipe_locked(p);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void ps_progress_start(bool wanted, struct ps_progress **out)
{
    struct ps_progress *p;

    *out = NULL;
    if (!wanted || !isatty(STDERR_FILENO))
        return;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    atomic_init(&p->files, 0);
    atomic_init(&p->bytes, 0);
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    if (pthread_create(&p->tid, NULL, progress_main, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return;
    }
    *out = p;
}

void ps_progress_file_begin(struct ps_progress *p, const char *path)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    snprintf(p->current, sizeof p->current, "%s", path);
    pthread_mutex_unlock(&p->mu);
}

void ps_progress_file_end(struct ps_progress *p, uint64_t bytes)
{
    if (p == NULL)
        return;
    atomic_fetch_add(&p->files, 1);
    atomic_fetch_add(&p->bytes, bytes);
}

static piiscan_status wrapped_begin(void *self, const struct ps_run_info *info)
{
    struct ps_progress *p = self;

    return p->inner.begin != NULL ? p->inner.begin(p->inner.self, info) : PIISCAN_OK;
}

static piiscan_status wrapped_end(void *self, const struct ps_run_end *end)
{
    struct ps_progress *p = self;

    return p->inner.end != NULL ? p->inner.end(p->inner.self, end) : PIISCAN_OK;
}

static piiscan_status wrapped_batch(void *self, const struct ps_batch *b)
{
    struct ps_progress *p = self;
    piiscan_status rc;

    pthread_mutex_lock(&p->mu);
    wipe_locked(p);
    rc = p->inner.batch(p->inner.self, b);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

piiscan_status ps_progress_wrap_sink(struct ps_progress *p, struct ps_sink *sink)
{
    if (p == NULL || sink->batch == NULL)
        return PIISCAN_OK;
    /* The wrapper forwards to the inner sink; the progress object owns the inner
     * sink and frees it in ps_progress_stop, which the run calls after the last
     * batch and before the sinks end (so the summary never shares the line). */
    p->inner = *sink;
    sink->self = p;
    sink->begin = wrapped_begin;
    sink->batch = wrapped_batch;
    sink->end = wrapped_end;
    sink->free = NULL;
    return PIISCAN_OK;
}

void ps_progress_stop(struct ps_progress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->is_stopping = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->tid, NULL);
    ps_sink_free(&p->inner);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
