/* fakediscord.c - fake Discord server: main, the lws callback (HTTP + gateway
 * socket on one protocol), the gateway session (HELLO, IDENTIFY -> READY, RESUME
 * with replay, heartbeats/ACKs) and outgoing frame queues. Prints "PORT <n>" on
 * stdout once listening. Test code only; single-threaded. */
#include "fake.h"
#include "bot/err.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t g_quit;

static void on_sig(int s)
{
    (void)s;
    g_quit = 1;
}

int64_t fake_ms(struct fake *f)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - f->t0;
}

void fake_ws_queue_raw(struct fake_pss *p, const void *text, size_t len, int flags)
{
    struct fake_frame *fr = malloc(sizeof(*fr) + LWS_PRE + len);
    if (!fr)
        return;
    fr->next = NULL;
    fr->len = len;
    fr->flags = flags;
    memcpy(fr->data + LWS_PRE, text, len);
    if (p->q_tail)
        p->q_tail->next = fr;
    else
        p->q_head = fr;
    p->q_tail = fr;
    if (p->wsi)
        lws_callback_on_writable(p->wsi);
}

/* With zlib-stream every message (and each fragment of one) goes out deflated, binary. */
void fake_ws_queue(struct fake *f, struct fake_pss *p, const char *text, size_t len, int flags)
{
    if (!p->zs) {
        fake_ws_queue_raw(p, text, len, flags);
        return;
    }
    unsigned char *z;
    size_t zlen;
    if (fake_zlib_deflate(p, text, len, &z, &zlen) < 0)
        return;
    f->z_in += len;
    f->z_out += zlen;
    if ((flags & 0xf) == LWS_WRITE_TEXT)
        flags = (flags & ~0xf) | LWS_WRITE_BINARY;
    fake_ws_queue_raw(p, z, zlen, flags);
    free(z);
}

static void queue_json(struct fake *f, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s && f->conn_pss)
        fake_ws_queue(f, f->conn_pss, s, strlen(s), LWS_WRITE_TEXT);
    free(s);
}

int fake_dispatch(struct fake *f, const char *t, json_t *d)
{
    int shard = f->shard_count > 1 ? fake_shard_route(f, t, d) : -1;
    f->seq++;
    json_t *j = json_pack("{s:i, s:I, s:s, s:o}", "op", 0, "s", (json_int_t)f->seq, "t", t, "d",
                          d ? d : json_null());
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        return -1;
    if (f->nevents < FAKE_MAX_EVENTS && f->nevents == f->seq - 1)
        f->events[f->nevents++] = strdup(s);
    struct fake_pss *to = shard >= 0 ? f->shard_pss[shard] : f->conn_pss;
    if (to && (shard >= 0 ? to->identified : f->identified))
        fake_ws_queue(f, to, s, strlen(s), LWS_WRITE_TEXT);
    free(s);
    return 0;
}

void fake_ws_close(struct fake *f, int code)
{
    if (!f->conn || !f->conn_pss)
        return;
    f->conn_pss->closing = true;
    f->conn_pss->close_code = code;
    lws_callback_on_writable(f->conn);
}

static void clear_events(struct fake *f)
{
    for (int i = 0; i < f->nevents; i++)
        free(f->events[i]);
    f->nevents = 0;
    f->seq = 0;
}

static void send_ready(struct fake *f)
{
    char url[64];
    snprintf(url, sizeof(url), "ws://127.0.0.1:%d/gw-resume", f->port);
    snprintf(f->session_id, sizeof(f->session_id), "sess-%d", f->identifies);
    clear_events(f);
    f->identified = true;
    fake_dispatch(f, "READY",
                  json_pack("{s:i, s:{s:s, s:s, s:b}, s:[{s:s, s:b}], s:s, s:s, s:{s:s, s:i}}", "v",
                            10, "user", "id", "900000000000000001", "username", "cohortbot", "bot",
                            1, "guilds", "id", "1000000000000000001", "unavailable", 1,
                            "session_id", f->session_id, "resume_gateway_url", url, "application",
                            "id", "800000000000000001", "flags", 0));
    if (f->shard_count > 1) {
        f->conn_pss->identified = true;
        fake_shard_guilds(f, f->conn_pss->shard);
        return;
    }
    json_t *gc = json_pack("{s:s, s:s, s:[{s:s, s:i, s:s, s:s}, {s:s, s:i, s:s, s:s}]}", "id",
                           "1000000000000000001", "name", "Study Guild", "channels", "id",
                           "1100000000000000001", "type", 0, "name", "general", "guild_id",
                           "1000000000000000001", "id", "1100000000000000002", "type", 0, "name",
                           "week-1", "guild_id", "1000000000000000001");
    fake_guild_extend(f, gc); /* channels the bot created, voice states, scheduled events */
    fake_dispatch(f, "GUILD_CREATE", gc);
}

