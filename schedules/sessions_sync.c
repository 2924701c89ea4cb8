/* sessions_sync.c - executes the study-group event plan (see sessions_sync.h). One job
 * per cohort at a time; its steps run one after another from the chat callbacks. */
#include "schedules/sessions_sync.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/cohort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "studygroups"

struct sg_slot {
    int64_t cohort_id;
    int64_t next_at; /* next sync */
    bool busy;
};

struct sg_state {
    struct sg_slot **slots; /* one per cohort seen; stable addresses (jobs point at them) */
    int nslots, cap;
    int64_t remind_at;
    int inflight; /* reminders sent, not yet answered */
};

struct sg_job {
    struct app *app;
    struct sg_slot *slot;
    struct cohort co;
    const struct curriculum *cur;
    struct sg_session *ss;
    size_t nss;
    uint32_t *shapes;
    unsigned char *cancelled;
    struct sg_event *ev;
    size_t nev;
    struct sg_step *steps;
    size_t nsteps, at;
    char voice[24]; /* channel of the step in flight */
    bool failed, adopted;
};

struct sg_state *sg_state_new(void)
{
    return calloc(1, sizeof(struct sg_state));
}

void sg_state_free(struct sg_state *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nslots; i++)
        free(s->slots[i]);
    free(s->slots);
    free(s);
}

static struct sg_slot *slot_of(struct sg_state *s, int64_t cohort_id)
{
    for (int i = 0; i < s->nslots; i++)
        if (s->slots[i]->cohort_id == cohort_id)
            return s->slots[i];
    if (s->nslots == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        struct sg_slot **v = realloc(s->slots, (size_t)cap * sizeof(*v));
        if (!v)
            return NULL;
        s->slots = v;
        s->cap = cap;
    }
    struct sg_slot *sl = calloc(1, sizeof(*sl));
    if (!sl)
        return NULL;
    sl->cohort_id = cohort_id;
    s->slots[s->nslots++] = sl;
    return sl;
}

int sg_remind_inflight(struct sg_state *s, int delta)
{
    s->inflight += delta;
    return s->inflight;
}

void sg_sync_soon(struct sg_state *s, int64_t cohort_id)
{
    struct sg_slot *sl = s ? slot_of(s, cohort_id) : NULL;
    if (sl)
        sl->next_at = 0;
}

void sg_marker(int64_t cohort_id, const char *key, char out[128])
{
    snprintf(out, 128, "[cohortbot %lld:%.96s]", (long long)cohort_id, key);
}

static bool in_guild(struct app *app, const char *guild_id, const char *channel_id)
{
    return channel_id[0] && guilds_channel_in(app->guilds, guild_id, channel_id);
}

void sg_group_channels(struct app *app, const struct cohort *co, const struct curriculum *cur,
                       int gi, char text[24], char voice[24])
{
    const struct cur_group *g = &cur->groups[gi];
    store_sg_channels_get(app->store, co->id, g->name, text, voice);
    const char *prefix = app->cfg && app->cfg->sg_voice_prefix ? app->cfg->sg_voice_prefix : "";
    char vname[128];
    snprintf(vname, sizeof(vname), "%s%s", prefix, g->name);
    if (app->console) { /* the console's guild starts empty each run: bring ours back */
        if (text[0] && !in_guild(app, co->guild_id, text))
            guilds_channel_upsert(app->guilds, co->guild_id, text, g->name, 0);
        if (voice[0] && !in_guild(app, co->guild_id, voice))
            guilds_channel_upsert(app->guilds, co->guild_id, voice, vname, 2);
    }
    if (!in_guild(app, co->guild_id, text)) {
        if (!guilds_find_by_name(app->guilds, co->guild_id, g->name, text))
            text[0] = '\0';
    }
    if (!in_guild(app, co->guild_id, voice)) {
        if (!guilds_find_by_name(app->guilds, co->guild_id, vname, voice))
            voice[0] = '\0';
    }
}

