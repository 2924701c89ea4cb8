/* ckcore.h - what the check-in commands share (/checkin, the Check in button, /streak,
 * /progress, /leaderboard, /timezone, /privacy, /mydata, /cohort report, nudges):
 * the learner's context (cohort, settings, zone, today), their statistics, and the
 * one place that asks the curriculum for day count, weeks, topics, assessments and
 * the hours target. Loop thread only. Strings returned point into the argument
 * structs or static storage (stated per function). */
#ifndef COHORT_CKCORE_H
#define COHORT_CKCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/store_checkin.h"
#include "commands/registry.h"
#include "schedules/cohort.h"
#include "schedules/streak.h"

#define CK_MAX_WEEKS 52

/* The curriculum facts the check-in code needs. */
struct ck_plan {
    int n_days, n_weeks;
    double target_min, target_max; /* hours per week */
};

struct ck_who {
    struct cohort cohort;
    struct member member;
    const char *zone; /* member.timezone, else cohort.timezone (points into this struct) */
    int today;        /* the learner's cohort day at now (may be < 1 or > n_days) */
    struct ck_plan plan;
};

struct ck_stats {
    struct streak_result streak;
    double week_hours[CK_MAX_WEEKS + 1]; /* [w] for week w (1-based) */
    int week_days[CK_MAX_WEEKS + 1];     /* check-ins per week */
    int last_day;                        /* last day checked in, 0 = none */
};

/* Curriculum lookups (app->curricula when loaded, else the 70-day/10-week default). */
void ck_plan_get(const struct app *app, const struct cohort *co, struct ck_plan *out);
int ck_week_of(const struct app *app, const struct cohort *co, int day);
/* Topic of a day into out ("" when unknown). */
void ck_day_topic(const struct app *app, const struct cohort *co, int day, char *out,
                  size_t outlen);
/* Next assessment at or after `week` as text into out; false when none is known. */
bool ck_next_assessment(const struct app *app, const struct cohort *co, int week, char *out,
                        size_t outlen);

/* Loads the guild's cohort and user's settings and works out today. 0, or
 * BOT_ENOTFOUND / BOT_EINVAL / BOT_EIO with a message for the member in why. */
int ck_who_load(struct cmd_ctx *c, const char *user_id, struct ck_who *w, char *why, size_t whylen);
/* Streak and weekly hours of w's learner. 0 or BOT_E*. */
int ck_stats_load(struct cmd_ctx *c, const struct ck_who *w, int grace, struct ck_stats *st);
/* streak_compute for w's cohort and zone up to `today`, with memoised day ends. */
int ck_streak(const struct ck_who *w, int today, int grace, const struct streak_ck *cks, size_t n,
              struct streak_result *out);
/* Configured grace days per week (0 without config). */
int ck_grace(const struct cmd_ctx *c);

/* Sets an ephemeral plain-text reply. Returns 0. */
int ck_say(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The /cohort report subcommand (admin): the lead's /cohort command calls this. */
int checkin_report(struct cmd_ctx *c, const struct cmd_args *a);
/* The report's charts as PNG (render_report_png) for the interaction's guild; the PNG
 * belongs to the caller. 0 or BOT_E* with err. */
struct render_png;
int checkin_report_png(struct cmd_ctx *c, struct render_png *png, char *err, size_t errlen);
/* The same charts as a render job for the render worker, or NULL with err. */
struct render_job;
struct render_job *checkin_report_job(struct cmd_ctx *c, char *err, size_t errlen);

#endif
