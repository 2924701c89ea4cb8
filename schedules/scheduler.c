/* scheduler.c - runs the domain's timers from the wall clock (see scheduler.h): each
 * tick asks every schedule what is due now, so a suspended or restarted process
 * catches up instead of drifting. */
#include "schedules/scheduler.h"
#include "bot/app.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "schedules/daily.h"
#include "schedules/pairing_round.h"
#include "schedules/reminders.h"
#include "schedules/nudge.h"
#include "schedules/assessment.h"
#include "schedules/review_flow.h"
#include "schedules/sessions_sync.h"

#include <stdlib.h>

struct sched {
    struct app *app;
    struct daily_state *daily;
    struct pairing_state *pairing;
    struct rem_state *rem;
    int64_t nudge_at; /* next nudge check (UTC seconds) */
    int64_t prune_at; /* next ledger pruning */
    struct asm_post_state *asm_post;
    struct review_sched *review;
    struct sg_state *sg;
};

struct sched *sched_new(struct app *app)
{
    struct sched *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->app = app;
    s->daily = daily_new();
    s->pairing = pairing_new();
    s->rem = rem_new(app);
    s->asm_post = asm_post_new();
    s->review = review_new();
    s->sg = sg_state_new();
    if (!s->daily || !s->pairing || !s->rem || !s->asm_post || !s->review || !s->sg)
        goto fail;
    return s;
fail:
    sched_free(s);
    return NULL;
}

void sched_free(struct sched *s)
{
    if (!s)
        return;
    daily_free(s->daily);
    pairing_free(s->pairing);
    rem_free(s->rem);
    asm_post_free(s->asm_post);
    review_free(s->review);
    sg_state_free(s->sg);
    free(s);
}

struct daily_state *sched_daily(struct sched *s)
{
    return s->daily;
}

struct rem_state *sched_rem(struct sched *s)
{
    return s->rem;
}

struct sg_state *sched_sg(struct sched *s)
{
    return s ? s->sg : NULL;
}

struct review_sched *sched_review(struct sched *s)
{
    return s ? s->review : NULL;
}

int sched_tick(struct sched *s, int64_t now)
{
    daily_tick(s->app, s->daily, now);
    pairing_tick(s->app, s->pairing, now);
    rem_tick(s->app, s->rem, now);
    asm_post_tick(s->app, s->asm_post, now);
    review_tick(s->app, s->review, now);
    sg_tick(s->app, s->sg, now);
    if (now >= s->nudge_at) {
        nudge_run(s->app, now, NULL);
        s->nudge_at = now + NUDGE_EVERY_S;
    }
    if (now >= s->prune_at && s->app->store && s->app->cfg) {
        /* finished ledger rows older than the retention period: their keys' moments
         * are long past, so no schedule asks about them again */
        int64_t before = now - (int64_t)s->app->cfg->ledger_retention_days * 86400;
        int n = store_delivery_prune(s->app->store, before, 5000);
        if (n > 0)
            log_info("sched", "pruned %d delivery ledger rows older than %d days", n,
                     s->app->cfg->ledger_retention_days);
        s->prune_at = now + (n == 5000 ? 60 : 6 * 3600); /* in bounded batches */
    }
    return 1;
}
