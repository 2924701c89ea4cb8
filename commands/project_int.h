/* project_int.h - what the project command files share (commands/project*.c): the
 * guild's cohort and curriculum, the current checklist block, and the review
 * components (rvs: select, rvf: button, rvm: modal), every one checked against the
 * clicking user and guild before anything is written. Loop thread only. */
#ifndef COHORT_PROJECT_INT_H
#define COHORT_PROJECT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "commands/registry.h"
#include "schedules/cohort.h"

struct curriculum;

struct proj_ctx {
    struct cohort cohort;
    const struct curriculum *cur; /* borrowed from app->curricula */
    int week;                     /* the cohort's current week (clamped to 1..n_weeks) */
};

/* The interaction's guild cohort and curriculum. 0, or BOT_E* with a message for the
 * member in why. */
int proj_ctx_load(struct cmd_ctx *c, struct proj_ctx *x, char *why, size_t whylen);

/* /project status, assign and decide (commands/project_review.c). */
int proj_status_run(struct cmd_ctx *c, const struct proj_ctx *x);
int proj_assign_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x);
int proj_decide_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x);
/* The review components. */
int proj_select_click(struct cmd_ctx *c, const struct cmd_args *a);
int proj_feedback_click(struct cmd_ctx *c, const struct cmd_args *a);
int proj_feedback_submit(struct cmd_ctx *c, const struct cmd_args *a);
int proj_open_click(struct cmd_ctx *c, const struct cmd_args *a);

#endif
