/* test_gateway.c - the gateway state machine fed with JSON and a fake clock: no
 * socket. Hooks record what the session sent, closed, connected and dispatched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "bot/discord/gateway.h"

struct rec {
    char sent[16][512];
    int nsent;
    int closes[8];
    int nclose;
    char connected[4][600];
    int nconnect;
    int fetches;
    char events[16][64];
    int nevents;
    int fatal_code;
};

static int h_send(void *a, const char *t, size_t len)
{
    struct rec *r = a;
    if (r->nsent < 16)
        snprintf(r->sent[r->nsent], sizeof(r->sent[0]), "%.*s", (int)len, t);
    r->nsent++;
    return 0;
}
static void h_close(void *a, int code)
{
    struct rec *r = a;
    if (r->nclose < 8)
        r->closes[r->nclose++] = code;
}
static int h_connect(void *a, const char *url)
{
    struct rec *r = a;
    if (r->nconnect < 4)
        snprintf(r->connected[r->nconnect], sizeof(r->connected[0]), "%s", url);
    r->nconnect++;
    return 0;
}
static void h_fetch(void *a)
{
    ((struct rec *)a)->fetches++;
}
static bool h_wants(void *a, const char *t)
{
    (void)a;
    return strcmp(t, "GUILD_CREATE") == 0 || strcmp(t, "READY") == 0;
}
static void h_event(void *a, const char *t, json_t *d, const struct gw_chans *ch)
{
    (void)ch;
    struct rec *r = a;
    assert_non_null(d);
    if (r->nevents < 16)
        snprintf(r->events[r->nevents++], 64, "%s", t);
}
static void h_fatal(void *a, int code, const char *why)
{
    assert_non_null(why);
    ((struct rec *)a)->fatal_code = code;
}

static struct gw *mk(struct rec *r)
{
    memset(r, 0, sizeof(*r));
    struct gw_opts o = {.token = "tok", .intents = 1, .allow_ws = true, .seed = 7};
    struct gw_hooks h = {r, h_send, h_close, h_connect, h_fetch, h_wants, h_event, h_fatal};
    return gw_new(&o, &h);
}

#define FRAME(g, s, now) gw_on_frame(g, s, strlen(s), now)

static const char *READY =
    "{\"t\":\"READY\",\"s\":1,\"op\":0,\"d\":{\"session_id\":\"S1\",\"resume_gateway_url\":"
    "\"ws://resume.test/gw\",\"user\":{\"id\":\"42\"},\"application\":{\"id\":\"77\"}}}";

/* Brings a session to READY at t=0..; returns the gw. */
static struct gw *ready_session(struct rec *r)
{
    struct gw *g = mk(r);
    gw_start(g, 0);
    gw_tick(g, 0);
    assert_int_equal(r->fetches, 1);
    const char *bot = "{\"url\":\"ws://gw.test\",\"session_start_limit\":{\"total\":1000,"
                      "\"remaining\":999,\"reset_after\":1000,\"max_concurrency\":1}}";
    gw_on_gateway_bot(g, 200, bot, strlen(bot), 0);
    gw_tick(g, 0);
    assert_int_equal(r->nconnect, 1);
    assert_string_equal(r->connected[0], "ws://gw.test/?v=10&encoding=json");
    gw_on_open(g, 0);
    assert_int_equal(FRAME(g, "{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}", 0), 0);
    assert_int_equal(gw_get_state(g), GW_IDENTIFYING);
    assert_non_null(strstr(r->sent[0], "\"op\":2"));
    assert_int_equal(FRAME(g, READY, 10), 0);
    assert_int_equal(gw_get_state(g), GW_READY);
    return g;
}

