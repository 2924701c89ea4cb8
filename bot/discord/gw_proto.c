/* gw_proto.c - the pure parts of the gateway (gateway.h): close-code policy,
 * envelope scan, backoff, send bucket and URL building. No I/O, no clock, no
 * allocation; any thread. */
#include "bot/err.h"
#include "bot/discord/gateway.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum gw_action gw_close_policy(int code)
{
    switch (code) {
    case 4004: /* authentication failed */
    case 4010: /* invalid shard */
    case 4011: /* sharding required */
    case 4012: /* invalid API version */
    case 4013: /* invalid intents */
    case 4014: /* disallowed intents */
        return GW_ACT_FATAL;
    case 1000: /* a server 1000/1001 invalidates the session */
    case 1001:
    case 4003: /* not authenticated */
    case 4007: /* invalid seq */
    case 4009: /* session timed out */
        return GW_ACT_REIDENTIFY;
    default: /* 0/1006 lost, 4000-4002, 4005, 4008, anything else */
        return GW_ACT_RESUME;
    }
}

const char *gw_close_text(int code)
{
    switch (code) {
    case 4004:
        return "authentication failed: the bot token is wrong or was reset";
    case 4010:
        return "invalid shard: check shard [id, count] in the config";
    case 4011:
        return "sharding required: configure shard [id, count]";
    case 4012:
        return "invalid gateway API version";
    case 4013:
        return "invalid intents value in the config";
    case 4014:
        return "privileged intent not enabled in the Developer Portal "
               "(enable it there or remove it from intents)";
    default:
        return "gateway closed";
    }
}

const char *gw_state_name(enum gw_state s)
{
    static const char *const names[] = {"disconnected", "connecting", "identifying",
                                        "resuming",     "ready",      "closing"};
    if ((unsigned)s < sizeof(names) / sizeof(names[0]))
        return names[s];
    return "?";
}

