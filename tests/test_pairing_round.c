/* test_pairing_round.c - mentorship rounds around the matcher, on a real SQLite file:
 * the round schedule from the start date, sign-ups with people leaving, pausing and
 * joining mid-cohort, rounds stored and re-run to the same result, the inputs parser
 * on broken JSON, and the notifications through the real delivery ledger (exactly
 * once across a restart and a crash, the 50007 DMs-closed fallback into the mentors
 * channel, backoff after a transient failure, the "did you meet?" follow-up).
 * Transport: a recording struct chat that can answer like Discord (50007, 500). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "commands/mentorship_util.h"
#include "schedules/pairing_round.h"

#define GUILD "111111111111111111"
#define MENTORS_CH "300000000000000001"

struct sent {
    char to[24], nonce[32], content[1024], button[64];
    bool dm;
};

struct rec {
    struct sent s[256];
    int n;
    int fail_status, fail_code; /* answer DMs with this status / Discord code */
    char closed[24];            /* this user's DMs answer 50007 */
};

static void answer(struct rec *r, int status, int code, chat_done_fn done, void *arg)
{
    char id[24];
    snprintf(id, sizeof(id), "%d", 900 + r->n);
    struct chat_result res = {.rc = status ? BOT_EIO : 0,
                              .http_status = status ? status : 200,
                              .discord_code = code,
                              .id = status ? NULL : id,
                              .detail = status ? "refused" : NULL};
    done(arg, &res);
}

static struct sent *record(struct rec *r, const char *to, const struct message *m,
                           const char *nonce, bool dm)
{
    struct sent *s = &r->s[r->n++];
    snprintf(s->to, sizeof(s->to), "%s", to);
    snprintf(s->nonce, sizeof(s->nonce), "%s", nonce ? nonce : "");
    snprintf(s->content, sizeof(s->content), "%s", m->content ? m->content : "");
    snprintf(s->button, sizeof(s->button), "%s", m->nbuttons ? m->buttons[0].custom_id : "");
    s->dm = dm;
    return s;
}

static int rec_dm(void *impl, const char *user, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    record(r, user, m, nonce, true);
    if (strcmp(user, r->closed) == 0)
        answer(r, 403, 50007, done, arg);
    else
        answer(r, r->fail_status, r->fail_code, done, arg);
    return 0;
}

static int rec_post(void *impl, const char *channel, const struct message *m, const char *nonce,
                    chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    record(r, channel, m, nonce, false);
    answer(r, 0, 0, done, arg);
    return 0;
}

static const struct chat_ops rec_ops = {.post = rec_post, .dm = rec_dm};

