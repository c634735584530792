/* cli/run.c - the worker pool between the walk and the reports.
 *
 * The main thread walks the paths (walk/walk.h) and numbers every top-level file
 * in walk order (its sequence number). N workers each own one piiscan_scanner;
 * a worker takes the next file, scans it, and collects that file's events (copied:
 * they are borrowed) into a per-file batch (report/store.h). Batches are handed
 * to the report sinks strictly in sequence order through a reorder ring, so the
 * output is byte-identical for -j1 and -j8: walk order (the byte order of full
 * paths), then inside a file logical path, line and offset (ps_batch_finish).
 *
 * Bounded memory: the ring has W = 4 * threads + 16 slots. The walk may not number
 * file s until file s - W has been delivered, so at most W files are queued,
 * being scanned or waiting for an earlier one, whatever the size of the dump.
 *
 * Locking: one mutex guards the ring and the counters; two condition variables
 * wake workers (a file was queued, or the run closed) and the walker (a slot was
 * freed). The sinks run outside the lock, on whichever thread finished the batch
 * that was next in line, one deliverer at a time (is_delivering), so they are
 * single-threaded as report/ expects. Callbacks check an atomic stop flag so a
 * fatal error (out of memory, the report cannot be written) ends the scan soon.
 *
 * The one exception to "sinks only": a long file's record stage may hand complete
 * records to the impact from its worker while the file is next in line and every
 * earlier batch is through the sinks (may_stream); nothing else can touch the
 * impact then, because the next batch to deliver is that file's own.
 *
 * Walk warnings (unreadable directories, skipped fifos) are batches of their own,
 * numbered in walk order like files, so they also reach stderr and the report in
 * a repeatable order.
 */
#include "cli/run.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/impact.h"
#include "cli/progress.h"
#include "piiscan/piiscan.h"
#include "piiscan_config.h"
#include "report/csv.h"
#include "report/mask.h"
#include "report/out.h"
#include "report/store.h"
#include "report/text.h"
#include "walk/walk.h"

#define MAX_SINKS 8u

enum slot_state { SLOT_EMPTY = 0, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

struct slot {
    enum slot_state state;
    char *path;             /* QUEUED/RUNNING: what to scan ("-" = stdin) */
    struct ps_batch *batch; /* DONE: what to report */
};

struct run {
    const struct ps_args *args;
    piiscan_rules *rules;
    piiscan_options opt;
    struct ps_sink sinks[MAX_SINKS];
    size_t nsinks;
    bool keep_findings;
    FILE *out; /* report destination */
    bool owns_out;

    pthread_mutex_t mu;
    pthread_cond_t cv_work;
    pthread_cond_t cv_space;
    struct slot *ring;
    size_t window;
    uint64_t next_seq;    /* next number the walk hands out */
    uint64_t next_take;   /* next queued file a worker takes */
    uint64_t next_emit;   /* next batch the sinks receive */
    uint64_t delivered;   /* batches the sinks are done with (0 .. delivered-1) */
    bool is_closed;       /* the walk is over */
    bool is_delivering;   /* a thread is running the sinks */
    piiscan_status fatal; /* first fatal error; guarded by mu */
    char fatal_msg[256];
    atomic_bool stop;  /* mirror of fatal != OK, read by scan callbacks */
    uint64_t findings; /* findings delivered to the sinks */

