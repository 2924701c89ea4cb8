/* chat_events.c - guild scheduled events over Discord REST (chat_events.h). */
#include "bot/discord/chat_events.h"
#include "bot/discord/rest.h"
#include "bot/err.h"
#include "bot/message.h"
#include "bot/tz.h"
#include "commands/interaction.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define EV_MAX_LIST 200 /* Discord keeps at most 100 per guild; more is a broken answer */

struct ev_job {
    chat_done_fn done;
    chat_events_fn list_done;
    void *arg;
};

void cd_iso_time(int64_t t, char out[32])
{
    struct civil c;
    tz_from_utc("UTC", t, &c);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
}

static void ev_finish(void *arg, const struct rest_result *res)
{
    struct ev_job *j = arg;
    json_t *body = res->rc == 0 && res->len ? json_loadb(res->body, res->len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(body, "id"));
    struct chat_result r = {res->rc, res->status, res->discord_code, id ? id : "", res->message};
    if (j->done)
        j->done(j->arg, &r);
    json_decref(body);
    free(j);
}

static int submit(struct chat_discord *c, const char *method, const char *path, json_t *body,
                  rest_done_fn fn, struct ev_job *j)
{
    char *s = NULL;
    if (body) {
        s = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        if (!s) {
            free(j);
            return BOT_ENOMEM;
        }
    }
    struct rest_call call = {.method = method, .path = path, .body = s};
    int rc = rest_submit(chat_discord_rest(c), &call, fn, j);
    free(s);
    if (rc < 0)
        free(j);
    return rc;
}

static void set_str(json_t *o, const char *key, const char *v, size_t max_cps)
{
    if (v)
        json_object_set_new(o, key, json_stringn(v, msg_utf8_prefix(v, max_cps)));
}

static json_t *event_body(const struct chat_event *ev, bool create)
{
    json_t *o = json_object();
    char t[32];
    if (!o)
        return NULL;
    set_str(o, "name", ev->name, 100);
    set_str(o, "description", ev->description, 1000);
    if (ev->channel_id)
        json_object_set_new(o, "channel_id", json_string(ev->channel_id));
    if (ev->start) {
        cd_iso_time(ev->start, t);
        json_object_set_new(o, "scheduled_start_time", json_string(t));
    }
    if (ev->end) {
        cd_iso_time(ev->end, t);
        json_object_set_new(o, "scheduled_end_time", json_string(t));
    }
    if (create) {
        json_object_set_new(o, "privacy_level", json_integer(2)); /* GUILD_ONLY */
        json_object_set_new(o, "entity_type", json_integer(2));   /* VOICE */
    }
    if (ev->status)
        json_object_set_new(o, "status", json_integer(ev->status));
    return o;
}

int cd_create_event(void *impl, const char *guild_id, const struct chat_event *ev,
                    chat_done_fn done, void *arg)
{
    if (!snowflake_valid(guild_id) || !ev->name || !ev->start || !ev->channel_id ||
        !snowflake_valid(ev->channel_id))
        return BOT_EINVAL;
    struct ev_job *j = calloc(1, sizeof(*j));
    json_t *body = j ? event_body(ev, true) : NULL;
    if (!body) {
        free(j);
        return BOT_ENOMEM;
    }
    j->done = done;
    j->arg = arg;
    char path[96];
    snprintf(path, sizeof(path), "/guilds/%s/scheduled-events", guild_id);
    return submit(impl, "POST", path, body, ev_finish, j);
}

int cd_modify_event(void *impl, const char *guild_id, const char *event_id,
                    const struct chat_event *ev, chat_done_fn done, void *arg)
{
    if (!snowflake_valid(guild_id) || !snowflake_valid(event_id) ||
        (ev->channel_id && !snowflake_valid(ev->channel_id)))
        return BOT_EINVAL;
    struct ev_job *j = calloc(1, sizeof(*j));
    json_t *body = j ? event_body(ev, false) : NULL;
    if (!body) {
        free(j);
        return BOT_ENOMEM;
    }
    j->done = done;
    j->arg = arg;
    char path[128];
    snprintf(path, sizeof(path), "/guilds/%s/scheduled-events/%s", guild_id, event_id);
    return submit(impl, "PATCH", path, body, ev_finish, j);
}

int cd_delete_event(void *impl, const char *guild_id, const char *event_id, chat_done_fn done,
                    void *arg)
{
    if (!snowflake_valid(guild_id) || !snowflake_valid(event_id))
        return BOT_EINVAL;
    struct ev_job *j = calloc(1, sizeof(*j));
    if (!j)
        return BOT_ENOMEM;
    j->done = done;
    j->arg = arg;
    char path[128];
    snprintf(path, sizeof(path), "/guilds/%s/scheduled-events/%s", guild_id, event_id);
    return submit(impl, "DELETE", path, NULL, ev_finish, j);
}

static void on_list(void *arg, const struct rest_result *res)
{
    struct ev_job *j = arg;
    json_t *body = res->rc == 0 ? json_loadb(res->body, res->len, 0, NULL) : NULL;
    struct chat_result r = {res->rc, res->status, res->discord_code, "", res->message};
    size_t n = json_is_array(body) ? json_array_size(body) : 0;
    if (res->rc == 0 && (!json_is_array(body) || n > EV_MAX_LIST)) {
        r.rc = BOT_EPROTO;
        r.detail = "scheduled-event list is not an array of at most 200";
        n = 0;
    }
    struct chat_event_info *v = n ? calloc(n, sizeof(*v)) : NULL;
    size_t k = 0;
    for (size_t i = 0; v && i < n; i++) {
        json_t *e = json_array_get(body, i);
        const char *id = json_string_value(json_object_get(e, "id"));
        if (!id || !snowflake_valid(id))
            continue;
        v[k].id = id;
        v[k].name = json_string_value(json_object_get(e, "name"));
        v[k].description = json_string_value(json_object_get(e, "description"));
        v[k].channel_id = json_string_value(json_object_get(e, "channel_id"));
        v[k++].status = (int)json_integer_value(json_object_get(e, "status"));
    }
    if (n && !v && r.rc == 0) {
        r.rc = BOT_ENOMEM;
        r.detail = "out of memory";
    }
    j->list_done(j->arg, &r, v, k);
    free(v);
    json_decref(body);
    free(j);
}

int cd_list_events(void *impl, const char *guild_id, chat_events_fn done, void *arg)
{
    if (!snowflake_valid(guild_id) || !done)
        return BOT_EINVAL;
    struct ev_job *j = calloc(1, sizeof(*j));
    if (!j)
        return BOT_ENOMEM;
    j->list_done = done;
    j->arg = arg;
    char path[96];
    snprintf(path, sizeof(path), "/guilds/%s/scheduled-events", guild_id);
    return submit(impl, "GET", path, NULL, on_list, j);
}
