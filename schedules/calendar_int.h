/* calendar_int.h - internals shared by calendar*.c (not for other modules).
 * A parsed feed is a flat array of VEVENT records with their values already
 * resolved to wall-clock seconds plus a zone; strings live in the feed's arena.
 * Loop thread only, like calendar.h. */
#ifndef COHORT_CALENDAR_INT_H
#define COHORT_CALENDAR_INT_H

#include "schedules/calendar.h"

#include <libical/ical.h>

/* A time value: `wall` is the local wall clock read as if it were UTC seconds;
 * tz NULL means UTC. Floating values carry the feed's floating zone. */
struct cal_tval {
    int64_t wall;
    icaltimezone *tz;
    bool is_date;
};

enum cal_alarm_kind { ALARM_START, ALARM_END, ALARM_ABS };

struct cal_alarm {
    enum cal_alarm_kind kind;
    int64_t off; /* seconds relative to start/end, or absolute UTC */
    int repeat;  /* extra firings */
    int64_t every;
};

struct cal_rdate {
    struct cal_tval start;
    bool has_end;
    int64_t end_utc; /* PERIOD end (UTC) */
};

struct cal_ev {
    const char *uid, *summary, *location, *url, *description; /* arena */
    struct cal_tval start;
    int64_t start_utc;
    int64_t dur_days, dur_secs;       /* end = start + nominal days (local) + exact seconds */
    struct icalrecurrencetype *rules; /* malloc'd, normalized; count/until kept here */
    int nrules;
    struct cal_rdate *rdates;
    int nrdates;
    int64_t *ex_utc; /* sorted UTC instants */
    int nex_utc;
    int64_t *ex_day; /* sorted local dates (days since epoch) */
    int nex_day;
    bool has_rid, rid_future;
    struct cal_tval rid;
    int64_t rid_utc;
    bool cancelled;
    int sequence;
    struct cal_alarm *alarms;
    int nalarms;
    int line; /* of BEGIN:VEVENT */
};

struct cal_arena_blk;

struct cal_feed {
    struct cal_arena_blk *arena;
    struct cal_ev *ev;
    size_t nev, cap;
    size_t *masters; /* indexes of events without RECURRENCE-ID */
    size_t nmasters;
    size_t *ovr; /* indexes of overrides, sorted by uid then rid */
    size_t novr;
    icalcomponent *tzcal; /* holds the in-file VTIMEZONEs; owned */
    icaltimezone *floatz; /* NULL = UTC */
    char zone_name[64];
    int64_t max_ahead, max_lag; /* widest alarm reach before start / after start */
    struct {
        char tzid[64];
        icaltimezone *tz;
        bool ok;
    } zcache[16]; /* TZID resolutions (libical's builtin lookup is a linear scan) */
    int nzcache;
};

/* calendar_zone.c */
int64_t cal_days_from_civil(int y, int m, int d);
/* UTC -> offset (seconds east) in tz (NULL = 0). */
int cal_tz_offset(icaltimezone *tz, int64_t utc);
/* Wall clock -> UTC. RFC 5545 3.3.5: a time in a gap is read with the offset
 * before the gap; a time in an overlap is the first occurrence. */
int64_t cal_wall_to_utc(icaltimezone *tz, int64_t wall);
int64_t cal_tval_utc(const struct cal_tval *v);
/* |UTC offset| never exceeds this (libical reads TZOFFSETTO as +-HHMM[SS], < 100 h),
 * so a wall time this far below a bound is before it in UTC too. */
#define CAL_OFF_BOUND (7 * 86400LL)
/* Resolves a TZID: in-file VTIMEZONE, builtin IANA, Windows name, trimmed forms.
 * Returns false if nothing matched. *tz = NULL means UTC. */
bool cal_zone_resolve(struct cal_feed *f, const char *tzid, icaltimezone **tz);

/* Per-expansion UTC-offset tables: each zone's offset changes inside [lo, hi),
 * found once by sampling libical every CAL_ZC_STEP seconds and bisecting to the
 * exact second, then read by binary search. Instants outside [lo, hi), zones past
 * CAL_ZC_ZONES and zones with more than CAL_ZC_CHANGES changes go to libical.
 * Assumes no zone has two changes closer than CAL_ZC_STEP that cancel out (the
 * +-1 day probe of cal_wall_to_utc already assumes one change per day). */
#define CAL_ZC_STEP (6 * 3600)
#define CAL_ZC_ZONES 16
#define CAL_ZC_CHANGES 64
#define CAL_ZC_SPAN (12LL * 366 * 86400) /* wider windows skip the tables */
struct cal_ztab {
    icaltimezone *tz;
    bool ok;
    int n;
    int64_t at[CAL_ZC_CHANGES + 1]; /* at[0] = lo; off[i] holds on [at[i], at[i+1]) */
    int off[CAL_ZC_CHANGES + 1];
};
struct cal_zcache {
    int64_t lo, hi; /* lo == hi: tables disabled */
    int nz, last;
    struct cal_ztab z[CAL_ZC_ZONES];
};
void cal_zc_init(struct cal_zcache *zc, int64_t lo, int64_t hi);
/* As cal_tz_offset / cal_wall_to_utc, read through zc (NULL = libical). */
int cal_zc_offset(struct cal_zcache *zc, icaltimezone *tz, int64_t utc);
int64_t cal_zc_wall_to_utc(struct cal_zcache *zc, icaltimezone *tz, int64_t wall);

/* calendar_fast.c: native walk of the common RRULE shapes (state is plain data) */
struct cal_fast {
    int freq, interval, wkst, y0, m0, d0;
    int64_t day0, tod, period;
    unsigned wdmask, monmask;
    signed char md[31], ord_pos[8], ord_wd[8];
    int nmd, nord;
    int64_t days[400];
    int n, pos;
    int64_t step;                        /* sub-daily: seconds per period */
    uint64_t hourmask, minmask, secmask; /* sub-daily limits; 0 = any */
};
/* False when the rule needs libical. COUNT/UNTIL are applied by the caller. With
 * may_skip, starts at the period holding skip_wall. */
bool cal_fast_init(struct cal_fast *fs, const struct icalrecurrencetype *r, int64_t dtwall,
                   bool is_date, int64_t skip_wall, bool may_skip);
bool cal_fast_next(struct cal_fast *fs, int64_t *wall);

/* calendar_rrule.c: one RRULE walked in wall-clock time with libical's bugs fixed */
struct cal_rr;
/* skip_wall: first wall time of interest (may be ignored when COUNT is set);
 * stop_wall: no instance after it is wanted (bounds libical's own search).
 * NULL when the rule yields nothing or on ENOMEM. */
struct cal_rr *cal_rr_new(const struct icalrecurrencetype *rule, const struct cal_tval *dtstart,
                          int64_t skip_wall, int64_t stop_wall);
bool cal_rr_next(struct cal_rr *r, int64_t *wall);
void cal_rr_free(struct cal_rr *r);
long cal_rr_steps(const struct cal_rr *r); /* work done, for the expansion budget */
/* Parse-time clean-up of a rule (dedupe BYDAY, sort BYHOUR/...); false if unusable. */
bool cal_rr_normalize(struct icalrecurrencetype *rule);

/* calendar_parse.c */
void *cal_arena_alloc(struct cal_feed *f, size_t n);

#endif
