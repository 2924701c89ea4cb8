/* chat_discord.c - struct chat over Discord REST (chat_discord.h). Every request is
 * asynchronous: a small job struct carries the caller's done/arg to the REST
 * completion, which runs on the loop thread. Loop thread only. */
#include "bot/discord/chat_discord.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/idmap.h"
#include "bot/log.h"
#include "bot/message.h"
#include "bot/discord/rest.h"
#include "bot/discord/chat_events.h"
#include "commands/interaction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "chat"

const double cd_lat_bounds_s[CD_LAT_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                0.05,  0.1,    0.25,  1.0,  3.0};

struct chat_discord {
    struct app *app;
    struct rest *rest;
    struct idmap dm; /* user id -> owned DM channel id string */
    struct cd_stats st;
};

struct job {
    struct chat_discord *c;
    chat_done_fn done;
    void *arg;
    char guild_id[IX_ID_LEN], name[101], user_id[IX_ID_LEN];
    int type;
    int64_t t0_ms;    /* interaction received (monotonic), for the histogram */
    struct message m; /* DM: the message to post once the channel is known */
    char nonce[26];
    bool has_msg;
    /* an interaction reply: where and what to send as a follow-up when the callback's
     * outcome is unknown (no HTTP answer); owned, NULL otherwise */
    char *fu_path, *fu_body;
};

static struct job *job_new(struct chat_discord *c, chat_done_fn done, void *arg)
{
    struct job *j = calloc(1, sizeof(*j));
    if (j) {
        j->c = c;
        j->done = done;
        j->arg = arg;
        msg_init(&j->m);
    }
    return j;
}

static void job_free(struct job *j)
{
    msg_free(&j->m);
    free(j->fu_path);
    free(j->fu_body);
    free(j);
}

/* Gives the caller its result; id is read from the response body's "id". */
static void finish(struct job *j, const struct rest_result *res)
{
    json_t *body = res->rc == 0 ? json_loadb(res->body, res->len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(body, "id"));
    struct chat_result r = {res->rc, res->status, res->discord_code, id ? id : "", res->message};
    if (j->done)
        j->done(j->arg, &r);
    json_decref(body);
}

static void on_post(void *arg, const struct rest_result *res)
{
    struct job *j = arg;
    if (res->rc)
        j->c->st.post_failures++;
    finish(j, res);
    job_free(j);
}

/* `files` (may be NULL) is the message whose attachments go along as files[0..1]. */
static int submit_json(struct chat_discord *c, const char *method, const char *path, json_t *body,
                       const struct message *files, unsigned flags, rest_done_fn fn, void *arg)
{
    if (!body)
        return BOT_ENOMEM;
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!s)
        return BOT_ENOMEM;
    struct rest_call call = {.method = method, .path = path, .body = s, .flags = flags};
    if (files && files->file.name) {
        call.file_name = files->file.name;
        call.file_data = files->file.data;
        call.file_len = files->file.len;
        if (files->file2.name) {
            call.file2_name = files->file2.name;
            call.file2_data = files->file2.data;
            call.file2_len = files->file2.len;
        }
    }
    int rc = rest_submit(c->rest, &call, fn, arg);
    free(s);
    return rc;
}

static int d_post(void *impl, const char *channel_id, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    struct chat_discord *c = impl;
    if (!snowflake_valid(channel_id))
        return BOT_EINVAL;
    struct job *j = job_new(c, done, arg);
    if (!j)
        return BOT_ENOMEM;
    char path[64];
    snprintf(path, sizeof(path), "/channels/%s/messages", channel_id);
    c->st.posts++;
    int rc = submit_json(c, "POST", path, msg_to_json(m, nonce), m, 0, on_post, j);
    if (rc < 0)
        job_free(j);
    return rc;
}

static void on_dm_channel(void *arg, const struct rest_result *res)
{
    struct job *j = arg;
    struct chat_discord *c = j->c;
    json_t *body = res->rc == 0 ? json_loadb(res->body, res->len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(body, "id"));
    if (!id || !snowflake_valid(id)) {
        struct rest_result r = *res;
        if (r.rc == 0) {
            r.rc = BOT_EPROTO;
            r.message = "DM channel answer without an id";
        }
        finish(j, &r);
        json_decref(body);
        job_free(j);
        return;
    }
    uint64_t uid = strtoull(j->user_id, NULL, 10);
    /* two DMs to one user in flight both open the channel: keep the first cached copy
     * (idmap_put replaces without freeing the old value) */
    char *copy = uid && idmap_get(&c->dm, uid) ? NULL : strdup(id);
    if (copy && idmap_put(&c->dm, uid, copy) == 0)
        copy = NULL;
    free(copy);
    int rc = d_post(c, id, &j->m, j->nonce[0] ? j->nonce : NULL, j->done, j->arg);
    if (rc < 0) {
        struct chat_result r = {rc, 0, 0, "", "could not queue the DM"};
        if (j->done)
            j->done(j->arg, &r);
    }
    json_decref(body);
    job_free(j);
}

