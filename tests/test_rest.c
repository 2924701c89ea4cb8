/* test_rest.c - REST policy and rate-limit arithmetic with a fake clock, then the
 * real worker thread against a tiny scripted HTTP server on 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bot/err.h"
#include "bot/discord/ratelimit.h"
#include "bot/discord/rest.h"

static void test_routes(void **state)
{
    (void)state;
    const struct {
        const char *m, *path, *route, *major;
    } t[] = {
        {"POST", "/channels/123/messages", "POST /channels/{id}/messages", "channels/123"},
        {"PATCH", "/channels/123/messages/456", "PATCH /channels/{id}/messages/{id}",
         "channels/123"},
        {"POST", "/guilds/9/channels", "POST /guilds/{id}/channels", "guilds/9"},
        {"PATCH", "/webhooks/77/tok.en/messages/@original",
         "PATCH /webhooks/{id}/{token}/messages/@original", "webhooks/77/~ff32352774b2ae94"},
        {"POST", "/interactions/55/secret/callback", "POST /interactions/{id}/{token}/callback",
         "interactions/55"},
        {"PUT", "/applications/77/guilds/9/commands", "PUT /applications/{id}/guilds/{id}/commands",
         ""},
        {"GET", "/gateway/bot?x=1", "GET /gateway/bot", ""},
        {"POST", "/users/@me/channels", "POST /users/@me/channels", ""},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char route[RL_ROUTE_MAX], major[RL_MAJOR_MAX];
        assert_int_equal(rl_route(t[i].m, t[i].path, route, sizeof(route), major, sizeof(major)),
                         0);
        assert_string_equal(route, t[i].route);
        assert_string_equal(major, t[i].major);
    }
    char small[8], major[8];
    assert_int_equal(rl_route("POST", "/channels/1/messages", small, sizeof(small), major, 8),
                     BOT_ETOOBIG);
}

static void test_buckets(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    const char *R = "POST /channels/{id}/messages";
    /* unknown bucket: one request at a time until the first answer */
    assert_int_equal(rl_wait(r, R, "channels/1", false, 0), 0);
    rl_sent(r, R, "channels/1", false, 0);
    assert_true(rl_wait(r, R, "channels/1", false, 1) > 0);
    assert_int_equal(rl_wait(r, R, "channels/2", false, 1), 0); /* other major: free */
    struct rl_resp resp = {.status = 200,
                           .bucket = "abc",
                           .has_remaining = true,
                           .remaining = 1,
                           .has_reset_after = true,
                           .reset_after = 2.5};
    rl_update(r, R, "channels/1", &resp, 100);
    assert_int_equal(rl_wait(r, R, "channels/1", false, 100), 0);
    rl_sent(r, R, "channels/1", false, 100);
    /* remaining exhausted: wait until reset (100 + 2500) */
    assert_int_equal(rl_wait(r, R, "channels/1", false, 200), 2400);
    assert_int_equal(rl_wait(r, R, "channels/1", false, 2600), 0);
    /* a 429 holds the bucket for retry_after */
    struct rl_resp r429 = {.status = 429, .bucket = "abc", .retry_after = 1.25};
    rl_update(r, R, "channels/1", &r429, 3000);
    assert_int_equal(rl_wait(r, R, "channels/1", false, 3000), 1250);
    /* global 429 blocks everyone except exempt (interaction) requests */
    struct rl_resp g429 = {.status = 429, .retry_after = 0.5, .global = true};
    rl_update(r, R, "channels/3", &g429, 5000);
    assert_int_equal(rl_wait(r, "GET /x", "", false, 5000), 500);
    assert_int_equal(rl_wait(r, "GET /x", "", true, 5000), 0);
    /* global 50/s window */
    for (int i = 0; i < 50; i++)
        rl_sent(r, "GET /y", "", false, 10000 + i);
    assert_int_equal(rl_wait(r, "GET /z", "", false, 10100), 900);
    assert_int_equal(rl_wait(r, "GET /z", "", false, 11000), 0);
    assert_true(rl_count(r) > 0);
    rl_free(r);
    rl_free(NULL);
}

