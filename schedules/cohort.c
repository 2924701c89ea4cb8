/* cohort.c - cohort day arithmetic (see cohort.h). */
#include "schedules/cohort.h"
#include "bot/err.h"
#include "bot/tz.h"

#include <stdio.h>

/* Cohorts run for weeks; +-100000 days (~270 years) bounds every day number so the
 * arithmetic below never overflows. */
#define DAY_LIMIT 100000

static bool day_ok(int day)
{
    return day >= -DAY_LIMIT && day <= DAY_LIMIT;
}

int cohort_day_at(const char *start_date, const char *zone, int64_t now, int *day)
{
    int y, m, d;
    struct civil local;
    if (tz_parse_date(start_date, &y, &m, &d) || tz_from_utc(zone, now, &local))
        return BOT_EINVAL;
    int64_t diff =
        tz_days_from_civil(local.year, local.month, local.day) - tz_days_from_civil(y, m, d);
    if (diff > DAY_LIMIT || diff < -DAY_LIMIT)
        return BOT_EINVAL;
    *day = (int)diff + 1;
    return 0;
}

static int local_instant(const char *start_date, const char *zone, int day, int h, int mi,
                         int64_t *out)
{
    int y, m, d;
    if (tz_parse_date(start_date, &y, &m, &d) || !day_ok(day))
        return BOT_EINVAL;
    struct civil c = {0};
    tz_civil_from_days(tz_days_from_civil(y, m, d) + day - 1, &c.year, &c.month, &c.day);
    c.hour = h;
    c.minute = mi;
    return tz_to_utc(zone, &c, out);
}

int cohort_post_at(const struct cohort *c, int day, int64_t *out)
{
    int h, mi;
    if (tz_parse_hhmm(c->post_time, &h, &mi))
        return BOT_EINVAL;
    return local_instant(c->start_date, c->timezone, day, h, mi, out);
}

int cohort_date_of_day(const char *start_date, int day, char out[11])
{
    int y, m, d;
    if (tz_parse_date(start_date, &y, &m, &d) || !day_ok(day))
        return BOT_EINVAL;
    tz_civil_from_days(tz_days_from_civil(y, m, d) + day - 1, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

int cohort_day_end(const char *start_date, const char *zone, int day, int64_t *out)
{
    if (!day_ok(day)) /* day + 1 below must not overflow */
        return BOT_EINVAL;
    return local_instant(start_date, zone, day + 1, 0, 0, out);
}
