/* gateway.c - the gateway session state machine (gateway.h). Frames, socket events
 * and the clock come in from the glue; everything going out goes through the hooks.
 * Loop thread only. Owns its strings and the reassembly buffer. */
#include "bot/discord/gateway.h"
#include "bot/buf.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/discord/gw_internal.h"
#include "bot/discord/shard_gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "gateway"

uint32_t gw_rnd(struct gw *g)
{
    uint32_t x = g->rng ? g->rng : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g->rng = x;
    return x;
}

struct gw *gw_new(const struct gw_opts *o, const struct gw_hooks *h)
{
    struct gw *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->token = strdup(o->token ? o->token : "");
    if (!g->token)
        goto fail;
    g->h = *h;
    g->intents = o->intents;
    g->shard_id = o->shard_id;
    g->shard_count = o->shard_count;
    g->allow_ws = o->allow_ws;
    g->rng = o->seed ? o->seed : 0x2545f491u;
    g->seq = -1;
    g->last_ack = -1;
    g->connect_at = g->fetch_at = g->hello_deadline = g->hb_due = -1;
    g->pending_action = -1;
    buf_init(&g->frag, o->max_frame ? o->max_frame : (size_t)16 << 20);
    if (o->compress && !(g->zin = gw_inflate_new(g->frag.max)))
        goto fail;
    return g;
fail:
    free(g->token);
    free(g);
    return NULL;
}

void gw_free(struct gw *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->npending; i++)
        free(g->pending[i]);
    buf_free(&g->frag);
    gw_inflate_free(g->zin);
    gw_chans_free(&g->chans);
    free(g->token);
    free(g);
}

void gw_set_state(struct gw *g, enum gw_state s)
{
    if (g->state != s)
        log_debug(MOD, "state %s -> %s", gw_state_name(g->state), gw_state_name(s));
    g->state = s;
}

/* ---- sending ---- */

static int send_now(struct gw *g, const char *text, size_t len, int64_t now)
{
    gw_bucket_take(&g->bucket, now);
    return g->h.send(g->h.arg, text, len);
}

/* Heartbeats may use the whole 120; everything else stops at 110 and queues. */
static int gw_send(struct gw *g, const char *text, bool heartbeat, int64_t now)
{
    size_t len = strlen(text);
    if (len > 4096) {
        log_error(MOD, "refusing to send a %zu-byte payload (limit 4096)", len);
        return BOT_ETOOBIG;
    }
    int limit = heartbeat ? GW_SEND_MAX : GW_APP_SEND_LIMIT;
    if ((heartbeat || g->npending == 0) && gw_bucket_wait(&g->bucket, limit, now) == 0)
        return send_now(g, text, len, now);
    if (g->npending == GW_PENDING) {
        g->st.dropped_sends++;
        log_warn(MOD, "send queue full, payload dropped");
        return BOT_EFULL;
    }
    g->pending[g->npending] = strdup(text);
    if (!g->pending[g->npending])
        return BOT_ENOMEM;
    g->npending++;
    return 0;
}

void gw_flush_pending(struct gw *g, int64_t now)
{
    while (g->npending > 0 && gw_bucket_wait(&g->bucket, GW_APP_SEND_LIMIT, now) == 0) {
        char *t = g->pending[0];
        memmove(g->pending, g->pending + 1, (size_t)(g->npending - 1) * sizeof(char *));
        g->npending--;
        send_now(g, t, strlen(t), now);
        free(t);
    }
}

static void clear_pending(struct gw *g)
{
    for (int i = 0; i < g->npending; i++)
        free(g->pending[i]);
    g->npending = 0;
}

void gw_send_heartbeat(struct gw *g, int64_t now)
{
    char hb[48];
    if (g->seq >= 0)
        snprintf(hb, sizeof(hb), "{\"op\":1,\"d\":%lld}", (long long)g->seq);
    else
        snprintf(hb, sizeof(hb), "{\"op\":1,\"d\":null}");
    g->st.heartbeats++;
    gw_send(g, hb, true, now);
}