/* One state per interaction id would fill the table at thousands of callbacks a second
 * (and make every lookup scan it): answered ones are forgotten, held ones are kept. */
static void test_interaction_states_forgotten(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    const char *R = "POST /interactions/{id}/{token}/callback";
    struct rl_resp ok = {.status = 204,
                         .bucket = "ix",
                         .has_remaining = true,
                         .remaining = 4,
                         .has_reset_after = true,
                         .reset_after = 1.0};
    char major[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(major, sizeof(major), "interactions/%d", 1000 + i);
        assert_int_equal(rl_wait(r, R, major, true, i), 0);
        rl_sent(r, R, major, true, i);
        rl_update(r, R, major, &ok, i);
    }
    assert_int_equal(rl_count(r), 0);
    struct rl_resp r429 = {.status = 429, .bucket = "ix", .retry_after = 0.5};
    rl_sent(r, R, "interactions/1", true, 6000);
    rl_update(r, R, "interactions/1", &r429, 6000);
    assert_int_equal(rl_count(r), 1);
    assert_int_equal(rl_wait(r, R, "interactions/1", true, 6100), 400);
    /* other routes keep what they learned */
    rl_sent(r, "POST /channels/{id}/messages", "channels/1", false, 7000);
    rl_update(r, "POST /channels/{id}/messages", "channels/1", &ok, 7000);
    assert_int_equal(rl_count(r), 3); /* + its route-keyed and bucket-keyed states */
    rl_free(r);
}

static void test_form_errors(void **state)
{
    (void)state;
    const char *j = "{\"code\":50035,\"message\":\"Invalid Form Body\",\"errors\":{\"embeds\":"
                    "{\"0\":{\"title\":{\"_errors\":[{\"code\":\"BASE_TYPE_MAX_LENGTH\","
                    "\"message\":\"Must be 256 or fewer in length.\"}]}}},\"content\":{\"_errors\":"
                    "[{\"code\":\"X\",\"message\":\"Must be 2000 or fewer in length.\"}]}}}";
    char out[240];
    rest_form_errors(j, strlen(j), out, sizeof(out));
    assert_non_null(strstr(out, "embeds.0.title: Must be 256 or fewer in length."));
    assert_non_null(strstr(out, "content: Must be 2000 or fewer in length."));
    rest_form_errors("not json", 8, out, sizeof(out));
    assert_string_equal(out, "");
    char tiny[8];
    rest_form_errors(j, strlen(j), tiny, sizeof(tiny)); /* truncated, terminated */
    assert_true(strlen(tiny) < sizeof(tiny));
    assert_true(rest_is_idempotent("PUT", "/applications/1/commands", NULL));
    assert_true(rest_is_idempotent("POST", "/users/@me/channels", "{}"));
    assert_true(rest_is_idempotent("POST", "/channels/1/messages",
                                   "{\"nonce\":\"n1\",\"enforce_nonce\":true}"));
    assert_false(rest_is_idempotent("POST", "/channels/1/messages", "{\"content\":\"x\"}"));
    assert_false(rest_is_idempotent("POST", "/guilds/1/channels", "{\"name\":\"a\"}"));
}

