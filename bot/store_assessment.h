/* store_assessment.h - the store's assessment queries (bot/store_assessment.c, part of
 * the store module): attempts (one open per learner and assessment, enforced by a
 * unique index), every answer as its own row (one per position, so a double click
 * cannot record twice), the closing of an attempt, the organisers' statistics and
 * the practical-component submissions. Loop thread only. Each write runs in its own
 * transaction unless one is open (the group commit's): either way it is committed
 * before the reply that acknowledges it leaves. Strings passed in are borrowed. */
#ifndef COHORT_STORE_ASSESSMENT_H
#define COHORT_STORE_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/store.h"
#include "config/assessment.h"

struct store_attempt {
    int64_t id, cohort_id;
    char user_id[24];
    int week, attempt_no;
    uint64_t seed;
    char plan[ASM_PLAN_MAX]; /* question ids in the order asked, space-separated */
    int n_questions, pass_percent;
    char bank_hash[17];
    int64_t started_at, deadline, finished_at; /* finished_at 0 while open */
    int state;                                 /* enum asm_state */
    int score;                                 /* correct answers (when closed) */
    bool passed;
};

struct store_answer {
    int pos;
    char question_id[ASM_ID_MAX + 1];
    int choice; /* original (bank) choice index */
    bool correct;
    int64_t answered_at;
};

/* Inserts a new open attempt (a->id set; attempt_no = 1 + the learner's earlier
 * attempts of that week). BOT_EBUSY when one is already open (nothing written). */
int store_asm_create(struct store *s, struct store_attempt *a);
/* 0 or BOT_ENOTFOUND. */
int store_asm_get(struct store *s, int64_t id, struct store_attempt *out);
/* The learner's attempts of one week (week > 0) or of all weeks, oldest first.
 * *out malloc'd (caller frees; NULL when none). */
int store_asm_list(struct store *s, int64_t cohort_id, const char *user_id, int week,
                   struct store_attempt **out, size_t *n);
/* Answers of an attempt by position. *out malloc'd (caller frees). */
int store_asm_answers(struct store *s, int64_t attempt_id, struct store_answer **out, size_t *n);
/* Records the answer at pos (which must be the next one). BOT_EBUSY when pos is
 * already answered, BOT_EINVAL when the attempt is not open or pos is not next. */
int store_asm_answer(struct store *s, int64_t attempt_id, const struct store_answer *ans);
/* Closes an open attempt: state (DONE/EXPIRED/VOID), score = its correct answers,
 * passed. BOT_EINVAL when it was not open. */
int store_asm_close(struct store *s, int64_t attempt_id, int state, bool passed, int64_t at);
/* Open attempts of a cohort whose deadline is <= now (ids; *out malloc'd). */
int store_asm_overdue(struct store *s, int64_t cohort_id, int64_t now, int64_t **out, size_t *n);

/* ---- statistics for /cohort report ---- */
struct store_asm_summary {
    int attempts, passed, learners;
    int *percents; /* score percent of each closed attempt, malloc'd (caller frees) */
};
/* Closed (done or expired) attempts of one week. */
int store_asm_summary(struct store *s, int64_t cohort_id, int week, struct store_asm_summary *out);
/* (question, choice) -> how often it was picked in closed attempts of one week; fn is
 * called per pair, ordered by question id then choice. */
int store_asm_choice_counts(struct store *s, int64_t cohort_id, int week,
                            int (*fn)(void *arg, const char *qid, int choice, bool correct,
                                      int count),
                            void *arg);

/* ---- practical component ---- */
enum asm_practical_status { ASM_PR_PENDING = 0, ASM_PR_PASSED = 1, ASM_PR_NOT_PASSED = 2 };
struct store_practical {
    char user_id[24];
    int week;
    char link[1024], note[1024];
    int64_t submitted_at;
    int status;
    char marked_by[24];
    int64_t marked_at;
    char comment[1024];
};
/* Submitting (again) replaces link and note and makes it pending. */
int store_practical_submit(struct store *s, int64_t cohort_id, const struct store_practical *p);
/* BOT_ENOTFOUND when nothing was submitted. */
int store_practical_mark(struct store *s, int64_t cohort_id, const char *user_id, int week,
                         bool passed, const char *by, const char *comment, int64_t now);
int store_practical_get(struct store *s, int64_t cohort_id, const char *user_id, int week,
                        struct store_practical *out);
/* One learner's (user_id) or everybody's (NULL) submissions; week 0 = all weeks;
 * pending_only filters. Ordered by week, submitted_at. *out malloc'd. */
int store_practical_list(struct store *s, int64_t cohort_id, const char *user_id, int week,
                         bool pending_only, struct store_practical **out, size_t *n);

#endif
