/* fake_rest.c - the REST side of the fake Discord server: the routes the bot uses,
 * per-bucket rate limits with real X-RateLimit-* headers (5 per second per route and
 * major parameter; exceeding them earns a real 429), scripted faults (status, JSON
 * or Cloudflare-style HTML 429, delays), nonce de-duplication, and a log of every
 * request with the problems fake_validate found. Test code only. */
#include "fake.h"
#include "bot/discord/ratelimit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKET_LIMIT 5
#define BUCKET_WINDOW_MS 1000

struct fbucket {
    char key[RL_ROUTE_MAX + RL_MAJOR_MAX];
    int64_t start;
    int count;
};
static struct fbucket g_buckets[256];
static int g_nbuckets;

static void hdr(struct fake_pss *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hdr(struct fake_pss *p, const char *fmt, ...)
{
    size_t used = strlen(p->extra_hdrs);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->extra_hdrs + used, sizeof(p->extra_hdrs) - used, fmt, ap);
    va_end(ap);
}

static void reply_json(struct fake_pss *p, int status, json_t *j)
{
    p->status = status;
    if (j) {
        char *s = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (s)
            buf_puts(&p->resp, s);
        free(s);
    }
}

void fake_reply_json(struct fake_pss *p, int status, json_t *j)
{
    reply_json(p, status, j);
}

