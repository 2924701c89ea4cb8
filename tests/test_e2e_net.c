/* test_e2e_net.c - network faults and Discord's limits end to end: the real binary
 * against tests/fakediscord on 127.0.0.1. The API down at start (a closed port) and up
 * later; the commands PUT reset twice without an answer; the first daily post reset;
 * 20 DM channels against a 5-per-5 s bucket whose answers arrive late; a deferred
 * answer with a Discord-length interaction token; SIGTERM while REST is stalled. Every
 * wait is on an event (a log line, a request the fake saw), bounded generously. */
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

#include "tests/e2e.h"

#include <curl/curl.h>

#define GUILD "1000000000000000001"
#define WEEK1 "1100000000000000002"
#define WEEK1_POSTS "/channels/" WEEK1 "/messages"
#define MENTORS "1100000000000000050"
#define BOT_CFG "{\"guild_id\":\"" GUILD "\"}"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Lines of the bot's log containing all of a and b (b may be NULL). */
static int botlog_count(struct e2e *e, const char *a, const char *b)
{
    FILE *f = fopen(e->botlog, "r");
    if (!f)
        return 0;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), f))
        n += strstr(line, a) && (!b || strstr(line, b));
    fclose(f);
    return n;
}

static bool wait_botlog(struct e2e *e, const char *a, const char *b, int n, int ms)
{
    int64_t end = now_ms() + ms;
    while (botlog_count(e, a, b) < n) {
        if (now_ms() > end)
            return false;
        nap_ms(50);
    }
    return true;
}

/* Requests the fake answered by dropping the connection (logged with status 0). */
static int count_reset(json_t *log, const char *method, const char *prefix)
{
    return e2e_count_rest(log, method, prefix, 0) - e2e_count_rest(log, method, prefix, 200) -
           e2e_count_rest(log, method, prefix, 429);
}

static bool connected(json_t *log, void *arg)
{
    (void)arg;
    return json_is_true(json_object_get(log, "connected")) && e2e_count_op(log, 2) >= 1 &&
           e2e_count_rest(log, "PUT", "/applications/", 200) >= 1;
}

/* ms (fake clock) of the bot's first IDENTIFY, -1 if none */
static int64_t identify_t(json_t *log)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(log, "gw"), i,
                       g) if (json_integer_value(json_object_get(g, "op")) ==
                              2) return json_integer_value(json_object_get(g, "t"));
    return -1;
}

static void test_api_down_at_start(void **state)
{
    (void)state;
    struct e2e e;
    int port = e2e_free_port();
    e2e_prepare(&e, port);
    e2e_start_bot(&e, BOT_CFG);
    /* two attempts refused, each logged with its reason */
    assert_true(wait_botlog(&e, "GET /gateway/bot", "onnect", 2, 60000));
    assert_true(botlog_count(&e, "GET /gateway/bot attempt", "no answer") >= 2);
    e2e_spawn_fake(&e, port); /* the API comes up */
    json_t *log = e2e_wait(&e, connected, NULL, 90000);
    assert_non_null(log);
    int64_t t = identify_t(log);
    assert_true(t >= 0);
    printf("API up -> IDENTIFY after %lld ms (READY follows at once)\n", (long long)t);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
}

static size_t on_body(char *p, size_t s, size_t n, void *arg)
{
    struct {
        char buf[16384];
        size_t len;
    } *b = arg;
    size_t k = s * n;
    if (b->len + k >= sizeof(b->buf))
        k = sizeof(b->buf) - 1 - b->len;
    memcpy(b->buf + b->len, p, k);
    b->len += k;
    b->buf[b->len] = '\0';
    return s * n;
}

/* The value of a /metrics line "name value" from the bot's health port; -1 if absent. */
static long metric(int port, const char *name)
{
    struct {
        char buf[16384];
        size_t len;
    } b = {"", 0};
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        return -1;
    char pat[128];
    snprintf(pat, sizeof(pat), "\n%s ", name);
    const char *at = strstr(b.buf, pat);
    return at ? strtol(at + strlen(pat), NULL, 10) : -1;
}

