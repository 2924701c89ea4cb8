/* cohort_report.c - the `report` subcommand of /cohort (admin): per week how many
 * learners checked in and their median hours, and who has gone 3+ days without a
 * check-in ("at risk"). The /cohort command (not this file) routes to checkin_report. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/ckcore.h"
#include "config/config.h"
#include "bot/store_assessment.h"
#include "commands/commands.h"
#include "config/curriculum.h"
#include "render/pool.h"
#include "render/render.h"

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
    int *day_active; /* [d] learners who checked in on day d (1..n_days), or NULL */
    int n_days;
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
    if (r->day_active && ck->day >= 1 && ck->day <= r->n_days)
        r->day_active[ck->day]++;
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

/* Rates and medians per week for the chart, from r (days 1..upto). */
static void chart_weeks(const struct rp *r, const struct ck_plan *plan, int upto, int n_weeks,
                        double *rate, double *median, double *scratch)
{
    for (int wk = 1; wk <= n_weeks; wk++) {
        size_t k = 0;
        int days = 0, hits = 0;
        for (int d = (wk - 1) * 7 + 1; d <= wk * 7 && d <= upto && d <= plan->n_days; d++) {
            days++;
            hits += r->day_active[d];
        }
        for (size_t i = 0; i < r->n; i++)
            if (r->u[i].active[wk])
                scratch[k++] = r->u[i].hours[wk];
        rate[wk - 1] = days && r->n ? (double)hits / ((double)days * (double)r->n) : 0;
        median[wk - 1] = streak_median(scratch, k);
    }
}

/* Everything the charts show, gathered on the loop thread; rr points into it. */
struct chart {
    struct render_report rr;
    char title[200];
    double rate[RENDER_REPORT_MAX_WEEKS], median[RENDER_REPORT_MAX_WEEKS];
    struct render_asm_bar asm_bars[RENDER_REPORT_MAX_ASM];
    struct render_session_bar sessions[RENDER_REPORT_MAX_SESSIONS];
    char labels[RENDER_REPORT_MAX_SESSIONS][8];
};

/* Pass rate per assessment of the curriculum (finished attempts, as the text report
 * counts them); none when no attempt finished yet. */
static int chart_assessments(struct cmd_ctx *c, const struct ck_who *w, struct chart *ch)
{
    const struct curriculum *cur =
        c->app->curricula ? curricula_find(c->app->curricula, w->cohort.curriculum) : NULL;
    int any = 0, n = 0;
    for (size_t i = 0; cur && i < cur->n_assessments && n < RENDER_REPORT_MAX_ASM; i++) {
        struct store_asm_summary s;
        int rc = store_asm_summary(c->app->store, w->cohort.id, cur->assessments[i].week, &s);
        free(s.percents);
        if (rc)
            return rc;
        ch->asm_bars[n++] = (struct render_asm_bar){cur->assessments[i].week, s.passed, s.attempts};
        any |= s.attempts > 0;
    }
    ch->rr.n_asm = any ? n : 0;
    ch->rr.asm_bars = ch->asm_bars;
    return 0;
}

static int chart_sessions(struct cmd_ctx *c, const struct ck_who *w, struct chart *ch)
{
    int n = 0;
    int rc = studygroup_attendance(c, &w->cohort, ch->sessions, ch->labels,
                                   RENDER_REPORT_MAX_SESSIONS, &n);
    ch->rr.n_sessions = rc ? 0 : n;
    ch->rr.sessions = ch->sessions;
    return rc;
}

static int chart_fill(struct cmd_ctx *c, struct rp *r, const struct ck_who *w, int today,
                      struct chart *ch)
{
    int upto = today > w->plan.n_days ? w->plan.n_days : today;
    int n_weeks = (upto + 6) / 7;
    n_weeks = n_weeks > RENDER_REPORT_MAX_WEEKS ? RENDER_REPORT_MAX_WEEKS : n_weeks;
    double *scratch = calloc(r->n ? r->n : 1, sizeof(*scratch));
    if (!scratch)
        return BOT_ENOMEM;
    chart_weeks(r, &w->plan, upto, n_weeks, ch->rate, ch->median, scratch);
    free(scratch);
    snprintf(ch->title, sizeof(ch->title),
             "Cohort report - started %s, day %d of %d, %zu learner%s", w->cohort.start_date, upto,
             w->plan.n_days, r->n, r->n == 1 ? "" : "s");
    ch->rr = (struct render_report){
        .title = ch->title,
        .n_days = w->plan.n_days,
        .today = upto,
        .days_per_week = 7,
        .active = r->day_active + 1,
        .learners = (int)r->n,
        .n_weeks = n_weeks,
        .rate = ch->rate,
        .median = ch->median,
        .target_min = w->plan.target_min,
        .target_max = w->plan.target_max,
    };
    int rc = chart_assessments(c, w, ch);
    return rc ? rc : chart_sessions(c, w, ch);
}

/* Gathers the charts' data for the interaction's guild into ch (r holds what it
 * points at; the caller frees r's arrays). */
static int chart_collect(struct cmd_ctx *c, struct rp *r, struct chart *ch, char *err,
                         size_t errlen)
{
    char why[400];
    struct ck_who w;
    int today = 0, rc = ck_who_load(c, c->ix->user_id, &w, why, sizeof(why));
    if (!rc && cohort_day_at(w.cohort.start_date, w.cohort.timezone, c->now, &today))
        rc = BOT_EINVAL;
    if (!rc && (today < 1 || w.plan.n_days > RENDER_REPORT_MAX_DAYS))
        rc = BOT_EINVAL;
    if (rc) {
        snprintf(err, errlen, "report chart: %s", rc == BOT_EINVAL ? "nothing to draw" : why);
        return rc;
    }
    *r = (struct rp){.app = c->app, .co = &w.cohort, .n_days = w.plan.n_days};
    r->day_active = calloc((size_t)w.plan.n_days + 1, sizeof(int));
    rc = r->day_active ? store_checkin_each(c->app->store, w.cohort.id, NULL, rp_row, r)
                       : BOT_ENOMEM;
    if (!rc)
        rc = chart_fill(c, r, &w, today, ch);
    if (rc)
        snprintf(err, errlen, "report chart: reading the cohort's data failed (%d)", rc);
    r->co = NULL; /* w ends here */
    return rc;
}

int checkin_report_png(struct cmd_ctx *c, struct render_png *png, char *err, size_t errlen)
{
    memset(png, 0, sizeof(*png));
    struct rp r = {0};
    struct chart *ch = calloc(1, sizeof(*ch));
    int rc = ch ? chart_collect(c, &r, ch, err, errlen) : BOT_ENOMEM;
    if (!rc)
        rc = render_report_png(&ch->rr, png, err, errlen);
    free(ch);
    free(r.day_active);
    free(r.u);
    return rc;
}

struct render_job *checkin_report_job(struct cmd_ctx *c, char *err, size_t errlen)
{
    struct rp r = {0};
    struct chart *ch = calloc(1, sizeof(*ch));
    struct render_job *j = NULL;
    int rc = ch ? chart_collect(c, &r, ch, err, errlen) : BOT_ENOMEM;
    if (!rc && !(j = render_job_report(&ch->rr)))
        snprintf(err, errlen, "report chart: out of memory");
    free(ch);
    free(r.day_active);
    free(r.u);
    return j;
}
