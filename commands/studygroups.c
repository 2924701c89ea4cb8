/* studygroups.c - /studygroups [action:setup|cancel] [session]: without an action, the
 * member's current study group, its next sessions (Discord timestamps, event links) and
 * whether they are marked Interested; `setup` (admins) creates or adopts each group's
 * text channel and voice channel under the cohort's category, one after another through
 * struct chat, and says what it created, adopted and could not (Manage Channels, Manage
 * Events); `cancel` (admins) cancels one session (its event is cancelled on Discord). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/scheduler.h"
#include "schedules/sessions_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SG_SHOW_NEXT 4

struct setup_job {
    struct app *app;
    struct interaction ix;
    struct cohort co;
    const struct curriculum *cur;
    char category[24];
    size_t group;
    bool voice, denied;
    struct buf created, adopted, failed;
};

static void setup_next(struct setup_job *j);

static void setup_finish(struct setup_job *j)
{
    struct message m;
    msg_init(&m);
    m.ephemeral = true;
    msg_set_content(&m, "Study groups set up.\nCreated: %s\nAdopted (found by name): %s",
                    j->created.len ? buf_str(&j->created) : "nothing",
                    j->adopted.len ? buf_str(&j->adopted) : "nothing");
    if (j->failed.len)
        msg_append(&m, "\nCould not create: %s", buf_str(&j->failed));
    if (j->denied)
        msg_append(&m, "\nI don't have the **Manage Channels** permission here, so I stopped. Give "
                       "my role that permission and run /studygroups action:setup again.");
    if (j->ix.has_app_permissions &&
        !(j->ix.app_permissions & (PERM_MANAGE_EVENTS | PERM_ADMINISTRATOR)))
        msg_append(&m, "\nI don't have the **Manage Events** permission, so the sessions cannot "
                       "appear in the server's Events list. Give my role that permission; the "
                       "events follow within a minute.");
    else
        msg_append(&m,
                   "\nThe sessions of the next %d days appear in the server's Events list "
                   "within a minute.",
                   j->app->cfg && j->app->cfg->sg_window_days ? j->app->cfg->sg_window_days : 14);
    sg_sync_soon(sched_sg(j->app->sched), j->co.id);
    cmd_finish(j->app, &j->ix, &m);
    if (j->ix.console && j->app->sched) /* the console shows the events right away; Discord
                                         * syncs on the next tick, outside the reply's batch */
        sg_tick(j->app, sched_sg(j->app->sched), app_now(j->app));
    msg_free(&m);
    buf_free(&j->created);
    buf_free(&j->adopted);
    buf_free(&j->failed);
    free(j);
}

static void channel_name(const struct setup_job *j, char out[128])
{
    const struct cur_group *g = &j->cur->groups[j->group];
    const char *prefix =
        j->app->cfg && j->app->cfg->sg_voice_prefix ? j->app->cfg->sg_voice_prefix : "";
    snprintf(out, 128, "%s%s", j->voice ? prefix : "", g->name);
}

static void add(struct buf *b, const char *prefix, const char *name)
{
    buf_printf(b, "%s%s%s", b->len ? ", " : "", prefix, name);
}

static void advance(struct setup_job *j)
{
    if (j->voice) {
        j->voice = false;
        j->group++;
    } else {
        j->voice = true;
    }
}

static void on_created(void *arg, const struct chat_result *r)
{
    struct setup_job *j = arg;
    char name[128];
    channel_name(j, name);
    if (r->rc == 0 && r->id && *r->id) {
        add(&j->created, j->voice ? "" : "#", name);
        store_sg_channel_set(j->app->store, j->co.id, j->cur->groups[j->group].name, j->voice,
                             r->id);
    } else if (r->http_status == 403 || r->discord_code == 50013 || r->discord_code == 50001) {
        j->denied = true;
        setup_finish(j);
        return;
    } else {
        char why[160];
        snprintf(why, sizeof(why), " (%s)", r->detail ? r->detail : bot_strerror(r->rc));
        add(&j->failed, name, why);
    }
    advance(j);
    setup_next(j);
}