static void test_commands_put_reset_twice(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(
        e2e_ctl(&e, "fault", "{\"match\":\"PUT /applications/\",\"reset\":true,\"count\":2}"));
    int hp = e2e_free_port();
    char cfg[160];
    snprintf(cfg, sizeof(cfg), "{\"guild_id\":\"" GUILD "\",\"http_port\":%d}", hp);
    e2e_start_bot(&e, cfg);
    json_t *log = e2e_wait(&e, connected, NULL, 60000);
    assert_non_null(log);
    assert_int_equal(count_reset(log, "PUT", "/applications/"), 2); /* no answer */
    assert_int_equal(e2e_count_rest(log, "PUT", "/applications/", 200), 1);
    json_decref(log);
    /* each reset the bot saw is logged with its reason (curl itself re-sends once on a
     * reused connection that died before any answer, so the bot may see one) */
    assert_true(botlog_count(&e, "PUT /applications/", "no answer") >= 1);
    /* /metrics: the failures counted, nothing invalid (no 401/403/429) */
    assert_true(metric(hp, "cohortbot_rest_network_failures_total") >= 1);
    assert_int_equal(metric(hp, "cohortbot_rest_invalid_requests_10m"), 0);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
}

static void interaction(struct e2e *e, const char *id, const char *token, const char *options)
{
    size_t n = strlen(token) + strlen(options) + 1024;
    char *body = malloc(n);
    assert_non_null(body);
    snprintf(body, n,
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
             "\"800000000000000001\",\"type\":2,\"token\":\"%s\",\"guild_id\":\"" GUILD "\","
             "\"channel_id\":\"" WEEK1 "\",\"member\":{\"user\":{\"id\":\"42\",\"username\":"
             "\"admin\"},\"permissions\":\"32\"},\"data\":{\"id\":\"1\",\"name\":\"cohort\","
             "\"type\":1,\"options\":%s}}}",
             id, token, options);
    json_decref(e2e_ctl(e, "dispatch", body));
    free(body);
}

struct want {
    const char *method, *prefix;
    int status, n;
};

static bool have(json_t *log, void *arg)
{
    const struct want *w = arg;
    return e2e_count_rest(log, w->method, w->prefix, w->status) >= w->n;
}

static void cohort_start(struct e2e *e, const char *date)
{
    char opts[256];
    snprintf(opts, sizeof(opts),
             "[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,"
             "\"value\":\"%s\"}]}]",
             date);
    interaction(e, "1600000000000000001", "itok-start", opts);
    struct want w = {"POST", "/interactions/1600000000000000001/", 204, 1};
    json_t *log = e2e_wait(e, have, &w, 30000);
    assert_non_null(log);
    json_decref(log);
}

/* The first POST of the day's posts is reset without an answer: sent again with the same
 * nonce, posted exactly once. */
static void test_daily_post_reset(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(
        e2e_ctl(&e, "fault", "{\"match\":\"POST " WEEK1_POSTS "\",\"reset\":true,\"count\":1}"));
    setenv("COHORTBOT_FAKE_NOW", "2027-01-04T13:59:58Z", 1); /* 08:59:58 in New York */
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\",\"catchup_hours\":12}");
    json_t *log = e2e_wait(&e, connected, NULL, 60000);
    assert_non_null(log);
    json_decref(log);
    cohort_start(&e, "2027-01-04");
    struct want two = {"POST", WEEK1_POSTS, 200, 2};
    log = e2e_wait(&e, have, &two, 60000);
    assert_non_null(log);
    assert_int_equal(count_reset(log, "POST", WEEK1_POSTS), 1);
    json_t *lost = json_object_get(e2e_nth_rest(log, "POST", WEEK1_POSTS, 0), "body");
    json_t *again = json_object_get(e2e_nth_rest(log, "POST", WEEK1_POSTS, 1), "body");
    const char *n0 = json_string_value(json_object_get(lost, "nonce"));
    const char *n1 = json_string_value(json_object_get(again, "nonce"));
    assert_non_null(n0);
    assert_non_null(n1);
    assert_string_equal(n0, n1);
    assert_true(json_is_true(json_object_get(again, "enforce_nonce")));
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    log = e2e_log(&e);
    assert_int_equal(e2e_count_rest(log, "POST", WEEK1_POSTS, 200), 2); /* once each */
    json_decref(log);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

