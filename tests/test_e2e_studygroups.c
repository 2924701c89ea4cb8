/* test_e2e_studygroups.c - study groups end to end: the real binary against the fake
 * Discord server (scheduled-event routes checked against the OpenAPI schemas) with a
 * controlled clock. /studygroups action:setup creates the text and voice channels;
 * the sessions of the next 14 days become voice events; a kill -9 while the first
 * create is unanswered makes no second event (the restart finds it in the guild's
 * list); moving the cohort's start date moves the events; interested members are
 * reminded once, by DM or, DMs closed, by a mention; attendance across two joins and
 * restarts mid-session (GUILD_CREATE voice_states), a member who stays 9 minutes;
 * /cohort report and /progress show it; missing Manage Events is reported. */
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

#include "e2e.h"

#define GUILD "1000000000000000001"
#define WEEK1 "1100000000000000002"
#define EVENTS "/guilds/" GUILD "/scheduled-events"
#define ALICE "700000000000000001"
#define BOB "700000000000000002"
#define CAROL "700000000000000003"
#define ADMIN "42"
/* Manage Channels | Manage Events */
#define APP_PERMS "8589934608"

static int nix;

/* An interaction for /name with options JSON from user (admin rights when admin). */
static void ix(struct e2e *e, const char *name, const char *options, const char *user, bool admin,
               const char *app_perms)
{
    char body[2048], id[32], ap[64] = "";
    snprintf(id, sizeof(id), "16000000000000%05d", ++nix % 100000);
    if (app_perms)
        snprintf(ap, sizeof(ap), "\"app_permissions\":\"%s\",", app_perms);
    snprintf(body, sizeof(body),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
             "\"800000000000000001\",\"type\":2,\"token\":\"itok-%s\",\"guild_id\":\"" GUILD "\","
             "\"channel_id\":\"" WEEK1 "\",%s\"member\":{\"user\":{\"id\":\"%s\",\"username\":"
             "\"u%s\"},\"permissions\":\"%s\"},\"data\":{\"id\":\"1\",\"name\":\"%s\","
             "\"type\":1,\"options\":%s}}}",
             id, id, ap, user, user, admin ? "32" : "0", name, options);
    json_decref(e2e_ctl(e, "dispatch", body));
}

static int count_lines(struct e2e *e, const char *s)
{
    FILE *f = fopen(e->botlog, "r");
    char line[4096];
    int n = 0;
    while (f && fgets(line, sizeof(line), f))
        n += strstr(line, s) != NULL;
    if (f)
        fclose(f);
    return n;
}

static int readies;

/* Starts the bot at the given fake clock and waits for its READY (and GUILD_CREATE). */
static void start_at(struct e2e *e, const char *iso)
{
    setenv("COHORTBOT_FAKE_NOW", iso, 1);
    e2e_start_bot(e, "{\"guild_id\":\"" GUILD "\"}");
    readies++;
    for (int i = 0; i < 400 && count_lines(e, "ready user=") < readies; i++)
        usleep(25000);
    assert_int_equal(count_lines(e, "ready user="), readies);
    usleep(300000); /* GUILD_CREATE follows READY in the same burst */
}

static void kill9(struct e2e *e)
{
    kill(e->bot, SIGKILL);
    waitpid(e->bot, NULL, 0);
    e->bot = 0;
}

struct want {
    const char *method, *prefix;
    int n, status;
};

static bool have(json_t *log, void *arg)
{
    const struct want *w = arg;
    return e2e_count_rest(log, w->method, w->prefix, w->status) >= w->n;
}

static void wait_rest(struct e2e *e, const char *method, const char *prefix, int n, int status)
{
    struct want w = {method, prefix, n, status};
    json_t *log = e2e_wait(e, have, &w, 20000);
    if (!log)
        fail_msg("never saw %d x %s %s", n, method, prefix);
    json_decref(log);
}

static int rest_count(struct e2e *e, const char *method, const char *prefix, int status)
{
    json_t *log = e2e_log(e);
    int n = e2e_count_rest(log, method, prefix, status);
    json_decref(log);
    return n;
}

/* The id of a channel the bot created, by name. */
static void channel_id(struct e2e *e, const char *name, char out[24])
{
    json_t *st = e2e_ctl(e, "state", NULL);
    size_t i;
    json_t *c;
    out[0] = '\0';
    json_array_foreach(json_object_get(json_object_get(st, "channels"), GUILD), i,
                       c) if (!strcmp(json_string_value(json_object_get(c, "name")), name))
        snprintf(out, 24, "%s", json_string_value(json_object_get(c, "id")));
    json_decref(st);
    assert_true(out[0]);
}

