/* feed.h - fetching one iCal feed body: an https URL reaching a public address (or
 * an operator-listed private endpoint) with conditional GET, or a local file. BLOCKING: run it on a worker thread, never on
 * the loop thread. Thread-safe (no shared state; curl's global init is done once).
 * Does not parse the body (calendar.h does) and does not retry or schedule. */
#ifndef COHORT_FEED_H
#define COHORT_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"

#define FEED_DEFAULT_MAX (5u * 1024u * 1024u)
#define FEED_DEFAULT_TIMEOUT_MS 30000L
#define FEED_MAX_REDIRECTS 5

/* What identifies the last good copy; all fields optional (empty / 0). */
struct feed_validators {
    char etag[256];
    char last_modified[64];
    uint64_t hash; /* feed_hash of the body */
    bool have_hash;
};

struct sockaddr_storage;

/* Resolves `host` into up to `max` addresses (port left 0); returns how many, or a
 * negative BOT_E* code. NULL in feed_opts = the system resolver (getaddrinfo). */
typedef int (*feed_resolver)(void *arg, const char *host, struct sockaddr_storage *out, int max);

struct feed_opts {
    size_t max_bytes;        /* 0 = FEED_DEFAULT_MAX */
    long timeout_ms;         /* 0 = FEED_DEFAULT_TIMEOUT_MS (whole fetch) */
    long connect_timeout_ms; /* 0 = FEED_DEFAULT_CONNECT_MS (connect, TLS, first bytes) */
    /* The operator's exact "host:port" endpoints that may be private (http allowed
     * for those); borrowed. */
    const char *const *allow_private;
    size_t nallow;
    feed_resolver resolve; /* tests inject one; NULL = getaddrinfo */
    void *resolve_arg;
};

#define FEED_DEFAULT_CONNECT_MS 5000L

enum feed_status { FEED_CHANGED, FEED_UNCHANGED, FEED_ERROR };

struct feed_result {
    enum feed_status status;
    char *body; /* FEED_CHANGED only: owned, NUL-terminated; free with feed_result_free */
    size_t len;
    struct feed_validators v; /* new validators (copied from prev when unchanged) */
    long http_code;           /* 0 for files */
    int code;                 /* FEED_ERROR: BOT_E* code */
    char err[BOT_ERR_LEN];    /* FEED_ERROR: a clear, generic message safe to show in
                                 Discord (no fetched bytes, paths, library text, secrets) */
    char detail[BOT_ERR_LEN]; /* FEED_ERROR: the details for the log (URL redacted) */
};

/* Fetches `source` (an http(s) URL or a file path). `prev` (may be NULL) supplies
 * validators for If-None-Match / If-Modified-Since and the hash that detects an
 * unchanged body when the server sends no validators. `opts` may be NULL. Fills *out
 * (caller calls feed_result_free). Returns 0 unless the result is FEED_ERROR, then
 * out->code. */
int feed_fetch(const char *source, const struct feed_validators *prev, const struct feed_opts *opts,
               struct feed_result *out);
void feed_result_free(struct feed_result *r);

/* 64-bit FNV-1a over the body with DTSTAMP lines (and their folded continuations)
 * and CR bytes left out, so a feed whose only change is DTSTAMP hashes the same. */
uint64_t feed_hash(const char *body, size_t len);

/* Syntax check before anything is stored: true for https:// URLs, and for http://
 * URLs whose host:port is on the allow list. Addresses are checked at fetch time
 * (every hop: resolved by the bot, refused unless public or listed, then pinned so
 * the connection uses exactly the checked address). */
bool feed_url_allowed(const char *url, const char *const *allow, size_t nallow);

#endif
