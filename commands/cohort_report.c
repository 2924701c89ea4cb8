/* cohort_report.c - the `report` subcommand of /cohort (admin): per week how many
 * learners checked in and their median hours, and who has gone 3+ days without a
 * check-in ("at risk"). The /cohort command (not this file) routes to checkin_report. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/ckcore.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RP_MAX_RISK 25

struct rp_user {
    char id[24];
    double hours[CK_MAX_WEEKS + 1];
    bool active[CK_MAX_WEEKS + 1];
    int last_day;
};

struct rp {
    const struct app *app;
    const struct cohort *co;
    struct rp_user *u;
    size_t n, cap;
};

static int rp_row(void *arg, const struct checkin *ck)
{
    struct rp *r = arg;
    if (r->n == 0 || strcmp(r->u[r->n - 1].id, ck->user_id) != 0) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 32;
            struct rp_user *p = realloc(r->u, cap * sizeof(*p));
            if (!p)
                return BOT_ENOMEM;
            r->u = p;
            r->cap = cap;
        }
        memset(&r->u[r->n], 0, sizeof(r->u[r->n]));
        snprintf(r->u[r->n].id, sizeof(r->u[r->n].id), "%s", ck->user_id);
        r->n++;
    }
    struct rp_user *u = &r->u[r->n - 1];
    int wk = ck_week_of(r->app, r->co, ck->day);
    if (wk >= 1 && wk <= CK_MAX_WEEKS) {
        u->active[wk] = true;
        u->hours[wk] += ck->hours > 0 ? ck->hours : 0;
    }
    if (ck->day > u->last_day)
        u->last_day = ck->day;
    return 0;
}

static void rp_weeks(struct cmd_ctx *c, const struct rp *r, int last_week)
{
    double *v = calloc(r->n ? r->n : 1, sizeof(*v));
    if (!v)
        return;
    for (int wk = 1; wk <= last_week && wk <= CK_MAX_WEEKS; wk++) {
        size_t k = 0;
        for (size_t i = 0; i < r->n; i++)
            if (r->u[i].active[wk])
                v[k++] = r->u[i].hours[wk];
        msg_append(c->reply, "\nWeek %2d: %zu learner%s checked in, median %.1f h", wk, k,
                   k == 1 ? "" : "s", streak_median(v, k));
    }
    free(v);
}

static void rp_risk(struct cmd_ctx *c, const struct rp *r, int today, int after)
{
    int shown = 0, total = 0;
    for (size_t i = 0; i < r->n; i++) {
        int gap = streak_gap_days(today, r->u[i].last_day);
        if (gap < after)
            continue;
        if (total++ == 0)
            msg_append(c->reply, "\nAt risk (%d+ days without a check-in):", after);
        if (shown++ < RP_MAX_RISK)
            msg_append(c->reply, "\n- <@%s>: %d days (last: day %d)", r->u[i].id, gap,
                       r->u[i].last_day);
    }
    if (total == 0)
        msg_append(c->reply, "\nNobody is at risk (%d+ days without a check-in).", after);
    else if (total > shown)
        msg_append(c->reply, "\n… and %d more.", total - shown);
}

int checkin_report(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    char why[400];
    struct ck_who w;
    if (ck_who_load(c, c->ix->user_id, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    /* the organiser's view uses the cohort's zone, not the admin's own */
    int today = 0;
    if (cohort_day_at(w.cohort.start_date, w.cohort.timezone, c->now, &today))
        return ck_say(c, "The cohort's start date or zone is invalid.");
    if (today < 1)
        return ck_say(c, "The cohort starts %s; nothing to report yet.", w.cohort.start_date);
    int capped = today > w.plan.n_days ? w.plan.n_days + 1 : today;
    struct rp r = {.app = c->app, .co = &w.cohort};
    int rc = store_checkin_each(c->app->store, w.cohort.id, NULL, rp_row, &r);
    if (!rc) {
        int after =
            c->app->cfg && c->app->cfg->nudge_after_days > 0 ? c->app->cfg->nudge_after_days : 3;
        int wk = ck_week_of(c->app, &w.cohort, capped > w.plan.n_days ? w.plan.n_days : capped);
        c->reply->ephemeral = true;
        msg_set_content(c->reply,
                        "Cohort report (started %s, day %d of %d, %zu learner%s with "
                        "check-ins):",
                        w.cohort.start_date, today > w.plan.n_days ? w.plan.n_days : today,
                        w.plan.n_days, r.n, r.n == 1 ? "" : "s");
        rp_weeks(c, &r, wk);
        rp_risk(c, &r, capped, after);
    }
    free(r.u);
    return rc;
}
