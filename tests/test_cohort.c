/* test_cohort.c - cohort day arithmetic at zone and DST edges: local midnight in UTC
 * terms, spring-forward (23 h) and fall-back (25 h) days, half-hour DST, the +14 and
 * -11 extremes, a skipped calendar day, and DST-correct post times. Expected instants
 * were computed independently (Python zoneinfo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bot/err.h"
#include "schedules/cohort.h"

#define NY "America/New_York"

static void test_day_at(void **state)
{
    (void)state;
    const struct {
        const char *start, *zone;
        int64_t now;
        int day;
    } t[] = {
        /* New York, start Monday 2026-03-02; local midnight is 05:00Z (EST) */
        {"2026-03-02", NY, 1772427600 - 1, 0},
        {"2026-03-02", NY, 1772427600, 1},
        {"2026-03-02", NY, 1772506800, 1}, /* 2026-03-03T03:00Z is still the 2nd locally */
        {"2026-03-02", NY, 1772427600 + 86400 - 1, 1},
        {"2026-03-02", NY, 1772427600 + 86400, 2},
        /* spring forward on 2026-03-08 (day 7): it starts at 05:00Z, ends at 04:00Z */
        {"2026-03-02", NY, 1772946000 - 1, 6},
        {"2026-03-02", NY, 1772946000, 7},
        {"2026-03-02", NY, 1773028800 - 1, 7},
        {"2026-03-02", NY, 1773028800, 8},
        /* fall back on 2026-11-01 (day 7 of a cohort starting 10-26): 25 hours */
        {"2026-10-26", NY, 1793505600 - 1, 6},
        {"2026-10-26", NY, 1793505600, 7},
        {"2026-10-26", NY, 1793511000, 7}, /* 01:30 EDT */
        {"2026-10-26", NY, 1793514600, 7}, /* 01:30 EST, the repeated hour */
        {"2026-10-26", NY, 1793595600 - 1, 7},
        {"2026-10-26", NY, 1793595600, 8},
        /* the extremes: UTC+14 and UTC-11, same start date, 25 hours apart */
        {"2026-01-01", "Pacific/Kiritimati", 1767175200 - 1, 0},
        {"2026-01-01", "Pacific/Kiritimati", 1767175200, 1},
        {"2026-01-01", "Pacific/Pago_Pago", 1767265200 - 1, 0},
        {"2026-01-01", "Pacific/Pago_Pago", 1767265200, 1},
        /* one instant, 2026-01-01T12:00Z: day 2 on Kiritimati, day 1 in Pago Pago */
        {"2026-01-01", "Pacific/Kiritimati", 1767268800, 2},
        {"2026-01-01", "Pacific/Pago_Pago", 1767268800, 1},
        /* Lord Howe's half-hour DST end on 2026-04-05 */
        {"2026-04-05", "Australia/Lord_Howe", 1775307600, 1},
        {"2026-04-05", "Australia/Lord_Howe", 1775395800 - 1, 1},
        {"2026-04-05", "Australia/Lord_Howe", 1775395800, 2},
        /* Samoa skipped 2011-12-30: the second after the 29th is already day 3 */
        {"2011-12-29", "Pacific/Apia", 1325239200 - 1, 1},
        {"2011-12-29", "Pacific/Apia", 1325239200, 3},
        /* UTC itself and long runs */
        {"2026-01-01", "UTC", 1767225600, 1},
        {"2026-01-01", "UTC", 1767225600 + 99 * 86400, 100},
        {"2026-01-01", "UTC", 1767225600 - 30 * 86400, -29},
        /* leap day */
        {"2028-02-28", "UTC", 1835395200, 2}, /* 2028-02-29T00:00Z */
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int day = -999;
        assert_int_equal(cohort_day_at(t[i].start, t[i].zone, t[i].now, &day), 0);
        if (day != t[i].day)
            fail_msg("case %zu: %s %s at %lld: day %d, want %d", i, t[i].start, t[i].zone,
                     (long long)t[i].now, day, t[i].day);
    }
}

static void test_day_end(void **state)
{
    (void)state;
    const struct {
        const char *start, *zone;
        int day;
        int64_t end;
    } t[] = {
        {"2026-03-02", NY, 1, 1772427600 + 86400},
        {"2026-03-02", NY, 6, 1772946000},
        {"2026-03-02", NY, 7, 1773028800}, /* a 23-hour day */
        {"2026-10-26", NY, 6, 1793505600},
        {"2026-10-26", NY, 7, 1793595600}, /* a 25-hour day */
        {"2026-04-05", "Australia/Lord_Howe", 1, 1775395800},
        {"2026-01-01", "Pacific/Kiritimati", 0, 1767175200},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int64_t end = 0;
        assert_int_equal(cohort_day_end(t[i].start, t[i].zone, t[i].day, &end), 0);
        if (end != t[i].end)
            fail_msg("case %zu: day %d ends %lld, want %lld", i, t[i].day, (long long)end,
                     (long long)t[i].end);
        /* consistency: the last second of the day is that day, the next is the next */
        int d;
        assert_int_equal(cohort_day_at(t[i].start, t[i].zone, end - 1, &d), 0);
        assert_int_equal(d, t[i].day);
        assert_int_equal(cohort_day_at(t[i].start, t[i].zone, end, &d), 0);
        assert_int_equal(d, t[i].day + 1);
    }
}