static int d_dm(void *impl, const char *user_id, const struct message *m, const char *nonce,
                chat_done_fn done, void *arg)
{
    struct chat_discord *c = impl;
    if (!snowflake_valid(user_id))
        return BOT_EINVAL;
    uint64_t uid = strtoull(user_id, NULL, 10);
    const char *cached = uid ? idmap_get(&c->dm, uid) : NULL;
    if (cached)
        return d_post(c, cached, m, nonce, done, arg);
    struct job *j = job_new(c, done, arg);
    if (!j)
        return BOT_ENOMEM;
    snprintf(j->user_id, sizeof(j->user_id), "%s", user_id);
    snprintf(j->nonce, sizeof(j->nonce), "%s", nonce ? nonce : "");
    if (msg_copy(&j->m, m) < 0) {
        job_free(j);
        return BOT_ENOMEM;
    }
    int rc = submit_json(c, "POST", "/users/@me/channels",
                         json_pack("{s:s}", "recipient_id", user_id), NULL, 0, on_dm_channel, j);
    if (rc < 0)
        job_free(j);
    return rc;
}

static void on_callback(void *arg, const struct rest_result *res);

/* The callback got no answer and was not re-sent: the reply goes out as a follow-up
 * message on the interaction's webhook (token valid 15 minutes). True when queued. */
static bool send_followup(struct job *j)
{
    struct job *f = job_new(j->c, NULL, NULL);
    if (!f)
        return false;
    struct rest_call call = {
        .method = "POST", .path = j->fu_path, .body = j->fu_body, .flags = REST_F_INTERACTION};
    if (rest_submit(j->c->rest, &call, on_callback, f) < 0) {
        job_free(f);
        return false;
    }
    log_warn(MOD, "interaction answer got no response; sent again as a follow-up message");
    return true;
}

static void on_callback(void *arg, const struct rest_result *res)
{
    struct job *j = arg;
    struct cd_stats *st = &j->c->st;
    if (res->rc == BOT_EIO && res->status == 0 && j->fu_path && j->fu_body && send_followup(j)) {
        st->callback_failures++;
    } else if (res->rc) {
        st->callback_failures++;
        log_warn(MOD, "interaction answer failed status=%d code=%d: %s", res->status,
                 res->discord_code, res->message);
    } else if (j->t0_ms > 0) {
        double s = (double)(app_mono_ms() - j->t0_ms) / 1000.0;
        st->lat_count++;
        st->lat_sum_s += s;
        for (int i = 0; i < CD_LAT_BUCKETS; i++)
            if (s <= cd_lat_bounds_s[i])
                st->lat_le[i]++;
    }
    job_free(j);
}

static int answer(struct chat_discord *c, const struct interaction *ix, const char *method,
                  const char *path, json_t *body, const struct message *files, bool timed)
{
    struct job *j = job_new(c, NULL, NULL);
    if (!j) {
        json_decref(body);
        return BOT_ENOMEM;
    }
    json_t *data = json_object_get(body, "data");
    if (timed && !(files && files->file.name) &&
        json_integer_value(json_object_get(body, "type")) == 4 &&
        json_is_object(data)) { /* a message reply: keep its follow-up form */
        size_t n = strlen(ix->application_id) + strlen(ix->token) + 16;
        j->fu_path = malloc(n);
        j->fu_body = json_dumps(data, JSON_COMPACT);
        if (j->fu_path)
            snprintf(j->fu_path, n, "/webhooks/%s/%s", ix->application_id, ix->token);
    }
    j->t0_ms = timed ? ix->received_ms : 0;
    c->st.callbacks++;
    int rc = submit_json(c, method, path, body, files, REST_F_INTERACTION, on_callback, j);
    if (rc < 0) {
        /* the member will see "did not respond"; anything the handler stored is kept */
        log_error("chat", "could not answer interaction id=%s user=%s: %s", ix->id, ix->user_id,
                  bot_strerror(rc));
        job_free(j);
    }
    return rc;
}

/* The interaction's callback or @original webhook path, allocated: interaction tokens
 * have no documented length, so none is assumed. NULL for a token that cannot be a path
 * segment (empty, '/', '?', '#', '%', spaces or controls) or on allocation failure. */
