/* test_security.c - one host, many guilds: the findings of the security review, each
 * a test that failed before its fix. Hostile calendars stay inside the expansion
 * budget; time-zone names are never paths; spreadsheet formulas are neutralised in
 * exports; /mydata delete keeps other guilds' ledger rows; the ledger is pruned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bot/buf.h"
#include "bot/err.h"
#include "bot/export.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "bot/tz.h"
#include "schedules/calendar.h"
#include "testutil.h"

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/tests/data/hostile/%s", getenv("COHORTBOT_SRCDIR"), name);
    char *p = tu_read(path, len);
    assert_non_null(p);
    return p;
}

/* Sub-hourly rules are refused at parse time with the line; rules and feeds that
 * would need more than the budget in the bot's window are refused, not computed. */
static void test_hostile_calendars(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int parse_rc, rem_rc;
        const char *msg;
    } cases[] = {
        {"secondly.ics", BOT_EINVAL, 0, "line 8: RRULE: FREQ=SECONDLY is not supported"},
        {"minutely.ics", BOT_EINVAL, 0, "FREQ=MINUTELY is not supported"},
        {"hourly-bysecond.ics", 0, BOT_ETOOBIG, NULL},
        {"many-events.ics", 0, BOT_ETOOBIG, NULL},
        {"alarms.ics", 0, BOT_ETOOBIG, NULL},
        /* found by fuzz_ical's time budget: BYSETPOS=-2 of a one-day monthly set made
         * one libical call search 28 years (620 ms); now the rule is DTSTART only */
        {"setpos-never.ics", 0, 0, NULL},
        /* also found by the budget: a daily series starting in year 4048 (40 ms each
         * time libical + ICU set it up to find nothing) */
        {"future-series.ics", 0, 0, NULL},
    };
    const int64_t now = 1799064000; /* 2027-01-04T12:00:00Z */
    int leads[] = {1440, 60, 10};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = 0;
        char *text = slurp(cases[i].file, &len), err[BOT_ERR_LEN] = "";
        struct cal_feed *f = NULL;
        int rc = cal_parse(text, len, "UTC", &f, err);
        free(text);
        if (rc != cases[i].parse_rc || (cases[i].msg && !strstr(err, cases[i].msg)))
            fail_msg("%s: parse rc %d err %s", cases[i].file, rc, err);
        if (rc)
            continue;
        struct cal_reminder *r = NULL;
        size_t n = 0;
        /* the bot's window: catch-up behind, one day ahead */
        rc = cal_reminders(f, now - 12 * 3600, now + 86400, leads, 3, &r, &n);
        free(r);
        cal_feed_free(f);
        if (rc != cases[i].rem_rc)
            fail_msg("%s: reminders rc %d (n %zu)", cases[i].file, rc, n);
    }
}

/* The same lead reached twice for one occurrence (a VALARM equal to a default lead
 * is not possible, but two equal VALARMs are) is posted once; the sort that drops
 * it keeps the order fire, start, UID. */
static void test_reminder_dedup(void **state)
{
    (void)state;
    const char *ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:d\r\n"
                      "DTSTART:20270104T150000Z\r\nRRULE:FREQ=HOURLY;COUNT=5\r\nSUMMARY:x\r\n"
                      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n"
                      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n"
                      "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n"
                      "END:VEVENT\r\nEND:VCALENDAR\r\n";
    struct cal_feed *f = NULL;
    char err[BOT_ERR_LEN];
    assert_int_equal(cal_parse(ics, strlen(ics), "UTC", &f, err), 0);
    struct cal_reminder *r = NULL;
    size_t n = 0;
    int leads[] = {60};
    assert_int_equal(cal_reminders(f, 1799060000, 1799200000, leads, 1, &r, &n), 0);
    assert_int_equal(n, 10); /* 5 occurrences x (10 and 5 minutes) */
    for (size_t i = 1; i < n; i++)
        assert_true(r[i - 1].fire < r[i].fire);
    free(r);
    cal_feed_free(f);
}

