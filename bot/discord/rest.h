/* rest.h - the Discord REST client: libcurl multi on ONE worker thread, rate limits
 * (ratelimit.h), 429/5xx/network retries with backoff and a cap, 401 = stop. The loop
 * thread submits with rest_submit and runs completions in rest_drain (called from
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED after the worker's wake callback). The queue
 * between them (mutex-guarded) is the only shared state; callbacks never run on the
 * worker. Never logs the token or interaction tokens.
 * Every request releases its rate-limit place however it ends. Transport failures
 * (no HTTP answer) are retried with jittered backoff 1 s..60 s when the request is
 * idempotent or provably never reached the server (connect/DNS/TLS); an interaction
 * answer whose outcome is unknown is not re-sent. Interaction answers (callbacks and
 * their webhooks) have their own lane: the queue bound never refuses them and they go
 * before other waiting requests. */
#ifndef COHORT_REST_H
#define COHORT_REST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    REST_F_INTERACTION = 1 << 0, /* interaction callback/webhook: exempt from the global
                                    limit; never re-sent when the outcome is unknown */
    REST_F_NO_AUTH = 1 << 1,     /* send no Authorization header */
    REST_F_IDEMPOTENT = 1 << 2,  /* safe to send again when the outcome is unknown; set by
                                    rest_submit for GET/PUT/PATCH/DELETE, POST /users/@me/channels
                                    and messages sent with enforce_nonce */
};

/* One request. All pointers are borrowed for the call only (copied). */
struct rest_call {
    const char *method;    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;      /* after api_base, e.g. "/channels/1/messages" */
    const char *body;      /* JSON text or NULL; the payload_json part when file_* is set */
    const char *file_name; /* multipart upload as files[0] when non-NULL */
    const char *file_data;
    size_t file_len;
    const char *file2_name; /* and files[1] (with file_name only) */
    const char *file2_data;
    size_t file2_len;
    unsigned flags;
};

/* Outcome, borrowed for the callback only. rc 0 = 2xx; else BOT_EAUTH (401),
 * BOT_EDENIED (403), BOT_ENOTFOUND (404), BOT_EPROTO (other 4xx), BOT_EIO (5xx or
 * network after retries, or unknown outcome of an interaction callback), BOT_EFULL. */
struct rest_result {
    int rc;
    int status; /* HTTP status, 0 when none */
    const char *body;
    size_t len;
    int discord_code;    /* JSON "code" of an error body, 0 when absent */
    const char *message; /* JSON "message" or a transport reason; "" when none */
    int attempts;
};
typedef void (*rest_done_fn)(void *arg, const struct rest_result *res);

struct rest_opts {
    const char *api_base;    /* e.g. https://discord.com/api/v10 (copied) */
    const char *token;       /* copied; registered with log_add_secret */
    const char *user_agent;  /* "DiscordBot (url, version)" */
    const char *ca_file;     /* PEM CA bundle to trust instead of the system store; NULL */
    int queue_max;           /* bound on queued + in-flight requests other than interaction
                                answers (never refused); 0 = 1000 */
    int max_attempts;        /* retries cap for 429/5xx/network; 0 = 5 */
    long timeout_ms;         /* per transfer; 0 = 30000 */
    void (*wake)(void *arg); /* called on the worker when results are ready */
    void *wake_arg;
};

struct rest_stats {
    uint64_t requests, ok, retries, rate_limited, failed, net_failures;
    long invalid_10min; /* 401/403/429 (not shared) answers in the last 10 minutes */
};

struct rest;

/* Creates the client and starts its worker thread. NULL on failure. */
struct rest *rest_new(const struct rest_opts *o);
/* Stops the worker (in-flight transfers are abandoned, queued ones completed with
 * BOT_EIO by the final drain) and frees. NULL is a no-op. Loop thread. */
void rest_free(struct rest *r);
/* Queues a request; done (may be NULL) runs later on the loop thread in rest_drain.
 * 0, BOT_EFULL (queue bound), BOT_EAUTH (a 401 was seen: nothing more is sent),
 * BOT_ENOMEM. Loop thread. */
int rest_submit(struct rest *r, const struct rest_call *c, rest_done_fn done, void *arg);
/* Runs completion callbacks of finished requests. Returns how many. Loop thread. */
int rest_drain(struct rest *r);
/* Requests queued or in flight (both lanes). */
int rest_pending(struct rest *r);
bool rest_auth_failed(struct rest *r);
void rest_get_stats(struct rest *r, struct rest_stats *out);

/* Per (route, status) counters for /metrics: calls fn for each. Loop thread. */
void rest_each_route(struct rest *r,
                     void (*fn)(void *arg, const char *route, int status, uint64_t n), void *arg);

/* Pure policy: what to do with a finished attempt. Returns the delay in ms before a
 * retry (before jitter), or -1 to finish now. curl_ok = the transfer completed with an
 * HTTP status; sent_maybe = the request may have reached the server. Transport failures
 * have their own cap (REST_NET_ATTEMPTS, about 4 minutes of backoff) and are retried
 * only when not sent_maybe or REST_F_IDEMPOTENT (never an interaction answer). */
#define REST_NET_ATTEMPTS 10
#define REST_BACKOFF_CAP_MS 60000
int64_t rest_retry_ms(int status, bool curl_ok, bool sent_maybe, unsigned flags, int attempts,
                      int max_attempts, double retry_after_s);
/* Parses a 429's wait in seconds: JSON body retry_after when the body is JSON,
 * else the Retry-After header value (hdr may be NULL), else 5 s. Pure. */
/* Adds up to 25 % jitter from rnd to a backoff delay. Pure. */
int64_t rest_jitter_ms(int64_t delay, uint32_t rnd);
/* Is a request idempotent by its method, path and body (see REST_F_IDEMPOTENT)? Pure. */
bool rest_is_idempotent(const char *method, const char *path, const char *body);
/* The first few field paths of a 50035 "errors" tree ("content: Must be 2000 or fewer
 * in length.; embeds.0.title: ...") into out. Pure. */
void rest_form_errors(const char *body, size_t len, char *out, size_t cap);
double rest_parse_retry_after(const char *body, size_t len, const char *content_type,
                              const char *hdr);

#endif