static int send_json(struct gw *g, json_t *payload, int64_t now)
{
    if (!payload)
        return BOT_ENOMEM;
    char *s = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!s)
        return BOT_ENOMEM;
    int rc = gw_send(g, s, false, now);
    free(s);
    return rc;
}

int gw_send_identify(struct gw *g, int64_t now)
{
    json_t *d = json_pack("{s:s, s:I, s:{s:s, s:s, s:s}}", "token", g->token, "intents",
                          (json_int_t)g->intents, "properties", "os", "linux", "browser",
                          "cohortbot", "device", "cohortbot");
    if (d && g->shard_count > 0)
        json_object_set_new(d, "shard", json_pack("[i,i]", g->shard_id, g->shard_count));
    g->st.identifies++;
    shard_gate_identified(g->shard_id, g->shard_count, g->max_concurrency);
    log_info(MOD, "identify intents=%llu", (unsigned long long)g->intents);
    return send_json(g, d ? json_pack("{s:i, s:o}", "op", 2, "d", d) : NULL, now);
}

int gw_send_resume(struct gw *g, int64_t now)
{
    g->st.resumes++;
    log_info(MOD, "resume session seq=%lld", (long long)g->seq);
    return send_json(g,
                     json_pack("{s:i, s:{s:s, s:s, s:I}}", "op", 6, "d", "token", g->token,
                               "session_id", g->session_id, "seq", (json_int_t)g->seq),
                     now);
}

/* ---- connecting ---- */

static void schedule_connect(struct gw *g, int64_t delay, int64_t now)
{
    g->connect_at = now + delay;
    log_info(MOD, "reconnect in %lld ms (%s)", (long long)delay,
             g->want_resume ? "resume" : "identify");
}

static void reset_socket_timers(struct gw *g)
{
    g->hb_interval = 0;
    g->hb_due = -1;
    g->ack_pending = false;
    g->hello_deadline = -1;
    buf_free(&g->frag);
    clear_pending(g);
    memset(&g->bucket, 0, sizeof(g->bucket));
}

void gw_do_connect(struct gw *g, int64_t now)
{
    g->connect_at = -1;
    bool resume = g->want_resume && g->session_id[0] && g->resume_url[0];
    if (!resume && !g->gateway_url[0]) {
        g->fetch_at = now;
        return;
    }
    int64_t wait = resume ? 0 : shard_gate_claim(g->shard_id, g->shard_count, g->max_concurrency);
    if (wait > 0) {
        g->connect_at = now + wait; /* IDENTIFY follows this connect: keep the bucket's pace */
        return;
    }
    char url[GW_URL_MAX + 64];
    if (gw_build_url(resume ? g->resume_url : g->gateway_url, g->allow_ws, url, sizeof(url)) < 0 ||
        (g->zin && gw_add_compress(url, sizeof(url)) < 0)) {
        log_error(MOD, "unusable gateway URL");
        g->stopped = g->fatal = true;
        g->h.fatal(g->h.arg, 0, "unusable gateway URL (wss:// required)");
        return;
    }
    reset_socket_timers(g);
    g->zin_failed = g->zin && gw_inflate_reset(g->zin) < 0; /* a new zlib context per socket */
    gw_set_state(g, GW_CONNECTING);
    g->socket_open = false;
    g->hello_deadline = now + GW_HELLO_TIMEOUT_MS;
    if (g->h.connect(g->h.arg, url) < 0) {
        gw_set_state(g, GW_DISCONNECTED);
        schedule_connect(g, gw_backoff_ms(g->attempts++, gw_rnd(g)), now);
    }
}

/* shard_count "auto" takes Discord's recommended count; a shard id beyond the count
 * cannot identify. 0, or -1 after a fatal stop. */
static int gw_shard_plan(struct gw *g, json_t *j, json_t *lim)
{
    g->max_concurrency = (int)json_integer_value(json_object_get(lim, "max_concurrency"));
    if (g->shard_count < 0) {
        json_int_t n = json_integer_value(json_object_get(j, "shards"));
        g->shard_count = n >= 1 && n <= 65535 ? (int)n : 1;
        log_info(MOD, "shard_count auto: Discord recommends %d", g->shard_count);
    }
    if (g->shard_count > 0 && g->shard_id >= g->shard_count) {
        g->stopped = g->fatal = true;
        g->h.fatal(g->h.arg, 0, "this shard id is not below shard_count (see cohortbot shards)");
        return -1;
    }
    return 0;
}

