/* review_flow.c - the review scheduler step (see review_flow.h): per cohort and kind,
 * what is due (the round at the close, task DMs, reminders, reassignments, deciding
 * reviews and results), sent through ledger_dm.h (50007 -> a mention in the review
 * channel). */
#include "schedules/review_flow.h"
#include "bot/app.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/pairing_round.h"
#include "schedules/ledger_dm.h"
#include "schedules/project.h"
#include "schedules/review_round.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FLY 32

#define MAX_DONE 64

/* A round's assignment being solved on a thread of its own (review_start): the loop
 * thread collected the inputs and will store the result from a later review_tick. The
 * thread owns inputs and result until done is set. */
struct solving {
    struct solving *next;
    struct cohort co;
    int kind;
    int64_t now, deadline;
    bool manual;
    review_done_fn done_fn;
    void *done_arg;
    json_t *inputs, *result;
    int rc;
    char err[BOT_ERR_LEN];
    pthread_t th;
    atomic_bool done;
};

static void solving_free(struct solving *s);

struct review_sched {
    struct solving *solving;
    struct ldm *send;
    int64_t done[MAX_DONE]; /* rounds whose every result is final: skipped */
    int ndone;
};

struct review_sched *review_new(void)
{
    struct review_sched *rs = calloc(1, sizeof(*rs));
    const struct ldm_opts o = {"review", "review", "review channel", review_channel, MAX_FLY};
    if (rs && !(rs->send = ldm_new(&o))) {
        free(rs);
        rs = NULL;
    }
    return rs;
}

void review_free(struct review_sched *rs)
{
    if (!rs)
        return;
    while (rs->solving) { /* stopping: the round is not stored (it runs again later) */
        struct solving *s = rs->solving;
        rs->solving = s->next;
        pthread_join(s->th, NULL);
        if (s->done_fn)
            s->done_fn(s->done_arg, BOT_EIO, NULL, "the bot is stopping", true);
        solving_free(s);
    }
    ldm_free(rs->send);
    free(rs);
}

const char *review_channel(struct app *app, const struct cohort *co, char *buf, size_t buflen)
{
    char found[GUILDS_ID_LEN];
    if (app->guilds && guilds_find_by_name(app->guilds, co->guild_id, "reviews", found)) {
        snprintf(buf, buflen, "%s", found);
        return buf;
    }
    return pairing_mentors_channel(app, co, buf, buflen);
}

/* 1 = send now (dl filled), 0 = final already, -1 = wait. */
static int prepare(struct review_sched *rs, struct app *app, const char *key, const char *target,
                   int64_t now, struct delivery *dl)
{
    return ldm_prepare(rs->send, app, key, target, now, false, NULL, dl);
}

/* DM user, or post into channel when user is NULL. */
static void launch(struct review_sched *rs, struct app *app, const char *guild, const char *key,
                   const char *user, const char *channel, const struct message *m,
                   const char *nonce)
{
    ldm_launch(rs->send, app, guild, key, user, channel, m, nonce, app_now(app));
}

/* ---- what is due ---------------------------------------------------------------- */

struct tick {
    struct app *app;
    struct review_sched *rs;
    const struct cohort *co;
    const struct curriculum *cur;
    int64_t now;
};

static int review_days(const struct app *app)
{
    return app->cfg && app->cfg->review_days > 0 ? app->cfg->review_days : 7;
}

static void *solve_main(void *arg)
{
    struct solving *s = arg;
    s->rc = review_solve(s->inputs, &s->result, s->err);
    atomic_store(&s->done, true);
    return NULL;
}

static void solving_free(struct solving *s)
{
    json_decref(s->inputs);
    json_decref(s->result);
    free(s);
}

