/* sessions.c - study-group sessions and the event planner (see sessions.h). */
#include "schedules/sessions.h"
#include "bot/err.h"
#include "bot/tz.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t sg_hash(uint32_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        h = (h ^ *p) * 16777619u;
    return (h ^ 0xff) * 16777619u; /* a separator, so ("ab","c") != ("a","bc") */
}

static int weekday(int64_t days)
{
    return (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

/* Appends group g's sessions. */
static int group_sessions(const struct curriculum *cur, int gi, int64_t d0, const char *zone,
                          struct sg_session *out, size_t *n)
{
    const struct cur_group *g = &cur->groups[gi];
    int ordinal = 0;
    for (int64_t d = d0 + (int64_t)(g->first_week - 1) * 7; d < d0 + (int64_t)g->last_week * 7;
         d++) {
        if (!(g->weekdays & (1u << weekday(d))))
            continue;
        struct sg_session *s = &out[(*n)++];
        memset(s, 0, sizeof(*s));
        struct civil c = {0};
        tz_civil_from_days(d, &c.year, &c.month, &c.day);
        c.hour = g->hour;
        c.minute = g->minute;
        if (tz_to_utc(zone, &c, &s->start))
            return BOT_EINVAL;
        s->end = s->start + SG_SESSION_MINUTES * 60;
        s->group = gi;
        s->week = (int)((d - d0) / 7) + 1;
        snprintf(s->date, sizeof(s->date), "%04d-%02d-%02d", c.year, c.month, c.day);
        snprintf(s->key, sizeof(s->key), "%.80s/%d", g->name, ++ordinal);
    }
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const struct sg_session *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return strcmp(x->key, y->key);
}

int sg_sessions(const struct curriculum *cur, const char *start_date, const char *zone_fallback,
                struct sg_session **out, size_t *n)
{
    int y, m, d;
    *out = NULL;
    *n = 0;
    if (tz_parse_date(start_date, &y, &m, &d))
        return BOT_EINVAL;
    int64_t d0 = tz_days_from_civil(y, m, d);
    size_t cap = 0;
    for (size_t i = 0; i < cur->n_groups; i++) {
        const struct cur_group *g = &cur->groups[i];
        if (g->last_week >= g->first_week && g->first_week >= 1)
            cap += (size_t)(g->last_week - g->first_week + 1) * 7;
    }
    if (cap == 0)
        return 0;
    struct sg_session *v = calloc(cap, sizeof(*v));
    if (!v)
        return BOT_ENOMEM;
    for (size_t i = 0; i < cur->n_groups; i++) {
        const struct cur_group *g = &cur->groups[i];
        const char *zone = g->zone && *g->zone ? g->zone : zone_fallback;
        if (g->first_week < 1 || g->last_week < g->first_week)
            continue;
        int rc = group_sessions(cur, (int)i, d0, zone, v, n);
        if (rc) {
            free(v);
            *n = 0;
            return rc;
        }
    }
    qsort(v, *n, sizeof(*v), by_start);
    *out = v;
    return 0;
}

/* ---- planner ---- */

static int find_event(const struct sg_plan_in *in, const char *key)
{
    for (size_t i = 0; i < in->n_events; i++)
        if (strcmp(in->events[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int find_session(const struct sg_plan_in *in, const char *key)
{
    for (size_t i = 0; i < in->n_sessions; i++)
        if (strcmp(in->sessions[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The step for session si (event ei or -1); 0 = nothing to do. */
static enum sg_action session_step(const struct sg_plan_in *in, int si, int ei)
{
    const struct sg_session *s = &in->sessions[si];
    const struct sg_event *e = ei >= 0 ? &in->events[ei] : NULL;
    bool cancelled = in->cancelled && in->cancelled[si];
    bool future = s->start > in->now;
    bool in_window = future && s->start < in->now + in->window_s;
    if (!e || e->state == SG_EV_DELETED || e->state == SG_EV_CANCELED)
        return !cancelled && in_window ? SG_CREATE : 0;
    if (e->state == SG_EV_PENDING)
        return SG_ADOPT;
    if (e->state == SG_EV_SCHEDULED) {
        if (cancelled)
            return SG_CANCEL;
        if (in->now >= s->end)
            return SG_DELETE;
        if (e->start != s->start || e->end != s->end ||
            (in->shapes && in->shapes[si] && e->shape != in->shapes[si]))
            return future ? SG_UPDATE : SG_START;
        return future ? 0 : SG_START;
    }
    if (e->state == SG_EV_ACTIVE && in->now >= e->end)
        return SG_COMPLETE;
    return 0;
}

static enum sg_action orphan_step(const struct sg_event *e)
{
    switch (e->state) {
    case SG_EV_PENDING:
        return SG_ADOPT;
    case SG_EV_SCHEDULED:
        return SG_DELETE;
    case SG_EV_ACTIVE:
        return SG_COMPLETE;
    default:
        return 0;
    }
}

static int rank(enum sg_action a)
{
    switch (a) {
    case SG_ADOPT:
        return 0;
    case SG_CANCEL:
    case SG_DELETE:
    case SG_COMPLETE:
        return 1;
    case SG_START:
        return 2;
    case SG_UPDATE:
        return 3;
    default:
        return 4;
    }
}

int sg_plan(const struct sg_plan_in *in, struct sg_step **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = in->n_sessions + in->n_events;
    if (cap == 0)
        return 0;
    struct sg_step *v = calloc(cap, sizeof(*v));
    if (!v)
        return BOT_ENOMEM;
    for (size_t si = 0; si < in->n_sessions; si++) {
        int ei = find_event(in, in->sessions[si].key);
        enum sg_action a = session_step(in, (int)si, ei);
        if (a)
            v[(*n)++] = (struct sg_step){a, (int)si, a == SG_CREATE ? -1 : ei};
    }
    for (size_t ei = 0; ei < in->n_events; ei++) {
        if (find_session(in, in->events[ei].key) >= 0)
            continue;
        enum sg_action a = orphan_step(&in->events[ei]);
        if (a)
            v[(*n)++] = (struct sg_step){a, -1, (int)ei};
    }
    /* stable insertion sort by rank (sessions are already by start) */
    for (size_t i = 1; i < *n; i++) {
        struct sg_step t = v[i];
        size_t j = i;
        for (; j > 0 && rank(v[j - 1].action) > rank(t.action); j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
    *out = v;
    return 0;
}
