/* pool.c - the render worker thread and its job copies (see pool.h). */
#include "render/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum kind { K_PROGRESS, K_REPORT, K_LEADERBOARD };

struct render_job {
    struct render_job *next;
    enum kind kind;
    union {
        struct render_progress p;
        struct render_report r;
        struct render_leaderboard l;
    } in;
    /* owned copies the input points into */
    char *strs[RENDER_LB_MAX + 8];
    int nstrs;
    int *active;
    double *rate, *median;
    struct render_asm_bar *asm_bars;
    struct render_session_bar *sessions;
    /* the completion and the outcome */
    render_done_fn done;
    void *arg;
    int rc;
    char err[BOT_ERR_LEN];
    struct render_png png;
    int64_t submit_us, start_us, end_us;
};

struct render_pool {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv, idle_cv;
    bool quit, busy, warmed;
    bool warming;         /* the worker is loading the fonts */
    bool want_warm;       /* render_pool_warm_status asked for the warm-up before any job */
    int queue_max, count; /* count = queued + drawing + done */
    struct render_job *q_head, *q_tail, *d_head, *d_tail;
    void (*wake)(void *arg);
    void *wake_arg;
    int warm_rc;
    char warm_err[BOT_ERR_LEN];
    struct render_pool_stats st;
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- jobs ---- */

static const char *keep(struct render_job *j, const char *s)
{
    if (!s)
        return NULL;
    if (j->nstrs == (int)(sizeof(j->strs) / sizeof(j->strs[0])))
        return NULL;
    char *c = strdup(s);
    if (!c) {
        j->rc = BOT_ENOMEM;
        return NULL;
    }
    j->strs[j->nstrs++] = c;
    return c;
}

static void *dup_array(struct render_job *j, const void *src, size_t n, size_t size)
{
    if (!src || n == 0)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        j->rc = BOT_ENOMEM;
        return NULL;
    }
    memcpy(p, src, n * size);
    return p;
}

static struct render_job *job_new(enum kind k)
{
    struct render_job *j = calloc(1, sizeof(*j));
    if (j)
        j->kind = k;
    return j;
}

/* A copy that failed part-way is freed. */
static struct render_job *job_done_copying(struct render_job *j)
{
    if (j && j->rc) {
        render_job_free(j);
        return NULL;
    }
    return j;
}

struct render_job *render_job_progress(const struct render_progress *p)
{
    struct render_job *j = p ? job_new(K_PROGRESS) : NULL;
    if (!j)
        return NULL;
    j->in.p = *p;
    j->in.p.name = keep(j, p->name);
    j->in.p.subtitle = keep(j, p->subtitle);
    j->in.p.milestone = keep(j, p->milestone);
    j->in.p.extra = keep(j, p->extra);
    return job_done_copying(j);
}

static size_t clamp(int n, int max)
{
    return n <= 0 ? 0 : n > max ? (size_t)max : (size_t)n;
}

struct render_job *render_job_report(const struct render_report *r)
{
    struct render_job *j = r ? job_new(K_REPORT) : NULL;
    if (!j)
        return NULL;
    struct render_report *c = &j->in.r;
    *c = *r;
    c->title = keep(j, r->title);
    /* copies never read past the maxima: a count over one fails render_report_png */
    size_t nd = clamp(r->today, RENDER_REPORT_MAX_DAYS),
           nw = clamp(r->n_weeks, RENDER_REPORT_MAX_WEEKS);
    c->active = j->active = dup_array(j, r->active, nd, sizeof(int));
    c->rate = j->rate = dup_array(j, r->rate, nw, sizeof(double));
    c->median = j->median = dup_array(j, r->median, nw, sizeof(double));
    c->asm_bars = j->asm_bars = dup_array(j, r->asm_bars, clamp(r->n_asm, RENDER_REPORT_MAX_ASM),
                                          sizeof(struct render_asm_bar));
    size_t ns = clamp(r->n_sessions, RENDER_REPORT_MAX_SESSIONS);
    c->sessions = j->sessions = dup_array(j, r->sessions, ns, sizeof(struct render_session_bar));
    /* session labels: one string holding them all, each NUL-terminated */
    size_t total = 0;
    for (size_t i = 0; i < ns; i++)
        total += (r->sessions[i].label ? strlen(r->sessions[i].label) : 0) + 1;
    char *labels = ns && j->sessions ? malloc(total) : NULL;
    if (ns && j->sessions && !labels)
        j->rc = BOT_ENOMEM;
    if (labels) {
        j->strs[j->nstrs++] = labels;
        for (size_t i = 0; i < ns; i++) {
            const char *l = r->sessions[i].label ? r->sessions[i].label : "";
            size_t n = strlen(l) + 1;
            memcpy(labels, l, n);
            j->sessions[i].label = r->sessions[i].label ? labels : NULL;
            labels += n;
        }
    }
    return job_done_copying(j);
}