/* The fake's events of the guild (caller decrefs). */
static json_t *events(struct e2e *e)
{
    json_t *st = e2e_ctl(e, "state", NULL);
    json_t *v = json_incref(json_object_get(json_object_get(st, "events"), GUILD));
    json_decref(st);
    return v ? v : json_array();
}

static void event_at(struct e2e *e, const char *start, char out[24])
{
    json_t *v = events(e);
    size_t i;
    json_t *x;
    out[0] = '\0';
    json_array_foreach(
        v, i, x) if (!strcmp(json_string_value(json_object_get(x, "scheduled_start_time")), start))
        snprintf(out, 24, "%s", json_string_value(json_object_get(x, "id")));
    json_decref(v);
    assert_true(out[0]);
}

static void voice(struct e2e *e, const char *user, const char *channel)
{
    char b[256];
    if (channel)
        snprintf(b, sizeof(b),
                 "{\"guild_id\":\"" GUILD "\",\"user_id\":\"%s\",\"channel_id\":\"%s\"}", user,
                 channel);
    else
        snprintf(b, sizeof(b),
                 "{\"guild_id\":\"" GUILD "\",\"user_id\":\"%s\",\"channel_id\":null}", user);
    json_decref(e2e_ctl(e, "voice", b));
}

static void rsvp(struct e2e *e, const char *event, const char *user)
{
    char b[256];
    snprintf(b, sizeof(b),
             "{\"guild_id\":\"" GUILD "\",\"user_id\":\"%s\",\"event_id\":\"%s\",\"add\":true}",
             user, event);
    json_decref(e2e_ctl(e, "rsvp", b));
}

/* The last interaction answer's JSON text (callback or @original edit). */
static char *last_answer(struct e2e *e)
{
    json_t *log = e2e_log(e);
    json_t *rest = json_object_get(log, "rest");
    char *s = NULL;
    for (size_t i = json_array_size(rest); i-- > 0 && !s;) {
        json_t *r = json_array_get(rest, i);
        const char *p = json_string_value(json_object_get(r, "path"));
        if (p && (!strncmp(p, "/interactions/", 14) || !strncmp(p, "/webhooks/", 10)))
            s = json_dumps(json_object_get(r, "body"), 0);
    }
    json_decref(log);
    assert_non_null(s);
    return s;
}

/* Distinct reminder messages (by nonce) the bot posted. */
static int reminder_messages(struct e2e *e)
{
    json_t *log = e2e_log(e), *seen = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        json_t *b = json_object_get(r, "body");
        const char *c = json_string_value(json_object_get(b, "content"));
        const char *nonce = json_string_value(json_object_get(b, "nonce"));
        if (c && nonce && strstr(c, "Reminder:"))
            json_object_set_new(seen, nonce, json_true());
    }
    int n = (int)json_object_size(seen);
    json_decref(seen);
    json_decref(log);
    return n;
}