static void on_resume(struct fake *f, json_t *d)
{
    f->resumes++;
    const char *sid = json_string_value(json_object_get(d, "session_id"));
    json_int_t seq = json_integer_value(json_object_get(d, "seq"));
    if (!sid || strcmp(sid, f->session_id) != 0 || seq > f->seq || seq < 0) {
        queue_json(f, json_pack("{s:i, s:b}", "op", 9, "d", 0));
        return;
    }
    f->identified = true;
    for (json_int_t s = seq + 1; s <= f->seq && s <= f->nevents; s++)
        fake_ws_queue(f, f->conn_pss, f->events[s - 1], strlen(f->events[s - 1]), LWS_WRITE_TEXT);
    fake_dispatch(f, "RESUMED", json_object());
}

static void on_gw_message(struct fake *f, const char *text, size_t len)
{
    json_t *j = json_loadb(text, len, 0, NULL);
    json_t *opj = json_object_get(j, "op");
    if (!json_is_integer(opj)) {
        f->invalid_frames++;
        json_decref(j);
        return;
    }
    int op = (int)json_integer_value(opj);
    json_t *d = json_object_get(j, "d");
    json_array_append_new(
        f->log_gw, json_pack("{s:i, s:I, s:O?}", "op", op, "t", (json_int_t)fake_ms(f), "d", d));
    if (op == 1) {
        f->heartbeats++;
        if (f->ack)
            queue_json(f, json_pack("{s:i}", "op", 11));
    } else if (op == 2) {
        f->identifies++;
        int shard_refused = f->shard_count > 1 ? fake_shard_identify(f, f->conn_pss, d) : 0;
        if (shard_refused)
            fake_ws_close(f, shard_refused);
        else if (f->close_on_identify)
            fake_ws_close(f, f->close_on_identify);
        else
            send_ready(f);
    } else if (op == 6) {
        on_resume(f, d);
    } else {
        f->invalid_frames++;
    }
    json_decref(j);
}

static void free_queue(struct fake_pss *p)
{
    while (p->q_head) {
        struct fake_frame *fr = p->q_head;
        p->q_head = fr->next;
        free(fr);
    }
    p->q_tail = NULL;
}

static int ws_writeable(struct fake_pss *p, struct lws *wsi)
{
    if (p->closing) {
        if (p->close_code > 0)
            lws_close_reason(wsi, (enum lws_close_status)p->close_code, NULL, 0);
        return -1;
    }
    struct fake_frame *fr = p->q_head;
    if (!fr)
        return 0;
    p->q_head = fr->next;
    if (!p->q_head)
        p->q_tail = NULL;
    int w = lws_write(wsi, fr->data + LWS_PRE, fr->len, (enum lws_write_protocol)fr->flags);
    free(fr);
    if (w < 0)
        return -1;
    if (p->q_head)
        lws_callback_on_writable(wsi);
    return 0;
}

