/* fake.h - the fake Discord server for end-to-end tests and benchmarks: one lws
 * vhost on 127.0.0.1 serving the gateway (any ws upgrade), the REST routes the bot
 * uses (with realistic rate-limit headers and scripted faults) and a control API
 * under /_ctl/ for the test driver. Single-threaded (the lws loop). Test code only. */
#ifndef FAKE_H
#define FAKE_H

#include <jansson.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/buf.h"

#define FAKE_MAX_EVENTS 4096
#define FAKE_TOKEN "test-token-not-real-0000" /* what the e2e tests give the bot */
#define FAKE_MAX_FAULTS 16
#define FAKE_MAX_SHARDS 16

struct fake_frame {
    struct fake_frame *next;
    size_t len;
    int flags; /* lws_write protocol flags */
    unsigned char data[];
};

struct fake_fault {
    char match[96]; /* substring of "METHOD /path" */
    int status, count;
    int code; /* Discord JSON error code to answer with (0 = by status) */
    double retry_after;
    bool html, global, no_retry_after;
    int delay_ms;
    bool reset; /* close the connection without any answer (fake_net.c) */
};

/* A rate-limit rule for the routes whose "METHOD /path" contains match: limit requests per
 * window_ms (instead of 5 per second), every answer held back by a varying 0..late_ms so
 * answers arrive late and out of order (fake_net.c). */
#define FAKE_MAX_RULES 8
struct fake_rule {
    char match[96];
    int limit, window_ms, late_ms;
    unsigned n;
};

/* one session for both roles (HTTP request or gateway socket) */
struct fake_pss {
    bool is_ws;
    /* http */
    char method[8], path[512];
    struct buf body;
    int status, stage;
    bool reset; /* answer nothing: drop the connection */
    struct buf resp;
    char extra_hdrs[512];
    const char *ctype;
    lws_sorted_usec_list_t sul;
    struct lws *wsi;
    /* ws */
    struct fake_frame *q_head, *q_tail;
    bool closing;
    int close_code;
    void *zs;        /* z_stream when the socket asked for compress=zlib-stream (fake_zlib.c) */
    int shard;       /* sharded mode: the shard this socket identified as */
    bool identified; /* sharded mode: READY sent on this socket */
};

struct fake {
    struct lws_context *ctx;
    struct lws_vhost *vh;
    int port;
    /* TLS listener (fake_net.c, --tls-cert/--tls-key): REST and gateway over TLS on
     * tls_port; gw_tls makes /gateway/bot answer wss://<tls_host>:<tls_port>/gw */
    int tls_port;
    bool gw_tls;
    char tls_host[64];
    bool quit;
    /* gateway */
    struct lws *conn; /* the current gateway socket */
    struct fake_pss *conn_pss;
    int hb_interval;
    bool ack, identified;
    int close_on_identify; /* 0 = send READY */
    int start_remaining, start_reset_after;
    char session_id[32];
    int64_t seq;
    char *events[FAKE_MAX_EVENTS]; /* dispatched payloads, index = seq - 1 */
    int nevents;
    int connections, identifies, resumes, heartbeats, invalid_frames;
    /* sockets that asked for compress=zlib-stream; bytes before/after deflate */
    int zlib_connections;
    unsigned long long z_in, z_out;
    /* REST */
    struct fake_fault faults[FAKE_MAX_FAULTS];
    int nfaults;
    uint64_t next_id;
    json_t *log_rest;      /* [{method, path, body, t, status, problems}] */
    json_t *log_gw;        /* [{op, t, d}] */
    json_t *log_closes;    /* [{code, t}] close frames the bot sent */
    json_t *nonces;        /* nonce -> message id */
    json_t *answered;      /* interaction token -> true once its callback was taken */
    json_t *sched_events;  /* guild id -> [scheduled event objects] (fake_events.c) */
    json_t *made_channels; /* guild id -> [channels created through REST] */
    json_t *voice_states;  /* guild id -> {user id: channel id} (/_ctl/voice) */
    int bucket_remaining;
    struct fake_rule rules[FAKE_MAX_RULES];
    int nrules;
    /* interaction flood (benchmark): one INTERACTION_CREATE every tick, open loop (a late
     * timer sends everything that fell due); /help, or /checkin from a distinct user each,
     * or copies of a template d (e.g. a button click) from a distinct user each */
    lws_sorted_usec_list_t ix_sul;
    int ix_total, ix_sent, ix_tick_us;
    bool ix_checkin;
    json_t *ix_template; /* NULL = /help or /checkin */
    int ix_token_len;    /* 0 = "itok-bench"; else a distinct token of this length each */
    int64_t ix_start_us, ix_last_answer_us;
    int64_t *ix_sent_us;      /* per interaction, when it fell due (latency counts from there) */
    int64_t *ix_answer_us;    /* per interaction: its first callback's time, 0 = none */
    int ix_dup, ix_bad_token; /* second callbacks; callbacks whose token is not the one sent */
    json_t *ix_lat_us;        /* first-callback latencies in microseconds */
    int64_t t0;
    /* sharding (fake_shards.c); shard_count 0 = one socket, as before */
    int shard_count, max_concurrency;
    json_t *shard_guilds;
    struct fake_pss *shard_pss[FAKE_MAX_SHARDS];
    int64_t bucket_last[FAKE_MAX_SHARDS];
    int identify_too_soon;
};

