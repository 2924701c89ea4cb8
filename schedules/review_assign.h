/* review_assign.h - who reviews which project submission: a pure function of the
 * submissions of one kind, the possible reviewers (the learners who submitted that
 * kind, then the cohort's mentors), the earlier kinds' reviews and a seed, solved
 * exactly with the pairing engine's min-cost flow (schedules/pairing_flow.h).
 * Any thread; no I/O, SQL or Discord. Every pointer in the input is borrowed; the
 * result owns its array, whose indexes refer to the input.
 *
 * Rules: each submission gets `per_sub` reviewers (2), never its author, each
 * reviewer at most their capacity (learners 2). Objective, lexicographic:
 *   1. fewest review slots left empty (only when nobody is left to take one);
 *   2. fewest slots given to mentors (mentors are the third reviewers: they fill in
 *      only when the learners cannot cover a submission);
 *   3. fewest repeats: a reviewer reviewing an author they reviewed for an earlier
 *      kind (so no reviewer pair meets the same author twice whenever that can be
 *      avoided at all);
 *   then, keeping 1-3 exactly as they are, reviewer pairs that already reviewed the
 *   same author together are broken up by swapping reviewers between submissions
 *   while that lowers their number. The seed only breaks ties; the result does not
 *   depend on the order of the input arrays. */
#ifndef COHORT_REVIEW_ASSIGN_H
#define COHORT_REVIEW_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"

#define RA_MAX_SUBS 1000
#define RA_MAX_REVIEWERS 1200
#define RA_MAX_HISTORY 100000
#define RA_ID_MAX 64
#define RA_MAX_PER_SUB 4
#define RA_MAX_CAPACITY 20
#define RA_LEARNER_CAPACITY 2

#define RA_COST_REPEAT 1000LL            /* > any tie-breaking */
#define RA_COST_MENTOR 1000000000LL      /* > all repeats of any assignment */
#define RA_COST_EMPTY 1000000000000000LL /* > all mentor slots of any assignment */

struct ra_reviewer {
    const char *id; /* unique among reviewers, 1..RA_ID_MAX bytes */
    bool mentor;
    int capacity; /* 0..RA_MAX_CAPACITY */
};

struct ra_history { /* one earlier review of another kind */
    const char *reviewer, *author;
    int kind; /* any integer naming the earlier kind; pairs are per (author, kind) */
};

struct ra_input {
    const char *const *authors; /* one submission per author, unique ids */
    size_t n_subs;
    const struct ra_reviewer *reviewers;
    size_t n_reviewers;
    const struct ra_history *history;
    size_t n_history;
    int per_sub; /* reviewers wanted per submission, 1..RA_MAX_PER_SUB */
    uint64_t seed;
};

struct ra_pick {
    size_t sub, reviewer; /* indexes into the input */
    bool repeat;          /* the reviewer reviewed this author before */
};

struct ra_result {
    struct ra_pick *picks; /* owned; sorted by author id, then reviewer id */
    size_t n_picks;
    size_t empty;        /* slots nobody could take */
    size_t mentor_slots; /* picks given to mentors */
    size_t repeats;      /* picks with repeat set */
    size_t pair_repeats; /* reviewer pairs on a submission that reviewed its author
                            together for an earlier kind */
    int swaps;           /* pair-breaking swaps made */
};

/* 0, BOT_EINVAL with err (may be NULL) for malformed input (empty or duplicate ids,
 * counts out of range), BOT_ENOMEM. On error *out is empty. */
int ra_assign(const struct ra_input *in, struct ra_result *out, char *err, size_t errlen);
void ra_result_free(struct ra_result *r); /* NULL and empty results are fine */

/* The figures of any assignment (for tests and re-runs): fills empty, mentor_slots,
 * repeats and pair_repeats of *r from r->picks. */
void ra_measure(const struct ra_input *in, struct ra_result *r);

#endif
