/* test_checkin_e2e.c - check-ins end to end through the real binary in console mode
 * (stdin/stdout pipes, fake clock): /cohort start, the daily post's Check in button,
 * its modal, every refusal path with its message, privacy between two members,
 * /mydata delete with its confirm button, and `cohortbot export checkins`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/console.h"
#include "tests/e2e_util.h"

/* Asserts that `want` occurs in out after *pos, and moves *pos past it (order matters). */
static void expect(const char *out, const char **pos, const char *want)
{
    (void)out;
    const char *hit = strstr(*pos, want);
    if (!hit)
        fail_msg("expected \"%s\" after:\n%s", want, *pos);
    *pos = hit + strlen(want);
}

static void test_before_start(void **state)
{
    (void)state;
    char db[256];
    e2e_tmpdb(db, sizeof(db), "e2e1");
    char *out = e2e_console(db, "2026-03-01T12:00:00Z",
                            "/checkin\n"
                            "/cohort start date:2026-03-02 timezone:America/New_York\n"
                            "/checkin\n"
                            "/streak\n"
                            "/report\n");
    assert_non_null(out);
    const char *p = out;
    expect(out, &p, "No cohort is running in this server yet");
    expect(out, &p, "Cohort started");
    expect(out, &p, "The cohort starts on 2026-03-02 (day 1); check-ins open then.");
    expect(out, &p, "The cohort hasn't started yet");
    free(out);
    e2e_rmdb(db);
}

static const char session[] = "/admin off\n"
                              "/press Check in\n"
                              "/press Add hours & note\n"
                              "/submit hours:2.5 note:lab\n"
                              "/checkin day:9\n"
                              "/checkin day:71\n"
                              "/checkin link:http://example.com\n"
                              "/checkin hours:25\n"
                              "/checkin day:3 hours:1 link:https://github.com/me/lab\n"
                              "/streak\n"
                              "/as bob\n"
                              "/admin off\n"
                              "/progress member:you\n"
                              "/checkin\n"
                              "/leaderboard week:5\n"
                              "/leaderboard\n"
                              "/timezone zone:Mars/Base\n"
                              "/timezone zone:Asia/Tokyo\n"
                              "/mydata delete\n"
                              "/as you\n"
                              "/press Delete everything\n"
                              "/privacy progress:public\n"
                              "/privacy leaderboard:off\n"
                              "/as bob\n"
                              "/progress member:you\n"
                              "/leaderboard\n"
                              "/mydata delete\n"
                              "/press Delete everything\n"
                              "/progress\n";

