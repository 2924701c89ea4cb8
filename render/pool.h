/* pool.h - the render worker: ONE thread that draws the pictures (render.h) off the
 * loop thread. The loop thread builds a job (a deep copy of a plain render input, so
 * the worker shares nothing with it), submits it with a completion, and runs the
 * completions of finished jobs in render_pool_drain after the worker's wake hook told
 * it results are ready (lws_cancel_service in Discord mode, an eventfd in the console,
 * as the REST worker does). The two queues, guarded by one mutex, are the only shared
 * state; completions never run on the worker. The worker loads the fonts once, before
 * its first picture (render_warmup, ~0.1 s on the worker; not at start, so a bot that
 * draws nothing does not hold their memory); without fonts every job
 * fails with that reason. A submitted job belongs to the pool; a finished job's PNG may
 * be taken by its completion (the pool frees whatever is left). */
#ifndef COHORT_RENDER_POOL_H
#define COHORT_RENDER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"
#include "render/render.h"

#define RENDER_POOL_MAX_JOBS 64 /* queued + drawing + finished, not yet drained */

struct render_pool;
struct render_job;

/* Deep copies of the inputs (strings and arrays copied; the argument stays the
 * caller's). NULL on allocation failure. */
struct render_job *render_job_progress(const struct render_progress *p);
struct render_job *render_job_report(const struct render_report *r);
struct render_job *render_job_leaderboard(const struct render_leaderboard *l);
void render_job_free(struct render_job *j); /* NULL is a no-op */

/* What a completion gets (borrowed for the call). rc 0 = png holds the picture (the
 * completion may take png->data and set it to NULL); else BOT_E* with err: the
 * renderer's reason, "no fonts", or "shutting down" for a job the pool never drew. */
struct render_done {
    int rc;
    const char *err;
    struct render_png *png;
    int64_t wait_us; /* submitted -> the worker took it */
    int64_t draw_us; /* drawing + encoding on the worker */
};
typedef void (*render_done_fn)(void *arg, struct render_done *res);

struct render_pool_opts {
    int queue_max;           /* 0 = RENDER_POOL_MAX_JOBS (also the upper bound) */
    void (*wake)(void *arg); /* called on the worker when a job finished; may be NULL */
    void *wake_arg;
};

/* Starts the worker (it warms the fonts up before its first job). NULL on failure. */
struct render_pool *render_pool_new(const struct render_pool_opts *o);
/* Stops the worker after the job it is drawing, then runs every completion not yet
 * run (jobs never drawn get BOT_EIO "shutting down") and frees. NULL is a no-op. */
void render_pool_free(struct render_pool *p);
/* Queues j (ownership passes to the pool) with its completion. 0, or BOT_EFULL when
 * queue_max jobs are queued, drawing or waiting to be drained (the caller keeps j). */
int render_pool_submit(struct render_pool *p, struct render_job *j, render_done_fn done, void *arg);
/* Runs the completions of finished jobs (loop thread). Returns how many. */
int render_pool_drain(struct render_pool *p);
/* Jobs queued, drawing or finished but not drained. */
int render_pool_pending(struct render_pool *p);
/* Counters since the start (for /metrics): jobs drawn, failed (drawing refused or went
 * wrong), refused (queue full), and the worker's drawing time in all. */
struct render_pool_stats {
    uint64_t drawn, failed, refused;
    uint64_t draw_us;
    int pending;
};
void render_pool_get_stats(struct render_pool *p, struct render_pool_stats *out);
/* Blocks until the worker is idle (nothing queued or drawing) or timeout_ms passed;
 * true when idle. For shutdown and benchmarks, never on a live loop. */
bool render_pool_wait_idle(struct render_pool *p, int timeout_ms);
/* The warm-up's result: 0, or BOT_EIO with the reason in err (no fonts). Asks the
 * worker for the warm-up if no job has caused it yet, and blocks until it is done. */
int render_pool_warm_status(struct render_pool *p, char *err, size_t errlen);

#endif
