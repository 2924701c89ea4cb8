/* test_sessions.c - study groups below the transport: the sessions of all five groups
 * across DST changes checked against glibc's own zoneinfo (independent of libical), the
 * event planner, voice-time accounting, and, with the real store and a recording struct
 * chat that keeps the guild's events: events created once (also when a create's answer
 * is lost), moved with the cohort's start date, a cancelled session, reminders once to
 * interested members (DMs closed -> mention), attendance across two joins, a restart
 * mid-session (GUILD_CREATE voice_states) and a member who stays 9 minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "bot/tz.h"
#include "commands/commands.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/attendance.h"
#include "schedules/cohort.h"
#include "schedules/sessions.h"
#include "schedules/sessions_sync.h"

#define GUILD "111111111111111111"

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(tz_parse_iso_utc(iso, &t), 0);
    return t;
}

static const struct curriculum *load_cur(struct app *a, struct config *cfg)
{
    config_defaults(cfg);
    a->cfg = cfg;
    assert_int_equal(app_load_curricula(a), 0);
    const struct curriculum *cur = curricula_find(a->curricula, "data-engineer");
    assert_non_null(cur);
    assert_int_equal(cur->n_groups, 5);
    return cur;
}

/* glibc: local wall time in America/New_York -> UTC, DST decided by the C library. */
static int64_t glibc_utc(int y, int mo, int d, int h, int mi)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static void check_cohort(const struct curriculum *cur, int y, int mo, int d)
{
    char start[11];
    snprintf(start, sizeof(start), "%04d-%02d-%02d", y, mo, d);
    struct sg_session *ss;
    size_t n;
    assert_int_equal(sg_sessions(cur, start, "UTC", &ss, &n), 0);
    /* independently: walk the 70 days with mktime's calendar */
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const struct {
        const char *d1, *d2;
        int h;
    } want[5] = {{"Mon", "Wed", 20},
                 {"Tue", "Thu", 19},
                 {"Wed", "Fri", 20},
                 {"Thu", "Sat", 19},
                 {"Sun", "Tue", 20}};
    size_t k = 0;
    for (int i = 0; i < 70; i++) {
        struct tm tm = {
            .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d + i, .tm_hour = 12, .tm_isdst = -1};
        mktime(&tm);
        int g = i / 14;
        const char *wd = days[tm.tm_wday];
        if (strcmp(wd, want[g].d1) && strcmp(wd, want[g].d2))
            continue;
        int64_t t = glibc_utc(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, want[g].h, 0);
        /* find it among ours (ours are sorted by start) */
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = ss[j].start == t && ss[j].group == g && ss[j].end == t + 3600;
        if (!found)
            fail_msg("cohort %s: no session of group %d at %lld", start, g, (long long)t);
        k++;
    }
    assert_int_equal(n, k);
    assert_int_equal(n, 20); /* 5 groups x 2 weeks x 2 days */
    free(ss);
}

static void t_sessions_dst(void **state)
{
    (void)state;
    struct app a = {0};
    struct config cfg;
    const struct curriculum *cur = load_cur(&a, &cfg);
    setenv("TZ", "America/New_York", 1);
    tzset();
    check_cohort(cur, 2027, 3, 8);   /* data-foundations crosses 2027-03-14 */
    check_cohort(cur, 2027, 10, 4);  /* data-architecture crosses 2027-11-07 */
    check_cohort(cur, 2027, 1, 4);   /* none */
    check_cohort(cur, 2026, 12, 28); /* across the new year */
    /* spot values: before and after the spring change, 20:00 local */
    struct sg_session *ss;
    size_t n;
    assert_int_equal(sg_sessions(cur, "2027-03-08", "UTC", &ss, &n), 0);
    assert_string_equal(ss[0].key, "data-foundations/1");
    assert_int_equal(ss[0].start, utc("2027-03-09T01:00:00Z")); /* EST, UTC-5 */
    assert_string_equal(ss[2].key, "data-foundations/3");
    assert_int_equal(ss[2].start, utc("2027-03-16T00:00:00Z")); /* EDT, UTC-4 */
    assert_string_equal(ss[2].date, "2027-03-15");
    assert_int_equal(ss[2].week, 2);
    free(ss);
    assert_int_equal(sg_sessions(cur, "2027-02-30", "UTC", &ss, &n), BOT_EINVAL);
    app_free_curricula(&a);
    config_free(&cfg);
}

