/* feed_pool.c - fair fetch/parse worker pool (see feed_pool.h). */
#include "schedules/feed_pool.h"
#include "schedules/calendar.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 16

struct feed_pool {
    pthread_t threads[MAX_THREADS];
    int nthreads;
    bool quit;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct feed_job *queued[FEED_POOL_MAX_JOBS], *done[FEED_POOL_MAX_JOBS];
    int nqueued, ndone;
    const char *running[MAX_THREADS]; /* guild of each job in progress (NULL = idle) */
};

static bool guild_running(const struct feed_pool *p, const char *guild)
{
    for (int i = 0; i < p->nthreads; i++)
        if (p->running[i] && strcmp(p->running[i], guild) == 0)
            return true;
    return false;
}

/* The oldest queued job whose guild has nothing running, removed from the queue. */
static struct feed_job *pick(struct feed_pool *p)
{
    for (int i = 0; i < p->nqueued; i++) {
        struct feed_job *j = p->queued[i];
        if (guild_running(p, j->guild))
            continue;
        memmove(p->queued + i, p->queued + i + 1, (size_t)(p->nqueued - i - 1) * sizeof(j));
        p->nqueued--;
        return j;
    }
    return NULL;
}

static void run(struct feed_job *j)
{
    const char *body = j->body;
    size_t len = j->len;
    if (!body) {
        feed_fetch(j->source, &j->prev, &j->opts, &j->res);
        if (j->res.status != FEED_CHANGED)
            return;
        body = j->res.body;
        len = j->res.len;
    }
    j->parse_rc = cal_parse(body, len, j->zone, &j->cal, j->parse_err);
    if (j->parse_rc || !j->trial_now)
        return;
    struct timespec t0, t1;
    struct cal_reminder *r = NULL;
    size_t n = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    j->trial_rc = cal_reminders(j->cal, j->trial_now - 13 * 3600, j->trial_now + 2 * 86400,
                                j->trial_leads, (size_t)j->trial_nleads, &r, &n);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(r);
    j->trial_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
}

struct slot {
    struct feed_pool *p;
    int i;
};

static void *worker(void *arg)
{
    struct feed_pool *p = ((struct slot *)arg)->p;
    int me = ((struct slot *)arg)->i;
    free(arg);
    pthread_mutex_lock(&p->mu);
    while (!p->quit) {
        struct feed_job *j = pick(p);
        if (!j) {
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        p->running[me] = j->guild;
        pthread_mutex_unlock(&p->mu);
        run(j);
        pthread_mutex_lock(&p->mu);
        p->running[me] = NULL;
        if (p->ndone < FEED_POOL_MAX_JOBS)
            p->done[p->ndone++] = j;
        else
            feed_job_free(j);           /* cannot happen: at most MAX_JOBS are ever submitted */
        pthread_cond_broadcast(&p->cv); /* that guild may run its next job */
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct feed_pool *feed_pool_new(int nthreads)
{
    struct feed_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    nthreads = nthreads < 1 ? 1 : nthreads > MAX_THREADS ? MAX_THREADS : nthreads;
    for (int i = 0; i < nthreads; i++) {
        struct slot *s = malloc(sizeof(*s));
        if (!s)
            break;
        *s = (struct slot){p, i};
        if (pthread_create(&p->threads[i], NULL, worker, s) != 0) {
            free(s);
            break;
        }
        p->nthreads++;
    }
    if (p->nthreads == 0) {
        feed_pool_free(p);
        return NULL;
    }
    return p;
}

void feed_pool_free(struct feed_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    for (int i = 0; i < p->nqueued; i++)
        feed_job_free(p->queued[i]);
    for (int i = 0; i < p->ndone; i++)
        feed_job_free(p->done[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

int feed_pool_submit(struct feed_pool *p, struct feed_job *j)
{
    pthread_mutex_lock(&p->mu);
    /* queued + running + done never exceed the done array */
    int running = 0;
    for (int i = 0; i < p->nthreads; i++)
        running += p->running[i] != NULL;
    int rc = p->nqueued + p->ndone + running < FEED_POOL_MAX_JOBS ? 0 : BOT_EBUSY;
    if (!rc) {
        p->queued[p->nqueued++] = j;
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int feed_pool_take(struct feed_pool *p, struct feed_job **out, int max)
{
    pthread_mutex_lock(&p->mu);
    int n = p->ndone < max ? p->ndone : max;
    memcpy(out, p->done, (size_t)n * sizeof(out[0]));
    memmove(p->done, p->done + n, (size_t)(p->ndone - n) * sizeof(out[0]));
    p->ndone -= n;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void feed_job_free(struct feed_job *j)
{
    if (!j)
        return;
    free(j->body);
    feed_result_free(&j->res);
    cal_feed_free(j->cal);
    free(j);
}
