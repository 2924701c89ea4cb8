/* test_daily.c - daily prompts: the plan across DST, exactly-once through the real
 * ledger (restart, crash between send and mark), catch-up and skip windows, channel
 * resolution (explicit, by name, fallback, waiting). Transport: a recording struct
 * chat (the Discord transport is covered end to end against tests/fakediscord). */
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
#include "schedules/daily.h"

#define GUILD "111111111111111111"

struct sent {
    char channel[24], nonce[32], title[256], content[512];
};

struct rec {
    struct sent posts[256];
    int n;
    int fail_status; /* answer with this HTTP status instead of success */
};

static int rec_post(void *impl, const char *channel, const struct message *m, const char *nonce,
                    chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    struct sent *s = &r->posts[r->n++];
    snprintf(s->channel, sizeof(s->channel), "%s", channel);
    snprintf(s->nonce, sizeof(s->nonce), "%s", nonce ? nonce : "");
    snprintf(s->title, sizeof(s->title), "%s", m->nembeds ? m->embeds[0].title : "");
    snprintf(s->content, sizeof(s->content), "%s", m->content ? m->content : "");
    char id[24];
    snprintf(id, sizeof(id), "%d", 900 + r->n);
    struct chat_result res = {.rc = r->fail_status ? BOT_EIO : 0,
                              .http_status = r->fail_status ? r->fail_status : 200,
                              .id = r->fail_status ? NULL : id};
    done(arg, &res);
    return 0;
}

static const struct chat_ops rec_ops = {.post = rec_post};

struct fx {
    struct app app;
    struct config cfg;
    struct rec rec;
    struct daily_state *d;
    struct cohort co;
    char path[64];
    volatile sig_atomic_t stop;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[BOT_ERR_LEN];
    log_set_level(LOGL_ERROR);
    config_defaults(&f->cfg);
    snprintf(f->path, sizeof(f->path), "/tmp/test_daily_%d.db", getpid());
    unlink(f->path);
    assert_int_equal(store_open(f->path, &f->app.store, err, sizeof(err)), 0);
    struct buf errs;
    buf_init(&errs, 4096);
    assert_int_equal(
        curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &f->app.curricula, &errs), 0);
    buf_free(&errs);
    f->app.cfg = &f->cfg;
    f->app.guilds = guilds_new();
    f->app.stop = &f->stop;
    f->app.chat.ops = &rec_ops;
    f->app.chat.impl = &f->rec;
    for (int w = 1; w <= 10; w++) {
        char id[24], name[16];
        snprintf(id, sizeof(id), "2000000000000000%02d", w);
        snprintf(name, sizeof(name), "week-%02d", w);
        guilds_channel_upsert(f->app.guilds, GUILD, id, name, 0);
    }
    f->d = daily_new();
    snprintf(f->co.guild_id, sizeof(f->co.guild_id), GUILD);
    snprintf(f->co.curriculum, sizeof(f->co.curriculum), "data-engineer");
    snprintf(f->co.start_date, sizeof(f->co.start_date), "2027-03-08");
    snprintf(f->co.timezone, sizeof(f->co.timezone), "America/New_York");
    snprintf(f->co.post_time, sizeof(f->co.post_time), "09:00");
    assert_int_equal(store_cohort_put(f->app.store, &f->co, 0), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    daily_free(f->d);
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

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(tz_parse_iso_utc(iso, &t), 0);
    return t;
}

static const struct curriculum *de(struct fx *f)
{
    return curricula_find(f->app.curricula, "data-engineer");
}

