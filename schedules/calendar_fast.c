/* calendar_fast.c - native expansion of the common RRULE shapes (DAILY, WEEKLY,
 * MONTHLY by month-day or weekday, YEARLY by month) with arithmetic skip-ahead.
 * Debian's libical iterates through ICU calendars at ~5 us per step; these shapes
 * cover nearly every real feed, so the loop thread stays fast; sub-daily rules whose
 * BY parts are all limits are walked here too. Anything else (BYSETPOS, BYWEEKNO,
 * BYYEARDAY, BYHOUR with DAILY+, ...) goes to libical. Pure. */
#include "schedules/calendar_int.h"
#include "bot/tz.h"

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#define END_MARK ICAL_RECURRENCE_ARRAY_MAX

static int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int wday(int64_t day)
{
    return (int)(((day + 4) % 7 + 7) % 7); /* 0 = Sunday */
}

static int mdays(int y, int m)
{
    return (int)(tz_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                 tz_days_from_civil(y, m, 1));
}

static bool empty(const short *a)
{
    return a[0] == END_MARK;
}

static bool mask(const short *a, int max, int lim, uint64_t *out)
{
    for (int i = 0; i < max && a[i] != END_MARK; i++) {
        if (a[i] < 0 || a[i] > lim)
            return false;
        *out |= 1ULL << a[i];
    }
    return true;
}

/* SECONDLY/MINUTELY/HOURLY: every BY part must be a limit (RFC 5545 table). */
static bool subdaily_init(struct cal_fast *fs, const struct icalrecurrencetype *r)
{
    if (r->freq == ICAL_MINUTELY_RECURRENCE && !empty(r->by_second))
        return false;
    if (r->freq == ICAL_HOURLY_RECURRENCE && (!empty(r->by_second) || !empty(r->by_minute)))
        return false;
    static const int64_t unit[] = {1, 60, 3600};
    fs->step = unit[r->freq] * (r->interval > 0 ? r->interval : 1);
    return mask(r->by_hour, ICAL_BY_HOUR_SIZE, 23, &fs->hourmask) &&
           mask(r->by_minute, ICAL_BY_MINUTE_SIZE, 59, &fs->minmask) &&
           mask(r->by_second, ICAL_BY_SECOND_SIZE, 60, &fs->secmask);
}

/* Jumps to the period holding skip_wall (no COUNT: earlier periods are not needed). */
static void skip_to(struct cal_fast *fs, int64_t skip_wall)
{
    int64_t sd = fdiv(skip_wall, 86400) - fs->day0;
    int sy, sm, sdd;
    tz_civil_from_days(fdiv(skip_wall, 86400), &sy, &sm, &sdd);
    int64_t units = fs->freq == ICAL_DAILY_RECURRENCE    ? sd
                    : fs->freq == ICAL_WEEKLY_RECURRENCE ? fdiv(sd, 7) - 1
                    : fs->freq == ICAL_MONTHLY_RECURRENCE
                        ? (int64_t)(sy - fs->y0) * 12 + (sm - fs->m0) - 1
                        : sy - fs->y0 - 1;
    if (units > 0)
        fs->period = units / fs->interval;
}

