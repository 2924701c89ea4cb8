/* ratelimit.c - REST rate-limit arithmetic (ratelimit.h). Pure over `now`; the
 * tables are small arrays searched linearly (a bot touches tens of routes). */
#include "bot/discord/ratelimit.h"
#include "bot/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_MAX_STATES 2048
#define RL_UNKNOWN_POLL_MS 50

struct rl_map {
    char route[RL_ROUTE_MAX];
    char bucket[64];
};

#define RL_INV_SLOTS 60 /* 10-second slots of the 10-minute invalid-request window */

struct rl_state {
    char key[RL_KEY_MAX];
    bool learned;
    long remaining;
    int64_t reset_at;
    int inflight;
};

struct rl {
    struct rl_map *map;
    int nmap, capmap;
    struct rl_state *st;
    int nst, capst;
    int64_t global_until;
    int64_t gts[RL_GLOBAL_PER_S];
    int ghead, gn;
    int64_t inv_slot[RL_INV_SLOTS]; /* which 10 s period each slot counts */
    long inv_n[RL_INV_SLOTS];
    int64_t last_plain; /* last start of a request that is not exempt */
};

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int add(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
    if (*pos + n + 1 > cap)
        return BOT_ETOOBIG;
    memcpy(out + *pos, s, n);
    *pos += n;
    out[*pos] = '\0';
    return 0;
}

