/* calendar_parse.c - .ics text -> struct cal_feed. Pass 1 checks the component
 * structure and collects VTIMEZONEs (handed to libical) and X-WR-TIMEZONE; pass 2
 * reads each VEVENT, resolving every value through our own TZID rules (libical
 * 3.0.16 drops the TZID of RDATE and RECURRENCE-ID). Loop thread only. */
#include "schedules/calendar_int.h"
#include "schedules/calendar_lex.h"
#include "bot/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 12
#define MAX_LIST 100000
#define REACH_CAP (400 * 86400LL)

struct cal_arena_blk {
    struct cal_arena_blk *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

void *cal_arena_alloc(struct cal_feed *f, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct cal_arena_blk *b = f->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->next = f->arena;
        b->used = 0;
        b->cap = cap;
        f->arena = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

static void ev_free(struct cal_ev *e)
{
    free(e->rules);
    free(e->rdates);
    free(e->ex_utc);
    free(e->ex_day);
    free(e->alarms);
}

void cal_feed_free(struct cal_feed *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nev; i++)
        ev_free(&f->ev[i]);
    free(f->ev);
    free(f->masters);
    free(f->ovr);
    if (f->tzcal)
        icalcomponent_free(f->tzcal);
    while (f->arena) {
        struct cal_arena_blk *n = f->arena->next;
        free(f->arena);
        f->arena = n;
    }
    free(f);
}

size_t cal_feed_event_count(const struct cal_feed *f)
{
    return f ? f->nev : 0;
}

const char *cal_feed_zone(const struct cal_feed *f)
{
    return f->zone_name;
}

/* Appends one element to a malloc'd array of `sz`-byte items. */
static int push(void **arr, int *n, size_t sz, const void *item)
{
    if (*n >= MAX_LIST)
        return BOT_ETOOBIG;
    if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to the next power of two */
        void *p = realloc(*arr, sz * (size_t)(*n ? *n * 2 : 1));
        if (!p)
            return BOT_ENOMEM;
        *arr = p;
    }
    memcpy((char *)*arr + sz * (size_t)*n, item, sz);
    (*n)++;
    return 0;
}

/* ---- pass 1: structure, VTIMEZONEs, X-WR-TIMEZONE ---- */

struct pass1 {
    struct buf tz; /* VTIMEZONE text */
    char xwr[128]; /* X-WR-TIMEZONE */
};

static int structure(struct cal_lex *lx, struct pass1 *p1, char err[BOT_ERR_LEN])
{
    char stack[MAX_DEPTH][32];
    int lines[MAX_DEPTH], depth = 0, rc;
    bool seen_cal = false;
    const char *tz_start = NULL;
    while ((rc = cal_lex_next(lx, err)) > 0) {
        bool begin = strcmp(lx->name, "BEGIN") == 0, end = strcmp(lx->name, "END") == 0;
        if (depth == 0 && (seen_cal || !begin || strcasecmp(lx->value, "VCALENDAR") != 0)) {
            snprintf(err, BOT_ERR_LEN, "line %d: %s", lx->lineno,
                     seen_cal ? "content after END:VCALENDAR" : "expected BEGIN:VCALENDAR");
            return BOT_EINVAL;
        }
        if (begin) {
            if (depth == MAX_DEPTH || !*lx->value || strlen(lx->value) >= 32) {
                snprintf(err, BOT_ERR_LEN, "line %d: bad or too deeply nested BEGIN", lx->lineno);
                return BOT_EINVAL;
            }
            for (char *c = lx->value; *c; c++)
                *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
            snprintf(stack[depth], 32, "%s", lx->value);
            lines[depth++] = lx->lineno;
            seen_cal = true;
            if (depth == 2 && strcmp(lx->value, "VTIMEZONE") == 0)
                tz_start = lx->start;
        } else if (end) {
            if (strcasecmp(lx->value, stack[depth - 1]) != 0) {
                snprintf(err, BOT_ERR_LEN, "line %d: END:%.32s does not close BEGIN:%s (line %d)",
                         lx->lineno, lx->value, stack[depth - 1], lines[depth - 1]);
                return BOT_EINVAL;
            }
            depth--;
            if (depth == 1 && tz_start) {
                if (buf_append(&p1->tz, tz_start, (size_t)(lx->stop - tz_start)) ||
                    buf_puts(&p1->tz, "\r\n")) {
                    snprintf(err, BOT_ERR_LEN, "out of memory");
                    return BOT_ENOMEM;
                }
                tz_start = NULL;
            }
        } else if (depth == 1 && strcmp(lx->name, "X-WR-TIMEZONE") == 0) {
            snprintf(p1->xwr, sizeof(p1->xwr), "%s", lx->value);
        }
    }
    if (rc < 0)
        return rc;
    if (depth > 0) {
        snprintf(err, BOT_ERR_LEN, "line %d: BEGIN:%s is never closed", lines[depth - 1],
                 stack[depth - 1]);
        return BOT_EINVAL;
    }
    if (!seen_cal) {
        snprintf(err, BOT_ERR_LEN, "line 1: empty input (no BEGIN:VCALENDAR)");
        return BOT_EINVAL;
    }
    return 0;
}

