/* ratelimit.h - Discord REST rate-limit arithmetic, pure over `now` (ms): route keys
 * with the major parameter, buckets learned from X-RateLimit-* headers and keyed by
 * (bucket hash, major), the global 50/s limit and 429 retry_after. No I/O, no clock.
 * Used by the REST worker thread only (the table is that thread's private state). */
#ifndef COHORT_RATELIMIT_H
#define COHORT_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RL_ROUTE_MAX 160
#define RL_MAJOR_MAX 128
#define RL_GLOBAL_PER_S 50

/* "POST /channels/{id}/messages" style route template plus the major parameter
 * ("channels/123", "guilds/9", "webhooks/5/~<hash of the token>", or ""). Ids after the
 * major one become {id}; interaction ids/tokens are folded (a webhook token of any length
 * becomes a 16-hex-digit hash in the major, so no secret and no length reaches a key).
 * 0 or BOT_ETOOBIG. Pure. */
int rl_route(const char *method, const char *path, char *route, size_t rlen, char *major,
             size_t mlen);

/* Room for the state key a request holds between rl_sent_key and rl_done. */
#define RL_KEY_MAX (64 + RL_ROUTE_MAX + RL_MAJOR_MAX + 8)

/* Invalid requests (401, 403, 429 other than scope "shared") in any 10 minutes: Discord's
 * Cloudflare bans the IP at 10,000. From RL_INVALID_SLOW on, requests that are not
 * interaction answers start at most RL_SLOW_PER_S a second; from RL_INVALID_CRAWL on,
 * one a second. */
#define RL_INVALID_WINDOW_MS 600000
#define RL_INVALID_SLOW 1000
#define RL_INVALID_CRAWL 4000
#define RL_SLOW_PER_S 5

/* Parsed response facts. */
struct rl_resp {
    int status;
    char bucket[64]; /* "" when absent */
    bool has_remaining, has_reset_after;
    long remaining;
    double reset_after; /* seconds */
    double retry_after; /* seconds, 429 only (JSON body or Retry-After header) */
    bool global;        /* 429 with X-RateLimit-Global / "global": true */
    bool shared;        /* X-RateLimit-Scope: shared (not counted as invalid) */
};

struct rl;
struct rl *rl_new(void); /* NULL on allocation failure; free with rl_free */
void rl_free(struct rl *r);

/* Ms to wait before a request on (route, major) may start: 0 = go now. Requests
 * exempt from the global limit (interaction callbacks/webhooks) pass exempt. */
int64_t rl_wait(struct rl *r, const char *route, const char *major, bool exempt, int64_t now);
/* The request started at now: consumes one from its bucket and the global window and
 * counts it in flight on its state; key (RL_KEY_MAX bytes) receives the state it holds,
 * to be handed back to rl_done however the request ends. */
void rl_sent_key(struct rl *r, const char *route, const char *major, bool exempt, int64_t now,
                 char *key);
/* The request that holds key ended. resp = the HTTP answer (learns headers and 429s),
 * or NULL when there was none (refused, reset, timeout, cancelled): it only releases
 * its place in flight. A response's X-RateLimit-Remaining is the server's count when
 * that request was handled: requests still in flight are taken off it, and within a
 * known window it never raises the local count. */
void rl_done(struct rl *r, const char *key, const char *route, const char *major,
             const struct rl_resp *resp, int64_t now);
/* rl_sent_key / rl_done with the key recomputed from (route, major). */
void rl_sent(struct rl *r, const char *route, const char *major, bool exempt, int64_t now);
void rl_update(struct rl *r, const char *route, const char *major, const struct rl_resp *resp,
               int64_t now);
/* Invalid requests (see RL_INVALID_*) counted in the 10 minutes before now. */
long rl_invalid_count(struct rl *r, int64_t now);
/* Requests in flight on the state of (route, major) (for tests). */
int rl_inflight(struct rl *r, const char *route, const char *major);
/* Number of tracked bucket states (for tests / metrics). */
int rl_count(const struct rl *r);

#endif