uint32_t sg_event_text(const struct curriculum *cur, const struct cohort *co,
                       const struct sg_session *s, const char *text_channel, const char *voice,
                       char name[101], char *desc, size_t desccap)
{
    const struct cur_group *g = &cur->groups[s->group];
    const struct cur_week *w = curriculum_week(cur, s->week);
    char marker[128];
    sg_marker(co->id, s->key, marker);
    int nl = snprintf(name, 101, "Study group #%.40s: ", g->name);
    if (nl > 0 && nl < 101)
        snprintf(name + nl, 101 - (size_t)nl, "%.50s", g->focus ? g->focus : "session");
    int n = snprintf(desc, desccap, "Week %d: %.200s. Focus: %.100s.", s->week,
                     w && w->title ? w->title : "", g->focus ? g->focus : "study session");
    if (n > 0 && (size_t)n < desccap && text_channel && *text_channel)
        n += snprintf(desc + n, desccap - (size_t)n, " Chat: <#%s>.", text_channel);
    if (n > 0 && (size_t)n < desccap)
        snprintf(desc + n, desccap - (size_t)n, " Click Interested for a reminder.\n%s", marker);
    uint32_t h = sg_hash(2166136261u, name);
    h = sg_hash(h, desc);
    return sg_hash(h, voice);
}

int sg_cohort_sessions(struct app *app, const struct cohort *co, const struct curriculum **cur,
                       struct sg_session **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    *cur = app->curricula ? curricula_find(app->curricula, co->curriculum) : NULL;
    if (!*cur || (*cur)->n_groups == 0)
        return 0;
    return sg_sessions(*cur, co->start_date, co->timezone, out, n);
}

static void job_free(struct sg_job *j)
{
    if (j->slot) {
        j->slot->busy = false;
        if (j->failed)
            j->slot->next_at = app_now(j->app) + SG_RETRY_S;
    }
    free(j->ss);
    free(j->shapes);
    free(j->cancelled);
    free(j->ev);
    free(j->steps);
    free(j);
}

/* Loads the stored events and plans. 0 or BOT_E*. */
static int job_plan(struct sg_job *j, int64_t now)
{
    free(j->ev);
    free(j->steps);
    j->ev = NULL;
    j->steps = NULL;
    j->nsteps = j->at = 0;
    if (store_sg_events(j->app->store, j->co.id, &j->ev, &j->nev))
        return BOT_EIO;
    int window = j->app->cfg && j->app->cfg->sg_window_days ? j->app->cfg->sg_window_days : 14;
    struct sg_plan_in in = {j->ss, j->nss, j->shapes, j->cancelled,
                            j->ev, j->nev, now,       (int64_t)window * 86400};
    return sg_plan(&in, &j->steps, &j->nsteps);
}

static void job_next(struct sg_job *j);

static void set_state(struct sg_job *j, const struct sg_event *e, enum sg_ev_state st,
                      const struct sg_session *s, const char *event_id)
{
    struct sg_event row = *e;
    row.state = st;
    if (event_id)
        snprintf(row.event_id, sizeof(row.event_id), "%s", event_id);
    if (s) {
        row.start = s->start;
        row.end = s->end;
        row.shape = j->shapes[s - j->ss];
    }
    if (store_sg_event_put(j->app->store, j->co.id, &row, j->voice[0] ? j->voice : NULL,
                           app_now(j->app)))
        log_error(MOD, "could not store event state key=%s", row.key);
}

static void ledger_key(const struct sg_job *j, const struct sg_session *s, char out[192])
{
    snprintf(out, 192, "sgev/%s/%lld/%s/%lld", j->co.guild_id, (long long)j->co.id, s->key,
             (long long)s->start);
}

static bool gone(const struct chat_result *r)
{
    return r->http_status == 404 || r->discord_code == 10070;
}

