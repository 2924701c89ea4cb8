/* cohort.h - a cohort (one per guild): which curriculum, the start date, the zone and
 * the local post time, plus the pure day arithmetic everything else builds on:
 * day N = whole calendar days since the start date in the cohort's zone, plus 1.
 * Pure functions; any thread. */
#ifndef COHORT_COHORT_H
#define COHORT_COHORT_H

#include <stdbool.h>
#include <stdint.h>

struct cohort {
    int64_t id;
    char guild_id[24];
    char curriculum[64]; /* curriculum slug */
    char start_date[11]; /* YYYY-MM-DD, local date of day 1 */
    char timezone[64];   /* IANA */
    char post_time[6];   /* HH:MM local */
    char fallback_channel[24];
    char mentors_channel[24];
    int64_t created_at, updated_at;
};

/* Day number at `now` in `zone` (may be < 1 before the start, or past the end).
 * 0 or BOT_EINVAL (bad date or zone). */
int cohort_day_at(const char *start_date, const char *zone, int64_t now, int *day);
/* UTC instant of day N's post time (DST-correct). 0 or BOT_EINVAL. */
int cohort_post_at(const struct cohort *c, int day, int64_t *out);
/* Local date of day N as YYYY-MM-DD. */
int cohort_date_of_day(const char *start_date, int day, char out[11]);
/* UTC instant when day N ends (next local midnight) in zone. */
int cohort_day_end(const char *start_date, const char *zone, int day, int64_t *out);

#endif
