/* test_e2e_gateway.c - the real cohortbot binary against tests/fakediscord over
 * loopback: identify/ready and command registration, heartbeats and jitter, resume
 * with replay, op 7, op 9, zombie, close-code classes and exit codes, malformed and
 * fragmented frames, REST 429s (JSON and Cloudflare HTML), 5xx, 401, slow REST and
 * SIGTERM during traffic; /help answered within 3 s. Runs with zlib-stream (default)
 * and, as e2e_gateway_nozlib, with gateway_compression "none"; a corrupt zlib stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

struct want {
    const char *method, *prefix;
    int status, n;   /* REST: at least n matching requests */
    int op, opn;     /* gateway: at least opn payloads with op */
    const char *key; /* a counter of the log ("resumes", "identifies", ...) */
    int keyn;
    int closes; /* at least this many close frames from the bot */
};

static bool cond(json_t *log, void *arg)
{
    const struct want *w = arg;
    if (w->method && e2e_count_rest(log, w->method, w->prefix, w->status) < w->n)
        return false;
    if (w->opn && e2e_count_op(log, w->op) < w->opn)
        return false;
    if (w->key && json_integer_value(json_object_get(log, w->key)) < w->keyn)
        return false;
    if (w->closes && (int)json_array_size(json_object_get(log, "closes")) < w->closes)
        return false;
    return true;
}

static json_t *wait_for(struct e2e *e, struct want w, int ms)
{
    json_t *log = e2e_wait(e, cond, &w, ms);
    if (!log)
        fail_msg("timed out waiting (method=%s prefix=%s op=%d key=%s)", w.method ? w.method : "-",
                 w.prefix ? w.prefix : "-", w.op, w.key ? w.key : "-");
    return log;
}

/* E2E_GATEWAY_COMPRESSION=none runs this file without compression; default zlib-stream */
static bool zlib_mode(void)
{
    const char *m = getenv("E2E_GATEWAY_COMPRESSION");
    return !m || strcmp(m, "none") != 0;
}

static json_t *ready(struct e2e *e, const char *fake_cfg, const char *bot_cfg)
{
    e2e_start_fake(e, fake_cfg);
    e2e_start_bot(e, bot_cfg);
    return wait_for(e, (struct want){.method = "PUT", .prefix = "/applications/", .n = 1}, 8000);
}

static int64_t last_close(json_t *log)
{
    json_t *c = json_object_get(log, "closes");
    return json_integer_value(json_object_get(json_array_get(c, json_array_size(c) - 1), "code"));
}

static void test_identify_ready_help(void **state)
{
    (void)state;
    struct e2e e;
    json_t *log = ready(&e, NULL, "{\"guild_id\":\"1000000000000000001\"}");
    json_t *id = json_object_get(json_array_get(json_object_get(log, "gw"), 0), "d");
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(log, "gw"), 0), "op")),
        2);
    assert_string_equal(json_string_value(json_object_get(id, "token")),
                        "test-token-not-real-0000");
    assert_int_equal(json_integer_value(json_object_get(id, "intents")), 1 | 128 | 65536);
    assert_non_null(json_object_get(json_object_get(id, "properties"), "os"));
    /* guild commands when guild_id is configured */
    assert_int_equal(e2e_count_rest(log, "PUT",
                                    "/applications/800000000000000001/guilds/"
                                    "1000000000000000001/commands",
                                    200),
                     1);
    int64_t t0 = json_integer_value(json_object_get(log, "now"));
    json_decref(log);
    e2e_interaction(&e, "1500000000000000001", "help");
    log = wait_for(&e,
                   (struct want){.method = "POST",
                                 .prefix = "/interactions/1500000000000000001/",
                                 .status = 204,
                                 .n = 1},
                   3000);
    json_t *cb = e2e_nth_rest(log, "POST", "/interactions/1500000000000000001/", 0);
    assert_true(json_integer_value(json_object_get(cb, "t")) - t0 < 3000);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cb, "body"), "type")), 4);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    log = e2e_log(&e);
    assert_int_equal(last_close(log), 1000); /* deliberate shutdown */
    json_decref(log);
    /* a restart with the same table does not register again */
    e2e_start_bot(&e, "{\"guild_id\":\"1000000000000000001\"}");
    json_decref(wait_for(&e, (struct want){.key = "identifies", .keyn = 2}, 8000));
    assert_true(e2e_wait_botlog(&e, "commands unchanged", 1, 30000));
    log = e2e_log(&e);
    assert_int_equal(e2e_count_rest(log, "PUT", "/applications/", 0), 1);
    json_decref(log);
    e2e_finish(&e);
}