struct fx {
    struct app app;
    struct config cfg;
    struct rec rec;
    struct pairing_state *ps;
    struct cohort co;
    const struct curriculum *cur;
    char path[64];
    volatile sig_atomic_t stop;
};

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(tz_parse_iso_utc(iso, &t), 0);
    return t;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[BOT_ERR_LEN];
    log_set_level(LOGL_OFF);
    config_defaults(&f->cfg);
    snprintf(f->path, sizeof(f->path), "/tmp/test_pairing_round_%d.db", getpid());
    unlink(f->path);
    assert_int_equal(store_open(f->path, &f->app.store, err, sizeof(err)), 0);
    struct buf errs;
    buf_init(&errs, 4096);
    assert_int_equal(
        curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &f->app.curricula, &errs), 0);
    buf_free(&errs);
    f->cur = curricula_find(f->app.curricula, "data-engineer");
    assert_non_null(f->cur);
    f->app.cfg = &f->cfg;
    f->app.guilds = guilds_new();
    f->app.stop = &f->stop;
    f->app.chat.ops = &rec_ops;
    f->app.chat.impl = &f->rec;
    guilds_channel_upsert(f->app.guilds, GUILD, MENTORS_CH, "mentors", 0);
    f->ps = pairing_new();
    snprintf(f->co.guild_id, sizeof(f->co.guild_id), GUILD);
    snprintf(f->co.curriculum, sizeof(f->co.curriculum), "data-engineer");
    snprintf(f->co.start_date, sizeof(f->co.start_date), "2027-03-08"); /* a Monday */
    snprintf(f->co.timezone, sizeof(f->co.timezone), "America/New_York");
    snprintf(f->co.post_time, sizeof(f->co.post_time), "09:00");
    assert_int_equal(store_cohort_put(f->app.store, &f->co, 0), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    pairing_free(f->ps);
    guilds_free(f->app.guilds);
    curricula_free(f->app.curricula);
    store_close(f->app.store);
    config_free(&f->cfg);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static void mentor(struct fx *f, const char *id, const char *tracks, int cap, const char *zone)
{
    struct store_mentor m = {.capacity = cap};
    snprintf(m.user_id, sizeof(m.user_id), "%s", id);
    snprintf(m.tracks, sizeof(m.tracks), "%s", tracks);
    snprintf(m.timezone, sizeof(m.timezone), "%s", zone ? zone : "");
    assert_int_equal(store_mentor_put(f->app.store, f->co.id, &m, 1), 0);
}

static void mentee(struct fx *f, const char *id, const char *interest)
{
    struct store_mentee m = {0};
    snprintf(m.user_id, sizeof(m.user_id), "%s", id);
    snprintf(m.interest, sizeof(m.interest), "%s", interest ? interest : "");
    assert_int_equal(store_mentee_put(f->app.store, f->co.id, &m, 1), 0);
}

static int count_to(const struct rec *r, const char *to)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        n += strcmp(r->s[i].to, to) == 0;
    return n;
}

/* ---- schedule ---- */

static void test_schedule_from_start_date(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *start;
        int k;
        const char *at; /* 10:00 New York */
    } cases[] = {
        {"2027-03-08", 1, "2027-03-08T15:00:00Z"}, /* Monday: day 1, EST */
        {"2027-03-08", 2, "2027-03-22T14:00:00Z"}, /* week 3, EDT */
        {"2027-03-08", 3, "2027-04-05T14:00:00Z"}, /* week 5 */
        {"2027-03-08", 5, "2027-05-03T14:00:00Z"}, /* week 9 */
        {"2027-03-10", 1, "2027-03-15T14:00:00Z"}, /* Wednesday start: next Monday */
        {"2027-03-10", 2, "2027-03-29T14:00:00Z"}, /* period from Wed 03-24 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cohort co = f->co;
        int64_t at;
        snprintf(co.start_date, sizeof(co.start_date), "%s", cases[i].start);
        assert_int_equal(pairing_round_time(&co, f->cur, 1, "10:00", cases[i].k, &at), 0);
        assert_int_equal(at, utc(cases[i].at));
    }
    assert_int_equal(pairing_every_days(f->cur), 14);
    assert_int_equal(pairing_round_count(f->cur), 5); /* 70 days: weeks 1, 3, 5, 7, 9 */
    assert_int_equal(pairing_period_at(&f->co, f->cur, utc("2027-03-07T12:00:00Z")), 0);
    assert_int_equal(pairing_period_at(&f->co, f->cur, utc("2027-03-21T12:00:00Z")), 1);
    assert_int_equal(pairing_period_at(&f->co, f->cur, utc("2027-03-22T12:00:00Z")), 2);
    int64_t at;
    assert_int_equal(pairing_round_time(&f->co, f->cur, 8, "10:00", 1, &at), BOT_EINVAL);
    assert_int_equal(pairing_round_time(&f->co, f->cur, 1, "25:00", 1, &at), BOT_EINVAL);
    assert_int_equal(pairing_round_time(&f->co, f->cur, 1, "10:00", 0, &at), BOT_EINVAL);
    assert_true(pairing_seed(GUILD, 1) != pairing_seed(GUILD, 2));
    assert_true(pairing_seed(GUILD, 1) == pairing_seed(GUILD, 1));
}

