/* study_groups.c - a cohort's study-group calendar (see study_groups.h). */
#include "schedules/study_groups.h"
#include "bot/err.h"
#include "bot/tz.h"
#include "config/curriculum.h"
#include "schedules/cohort.h"

#include <stdio.h>

static const char *const byday[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

static int weekday(int64_t days)
{
    return (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

/* First and last meeting day (days since epoch) of group g for a cohort starting at d0. */
static int meeting_span(const struct cur_group *g, int64_t d0, int64_t *first, int64_t *last)
{
    *first = *last = -1;
    for (int64_t d = d0 + (g->first_week - 1) * 7; d < d0 + g->last_week * 7; d++) {
        if (!(g->weekdays & (1u << weekday(d))))
            continue;
        if (*first < 0)
            *first = d;
        *last = d;
    }
    return *first < 0 ? BOT_ENOTFOUND : 0;
}

static int one_group(const struct cur_group *g, const struct cohort *co, int64_t d0,
                     struct buf *out)
{
    int64_t first, last, until;
    if (meeting_span(g, d0, &first, &last))
        return 0;
    struct civil a = {0}, z = {0};
    tz_civil_from_days(first, &a.year, &a.month, &a.day);
    tz_civil_from_days(last, &z.year, &z.month, &z.day);
    z.hour = g->hour;
    z.minute = g->minute;
    if (tz_to_utc(g->zone, &z, &until))
        return BOT_EINVAL;
    struct civil u;
    tz_from_utc("UTC", until, &u);
    int rc = buf_printf(out,
                        "BEGIN:VEVENT\r\nUID:study-%s-%s@cohortbot\r\nDTSTAMP:20250101T000000Z\r\n"
                        "DTSTART;TZID=%s:%04d%02d%02dT%02d%02d00\r\nDURATION:PT1H\r\n"
                        "RRULE:FREQ=WEEKLY;UNTIL=%04d%02d%02dT%02d%02d%02dZ;BYDAY=",
                        g->name, co->start_date, g->zone, a.year, a.month, a.day, g->hour,
                        g->minute, u.year, u.month, u.day, u.hour, u.minute, u.second);
    for (int d = 0, n = 0; !rc && d < 7; d++)
        if (g->weekdays & (1u << d))
            rc = buf_printf(out, "%s%s", n++ ? "," : "", byday[d]);
    if (!rc)
        rc = buf_printf(out,
                        "\r\nSUMMARY:Study group #%s: %s\r\nLOCATION:#%s\r\n"
                        "DESCRIPTION:Weeks %d-%d study group of the cohort.\r\nEND:VEVENT\r\n",
                        g->name, g->focus ? g->focus : "study session", g->name, g->first_week,
                        g->last_week);
    return rc;
}

int study_groups_ics(const struct curriculum *cur, const struct cohort *co, struct buf *out)
{
    int y, m, d;
    if (tz_parse_date(co->start_date, &y, &m, &d))
        return BOT_EINVAL;
    int64_t d0 = tz_days_from_civil(y, m, d);
    int rc = buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cohortbot//study "
                           "groups//EN\r\nX-WR-CALNAME:Study groups\r\n");
    for (size_t i = 0; !rc && i < cur->n_groups; i++)
        rc = one_group(&cur->groups[i], co, d0, out);
    return rc ? rc : buf_puts(out, "END:VCALENDAR\r\n");
}