static int setup_zones(struct cal_feed *f, struct pass1 *p1, const char *def, char err[BOT_ERR_LEN])
{
    if (p1->tz.len) {
        struct buf all;
        buf_init(&all, p1->tz.len + 128);
        if (buf_puts(&all, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") ||
            buf_append(&all, p1->tz.p, p1->tz.len) || buf_puts(&all, "END:VCALENDAR\r\n")) {
            snprintf(err, BOT_ERR_LEN, "out of memory");
            return BOT_ENOMEM;
        }
        f->tzcal = icalparser_parse_string(all.p);
        buf_free(&all);
        if (f->tzcal && icalcomponent_isa(f->tzcal) != ICAL_VCALENDAR_COMPONENT) {
            icalcomponent_free(f->tzcal);
            f->tzcal = NULL;
        }
    }
    icaltimezone *z = NULL;
    if (p1->xwr[0] && cal_zone_resolve(f, p1->xwr, &z)) {
        f->floatz = z;
        snprintf(f->zone_name, sizeof(f->zone_name), "%.63s", p1->xwr);
        return 0;
    }
    if (def && *def && !cal_zone_resolve(f, def, &z)) {
        snprintf(err, BOT_ERR_LEN, "unknown time zone \"%.64s\"", def);
        return BOT_EINVAL;
    }
    f->floatz = def && *def ? z : NULL;
    snprintf(f->zone_name, sizeof(f->zone_name), "%.63s", def && *def ? def : "UTC");
    return 0;
}

/* ---- pass 2: VEVENTs ---- */

struct evb {
    struct cal_ev ev;
    bool in, has_start, has_end, has_dur, in_alarm, has_trigger;
    struct cal_tval end;
    struct icaldurationtype dur;
    struct cal_alarm alarm;
    struct icaldurationtype alarm_every;
    int depth; /* nesting inside the VEVENT */
};

static int bad(const struct cal_lex *lx, char err[BOT_ERR_LEN], const char *what)
{
    char shown[48];
    snprintf(shown, sizeof(shown), "%.40s", lx->value);
    snprintf(err, BOT_ERR_LEN, "line %d: %s: invalid %s \"%s\"", lx->lineno, lx->name, what, shown);
    return BOT_EINVAL;
}

/* One DATE / DATE-TIME token with the line's TZID. */
static int tval(struct cal_feed *f, const struct cal_lex *lx, const char *s, size_t n,
                struct cal_tval *out, bool *is_utc)
{
    bool date, utc;
    if (!cal_lex_datetime(s, n, &out->wall, &date, &utc))
        return BOT_EINVAL;
    out->is_date = date;
    out->tz = f->floatz;
    const char *tzid = cal_lex_param(lx, "TZID");
    if (utc)
        out->tz = NULL;
    else if (!date && tzid && !cal_zone_resolve(f, tzid, &out->tz))
        out->tz = f->floatz; /* unknown zone: floating, read in the feed's zone */
    if (is_utc)
        *is_utc = utc;
    return 0;
}

static char *text(struct cal_feed *f, const char *s, bool unescape)
{
    size_t n = strlen(s);
    char *p = cal_arena_alloc(f, n + 1);
    if (!p)
        return NULL;
    if (unescape)
        cal_lex_unescape(s, p);
    else
        memcpy(p, s, n + 1);
    return p;
}

static int duration(const struct cal_lex *lx, const char *s, struct icaldurationtype *d,
                    char err[BOT_ERR_LEN])
{
    *d = icaldurationtype_from_string(s);
    if (icaldurationtype_is_bad_duration(*d) || !*s)
        return bad(lx, err, "duration");
    return 0;
}

static int rdate_one(struct cal_feed *f, struct evb *b, const struct cal_lex *lx, const char *tok,
                     size_t n)
{
    struct cal_rdate rd = {0};
    const char *slash = memchr(tok, '/', n);
    size_t sn = slash ? (size_t)(slash - tok) : n;
    if (tval(f, lx, tok, sn, &rd.start, NULL))
        return BOT_EINVAL;
    if (slash) { /* PERIOD: start/end or start/duration */
        char tmp[64];
        size_t rn = n - sn - 1;
        if (rn == 0 || rn >= sizeof(tmp))
            return BOT_EINVAL;
        memcpy(tmp, slash + 1, rn);
        tmp[rn] = '\0';
        struct cal_tval e;
        if (tmp[0] == 'P' || tmp[0] == '+' || tmp[0] == '-') {
            struct icaldurationtype d = icaldurationtype_from_string(tmp);
            if (icaldurationtype_is_bad_duration(d))
                return BOT_EINVAL;
            rd.end_utc = cal_tval_utc(&rd.start) + icaldurationtype_as_int(d);
        } else if (tval(f, lx, tmp, rn, &e, NULL) == 0) {
            rd.end_utc = cal_tval_utc(&e);
        } else {
            return BOT_EINVAL;
        }
        rd.has_end = true;
    }
    return push((void **)&b->ev.rdates, &b->ev.nrdates, sizeof(rd), &rd);
}

static int exdate_one(struct cal_feed *f, struct evb *b, const struct cal_lex *lx, const char *tok,
                      size_t n)
{
    struct cal_tval v;
    if (tval(f, lx, tok, n, &v, NULL))
        return BOT_EINVAL;
    if (v.is_date) {
        int64_t day = v.wall / 86400;
        return push((void **)&b->ev.ex_day, &b->ev.nex_day, sizeof(day), &day);
    }
    int64_t t = cal_tval_utc(&v);
    return push((void **)&b->ev.ex_utc, &b->ev.nex_utc, sizeof(t), &t);
}

/* Comma-separated RDATE / EXDATE values. */
static int list(struct cal_feed *f, struct evb *b, const struct cal_lex *lx, bool rdate,
                char err[BOT_ERR_LEN])
{
    const char *s = lx->value;
    for (;;) {
        const char *c = strchr(s, ',');
        size_t n = c ? (size_t)(c - s) : strlen(s);
        while (n && (s[n - 1] == ' '))
            n--;
        int rc = rdate ? rdate_one(f, b, lx, s, n) : exdate_one(f, b, lx, s, n);
        if (rc == BOT_ENOMEM || rc == BOT_ETOOBIG) {
            snprintf(err, BOT_ERR_LEN, "line %d: %s: too many values", lx->lineno, lx->name);
            return rc;
        }
        if (rc)
            return bad(lx, err, rdate ? "date, date-time or period" : "date or date-time");
        if (!c)
            return 0;
        s = c + 1;
    }
}

static int rrule(struct evb *b, const struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    struct icalrecurrencetype r = icalrecurrencetype_from_string(lx->value);
    if (!cal_rr_normalize(&r))
        return bad(lx, err, "recurrence rule");
    if (r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE) {
        /* a study calendar never repeats faster than hourly; these rules only make
         * work (86,400 instances a day) for the host */
        snprintf(err, BOT_ERR_LEN,
                 "line %d: RRULE: FREQ=%s is not supported (use HOURLY or slower)", lx->lineno,
                 r.freq == ICAL_SECONDLY_RECURRENCE ? "SECONDLY" : "MINUTELY");
        return BOT_EINVAL;
    }
    if (b->ev.nrules >= 8)
        return 0; /* more than one RRULE is deprecated; eight is plenty */
    return push((void **)&b->ev.rules, &b->ev.nrules, sizeof(r), &r);
}

static int alarm_prop(struct cal_feed *f, struct evb *b, struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    if (strcmp(lx->name, "TRIGGER") == 0) {
        const char *v = cal_lex_param(lx, "VALUE"), *rel = cal_lex_param(lx, "RELATED");
        if (v && strcasecmp(v, "DATE-TIME") == 0) {
            struct cal_tval t;
            if (tval(f, lx, lx->value, strlen(lx->value), &t, NULL))
                return bad(lx, err, "date-time");
            b->alarm.kind = ALARM_ABS;
            b->alarm.off = cal_tval_utc(&t);
        } else {
            struct icaldurationtype d;
            if (duration(lx, lx->value, &d, err))
                return BOT_EINVAL;
            b->alarm.kind = rel && strcasecmp(rel, "END") == 0 ? ALARM_END : ALARM_START;
            b->alarm.off = icaldurationtype_as_int(d);
        }
        b->has_trigger = true;
    } else if (strcmp(lx->name, "REPEAT") == 0) {
        char *e;
        long n = strtol(lx->value, &e, 10);
        if (e == lx->value || *e || n < 0)
            return bad(lx, err, "integer");
        b->alarm.repeat = n > 100 ? 100 : (int)n;
    } else if (strcmp(lx->name, "DURATION") == 0) {
        struct icaldurationtype d;
        if (duration(lx, lx->value, &d, err))
            return BOT_EINVAL;
        b->alarm.every = icaldurationtype_as_int(d);
    }
    return 0;
}

static int event_prop(struct cal_feed *f, struct evb *b, struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    const char *n = lx->name;
    struct cal_ev *e = &b->ev;
    const char **slot = strcmp(n, "UID") == 0           ? &e->uid
                        : strcmp(n, "SUMMARY") == 0     ? &e->summary
                        : strcmp(n, "LOCATION") == 0    ? &e->location
                        : strcmp(n, "URL") == 0         ? &e->url
                        : strcmp(n, "DESCRIPTION") == 0 ? &e->description
                                                        : NULL;
    if (slot) {
        *slot = text(f, lx->value, slot != &e->url && slot != &e->uid);
        if (!*slot)
            return BOT_ENOMEM;
    } else if (strcmp(n, "DTSTART") == 0 || strcmp(n, "DTEND") == 0 ||
               strcmp(n, "RECURRENCE-ID") == 0) {
        struct cal_tval v;
        if (tval(f, lx, lx->value, strlen(lx->value), &v, NULL))
            return bad(lx, err, "date or date-time");
        if (n[1] == 'T' && n[2] == 'S') {
            e->start = v;
            b->has_start = true;
        } else if (n[1] == 'T') {
            b->end = v;
            b->has_end = true;
        } else {
            const char *range = cal_lex_param(lx, "RANGE");
            e->rid = v;
            e->has_rid = true;
            e->rid_future = range && strcasecmp(range, "THISANDFUTURE") == 0;
        }
    } else if (strcmp(n, "DURATION") == 0) {
        if (duration(lx, lx->value, &b->dur, err))
            return BOT_EINVAL;
        b->has_dur = true;
    } else if (strcmp(n, "RRULE") == 0) {
        return rrule(b, lx, err);
    } else if (strcmp(n, "RDATE") == 0 || strcmp(n, "EXDATE") == 0) {
        return list(f, b, lx, n[0] == 'R', err);
    } else if (strcmp(n, "STATUS") == 0) {
        e->cancelled = strcasecmp(lx->value, "CANCELLED") == 0;
    } else if (strcmp(n, "SEQUENCE") == 0) {
        e->sequence = (int)strtol(lx->value, NULL, 10);
    }
    return 0;
}

/* Durations: DTEND - DTSTART is exact; DURATION days are nominal; all-day default 1 day. */
static void finish_span(struct evb *b)
{
    struct cal_ev *e = &b->ev;
    e->start_utc = cal_tval_utc(&e->start);
    if (e->start.is_date) {
        int64_t days = 1;
        if (b->has_end && b->end.is_date)
            days = b->end.wall / 86400 - e->start.wall / 86400;
        else if (b->has_dur && !b->dur.is_neg)
            days = (int64_t)b->dur.weeks * 7 + b->dur.days;
        e->dur_days = days > 0 ? days : 1;
        return;
    }
    if (b->has_end) {
        int64_t d = cal_tval_utc(&b->end) - e->start_utc;
        e->dur_secs = d > 0 ? d : 0;
    } else if (b->has_dur && !b->dur.is_neg) {
        e->dur_days = (int64_t)b->dur.weeks * 7 + b->dur.days;
        e->dur_secs = (int64_t)b->dur.hours * 3600 + b->dur.minutes * 60 + b->dur.seconds;
    }
}

static void note_reach(struct cal_feed *f, const struct cal_ev *e)
{
    int64_t span = e->dur_days * 86400 + e->dur_secs + 7200;
    for (int i = 0; i < e->nalarms; i++) {
        const struct cal_alarm *a = &e->alarms[i];
        int64_t first = a->kind == ALARM_ABS   ? a->off - e->start_utc
                        : a->kind == ALARM_END ? span + a->off
                                               : a->off;
        int64_t last = first + (int64_t)a->repeat * a->every;
        int64_t ahead = -(first < last ? first : last), lag = first > last ? first : last;
        if (ahead > f->max_ahead)
            f->max_ahead = ahead < REACH_CAP ? ahead : REACH_CAP;
        if (lag > f->max_lag)
            f->max_lag = lag < REACH_CAP ? lag : REACH_CAP;
    }
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
    return h;
}

static int finish_event(struct cal_feed *f, struct evb *b, char err[BOT_ERR_LEN])
{
    struct cal_ev *e = &b->ev;
    if (!b->has_start) {
        snprintf(err, BOT_ERR_LEN, "line %d: VEVENT has no DTSTART", e->line);
        return BOT_EINVAL;
    }
    const char **str[] = {&e->summary, &e->location, &e->url, &e->description};
    for (size_t i = 0; i < 4; i++)
        if (!*str[i])
            *str[i] = "";
    if (!e->uid) { /* RFC 5545 requires UID; derive a stable one */
        uint64_t h = fnv(14695981039346656037ULL, e->summary, strlen(e->summary));
        h = fnv(h, &e->start.wall, sizeof(e->start.wall));
        char tmp[40];
        snprintf(tmp, sizeof(tmp), "nouid-%016llx", (unsigned long long)h);
        if (!(e->uid = text(f, tmp, false)))
            return BOT_ENOMEM;
    }
    finish_span(b);
    if (e->has_rid)
        e->rid_utc = cal_tval_utc(&e->rid);
    note_reach(f, e);
    if (f->nev == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        struct cal_ev *p = realloc(f->ev, cap * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        f->ev = p;
        f->cap = cap;
    }
    f->ev[f->nev++] = *e;
    memset(b, 0, sizeof(*b));
    return 0;
}

static int on_line(struct cal_feed *f, struct evb *b, struct cal_lex *lx, int *depth,
                   char err[BOT_ERR_LEN])
{
    bool begin = strcmp(lx->name, "BEGIN") == 0, end = strcmp(lx->name, "END") == 0;
    *depth += begin ? 1 : end ? -1 : 0;
    if (!b->in) {
        if (begin && *depth == 2 && strcasecmp(lx->value, "VEVENT") == 0) {
            b->in = true;
            b->ev.line = lx->lineno;
        }
        return 0;
    }
    if (end && *depth == 1)
        return finish_event(f, b, err);
    if (begin && *depth == 3 && strcasecmp(lx->value, "VALARM") == 0) {
        b->in_alarm = true;
        b->has_trigger = false;
        memset(&b->alarm, 0, sizeof(b->alarm));
        return 0;
    }
    if (end && *depth == 2 && b->in_alarm) {
        b->in_alarm = false;
        if (!b->has_trigger)
            return 0;
        if (b->alarm.every <= 0)
            b->alarm.repeat = 0;
        return push((void **)&b->ev.alarms, &b->ev.nalarms, sizeof(b->alarm), &b->alarm);
    }
    if (*depth == 3 && b->in_alarm && !begin && !end)
        return alarm_prop(f, b, lx, err);
    if (*depth == 2 && !begin && !end)
        return event_prop(f, b, lx, err);
    return 0;
}

static int events(struct cal_feed *f, struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    struct evb b;
    memset(&b, 0, sizeof(b));
    int depth = 0, rc;
    while ((rc = cal_lex_next(lx, err)) > 0) {
        rc = on_line(f, &b, lx, &depth, err);
        if (rc == BOT_ENOMEM || rc == BOT_ETOOBIG) {
            snprintf(err, BOT_ERR_LEN, "line %d: out of memory or too many values", lx->lineno);
            rc = BOT_ENOMEM;
        }
        if (rc)
            break;
    }
    if (b.in)
        ev_free(&b.ev);
    return rc;
}

/* ---- indexes ---- */

static int cmp_ovr(const void *a, const void *b, void *ctx)
{
    const struct cal_feed *f = ctx;
    const struct cal_ev *x = &f->ev[*(const size_t *)a];
    const struct cal_ev *y = &f->ev[*(const size_t *)b];
    int c = strcmp(x->uid, y->uid);
    if (c)
        return c;
    if (x->rid_utc != y->rid_utc)
        return x->rid_utc < y->rid_utc ? -1 : 1;
    return x->sequence - y->sequence;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int build_index(struct cal_feed *f)
{
    f->masters = malloc((f->nev + 1) * sizeof(size_t));
    f->ovr = malloc((f->nev + 1) * sizeof(size_t));
    if (!f->masters || !f->ovr)
        return BOT_ENOMEM;
    for (size_t i = 0; i < f->nev; i++) {
        struct cal_ev *e = &f->ev[i];
        if ((size_t)e->nex_utc > 1)
            qsort(e->ex_utc, (size_t)e->nex_utc, sizeof(int64_t), cmp_i64);
        if ((size_t)e->nex_day > 1)
            qsort(e->ex_day, (size_t)e->nex_day, sizeof(int64_t), cmp_i64);
        if (e->has_rid)
            f->ovr[f->novr++] = i;
        else
            f->masters[f->nmasters++] = i;
    }
    if (f->novr > 1)
        qsort_r(f->ovr, f->novr, sizeof(size_t), cmp_ovr, f);
    /* Same UID and RECURRENCE-ID twice: keep the higher SEQUENCE (sorted last). */
    size_t k = 0;
    for (size_t i = 0; i < f->novr; i++) {
        if (k > 0) {
            const struct cal_ev *p = &f->ev[f->ovr[k - 1]], *c = &f->ev[f->ovr[i]];
            if (strcmp(p->uid, c->uid) == 0 && p->rid_utc == c->rid_utc) {
                f->ovr[k - 1] = f->ovr[i];
                continue;
            }
        }
        f->ovr[k++] = f->ovr[i];
    }
    f->novr = k;
    return 0;
}

int cal_parse(const char *text, size_t len, const char *default_zone, struct cal_feed **out,
              char err[BOT_ERR_LEN])
{
    *out = NULL;
    err[0] = '\0';
    icalerror_set_errors_are_fatal(0);
    struct cal_feed *f = calloc(1, sizeof(*f));
    struct pass1 p1;
    struct cal_lex lx;
    memset(&p1, 0, sizeof(p1));
    buf_init(&p1.tz, len + 1);
    cal_lex_init(&lx, text, len);
    int rc = BOT_ENOMEM;
    if (!f)
        goto fail;
    rc = structure(&lx, &p1, err);
    if (rc)
        goto fail;
    rc = setup_zones(f, &p1, default_zone, err);
    if (rc)
        goto fail;
    cal_lex_free(&lx);
    cal_lex_init(&lx, text, len);
    rc = events(f, &lx, err);
    if (rc)
        goto fail;
    rc = build_index(f);
    if (rc)
        goto fail;
    buf_free(&p1.tz);
    cal_lex_free(&lx);
    *out = f;
    return 0;
fail:
    if (rc == BOT_ENOMEM && !err[0])
        snprintf(err, BOT_ERR_LEN, "out of memory");
    buf_free(&p1.tz);
    cal_lex_free(&lx);
    cal_feed_free(f);
    return rc;
}