int gw_shard_count(const struct gw *g)
{
    return g->shard_count;
}

void gw_start(struct gw *g, int64_t now)
{
    g->stopped = false;
    g->fetch_at = now;
}

void gw_on_gateway_bot(struct gw *g, int status, const char *body, size_t len, int64_t now)
{
    g->fetching = false;
    if (g->stopped)
        return;
    json_t *j = status == 200 ? json_loadb(body, len, 0, NULL) : NULL;
    const char *url = j ? json_string_value(json_object_get(j, "url")) : NULL;
    if (!url || strlen(url) >= GW_URL_MAX) {
        log_warn(MOD, "GET /gateway/bot failed status=%d", status);
        json_decref(j);
        g->fetch_at = now + gw_backoff_ms(g->attempts++, gw_rnd(g));
        return;
    }
    memcpy(g->gateway_url, url, strlen(url) + 1);
    json_t *lim = json_object_get(j, "session_start_limit");
    if (gw_shard_plan(g, j, lim)) {
        json_decref(j);
        return;
    }
    json_int_t remaining = json_integer_value(json_object_get(lim, "remaining"));
    json_int_t reset_after = json_integer_value(json_object_get(lim, "reset_after"));
    int64_t delay = 0;
    if (json_is_object(lim) && remaining <= 0) {
        delay = reset_after > 0 ? (int64_t)reset_after : 5000;
        log_warn(MOD, "session start limit exhausted, waiting %lld ms", (long long)delay);
    }
    json_decref(j);
    schedule_connect(g, delay, now);
}

void gw_on_open(struct gw *g, int64_t now)
{
    g->socket_open = true;
    g->hello_deadline = now + GW_HELLO_TIMEOUT_MS;
    log_debug(MOD, "socket open");
}

/* We decided to leave this socket: remember what to do once it is gone. */
void gw_leave(struct gw *g, enum gw_action act, int64_t delay, int code)
{
    g->pending_action = (int)act;
    g->pending_delay = delay;
    gw_set_state(g, GW_CLOSING);
    g->h.close(g->h.arg, code);
}

void gw_on_close(struct gw *g, int code, int64_t now)
{
    enum gw_action act;
    int64_t delay = -1;
    bool was_closing = g->state == GW_CLOSING;
    reset_socket_timers(g);
    g->socket_open = false;
    gw_set_state(g, GW_DISCONNECTED);
    if (g->stopped)
        return;
    if (was_closing && g->pending_action >= 0) {
        act = (enum gw_action)g->pending_action;
        delay = g->pending_delay;
    } else
        act = gw_close_policy(code);
    g->pending_action = -1;
    g->st.reconnects++;
    log_info(MOD, "socket closed code=%d action=%s", code,
             act == GW_ACT_FATAL    ? "stop"
             : act == GW_ACT_RESUME ? "resume"
                                    : "identify");
    if (act == GW_ACT_FATAL) {
        log_error(MOD, "gateway closed with %d: %s", code, gw_close_text(code));
        g->stopped = g->fatal = true;
        g->h.fatal(g->h.arg, code, gw_close_text(code));
        return;
    }
    if (act == GW_ACT_REIDENTIFY) {
        g->session_id[0] = '\0';
        g->resume_url[0] = '\0';
        g->seq = -1;
    }
    g->want_resume = act == GW_ACT_RESUME && g->session_id[0];
    if (delay < 0)
        delay = gw_backoff_ms(g->attempts++, gw_rnd(g));
    schedule_connect(g, delay, now);
}

void gw_stop(struct gw *g)
{
    if (g->stopped)
        return;
    g->stopped = true;
    g->connect_at = g->fetch_at = -1;
    if (g->state != GW_DISCONNECTED) {
        gw_set_state(g, GW_CLOSING);
        g->h.close(g->h.arg, 1000);
    }
}
