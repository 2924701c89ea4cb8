/* test_ratelimit.c - the rate-limit arithmetic of bot/discord/ratelimit.c with several
 * requests in flight, late responses, transport failures between rl_sent_key and the
 * retry, shared-scope 429s, the invalid-request window and Discord-length interaction
 * tokens. Pure: every call gets its `now`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/discord/ratelimit.h"
#include "bot/err.h"

#include <stdio.h>
#include <string.h>

#define DM "POST /users/@me/channels"

static struct rl_resp ok_resp(long remaining, double reset_after)
{
    struct rl_resp r;
    memset(&r, 0, sizeof(r));
    r.status = 200;
    snprintf(r.bucket, sizeof(r.bucket), "dmbucket");
    r.has_remaining = r.has_reset_after = true;
    r.remaining = remaining;
    r.reset_after = reset_after;
    return r;
}

/* Starts every request that rl_wait allows at `now`; returns how many started. */
static int start_all(struct rl *r, char keys[][RL_KEY_MAX], int *nkeys, int want, int64_t now)
{
    int n = 0;
    while (n < want && rl_wait(r, DM, "", false, now) == 0) {
        rl_sent_key(r, DM, "", false, now, keys[*nkeys]);
        (*nkeys)++;
        n++;
    }
    return n;
}

/* 5 per 5 s, responses late and out of order: never more than 5 started per window. */
static void test_inflight_late_responses(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    assert_non_null(r);
    char keys[32][RL_KEY_MAX];
    int nk = 0;
    /* unknown bucket: exactly one goes out */
    assert_int_equal(start_all(r, keys, &nk, 20, 0), 1);
    assert_int_equal(rl_inflight(r, DM, ""), 1);
    struct rl_resp a = ok_resp(4, 5.0);
    rl_done(r, keys[0], DM, "", &a, 300);
    assert_int_equal(start_all(r, keys, &nk, 20, 300), 4); /* the other four of the window */
    assert_true(rl_wait(r, DM, "", false, 301) > 0);
    /* the second request's answer arrives late, saying "3 left" as the server counted
     * when it handled it: three more are already out, so nothing may start */
    struct rl_resp b = ok_resp(3, 4.8);
    rl_done(r, keys[1], DM, "", &b, 900);
    assert_true(rl_wait(r, DM, "", false, 900) > 0);
    struct rl_resp c = ok_resp(0, 4.7);
    rl_done(r, keys[4], DM, "", &c, 1000); /* out of order */
    struct rl_resp d = ok_resp(2, 4.75);
    rl_done(r, keys[2], DM, "", &d, 1100); /* a late, higher count never raises it */
    assert_true(rl_wait(r, DM, "", false, 1100) > 0);
    rl_done(r, keys[3], DM, "", &d, 1200);
    assert_true(rl_wait(r, DM, "", false, 1200) > 0);
    /* the window (5 s from the answers that taught it) passes: one again, to learn */
    int64_t w = rl_wait(r, DM, "", false, 1200);
    assert_int_equal(start_all(r, keys, &nk, 20, 1200 + w), 1);
    assert_int_equal(start_all(r, keys, &nk, 20, 1200 + w + 10), 0);
    rl_free(r);
}

/* A header taken alone would say 4 left; 2 requests still out make it 2. */
static void test_remaining_counts_inflight(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    char keys[8][RL_KEY_MAX];
    rl_sent_key(r, DM, "", false, 0, keys[0]);
    struct rl_resp first = ok_resp(4, 5.0);
    rl_done(r, keys[0], DM, "", &first, 10);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(rl_wait(r, DM, "", false, 20), 0);
        rl_sent_key(r, DM, "", false, 20, keys[i]);
    }
    /* local: 1 left, 3 out; one answer says 3 left (handled before the others) */
    struct rl_resp late = ok_resp(3, 4.9);
    rl_done(r, keys[1], DM, "", &late, 30);
    assert_int_equal(rl_inflight(r, DM, ""), 2);
    assert_int_equal(rl_wait(r, DM, "", false, 30), 0); /* min(1, 3-2) = 1 */
    rl_sent_key(r, DM, "", false, 30, keys[4]);
    assert_true(rl_wait(r, DM, "", false, 31) > 0);
    rl_free(r);
}

/* No HTTP answer between rl_sent_key and the retry: the place in flight is released,
 * so the retry may start (the wedge: an unknown bucket stayed "one in flight"). */
