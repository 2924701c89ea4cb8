/* floor_client.c - the rush benchmark's floor (bench_rush.c): a do-nothing Discord
 * client built from the bot's own libraries. `floor_client API_BASE` (token in
 * DISCORD_TOKEN; FLOOR_COMPRESSION=zlib-stream (default) | none) fetches /gateway/bot,
 * connects, identifies, heartbeats, and answers every INTERACTION_CREATE with an
 * ephemeral type-4 callback: no work, no storage. Threads: the lws loop (main) reads the
 * gateway; one REST worker drives a curl multi handle, fed through a mutex-guarded list
 * (like the bot's). Exits on SIGTERM/SIGINT. Benchmark code only; logs no token. */
#include <curl/curl.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define RX_BUF (128 * 1024)
#define MSG_MAX (4u << 20)
#define UA "DiscordBot (https://github.com/cohortbot/cohortbot, floor)"
#define CALLBACK_BODY "{\"type\":4,\"data\":{\"content\":\"ok\",\"flags\":64}}"

static volatile sig_atomic_t g_stop;

/* ---- REST worker ---- */

struct job {
    struct job *next;
    char url[];
};

static struct {
    pthread_mutex_t mu;
    struct job *head, *tail;
    bool stop;
    CURLM *multi;
    struct curl_slist *hdrs;
    long sent, failed;
} rq = {.mu = PTHREAD_MUTEX_INITIALIZER};

static size_t discard(char *p, size_t s, size_t n, void *a)
{
    (void)p, (void)a;
    return s * n;
}

static void rest_post(const char *api, const char *id, const char *token)
{
    size_t n = strlen(api) + strlen(id) + strlen(token) + 32;
    struct job *j = malloc(sizeof(*j) + n);
    if (!j)
        return;
    snprintf(j->url, n, "%s/interactions/%s/%s/callback", api, id, token);
    j->next = NULL;
    pthread_mutex_lock(&rq.mu);
    if (rq.tail)
        rq.tail->next = j;
    else
        rq.head = j;
    rq.tail = j;
    pthread_mutex_unlock(&rq.mu);
    curl_multi_wakeup(rq.multi);
}

static void add_jobs(struct job *j)
{
    while (j) {
        struct job *next = j->next;
        CURL *c = curl_easy_init();
        if (c) {
            curl_easy_setopt(c, CURLOPT_URL, (const char *)j->url); /* libcurl copies it */
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, CALLBACK_BODY);
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, rq.hdrs);
            curl_easy_setopt(c, CURLOPT_USERAGENT, UA);
            curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
            curl_multi_add_handle(rq.multi, c);
        }
        free(j);
        j = next;
    }
}

static void *rest_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&rq.mu);
        struct job *j = rq.head;
        rq.head = rq.tail = NULL;
        bool stop = rq.stop;
        pthread_mutex_unlock(&rq.mu);
        add_jobs(j);
        int running = 0;
        curl_multi_perform(rq.multi, &running);
        CURLMsg *m;
        int q;
        while ((m = curl_multi_info_read(rq.multi, &q))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            long st = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &st);
            if (m->data.result == CURLE_OK && st == 204)
                rq.sent++;
            else
                rq.failed++;
            curl_multi_remove_handle(rq.multi, m->easy_handle);
            curl_easy_cleanup(m->easy_handle);
        }
        if (stop && running == 0)
            return NULL;
        curl_multi_poll(rq.multi, NULL, 0, 100, NULL);
    }
}

/* ---- gateway ---- */

struct gw {
    const char *api, *token;
    bool zlib;
    z_stream z;
    unsigned char *in, *out;
    size_t inlen, outcap;
    char frames[4][LWS_PRE + 512]; /* IDENTIFY and heartbeats waiting for the socket */
    size_t flen[4];
    int nframes;
    struct lws *wsi;
    struct lws_context *ctx;
    lws_sorted_usec_list_t hb, tick;
    int hb_ms;
    long long seq;
    bool closed;
};

static void queue_frame(struct gw *g, const char *text)
{
    size_t n = strlen(text);
    if (g->nframes == 4 || n > 511 || !g->wsi)
        return;
    memcpy(g->frames[g->nframes] + LWS_PRE, text, n);
    g->flen[g->nframes++] = n;
    lws_callback_on_writable(g->wsi);
}

