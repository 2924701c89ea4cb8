/* test_gw_select.c - the selective GUILD_CREATE read (gateway.h gw_select_guild): the
 * kept keys equal what a full jansson parse gives, dropped keys are gone, escapes and
 * non-ASCII names, voice channels, odd elements, and malformed payloads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/discord/gateway.h"
#include "bot/guilds.h"

#include <stdlib.h>
#include <string.h>

static const char *guild =
    "{\"id\":\"1000000000000000001\",\"name\":\"Caf\\u00e9 \\\"cohort\\\"\",\"unavailable\":false,"
    "\"member_count\":120,\"owner_id\":\"42\",\"roles\":[{\"id\":\"1\",\"name\":\"x\"}],"
    "\"members\":[{\"user\":{\"id\":\"5\"}}],\"emojis\":[],\"large\":true,"
    "\"voice_states\":[{\"user_id\":\"7\",\"channel_id\":\"13\",\"self_mute\":false}],"
    "\"guild_scheduled_events\":[{\"id\":\"99\",\"name\":\"Study hall\",\"status\":1}],"
    "\"channels\":[{\"id\":\"11\",\"type\":4,\"name\":\"Cohort\",\"position\":0,"
    "\"permission_overwrites\":[{\"id\":\"1\",\"type\":0,\"allow\":\"1024\",\"deny\":\"0\"}]},"
    "{\"id\":\"12\",\"type\":0,\"name\":\"week-1\",\"parent_id\":\"11\",\"topic\":\"a } ] \\\" "
    "tricky topic\",\"nsfw\":false,\"rate_limit_per_user\":0.5},"
    "{\"id\":\"13\",\"type\":2,\"name\":\"Lounge 🎧\",\"parent_id\":null,\"bitrate\":64000},"
    "42,\"x\",null,[1,2],"
    "{\"id\":\"14\",\"type\":0,\"name\":\"week\\u002d2\"}]}";

static bool same(json_t *a, json_t *b)
{
    return (!a && !b) || json_equal(a, b);
}

static void test_kept_equals_full_parse(void **state)
{
    (void)state;
    json_t *full = json_loads(guild, 0, NULL);
    assert_non_null(full);
    struct gw_chans c = {0};
    json_t *sel = gw_select_guild(guild, strlen(guild), &c);
    assert_non_null(sel);
    const char *keys[] = {"id",       "name",         "unavailable",           "member_count",
                          "owner_id", "voice_states", "guild_scheduled_events"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        assert_true(same(json_object_get(full, keys[i]), json_object_get(sel, keys[i])));
    assert_string_equal(json_string_value(json_object_get(sel, "name")), "Café \"cohort\"");
    assert_null(json_object_get(sel, "roles"));
    assert_null(json_object_get(sel, "members"));
    assert_null(json_object_get(sel, "large"));
    assert_null(json_object_get(sel, "channels")); /* they went to the sink */
    assert_int_equal(c.n, 4);                      /* the non-object elements are skipped */
    json_t *fch = json_object_get(full, "channels");
    const size_t fidx[] = {0, 1, 2, 7};
    for (size_t i = 0; i < 4; i++) {
        json_t *b = json_array_get(fch, fidx[i]);
        assert_string_equal(c.v[i].id, json_string_value(json_object_get(b, "id")));
        assert_string_equal(c.v[i].name, json_string_value(json_object_get(b, "name")));
        assert_int_equal(c.v[i].type, json_integer_value(json_object_get(b, "type")));
    }
    assert_string_equal(c.v[3].name, "week-2"); /* an escape, decoded */
    assert_string_equal(c.v[2].name, "Lounge 🎧");
    /* the cache built from it: voice channel kept, week channels found */
    struct guilds *g = guilds_new();
    assert_int_equal(guilds_load(g, sel, c.v, c.n), 1);
    assert_int_equal(guilds_channel_count(g), 4);
    assert_int_equal(guilds_channel_type(g, "1000000000000000001", "13"), 2);
    char id[GUILDS_ID_LEN];
    assert_true(guilds_week_channel(g, "1000000000000000001", 1, id));
    assert_string_equal(id, "12");
    assert_true(guilds_week_channel(g, "1000000000000000001", 2, id));
    assert_string_equal(id, "14");
    guilds_free(g);
    json_decref(sel);
    /* the sink is reused: a second read replaces the first */
    const char *two = "{\"id\":\"5\",\"channels\":[{\"name\":\"a\",\"type\":0,\"id\":\"6\"},"
                      "{\"id\":\"7\",\"name\":\"\xff\",\"type\":0},"
                      "{\"id\":\"8\",\"name\":\"b\",\"type\":-1},"
                      "{\"id\":\"9\",\"name\":\"c\",\"type\":\"0\"}]}";
    sel = gw_select_guild(two, strlen(two), &c);
    assert_non_null(sel);
    assert_int_equal(c.n, 1); /* invalid UTF-8, a negative and a string type are not kept */
    assert_string_equal(c.v[0].id, "6");
    assert_string_equal(c.v[0].name, "a");
    json_decref(sel);
    gw_chans_free(&c);
    json_decref(full);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *good[] = {
        "", "abc", "Caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8e\xa7", "\xf4\x8f\xbf\xbf"};
    const char *bad[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                         "\xff",     "\xc3",         "\xe2\x82",     "\x80"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(gw_utf8_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (gw_utf8_valid(bad[i], strlen(bad[i])))
            fail_msg("accepted bad UTF-8 case %zu", i);
}

static void test_malformed(void **state)
{
    (void)state;
    struct gw_chans c = {0};
    const char *bad[] = {
        "",
        "[]",
        "{",
        "{\"id\":}",
        "{\"id\":\"1\",}",
        "{\"id\":\"1\"} x",
        "{\"channels\":[{\"id\":\"1\"},]}",
        "{\"channels\":[{\"id\":\"1\" \"name\":\"x\"}]}",
        "{\"channels\":[{\"id\":\"1\"}}",
        "{\"name\":\"unterminated}",
        "{\"channels\":[[[[[[",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *j = gw_select_guild(bad[i], strlen(bad[i]), &c);
        if (j)
            fail_msg("accepted: %s", bad[i]);
    }
    json_t *e = gw_select_guild(" {} ", 4, &c);
    assert_non_null(e);
    assert_int_equal(json_object_size(e), 0);
    json_decref(e);
    /* a channel list that is not an array is kept as is (the cache ignores it) */
    const char *nc = "{\"id\":\"1\",\"channels\":\"no\"}";
    json_t *s = gw_select_guild(nc, strlen(nc), &c);
    assert_string_equal(json_string_value(json_object_get(s, "channels")), "no");
    json_decref(s);
    gw_chans_free(&c);
}

/* The fast envelope scan agrees with the strict one on Discord's key order and never
 * reads past the payload; d after other keys is walked as before. */
static void test_fast_envelope(void **state)
{
    (void)state;
    const char *ok[] = {
        "{\"t\":\"MESSAGE_CREATE\",\"s\":7,\"op\":0,\"d\":{\"id\":\"1\",\"x\":\"}\"}}",
        "{\"t\":\"X\",\"s\":7,\"op\":0,\"d\":[1,2] } \n",
        "{\"op\":0,\"d\":{\"a\":1},\"s\":2,\"t\":\"Y\"}",
        "{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}",
        "{\"t\":null,\"s\":null,\"op\":9,\"d\":true}",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct gw_env a, b;
        assert_int_equal(gw_scan_envelope(ok[i], strlen(ok[i]), &a), 0);
        assert_int_equal(gw_scan_envelope_fast(ok[i], strlen(ok[i]), &b), 0);
        assert_int_equal(a.op, b.op);
        assert_int_equal(a.has_s, b.has_s);
        assert_int_equal(a.s, b.s);
        assert_string_equal(a.t, b.t);
        assert_int_equal(a.d_off, b.d_off);
        assert_int_equal(a.d_len, b.d_len);
    }
    /* d is not last: the fast guess includes the tail, marked unchecked; the strict scan
     * (what gw_on_frame falls back to when d does not parse) finds the real d */
    const char *odd = "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":1},\"z\":2}";
    struct gw_env f, st;
    assert_int_equal(gw_scan_envelope_fast(odd, strlen(odd), &f), 0);
    assert_true(f.d_unchecked);
    assert_int_equal(gw_scan_envelope(odd, strlen(odd), &st), 0);
    assert_false(st.d_unchecked);
    assert_int_equal(st.d_len, 7);
    /* broken d: fast accepts the head, strict refuses the frame */
    const char *bad = "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{\"a\":\"}";
    assert_int_equal(gw_scan_envelope_fast(bad, strlen(bad), &f), 0);
    assert_true(gw_scan_envelope(bad, strlen(bad), &st) < 0);
    const char *cut = "{\"t\":\"X\",\"s\":1,\"op\":0,\"d\":{";
    assert_true(gw_scan_envelope_fast(cut, strlen(cut), &f) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_equals_full_parse),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_fast_envelope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
