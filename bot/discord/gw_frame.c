/* gw_frame.c - incoming payloads and timers of the gateway state machine
 * (gateway.h): reassembly, op dispatch, READY bookkeeping, heartbeats and the
 * zombie check. Loop thread only. Malformed frames are logged and skipped. */
#include "bot/buf.h"
#include "bot/err.h"
#include "bot/discord/gateway.h"
#include "bot/log.h"

#include <stdlib.h>
#include <string.h>

/* The struct is private to the gateway; gw_frame.c shares it through this header. */
#include "bot/discord/gw_internal.h"

#define MOD "gateway"

int gw_on_fragment(struct gw *g, const char *p, size_t len, bool final, int64_t now)
{
    g->st.wire_bytes += len;
    if (g->frag_overflow) {
        if (final)
            g->frag_overflow = false;
        return BOT_ETOOBIG;
    }
    if (final && g->frag.len == 0) /* the common case: one piece, no copy */
        return gw_on_frame(g, p, len, now);
    int rc = buf_append(&g->frag, p, len);
    if (rc < 0) { /* buffer already freed by buf */
        g->st.bad_frames++;
        log_warn(MOD, "incoming message over %zu bytes dropped", g->frag.max);
        g->frag_overflow = !final;
        return rc;
    }
    if (!final)
        return 0;
    rc = gw_on_frame(g, g->frag.p, g->frag.len, now);
    if (g->frag.cap > 65536)
        buf_free(&g->frag); /* give a huge GUILD_CREATE's memory back */
    else
        buf_reset(&g->frag);
    return rc;
}

int gw_on_binary(struct gw *g, const char *p, size_t len, bool final, int64_t now)
{
    if (!g->zin) {
        g->st.bad_frames++;
        log_warn(MOD, "binary gateway frame skipped (no compression requested)");
        return BOT_EPROTO;
    }
    if (g->zin_failed || g->state == GW_CLOSING || g->state == GW_DISCONNECTED)
        return 0; /* the stream is unusable or going away */
    g->st.wire_bytes += len;
    const char *msg;
    size_t mlen;
    int rc = gw_inflate_feed(g->zin, p, len, final, &msg, &mlen);
    if (rc == 1)
        return gw_on_frame(g, msg, mlen, now);
    if (rc == 0)
        return 0;
    g->st.bad_frames++;
    g->zin_failed = true;
    log_warn(MOD, "%s; reconnecting with a new zlib stream",
             rc == BOT_ETOOBIG ? "compressed gateway message inflates past max_frame_bytes"
                               : "corrupt zlib-stream from the gateway");
    g->want_resume = true;
    gw_leave(g, GW_ACT_RESUME, -1, 4000);
    return rc;
}

static void handle_ready(struct gw *g, json_t *d)
{
    const char *sid = json_string_value(json_object_get(d, "session_id"));
    const char *rurl = json_string_value(json_object_get(d, "resume_gateway_url"));
    const char *uid = json_string_value(json_object_get(json_object_get(d, "user"), "id"));
    const char *aid = json_string_value(json_object_get(json_object_get(d, "application"), "id"));
    if (sid && strlen(sid) < sizeof(g->session_id))
        memcpy(g->session_id, sid, strlen(sid) + 1);
    if (rurl && strlen(rurl) < sizeof(g->resume_url))
        memcpy(g->resume_url, rurl, strlen(rurl) + 1);
    if (uid && strlen(uid) < sizeof(g->user_id))
        memcpy(g->user_id, uid, strlen(uid) + 1);
    if (aid && strlen(aid) < sizeof(g->app_id))
        memcpy(g->app_id, aid, strlen(aid) + 1);
    gw_set_state(g, GW_READY);
    g->attempts = 0;
    log_info(MOD, "ready user=%s app=%s", g->user_id, g->app_id);
}

static bool is_guild_event(const char *t)
{
    return strcmp(t, "GUILD_CREATE") == 0 || strcmp(t, "GUILD_UPDATE") == 0;
}

static json_t *parse_d(struct gw *g, const char *p, const struct gw_env *e)
{
    if (!e->d_len)
        return NULL;
    if (is_guild_event(e->t)) /* the big ones: only what is used, channels flat */
        return gw_select_guild(p + e->d_off, e->d_len, &g->chans);
    return json_loadb(p + e->d_off, e->d_len, JSON_DECODE_ANY, NULL);
}

static int on_dispatch(struct gw *g, const char *p, size_t len, const struct gw_env *e)
{
    g->st.events++;
    bool ready = strcmp(e->t, "READY") == 0;
    if (strcmp(e->t, "RESUMED") == 0) {
        gw_set_state(g, GW_READY);
        g->attempts = 0;
        log_info(MOD, "resumed seq=%lld", (long long)g->seq);
    }
    if (!ready && !(e->t[0] && g->h.wants(g->h.arg, e->t)))
        return 0;
    json_t *d = parse_d(g, p, e);
    struct gw_env strict;
    if (!d && e->d_unchecked) { /* the fast scan's guess at d's end may be wrong: rescan */
        if (gw_scan_envelope(p, len, &strict) < 0) {
            g->st.bad_frames++;
            log_warn(MOD, "malformed frame skipped len=%zu", len);
            return BOT_EPROTO;
        }
        d = parse_d(g, p, &strict);
    }
    if (!d) {
        g->st.bad_frames++;
        log_warn(MOD, "event %s with malformed d skipped", e->t);
        return BOT_EPROTO;
    }
    if (ready)
        handle_ready(g, d);
    if (!ready || g->h.wants(g->h.arg, e->t))
        g->h.event(g->h.arg, e->t, d, is_guild_event(e->t) ? &g->chans : NULL);
    json_decref(d);
    return 0;
}

