/* ckcore.c - shared pieces of the check-in commands (see ckcore.h). */
#include "commands/ckcore.h"
#include "bot/app.h"
#include "bot/err.h"
#include "config/config.h"
#include "config/curriculum.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- curriculum lookups: the only place that knows where they come from ---- */

/* The cohort's curriculum, or NULL (then the 70-day / 10-week default applies). */
static const struct curriculum *cur_of(const struct app *app, const struct cohort *co)
{
    return app && app->curricula ? curricula_find(app->curricula, co->curriculum) : NULL;
}

void ck_plan_get(const struct app *app, const struct cohort *co, struct ck_plan *out)
{
    *out = (struct ck_plan){.n_days = 70, .n_weeks = 10, .target_min = 15, .target_max = 20};
    const struct curriculum *cu = cur_of(app, co);
    if (!cu || cu->n_days == 0)
        return;
    out->n_days = (int)cu->n_days;
    out->n_weeks = (int)cu->n_weeks;
    if (cu->time_target.min_hours_per_week > 0) {
        out->target_min = cu->time_target.min_hours_per_week;
        out->target_max = cu->time_target.max_hours_per_week;
    }
}

int ck_week_of(const struct app *app, const struct cohort *co, int day)
{
    const struct cur_day *d = cur_of(app, co) ? curriculum_day(cur_of(app, co), day) : NULL;
    if (d)
        return d->week;
    return day < 1 ? 1 : (day - 1) / 7 + 1;
}

void ck_day_topic(const struct app *app, const struct cohort *co, int day, char *out, size_t outlen)
{
    const struct cur_day *d = cur_of(app, co) ? curriculum_day(cur_of(app, co), day) : NULL;
    if (outlen)
        snprintf(out, outlen, "%s", d && d->topic ? d->topic : "");
}

bool ck_next_assessment(const struct app *app, const struct cohort *co, int week, char *out,
                        size_t outlen)
{
    const struct curriculum *cu = cur_of(app, co);
    for (int w = week; cu && w <= (int)cu->n_weeks; w++) {
        const struct cur_assessment *as = curriculum_assessment_of_week(cu, w);
        if (as) {
            snprintf(out, outlen, "week %d: %s (%d questions, pass %d%%)", as->week, as->topic,
                     as->questions, as->pass_percent);
            return true;
        }
    }
    return false;
}

/* ---- learner context ---- */

int ck_grace(const struct cmd_ctx *c)
{
    const struct config *cfg = c->app ? c->app->cfg : NULL;
    return cfg && cfg->grace_days_per_week > 0 ? cfg->grace_days_per_week : 0;
}

int ck_who_load(struct cmd_ctx *c, const char *user_id, struct ck_who *w, char *why, size_t whylen)
{
    memset(w, 0, sizeof(*w));
    if (!c->ix->guild_id[0]) {
        snprintf(why, whylen, "This works inside the cohort's server, not in DMs.");
        return BOT_EINVAL;
    }
    int rc = store_cohort_get(c->app->store, c->ix->guild_id, &w->cohort);
    if (rc == BOT_ENOTFOUND) {
        snprintf(why, whylen,
                 "No cohort is running in this server yet (an admin starts one with "
                 "/cohort start).");
        return rc;
    }
    if (!rc)
        rc = store_member_get(c->app->store, c->ix->guild_id, user_id, &w->member);
    if (rc) {
        snprintf(why, whylen, "The database is not answering; please try again in a minute.");
        return rc;
    }
    w->zone = w->member.timezone[0] ? w->member.timezone : w->cohort.timezone;
    ck_plan_get(c->app, &w->cohort, &w->plan);
    if (cohort_day_at(w->cohort.start_date, w->zone, c->now, &w->today)) {
        snprintf(why, whylen, "The cohort's start date or time zone is invalid (%s, %s).",
                 w->cohort.start_date, w->zone);
        return BOT_EINVAL;
    }
    return 0;
}

struct collect {
    struct streak_ck cks[1000];
    size_t n;
    struct ck_stats *st;
    const struct app *app;
    const struct cohort *co;
};

static int collect_one(void *arg, const struct checkin *ck)
{
    struct collect *k = arg;
    if (k->n < sizeof(k->cks) / sizeof(k->cks[0]))
        k->cks[k->n++] = (struct streak_ck){ck->day, ck->created_at, ck->hours};
    int wk = ck_week_of(k->app, k->co, ck->day);
    if (wk >= 1 && wk <= CK_MAX_WEEKS) {
        k->st->week_hours[wk] += ck->hours > 0 ? ck->hours : 0;
        k->st->week_days[wk]++;
    }
    if (ck->day > k->st->last_day)
        k->st->last_day = ck->day;
    return 0;
}

/* Day-end memo: converting day ends through the zone database is the costly part of
 * a streak, and the same (start date, zone) pairs recur on every check-in. A few
 * entries, replaced round-robin; loop thread only (like tz.h's zone cache). The zone
 * data cannot change while the process runs, so entries never go stale. */
#define MEMO_SLOTS 8
#define MEMO_DAYS 400
static struct {
    char start[11], zone[64];
    int last;
    int64_t ends[MEMO_DAYS + 1];
} g_memo[MEMO_SLOTS];
static int g_memo_next;

static const int64_t *memo_ends(const char *start, const char *zone, int last)
{
    if (last < 1 || last > MEMO_DAYS)
        return NULL;
    for (int i = 0; i < MEMO_SLOTS; i++)
        if (g_memo[i].last >= last && strcmp(g_memo[i].start, start) == 0 &&
            strcmp(g_memo[i].zone, zone) == 0)
            return g_memo[i].ends;
    int i = g_memo_next;
    g_memo_next = (g_memo_next + 1) % MEMO_SLOTS;
    g_memo[i].last = 0;
    if (streak_day_ends(start, zone, last, g_memo[i].ends))
        return NULL;
    snprintf(g_memo[i].start, sizeof(g_memo[i].start), "%s", start);
    snprintf(g_memo[i].zone, sizeof(g_memo[i].zone), "%s", zone);
    g_memo[i].last = last;
    return g_memo[i].ends;
}

int ck_streak(const struct ck_who *w, int today, int grace, const struct streak_ck *cks, size_t n,
              struct streak_result *out)
{
    int last = today < w->plan.n_days ? today : w->plan.n_days;
    return streak_compute_ends(w->cohort.start_date, w->zone, today, w->plan.n_days, grace, cks, n,
                               memo_ends(w->cohort.start_date, w->zone, last), out);
}

int ck_stats_load(struct cmd_ctx *c, const struct ck_who *w, int grace, struct ck_stats *st)
{
    memset(st, 0, sizeof(*st));
    struct collect *k = calloc(1, sizeof(*k)); /* 24 KB: off the stack */
    if (!k)
        return BOT_ENOMEM;
    k->st = st;
    k->app = c->app;
    k->co = &w->cohort;
    int rc = store_checkin_each(c->app->store, w->cohort.id, w->member.user_id, collect_one, k);
    if (!rc)
        rc = ck_streak(w, w->today, grace, k->cks, k->n, &st->streak);
    free(k);
    return rc;
}

int ck_say(struct cmd_ctx *c, const char *fmt, ...)
{
    char text[1500];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    c->reply->ephemeral = true;
    msg_set_content(c->reply, "%s", text);
    return 0;
}
