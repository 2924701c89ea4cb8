/* events.c - gateway event dispatch (events.h). Loop thread only. */
#include "bot/discord/events.h"
#include "bot/gcommit.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/discord/rest.h"
#include "bot/store.h"
#include "commands/interaction.h"
#include "commands/registry.h"
#include "config/config.h"
#include "schedules/sessions_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "events"
#define EV_MAX_TYPES 64

struct ev_count {
    char t[64];
    uint64_t n;
};

struct events {
    struct app *app;
    struct rest *rest;
    struct ev_count counts[EV_MAX_TYPES];
    int ncounts;
    int reg_state;
    char reg_key[96], reg_hash[17];
};

struct events *events_new(struct app *app, struct rest *rest)
{
    struct events *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->app = app;
    e->rest = rest;
    return e;
}

void events_free(struct events *e)
{
    free(e);
}

static void count(struct events *e, const char *t)
{
    for (int i = 0; i < e->ncounts; i++)
        if (strcmp(e->counts[i].t, t) == 0) {
            e->counts[i].n++;
            return;
        }
    if (e->ncounts == EV_MAX_TYPES)
        return; /* a flood of invented names must not grow memory */
    snprintf(e->counts[e->ncounts].t, sizeof(e->counts[0].t), "%s", t);
    e->counts[e->ncounts++].n = 1;
}

bool events_wants(struct events *e, const char *t)
{
    count(e, t);
    return strcmp(t, "READY") == 0 || strcmp(t, "INTERACTION_CREATE") == 0 ||
           strcmp(t, "GUILD_CREATE") == 0 || strcmp(t, "GUILD_DELETE") == 0 ||
           strncmp(t, "CHANNEL_", 8) == 0 || strcmp(t, "VOICE_STATE_UPDATE") == 0 ||
           strncmp(t, "GUILD_SCHEDULED_EVENT_USER_", 27) == 0;
}

void events_each_count(const struct events *e, void (*fn)(void *, const char *, uint64_t),
                       void *arg)
{
    for (int i = 0; i < e->ncounts; i++)
        fn(arg, e->counts[i].t, e->counts[i].n);
}

int events_registration_state(const struct events *e)
{
    return e->reg_state;
}

bool events_guild_is_ours(const char *guild_id, int shard_id, int shard_count)
{
    if (shard_count <= 1 || !guild_id || !*guild_id)
        return true; /* DMs go to shard 0; with one shard everything is ours */
    char *end = NULL;
    unsigned long long id = strtoull(guild_id, &end, 10);
    if (*end != '\0')
        return false;
    return (int)((id >> 22) % (unsigned long long)shard_count) == shard_id;
}

int events_commands_hash(json_t *reg, char out[17])
{
    char *s = json_dumps(reg, JSON_COMPACT | JSON_SORT_KEYS);
    if (!s)
        return BOT_ENOMEM;
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    free(s);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return 0;
}

static void on_registered(void *arg, const struct rest_result *res)
{
    struct events *e = arg;
    if (res->rc == 0) {
        e->reg_state = 2;
        if (e->app->store && store_meta_set(e->app->store, e->reg_key, e->reg_hash) < 0)
            log_warn(MOD, "could not store the command hash");
        log_info(MOD, "commands registered (%s)", e->reg_key);
    } else {
        e->reg_state = res->rc;
        log_error(MOD, "command registration failed status=%d code=%d: %s", res->status,
                  res->discord_code, res->message);
    }
}

static void register_commands(struct events *e, const char *app_id)
{
    const struct config *cfg = e->app->cfg;
    if (!e->rest || !app_id || !snowflake_valid(app_id))
        return;
    json_t *reg = cmd_registration_json();
    if (!reg || events_commands_hash(reg, e->reg_hash) < 0) {
        json_decref(reg);
        return;
    }
    const char *gid = cfg && cfg->guild_id && *cfg->guild_id ? cfg->guild_id : NULL;
    snprintf(e->reg_key, sizeof(e->reg_key), "commands_hash:%s:%s", app_id, gid ? gid : "global");
    char old[64] = "";
    if (e->app->store)
        store_meta_get(e->app->store, e->reg_key, old, sizeof(old));
    if (strcmp(old, e->reg_hash) == 0) {
        e->reg_state = 1;
        log_info(MOD, "commands unchanged (%s), not re-registered", e->reg_key);
        json_decref(reg);
        return;
    }
    char path[160];
    if (gid)
        snprintf(path, sizeof(path), "/applications/%s/guilds/%s/commands", app_id, gid);
    else
        snprintf(path, sizeof(path), "/applications/%s/commands", app_id);
    char *body = json_dumps(reg, JSON_COMPACT);
    json_decref(reg);
    struct rest_call c = {.method = "PUT", .path = path, .body = body};
    if (!body || rest_submit(e->rest, &c, on_registered, e) < 0)
        log_error(MOD, "could not queue command registration");
    free(body);
}

static void on_interaction(struct events *e, json_t *d)
{
    struct interaction ix;
    char err[BOT_ERR_LEN];
    int64_t t0 = app_mono_ms();
    if (ix_parse(d, &ix, err, sizeof(err)) < 0) {
        log_warn(MOD, "interaction skipped: %s", err);
        return;
    }
    ix.received_ms = t0;
    if (e->app->gc) /* the handler's writes join the batch committed before replies leave */
        gc_begin(e->app->gc);
    cmd_dispatch(e->app, &ix);
    ix_free(&ix);
}

void events_dispatch(struct events *e, const char *t, json_t *d, const struct guild_chan *ch,
                     size_t nch)
{
    const struct config *cfg = e->app->cfg;
    if (strcmp(t, "READY") == 0) {
        json_t *a = json_object_get(d, "application");
        register_commands(e, json_string_value(json_object_get(a, "id")));
        return;
    }
    const char *gid = json_string_value(json_object_get(d, "guild_id"));
    if (strncmp(t, "GUILD_", 6) == 0)
        gid = json_string_value(json_object_get(d, "id"));
    if (cfg && !events_guild_is_ours(gid, cfg->shard_id, cfg->shard_count)) {
        log_debug(MOD, "%s for guild %s of another shard ignored", t, gid);
        return;
    }
    if (strcmp(t, "INTERACTION_CREATE") == 0) {
        on_interaction(e, d);
        return;
    }
    if (e->app->guilds) {
        if (strcmp(t, "GUILD_CREATE") == 0 && !json_object_get(d, "channels"))
            guilds_load(e->app->guilds, d, ch, nch); /* read selectively by the gateway */
        else
            guilds_apply_event(e->app->guilds, t, d);
    }
    /* study groups: RSVPs, voice joins/leaves, and GUILD_CREATE's voice_states (after
     * the guild cache, which knows the voice channels by then) */
    sg_on_gateway(e->app, t, d, app_now(e->app));
}