static int on_hello(struct gw *g, const char *p, const struct gw_env *e, int64_t now)
{
    json_t *d = e->d_len ? json_loadb(p + e->d_off, e->d_len, JSON_DECODE_ANY, NULL) : NULL;
    json_int_t iv = json_integer_value(json_object_get(d, "heartbeat_interval"));
    json_decref(d);
    if (iv <= 0 || iv > 3600000) {
        g->st.bad_frames++;
        log_warn(MOD, "HELLO without a usable heartbeat_interval");
        return BOT_EPROTO;
    }
    g->hb_interval = iv;
    g->hello_deadline = -1;
    g->ack_pending = false;
    /* first beat after interval * jitter, jitter uniform in [0, 1) */
    g->hb_due = now + (int64_t)((double)iv * ((double)gw_rnd(g) / 4294967296.0));
    if (g->want_resume && g->session_id[0]) {
        gw_set_state(g, GW_RESUMING);
        return gw_send_resume(g, now);
    }
    g->seq = -1;
    gw_set_state(g, GW_IDENTIFYING);
    return gw_send_identify(g, now);
}

static bool d_is_true(const char *p, const struct gw_env *e)
{
    return e->d_len == 4 && memcmp(p + e->d_off, "true", 4) == 0;
}

int gw_on_frame(struct gw *g, const char *p, size_t len, int64_t now)
{
    struct gw_env e;
    g->st.frames++;
    g->st.bytes += len;
    if (gw_scan_envelope_fast(p, len, &e) < 0) {
        g->st.bad_frames++;
        log_warn(MOD, "malformed frame skipped len=%zu", len);
        return BOT_EPROTO;
    }
    if (g->state == GW_CLOSING || g->state == GW_DISCONNECTED)
        return 0; /* the socket is going away; ignore stragglers */
    switch (e.op) {
    case 0:
        if (e.has_s)
            g->seq = e.s;
        return on_dispatch(g, p, len, &e);
    case 1:
        gw_send_heartbeat(g, now);
        return 0;
    case 7:
        log_info(MOD, "server asked to reconnect (op 7)");
        g->want_resume = true;
        gw_leave(g, GW_ACT_RESUME, 0, 4000);
        return 0;
    case 9: {
        bool resumable = d_is_true(p, &e);
        log_info(MOD, "invalid session (op 9) resumable=%d", resumable);
        if (resumable)
            gw_leave(g, GW_ACT_RESUME, 0, 4000);
        else
            gw_leave(g, GW_ACT_REIDENTIFY, 1000 + (int64_t)(gw_rnd(g) % 4000), 4000);
        return 0;
    }
    case 10:
        return on_hello(g, p, &e, now);
    case 11:
        g->ack_pending = false;
        g->last_ack = now;
        g->st.acks++;
        return 0;
    default:
        g->st.bad_frames++;
        log_warn(MOD, "unknown opcode %d skipped", e.op);
        return BOT_EPROTO;
    }
}

static int64_t earliest(int64_t a, int64_t b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

static void heartbeat_tick(struct gw *g, int64_t now)
{
    if (g->hb_due < 0 || now < g->hb_due || g->state == GW_CLOSING || g->state == GW_DISCONNECTED)
        return;
    if (g->ack_pending) {
        g->st.zombies++;
        log_warn(MOD, "no heartbeat ACK since the last beat: zombie connection, closing 4000");
        g->want_resume = true;
        gw_leave(g, GW_ACT_RESUME, -1, 4000);
        return;
    }
    gw_send_heartbeat(g, now);
    g->ack_pending = true;
    g->hb_due = now + g->hb_interval;
}

int64_t gw_tick(struct gw *g, int64_t now)
{
    if (g->stopped)
        return -1;
    if (g->fetch_at >= 0 && now >= g->fetch_at && !g->fetching) {
        g->fetch_at = -1;
        g->fetching = true;
        g->h.fetch_gateway(g->h.arg);
    }
    if (g->connect_at >= 0 && now >= g->connect_at && g->state == GW_DISCONNECTED)
        gw_do_connect(g, now);
    if (g->hello_deadline >= 0 && now >= g->hello_deadline && g->state == GW_CONNECTING) {
        log_warn(MOD, "no HELLO within %d ms, reconnecting", 20000);
        g->hello_deadline = -1;
        gw_leave(g, GW_ACT_RESUME, -1, 4000);
    }
    heartbeat_tick(g, now);
    gw_flush_pending(g, now);
    if (g->stopped)
        return -1;
    int64_t next = earliest(g->fetching ? -1 : g->fetch_at, g->connect_at);
    next = earliest(next, g->hello_deadline);
    next = earliest(next, g->state == GW_CLOSING ? -1 : g->hb_due);
    if (g->npending > 0)
        next = earliest(next, now + gw_bucket_wait(&g->bucket, 110, now));
    return next;
}

enum gw_state gw_get_state(const struct gw *g)
{
    return g->state;
}
bool gw_stopped(const struct gw *g)
{
    return g->stopped;
}
const char *gw_session_id(const struct gw *g)
{
    return g->session_id;
}
const char *gw_app_id(const struct gw *g)
{
    return g->app_id;
}
const char *gw_user_id(const struct gw *g)
{
    return g->user_id;
}
int64_t gw_seq(const struct gw *g)
{
    return g->seq;
}
int64_t gw_last_ack_ms(const struct gw *g)
{
    return g->last_ack;
}
int64_t gw_heartbeat_interval(const struct gw *g)
{
    return g->hb_interval;
}
bool gw_ack_pending(const struct gw *g)
{
    return g->ack_pending;
}
const struct gw_stats *gw_get_stats(const struct gw *g)
{
    return &g->st;
}