static uint64_t fnv64(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

int rl_route(const char *method, const char *path, char *route, size_t rlen, char *major,
             size_t mlen)
{
    size_t rp = 0, mp = 0, plen = strcspn(path, "?");
    route[0] = major[0] = '\0';
    if (add(route, rlen, &rp, method, strlen(method)) < 0 || add(route, rlen, &rp, " ", 1) < 0)
        return BOT_ETOOBIG;
    const char *res = NULL;
    size_t reslen = 0;
    int idx = 0;
    for (size_t i = 0; i < plen;) {
        while (i < plen && path[i] == '/')
            i++;
        if (i >= plen)
            break;
        size_t n = strcspn(path + i, "/?");
        const char *seg = path + i;
        if (idx == 0) {
            res = seg;
            reslen = n;
        }
        bool is_major_res = res && ((reslen == 8 && !memcmp(res, "channels", 8)) ||
                                    (reslen == 6 && !memcmp(res, "guilds", 6)) ||
                                    (reslen == 8 && !memcmp(res, "webhooks", 8)));
        bool is_ix = res && reslen == 12 && !memcmp(res, "interactions", 12);
        bool is_wh = res && reslen == 8 && !memcmp(res, "webhooks", 8);
        bool in_major = is_major_res && (idx == 1 || (is_wh && idx == 2));
        const char *tmpl = NULL;
        if ((is_ix && idx == 2) || (is_wh && idx == 2))
            tmpl = "{token}";
        else if (all_digits(seg, n) || (is_ix && idx == 1))
            tmpl = "{id}";
        if (in_major || (is_ix && idx == 1)) {
            char folded[24];
            const char *mseg = seg;
            size_t mn = n;
            if (is_wh && idx == 2) { /* a webhook token: any length, a secret */
                mn = (size_t)snprintf(folded, sizeof(folded), "~%016llx",
                                      (unsigned long long)fnv64(seg, n));
                mseg = folded;
            }
            if ((mp > 0 && add(major, mlen, &mp, "/", 1) < 0) ||
                (mp == 0 && add(major, mlen, &mp, res, reslen) < 0) ||
                (idx == 1 && add(major, mlen, &mp, "/", 1) < 0) ||
                add(major, mlen, &mp, mseg, mn) < 0)
                return BOT_ETOOBIG;
        }
        if (add(route, rlen, &rp, "/", 1) < 0 ||
            add(route, rlen, &rp, tmpl ? tmpl : seg, tmpl ? strlen(tmpl) : n) < 0)
            return BOT_ETOOBIG;
        i += n;
        idx++;
    }
    return 0;
}

struct rl *rl_new(void)
{
    return calloc(1, sizeof(struct rl));
}

void rl_free(struct rl *r)
{
    if (!r)
        return;
    free(r->map);
    free(r->st);
    free(r);
}

int rl_count(const struct rl *r)
{
    return r->nst;
}

static const char *bucket_of(const struct rl *r, const char *route)
{
    for (int i = 0; i < r->nmap; i++)
        if (strcmp(r->map[i].route, route) == 0)
            return r->map[i].bucket;
    return NULL;
}

static void state_key(const struct rl *r, const char *route, const char *major, char *out, size_t n)
{
    const char *b = bucket_of(r, route);
    if (b)
        snprintf(out, n, "b:%s|%s", b, major);
    else
        snprintf(out, n, "r:%s|%s", route, major);
}

static struct rl_state *find_state(struct rl *r, const char *key)
{
    for (int i = 0; i < r->nst; i++)
        if (strcmp(r->st[i].key, key) == 0)
            return &r->st[i];
    return NULL;
}

static struct rl_state *get_state(struct rl *r, const char *key, int64_t now)
{
    struct rl_state *s = find_state(r, key);
    if (s)
        return s;
    if (r->nst >= RL_MAX_STATES) { /* evict idle, expired states */
        int j = 0;
        for (int i = 0; i < r->nst; i++)
            if (r->st[i].inflight > 0 || r->st[i].reset_at > now)
                r->st[j++] = r->st[i];
        r->nst = j;
        if (r->nst >= RL_MAX_STATES)
            return NULL;
    }
    if (r->nst == r->capst) {
        int cap = r->capst ? r->capst * 2 : 16;
        struct rl_state *p = realloc(r->st, (size_t)cap * sizeof(*p));
        if (!p)
            return NULL;
        r->st = p;
        r->capst = cap;
    }
    s = &r->st[r->nst++];
    memset(s, 0, sizeof(*s));
    snprintf(s->key, sizeof(s->key), "%s", key);
    return s;
}

static int64_t global_wait(const struct rl *r, int64_t now)
{
    if (now < r->global_until)
        return r->global_until - now;
    if (r->gn < RL_GLOBAL_PER_S)
        return 0;
    int64_t free_at = r->gts[r->ghead] + 1000;
    return free_at > now ? free_at - now : 0;
}

long rl_invalid_count(struct rl *r, int64_t now)
{
    int64_t period = now / 10000;
    long n = 0;
    for (int i = 0; i < RL_INV_SLOTS; i++)
        if (r->inv_slot[i] > period - RL_INV_SLOTS && r->inv_slot[i] <= period)
            n += r->inv_n[i];
    return n;
}

static void invalid_add(struct rl *r, int64_t now)
{
    int64_t period = now / 10000;
    int i = (int)(period % RL_INV_SLOTS);
    if (r->inv_slot[i] != period) {
        r->inv_slot[i] = period;
        r->inv_n[i] = 0;
    }
    r->inv_n[i]++;
}

/* Ms before a request that is not exempt may start because of past invalid requests. */
static int64_t slow_wait(struct rl *r, int64_t now)
{
    long inv = rl_invalid_count(r, now);
    int64_t gap = inv >= RL_INVALID_CRAWL  ? 1000
                  : inv >= RL_INVALID_SLOW ? 1000 / RL_SLOW_PER_S
                                           : 0;
    int64_t at = r->last_plain + gap;
    return gap > 0 && at > now ? at - now : 0;
}

int64_t rl_wait(struct rl *r, const char *route, const char *major, bool exempt, int64_t now)
{
    int64_t gw = exempt ? 0 : global_wait(r, now);
    int64_t sw = exempt ? 0 : slow_wait(r, now);
    if (sw > gw)
        gw = sw;
    char key[RL_KEY_MAX];
    state_key(r, route, major, key, sizeof(key));
    const struct rl_state *s = find_state(r, key);
    int64_t bw = 0;
    if (s && s->reset_at > now && s->remaining <= 0)
        bw = s->reset_at - now; /* exhausted, counting what is in flight (or a 429 said so) */
    else if (s && !s->learned && s->inflight > 0)
        bw = RL_UNKNOWN_POLL_MS; /* first request still out: learn the limit first */
    return gw > bw ? gw : bw;
}

static void global_take(struct rl *r, int64_t now)
{
    while (r->gn > 0 && r->gts[r->ghead] + 1000 <= now) {
        r->ghead = (r->ghead + 1) % RL_GLOBAL_PER_S;
        r->gn--;
    }
    if (r->gn == RL_GLOBAL_PER_S) {
        r->ghead = (r->ghead + 1) % RL_GLOBAL_PER_S;
        r->gn--;
    }
    r->gts[(r->ghead + r->gn) % RL_GLOBAL_PER_S] = now;
    r->gn++;
    r->last_plain = now;
}

void rl_sent_key(struct rl *r, const char *route, const char *major, bool exempt, int64_t now,
                 char *key)
{
    if (!exempt)
        global_take(r, now);
    state_key(r, route, major, key, RL_KEY_MAX);
    struct rl_state *s = get_state(r, key, now);
    if (!s)
        return;
    if (s->learned && s->reset_at <= now)
        s->learned = false; /* window passed: the next response teaches us again */
    if (s->learned && s->remaining > 0)
        s->remaining--;
    s->inflight++;
}

void rl_sent(struct rl *r, const char *route, const char *major, bool exempt, int64_t now)
{
    char key[RL_KEY_MAX];
    rl_sent_key(r, route, major, exempt, now, key);
}

int rl_inflight(struct rl *r, const char *route, const char *major)
{
    char key[RL_KEY_MAX];
    state_key(r, route, major, key, sizeof(key));
    const struct rl_state *s = find_state(r, key);
    return s ? s->inflight : 0;
}

static void set_bucket(struct rl *r, const char *route, const char *bucket)
{
    for (int i = 0; i < r->nmap; i++)
        if (strcmp(r->map[i].route, route) == 0) {
            snprintf(r->map[i].bucket, sizeof(r->map[i].bucket), "%s", bucket);
            return;
        }
    if (r->nmap == r->capmap) {
        int cap = r->capmap ? r->capmap * 2 : 16;
        if (cap > RL_MAX_STATES)
            return;
        struct rl_map *p = realloc(r->map, (size_t)cap * sizeof(*p));
        if (!p)
            return;
        r->map = p;
        r->capmap = cap;
    }
    snprintf(r->map[r->nmap].route, RL_ROUTE_MAX, "%s", route);
    snprintf(r->map[r->nmap].bucket, 64, "%s", bucket);
    r->nmap++;
}

/* An interaction's callback is answered once: once nothing is in flight and the bucket
 * is not holding, its state (keyed by the interaction id) would only fill the table. */
static void forget_answered(struct rl *r, struct rl_state *s, const char *major, int64_t now)
{
    bool holding = s->reset_at > now && s->remaining <= 0;
    if (strncmp(major, "interactions/", 13) != 0 || s->inflight > 0 || holding)
        return;
    *s = r->st[r->nst - 1];
    r->nst--;
}

/* X-RateLimit-Remaining/Reset-After of one response into the state: the server's count
 * when this request was handled, less the requests still out; never raised within a window
 * we know. */
static void learn_headers(struct rl_state *s, const struct rl_resp *resp, int64_t now)
{
    long est = resp->remaining - s->inflight;
    if (est < 0)
        est = 0;
    int64_t reset_at = now + (int64_t)(resp->reset_after * 1000.0);
    if (s->learned && s->reset_at > now) {
        if (est <= s->remaining) {
            s->remaining = est;
            if (reset_at > s->reset_at)
                s->reset_at = reset_at;
        }
        return;
    }
    s->learned = true;
    s->remaining = est;
    s->reset_at = reset_at;
}

void rl_done(struct rl *r, const char *key, const char *route, const char *major,
             const struct rl_resp *resp, int64_t now)
{
    struct rl_state *s = key ? find_state(r, key) : NULL;
    if (s && s->inflight > 0)
        s->inflight--;
    if (!resp) { /* no HTTP answer: only the place in flight is given back */
        if (s)
            forget_answered(r, s, major, now);
        return;
    }
    if (resp->status == 401 || resp->status == 403 || (resp->status == 429 && !resp->shared))
        invalid_add(r, now);
    if (resp->status == 429 && resp->global) {
        r->global_until = now + (int64_t)(resp->retry_after * 1000.0);
        return;
    }
    char cur[RL_KEY_MAX];
    if (resp->bucket[0])
        set_bucket(r, route, resp->bucket);
    state_key(r, route, major, cur, sizeof(cur));
    if (s && strcmp(s->key, cur) != 0) /* the route-keyed state it learned under */
        forget_answered(r, s, major, now);
    s = get_state(r, cur, now);
    if (!s)
        return;
    if (resp->has_remaining && resp->has_reset_after)
        learn_headers(s, resp, now);
    if (resp->status == 429) {
        s->learned = true;
        s->remaining = 0;
        int64_t until = now + (int64_t)(resp->retry_after * 1000.0);
        if (until > s->reset_at)
            s->reset_at = until;
    }
    forget_answered(r, s, major, now);
}

void rl_update(struct rl *r, const char *route, const char *major, const struct rl_resp *resp,
               int64_t now)
{
    char key[RL_KEY_MAX];
    state_key(r, route, major, key, sizeof(key));
    rl_done(r, key, route, major, resp, now);
}
