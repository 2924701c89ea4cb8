/* rest_worker.c - the REST worker thread (rest.h): takes submitted requests, holds
 * them until their rate-limit bucket and retry time allow, runs them on one curl
 * multi handle, decides retries, and hands finished ones to the loop thread
 * (then calls the wake hook, i.e. lws_cancel_service). Never touches bot state. */
#include "bot/err.h"
#include "bot/log.h"
#include "bot/discord/rest_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MOD "rest"

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct rreq *q = arg;
    if (buf_append(&q->resp, p, size * n) < 0)
        return 0; /* over REST_BODY_MAX: abort the transfer */
    return size * n;
}

static void hdr_copy(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct rreq *q = arg;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) { /* new response: forget the last */
        q->h_bucket[0] = q->h_ctype[0] = q->h_retry[0] = '\0';
        q->h_has_remaining = q->h_has_reset = q->h_global = q->h_shared = false;
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return len;
    size_t kl = (size_t)(colon - p);
    const char *v = colon + 1;
    while (v < p + len && *v == ' ')
        v++;
    size_t vl = (size_t)(p + len - v);
    char val[64];
    hdr_copy(val, sizeof(val), v, vl);
#define IS(name) (kl == sizeof(name) - 1 && strncasecmp(p, name, kl) == 0)
    if (IS("x-ratelimit-bucket"))
        memcpy(q->h_bucket, val, sizeof(q->h_bucket));
    else if (IS("content-type"))
        memcpy(q->h_ctype, val, sizeof(q->h_ctype));
    else if (IS("retry-after"))
        hdr_copy(q->h_retry, sizeof(q->h_retry), val, strlen(val));
    else if (IS("x-ratelimit-global"))
        q->h_global = strcasecmp(val, "true") == 0;
    else if (IS("x-ratelimit-scope"))
        q->h_shared = strcasecmp(val, "shared") == 0;
    else if (IS("x-ratelimit-remaining")) {
        char *end;
        q->h_remaining = strtol(val, &end, 10);
        q->h_has_remaining = end != val;
    } else if (IS("x-ratelimit-reset-after")) {
        char *end;
        q->h_reset_after = strtod(val, &end);
        q->h_has_reset = end != val && q->h_reset_after >= 0;
    }
#undef IS
    return len;
}

static int setup_easy(struct rest *r, struct rreq *q)
{
    q->easy = curl_easy_init();
    if (!q->easy)
        return BOT_ENOMEM;
    CURL *e = q->easy;
    curl_easy_setopt(e, CURLOPT_URL, q->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, q);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    q->errbuf[0] = '\0';
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, q->errbuf);
    if (r->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, r->ca_file);
    curl_easy_setopt(e, CURLOPT_USERAGENT, r->user_agent);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, q);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, q);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    if (h && !(q->flags & REST_F_NO_AUTH))
        h = curl_slist_append(h, r->auth);
    if (q->file_name) {
        q->mime = curl_mime_init(e);
        curl_mimepart *part = curl_mime_addpart(q->mime);
        curl_mime_name(part, "payload_json");
        curl_mime_data(part, q->body ? q->body : "{}", CURL_ZERO_TERMINATED);
        curl_mime_type(part, "application/json");
        part = curl_mime_addpart(q->mime);
        curl_mime_name(part, "files[0]");
        curl_mime_data(part, q->file_data, q->file_len);
        curl_mime_filename(part, q->file_name);
        if (q->file2_name) {
            part = curl_mime_addpart(q->mime);
            curl_mime_name(part, "files[1]");
            curl_mime_data(part, q->file2_data, q->file2_len);
            curl_mime_filename(part, q->file2_name);
        }
        curl_easy_setopt(e, CURLOPT_MIMEPOST, q->mime);
    } else if (q->body) {
        if (h)
            h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)q->body_len);
    } else if (strcmp(q->method, "POST") == 0 || strcmp(q->method, "PUT") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    }
    q->hdrs = h;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    return h ? 0 : BOT_ENOMEM;
}

static void push_out(struct rest *r, struct rreq *q)
{
    q->next = NULL;
    pthread_mutex_lock(&r->mu);
    if (r->out_tail)
        r->out_tail->next = q;
    else
        r->out_head = q;
    r->out_tail = q;
    if (q->rc == 0)
        r->st.ok++;
    else
        r->st.failed++;
    if (q->status == 401)
        r->auth_failed = true;
    pthread_mutex_unlock(&r->mu);
}

