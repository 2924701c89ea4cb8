/* test_pairing_console.c - mentorship end to end through the real binary in console
 * mode ($COHORTBOT_BIN --console, clock set with COHORTBOT_FAKE_NOW): members sign up,
 * `cohortbot pairs --dry-run` prints the next round as CSV without storing it, the
 * scheduled round fires at its time and every DM is printed exactly once, a kill -9
 * right after and a restart send nothing twice, the follow-up a week later carries
 * Yes/No buttons whose answer is recorded, and /pair run dry_run stores nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot/console.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "tests/testutil.h"

static char g_db[64], g_out[64], g_in[64];

/* The console scripts (testutil.h) on this test's files. */
static char *run(const char *now, const char *input, const char *tool)
{
    return tu_console_run(now, input, tool, g_db, g_in, g_out);
}

static char *run_and_kill(const char *now, const char *until)
{
    return tu_console_kill(now, until, 1, g_db, g_out);
}

static void dm_header(const char *name, char *out, size_t len)
{
    char id[IX_ID_LEN];
    console_user_id(name, id);
    snprintf(out, len, "== DM to @%s ==", id);
}

static int dms_to(const char *out, const char *name)
{
    char h[64];
    dm_header(name, h, sizeof(h));
    return tu_count(out, h);
}

static struct store *open_db(void)
{
    struct store *s;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open_shared(g_db, &s, err, sizeof(err)), 0);
    return s;
}

static const char *signups = "/cohort start date:2027-03-08 timezone:America/New_York\n"
                             "/as alice\n/mentor join tracks:streaming,ml-platform capacity:2\n"
                             "/as erin\n/mentor join tracks:governance capacity:1 "
                             "timezone:Asia/Tokyo\n"
                             "/as bob\n/mentee join interest:streaming\n"
                             "/as carol\n/mentee join timezone:Europe/Berlin\n"
                             "/as dave\n/mentee join interest:governance\n"
                             "/as frank\n/mentee join interest:bogus\n"
                             "/mentee join\n/quit\n";

static void test_round_end_to_end(void **state)
{
    (void)state;
    char *out = run("2027-03-08T14:00:00Z", signups, NULL);
    assert_int_equal(tu_count(out, "You are a mentor"), 2);
    assert_int_equal(tu_count(out, "You are signed up for mentoring"), 4);
    assert_non_null(strstr(out, "`interest`: Unknown track \"bogus\""));
    assert_int_equal(tu_count(out, "== DM to"), 0);

    /* dry run: CSV of the next round, nothing stored */
    static char csv[1 << 16];
    snprintf(csv, sizeof(csv), "%.*s", (int)sizeof(csv) - 1,
             run("2027-03-08T14:30:00Z", NULL, "pairs --dry-run"));
    assert_true(strncmp(csv, "mentor_id,mentee_id,cost,reason\n", 32) == 0);
    assert_int_equal(tu_count(csv, "\n"), 5); /* header, 3 pairs, 1 unmatched */
    assert_int_equal(tu_count(csv, "unmatched"), 1);
    struct store *s = open_db();
    struct store_round r;
    assert_int_equal(store_round_latest(s, 1, &r), BOT_ENOTFOUND);
    store_close(s);

    /* the scheduled round fires at 10:00 New York; killed right after the DMs */
    out = run_and_kill("2027-03-08T15:00:02Z", "admin summary");
    assert_int_equal(dms_to(out, "alice"), 1);
    assert_int_equal(dms_to(out, "erin"), 1);
    const char *mentees[] = {"bob", "carol", "dave", "frank"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(dms_to(out, mentees[i]), 1);
    assert_int_equal(tu_count(out, "no mentor had room for you"), 1);
    assert_int_equal(tu_count(out, "== #mentors ==\n**Mentorship round 1** (admin summary): 3 "
                                   "matched, 1 unmatched, 0 repeats."),
                     1);
    assert_int_equal(tu_count(out, ":F>"), 3 + 3); /* mentees' slots + mentors' lines */

    /* the stored round is what the dry run predicted */
    s = open_db();
    assert_int_equal(store_round_latest(s, 1, &r), 0);
    struct store_pair *ps;
    size_t n;
    assert_int_equal(store_pairs_of_round(s, r.id, &ps, &n), 0);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        char row[120];
        if (!ps[i].mentor_id[0])
            snprintf(row, sizeof(row), ",%s,,", ps[i].mentee_id);
        else
            snprintf(row, sizeof(row), "%s,%s,%lld,", ps[i].mentor_id, ps[i].mentee_id,
                     (long long)ps[i].cost);
        assert_non_null(strstr(csv, row));
    }
    free(ps);
    store_close(s);
    /* re-run from the stored inputs and seed: the same CSV as the dry run predicted */
    assert_string_equal(run("2027-03-20T00:00:00Z", NULL, "pairs --round 1"), csv);

    /* restart mid-round: the tick finds everything sent */
    out = run("2027-03-08T15:00:20Z", "/as alice\n/pairs\n/quit\n", NULL);
    assert_int_equal(tu_count(out, "== DM to"), 0);
    assert_int_equal(tu_count(out, "admin summary"), 0);
    assert_non_null(strstr(out, "Current round"));

    /* a week in: one follow-up each (3 matched mentees, 2 mentors), answered by bob */
    out = run("2027-03-15T16:00:00Z", "/as bob\n/press Yes\n/quit\n", NULL);
    assert_int_equal(tu_count(out, "one week in: did you meet"), 5);
    assert_int_equal(tu_count(out, "== DM to"), 5); /* not the unmatched mentee */
    assert_non_null(strstr(out, "recorded \"we met\""));
    out = run("2027-03-15T16:00:30Z", "/as bob\n/pairs\n/as admin\n/pair run dry_run:true\n/quit\n",
              NULL);
    assert_int_equal(tu_count(out, "== DM to"), 0);
    assert_non_null(strstr(out, "met: yes"));
    assert_non_null(strstr(out, "Dry run of round 2 (nothing stored or sent)"));
    s = open_db();
    assert_int_equal(store_round_latest(s, 1, &r), 0);
    assert_int_equal(r.round_no, 1);
    store_close(s);
}

int main(void)
{
    log_set_level(LOGL_OFF);
    snprintf(g_db, sizeof(g_db), "/tmp/test_pairing_console_%d.db", getpid());
    snprintf(g_out, sizeof(g_out), "/tmp/test_pairing_console_%d.out", getpid());
    snprintf(g_in, sizeof(g_in), "/tmp/test_pairing_console_%d.in", getpid());
    unlink(g_db);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_end_to_end),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char p[80];
    const char *files[] = {g_db, g_out, g_in};
    for (int i = 0; i < 3; i++)
        unlink(files[i]);
    snprintf(p, sizeof(p), "%s-wal", g_db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", g_db);
    unlink(p);
    return rc;
}
