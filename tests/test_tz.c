/* test_tz.c - zone conversions across DST and civil-date arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/err.h"
#include "bot/tz.h"

static void test_civil_roundtrip(void **state)
{
    (void)state;
    assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
    for (int64_t d = -800; d < 40000; d += 37) {
        int y, m, dd;
        tz_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(tz_days_from_civil(y, m, dd), d);
    }
}

static void test_parsers(void **state)
{
    (void)state;
    int y, m, d, h, mi;
    assert_int_equal(tz_parse_date("2026-02-28", &y, &m, &d), 0);
    assert_int_equal(tz_parse_date("2026-02-29", &y, &m, &d), BOT_EINVAL);
    assert_int_equal(tz_parse_date("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(tz_parse_date("2026-13-01", &y, &m, &d), BOT_EINVAL);
    assert_int_equal(tz_parse_date("26-01-01", &y, &m, &d), BOT_EINVAL);
    assert_int_equal(tz_parse_hhmm("09:00", &h, &mi), 0);
    assert_int_equal(h, 9);
    assert_int_equal(tz_parse_hhmm("24:00", &h, &mi), BOT_EINVAL);
    assert_int_equal(tz_parse_hhmm("9:00", &h, &mi), BOT_EINVAL);
}

static void test_dst(void **state)
{
    (void)state;
    const struct {
        const char *zone;
        struct civil local;
        int64_t utc;
    } cases[] = {
        /* New York: EST (-5) in winter, EDT (-4) in summer */
        {"America/New_York", {2026, 1, 15, 9, 0, 0, 0}, 1768485600},
        {"America/New_York", {2026, 7, 15, 9, 0, 0, 0}, 1784120400},
        /* the day after spring-forward (2026-03-08) */
        {"America/New_York", {2026, 3, 9, 9, 0, 0, 0}, 1773061200},
        /* a time in the gap 02:30 -> read as 03:30 EDT */
        {"America/New_York", {2026, 3, 8, 2, 30, 0, 0}, 1772955000},
        {"Europe/Berlin", {2026, 10, 26, 9, 0, 0, 0}, 1793001600},
        {"UTC", {2026, 1, 1, 0, 0, 0, 0}, 1767225600},
        {"Asia/Kolkata", {2026, 1, 1, 9, 0, 0, 0}, 1767238200},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t t = 0;
        assert_int_equal(tz_to_utc(cases[i].zone, &cases[i].local, &t), 0);
        assert_int_equal(t, cases[i].utc);
        struct civil back;
        assert_int_equal(tz_from_utc(cases[i].zone, t, &back), 0);
        if (i != 3) {
            assert_int_equal(back.hour, cases[i].local.hour);
            assert_int_equal(back.day, cases[i].local.day);
        }
    }
    struct civil c = {2026, 1, 1, 0, 0, 0, 0};
    int64_t t;
    assert_int_equal(tz_to_utc("Mars/Olympus", &c, &t), BOT_EINVAL);
    assert_false(tz_valid("Not/AZone"));
    assert_true(tz_valid("America/New_York"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_roundtrip),
        cmocka_unit_test(test_parsers),
        cmocka_unit_test(test_dst),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
