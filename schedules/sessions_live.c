/* sessions_live.c - the gateway events of the study groups (see sessions_sync.h):
 * "Interested" on our events (GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE), joins and leaves
 * of the groups' voice channels (VOICE_STATE_UPDATE; other channels are not recorded)
 * and, after a restart, who is in voice now (GUILD_CREATE's voice_states: open
 * intervals of members no longer there are closed, members found there are opened).
 * Every id is checked against the event's guild. Loop thread only. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "commands/interaction.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/cohort.h"
#include "schedules/sessions_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "studygroups"

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && snowflake_valid(s) ? s : NULL;
}

/* Is channel one of the cohort's study-group voice channels? */
static bool group_voice(struct app *app, const struct cohort *co, const struct curriculum *cur,
                        const char *channel)
{
    for (size_t i = 0; channel && cur && i < cur->n_groups; i++) {
        char text[24], voice[24];
        sg_group_channels(app, co, cur, (int)i, text, voice);
        if (voice[0] && strcmp(voice, channel) == 0)
            return true;
    }
    return false;
}

static void on_rsvp(struct app *app, json_t *d, bool add, int64_t now)
{
    const char *gid = str(d, "guild_id"), *eid = str(d, "guild_scheduled_event_id"),
               *uid = str(d, "user_id");
    int64_t cohort_id;
    char key[SG_KEY_LEN];
    struct cohort co;
    if (!gid || !eid || !uid || store_sg_event_by_id(app->store, eid, &cohort_id, key) ||
        store_cohort_get(app->store, gid, &co) || co.id != cohort_id)
        return; /* not one of ours, or another guild's */
    if (store_sg_interest_set(app->store, gid, eid, uid, add, now))
        log_warn(MOD, "could not store interest event=%s", eid);
}

static void on_voice(struct app *app, json_t *d, int64_t now)
{
    const char *gid = str(d, "guild_id"), *uid = str(d, "user_id"), *ch = str(d, "channel_id");
    struct cohort co;
    if (!gid || !uid || store_cohort_get(app->store, gid, &co))
        return;
    const struct curriculum *cur =
        app->curricula ? curricula_find(app->curricula, co.curriculum) : NULL;
    char where[24];
    store_sg_voice_where(app->store, gid, uid, where);
    bool tracked = ch && group_voice(app, &co, cur, ch);
    if (tracked && strcmp(where, ch) == 0)
        return; /* mute, deafen, stream: same channel */
    int rc = tracked    ? store_sg_voice_join(app->store, gid, uid, ch, now)
             : where[0] ? store_sg_voice_leave(app->store, gid, uid, now)
                        : 0;
    if (rc)
        log_warn(MOD, "could not store voice state guild=%s", gid);
}

static const char *state_channel(json_t *states, const char *uid)
{
    size_t i;
    json_t *v;
    json_array_foreach(states, i, v)
    {
        const char *u = str(v, "user_id");
        if (u && strcmp(u, uid) == 0)
            return str(v, "channel_id");
    }
    return NULL;
}

static void on_guild_create(struct app *app, json_t *d, int64_t now)
{
    const char *gid = str(d, "id");
    json_t *states = json_object_get(d, "voice_states");
    struct cohort co;
    if (!gid || store_cohort_get(app->store, gid, &co))
        return;
    if (states && !json_is_array(states))
        states = NULL;
    const struct curriculum *cur =
        app->curricula ? curricula_find(app->curricula, co.curriculum) : NULL;
    struct sg_interval *open = NULL;
    char(*chans)[24] = NULL;
    size_t n = 0;
    if (store_sg_voice_open(app->store, gid, &open, &chans, &n))
        return;
    for (size_t i = 0; i < n; i++) {
        const char *now_in = state_channel(states, open[i].user_id);
        if (!now_in || strcmp(now_in, chans[i]) != 0)
            store_sg_voice_leave(app->store, gid, open[i].user_id, now);
    }
    size_t k;
    json_t *v;
    json_array_foreach(states, k, v)
    {
        const char *uid = str(v, "user_id"), *ch = str(v, "channel_id");
        char where[24];
        if (!uid || !ch || !group_voice(app, &co, cur, ch))
            continue;
        store_sg_voice_where(app->store, gid, uid, where);
        if (strcmp(where, ch) != 0)
            store_sg_voice_join(app->store, gid, uid, ch, now);
    }
    free(open);
    free(chans);
}

bool sg_on_gateway(struct app *app, const char *t, json_t *d, int64_t now)
{
    if (!app->store || !json_is_object(d))
        return false;
    if (strcmp(t, "GUILD_SCHEDULED_EVENT_USER_ADD") == 0)
        on_rsvp(app, d, true, now);
    else if (strcmp(t, "GUILD_SCHEDULED_EVENT_USER_REMOVE") == 0)
        on_rsvp(app, d, false, now);
    else if (strcmp(t, "VOICE_STATE_UPDATE") == 0)
        on_voice(app, d, now);
    else if (strcmp(t, "GUILD_CREATE") == 0)
        on_guild_create(app, d, now);
    else
        return false;
    return true;
}

int sg_simulate_voice(struct app *app, const char *guild_id, const char *user_id, const char *group,
                      int64_t now, char *err, size_t errlen)
{
    const char *ch = NULL;
    char found[GUILDS_ID_LEN];
    if (group && *group) {
        char name[128];
        const char *prefix = app->cfg && app->cfg->sg_voice_prefix ? app->cfg->sg_voice_prefix : "";
        snprintf(name, sizeof(name), "%s%s", prefix, group);
        if (guilds_find_by_name(app->guilds, guild_id, name, found) ||
            guilds_find_by_name(app->guilds, guild_id, group, found))
            ch = found;
        if (!ch) {
            snprintf(err, errlen,
                     "no voice channel \"%s\" (an admin runs /studygroups action:setup)", name);
            return BOT_ENOTFOUND;
        }
    }
    json_t *d =
        json_pack("{s:s, s:s, s:s?}", "guild_id", guild_id, "user_id", user_id, "channel_id", ch);
    if (!d)
        return BOT_ENOMEM;
    sg_on_gateway(app, "VOICE_STATE_UPDATE", d, now);
    json_decref(d);
    return 0;
}

int sg_simulate_interest(struct app *app, const char *guild_id, const char *user_id,
                         const char *key, bool add, int64_t now, char *err, size_t errlen)
{
    struct cohort co;
    struct sg_event *ev = NULL;
    size_t n = 0;
    if (store_cohort_get(app->store, guild_id, &co) ||
        store_sg_events(app->store, co.id, &ev, &n)) {
        snprintf(err, errlen, "no cohort here");
        return BOT_ENOTFOUND;
    }
    const char *eid = NULL;
    for (size_t i = 0; i < n && !eid; i++)
        if (strcmp(ev[i].key, key) == 0 && ev[i].event_id[0])
            eid = ev[i].event_id;
    if (!eid) {
        snprintf(err, errlen, "no event for session \"%s\" yet (see /studygroups)", key);
        free(ev);
        return BOT_ENOTFOUND;
    }
    json_t *d = json_pack("{s:s, s:s, s:s}", "guild_id", guild_id, "user_id", user_id,
                          "guild_scheduled_event_id", eid);
    free(ev);
    if (!d)
        return BOT_ENOMEM;
    sg_on_gateway(app, add ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
                  d, now);
    json_decref(d);
    return 0;
}
