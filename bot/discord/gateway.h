/* gateway.h - the Discord gateway session as an explicit state machine, with no
 * socket in it: the loop glue (bot/discord.c) feeds it socket events, frames and the
 * clock, and it answers through struct gw_hooks (send a frame, close, connect,
 * fetch /gateway/bot, dispatch an event). Pure policy (close-code table, envelope
 * scan, send bucket, backoff) is exported for tests. Loop thread only; never blocks,
 * never sleeps; outside input (frames, close codes) never aborts. */
#ifndef COHORT_GATEWAY_H
#define COHORT_GATEWAY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/guilds.h"

enum gw_state {
    GW_DISCONNECTED = 0, /* no socket; a connect (or /gateway/bot fetch) may be scheduled */
    GW_CONNECTING,       /* socket requested or open, waiting for HELLO */
    GW_IDENTIFYING,      /* IDENTIFY sent, waiting for READY */
    GW_RESUMING,         /* RESUME sent, waiting for RESUMED */
    GW_READY,            /* session live */
    GW_CLOSING,          /* we asked the socket to close; waiting for it to go */
};

enum gw_action { GW_ACT_RESUME = 0, GW_ACT_REIDENTIFY, GW_ACT_FATAL };

/* The one policy table: what to do after the socket closed with `code` (0 = no
 * close code, i.e. the connection was lost). Pure. */
enum gw_action gw_close_policy(int code);
/* Human explanation for fatal codes (static string, never NULL). Pure. */
const char *gw_close_text(int code);
const char *gw_state_name(enum gw_state s);

/* Fast top-level scan of a gateway payload: op, s, t and where d lies, without
 * building a tree (string- and nesting-aware, bounded by len). 0 or BOT_EPROTO. */
#define GW_T_MAX 64
struct gw_env {
    int op;
    bool has_s;
    int64_t s;
    char t[GW_T_MAX];    /* "" when null/absent; "?" when not a plain short name */
    size_t d_off, d_len; /* d_len 0 when d is absent */
    bool d_unchecked;    /* fast scan: d taken as the rest of the object, not walked */
};
int gw_scan_envelope(const char *p, size_t len, struct gw_env *out);
/* The same, but once op, t and s are known and d (an object or array) is the next key,
 * d is taken to run to the payload's closing brace without walking it (Discord sends
 * d last): an unhandled event costs a scan of its ~40-byte head. The caller that then
 * parses d and fails rescans with gw_scan_envelope (d_unchecked says when). */
int gw_scan_envelope_fast(const char *p, size_t len, struct gw_env *out);

/* The selective read of a GUILD_CREATE / GUILD_UPDATE d (gw_select.c): a pruned tree
 * with only id, name, unavailable, owner_id, member_count, voice_states and
 * guild_scheduled_events (whole), and channels[] read into the flat sink `c` (id, name,
 * type per channel, voice channels included; the tree has no "channels" key). Members,
 * roles, emojis, presences, threads, topics, parents and permission overwrites are
 * dropped: a handler that needs more adds the key to gw_select.c's table. NULL when d is
 * malformed. The sink is reused from call to call (its strings live until the next
 * call or gw_chans_free; start it zeroed). Pure. */
struct gw_chan_off {
    size_t id, name; /* offsets into arena */
    int type;
};
struct gw_chans {
    struct guild_chan *v; /* n channels: id and name point into arena */
    size_t n, vcap;
    struct gw_chan_off *off;
    size_t cap;
    char *arena;
    size_t alen, acap;
};
json_t *gw_select_guild(const char *p, size_t len, struct gw_chans *c);
void gw_chans_free(struct gw_chans *c);
/* Is p[0..len) valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
bool gw_utf8_valid(const char *p, size_t len);

/* Reconnect delay for the attempt-th consecutive failure (0-based): 1 s doubling to a
 * 60 s cap, plus up to 25 % jitter from rnd (any 32-bit value). Pure. */
int64_t gw_backoff_ms(int attempt, uint32_t rnd);

/* Sliding-window send limiter: at most `limit` sends in any 60 s. Pure over now. */
#define GW_SEND_WINDOW_MS 60000
#define GW_SEND_MAX 120
struct gw_bucket {
    int64_t ts[GW_SEND_MAX];
    int head, n;
};
/* Ms until one more send fits under limit (0 = now). */
int64_t gw_bucket_wait(const struct gw_bucket *b, int limit, int64_t now);
/* Records a send at now (caller checked gw_bucket_wait == 0). */
void gw_bucket_take(struct gw_bucket *b, int64_t now);

/* "<url>[/]?v=10&encoding=json" into out; BOT_EINVAL for a URL that is not ws(s)://
 * (ws:// only when allow_ws), BOT_ETOOBIG when out is short. Pure. */