static void setup_next(struct setup_job *j)
{
    for (; j->group < j->cur->n_groups; advance(j)) {
        char name[128], text[24], voice[24];
        channel_name(j, name);
        sg_group_channels(j->app, &j->co, j->cur, (int)j->group, text, voice);
        const char *have = j->voice ? voice : text;
        if (have[0]) {
            add(&j->adopted, j->voice ? "" : "#", name);
            store_sg_channel_set(j->app->store, j->co.id, j->cur->groups[j->group].name, j->voice,
                                 have);
            continue;
        }
        const struct cur_group *g = &j->cur->groups[j->group];
        char topic[200];
        snprintf(topic, sizeof(topic), "Study group, weeks %d-%d: %s", g->first_week, g->last_week,
                 g->focus ? g->focus : "");
        int rc = j->app->chat.ops->create_channel(
            j->app->chat.impl, j->co.guild_id, name, j->voice ? 2 : 0,
            j->category[0] ? j->category : NULL, j->voice ? NULL : topic, on_created, j);
        if (rc == 0)
            return;
        add(&j->failed, name, " (not queued)");
    }
    setup_finish(j);
}

static int setup_run(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur)
{
    if (cur->n_groups == 0)
        return msg_set_content(c->reply, "The curriculum %s has no study groups.", cur->slug);
    struct setup_job *j = calloc(1, sizeof(*j));
    if (!j || ix_copy(&j->ix, c->ix)) {
        free(j);
        return BOT_ENOMEM;
    }
    j->app = c->app;
    j->co = *co;
    j->cur = cur;
    buf_init(&j->created, 1500);
    buf_init(&j->adopted, 1500);
    buf_init(&j->failed, 1500);
    char cat[GUILDS_ID_LEN];
    snprintf(j->category, sizeof(j->category), "%s",
             guilds_find_by_name(c->app->guilds, co->guild_id, cur->name, cat) ? cat : "");
    setup_next(j);
    return CMD_DEFER;
}

static int cancel_run(struct cmd_ctx *c, const struct cohort *co, const char *key)
{
    const struct curriculum *cur;
    struct sg_session *ss;
    size_t n;
    if (!key)
        return msg_set_content(c->reply, "Name the session to cancel: `session:` (e.g. "
                                         "data-foundations/3, see /studygroups).");
    if (sg_cohort_sessions(c->app, co, &cur, &ss, &n))
        return BOT_EIO;
    const struct sg_session *hit = NULL;
    for (size_t i = 0; i < n && !hit; i++)
        if (strcmp(ss[i].key, key) == 0)
            hit = &ss[i];
    int rc = 0;
    if (!hit)
        rc = msg_set_content(c->reply, "There is no session `%.96s` in this cohort.", key);
    else if (hit->end <= c->now)
        rc = msg_set_content(c->reply, "Session `%s` is already over.", hit->key);
    else if ((rc = store_sg_cancel(c->app->store, co->id, hit->key, c->ix->user_id, c->now)) == 0) {
        sg_sync_soon(sched_sg(c->app->sched), co->id);
        rc = msg_set_content(c->reply,
                             "Session `%s` (<t:%lld:F>) is cancelled; its Discord event is "
                             "cancelled within a minute and nobody is reminded.",
                             hit->key, (long long)hit->start);
    }
    free(ss);
    return rc;
}

/* The group meeting in `week`, else the next one to meet; -1 when all are over. */
static int current_group(const struct curriculum *cur, int week)
{
    int best = -1;
    for (size_t i = 0; i < cur->n_groups; i++) {
        const struct cur_group *g = &cur->groups[i];
        if (g->first_week <= week && week <= g->last_week)
            return (int)i;
        if (g->first_week > week && (best < 0 || g->first_week < cur->groups[best].first_week))
            best = (int)i;
    }
    return best;
}

static const char *event_of(const struct sg_event *ev, size_t nev, const struct sg_session *s)
{
    for (size_t i = 0; i < nev; i++)
        if (strcmp(ev[i].key, s->key) == 0 && ev[i].event_id[0] &&
            (ev[i].state == SG_EV_SCHEDULED || ev[i].state == SG_EV_ACTIVE))
            return ev[i].event_id;
    return NULL;
}

