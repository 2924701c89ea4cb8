/* test_calendar_zone.c - the per-expansion UTC-offset tables of calendar_zone.c:
 * around every offset change (found independently by scanning libical) and on a
 * sparse grid, table offsets and wall->UTC conversions equal libical's and tz.h's,
 * for IANA zones, an in-file VTIMEZONE, instants outside the table and zone overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "bot/tz.h"
#include "schedules/calendar.h"
#include "schedules/calendar_int.h"

#define LO 1546300800LL /* 2019-01-01 */
#define HI 1798761600LL /* 2027-01-01 */

/* Both readings of one instant, and wall times an hour either side of it. */
static void check_instant(struct cal_zcache *zc, icaltimezone *tz, const char *name, int64_t t)
{
    int want = cal_tz_offset(tz, t);
    assert_int_equal(cal_zc_offset(zc, tz, t), want);
    if (name)
        assert_int_equal(tz_offset(name, t), want);
    int64_t wall = t + want;
    for (int64_t d = -3600; d <= 3600; d += 900)
        assert_true(cal_zc_wall_to_utc(zc, tz, wall + d) == cal_wall_to_utc(tz, wall + d));
}

/* Scans libical hourly for changes, bisects each, checks +-2 s around it; returns
 * the number of changes seen in [LO, HI). */
static int check_zone(struct cal_zcache *zc, icaltimezone *tz, const char *name)
{
    int changes = 0;
    for (int64_t t = LO; t + 3600 < HI; t += 3600) {
        if (cal_tz_offset(tz, t) == cal_tz_offset(tz, t + 3600))
            continue;
        int64_t a = t, b = t + 3600;
        while (b - a > 1) {
            int64_t mid = a + (b - a) / 2;
            if (cal_tz_offset(tz, mid) == cal_tz_offset(tz, a))
                a = mid;
            else
                b = mid;
        }
        for (int64_t s = b - 2; s <= b + 2; s++)
            check_instant(zc, tz, name, s);
        changes++;
    }
    for (int64_t t = LO - 3 * 86400; t < HI + 3 * 86400; t += 86400 * 3 + 4001)
        check_instant(zc, tz, name, t); /* grid, including both ends outside the table */
    return changes;
}

static const struct {
    const char *name;
    int min_changes; /* offset changes 2019-2026 */
} zones[] = {
    {"America/New_York", 16},    {"Europe/Berlin", 16},   {"Australia/Sydney", 16},
    {"Australia/Lord_Howe", 16}, /* 30-minute DST */
    {"America/Sao_Paulo", 1},    /* DST abolished in 2019 */
    {"Asia/Kolkata", 0},         {"Pacific/Chatham", 16}, {"America/St_Johns", 16},
};

static void test_builtin_zones_match_libical(void **state)
{
    (void)state;
    struct cal_zcache *zc = malloc(sizeof(*zc));
    assert_non_null(zc);
    cal_zc_init(zc, LO, HI);
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        icaltimezone *tz = icaltimezone_get_builtin_timezone(zones[i].name);
        assert_non_null(tz);
        int n = check_zone(zc, tz, zones[i].name);
        assert_true(n >= zones[i].min_changes);
        assert_int_equal(zc->nz, (int)i + 1); /* one table per zone, built on first use */
        assert_true(zc->z[i].ok);
        assert_int_equal(zc->z[i].n - 1, n); /* the table saw every change */
    }
    free(zc);
}

static const char *FEED =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Custom/Odd\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0645\r\nDTSTART:19700405T013000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0645\r\nTZOFFSETTO:+0530\r\nDTSTART:19701004T023000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:a@t\r\nDTSTART;TZID=Custom/Odd:20240101T100000\r\n"
    "DTEND;TZID=Custom/Odd:20240101T110000\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static void test_in_file_zone_matches_libical(void **state)
{
    (void)state;
    struct cal_feed *f;
    char err[BOT_ERR_LEN];
    assert_int_equal(cal_parse(FEED, strlen(FEED), "UTC", &f, err), 0);
    icaltimezone *tz = NULL;
    assert_true(cal_zone_resolve(f, "Custom/Odd", &tz));
    assert_non_null(tz);
    struct cal_zcache *zc = malloc(sizeof(*zc));
    assert_non_null(zc);
    cal_zc_init(zc, LO, HI);
    assert_int_equal(check_zone(zc, tz, NULL), 16);
    assert_int_equal(zc->z[0].n, 17);
    /* the expansion through the tables: 10:00 +0530 / +0645 every day */
    struct cal_occ *o;
    size_t n;
    assert_int_equal(cal_expand(f, 1775000000, 1775000000 + 30 * 86400LL, &o, &n), 0);
    assert_int_equal(n, 30);
    for (size_t i = 0; i < n; i++)
        assert_int_equal((o[i].start + cal_tz_offset(tz, o[i].start)) % 86400, 36000);
    free(o);
    free(zc);
    cal_feed_free(f);
}

static void test_fallbacks(void **state)
{
    (void)state;
    struct cal_zcache *zc = malloc(sizeof(*zc));
    assert_non_null(zc);
    icaltimezone *ny = icaltimezone_get_builtin_timezone("America/New_York");
    cal_zc_init(zc, LO, LO + 20 * 366 * 86400LL); /* too wide: no tables */
    assert_int_equal(zc->lo, zc->hi);
    check_instant(zc, ny, "America/New_York", 1772953200); /* 2026-03-08 07:00Z */
    assert_int_equal(zc->nz, 0);
    cal_zc_init(zc, LO, HI); /* more zones than slots: the rest go to libical */
    const char *names[] = {"Europe/London",     "Europe/Paris",     "Europe/Madrid",
                           "Europe/Rome",       "Europe/Athens",    "Europe/Helsinki",
                           "Europe/Dublin",     "Europe/Lisbon",    "America/Chicago",
                           "America/Denver",    "America/Phoenix",  "America/Los_Angeles",
                           "America/Anchorage", "Pacific/Honolulu", "Pacific/Auckland",
                           "Asia/Tokyo",        "Asia/Tehran",      "America/Havana"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        icaltimezone *tz = icaltimezone_get_builtin_timezone(names[i]);
        assert_non_null(tz);
        check_instant(zc, tz, names[i], 1774746000); /* 2026-03-29 01:00Z (EU change) */
        check_instant(zc, tz, names[i], 1792889999);
    }
    assert_int_equal(zc->nz, CAL_ZC_ZONES);
    assert_int_equal(cal_zc_offset(zc, NULL, 12345), 0);
    assert_true(cal_zc_wall_to_utc(NULL, ny, 1772953200) == cal_wall_to_utc(ny, 1772953200));
    free(zc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_zones_match_libical),
        cmocka_unit_test(test_in_file_zone_matches_libical),
        cmocka_unit_test(test_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