static char *ix_path(const struct interaction *ix, bool webhook)
{
    const char *t = ix->token;
    if (!t || !*t || strcspn(t, "/?#% \t\r\n") != strlen(t))
        return NULL;
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return NULL;
    size_t n = strlen(t) + strlen(ix->id) + strlen(ix->application_id) + 48;
    char *path = malloc(n);
    if (!path)
        return NULL;
    if (webhook)
        snprintf(path, n, "/webhooks/%s/%s/messages/@original", ix->application_id, t);
    else
        snprintf(path, n, "/interactions/%s/%s/callback", ix->id, t);
    return path;
}

static int d_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    struct chat_discord *c = impl;
    char *path = ix_path(ix, ix->deferred);
    if (!path)
        return BOT_EINVAL;
    int rc = ix->deferred ? answer(c, ix, "PATCH", path, msg_to_json(m, NULL), m, false)
                          : answer(c, ix, "POST", path, msg_to_callback(m), m, true);
    free(path);
    return rc;
}

static int d_defer(void *impl, struct interaction *ix)
{
    struct chat_discord *c = impl;
    char *path = ix_path(ix, false);
    if (!path)
        return BOT_EINVAL;
    /* 6 acknowledges a button quietly; 5 shows "thinking…" only to the member (our slow
     * answers are all ephemeral, and that is decided at the deferral). */
    json_t *body = ix->type == IX_COMPONENT
                       ? json_pack("{s:i}", "type", 6)
                       : json_pack("{s:i,s:{s:i}}", "type", 5, "data", "flags", 64);
    int rc = answer(c, ix, "POST", path, body, NULL, true);
    free(path);
    if (rc == 0)
        ix->deferred = true;
    return rc;
}

static void on_channel(void *arg, const struct rest_result *res)
{
    struct job *j = arg;
    json_t *body = res->rc == 0 ? json_loadb(res->body, res->len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(body, "id"));
    if (id && j->c->app->guilds)
        guilds_channel_upsert(j->c->app->guilds, j->guild_id, id, j->name, j->type);
    json_decref(body);
    finish(j, res);
    job_free(j);
}

static int d_create_channel(void *impl, const char *guild_id, const char *name, int type,
                            const char *parent_id, const char *topic, chat_done_fn done, void *arg)
{
    struct chat_discord *c = impl;
    if (!snowflake_valid(guild_id) || !name || !*name || (parent_id && !snowflake_valid(parent_id)))
        return BOT_EINVAL;
    struct job *j = job_new(c, done, arg);
    if (!j)
        return BOT_ENOMEM;
    snprintf(j->guild_id, sizeof(j->guild_id), "%s", guild_id);
    snprintf(j->name, sizeof(j->name), "%.*s", (int)msg_utf8_prefix(name, 100), name);
    j->type = type;
    json_t *body = json_pack("{s:s, s:i}", "name", j->name, "type", type);
    if (body && parent_id)
        json_object_set_new(body, "parent_id", json_string(parent_id));
    if (body && topic)
        json_object_set_new(body, "topic", json_stringn(topic, msg_utf8_prefix(topic, 1024)));
    char path[64];
    snprintf(path, sizeof(path), "/guilds/%s/channels", guild_id);
    int rc = submit_json(c, "POST", path, body, NULL, 0, on_channel, j);
    if (rc < 0)
        job_free(j);
    return rc;
}

static const struct chat_ops discord_ops = {
    .post = d_post,
    .dm = d_dm,
    .reply = d_reply,
    .defer = d_defer,
    .create_channel = d_create_channel,
    .create_event = cd_create_event,
    .modify_event = cd_modify_event,
    .delete_event = cd_delete_event,
    .list_events = cd_list_events,
};

struct rest *chat_discord_rest(struct chat_discord *c)
{
    return c->rest;
}

struct chat_discord *chat_discord_new(struct app *app, struct rest *rest)
{
    struct chat_discord *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->app = app;
    c->rest = rest;
    idmap_init(&c->dm);
    return c;
}

void chat_discord_free(struct chat_discord *c)
{
    if (!c)
        return;
    uint64_t k;
    void *v;
    for (size_t i = 0; idmap_next(&c->dm, &i, &k, &v);)
        free(v);
    idmap_free(&c->dm);
    free(c);
}

void chat_discord_install(struct chat_discord *c, struct app *app)
{
    app->chat.ops = &discord_ops;
    app->chat.impl = c;
}

const struct cd_stats *chat_discord_stats(const struct chat_discord *c)
{
    return &c->st;
}