int64_t fake_ms(struct fake *f);
/* REST: fills status, headers and body for one request (fake_rest.c). */
void fake_rest(struct fake *f, struct fake_pss *p);
/* Control API (fake_ctl.c). */
void fake_ctl(struct fake *f, struct fake_pss *p);
/* Gateway (fakediscord.c). */
void fake_ws_queue(struct fake *f, struct fake_pss *p, const char *text, size_t len, int flags);
/* As is, never compressed (a corrupt stream for the bot's error path). */
void fake_ws_queue_raw(struct fake_pss *p, const void *data, size_t len, int flags);
int fake_dispatch(struct fake *f, const char *t, json_t *d); /* steals d */
void fake_ws_close(struct fake *f, int code);
/* Start an interaction flood from the control body {n, tick_us, checkin, template,
 * token_len}: n interactions (ids 1600000000000000000+i), one every tick_us; /checkin
 * (hours, note) from user 7000000000000000000+i when checkin, copies of the object
 * template (its id, token and member.user.id replaced, the user being 7000000000000000000+i)
 * when given, else /help (fake_ctl.c). */
void fake_ix_flood(struct fake *f, json_t *b);
/* A callback for interaction `id` arrived (fake_ctl.c). */
void fake_ix_answered(struct fake *f, const char *path);
/* Network faults (fake_net.c): the rule for key ("METHOD /path") or NULL; the control
 * verb "bucket" {match, limit, window_ms, late_ms} that adds one. */
struct fake_rule *fake_rule_for(struct fake *f, const char *key);
void fake_ctl_bucket(struct fake *f, json_t *b);
/* A websocket upgrade without a "DiscordBot (url, version)" User-Agent is refused, as an
 * independent Discord-compatible server does: -1 refuses. */
int fake_ws_filter(struct fake *f, struct lws *wsi);
/* Opens the TLS vhost with this certificate chain and key; its port or -1. */
int fake_tls_listen(struct fake *f, const struct lws_protocols *protocols, const char *cert,
                    const char *key);
/* zlib-stream (fake_zlib.c): a deflate context for p; its end; one message deflated with
 * a sync flush into a new buffer (free it). 0 or -1. */
int fake_zlib_start(struct fake_pss *p);
void fake_zlib_end(struct fake_pss *p);
int fake_zlib_deflate(struct fake_pss *p, const char *text, size_t len, unsigned char **out,
                      size_t *outlen);
/* Sharding (fake_shards.c). */
void fake_shards_config(struct fake *f, json_t *b);
/* The shard a dispatch goes to, or -1 when it names no guild (the current socket). */
int fake_shard_route(struct fake *f, const char *t, json_t *d);
/* 0 = IDENTIFY accepted on p, else the close code (4010, 4011). */
int fake_shard_identify(struct fake *f, struct fake_pss *p, json_t *d);
void fake_shard_guilds(struct fake *f, int shard); /* GUILD_CREATEs after READY */
void fake_shard_closed(struct fake *f, struct fake_pss *p);
/* Checks a request body against Discord's documented limits; appends problems. */
void fake_validate(const char *method, const char *path, json_t *body, json_t *problems);
/* fake_multipart.c: payload_json of a multipart body (new ref or NULL), files listed
 * into `files`; fake_check_uploads: attachments and attachment:// refs vs files. */
json_t *fake_multipart(const char *ctype, const char *body, size_t len, json_t *files,
                       json_t *problems);
void fake_check_uploads(json_t *msg, json_t *files, json_t *problems);
/* Sets status and a JSON body (steals j) (fake_rest.c). */
void fake_reply_json(struct fake_pss *p, int status, json_t *j);
/* Scheduled events (fake_events.c): the routes (true when path was one of them) and the
 * body checks against the OpenAPI schemas. */
bool fake_events_route(struct fake *f, struct fake_pss *p, const char *m, const char *path,
                       json_t *body);
void fake_events_validate(const char *method, const char *path, json_t *body, json_t *out);
/* Checks body against components.schemas[schema] of the OpenAPI spec (fake_schema.c);
 * problems appended. 0, or -1 when the spec or schema is missing (also a problem). */
int fake_schema_check(const char *schema, json_t *body, json_t *out);
void fake_schema_free(void);
/* Adds to a GUILD_CREATE payload what the fake remembers of that guild: the channels the
 * bot created, voice_states and guild_scheduled_events (fake_events.c). */
void fake_guild_extend(struct fake *f, json_t *guild);
/* Remembers a channel created through REST (fake_events.c). */
void fake_channel_made(struct fake *f, const char *guild_id, json_t *channel);
/* Control verbs of fake_events.c: "voice" {guild_id, user_id, channel_id|null} and "rsvp"
 * {guild_id, event_id, user_id, add}: update the fake's state and dispatch
 * VOICE_STATE_UPDATE / GUILD_SCHEDULED_EVENT_USER_ADD|REMOVE. true when verb was one. */
bool fake_events_ctl(struct fake *f, const char *verb, json_t *b);
/* Answers /_ctl/state: {"channels":{g:[...]}, "events":{g:[...]}, "voice":{g:{u:c}}}. */
void fake_events_state(struct fake *f, struct fake_pss *p);

#endif
