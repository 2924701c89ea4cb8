/* sessions_remind.c - reminders to the members who marked a study-group event
 * Interested: `study_group_reminder_minutes` before the session, one DM each (a mention
 * in the group's text channel when DMs are closed, Discord 50007), exactly once across
 * restarts through the delivery ledger (key sgrem/<guild>/<event>/<user>, its nonce on
 * the message). Not after the session started. Loop thread only. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/cohort.h"
#include "schedules/sessions_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "studygroups"

struct rem_job {
    struct app *app;
    struct sg_state *st;
    char key[192], user[24], text_channel[24];
    struct message m;
    bool fallback;
};

static void rem_free(struct rem_job *r)
{
    sg_remind_inflight(r->st, -1);
    msg_free(&r->m);
    free(r);
}

static void on_sent(void *arg, const struct chat_result *res)
{
    struct rem_job *r = arg;
    int64_t now = app_now(r->app);
    if (res->rc == 0) {
        store_delivery_mark(r->app->store, r->key, DLV_SENT, res->id,
                            r->fallback ? "mention in the group channel" : NULL, now);
        rem_free(r);
        return;
    }
    if (!r->fallback && res->discord_code == 50007 && r->text_channel[0]) {
        r->fallback = true;
        char nonce[26];
        char k2[200];
        snprintf(k2, sizeof(k2), "%s/mention", r->key);
        store_delivery_nonce(k2, nonce);
        char *body = strdup(r->m.content ? r->m.content : "");
        if (body)
            msg_set_content(&r->m, "<@%s> (your DMs are closed) %s", r->user, body);
        free(body);
        r->m.mention_users = true;
        if (r->app->chat.ops->post(r->app->chat.impl, r->text_channel, &r->m, nonce, on_sent, r) ==
            0)
            return;
    }
    store_delivery_mark(r->app->store, r->key, DLV_FAILED, NULL, res->detail, now);
    log_warn(MOD, "session reminder failed key=%s code=%d", r->key, res->discord_code);
    rem_free(r);
}

static void remind_one(struct app *app, struct sg_state *st, const struct cohort *co,
                       const struct sg_event *e, const char *user, const char *body,
                       const char *text_channel, int64_t now)
{
    if (store_sg_optout(app->store, co->guild_id, user))
        return;
    struct rem_job *r = calloc(1, sizeof(*r));
    if (!r)
        return;
    r->app = app;
    r->st = st;
    snprintf(r->key, sizeof(r->key), "sgrem/%s/%s/%s", co->guild_id, e->event_id, user);
    snprintf(r->user, sizeof(r->user), "%s", user);
    snprintf(r->text_channel, sizeof(r->text_channel), "%s", text_channel);
    struct delivery dl;
    bool created;
    if (store_delivery_begin(app->store, r->key, "sg_reminder", user, e->start, now, &dl,
                             &created) ||
        dl.state != DLV_PENDING) {
        free(r);
        return;
    }
    sg_remind_inflight(st, 1);
    msg_init(&r->m);
    msg_set_content(&r->m, "%s", body);
    if (app->chat.ops->dm(app->chat.impl, user, &r->m, dl.nonce, on_sent, r) != 0) {
        log_warn(MOD, "session reminder not queued key=%s", r->key);
        rem_free(r);
    }
}

static void remind_event(struct app *app, struct sg_state *st, const struct cohort *co,
                         const struct curriculum *cur, const struct sg_session *s,
                         const struct sg_event *e, int64_t now)
{
    char(*users)[24] = NULL;
    size_t n = 0;
    if (store_sg_interest_list(app->store, e->event_id, &users, &n) || n == 0) {
        free(users);
        return;
    }
    char text[24], voice[24], body[600];
    sg_group_channels(app, co, cur, s->group, text, voice);
    const struct cur_group *g = &cur->groups[s->group];
    snprintf(body, sizeof(body),
             "Reminder: the **#%s** study group (%s) starts <t:%lld:R>, at <t:%lld:t>, in %s%s%s. "
             "Event: https://discord.com/events/%s/%s (/privacy session_reminders:off stops these)",
             g->name, g->focus ? g->focus : "study session", (long long)s->start,
             (long long)s->start, voice[0] ? "<#" : "its voice channel", voice, voice[0] ? ">" : "",
             co->guild_id, e->event_id);
    for (size_t i = 0; i < n; i++)
        remind_one(app, st, co, e, users[i], body, text, now);
    free(users);
}

static bool due(const struct sg_event *e, int64_t now, int lead)
{
    return (e->state == SG_EV_SCHEDULED || e->state == SG_EV_ACTIVE) && e->event_id[0] &&
           now < e->start && now >= e->start - (int64_t)lead * 60;
}

/* Cheap first look: sessions are computed only when some event is in its reminder window. */
static bool any_due(const struct sg_event *ev, size_t n, int64_t now, int lead)
{
    for (size_t i = 0; i < n; i++)
        if (due(&ev[i], now, lead))
            return true;
    return false;
}

void sg_remind_cohort(struct app *app, struct sg_state *st, const struct cohort *co, int64_t now)
{
    int lead = app->cfg ? app->cfg->sg_reminder_min : 15;
    if (lead <= 0 || sg_remind_inflight(st, 0) > 0)
        return;
    struct sg_event *ev = NULL;
    size_t nev = 0;
    struct sg_session *ss = NULL;
    size_t nss = 0;
    const struct curriculum *cur;
    if (store_sg_events(app->store, co->id, &ev, &nev) || nev == 0 ||
        !any_due(ev, nev, now, lead) || sg_cohort_sessions(app, co, &cur, &ss, &nss)) {
        free(ev);
        free(ss);
        return;
    }
    for (size_t i = 0; i < nev; i++) {
        const struct sg_event *e = &ev[i];
        if (!due(e, now, lead))
            continue;
        for (size_t k = 0; k < nss; k++)
            if (strcmp(ss[k].key, e->key) == 0 && ss[k].start == e->start)
                remind_event(app, st, co, cur, &ss[k], e, now);
    }
    free(ev);
    free(ss);
}