static void on_step(void *arg, const struct chat_result *r)
{
    struct sg_job *j = arg;
    const struct sg_step *st = &j->steps[j->at];
    const struct sg_session *s = st->session >= 0 ? &j->ss[st->session] : NULL;
    int64_t now = app_now(j->app);
    if (st->action == SG_CREATE) {
        struct sg_event row = {0};
        char key[192];
        snprintf(row.key, sizeof(row.key), "%s", s->key);
        ledger_key(j, s, key);
        if (r->rc == 0 && r->id && *r->id) {
            set_state(j, &row, SG_EV_SCHEDULED, s, r->id);
            store_delivery_mark(j->app->store, key, DLV_SENT, r->id, NULL, now);
            log_info(MOD, "event created guild=%s session=%s id=%s", j->co.guild_id, s->key, r->id);
        } else if (r->http_status >= 400 && r->http_status < 500) {
            set_state(j, &row, SG_EV_DELETED, s, "");
            store_delivery_mark(j->app->store, key, DLV_FAILED, NULL, r->detail, now);
            log_warn(MOD, "event not created guild=%s session=%s status=%d code=%d: %s",
                     j->co.guild_id, s->key, r->http_status, r->discord_code,
                     r->detail ? r->detail : "");
            j->failed = true;
        } else {
            j->failed = true; /* outcome unknown: stays PENDING, adopted or re-sent later */
        }
    } else {
        const struct sg_event *e = &j->ev[st->event];
        enum sg_ev_state to = st->action == SG_START      ? SG_EV_ACTIVE
                              : st->action == SG_COMPLETE ? SG_EV_COMPLETED
                              : st->action == SG_CANCEL   ? SG_EV_CANCELED
                              : st->action == SG_DELETE   ? SG_EV_DELETED
                                                          : SG_EV_SCHEDULED;
        if (r->rc == 0)
            set_state(j, e, to, st->action == SG_UPDATE ? s : NULL, NULL);
        else if (gone(r))
            set_state(j, e, SG_EV_DELETED, NULL, NULL);
        else {
            log_warn(MOD, "event step %d failed guild=%s session=%s status=%d code=%d",
                     (int)st->action, j->co.guild_id, e->key, r->http_status, r->discord_code);
            j->failed = true;
        }
    }
    j->at++;
    if (j->failed) {
        job_free(j); /* the rest waits for the retry */
        return;
    }
    job_next(j);
}

/* Sends the create of session s; 0 = queued. */
static int send_create(struct sg_job *j, const struct sg_session *s)
{
    char text[24], name[101], desc[1001], key[192];
    sg_group_channels(j->app, &j->co, j->cur, s->group, text, j->voice);
    if (!j->voice[0])
        return BOT_ENOTFOUND; /* no voice channel yet: /studygroups setup */
    uint32_t shape = sg_event_text(j->cur, &j->co, s, text, j->voice, name, desc, sizeof(desc));
    j->shapes[s - j->ss] = shape;
    ledger_key(j, s, key);
    struct delivery dl;
    bool created;
    struct sg_event row = {0};
    snprintf(row.key, sizeof(row.key), "%s", s->key);
    int64_t now = app_now(j->app);
    int rc = store_begin(j->app->store);
    if (!rc)
        rc = store_delivery_begin(j->app->store, key, "sg_event", j->co.guild_id, s->start, now,
                                  &dl, &created);
    if (!rc) {
        row.start = s->start;
        row.end = s->end;
        row.shape = shape;
        row.state = SG_EV_PENDING;
        rc = store_sg_event_put(j->app->store, j->co.id, &row, j->voice, now);
    }
    if (rc || (rc = store_commit(j->app->store))) {
        store_rollback(j->app->store);
        return rc;
    }
    struct chat_event ev = {name, desc, j->voice, s->start, s->end, 0};
    return j->app->chat.ops->create_event(j->app->chat.impl, j->co.guild_id, &ev, on_step, j);
}

static int send_step(struct sg_job *j, const struct sg_step *st)
{
    const struct chat_ops *ops = j->app->chat.ops;
    void *impl = j->app->chat.impl;
    const struct sg_session *s = st->session >= 0 ? &j->ss[st->session] : NULL;
    if (st->action == SG_CREATE)
        return send_create(j, s);
    const struct sg_event *e = &j->ev[st->event];
    j->voice[0] = '\0';
    if (st->action == SG_DELETE)
        return ops->delete_event(impl, j->co.guild_id, e->event_id, on_step, j);
    struct chat_event ev = {0};
    char text[24], name[101], desc[1001];
    if (st->action == SG_UPDATE) {
        sg_group_channels(j->app, &j->co, j->cur, s->group, text, j->voice);
        j->shapes[st->session] =
            sg_event_text(j->cur, &j->co, s, text, j->voice, name, desc, sizeof(desc));
        ev = (struct chat_event){name, desc, j->voice[0] ? j->voice : NULL, s->start, s->end, 0};
    } else {
        ev.status = st->action == SG_START ? 2 : st->action == SG_COMPLETE ? 3 : 4;
    }
    return ops->modify_event(impl, j->co.guild_id, e->event_id, &ev, on_step, j);
}

static void on_list(void *arg, const struct chat_result *r, const struct chat_event_info *v,
                    size_t n);