static void on_hb(lws_sorted_usec_list_t *sul)
{
    struct gw *g = lws_container_of(sul, struct gw, hb);
    char s[64];
    snprintf(s, sizeof(s), "{\"op\":1,\"d\":%lld}", g->seq);
    queue_frame(g, s);
    lws_sul_schedule(g->ctx, 0, &g->hb, on_hb, (lws_usec_t)g->hb_ms * 1000);
}

static void identify(struct gw *g)
{
    char s[512];
    snprintf(s, sizeof(s),
             "{\"op\":2,\"d\":{\"token\":\"%s\",\"intents\":1,\"properties\":{\"os\":\"linux\","
             "\"browser\":\"floor\",\"device\":\"floor\"}}}",
             g->token);
    queue_frame(g, s);
    memset(s, 0, sizeof(s));
}

static void on_message(struct gw *g, const char *text, size_t len)
{
    json_t *j = json_loadb(text, len, 0, NULL);
    int op = (int)json_integer_value(json_object_get(j, "op"));
    json_t *d = json_object_get(j, "d");
    if (json_is_integer(json_object_get(j, "s")))
        g->seq = json_integer_value(json_object_get(j, "s"));
    const char *t = json_string_value(json_object_get(j, "t"));
    if (op == 10) {
        g->hb_ms = (int)json_integer_value(json_object_get(d, "heartbeat_interval"));
        if (g->hb_ms < 1000)
            g->hb_ms = 41250;
        identify(g);
        lws_sul_schedule(g->ctx, 0, &g->hb, on_hb, (lws_usec_t)g->hb_ms * 1000);
    } else if (op == 0 && t && !strcmp(t, "INTERACTION_CREATE")) {
        const char *id = json_string_value(json_object_get(d, "id"));
        const char *tok = json_string_value(json_object_get(d, "token"));
        if (id && tok && strlen(tok) < 1024)
            rest_post(g->api, id, tok);
    } else if (op == 0 && t && !strcmp(t, "READY")) {
        fprintf(stderr, "floor_client: READY\n");
    }
    json_decref(j);
}

/* The websocket message so far is complete: inflate it (zlib-stream) and handle it. */
static void message_end(struct gw *g)
{
    if (!g->zlib) {
        on_message(g, (const char *)g->in, g->inlen);
        return;
    }
    if (g->inlen < 4 || memcmp(g->in + g->inlen - 4, "\x00\x00\xff\xff", 4) != 0)
        return; /* not at a flush boundary yet: keep collecting */
    g->z.next_in = g->in;
    g->z.avail_in = (uInt)g->inlen;
    size_t used = 0;
    int rc = Z_OK;
    while (rc == Z_OK && (g->z.avail_in > 0 || g->z.avail_out == 0)) {
        if (used == g->outcap) {
            size_t cap = g->outcap ? g->outcap * 2 : 65536;
            unsigned char *p = cap <= MSG_MAX ? realloc(g->out, cap) : NULL;
            if (!p)
                break;
            g->out = p;
            g->outcap = cap;
        }
        g->z.next_out = g->out + used;
        g->z.avail_out = (uInt)(g->outcap - used);
        rc = inflate(&g->z, Z_SYNC_FLUSH);
        used = g->outcap - g->z.avail_out;
    }
    on_message(g, (const char *)g->out, used);
    g->inlen = 0;
}

static int on_receive(struct gw *g, struct lws *wsi, const void *in, size_t len)
{
    if (g->inlen + len > MSG_MAX)
        return -1;
    unsigned char *p = realloc(g->in, g->inlen + len + 1);
    if (!p)
        return -1;
    g->in = p;
    memcpy(g->in + g->inlen, in, len);
    g->inlen += len;
    if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
        message_end(g);
        if (!g->zlib)
            g->inlen = 0;
    }
    return 0;
}

static int on_writeable(struct gw *g, struct lws *wsi)
{
    if (!g->nframes)
        return 0;
    if (lws_write(wsi, (unsigned char *)g->frames[0] + LWS_PRE, g->flen[0], LWS_WRITE_TEXT) <
        (int)g->flen[0])
        return -1;
    memset(g->frames[0], 0, sizeof(g->frames[0])); /* IDENTIFY held the token */
    g->nframes--;
    memmove(g->frames[0], g->frames[1], sizeof(g->frames[0]) * (size_t)g->nframes);
    memmove(g->flen, g->flen + 1, sizeof(g->flen[0]) * (size_t)g->nframes);
    if (g->nframes)
        lws_callback_on_writable(wsi);
    return 0;
}

