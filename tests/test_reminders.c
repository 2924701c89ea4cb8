/* test_reminders.c - calendar reminders end to end below the transport: a real .ics
 * file fetched by the worker thread, the real store and ledger, a recording struct
 * chat. Exactly once across a restart, moved and cancelled events, no reminder after
 * the start, last good copy kept when the feed breaks, the study-group calendar. */
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
#include "bot/tz.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/calendar.h"
#include "schedules/cohort.h"
#include "schedules/reminders.h"
#include "schedules/study_groups.h"

#define GUILD "111111111111111111"
#define CHAN "222222222222222222"

struct rec {
    char titles[64][256];
    char nonces[64][32];
    int n;
};

static int rec_post(void *impl, const char *channel, const struct message *m, const char *nonce,
                    chat_done_fn done, void *arg)
{
    struct rec *r = impl;
    assert_string_equal(channel, CHAN);
    snprintf(r->titles[r->n], 256, "%s", m->nembeds ? m->embeds[0].title : "");
    snprintf(r->nonces[r->n], 32, "%s", nonce ? nonce : "");
    r->n++;
    struct chat_result res = {.rc = 0, .http_status = 200, .id = "1"};
    done(arg, &res);
    return 0;
}

static const struct chat_ops rec_ops = {.post = rec_post};

struct fx {
    struct app app;
    struct config cfg;
    struct rec rec;
    struct rem_state *r;
    char db[64], ics[64];
    int64_t feed;
};

static const char *EVENT = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ev1@test\r\n"
                           "DTSTART:%s\r\nDURATION:PT1H\r\nSUMMARY:%s\r\n%sEND:VEVENT\r\n"
                           "END:VCALENDAR\r\n";

static void write_ics(struct fx *f, const char *start, const char *summary, const char *extra)
{
    FILE *fp = fopen(f->ics, "w");
    assert_non_null(fp);
    fprintf(fp, EVENT, start, summary, extra);
    fclose(fp);
}

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(tz_parse_iso_utc(iso, &t), 0);
    return t;
}

/* Ticks until the worker's fetch result has been applied (feed parsed or failed). */
static void settle(struct fx *f, int64_t now)
{
    for (int i = 0; i < 6000; i++) { /* 30 s safety net on a loaded machine */
        rem_tick(&f->app, f->r, now);
        struct feed_row row;
        assert_int_equal(store_feed_get(f->app.store, f->feed, &row), 0);
        if (row.last_ok_at == now || row.last_error[0])
            return;
        usleep(10000);
    }
    fail_msg("feed never settled");
}

/* Ticks until feed f->feed has a parsed copy (the workers parse off the loop). The
 * bound is a safety net for a wedged worker, not a guess at how long parsing takes. */