bool cal_fast_init(struct cal_fast *fs, const struct icalrecurrencetype *r, int64_t dtwall,
                   bool is_date, int64_t skip_wall, bool may_skip)
{
    memset(fs, 0, offsetof(struct cal_fast, days)); /* days[] is read only below n */
    fs->n = fs->pos = 0;
    fs->step = 0;
    fs->hourmask = fs->minmask = fs->secmask = 0;
    bool sub = r->freq < ICAL_DAILY_RECURRENCE;
    if (r->freq > ICAL_YEARLY_RECURRENCE || !empty(r->by_set_pos) || !empty(r->by_week_no) ||
        !empty(r->by_year_day) || (sub && (is_date || !subdaily_init(fs, r))) ||
        (!sub && (!empty(r->by_hour) || !empty(r->by_minute) || !empty(r->by_second))))
        return false;
    bool ordinals = false;
    for (int i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != END_MARK; i++) {
        int pos = icalrecurrencetype_day_position(r->by_day[i]);
        int wd = (int)icalrecurrencetype_day_day_of_week(r->by_day[i]) - 1;
        if (wd < 0 || wd > 6)
            return false;
        if (pos) {
            if (fs->nord == 8)
                return false;
            fs->ord_pos[fs->nord] = (signed char)pos;
            fs->ord_wd[fs->nord++] = (signed char)wd;
            ordinals = true;
        } else {
            fs->wdmask |= 1u << wd;
        }
    }
    if (sub && ordinals)
        return false;
    if (ordinals && (r->freq != ICAL_MONTHLY_RECURRENCE || fs->wdmask || !empty(r->by_month_day)))
        return false;
    if (r->freq == ICAL_YEARLY_RECURRENCE && (fs->wdmask || ordinals))
        return false;
    for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && r->by_month_day[i] != END_MARK; i++) {
        if (fs->nmd == 31 || r->by_month_day[i] == 0)
            return false;
        fs->md[fs->nmd++] = (signed char)r->by_month_day[i];
    }
    for (int i = 0; i < ICAL_BY_MONTH_SIZE && r->by_month[i] != END_MARK; i++) {
        if (r->by_month[i] < 1 || r->by_month[i] > 12)
            return false; /* includes RFC 7529 leap months */
        fs->monmask |= 1u << r->by_month[i];
    }
    fs->freq = r->freq;
    fs->interval = r->interval > 0 ? r->interval : 1;
    fs->wkst = r->week_start >= ICAL_SUNDAY_WEEKDAY ? r->week_start - 1 : 1;
    fs->day0 = fdiv(dtwall, 86400);
    fs->tod = is_date ? 0 : dtwall - fs->day0 * 86400;
    tz_civil_from_days(fs->day0, &fs->y0, &fs->m0, &fs->d0);
    if (fs->freq == ICAL_WEEKLY_RECURRENCE && !fs->wdmask)
        fs->wdmask = 1u << wday(fs->day0);
    if (sub) {
        if (may_skip && skip_wall - dtwall > fs->step)
            fs->period = (skip_wall - dtwall) / fs->step - 1;
        return true;
    }
    if (may_skip)
        skip_to(fs, skip_wall);
    return true;
}

static bool day_ok(const struct cal_fast *fs, int64_t day, int y, int m, int d)
{
    if (fs->monmask && !(fs->monmask & (1u << m)))
        return false;
    if (fs->freq != ICAL_WEEKLY_RECURRENCE && fs->wdmask && !(fs->wdmask & (1u << wday(day))))
        return false;
    if (fs->nmd && fs->freq != ICAL_MONTHLY_RECURRENCE && fs->freq != ICAL_YEARLY_RECURRENCE) {
        int len = mdays(y, m);
        bool hit = false;
        for (int i = 0; i < fs->nmd && !hit; i++)
            hit = fs->md[i] == d || (fs->md[i] < 0 && len + 1 + fs->md[i] == d);
        return hit;
    }
    return true;
}

/* Days of one month for MONTHLY / YEARLY, appended in ascending order. */
static void month_days(struct cal_fast *fs, int y, int m)
{
    int len = mdays(y, m);
    int64_t first = tz_days_from_civil(y, m, 1);
    unsigned char hit[32] = {0};
    if (fs->nord) {
        for (int i = 0; i < fs->nord; i++) {
            int off = (fs->ord_wd[i] - wday(first) + 7) % 7; /* first such weekday: 1 + off */
            int count = (len - 1 - off) / 7 + 1, n = fs->ord_pos[i];
            int k = n > 0 ? n - 1 : count + n;
            if (k >= 0 && k < count)
                hit[1 + off + 7 * k] = 1;
        }
    } else if (fs->nmd) {
        for (int i = 0; i < fs->nmd; i++) {
            int d = fs->md[i] > 0 ? fs->md[i] : len + 1 + fs->md[i];
            if (d >= 1 && d <= len)
                hit[d] = 1;
        }
    } else if (fs->wdmask && fs->freq == ICAL_MONTHLY_RECURRENCE) {
        for (int d = 1; d <= len; d++)
            hit[d] = 1; /* limited by weekday in day_ok */
    } else if (fs->d0 <= len) {
        hit[fs->d0] = 1; /* months without that day are skipped (RFC 5545) */
    }
    for (int d = 1; d <= len; d++)
        if (hit[d] && day_ok(fs, first + d - 1, y, m, d) && fs->n < (int)(sizeof(fs->days) / 8))
            fs->days[fs->n++] = first + d - 1;
}

