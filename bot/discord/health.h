/* health.h - optional /healthz and /metrics (Prometheus text) on 127.0.0.1, served by
 * lws in the bot's own context and loop, so an answer also proves the loop is alive.
 * The content comes from callbacks of the owner (bot/discord.c). Loop thread only. */
#ifndef COHORT_HEALTH_H
#define COHORT_HEALTH_H

#include <libwebsockets.h>

#include "bot/buf.h"

struct health_src {
    void *arg;
    /* Fills a JSON body; returns the HTTP status (200 healthy, 503 not). */
    int (*healthz)(void *arg, struct buf *out);
    /* Fills the Prometheus text exposition. */
    void (*metrics)(void *arg, struct buf *out);
};

/* Adds a vhost listening on 127.0.0.1:port to ctx (created with
 * LWS_SERVER_OPTION_EXPLICIT_VHOSTS). src is borrowed and must outlive ctx.
 * 0 or BOT_EIO (port busy: the caller logs and carries on without it). */
int health_listen(struct lws_context *ctx, int port, const struct health_src *src);

#endif