static void job_next(struct sg_job *j)
{
    for (; j->at < j->nsteps; j->at++) {
        const struct sg_step *st = &j->steps[j->at];
        if (st->action == SG_ADOPT) {
            if (j->adopted || !j->app->chat.ops->list_events)
                continue;
            j->adopted = true;
            if (j->app->chat.ops->list_events(j->app->chat.impl, j->co.guild_id, on_list, j) == 0)
                return;
            j->failed = true;
            break;
        }
        if (!j->app->chat.ops->create_event)
            break;
        int rc = send_step(j, st);
        if (rc == 0)
            return; /* on_step continues */
        if (rc != BOT_ENOTFOUND) {
            log_warn(MOD, "event step not queued guild=%s: %s", j->co.guild_id, bot_strerror(rc));
            j->failed = true;
            break;
        }
    }
    job_free(j);
}

/* Pending creates: adopt the event the guild has with our marker, else mark deleted
 * (the next plan creates it again, with the same ledger key). */
static void on_list(void *arg, const struct chat_result *r, const struct chat_event_info *v,
                    size_t n)
{
    struct sg_job *j = arg;
    if (r->rc) {
        j->failed = true;
        job_free(j);
        return;
    }
    for (size_t i = 0; i < j->nev; i++) {
        struct sg_event *e = &j->ev[i];
        if (e->state != SG_EV_PENDING)
            continue;
        char marker[128];
        sg_marker(j->co.id, e->key, marker);
        const struct chat_event_info *hit = NULL;
        for (size_t k = 0; k < n && !hit; k++)
            if (v[k].description && strstr(v[k].description, marker))
                hit = &v[k];
        j->voice[0] = '\0';
        enum sg_ev_state st =
            hit ? (enum sg_ev_state)(hit->status >= 1 && hit->status <= 4 ? hit->status
                                                                          : SG_EV_SCHEDULED)
                : SG_EV_DELETED;
        set_state(j, e, st, NULL, hit ? hit->id : "");
        log_info(MOD, "pending event %s guild=%s session=%s", hit ? "adopted" : "not found",
                 j->co.guild_id, e->key);
    }
    if (job_plan(j, app_now(j->app))) {
        j->failed = true;
        job_free(j);
        return;
    }
    job_next(j);
}

static void sync_cohort(struct app *app, struct sg_slot *sl, const struct cohort *co, int64_t now)
{
    struct sg_job *j = calloc(1, sizeof(*j));
    if (!j)
        return;
    j->app = app;
    j->co = *co;
    if (sg_cohort_sessions(app, co, &j->cur, &j->ss, &j->nss) || !j->nss) {
        free(j->ss);
        free(j);
        return;
    }
    j->shapes = calloc(j->nss, sizeof(*j->shapes));
    j->cancelled = calloc(j->nss, 1);
    if (!j->shapes || !j->cancelled) {
        job_free(j);
        return;
    }
    for (size_t i = 0; i < j->nss; i++) {
        char text[24], voice[24], name[101], desc[1001];
        sg_group_channels(app, co, j->cur, j->ss[i].group, text, voice);
        j->shapes[i] =
            voice[0] ? sg_event_text(j->cur, co, &j->ss[i], text, voice, name, desc, sizeof(desc))
                     : 0;
        j->cancelled[i] = store_sg_cancelled(app->store, co->id, j->ss[i].key);
    }
    if (job_plan(j, now)) {
        job_free(j);
        return;
    }
    sl->busy = true;
    sl->next_at = now + SG_SYNC_EVERY_S;
    j->slot = sl;
    job_next(j);
}

struct tick_ctx {
    struct app *app;
    struct sg_state *s;
    int64_t now;
    bool remind;
    int synced; /* syncs started this tick (each costs ~0.3-1 ms; the rest waits a tick) */
};

static int tick_cohort(void *arg, const struct cohort *co)
{
    struct tick_ctx *t = arg;
    struct sg_slot *sl = slot_of(t->s, co->id);
    if (sl && !sl->busy && t->now >= sl->next_at && t->synced < SG_SYNC_PER_TICK) {
        t->synced++;
        sync_cohort(t->app, sl, co, t->now);
    }
    if (t->remind)
        sg_remind_cohort(t->app, t->s, co, t->now);
    return 0;
}

void sg_tick(struct app *app, struct sg_state *s, int64_t now)
{
    if (!app->store || !app->chat.ops)
        return;
    struct tick_ctx t = {app, s, now, now >= s->remind_at, 0};
    if (t.remind)
        s->remind_at = now + 20;
    store_cohort_each(app->store, tick_cohort, &t);
}
