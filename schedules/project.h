/* project.h - the curriculum's projects as the bot uses them: the three reviewed
 * kinds (mid-term and final from `evaluations`, the capstone), their scales
 * (weighted criteria or the capstone rubric), submission windows in the cohort's zone,
 * and the two-week checklist blocks (weeks sharing one project list). Pure over a
 * loaded curriculum and a cohort; any thread; returned pointers borrow from cur. */
#ifndef COHORT_PROJECT_H
#define COHORT_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schedules/cohort.h"
#include "schedules/review_score.h"

struct curriculum;
struct cur_week;

#define PROJ_KINDS 3

/* "midterm", "final", "capstone" (option values) and "Mid-term project", … */
const char *proj_kind_slug(int kind);
const char *proj_kind_title(int kind);
/* -1 for an unknown slug. */
int proj_kind_of(const char *slug);
/* The kind's week in cur, 0 when the curriculum does not have it. */
int proj_kind_week(const struct curriculum *cur, int kind);
/* The project's name ("End-to-end data pipeline", capstone build), or NULL. */
const char *proj_kind_project(const struct curriculum *cur, int kind);

/* Scale of a kind: BOT_ENOTFOUND when the curriculum lacks it. */
int proj_scale(const struct curriculum *cur, int kind, struct rev_scale *out);
/* Criterion i's name, and the name of `level` (1-4) on it ("Good architecture" for
 * the capstone rubric, "3 - good" for weighted criteria) into out. */
const char *proj_criterion(const struct curriculum *cur, int kind, size_t i);
void proj_level_name(const struct curriculum *cur, int kind, size_t i, int level, char *out,
                     size_t outlen);

/* Window: opens at the local midnight starting the kind's week, closes at the local
 * midnight ending it plus close_days days. 0, BOT_ENOTFOUND, BOT_EINVAL. */
int proj_window(const struct cohort *co, const struct curriculum *cur, int kind, int close_days,
                int64_t *opens, int64_t *closes);

/* Checklist blocks: consecutive weeks with the same project list form one block,
 * numbered from 1. The block of `week` (0 when the week has no projects), and its
 * first week (to read the list from). */
int proj_block_of_week(const struct curriculum *cur, int week, const struct cur_week **first);
int proj_block_count(const struct curriculum *cur);
/* Block b's first week (NULL when out of range) and its weeks' range. */
const struct cur_week *proj_block(const struct curriculum *cur, int block, int *first_week,
                                  int *last_week);

#endif