static void loaded(struct fx *f, int64_t now)
{
    for (int i = 0; i < 6000 && rem_feed_events(f->r, f->feed) < 0; i++) {
        rem_tick(&f->app, f->r, now);
        if (rem_feed_events(f->r, f->feed) < 0)
            usleep(5000);
    }
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[BOT_ERR_LEN];
    log_set_level(LOGL_OFF);
    config_defaults(&f->cfg);
    f->cfg.leads[0] = 60;
    f->cfg.nleads = 1;
    snprintf(f->db, sizeof(f->db), "/tmp/test_rem_%d.db", getpid());
    snprintf(f->ics, sizeof(f->ics), "/tmp/test_rem_%d.ics", getpid());
    unlink(f->db);
    assert_int_equal(store_open(f->db, &f->app.store, err, sizeof(err)), 0);
    f->app.cfg = &f->cfg;
    f->app.guilds = guilds_new();
    f->app.chat.ops = &rec_ops;
    f->app.chat.impl = &f->rec;
    f->r = rem_new(&f->app);
    assert_non_null(f->r);
    write_ics(f, "20270110T150000Z", "Office hours", "");
    assert_int_equal(store_feed_add(f->app.store, GUILD, f->ics, CHAN, "60", 0, &f->feed), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    rem_free(f->r);
    guilds_free(f->app.guilds);
    store_close(f->app.store);
    config_free(&f->cfg);
    char p[80];
    unlink(f->db);
    unlink(f->ics);
    snprintf(p, sizeof(p), "%s-wal", f->db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->db);
    unlink(p);
    free(f);
    return 0;
}

static void test_once_across_restart(void **state)
{
    struct fx *f = *state;
    settle(f, utc("2027-01-10T13:00:00Z"));
    assert_int_equal(rem_feed_events(f->r, f->feed), 1);
    rem_tick(&f->app, f->r, utc("2027-01-10T13:59:59Z"));
    assert_int_equal(f->rec.n, 0);
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    assert_int_equal(f->rec.n, 1);
    assert_string_equal(f->rec.titles[0], "Office hours");
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:30Z"));
    assert_int_equal(f->rec.n, 1);
    /* restart: a new state reads the last good copy from the store; no second post */
    rem_free(f->r);
    f->r = rem_new(&f->app);
    loaded(f, utc("2027-01-10T14:01:00Z")); /* the stored copy is parsed on a worker */
    assert_int_equal(rem_feed_events(f->r, f->feed), 1);
    rem_tick(&f->app, f->r, utc("2027-01-10T14:02:00Z"));
    assert_int_equal(f->rec.n, 1);
}

static void test_moved_cancelled_started(void **state)
{
    struct fx *f = *state;
    settle(f, utc("2027-01-10T12:00:00Z"));
    /* moved two hours later before its reminder: reminded at the new time only */
    write_ics(f, "20270110T170000Z", "Office hours (moved)", "");
    rem_feeds_changed(f->r, f->feed);
    settle(f, utc("2027-01-10T12:30:00Z"));
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    assert_int_equal(f->rec.n, 0);
    rem_tick(&f->app, f->r, utc("2027-01-10T16:00:00Z"));
    assert_int_equal(f->rec.n, 1);
    assert_string_equal(f->rec.titles[0], "Office hours (moved)");
    /* a cancelled event is not reminded */
    write_ics(f, "20270111T170000Z", "Cancelled one", "STATUS:CANCELLED\r\n");
    rem_feeds_changed(f->r, f->feed);
    settle(f, utc("2027-01-11T12:00:00Z"));
    rem_tick(&f->app, f->r, utc("2027-01-11T16:00:00Z"));
    assert_int_equal(f->rec.n, 1);
    /* down across the start: the late reminder is not posted */
    write_ics(f, "20270112T170000Z", "Missed", "");
    rem_feeds_changed(f->r, f->feed);
    settle(f, utc("2027-01-12T12:00:00Z"));
    rem_tick(&f->app, f->r, utc("2027-01-12T17:30:00Z"));
    assert_int_equal(f->rec.n, 1);
}

static void test_broken_feed_keeps_last_good(void **state)
{
    struct fx *f = *state;
    settle(f, utc("2027-01-10T12:00:00Z"));
    write_ics(f, "garbage", "x", "");
    rem_feeds_changed(f->r, f->feed);
    settle(f, utc("2027-01-10T12:10:00Z"));
    struct feed_row row;
    assert_int_equal(store_feed_get(f->app.store, f->feed, &row), 0);
    assert_true(row.last_error[0] != '\0');
    assert_true(row.error_notified);
    assert_int_equal(rem_feed_events(f->r, f->feed), 1); /* still the good copy */
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    assert_int_equal(f->rec.n, 1);
    bool first = true;
    assert_int_equal(store_feed_error(f->app.store, f->feed, "again", &first), 0);
    assert_false(first); /* admins are told once, not on every refresh */
}

static void test_study_groups_calendar(void **state)
{
    (void)state;
    struct curricula *set = NULL;
    struct buf errs, ics;
    buf_init(&errs, 4096);
    buf_init(&ics, 1 << 20);
    assert_int_equal(curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &set, &errs), 0);
    struct cohort co = {.id = 1};
    snprintf(co.start_date, sizeof(co.start_date), "2027-03-08");
    snprintf(co.timezone, sizeof(co.timezone), "America/New_York");
    assert_int_equal(study_groups_ics(set->items[0], &co, &ics), 0);
    struct cal_feed *cal = NULL;
    char err[BOT_ERR_LEN];
    assert_int_equal(cal_parse(buf_str(&ics), ics.len, "UTC", &cal, err), 0);
    struct cal_occ *o = NULL;
    size_t n = 0;
    assert_int_equal(
        cal_expand(cal, utc("2027-03-01T00:00:00Z"), utc("2027-06-01T00:00:00Z"), &o, &n), 0);
    assert_int_equal(n, 20); /* 5 groups x 2 weeks x 2 meetings */
    /* Mon 2027-03-08 20:00 EST = 01:00Z; after DST (Mar 14) 20:00 EDT = 00:00Z */
    assert_int_equal(o[0].start, utc("2027-03-09T01:00:00Z"));
    assert_int_equal(o[2].start, utc("2027-03-16T00:00:00Z"));
    free(o);
    cal_feed_free(cal);
    curricula_free(set);
    buf_free(&errs);
    buf_free(&ics);
}

/* A feed that is over the expansion budget in the worker's trial is never expanded
 * on the loop thread: the admin sees why, nothing is posted, /schedule skips it. */
