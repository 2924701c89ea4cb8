/* discord_int.h - the Discord-mode context shared by discord.c (loop, socket,
 * timers) and discord_metrics.c (/healthz and /metrics). Not for other modules. */
#ifndef COHORT_DISCORD_INT_H
#define COHORT_DISCORD_INT_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/buf.h"
#include "bot/discord/gateway.h"
#include "bot/discord/health.h"
#include "bot/discord/rest.h"

struct app;
struct events;
struct chat_discord;

struct dframe {
    struct dframe *next;
    size_t len;
    unsigned char data[]; /* LWS_PRE headroom, then the payload */
};

struct discord {
    struct app *app;
    struct lws_context *ctx;
    struct lws_vhost *client_vh;
    struct lws *wsi; /* the gateway socket, NULL when none */
    bool established, in_connect, connect_failed, stopping, done, ever_ready;
    int peer_close, close_code, exit_code;
    int64_t stop_deadline, started_ms;
    uint64_t rx_bytes;
    char conn_path[512], conn_host[256];
    char user_agent[160]; /* "DiscordBot (url, version)", REST and the gateway handshake */
    char ca_path[512];    /* the CA bundle lws verifies the gateway with */
    struct dframe *out_head, *out_tail;
    struct gw *gw;
    struct rest *rest;
    struct events *ev;
    struct chat_discord *cd;
    struct health_src health;
    lws_sorted_usec_list_t sul_gw, sul_sec, sul_closed;
};

/* /healthz JSON (returns 200/503) and /metrics text. */
int discord_healthz(void *arg, struct buf *out);
void discord_metrics(void *arg, struct buf *out);

#endif
