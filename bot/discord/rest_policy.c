/* rest_policy.c - pure REST decisions (rest.h): retry delays and 429 wait parsing.
 * No I/O, no clock; any thread. */
#include "bot/discord/rest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REST_DEFAULT_429_S 5.0

static int64_t backoff(int attempts)
{
    int64_t d = 1000;
    for (int i = 1; i < attempts && d < REST_BACKOFF_CAP_MS; i++)
        d *= 2;
    return d > REST_BACKOFF_CAP_MS ? REST_BACKOFF_CAP_MS : d;
}

int64_t rest_retry_ms(int status, bool curl_ok, bool sent_maybe, unsigned flags, int attempts,
                      int max_attempts, double retry_after_s)
{
    if (!curl_ok) {
        if (sent_maybe && (flags & REST_F_INTERACTION))
            return -1; /* may have been acknowledged: never send a callback twice */
        if (sent_maybe && !(flags & REST_F_IDEMPOTENT))
            return -1; /* may have been done: a second one could duplicate it */
        return attempts >= REST_NET_ATTEMPTS ? -1 : backoff(attempts);
    }
    if (attempts >= max_attempts)
        return -1;
    if (status == 429) {
        if (retry_after_s < 0)
            retry_after_s = 0;
        if (retry_after_s > 3600)
            retry_after_s = 3600;
        return (int64_t)(retry_after_s * 1000.0) + 1;
    }
    if (status >= 500 && status <= 599) {
        if (flags & REST_F_INTERACTION)
            return -1;
        return backoff(attempts);
    }
    return -1;
}

double rest_parse_retry_after(const char *body, size_t len, const char *content_type,
                              const char *hdr)
{
    if (body && len && content_type && strncasecmp(content_type, "application/json", 16) == 0) {
        json_t *j = json_loadb(body, len, 0, NULL);
        json_t *ra = json_object_get(j, "retry_after");
        if (json_is_number(ra)) {
            double v = json_number_value(ra);
            json_decref(j);
            return v >= 0 ? v : 0;
        }
        json_decref(j);
    }
    if (hdr && *hdr) {
        char *end = NULL;
        double v = strtod(hdr, &end);
        if (end != hdr && v >= 0)
            return v;
    }
    return REST_DEFAULT_429_S;
}

int64_t rest_jitter_ms(int64_t delay, uint32_t rnd)
{
    return delay + (int64_t)((uint64_t)delay * (rnd % 1024) / 4096);
}

bool rest_is_idempotent(const char *method, const char *path, const char *body)
{
    if (strcmp(method, "POST") != 0)
        return true; /* GET, PUT, PATCH, DELETE */
    if (strcmp(path, "/users/@me/channels") == 0)
        return true; /* answers the existing DM channel */
    if (!body)
        return false;
    json_t *j = json_loads(body, 0, NULL);
    bool nonce = json_is_true(json_object_get(j, "enforce_nonce")) &&
                 json_is_string(json_object_get(j, "nonce"));
    json_decref(j);
    return nonce; /* Discord answers the first message again for a repeated nonce */
}

struct form_walk {
    char *out;
    size_t cap, len;
    int n;
};

static void form_leaf(struct form_walk *w, const char *path, json_t *errs)
{
    json_t *e = json_array_get(errs, 0);
    const char *m = json_string_value(json_object_get(e, "message"));
    if (w->n >= 3 || w->len + 1 >= w->cap)
        return;
    int k = snprintf(w->out + w->len, w->cap - w->len, "%s%s: %s", w->n ? "; " : "",
                     *path ? path : "(body)", m ? m : "?");
    if (k > 0)
        w->len = w->len + (size_t)k < w->cap ? w->len + (size_t)k : w->cap - 1;
    w->n++;
}

static void form_walk(struct form_walk *w, json_t *node, const char *path, int depth)
{
    const char *k;
    json_t *v;
    if (!json_is_object(node) || depth > 8)
        return;
    json_object_foreach(node, k, v)
    {
        if (strcmp(k, "_errors") == 0) {
            form_leaf(w, path, v);
            continue;
        }
        char sub[160];
        int n = snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
        if (n < 0 || (size_t)n >= sizeof(sub))
            continue; /* a path this deep is not worth a log line */
        form_walk(w, v, sub, depth + 1);
    }
}

void rest_form_errors(const char *body, size_t len, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    json_t *j = body && len ? json_loadb(body, len, 0, NULL) : NULL;
    struct form_walk w = {out, cap, 0, 0};
    form_walk(&w, json_object_get(j, "errors"), "", 0);
    json_decref(j);
}