static void test_costly_feed_paused(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(f->ics, "w");
    assert_non_null(fp);
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:h@test\r\n"
          "DTSTART:20270110T000000Z\r\nRRULE:FREQ=HOURLY;BYMINUTE=",
          fp);
    for (int i = 0; i < 60; i++)
        fprintf(fp, "%s%d", i ? "," : "", i);
    fputs(";BYSECOND=", fp);
    for (int i = 0; i < 60; i++)
        fprintf(fp, "%s%d", i ? "," : "", i);
    fputs("\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", fp);
    fclose(fp);
    f->app.clock_offset = utc("2027-01-10T13:00:00Z") - (int64_t)time(NULL); /* trial window */
    settle(f, utc("2027-01-10T13:00:00Z"));
    struct feed_row row;
    assert_int_equal(store_feed_get(f->app.store, f->feed, &row), 0);
    assert_non_null(strstr(row.last_error, "too complex"));
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    assert_int_equal(f->rec.n, 0);
    struct message m;
    msg_init(&m);
    assert_int_equal(rem_schedule(&f->app, f->r, GUILD, utc("2027-01-10T13:00:00Z"), 1, &m), 0);
    assert_non_null(strstr(m.embeds[0].description, "Nothing on the calendars"));
    msg_free(&m);
}

/* ---- fairness across guilds ---- */

#define GUILD_B "333333333333333333"
#define CHAN_B "444444444444444444"

/* Holds guild A's posts forever (a slow or rate-limited channel); answers B's. */
struct hold {
    int a_posts, b_posts;
};

static int hold_post(void *impl, const char *channel, const struct message *m, const char *nonce,
                     chat_done_fn done, void *arg)
{
    struct hold *h = impl;
    (void)m;
    (void)nonce;
    if (strcmp(channel, CHAN_B) == 0) {
        h->b_posts++;
        struct chat_result res = {.rc = 0, .http_status = 200, .id = "1"};
        done(arg, &res);
    } else {
        h->a_posts++; /* never completes */
    }
    return 0;
}

static const struct chat_ops hold_ops = {.post = hold_post};

/* Guild A has 300 reminders due at once and its posts never finish; guild B's one
 * reminder still goes out within two loop passes: A holds at most guild_post_slots of the
 * shared posting slots. Before per-guild slots, A took all 64 and B waited. */
static void test_guild_cannot_starve_another(void **state)
{
    struct fx *f = *state;
    struct hold h = {0};
    char ics_a[64];
    snprintf(ics_a, sizeof(ics_a), "/tmp/test_rem_a_%d.ics", getpid());
    FILE *fp = fopen(ics_a, "w");
    assert_non_null(fp);
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", fp);
    for (int i = 0; i < 300; i++)
        fprintf(fp,
                "BEGIN:VEVENT\r\nUID:a%d@test\r\nDTSTART:20270110T150000Z\r\n"
                "SUMMARY:A %d\r\nEND:VEVENT\r\n",
                i, i);
    fputs("END:VCALENDAR\r\n", fp);
    fclose(fp);
    int64_t a_feed = 0, b_feed = f->feed;
    /* the fixture's feed becomes guild B's; guild A's 300-event feed comes first */
    assert_int_equal(store_feed_remove(f->app.store, GUILD, b_feed), 0);
    assert_int_equal(store_feed_add(f->app.store, GUILD, ics_a, CHAN, "60", 0, &a_feed), 0);
    assert_int_equal(store_feed_add(f->app.store, GUILD_B, f->ics, CHAN_B, "60", 0, &b_feed), 0);
    rem_feeds_changed(f->r, 0);
    f->app.chat.ops = &hold_ops;
    f->app.chat.impl = &h;
    int64_t fetch_at = utc("2027-01-10T13:00:00Z");
    for (int i = 0; i < 6000; i++) { /* both fetched and parsed (30 s safety net) */
        rem_tick(&f->app, f->r, fetch_at);
        if (rem_feed_events(f->r, a_feed) == 300 && rem_feed_events(f->r, b_feed) == 1)
            break;
        usleep(5000);
    }
    assert_int_equal(rem_feed_events(f->r, a_feed), 300);
    assert_int_equal(rem_feed_events(f->r, b_feed), 1);
    /* two passes: the posting pass is round robin within a time budget, so if A's
     * feed used up the first pass (a slow machine), the second one starts with B */
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    rem_tick(&f->app, f->r, utc("2027-01-10T14:00:00Z"));
    assert_int_equal(h.b_posts, 1);                       /* B is not delayed by A */
    assert_int_equal(h.a_posts, f->cfg.guild_post_slots); /* A is capped */
    unlink(ics_a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_once_across_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moved_cancelled_started, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_feed_keeps_last_good, setup, teardown),
        cmocka_unit_test(test_study_groups_calendar),
        cmocka_unit_test_setup_teardown(test_guild_cannot_starve_another, setup, teardown),
        cmocka_unit_test_setup_teardown(test_costly_feed_paused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