/* Stores a solved round and tells whoever started it (loop thread). */
static void finish(struct app *app, struct solving *s)
{
    struct review_run run;
    memset(&run, 0, sizeof(run));
    int rc = s->rc;
    if (rc)
        log_error("review", "assignment failed guild=%s kind=%s: %s", s->co.guild_id,
                  proj_kind_slug(s->kind), s->err);
    else
        rc = review_commit(app->store, &s->co, s->kind, s->now, s->deadline, s->manual, s->inputs,
                           s->result, &run);
    if (rc == 0)
        log_info("review",
                 "round guild=%s kind=%s subs=%d reviews=%d mentors=%d empty=%d "
                 "repeats=%d",
                 s->co.guild_id, proj_kind_slug(s->kind), run.subs, run.reviews, run.mentor_slots,
                 run.empty, run.repeats);
    else if (!s->rc)
        log_warn("review", "round guild=%s kind=%s not stored: %s", s->co.guild_id,
                 proj_kind_slug(s->kind), bot_strerror(rc));
    if (s->done_fn)
        s->done_fn(s->done_arg, rc, rc ? NULL : &run, s->rc ? s->err : NULL, false);
    solving_free(s);
}

/* Rounds whose thread finished: joined, stored, told. */
static void reap(struct app *app, struct review_sched *rs)
{
    struct solving **pp = &rs->solving;
    while (*pp) {
        struct solving *s = *pp;
        if (!atomic_load(&s->done)) {
            pp = &s->next;
            continue;
        }
        *pp = s->next;
        pthread_join(s->th, NULL);
        finish(app, s);
    }
}

static bool solving_now(const struct review_sched *rs, int64_t cohort_id, int kind)
{
    for (const struct solving *s = rs ? rs->solving : NULL; s; s = s->next)
        if (s->co.id == cohort_id && s->kind == kind)
            return true;
    return false;
}

int review_start(struct app *app, struct review_sched *rs, const struct cohort *co, int kind,
                 int64_t now, bool manual, review_done_fn done, void *arg)
{
    if (solving_now(rs, co->id, kind))
        return BOT_EBUSY;
    json_t *inputs = NULL;
    int rc = review_prepare(app->store, co, kind, now, &inputs);
    if (rc)
        return rc;
    struct solving *s = calloc(1, sizeof(*s));
    if (!s) {
        json_decref(inputs);
        return BOT_ENOMEM;
    }
    s->co = *co;
    s->kind = kind;
    s->now = now;
    s->deadline = now + (int64_t)review_days(app) * 86400;
    s->manual = manual;
    s->done_fn = done;
    s->done_arg = arg;
    s->inputs = inputs;
    atomic_init(&s->done, false);
    /* a large round (1,000 submissions: ~130 ms) must not hold the loop; the console
     * and tools, with nothing else to serve, solve in place */
    if (rs && !app->console && pthread_create(&s->th, NULL, solve_main, s) == 0) {
        s->next = rs->solving;
        rs->solving = s;
        return 0;
    }
    solve_main(s);
    finish(app, s);
    return 0;
}

/* The active mentor (not the author, not on the submission yet) with the fewest open
 * reviews in this round; false when there is none. */
static bool pick_mentor(struct tick *t, const struct store_review *all, size_t n, int64_t sub_id,
                        const char *author, char out[24])
{
    char today[11];
    int day = 1;
    cohort_day_at(t->co->start_date, t->co->timezone, t->now, &day);
    if (cohort_date_of_day(t->co->start_date, day, today))
        return false;
    struct store_mentor *m;
    size_t nm;
    if (store_mentors_active(t->app->store, t->co->id, today, &m, &nm))
        return false;
    size_t best_load = SIZE_MAX;
    out[0] = '\0';
    for (size_t j = 0; j < nm; j++) {
        size_t load = 0;
        bool busy = strcmp(m[j].user_id, author) == 0;
        for (size_t i = 0; i < n && !busy; i++) {
            busy = all[i].sub_id == sub_id && strcmp(all[i].reviewer_id, m[j].user_id) == 0;
            load += all[i].state == REVIEW_OPEN && strcmp(all[i].reviewer_id, m[j].user_id) == 0;
        }
        if (!busy && load < best_load) {
            best_load = load;
            snprintf(out, 24, "%s", m[j].user_id);
        }
    }
    free(m);
    return out[0] != '\0';
}

