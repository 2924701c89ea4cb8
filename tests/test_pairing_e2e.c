/* test_pairing_e2e.c - pairing DMs end to end in Discord mode: the real binary against
 * tests/fakediscord on 127.0.0.1. Sign-ups are made in console mode on the same
 * database (the console guild id is the fake's guild id); then the bot connects with
 * its clock just before round 1, a "mentors" channel appears by CHANNEL_CREATE, the
 * fake answers the first DM with 403 / code 50007 (DMs closed), and the round must
 * send: the mentee's DM, the mentor's message as a mention in #mentors (recorded as
 * delivered by fallback) and the admin summary, each once with its nonce. After a
 * SIGTERM and a restart nothing is sent again; the mentee's "did you meet?" button,
 * clicked in a DM, updates that DM and is recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot/console.h"
#include "bot/err.h"
#include "bot/store.h"
#include "tests/e2e.h"

#define GUILD "1000000000000000001"
#define MENTORS "1100000000000000050"

static void seed_signups(const struct e2e *e)
{
    e2e_console_script(e, "2027-03-08T14:00:00Z",
                       "/cohort start date:2027-03-08 timezone:America/New_York\n"
                       "/as alice\n/mentor join tracks:streaming capacity:1\n"
                       "/as bob\n/mentee join interest:streaming\n/quit\n");
}

static bool round_sent(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_dm_posts(log, 200) >= 1 &&
           e2e_count_posts(log, MENTORS, "admin summary") >= 1 &&
           e2e_count_posts(log, MENTORS, "your DMs are closed") >= 1;
}

static bool connected(json_t *log, void *arg)
{
    (void)arg;
    return json_is_true(json_object_get(log, "connected")) &&
           e2e_count_rest(log, "PUT", "/applications/", 0) >= 1;
}

static bool answered(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "POST", "/interactions/1300000000000000001/", 0) >= 1;
}

static void sleep_s(int s)
{
    struct timespec ts = {s, 0};
    nanosleep(&ts, NULL);
}

static void test_round_dms_with_50007_fallback(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    seed_signups(&e);
    json_decref(e2e_ctl(&e, "fault",
                        "{\"match\":\"POST /channels/12\",\"status\":403,\"code\":50007,"
                        "\"count\":1}"));
    /* round 1 fires at 15:00:00Z (10:00 New York); start a few seconds before */
    setenv("COHORTBOT_FAKE_NOW", "2027-03-08T14:59:54Z", 1);
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\"}");
    json_t *log = e2e_wait(&e, connected, NULL, 20000);
    assert_non_null(log);
    json_decref(log);
    json_decref(e2e_ctl(&e, "dispatch",
                        "{\"t\":\"CHANNEL_CREATE\",\"d\":{\"id\":\"" MENTORS "\",\"type\":0,"
                        "\"name\":\"mentors\",\"guild_id\":\"" GUILD "\"}}"));
    log = e2e_wait(&e, round_sent, NULL, 30000);
    assert_non_null(log);
    sleep_s(2); /* a few more ticks: nothing else may go out */
    json_decref(log);
    log = e2e_log(&e);
    assert_int_equal(e2e_count_dm_posts(log, 403), 1); /* the mentor's DM: closed */
    assert_int_equal(e2e_count_dm_posts(log, 200), 1); /* the mentee's DM */
    assert_int_equal(e2e_count_posts(log, MENTORS, "your DMs are closed"), 1);
    assert_int_equal(e2e_count_posts(log, MENTORS, "your mentee this round"), 1);
    assert_int_equal(e2e_count_posts(log, MENTORS, "1 matched, 0 unmatched, 0 repeats"), 1);
    json_t *dm = e2e_nth_rest(log, "POST", "/channels/12", 1);
    assert_non_null(dm);
    json_t *body = json_object_get(dm, "body");
    assert_non_null(strstr(json_string_value(json_object_get(body, "content")),
                           "your mentor this round is <@"));
    assert_non_null(strstr(json_string_value(json_object_get(body, "content")), ":F>"));
    assert_true(json_is_string(json_object_get(body, "nonce")));
    assert_true(json_is_true(json_object_get(body, "enforce_nonce")));
    json_decref(log);

    /* restart mid-round: nothing is sent twice */
    assert_int_equal(e2e_stop_bot(&e), 0);
    setenv("COHORTBOT_FAKE_NOW", "2027-03-08T15:01:00Z", 1);
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\"}");
    e2e_wait_ready(&e, 2, 60000); /* the restarted bot, not the first one's log */
    sleep_s(3);                   /* a few scheduler ticks after READY: nothing again */
    log = e2e_log(&e);
    assert_int_equal(e2e_count_dm_posts(log, 0), 2);
    assert_int_equal(e2e_count_posts(log, MENTORS, "Mentorship round 1"), 2);
    json_decref(log);

    /* bob answers "did you meet?" from his DM (no guild): the DM is updated (type 7) */
    char bob[IX_ID_LEN], ix[1024];
    console_user_id("bob", bob);
    snprintf(ix, sizeof(ix),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"1300000000000000001\","
             "\"application_id\":\"800000000000000001\",\"type\":3,\"token\":\"itok-met\","
             "\"channel_id\":\"1200000000000000009\",\"user\":{\"id\":\"%s\","
             "\"username\":\"bob\"},\"data\":{\"custom_id\":\"met:1:yes\","
             "\"component_type\":2}}}",
             bob);
    json_decref(e2e_ctl(&e, "dispatch", ix));
    log = e2e_wait(&e, answered, NULL, 10000);
    assert_non_null(log);
    json_t *cb = e2e_nth_rest(log, "POST", "/interactions/1300000000000000001/", 0);
    assert_non_null(cb);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cb, "body"), "type")), 7);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");

    /* the ledger says how the mentor was reached */
    struct store *s;
    char err[BOT_ERR_LEN], detail[200], alice[IX_ID_LEN], key[128];
    assert_int_equal(store_open_shared(e.db, &s, err, sizeof(err)), 0);
    console_user_id("alice", alice);
    snprintf(key, sizeof(key), "pair/" GUILD "/1/mentor/%s", alice);
    assert_int_equal(store_delivery_detail(s, key, detail, sizeof(detail)), 0);
    assert_non_null(strstr(detail, "fallback"));
    struct delivery dl;
    assert_int_equal(store_delivery_get(s, key, &dl), 0);
    assert_int_equal(dl.state, DLV_SENT);
    struct store_round_stats st;
    assert_int_equal(store_round_stats(s, 1, "pair/" GUILD "/1/", &st), 0);
    assert_int_equal(st.met_yes, 1);
    assert_int_equal(st.fallbacks, 1);
    store_close(s);
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_dms_with_50007_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
