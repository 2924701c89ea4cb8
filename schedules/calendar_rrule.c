/* calendar_rrule.c - one RRULE walked in wall-clock time. libical 3.0.16's
 * iterator does the calendar arithmetic; this file applies COUNT and UNTIL itself
 * (UNTIL in UTC vs. a zoned DTSTART), always includes DTSTART (RFC 5545), and
 * emulates what 3.0.16 gets wrong: BYSETPOS outside MONTHLY/YEARLY, BYWEEKNO,
 * negative BYMONTHDAY/BYYEARDAY with DAILY, repeated BYDAY, unsorted BYHOUR.
 * Loop thread only. */
#include "schedules/calendar_int.h"
#include "bot/tz.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#define END_MARK ICAL_RECURRENCE_ARRAY_MAX
#define MAX_STEPS 400000 /* native steps (tens of ns each) */
#define MAX_LIB_STEPS                                                                              \
    6000 /* libical steps per rule (~4 us each with BYSECOND/ICU): one                             \
          * rule never holds the loop much over 25 ms */
#define MAX_GROUP 4096

enum { G_NONE, G_SEC, G_MIN, G_HOUR, G_DAY, G_WEEK, G_WEEKYEAR };
enum { U_NONE, U_UTC, U_WALL, U_DATE };

struct cal_rr {
    icalrecur_iterator *it;
    int64_t dtwall, last;
    bool is_date, dt_pending, have_last, src_done, has_pending;
    icaltimezone *tz;
    int count, produced;
    int until_kind;
    int64_t until;
    int group, wkst; /* wkst: 0 = Sunday */
    short setpos[ICAL_BY_SETPOS_SIZE];
    int nsetpos;
    short weekno[ICAL_BY_WEEKNO_SIZE];
    int nweekno, year_interval, dt_wyear;
    short mday[ICAL_BY_MONTHDAY_SIZE], yday[ICAL_BY_YEARDAY_SIZE];
    int nmday, nyday;
    int64_t pending;
    int64_t *grp, *out; /* MAX_GROUP each, allocated when grouping */
    bool use_fast;
    struct cal_fast fast;
    int ngrp, nout, outpos;
    long steps;
};

static int alen(const short *a, int max)
{
    int n = 0;
    while (n < max && a[n] != END_MARK)
        n++;
    return n;
}

static int cmp_short(const void *a, const void *b)
{
    return *(const short *)a - *(const short *)b;
}

static void sort_dedupe(short *a, int max)
{
    int n = alen(a, max), k = 0;
    if ((size_t)n > 1)
        qsort(a, (size_t)n, sizeof(short), cmp_short);
    for (int i = 0; i < n; i++)
        if (k == 0 || a[k - 1] != a[i])
            a[k++] = a[i];
    if (k < max)
        a[k] = END_MARK;
}

