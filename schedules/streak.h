/* streak.h - pure check-in arithmetic: which cohort day a learner is on, whether a
 * day counted toward the streak and why, current/longest streak, weekly hours, the
 * median and the text progress bar. No I/O and no clock: `now`/`today` are passed
 * in. Loop thread (day ends go through tz.h, whose zone cache is not thread-safe). */
#ifndef COHORT_STREAK_H
#define COHORT_STREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STREAK_WINDOW 14 /* days explained by /streak */

enum streak_why {
    STREAK_COUNTED = 0, /* checked in before the day ended (learner's zone) */
    STREAK_LATE,        /* checked in, but after the day had ended: not counted */
    STREAK_MISSED,      /* no check-in: streak reset */
    STREAK_GRACE,       /* missed/late, covered by the week's grace day: streak kept */
    STREAK_OPEN,        /* today, not checked in yet: streak not broken (yet) */
};

/* One check-in as the arithmetic sees it. */
struct streak_ck {
    int day;          /* cohort day >= 1 */
    int64_t first_at; /* UTC seconds of the first check-in for that day */
    double hours;     /* < 0 when not given */
};

struct streak_day {
    int day;
    enum streak_why why;
    int64_t first_at; /* 0 when none */
    int64_t deadline; /* end of that day in the learner's zone (UTC seconds) */
};

struct streak_result {
    int today;   /* the learner's cohort day, capped to the curriculum length */
    int current; /* days in the current run */
    int longest;
    int done;                                /* days with a check-in (late ones included) */
    int elapsed;                             /* days that have started, 0..n_days */
    struct streak_day window[STREAK_WINDOW]; /* oldest first, up to today */
    int nwindow;
};

/* Evaluates days 1..min(today, n_days). `cks` need not be sorted; days outside
 * 1..n_days are ignored. grace_per_week: missed days per cohort week (7 days) that
 * keep the streak alive without extending it. 0 or BOT_EINVAL (bad date/zone). */
int streak_compute(const char *start_date, const char *zone, int today, int n_days,
                   int grace_per_week, const struct streak_ck *cks, size_t n,
                   struct streak_result *out);

/* Whole days that ended without a check-in since last_day (0 = never checked in,
 * counted from day 1), seen on `today`: max(0, today - 1 - last_day). Pure. */
int streak_gap_days(int today, int last_day);

/* ends[d] = UTC end of day d (the next local midnight) for d = 1..last; ends has
 * last + 1 slots. Converts only about every 16th day through the zone database and
 * bisects where the offset changed. 0 or BOT_EINVAL. */
int streak_day_ends(const char *start_date, const char *zone, int last, int64_t *ends);

/* streak_compute with the day ends given (known_ends[1..min(today, n_days)] as from
 * streak_day_ends for the same start and zone), or computed when known_ends is NULL. */
int streak_compute_ends(const char *start_date, const char *zone, int today, int n_days,
                        int grace_per_week, const struct streak_ck *cks, size_t n,
                        const int64_t *known_ends, struct streak_result *out);

/* streak_compute_ends that also records every day's state: states[d] for
 * d = 1..min(today, n_days) (states has n_days + 1 slots; other slots untouched). */
int streak_compute_states(const char *start_date, const char *zone, int today, int n_days,
                          int grace_per_week, const struct streak_ck *cks, size_t n,
                          const int64_t *known_ends, enum streak_why *states,
                          struct streak_result *out);

/* Short English reason for a day, e.g. "checked in 21:40, before midnight". Static. */
const char *streak_why_text(enum streak_why why);

/* Median of v[0..n) (v is reordered); 0 for n == 0. */
double streak_median(double *v, size_t n);

/* A bar like "[#####-----]" of `width` cells for value/target (clamped), into out. */
void streak_bar(double value, double target, int width, char *out, size_t outlen);

/* Can `viewer` see `target`'s progress? Self always; otherwise when the target made
 * it public, or the viewer is an admin or the target's mentor. */
bool streak_progress_visible(bool self, bool target_public, bool viewer_admin,
                             bool viewer_is_mentor);

#endif
