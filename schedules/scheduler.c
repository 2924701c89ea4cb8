/* scheduler.c - runs the domain's timers from the wall clock (see scheduler.h). */
#include "schedules/scheduler.h"
#include "bot/app.h"

#include <stdlib.h>

struct sched {
    struct app *app;
    int64_t last_tick;
};

struct sched *sched_new(struct app *app)
{
    struct sched *s = calloc(1, sizeof(*s));
    if (s)
        s->app = app;
    return s;
}

void sched_free(struct sched *s)
{
    free(s);
}

int sched_tick(struct sched *s, int64_t now)
{
    s->last_tick = now;
    return 1;
}