/* US DST 2027 starts Sunday March 14: 09:00 EST = 14:00Z before, 09:00 EDT = 13:00Z. */
static void test_plan_dst(void **state)
{
    struct fx *f = *state;
    struct daily_post p[200];
    size_t n =
        daily_plan(&f->co, de(f), utc("2027-03-13T00:00:00Z"), utc("2027-03-16T00:00:00Z"), p, 200);
    assert_int_equal(n, 4); /* days 6, 7, the week 2 overview and day 8 */
    n = daily_plan(&f->co, de(f), utc("2027-03-13T00:00:00Z"), utc("2027-03-15T16:00:00Z"), p, 200);
    assert_int_equal(n, 4);
    assert_int_equal(p[0].day, 6);
    assert_int_equal(p[0].due, utc("2027-03-13T14:00:00Z"));
    assert_int_equal(p[1].day, 7);
    assert_int_equal(p[1].due, utc("2027-03-14T13:00:00Z"));
    assert_int_equal(p[2].kind, DAILY_WEEK); /* week 2 overview right before day 8 */
    assert_int_equal(p[2].week, 2);
    assert_int_equal(p[3].day, 8);
    assert_int_equal(p[3].due, utc("2027-03-15T13:00:00Z"));
    /* Berlin switches on March 28 2027: 09:00 CET = 08:00Z, CEST = 07:00Z */
    snprintf(f->co.timezone, sizeof(f->co.timezone), "Europe/Berlin");
    n = daily_plan(&f->co, de(f), utc("2027-03-27T00:00:00Z"), utc("2027-03-29T00:00:00Z"), p, 200);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].due, utc("2027-03-27T08:00:00Z"));
    assert_int_equal(p[1].due, utc("2027-03-28T07:00:00Z"));
}

static void test_plan_whole_cohort(void **state)
{
    struct fx *f = *state;
    struct daily_post p[200];
    size_t n =
        daily_plan(&f->co, de(f), utc("2027-01-01T00:00:00Z"), utc("2028-01-01T00:00:00Z"), p, 200);
    assert_int_equal(n, 70 + 10 + 1);
    assert_int_equal(p[0].kind, DAILY_WEEK);
    assert_int_equal(p[1].kind, DAILY_DAY);
    assert_int_equal(p[1].day, 1);
    assert_int_equal(p[n - 1].kind, DAILY_DONE);
    assert_string_equal(p[1].key, "daily/" GUILD "/2027-03-08/day-1");
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(p[i].key, p[j].key);
    /* nothing before day 1 or after the completion note */
    assert_int_equal(daily_plan(&f->co, de(f), 0, utc("2027-03-08T13:59:59Z"), p, 200), 0);
    assert_int_equal(
        daily_plan(&f->co, de(f), utc("2027-05-18T14:00:01Z"), utc("2027-12-01T00:00:00Z"), p, 200),
        0);
}

static void test_exactly_once_and_restart(void **state)
{
    struct fx *f = *state;
    int64_t at = utc("2027-03-08T14:00:00Z");
    daily_tick(&f->app, f->d, at - 1);
    assert_int_equal(f->rec.n, 0);
    daily_tick(&f->app, f->d, at);
    assert_int_equal(f->rec.n, 2);
    assert_non_null(strstr(f->rec.posts[0].title, "Week 1"));
    assert_non_null(strstr(f->rec.posts[1].title, "Day 1 "));
    assert_string_equal(f->rec.posts[1].channel, "200000000000000001");
    for (int i = 0; i < 5; i++)
        daily_tick(&f->app, f->d, at + 5 + i);
    assert_int_equal(f->rec.n, 2);
    /* a restart: fresh in-memory state, same database */
    daily_free(f->d);
    f->d = daily_new();
    daily_tick(&f->app, f->d, at + 60);
    assert_int_equal(f->rec.n, 2);
    struct delivery dl;
    assert_int_equal(store_delivery_get(f->app.store, "daily/" GUILD "/2027-03-08/day-1", &dl), 0);
    assert_int_equal(dl.state, DLV_SENT);
    assert_string_equal(dl.message_id, "902");
}

static void test_crash_between_send_and_mark(void **state)
{
    struct fx *f = *state;
    int64_t at = utc("2027-03-09T14:00:00Z"); /* day 2 */
    const char *key = "daily/" GUILD "/2027-03-08/day-2";
    struct delivery dl;
    bool created;
    /* what a crash right after sending leaves: a pending row */
    assert_int_equal(store_delivery_begin(f->app.store, key, "daily", "x", at, at, &dl, &created),
                     0);
    daily_tick(&f->app, f->d, at + 30);
    int i = f->rec.n - 1;
    assert_true(i >= 0);
    assert_non_null(strstr(f->rec.posts[i].title, "Day 2 "));
    char nonce[26];
    store_delivery_nonce(key, nonce);
    assert_string_equal(f->rec.posts[i].nonce, nonce); /* same nonce: Discord drops a dup */
    assert_true(strlen(nonce) <= 25);
}