static void test_retry_policy(void **state)
{
    (void)state;
    const struct {
        int status;
        bool curl_ok, sent_maybe;
        unsigned flags;
        int attempts;
        double ra;
        int64_t want;
    } t[] = {
        {200, true, true, 0, 1, 0, -1},
        {429, true, true, 0, 1, 2.5, 2501},
        {429, true, true, REST_F_INTERACTION, 1, 0.2, 201}, /* never processed: safe */
        {500, true, true, 0, 1, 0, 1000},
        {502, true, true, 0, 3, 0, 4000},
        {500, true, true, REST_F_INTERACTION, 1, 0, -1},   /* outcome unknown */
        {500, true, true, 0, 5, 0, -1},                    /* cap */
        {0, false, false, REST_F_INTERACTION, 1, 0, 1000}, /* connect refused: not sent */
        {0, false, true, REST_F_INTERACTION, 1, 0, -1},    /* timeout: maybe sent */
        {0, false, true, REST_F_IDEMPOTENT, 2, 0, 2000},   /* reset: idempotent, again */
        {0, false, true, 0, 2, 0, -1},                     /* reset: a plain POST is not */
        {0, false, false, 0, 9, 0, 60000},                 /* refused: cap 60 s, over 5 */
        {0, false, false, 0, REST_NET_ATTEMPTS, 0, -1},
        {401, true, true, 0, 1, 0, -1},
        {403, true, true, 0, 1, 0, -1},
        {404, true, true, 0, 1, 0, -1},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(rest_retry_ms(t[i].status, t[i].curl_ok, t[i].sent_maybe, t[i].flags,
                                       t[i].attempts, 5, t[i].ra),
                         t[i].want);
    const char *j = "{\"message\":\"You are being rate limited.\",\"retry_after\":0.75,"
                    "\"global\":false}";
    assert_true(rest_parse_retry_after(j, strlen(j), "application/json", "9") == 0.75);
    const char *html = "<html><body>Error 1015</body></html>";
    assert_true(rest_parse_retry_after(html, strlen(html), "text/html", "3") == 3.0);
    assert_true(rest_parse_retry_after(html, strlen(html), "text/html", NULL) == 5.0);
    assert_true(rest_parse_retry_after("{bad", 4, "application/json", "2") == 2.0);
}

/* ---- a scripted HTTP server: answers connection i with script[i] ---- */
struct srv {
    int fd, port, nreq;
    const char *const *script;
    int nscript;
    char last_req[4096];
    int64_t req_ms[8];
};

static int64_t mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    for (int i = 0; i < s->nscript; i++) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char req[4096];
        ssize_t n = recv(c, req, sizeof(req) - 1, 0);
        if (n > 0) {
            req[n] = '\0';
            snprintf(s->last_req, sizeof(s->last_req), "%s", req);
        }
        if (i < 8)
            s->req_ms[i] = mono();
        s->nreq++;
        /* the script holds head and body; Content-Length is computed here */
        const char *sep = strstr(s->script[i], "\r\n\r\n");
        char out[4096];
        int len = snprintf(out, sizeof(out), "%.*sContent-Length: %zu\r\n\r\n%s",
                           (int)(sep - s->script[i] + 2), s->script[i], strlen(sep + 4), sep + 4);
        ssize_t w = send(c, out, (size_t)len, 0);
        (void)w;
        close(c);
    }
    return NULL;
}

static void srv_start(struct srv *s, pthread_t *th)
{
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(s->fd, 8), 0);
    socklen_t al = sizeof(a);
    getsockname(s->fd, (struct sockaddr *)&a, &al);
    s->port = ntohs(a.sin_port);
    pthread_create(th, NULL, srv_main, s);
}

struct outcome {
    int calls, rc, status, dcode;
    char msg[128];
};

static void on_done(void *arg, const struct rest_result *res)
{
    struct outcome *o = arg;
    o->calls++;
    o->rc = res->rc;
    o->status = res->status;
    o->dcode = res->discord_code;
    snprintf(o->msg, sizeof(o->msg), "%s", res->message);
}

static void run_until(struct rest *r, struct outcome *o, int64_t ms)
{
    int64_t end = mono() + ms;
    while (o->calls == 0 && mono() < end) {
        rest_drain(r);
        usleep(5000);
    }
}

static struct rest *client(struct srv *s, int qmax)
{
    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/api/v10", s->port);
    struct rest_opts o = {.api_base = base,
                          .token = "test-token-not-real",
                          .user_agent = "DiscordBot (https://example.invalid, 0.1.0)",
                          .queue_max = qmax};
    return rest_new(&o);
}