static void test_heartbeat_jitter(void **state)
{
    (void)state;
    struct e2e e;
    json_decref(ready(&e, "{\"heartbeat_interval\":400}", NULL));
    json_t *log = wait_for(&e, (struct want){.op = 1, .opn = 5}, 5000);
    json_t *gw = json_object_get(log, "gw");
    int64_t prev = -1, identify_t = -1;
    int beats = 0;
    size_t i;
    json_t *g;
    json_array_foreach(gw, i, g)
    {
        int op = (int)json_integer_value(json_object_get(g, "op"));
        int64_t t = json_integer_value(json_object_get(g, "t"));
        if (op == 2)
            identify_t = t;
        if (op != 1)
            continue;
        if (beats == 0)
            assert_true(t - identify_t < 450); /* first beat: interval x jitter */
        else
            assert_true(t - prev >= 320 && t - prev <= 600); /* 400 ms interval */
        /* d is the last sequence number (READY=1, GUILD_CREATE=2) */
        assert_int_equal(json_integer_value(json_object_get(g, "d")), 2);
        prev = t;
        beats++;
    }
    assert_true(beats >= 5);
    assert_int_equal(json_integer_value(json_object_get(log, "connections")), 1);
    json_decref(log);
    e2e_finish(&e);
}

static void test_resume_replays_missed(void **state)
{
    (void)state;
    struct e2e e;
    json_decref(ready(&e, NULL, NULL));
    json_decref(e2e_ctl(&e, "close", "{\"code\":0}"));  /* drop, no close code */
    e2e_interaction(&e, "1500000000000000002", "help"); /* missed, kept for replay */
    json_t *log = wait_for(&e,
                           (struct want){.method = "POST",
                                         .prefix = "/interactions/1500000000000000002/",
                                         .status = 204,
                                         .n = 1,
                                         .key = "resumes",
                                         .keyn = 1},
                           8000);
    assert_int_equal(json_integer_value(json_object_get(log, "identifies")), 1);
    json_t *gw = json_object_get(log, "gw");
    json_t *resume = json_object_get(json_array_get(gw, json_array_size(gw) - 1), "d");
    size_t i;
    json_t *g;
    json_array_foreach(gw, i, g) if (json_integer_value(json_object_get(g, "op")) == 6) resume =
        json_object_get(g, "d");
    assert_string_equal(json_string_value(json_object_get(resume, "session_id")), "sess-1");
    assert_int_equal(json_integer_value(json_object_get(resume, "seq")), 2);
    json_decref(log);
    e2e_finish(&e);
}

static void test_op7_and_op9(void **state)
{
    (void)state;
    const struct {
        const char *op;
        int resumes, identifies;
    } t[] = {
        {"{\"op\":7,\"d\":null}", 1, 1},
        {"{\"op\":9,\"d\":true}", 1, 1},
        {"{\"op\":9,\"d\":false}", 0, 2},
    };
    for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        struct e2e e;
        json_decref(ready(&e, NULL, NULL));
        json_decref(e2e_ctl(&e, "op", t[k].op));
        const char *key = t[k].resumes ? "resumes" : "identifies";
        json_t *log = wait_for(
            &e, (struct want){.key = key, .keyn = t[k].resumes ? 1 : 2, .closes = 1}, 9000);
        sleep(1);
        json_decref(log);
        log = e2e_log(&e);
        assert_int_equal(last_close(log), 4000); /* never 1000: keeps the session */
        assert_int_equal(json_integer_value(json_object_get(log, "resumes")), t[k].resumes);
        assert_int_equal(json_integer_value(json_object_get(log, "identifies")), t[k].identifies);
        assert_true(json_is_true(json_object_get(log, "connected")));
        json_decref(log);
        e2e_finish(&e);
    }
}