static void describe_error(struct rreq *q)
{
    json_t *j = NULL;
    if (strncasecmp(q->h_ctype, "application/json", 16) == 0)
        j = json_loadb(buf_str(&q->resp), q->resp.len, 0, NULL);
    const char *m = json_string_value(json_object_get(j, "message"));
    q->dcode = (int)json_integer_value(json_object_get(j, "code"));
    snprintf(q->msg, sizeof(q->msg), "%s", m ? m : "");
    char form[240] = "";
    if (q->dcode == 50035)
        rest_form_errors(buf_str(&q->resp), q->resp.len, form, sizeof(form));
    json_decref(j);
    switch (q->status) {
    case 401:
        q->rc = BOT_EAUTH;
        log_error(MOD, "401 Unauthorized on %s: the bot token was refused; stopping", q->route);
        break;
    case 403:
        q->rc = BOT_EDENIED;
        break;
    case 404:
        q->rc = BOT_ENOTFOUND;
        break;
    default:
        q->rc = q->status >= 500 || q->status == 429 ? BOT_EIO : BOT_EPROTO;
    }
    if (q->status != 401)
        log_warn(MOD, "%s -> %d code=%d message=%s%s%s", q->route, q->status, q->dcode, q->msg,
                 form[0] ? " fields: " : "", form);
}

/* What this response teaches the rate limiter (headers, and a 429's wait). */
static void learn(struct rreq *q, struct rl_resp *rr)
{
    memset(rr, 0, sizeof(*rr));
    rr->status = q->status;
    memcpy(rr->bucket, q->h_bucket, sizeof(rr->bucket));
    rr->has_remaining = q->h_has_remaining;
    rr->remaining = q->h_remaining;
    rr->has_reset_after = q->h_has_reset;
    rr->reset_after = q->h_reset_after;
    rr->shared = q->h_shared;
    if (q->status != 429)
        return;
    rr->retry_after =
        rest_parse_retry_after(buf_str(&q->resp), q->resp.len, q->h_ctype, q->h_retry);
    json_t *j = strncasecmp(q->h_ctype, "application/json", 16) == 0
                    ? json_loadb(buf_str(&q->resp), q->resp.len, 0, NULL)
                    : NULL;
    rr->global = q->h_global || json_is_true(json_object_get(j, "global"));
    json_decref(j);
    log_warn(MOD, "429 on %s: retry after %.3f s%s", q->route, rr->retry_after,
             rr->global ? " (global)" : "");
}

/* The request got no HTTP answer: could it have reached the server? Connect, DNS and
 * TLS handshake failures prove it did not. */
static bool maybe_sent(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return false;
    default:
        return true;
    }
}

static uint32_t next_rnd(struct rest *r)
{
    uint32_t x = r->rng ? r->rng : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return r->rng = x;
}

static void requeue(struct rest *r, struct rreq *q, int64_t delay, int64_t now)
{
    curl_easy_cleanup(q->easy);
    curl_slist_free_all(q->hdrs);
    curl_mime_free(q->mime);
    q->easy = NULL, q->hdrs = NULL, q->mime = NULL;
    buf_free(&q->resp);
    q->not_before = now + delay;
    struct rreq **head = q->flags & REST_F_INTERACTION ? &r->ix_head : &r->wait_head;
    q->next = *head; /* retries go first in their lane */
    *head = q;
}

static void count_retry(struct rest *r, struct rreq *q, bool curl_ok)
{
    pthread_mutex_lock(&r->mu);
    r->st.retries++;
    if (q->status == 429)
        r->st.rate_limited++;
    if (!curl_ok)
        r->st.net_failures++;
    pthread_mutex_unlock(&r->mu);
}

static void finished(struct rest *r, struct rreq *q, CURLcode cc, int64_t now)
{
    long status = 0;
    curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(r->multi, q->easy);
    q->status = cc == CURLE_OK ? (int)status : 0;
    bool curl_ok = cc == CURLE_OK && status > 0;
    bool sent_maybe = maybe_sent(cc);
    const char *why = q->errbuf[0] ? q->errbuf : curl_easy_strerror(cc);
    struct rl_resp rr;
    learn(q, &rr);
    rl_done(r->rl, q->rl_key, q->route, q->major, curl_ok ? &rr : NULL, now);
    int64_t delay = rest_retry_ms(q->status, curl_ok, sent_maybe, q->flags, q->attempts,
                                  r->max_attempts, rr.retry_after);
    if (delay >= 0) {
        if (q->status != 429)
            delay = rest_jitter_ms(delay, next_rnd(r));
        count_retry(r, q, curl_ok);
        if (!curl_ok)
            log_warn(MOD, "%s attempt %d: no answer (%s), retry in %lld ms", q->route, q->attempts,
                     why, (long long)delay);
        else if (q->status != 429)
            log_warn(MOD, "%s -> %d, retry in %lld ms", q->route, q->status, (long long)delay);
        requeue(r, q, delay, now);
        return;
    }
    if (!curl_ok) {
        q->rc = BOT_EIO;
        snprintf(q->msg, sizeof(q->msg), "%s%s", why,
                 sent_maybe && !(q->flags & REST_F_IDEMPOTENT) ? " (outcome unknown, not re-sent)"
                                                               : "");
        log_warn(MOD, "%s attempt %d failed: %s", q->route, q->attempts, q->msg);
    } else if (q->status >= 200 && q->status < 300)
        q->rc = 0;
    else
        describe_error(q);
    if (!curl_ok) {
        pthread_mutex_lock(&r->mu);
        r->st.net_failures++;
        pthread_mutex_unlock(&r->mu);
    }
    push_out(r, q);
}

