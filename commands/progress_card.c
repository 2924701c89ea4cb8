/* progress_card.c - /progress card input from the learner's data, and the
 * `cohortbot render progress` tool (see progress_card.h). */
#include "commands/progress_card.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "commands/commands.h"
#include "config/config.h"
#include "bot/log.h"
#include "render/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct card_text {
    char milestone[400], sub[160];
};

struct cks {
    struct streak_ck v[1000];
    size_t n;
};

static int collect(void *arg, const struct checkin *ck)
{
    struct cks *k = arg;
    if (k->n < sizeof(k->v) / sizeof(k->v[0]))
        k->v[k->n++] = (struct streak_ck){ck->day, ck->created_at, ck->hours};
    return 0;
}

static enum render_day day_state(enum streak_why why)
{
    switch (why) {
    case STREAK_COUNTED:
        return RENDER_DONE;
    case STREAK_LATE:
        return RENDER_LATE;
    case STREAK_MISSED:
        return RENDER_MISSED;
    case STREAK_GRACE:
        return RENDER_GRACE;
    case STREAK_OPEN:
        return RENDER_TODAY;
    }
    return RENDER_FUTURE;
}

/* Every day's state, from the same arithmetic as /streak. */
static int fill_days(struct cmd_ctx *c, const struct ck_who *w, struct render_progress *p)
{
    struct cks *k = calloc(1, sizeof(*k));
    enum streak_why *why = calloc((size_t)w->plan.n_days + 1, sizeof(*why));
    int rc = k && why ? 0 : BOT_ENOMEM;
    if (!rc)
        rc = store_checkin_each(c->app->store, w->cohort.id, w->member.user_id, collect, k);
    struct streak_result r;
    if (!rc)
        rc = streak_compute_states(w->cohort.start_date, w->zone, w->today, w->plan.n_days,
                                   ck_grace(c), k->v, k->n, NULL, why, &r);
    for (int d = 1; !rc && d <= p->n_days; d++)
        p->day[d - 1] = d <= r.elapsed ? day_state(why[d]) : RENDER_FUTURE;
    free(k);
    free(why);
    return rc;
}

static void milestone_line(struct cmd_ctx *c, const struct ck_who *w, int wk, char *out, size_t len)
{
    char next[300];
    if (w->today < 1)
        snprintf(out, len, "Starts %s", w->cohort.start_date);
    else if (ck_next_assessment(c->app, &w->cohort, wk, next, sizeof(next)))
        snprintf(out, len, "Next: %s", next);
    else if (w->today < w->plan.n_days)
        snprintf(out, len, "Next: end of week %d (day %d of %d)", wk,
                 wk * 7 < w->plan.n_days ? wk * 7 : w->plan.n_days, w->plan.n_days);
    else
        snprintf(out, len, "All %d days are behind you", w->plan.n_days);
}

int progress_card_input(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                        struct render_progress *p, char *milestone, size_t mlen)
{
    memset(p, 0, sizeof(*p));
    p->n_days = w->plan.n_days < RENDER_MAX_DAYS ? w->plan.n_days : RENDER_MAX_DAYS;
    int rc = fill_days(c, w, p);
    if (rc)
        return rc;
    int wk = ck_week_of(c->app, &w->cohort, w->today < 1 ? 1 : w->today);
    p->this_week = w->today >= 1 && w->today <= w->plan.n_days ? wk : 0;
    int weeks = w->today < 1 ? 0 : wk < w->plan.n_weeks ? wk : w->plan.n_weeks;
    p->n_weeks = weeks < RENDER_MAX_WEEKS ? weeks : RENDER_MAX_WEEKS;
    for (int i = 0; i < p->n_weeks && i < CK_MAX_WEEKS; i++)
        p->week_hours[i] = st->week_hours[i + 1];
    p->current = st->streak.current;
    p->longest = st->streak.longest;
    p->target_min = w->plan.target_min;
    p->target_max = w->plan.target_max;
    milestone_line(c, w, wk, milestone, mlen);
    p->milestone = milestone;
    return 0;
}

/* The card's input for w's learner: p points into t (and name, extra). */
static int card_fill(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                     const char *name, const char *extra, struct render_progress *p,
                     struct card_text *t, char *err, size_t errlen)
{
    int rc = progress_card_input(c, w, st, p, t->milestone, sizeof(t->milestone));
    if (rc) {
        snprintf(err, errlen, "progress card: reading check-ins failed (%d)", rc);
        return rc;
    }
    p->name = name && *name ? name : w->member.name[0] ? w->member.name : w->member.user_id;
    if (w->today < 1)
        snprintf(t->sub, sizeof(t->sub), "Cohort starts %s - %d days", w->cohort.start_date,
                 w->plan.n_days);
    else
        snprintf(t->sub, sizeof(t->sub), "Day %d of %d - %d day%s checked in", st->streak.today,
                 w->plan.n_days, st->streak.done, st->streak.done == 1 ? "" : "s");
    p->subtitle = t->sub;
    p->extra = extra;
    return 0;
}

int progress_card_png(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                      const char *name, const char *extra, struct render_png *png, char *err,
                      size_t errlen)
{
    struct render_progress p;
    struct card_text t;
    memset(png, 0, sizeof(*png));
    int rc = card_fill(c, w, st, name, extra, &p, &t, err, errlen);
    return rc ? rc : render_progress_png(&p, png, err, errlen);
}

struct render_job *progress_card_job(struct cmd_ctx *c, const struct ck_who *w,
                                     const struct ck_stats *st, const char *name, const char *extra,
                                     char *err, size_t errlen)
{
    struct render_progress p;
    struct card_text t;
    if (card_fill(c, w, st, name, extra, &p, &t, err, errlen))
        return NULL;
    struct render_job *j = render_job_progress(&p);
    if (!j)
        snprintf(err, errlen, "progress card: out of memory");
    return j;
}