static int ws_cb(struct fake *f, struct lws *wsi, enum lws_callback_reasons reason,
                 struct fake_pss *p, void *in, size_t len)
{
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED: {
        memset(p, 0, sizeof(*p));
        p->is_ws = true;
        p->wsi = wsi;
        buf_init(&p->body, (size_t)1 << 20);
        char zarg[32];
        const char *zv = lws_get_urlarg_by_name(wsi, "compress=", zarg, (int)sizeof(zarg));
        if (zv && strcmp(zv, "zlib-stream") == 0 && fake_zlib_start(p) == 0)
            f->zlib_connections++;
        if (f->conn && f->conn_pss && f->shard_count <= 1) /* a new socket replaces the old one */
            f->conn_pss->wsi = NULL;
        f->conn = wsi;
        f->conn_pss = p;
        f->identified = false;
        f->connections++;
        char hello[64];
        int n = snprintf(hello, sizeof(hello), "{\"op\":10,\"d\":{\"heartbeat_interval\":%d}}",
                         f->hb_interval);
        fake_ws_queue(f, p, hello, (size_t)n, LWS_WRITE_TEXT);
        return 0;
    }
    case LWS_CALLBACK_RECEIVE:
        if (buf_append(&p->body, in, len) < 0)
            return -1;
        if (lws_is_final_fragment(wsi)) {
            if (wsi != f->conn && f->shard_count > 1) { /* this shard's socket answers */
                struct lws *keep = f->conn;
                struct fake_pss *keep_pss = f->conn_pss;
                f->conn = wsi;
                f->conn_pss = p;
                on_gw_message(f, buf_str(&p->body), p->body.len);
                f->conn = keep;
                f->conn_pss = keep_pss;
            } else if (wsi == f->conn)
                on_gw_message(f, buf_str(&p->body), p->body.len);
            buf_reset(&p->body);
        }
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return ws_writeable(p, wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
        int code = len >= 2 ? ((const uint8_t *)in)[0] << 8 | ((const uint8_t *)in)[1] : 0;
        json_array_append_new(f->log_closes,
                              json_pack("{s:i, s:I}", "code", code, "t", (json_int_t)fake_ms(f)));
        return 0;
    }
    case LWS_CALLBACK_CLOSED:
        fake_shard_closed(f, p);
        free_queue(p);
        buf_free(&p->body);
        fake_zlib_end(p);
        if (wsi == f->conn) {
            f->conn = NULL;
            f->conn_pss = NULL;
            f->identified = false;
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- HTTP (REST + control) ---- */

static const struct {
    enum lws_token_indexes tok;
    const char *name;
} methods[] = {{WSI_TOKEN_GET_URI, "GET"},
               {WSI_TOKEN_POST_URI, "POST"},
               {WSI_TOKEN_PUT_URI, "PUT"},
               {WSI_TOKEN_PATCH_URI, "PATCH"},
               {WSI_TOKEN_DELETE_URI, "DELETE"}};

static void respond_now(lws_sorted_usec_list_t *sul)
{
    struct fake_pss *p = lws_container_of(sul, struct fake_pss, sul);
    if (p->wsi)
        lws_callback_on_writable(p->wsi);
}

/* 0, or -1 when the request is to be answered by dropping the connection. */
static int handle(struct fake *f, struct lws *wsi, struct fake_pss *p)
{
    buf_init(&p->resp, (size_t)256 << 20); /* /_ctl/log can be large after floods */
    p->ctype = "application/json";
    p->extra_hdrs[0] = '\0';
    int delay_ms = 0;
    if (strncmp(p->path, "/_ctl/", 6) == 0)
        fake_ctl(f, p);
    else {
        fake_rest(f, p);
        delay_ms = p->stage; /* fake_rest puts a scripted delay here */
    }
    p->stage = 0;
    if (p->reset)
        return -1;
    if (delay_ms > 0)
        lws_sul_schedule(f->ctx, 0, &p->sul, respond_now, (lws_usec_t)delay_ms * 1000);
    else
        lws_callback_on_writable(wsi);
    return 0;
}

static int http_writeable(struct lws *wsi, struct fake_pss *p)
{
    if (p->stage == 0) {
        uint8_t hb[LWS_PRE + 2048], *start = &hb[LWS_PRE], *pos = start, *end = &hb[sizeof(hb) - 1];
        if (lws_add_http_common_headers(wsi, (unsigned)p->status, p->ctype, p->resp.len, &pos, end))
            return -1;
        /* extra headers: "name: value\n" lines */
        for (const char *line = p->extra_hdrs; *line;) {
            size_t ll = strcspn(line, "\n");
            const char *colon = memchr(line, ':', ll);
            if (colon) {
                char name[64], val[256];
                snprintf(name, sizeof(name), "%.*s:", (int)(colon - line), line);
                const char *v = colon + 1 + (colon[1] == ' ');
                snprintf(val, sizeof(val), "%.*s", (int)(line + ll - v), v);
                if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                                (const unsigned char *)val, (int)strlen(val), &pos,
                                                end))
                    return -1;
            }
            line += ll + (line[ll] == '\n');
        }
        if (lws_finalize_write_http_header(wsi, start, &pos, end))
            return -1;
        p->stage = 1;
        if (p->resp.len == 0) {
            buf_free(&p->resp);
            return lws_http_transaction_completed(wsi) ? -1 : 0;
        }
        lws_callback_on_writable(wsi);
        return 0;
    }
    size_t n = p->resp.len;
    uint8_t *out = malloc(LWS_PRE + n + 1);
    if (!out)
        return -1;
    memcpy(out + LWS_PRE, buf_str(&p->resp), n);
    int w = lws_write(wsi, out + LWS_PRE, n, LWS_WRITE_HTTP_FINAL);
    free(out);
    buf_free(&p->resp);
    if (w < 0)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int on_http(struct fake *f, struct lws *wsi, struct fake_pss *p)
{
    memset(p, 0, sizeof(*p));
    p->wsi = wsi;
    buf_init(&p->body, (size_t)32 << 20);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (lws_hdr_total_length(wsi, methods[i].tok) > 0) {
            snprintf(p->method, sizeof(p->method), "%s", methods[i].name);
            lws_hdr_copy(wsi, p->path, sizeof(p->path), methods[i].tok);
            break;
        }
    char cl[24] = "";
    lws_hdr_copy(wsi, cl, sizeof(cl), WSI_TOKEN_HTTP_CONTENT_LENGTH);
    bool has_body =
        strcmp(p->method, "GET") && strcmp(p->method, "DELETE") && cl[0] && strcmp(cl, "0") != 0;
    if (!has_body)
        return handle(f, wsi, p);
    return 0;
}

static int fake_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                   size_t len)
{
    struct fake *f = lws_context_user(lws_get_context(wsi));
    struct fake_pss *p = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return on_http(f, wsi, p);
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return fake_ws_filter(f, wsi);
    case LWS_CALLBACK_HTTP_BODY:
        return buf_append(&p->body, in, len) < 0 ? -1 : 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return handle(f, wsi, p);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return http_writeable(wsi, p);
    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (p && !p->is_ws) {
            lws_sul_cancel(&p->sul);
            p->wsi = NULL;
            buf_free(&p->body);
            buf_free(&p->resp);
        }
        return 0;
    case LWS_CALLBACK_ESTABLISHED:
    case LWS_CALLBACK_RECEIVE:
    case LWS_CALLBACK_SERVER_WRITEABLE:
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
    case LWS_CALLBACK_CLOSED:
        return ws_cb(f, wsi, reason, p, in, len);
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols protocols[] = {
    {"fake", fake_cb, sizeof(struct fake_pss), 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void tick(lws_sorted_usec_list_t *sul);
static lws_sorted_usec_list_t g_tick;
static struct fake *g_fake;

static void tick(lws_sorted_usec_list_t *sul)
{
    if (g_quit || g_fake->quit) {
        lws_cancel_service(g_fake->ctx);
        return;
    }
    lws_sul_schedule(g_fake->ctx, 0, sul, tick, 100000);
}

int main(int argc, char **argv)
{
    static struct fake f;
    int port = 0;
    const char *tls_cert = NULL, *tls_key = NULL;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "--port") == 0)
            port = (int)strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--tls-cert") == 0)
            tls_cert = argv[i + 1];
        else if (strcmp(argv[i], "--tls-key") == 0)
            tls_key = argv[i + 1];
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    f.t0 = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    f.hb_interval = 41250;
    f.ack = true;
    f.start_remaining = 1000;
    f.next_id = 1300000000000000000ULL;
    f.bucket_remaining = 5;
    f.log_rest = json_array();
    f.log_gw = json_array();
    f.log_closes = json_array();
    f.ix_lat_us = json_array();
    f.nonces = json_object();
    f.answered = json_object();
    f.sched_events = json_object();
    f.made_channels = json_object();
    f.voice_states = json_object();
    signal(SIGTERM, on_sig);
    signal(SIGINT, on_sig);
    signal(SIGPIPE, SIG_IGN);
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = port;
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    info.user = &f;
    info.options =
        LWS_SERVER_OPTION_DISABLE_IPV6 | (tls_cert ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0);
    f.ctx = lws_create_context(&info);
    if (!f.ctx) {
        fprintf(stderr, "fakediscord: cannot listen\n");
        return 1;
    }
    f.vh = lws_get_vhost_by_name(f.ctx, "default");
    f.port = f.vh ? lws_get_vhost_listen_port(f.vh) : port;
    if (tls_cert && tls_key && fake_tls_listen(&f, protocols, tls_cert, tls_key) < 0) {
        fprintf(stderr, "fakediscord: cannot open the TLS listener\n");
        return 1;
    }
    printf("PORT %d\n", f.port);
    if (f.tls_port > 0)
        printf("TLSPORT %d\n", f.tls_port);
    fflush(stdout);
    g_fake = &f;
    lws_sul_schedule(f.ctx, 0, &g_tick, tick, 100000);
    while (!g_quit && !f.quit)
        if (lws_service(f.ctx, 0) < 0)
            break;
    lws_sul_cancel(&f.ix_sul);
    lws_context_destroy(f.ctx);
    clear_events(&f);
    json_decref(f.log_rest);
    json_decref(f.log_gw);
    json_decref(f.log_closes);
    json_decref(f.shard_guilds);
    json_decref(f.ix_lat_us);
    free(f.ix_sent_us);
    free(f.ix_answer_us);
    json_decref(f.ix_template);
    json_decref(f.nonces);
    json_decref(f.answered);
    json_decref(f.sched_events);
    json_decref(f.made_channels);
    json_decref(f.voice_states);
    fake_schema_free();
    return 0;
}
