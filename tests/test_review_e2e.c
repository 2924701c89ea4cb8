/* test_review_e2e.c - a project review end to end in Discord mode: the real binary
 * against tests/fakediscord. Three learners submit their mid-term (console mode, same
 * database); the bot starts just before the close, a "reviews" channel appears by
 * CHANNEL_CREATE, the fake answers the first DM with 403 / 50007 (DMs closed). The
 * round must send six review DMs, one of them as a mention in #reviews, each once with
 * its nonce and with one select menu per criterion plus the Write feedback button.
 * Then a reviewer picks a level in the DM (type 7 update, committed), opens the modal
 * (type 9), submits feedback (stored); a forged custom_id naming someone else's review
 * is refused and writes nothing; a restart sends nothing twice. */
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
#include "bot/store_project.h"
#include "tests/e2e.h"

#define GUILD "1000000000000000001"
#define REVIEWS "1100000000000000077"

static void seed(const struct e2e *e)
{
    e2e_console_script(
        e, "2027-02-02T14:00:00Z",
        "/cohort start date:2027-01-04\n"
        "/as alice\n/project submit kind:midterm link:https://github.com/a/mid\n"
        "/as bob\n/project submit kind:midterm link:https://github.com/b/mid\n"
        "/as carol\n/project submit kind:midterm link:https://github.com/c/mid\n/quit\n");
}

static bool sent(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_dm_posts(log, 200) >= 5 &&
           e2e_count_posts(log, REVIEWS, "your DMs are closed") >= 1;
}

static bool connected(json_t *log, void *arg)
{
    (void)arg;
    return json_is_true(json_object_get(log, "connected")) &&
           e2e_count_rest(log, "PUT", "/applications/", 0) >= 1;
}

static const char *g_ixid;
static bool answered(json_t *log, void *arg)
{
    (void)arg;
    char p[80];
    snprintf(p, sizeof(p), "/interactions/%s/", g_ixid);
    return e2e_count_rest(log, "POST", p, 0) >= 1;
}

static void sleep_s(int s)
{
    struct timespec ts = {s, 0};
    nanosleep(&ts, NULL);
}

/* Dispatches a component or modal interaction and returns the callback body. */
static json_t *click(struct e2e *e, const char *ixid, const char *user, const char *guild,
                     const char *data)
{
    char ix[2048], uid[IX_ID_LEN];
    console_user_id(user, uid);
    int type = strstr(data, "\"components\"") ? 5 : 3;
    snprintf(ix, sizeof(ix),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
             "\"800000000000000001\",\"type\":%d,\"token\":\"itok-%s\",\"channel_id\":"
             "\"1200000000000000009\",%s%s%s\"user\":{\"id\":\"%s\",\"username\":\"%s\"},"
             "\"data\":%s}}",
             ixid, type, ixid, guild ? "\"guild_id\":\"" : "", guild ? guild : "",
             guild ? "\",\"member\":{\"permissions\":\"0\"}," : "", uid, user, data);
    json_decref(e2e_ctl(e, "dispatch", ix));
    g_ixid = ixid;
    json_t *log = e2e_wait(e, answered, NULL, 10000);
    assert_non_null(log);
    char p[80];
    snprintf(p, sizeof(p), "/interactions/%s/", ixid);
    json_t *cb = json_deep_copy(json_object_get(e2e_nth_rest(log, "POST", p, 0), "body"));
    json_decref(log);
    return cb;
}

