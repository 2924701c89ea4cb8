/* health.c - the /healthz and /metrics HTTP endpoint (health.h). Loop thread only.
 * Each request's body is rendered into a bounded buffer owned by the session. */
#include "bot/discord/health.h"
#include "bot/err.h"
#include "bot/log.h"

#include <stdlib.h>
#include <string.h>

#define MOD "health"

struct health_pss {
    struct buf body;
    int status;
    const char *ctype;
};

static int send_headers(struct lws *wsi, struct health_pss *p)
{
    uint8_t hb[LWS_PRE + 512], *start = &hb[LWS_PRE], *pos = start, *end = &hb[sizeof(hb) - 1];
    if (lws_add_http_common_headers(wsi, (unsigned)p->status, p->ctype, p->body.len, &pos, end) ||
        lws_finalize_write_http_header(wsi, start, &pos, end))
        return -1;
    lws_callback_on_writable(wsi);
    return 0;
}

static int on_request(struct lws *wsi, struct health_pss *p)
{
    const struct health_src *src = lws_get_vhost_user(lws_get_vhost(wsi));
    char uri[128] = "";
    lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI);
    buf_init(&p->body, (size_t)1 << 20);
    if (strcmp(uri, "/healthz") == 0 && src) {
        p->status = src->healthz(src->arg, &p->body);
        p->ctype = "application/json";
    } else if (strcmp(uri, "/metrics") == 0 && src) {
        src->metrics(src->arg, &p->body);
        p->status = 200;
        p->ctype = "text/plain; version=0.0.4";
    } else {
        p->status = 404;
        p->ctype = "text/plain";
        buf_puts(&p->body, "not found\n");
    }
    return send_headers(wsi, p);
}

static int health_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
    struct health_pss *p = user;
    (void)in;
    (void)len;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return on_request(wsi, p);
    case LWS_CALLBACK_HTTP_WRITEABLE: {
        size_t n = p->body.len;
        uint8_t *out = malloc(LWS_PRE + n + 1);
        if (!out)
            return -1;
        memcpy(out + LWS_PRE, buf_str(&p->body), n);
        int w = lws_write(wsi, out + LWS_PRE, n, LWS_WRITE_HTTP_FINAL);
        free(out);
        buf_free(&p->body);
        if (w < (int)n)
            return -1;
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    }
    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (p)
            buf_free(&p->body);
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols health_protocols[] = {
    {"health", health_cb, sizeof(struct health_pss), 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

int health_listen(struct lws_context *ctx, int port, const struct health_src *src)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = port;
    info.iface = "127.0.0.1";
    info.vhost_name = "health";
    info.protocols = health_protocols;
    info.user = (void *)src;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    if (!lws_create_vhost(ctx, &info)) {
        log_warn(MOD, "cannot listen on 127.0.0.1:%d; health endpoint off", port);
        return BOT_EIO;
    }
    log_info(MOD, "listening on http://127.0.0.1:%d (/healthz, /metrics)", port);
    return 0;
}
