/* rest.c - the REST client (rest.h): submission and completion queues (loop thread)
 * and the libcurl multi worker thread. The worker owns the curl handles and the
 * rate-limit table; the loop thread owns route counters. `mu` guards the two queues,
 * the counters in `st` and the flags. */
#include "bot/discord/rest.h"
#include "bot/buf.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/discord/rest_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MOD "rest"

int64_t rest_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void rest_req_free(struct rreq *q)
{
    if (!q)
        return;
    if (q->easy)
        curl_easy_cleanup(q->easy);
    curl_slist_free_all(q->hdrs);
    curl_mime_free(q->mime);
    buf_free(&q->resp);
    free(q->method);
    free(q->url);
    free(q->body);
    free(q->file_name);
    free(q->file_data);
    free(q->file2_name);
    free(q->file2_data);
    free(q);
}

static struct rreq *req_new(struct rest *r, const struct rest_call *c)
{
    struct rreq *q = calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    size_t ul = strlen(r->api_base) + strlen(c->path) + 1;
    q->url = malloc(ul);
    q->method = dupn(c->method, strlen(c->method));
    if (!q->url || !q->method)
        goto fail;
    snprintf(q->url, ul, "%s%s", r->api_base, c->path);
    if (c->body) {
        q->body_len = strlen(c->body);
        if (!(q->body = dupn(c->body, q->body_len)))
            goto fail;
    }
    if (c->file_name) {
        q->file_name = dupn(c->file_name, strlen(c->file_name));
        q->file_data = dupn(c->file_data ? c->file_data : "", c->file_data ? c->file_len : 0);
        q->file_len = c->file_data ? c->file_len : 0;
        if (!q->file_name || !q->file_data)
            goto fail;
        if (c->file2_name) {
            q->file2_name = dupn(c->file2_name, strlen(c->file2_name));
            q->file2_data = dupn(c->file2_data ? c->file2_data : "", c->file2_len);
            q->file2_len = c->file2_data ? c->file2_len : 0;
            if (!q->file2_name || !q->file2_data)
                goto fail;
        }
    }
    if (rl_route(c->method, c->path, q->route, sizeof(q->route), q->major, sizeof(q->major)) < 0)
        goto fail;
    q->flags = c->flags;
    if (!(q->flags & REST_F_INTERACTION) && rest_is_idempotent(c->method, c->path, c->body))
        q->flags |= REST_F_IDEMPOTENT;
    buf_init(&q->resp, REST_BODY_MAX);
    return q;
fail:
    rest_req_free(q);
    return NULL;
}

struct rest *rest_new(const struct rest_opts *o)
{
    struct rest *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    r->curl_inited = true;
    r->queue_max = o->queue_max > 0 ? o->queue_max : 1000;
    r->max_attempts = o->max_attempts > 0 ? o->max_attempts : 5;
    r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
    r->wake = o->wake;
    r->wake_arg = o->wake_arg;
    r->api_base = strdup(o->api_base);
    r->user_agent = strdup(o->user_agent ? o->user_agent : "DiscordBot");
    if (o->ca_file && *o->ca_file && !(r->ca_file = strdup(o->ca_file)))
        goto fail;
    r->rng = (uint32_t)rest_mono_ms() | 1u;
    size_t al = strlen(o->token ? o->token : "") + 32;
    r->auth = malloc(al);
    if (!r->api_base || !r->user_agent || !r->auth)
        goto fail;
    snprintf(r->auth, al, "Authorization: Bot %s", o->token ? o->token : "");
    if (o->token && *o->token)
        log_add_secret(o->token);
    r->rl = rl_new();
    r->multi = curl_multi_init();
    if (!r->rl || !r->multi || pthread_mutex_init(&r->mu, NULL) != 0)
        goto fail;
    r->mu_inited = true;
    if (pthread_create(&r->th, NULL, rest_worker_main, r) != 0)
        goto fail;
    r->started = true;
    return r;
fail:
    rest_free(r);
    return NULL;
}

static void fail_list(struct rreq *q, const char *why)
{
    while (q) {
        struct rreq *next = q->next;
        q->rc = BOT_EIO;
        snprintf(q->msg, sizeof(q->msg), "%s", why);
        if (q->done) {
            struct rest_result res = {q->rc, 0, "", 0, 0, q->msg, q->attempts};
            q->done(q->arg, &res);
        }
        rest_req_free(q);
        q = next;
    }
}

