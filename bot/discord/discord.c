/* discord.c - Discord mode (discord.h): the lws context and loop, the gateway client
 * socket feeding the gw_ state machine, the REST worker and its drain, the 1 s tick
 * (stop flag, scheduler), the health endpoint. Loop thread only, except the REST
 * wake hook (lws_cancel_service, safe from any thread). */
#include "bot/discord/discord.h"
#include "bot/gcommit.h"
#include "bot/app.h"
#include "bot/backup.h"
#include "bot/discord/chat_discord.h"
#include "bot/discord/discord_int.h"
#include "bot/err.h"
#include "bot/discord/events.h"
#include "bot/log.h"
#include "bot/notify.h"
#include "config/config.h"
#include "schedules/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MOD "discord"
/* SIGTERM: after this, whatever REST still holds is abandoned (exit well within 2 s) */
#define STOP_GRACE_MS 1200
#ifndef COHORTBOT_URL /* the project URL for the User-Agent; the build may override */
#define COHORTBOT_URL "https://github.com/cohortbot/cohortbot"
#endif

/* bytes per socket read and per RECEIVE callback */
#define GW_RX_BUF (128 * 1024)

static void kick(struct discord *d);

/* ---- outbound frames ---- */

static void outq_clear(struct discord *d)
{
    while (d->out_head) {
        struct dframe *f = d->out_head;
        d->out_head = f->next;
        free(f);
    }
    d->out_tail = NULL;
}

static int h_send(void *arg, const char *text, size_t len)
{
    struct discord *d = arg;
    if (!d->wsi || !d->established)
        return BOT_EIO;
    struct dframe *f = malloc(sizeof(*f) + LWS_PRE + len);
    if (!f)
        return BOT_ENOMEM;
    f->next = NULL;
    f->len = len;
    memcpy(f->data + LWS_PRE, text, len);
    if (d->out_tail)
        d->out_tail->next = f;
    else
        d->out_head = f;
    d->out_tail = f;
    lws_callback_on_writable(d->wsi);
    return 0;
}

static void on_closed_later(lws_sorted_usec_list_t *sul)
{
    struct discord *d = lws_container_of(sul, struct discord, sul_closed);
    gw_on_close(d->gw, 0, app_mono_ms());
    kick(d);
}