/* An upper bound on the instances one period's set can hold, before BYSETPOS. */
static long set_bound(const struct icalrecurrencetype *r)
{
    long h = alen(r->by_hour, ICAL_BY_HOUR_SIZE), mi = alen(r->by_minute, ICAL_BY_MINUTE_SIZE),
         s = alen(r->by_second, ICAL_BY_SECOND_SIZE), days = 1;
    bool bydays = alen(r->by_day, ICAL_BY_DAY_SIZE) || alen(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
    if (r->freq == ICAL_YEARLY_RECURRENCE &&
        (bydays || alen(r->by_month, ICAL_BY_MONTH_SIZE) ||
         alen(r->by_week_no, ICAL_BY_WEEKNO_SIZE) || alen(r->by_year_day, ICAL_BY_YEARDAY_SIZE)))
        days = 366;
    else if (r->freq == ICAL_MONTHLY_RECURRENCE && bydays)
        days = 31;
    else if (r->freq == ICAL_WEEKLY_RECURRENCE && alen(r->by_day, ICAL_BY_DAY_SIZE))
        days = 7;
    if (r->freq == ICAL_HOURLY_RECURRENCE)
        h = 1;
    return days * (h ? h : 1) * (mi ? mi : 1) * (s ? s : 1);
}

/* BYSETPOS values no set can reach are dropped; a rule left with none selects
 * nothing but DTSTART (COUNT=1). libical would otherwise search period after period
 * for a match that never comes (seen: 620 ms in one icalrecur_iterator_next for
 * FREQ=MONTHLY;BYSETPOS=-2 from 1997, found by fuzz_ical's time budget). */
static void prune_setpos(struct icalrecurrencetype *r)
{
    int n = alen(r->by_set_pos, ICAL_BY_SETPOS_SIZE), k = 0;
    if (n == 0)
        return;
    long bound = set_bound(r);
    for (int i = 0; i < n; i++) {
        long v = r->by_set_pos[i];
        if (v != 0 && (v < 0 ? -v : v) <= bound)
            r->by_set_pos[k++] = r->by_set_pos[i];
    }
    if (k < ICAL_BY_SETPOS_SIZE)
        r->by_set_pos[k] = END_MARK;
    if (k == 0) {
        r->count = 1;
        r->until = icaltime_null_time();
    }
}

bool cal_rr_normalize(struct icalrecurrencetype *r)
{
    if (r->rscale) { /* only Gregorian is supported */
        free(r->rscale);
        r->rscale = NULL;
    }
    if (r->freq == ICAL_NO_RECURRENCE)
        return false;
    if (r->interval < 1)
        r->interval = 1;
    /* 3.0.16 repeats a day listed twice (BYDAY=SU,TH,TH) and mis-orders unsorted
     * BYHOUR/BYMINUTE/BYSECOND lists. */
    int n = alen(r->by_day, ICAL_BY_DAY_SIZE), k = 0;
    for (int i = 0; i < n; i++) {
        bool dup = false;
        for (int j = 0; j < k; j++)
            dup = dup || r->by_day[j] == r->by_day[i];
        if (!dup)
            r->by_day[k++] = r->by_day[i];
    }
    if (k < ICAL_BY_DAY_SIZE)
        r->by_day[k] = END_MARK;
    sort_dedupe(r->by_hour, ICAL_BY_HOUR_SIZE);
    sort_dedupe(r->by_minute, ICAL_BY_MINUTE_SIZE);
    sort_dedupe(r->by_second, ICAL_BY_SECOND_SIZE);
    sort_dedupe(r->by_set_pos, ICAL_BY_SETPOS_SIZE);
    prune_setpos(r);
    return true;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int wday_of(int64_t day)
{
    return (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

/* First day of week 1 of year y: the week (starting on wkst) holding >= 4 days of y. */
static int64_t week1_start(int y, int wkst)
{
    int64_t jan1 = tz_days_from_civil(y, 1, 1);
    int off = (wday_of(jan1) - wkst + 7) % 7;
    return off <= 3 ? jan1 - off : jan1 - off + 7;
}

static void week_of(int64_t day, int wkst, int *wyear, int *wno, int *nweeks)
{
    int y, m, d;
    tz_civil_from_days(day, &y, &m, &d);
    int64_t s = week1_start(y, wkst);
    if (day < s) {
        y--;
        s = week1_start(y, wkst);
    } else if (day >= week1_start(y + 1, wkst)) {
        y++;
        s = week1_start(y, wkst);
    }
    *wyear = y;
    *wno = (int)((day - s) / 7) + 1;
    *nweeks = (int)((week1_start(y + 1, wkst) - s) / 7);
}

static bool match_list(const short *a, int n, int v, int len)
{
    for (int i = 0; i < n; i++)
        if (a[i] == v || (a[i] < 0 && len + 1 + a[i] == v))
            return true;
    return false;
}

/* Filters libical cannot apply correctly in 3.0.16. */
static bool keep(const struct cal_rr *r, int64_t wall)
{
    int64_t day = floor_div(wall, 86400);
    int y, m, d;
    tz_civil_from_days(day, &y, &m, &d);
    if (r->nmday) {
        int len = (int)(tz_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                        tz_days_from_civil(y, m, 1));
        if (!match_list(r->mday, r->nmday, d, len))
            return false;
    }
    if (r->nyday) {
        int len = (int)(tz_days_from_civil(y + 1, 1, 1) - tz_days_from_civil(y, 1, 1));
        int doy = (int)(day - tz_days_from_civil(y, 1, 1)) + 1;
        if (!match_list(r->yday, r->nyday, doy, len))
            return false;
    }
    if (r->nweekno) {
        int wy, wn, nw;
        week_of(day, r->wkst, &wy, &wn, &nw);
        if ((wy - r->dt_wyear) % r->year_interval != 0 || wy < r->dt_wyear)
            return false;
        if (!match_list(r->weekno, r->nweekno, wn, nw))
            return false;
    }
    return true;
}

static int64_t to_wall(struct icaltimetype t)
{
    return tz_days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 +
           t.second;
}

static struct icaltimetype from_wall(int64_t wall, bool is_date)
{
    struct icaltimetype t = icaltime_null_time();
    int64_t day = floor_div(wall, 86400), secs = wall - day * 86400;
    tz_civil_from_days(day, &t.year, &t.month, &t.day);
    if (is_date) {
        t.is_date = 1;
        return t;
    }
    t.hour = (int)(secs / 3600);
    t.minute = (int)(secs % 3600 / 60);
    t.second = (int)(secs % 60);
    return t;
}

static bool src_next(struct cal_rr *r, int64_t *wall)
{
    while (!r->src_done) {
        if (++r->steps > (r->use_fast ? MAX_STEPS : MAX_LIB_STEPS))
            break;
        if (r->use_fast) {
            if (!cal_fast_next(&r->fast, wall))
                break;
            return true;
        }
        struct icaltimetype t = icalrecur_iterator_next(r->it);
        if (icaltime_is_null_time(t))
            break;
        int64_t w = to_wall(t);
        if (keep(r, w)) {
            *wall = w;
            return true;
        }
    }
    r->src_done = true;
    return false;
}

static int64_t group_key(const struct cal_rr *r, int64_t wall)
{
    int64_t day = floor_div(wall, 86400);
    switch (r->group) {
    case G_SEC:
        return wall;
    case G_MIN:
        return floor_div(wall, 60);
    case G_HOUR:
        return floor_div(wall, 3600);
    case G_DAY:
        return day;
    case G_WEEK:
        return day - (wday_of(day) - r->wkst + 7) % 7;
    default: {
        int wy, wn, nw;
        week_of(day, r->wkst, &wy, &wn, &nw);
        return wy;
    }
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads one whole period from libical and keeps its BYSETPOS members. */
static bool fill_group(struct cal_rr *r)
{
    r->nout = r->outpos = r->ngrp = 0;
    if (!r->grp) {
        r->grp = malloc(2 * MAX_GROUP * sizeof(int64_t));
        if (!r->grp)
            return false;
        r->out = r->grp + MAX_GROUP;
    }
    while (r->nout == 0) {
        int64_t w;
        if (!r->has_pending && !src_next(r, &r->pending))
            return false;
        r->has_pending = false;
        int64_t key = group_key(r, r->pending);
        r->ngrp = 0;
        r->grp[r->ngrp++] = r->pending;
        while (src_next(r, &w)) {
            if (group_key(r, w) != key) {
                r->pending = w;
                r->has_pending = true;
                break;
            }
            if (r->ngrp < MAX_GROUP)
                r->grp[r->ngrp++] = w;
        }
        if ((size_t)r->ngrp > 1)
            qsort(r->grp, (size_t)r->ngrp, sizeof(int64_t), cmp_i64);
        for (int i = 0; i < r->nsetpos; i++) {
            int p = r->setpos[i], idx = p > 0 ? p - 1 : r->ngrp + p;
            if (idx >= 0 && idx < r->ngrp)
                r->out[r->nout++] = r->grp[idx];
        }
        if ((size_t)r->nout > 1)
            qsort(r->out, (size_t)r->nout, sizeof(int64_t), cmp_i64);
    }
    return true;
}

static bool grouped_next(struct cal_rr *r, int64_t *wall)
{
    if (r->group == G_NONE)
        return src_next(r, wall);
    if (r->outpos >= r->nout && !fill_group(r))
        return false;
    *wall = r->out[r->outpos++];
    return true;
}

/* cal_wall_to_utc(tz, wall) > until, skipping libical when the answer is certain. */
static bool utc_after(const struct cal_rr *r, int64_t wall, int64_t until)
{
    if (wall + CAL_OFF_BOUND < until)
        return false;
    if (wall - CAL_OFF_BOUND > until)
        return true;
    return cal_wall_to_utc(r->tz, wall) > until;
}

static bool past_until(const struct cal_rr *r, int64_t wall)
{
    int64_t day = floor_div(wall, 86400);
    switch (r->until_kind) {
    case U_UTC:
        if (r->is_date) /* all-day series with a UTC UNTIL: compare leniently */
            return utc_after(r, wall, r->until) && day > floor_div(r->until, 86400);
        return utc_after(r, wall, r->until);
    case U_WALL:
        return wall > r->until;
    case U_DATE:
        return day > r->until;
    default:
        return false;
    }
}

bool cal_rr_next(struct cal_rr *r, int64_t *wall)
{
    int64_t w;
    if (r->count && r->produced >= r->count)
        return false;
    if (r->dt_pending) {
        r->dt_pending = false;
        w = r->dtwall;
    } else {
        do {
            if (!grouped_next(r, &w))
                return false;
        } while (r->have_last && w <= r->last);
    }
    if (past_until(r, w)) {
        r->count = r->produced = 1; /* finished */
        return false;
    }
    r->last = w;
    r->have_last = true;
    r->produced++;
    *wall = w;
    return true;
}

static void setup_until(struct cal_rr *r, const struct icalrecurrencetype *rule)
{
    struct icaltimetype u = rule->until;
    if (icaltime_is_null_time(u))
        return;
    int64_t w = to_wall(u);
    if (u.is_date) {
        r->until_kind = U_DATE;
        r->until = floor_div(w, 86400);
    } else if (u.zone == icaltimezone_get_utc_timezone()) {
        r->until_kind = U_UTC;
        r->until = w;
    } else {
        r->until_kind = U_WALL; /* floating UNTIL: read in DTSTART's zone */
        r->until = r->is_date ? floor_div(w, 86400) : w;
        if (r->is_date)
            r->until_kind = U_DATE;
    }
}

/* Builds the rule handed to libical and decides which fixes we apply ourselves. */
static void setup_emulation(struct cal_rr *r, struct icalrecurrencetype *lib)
{
    int f = lib->freq;
    r->wkst = lib->week_start >= ICAL_SUNDAY_WEEKDAY ? lib->week_start - 1 : 1;
    r->nsetpos = alen(lib->by_set_pos, ICAL_BY_SETPOS_SIZE);
    r->nweekno = f == ICAL_YEARLY_RECURRENCE ? alen(lib->by_week_no, ICAL_BY_WEEKNO_SIZE) : 0;
    if (r->nweekno) {
        memcpy(r->weekno, lib->by_week_no, sizeof(r->weekno));
        r->year_interval = lib->interval;
        int nw, wn;
        week_of(floor_div(r->dtwall, 86400), r->wkst, &r->dt_wyear, &wn, &nw);
        lib->freq = ICAL_DAILY_RECURRENCE;
        lib->interval = 1;
        lib->by_week_no[0] = END_MARK;
        for (int i = 0; i < ICAL_BY_DAY_SIZE && lib->by_day[i] != END_MARK; i++)
            lib->by_day[i] = (short)icalrecurrencetype_day_day_of_week(lib->by_day[i]);
        r->group = G_WEEKYEAR;
    }
    bool neg = false;
    for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && lib->by_month_day[i] != END_MARK; i++)
        neg = neg || lib->by_month_day[i] < 0;
    for (int i = 0; i < ICAL_BY_YEARDAY_SIZE && lib->by_year_day[i] != END_MARK; i++)
        neg = neg || lib->by_year_day[i] < 0;
    if (neg && lib->freq <= ICAL_DAILY_RECURRENCE) {
        r->nmday = alen(lib->by_month_day, ICAL_BY_MONTHDAY_SIZE);
        memcpy(r->mday, lib->by_month_day, sizeof(r->mday));
        r->nyday = alen(lib->by_year_day, ICAL_BY_YEARDAY_SIZE);
        memcpy(r->yday, lib->by_year_day, sizeof(r->yday));
        lib->by_month_day[0] = END_MARK;
        lib->by_year_day[0] = END_MARK;
    }
    if (r->nsetpos && (f < ICAL_MONTHLY_RECURRENCE || r->nweekno)) {
        memcpy(r->setpos, lib->by_set_pos, sizeof(r->setpos));
        lib->by_set_pos[0] = END_MARK;
        if (!r->nweekno) {
            static const int g[] = {G_SEC, G_MIN, G_HOUR, G_DAY, G_WEEK};
            r->group = g[f];
        }
    } else {
        r->nsetpos = 0;
        if (!r->nweekno)
            r->group = G_NONE;
    }
    if (r->group == G_WEEKYEAR && !r->nsetpos) {
        r->nsetpos = 0;
        r->group = G_NONE;
    }
}

static int64_t skip_target(const struct cal_rr *r, int64_t skip_wall)
{
    int64_t day = floor_div(skip_wall, 86400);
    if (r->group == G_WEEK)
        day -= (wday_of(day) - r->wkst + 7) % 7;
    return day * 86400;
}

struct cal_rr *cal_rr_new(const struct icalrecurrencetype *rule, const struct cal_tval *dtstart,
                          int64_t skip_wall, int64_t stop_wall)
{
    struct cal_rr *r = malloc(sizeof(*r)); /* ~5 KB: zero all but fast.days[] */
    if (!r)
        return NULL;
    memset(r, 0, offsetof(struct cal_rr, fast));
    r->ngrp = r->nout = r->outpos = 0;
    r->steps = 0;
    r->dtwall = dtstart->wall;
    r->is_date = dtstart->is_date;
    r->tz = dtstart->tz;
    r->dt_pending = true;
    r->count = rule->count > 0 ? rule->count : 0;
    setup_until(r, rule);
    int64_t target = skip_target(r, skip_wall);
    bool may_skip = !r->count && target > r->dtwall + 7 * 86400;
    if (cal_fast_init(&r->fast, rule, r->dtwall, r->is_date, target, may_skip)) {
        r->use_fast = true;
        return r;
    }
    struct icalrecurrencetype lib = *rule;
    lib.count = 0;
    /* COUNT and UNTIL are ours (libical gets them wrong), but libical still needs an
     * end: a rule whose sets never match (BYSETPOS=-2 of a one-day set) would make a
     * single icalrecur_iterator_next() search centuries. Nothing past stop_wall is
     * wanted, so libical stops there. */
    lib.until = from_wall(stop_wall, false);
    if (r->is_date)
        lib.until = from_wall(floor_div(stop_wall, 86400) * 86400, true);
    lib.rscale = NULL;
    setup_emulation(r, &lib);
    r->it = icalrecur_iterator_new(lib, from_wall(r->dtwall, r->is_date));
    if (!r->it) {
        r->src_done = true; /* the rule itself yields nothing; DTSTART still counts */
        return r;
    }
    bool skippable = lib.freq == ICAL_DAILY_RECURRENCE || lib.freq == ICAL_WEEKLY_RECURRENCE;
    target = skip_target(r, skip_wall);
    if (may_skip && skippable && !r->nweekno)
        (void)icalrecur_iterator_set_start(r->it, from_wall(target, r->is_date));
    return r;
}

long cal_rr_steps(const struct cal_rr *r)
{
    return r->use_fast ? r->steps : r->steps * 10;
}

void cal_rr_free(struct cal_rr *r)
{
    if (!r)
        return;
    if (r->it)
        icalrecur_iterator_free(r->it);
    free(r->grp);
    free(r);
}