static void test_post_at(void **state)
{
    (void)state;
    const struct {
        const char *start, *zone, *time;
        int day;
        int64_t at;
    } t[] = {
        {"2026-03-02", NY, "09:00", 1, 1772460000}, /* 14:00Z, EST */
        {"2026-03-02", NY, "09:00", 7, 1772974800}, /* 13:00Z on the spring-forward day */
        {"2026-03-02", NY, "09:00", 8, 1773061200}, /* 13:00Z, EDT */
        {"2026-10-26", NY, "09:00", 6, 1793451600}, /* 13:00Z, EDT */
        {"2026-10-26", NY, "09:00", 7, 1793541600}, /* 14:00Z on the fall-back day */
        {"2026-10-26", NY, "09:00", 8, 1793628000}, /* 14:00Z, EST */
        {"2026-03-02", NY, "02:30", 7, 1772955000}, /* in the gap: read as 03:30 EDT */
        {"2026-01-01", "Pacific/Kiritimati", "09:00", 1, 1767207600},
        {"2026-01-01", "Pacific/Pago_Pago", "09:00", 1, 1767297600},
        {"2026-04-05", "Australia/Lord_Howe", "09:00", 1, 1775341800},
        {"2026-01-01", "UTC", "23:59", 1, 1767225600 + 86340},
        {"2026-01-01", "UTC", "00:00", 0, 1767225600 - 86400},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct cohort c = {0};
        snprintf(c.start_date, sizeof(c.start_date), "%s", t[i].start);
        snprintf(c.timezone, sizeof(c.timezone), "%s", t[i].zone);
        snprintf(c.post_time, sizeof(c.post_time), "%s", t[i].time);
        int64_t at = 0;
        assert_int_equal(cohort_post_at(&c, t[i].day, &at), 0);
        if (at != t[i].at)
            fail_msg("case %zu: %s %s day %d %s: %lld, want %lld", i, t[i].start, t[i].zone,
                     t[i].day, t[i].time, (long long)at, (long long)t[i].at);
        /* the post instant falls on that cohort day */
        int d;
        assert_int_equal(cohort_day_at(t[i].start, t[i].zone, at, &d), 0);
        assert_int_equal(d, t[i].day);
    }
    /* the repeated hour on the fall-back day: one of the two 01:30s, and stable */
    struct cohort c = {0};
    snprintf(c.start_date, sizeof(c.start_date), "2026-10-26");
    snprintf(c.timezone, sizeof(c.timezone), NY);
    snprintf(c.post_time, sizeof(c.post_time), "01:30");
    int64_t a1, a2;
    assert_int_equal(cohort_post_at(&c, 7, &a1), 0);
    assert_int_equal(cohort_post_at(&c, 7, &a2), 0);
    assert_true(a1 == a2);
    assert_true(a1 == 1793511000 || a1 == 1793514600);
}

static void test_dates_and_errors(void **state)
{
    (void)state;
    const struct {
        const char *start;
        int day;
        const char *date;
    } t[] = {
        {"2026-03-02", 1, "2026-03-02"},   {"2026-03-02", 0, "2026-03-01"},
        {"2026-03-02", 30, "2026-03-31"},  {"2028-02-28", 2, "2028-02-29"},
        {"2028-02-28", 3, "2028-03-01"},   {"2026-12-31", 2, "2027-01-01"},
        {"2026-03-02", 365, "2027-03-01"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char out[11];
        assert_int_equal(cohort_date_of_day(t[i].start, t[i].day, out), 0);
        assert_string_equal(out, t[i].date);
    }
    int d;
    int64_t at;
    char out[11];
    struct cohort c = {0};
    snprintf(c.start_date, sizeof(c.start_date), "2026-03-02");
    snprintf(c.timezone, sizeof(c.timezone), NY);
    snprintf(c.post_time, sizeof(c.post_time), "9:00");
    assert_int_equal(cohort_post_at(&c, 1, &at), BOT_EINVAL);
    snprintf(c.post_time, sizeof(c.post_time), "09:00");
    snprintf(c.timezone, sizeof(c.timezone), "Mars/Olympus");
    assert_int_equal(cohort_post_at(&c, 1, &at), BOT_EINVAL);
    assert_int_equal(cohort_day_at("2026-02-30", NY, 1772427600, &d), BOT_EINVAL);
    assert_int_equal(cohort_day_at("2026-03-02", "Not/AZone", 1772427600, &d), BOT_EINVAL);
    assert_int_equal(cohort_day_at("", NY, 1772427600, &d), BOT_EINVAL);
    assert_int_equal(cohort_date_of_day("03/02/2026", 1, out), BOT_EINVAL);
    assert_int_equal(cohort_day_end("2026-03-02", "Nowhere", 1, &at), BOT_EINVAL);
    /* absurd day numbers are refused, not overflowed */
    const int days[] = {INT_MAX, INT_MIN, 1000000, -1000000};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(cohort_day_end("2026-03-02", NY, days[i], &at), BOT_EINVAL);
        assert_int_equal(cohort_date_of_day("2026-03-02", days[i], out), BOT_EINVAL);
        snprintf(c.timezone, sizeof(c.timezone), NY);
        assert_int_equal(cohort_post_at(&c, days[i], &at), BOT_EINVAL);
    }
    /* a clock far from the start */
    assert_int_equal(cohort_day_at("2026-03-02", NY, INT64_C(1) << 40, &d), BOT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_at),
        cmocka_unit_test(test_day_end),
        cmocka_unit_test(test_post_at),
        cmocka_unit_test(test_dates_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