static void h_close(void *arg, int code)
{
    struct discord *d = arg;
    if (!d->wsi) { /* nothing open: report the close from a fresh stack */
        lws_sul_schedule(d->ctx, 0, &d->sul_closed, on_closed_later, 1);
        return;
    }
    d->close_code = code;
    if (d->established)
        lws_callback_on_writable(d->wsi);
    else
        lws_set_timeout(d->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

static int h_connect(void *arg, const char *url)
{
    struct discord *d = arg;
    char tmp[600];
    const char *prot, *addr, *path;
    int port;
    snprintf(tmp, sizeof(tmp), "%s", url);
    if (lws_parse_uri(tmp, &prot, &addr, &port, &path))
        return BOT_EINVAL;
    bool tls = strcmp(prot, "wss") == 0;
    snprintf(d->conn_path, sizeof(d->conn_path), "/%s", path);
    snprintf(d->conn_host, sizeof(d->conn_host), "%s", addr);
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof(ci));
    ci.context = d->ctx;
    ci.vhost = d->client_vh;
    ci.address = d->conn_host;
    ci.port = tls && port == 80 ? 443 : port;
    ci.path = d->conn_path;
    ci.host = d->conn_host;
    ci.origin = d->conn_host;
    ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
    ci.local_protocol_name = "cohortbot-gateway";
    ci.pwsi = &d->wsi;
    ci.userdata = d;
    d->established = false;
    d->peer_close = 0;
    d->close_code = 0;
    d->in_connect = true;
    d->connect_failed = false;
    struct lws *w = lws_client_connect_via_info(&ci);
    d->in_connect = false;
    if (!w || d->connect_failed) {
        d->wsi = NULL;
        return BOT_EIO;
    }
    return 0;
}

static void on_gateway_bot(void *arg, const struct rest_result *res)
{
    struct discord *d = arg;
    if (res->status == 0) /* REST's own retries gave up; the gateway keeps trying */
        log_warn(MOD, "GET /gateway/bot: no answer after %d attempts (%s)", res->attempts,
                 res->message);
    gw_on_gateway_bot(d->gw, res->status, res->body, res->len, app_mono_ms());
    kick(d);
}

static void h_fetch(void *arg)
{
    struct discord *d = arg;
    struct rest_call c = {.method = "GET", .path = "/gateway/bot"};
    if (rest_submit(d->rest, &c, on_gateway_bot, d) < 0)
        gw_on_gateway_bot(d->gw, 0, "", 0, app_mono_ms());
}

static bool h_wants(void *arg, const char *t)
{
    return events_wants(((struct discord *)arg)->ev, t);
}

static void h_event(void *arg, const char *t, json_t *dj, const struct gw_chans *chans)
{
    struct discord *d = arg;
    if (strcmp(t, "READY") == 0)
        d->ever_ready = true;
    if (strcmp(t, "READY") == 0 && d->app->cfg->shard_count < 0) /* auto: now known */
        d->app->cfg->shard_count = gw_shard_count(d->gw);
    if (strcmp(t, "READY") == 0 || strcmp(t, "RESUMED") == 0)
        notify_ready(gw_state_name(GW_READY));
    events_dispatch(d->ev, t, dj, chans ? chans->v : NULL, chans ? chans->n : 0);
}

static void h_fatal(void *arg, int code, const char *why)
{
    struct discord *d = arg;
    if (code >= 4000)
        log_error(MOD, "Discord closed the gateway with %d: %s; not reconnecting", code, why);
    else
        log_error(MOD, "gateway cannot continue: %s", why);
    d->exit_code = code >= 4000 ? 2 : 1;
    *d->app->stop = 1;
}

/* ---- lws client callback ---- */

static int on_writeable(struct discord *d, struct lws *wsi)
{
    if (d->close_code) {
        lws_close_reason(wsi, (enum lws_close_status)d->close_code, NULL, 0);
        return -1;
    }
    struct dframe *f = d->out_head;
    if (!f)
        return 0;
    d->out_head = f->next;
    if (!d->out_head)
        d->out_tail = NULL;
    int w = lws_write(wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT);
    free(f);
    if (w < 0)
        return -1;
    if (d->out_head)
        lws_callback_on_writable(wsi);
    return 0;
}

static void socket_gone(struct discord *d, int code)
{
    d->wsi = NULL;
    d->established = false;
    outq_clear(d);
    gw_on_close(d->gw, code, app_mono_ms());
    kick(d);
}

static int gw_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
    struct discord *d = lws_context_user(lws_get_context(wsi));
    (void)user;
    if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
        if (d && d->rest && rest_drain(d->rest) > 0)
            kick(d);
        return 0;
    }
    if (!d || (d->wsi && wsi != d->wsi && reason != LWS_CALLBACK_CLIENT_CONNECTION_ERROR))
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        unsigned char **p = (unsigned char **)in, *end = *p + len;
        const char *ua = d->user_agent;
        return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT,
                                            (const unsigned char *)ua, (int)strlen(ua), p, end)
                   ? -1
                   : 0;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        d->established = true;
        gw_on_open(d->gw, app_mono_ms());
        kick(d);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        d->rx_bytes += len;
        /* compress=zlib-stream: every message is binary, its fragments and
         * continuations included (lws reports the message's opcode for each piece) */
        if (lws_frame_is_binary(wsi))
            gw_on_binary(d->gw, in, len, lws_is_final_fragment(wsi), app_mono_ms());
        else
            gw_on_fragment(d->gw, in, len, lws_is_final_fragment(wsi), app_mono_ms());
        kick(d);
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writeable(d, wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2)
            d->peer_close = ((const uint8_t *)in)[0] << 8 | ((const uint8_t *)in)[1];
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        log_warn(MOD, "gateway connect failed: %s", in ? (const char *)in : "?");
        if (d->in_connect) {
            d->connect_failed = true;
            return 0;
        }
        if (wsi == d->wsi || !d->wsi)
            socket_gone(d, 0);
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        socket_gone(d, d->peer_close);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols client_protocols[] = {
    {"cohortbot-gateway", gw_cb, 0, GW_RX_BUF, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- timers ---- */

static void on_gw_timer(lws_sorted_usec_list_t *sul)
{
    struct discord *d = lws_container_of(sul, struct discord, sul_gw);
    kick(d);
}

/* Runs the gateway's due timers and re-arms its sul for the next deadline. */
static void kick(struct discord *d)
{
    int64_t now = app_mono_ms();
    int64_t next = gw_tick(d->gw, now);
    if (next < 0) {
        lws_sul_cancel(&d->sul_gw);
        return;
    }
    int64_t delay = next > now ? next - now : 0;
    lws_sul_schedule(d->ctx, 0, &d->sul_gw, on_gw_timer, (lws_usec_t)delay * 1000 + 1);
}

static void begin_stop(struct discord *d, int64_t now)
{
    d->stopping = true;
    d->stop_deadline = now + STOP_GRACE_MS;
    notify_stopping();
    log_info(MOD, "stopping: closing the gateway (1000) and flushing REST");
    gw_stop(d->gw);
}

static void on_second(lws_sorted_usec_list_t *sul)
{
    struct discord *d = lws_container_of(sul, struct discord, sul_sec);
    int64_t now = app_mono_ms();
    notify_tick(d->stopping ? NULL : gw_state_name(gw_get_state(d->gw)), now);
    if (d->rest && rest_auth_failed(d->rest) && !d->stopping) {
        log_error(MOD, "Discord refused the bot token (HTTP 401): check DISCORD_TOKEN");
        d->exit_code = 2;
        *d->app->stop = 1;
    }
    if (*d->app->stop && !d->stopping)
        begin_stop(d, now);
    if (d->stopping) {
        bool idle = !d->wsi && (!d->rest || rest_pending(d->rest) == 0);
        if (idle || now >= d->stop_deadline) {
            d->done = true;
            lws_cancel_service(d->ctx); /* suls may run before the poll: wake it */
            return;
        }
    } else if (d->app->sched && d->ever_ready) {
        if (d->app->gc) /* schedules write their ledger rows outside any batch */
            gc_flush(d->app->gc);
        sched_tick(d->app->sched, app_now(d->app));
        backup_tick(d->app->cfg, app_now(d->app));
    }
    lws_sul_schedule(d->ctx, 0, &d->sul_sec, on_second, d->stopping ? 100000 : 1000000);
}

static void wake(void *arg)
{
    struct discord *d = arg;
    lws_cancel_service(d->ctx);
}

static void lws_emit(int level, const char *line)
{
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        n--;
    log_msg(level == LLL_ERR ? LOGL_WARN : LOGL_DEBUG, "lws", "%.*s", (int)n, line);
}

/* The CA bundle for the gateway's TLS: ca_file, else the system store's bundle (lws would
 * otherwise look in a directory relative to its install prefix). */
static const char *ca_bundle(struct discord *d)
{
    static const char *const sys[] = {"/etc/ssl/certs/ca-certificates.crt",
                                      "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
                                      "/etc/ssl/ca-bundle.pem"};
    const char *cf = d->app->cfg->ca_file;
    if (cf && *cf) {
        snprintf(d->ca_path, sizeof(d->ca_path), "%s", cf);
        return d->ca_path;
    }
    for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
        if (access(sys[i], R_OK) == 0) {
            snprintf(d->ca_path, sizeof(d->ca_path), "%s", sys[i]);
            return d->ca_path;
        }
    log_warn(MOD, "no system CA bundle found: wss:// gateways will be refused (set ca_file)");
    return NULL;
}

static int make_context(struct discord *d)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.user = d;
    info.protocols = client_protocols;
    /* big reads: one recv takes dozens of events (lws reads at most this much per
     * pass; its default of 4 KB meant one poll + recv per ~3.5 events) */
    info.pt_serv_buf_size = GW_RX_BUF;
    d->ctx = lws_create_context(&info);
    if (!d->ctx)
        return BOT_EIO;
    info.vhost_name = "client";
    info.client_ssl_ca_filepath = ca_bundle(d);
    d->client_vh = lws_create_vhost(d->ctx, &info);
    if (!d->client_vh)
        return BOT_EIO;
    const struct config *cfg = d->app->cfg;
    if (cfg->http_port > 0) {
        d->health = (struct health_src){d, discord_healthz, discord_metrics};
        health_listen(d->ctx, cfg->http_port, &d->health);
    }
    return 0;
}

static int make_parts(struct discord *d)
{
    const struct config *cfg = d->app->cfg;
    bool http = strncmp(cfg->api_base, "http://", 7) == 0;
    if (http)
        log_warn(MOD, "api_base is plain http (tests/self-hosted): ws:// gateway URLs accepted");
    snprintf(d->user_agent, sizeof(d->user_agent), "DiscordBot (%s, %s)", COHORTBOT_URL,
             COHORTBOT_VERSION);
    struct rest_opts ro = {.api_base = cfg->api_base,
                           .token = cfg->token,
                           .user_agent = d->user_agent,
                           .ca_file = cfg->ca_file,
                           .queue_max = cfg->rest_queue_max,
                           .wake = wake,
                           .wake_arg = d};
    d->rest = rest_new(&ro);
    d->ev = d->rest ? events_new(d->app, d->rest) : NULL;
    d->cd = d->ev ? chat_discord_new(d->app, d->rest) : NULL;
    uint32_t seed = 0;
    lws_get_random(d->ctx, &seed, sizeof(seed));
    struct gw_opts go = {.token = cfg->token,
                         .intents = cfg->intents,
                         .shard_id = cfg->shard_id,
                         .shard_count = cfg->shard_count,
                         .max_frame = cfg->max_frame_bytes,
                         .allow_ws = http,
                         .compress = cfg->gateway_compress,
                         .seed = seed | 1};
    struct gw_hooks gh = {d, h_send, h_close, h_connect, h_fetch, h_wants, h_event, h_fatal};
    d->gw = d->cd ? gw_new(&go, &gh) : NULL;
    return d->gw ? 0 : BOT_ENOMEM;
}

static void teardown(struct discord *d)
{
    if (d->ctx) {
        lws_sul_cancel(&d->sul_gw);
        lws_sul_cancel(&d->sul_sec);
        lws_sul_cancel(&d->sul_closed);
    }
    rest_free(d->rest); /* runs the remaining completions (they may use cd/ev) */
    d->rest = NULL;
    if (d->ctx)
        lws_context_destroy(d->ctx);
    d->ctx = NULL;
    d->wsi = NULL;
    outq_clear(d);
    gw_free(d->gw);
    chat_discord_free(d->cd);
    events_free(d->ev);
}

int discord_run(struct app *app)
{
    struct discord d;
    memset(&d, 0, sizeof(d));
    d.app = app;
    if (!app->cfg->token || !*app->cfg->token) {
        log_error(MOD, "DISCORD_TOKEN is not set");
        return 1;
    }
    lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
    if (make_context(&d) < 0 || make_parts(&d) < 0) {
        log_error(MOD, "cannot start Discord mode (lws context / REST worker)");
        teardown(&d);
        return 1;
    }
    chat_discord_install(d.cd, app);
    /* Group commit: replies to interactions wait for one commit per service pass. */
    app->gc = gc_new(app->store, app->chat);
    if (app->gc)
        app->chat = gc_chat(app->gc);
    d.started_ms = app_mono_ms();
    gw_start(d.gw, d.started_ms);
    kick(&d);
    lws_sul_schedule(d.ctx, 0, &d.sul_sec, on_second, 1000000);
    while (!d.done) {
        if (lws_service(d.ctx, 0) < 0)
            break;
        if (app->gc)
            gc_flush(app->gc);
        if (*app->stop && !d.stopping) /* a signal interrupted the poll: act now */
            begin_stop(&d, app_mono_ms());
    }
    int code = d.exit_code;
    gc_free(app->gc); /* flushes what is held while the transport still exists */
    app->gc = NULL;
    teardown(&d);
    app->chat.ops = NULL;
    app->chat.impl = NULL;
    log_info(MOD, "stopped exit=%d", code);
    return code;
}