void rest_free(struct rest *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->stopping = true;
        pthread_mutex_unlock(&r->mu);
        curl_multi_wakeup(r->multi);
        pthread_join(r->th, NULL);
        rest_drain(r); /* results the worker finished before stopping */
        fail_list(r->in_head, "shutting down");
        r->in_head = NULL;
    }
    if (r->mu_inited)
        pthread_mutex_destroy(&r->mu);
    if (r->multi)
        curl_multi_cleanup(r->multi);
    rl_free(r->rl);
    free(r->routes);
    free(r->api_base);
    free(r->user_agent);
    free(r->ca_file);
    free(r->auth);
    if (r->curl_inited)
        curl_global_cleanup();
    free(r);
}

int rest_submit(struct rest *r, const struct rest_call *c, rest_done_fn done, void *arg)
{
    bool ix = c->flags & REST_F_INTERACTION;
    pthread_mutex_lock(&r->mu);
    int count = r->count;
    bool auth_failed = r->auth_failed;
    pthread_mutex_unlock(&r->mu);
    if (auth_failed)
        return BOT_EAUTH;
    if (!ix && count >= r->queue_max) { /* interaction answers are never refused */
        log_warn(MOD, "queue full (%d), request dropped", r->queue_max);
        return BOT_EFULL;
    }
    struct rreq *q = req_new(r, c);
    if (!q)
        return BOT_ENOMEM;
    q->done = done;
    q->arg = arg;
    pthread_mutex_lock(&r->mu);
    if (r->in_tail)
        r->in_tail->next = q;
    else
        r->in_head = q;
    r->in_tail = q;
    if (ix)
        r->ix_count++;
    else
        r->count++;
    r->st.requests++;
    pthread_mutex_unlock(&r->mu);
    curl_multi_wakeup(r->multi);
    return 0;
}

static void count_route(struct rest *r, const char *route, int status)
{
    for (int i = 0; i < r->nroutes; i++)
        if (r->routes[i].status == status && strcmp(r->routes[i].route, route) == 0) {
            r->routes[i].n++;
            return;
        }
    if (r->nroutes == REST_MAX_ROUTES)
        return;
    if (!r->routes && !(r->routes = calloc(REST_MAX_ROUTES, sizeof(*r->routes))))
        return;
    snprintf(r->routes[r->nroutes].route, RL_ROUTE_MAX, "%s", route);
    r->routes[r->nroutes].status = status;
    r->routes[r->nroutes++].n = 1;
}

int rest_drain(struct rest *r)
{
    pthread_mutex_lock(&r->mu);
    struct rreq *q = r->out_head;
    r->out_head = r->out_tail = NULL;
    pthread_mutex_unlock(&r->mu);
    int n = 0;
    while (q) {
        struct rreq *next = q->next;
        count_route(r, q->route, q->status);
        if (q->done) {
            struct rest_result res = {q->rc,    q->status, buf_str(&q->resp), q->resp.len,
                                      q->dcode, q->msg,    q->attempts};
            q->done(q->arg, &res);
        }
        bool ix = q->flags & REST_F_INTERACTION;
        rest_req_free(q);
        pthread_mutex_lock(&r->mu);
        if (ix)
            r->ix_count--;
        else
            r->count--;
        pthread_mutex_unlock(&r->mu);
        q = next;
        n++;
    }
    return n;
}

int rest_pending(struct rest *r)
{
    pthread_mutex_lock(&r->mu);
    int n = r->count + r->ix_count;
    pthread_mutex_unlock(&r->mu);
    return n;
}

bool rest_auth_failed(struct rest *r)
{
    pthread_mutex_lock(&r->mu);
    bool b = r->auth_failed;
    pthread_mutex_unlock(&r->mu);
    return b;
}

void rest_get_stats(struct rest *r, struct rest_stats *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->st;
    pthread_mutex_unlock(&r->mu);
}

void rest_each_route(struct rest *r, void (*fn)(void *, const char *, int, uint64_t), void *arg)
{
    for (int i = 0; i < r->nroutes; i++)
        fn(arg, r->routes[i].route, r->routes[i].status, r->routes[i].n);
}
