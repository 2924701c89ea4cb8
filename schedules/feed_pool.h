/* feed_pool.h - worker threads that fetch and parse calendar feeds off the loop
 * thread, fairly across guilds: at most one job per guild runs at a time, so one
 * guild's slow or huge feeds never hold every worker. The loop thread submits jobs
 * and takes finished ones; the workers run feed_fetch and cal_parse only (libical
 * guards its zone cache with its own mutexes). A submitted job belongs to the pool
 * until feed_pool_take hands it back; the caller then frees it (feed_job_free). */
#ifndef COHORT_FEED_POOL_H
#define COHORT_FEED_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"
#include "schedules/feed.h"

struct cal_feed;
struct feed_pool;

#define FEED_POOL_MAX_JOBS 256

struct feed_job {
    int64_t id;
    char guild[24]; /* fairness key ("" = the operator's config feeds) */
    char zone[64];  /* default zone for cal_parse */
    /* fetch: source + validators + options (allow list borrowed; must outlive the job) */
    char source[512];
    struct feed_validators prev;
    struct feed_opts opts;
    /* parse only (a stored copy): body owned by the job, no fetch */
    char *body;
    size_t len;
    /* results */
    struct feed_result res; /* fetch outcome (FEED_CHANGED bodies are parsed) */
    struct cal_feed *cal;   /* the parsed copy, owned until taken out */
    int parse_rc;           /* 0, or cal_parse's error with parse_err */
    char parse_err[BOT_ERR_LEN];
    /* trial: after a good parse the worker computes the reminders of the bot's window
     * around trial_now once, so a feed too costly to expand is known before the loop
     * thread ever expands it */
    int64_t trial_now;
    int trial_leads[8];
    int trial_nleads;
    int trial_rc;  /* cal_reminders' result (BOT_ETOOBIG: over the budget) */
    long trial_us; /* its duration */
};

/* A trial slower than this marks the feed too costly for the loop thread. */
#define FEED_TRIAL_MAX_US 20000

/* NULL on failure. */
struct feed_pool *feed_pool_new(int nthreads);
/* Stops the workers (a fetch in progress ends by its timeout) and frees every job. */
void feed_pool_free(struct feed_pool *p);
/* Queues j (ownership passes to the pool). 0, or BOT_EBUSY when the queue is full
 * (the caller keeps j). */
int feed_pool_submit(struct feed_pool *p, struct feed_job *j);
/* Moves up to max finished jobs into out (ownership to the caller); returns how many. */
int feed_pool_take(struct feed_pool *p, struct feed_job **out, int max);
/* Frees a job and whatever it still owns (NULL is a no-op). */
void feed_job_free(struct feed_job *j);

#endif