static struct sg_session sess(const char *key, int64_t start)
{
    struct sg_session s = {.group = 0, .week = 1, .start = start, .end = start + 3600};
    snprintf(s.key, sizeof(s.key), "%s", key);
    return s;
}

static struct sg_event evt(const char *key, int64_t start, enum sg_ev_state st, uint32_t shape)
{
    struct sg_event e = {.start = start, .end = start + 3600, .state = st, .shape = shape};
    snprintf(e.key, sizeof(e.key), "%s", key);
    snprintf(e.event_id, sizeof(e.event_id), "9%s", st == SG_EV_PENDING ? "" : "00");
    if (st == SG_EV_PENDING)
        e.event_id[0] = '\0';
    return e;
}

static void t_plan(void **state)
{
    (void)state;
    int64_t now = 1000000, day = 86400;
    struct sg_session ss[6] = {sess("a/1", now + day),     sess("a/2", now + 20 * day),
                               sess("a/3", now - 30),      sess("a/4", now - 2 * 3600),
                               sess("a/5", now + 2 * day), sess("a/6", now + 3 * day)};
    uint32_t shapes[6] = {1, 1, 1, 1, 7, 1};
    unsigned char cancelled[6] = {0, 0, 0, 0, 0, 1};
    struct sg_event ev[5] = {evt("a/3", now - 30, SG_EV_SCHEDULED, 1),
                             evt("a/4", now - 2 * 3600, SG_EV_ACTIVE, 1),
                             evt("a/5", now + 2 * day, SG_EV_SCHEDULED, 1),
                             evt("a/6", now + 3 * day, SG_EV_SCHEDULED, 1),
                             evt("gone/1", now + day, SG_EV_SCHEDULED, 1)};
    struct sg_plan_in in = {ss, 6, shapes, cancelled, ev, 5, now, 14 * day};
    struct sg_step *st;
    size_t n;
    assert_int_equal(sg_plan(&in, &st, &n), 0);
    /* a/1 created (in window), a/2 not (beyond), a/3 started, a/4 completed, a/5 updated
     * (shape), a/6 cancelled, gone/1 deleted; order: ends/cancels/deletes, starts,
     * updates, creates */
    assert_int_equal(n, 6);
    enum sg_action want[6] = {SG_COMPLETE, SG_CANCEL, SG_DELETE, SG_START, SG_UPDATE, SG_CREATE};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(st[i].action, want[i]);
    assert_int_equal(st[5].session, 0);
    assert_int_equal(st[2].session, -1);
    free(st);
    /* a pending create is adopted first, never created again */
    struct sg_event p = evt("a/1", now + day, SG_EV_PENDING, 1);
    struct sg_plan_in in2 = {ss, 1, shapes, NULL, &p, 1, now, 14 * day};
    assert_int_equal(sg_plan(&in2, &st, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(st[0].action, SG_ADOPT);
    free(st);
    /* a moved session (start date changed) is an update, keeping the event */
    struct sg_event moved = evt("a/1", now + 2 * day, SG_EV_SCHEDULED, 1);
    struct sg_plan_in in3 = {ss, 1, shapes, NULL, &moved, 1, now, 14 * day};
    assert_int_equal(sg_plan(&in3, &st, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(st[0].action, SG_UPDATE);
    free(st);
    /* an event that ended without being started is deleted */
    struct sg_event late = evt("a/4", now - 2 * 3600, SG_EV_SCHEDULED, 1);
    struct sg_plan_in in4 = {&ss[3], 1, shapes, NULL, &late, 1, now, 14 * day};
    assert_int_equal(sg_plan(&in4, &st, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(st[0].action, SG_DELETE);
    free(st);
}

static struct sg_interval iv(const char *u, int64_t a, int64_t b)
{
    struct sg_interval v = {.joined_at = a, .left_at = b};
    snprintf(v.user_id, sizeof(v.user_id), "%s", u);
    return v;
}

static void t_attendance(void **state)
{
    (void)state;
    int64_t s = 10000, e = s + 3600;
    struct sg_interval v[] = {
        iv("a", s - 600, s + 300),   /* 5 min counted (before the start clipped) */
        iv("a", s + 1200, s + 1500), /* +5 min: 10 in all */
        iv("b", s + 60, s + 600),    /* 9 min */
        iv("c", s + 100, s + 900),   /* 800 s ... */
        iv("c", s + 500, s + 1000),  /* overlapping: +100 s only */
        iv("d", s + 3000, 0),        /* still there: up to now, clipped at the end */
        iv("e", e + 10, e + 900),    /* after the end: nothing */
    };
    struct sg_presence out[7];
    size_t n = sg_attendance(v, 7, s, e, e + 100, out);
    assert_int_equal(n, 4);
    assert_string_equal(out[0].user_id, "a");
    assert_int_equal(out[0].seconds, 600);
    assert_int_equal(out[1].seconds, 540);
    assert_int_equal(out[2].seconds, 900);
    assert_int_equal(out[3].seconds, 600);
    n = sg_attendance(v, 7, s, e, s + 3200, out); /* mid-session: d so far 200 s */
    assert_int_equal(out[3].seconds, 200);
}

/* ---- with the store and a recording chat ---- */

#define MAX_EV 64

struct guild_ev {
    char id[24], desc[1100], channel[24];
    int64_t start;
    int status;
};

struct rec {
    struct guild_ev ev[MAX_EV];
    int nev, creates, modifies, deletes, lists;
    bool lose_answer;  /* the next create happens but its answer is lost */
    int create_status; /* answer creates with this HTTP error (0 = ok) */
    char dms[16][24], mentions[16][600];
    int ndm, nmention;
    char closed_dm[24]; /* this user's DMs are closed (50007) */
    uint64_t next;
};

static int find(struct rec *r, const char *id)
{
    for (int i = 0; i < r->nev; i++)
        if (strcmp(r->ev[i].id, id) == 0)
            return i;
    return -1;
}

static int rec_create_event(void *impl, const char *g, const struct chat_event *ev,
                            chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    (void)g;
    r->creates++;
    if (r->create_status) {
        struct chat_result res = {.rc = BOT_EDENIED,
                                  .http_status = r->create_status,
                                  .discord_code = 50013,
                                  .detail = "Missing Permissions"};
        done(arg, &res);
        return 0;
    }
    struct guild_ev *e = &r->ev[r->nev++];
    snprintf(e->id, sizeof(e->id), "%llu", (unsigned long long)(900000000000000000ULL + r->next++));
    snprintf(e->desc, sizeof(e->desc), "%s", ev->description);
    snprintf(e->channel, sizeof(e->channel), "%s", ev->channel_id);
    e->start = ev->start;
    e->status = 1;
    struct chat_result res = {.rc = 0, .http_status = 200, .id = e->id};
    if (r->lose_answer) {
        r->lose_answer = false;
        res = (struct chat_result){.rc = BOT_EIO, .http_status = 0, .id = "", .detail = "lost"};
    }
    done(arg, &res);
    return 0;
}

static int rec_modify_event(void *impl, const char *g, const char *id, const struct chat_event *ev,
                            chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    (void)g;
    r->modifies++;
    int i = find(r, id);
    struct chat_result res = {.rc = 0, .http_status = 200, .id = id};
    if (i < 0)
        res = (struct chat_result){.rc = BOT_EDENIED, .http_status = 404, .discord_code = 10070};
    else {
        if (ev->start)
            r->ev[i].start = ev->start;
        if (ev->status)
            r->ev[i].status = ev->status;
    }
    done(arg, &res);
    return 0;
}

static int rec_delete_event(void *impl, const char *g, const char *id, chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    (void)g;
    r->deletes++;
    int i = find(r, id);
    if (i >= 0)
        r->ev[i] = r->ev[--r->nev];
    struct chat_result res = {.rc = 0, .http_status = 204, .id = ""};
    done(arg, &res);
    return 0;
}

static int rec_list_events(void *impl, const char *g, chat_events_fn done, void *arg)
{
    struct rec *r = impl;
    (void)g;
    r->lists++;
    struct chat_event_info v[MAX_EV];
    for (int i = 0; i < r->nev; i++)
        v[i] = (struct chat_event_info){r->ev[i].id, "x", r->ev[i].desc, r->ev[i].channel,
                                        r->ev[i].status};
    struct chat_result res = {.rc = 0, .http_status = 200, .id = ""};
    done(arg, &res, v, (size_t)r->nev);
    return 0;
}

static int rec_dm(void *impl, const char *user, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    (void)m;
    assert_non_null(nonce);
    struct chat_result res = {.rc = 0, .http_status = 200, .id = "5"};
    if (strcmp(user, r->closed_dm) == 0)
        res = (struct chat_result){.rc = BOT_EDENIED, .http_status = 403, .discord_code = 50007};
    else
        snprintf(r->dms[r->ndm++], 24, "%s", user);
    done(arg, &res);
    return 0;
}

static int rec_post(void *impl, const char *channel, const struct message *m, const char *nonce,
                    chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    (void)channel;
    assert_non_null(nonce);
    assert_true(m->mention_users);
    snprintf(r->mentions[r->nmention++], 600, "%s", m->content);
    struct chat_result res = {.rc = 0, .http_status = 200, .id = "6"};
    done(arg, &res);
    return 0;
}

static const struct chat_ops rec_ops = {.post = rec_post,
                                        .dm = rec_dm,
                                        .create_event = rec_create_event,
                                        .modify_event = rec_modify_event,
                                        .delete_event = rec_delete_event,
                                        .list_events = rec_list_events};

struct fx {
    struct app app;
    struct config cfg;
    struct rec rec;
    struct sg_state *sg;
    struct cohort co;
    char db[64];
    char voice[5][24], text[5][24];
};

static void set_now(struct fx *f, int64_t t)
{
    f->app.clock_offset = t - (int64_t)time(NULL);
}

static void tick(struct fx *f, int64_t t)
{
    set_now(f, t);
    sg_sync_soon(f->sg, f->co.id);
    sg_tick(&f->app, f->sg, t);
}

static void open_store(struct fx *f)
{
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open(f->db, &f->app.store, err, sizeof(err)), 0);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    log_set_level(LOGL_OFF);
    load_cur(&f->app, &f->cfg);
    snprintf(f->db, sizeof(f->db), "/tmp/test_sessions_%d.db", getpid());
    unlink(f->db);
    open_store(f);
    f->app.guilds = guilds_new();
    f->app.chat.ops = &rec_ops;
    f->app.chat.impl = &f->rec;
    f->sg = sg_state_new();
    guilds_add(f->app.guilds, GUILD, "g");
    const struct curriculum *cur = curricula_find(f->app.curricula, "data-engineer");
    for (int i = 0; i < 5; i++) {
        char name[64];
        snprintf(f->text[i], 24, "3000000000000000%02d", i);
        snprintf(f->voice[i], 24, "4000000000000000%02d", i);
        guilds_channel_upsert(f->app.guilds, GUILD, f->text[i], cur->groups[i].name, 0);
        snprintf(name, sizeof(name), "\xf0\x9f\x94\x8a %s", cur->groups[i].name);
        guilds_channel_upsert(f->app.guilds, GUILD, f->voice[i], name, 2);
    }
    f->co = (struct cohort){.guild_id = GUILD,
                            .curriculum = "data-engineer",
                            .start_date = "2027-03-08",
                            .timezone = "America/New_York",
                            .post_time = "09:00"};
    assert_int_equal(store_cohort_put(f->app.store, &f->co, 0), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    sg_state_free(f->sg);
    guilds_free(f->app.guilds);
    store_close(f->app.store);
    app_free_curricula(&f->app);
    config_free(&f->cfg);
    char p[80];
    unlink(f->db);
    snprintf(p, sizeof(p), "%s-wal", f->db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->db);
    unlink(p);
    free(f);
    return 0;
}

static int count_state(struct fx *f, enum sg_ev_state st)
{
    struct sg_event *ev;
    size_t n;
    assert_int_equal(store_sg_events(f->app.store, f->co.id, &ev, &n), 0);
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += ev[i].state == st;
    free(ev);
    return k;
}

static void t_sync_once(void **state)
{
    struct fx *f = *state;
    int64_t now = utc("2027-03-06T12:00:00Z");
    /* the first create's answer is lost: the event exists on Discord, we don't know */
    f->rec.lose_answer = true;
    tick(f, now);
    assert_int_equal(f->rec.creates, 1); /* stops after an unknown outcome */
    assert_int_equal(count_state(f, SG_EV_PENDING), 1);
    /* a restart: a new process state, the same database */
    store_close(f->app.store);
    open_store(f);
    sg_state_free(f->sg);
    f->sg = sg_state_new();
    tick(f, now + 60);
    assert_int_equal(f->rec.lists, 1);   /* looked for first */
    assert_int_equal(f->rec.creates, 4); /* 1 adopted + 3 more of data-foundations/1-4 */
    assert_int_equal(f->rec.nev, 4);     /* no duplicate on Discord */
    assert_int_equal(count_state(f, SG_EV_SCHEDULED), 4);
    tick(f, now + 120);
    assert_int_equal(f->rec.creates, 4); /* nothing twice */
    assert_int_equal(f->rec.modifies, 0);
    /* the window moves: 14 days later big-data-processing's first sessions appear */
    tick(f, utc("2027-03-13T12:00:00Z"));
    assert_int_equal(f->rec.creates, 6);
    assert_int_equal(f->rec.deletes, 2); /* sessions 1 and 2 ended without being started */
    assert_int_equal(f->rec.nev, 4);
}

static void t_move_and_cancel(void **state)
{
    struct fx *f = *state;
    int64_t now = utc("2027-03-06T12:00:00Z");
    tick(f, now);
    assert_int_equal(f->rec.nev, 4);
    /* the cohort moves a week later: the same four events are moved, not re-created */
    snprintf(f->co.start_date, sizeof(f->co.start_date), "2027-03-15");
    assert_int_equal(store_cohort_put(f->app.store, &f->co, now), 0);
    tick(f, now + 60);
    assert_int_equal(f->rec.creates, 4);
    assert_int_equal(f->rec.modifies, 4);
    bool moved = false;
    for (int i = 0; i < f->rec.nev; i++)
        moved |= f->rec.ev[i].start == utc("2027-03-16T00:00:00Z"); /* Mon 20:00 EDT */
    assert_true(moved);
    /* an organiser cancels session 2 */
    assert_int_equal(store_sg_cancel(f->app.store, f->co.id, "data-foundations/2", "1", now), 0);
    tick(f, now + 120);
    assert_int_equal(count_state(f, SG_EV_CANCELED), 1);
    int cancelled = 0;
    for (int i = 0; i < f->rec.nev; i++)
        cancelled += f->rec.ev[i].status == 4;
    assert_int_equal(cancelled, 1);
    tick(f, now + 180);
    assert_int_equal(f->rec.modifies, 5);
    assert_int_equal(f->rec.creates, 4);
}

static void t_missing_permission(void **state)
{
    struct fx *f = *state;
    f->rec.create_status = 403;
    int64_t now = utc("2027-03-06T12:00:00Z");
    tick(f, now);
    assert_int_equal(f->rec.creates, 1); /* stops at the first refusal */
    f->rec.create_status = 0;
    set_now(f, now + 30);
    sg_tick(&f->app, f->sg, now + 30); /* within the retry pause: nothing */
    assert_int_equal(f->rec.creates, 1);
    set_now(f, now + SG_RETRY_S + 1);
    sg_tick(&f->app, f->sg, now + SG_RETRY_S + 1);
    assert_int_equal(f->rec.nev, 4);
}

static json_t *rsvp(const char *eid, const char *user)
{
    return json_pack("{s:s, s:s, s:s}", "guild_id", GUILD, "guild_scheduled_event_id", eid,
                     "user_id", user);
}

static void voice(struct fx *f, const char *user, const char *ch, int64_t t)
{
    json_t *d = json_pack("{s:s, s:s, s:s?}", "guild_id", GUILD, "user_id", user, "channel_id", ch);
    assert_true(sg_on_gateway(&f->app, "VOICE_STATE_UPDATE", d, t));
    json_decref(d);
}

static void t_reminders_and_attendance(void **state)
{
    struct fx *f = *state;
    const char *alice = "700000000000000001", *bob = "700000000000000002",
               *carol = "700000000000000003", *dave = "700000000000000004";
    int64_t start = utc("2027-03-09T01:00:00Z"); /* data-foundations/1 */
    tick(f, start - 86400);
    struct sg_event *ev;
    size_t n;
    assert_int_equal(store_sg_events(f->app.store, f->co.id, &ev, &n), 0);
    char eid[24];
    snprintf(eid, sizeof(eid), "%s", ev[0].event_id);
    assert_string_equal(ev[0].key, "data-foundations/1");
    free(ev);
    const char *users[] = {alice, bob, carol, dave};
    for (int i = 0; i < 4; i++) {
        json_t *d = rsvp(eid, users[i]);
        assert_true(sg_on_gateway(&f->app, "GUILD_SCHEDULED_EVENT_USER_ADD", d, start - 7200));
        json_decref(d);
    }
    json_t *d = rsvp(eid, dave); /* dave changes his mind */
    sg_on_gateway(&f->app, "GUILD_SCHEDULED_EVENT_USER_REMOVE", d, start - 7000);
    json_decref(d);
    d = json_pack("{s:s, s:s, s:s}", "guild_id", "999999999999999999", "guild_scheduled_event_id",
                  eid, "user_id", dave); /* another guild's claim */
    sg_on_gateway(&f->app, "GUILD_SCHEDULED_EVENT_USER_ADD", d, start - 7000);
    json_decref(d);
    snprintf(f->rec.closed_dm, sizeof(f->rec.closed_dm), "%s", carol);
    tick(f, start - 16 * 60); /* not yet */
    assert_int_equal(f->rec.ndm + f->rec.nmention, 0);
    tick(f, start - 15 * 60);
    assert_int_equal(f->rec.ndm, 2);
    assert_int_equal(f->rec.nmention, 1);
    assert_non_null(strstr(f->rec.mentions[0], "<@700000000000000003>"));
    /* a restart: reminded once only */
    store_close(f->app.store);
    open_store(f);
    sg_state_free(f->sg);
    f->sg = sg_state_new();
    tick(f, start - 10 * 60);
    assert_int_equal(f->rec.ndm, 2);
    assert_int_equal(f->rec.nmention, 1);
    /* attendance: alice twice (6 + 5 minutes), bob 9 minutes, carol across a restart */
    const char *vc = f->voice[0];
    voice(f, alice, vc, start - 60);
    voice(f, bob, vc, start + 60);
    voice(f, carol, vc, start + 120);
    voice(f, alice, NULL, start + 360);
    voice(f, bob, f->voice[1], start + 600); /* moves to another channel: leaves ours */
    voice(f, alice, vc, start + 1800);
    voice(f, alice, vc, start + 1800 + 30); /* a mute: same channel, nothing new */
    voice(f, alice, NULL, start + 2100);
    /* the bot restarts mid-session; carol is still in voice, dave joined meanwhile */
    tick(f, start + 1500); /* the event was started */
    json_t *gc = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "id", GUILD, "voice_states",
                           "user_id", carol, "channel_id", vc, "user_id", dave, "channel_id", vc);
    assert_true(sg_on_gateway(&f->app, "GUILD_CREATE", gc, start + 2400));
    json_decref(gc);
    voice(f, dave, NULL, start + 2400 + 300); /* dave: 5 minutes */
    tick(f, start + 3600 + 60);               /* completed */
    assert_int_equal(count_state(f, SG_EV_COMPLETED), 1);
    struct sg_interval *v;
    assert_int_equal(store_sg_voice_in(f->app.store, vc, start, start + 3600, &v, &n), 0);
    struct sg_presence p[16];
    size_t k = sg_attendance(v, n, start, start + 3600, start + 3660, p);
    free(v);
    assert_int_equal(k, 4);
    assert_string_equal(p[0].user_id, alice);
    assert_int_equal(p[0].seconds, 360 + 300);
    assert_int_equal(p[1].seconds, 540);        /* bob: 9 minutes, not present */
    assert_int_equal(p[2].seconds, 3600 - 120); /* carol: still there after the restart */
    assert_int_equal(p[3].seconds, 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_sessions_dst),
        cmocka_unit_test(t_plan),
        cmocka_unit_test(t_attendance),
        cmocka_unit_test_setup_teardown(t_sync_once, setup, teardown),
        cmocka_unit_test_setup_teardown(t_move_and_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(t_missing_permission, setup, teardown),
        cmocka_unit_test_setup_teardown(t_reminders_and_attendance, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
