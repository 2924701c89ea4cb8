/* fake_events.c - guild scheduled events in the fake Discord server: create, modify,
 * delete and list (/guilds/{g}/scheduled-events[/{id}]), bodies checked against the
 * OpenAPI schemas (fake_schema.c; Stage/Voice/External create by entity_type, the
 * matching PatchRequestPartial), Discord's cap of 100 scheduled or active events per
 * guild (400, code 30038), its status transitions (SCHEDULED -> ACTIVE or CANCELED,
 * ACTIVE -> COMPLETED) and 404 code 10070 for an unknown event. The RSVP and voice
 * events themselves are injected with /_ctl/dispatch. Test code only. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_EVENT_CAP 100

static const char *create_schema(json_t *body)
{
    switch (json_integer_value(json_object_get(body, "entity_type"))) {
    case 1:
        return "StageScheduledEventCreateRequest";
    case 3:
        return "ExternalScheduledEventCreateRequest";
    default:
        return "VoiceScheduledEventCreateRequest";
    }
}

static const char *patch_schema(json_t *body)
{
    switch (json_integer_value(json_object_get(body, "entity_type"))) {
    case 1:
        return "StageScheduledEventPatchRequestPartial";
    case 3:
        return "ExternalScheduledEventPatchRequestPartial";
    default:
        return "VoiceScheduledEventPatchRequestPartial";
    }
}

/* "/guilds/<g>/scheduled-events[/<e>]": guild and event ids ("" when absent); false
 * when the path is not one of these. */
static bool parse(const char *path, char g[32], char e[32])
{
    int n = 0;
    g[0] = e[0] = '\0';
    if (sscanf(path, "/guilds/%31[0-9]/scheduled-events%n", g, &n) != 1 || n == 0)
        return false;
    if (path[n] == '\0' || path[n] == '?')
        return true;
    return sscanf(path + n, "/%31[0-9]", e) == 1 && strlen(path + n) == strlen(e) + 1;
}

void fake_events_validate(const char *method, const char *path, json_t *body, json_t *out)
{
    char g[32], e[32];
    if (!parse(path, g, e))
        return;
    if (!strcmp(method, "POST") && !e[0])
        fake_schema_check(create_schema(body), body, out);
    else if (!strcmp(method, "PATCH") && e[0])
        fake_schema_check(patch_schema(body), body, out);
}

static json_t *guild_events(struct fake *f, const char *g)
{
    json_t *a = json_object_get(f->sched_events, g);
    if (!a) {
        a = json_array();
        json_object_set_new(f->sched_events, g, a);
    }
    return a;
}

static json_t *find(json_t *list, const char *id, size_t *at)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (!strcmp(json_string_value(json_object_get(x, "id")), id))
    {
        *at = i;
        return x;
    }
    return NULL;
}

static int open_count(json_t *list)
{
    size_t i;
    json_t *x;
    int n = 0;
    json_array_foreach(list, i, x)
    {
        json_int_t st = json_integer_value(json_object_get(x, "status"));
        n += st == 1 || st == 2;
    }
    return n;
}

static void error(struct fake_pss *p, int status, int code, const char *msg)
{
    fake_reply_json(p, status, json_pack("{s:s, s:i}", "message", msg, "code", code));
}

static void create(struct fake *f, struct fake_pss *p, const char *g, json_t *body)
{
    json_t *list = guild_events(f, g);
    if (open_count(list) >= FAKE_EVENT_CAP) {
        error(p, 400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)");
        return;
    }
    char id[24];
    snprintf(id, sizeof(id), "%llu", (unsigned long long)f->next_id++);
    json_t *ev = json_deep_copy(body);
    json_object_set_new(ev, "id", json_string(id));
    json_object_set_new(ev, "guild_id", json_string(g));
    json_object_set_new(ev, "status", json_integer(1));
    json_object_set_new(ev, "user_count", json_integer(0));
    json_array_append(list, ev);
    fake_reply_json(p, 200, ev);
}

static bool transition_ok(json_int_t from, json_int_t to)
{
    return from == to || (from == 1 && (to == 2 || to == 4)) || (from == 2 && to == 3);
}

static void modify(struct fake_pss *p, json_t *ev, json_t *body)
{
    json_t *st = json_object_get(body, "status");
    json_int_t from = json_integer_value(json_object_get(ev, "status"));
    if (from == 3 || from == 4) {
        error(p, 400, 180000, "Cannot update a finished event");
        return;
    }
    if (st && !transition_ok(from, json_integer_value(st))) {
        error(p, 400, 50035, "Invalid Form Body (status transition)");
        return;
    }
    json_object_update(ev, body);
    fake_reply_json(p, 200, json_incref(ev));
}

