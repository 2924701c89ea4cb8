/* scheduler.c - runs the domain's timers from the wall clock (see scheduler.h): each
 * tick asks every schedule what is due now, so a suspended or restarted process
 * catches up instead of drifting. */
#include "schedules/scheduler.h"
#include "bot/app.h"
#include "schedules/daily.h"
#include "schedules/pairing_round.h"

#include <stdlib.h>

struct sched {
    struct app *app;
    struct daily_state *daily;
    struct pairing_state *pairing;
};

struct sched *sched_new(struct app *app)
{
    struct sched *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->app = app;
    s->daily = daily_new();
    s->pairing = pairing_new();
    if (!s->daily || !s->pairing)
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
    free(s);
}

struct daily_state *sched_daily(struct sched *s)
{
    return s->daily;
}

int sched_tick(struct sched *s, int64_t now)
{
    daily_tick(s->app, s->daily, now);
    pairing_tick(s->app, s->pairing, now);
    return 1;
}
