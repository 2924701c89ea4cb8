/* test_studygroups_console.c - the study groups offline: the real binary in console
 * mode sets up the channels, shows the scheduled events it creates, simulates
 * "Interested" (/interested) and voice joins (/voice join|leave), refuses unknown
 * sessions and channels, keeps setup idempotent, refuses members, and `cohortbot
 * simulate` lists the events it would create. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

static const char *const env[] = {"DISCORD_TOKEN",
                                  "COHORTBOT_DB",
                                  "COHORTBOT_CONFIG",
                                  "COHORTBOT_API_BASE",
                                  "COHORTBOT_FAKE_NOW=2027-01-04T12:00:00Z",
                                  NULL};

static void want(const struct tu_run *r, const char *text)
{
    if (!strstr(r->out, text))
        fail_msg("output lacks \"%s\":\n%s\n-- stderr --\n%s", text, r->out, r->err);
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_console_flow(void **state)
{
    (void)state;
    char db[512], dbarg[600];
    tu_path(db, sizeof(db), "sg-console.db");
    snprintf(dbarg, sizeof(dbarg), "--db=%s", db);
    const char *argv[] = {tu_bin(), dbarg, "--console", NULL};
    struct tu_run r;
    assert_int_equal(tu_run(argv, env,
                            "/cohort start date:2027-01-04\n"
                            "/studygroups action:setup\n"
                            "/as alice\n"
                            "/admin off\n"
                            "/studygroups action:setup\n"
                            "/interested data-foundations/1\n"
                            "/interested data-foundations/9\n"
                            "/studygroups\n"
                            "/voice join data-foundations\n"
                            "/voice join nowhere\n"
                            "/voice leave\n"
                            "/quit\n",
                            15000, &r),
                     0);
    want(&r, "Created: #data-foundations, \xf0\x9f\x94\x8a data-foundations");
    /* the next 14 days: data-foundations 1-4 */
    assert_int_equal(count(r.out, "== event created"), 4);
    want(&r, "Study group #data-foundations: Data Fundamentals 2027-01-05T01:00Z in "
             "#\xf0\x9f\x94\x8a data-foundations");
    want(&r, "Only server admins");
    want(&r, "no event for session \"data-foundations/9\"");
    want(&r, "\xe2\x9c\x85 you're interested");
    want(&r, "no voice channel");
    tu_run_free(&r);
    /* a second run on the same database: setup adopts, nothing is created twice */
    assert_int_equal(tu_run(argv, env, "/studygroups action:setup\n/quit\n", 15000, &r), 0);
    want(&r, "Created: nothing");
    assert_int_equal(count(r.out, "== event created"), 0);
    tu_run_free(&r);
}

static void test_simulate(void **state)
{
    (void)state;
    const char *argv[] = {tu_bin(), "simulate", "--start", "2027-03-08", NULL};
    struct tu_run r;
    assert_int_equal(tu_run(argv, env, "", 15000, &r), 0);
    assert_int_equal(r.status, 0);
    assert_int_equal(count(r.out, "\tevent on voice "), 20);
    want(&r, "2027-03-15 20:00 America/New_York\t2027-03-16T00:00Z\tevent on voice "
             "data-foundations");
    if (!strstr(r.err, "simulate: 20 study-group events"))
        fail_msg("stderr: %s", r.err);
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_flow),
        cmocka_unit_test(test_simulate),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