static void test_zombie(void **state)
{
    (void)state;
    struct e2e e;
    json_decref(ready(&e, "{\"heartbeat_interval\":300}", NULL));
    json_decref(e2e_ctl(&e, "config", "{\"ack\":false}"));
    json_t *log = wait_for(&e, (struct want){.closes = 1}, 4000);
    assert_int_equal(last_close(log), 4000);
    json_decref(log);
    json_decref(e2e_ctl(&e, "config", "{\"ack\":true}"));
    log = wait_for(&e, (struct want){.key = "resumes", .keyn = 1}, 6000);
    assert_int_equal(json_integer_value(json_object_get(log, "identifies")), 1);
    json_decref(log);
    assert_true(e2e_botlog_has(&e, "zombie"));
    e2e_finish(&e);
}

static void test_close_codes(void **state)
{
    (void)state;
    const struct {
        int code;
        const char *key;
        int n;
    } t[] = {{4000, "resumes", 1},
             {4009, "identifies", 2},
             {4007, "identifies", 2},
             {1000, "identifies", 2},
             {4008, "resumes", 1}};
    for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        struct e2e e;
        json_decref(ready(&e, NULL, NULL));
        char body[64];
        snprintf(body, sizeof(body), "{\"code\":%d}", t[k].code);
        json_decref(e2e_ctl(&e, "close", body));
        json_t *log = wait_for(&e, (struct want){.key = t[k].key, .keyn = t[k].n}, 9000);
        assert_int_equal(json_integer_value(json_object_get(log, "connections")), 2);
        json_decref(log);
        e2e_finish(&e);
    }
    const struct {
        int code;
        const char *text;
    } fatal[] = {{4004, "authentication failed"},
                 {4014, "privileged intent not enabled in the Developer Portal"},
                 {4013, "invalid intents"}};
    for (size_t k = 0; k < sizeof(fatal) / sizeof(fatal[0]); k++) {
        struct e2e e;
        char cfg[64];
        snprintf(cfg, sizeof(cfg), "{\"close_on_identify\":%d}", fatal[k].code);
        e2e_start_fake(&e, cfg);
        e2e_start_bot(&e, NULL);
        assert_int_equal(e2e_bot_exit(&e, 8000), 2);
        assert_true(e2e_botlog_has(&e, fatal[k].text));
        json_t *log = e2e_log(&e);
        assert_int_equal(json_integer_value(json_object_get(log, "identifies")), 1);
        json_decref(log);
        e2e_finish(&e);
    }
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof(a);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
        getsockname(fd, (struct sockaddr *)&a, &al))
        fail_msg("no free port");
    close(fd);
    return ntohs(a.sin_port);
}

static size_t grab(char *p, size_t s, size_t n, void *arg)
{
    char *out = arg;
    size_t used = strlen(out), add = s * n;
    if (used + add >= 65536)
        add = 65535 - used;
    memcpy(out + used, p, add);
    out[used + add] = '\0';
    return s * n;
}

/* GET http://127.0.0.1:port/path into out (64 KiB); returns the HTTP status. */
static long http_get(int port, const char *path, char *out)
{
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
    out[0] = '\0';
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, grab);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