static void session_line(struct cmd_ctx *c, const struct cohort *co, const struct sg_session *s,
                         const struct sg_event *ev, size_t nev, struct buf *b)
{
    const char *eid = event_of(ev, nev, s);
    buf_printf(b, "`%s` <t:%lld:F> (<t:%lld:R>)", s->key, (long long)s->start, (long long)s->start);
    if (store_sg_cancelled(c->app->store, co->id, s->key))
        buf_puts(b, " — cancelled");
    else if (eid)
        buf_printf(b, " — [event](https://discord.com/events/%s/%s)%s", co->guild_id, eid,
                   store_sg_interested(c->app->store, eid, c->ix->user_id)
                       ? " \xe2\x9c\x85 you're interested"
                       : " (click Interested for a reminder)");
    else
        buf_puts(b, " — event not created yet");
    buf_puts(b, "\n");
}

static int show_run(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur)
{
    struct sg_session *ss;
    size_t n, nev = 0;
    struct sg_event *ev = NULL;
    int day = 0;
    cohort_day_at(co->start_date, co->timezone, c->now, &day);
    int gi = current_group(cur, day < 1 ? 1 : (day - 1) / 7 + 1);
    if (gi < 0)
        return msg_set_content(c->reply, "The cohort's study groups are over.");
    if (sg_cohort_sessions(c->app, co, &cur, &ss, &n) ||
        store_sg_events(c->app->store, co->id, &ev, &nev)) {
        free(ss);
        return BOT_EIO;
    }
    const struct cur_group *g = &cur->groups[gi];
    char text[24], voice[24];
    sg_group_channels(c->app, co, cur, gi, text, voice);
    struct buf b;
    buf_init(&b, 3500);
    buf_printf(&b, "Weeks %d-%d, %s. ", g->first_week, g->last_week,
               g->schedule ? g->schedule : g->time);
    if (text[0] || voice[0])
        buf_printf(&b, "Chat %s%s%s, meet in %s%s%s.\n", text[0] ? "<#" : "", text,
                   text[0] ? ">" : "-", voice[0] ? "<#" : "", voice, voice[0] ? ">" : "-");
    else
        buf_puts(&b,
                 "Its channels are not set up yet (an admin runs /studygroups action:setup).\n");
    int shown = 0;
    for (size_t i = 0; i < n && shown < SG_SHOW_NEXT; i++)
        if (ss[i].group == gi && ss[i].end > c->now) {
            session_line(c, co, &ss[i], ev, nev, &b);
            shown++;
        }
    if (!shown)
        buf_puts(&b, "No sessions left.\n");
    c->reply->ephemeral = true;
    char title[160];
    snprintf(title, sizeof(title), "Study group #%s: %s", g->name, g->focus ? g->focus : "");
    int rc = msg_add_embed(c->reply, title, buf_str(&b)) ? 0 : BOT_ENOMEM;
    buf_free(&b);
    free(ss);
    free(ev);
    return rc;
}

static int studygroups_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    const char *action = args_str(a, "action");
    if (!action)
        return show_run(c, &co, cur);
    c->reply->ephemeral = true;
    if (!ix_is_admin(c->ix))
        return msg_set_content(c->reply, "Only server admins (Manage Server permission) can "
                                         "set up or cancel study-group sessions.");
    if (strcmp(action, "setup") == 0)
        return setup_run(c, &co, cur);
    return cancel_run(c, &co, args_str(a, "session"));
}

static const char *const actions[] = {"setup", "cancel", NULL};

static const struct cmd_opt studygroups_opts[] = {
    {.name = "action",
     .description = "Admins: setup (channels + events) or cancel a session",
     .type = OPT_STRING,
     .choices = actions},
    {.name = "session",
     .description = "The session to cancel, e.g. data-foundations/3",
     .type = OPT_STRING,
     .max_len = 96},
};

const struct cmd_def cmd_studygroups_def = {
    .name = "studygroups",
    .description = "Your study group: next sessions, events and whether you're interested",
    .opts = studygroups_opts,
    .nopts = CMD_NOPTS(studygroups_opts),
    .run = studygroups_run,
};