static struct store_review first_review_of(struct e2e *e, const char *user)
{
    struct store *s;
    char err[BOT_ERR_LEN], uid[IX_ID_LEN];
    console_user_id(user, uid);
    assert_int_equal(store_open_shared(e->db, &s, err, sizeof(err)), 0);
    struct store_review *rv, out;
    size_t n;
    assert_int_equal(store_reviews_of_reviewer(s, 1, uid, &rv, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_review_get(s, rv[0].id, &out), 0);
    free(rv);
    store_close(s);
    return out;
}

static void check_dm_components(json_t *log)
{
    json_t *dm = e2e_nth_rest(log, "POST", "/channels/12", 1);
    assert_non_null(dm);
    json_t *body = json_object_get(dm, "body"), *rows = json_object_get(body, "components");
    assert_true(json_is_string(json_object_get(body, "nonce")));
    assert_true(json_is_true(json_object_get(body, "enforce_nonce")));
    assert_int_equal(json_array_size(rows), 5); /* 4 criteria + the button row */
    for (size_t i = 0; i < 4; i++) {
        json_t *sel = json_array_get(json_object_get(json_array_get(rows, i), "components"), 0);
        assert_int_equal(json_integer_value(json_object_get(sel, "type")), 3);
        assert_int_equal(json_array_size(json_object_get(sel, "options")), 4);
        assert_non_null(strstr(json_string_value(json_object_get(sel, "custom_id")), "rvs:"));
    }
    json_t *btn = json_array_get(json_object_get(json_array_get(rows, 4), "components"), 0);
    assert_string_equal(json_string_value(json_object_get(btn, "label")), "Write feedback");
}

static void test_review_through_the_fake(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    seed(&e);
    json_decref(e2e_ctl(&e, "fault",
                        "{\"match\":\"POST /channels/12\",\"status\":403,\"code\":50007,"
                        "\"count\":1}"));
    /* week 5 ends at 05:00Z (midnight New York); start a few seconds before */
    setenv("COHORTBOT_FAKE_NOW", "2027-02-08T04:59:54Z", 1);
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\"}");
    json_t *log = e2e_wait(&e, connected, NULL, 20000);
    assert_non_null(log);
    json_decref(log);
    json_decref(e2e_ctl(&e, "dispatch",
                        "{\"t\":\"CHANNEL_CREATE\",\"d\":{\"id\":\"" REVIEWS "\",\"type\":0,"
                        "\"name\":\"reviews\",\"guild_id\":\"" GUILD "\"}}"));
    log = e2e_wait(&e, sent, NULL, 30000);
    assert_non_null(log);
    json_decref(log);
    sleep_s(2); /* a few more ticks: nothing else may go out */
    log = e2e_log(&e);
    assert_int_equal(e2e_count_dm_posts(log, 403), 1);
    assert_int_equal(e2e_count_dm_posts(log, 200), 5);
    assert_int_equal(e2e_count_posts(log, REVIEWS, "your DMs are closed"), 1);
    check_dm_components(log);
    json_decref(log);

    /* bob picks "3" for criterion 0 in his DM: committed, the DM is updated */
    struct store_review r = first_review_of(&e, "bob");
    char data[1024], ixid[32];
    snprintf(data, sizeof(data),
             "{\"custom_id\":\"rvs:%lld:0\",\"component_type\":3,\"values\":[\"3\"]}",
             (long long)r.id);
    json_t *cb = click(&e, "1300000000000000001", "bob", NULL, data);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 7);
    json_t *sel0 = json_array_get(
        json_object_get(
            json_array_get(json_object_get(json_object_get(cb, "data"), "components"), 0),
            "components"),
        0);
    assert_true(json_is_true(
        json_object_get(json_array_get(json_object_get(sel0, "options"), 2), "default")));
    json_decref(cb);
    /* the button opens the modal; the modal stores the feedback */
    snprintf(data, sizeof(data), "{\"custom_id\":\"rvf:%lld\",\"component_type\":2}",
             (long long)r.id);
    cb = click(&e, "1300000000000000002", "bob", NULL, data);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 9);
    snprintf(ixid, sizeof(ixid), "rvm:%lld", (long long)r.id);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(cb, "data"), "custom_id")), ixid);
    json_decref(cb);
    snprintf(data, sizeof(data),
             "{\"custom_id\":\"rvm:%lld\",\"components\":[{\"type\":18,\"component\":{\"type\":4,"
             "\"custom_id\":\"feedback\",\"value\":\"The pipeline is clear and tested; add "
             "alerting on late partitions.\"}}]}",
             (long long)r.id);
    cb = click(&e, "1300000000000000003", "bob", NULL, data);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 7);
    json_decref(cb);
    /* carol forges bob's review id, in the guild: refused, nothing written */
    snprintf(data, sizeof(data),
             "{\"custom_id\":\"rvs:%lld:1\",\"component_type\":3,\"values\":[\"1\"]}",
             (long long)r.id);
    cb = click(&e, "1300000000000000004", "carol", GUILD, data);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 4);
    assert_non_null(strstr(
        json_string_value(json_object_get(json_object_get(cb, "data"), "content")), "not yours"));
    json_decref(cb);
    struct store *s;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open_shared(e.db, &s, err, sizeof(err)), 0);
    struct store_review now;
    assert_int_equal(store_review_get(s, r.id, &now), 0);
    assert_int_equal(now.levels[0], 3);
    assert_int_equal(now.levels[1], 0);
    assert_non_null(strstr(now.feedback, "alerting on late partitions"));
    assert_int_equal(now.state, REVIEW_OPEN);
    store_close(s);

    /* restart: nothing is sent twice */
    assert_int_equal(e2e_stop_bot(&e), 0);
    setenv("COHORTBOT_FAKE_NOW", "2027-02-08T05:10:00Z", 1);
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\"}");
    log = e2e_wait(&e, connected, NULL, 20000);
    assert_non_null(log);
    json_decref(log);
    sleep_s(3);
    log = e2e_log(&e);
    assert_int_equal(e2e_count_dm_posts(log, 0), 6);
    assert_int_equal(e2e_count_posts(log, REVIEWS, "Please review"), 1);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_through_the_fake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
