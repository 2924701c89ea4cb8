/* leaderboard.c - /leaderboard [week]: top 10 by streak, then days done. Members who
 * turned the leaderboard off (/privacy leaderboard:off) are never listed. With a
 * week: streaks as they stood at the end of that week, days done within it. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "commands/picture.h"
#include "render/pool.h"
#include "bot/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LB_TOP 10

struct lb_entry {
    char user_id[24];
    char name[64]; /* member name, "" when unknown */
    int streak, longest, done;
};

struct lb {
    struct cmd_ctx *c;
    const struct ck_who *w;
    int week; /* 0 = whole cohort so far */
    struct streak_ck *cks;
    size_t n, cap;
    char user[24];
    struct lb_entry *out;
    size_t nout, capout;
    int rc;
};

/* Evaluates the collected rows of lb->user and appends an entry. */
static void lb_close_user(struct lb *b)
{
    if (!b->user[0] || b->rc)
        return;
    struct member m;
    if (store_member_get(b->c->app->store, b->c->ix->guild_id, b->user, &m) || !m.leaderboard)
        return;
    const char *zone = m.timezone[0] ? m.timezone : b->w->cohort.timezone;
    int today = 0;
    if (cohort_day_at(b->w->cohort.start_date, zone, b->c->now, &today))
        return;
    int first = 1;
    if (b->week > 0) {
        first = (b->week - 1) * 7 + 1;
        today = today < b->week * 7 ? today : b->week * 7;
    }
    struct streak_result r;
    struct ck_who lw = *b->w; /* the listed member's zone, the viewer's cohort */
    lw.zone = zone;
    if (ck_streak(&lw, today, ck_grace(b->c), b->cks, b->n, &r))
        return;
    int done = 0;
    for (size_t i = 0; i < b->n; i++)
        done += b->cks[i].day >= first && b->cks[i].day <= today;
    if (b->nout == b->capout) {
        size_t cap = b->capout ? b->capout * 2 : 32;
        struct lb_entry *p = realloc(b->out, cap * sizeof(*p));
        if (!p) {
            b->rc = BOT_ENOMEM;
            return;
        }
        b->out = p;
        b->capout = cap;
    }
    struct lb_entry *e = &b->out[b->nout++];
    snprintf(e->user_id, sizeof(e->user_id), "%s", b->user);
    snprintf(e->name, sizeof(e->name), "%s", m.name);
    e->streak = r.current;
    e->longest = r.longest;
    e->done = done;
}

static int lb_row(void *arg, const struct checkin *ck)
{
    struct lb *b = arg;
    if (strcmp(b->user, ck->user_id) != 0) {
        lb_close_user(b);
        snprintf(b->user, sizeof(b->user), "%s", ck->user_id);
        b->n = 0;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        struct streak_ck *p = realloc(b->cks, cap * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        b->cks = p;
        b->cap = cap;
    }
    b->cks[b->n++] = (struct streak_ck){ck->day, ck->created_at, ck->hours};
    return 0;
}

static int lb_cmp(const void *x, const void *y)
{
    const struct lb_entry *a = x, *b = y;
    if (a->streak != b->streak)
        return b->streak - a->streak;
    if (a->done != b->done)
        return b->done - a->done;
    return strcmp(a->user_id, b->user_id);
}

/* Asks for the top 10 as a card (only the members already listed), drawn on the render
 * worker after the text reply; failures are logged. */
static void lb_card(struct cmd_ctx *c, const struct lb *b)
{
    struct render_leaderboard l = {.n = b->nout < LB_TOP ? (int)b->nout : LB_TOP};
    char title[80];
    if (b->week > 0)
        snprintf(title, sizeof(title), "Leaderboard - week %d", b->week);
    else
        snprintf(title, sizeof(title), "Leaderboard - current streaks");
    l.title = title;
    for (int i = 0; i < l.n; i++)
        l.rows[i] = (struct render_lb_row){b->out[i].name[0] ? b->out[i].name : b->out[i].user_id,
                                           b->out[i].streak, b->out[i].done};
    if (!c->pic || !c->app->render)
        return; /* no worker: the text alone */
    struct render_job *job = render_job_leaderboard(&l);
    if (!job)
        log_warn("render", "leaderboard card: out of memory");
    pic_want(c, job, "leaderboard.png", "Leaderboard card", "leaderboard.png");
}

static void lb_render(struct cmd_ctx *c, const struct lb *b)
{
    if (b->week > 0)
        msg_set_content(c->reply,
                        "Leaderboard, week %d (streak at the week's end, days done "
                        "that week):",
                        b->week);
    else
        msg_set_content(c->reply, "Leaderboard (current streak, then days done):");
    if (b->nout == 0)
        msg_append(c->reply, "\nNobody to list yet.");
    for (size_t i = 0; i < b->nout && i < LB_TOP; i++)
        msg_append(c->reply, "\n%zu. <@%s> streak %d, %d day%s done", i + 1, b->out[i].user_id,
                   b->out[i].streak, b->out[i].done, b->out[i].done == 1 ? "" : "s");
    msg_append(c->reply, "\n(Not listed? /privacy leaderboard:on. Rather not be? "
                         "/privacy leaderboard:off.)");
    lb_card(c, b);
}

static int leaderboard_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char why[400];
    struct ck_who w;
    if (ck_who_load(c, c->ix->user_id, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    int64_t week = 0;
    if (args_int(a, "week", &week) && week > w.plan.n_weeks)
        return ck_say(c, "Week %lld is outside the curriculum (weeks 1-%d).", (long long)week,
                      w.plan.n_weeks);
    int cur_week = ck_week_of(c->app, &w.cohort, w.today);
    if (week > 0 && (w.today < 1 || week > cur_week))
        return ck_say(c, "Week %lld hasn't started yet.", (long long)week);
    struct lb b = {.c = c, .w = &w, .week = (int)week};
    int rc = store_checkin_each(c->app->store, w.cohort.id, NULL, lb_row, &b);
    lb_close_user(&b);
    if (!rc)
        rc = b.rc;
    if (!rc) {
        qsort(b.out, b.nout, sizeof(*b.out), lb_cmp);
        lb_render(c, &b);
    }
    free(b.cks);
    free(b.out);
    return rc;
}

static const struct cmd_opt leaderboard_opts[] = {
    {.name = "week",
     .description = "A past or the current week (default: whole cohort)",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
};

const struct cmd_def cmd_leaderboard_def = {
    .name = "leaderboard",
    .description = "Top 10 by streak, then days done",
    .opts = leaderboard_opts,
    .nopts = CMD_NOPTS(leaderboard_opts),
    .run = leaderboard_run,
};