static void send_task(struct tick *t, const struct store_review *r)
{
    char key[160];
    struct delivery dl;
    snprintf(key, sizeof(key), "review/%s/%lld", t->co->guild_id, (long long)r->id);
    if (prepare(t->rs, t->app, key, r->reviewer_id, t->now, &dl) != 1)
        return;
    struct store_proj_sub sub;
    struct message m;
    msg_init(&m);
    if (store_proj_sub_by_id(t->app->store, r->sub_id, &sub) == 0 &&
        review_msg_task(t->cur, r, &sub, NULL, &m) == 0)
        launch(t->rs, t->app, t->co->guild_id, key, r->reviewer_id, NULL, &m, dl.nonce);
    msg_free(&m);
}

static void send_reminder(struct tick *t, const struct store_review *r)
{
    char key[160];
    struct delivery dl;
    snprintf(key, sizeof(key), "review/%s/%lld/remind", t->co->guild_id, (long long)r->id);
    if (prepare(t->rs, t->app, key, r->reviewer_id, t->now, &dl) != 1)
        return;
    struct message m;
    msg_init(&m);
    if (review_msg_reminder(t->cur, r, &m) == 0)
        launch(t->rs, t->app, t->co->guild_id, key, r->reviewer_id, NULL, &m, dl.nonce);
    msg_free(&m);
    store_review_reminded(t->app->store, r->id);
}

/* At the deadline an open review goes to a mentor (a new review, its own deadline). */
static void reassign(struct tick *t, const struct store_review *r, const struct store_review *all,
                     size_t n)
{
    char mentor[24];
    if (!pick_mentor(t, all, n, r->sub_id, r->author_id, mentor))
        return; /* stays open and late: /cohort report lists it */
    int64_t id;
    int64_t deadline = t->now + (int64_t)review_days(t->app) * 86400;
    if (store_review_add(t->app->store, r->round_id, r->sub_id, mentor, true, r->deciding, t->now,
                         deadline, &id) == 0) {
        struct store_review nr;
        store_review_set_state(t->app->store, r->id, REVIEW_REASSIGNED);
        if (store_review_get(t->app->store, id, &nr) == 0)
            send_task(t, &nr);
        log_info("review", "reassigned review=%lld to mentor=%s new=%lld", (long long)r->id, mentor,
                 (long long)id);
    }
}

static void flag_notice(struct tick *t, const struct store_proj_sub *sub, const char *mentor)
{
    char key[160], chan[24];
    struct delivery dl;
    snprintf(key, sizeof(key), "review/%s/flag/%lld", t->co->guild_id, (long long)sub->id);
    if (!review_channel(t->app, t->co, chan, sizeof(chan)) ||
        prepare(t->rs, t->app, key, chan, t->now, &dl) != 1)
        return;
    struct message m;
    msg_init(&m);
    int rc = mentor[0] ? msg_set_content(&m,
                                         "The reviewers of <@%s>'s %s disagree by 2 or more "
                                         "levels on a criterion: <@%s> (mentor) writes the "
                                         "deciding review.",
                                         sub->user_id, proj_kind_title(sub->kind), mentor)
                       : msg_set_content(&m,
                                         "The reviewers of <@%s>'s %s disagree by 2 or more "
                                         "levels on a criterion. A mentor or admin decides with "
                                         "/project decide member:<@%s> kind:%s.",
                                         sub->user_id, proj_kind_title(sub->kind), sub->user_id,
                                         proj_kind_slug(sub->kind));
    m.mention_users = true;
    if (!rc)
        launch(t->rs, t->app, t->co->guild_id, key, NULL, chan, &m, dl.nonce);
    msg_free(&m);
}

/* true when the result is final (sent, or failed for good) */
static bool send_result(struct tick *t, const struct store_proj_sub *sub,
                        const struct store_review *rv, size_t n)
{
    char key[160];
    struct delivery dl;
    snprintf(key, sizeof(key), "review/%s/result/%lld", t->co->guild_id, (long long)sub->id);
    int p = prepare(t->rs, t->app, key, sub->user_id, t->now, &dl);
    if (p != 1)
        return p == 0;
    struct message m;
    msg_init(&m);
    if (review_msg_result(t->cur, sub, rv, n, &m) == 0)
        launch(t->rs, t->app, t->co->guild_id, key, sub->user_id, NULL, &m, dl.nonce);
    msg_free(&m);
    return false;
}