/* Zone names are looked up in libical's list, never opened as files. */
static void test_zone_names(void **state)
{
    (void)state;
    assert_true(tz_valid("America/New_York"));
    assert_true(tz_valid("Asia/Tokyo"));
    assert_true(tz_valid("UTC"));
    char fifo[64];
    snprintf(fifo, sizeof(fifo), "/tmp/test_sec_fifo_%d", getpid());
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0); /* opening it would block the loop */
    char via[128];
    snprintf(via, sizeof(via), "../../../../..%s", fifo);
    const char *bad[] = {"../../../../proc/self/fd/0",
                         "./Asia//Tokyo",
                         "Asia//Tokyo",
                         "/usr/share/zoneinfo/Asia/Tokyo",
                         "asia/tokyo",
                         "Asia/Tokyo/",
                         "America/New_York\n",
                         "posixrules",
                         "",
                         via,
                         fifo};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (tz_valid(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
    unlink(fifo);
    /* conversions with a refused name fail cleanly */
    struct civil c = {2027, 1, 4, 9, 0, 0, 0};
    int64_t t;
    assert_int_equal(tz_to_utc("./Asia//Tokyo", &c, &t), BOT_EINVAL);
}

static void test_csv_formulas(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
        {"+1+2", "\"'+1+2\""},
        {"-2+3", "\"'-2+3\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"-1.5", "-1.5"},
        {"2.5", "2.5"},
        {"lab done", "lab done"},
        {"a,b", "\"a,b\""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, 1024);
        assert_int_equal(export_csv_field(&b, cases[i].in), 0);
        if (strcmp(buf_str(&b), cases[i].out) != 0)
            fail_msg("%s -> %s, want %s", cases[i].in, buf_str(&b), cases[i].out);
        buf_free(&b);
    }
}

struct fx {
    struct store *st;
    char db[300];
};

static int open_db(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    char err[256];
    static int n;
    char name[32];
    snprintf(name, sizeof(name), "security-%d.db", n++);
    tu_path(f->db, sizeof(f->db), name);
    assert_int_equal(store_open(f->db, &f->st, err, sizeof(err)), 0);
    *state = f;
    return 0;
}

static int close_db(void **state)
{
    struct fx *f = *state;
    store_close(f->st); /* the files go with the test directory (main) */
    free(f);
    return 0;
}

/* /mydata delete in guild A removes A's ledger rows for the member, never B's
 * (B's pairing DM would be sent again). */
static void test_delete_scoped(void **state)
{
    struct fx *f = *state;
    const char *user = "3000000000000000001";
    struct delivery d;
    bool created;
    assert_int_equal(store_delivery_begin(f->st, "pair/1111/1/mentee/3000000000000000001", "pair",
                                          user, 0, 0, &d, &created),
                     0);
    assert_int_equal(store_delivery_begin(f->st, "pair/2222/1/mentee/3000000000000000001", "pair",
                                          user, 0, 0, &d, &created),
                     0);
    int rows = 0;
    assert_int_equal(store_member_delete(f->st, "1111", user, &rows), 0);
    assert_int_equal(store_delivery_get(f->st, "pair/1111/1/mentee/3000000000000000001", &d),
                     BOT_ENOTFOUND);
    assert_int_equal(store_delivery_get(f->st, "pair/2222/1/mentee/3000000000000000001", &d), 0);
}

/* Finished ledger rows past the retention go, pending ones stay; in batches. */
static void test_ledger_pruned(void **state)
{
    struct fx *f = *state;
    struct delivery d;
    bool created;
    char key[64];
    for (int i = 0; i < 30; i++) {
        snprintf(key, sizeof(key), "daily/1/2027-01-04/day-%d", i);
        assert_int_equal(store_delivery_begin(f->st, key, "daily", "c", 100, 100, &d, &created), 0);
        if (i < 25)
            assert_int_equal(store_delivery_mark(f->st, key, i % 2 ? DLV_SENT : DLV_SKIPPED, NULL,
                                                 NULL, 200 + i),
                             0);
    }
    assert_int_equal(store_delivery_prune(f->st, 210, 5), 5);   /* batch */
    assert_int_equal(store_delivery_prune(f->st, 210, 100), 5); /* the rest before 210 */
    assert_int_equal(store_delivery_prune(f->st, 1000, 100), 15);
    assert_int_equal(store_delivery_prune(f->st, 1000, 100), 0);
    snprintf(key, sizeof(key), "daily/1/2027-01-04/day-%d", 27);
    assert_int_equal(store_delivery_get(f->st, key, &d), 0); /* pending kept */
}

int main(void)
{
    log_set_level(LOGL_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_calendars),
        cmocka_unit_test(test_reminder_dedup),
        cmocka_unit_test(test_zone_names),
        cmocka_unit_test(test_csv_formulas),
        cmocka_unit_test_setup_teardown(test_delete_scoped, open_db, close_db),
        cmocka_unit_test_setup_teardown(test_ledger_pruned, open_db, close_db),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
