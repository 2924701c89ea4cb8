/* store_project.h - the store's project queries (bot/store_project.c, part of the
 * store module): checklist items marked done, one submission per learner and kind,
 * review rounds (inputs, seed and result kept for re-runs), reviews and the level
 * picked per criterion (one row each, so a pick is committed as it is made). Loop
 * thread only (the CLI reads rounds from its own connection). Each write runs in its
 * own transaction unless one is open. Strings passed in are borrowed. */
#ifndef COHORT_STORE_PROJECT_H
#define COHORT_STORE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/store.h"

#define PROJ_LINK_MAX 1000
#define PROJ_NOTES_MAX 500
#define PROJ_FEEDBACK_MAX 2000
#define PROJ_MAX_CRITERIA 16

enum review_state { REVIEW_OPEN = 0, REVIEW_DONE = 1, REVIEW_REASSIGNED = 2 };

struct store_proj_item {
    int block, item;
    char link[PROJ_LINK_MAX + 1];
    int64_t done_at;
};

struct store_proj_sub {
    int64_t id, cohort_id;
    char user_id[24];
    int kind; /* enum rev_kind */
    char link[PROJ_LINK_MAX + 1];
    char notes[PROJ_NOTES_MAX + 1];
    int64_t submitted_at;
    bool flagged;
};

struct store_rev_round {
    int64_t id, cohort_id;
    int kind;
    uint64_t seed;
    int64_t run_at, deadline;
    bool manual;
};

struct store_review {
    int64_t id, round_id, sub_id;
    char reviewer_id[24];
    char author_id[24]; /* from the submission */
    int kind;           /* from the round */
    int64_t cohort_id;  /* from the round */
    bool mentor, deciding;
    int state; /* enum review_state */
    char feedback[PROJ_FEEDBACK_MAX + 1];
    int64_t assigned_at, deadline, done_at;
    bool reminded;
    int levels[PROJ_MAX_CRITERIA]; /* 0 = not picked yet */
};

/* ---- checklists ---- */
/* Marks an item done (again: updates the link). *again = it was done before. */
int store_proj_item_done(struct store *s, int64_t cohort_id, const char *user_id, int block,
                         int item, const char *link, int64_t now, bool *again);
/* The learner's done items of one block (block > 0) or all. *out malloc'd. */
int store_proj_items(struct store *s, int64_t cohort_id, const char *user_id, int block,
                     struct store_proj_item **out, size_t *n);

/* ---- submissions ---- */
/* Inserts or replaces the learner's submission of a kind; BOT_EBUSY when that kind's
 * review round already ran (nothing written). *replaced = there was one. sub->id set. */
int store_proj_submit(struct store *s, struct store_proj_sub *sub, bool *replaced);
int store_proj_sub_get(struct store *s, int64_t cohort_id, const char *user_id, int kind,
                       struct store_proj_sub *out);
int store_proj_sub_by_id(struct store *s, int64_t id, struct store_proj_sub *out);
/* A kind's submissions (user id order). *out malloc'd. */
int store_proj_subs(struct store *s, int64_t cohort_id, int kind, struct store_proj_sub **out,
                    size_t *n);
int store_proj_flag(struct store *s, int64_t sub_id, bool flagged);

/* ---- rounds ---- */
struct store_new_review {
    int64_t sub_id;
    const char *reviewer_id;
    bool mentor;
};
/* Inserts the round and its reviews in one transaction (r->id set). BOT_EBUSY when
 * the cohort's round of that kind exists (nothing written). */
int store_rev_round_insert(struct store *s, struct store_rev_round *r, const char *inputs,
                           const char *result, const struct store_new_review *revs, size_t n);
int store_rev_round_get(struct store *s, int64_t cohort_id, int kind, struct store_rev_round *out);
int store_rev_round_by_id(struct store *s, int64_t id, struct store_rev_round *out);
/* The stored JSON texts (malloc'd, caller frees). */
int store_rev_round_json(struct store *s, int64_t id, char **inputs, char **result);
/* Every earlier review (reviewer, author, kind) of the cohort's other kinds, as
 * parallel malloc'd arrays of 24-byte ids. */
struct store_rev_hist {
    char reviewer[24], author[24];
    int kind;
};
int store_rev_history(struct store *s, int64_t cohort_id, int except_kind,
                      struct store_rev_hist **out, size_t *n);

/* ---- reviews ---- */
int store_review_get(struct store *s, int64_t id, struct store_review *out);
/* Reviews of a submission (id order) / of a round (id order) / open ones of a
 * cohort. *out malloc'd. */
int store_reviews_of_sub(struct store *s, int64_t sub_id, struct store_review **out, size_t *n);
int store_reviews_of_round(struct store *s, int64_t round_id, struct store_review **out, size_t *n);
int store_reviews_of_reviewer(struct store *s, int64_t cohort_id, const char *reviewer_id,
                              struct store_review **out, size_t *n);
/* Adds one review (reassignment, deciding review). BOT_EBUSY when that reviewer
 * already has one on the submission. *id set. */
int store_review_add(struct store *s, int64_t round_id, int64_t sub_id, const char *reviewer_id,
                     bool mentor, bool deciding, int64_t now, int64_t deadline, int64_t *id);
/* Records a level / the feedback of an open review; BOT_EINVAL when it is not open. */
int store_review_level(struct store *s, int64_t id, int criterion, int level);
int store_review_feedback(struct store *s, int64_t id, const char *text);
/* Marks an open review done when it has n_criteria levels and feedback: 0 and
 * *done, or 0 and !*done when something is still missing. */
int store_review_finish(struct store *s, int64_t id, int n_criteria, int64_t now, bool *done);
int store_review_set_state(struct store *s, int64_t id, int state);
int store_review_reminded(struct store *s, int64_t id);

/* The curriculum slug of a cohort (reviews clicked in DMs carry no guild). */
int store_proj_cohort_curriculum(struct store *s, int64_t cohort_id, char *out, size_t outlen);

#endif
