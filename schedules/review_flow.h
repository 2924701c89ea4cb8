/* review_flow.h - project peer review over time: when a kind's submissions close the
 * round runs (review_round.h); every review is sent to its reviewer once (a DM with
 * the submission link, one select menu per criterion and a Write feedback button;
 * a mention in the review channel when DMs are closed), a reminder 48 h before the
 * review deadline, reassignment to a mentor at the deadline, a deciding review by a
 * mentor when reviewers disagree by 2+ levels on a criterion, and the result to the
 * author once every review is in. Every message goes through the delivery ledger
 * (stable keys below, nonce on retry). Loop thread. Keys:
 *   review/<guild>/<review id>, review/<guild>/<review id>/remind,
 *   review/<guild>/result/<submission id>, review/<guild>/flag/<submission id>. */
#ifndef COHORT_REVIEW_FLOW_H
#define COHORT_REVIEW_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "bot/err.h"
#include "bot/message.h"
#include "bot/store_project.h"
#include "schedules/cohort.h"

struct app;
struct curriculum;

#define REVIEW_REMIND_S (48 * 3600) /* before the review deadline */
#define REVIEW_FEEDBACK_MIN 50      /* characters */

/* ---- messages (pure builders, schedules/review_msg.c) ----
 * custom_ids: rvs:<review id>:<criterion> (select, values "1"-"4"),
 * rvf:<review id> (Write feedback button), rvm:<review id> (its modal, input
 * "feedback"). At most 4 selects fit beside the button row: criteria not picked yet
 * come first. note (may be NULL) goes first in the content. */
int review_msg_task(const struct curriculum *cur, const struct store_review *r,
                    const struct store_proj_sub *sub, const char *note, struct message *m);
int review_msg_reminder(const struct curriculum *cur, const struct store_review *r,
                        struct message *m);
/* The result for the author: reviews rv[0..n) counted (done, not reassigned). */
int review_msg_result(const struct curriculum *cur, const struct store_proj_sub *sub,
                      const struct store_review *rv, size_t n, struct message *m);
/* The text of a result's figures ("weighted score 60.8/100" or "12.5/20 points,
 * passed") into out from done reviews rv[0..n); false when there are none. When a done
 * deciding review exists, it alone counts. *flagged = the spread rule fired. */
bool review_figures(const struct curriculum *cur, int kind, const struct store_review *rv, size_t n,
                    bool *flagged, char *out, size_t outlen);

/* ---- the scheduler step ---- */
struct review_sched;
struct review_sched *review_new(void);
void review_free(struct review_sched *rs);
void review_tick(struct app *app, struct review_sched *rs, int64_t now);
/* The cohort's review channel: a channel named "reviews", else the mentors channel
 * logic (pairing_mentors_channel). NULL when none. */
const char *review_channel(struct app *app, const struct cohort *co, char *buf, size_t buflen);
/* Starts the round of `kind` now (an admin's /project assign, or the close). The inputs
 * are collected here; the assignment is solved on a thread of its own (a round of
 * 1,000 submissions takes ~130 ms, too long for the loop) and stored from a later
 * review_tick on the loop thread, which then calls done (may be NULL) once: rc 0 with
 * the figures, or BOT_EBUSY (a round was stored meanwhile) / BOT_E* with err. With rs
 * NULL or in the console (nothing else to serve) it is solved in place and done runs
 * before this returns. When the bot stops first, review_free calls done with stopping
 * true: release arg and answer nobody (the chat may be gone). Returns 0 (started),
 * BOT_EBUSY (ran already or solving), BOT_ENOTFOUND (no submissions) or BOT_E*; done
 * is not called unless 0. */
struct review_run;
typedef void (*review_done_fn)(void *arg, int rc, const struct review_run *run, const char *err,
                               bool stopping);
int review_start(struct app *app, struct review_sched *rs, const struct cohort *co, int kind,
                 int64_t now, bool manual, review_done_fn done, void *arg);

#endif