static void test_malformed_and_big_frames(void **state)
{
    (void)state;
    struct e2e e;
    int hport = free_port();
    char cfg[64];
    snprintf(cfg, sizeof(cfg), "{\"http_port\":%d}", hport);
    json_decref(ready(&e, NULL, cfg));
    json_decref(e2e_ctl(&e, "send", "{not json"));
    json_decref(e2e_ctl(&e, "send", "{\"op\":0,\"s\":3,\"t\":\"INTERACTION_CREATE\",\"d\":{x}}"));
    json_decref(e2e_ctl(&e, "send", "{\"op\":42,\"d\":null}"));
    json_decref(e2e_ctl(&e, "send", "[1,2,3]"));
    json_decref(e2e_ctl(&e, "big", "{\"bytes\":2097152,\"fragment\":65536}"));
    e2e_interaction(&e, "1500000000000000003", "help");
    json_t *log = wait_for(&e,
                           (struct want){.method = "POST",
                                         .prefix = "/interactions/1500000000000000003/",
                                         .status = 204,
                                         .n = 1},
                           5000);
    assert_int_equal(json_integer_value(json_object_get(log, "connections")), 1);
    /* the mode under test really was on the wire */
    assert_int_equal(json_integer_value(json_object_get(log, "zlib_connections")),
                     zlib_mode() ? 1 : 0);
    json_decref(log);
    assert_true(e2e_botlog_has(&e, "malformed frame skipped"));
    assert_true(e2e_botlog_has(&e, "unknown opcode 42"));
    static char body[65536];
    assert_int_equal(http_get(hport, "/metrics", body), 200);
    /* both GUILD_CREATEs (the normal one and the 2 MiB one) were reassembled */
    assert_non_null(strstr(body, "cohortbot_gateway_events_total{type=\"GUILD_CREATE\"} 2\n"));
    assert_non_null(strstr(body, "cohortbot_gateway_bad_frames_total 4\n"));
    /* with zlib-stream the wire carries far fewer bytes than the JSON (2 MiB of it here) */
    const char *wb = strstr(body, "\ncohortbot_gateway_wire_bytes_total ");
    const char *pb = strstr(body, "\ncohortbot_gateway_payload_bytes_total ");
    assert_non_null(wb);
    assert_non_null(pb);
    long long wire = strtoll(wb + 36, NULL, 10), json = strtoll(pb + 39, NULL, 10);
    if (json <= 2000000)
        fail_msg("payload bytes %lld, wire %lld", json, wire);
    if (zlib_mode())
        assert_true(wire * 5 < json);
    else
        assert_int_equal(wire, json);
    assert_non_null(strstr(body, "cohortbot_interaction_latency_seconds_count 1\n"));
    assert_non_null(
        strstr(body, "route=\"POST /interactions/{id}/{token}/callback\",status=\"204\""));
    assert_int_equal(http_get(hport, "/healthz", body), 200);
    assert_non_null(strstr(body, "\"gateway\":\"ready\""));
    assert_int_equal(http_get(hport, "/nope", body), 404);
    e2e_finish(&e);
}

/* zlib-stream: a corrupt stream closes the socket (4000) and resumes on a new one
 * with a new zlib context; nothing is lost. Without compression the verb sends nothing. */
static void test_zlib_corrupt_resumes(void **state)
{
    (void)state;
    if (!zlib_mode())
        skip();
    struct e2e e;
    json_decref(ready(&e, NULL, NULL));
    json_decref(e2e_ctl(&e, "zcorrupt", "{}"));
    json_decref(wait_for(&e, (struct want){.key = "resumes", .keyn = 1}, 8000));
    e2e_interaction(&e, "1500000000000000009", "help");
    json_t *log = wait_for(&e,
                           (struct want){.method = "POST",
                                         .prefix = "/interactions/1500000000000000009/",
                                         .status = 204,
                                         .n = 1},
                           8000);
    assert_int_equal(json_integer_value(json_object_get(log, "zlib_connections")), 2);
    assert_int_equal(json_integer_value(json_object_get(log, "identifies")), 1);
    assert_int_equal(last_close(log), 4000);
    json_decref(log);
    assert_true(e2e_botlog_has(&e, "corrupt zlib-stream from the gateway"));
    e2e_finish(&e);
}

static void test_rest_429(void **state)
{
    (void)state;
    const char *faults[] = {
        "{\"match\":\"POST /interactions/\",\"status\":429,\"retry_after\":1.2}",
        "{\"match\":\"POST /interactions/\",\"status\":429,\"retry_after\":1,\"html\":true}",
    };
    for (size_t k = 0; k < 2; k++) {
        struct e2e e;
        json_decref(ready(&e, NULL, NULL));
        json_decref(e2e_ctl(&e, "fault", faults[k]));
        e2e_interaction(&e, "1500000000000000004", "help");
        json_t *log = wait_for(
            &e, (struct want){.method = "POST", .prefix = "/interactions/", .status = 204, .n = 1},
            5000);
        sleep(1);
        json_decref(log);
        log = e2e_log(&e);
        /* delivered exactly once, after the wait */
        assert_int_equal(e2e_count_rest(log, "POST", "/interactions/", 204), 1);
        assert_int_equal(e2e_count_rest(log, "POST", "/interactions/", 429), 1);
        int64_t t1 = json_integer_value(
            json_object_get(e2e_nth_rest(log, "POST", "/interactions/", 0), "t"));
        int64_t t2 = json_integer_value(
            json_object_get(e2e_nth_rest(log, "POST", "/interactions/", 1), "t"));
        assert_true(t2 - t1 >= (k == 0 ? 1150 : 950));
        json_decref(log);
        e2e_finish(&e);
    }
}