static void fill(struct cal_fast *fs)
{
    int64_t k = fs->period++ * fs->interval;
    fs->n = fs->pos = 0;
    if (fs->freq == ICAL_DAILY_RECURRENCE) {
        int64_t day = fs->day0 + k;
        int y = 0, m = 0, d = 0;
        if (fs->monmask || fs->nmd)
            tz_civil_from_days(day, &y, &m, &d);
        if (day_ok(fs, day, y, m, d))
            fs->days[fs->n++] = day;
    } else if (fs->freq == ICAL_WEEKLY_RECURRENCE) {
        int64_t ws = fs->day0 - (wday(fs->day0) - fs->wkst + 7) % 7 + 7 * k;
        for (int i = 0; i < 7; i++) {
            int y = 0, m = 0, d = 0;
            if (!(fs->wdmask & (1u << wday(ws + i))))
                continue;
            if (fs->monmask || fs->nmd)
                tz_civil_from_days(ws + i, &y, &m, &d);
            if (day_ok(fs, ws + i, y, m, d))
                fs->days[fs->n++] = ws + i;
        }
    } else if (fs->freq == ICAL_MONTHLY_RECURRENCE) {
        int64_t mi = (int64_t)fs->y0 * 12 + (fs->m0 - 1) + k;
        month_days(fs, (int)(mi / 12), (int)(mi % 12) + 1);
    } else {
        int y = fs->y0 + (int)k;
        for (int m = 1; m <= 12; m++) /* BYMONTHDAY alone expands to every month */
            if (fs->monmask ? (fs->monmask & (1u << m)) != 0 : (fs->nmd || m == fs->m0))
                month_days(fs, y, m);
    }
}

static bool subdaily_next(struct cal_fast *fs, int64_t *wall)
{
    for (int guard = 0; guard < 400000; guard++) {
        int64_t w = fs->day0 * 86400 + fs->tod + fs->period++ * fs->step;
        int64_t day = fdiv(w, 86400), sec = w - day * 86400;
        if (day > 2932896)
            return false;
        if ((fs->hourmask && !(fs->hourmask & (1ULL << (sec / 3600)))) ||
            (fs->minmask && !(fs->minmask & (1ULL << (sec % 3600 / 60)))) ||
            (fs->secmask && !(fs->secmask & (1ULL << (sec % 60)))))
            continue;
        int y = 0, m = 0, d = 0;
        if (fs->monmask || fs->nmd)
            tz_civil_from_days(day, &y, &m, &d);
        if (!day_ok(fs, day, y, m, d))
            continue;
        *wall = w;
        return true;
    }
    return false;
}

bool cal_fast_next(struct cal_fast *fs, int64_t *wall)
{
    if (fs->step)
        return subdaily_next(fs, wall);
    for (int guard = 0; guard < 100000; guard++) {
        while (fs->pos < fs->n) {
            int64_t day = fs->days[fs->pos++];
            if (day < fs->day0)
                continue;
            *wall = day * 86400 + fs->tod;
            return true;
        }
        if (fs->period > 200000)
            return false;
        fill(fs);
        if (fs->n && fs->days[0] > 2932896) /* past 9999-12-31 */
            return false;
    }
    return false;
}
