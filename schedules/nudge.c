/* nudge.c - one friendly DM per check-in gap (see nudge.h). */
#include "schedules/nudge.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "commands/ckcore.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nd_user {
    char id[24];
    int last_day;
};

struct nd {
    struct app *app;
    int64_t now;
    int after, sent;
    struct nd_user *u;
    size_t n, cap;
};

struct nd_sent {
    struct app *app;
    char key[192];
};

static int nd_row(void *arg, const struct checkin *ck)
{
    struct nd *n = arg;
    if (n->n == 0 || strcmp(n->u[n->n - 1].id, ck->user_id) != 0) {
        if (n->n == n->cap) {
            size_t cap = n->cap ? n->cap * 2 : 64;
            struct nd_user *p = realloc(n->u, cap * sizeof(*p));
            if (!p)
                return BOT_ENOMEM;
            n->u = p;
            n->cap = cap;
        }
        snprintf(n->u[n->n].id, sizeof(n->u[n->n].id), "%s", ck->user_id);
        n->u[n->n++].last_day = 0;
    }
    if (ck->day > n->u[n->n - 1].last_day)
        n->u[n->n - 1].last_day = ck->day;
    return 0;
}

static void nd_done(void *arg, const struct chat_result *res)
{
    struct nd_sent *s = arg;
    store_delivery_mark(s->app->store, s->key, res->rc ? DLV_FAILED : DLV_SENT, res->id,
                        res->rc ? res->detail : NULL, app_now(s->app));
    if (res->rc)
        log_warn("nudge", "DM failed key=%s code=%d", s->key, res->discord_code);
    free(s);
}

static void nd_send(struct nd *n, const struct cohort *co, const struct nd_user *u, int gap)
{
    struct nd_sent *s = calloc(1, sizeof(*s));
    if (!s)
        return;
    s->app = n->app;
    snprintf(s->key, sizeof(s->key), "nudge/%s/%s/%s/after-day-%d", co->guild_id, co->start_date,
             u->id, u->last_day);
    struct delivery dl;
    bool created = false;
    if (store_delivery_begin(n->app->store, s->key, "nudge", u->id, n->now, n->now, &dl,
                             &created) ||
        dl.state != DLV_PENDING) {
        free(s);
        return;
    }
    struct message m;
    msg_init(&m);
    msg_set_content(&m,
                    "Hi! It's been %d days since your last check-in (day %d). No pressure: "
                    "when you're back, /checkin records today, and day: lets you add past "
                    "days. (Don't want these? /privacy nudges:off)",
                    gap, u->last_day);
    if (n->app->chat.ops->dm(n->app->chat.impl, u->id, &m, dl.nonce, nd_done, s) == 0)
        n->sent++;
    else
        free(s);
    msg_free(&m);
}

static void nd_user_check(struct nd *n, const struct cohort *co, const struct ck_plan *plan,
                          const struct nd_user *u)
{
    struct member m;
    if (store_member_get(n->app->store, co->guild_id, u->id, &m) || !m.nudges)
        return;
    int today;
    const char *zone = m.timezone[0] ? m.timezone : co->timezone;
    if (cohort_day_at(co->start_date, zone, n->now, &today) || today < 1 || today > plan->n_days)
        return;
    int gap = streak_gap_days(today, u->last_day);
    if (gap < n->after || m.last_nudge_day > u->last_day)
        return; /* not due, or this gap already had its nudge */
    m.last_nudge_day = today;
    if (store_member_put(n->app->store, &m) == 0)
        nd_send(n, co, u, gap);
}

static int nd_cohort(void *arg, const struct cohort *co)
{
    struct nd *n = arg;
    struct ck_plan plan;
    ck_plan_get(n->app, co, &plan);
    n->n = 0;
    if (store_checkin_each(n->app->store, co->id, NULL, nd_row, n))
        return 0; /* logged by the store; try the other cohorts */
    for (size_t i = 0; i < n->n; i++)
        nd_user_check(n, co, &plan, &n->u[i]);
    return 0;
}

int nudge_run(struct app *app, int64_t now, int *sent)
{
    struct nd n = {.app = app, .now = now, .after = 3};
    if (app->cfg && app->cfg->nudge_after_days > 0)
        n.after = app->cfg->nudge_after_days;
    int rc = store_cohort_each(app->store, nd_cohort, &n);
    free(n.u);
    if (rc)
        log_error("nudge", "run failed: %s", bot_strerror(rc));
    if (sent)
        *sent = n.sent;
    return rc;
}
