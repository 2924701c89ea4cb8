/* sessions.h - the study-group sessions of a cohort and the Discord scheduled events
 * that mirror them. Pure: every session of every group from the cohort's start date,
 * the group's weeks, meeting days, local time and zone (DST-correct: the wall time is
 * kept, the UTC instant moves), and a planner that, given `now`, the sessions and the
 * events we already made, says which to create, update, start, complete, cancel or
 * delete. Any thread. Arrays returned are owned by the caller (free()). */
#ifndef COHORT_SESSIONS_H
#define COHORT_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "bot/store_studygroup.h"

struct curriculum;

#define SG_SESSION_MINUTES 60 /* like the .ics (DURATION:PT1H) */

struct sg_session {
    int group;            /* index into cur->groups */
    int week;             /* cohort week 1..n */
    char date[11];        /* local date YYYY-MM-DD in the group's zone */
    int64_t start, end;   /* UTC seconds */
    char key[SG_KEY_LEN]; /* "<group name>/<n>": the n-th session of the group (1-based) */
};

/* Every session of every group for a cohort whose day 1 is start_date; zone_fallback
 * is used for a group without a zone. Sorted by start, then key. 0 or BOT_EINVAL (bad
 * date or zone) / BOT_ENOMEM. *out is NULL when n is 0. */
int sg_sessions(const struct curriculum *cur, const char *start_date, const char *zone_fallback,
                struct sg_session **out, size_t *n);

enum sg_action {
    SG_CREATE = 1, /* session in the window without an event */
    SG_UPDATE,     /* times or text changed */
    SG_START,      /* start time reached: status ACTIVE */
    SG_COMPLETE,   /* end reached while ACTIVE: status COMPLETED */
    SG_CANCEL,     /* session cancelled by an organiser: status CANCELED */
    SG_DELETE,     /* session no longer exists, or ended without being started */
    SG_ADOPT,      /* pending create of unknown outcome: look for it in the guild first */
};

struct sg_step {
    enum sg_action action;
    int session; /* index into sessions, -1 for an event without a session */
    int event;   /* index into events, -1 for SG_CREATE */
};

struct sg_plan_in {
    const struct sg_session *sessions;
    size_t n_sessions;
    const uint32_t *shapes;         /* per session: the shape it should have */
    const unsigned char *cancelled; /* per session: 1 = cancelled by an organiser */
    const struct sg_event *events;
    size_t n_events;
    int64_t now;
    int64_t window_s; /* create events whose session starts before now + window */
};

/* Steps to bring the guild in step, in execution order (deletes/cancels first, then
 * updates, then creates by start). 0 or BOT_ENOMEM. *out owned by the caller. */
int sg_plan(const struct sg_plan_in *in, struct sg_step **out, size_t *n);

/* FNV-1a 32 of a string, chained from h (start with 2166136261u). */
uint32_t sg_hash(uint32_t h, const char *s);

#endif