    struct ps_batch *walk_pending; /* walk-only warnings not yet numbered (walker only) */
    struct ps_cli_impact *impact;  /* records, people, breach-impact reports */
    struct ps_progress *progress;  /* the progress line, or NULL */
};

struct worker {
    struct run *run;
    piiscan_scanner *sc;
    pthread_t tid;
    bool is_started;
    struct ps_batch *batch; /* the file being scanned */
    uint64_t seq;           /* its sequence number */
    piiscan_status cb_rc;   /* ENOMEM seen in the callback */
};

/* ---- fatal errors ------------------------------------------------------------ */

/* Records the first fatal error (caller holds mu) and tells everyone to stop. */
static void set_fatal_locked(struct run *r, piiscan_status st, const char *what)
{
    if (r->fatal == PIISCAN_OK) {
        r->fatal = st;
        snprintf(r->fatal_msg, sizeof r->fatal_msg, "%s", what);
    }
    atomic_store(&r->stop, true);
    pthread_cond_broadcast(&r->cv_work);
    pthread_cond_broadcast(&r->cv_space);
}

static void set_fatal(struct run *r, piiscan_status st, const char *what)
{
    pthread_mutex_lock(&r->mu);
    set_fatal_locked(r, st, what);
    pthread_mutex_unlock(&r->mu);
}

/* ---- delivery: the reorder ring -> sinks ---------------------------------- */

static piiscan_status run_sinks(struct run *r, const struct ps_batch *b)
{
    for (size_t i = 0; i < r->nsinks; i++) {
        if (r->sinks[i].batch == NULL)
            continue;
        piiscan_status rc = r->sinks[i].batch(r->sinks[i].self, b);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Hands every batch that is next in line to the sinks. Caller holds mu; the lock is
 * dropped while sinks run. Only one thread delivers at a time; the others just
 * leave their batch in the ring for it. */
static void deliver_locked(struct run *r)
{
    if (r->is_delivering)
        return;
    r->is_delivering = true;
    while (r->next_emit < r->next_seq) {
        struct slot *s = &r->ring[r->next_emit % r->window];
        struct ps_batch *b;
        piiscan_status rc = PIISCAN_OK;
        if (s->state != SLOT_DONE)
            break;
        b = s->batch;
        s->batch = NULL;
        s->state = SLOT_EMPTY;
        r->next_emit++;
        pthread_mutex_unlock(&r->mu);
        if (!atomic_load(&r->stop))
            rc = run_sinks(r, b);
        pthread_mutex_lock(&r->mu);
        r->delivered++;
        if (rc == PIISCAN_OK)
            r->findings += ps_batch_counts(b)->findings;
        else
            set_fatal_locked(r, rc,
                             rc == PIISCAN_ENOMEM ? "out of memory" : "cannot write the report");
        ps_batch_free(b);
        pthread_cond_broadcast(&r->cv_space);
    }
    r->is_delivering = false;
}

/* Numbers a finished walk-only batch and queues it as done (caller holds mu and has
 * checked there is room). */
static void put_done_locked(struct run *r, struct ps_batch *b)
{
    struct slot *s = &r->ring[r->next_seq % r->window];

    s->state = SLOT_DONE;
    s->batch = b;
    r->next_seq++;
}

/* Waits until sequence number next_seq fits in the window. Returns false on stop. */
static bool wait_room_locked(struct run *r)
{
    while (!atomic_load(&r->stop) && r->next_seq - r->next_emit >= r->window)
        pthread_cond_wait(&r->cv_space, &r->mu);
    return !atomic_load(&r->stop);
}

/* ---- walk side (main thread) ------------------------------------------------ */

/* Walk warnings and skips gather in walk_pending; it is numbered before the next
 * file so the report keeps walk order. */
static struct ps_batch *walk_batch(struct run *r)
{
    if (r->walk_pending == NULL &&
        ps_batch_new(0, NULL, r->keep_findings, &r->walk_pending) != PIISCAN_OK) {
        set_fatal(r, PIISCAN_ENOMEM, "out of memory");
        return NULL;
    }
    return r->walk_pending;
}

static bool flush_walk_locked(struct run *r)
{
    if (r->walk_pending == NULL)
        return true;
    if (!wait_room_locked(r))
        return false;
    if (ps_batch_finish(r->walk_pending) != PIISCAN_OK) {
        set_fatal_locked(r, PIISCAN_ENOMEM, "out of memory");
        return false;
    }
    put_done_locked(r, r->walk_pending);
    r->walk_pending = NULL;
    deliver_locked(r);
    return true;
}

/* Queues a top-level file for the workers. Returns 0 to go on, 1 to stop the walk. */
static int queue_file(struct run *r, const char *path)
{
    char *copy = strdup(path);
    struct slot *s;
    int stop = 1;

    pthread_mutex_lock(&r->mu);
    if (copy == NULL) {
        set_fatal_locked(r, PIISCAN_ENOMEM, "out of memory");
        goto out;
    }
    if (!flush_walk_locked(r) || !wait_room_locked(r))
        goto out;
    s = &r->ring[r->next_seq % r->window];
    s->state = SLOT_QUEUED;
    s->path = copy;
    copy = NULL;
    r->next_seq++;
    pthread_cond_signal(&r->cv_work);
    stop = 0;
out:
    pthread_mutex_unlock(&r->mu);
    free(copy);
    return stop;
}

static int on_walk_file(void *ctx, const char *path, const struct stat *st)
{
    (void)st;
    return queue_file(ctx, path);
}

static void on_walk_error(void *ctx, const char *path, int err, const char *what)
{
    struct run *r = ctx;
    struct ps_batch *b = walk_batch(r);
    char msg[300];
    char ebuf[128] = "";

    if (b == NULL)
        return;
    if (err != 0 && strerror_r(err, ebuf, sizeof ebuf) != 0)
        snprintf(ebuf, sizeof ebuf, "error %d", err);
    snprintf(msg, sizeof msg, "%s%s%s", what != NULL ? what : "cannot read",
             ebuf[0] != '\0' ? ": " : "", ebuf);
    if (ps_batch_add_warning(b, path, PIISCAN_EIO, false, msg) != PIISCAN_OK)
        set_fatal(r, PIISCAN_ENOMEM, "out of memory");
}

/* What kind of special file path is (it is lstat'ed, never opened). */
static const char *special_kind(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return "special file";
    if (S_ISFIFO(st.st_mode))
        return "fifo";
    if (S_ISSOCK(st.st_mode))
        return "socket";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return "device";
    return "special file";
}

static void on_walk_skip(void *ctx, const char *path, enum ps_walk_skip why)
{
    struct run *r = ctx;
    struct ps_batch *b = walk_batch(r);
    char msg[128];

    if (b == NULL)
        return;
    switch (why) {
    case PS_SKIP_SPECIAL:
        snprintf(msg, sizeof msg, "skipped: %s, not opened", special_kind(path));
        break;
    case PS_SKIP_LOOP:
        snprintf(msg, sizeof msg, "skipped: symlink loop");
        break;
    default:
        /* Excluded paths and unfollowed symlinks were asked for: counted, not warned. */
        ps_batch_count_walk_skip(b);
        return;
    }
    if (ps_batch_add_warning(b, path, PIISCAN_EUNSUPPORTED, false, msg) != PIISCAN_OK)
        set_fatal(r, PIISCAN_ENOMEM, "out of memory");
}

static void walk_all(struct run *r)
{
    const struct ps_args *a = r->args;
    struct ps_walk_opts wo;
    struct ps_walk_cb cb = {r, on_walk_file, on_walk_error, on_walk_skip};

    memset(&wo, 0, sizeof wo);
    wo.follow_symlinks = a->follow;
    wo.include = a->include;
    wo.n_include = a->n_include;
    wo.exclude = a->exclude;
    wo.n_exclude = a->n_exclude;
    for (size_t i = 0; i < a->npaths && !atomic_load(&r->stop); i++) {
        if (strcmp(a->paths[i], "-") == 0) {
            queue_file(r, "-");
            continue;
        }
        if (ps_walk(a->paths[i], &wo, &cb) == PIISCAN_ENOMEM)
            set_fatal(r, PIISCAN_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&r->mu);
    flush_walk_locked(r);
    r->is_closed = true;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
}

/* ---- workers ------------------------------------------------------------------ */

static int on_event(const piiscan_event *ev, void *user)
{
    struct worker *w = user;

    if (atomic_load(&w->run->stop))
        return PIISCAN_ABORT;
    if (ps_batch_add_event(w->batch, ev) != PIISCAN_OK) {
        w->cb_rc = PIISCAN_ENOMEM;
        return PIISCAN_ABORT;
    }
    return PIISCAN_CONTINUE;
}

/* Scans one top-level file into w->batch. Returns OK or a fatal status. */
static piiscan_status scan_one(struct worker *w, const char *path)
{
    piiscan_status rc;

    w->cb_rc = PIISCAN_OK;
    if (strcmp(path, "-") == 0)
        rc = piiscan_scan_fd(w->sc, 0, "-", on_event, w);
    else
        rc = piiscan_scan_path(w->sc, path, path, on_event, w);
    if (w->cb_rc != PIISCAN_OK)
        return w->cb_rc;
    switch (rc) {
    case PIISCAN_OK:
    case PIISCAN_EABORTED: /* stop was requested; the run reports the reason */
        return PIISCAN_OK;
    case PIISCAN_ENOMEM:
        return PIISCAN_ENOMEM;
    default:
        /* Anything else is about this file only: a warning, the scan goes on. */
        return ps_batch_add_warning(w->batch, path, (int)rc, false, piiscan_strerror(rc));
    }
}

/* Whether w's file is next in report order with every earlier batch through the
 * sinks: until w's batch is done no other batch can be delivered, so the record
 * stage may then feed the impact from w's thread (ps_collect_set_stream). */
static bool may_stream(void *ctx)
{
    struct worker *w = ctx;
    struct run *r = w->run;
    bool ok;

    pthread_mutex_lock(&r->mu);
    ok = !atomic_load(&r->stop) && r->delivered == w->seq;
    pthread_mutex_unlock(&r->mu);
    return ok;
}

/* Takes the next queued file (caller holds mu). NULL when the run is over. */
static struct slot *take_locked(struct run *r)
{
    for (;;) {
        if (atomic_load(&r->stop))
            return NULL;
        /* Walk-only batches are delivered without a worker: everything before
         * next_emit is gone, and its slots may already hold later files. */
        if (r->next_take < r->next_emit)
            r->next_take = r->next_emit;
        while (r->next_take < r->next_seq && r->ring[r->next_take % r->window].state != SLOT_QUEUED)
            r->next_take++;
        if (r->next_take < r->next_seq)
            break;
        if (r->is_closed)
            return NULL;
        pthread_cond_wait(&r->cv_work, &r->mu);
    }
    r->next_take++;
    return &r->ring[(r->next_take - 1) % r->window];
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->run;

    pthread_mutex_lock(&r->mu);
    for (;;) {
        struct slot *s = take_locked(r);
        uint64_t seq;
        piiscan_status rc;
        if (s == NULL)
            break;
        seq = r->next_take - 1;
        s->state = SLOT_RUNNING;
        pthread_mutex_unlock(&r->mu);
        rc = ps_batch_new(seq, s->path, r->keep_findings, &w->batch);
        if (rc == PIISCAN_OK) {
            /* the record stage groups this file's findings as they arrive */
            struct ps_collect *c = NULL;
            rc = ps_cli_impact_collector(r->impact, &c);
            if (rc == PIISCAN_OK) {
                w->seq = seq;
                ps_cli_impact_stream(r->impact, c, may_stream, w);
                ps_batch_set_collect(w->batch, c);
            }
        }
        ps_progress_file_begin(r->progress, s->path);
        if (rc == PIISCAN_OK)
            rc = scan_one(w, s->path);
        if (rc == PIISCAN_OK)
            rc = ps_batch_finish(w->batch);
        if (w->batch != NULL)
            ps_progress_file_end(r->progress, ps_batch_counts(w->batch)->bytes_read);
        pthread_mutex_lock(&r->mu);
        free(s->path);
        s->path = NULL;
        s->batch = w->batch;
        s->state = SLOT_DONE;
        w->batch = NULL;
        if (rc != PIISCAN_OK)
            set_fatal_locked(r, rc, "out of memory");
        deliver_locked(r);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- setup -------------------------------------------------------------------- */

const char *ps_run_rules_dir(const struct ps_args *a)
{
    struct stat st;

    if (a->rules_dir != NULL)
        return a->rules_dir;
    if (stat(PIISCAN_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
        return PIISCAN_RULES_DIR;
    return PIISCAN_SOURCE_RULES_DIR;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return n > (long)PS_ARGS_MAX_THREADS ? PS_ARGS_MAX_THREADS : (unsigned)n;
}

/* Loads the rules; prints the diag line and returns false when they are bad. */
static bool load_rules(struct run *r)
{
    const char *dir = ps_run_rules_dir(r->args);
    piiscan_diag diag;
    char line[1400];
    piiscan_status rc;

    memset(&diag, 0, sizeof diag);
    rc = piiscan_rules_load(dir, &r->rules, &diag);
    if (rc == PIISCAN_OK)
        return true;
    if (rc == PIISCAN_ERULES || diag.message[0] != '\0')
        ps_out_error(piiscan_diag_format(&diag, line, sizeof line), NULL);
    else
        ps_out_error(dir, piiscan_strerror(rc));
    return false;
}

static int list_rules(const piiscan_rules *rules)
{
    size_t n = piiscan_rules_count(rules);

    printf("%-28s %-16s %-5s %-10s %s\n", "RULE", "CATEGORY", "CONF", "VALIDATOR", "DESCRIPTION");
    for (size_t i = 0; i < n; i++) {
        piiscan_rule_info ri;
        const char *cat;
        if (piiscan_rules_get(rules, i, &ri) != PIISCAN_OK)
            continue;
        cat = piiscan_category_name(ri.category);
        printf("%-28s %-16s %5.2f %-10s ", ri.id != NULL ? ri.id : "", cat != NULL ? cat : "?",
               ri.confidence, ri.validator != NULL && ri.validator[0] != '\0' ? ri.validator : "-");
        ps_out_clean(stdout, ri.description != NULL ? ri.description : "");
        putchar('\n');
    }
    return fflush(stdout) == 0 ? PS_EXIT_CLEAN : PS_EXIT_FATAL;
}

/* Every PATH on the command line must exist: a typo must not pass for a clean scan
 * (exit 0). What the walk finds unreadable later is a warning, as DESIGN.md says. */
static bool check_paths(const struct ps_args *a)
{
    bool is_ok = true;

    for (size_t i = 0; i < a->npaths; i++) {
        struct stat st;
        if (strcmp(a->paths[i], "-") == 0 || lstat(a->paths[i], &st) == 0)
            continue;
        ps_out_error(a->paths[i], strerror(errno));
        is_ok = false;
    }
    return is_ok;
}

static void options_from_args(const struct ps_args *a, piiscan_options *opt)
{
    piiscan_options_init(opt);
    if (a->has_max_depth)
        opt->max_depth = a->max_depth;
    if (a->has_max_expand)
        opt->max_member_bytes = a->max_expand;
    if (a->has_min_confidence)
        opt->min_confidence = a->min_confidence;
    opt->scan_binary = a->scan_binary;
}

/* Opens the report destination and builds the sinks. Prints and returns false on
 * failure. */
static bool open_sinks(struct run *r)
{
    const struct ps_args *a = r->args;
    piiscan_status rc = PIISCAN_OK;

    r->out = stdout;
    if (a->output != NULL) {
        if (ps_out_open(a->output, &r->out) != PIISCAN_OK) {
            ps_out_open_failed(a->output);
            r->out = NULL;
            return false;
        }
        r->owns_out = true;
    }
    if (!a->quiet)
        rc = ps_out_warnings_sink(stderr, &r->sinks[r->nsinks++]);
    /* before the text sink, so that the headline leads the text summary */
    if (rc == PIISCAN_OK)
        rc = ps_cli_impact_sinks(r->impact, a, r->out, r->sinks, &r->nsinks, MAX_SINKS,
                                 &r->keep_findings);
    if (rc == PIISCAN_EIO)
        return false; /* the report directory: already said why */
    if (rc == PIISCAN_OK && a->format == PS_FMT_CSV) {
        r->keep_findings = true;
        rc = ps_csv_sink(r->out, a->reveal, &r->sinks[r->nsinks++]);
    } else if (rc == PIISCAN_OK && a->format == PS_FMT_TEXT) {
        rc = ps_text_sink(r->out, &r->sinks[r->nsinks++]);
    }
    if (rc != PIISCAN_OK) {
        ps_out_error("out of memory", NULL);
        return false;
    }
    return true;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* begin on every sink; fatal on the first failure. */
static void sinks_begin(struct run *r, unsigned threads)
{
    struct ps_run_info info;

    memset(&info, 0, sizeof info);
    info.version = PIISCAN_VERSION;
    info.paths = (const char *const *)r->args->paths;
    info.npaths = r->args->npaths;
    info.threads = threads;
    info.nrules = piiscan_rules_count(r->rules);
    info.rules_dir = ps_run_rules_dir(r->args);
    info.reveal = r->args->reveal;
    for (size_t i = 0; i < r->nsinks; i++) {
        if (r->sinks[i].begin != NULL && r->sinks[i].begin(r->sinks[i].self, &info) != PIISCAN_OK) {
            set_fatal(r, PIISCAN_EIO, "cannot write the report");
            return;
        }
    }
}

static void sinks_end(struct run *r, double elapsed)
{
    struct ps_run_end end = {elapsed, atomic_load(&r->stop)};

    for (size_t i = 0; i < r->nsinks; i++) {
        if (r->sinks[i].end != NULL && r->sinks[i].end(r->sinks[i].self, &end) != PIISCAN_OK)
            set_fatal(r, PIISCAN_EIO, "cannot write the report");
    }
}

/* Starts the workers, walks, joins. */
static void scan_all(struct run *r, struct worker *ws, unsigned threads)
{
    for (unsigned i = 0; i < threads; i++) {
        ws[i].run = r;
        if (piiscan_scanner_new(r->rules, &r->opt, &ws[i].sc) != PIISCAN_OK) {
            set_fatal(r, PIISCAN_ENOMEM, "cannot create a scanner");
            break;
        }
        if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0) {
            set_fatal(r, PIISCAN_ENOMEM, "cannot start a worker thread");
            break;
        }
        ws[i].is_started = true;
    }
    if (!atomic_load(&r->stop))
        walk_all(r);
    pthread_mutex_lock(&r->mu);
    r->is_closed = true;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    for (unsigned i = 0; i < threads; i++) {
        if (ws[i].is_started)
            pthread_join(ws[i].tid, NULL);
    }
    pthread_mutex_lock(&r->mu);
    deliver_locked(r);
    pthread_mutex_unlock(&r->mu);
}

static void run_free(struct run *r, struct worker *ws, unsigned threads)
{
    for (unsigned i = 0; ws != NULL && i < threads; i++) {
        piiscan_scanner_free(ws[i].sc);
        ps_batch_free(ws[i].batch);
    }
    for (size_t i = 0; r->ring != NULL && i < r->window; i++) {
        free(r->ring[i].path);
        ps_batch_free(r->ring[i].batch);
    }
    ps_batch_free(r->walk_pending);
    for (size_t i = 0; i < r->nsinks; i++)
        ps_sink_free(&r->sinks[i]);
    free(r->ring);
    ps_cli_impact_free(r->impact);
    piiscan_rules_free(r->rules);
    pthread_cond_destroy(&r->cv_space);
    pthread_cond_destroy(&r->cv_work);
    pthread_mutex_destroy(&r->mu);
}

int ps_run(const struct ps_args *a)
{
    struct run r;
    struct worker *ws = NULL;
    unsigned threads = a->threads != 0 ? a->threads : default_threads();
    int status = PS_EXIT_FATAL;
    double t0 = now_s();

    memset(&r, 0, sizeof r);
    r.args = a;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv_work, NULL);
    pthread_cond_init(&r.cv_space, NULL);
    atomic_init(&r.stop, false);
    if (!a->list_rules && !check_paths(a))
        goto out;
    if (!load_rules(&r))
        goto out;
    if (a->list_rules) {
        status = list_rules(r.rules);
        goto out;
    }
    if (!ps_cli_impact_open(a, ps_run_rules_dir(a), piiscan_rules_digest(r.rules), &r.impact))
        goto out;
    options_from_args(a, &r.opt);
    r.window = 4u * threads + 16u;
    r.ring = calloc(r.window, sizeof *r.ring);
    ws = calloc(threads, sizeof *ws);
    if (r.ring == NULL || ws == NULL) {
        ps_out_error("out of memory", NULL);
        goto out;
    }
    if (!open_sinks(&r))
        goto out;
    ps_progress_start(!a->no_progress, &r.progress);
    if (r.progress != NULL && !a->quiet)
        ps_progress_wrap_sink(r.progress, &r.sinks[0]);   /* the warnings sink */
    sinks_begin(&r, threads);
    if (!atomic_load(&r.stop))
        scan_all(&r, ws, threads);
    /* the line goes before the summary is written (stdout may be the same terminal) */
    ps_progress_stop(r.progress);
    r.progress = NULL;
    sinks_end(&r, now_s() - t0);
    if (ps_cli_impact_close(r.impact) != PIISCAN_OK)
        set_fatal(&r, PIISCAN_EIO, "cannot write the report");
    if (r.owns_out && fclose(r.out) != 0)
        set_fatal(&r, PIISCAN_EIO, "cannot write the report");
    r.owns_out = false;
    if (r.fatal != PIISCAN_OK) {
        ps_out_error(r.fatal_msg, r.fatal == PIISCAN_EIO && a->output != NULL ? a->output : NULL);
        goto out;
    }
    /* findings reported (new since --baseline; at or above --fail-on) */
    status = ps_cli_impact_exit(r.impact, a);
out:
    ps_progress_stop(r.progress);
    if (r.owns_out)
        fclose(r.out);
    run_free(&r, ws, threads);
    free(ws);
    return status;
}
