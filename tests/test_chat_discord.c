/* test_chat_discord.c - the Discord struct chat over the real REST worker against
 * tests/fakediscord: post with nonce (Discord drops the duplicate), DM channel
 * caching, defer then edit @original, channel creation into the guild cache,
 * multipart upload; plus the pure helpers of events (shard filter, command hash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/app.h"
#include "bot/discord/chat_discord.h"
#include "bot/err.h"
#include "bot/discord/events.h"
#include "bot/guilds.h"
#include "bot/discord/rest.h"
#include "commands/interaction.h"
#include "e2e.h"

struct got {
    int calls, rc;
    char id[32];
};

static void on_done(void *arg, const struct chat_result *r)
{
    struct got *g = arg;
    g->calls++;
    g->rc = r->rc;
    snprintf(g->id, sizeof(g->id), "%s", r->id ? r->id : "");
}

static void pump(struct rest *r, int want_pending, int ms)
{
    for (int i = 0; i < ms / 5 && rest_pending(r) > want_pending; i++) {
        rest_drain(r);
        usleep(5000);
    }
    rest_drain(r);
}

static void test_chat_over_fake(void **state)
{
    (void)state;
    struct e2e e;
    e2e_start_fake(&e, NULL);
    char base[80];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/api/v10", e.port);
    struct rest_opts ro = {.api_base = base,
                           .token = "test-token-not-real-0000",
                           .user_agent = "DiscordBot (https://example.invalid, 0.1.0)"};
    struct rest *rest = rest_new(&ro);
    assert_non_null(rest);
    struct app app = {0};
    app.guilds = guilds_new();
    struct chat_discord *cd = chat_discord_new(&app, rest);
    chat_discord_install(cd, &app);
    struct message m;
    msg_init(&m);
    msg_set_content(&m, "Day 3 prompt");
    /* the same nonce twice: Discord returns the first message again */
    struct got a = {0}, b = {0};
    assert_int_equal(
        app.chat.ops->post(app.chat.impl, "1100000000000000001", &m, "daily-3", on_done, &a), 0);
    pump(rest, 0, 3000);
    assert_int_equal(
        app.chat.ops->post(app.chat.impl, "1100000000000000001", &m, "daily-3", on_done, &b), 0);
    pump(rest, 0, 3000);
    assert_int_equal(a.rc, 0);
    assert_string_equal(a.id, b.id);
    assert_int_equal(app.chat.ops->post(app.chat.impl, "not-an-id", &m, NULL, on_done, &a),
                     BOT_EINVAL);
    /* two DMs to one user open the DM channel once */
    struct got d1 = {0}, d2 = {0};
    app.chat.ops->dm(app.chat.impl, "42", &m, NULL, on_done, &d1);
    pump(rest, 0, 3000);
    app.chat.ops->dm(app.chat.impl, "42", &m, NULL, on_done, &d2);
    pump(rest, 0, 3000);
    assert_int_equal(d1.calls + d2.calls, 2);
    assert_int_equal(d2.rc, 0);
    /* defer (type 5), then the answer edits @original */
    struct interaction ix = {.type = IX_COMMAND,
                             .id = "1500000000000000009",
                             .application_id = "800000000000000001",
                             .token = "tok-9"};
    assert_int_equal(app.chat.ops->defer(app.chat.impl, &ix), 0);
    assert_true(ix.deferred);
    assert_int_equal(app.chat.ops->reply(app.chat.impl, &ix, &m), 0);
    /* a channel, and a file as multipart */
    struct got ch = {0}, up = {0};
    app.chat.ops->create_channel(app.chat.impl, "1000000000000000001", "week-2", 0, NULL, "Week 2",
                                 on_done, &ch);
    msg_set_file(&m, "notes.txt", "hello\n", 6);
    app.chat.ops->post(app.chat.impl, "1100000000000000001", &m, NULL, on_done, &up);
    pump(rest, 0, 3000);
    assert_int_equal(ch.rc, 0);
    char wk[GUILDS_ID_LEN];
    assert_true(guilds_week_channel(app.guilds, "1000000000000000001", 2, wk));
    assert_string_equal(wk, ch.id);
    assert_int_equal(up.rc, 0);
    json_t *log = e2e_log(&e);
    assert_int_equal(e2e_count_rest(log, "POST", "/users/@me/channels", 200), 1);
    assert_int_equal(e2e_count_rest(log, "POST", "/interactions/1500000000000000009/", 204), 1);
    assert_int_equal(e2e_count_rest(log, "PATCH", "/webhooks/800000000000000001/tok-9/", 200), 1);
    json_t *cb = e2e_nth_rest(log, "POST", "/interactions/1500000000000000009/", 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cb, "body"), "type")), 5);
    json_t *last = e2e_nth_rest(log, "POST", "/channels/", 4); /* 2 posts, 2 DMs, upload */
    assert_true(json_is_true(json_object_get(last, "multipart")));
    json_t *first = e2e_nth_rest(log, "POST", "/channels/", 0);
    assert_true(json_is_true(json_object_get(json_object_get(first, "body"), "enforce_nonce")));
    json_decref(log);
    msg_free(&m);
    rest_free(rest);
    chat_discord_free(cd);
    guilds_free(app.guilds);
    e2e_finish(&e);
}

static void test_event_helpers(void **state)
{
    (void)state;
    const struct {
        const char *gid;
        int id, count;
        bool ours;
    } t[] = {
        {"", 1, 2, true}, /* DMs: shard 0 is fine, no guild to filter */
        {"175928847299117063", 0, 1, true},
        {"175928847299117063", 0, 2, (175928847299117063ULL >> 22) % 2 == 0},
        {"175928847299117063", 1, 2, (175928847299117063ULL >> 22) % 2 == 1},
        {"41771983423143937", 3, 4, (41771983423143937ULL >> 22) % 4 == 3},
        {"12x", 0, 2, false},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(events_guild_is_ours(t[i].gid, t[i].id, t[i].count), t[i].ours);
    char h1[17], h2[17], h3[17];
    json_t *a = json_loads("[{\"name\":\"help\",\"description\":\"d\"}]", 0, NULL);
    json_t *b = json_loads("[{\"description\":\"d\",\"name\":\"help\"}]", 0, NULL);
    json_t *c = json_loads("[{\"description\":\"e\",\"name\":\"help\"}]", 0, NULL);
    assert_int_equal(events_commands_hash(a, h1), 0);
    events_commands_hash(b, h2);
    events_commands_hash(c, h3);
    assert_string_equal(h1, h2); /* key order does not matter */
    assert_string_not_equal(h1, h3);
    assert_int_equal(strlen(h1), 16);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_helpers),
        cmocka_unit_test(test_chat_over_fake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
