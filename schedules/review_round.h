/* review_round.h - a project kind's review round around the pure assignment
 * (review_assign.h): collecting its inputs from the store into JSON (submissions,
 * learners who submitted as reviewers with capacity 2, active mentors with their
 * mentoring capacity, the earlier kinds' reviews), solving, storing inputs, seed and
 * result with the reviews in one transaction, and re-running a stored round from its
 * stored inputs to check the result is identical. Loop thread (store); the CLI runs
 * the re-run on its own connection. */
#ifndef COHORT_REVIEW_ROUND_H
#define COHORT_REVIEW_ROUND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/buf.h"
#include "bot/err.h"
#include "bot/store.h"
#include "schedules/cohort.h"

struct curriculum;

#define REVIEW_PER_SUB 2

/* Seed of a round: FNV-1a 64 of "<guild>/review/<kind>". */
uint64_t review_seed(const char *guild_id, int kind);

/* Inputs JSON: {"kind","seed" (hex),"per_sub","authors":[{"id","sub"}],
 *  "reviewers":[{"id","mentor","capacity"}],"history":[{"reviewer","author","kind"}]}.
 * New reference in *out. 0 or BOT_E*. */
int review_collect(struct store *st, const struct cohort *co, int kind, int64_t now, json_t **out);
/* Solves inputs (borrowed) into a result JSON {"kind","empty","mentor_slots",
 * "repeats","pair_repeats","picks":[{"author","reviewer","mentor","repeat"}]}
 * (new reference). 0, BOT_EINVAL (malformed inputs, with err) or BOT_ENOMEM. */
int review_solve(json_t *inputs, json_t **result, char err[BOT_ERR_LEN]);

struct review_run {
    int64_t round_id;
    int subs, reviews, empty, mentor_slots, repeats, pair_repeats;
};
/* A round in two steps around review_solve, which may run on another thread (it is
 * pure: the inputs are its own). review_prepare collects the inputs of the cohort's
 * round of `kind` (new reference in *inputs): BOT_EBUSY when it ran already,
 * BOT_ENOTFOUND when nobody submitted. review_commit stores inputs, seed and result
 * with the reviews (due at deadline) in one transaction and fills *out: BOT_EBUSY
 * when a round of that kind was stored meanwhile. Loop thread (store). */
int review_prepare(struct store *st, const struct cohort *co, int kind, int64_t now,
                   json_t **inputs);
int review_commit(struct store *st, const struct cohort *co, int kind, int64_t now,
                  int64_t deadline, bool manual, json_t *inputs, json_t *result,
                  struct review_run *out);
/* Re-runs stored round `round_id`; *same = the result JSON equals the stored one.
 * text (may be NULL) gets "author,reviewer,mentor,repeat" CSV lines of the re-run. */
int review_rerun(struct store *st, int64_t round_id, bool *same, struct buf *text,
                 char err[BOT_ERR_LEN]);

#endif
