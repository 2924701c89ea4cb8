/* schedules/assessment.h - the rules of taking an assessment, as pure functions of
 * their inputs (and `now`): the per-attempt shuffle from a stored seed, scoring and
 * the pass mark, the time limit, the retake rules, when an assessment opens and the
 * review advice by curriculum days. No I/O, no clock; any thread. Also the Start
 * assessment post of the week channel (asm_post_tick, loop thread, in
 * assessment_post.c). */
#ifndef COHORT_SCHED_ASSESSMENT_H
#define COHORT_SCHED_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/assessment.h"

struct curriculum;
struct cohort;

/* A fresh random seed (getrandom; falls back to the clock). Not pure. */
uint64_t asm_seed_new(void);
/* perm[0..n) = a permutation of 0..n-1 drawn from seed (Fisher-Yates, splitmix64). */
void asm_shuffle(uint64_t seed, int *perm, int n);
/* The question order of an attempt: bank indexes. */
void asm_question_order(uint64_t seed, size_t n, int *perm);
/* Display position -> original choice index for question `qid` of an attempt. */
void asm_choice_order(uint64_t seed, const char *qid, int n_choices, int *perm);

/* Passed when score / total >= pass_percent / 100, exactly (integer arithmetic:
 * 20 of 25 at 80% passes, 19 does not). */
bool asm_passed(int score, int total, int pass_percent);
/* Whole percent, rounded down (what learners see: 19/25 = 76%). */
int asm_percent(int score, int total);

struct asm_rules {
    int max_attempts;    /* per learner and assessment (config, default 3) */
    int64_t retake_wait; /* seconds after a failed attempt ended (default 24 h) */
    int64_t time_limit;  /* seconds per attempt (default 60 min) */
};

enum asm_state { ASM_OPEN = 0, ASM_DONE = 1, ASM_EXPIRED = 2, ASM_VOID = 3 };

struct asm_prev { /* an earlier attempt of the same learner and assessment */
    enum asm_state state;
    bool passed;
    int64_t started_at, finished_at;
};

enum asm_gate {
    ASM_GATE_START = 0, /* a new attempt may start */
    ASM_GATE_RESUME,    /* an attempt is open and within its time: continue it */
    ASM_GATE_EXPIRE,    /* an attempt is open but past its time: close it first */
    ASM_GATE_NOT_OPEN,  /* before opens_at */
    ASM_GATE_PASSED,    /* already passed */
    ASM_GATE_NO_MORE,   /* max_attempts used */
    ASM_GATE_WAIT,      /* retake not yet: *when says from when */
};

/* What a learner may do now, given their earlier attempts (any order; void ones do
 * not count). *when: opens_at for NOT_OPEN, the retake time for WAIT, the deadline of
 * the open attempt for RESUME/EXPIRE. */
enum asm_gate asm_gate(const struct asm_rules *r, const struct asm_prev *prev, size_t n,
                       int64_t opens_at, int64_t now, int64_t *when);
/* The end of an attempt's time. */
int64_t asm_deadline(const struct asm_rules *r, int64_t started_at);

/* When the week's assessment opens: the start (local midnight) of the week's last day
 * in the cohort's zone. 0 or BOT_EINVAL / BOT_ENOTFOUND. */
int asm_opens_at(const struct cohort *c, const struct curriculum *cur, int week, int64_t *out);

/* Review advice: the missed questions grouped by the curriculum block of their first
 * day ("Day 22-23"), most missed first (then by day). */
struct asm_review {
    int first_day, last_day; /* the block */
    int missed, total;       /* questions of this block in the attempt */
    const char *topic;       /* the block's topic (borrowed from cur), may be NULL */
};
/* qidx[i] = bank index of the attempt's i-th question, right[i] = answered right.
 * Writes at most max groups that have a miss; returns how many there are. */
size_t asm_review(const struct asm_bank *b, const struct curriculum *cur, const int *qidx,
                  const bool *right, size_t n, struct asm_review *out, size_t max);

/* ---- the Start assessment post (assessment_post.c, loop thread) ---- */
struct app;
struct message;
struct asm_post_state;
struct asm_post_state *asm_post_new(void);
void asm_post_free(struct asm_post_state *s); /* NULL is a no-op */
/* Posts every assessment whose week's last day has started (ledger, catch-up window). */
void asm_post_tick(struct app *app, struct asm_post_state *st, int64_t now);
/* The post: an embed and the Start assessment button (asmgo:<cohort>:<week>). */
int asm_post_message(const struct cohort *c, const struct curriculum *cur, int week,
                     const struct asm_rules *rules, struct message *m);

#endif
