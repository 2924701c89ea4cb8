/* test_calendar.c - the calendar module: every tests/data/ical/<case>.expected is
 * run through the real binary (`$COHORTBOT_BIN calendar …`) and compared line by line;
 * then API-level checks (occurrence fields, overrides, reminders, keys, errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot/buf.h"
#include "bot/err.h"
#include "schedules/calendar.h"
#include "schedules/calendar_int.h"

#define MAX_ARGS 24

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b;
    buf_init(&b, 1 << 24);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(&b, chunk, n))
            break;
    fclose(f);
    return b.p ? buf_take(&b) : strdup("");
}

/* Runs argv in dir; stdout and stderr go to files we read back. Returns exit code. */
static int run(const char *dir, char **argv, char **out, char **err)
{
    char of[] = "/tmp/calcli-out-XXXXXX", ef[] = "/tmp/calcli-err-XXXXXX";
    int ofd = mkstemp(of), efd = mkstemp(ef);
    assert_true(ofd >= 0 && efd >= 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        dup2(ofd, 1);
        dup2(efd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    close(ofd);
    close(efd);
    *out = slurp(of);
    *err = slurp(ef);
    unlink(of);
    unlink(ef);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Splits the .expected header and body; args point into `text`. */
static void one_case(const char *dir, const char *name, char *text, const char *bin)
{
    char *argv[MAX_ARGS] = {(char *)bin, (char *)"calendar"}; /* `cohortbot calendar …` */
    int argc = 1, want_exit = 0;
    char source[512], *want_err = NULL;
    snprintf(source, sizeof(source), "%.*s.ics", (int)(strlen(name) - 9), name);
    char *p = text;
    while (*p == '#') {
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        *nl = '\0';
        if (strncmp(p, "#SOURCE ", 8) == 0)
            snprintf(source, sizeof(source), "%s", p + 8);
        else if (strncmp(p, "#EXIT ", 6) == 0)
            want_exit = (int)strtol(p + 6, NULL, 10);
        else if (strncmp(p, "#STDERR ", 8) == 0)
            want_err = p + 8;
        else if (strncmp(p, "#ARGS ", 6) == 0)
            for (char *t = p + 6; *t && argc < MAX_ARGS - 3;) { /* split on spaces */
                char *sp = strchr(t, ' ');
                argv[2 + argc++] = t;
                if (!sp)
                    break;
                *sp = '\0';
                t = sp + 1;
            }
        p = nl + 1;
    }
    argv[2] = source;
    argv[argc + 2] = NULL;
    char *out, *err;
    int code = run(dir, argv, &out, &err);
    if (code != want_exit || strcmp(out, p) != 0 || (want_err && !strstr(err, want_err)))
        fail_msg("case %s: exit %d (want %d)\n--- got\n%s--- want\n%s--- stderr\n%s", name, code,
                 want_exit, out, p, err);
    free(out);
    free(err);
}

static void test_data_cases(void **state)
{
    (void)state;
    const char *src = getenv("COHORTBOT_SRCDIR"), *bin = getenv("COHORTBOT_BIN");
    assert_non_null(src);
    assert_non_null(bin);
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/tests/data/ical", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int cases = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 10 || strcmp(e->d_name + n - 9, ".expected") != 0)
            continue;
        char path[1400];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        char *text = slurp(path);
        assert_non_null(text);
        one_case(dir, e->d_name, text, bin);
        free(text);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 40);
}

static struct cal_feed *parse(const char *text, const char *zone)
{
    struct cal_feed *f = NULL;
    char err[BOT_ERR_LEN];
    int rc = cal_parse(text, strlen(text), zone, &f, err);
    if (rc)
        fail_msg("parse failed: %s", err);
    return f;
}

#define T(y, mo, d, h, mi) (((int64_t)days(y, mo, d)) * 86400 + (h)*3600 + (mi)*60)
static int64_t days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static const char *FEED = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                          "BEGIN:VEVENT\r\nUID:m@x\r\nDTSTART:20240304T100000Z\r\n"
                          "DTEND:20240304T110000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
                          "SUMMARY:Standup\r\nLOCATION:Room 1\\, east\r\nURL:https://x.test/a\r\n"
                          "DESCRIPTION:line one\\nline two\r\nEND:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:m@x\r\nRECURRENCE-ID:20240305T100000Z\r\n"
                          "DTSTART:20240305T120000Z\r\nDTEND:20240305T130000Z\r\n"
                          "SUMMARY:Standup (moved)\r\nEND:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:m@x\r\nRECURRENCE-ID:20240306T100000Z\r\n"
                          "DTSTART:20240306T100000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:Standup\r\n"
                          "END:VEVENT\r\n"
                          "BEGIN:VEVENT\r\nUID:p@x\r\nDTSTART:20240307T100000Z\r\n"
                          "RDATE;VALUE=PERIOD:20240308T090000Z/20240308T093000Z\r\n"
                          "SUMMARY:Period\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static void test_occurrence_fields(void **state)
{
    (void)state;
    struct cal_feed *f = parse(FEED, NULL);
    assert_int_equal(cal_feed_event_count(f), 4);
    struct cal_occ *o;
    size_t n;
    assert_int_equal(cal_expand(f, T(2024, 3, 1, 0, 0), T(2024, 4, 1, 0, 0), &o, &n), 0);
    assert_int_equal(n, 5);
    assert_string_equal(o[0].summary, "Standup");
    assert_string_equal(o[0].location, "Room 1, east");
    assert_string_equal(o[0].url, "https://x.test/a");
    assert_string_equal(o[0].description, "line one\nline two");
    assert_int_equal(o[0].end - o[0].start, 3600);
    assert_false(o[0].all_day);
    /* moved instance: new start, original start kept as recurrence id */
    assert_string_equal(o[1].summary, "Standup (moved)");
    assert_int_equal(o[1].start, T(2024, 3, 5, 12, 0));
    assert_int_equal(o[1].orig_start, T(2024, 3, 5, 10, 0));
    /* cancelled override stays in the API output, flagged */
    assert_true(o[2].cancelled);
    assert_int_equal(o[2].orig_start, T(2024, 3, 6, 10, 0));
    /* PERIOD RDATE keeps its own end (libical 3.0.16 drops PERIOD values) */
    assert_string_equal(o[4].uid, "p@x");
    assert_int_equal(o[4].start, T(2024, 3, 8, 9, 0));
    assert_int_equal(o[4].end, T(2024, 3, 8, 9, 30));
    free(o);
    cal_feed_free(f);
}

static void test_reminders_and_keys(void **state)
{
    (void)state;
    struct cal_feed *f = parse(FEED, NULL);
    struct cal_reminder *r;
    size_t n;
    int leads[] = {60, 10, 60};
    assert_int_equal(cal_reminders(f, T(2024, 3, 4, 0, 0), T(2024, 3, 6, 0, 0), leads, 3, &r, &n),
                     0);
    /* 03-04 10:00 and the moved 03-05 12:00, each at -60 and -10 (60 given twice) */
    assert_int_equal(n, 4);
    assert_int_equal(r[0].fire, T(2024, 3, 4, 9, 0));
    assert_int_equal(r[1].fire, T(2024, 3, 4, 9, 50));
    assert_int_equal(r[2].fire, T(2024, 3, 5, 11, 0));
    char key[128];
    assert_int_equal(cal_occ_key(&r[2].occ, r[2].fire, key, sizeof(key)), 0);
    assert_string_equal(key, "m@x/20240305T100000Z/20240305T110000Z");
    assert_int_equal(cal_occ_key(&r[2].occ, r[2].fire, key, 10), BOT_ETOOBIG);
    assert_string_equal(key, "");
    /* posting rule: due from fire time until the event starts */
    const struct {
        int64_t now;
        bool due;
    } due[] = {{T(2024, 3, 5, 10, 59), false},
               {T(2024, 3, 5, 11, 0), true},
               {T(2024, 3, 5, 11, 59), true},
               {T(2024, 3, 5, 12, 0), false}};
    for (size_t i = 0; i < sizeof(due) / sizeof(due[0]); i++)
        assert_int_equal(cal_reminder_due(&r[2], due[i].now), due[i].due);
    free(r);
    /* the cancelled 03-06 instance yields no reminder */
    assert_int_equal(cal_reminders(f, T(2024, 3, 6, 0, 0), T(2024, 3, 7, 0, 0), leads, 3, &r, &n),
                     0);
    assert_int_equal(n, 0);
    free(r);
    cal_feed_free(f);
}

static void test_allday_anchor_and_key(void **state)
{
    (void)state;
    const char *ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:d@x\nDTSTART;VALUE=DATE:20240307\n"
                      "SUMMARY:Day\nEND:VEVENT\nEND:VCALENDAR\n";
    struct cal_feed *f = parse(ics, "America/New_York");
    assert_string_equal(cal_feed_zone(f), "America/New_York");
    struct cal_occ *o;
    size_t n;
    assert_int_equal(cal_expand(f, T(2024, 3, 1, 0, 0), T(2024, 4, 1, 0, 0), &o, &n), 0);
    assert_int_equal(n, 1);
    assert_true(o[0].all_day);
    assert_int_equal(o[0].start, T(2024, 3, 7, 5, 0)); /* local midnight, EST */
    assert_int_equal(o[0].end, T(2024, 3, 8, 5, 0));   /* one day, not two */
    char s[32], key[96];
    cal_format_start(&o[0], s);
    assert_string_equal(s, "2024-03-07");
    assert_int_equal(cal_occ_key(&o[0], o[0].start - 600, key, sizeof(key)), 0);
    assert_string_equal(key, "d@x/20240307/20240307T045000Z");
    free(o);
    cal_feed_free(f);
}

static void test_parse_errors(void **state)
{
    (void)state;
    const struct {
        const char *text, *zone, *want;
    } cases[] = {
        {"", NULL, "line 1:"},
        {"BEGIN:VCALENDAR\nEND:VCALENDAR\nBEGIN:VCALENDAR\nEND:VCALENDAR\n", NULL, "line 3:"},
        {"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=\"x:20240101T000000\nEND:VEVENT\n", NULL,
         "line 3: unterminated quote"},
        {"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T000000Z\nDURATION:PT1X\nEND:VEVENT\n"
         "END:VCALENDAR\n",
         NULL, "line 4: DURATION"},
        {"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T000000Z\nBEGIN:VALARM\n"
         "TRIGGER:soon\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n",
         NULL, "line 5: TRIGGER"},
        {"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T000000Z\nEXDATE:2024,20240102\n"
         "END:VEVENT\nEND:VCALENDAR\n",
         NULL, "line 4: EXDATE"},
        {"BEGIN:VCALENDAR\nEND:VCALENDAR\n", "Mars/Olympus_Mons", "unknown time zone"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cal_feed *f = (struct cal_feed *)1;
        char err[BOT_ERR_LEN];
        assert_int_equal(cal_parse(cases[i].text, strlen(cases[i].text), cases[i].zone, &f, err),
                         BOT_EINVAL);
        assert_null(f);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
    }
}

static void test_windows_names(void **state)
{
    (void)state;
    assert_string_equal(cal_windows_zone("W. Europe Standard Time"), "Europe/Berlin");
    assert_string_equal(cal_windows_zone("eastern standard time"), "America/New_York");
    assert_string_equal(cal_windows_zone("India Standard Time"), "Asia/Calcutta");
    assert_null(cal_windows_zone("Atlantis Standard Time"));
}

/* The native fast path must agree with libical's iterator on rules 3.0.16 gets right. */
static void test_fast_path_matches_libical(void **state)
{
    (void)state;
    const char *rules[] = {
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=DAILY;BYDAY=MO,FR",
        "FREQ=DAILY;BYMONTH=1,7",
        "FREQ=DAILY;BYMONTHDAY=1,10,20",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,SA;WKST=SU",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=MO",
        "FREQ=WEEKLY;BYDAY=TU;BYMONTH=3,4,5",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=2TU,4TU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        "FREQ=MONTHLY;BYDAY=MO,WE",
        "FREQ=MONTHLY;BYMONTH=2,5;BYMONTHDAY=-2",
        "FREQ=YEARLY",
        "FREQ=YEARLY;BYMONTH=2,8",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=1,30",
    };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        struct icalrecurrencetype r = icalrecurrencetype_from_string(rules[i]);
        assert_true(cal_rr_normalize(&r));
        icalrecur_iterator *it = icalrecur_iterator_new(r, icaltime_from_string("20240131T093000"));
        assert_non_null(it);
        struct icaltimetype first = icalrecur_iterator_next(it);
        icalrecur_iterator_free(it);
        it = icalrecur_iterator_new(r, first); /* a DTSTART that matches the rule */
        struct cal_fast fs;
        int64_t wall0 = T(first.year, first.month, first.day, first.hour, first.minute);
        assert_true(cal_fast_init(&fs, &r, wall0, false, 0, false));
        for (int k = 0; k < 150; k++) {
            struct icaltimetype t = icalrecur_iterator_next(it);
            int64_t want = T(t.year, t.month, t.day, t.hour, t.minute), got = 0;
            assert_true(cal_fast_next(&fs, &got));
            if (got != want)
                fail_msg("%s: instance %d: fast %lld, libical %s", rules[i], k, (long long)got,
                         icaltime_as_ical_string(t));
        }
        icalrecur_iterator_free(it);
    }
}

/* A hostile feed (rules libical walks slowly, from 1970) is cut off with
 * BOT_ETOOBIG instead of stalling the loop thread. */
static void test_hostile_feed_is_bounded(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, "BEGIN:VCALENDAR\n");
    for (int i = 0; i < 50; i++)
        buf_printf(&b,
                   "BEGIN:VEVENT\nUID:h%d\nDTSTART:19700101T010000Z\n"
                   "RRULE:FREQ=DAILY;BYHOUR=1,2,3;BYSETPOS=1;COUNT=100000000\nEND:VEVENT\n",
                   i);
    buf_puts(&b, "END:VCALENDAR\n");
    struct cal_feed *f = parse(b.p, NULL);
    struct cal_occ *o;
    size_t n;
    time_t t0 = time(NULL);
    assert_int_equal(cal_expand(f, T(2024, 1, 1, 0, 0), T(2025, 1, 1, 0, 0), &o, &n), BOT_ETOOBIG);
    assert_null(o);
    assert_true(time(NULL) - t0 < 10);
    cal_feed_free(f);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_cases),
        cmocka_unit_test(test_occurrence_fields),
        cmocka_unit_test(test_reminders_and_keys),
        cmocka_unit_test(test_allday_anchor_and_key),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_windows_names),
        cmocka_unit_test(test_fast_path_matches_libical),
        cmocka_unit_test(test_hostile_feed_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
