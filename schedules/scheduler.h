/* scheduler.h - the timers of the domain: daily prompts, calendar reminders and
 * pairing rounds. The loop (Discord or console) calls sched_tick at least once a
 * second; each tick recomputes what is due from the wall clock, so a suspended or
 * restarted process catches up instead of drifting. Loop thread only. */
#ifndef COHORT_SCHEDULER_H
#define COHORT_SCHEDULER_H

#include <stdint.h>

struct app;
struct sched;

struct sched *sched_new(struct app *app);
void sched_free(struct sched *s);
/* Runs everything due at now (UTC seconds). Returns seconds until the next thing is
 * due (1..60). */
int sched_tick(struct sched *s, int64_t now);

/* The daily-prompt state (for /cohort status). Borrowed. */
struct daily_state *sched_daily(struct sched *s);
/* The calendar-reminder state (for /calendar and /schedule). Borrowed. */
struct rem_state *sched_rem(struct sched *s);
/* The study-group state (sessions_sync.h). Borrowed; NULL when s is NULL. */
struct sg_state *sched_sg(struct sched *s);
/* The review rounds' state (review_flow.h). Borrowed; NULL when s is NULL. */
struct review_sched *sched_review(struct sched *s);

#endif