static int gw_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                 size_t len)
{
    struct gw *g = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        unsigned char **p = (unsigned char **)in, *end = *p + len;
        return lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT,
                                            (const unsigned char *)UA, (int)strlen(UA), p, end)
                   ? -1
                   : 0;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(g, wsi, in, len);
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writeable(g, wsi);
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        fprintf(stderr, "floor_client: connect failed: %s\n", in ? (const char *)in : "?");
        g->closed = true;
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        g->closed = true;
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols protocols[] = {
    {"floor-gateway", gw_cb, 0, RX_BUF, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* GET {api}/gateway/bot; the "url" field into url[n]. 0 or -1. */
static int gateway_url(const char *api, const char *token, char *url, size_t n)
{
    struct {
        char p[4096];
        size_t len;
    } b = {.len = 0};
    char u[512], auth[1200];
    snprintf(u, sizeof(u), "%s/gateway/bot", api);
    snprintf(auth, sizeof(auth), "Authorization: Bot %s", token);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, auth);
    memset(auth, 0, sizeof(auth));
    FILE *mem = fmemopen(b.p, sizeof(b.p) - 1, "w");
    if (!c || !h || !mem)
        return -1;
    curl_easy_setopt(c, CURLOPT_URL, u);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, UA);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    CURLcode rc = curl_easy_perform(c);
    fclose(mem);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_t *j = rc == CURLE_OK ? json_loads(b.p, 0, NULL) : NULL;
    const char *s = json_string_value(json_object_get(j, "url"));
    int ok = s ? (snprintf(url, n, "%s", s), 0) : -1;
    json_decref(j);
    return ok;
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
    struct gw *g = lws_container_of(sul, struct gw, tick);
    lws_sul_schedule(g->ctx, 0, &g->tick, on_tick, 100000);
}

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int connect_gw(struct gw *g, char *url)
{
    const char *prot, *addr, *path;
    int port;
    if (lws_parse_uri(url, &prot, &addr, &port, &path))
        return -1;
    static char fullpath[600];
    snprintf(fullpath, sizeof(fullpath), "/%s%sv=10&encoding=json%s", path,
             strchr(path, '?') ? "&" : "?", g->zlib ? "&compress=zlib-stream" : "");
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof(ci));
    ci.context = g->ctx;
    ci.address = addr;
    ci.port = port;
    ci.path = fullpath;
    ci.host = addr;
    ci.origin = addr;
    ci.local_protocol_name = protocols[0].name;
    ci.pwsi = &g->wsi;
    return lws_client_connect_via_info(&ci) ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *token = getenv("DISCORD_TOKEN"), *zc = getenv("FLOOR_COMPRESSION");
    if (argc != 2 || !token || !*token) {
        fprintf(stderr, "usage: DISCORD_TOKEN=... floor_client API_BASE\n");
        return 1;
    }
    static struct gw g;
    g.api = argv[1];
    g.token = token;
    g.zlib = !zc || strcmp(zc, "none") != 0;
    if (g.zlib && inflateInit(&g.z) != Z_OK)
        return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char url[512];
    if (gateway_url(g.api, token, url, sizeof(url))) {
        fprintf(stderr, "floor_client: GET /gateway/bot failed\n");
        return 1;
    }
    rq.multi = curl_multi_init();
    rq.hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    pthread_t th;
    if (!rq.multi || !rq.hdrs || pthread_create(&th, NULL, rest_worker, NULL))
        return 1;
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = &g;
    info.pt_serv_buf_size = RX_BUF;
    g.ctx = lws_create_context(&info);
    int rc = g.ctx && connect_gw(&g, url) == 0 ? 0 : 1;
    if (g.ctx)
        lws_sul_schedule(g.ctx, 0, &g.tick, on_tick, 100000);
    while (!rc && !g_stop && !g.closed)
        if (lws_service(g.ctx, 0) < 0)
            break;
    if (g.ctx) {
        lws_sul_cancel(&g.hb);
        lws_sul_cancel(&g.tick);
        lws_context_destroy(g.ctx);
    }
    pthread_mutex_lock(&rq.mu);
    rq.stop = true;
    pthread_mutex_unlock(&rq.mu);
    curl_multi_wakeup(rq.multi);
    pthread_join(th, NULL);
    fprintf(stderr, "floor_client: %ld callbacks answered 204, %ld failed\n", rq.sent, rq.failed);
    curl_slist_free_all(rq.hdrs);
    curl_multi_cleanup(rq.multi);
    curl_global_cleanup();
    if (g.zlib)
        inflateEnd(&g.z);
    free(g.in);
    free(g.out);
    return rc;
}
