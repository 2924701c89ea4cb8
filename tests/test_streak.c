/* test_streak.c - pure check-in arithmetic: learner days and midnights across zones
 * and DST, streak rules (counted, late, missed, grace, open), median, bar, gap and
 * the progress visibility rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/err.h"
#include "bot/tz.h"
#include "schedules/cohort.h"
#include "schedules/streak.h"

static int64_t utc(const char *s)
{
    int64_t t = 0;
    assert_int_equal(tz_parse_iso_utc(s, &t), 0);
    return t;
}

/* The end of a day (the learner's midnight) across DST changes and odd offsets. */
static void test_day_end_dst(void **state)
{
    (void)state;
    static const struct {
        const char *start, *zone;
        int day;
        const char *end_utc;
    } t[] = {
        {"2026-03-06", "America/New_York", 3, "2026-03-09T04:00:00Z"}, /* 23-hour day */
        {"2026-03-06", "America/New_York", 2, "2026-03-08T05:00:00Z"},
        {"2026-10-30", "America/New_York", 3, "2026-11-02T05:00:00Z"}, /* 25-hour day */
        {"2026-03-27", "Europe/Berlin", 3, "2026-03-29T22:00:00Z"},
        {"2026-04-03", "Australia/Sydney", 3, "2026-04-05T14:00:00Z"}, /* DST ends */
        {"2026-03-02", "Asia/Kolkata", 1, "2026-03-02T18:30:00Z"},
        {"2026-03-02", "UTC", 1, "2026-03-03T00:00:00Z"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int64_t end = 0;
        assert_int_equal(cohort_day_end(t[i].start, t[i].zone, t[i].day, &end), 0);
        assert_int_equal(end, utc(t[i].end_utc));
    }
}

/* A check-in one second before the learner's midnight counts; at midnight it is late. */
static void test_counted_vs_late_dst(void **state)
{
    (void)state;
    static const struct {
        const char *start, *zone;
        int day;
        const char *at;
        enum streak_why want;
    } t[] = {
        {"2026-03-06", "America/New_York", 3, "2026-03-09T03:59:59Z", STREAK_COUNTED},
        {"2026-03-06", "America/New_York", 3, "2026-03-09T04:00:00Z", STREAK_LATE},
        {"2026-10-30", "America/New_York", 3, "2026-11-02T04:30:00Z", STREAK_COUNTED},
        {"2026-10-30", "America/New_York", 3, "2026-11-02T05:00:01Z", STREAK_LATE},
        {"2026-03-27", "Europe/Berlin", 3, "2026-03-29T21:59:59Z", STREAK_COUNTED},
        {"2026-03-27", "Europe/Berlin", 3, "2026-03-29T22:00:00Z", STREAK_LATE},
        {"2026-04-03", "Australia/Sydney", 3, "2026-04-05T13:59:00Z", STREAK_COUNTED},
        {"2026-04-03", "Australia/Sydney", 3, "2026-04-05T14:01:00Z", STREAK_LATE},
        {"2026-03-02", "Asia/Kolkata", 1, "2026-03-02T18:29:59Z", STREAK_COUNTED},
        {"2026-03-02", "Asia/Kolkata", 1, "2026-03-02T18:30:00Z", STREAK_LATE},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct streak_ck ck = {t[i].day, utc(t[i].at), 1};
        struct streak_result r;
        /* evaluated a few days later so the day is over */
        assert_int_equal(streak_compute(t[i].start, t[i].zone, t[i].day + 2, 70, 0, &ck, 1, &r), 0);
        int idx = t[i].day - 1; /* window starts at day 1 here */
        assert_int_equal(r.window[idx].day, t[i].day);
        assert_int_equal(r.window[idx].why, t[i].want);
        assert_int_equal(r.done, 1);
    }
}

/* The same instant is a different cohort day in different learner zones. */
static void test_learner_day_by_zone(void **state)
{
    (void)state;
    static const struct {
        const char *zone, *now;
        int day;
    } t[] = {
        {"Pacific/Kiritimati", "2026-03-02T12:00:00Z", 2}, /* UTC+14: already Mar 3 */
        {"Pacific/Pago_Pago", "2026-03-02T12:00:00Z", 1},  /* UTC-11: still Mar 2 */
        {"America/New_York", "2026-03-02T04:59:59Z", 0},   /* before day 1 */
        {"America/New_York", "2026-03-02T05:00:00Z", 1},
        {"Europe/Berlin", "2026-03-29T22:30:00Z", 29}, /* after the DST switch */
        {"UTC", "2026-05-10T23:59:59Z", 70},
        {"UTC", "2026-05-11T00:00:00Z", 71}, /* past the curriculum */
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int day = -99;
        assert_int_equal(cohort_day_at("2026-03-02", t[i].zone, utc(t[i].now), &day), 0);
        assert_int_equal(day, t[i].day);
    }
    int day;
    assert_int_equal(cohort_day_at("2026-02-30", "UTC", 0, &day), BOT_EINVAL);
    assert_int_equal(cohort_day_at("2026-03-02", "Mars/Base", 0, &day), BOT_EINVAL);
}

enum { ON = 1, LATE = 2 }; /* how each day was checked in; 0 = not at all */

/* Streak rules on a UTC cohort starting 2026-03-02 (day d ends at start + d days). */
static void test_streak_rules(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int today, n_days, grace;
        int marks[21]; /* marks[d-1] */
        int current, longest, done, elapsed;
        enum streak_why last_why;
    } t[] = {
        {"all on time", 5, 70, 0, {ON, ON, ON, ON, ON}, 5, 5, 5, 5, STREAK_COUNTED},
        {"a miss resets", 5, 70, 0, {ON, ON, 0, ON, ON}, 2, 2, 4, 5, STREAK_COUNTED},
        {"grace keeps it", 5, 70, 1, {ON, ON, 0, ON, ON}, 4, 4, 4, 5, STREAK_COUNTED},
        {"today still open", 5, 70, 0, {ON, ON, ON, ON, 0}, 4, 4, 4, 5, STREAK_OPEN},
        {"late resets", 3, 70, 0, {ON, LATE, ON}, 1, 1, 3, 3, STREAK_COUNTED},
        {"one grace per week", 5, 70, 1, {ON, 0, ON, 0, ON}, 1, 2, 3, 5, STREAK_COUNTED},
        {"grace renews weekly",
         12,
         70,
         1,
         {ON, ON, 0, ON, ON, ON, ON, ON, ON, 0, ON, ON},
         10,
         10,
         10,
         12,
         STREAK_COUNTED},
        {"curriculum over", 9, 5, 0, {ON, ON, ON, ON, ON}, 5, 5, 5, 5, STREAK_COUNTED},
        {"nothing yet", 1, 70, 0, {0}, 0, 0, 0, 1, STREAK_OPEN},
        {"before start", 0, 70, 0, {0}, 0, 0, 0, 0, STREAK_OPEN},
    };
    int64_t start = utc("2026-03-02T00:00:00Z");
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct streak_ck cks[21];
        size_t n = 0;
        for (int d = 1; d <= 21; d++) {
            if (!t[i].marks[d - 1])
                continue;
            int64_t at = start + (int64_t)(d - 1) * 86400 + 12 * 3600;
            if (t[i].marks[d - 1] == LATE)
                at += 86400;
            cks[n++] = (struct streak_ck){d, at, 1};
        }
        struct streak_result r;
        assert_int_equal(
            streak_compute("2026-03-02", "UTC", t[i].today, t[i].n_days, t[i].grace, cks, n, &r),
            0);
        print_message("case: %s\n", t[i].name);
        assert_int_equal(r.current, t[i].current);
        assert_int_equal(r.longest, t[i].longest);
        assert_int_equal(r.done, t[i].done);
        assert_int_equal(r.elapsed, t[i].elapsed);
        if (r.nwindow)
            assert_int_equal(r.window[r.nwindow - 1].why, t[i].last_why);
        else
            assert_int_equal(t[i].elapsed, 0);
    }
}