#define H429 "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
#define HOK "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"

static void test_worker_429_then_ok(void **state)
{
    (void)state;
    const char *const script[] = {
        H429 "X-RateLimit-Bucket: b1\r\nConnection: close\r\n\r\n"
             "{\"retry_after\":0.3,\"global\":false,\"code\":0}",
        HOK "X-RateLimit-Bucket: b1\r\nX-RateLimit-Remaining: 4\r\nX-RateLimit-Reset-After: 1\r\n"
            "Connection: close\r\n\r\n{\"id\":\"1\"}",
    };
    struct srv s = {.script = script, .nscript = 2};
    pthread_t th;
    srv_start(&s, &th);
    struct rest *r = client(&s, 10);
    struct outcome o = {0};
    struct rest_call c = {.method = "POST", .path = "/channels/1/messages", .body = "{\"a\":1}"};
    assert_int_equal(rest_submit(r, &c, on_done, &o), 0);
    run_until(r, &o, 5000);
    assert_int_equal(o.calls, 1); /* delivered once */
    assert_int_equal(o.rc, 0);
    assert_int_equal(o.status, 200);
    assert_int_equal(s.nreq, 2);
    assert_true(s.req_ms[1] - s.req_ms[0] >= 290); /* waited retry_after */
    assert_non_null(strstr(s.last_req, "Authorization: Bot test-token-not-real"));
    assert_non_null(strstr(s.last_req, "User-Agent: DiscordBot ("));
    assert_non_null(strstr(s.last_req, "Content-Type: application/json"));
    pthread_join(th, NULL);
    close(s.fd);
    rest_free(r);
}

static void test_worker_errors(void **state)
{
    (void)state;
    const char *const script[] = {
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
        "Connection: close\r\n\r\n{\"message\":\"Unknown Channel\",\"code\":10003}",
        "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
        "Connection: close\r\n\r\n{\"message\":\"401: Unauthorized\",\"code\":0}",
    };
    struct srv s = {.script = script, .nscript = 3};
    pthread_t th;
    srv_start(&s, &th);
    struct rest *r = client(&s, 1);
    struct outcome o = {0};
    struct rest_call c = {.method = "POST", .path = "/channels/1/messages", .body = "{}"};
    assert_int_equal(rest_submit(r, &c, on_done, &o), 0);
    assert_int_equal(rest_submit(r, &c, on_done, &o), BOT_EFULL); /* bound of 1 */
    run_until(r, &o, 5000);
    assert_int_equal(o.rc, BOT_ENOTFOUND);
    assert_int_equal(o.dcode, 10003);
    assert_string_equal(o.msg, "Unknown Channel");
    /* a 500 on an interaction callback is not re-sent */
    memset(&o, 0, sizeof(o));
    struct rest_call ix = {.method = "POST",
                           .path = "/interactions/5/tok/callback",
                           .body = "{\"type\":4}",
                           .flags = REST_F_INTERACTION};
    assert_int_equal(rest_submit(r, &ix, on_done, &o), 0);
    run_until(r, &o, 5000);
    assert_int_equal(o.rc, BOT_EIO);
    assert_int_equal(o.status, 500);
    assert_int_equal(s.nreq, 2);
    /* 401 stops everything after it */
    memset(&o, 0, sizeof(o));
    assert_int_equal(rest_submit(r, &c, on_done, &o), 0);
    run_until(r, &o, 5000);
    assert_int_equal(o.rc, BOT_EAUTH);
    assert_true(rest_auth_failed(r));
    assert_int_equal(rest_submit(r, &c, on_done, &o), BOT_EAUTH);
    pthread_join(th, NULL);
    close(s.fd);
    rest_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_buckets),
        cmocka_unit_test(test_interaction_states_forgotten),
        cmocka_unit_test(test_retry_policy),
        cmocka_unit_test(test_form_errors),
        cmocka_unit_test(test_worker_429_then_ok),
        cmocka_unit_test(test_worker_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
