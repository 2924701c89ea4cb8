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
 * ("channels/123", "guilds/9", "webhooks/5/<token>", or ""). Ids after the major
 * one become {id}; interaction ids/tokens are folded. 0 or BOT_ETOOBIG. Pure. */
int rl_route(const char *method, const char *path, char *route, size_t rlen, char *major,
             size_t mlen);

/* Parsed response facts. */
struct rl_resp {
    int status;
    char bucket[64]; /* "" when absent */
    bool has_remaining, has_reset_after;
    long remaining;
    double reset_after; /* seconds */
    double retry_after; /* seconds, 429 only (JSON body or Retry-After header) */
    bool global;        /* 429 with X-RateLimit-Global / "global": true */
};

struct rl;
struct rl *rl_new(void); /* NULL on allocation failure; free with rl_free */
void rl_free(struct rl *r);

/* Ms to wait before a request on (route, major) may start: 0 = go now. Requests
 * exempt from the global limit (interaction callbacks/webhooks) pass exempt. */
int64_t rl_wait(struct rl *r, const char *route, const char *major, bool exempt, int64_t now);
/* The request started at now: consumes one from its bucket and the global window. */
void rl_sent(struct rl *r, const char *route, const char *major, bool exempt, int64_t now);
/* Learns from a response (headers and 429s). */
void rl_update(struct rl *r, const char *route, const char *major, const struct rl_resp *resp,
               int64_t now);
/* Number of tracked bucket states (for tests / metrics). */
int rl_count(const struct rl *r);

#endif
