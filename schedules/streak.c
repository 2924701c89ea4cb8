/* streak.c - pure check-in arithmetic (see streak.h). */
#include "schedules/streak.h"
#include "bot/err.h"
#include "schedules/cohort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAK_MAX_DAYS 1000

/* Index check-ins by day; the earliest first_at wins if a day appears twice. */
static void index_days(const struct streak_ck *cks, size_t n, int n_days,
                       const struct streak_ck **by_day)
{
    for (size_t i = 0; i < n; i++) {
        int d = cks[i].day;
        if (d < 1 || d > n_days)
            continue;
        if (!by_day[d] || cks[i].first_at < by_day[d]->first_at)
            by_day[d] = &cks[i];
    }
}

/* Zone conversions are slow (libical, ~40 us per day end in a DST zone), so only
 * every STRIDE-th day end is converted; between two converted ends the days are
 * exactly 24 h apart when the ends are (no offset change between them), otherwise
 * the range is bisected down to single days. Two opposite offset changes less than
 * STRIDE days apart would be missed; no zone has them (Morocco's Ramadan pause of
 * DST, the shortest known, lasts about a month). */
#define STRIDE 16

static int fill_ends(const char *start, const char *zone, int64_t *ends, int lo, int hi)
{
    if (hi - lo <= 1)
        return 0;
    if (hi - lo <= STRIDE && ends[hi] - ends[lo] == (int64_t)(hi - lo) * 86400) {
        for (int d = lo + 1; d < hi; d++)
            ends[d] = ends[lo] + (int64_t)(d - lo) * 86400;
        return 0;
    }
    int mid = lo + (hi - lo) / 2;
    int rc = cohort_day_end(start, zone, mid, &ends[mid]);
    if (!rc)
        rc = fill_ends(start, zone, ends, lo, mid);
    return rc ? rc : fill_ends(start, zone, ends, mid, hi);
}

int streak_day_ends(const char *start_date, const char *zone, int last, int64_t *ends)
{
    if (last < 1)
        return 0;
    int rc = cohort_day_end(start_date, zone, 1, &ends[1]);
    for (int lo = 1; !rc && lo < last;) {
        int hi = lo + STRIDE < last ? lo + STRIDE : last;
        rc = cohort_day_end(start_date, zone, hi, &ends[hi]);
        if (!rc)
            rc = fill_ends(start_date, zone, ends, lo, hi);
        lo = hi;
    }
    return rc;
}

static enum streak_why classify(const struct streak_ck *ck, int day, int today, int64_t deadline)
{
    if (ck && ck->first_at < deadline)
        return STREAK_COUNTED;
    if (day == today)
        return ck ? STREAK_LATE : STREAK_OPEN;
    return ck ? STREAK_LATE : STREAK_MISSED;
}

int streak_compute(const char *start_date, const char *zone, int today, int n_days,
                   int grace_per_week, const struct streak_ck *cks, size_t n,
                   struct streak_result *out)
{
    return streak_compute_ends(start_date, zone, today, n_days, grace_per_week, cks, n, NULL, out);
}

int streak_compute_ends(const char *start_date, const char *zone, int today, int n_days,
                        int grace_per_week, const struct streak_ck *cks, size_t n,
                        const int64_t *known_ends, struct streak_result *out)
{
    return streak_compute_states(start_date, zone, today, n_days, grace_per_week, cks, n,
                                 known_ends, NULL, out);
}

int streak_compute_states(const char *start_date, const char *zone, int today, int n_days,
                          int grace_per_week, const struct streak_ck *cks, size_t n,
                          const int64_t *known_ends, enum streak_why *states,
                          struct streak_result *out)
{
    memset(out, 0, sizeof(*out));
    if (n_days < 1 || n_days > STREAK_MAX_DAYS || (n && !cks))
        return BOT_EINVAL;
    const struct streak_ck **by_day = calloc((size_t)n_days + 1, sizeof(*by_day));
    int64_t *ends = calloc((size_t)n_days + 1, sizeof(*ends));
    if (!by_day || !ends) {
        free(by_day);
        free(ends);
        return BOT_ENOMEM;
    }
    index_days(cks, n, n_days, by_day);
    int last = today < n_days ? today : n_days;
    out->today = today > n_days ? n_days : today;
    out->elapsed = last > 0 ? last : 0;
    int run = 0, grace_week = 0, grace_used = 0;
    int rc = 0;
    if (known_ends && last > 0)
        memcpy(ends + 1, known_ends + 1, (size_t)last * sizeof(*ends));
    else
        rc = streak_day_ends(start_date, zone, last, ends);
    for (int d = 1; !rc && d <= last; d++) {
        int64_t deadline = ends[d];
        int week = (d - 1) / 7;
        if (week != grace_week) {
            grace_week = week;
            grace_used = 0;
        }
        enum streak_why why = classify(by_day[d], d, today, deadline);
        if ((why == STREAK_MISSED || why == STREAK_LATE) && grace_used < grace_per_week) {
            why = STREAK_GRACE;
            grace_used++;
        }
        if (why == STREAK_COUNTED)
            run++;
        else if (why == STREAK_MISSED || why == STREAK_LATE)
            run = 0;
        if (run > out->longest)
            out->longest = run;
        if (by_day[d])
            out->done++;
        if (states)
            states[d] = why;
        if (d > last - STREAK_WINDOW) {
            struct streak_day *w = &out->window[out->nwindow++];
            *w = (struct streak_day){.day = d, .why = why, .deadline = deadline};
            w->first_at = by_day[d] ? by_day[d]->first_at : 0;
        }
    }
    out->current = run;
    free(by_day);
    free(ends);
    return rc;
}

int streak_gap_days(int today, int last_day)
{
    int gap = today - 1 - (last_day > 0 ? last_day : 0);
    return gap > 0 ? gap : 0;
}

const char *streak_why_text(enum streak_why why)
{
    switch (why) {
    case STREAK_COUNTED:
        return "checked in before the day ended";
    case STREAK_LATE:
        return "checked in after midnight (your zone): too late to count";
    case STREAK_MISSED:
        return "no check-in: the streak restarted";
    case STREAK_GRACE:
        return "missed, but this week's grace day kept the streak";
    case STREAK_OPEN:
        return "today: not checked in yet (still time)";
    }
    return "?";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double streak_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void streak_bar(double value, double target, int width, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    if (width < 1)
        width = 1;
    if ((size_t)width + 3 > outlen)
        width = (int)outlen - 3;
    if (width < 1) {
        out[0] = '\0';
        return;
    }
    double frac = target > 0 ? value / target : 0;
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    int full = (int)(frac * width + 0.5);
    size_t o = 0;
    out[o++] = '[';
    for (int i = 0; i < width; i++)
        out[o++] = i < full ? '#' : '-';
    out[o++] = ']';
    out[o] = '\0';
}

bool streak_progress_visible(bool self, bool target_public, bool viewer_admin,
                             bool viewer_is_mentor)
{
    return self || target_public || viewer_admin || viewer_is_mentor;
}
