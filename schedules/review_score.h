/* review_score.h - the arithmetic of project reviews: per-criterion means of the
 * reviewers' 1-4 levels, the weighted 0-100 score (mid-term and final projects), the
 * capstone's points of 20 with its pass and excellence marks, and the 2-point spread
 * flag. Pure and exact (integers only; no floating point decides a threshold). Any
 * thread, no I/O, no globals; nothing crossing this header is retained.
 *
 * Formulas, with n reviewers, s_i = the sum of their levels on criterion i (each 1-4),
 * m_i = s_i / n (the mean level) and w_i the criterion's weight in percent (sum 100):
 *   weighted score (0-100) = sum_i w_i * (m_i - 1) / 3
 *       (level 1 = 0, 2 = 33.3, 3 = 66.7, 4 = 100 on every criterion);
 *   capstone points (of 20) = sum_i w_i * m_i / 20
 *       (the weighted mean level times 5: all 4s = 20, all 1s = 5);
 *   capstone pass when points >= points_pass (12), excellent when >= points_excellent
 *       (18), compared exactly as sum_i w_i * s_i >= 20 * n * mark;
 *   flagged when on some criterion max level - min level >= 2; a flagged submission's
 *   result is the deciding (mentor or admin) review's levels alone.
 * Shown figures are rounded down to a tenth, so 11.99 points shows 11.9, not 12.0. */
#ifndef COHORT_REVIEW_SCORE_H
#define COHORT_REVIEW_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/err.h"

#define REV_MAX_CRITERIA 16
#define REV_MAX_REVIEWERS 8
#define REV_LEVEL_MIN 1
#define REV_LEVEL_MAX 4
#define REV_SPREAD_FLAG 2

enum rev_kind { REV_MIDTERM = 0, REV_FINAL = 1, REV_CAPSTONE = 2 };

struct rev_scale {
    enum rev_kind kind;
    size_t n_criteria;                 /* 1..REV_MAX_CRITERIA */
    int weight[REV_MAX_CRITERIA];      /* percent, sum 100 */
    int points_pass, points_excellent; /* capstone only, e.g. 12 and 18 (of 20) */
};

struct rev_result {
    int n_reviews;                /* reviews that counted */
    int sum[REV_MAX_CRITERIA];    /* s_i */
    int mean10[REV_MAX_CRITERIA]; /* m_i in tenths, rounded down */
    int spread[REV_MAX_CRITERIA]; /* max - min level */
    bool flagged;                 /* some spread >= REV_SPREAD_FLAG */
    int64_t num;                  /* sum_i w_i * s_i, exact */
    int score10;                  /* mid-term/final: 0..1000 (tenths of the 0-100 score) */
    int points10;                 /* capstone: 50..200 (tenths of points of 20) */
    bool passed, excellent;       /* capstone */
};

/* levels[r * n_criteria + i] is reviewer r's level on criterion i. Fills *out.
 * BOT_EINVAL for a bad scale (weights not summing to 100, counts out of range), no
 * reviews, or a level outside 1-4. */
int rev_score(const struct rev_scale *sc, const int *levels, size_t n_reviews,
              struct rev_result *out);
/* The spread flag alone (same layout). */
bool rev_flagged(size_t n_criteria, const int *levels, size_t n_reviews);

#endif