/* ---- envelope scan ---- */

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* Eight bytes at a time: does the word hold a '"', a '\\' or a control byte (< 0x20)?
 * The usual has-zero-byte tests on x ^ '"', x ^ '\\' and the has-less-than test on x. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline bool word_special(uint64_t x)
{
    uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
    return ((((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x)) & HIGHS) != 0;
}

static int skip_string(const char *p, size_t *i, size_t n)
{
    size_t k = *i + 1;
    while (k < n) {
        if (k + 8 <= n) { /* plain runs go by in words */
            uint64_t x;
            memcpy(&x, p + k, 8);
            if (!word_special(x)) {
                k += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)p[k];
        if (c == '\\')
            k += 2;
        else if (c == '"') {
            *i = k + 1;
            return 0;
        } else if (c < 0x20)
            return BOT_EPROTO;
        else
            k++;
    }
    return BOT_EPROTO;
}

static inline bool ends_primitive(unsigned char c)
{
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int skip_value(const char *p, size_t *i, size_t n)
{
    if (*i >= n)
        return BOT_EPROTO;
    char c = p[*i];
    if (c == '"')
        return skip_string(p, i, n);
    if (c == '{' || c == '[') {
        size_t k = *i;
        long depth = 0;
        while (k < n) {
            c = p[k];
            if (c == '"') {
                if (skip_string(p, &k, n) < 0)
                    return BOT_EPROTO;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    *i = k + 1;
                    return 0;
                }
            }
            k++;
        }
        return BOT_EPROTO;
    }
    size_t k = *i;
    while (k < n && !ends_primitive((unsigned char)p[k]))
        k++;
    if (k == *i)
        return BOT_EPROTO;
    *i = k;
    return 0;
}

/* Parses a JSON integer in p[a..b) (no fraction). */
static int scan_int(const char *p, size_t a, size_t b, int64_t *out)
{
    char tmp[24];
    if (b <= a || b - a >= sizeof(tmp))
        return BOT_EPROTO;
    memcpy(tmp, p + a, b - a);
    tmp[b - a] = '\0';
    char *end = NULL;
    long long v = strtoll(tmp, &end, 10);
    if (*end != '\0' || end == tmp)
        return BOT_EPROTO;
    *out = v;
    return 0;
}

static int take_field(const char *p, size_t n, const char *key, size_t klen, size_t vs, size_t ve,
                      struct gw_env *e, bool *have_op)
{
    bool null = (ve - vs == 4 && memcmp(p + vs, "null", 4) == 0);
    if (klen == 2 && memcmp(key, "op", 2) == 0) {
        int64_t v;
        if (scan_int(p, vs, ve, &v) < 0 || v < 0 || v > 1000)
            return BOT_EPROTO;
        e->op = (int)v;
        *have_op = true;
    } else if (klen == 1 && key[0] == 's') {
        e->has_s = false;
        if (!null) {
            if (scan_int(p, vs, ve, &e->s) < 0)
                return BOT_EPROTO;
            e->has_s = true;
        }
    } else if (klen == 1 && key[0] == 't') {
        e->t[0] = '\0';
        if (!null) {
            if (p[vs] != '"')
                return BOT_EPROTO;
            size_t tl = ve - vs - 2;
            if (tl == 0 || tl >= GW_T_MAX || memchr(p + vs + 1, '\\', tl))
                memcpy(e->t, "?", 2);
            else {
                memcpy(e->t, p + vs + 1, tl);
                e->t[tl] = '\0';
            }
        }
    } else if (klen == 1 && key[0] == 'd') {
        e->d_off = vs;
        e->d_len = ve - vs;
    }
    (void)n;
    return 0;
}

/* d is the last key and op, t, s came before it (Discord's order): d runs to the
 * object's closing brace, found from the end without walking d. */
static bool d_last(const char *p, size_t n, size_t vs, struct gw_env *e)
{
    size_t end = n;
    while (end > vs && strchr(" \t\r\n", p[end - 1]) && p[end - 1])
        end--;
    if (end <= vs + 1 || p[end - 1] != '}')
        return false;
    end--;
    while (end > vs && strchr(" \t\r\n", p[end - 1]) && p[end - 1])
        end--;
    e->d_off = vs;
    e->d_len = end - vs;
    e->d_unchecked = true;
    return e->d_len > 0;
}

static int scan(const char *p, size_t n, struct gw_env *e, bool fast)
{
    memset(e, 0, sizeof(*e));
    e->op = -1;
    bool have_op = false, have_t = false, have_s = false;
    size_t i = skip_ws(p, 0, n);
    if (i >= n || p[i] != '{')
        return BOT_EPROTO;
    i = skip_ws(p, i + 1, n);
    if (i < n && p[i] == '}')
        return BOT_EPROTO;
    for (;;) {
        if (i >= n || p[i] != '"')
            return BOT_EPROTO;
        size_t ks = i;
        if (skip_string(p, &i, n) < 0)
            return BOT_EPROTO;
        const char *key = p + ks + 1;
        size_t klen = i - ks - 2;
        i = skip_ws(p, i, n);
        if (i >= n || p[i] != ':')
            return BOT_EPROTO;
        i = skip_ws(p, i + 1, n);
        size_t vs = i;
        if (fast && have_op && have_t && have_s && klen == 1 && key[0] == 'd' && vs < n &&
            (p[vs] == '{' || p[vs] == '[') && d_last(p, n, vs, e))
            return 0;
        if (skip_value(p, &i, n) < 0)
            return BOT_EPROTO;
        if (take_field(p, n, key, klen, vs, i, e, &have_op) < 0)
            return BOT_EPROTO;
        have_t = have_t || (klen == 1 && key[0] == 't');
        have_s = have_s || (klen == 1 && key[0] == 's');
        i = skip_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = skip_ws(p, i + 1, n);
            continue;
        }
        if (i < n && p[i] == '}')
            break;
        return BOT_EPROTO;
    }
    if (skip_ws(p, i + 1, n) != n)
        return BOT_EPROTO;
    return have_op ? 0 : BOT_EPROTO;
}

int gw_scan_envelope(const char *p, size_t n, struct gw_env *e)
{
    return scan(p, n, e, false);
}

int gw_scan_envelope_fast(const char *p, size_t n, struct gw_env *e)
{
    return scan(p, n, e, true);
}

/* ---- backoff and send bucket ---- */

int64_t gw_backoff_ms(int attempt, uint32_t rnd)
{
    int64_t base = 1000;
    for (int k = 0; k < attempt && base < 60000; k++)
        base *= 2;
    if (base > 60000)
        base = 60000;
    int64_t d = base + (int64_t)(rnd % (uint32_t)(base / 4 + 1));
    return d > 60000 ? 60000 : d;
}

int64_t gw_bucket_wait(const struct gw_bucket *b, int limit, int64_t now)
{
    if (limit > GW_SEND_MAX)
        limit = GW_SEND_MAX;
    if (b->n < limit)
        return 0;
    /* the (n - limit)th oldest send must have left the window */
    int idx = (b->head + (b->n - limit)) % GW_SEND_MAX;
    int64_t free_at = b->ts[idx] + GW_SEND_WINDOW_MS;
    return free_at > now ? free_at - now : 0;
}

void gw_bucket_take(struct gw_bucket *b, int64_t now)
{
    while (b->n > 0 && b->ts[b->head] + GW_SEND_WINDOW_MS <= now) {
        b->head = (b->head + 1) % GW_SEND_MAX;
        b->n--;
    }
    if (b->n == GW_SEND_MAX) { /* caller ignored the wait: drop the oldest */
        b->head = (b->head + 1) % GW_SEND_MAX;
        b->n--;
    }
    b->ts[(b->head + b->n) % GW_SEND_MAX] = now;
    b->n++;
}

int gw_build_url(const char *url, bool allow_ws, char *out, size_t outlen)
{
    size_t skip;
    if (strncmp(url, "wss://", 6) == 0)
        skip = 6;
    else if (allow_ws && strncmp(url, "ws://", 5) == 0)
        skip = 5;
    else
        return BOT_EINVAL;
    size_t len = strcspn(url, "?#");
    if (len <= skip)
        return BOT_EINVAL;
    const char *slash = memchr(url + skip, '/', len - skip);
    int w = snprintf(out, outlen, "%.*s%s?v=10&encoding=json", (int)len, url, slash ? "" : "/");
    if (w < 0 || (size_t)w >= outlen)
        return BOT_ETOOBIG;
    return 0;
}

int gw_add_compress(char *url, size_t outlen)
{
    static const char q[] = "&compress=zlib-stream";
    size_t len = strlen(url);
    if (len + sizeof(q) > outlen)
        return BOT_ETOOBIG;
    memcpy(url + len, q, sizeof(q));
    return 0;
}

/* ---- for the selective scan (gw_select.c) ---- */

size_t gw_json_ws(const char *p, size_t i, size_t n)
{
    return skip_ws(p, i, n);
}

int gw_json_skip(const char *p, size_t *i, size_t n)
{
    return skip_value(p, i, n);
}