static void test_window_and_bad_input(void **state)
{
    (void)state;
    struct streak_result r;
    struct streak_ck ck = {3, 1, 1};
    assert_int_equal(streak_compute("2026-03-02", "UTC", 20, 70, 0, &ck, 1, &r), 0);
    assert_int_equal(r.nwindow, STREAK_WINDOW);
    assert_int_equal(r.window[0].day, 7);
    assert_int_equal(r.window[STREAK_WINDOW - 1].day, 20);
    assert_int_equal(r.window[STREAK_WINDOW - 1].why, STREAK_OPEN);
    /* day 3 checked in at t=1 (1970): long before its end, so counted */
    assert_int_equal(r.done, 1);
    assert_int_equal(streak_compute("2026-03-02", "Mars/Base", 5, 70, 0, NULL, 0, &r), BOT_EINVAL);
    assert_int_equal(streak_compute("2026-03-02", "UTC", 5, 0, 0, NULL, 0, &r), BOT_EINVAL);
    /* duplicate and out-of-range days are tolerated: the earliest check-in wins */
    struct streak_ck dup[] = {{1, utc("2026-03-03T01:00:00Z"), 1},
                              {1, utc("2026-03-02T01:00:00Z"), 1},
                              {0, 5, 1},
                              {99, 5, 1}};
    assert_int_equal(streak_compute("2026-03-02", "UTC", 2, 70, 0, dup, 4, &r), 0);
    assert_int_equal(r.window[0].why, STREAK_COUNTED);
    assert_int_equal(r.done, 1);
}