static void test_studygroups(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    start_at(&e, "2027-01-04T12:00:00Z");
    ix(&e, "cohort",
       "[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,"
       "\"value\":\"2027-01-04\"}]}]",
       ADMIN, true, NULL);
    wait_rest(&e, "POST", "/interactions/", 1, 204);
    /* the first create is answered only after 4 s: the bot is killed before that */
    json_decref(
        e2e_ctl(&e, "fault", "{\"match\":\"POST " EVENTS "\",\"status\":0,\"delay_ms\":4000}"));
    ix(&e, "studygroups", "[{\"name\":\"action\",\"type\":3,\"value\":\"setup\"}]", ADMIN, true,
       APP_PERMS);
    wait_rest(&e, "POST", "/guilds/" GUILD "/channels", 10, 201);
    wait_rest(&e, "POST", EVENTS, 1, 0);
    char *ans = last_answer(&e);
    assert_non_null(strstr(ans, "#data-foundations"));
    assert_null(strstr(ans, "Manage Events"));
    free(ans);
    kill9(&e);
    start_at(&e, "2027-01-04T12:00:20Z");
    wait_rest(&e, "POST", EVENTS, 4, 200);
    assert_true(rest_count(&e, "GET", EVENTS, 200) >= 1); /* looked before re-sending */
    sleep(2);
    json_t *v = events(&e);
    assert_int_equal(json_array_size(v), 4); /* data-foundations 1-4, none twice */
    assert_int_equal(rest_count(&e, "POST", EVENTS, 0), 4);
    char voice_df[24], text_df[24];
    channel_id(&e, "\xf0\x9f\x94\x8a data-foundations", voice_df);
    channel_id(&e, "data-foundations", text_df);
    json_t *e0 = json_array_get(v, 0);
    assert_string_equal(json_string_value(json_object_get(e0, "channel_id")), voice_df);
    assert_int_equal(json_integer_value(json_object_get(e0, "entity_type")), 2);
    assert_int_equal(json_integer_value(json_object_get(e0, "privacy_level")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(e0, "description")), text_df));
    json_decref(v);
    /* the cohort moves a week: the four events move (PATCH), none is re-created */
    ix(&e, "cohort",
       "[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,"
       "\"value\":\"2027-01-11\"}]}]",
       ADMIN, true, NULL);
    wait_rest(&e, "PATCH", EVENTS "/", 4, 200);
    assert_int_equal(rest_count(&e, "POST", EVENTS, 0), 4);
    char first[24];
    event_at(&e, "2027-01-12T01:00:00+00:00", first); /* Mon 2027-01-11 20:00 New York */
    /* RSVPs; bob's DMs are closed */
    rsvp(&e, first, BOB); /* first (reminders go out in RSVP order), so the fault is his */
    usleep(1100000);
    rsvp(&e, first, ALICE);
    sleep(1);
    json_decref(e2e_ctl(&e, "fault",
                        "{\"match\":\"POST /users/@me/channels\",\"status\":403,\"code\":50007}"));
    assert_int_equal(e2e_stop_bot(&e), 0);
    start_at(&e, "2027-01-12T00:45:05Z"); /* 15 minutes before */
    wait_rest(&e, "POST", "/channels/", 2, 200);
    sleep(1);
    json_t *log = e2e_log(&e);
    int dm = 0, mention = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *p = json_string_value(json_object_get(r, "path"));
        const char *c = json_string_value(json_object_get(json_object_get(r, "body"), "content"));
        if (strcmp(json_string_value(json_object_get(r, "method")), "POST") ||
            strncmp(p, "/channels/", 10) || !c || !strstr(c, "Reminder"))
            continue;
        char want[64];
        snprintf(want, sizeof(want), "/channels/%s/messages", text_df);
        if (!strcmp(p, want)) {
            mention++;
            assert_non_null(strstr(c, "<@" BOB ">"));
        } else
            dm++;
        assert_true(json_is_true(json_object_get(json_object_get(r, "body"), "enforce_nonce")));
    }
    json_decref(log);
    assert_int_equal(dm, 1);
    assert_int_equal(mention, 1);
    kill9(&e);
    start_at(&e, "2027-01-12T00:46:00Z");
    sleep(2);
    /* reminded once: a send whose answer the killed bot never saw may go again, with the
     * same nonce, which Discord (and the fake) turns into the same message */
    assert_int_equal(reminder_messages(&e), 2);
    kill9(&e);
    /* the session: alice 9 min + 5 min (two joins), bob 9 min, carol throughout */
    start_at(&e, "2027-01-12T01:00:00Z");
    wait_rest(&e, "PATCH", EVENTS "/", 5, 200); /* the event is started */
    voice(&e, ALICE, voice_df);
    voice(&e, BOB, voice_df);
    voice(&e, CAROL, voice_df);
    sleep(1);
    kill9(&e);
    voice(&e, BOB, NULL);                 /* while the bot is down */
    start_at(&e, "2027-01-12T01:09:00Z"); /* GUILD_CREATE: alice, carol still in voice */
    voice(&e, ALICE, NULL);
    sleep(1);
    kill9(&e);
    start_at(&e, "2027-01-12T01:30:00Z");
    voice(&e, ALICE, voice_df);
    sleep(1);
    kill9(&e);
    start_at(&e, "2027-01-12T01:35:00Z");
    voice(&e, ALICE, NULL);
    sleep(1);
    kill9(&e);
    start_at(&e, "2027-01-12T02:05:00Z"); /* after the end: completed */
    wait_rest(&e, "PATCH", EVENTS "/", 6, 200);
    ix(&e, "cohort", "[{\"name\":\"report\",\"type\":1,\"options\":[]}]", ADMIN, true, NULL);
    sleep(2);
    ans = last_answer(&e);
    if (!strstr(ans, "interested 2, present 2"))
        fprintf(stderr, "report: %s\n", ans);
    assert_non_null(strstr(ans, "interested 2, present 2"));
    assert_non_null(strstr(ans, "said yes, did not come: <@" BOB ">"));
    free(ans);
    ix(&e, "progress", "[]", ALICE, false, NULL);
    sleep(1);
    ans = last_answer(&e);
    assert_non_null(strstr(ans, "Study-group sessions attended: 1 of 1 held"));
    free(ans);
    /* an admin without Manage Events for the bot is told */
    ix(&e, "studygroups", "[{\"name\":\"action\",\"type\":3,\"value\":\"setup\"}]", ADMIN, true,
       "16");
    sleep(1);
    ans = last_answer(&e);
    assert_non_null(strstr(ans, "Manage Events"));
    assert_non_null(strstr(ans, "Adopted"));
    free(ans);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_studygroups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