struct render_job *render_job_leaderboard(const struct render_leaderboard *l)
{
    struct render_job *j = l ? job_new(K_LEADERBOARD) : NULL;
    if (!j)
        return NULL;
    j->in.l = *l;
    j->in.l.title = keep(j, l->title);
    for (int i = 0; i < l->n && i < RENDER_LB_MAX; i++)
        j->in.l.rows[i].name = keep(j, l->rows[i].name);
    return job_done_copying(j);
}

void render_job_free(struct render_job *j)
{
    if (!j)
        return;
    for (int i = 0; i < j->nstrs; i++)
        free(j->strs[i]);
    free(j->active);
    free(j->rate);
    free(j->median);
    free(j->asm_bars);
    free(j->sessions);
    render_png_free(&j->png);
    free(j);
}

/* ---- the worker ---- */

static void draw(struct render_pool *p, struct render_job *j)
{
    if (p->warm_rc) {
        j->rc = p->warm_rc;
        snprintf(j->err, sizeof(j->err), "%s", p->warm_err);
        return;
    }
    switch (j->kind) {
    case K_PROGRESS:
        j->rc = render_progress_png(&j->in.p, &j->png, j->err, sizeof(j->err));
        break;
    case K_REPORT:
        j->rc = render_report_png(&j->in.r, &j->png, j->err, sizeof(j->err));
        break;
    case K_LEADERBOARD:
        j->rc = render_leaderboard_png(&j->in.l, &j->png, j->err, sizeof(j->err));
        break;
    }
}

/* After the fonts, one picture of each kind, thrown away: the first real one then
 * finds the glyph caches, shaping results and surface memory in place. */
static int warm_up(char *err, size_t errlen)
{
    int rc = render_warmup(err, errlen);
    struct render_progress pr = {.name = "Ada Lovelace",
                                 .subtitle = "Day 1 of 70",
                                 .n_days = 70,
                                 .n_weeks = 1,
                                 .target_min = 15,
                                 .target_max = 20,
                                 .milestone = "Next: -"};
    int active[7] = {1, 2, 3, 4, 5, 6, 7};
    double rate[1] = {0.5}, median[1] = {10};
    struct render_asm_bar ab[1] = {{2, 1, 2}};
    struct render_session_bar sb[1] = {{"W1", 3}};
    struct render_report rr = {.n_days = 70,
                               .today = 7,
                               .days_per_week = 7,
                               .active = active,
                               .learners = 7,
                               .n_weeks = 1,
                               .rate = rate,
                               .median = median,
                               .n_asm = 1,
                               .asm_bars = ab,
                               .n_sessions = 1,
                               .sessions = sb};
    struct render_leaderboard lb = {.n = 1, .rows = {{"Ada Lovelace", 3, 4}}};
    struct render_png png;
    char e2[BOT_ERR_LEN];
    if (!rc && render_progress_png(&pr, &png, e2, sizeof(e2)) == 0)
        render_png_free(&png);
    if (!rc && render_report_png(&rr, &png, e2, sizeof(e2)) == 0)
        render_png_free(&png);
    if (!rc && render_leaderboard_png(&lb, &png, e2, sizeof(e2)) == 0)
        render_png_free(&png);
    return rc;
}

