/* test_e2e_daily.c - the schedules end to end (daily prompts, /cohort channels create,
 * calendar reminders). The daily prompt: the real binary against the fake
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

/* An admin's /cohort interaction with the given options JSON (the subcommand level). */
static void cohort_cmd(struct e2e *e, const char *id, const char *options)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
             "\"800000000000000001\",\"type\":2,\"token\":\"itok-%s\",\"guild_id\":\"" GUILD "\","
             "\"channel_id\":\"" WEEK1 "\",\"member\":{\"user\":{\"id\":\"42\",\"username\":"
             "\"admin\"},\"permissions\":\"32\"},\"data\":{\"id\":\"1\",\"name\":\"cohort\","
             "\"type\":1,\"options\":%s,\"resolved\":{\"channels\":{\"1100000000000000001\":{"
             "\"id\":\"1100000000000000001\",\"type\":0,\"name\":\"general\"}}}}}}",
             id, id, options);
    json_decref(e2e_ctl(e, "dispatch", body));
}

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

static bool have_any(json_t *log, void *arg)
{
    const struct want *w = arg;
    return e2e_count_rest(log, "POST", w->prefix, 0) >= w->n;
}

static int posts(struct e2e *e, const char *prefix)
{
    json_t *log = e2e_log(e);
    int n = e2e_count_rest(log, "POST", prefix, 200);
    json_decref(log);
    return n;
}

/* Waits for the bot's answer to interaction `id` (any status). */
static void wait_answered(struct e2e *e, const char *id)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "/interactions/%s/", id);
    struct want w = {prefix, 1};
    json_t *log = e2e_wait(e, have_any, &w, 30000);
    assert_non_null(log);
    json_decref(log);
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
    e2e_wait_ready(&e, 1, 60000);         /* READY and command registration */
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
    e2e_wait_ready(&e, 2, 60000);
    sleep(3); /* a few scheduler ticks after READY: nothing may go out again */
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
    assert_true(e2e_wait_botlog(&e, "skipped key=daily/" GUILD "/2027-01-04/day-4", 1, 60000));
    assert_true(e2e_wait_botlog(&e, "skipped key=daily/" GUILD "/2027-01-04/day-3", 1, 60000));
    assert_int_equal(posts(&e, WEEK1_POSTS), 3);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

static bool have_patch(json_t *log, void *arg)
{
    return e2e_count_rest(log, "PATCH", (const char *)arg, 0) >= 1;
}

static const char *patched_content(json_t *log, const char *prefix)
{
    json_t *r = e2e_nth_rest(log, "PATCH", prefix, 0);
    return json_string_value(json_object_get(json_object_get(r, "body"), "content"));
}

/* /cohort channels create: a category and the missing week channels through REST, a
 * deferred (ephemeral) answer listing them; with Manage Channels missing, a clear reply. */