/* ---- store: sign-ups ---- */

static void test_signups_pause_leave(void **state)
{
    struct fx *f = *state;
    struct store_mentor *ms;
    struct store_mentee *es;
    size_t n;
    mentor(f, "201", "streaming", 2, NULL);
    mentor(f, "202", "governance", 1, "Asia/Tokyo");
    mentee(f, "301", "streaming");
    mentee(f, "302", NULL);
    assert_int_equal(store_mentor_pause(f->app.store, f->co.id, "202", "2027-03-20"), 0);
    assert_int_equal(store_mentors_active(f->app.store, f->co.id, "2027-03-19", &ms, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ms[0].user_id, "201");
    free(ms);
    assert_int_equal(store_mentors_active(f->app.store, f->co.id, "2027-03-20", &ms, &n), 0);
    assert_int_equal(n, 2); /* back on the pause date */
    assert_string_equal(ms[1].timezone, "Asia/Tokyo");
    free(ms);
    assert_int_equal(store_mentee_leave(f->app.store, f->co.id, "302"), 0);
    assert_int_equal(store_mentee_leave(f->app.store, f->co.id, "302"), BOT_ENOTFOUND);
    assert_int_equal(store_mentor_leave(f->app.store, f->co.id, "999"), BOT_ENOTFOUND);
    assert_int_equal(store_mentor_pause(f->app.store, f->co.id, "999", "2027-04-01"),
                     BOT_ENOTFOUND);
    assert_int_equal(store_mentees_active(f->app.store, f->co.id, &es, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(es[0].interest, "streaming");
    free(es);
    mentee(f, "302", "ml-platform"); /* rejoins */
    assert_int_equal(store_mentees_active(f->app.store, f->co.id, &es, &n), 0);
    assert_int_equal(n, 2);
    free(es);
    /* joining again clears a pause */
    assert_int_equal(store_mentor_pause(f->app.store, f->co.id, "201", "2030-01-01"), 0);
    mentor(f, "201", "streaming,ml-platform", 3, NULL);
    struct store_mentor m;
    assert_int_equal(store_mentor_get(f->app.store, f->co.id, "201", &m), 0);
    assert_string_equal(m.paused_until, "");
    assert_int_equal(m.capacity, 3);
}

/* ---- rounds ---- */

static void test_round_stored_and_rerun(void **state)
{
    struct fx *f = *state;
    struct pairing_run run;
    char err[BOT_ERR_LEN];
    mentor(f, "201", "streaming", 2, NULL);
    mentor(f, "202", "governance", 1, "Europe/Berlin");
    mentee(f, "301", "streaming");
    mentee(f, "302", "governance");
    mentee(f, "303", NULL);
    mentee(f, "304", NULL); /* 4 mentees, 3 places: one unmatched */
    int64_t now = utc("2027-03-08T15:00:00Z");
    int k;
    assert_int_equal(pairing_next_round(f->app.store, &f->co, f->cur, now, &k), 0);
    assert_int_equal(k, 1);
    assert_int_equal(
        pairing_run_round(f->app.store, &f->co, f->cur, 1, now, false, true, &run, err), 0);
    assert_int_equal(run.res.matched, 3);
    assert_int_equal(run.res.n_unmatched, 1);
    assert_true(run.round.id > 0);
    assert_int_equal(run.round.seed, pairing_seed(GUILD, 1));
    int64_t id = run.round.id;
    pairing_run_free(&run);
    /* runs once */
    assert_int_equal(
        pairing_run_round(f->app.store, &f->co, f->cur, 1, now, false, true, &run, err), BOT_EBUSY);
    bool same = false;
    assert_int_equal(pairing_rerun(f->app.store, id, &same, NULL, err), 0);
    assert_true(same);
    struct store_pair *ps;
    size_t n;
    assert_int_equal(store_pairs_of_round(f->app.store, id, &ps, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(ps[0].mentor_id, ""); /* the unmatched row sorts first */
    assert_string_equal(ps[0].reason, "unmatched");
    free(ps);
    /* next: the current period ran, so an admin run makes round 2 */
    assert_int_equal(pairing_next_round(f->app.store, &f->co, f->cur, now + 60, &k), 0);
    assert_int_equal(k, 2);
}

/* Two mentors of capacity 1 and two mentees: round 2 swaps (no avoidable repeat);
 * then a mentor leaves, a mentee leaves and newcomers join mid-cohort. */
static void test_leaving_and_joining_mid_cohort(void **state)
{
    struct fx *f = *state;
    struct pairing_run r1, r2, r3;
    char err[BOT_ERR_LEN];
    mentor(f, "201", "streaming", 1, NULL);
    mentor(f, "202", "streaming", 1, NULL);
    mentee(f, "301", "streaming");
    mentee(f, "302", "streaming");
    int64_t t1 = utc("2027-03-08T15:00:00Z"), t2 = utc("2027-03-22T14:00:00Z");
    assert_int_equal(pairing_run_round(f->app.store, &f->co, f->cur, 1, t1, false, true, &r1, err),
                     0);
    assert_int_equal(pairing_run_round(f->app.store, &f->co, f->cur, 2, t2, false, true, &r2, err),
                     0);
    assert_int_equal(r2.res.repeats, 0);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++)
            if (strcmp(r1.res.assign[i].mentee_id, r2.res.assign[j].mentee_id) == 0)
                assert_string_not_equal(r1.res.assign[i].mentor_id, r2.res.assign[j].mentor_id);
    assert_int_equal(store_mentor_leave(f->app.store, f->co.id, "201"), 0);
    assert_int_equal(store_mentee_leave(f->app.store, f->co.id, "301"), 0);
    mentor(f, "203", "ml-platform", 2, NULL);
    mentee(f, "303", "ml-platform");
    assert_int_equal(pairing_run_round(f->app.store, &f->co, f->cur, 3, utc("2027-04-05T14:00:00Z"),
                                       false, true, &r3, err),
                     0);
    assert_int_equal(r3.pi.in.n_mentors, 2);
    assert_int_equal(r3.pi.in.n_mentees, 2);
    assert_int_equal(r3.pi.in.n_history, 4);
    assert_int_equal(r3.res.matched, 2);
    for (size_t i = 0; i < r3.res.n_assign; i++) {
        assert_string_not_equal(r3.res.assign[i].mentor_id, "201");
        assert_string_not_equal(r3.res.assign[i].mentee_id, "301");
        if (strcmp(r3.res.assign[i].mentee_id, "303") == 0)
            assert_string_equal(r3.res.assign[i].mentor_id, "203"); /* same track */
    }
    bool same = false;
    struct buf csv, want;
    buf_init(&csv, 1 << 16);
    buf_init(&want, 1 << 16);
    assert_int_equal(pairing_rerun(f->app.store, r3.round.id, &same, &csv, err), 0);
    assert_true(same);
    assert_int_equal(pair_format_csv(&r3.pi.in, &r3.res, &want), 0);
    assert_string_equal(buf_str(&csv), buf_str(&want)); /* the same explanation */
    buf_free(&csv);
    buf_free(&want);
    pairing_run_free(&r1);
    pairing_run_free(&r2);
    pairing_run_free(&r3);
}

static void test_inputs_parse_rejects_bad_json(void **state)
{
    (void)state;
    static const char *bad[] = {
        "[]",
        "{}",
        "{\"round\":1,\"seed\":\"zz\",\"slot_from\":0,\"tracks\":[],\"mentors\":[],"
        "\"mentees\":[],\"history\":[]}",
        "{\"round\":1,\"seed\":\"1\",\"slot_from\":0,\"tracks\":[\"a\"],\"mentors\":[{\"id\":"
        "\"m\",\"tracks\":[\"b\"],\"capacity\":1,\"offset_min\":0}],\"mentees\":[],"
        "\"history\":[]}",
        "{\"round\":1,\"seed\":\"1\",\"slot_from\":0,\"tracks\":[\"a\"],\"mentors\":[{\"id\":"
        "\"m\",\"tracks\":[\"a\"],\"capacity\":9,\"offset_min\":0}],\"mentees\":[],"
        "\"history\":[]}",
        "{\"round\":1,\"seed\":\"1\",\"slot_from\":0,\"tracks\":[\"a\"],\"mentors\":[],"
        "\"mentees\":[{\"id\":\"e\",\"interest\":\"x\",\"offset_min\":0}],\"history\":[]}",
        "{\"round\":1,\"seed\":\"1\",\"slot_from\":0,\"tracks\":[],\"mentors\":[],"
        "\"mentees\":[],\"history\":[{\"mentor\":\"m\",\"mentee\":\"e\",\"round\":1}]}",
        "{\"round\":1,\"seed\":\"1\",\"slot_from\":0,\"tracks\":[],\"mentors\":[],"
        "\"mentees\":[{\"id\":\"e\",\"offset_min\":5000}],\"history\":[]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pairing_inputs pi;
        char err[BOT_ERR_LEN] = "";
        json_t *root = json_loads(bad[i], 0, NULL);
        assert_non_null(root);
        assert_int_equal(pairing_inputs_parse(root, &pi, err), BOT_EINVAL);
        assert_true(strlen(err) > 0);
        json_decref(root);
    }
}

/* ---- notifications ---- */

static int64_t run_round1(struct fx *f)
{
    mentor(f, "201", "streaming", 2, NULL);
    mentee(f, "301", "streaming");
    mentee(f, "302", NULL);
    mentee(f, "303", "governance");
    mentor(f, "202", "governance", 1, NULL);
    mentee(f, "304", NULL); /* 4 mentees, 3 places */
    int64_t at = utc("2027-03-08T15:00:00Z");
    pairing_tick(&f->app, f->ps, at - 1);
    assert_int_equal(f->rec.n, 0);
    pairing_tick(&f->app, f->ps, at);
    return at;
}

static void test_dms_exactly_once_across_restart(void **state)
{
    struct fx *f = *state;
    int64_t at = run_round1(f);
    /* 2 mentors + 3 matched mentees + 1 unmatched + the summary */
    assert_int_equal(f->rec.n, 7);
    for (int i = 0; i < 5; i++)
        pairing_tick(&f->app, f->ps, at + 1 + i);
    assert_int_equal(f->rec.n, 7);
    pairing_free(f->ps); /* restart: new memory, same database */
    f->ps = pairing_new();
    pairing_tick(&f->app, f->ps, at + 120);
    assert_int_equal(f->rec.n, 7);
    assert_int_equal(count_to(&f->rec, "201"), 1);
    assert_int_equal(count_to(&f->rec, MENTORS_CH), 1);
    int unmatched = 0;
    for (int i = 0; i < f->rec.n; i++) {
        if (strstr(f->rec.s[i].content, "no mentor had room"))
            unmatched++;
        else if (f->rec.s[i].dm)
            assert_non_null(strstr(f->rec.s[i].content, ":F>")); /* the slot */
    }
    assert_int_equal(unmatched, 1);
    assert_non_null(strstr(f->rec.s[f->rec.n - 1].content, "3 matched, 1 unmatched, 0 repeats"));
}

static void test_crash_between_send_and_mark(void **state)
{
    struct fx *f = *state;
    /* what a crash right after a send leaves: the round stored, one row pending */
    mentor(f, "201", "streaming", 1, NULL);
    mentee(f, "301", "streaming");
    struct pairing_run run;
    char err[BOT_ERR_LEN];
    int64_t at = utc("2027-03-08T15:00:00Z");
    assert_int_equal(pairing_run_round(f->app.store, &f->co, f->cur, 1, at, false, true, &run, err),
                     0);
    pairing_run_free(&run);
    const char *key = "pair/" GUILD "/1/mentee/301";
    struct delivery dl;
    bool created;
    assert_int_equal(store_delivery_begin(f->app.store, key, "pair", "301", at, at, &dl, &created),
                     0);
    pairing_tick(&f->app, f->ps, at + 30);
    char nonce[26];
    store_delivery_nonce(key, nonce);
    int found = 0;
    for (int i = 0; i < f->rec.n; i++)
        if (strcmp(f->rec.s[i].to, "301") == 0) {
            assert_string_equal(f->rec.s[i].nonce, nonce); /* Discord drops the duplicate */
            found++;
        }
    assert_int_equal(found, 1);
    assert_int_equal(store_delivery_get(f->app.store, key, &dl), 0);
    assert_int_equal(dl.state, DLV_SENT);
}

static void test_dms_closed_fall_back_to_mentors_channel(void **state)
{
    struct fx *f = *state;
    snprintf(f->rec.closed, sizeof(f->rec.closed), "301");
    run_round1(f);
    int dm = -1, fb = -1;
    for (int i = 0; i < f->rec.n; i++) {
        if (f->rec.s[i].dm && strcmp(f->rec.s[i].to, "301") == 0)
            dm = i;
        if (!f->rec.s[i].dm && strstr(f->rec.s[i].content, "<@301>, your DMs are closed"))
            fb = i;
    }
    assert_true(dm >= 0 && fb == dm + 1);
    assert_string_equal(f->rec.s[fb].to, MENTORS_CH);
    assert_non_null(strstr(f->rec.s[fb].content, "your mentor this round is <@201>"));
    char detail[200];
    assert_int_equal(
        store_delivery_detail(f->app.store, "pair/" GUILD "/1/mentee/301", detail, sizeof(detail)),
        0);
    assert_non_null(strstr(detail, "fallback"));
    struct delivery dl;
    assert_int_equal(store_delivery_get(f->app.store, "pair/" GUILD "/1/mentee/301", &dl), 0);
    assert_int_equal(dl.state, DLV_SENT);
    struct store_round r;
    struct store_round_stats s;
    assert_int_equal(store_round_latest(f->app.store, f->co.id, &r), 0);
    assert_int_equal(store_round_stats(f->app.store, r.id, "pair/" GUILD "/1/", &s), 0);
    assert_int_equal(s.fallbacks, 1);
    assert_int_equal(s.pairs, 3);
    assert_int_equal(s.unmatched, 1);
    /* final: a later tick sends nothing more */
    int before = f->rec.n;
    pairing_tick(&f->app, f->ps, r.run_at + 10);
    assert_int_equal(f->rec.n, before);
}

static void test_transient_failure_backs_off(void **state)
{
    struct fx *f = *state;
    f->rec.fail_status = 500;
    int64_t at = run_round1(f);
    int first = f->rec.n;
    assert_true(first >= 1);
    pairing_tick(&f->app, f->ps, at + 10); /* inside the 30 s backoff */
    assert_int_equal(f->rec.n, first);
    f->rec.fail_status = 0;
    pairing_tick(&f->app, f->ps, at + 31);
    assert_true(f->rec.n > first);
    pairing_tick(&f->app, f->ps, at + 32);
    int total = f->rec.n;
    pairing_tick(&f->app, f->ps, at + 40);
    assert_int_equal(f->rec.n, total);
    struct delivery dl;
    char key[96]; /* the first DM failed once, then went out */
    snprintf(key, sizeof(key), "pair/" GUILD "/1/unmatched/%s", f->rec.s[0].to);
    assert_int_equal(store_delivery_get(f->app.store, key, &dl), 0);
    assert_int_equal(dl.state, DLV_SENT);
    assert_int_equal(dl.attempts, 1);
}

static void test_followup_buttons_and_answers(void **state)
{
    struct fx *f = *state;
    int64_t at = run_round1(f);
    int before = f->rec.n;
    pairing_tick(&f->app, f->ps, at + PAIRING_FOLLOWUP_S - 1);
    assert_int_equal(f->rec.n, before);
    pairing_tick(&f->app, f->ps, at + PAIRING_FOLLOWUP_S);
    /* 3 matched mentees + 2 mentors, once */
    assert_int_equal(f->rec.n, before + 5);
    pairing_tick(&f->app, f->ps, at + PAIRING_FOLLOWUP_S + 60);
    assert_int_equal(f->rec.n, before + 5);
    struct store_round r;
    assert_int_equal(store_round_latest(f->app.store, f->co.id, &r), 0);
    char yes[48];
    snprintf(yes, sizeof(yes), "met:%lld:yes", (long long)r.id);
    assert_string_equal(f->rec.s[before].button, yes);
    assert_int_equal(store_pair_met(f->app.store, r.id, "301", true, at), 0);
    assert_int_equal(store_pair_met(f->app.store, r.id, "201", false, at), 0);
    assert_int_equal(store_pair_met(f->app.store, r.id, "999", true, at), BOT_ENOTFOUND);
    struct store_round_stats s;
    assert_int_equal(store_round_stats(f->app.store, r.id, "pair/" GUILD "/1/", &s), 0);
    assert_int_equal(s.met_yes, 1);
    assert_int_equal(s.met_no, 0);
    assert_int_equal(s.mentor_no, 2); /* mentor 201 answered for both mentees */
}

static void test_away_past_the_window_skips(void **state)
{
    struct fx *f = *state;
    mentor(f, "201", "streaming", 1, NULL);
    mentee(f, "301", "streaming");
    struct pairing_run run;
    char err[BOT_ERR_LEN];
    int64_t at = utc("2027-03-08T15:00:00Z");
    assert_int_equal(pairing_run_round(f->app.store, &f->co, f->cur, 1, at, false, true, &run, err),
                     0);
    pairing_run_free(&run);
    /* back 15 days later: nothing of round 1 is sent any more, round 2 runs instead */
    pairing_tick(&f->app, f->ps, at + 15 * 86400);
    for (int i = 0; i < f->rec.n; i++)
        assert_null(strstr(f->rec.s[i].content, "**Mentorship round 1**"));
    struct delivery dl;
    assert_int_equal(store_delivery_get(f->app.store, "pair/" GUILD "/1/mentee/301", &dl), 0);
    assert_int_equal(dl.state, DLV_SKIPPED);
    struct store_round r;
    assert_int_equal(store_round_latest(f->app.store, f->co.id, &r), 0);
    assert_int_equal(r.round_no, 2);
}

/* ---- track lists of /mentor join and /mentee join ---- */

static void test_track_lists(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *in;
        bool one;
        const char *out; /* NULL = refused */
    } cases[] = {
        {"streaming", false, "streaming"},
        {" Streaming , ML-Platform,streaming", false, "streaming,ml-platform"},
        {"governance,multi-cloud", false, "governance,multi-cloud"},
        {"governance,multi-cloud", true, NULL},
        {"ml-platform", true, "ml-platform"},
        {"bogus", false, NULL},
        {"streaming,bogus", false, NULL},
        {"", false, NULL},
        {" , ,", false, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[256], why[400] = "";
        int rc =
            mship_tracks(f->cur, cases[i].in, cases[i].one, out, sizeof(out), why, sizeof(why));
        if (cases[i].out) {
            assert_int_equal(rc, 0);
            assert_string_equal(out, cases[i].out);
        } else {
            assert_int_equal(rc, BOT_EINVAL);
            assert_non_null(strstr(why, "streaming, ml-platform, governance, multi-cloud"));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schedule_from_start_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signups_pause_leave, setup, teardown),
        cmocka_unit_test_setup_teardown(test_track_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_stored_and_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leaving_and_joining_mid_cohort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inputs_parse_rejects_bad_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dms_exactly_once_across_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_between_send_and_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dms_closed_fall_back_to_mentors_channel, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_transient_failure_backs_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_followup_buttons_and_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_away_past_the_window_skips, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