static void fail_now(struct rest *r, struct rreq *q, int rc, const char *why)
{
    q->rc = rc;
    snprintf(q->msg, sizeof(q->msg), "%s", why);
    push_out(r, q);
}

/* Starts every request of one lane whose time and bucket allow; lowers *next to the ms
 * until the earliest one that must still wait. */
static void start_lane(struct rest *r, struct rreq **pp, bool auth_failed, int64_t now,
                       int64_t *next)
{
    while (*pp) {
        struct rreq *q = *pp;
        int64_t w = q->not_before > now ? q->not_before - now : 0;
        if (!auth_failed && w == 0)
            w = rl_wait(r->rl, q->route, q->major, q->flags & REST_F_INTERACTION, now);
        if (!auth_failed && w > 0) {
            if (w < *next)
                *next = w;
            pp = &q->next;
            continue;
        }
        *pp = q->next;
        q->next = NULL;
        if (auth_failed) {
            fail_now(r, q, BOT_EAUTH, "token refused earlier (401)");
            continue;
        }
        q->attempts++;
        if (setup_easy(r, q) < 0 || curl_multi_add_handle(r->multi, q->easy) != CURLM_OK) {
            fail_now(r, q, BOT_ENOMEM, "cannot start transfer");
            continue;
        }
        rl_sent_key(r->rl, q->route, q->major, q->flags & REST_F_INTERACTION, now, q->rl_key);
        q->anext = r->active_head;
        r->active_head = q;
    }
}

/* Starts what may start, interaction answers first; returns ms until the earliest
 * request that must still wait (capped at 1000). */
static int64_t start_ready(struct rest *r, bool auth_failed, int64_t now)
{
    int64_t next = 1000;
    start_lane(r, &r->ix_head, auth_failed, now, &next);
    start_lane(r, &r->wait_head, auth_failed, now, &next);
    return next;
}

/* Moves newly submitted requests to the tail of the wait list. */
static bool take_submitted(struct rest *r, bool *auth_failed)
{
    pthread_mutex_lock(&r->mu);
    struct rreq *in = r->in_head;
    r->in_head = r->in_tail = NULL;
    bool stop = r->stopping;
    *auth_failed = r->auth_failed;
    pthread_mutex_unlock(&r->mu);
    struct rreq **pp = &r->wait_head, **ip = &r->ix_head;
    while (*pp)
        pp = &(*pp)->next;
    while (*ip)
        ip = &(*ip)->next;
    while (in) {
        struct rreq *q = in;
        in = q->next;
        q->next = NULL;
        struct rreq ***tail = q->flags & REST_F_INTERACTION ? &ip : &pp;
        **tail = q;
        *tail = &q->next;
    }
    return stop;
}

static void unlink_active(struct rest *r, struct rreq *q)
{
    for (struct rreq **pp = &r->active_head; *pp; pp = &(*pp)->anext)
        if (*pp == q) {
            *pp = q->anext;
            q->anext = NULL;
            return;
        }
}

static void abandon_all(struct rest *r)
{
    while (r->active_head) {
        struct rreq *q = r->active_head;
        r->active_head = q->anext;
        curl_multi_remove_handle(r->multi, q->easy);
        fail_now(r, q, BOT_EIO, "shutting down");
    }
    for (struct rreq **lane = &r->wait_head; lane;
         lane = lane == &r->wait_head ? &r->ix_head : NULL)
        while (*lane) {
            struct rreq *q = *lane;
            *lane = q->next;
            fail_now(r, q, BOT_EIO, "shutting down");
        }
}

void *rest_worker_main(void *arg)
{
    struct rest *r = arg;
    for (;;) {
        bool auth_failed;
        if (take_submitted(r, &auth_failed))
            break;
        int64_t now = rest_mono_ms();
        int64_t next = start_ready(r, auth_failed, now);
        long inv = rl_invalid_count(r->rl, now); /* the window also empties while idle */
        pthread_mutex_lock(&r->mu);
        r->st.invalid_10min = inv;
        pthread_mutex_unlock(&r->mu);
        int running = 0;
        curl_multi_perform(r->multi, &running);
        CURLMsg *m;
        int left, done = 0;
        while ((m = curl_multi_info_read(r->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct rreq *q = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&q);
            unlink_active(r, q);
            finished(r, q, m->data.result, rest_mono_ms());
            done++;
        }
        if (done && r->wake)
            r->wake(r->wake_arg);
        if (done)
            continue; /* retries may be due at once */
        long ct = -1;
        curl_multi_timeout(r->multi, &ct);
        if (ct >= 0 && ct < next)
            next = ct;
        curl_multi_poll(r->multi, NULL, 0, (int)next, NULL);
    }
    abandon_all(r);
    if (r->wake)
        r->wake(r->wake_arg);
    return NULL;
}