/* The strided day-end computation equals converting every day, across a year of DST
 * changes in both hemispheres, half-hour zones and zones without DST. */
static void test_day_ends_match_per_day(void **state)
{
    (void)state;
    static const char *const zones[] = {
        "America/New_York", "Europe/Berlin",    "Australia/Sydney",  "Australia/Lord_Howe",
        "Asia/Kolkata",     "America/Santiago", "Africa/Casablanca", "UTC"};
    enum { N = 400 };
    static int64_t ends[N + 1];
    for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
        assert_int_equal(streak_day_ends("2026-01-15", zones[z], N, ends), 0);
        for (int d = 1; d <= N; d++) {
            int64_t want;
            assert_int_equal(cohort_day_end("2026-01-15", zones[z], d, &want), 0);
            if (ends[d] != want)
                fail_msg("%s day %d: %lld != %lld", zones[z], d, (long long)ends[d],
                         (long long)want);
        }
    }
    assert_int_equal(streak_day_ends("2026-01-15", "Mars/Base", 5, ends), BOT_EINVAL);
}

static void test_median_bar_gap(void **state)
{
    (void)state;
    double a[] = {5, 1, 3}, b[] = {4, 1, 3, 2}, c[] = {7};
    assert_true(streak_median(a, 3) == 3);
    assert_true(streak_median(b, 4) == 2.5);
    assert_true(streak_median(c, 1) == 7);
    assert_true(streak_median(NULL, 0) == 0);
    static const struct {
        double v, target;
        int width;
        const char *want;
    } bars[] = {
        {0, 15, 10, "[----------]"},  {7.5, 15, 10, "[#####-----]"}, {15, 15, 10, "[##########]"},
        {40, 15, 10, "[##########]"}, {-3, 15, 4, "[----]"},         {3, 0, 4, "[----]"},
    };
    for (size_t i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
        char out[32];
        streak_bar(bars[i].v, bars[i].target, bars[i].width, out, sizeof(out));
        assert_string_equal(out, bars[i].want);
    }
    char tiny[5];
    streak_bar(5, 10, 10, tiny, sizeof(tiny)); /* clipped to fit, still terminated */
    assert_string_equal(tiny, "[#-]");
    assert_int_equal(streak_gap_days(10, 6), 3);
    assert_int_equal(streak_gap_days(10, 9), 0);
    assert_int_equal(streak_gap_days(10, 10), 0);
    assert_int_equal(streak_gap_days(5, 0), 4);
    assert_int_equal(streak_gap_days(1, 0), 0);
}

static void test_visibility(void **state)
{
    (void)state;
    static const struct {
        bool self, pub, admin, mentor, want;
    } t[] = {
        {true, false, false, false, true}, {false, false, false, false, false},
        {false, true, false, false, true}, {false, false, true, false, true},
        {false, false, false, true, true},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(streak_progress_visible(t[i].self, t[i].pub, t[i].admin, t[i].mentor),
                         t[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_end_dst),          cmocka_unit_test(test_counted_vs_late_dst),
        cmocka_unit_test(test_learner_day_by_zone),  cmocka_unit_test(test_streak_rules),
        cmocka_unit_test(test_window_and_bad_input), cmocka_unit_test(test_median_bar_gap),
        cmocka_unit_test(test_visibility),           cmocka_unit_test(test_day_ends_match_per_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