static void test_session(void **state)
{
    (void)state;
    char db[256];
    e2e_tmpdb(db, sizeof(db), "e2e2");
    /* the cohort starts in an earlier session (08:00 New York, before the post) */
    char *out = e2e_console(db, "2026-03-05T13:00:00Z",
                            "/cohort start date:2026-03-02 timezone:America/New_York\n");
    assert_non_null(out);
    assert_non_null(strstr(out, "Cohort started"));
    free(out);
    /* day 4, 09:05 New York: the first tick posts the day (with its Check in button) */
    out = e2e_console(db, "2026-03-05T14:05:00Z", session);
    assert_non_null(out);
    const char *p = out;
    expect(out, &p, "[Check in]");
    expect(out, &p, "Checked in for day 4: **Storage Systems Deep Dive**.");
    expect(out, &p, "[Add hours & note]");
    expect(out, &p, "Hours spent (0-24)");
    expect(out, &p, "Updated your check-in for day 4");
    expect(out, &p, "Week 1: 2.5 h of the 15-20 h target");
    expect(out, &p,
           "Day 9 hasn't started yet: today is day 4 in your time zone (America/New_York)");
    expect(out, &p, "Day 71 is outside the curriculum (days 1-70).");
    expect(out, &p, "link must be an https:// address");
    expect(out, &p, "`hours` must be between 0 and 24.");
    expect(out, &p, "Checked in for day 3");
    expect(out, &p, "Week 1: 3.5 h");
    expect(out, &p, "Streak: **1** day, longest 1.");
    expect(out, &p, "[-] Day 2 (Tue 2026-03-03): no check-in: the streak restarted");
    expect(out, &p, "[-] Day 3 (Wed 2026-03-04): checked in after midnight (your zone): too late");
    expect(out, &p, "[x] Day 4 (Thu 2026-03-05): checked in before the day ended");
    expect(out, &p, "you are now bob");
    expect(out, &p, "keeps their progress private");
    expect(out, &p, "Checked in for day 4");
    expect(out, &p, "Week 5 hasn't started yet.");
    expect(out, &p, "1. <@");
    expect(out, &p, "streak 1, 2 days done");
    expect(out, &p, "2. <@");
    expect(out, &p, "\"Mars/Base\" is not a time zone I know");
    expect(out, &p, "Your time zone is now Asia/Tokyo");
    expect(out, &p, "[Delete everything] [Cancel]");
    expect(out, &p, "This button is not for you");
    expect(out, &p, "progress: public");
    expect(out, &p, "leaderboard: off (never listed)");
    expect(out, &p, "2 of 4 elapsed days done");
    const char *lb = strstr(p, "Leaderboard (");
    assert_non_null(lb);
    char you[IX_ID_LEN], at[40];
    console_user_id("you", you);
    snprintf(at, sizeof(at), "<@%s>", you);
    const char *lb_end = strstr(lb, "(Not listed?");
    assert_non_null(lb_end);
    const char *you_at = strstr(lb, at);
    assert_true(you_at == NULL || you_at > lb_end); /* opted out: not listed */
    expect(out, &p, "Deleted: 2 rows");             /* check-in + settings */
    expect(out, &p, "0 of 4 elapsed days done");
    /* the pictures follow their replies (drawn on the render worker), each named by a
     * line once its file is written beside the database */
    assert_non_null(strstr(out, "-- (reply updated) --\nProgress card (1000x500 PNG, "));
    assert_non_null(strstr(out, "-- (reply updated) --\nLeaderboard card (1000x500 PNG, "));
    char png[300];
    snprintf(png, sizeof(png), "%.*s/progress-%s.png", (int)(strrchr(db, '/') - db), db, you);
    const char *named = strstr(out, png);
    if (!named)
        fail_msg("no line names %s", png);
    assert_int_equal(access(png, R_OK), 0);
    free(out);

    /* the export: you's two check-ins, bob's are gone */
    char *argv[] = {(char *)e2e_bin(), "export", "checkins", "--db", db, NULL};
    int code = -1;
    char *csv = e2e_run(NULL, argv, NULL, &code);
    assert_int_equal(code, 0);
    char row[200];
    snprintf(row, sizeof(row), "1000000000000000001,2026-03-02,%s,3,1,,https://github.com/me/lab,",
             you);
    assert_non_null(strstr(csv, "guild_id,cohort,user_id,day,hours,note,link,created_at\r\n"));
    assert_non_null(strstr(csv, row));
    snprintf(row, sizeof(row),
             "1000000000000000001,2026-03-02,%s,4,2.5,lab,,2026-03-05T14:05:", you);
    assert_non_null(strstr(csv, row));
    char bob[IX_ID_LEN];
    console_user_id("bob", bob);
    assert_null(strstr(csv, bob));
    free(csv);

    /* refusals of the tool */
    char *bad1[] = {(char *)e2e_bin(), "export", "checkins", "--guild", "abc", "--db", db, NULL};
    free(e2e_run(NULL, bad1, NULL, &code));
    assert_int_equal(code, 2);
    char *bad2[] = {(char *)e2e_bin(), "export", "everything", NULL};
    free(e2e_run(NULL, bad2, NULL, &code));
    assert_int_equal(code, 2);
    char *bad3[] = {(char *)e2e_bin(), "export", "checkins", "--db", "/nonexistent/x.db", NULL};
    free(e2e_run(NULL, bad3, NULL, &code));
    assert_int_equal(code, 1);
    e2e_rmdb(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_start),
        cmocka_unit_test(test_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
