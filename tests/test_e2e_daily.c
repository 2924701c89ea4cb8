/* test_e2e_daily.c - the daily prompt end to end: the real binary against the fake
 * Discord server with a controlled clock (COHORTBOT_FAKE_NOW). An admin starts the
 * cohort with a slash command; the week overview and day 1 appear once, at 09:00
 * New York, with nonce + enforce_nonce; kill -9 and restart gives no second post;
 * down across a post time: posted late within catchup_hours, skipped beyond. */
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
#include <unistd.h>

#include "e2e.h"

#define GUILD "1000000000000000001"
/* the fake sends this guild on every READY: #general and #week-1 */
#define WEEK1 "1100000000000000002"
#define WEEK1_POSTS "/channels/" WEEK1 "/messages"

static void cohort_start(struct e2e *e)
{
    json_decref(e2e_ctl(
        e, "dispatch",
        "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"1600000000000000001\",\"application_id\":"
        "\"800000000000000001\",\"type\":2,\"token\":\"itok-start\",\"guild_id\":\"" GUILD "\","
        "\"channel_id\":\"" WEEK1 "\",\"member\":{\"user\":{\"id\":\"42\",\"username\":\"admin\"},"
        "\"permissions\":\"32\"},\"data\":{\"id\":\"1\",\"name\":\"cohort\",\"type\":1,"
        "\"options\":[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,"
        "\"value\":\"2027-01-04\"}]}]}}}"));
}

struct want {
    const char *prefix;
    int n;
};

static bool have(json_t *log, void *arg)
{
    const struct want *w = arg;
    return e2e_count_rest(log, "POST", w->prefix, 200) >= w->n;
}

static int posts(struct e2e *e, const char *prefix)
{
    json_t *log = e2e_log(e);
    int n = e2e_count_rest(log, "POST", prefix, 200);
    json_decref(log);
    return n;
}

static void start_at(struct e2e *e, const char *iso)
{
    setenv("COHORTBOT_FAKE_NOW", iso, 1);
    e2e_start_bot(e, "{\"guild_id\":\"" GUILD "\",\"catchup_hours\":12}");
}

static void kill9(struct e2e *e)
{
    kill(e->bot, SIGKILL);
    waitpid(e->bot, NULL, 0);
    e->bot = 0;
}

static void test_daily_post_once(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    start_at(&e, "2027-01-04T13:59:56Z"); /* 08:59:56 in New York */
    struct want ready = {NULL, 0};
    (void)ready;
    sleep(2); /* READY and command registration */
    cohort_start(&e);
    assert_int_equal(posts(&e, WEEK1_POSTS), 0); /* not before 09:00 */
    struct want two = {WEEK1_POSTS, 2};
    json_t *log = e2e_wait(&e, have, &two, 15000);
    assert_non_null(log);
    json_t *overview = e2e_nth_rest(log, "POST", WEEK1_POSTS, 0);
    json_t *day1 = e2e_nth_rest(log, "POST", WEEK1_POSTS, 1);
    json_t *b0 = json_object_get(overview, "body"), *b1 = json_object_get(day1, "body");
    const char *t0 = json_string_value(
        json_object_get(json_array_get(json_object_get(b0, "embeds"), 0), "title"));
    const char *t1 = json_string_value(
        json_object_get(json_array_get(json_object_get(b1, "embeds"), 0), "title"));
    assert_non_null(strstr(t0, "Week 1"));
    assert_non_null(strstr(t1, "Day 1 \xc2\xb7 Week 1"));
    assert_true(json_is_true(json_object_get(b1, "enforce_nonce")));
    const char *nonce = json_string_value(json_object_get(b1, "nonce"));
    assert_non_null(nonce);
    assert_true(strlen(nonce) <= 25);
    json_t *button = json_array_get(
        json_object_get(json_array_get(json_object_get(b1, "components"), 0), "components"), 0);
    assert_string_equal(json_string_value(json_object_get(button, "custom_id")), "checkin:1:1");
    json_decref(log);
    /* kill -9 right after the post, restart at the same moment: no second post */
    kill9(&e);
    start_at(&e, "2027-01-04T14:00:03Z");
    sleep(4);
    assert_int_equal(posts(&e, WEEK1_POSTS), 2);
    /* down across day 2's post time, back 11 h later: posted late */
    kill9(&e);
    start_at(&e, "2027-01-06T01:00:00Z");
    struct want three = {WEEK1_POSTS, 3};
    log = e2e_wait(&e, have, &three, 30000);
    assert_non_null(log);
    json_t *late = json_object_get(e2e_nth_rest(log, "POST", WEEK1_POSTS, 2), "body");
    assert_non_null(strstr(json_string_value(json_object_get(
                               json_array_get(json_object_get(late, "embeds"), 0), "title")),
                           "Day 2 "));
    json_decref(log);
    /* down across days 3 and 4, back 13 h after day 4's time: both skipped, logged */
    assert_int_equal(e2e_stop_bot(&e), 0);
    start_at(&e, "2027-01-08T03:00:00Z");
    sleep(4);
    assert_int_equal(posts(&e, WEEK1_POSTS), 3);
    assert_true(e2e_botlog_has(&e, "skipped key=daily/" GUILD "/2027-01-04/day-4"));
    assert_true(e2e_botlog_has(&e, "skipped key=daily/" GUILD "/2027-01-04/day-3"));
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_post_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