/* One submission once none of its reviews is open; true when its result is final. */
static bool settle(struct tick *t, const struct store_proj_sub *sub, const struct store_review *all,
                   size_t n)
{
    struct store_review mine[16];
    size_t k = 0;
    bool open = false, has_deciding = false;
    for (size_t i = 0; i < n && k < 16; i++)
        if (all[i].sub_id == sub->id) {
            mine[k++] = all[i];
            open |= all[i].state == REVIEW_OPEN;
            has_deciding |= all[i].deciding && all[i].state != REVIEW_REASSIGNED;
        }
    bool flagged;
    char fig[160];
    if (open || !review_figures(t->cur, sub->kind, mine, k, &flagged, fig, sizeof(fig)))
        return false;
    if (!flagged)
        return send_result(t, sub, mine, k);
    char mentor[24] = "";
    if (!has_deciding) {
        int64_t id;
        store_proj_flag(t->app->store, sub->id, true);
        struct store_review nr;
        if (pick_mentor(t, all, n, sub->id, sub->user_id, mentor) &&
            store_review_add(t->app->store, mine[0].round_id, sub->id, mentor, true, true, t->now,
                             t->now + (int64_t)review_days(t->app) * 86400, &id) == 0 &&
            store_review_get(t->app->store, id, &nr) == 0)
            send_task(t, &nr);
    }
    flag_notice(t, sub, mentor);
    return false;
}

static void round_step(struct tick *t, const struct store_rev_round *rd)
{
    struct store_review *all;
    size_t n;
    if (store_reviews_of_round(t->app->store, rd->id, &all, &n))
        return;
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        const struct store_review *r = &all[i];
        if (r->state != REVIEW_OPEN)
            continue;
        if (t->now >= r->deadline) {
            reassign(t, r, all, n);
            changed = true;
            continue;
        }
        send_task(t, r);
        if (!r->reminded && t->now >= r->deadline - REVIEW_REMIND_S)
            send_reminder(t, r);
    }
    if (changed) { /* the new reviews go out next tick */
        free(all);
        return;
    }
    struct store_proj_sub *subs;
    size_t ns;
    if (store_proj_subs(t->app->store, t->co->id, rd->kind, &subs, &ns) == 0) {
        bool final = true;
        for (size_t i = 0; i < ns; i++)
            final &= settle(t, &subs[i], all, n);
        free(subs);
        if (final && t->rs->ndone < MAX_DONE) /* nothing left to do: skip it from now on */
            t->rs->done[t->rs->ndone++] = rd->id;
    }
    free(all);
}

static bool round_done(const struct review_sched *rs, int64_t id)
{
    for (int i = 0; i < rs->ndone; i++)
        if (rs->done[i] == id)
            return true;
    return false;
}

static int tick_cohort(void *arg, const struct cohort *co)
{
    struct tick *t = arg;
    t->co = co;
    t->cur = curricula_find(t->app->curricula, co->curriculum);
    int close_days = t->app->cfg ? t->app->cfg->project_close_days : 0;
    for (int kind = 0; t->cur && kind < PROJ_KINDS; kind++) {
        struct store_rev_round rd;
        int64_t opens, closes;
        int rc = store_rev_round_get(t->app->store, co->id, kind, &rd);
        if (rc == BOT_ENOTFOUND && proj_kind_week(t->cur, kind) &&
            proj_window(co, t->cur, kind, close_days, &opens, &closes) == 0 && t->now >= closes) {
            if (review_start(t->app, t->rs, co, kind, t->now, false, NULL, NULL) == 0)
                rc = store_rev_round_get(t->app->store, co->id, kind, &rd); /* when in place */
        }
        if (rc == 0 && !round_done(t->rs, rd.id))
            round_step(t, &rd);
    }
    return 0;
}

void review_tick(struct app *app, struct review_sched *rs, int64_t now)
{
    if (!rs)
        return;
    reap(app, rs);
    if (!app->curricula || !app->chat.ops)
        return;
    struct tick t = {app, rs, NULL, NULL, now};
    store_cohort_each(app->store, tick_cohort, &t);
}