static void *worker(void *arg)
{
    struct render_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->quit) {
        if (!p->warmed && (p->q_head || p->want_warm)) {
            /* the fonts load before the first picture, not at start: a bot that
             * draws nothing never pays their memory (fontconfig's caches, pango's font
             * map and glyph caches: ~20 MB of RSS, measured) */
            p->warming = true;
            pthread_mutex_unlock(&p->mu);
            char err[BOT_ERR_LEN] = "";
            int rc = warm_up(err, sizeof(err));
            pthread_mutex_lock(&p->mu);
            p->warm_rc = rc;
            snprintf(p->warm_err, sizeof(p->warm_err), "%s", err);
            p->warmed = true;
            p->warming = false;
            pthread_cond_broadcast(&p->idle_cv);
            continue;
        }
        struct render_job *j = p->q_head;
        if (!j) {
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        p->q_head = j->next;
        if (!p->q_head)
            p->q_tail = NULL;
        j->next = NULL;
        p->busy = true;
        pthread_mutex_unlock(&p->mu);
        j->start_us = mono_us();
        draw(p, j);
        j->end_us = mono_us();
        pthread_mutex_lock(&p->mu);
        p->busy = false;
        if (j->rc)
            p->st.failed++;
        else
            p->st.drawn++;
        p->st.draw_us += (uint64_t)(j->end_us - j->start_us);
        if (p->d_tail)
            p->d_tail->next = j;
        else
            p->d_head = j;
        p->d_tail = j;
        pthread_cond_broadcast(&p->idle_cv);
        if (p->wake) { /* outside the lock: the hook may take locks of its own */
            pthread_mutex_unlock(&p->mu);
            p->wake(p->wake_arg);
            pthread_mutex_lock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    render_thread_end(); /* this thread's font map */
    return NULL;
}

struct render_pool *render_pool_new(const struct render_pool_opts *o)
{
    struct render_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    int max = o && o->queue_max > 0 ? o->queue_max : RENDER_POOL_MAX_JOBS;
    p->queue_max = max > RENDER_POOL_MAX_JOBS ? RENDER_POOL_MAX_JOBS : max;
    p->wake = o ? o->wake : NULL;
    p->wake_arg = o ? o->wake_arg : NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_cond_init(&p->idle_cv, NULL);
    if (pthread_create(&p->th, NULL, worker, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        pthread_cond_destroy(&p->idle_cv);
        free(p);
        return NULL;
    }
    return p;
}

static void complete(struct render_job *j)
{
    struct render_done d = {.rc = j->rc,
                            .err = j->err,
                            .png = &j->png,
                            .wait_us = j->start_us ? j->start_us - j->submit_us : 0,
                            .draw_us = j->start_us ? j->end_us - j->start_us : 0};
    if (j->done)
        j->done(j->arg, &d);
    render_job_free(j);
}

void render_pool_free(struct render_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    render_pool_drain(p);
    for (struct render_job *j = p->q_head, *next; j; j = next) {
        next = j->next;
        j->rc = BOT_EIO;
        snprintf(j->err, sizeof(j->err), "shutting down");
        complete(j);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    pthread_cond_destroy(&p->idle_cv);
    free(p);
}

int render_pool_submit(struct render_pool *p, struct render_job *j, render_done_fn done, void *arg)
{
    if (!p || !j)
        return BOT_EINVAL;
    pthread_mutex_lock(&p->mu);
    int rc = p->count < p->queue_max ? 0 : BOT_EFULL;
    if (!rc) {
        j->done = done;
        j->arg = arg;
        j->submit_us = mono_us();
        j->next = NULL;
        if (p->q_tail)
            p->q_tail->next = j;
        else
            p->q_head = j;
        p->q_tail = j;
        p->count++;
        pthread_cond_signal(&p->cv);
    } else {
        p->st.refused++;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void render_pool_get_stats(struct render_pool *p, struct render_pool_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    *out = p->st;
    out->pending = p->count;
    pthread_mutex_unlock(&p->mu);
}

int render_pool_drain(struct render_pool *p)
{
    if (!p)
        return 0;
    pthread_mutex_lock(&p->mu);
    struct render_job *list = p->d_head;
    int n = 0;
    for (struct render_job *j = list; j; j = j->next)
        n++;
    p->d_head = p->d_tail = NULL;
    p->count -= n;
    pthread_mutex_unlock(&p->mu);
    for (struct render_job *j = list, *next; j; j = next) {
        next = j->next;
        complete(j);
    }
    return n;
}

int render_pool_pending(struct render_pool *p)
{
    if (!p)
        return 0;
    pthread_mutex_lock(&p->mu);
    int n = p->count;
    pthread_mutex_unlock(&p->mu);
    return n;
}

bool render_pool_wait_idle(struct render_pool *p, int timeout_ms)
{
    if (!p)
        return true;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    while ((p->q_head || p->busy || p->warming) &&
           pthread_cond_timedwait(&p->idle_cv, &p->mu, &until) == 0)
        ;
    bool idle = !p->q_head && !p->busy && !p->warming;
    pthread_mutex_unlock(&p->mu);
    return idle;
}

int render_pool_warm_status(struct render_pool *p, char *err, size_t errlen)
{
    pthread_mutex_lock(&p->mu);
    if (!p->warmed) {
        p->want_warm = true;
        pthread_cond_signal(&p->cv);
    }
    while (!p->warmed)
        pthread_cond_wait(&p->idle_cv, &p->mu);
    int rc = p->warm_rc;
    snprintf(err, errlen, "%s", p->warm_err);
    pthread_mutex_unlock(&p->mu);
    return rc;
}