/* A deferred answer (/cohort channels create) delivered with a 250-character token. */
static void test_deferred_long_token(void **state)
{
    (void)state;
    char tok[251];
    for (int i = 0; i < 250; i++)
        tok[i] = "aZ09_-xQ"[i % 8];
    memcpy(tok, "aW50ZXJhY3Rpb246", 16);
    tok[250] = '\0';
    struct e2e e;
    e2e_start_fake(&e, NULL);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-01T12:00:00Z", 1);
    e2e_start_bot(&e, BOT_CFG);
    json_t *log = e2e_wait(&e, connected, NULL, 60000);
    assert_non_null(log);
    json_decref(log);
    cohort_start(&e, "2027-01-04");
    interaction(&e, "1600000000000000002", tok,
                "[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"create\","
                "\"type\":1}]}]");
    char orig[400];
    snprintf(orig, sizeof(orig), "/webhooks/800000000000000001/%s/messages/@original", tok);
    struct want w = {"PATCH", orig, 200, 1};
    log = e2e_wait(&e, have, &w, 60000);
    assert_non_null(log);
    assert_int_equal(e2e_count_rest(log, "POST", "/interactions/1600000000000000002/", 204), 1);
    json_decref(log);
    assert_false(e2e_botlog_has(&e, tok)); /* a secret: never logged */
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

/* 10 mentors and 10 mentees signed up in console mode on the same database. */
static void seed_twenty(const struct e2e *e)
{
    char script[4096];
    size_t n = (size_t)snprintf(script, sizeof(script),
                                "/cohort start date:2027-03-08 timezone:America/New_York\n");
    for (int i = 0; i < 10 && n < sizeof(script); i++)
        n += (size_t)snprintf(script + n, sizeof(script) - n,
                              "/as mentor%d\n/mentor join tracks:streaming capacity:1\n"
                              "/as mentee%d\n/mentee join interest:streaming\n",
                              i, i);
    if (n < sizeof(script))
        snprintf(script + n, sizeof(script) - n, "/quit\n");
    e2e_console_script(e, "2027-03-08T14:00:00Z", script);
}

/* A pairing round opens 20 DM channels against a 5-per-5 s bucket whose answers arrive up
 * to 0.7 s late and out of order: no 429. */
static void test_dm_round_no_429(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(e2e_ctl(&e, "bucket",
                        "{\"match\":\"POST /users/@me/channels\",\"limit\":5,\"window_ms\":5000,"
                        "\"late_ms\":700}"));
    seed_twenty(&e);
    setenv("COHORTBOT_FAKE_NOW", "2027-03-08T14:59:56Z", 1); /* round 1 at 15:00Z */
    e2e_start_bot(&e, BOT_CFG);
    json_t *log = e2e_wait(&e, connected, NULL, 60000);
    assert_non_null(log);
    json_decref(log);
    json_decref(e2e_ctl(&e, "dispatch",
                        "{\"t\":\"CHANNEL_CREATE\",\"d\":{\"id\":\"" MENTORS "\",\"type\":0,"
                        "\"name\":\"mentors\",\"guild_id\":\"" GUILD "\"}}"));
    struct want w = {"POST", "/users/@me/channels", 200, 20};
    log = e2e_wait(&e, have, &w, 120000);
    assert_non_null(log);
    int n429 = e2e_count_rest(log, "POST", "/users/@me/channels", 429);
    printf("20 DM channels, 5 per 5 s, late answers: %d 429s\n", n429);
    assert_int_equal(n429, 0);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(&e);
}

/* SIGTERM while a REST request is stalled (the fake holds its answer for a minute): exit 0,
 * well within 2 s by the bot's own 1.2 s grace (bounded loosely here for a loaded CI). */
static void test_sigterm_rest_stalled(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(
        e2e_ctl(&e, "fault", "{\"match\":\"PUT /applications/\",\"delay_ms\":60000,\"count\":1}"));
    e2e_start_bot(&e, BOT_CFG);
    struct want w = {"PUT", "/applications/", 0, 1};
    json_t *log = e2e_wait(&e, have, &w, 60000);
    assert_non_null(log);
    json_decref(log);
    int64_t t0 = now_ms();
    kill(e.bot, SIGTERM);
    assert_int_equal(e2e_bot_exit(&e, 10000), 0);
    int64_t took = now_ms() - t0;
    printf("SIGTERM with REST stalled: exit 0 after %lld ms\n", (long long)took);
    assert_true(took < 5000);
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_down_at_start), cmocka_unit_test(test_commands_put_reset_twice),
        cmocka_unit_test(test_daily_post_reset),  cmocka_unit_test(test_deferred_long_token),
        cmocka_unit_test(test_dm_round_no_429),   cmocka_unit_test(test_sigterm_rest_stalled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