static void test_policy_table(void **state)
{
    (void)state;
    const struct {
        int code;
        enum gw_action act;
    } t[] = {{0, GW_ACT_RESUME},        {1006, GW_ACT_RESUME},     {4000, GW_ACT_RESUME},
             {4001, GW_ACT_RESUME},     {4002, GW_ACT_RESUME},     {4005, GW_ACT_RESUME},
             {4008, GW_ACT_RESUME},     {1000, GW_ACT_REIDENTIFY}, {1001, GW_ACT_REIDENTIFY},
             {4003, GW_ACT_REIDENTIFY}, {4007, GW_ACT_REIDENTIFY}, {4009, GW_ACT_REIDENTIFY},
             {4004, GW_ACT_FATAL},      {4010, GW_ACT_FATAL},      {4011, GW_ACT_FATAL},
             {4012, GW_ACT_FATAL},      {4013, GW_ACT_FATAL},      {4014, GW_ACT_FATAL}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(gw_close_policy(t[i].code), t[i].act);
    assert_non_null(strstr(gw_close_text(4014), "privileged intent"));
}

static void test_envelope_scan(void **state)
{
    (void)state;
    const struct {
        const char *in;
        int rc, op;
        bool has_s;
        int64_t s;
        const char *t, *d;
    } t[] = {
        {"{\"t\":\"MESSAGE_CREATE\",\"s\":12,\"op\":0,\"d\":{\"a\":\"}\\\"{\",\"b\":[1,{}]}}", 0, 0,
         true, 12, "MESSAGE_CREATE", "{\"a\":\"}\\\"{\",\"b\":[1,{}]}"},
        {" { \"op\" : 11 } ", 0, 11, false, 0, "", ""},
        {"{\"op\":9,\"d\":false,\"s\":null,\"t\":null}", 0, 9, false, 0, "", "false"},
        {"{\"op\":0,\"t\":\"A\\u0041\",\"d\":1}", 0, 0, false, 0, "?", "1"},
        {"{\"op\":\"x\"}", BOT_EPROTO, 0, false, 0, "", ""},
        {"{\"d\":{}}", BOT_EPROTO, 0, false, 0, "", ""},
        {"{\"op\":0,\"d\":{\"a\":1}", BOT_EPROTO, 0, false, 0, "", ""},
        {"[1,2]", BOT_EPROTO, 0, false, 0, "", ""},
        {"{\"op\":1}x", BOT_EPROTO, 0, false, 0, "", ""},
        {"{\"op\":0,\"d\":\"unterminated}", BOT_EPROTO, 0, false, 0, "", ""},
        {"", BOT_EPROTO, 0, false, 0, "", ""},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct gw_env e;
        int rc = gw_scan_envelope(t[i].in, strlen(t[i].in), &e);
        assert_int_equal(rc, t[i].rc);
        if (rc < 0)
            continue;
        assert_int_equal(e.op, t[i].op);
        assert_int_equal(e.has_s, t[i].has_s);
        if (e.has_s)
            assert_int_equal(e.s, t[i].s);
        assert_string_equal(e.t, t[i].t);
        assert_int_equal(e.d_len, strlen(t[i].d));
        assert_memory_equal(t[i].in + e.d_off, t[i].d, e.d_len);
    }
}

static void test_backoff_and_bucket(void **state)
{
    (void)state;
    const int64_t base[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    for (int a = 0; a < 9; a++) {
        for (uint32_t r = 0; r < 100000; r += 9973) {
            int64_t d = gw_backoff_ms(a, r * 2654435761u);
            assert_true(d >= base[a] && d <= 60000 && d <= base[a] + base[a] / 4);
        }
    }
    struct gw_bucket b = {0};
    for (int i = 0; i < 120; i++) {
        assert_int_equal(gw_bucket_wait(&b, 120, i * 100), 0);
        gw_bucket_take(&b, i * 100);
    }
    /* 120 sends in t=0..11.9 s: the next one fits when the first leaves the window */
    assert_int_equal(gw_bucket_wait(&b, 120, 12000), 48000);
    assert_int_equal(gw_bucket_wait(&b, 110, 12000), 60000 + 1000 - 12000);
    assert_int_equal(gw_bucket_wait(&b, 120, 60000), 0);
    char out[128];
    assert_int_equal(gw_build_url("wss://gateway.discord.gg", false, out, sizeof(out)), 0);
    assert_string_equal(out, "wss://gateway.discord.gg/?v=10&encoding=json");
    assert_int_equal(gw_build_url("ws://127.0.0.1:9/gw?x=1", true, out, sizeof(out)), 0);
    assert_string_equal(out, "ws://127.0.0.1:9/gw?v=10&encoding=json");
    assert_int_equal(gw_build_url("ws://127.0.0.1:9/gw", false, out, sizeof(out)), BOT_EINVAL);
    assert_int_equal(gw_build_url("http://x", true, out, sizeof(out)), BOT_EINVAL);
    assert_int_equal(gw_build_url("wss://x", true, out, 10), BOT_ETOOBIG);
}

static void test_identify_ready_heartbeat(void **state)
{
    (void)state;
    struct rec r;
    struct gw *g = ready_session(&r);
    assert_string_equal(gw_session_id(g), "S1");
    assert_string_equal(gw_app_id(g), "77");
    assert_string_equal(gw_user_id(g), "42");
    assert_int_equal(gw_seq(g), 1);
    assert_int_equal(r.nevents, 1);
    assert_string_equal(r.events[0], "READY");
    /* the first beat is due within [0, interval) after HELLO */
    int64_t due = 10;
    for (;;) {
        int64_t next = gw_tick(g, due);
        if (r.nsent >= 2)
            break;
        assert_true(next > due && next < 1000);
        due = next;
    }
    assert_string_equal(r.sent[1], "{\"op\":1,\"d\":1}");
    assert_true(gw_ack_pending(g));
    FRAME(g, "{\"op\":11}", due + 5);
    assert_false(gw_ack_pending(g));
    assert_int_equal(gw_last_ack_ms(g), due + 5);
    /* server op 1 is answered at once */
    FRAME(g, "{\"op\":1,\"d\":null}", due + 6);
    assert_int_equal(r.nsent, 3);
    /* unhandled events advance seq without dispatch; handled ones dispatch */
    FRAME(g, "{\"op\":0,\"s\":5,\"t\":\"TYPING_START\",\"d\":{}}", due + 7);
    FRAME(g, "{\"op\":0,\"s\":6,\"t\":\"GUILD_CREATE\",\"d\":{\"id\":\"1\"}}", due + 8);
    assert_int_equal(gw_seq(g), 6);
    assert_int_equal(r.nevents, 2);
    /* malformed frames and unknown opcodes are skipped, not fatal */
    assert_int_equal(FRAME(g, "{\"op\":0,\"s\":7,\"t\":\"GUILD_CREATE\",\"d\":{bad}}", due + 9),
                     BOT_EPROTO);
    assert_int_equal(FRAME(g, "not json", due + 9), BOT_EPROTO);
    assert_int_equal(FRAME(g, "{\"op\":99}", due + 9), BOT_EPROTO);
    assert_int_equal(gw_get_state(g), GW_READY);
    assert_int_equal(gw_get_stats(g)->bad_frames, 3);
    gw_free(g);
}

static void test_zombie_then_resume(void **state)
{
    (void)state;
    struct rec r;
    struct gw *g = ready_session(&r);
    int64_t due = gw_tick(g, 10);
    gw_tick(g, due); /* beat, no ACK */
    gw_tick(g, due + 1000);
    assert_int_equal(r.nclose, 1);
    assert_int_equal(r.closes[0], 4000);
    assert_int_equal(gw_get_state(g), GW_CLOSING);
    gw_on_close(g, 0, due + 1001);
    int64_t at = gw_tick(g, due + 1001);
    assert_true(at >= due + 2001);
    gw_tick(g, at);
    assert_int_equal(r.nconnect, 2);
    assert_string_equal(r.connected[1], "ws://resume.test/gw?v=10&encoding=json");
    gw_on_open(g, at);
    FRAME(g, "{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}", at);
    assert_int_equal(gw_get_state(g), GW_RESUMING);
    assert_false(gw_ack_pending(g)); /* timers reset on the new socket */
    assert_non_null(strstr(r.sent[r.nsent - 1], "\"op\":6"));
    assert_non_null(strstr(r.sent[r.nsent - 1], "\"seq\":1"));
    FRAME(g, "{\"op\":0,\"s\":2,\"t\":\"GUILD_CREATE\",\"d\":{}}", at + 1);
    FRAME(g, "{\"op\":0,\"s\":3,\"t\":\"RESUMED\",\"d\":{}}", at + 2);
    assert_int_equal(gw_get_state(g), GW_READY);
    assert_int_equal(gw_seq(g), 3);
    gw_free(g);
}

static void test_close_classes(void **state)
{
    (void)state;
    const struct {
        const char *how; /* frame to feed, or NULL for a close with code */
        int code;
        int expect; /* 0 resume, 1 identify, 2 fatal */
    } t[] = {
        {"{\"op\":7,\"d\":null}", 0, 0},
        {"{\"op\":9,\"d\":true}", 0, 0},
        {"{\"op\":9,\"d\":false}", 0, 1},
        {NULL, 4009, 1},
        {NULL, 4007, 1},
        {NULL, 1000, 1},
        {NULL, 4001, 0},
        {NULL, 0, 0},
        {NULL, 4004, 2},
        {NULL, 4014, 2},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct rec r;
        struct gw *g = ready_session(&r);
        if (t[i].how) {
            FRAME(g, t[i].how, 20);
            assert_int_equal(r.nclose, 1);
            assert_int_equal(r.closes[0], 4000);
        }
        gw_on_close(g, t[i].code, 20);
        if (t[i].expect == 2) {
            assert_int_equal(r.fatal_code, t[i].code);
            assert_true(gw_stopped(g));
            assert_int_equal(gw_tick(g, 100000), -1);
            gw_free(g);
            continue;
        }
        int64_t at = gw_tick(g, 20);
        if (t[i].how && strstr(t[i].how, "false"))
            assert_true(at >= 1020 && at <= 5020); /* 1-5 s random wait */
        if (r.nconnect < 2)
            gw_tick(g, at);
        else
            at = 20;
        assert_int_equal(r.nconnect, 2);
        gw_on_open(g, at);
        FRAME(g, "{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}", at);
        const char *want = t[i].expect == 0 ? "\"op\":6" : "\"op\":2";
        assert_non_null(strstr(r.sent[r.nsent - 1], want));
        assert_string_equal(r.connected[1], t[i].expect == 0
                                                ? "ws://resume.test/gw?v=10&encoding=json"
                                                : "ws://gw.test/?v=10&encoding=json");
        gw_free(g);
    }
}

static void test_fragments_and_cap(void **state)
{
    (void)state;
    struct rec r;
    memset(&r, 0, sizeof(r));
    struct gw_opts o = {.token = "t", .intents = 1, .allow_ws = true, .max_frame = 4096};
    struct gw_hooks h = {&r, h_send, h_close, h_connect, h_fetch, h_wants, h_event, h_fatal};
    struct gw *g = gw_new(&o, &h);
    gw_start(g, 0);
    gw_tick(g, 0);
    const char *bot = "{\"url\":\"ws://gw.test\"}";
    gw_on_gateway_bot(g, 200, bot, strlen(bot), 0);
    gw_tick(g, 0);
    gw_on_open(g, 0);
    FRAME(g, "{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}", 0);
    const char *msg = "{\"op\":0,\"s\":3,\"t\":\"GUILD_CREATE\",\"d\":{\"id\":\"9\"}}";
    size_t n = strlen(msg);
    for (size_t i = 0; i < n; i += 7)
        assert_int_equal(gw_on_fragment(g, msg + i, i + 7 < n ? 7 : n - i, i + 7 >= n, 1), 0);
    assert_int_equal(r.nevents, 1);
    assert_int_equal(gw_seq(g), 3);
    /* over the cap: dropped, the rest of that message ignored, the next one fine */
    char big[3000];
    memset(big, ' ', sizeof(big));
    assert_int_equal(gw_on_fragment(g, big, sizeof(big), false, 2), 0);
    assert_int_equal(gw_on_fragment(g, big, sizeof(big), false, 2), BOT_ETOOBIG);
    assert_int_equal(gw_on_fragment(g, big, sizeof(big), true, 2), BOT_ETOOBIG);
    assert_int_equal(gw_on_fragment(g, msg, n, true, 3), 0);
    assert_int_equal(r.nevents, 2);
    gw_free(g);
}

static void test_start_limit_and_stop(void **state)
{
    (void)state;
    struct rec r;
    struct gw *g = mk(&r);
    gw_start(g, 0);
    gw_tick(g, 0);
    const char *bot = "{\"url\":\"wss://gw.test\",\"session_start_limit\":{\"total\":1000,"
                      "\"remaining\":0,\"reset_after\":30000,\"max_concurrency\":1}}";
    gw_on_gateway_bot(g, 200, bot, strlen(bot), 0);
    assert_int_equal(gw_tick(g, 0), 30000);
    assert_int_equal(r.nconnect, 0);
    gw_tick(g, 30000);
    assert_int_equal(r.nconnect, 1);
    gw_stop(g);
    assert_int_equal(r.closes[0], 1000);
    gw_on_close(g, 1000, 30001);
    assert_int_equal(gw_tick(g, 90000), -1);
    assert_int_equal(r.nconnect, 1);
    gw_free(g);
    gw_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_table),       cmocka_unit_test(test_envelope_scan),
        cmocka_unit_test(test_backoff_and_bucket), cmocka_unit_test(test_identify_ready_heartbeat),
        cmocka_unit_test(test_zombie_then_resume), cmocka_unit_test(test_close_classes),
        cmocka_unit_test(test_fragments_and_cap),  cmocka_unit_test(test_start_limit_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
