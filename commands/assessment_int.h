/* assessment_int.h - what the assessment command files share (commands/assessment*.c):
 * the guild's cohort + curriculum + rules, loading an attempt with its bank, closing
 * it, and showing it (next question or result). Loop thread only. The
 * custom_ids: asm:<attempt>:<pos>:<display choice> (answer buttons of the ephemeral
 * question message) and asmgo:<cohort>:<week> (the week channel's Start button);
 * both are checked against the clicking user and guild before anything happens. */
#ifndef COHORT_ASSESSMENT_INT_H
#define COHORT_ASSESSMENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/store_assessment.h"
#include "commands/registry.h"
#include "config/assessment.h"
#include "schedules/assessment.h"
#include "schedules/cohort.h"

struct curriculum;

struct asm_ctx {
    struct cohort cohort;
    const struct curriculum *cur; /* borrowed from app->curricula */
    struct asm_rules rules;
};

/* The interaction's guild cohort and curriculum. 0, or BOT_ENOTFOUND with a message
 * for the member in why. */
int asm_ctx_load(struct cmd_ctx *c, struct asm_ctx *x, char *why, size_t whylen);
void asm_rules_of(const struct cmd_ctx *c, struct asm_rules *r);

/* An attempt with its bank, its questions as bank indexes and its answers. */
struct asm_live {
    struct store_attempt a;
    const struct asm_bank *bank;
    int qidx[ASM_MAX_QUESTIONS]; /* -1 where the bank no longer has the question */
    struct store_answer *ans;    /* malloc'd */
    size_t nans;
    int score; /* correct answers so far */
};
/* Loads answers and maps the plan onto the bank. 0, BOT_ENOTFOUND (no bank) or BOT_EIO. */
int asm_live_load(struct cmd_ctx *c, const struct asm_ctx *x, int64_t attempt_id,
                  struct asm_live *l);
void asm_live_free(struct asm_live *l);
/* The question at pos, or NULL (out of range, or no longer in the bank). */
const struct asm_question *asm_live_q(const struct asm_live *l, int pos);
/* Closes an open attempt (DONE at now, or EXPIRED at its deadline) and reloads it. */
int asm_live_close(struct cmd_ctx *c, struct asm_live *l, int state);

/* What the last click did, shown above the next question or the result. */
struct asm_feedback {
    int pos;    /* the question answered (0-based) */
    int picked; /* display letter picked */
    bool right;
};
/* Fills c->reply: the next question, or the result when the attempt is closed.
 * note (may be NULL) goes into the content. */
int asm_show(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_live *l,
             const struct asm_feedback *fb, const char *note);

/* /assessment start [week] and the Start button: gate, create or resume, show. */
int asm_begin(struct cmd_ctx *c, struct asm_ctx *x, int week);
/* The answer buttons and the Start button. */
int asm_answer_click(struct cmd_ctx *c, const struct cmd_args *a);
int asm_start_click(struct cmd_ctx *c, const struct cmd_args *a);

/* /assessment practical submit|mark|list (commands/assessment_practical.c). */
int asm_practical_run(struct cmd_ctx *c, const struct cmd_args *a);
/* The learner's practical status for week as text into out ("" when nothing). */
void asm_practical_line(struct cmd_ctx *c, const struct asm_ctx *x, const char *user_id, int week,
                        char *out, size_t outlen);

#endif