bool fake_events_route(struct fake *f, struct fake_pss *p, const char *m, const char *path,
                       json_t *body)
{
    char g[32], e[32];
    if (!parse(path, g, e))
        return false;
    json_t *list = guild_events(f, g);
    size_t at = 0;
    json_t *ev = e[0] ? find(list, e, &at) : NULL;
    if (!e[0] && !strcmp(m, "POST"))
        create(f, p, g, body);
    else if (!e[0] && !strcmp(m, "GET"))
        fake_reply_json(p, 200, json_incref(list));
    else if (e[0] && !ev)
        error(p, 404, 10070, "Unknown Guild Scheduled Event");
    else if (!strcmp(m, "GET"))
        fake_reply_json(p, 200, json_incref(ev));
    else if (!strcmp(m, "PATCH") && body)
        modify(p, ev, body);
    else if (!strcmp(m, "PATCH"))
        error(p, 400, 50035, "Invalid Form Body (no body)");
    else if (!strcmp(m, "DELETE")) {
        json_array_remove(list, at);
        p->status = 204;
    } else
        error(p, 405, 0, "405: Method Not Allowed");
    return true;
}

static json_t *per_guild(json_t *map, const char *g, bool array)
{
    json_t *v = json_object_get(map, g);
    if (!v) {
        v = array ? json_array() : json_object();
        json_object_set_new(map, g, v);
    }
    return v;
}

void fake_channel_made(struct fake *f, const char *guild_id, json_t *channel)
{
    json_t *c = json_deep_copy(channel);
    json_object_set_new(c, "guild_id", json_string(guild_id));
    json_array_append_new(per_guild(f->made_channels, guild_id, true), c);
}

void fake_guild_extend(struct fake *f, json_t *guild)
{
    const char *g = json_string_value(json_object_get(guild, "id"));
    if (!g)
        return;
    json_t *chans = json_object_get(guild, "channels");
    json_array_extend(chans, per_guild(f->made_channels, g, true));
    json_t *vs = json_array();
    const char *u;
    json_t *ch;
    json_object_foreach(per_guild(f->voice_states, g, false), u, ch)
        json_array_append_new(vs, json_pack("{s:s, s:O, s:s, s:s}", "user_id", u, "channel_id", ch,
                                            "guild_id", g, "session_id", "fake-voice"));
    json_object_set_new(guild, "voice_states", vs);
    json_object_set_new(guild, "guild_scheduled_events",
                        json_deep_copy(per_guild(f->sched_events, g, true)));
}

bool fake_events_ctl(struct fake *f, const char *verb, json_t *b)
{
    const char *g = json_string_value(json_object_get(b, "guild_id"));
    const char *u = json_string_value(json_object_get(b, "user_id"));
    if (!g || !u)
        return false;
    if (!strcmp(verb, "voice")) {
        json_t *ch = json_object_get(b, "channel_id");
        json_t *map = per_guild(f->voice_states, g, false);
        if (json_is_string(ch))
            json_object_set(map, u, ch);
        else
            json_object_del(map, u);
        fake_dispatch(f, "VOICE_STATE_UPDATE",
                      json_pack("{s:s, s:s, s:O?, s:s, s:b, s:b}", "guild_id", g, "user_id", u,
                                "channel_id", json_is_string(ch) ? ch : NULL, "session_id",
                                "fake-voice", "self_mute", 0, "self_deaf", 0));
        return true;
    }
    if (!strcmp(verb, "rsvp")) {
        const char *e = json_string_value(json_object_get(b, "event_id"));
        bool add = json_is_true(json_object_get(b, "add"));
        size_t at;
        json_t *ev = e ? find(per_guild(f->sched_events, g, true), e, &at) : NULL;
        if (!ev)
            return false;
        json_int_t n = json_integer_value(json_object_get(ev, "user_count")) + (add ? 1 : -1);
        json_object_set_new(ev, "user_count", json_integer(n < 0 ? 0 : n));
        fake_dispatch(f,
                      add ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
                      json_pack("{s:s, s:s, s:s}", "guild_scheduled_event_id", e, "user_id", u,
                                "guild_id", g));
        return true;
    }
    return false;
}

void fake_events_state(struct fake *f, struct fake_pss *p)
{
    fake_reply_json(p, 200,
                    json_pack("{s:O, s:O, s:O}", "channels", f->made_channels, "events",
                              f->sched_events, "voice", f->voice_states));
}
