/* rest_internal.h - structures shared by rest.c (queues, loop-thread side) and
 * rest_worker.c (the curl multi thread). Not for other modules. */
#ifndef COHORT_REST_INTERNAL_H
#define COHORT_REST_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>

#include "bot/buf.h"
#include "bot/discord/ratelimit.h"
#include "bot/discord/rest.h"

#define REST_BODY_MAX ((size_t)8 << 20)
#define REST_MAX_ROUTES 128

struct rreq {
    struct rreq *next;
    struct rreq *anext; /* worker: in-flight list */
    char *method, *url, *body, *file_name, *file_data, *file2_name, *file2_data;
    size_t body_len, file_len, file2_len;
    unsigned flags;
    char route[RL_ROUTE_MAX], major[RL_MAJOR_MAX];
    char rl_key[RL_KEY_MAX]; /* the rate-limit state the attempt in flight holds */
    char errbuf[CURL_ERROR_SIZE];
    int attempts;
    int64_t not_before;
    CURL *easy;
    struct curl_slist *hdrs;
    curl_mime *mime;
    struct buf resp;
    /* response headers of the current attempt */
    char h_bucket[64], h_ctype[64], h_retry[32];
    bool h_has_remaining, h_has_reset, h_global, h_shared;
    long h_remaining;
    double h_reset_after;
    /* outcome */
    int status, rc, dcode;
    char msg[320];
    rest_done_fn done;
    void *arg;
};

struct rest_route_count {
    char route[RL_ROUTE_MAX];
    int status;
    uint64_t n;
};

struct rest {
    char *api_base, *user_agent, *auth, *ca_file;
    int queue_max, max_attempts;
    long timeout_ms;
    void (*wake)(void *arg);
    void *wake_arg;
    bool curl_inited, mu_inited, started;
    pthread_t th;
    pthread_mutex_t mu;
    /* guarded by mu */
    struct rreq *in_head, *in_tail, *out_head, *out_tail;
    int count, ix_count; /* other requests (bounded) / interaction answers (never refused) */
    bool stopping, auth_failed;
    struct rest_stats st;
    /* worker thread only */
    CURLM *multi;
    struct rl *rl;
    struct rreq *wait_head, *ix_head, *active_head; /* ix_head: interaction lane, first */
    uint32_t rng;
    /* loop thread only */
    struct rest_route_count *routes;
    int nroutes;
};

void *rest_worker_main(void *arg);
void rest_req_free(struct rreq *q);
int64_t rest_mono_ms(void);

#endif