static void test_channels_create(void **state)
{
    (void)state;
    static const char *const create =
        "[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"create\",\"type\":1}]}]";
    struct e2e e;
    e2e_start_fake(&e, NULL);
    start_at(&e, "2027-01-01T12:00:00Z");
    e2e_wait_ready(&e, 1, 60000);
    cohort_start(&e);
    wait_answered(&e, "1600000000000000001");
    cohort_cmd(&e, "1600000000000000002", create);
    const char *orig = "/webhooks/800000000000000001/itok-1600000000000000002/messages/@original";
    json_t *log = e2e_wait(&e, have_patch, (void *)orig, 15000);
    assert_non_null(log);
    /* the category and weeks 2-10 (#week-1 exists) */
    assert_int_equal(e2e_count_rest(log, "POST", "/guilds/" GUILD "/channels", 0), 10);
    json_t *cat =
        json_object_get(e2e_nth_rest(log, "POST", "/guilds/" GUILD "/channels", 0), "body");
    assert_int_equal(json_integer_value(json_object_get(cat, "type")), 4);
    json_t *w2 =
        json_object_get(e2e_nth_rest(log, "POST", "/guilds/" GUILD "/channels", 1), "body");
    assert_string_equal(json_string_value(json_object_get(w2, "name")), "week-02");
    assert_non_null(json_string_value(json_object_get(w2, "topic")));
    assert_non_null(json_string_value(json_object_get(w2, "parent_id")));
    const char *text = patched_content(log, orig);
    assert_non_null(text);
    assert_non_null(strstr(text, "#week-10"));
    json_t *defer = e2e_nth_rest(log, "POST", "/interactions/1600000000000000002/", 0);
    json_t *db = json_object_get(defer, "body");
    assert_int_equal(json_integer_value(json_object_get(db, "type")), 5);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(db, "data"), "flags")), 64);
    json_decref(log);
    /* again: nothing is missing any more */
    cohort_cmd(&e, "1600000000000000003", create);
    wait_answered(&e, "1600000000000000003");
    log = e2e_log(&e);
    json_t *again = e2e_nth_rest(log, "POST", "/interactions/1600000000000000003/", 0);
    if (json_integer_value(json_object_get(json_object_get(again, "body"), "type")) == 5) {
        json_decref(log); /* deferred: the answer is the edit of @original */
        log = e2e_wait(
            &e, have_patch,
            (void *)"/webhooks/800000000000000001/itok-1600000000000000003/messages/@original",
            15000);
        assert_non_null(log);
    }
    assert_int_equal(e2e_count_rest(log, "POST", "/guilds/" GUILD "/channels", 0), 10);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
    /* a server where the bot lacks Manage Channels */
    e2e_start_fake(&e, NULL);
    json_decref(e2e_ctl(&e, "fault", "{\"match\":\"POST /guilds/\",\"status\":403,\"count\":100}"));
    start_at(&e, "2027-01-01T12:00:00Z");
    e2e_wait_ready(&e, 1, 60000);
    cohort_start(&e);
    wait_answered(&e, "1600000000000000001");
    cohort_cmd(&e, "1600000000000000004", create);
    orig = "/webhooks/800000000000000001/itok-1600000000000000004/messages/@original";
    log = e2e_wait(&e, have_patch, (void *)orig, 15000);
    assert_non_null(log);
    assert_int_equal(e2e_count_rest(log, "POST", "/guilds/" GUILD "/channels", 0), 1);
    assert_non_null(strstr(patched_content(log, orig), "Manage Channels"));
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

/* Calendar reminders through Discord: the generated study-group calendar attached by
 * /cohort start study_groups:#general; the Monday 20:00 New York session (01:00Z) is
 * reminded 60 and 10 minutes before, each once, also across kill -9 and restart. */
static void test_calendar_reminder(void **state)
{
    (void)state;
    static const char *const general_posts = "/channels/1100000000000000001/messages";
    struct e2e e;
    e2e_start_fake(&e, NULL);
    start_at(&e, "2027-01-04T23:59:57Z");
    e2e_wait_ready(&e, 1, 60000);
    cohort_cmd(&e, "1600000000000000005",
               "[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,"
               "\"value\":\"2027-01-04\"},{\"name\":\"study_groups\",\"type\":7,\"value\":"
               "\"1100000000000000001\"}]}]");
    struct want one = {general_posts, 1};
    json_t *log = e2e_wait(&e, have, &one, 15000);
    assert_non_null(log);
    json_t *body = json_object_get(e2e_nth_rest(log, "POST", general_posts, 0), "body");
    json_t *embed = json_array_get(json_object_get(body, "embeds"), 0);
    assert_non_null(strstr(json_string_value(json_object_get(embed, "title")), "data-foundations"));
    const char *starts = json_string_value(
        json_object_get(json_array_get(json_object_get(embed, "fields"), 0), "value"));
    assert_non_null(strstr(starts, "<t:1799110800:F>")); /* 2027-01-05T01:00:00Z */
    assert_true(json_is_true(json_object_get(body, "enforce_nonce")));
    json_decref(log);
    kill9(&e);
    start_at(&e, "2027-01-05T00:00:30Z");
    e2e_wait_ready(&e, 2, 60000);
    sleep(3); /* a few scheduler ticks after READY: no second post */
    assert_int_equal(posts(&e, general_posts), 1);
    /* the 10-minute reminder comes at 00:50Z, once */
    kill9(&e);
    start_at(&e, "2027-01-05T00:50:00Z");
    struct want two = {general_posts, 2};
    log = e2e_wait(&e, have, &two, 15000);
    assert_non_null(log);
    json_decref(log);
    sleep(2);
    assert_int_equal(posts(&e, general_posts), 2);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_post_once),
        cmocka_unit_test(test_channels_create),
        cmocka_unit_test(test_calendar_reminder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