static void test_catchup_and_skip(void **state)
{
    struct fx *f = *state;
    /* down across day 1's post time; back 11 h later: sent late */
    daily_tick(&f->app, f->d, utc("2027-03-09T01:00:00Z"));
    assert_int_equal(f->rec.n, 2);
    /* down across day 2 and 3; back 13 h after day 3: day 2 and 3 are skipped */
    daily_free(f->d);
    f->d = daily_new();
    daily_tick(&f->app, f->d, utc("2027-03-11T03:00:00Z"));
    assert_int_equal(f->rec.n, 2);
    struct delivery dl;
    assert_int_equal(store_delivery_get(f->app.store, "daily/" GUILD "/2027-03-08/day-3", &dl), 0);
    assert_int_equal(dl.state, DLV_SKIPPED);
    assert_int_equal(store_delivery_get(f->app.store, "daily/" GUILD "/2027-03-08/day-2", &dl), 0);
    assert_int_equal(dl.state, DLV_SKIPPED);
    /* day 4 still comes at its time */
    daily_tick(&f->app, f->d, utc("2027-03-11T14:00:00Z"));
    assert_int_equal(f->rec.n, 3);
    assert_non_null(strstr(f->rec.posts[2].title, "Day 4 "));
}

static void test_channels_fallback_and_waiting(void **state)
{
    struct fx *f = *state;
    int64_t at = utc("2027-03-08T14:00:00Z");
    guilds_channel_remove(f->app.guilds, GUILD, "200000000000000001");
    daily_tick(&f->app, f->d, at);
    assert_int_equal(f->rec.n, 0);
    char out[200];
    assert_int_equal(daily_waiting(f->d, GUILD, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "week-1"));
    /* a renamed channel picks the week up live */
    guilds_channel_upsert(f->app.guilds, GUILD, "300000000000000001", "Week1-kickoff", 0);
    daily_tick(&f->app, f->d, at + 1);
    daily_tick(&f->app, f->d, at + 2);
    assert_int_equal(f->rec.n, 2);
    assert_string_equal(f->rec.posts[0].channel, "300000000000000001");
    assert_int_equal(daily_waiting(f->d, GUILD, out, sizeof(out)), 0);
    /* week 2 missing, a fallback set: the post goes there with a note */
    guilds_channel_remove(f->app.guilds, GUILD, "200000000000000002");
    assert_int_equal(store_week_channel_set(f->app.store, f->co.id, 0, "400000000000000000"), 0);
    daily_tick(&f->app, f->d, utc("2027-03-15T13:00:00Z"));
    assert_int_equal(f->rec.n, 4);
    assert_string_equal(f->rec.posts[2].channel, "400000000000000000");
    assert_non_null(strstr(f->rec.posts[2].content, "week 2 channel is missing"));
    /* an explicit mapping beats the name */
    assert_int_equal(store_week_channel_set(f->app.store, f->co.id, 3, "500000000000000003"), 0);
    char buf[24];
    assert_string_equal(daily_week_channel(&f->app, &f->co, 3, buf, sizeof(buf), NULL, 0),
                        "500000000000000003");
}

static void test_transient_failure_retries(void **state)
{
    struct fx *f = *state;
    int64_t at = utc("2027-03-08T14:00:00Z");
    f->rec.fail_status = 502;
    daily_tick(&f->app, f->d, at);
    assert_int_equal(f->rec.n, 1);
    struct delivery dl;
    assert_int_equal(store_delivery_get(f->app.store, "daily/" GUILD "/2027-03-08/week-1", &dl), 0);
    assert_int_equal(dl.state, DLV_PENDING);
    daily_tick(&f->app, f->d, at + 30); /* backing off */
    assert_int_equal(f->rec.n, 1);
    f->rec.fail_status = 0;
    daily_tick(&f->app, f->d, at + 61);
    daily_tick(&f->app, f->d, at + 62);
    assert_int_equal(f->rec.n, 3);
    assert_string_equal(f->rec.posts[1].nonce, f->rec.posts[0].nonce);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plan_dst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_whole_cohort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exactly_once_and_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_between_send_and_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catchup_and_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channels_fallback_and_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient_failure_retries, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