int gw_build_url(const char *url, bool allow_ws, char *out, size_t outlen);
/* Appends "&compress=zlib-stream" to a gw_build_url result; BOT_ETOOBIG when short. Pure. */
int gw_add_compress(char *url, size_t outlen);

/* Callbacks into the glue. All run on the loop thread, from inside gw_* calls. */
struct gw_hooks {
    void *arg;
    int (*send)(void *arg, const char *text, size_t len); /* queue one text frame; 0/<0 */
    void (*close)(void *arg, int code);                   /* close the socket with code */
    int (*connect)(void *arg, const char *url); /* open a socket; 0 = pending, <0 = failed */
    void (*fetch_gateway)(void *arg);           /* GET /gateway/bot, answer via gw_on_gateway_bot */
    bool (*wants)(void *arg, const char *t);    /* is there a handler for event t? */
    /* d borrowed for the call; chans: a GUILD_CREATE/UPDATE's channels (gw_select_guild),
     * NULL for other events */
    void (*event)(void *arg, const char *t, json_t *d, const struct gw_chans *chans);
    void (*fatal)(void *arg, int code, const char *why); /* session cannot continue */
};

struct gw_opts {
    const char *token; /* copied */
    uint64_t intents;
    int shard_id, shard_count; /* count 0 = no shard field, -1 = auto (/gateway/bot) */
    size_t max_frame;          /* reassembly cap; 0 = 16 MiB */
    bool allow_ws;             /* accept ws:// gateway URLs (api_base is http://) */
    bool compress;             /* ask for compress=zlib-stream (binary frames, gw_on_binary) */
    uint32_t seed;             /* jitter randomness */
};

struct gw_stats {
    uint64_t events, frames, bad_frames, bytes, heartbeats, acks, reconnects, resumes, identifies,
        zombies, dropped_sends;
    uint64_t wire_bytes; /* bytes received as sent (compressed with zlib-stream); bytes: JSON */
};

struct gw;

/* NULL on allocation failure. The hooks struct is copied. Free with gw_free. */
struct gw *gw_new(const struct gw_opts *o, const struct gw_hooks *h);
void gw_free(struct gw *g);

/* Begins: fetches /gateway/bot then connects. */
void gw_start(struct gw *g, int64_t now);
/* Answer to fetch_gateway: HTTP status and body (borrowed). */
void gw_on_gateway_bot(struct gw *g, int status, const char *body, size_t len, int64_t now);
/* The socket requested by connect() is open. */
void gw_on_open(struct gw *g, int64_t now);
/* A piece of one text message; final = last piece. Reassembles under max_frame
 * (an oversized message is dropped and logged) and calls gw_on_frame. */
int gw_on_fragment(struct gw *g, const char *p, size_t len, bool final, int64_t now);
/* A piece of binary websocket data (compress=zlib-stream), final = it ends a
 * websocket message: inflated at each message that ends at a 00 00 ff ff flush boundary
 * (gw_inflate.h, output capped at max_frame), then handled as gw_on_frame. A corrupt stream or a
 * decompression bomb is counted as a bad frame, logged once, and closes the socket to resume on a
 * new one (new zlib context); binary data without compression is skipped. 0 or a negative BOT_E*.
 */
int gw_on_binary(struct gw *g, const char *p, size_t len, bool final, int64_t now);
/* One complete payload. 0, or BOT_EPROTO/BOT_ENOMEM for a skipped frame (logged). */
int gw_on_frame(struct gw *g, const char *p, size_t len, int64_t now);
/* The socket is gone (also for a failed connect); code 0 = no close code. */
void gw_on_close(struct gw *g, int code, int64_t now);
/* Runs due timers (connect, heartbeat, zombie check, queued sends). Returns the
 * absolute ms of the next deadline, or -1 when nothing is scheduled. */
int64_t gw_tick(struct gw *g, int64_t now);
/* Deliberate shutdown: closes with 1000 (we do not intend to resume) and never
 * reconnects. */
void gw_stop(struct gw *g);

enum gw_state gw_get_state(const struct gw *g);
bool gw_stopped(const struct gw *g); /* after gw_stop or a fatal close */
/* Borrowed strings, "" until READY. */
const char *gw_session_id(const struct gw *g);
const char *gw_app_id(const struct gw *g);
const char *gw_user_id(const struct gw *g);
int64_t gw_seq(const struct gw *g);         /* -1 = none yet */
int64_t gw_last_ack_ms(const struct gw *g); /* -1 = never */
int64_t gw_heartbeat_interval(const struct gw *g);
bool gw_ack_pending(const struct gw *g);
const struct gw_stats *gw_get_stats(const struct gw *g);
/* The shard count in use: configured, or Discord's recommendation once /gateway/bot
 * answered when configured as auto (-1 until then); 0 = unsharded. */
int gw_shard_count(const struct gw *g);

#endif
