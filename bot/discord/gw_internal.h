/* gw_internal.h - the gateway session struct, shared by gateway.c (lifecycle,
 * sending) and gw_frame.c (incoming payloads, timers). Not for other modules. */
#ifndef COHORT_GW_INTERNAL_H
#define COHORT_GW_INTERNAL_H

#include "bot/buf.h"
#include "bot/discord/gateway.h"
#include "bot/discord/gw_inflate.h"

#define GW_URL_MAX 512
#define GW_ID_MAX 32
#define GW_SESSION_MAX 128
#define GW_PENDING 8
#define GW_HELLO_TIMEOUT_MS 20000
#define GW_APP_SEND_LIMIT 110 /* leaves room for heartbeats under 120 */

struct gw {
    struct gw_hooks h;
    char *token;
    uint64_t intents;
    int shard_id, shard_count; /* count -1 = auto: /gateway/bot's "shards" */
    int max_concurrency;       /* from /gateway/bot; identify buckets (shard_gate.h) */
    bool allow_ws;
    uint32_t rng;
    enum gw_state state;
    bool stopped, fatal, socket_open, want_resume, fetching;
    int attempts;           /* consecutive failed connects, reset on READY/RESUMED */
    int64_t connect_at;     /* -1 = none */
    int64_t fetch_at;       /* -1 = none */
    int64_t hello_deadline; /* -1 = none */
    /* heartbeat, reset per socket */
    int64_t hb_interval, hb_due, last_ack;
    bool ack_pending;
    /* session */
    int64_t seq;
    char session_id[GW_SESSION_MAX];
    char resume_url[GW_URL_MAX];
    char gateway_url[GW_URL_MAX];
    char app_id[GW_ID_MAX], user_id[GW_ID_MAX];
    int pending_action; /* -1 none, else enum gw_action chosen before we closed */
    int64_t pending_delay;
    struct buf frag;
    bool frag_overflow; /* dropping the rest of an oversized message */
    struct gw_bucket bucket;
    /* compress=zlib-stream: NULL when off; reset per socket. zin_failed: this socket's
     * stream broke, ignore it until the socket is gone */
    struct gw_inflate *zin;
    bool zin_failed;
    char *pending[GW_PENDING];
    int npending;
    struct gw_stats st;
    struct gw_chans chans; /* the last GUILD_CREATE/UPDATE's channels (gw_select_guild) */
};

uint32_t gw_rnd(struct gw *g);
void gw_set_state(struct gw *g, enum gw_state s);
void gw_send_heartbeat(struct gw *g, int64_t now);
int gw_send_identify(struct gw *g, int64_t now);
int gw_send_resume(struct gw *g, int64_t now);
/* Close this socket on purpose; once it is gone, act (delay < 0 = backoff). */
void gw_leave(struct gw *g, enum gw_action act, int64_t delay, int code);
void gw_do_connect(struct gw *g, int64_t now);
void gw_flush_pending(struct gw *g, int64_t now);
/* JSON helpers of the envelope scan (gw_proto.c): skip whitespace; skip one value
 * (string- and nesting-aware, bounded by n), 0 or BOT_EPROTO. */
size_t gw_json_ws(const char *p, size_t i, size_t n);
int gw_json_skip(const char *p, size_t *i, size_t n);

#endif