static void test_rest_500_then_ok(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(e2e_ctl(&e, "fault", "{\"match\":\"PUT /applications/\",\"status\":500}"));
    e2e_start_bot(&e, NULL);
    json_t *log = wait_for(
        &e, (struct want){.method = "PUT", .prefix = "/applications/", .status = 200, .n = 1},
        8000);
    assert_int_equal(json_integer_value(
                         json_object_get(e2e_nth_rest(log, "PUT", "/applications/", 0), "status")),
                     500);
    assert_int_equal(e2e_count_rest(log, "PUT", "/applications/", 0), 2);
    json_decref(log);
    e2e_finish(&e);
}

static void test_rest_401(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    json_decref(e2e_ctl(&e, "fault", "{\"match\":\"GET /gateway/bot\",\"status\":401}"));
    e2e_start_bot(&e, NULL);
    assert_int_equal(e2e_bot_exit(&e, 5000), 2);
    assert_true(e2e_botlog_has(&e, "401"));
    json_t *log = e2e_log(&e);
    assert_int_equal(e2e_count_rest(log, "GET", "/gateway/bot", 0), 1); /* not retried */
    assert_int_equal(json_integer_value(json_object_get(log, "connections")), 0);
    json_decref(log);
    e2e_finish(&e);
}

static void test_slow_rest(void **state)
{
    (void)state;
    struct e2e e;
    json_decref(ready(&e, NULL, NULL));
    /* the first callback takes 2 s to answer; the next interaction is not held up */
    json_decref(e2e_ctl(&e, "fault",
                        "{\"match\":\"POST /interactions/1500000000000000005\",\"status\":0,"
                        "\"delay_ms\":2000}"));
    e2e_interaction(&e, "1500000000000000005", "help");
    e2e_interaction(&e, "1500000000000000006", "help");
    json_t *log =
        wait_for(&e, (struct want){.method = "POST", .prefix = "/interactions/", .n = 2}, 3000);
    json_t *a = e2e_nth_rest(log, "POST", "/interactions/1500000000000000005", 0);
    json_t *b = e2e_nth_rest(log, "POST", "/interactions/1500000000000000006", 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_integer_value(json_object_get(b, "t")) -
                    json_integer_value(json_object_get(a, "t")) <
                1000);
    json_decref(log);
    e2e_finish(&e);
}

static void test_sigterm_during_traffic(void **state)
{
    (void)state;
    struct e2e e;
    json_decref(ready(&e, NULL, NULL));
    json_decref(e2e_ctl(&e, "flood", "{\"n\":5000,\"t\":\"MESSAGE_CREATE\",\"size\":1000}"));
    for (int i = 0; i < 5; i++) {
        char id[32];
        snprintf(id, sizeof(id), "15000000000000001%02d", i);
        e2e_interaction(&e, id, "help");
    }
    usleep(200000);
    assert_int_equal(e2e_stop_bot(&e), 0);
    json_t *log = wait_for(&e, (struct want){.closes = 1}, 5000);
    assert_int_equal(last_close(log), 1000);
    json_decref(log);
    assert_true(e2e_botlog_has(&e, "stopped exit=0"));
    e2e_finish(&e);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (getenv("E2E_FILTER")) /* e.g. E2E_FILTER=test_slow_rest */
        cmocka_set_test_filter(getenv("E2E_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identify_ready_help),
        cmocka_unit_test(test_heartbeat_jitter),
        cmocka_unit_test(test_resume_replays_missed),
        cmocka_unit_test(test_op7_and_op9),
        cmocka_unit_test(test_zombie),
        cmocka_unit_test(test_close_codes),
        cmocka_unit_test(test_malformed_and_big_frames),
        cmocka_unit_test(test_zlib_corrupt_resumes),
        cmocka_unit_test(test_rest_429),
        cmocka_unit_test(test_rest_500_then_ok),
        cmocka_unit_test(test_rest_401),
        cmocka_unit_test(test_slow_rest),
        cmocka_unit_test(test_sigterm_during_traffic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