static uint32_t hash32(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Real per-bucket limits: returns true when this request is over the limit. */
static bool bucket_take(struct fake *f, struct fake_pss *p, const char *route, const char *major,
                        const char *reqkey)
{
    struct fake_rule *rule = fake_rule_for(f, reqkey);
    int limit = rule ? rule->limit : BUCKET_LIMIT;
    int window = rule ? rule->window_ms : BUCKET_WINDOW_MS;
    if (rule && rule->late_ms > 0 && p->stage == 0) /* late, out of order: 37 % steps */
        p->stage = 1 + (int)((rule->n++ * 37u) % (unsigned)rule->late_ms);
    char key[sizeof(g_buckets[0].key)];
    snprintf(key, sizeof(key), "%s|%s", route, major);
    int64_t now = fake_ms(f);
    struct fbucket *b = NULL;
    for (int i = 0; i < g_nbuckets; i++)
        if (strcmp(g_buckets[i].key, key) == 0)
            b = &g_buckets[i];
    if (!b) {
        b = &g_buckets[g_nbuckets < 256 ? g_nbuckets++ : 255];
        snprintf(b->key, sizeof(b->key), "%s", key);
        b->start = now;
        b->count = 0;
    }
    if (now - b->start >= window) {
        b->start = now;
        b->count = 0;
    }
    double reset_after = (double)(window - (now - b->start)) / 1000.0;
    hdr(p, "x-ratelimit-bucket: %08x\nx-ratelimit-limit: %d\n", hash32(route), limit);
    if (b->count >= limit) {
        hdr(p,
            "x-ratelimit-remaining: 0\nx-ratelimit-reset-after: %.3f\nretry-after: 1\n"
            "x-ratelimit-scope: user\n",
            reset_after);
        reply_json(p, 429,
                   json_pack("{s:s, s:f, s:b}", "message", "You are being rate limited.",
                             "retry_after", reset_after, "global", 0));
        return true;
    }
    b->count++;
    hdr(p, "x-ratelimit-remaining: %d\nx-ratelimit-reset-after: %.3f\n", limit - b->count,
        reset_after);
    return false;
}

static bool apply_fault(struct fake *f, struct fake_pss *p, const char *key)
{
    for (int i = 0; i < f->nfaults; i++) {
        struct fake_fault *ft = &f->faults[i];
        if (ft->count <= 0 || !strstr(key, ft->match))
            continue;
        ft->count--;
        p->stage = ft->delay_ms;
        if (ft->reset) {
            p->reset = true; /* no answer at all */
            return true;
        }
        if (ft->status == 0)
            return false; /* a pure delay: answer normally, later */
        if (ft->status == 429 && ft->html) {
            p->ctype = "text/html";
            p->status = 429;
            if (!ft->no_retry_after)
                hdr(p, "retry-after: %d\n", (int)(ft->retry_after + 0.999));
            buf_puts(&p->resp, "<!DOCTYPE html><html><head><title>Access denied | "
                               "discord.com used Cloudflare</title></head><body>Error 1015: "
                               "You are being rate limited.</body></html>");
            return true;
        }
        if (ft->status == 429) {
            hdr(p, "retry-after: %d\nx-ratelimit-scope: %s\n", (int)(ft->retry_after + 0.999),
                ft->global ? "global" : "user");
            if (ft->global)
                hdr(p, "x-ratelimit-global: true\n");
            reply_json(p, 429,
                       json_pack("{s:s, s:f, s:b, s:i}", "message", "You are being rate limited.",
                                 "retry_after", ft->retry_after, "global", ft->global, "code", 0));
            return true;
        }
        const char *msg = ft->status == 401   ? "401: Unauthorized"
                          : ft->code == 50007 ? "Cannot send messages to this user"
                          : ft->status == 403 ? "Missing Permissions"
                          : ft->status == 404 ? "Unknown Channel"
                                              : "Internal Server Error";
        int code = ft->code ? ft->code : ft->status == 403 ? 50013 : ft->status == 404 ? 10003 : 0;
        reply_json(p, ft->status, json_pack("{s:s, s:i}", "message", msg, "code", code));
        return true;
    }
    return false;
}

static void new_id(struct fake *f, char out[24])
{
    snprintf(out, 24, "%llu", (unsigned long long)f->next_id++);
}

static void route_post_message(struct fake *f, struct fake_pss *p, json_t *body, const char *path)
{
    char id[24];
    const char *nonce = json_string_value(json_object_get(body, "nonce"));
    json_t *seen = nonce ? json_object_get(f->nonces, nonce) : NULL;
    if (seen && json_is_true(json_object_get(body, "enforce_nonce"))) {
        snprintf(id, sizeof(id), "%s", json_string_value(seen));
    } else {
        new_id(f, id);
        if (nonce)
            json_object_set_new(f->nonces, nonce, json_string(id));
    }
    char chan[32] = "";
    sscanf(path, "/channels/%31[0-9]", chan);
    reply_json(p, 200, json_pack("{s:s, s:s, s:s?}", "id", id, "channel_id", chan, "nonce", nonce));
}

/* Interaction answers the fake took, by token: an edit of @original needs one. */
static void answered_token(struct fake *f, const char *path)
{
    char token[400];
    if (sscanf(path, "/interactions/%*[0-9]/%399[^/]/callback", token) == 1)
        json_object_set_new(f->answered, token, json_true());
}

static bool original_exists(struct fake *f, const char *path)
{
    char token[400];
    return sscanf(path, "/webhooks/%*[0-9]/%399[^/]/messages/@original", token) == 1 &&
           json_object_get(f->answered, token);
}

static void route(struct fake *f, struct fake_pss *p, const char *m, const char *path, json_t *body)
{
    char id[24];
    size_t pl = strlen(path);
    if (fake_events_route(f, p, m, path, body))
        return;
    if (!strcmp(m, "GET") && !strcmp(path, "/gateway/bot")) {
        char url[128];
        if (f->gw_tls || lws_is_ssl(p->wsi))
            snprintf(url, sizeof(url), "wss://%s:%d/gw", f->tls_host, f->tls_port);
        else
            snprintf(url, sizeof(url), "ws://127.0.0.1:%d/gw", f->port);
        reply_json(p, 200,
                   json_pack("{s:s, s:i, s:{s:i, s:i, s:i, s:i}}", "url", url, "shards",
                             f->shard_count > 1 ? f->shard_count : 1, "session_start_limit",
                             "total", 1000, "remaining", f->start_remaining, "reset_after",
                             f->start_reset_after, "max_concurrency",
                             f->max_concurrency > 0 ? f->max_concurrency : 1));
    } else if (!strcmp(m, "POST") && !strncmp(path, "/channels/", 10) && pl > 9 &&
               !strcmp(path + pl - 9, "/messages")) {
        route_post_message(f, p, body, path);
    } else if (!strcmp(m, "POST") && !strcmp(path, "/users/@me/channels")) {
        const char *rid = json_string_value(json_object_get(body, "recipient_id"));
        snprintf(id, sizeof(id), "12%017u", rid ? hash32(rid) : 0);
        reply_json(p, 200, json_pack("{s:s, s:i}", "id", id, "type", 1));
    } else if (!strcmp(m, "POST") && !strncmp(path, "/guilds/", 8) && pl > 9 &&
               !strcmp(path + pl - 9, "/channels")) {
        new_id(f, id);
        json_t *ch = json_pack("{s:s, s:O?, s:O?, s:O?}", "id", id, "name",
                               json_object_get(body, "name"), "type", json_object_get(body, "type"),
                               "parent_id", json_object_get(body, "parent_id"));
        char gid[32] = "";
        sscanf(path, "/guilds/%31[0-9]", gid);
        fake_channel_made(f, gid, ch);
        reply_json(p, 201, ch);
    } else if (!strcmp(m, "PUT") && !strncmp(path, "/applications/", 14) && pl > 9 &&
               !strcmp(path + pl - 9, "/commands")) {
        reply_json(p, 200, json_incref(body ? body : json_array()));
    } else if (!strcmp(m, "POST") && !strncmp(path, "/interactions/", 14) && pl > 9 &&
               !strcmp(path + pl - 9, "/callback")) {
        p->status = 204;
        answered_token(f, path);
        fake_ix_answered(f, path);
    } else if (!strcmp(m, "PATCH") && !strncmp(path, "/webhooks/", 10) && pl > 19 &&
               !strcmp(path + pl - 19, "/messages/@original") && !original_exists(f, path)) {
        /* as Discord: no answer yet (or it failed), nothing to edit */
        reply_json(p, 404, json_pack("{s:s, s:i}", "message", "Unknown Message", "code", 10008));
    } else if (!strncmp(path, "/webhooks/", 10) && (!strcmp(m, "PATCH") || !strcmp(m, "POST"))) {
        new_id(f, id);
        reply_json(p, 200, json_pack("{s:s}", "id", id));
    } else {
        reply_json(p, 404, json_pack("{s:s, s:i}", "message", "404: Not Found", "code", 0));
    }
}

/* The payload_json part of a multipart body, parsed (NULL when absent). */
static json_t *multipart_payload(const struct buf *b)
{
    const char *s = buf_str(b), *name = strstr(s, "name=\"payload_json\"");
    const char *start = name ? strstr(name, "\r\n\r\n") : NULL;
    const char *end = start ? strstr(start + 4, "\r\n--") : NULL;
    return end ? json_loadb(start + 4, (size_t)(end - start - 4), 0, NULL) : NULL;
}

void fake_rest(struct fake *f, struct fake_pss *p)
{
    const char *path = p->path;
    if (!strncmp(path, "/api/v10", 8))
        path += 8;
    char key[600], rt[RL_ROUTE_MAX] = "", major[RL_MAJOR_MAX] = "";
    snprintf(key, sizeof(key), "%s %s", p->method, path);
    rl_route(p->method, path, rt, sizeof(rt), major, sizeof(major));
    char ctype[256] = "", auth[128] = "", ua[128] = "";
    lws_hdr_copy(p->wsi, ctype, sizeof(ctype), WSI_TOKEN_HTTP_CONTENT_TYPE);
    lws_hdr_copy(p->wsi, auth, sizeof(auth), WSI_TOKEN_HTTP_AUTHORIZATION);
    lws_hdr_copy(p->wsi, ua, sizeof(ua), WSI_TOKEN_HTTP_USER_AGENT);
    bool multipart = !strncmp(ctype, "multipart/", 10);
    json_t *body = p->body.len && !multipart ? json_loadb(p->body.p, p->body.len, 0, NULL) : NULL;
    json_t *problems = json_array();
    json_t *files = multipart ? json_array() : NULL;
    if (multipart) {
        body = fake_multipart(ctype, p->body.p ? p->body.p : "", p->body.len, files, problems);
        if (body)
            fake_check_uploads(body, files, problems);
    }
    if (p->body.len && !multipart && !body)
        json_array_append_new(problems, json_string("body is not JSON"));
    if (p->body.len && !multipart && strncmp(ctype, "application/json", 16))
        json_array_append_new(problems, json_string("Content-Type is not application/json"));
    if (strncmp(ua, "DiscordBot (", 12))
        json_array_append_new(problems, json_string("User-Agent is not DiscordBot (url, version)"));
    if (body)
        fake_validate(p->method, path, body, problems);
    p->stage = 0;
    bool interaction = !strncmp(path, "/interactions/", 14) || !strncmp(path, "/webhooks/", 10);
    if (apply_fault(f, p, key)) {
        /* scripted */
    } else if (!interaction && strcmp(auth, "Bot " FAKE_TOKEN) != 0) {
        reply_json(p, 401, json_pack("{s:s, s:i}", "message", "401: Unauthorized", "code", 0));
    } else if (json_array_size(problems) > 0) {
        reply_json(p, 400,
                   json_pack("{s:s, s:i, s:O}", "message", "Invalid Form Body", "code", 50035,
                             "errors", problems));
    } else if (!bucket_take(f, p, rt, major, key)) {
        route(f, p, p->method, path, body);
    }
    if (multipart && !body)
        body = multipart_payload(&p->body); /* logged, for tests that read the answer */
    json_array_append_new(f->log_rest,
                          json_pack("{s:s, s:s, s:s, s:O?, s:I, s:I, s:i, s:O, s:b, s:O?}",
                                    "method", p->method, "path", path, "route", rt, "body", body,
                                    "raw_len", (json_int_t)p->body.len, "t", (json_int_t)fake_ms(f),
                                    "status", p->status, "problems", problems, "multipart",
                                    multipart, "files", files));
    json_decref(files);
    json_decref(problems);
    json_decref(body);
}