static void test_transport_failure_releases(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    char key[RL_KEY_MAX];
    const char *gb = "GET /gateway/bot";
    for (int attempt = 0; attempt < 5; attempt++) {
        int64_t t = attempt * 1000;
        assert_int_equal(rl_wait(r, gb, "", false, t), 0);
        rl_sent_key(r, gb, "", false, t, key);
        assert_int_equal(rl_inflight(r, gb, ""), 1);
        assert_true(rl_wait(r, gb, "", false, t + 1) > 0); /* unknown: one at a time */
        rl_done(r, key, gb, "", NULL, t + 5);              /* connection refused */
        assert_int_equal(rl_inflight(r, gb, ""), 0);
    }
    assert_int_equal(rl_wait(r, gb, "", false, 6000), 0);
    /* a learned, exhausted bucket keeps what it learned across a failure */
    const char *R = "POST /channels/{id}/messages";
    rl_sent_key(r, R, "channels/1", false, 7000, key);
    struct rl_resp last = ok_resp(0, 2.0);
    snprintf(last.bucket, sizeof(last.bucket), "msg");
    rl_done(r, key, R, "channels/1", &last, 7100);
    assert_int_equal(rl_wait(r, R, "channels/1", false, 7100), 2000);
    rl_sent_key(r, R, "channels/1", false, 9100, key);
    rl_done(r, key, R, "channels/1", NULL, 9200); /* reset, no answer */
    assert_int_equal(rl_inflight(r, R, "channels/1"), 0);
    assert_int_equal(rl_wait(r, R, "channels/1", false, 9200), 0);
    /* a key from before the bucket was learned is still released where it was held */
    const char *P = "PATCH /channels/{id}/messages/{id}";
    char k1[RL_KEY_MAX], k2[RL_KEY_MAX];
    rl_sent_key(r, P, "channels/5", false, 10000, k1);
    rl_sent_key(r, P, "channels/6", false, 10000, k2);
    struct rl_resp pb = ok_resp(4, 5.0);
    snprintf(pb.bucket, sizeof(pb.bucket), "patch");
    rl_done(r, k1, P, "channels/5", &pb, 10100); /* route now maps to bucket "patch" */
    rl_done(r, k2, P, "channels/6", NULL, 10200);
    assert_int_equal(rl_wait(r, P, "channels/6", false, 10200), 0);
    rl_free(r);
}

static void test_invalid_window_and_shared(void **state)
{
    (void)state;
    struct rl *r = rl_new();
    char key[RL_KEY_MAX];
    const char *R = "POST /channels/{id}/messages";
    struct rl_resp shared;
    memset(&shared, 0, sizeof(shared));
    shared.status = 429;
    shared.shared = true;
    shared.retry_after = 0.5;
    rl_sent_key(r, R, "channels/1", false, 0, key);
    rl_done(r, key, R, "channels/1", &shared, 10);
    assert_int_equal(rl_invalid_count(r, 10), 0); /* shared scope: not counted */
    assert_int_equal(rl_wait(r, R, "channels/1", false, 10), 500);
    struct rl_resp denied;
    memset(&denied, 0, sizeof(denied));
    denied.status = 403;
    int64_t t = 1000;
    for (int i = 0; i < RL_INVALID_SLOW; i++, t += 100) {
        rl_sent_key(r, R, "channels/2", false, t, key);
        rl_done(r, key, R, "channels/2", &denied, t);
    }
    assert_int_equal(rl_invalid_count(r, t), RL_INVALID_SLOW);
    /* slowed: the next request waits for the gap, interaction answers do not */
    rl_sent_key(r, R, "channels/3", false, t, key);
    assert_int_equal(rl_wait(r, R, "channels/4", false, t), 1000 / RL_SLOW_PER_S);
    assert_int_equal(
        rl_wait(r, "POST /interactions/{id}/{token}/callback", "interactions/9", true, t), 0);
    /* ten minutes later the window has forgotten them */
    assert_int_equal(rl_invalid_count(r, t + RL_INVALID_WINDOW_MS + 10000), 0);
    assert_int_equal(rl_wait(r, R, "channels/4", false, t + RL_INVALID_WINDOW_MS + 10000), 0);
    rl_free(r);
}

static void test_long_interaction_token(void **state)
{
    (void)state;
    char tok[301], path[400], route[RL_ROUTE_MAX], major[RL_MAJOR_MAX];
    for (int i = 0; i < 300; i++)
        tok[i] = "aA0_-."[i % 6];
    tok[300] = '\0';
    snprintf(path, sizeof(path), "/webhooks/800000000000000001/%s/messages/@original", tok);
    assert_int_equal(rl_route("PATCH", path, route, sizeof(route), major, sizeof(major)), 0);
    assert_string_equal(route, "PATCH /webhooks/{id}/{token}/messages/@original");
    assert_int_equal(strncmp(major, "webhooks/800000000000000001/~", 29), 0);
    assert_int_equal(strlen(major), 29 + 16);
    assert_null(strstr(major, "aA0_"));
    snprintf(path, sizeof(path), "/interactions/1300000000000000001/%s/callback", tok);
    assert_int_equal(rl_route("POST", path, route, sizeof(route), major, sizeof(major)), 0);
    assert_string_equal(major, "interactions/1300000000000000001");
    /* two tokens, two states */
    char m2[RL_MAJOR_MAX];
    tok[0] = 'z';
    snprintf(path, sizeof(path), "/webhooks/800000000000000001/%s/messages/@original", tok);
    rl_route("PATCH", path, route, sizeof(route), m2, sizeof(m2));
    snprintf(path, sizeof(path), "/webhooks/800000000000000001/%s/messages/@original", tok);
    assert_string_not_equal(major, m2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflight_late_responses),
        cmocka_unit_test(test_remaining_counts_inflight),
        cmocka_unit_test(test_transport_failure_releases),
        cmocka_unit_test(test_invalid_window_and_shared),
        cmocka_unit_test(test_long_interaction_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
