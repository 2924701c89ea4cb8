/* test_guilds.c - week-channel name matching, the guild/channel cache driven by gateway
 * events (create, rename, delete, outage vs removal, malformed data) and a large
 * cache (10,000 guilds x 20 channels) that stays correct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/idmap.h"

#define G1 "1100000000000000001"
#define G2 "1100000000000000002"

static void test_week_names(void **state)
{
    (void)state;
    const struct {
        const char *name;
        int week;
    } t[] = {
        {"week-1", 1},
        {"week-01", 1},
        {"week1", 1},
        {"Week-01-data-modeling", 1},
        {"WEEK_3", 3},
        {"week 4", 4},
        {"week_12_spark", 12},
        {"week-99", 99},
        {"week-099", 99},
        {"weekly", 0},
        {"week-", 0},
        {"week", 0},
        {"week-100", 0},
        {"week-1000", 0},
        {"week-0", 0},
        {"week-00", 0},
        {"week--1", 0},
        {"week-1a", 0},
        {"week-01x", 0},
        {"weeks-1", 0},
        {"my-week-1", 0},
        {"general", 0},
        {"", 0},
        {NULL, 0},
        {"week-7.5", 0},
        {"week-\xd9\xa3", 0}, /* Arabic-Indic digit: not a week */
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int got = guilds_week_of_name(t[i].name);
        if (got != t[i].week)
            fail_msg("\"%s\": week %d, want %d", t[i].name ? t[i].name : "(null)", got, t[i].week);
    }
}

/* The id lookups copy into a buffer; these give them back as strings (or NULL) for
 * assert_string_equal, from a small ring so two may be compared in one call. */
static const char *ring(bool ok, const char *v)
{
    static char r[4][GUILDS_ID_LEN];
    static int k;
    if (!ok)
        return NULL;
    k = (k + 1) % 4;
    snprintf(r[k], sizeof(r[k]), "%s", v);
    return r[k];
}

static const char *week_ch(const struct guilds *g, const char *gid, int w)
{
    char out[GUILDS_ID_LEN];
    bool ok = guilds_week_channel(g, gid, w, out);
    return ring(ok, out);
}

static const char *by_name(const struct guilds *g, const char *gid, const char *name)
{
    char out[GUILDS_ID_LEN];
    bool ok = guilds_find_by_name(g, gid, name, out);
    return ring(ok, out);
}

static const char *guild_of(const struct guilds *g, const char *cid)
{
    char out[GUILDS_ID_LEN];
    bool ok = guilds_channel_guild(g, cid, out);
    return ring(ok, out);
}

static json_t *load(const char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    if (!j)
        fail_msg("test JSON: %s", je.text);
    return j;
}

static int apply(struct guilds *g, const char *t, const char *d)
{
    json_t *j = load(d);
    int rc = guilds_apply_event(g, t, j);
    json_decref(j);
    return rc;
}

static void test_events(void **state)
{
    (void)state;
    struct guilds *g = guilds_new();
    assert_non_null(g);
    assert_int_equal(apply(g, "GUILD_CREATE",
                           "{\"id\":\"" G1 "\",\"name\":\"Cohort\",\"channels\":["
                           "{\"id\":\"1200000000000000010\",\"name\":\"general\",\"type\":0},"
                           "{\"id\":\"1200000000000000011\",\"name\":\"week-01\",\"type\":0},"
                           "{\"id\":\"1200000000000000012\",\"name\":\"Week-02-sql\",\"type\":0,"
                           "\"parent_id\":\"1200000000000000099\"},"
                           "{\"id\":\"1200000000000000013\",\"name\":\"week-03\",\"type\":2},"
                           "{\"id\":\"1200000000000000014\",\"name\":\"week-03\",\"type\":5},"
                           "{\"id\":\"1200000000000000099\",\"name\":\"Weeks\",\"type\":4}]}"),
                     1);
    assert_true(guilds_known(g, G1));
    assert_int_equal(guilds_count(g), 1);
    assert_int_equal(guilds_channel_count(g), 6);
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000011");
    assert_string_equal(week_ch(g, G1, 2), "1200000000000000012");
    /* a voice channel named week-03 does not count; the announcement channel does */
    assert_string_equal(week_ch(g, G1, 3), "1200000000000000014");
    assert_null(week_ch(g, G1, 4));
    assert_null(week_ch(g, G1, 0));
    assert_string_equal(guilds_channel_name(g, G1, "1200000000000000012"), "Week-02-sql");
    assert_string_equal(guild_of(g, "1200000000000000012"), G1);
    assert_string_equal(by_name(g, G1, "GENERAL"), "1200000000000000010");
    assert_null(by_name(g, G2, "general"));

    /* a second channel for week 1 with a lower id wins the tie */
    assert_int_equal(apply(g, "CHANNEL_CREATE",
                           "{\"id\":\"1200000000000000005\",\"guild_id\":\"" G1
                           "\",\"name\":\"week1\",\"type\":0}"),
                     1);
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000005");
    /* rename away from a week, and a rename into one */
    assert_int_equal(apply(g, "CHANNEL_UPDATE",
                           "{\"id\":\"1200000000000000005\",\"guild_id\":\"" G1
                           "\",\"name\":\"archive\",\"type\":0}"),
                     1);
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000011");
    assert_string_equal(guilds_channel_name(g, G1, "1200000000000000005"), "archive");
    assert_int_equal(apply(g, "CHANNEL_UPDATE",
                           "{\"id\":\"1200000000000000010\",\"guild_id\":\"" G1
                           "\",\"name\":\"week-04\",\"type\":0}"),
                     1);
    assert_string_equal(week_ch(g, G1, 4), "1200000000000000010");
    assert_null(by_name(g, G1, "general"));
    assert_int_equal(guilds_channel_count(g), 7);
    /* delete */
    assert_int_equal(apply(g, "CHANNEL_DELETE",
                           "{\"id\":\"1200000000000000011\",\"guild_id\":\"" G1 "\",\"type\":0}"),
                     1);
    assert_null(week_ch(g, G1, 1));
    assert_null(guilds_channel_name(g, G1, "1200000000000000011"));
    assert_int_equal(apply(g, "CHANNEL_DELETE", "{\"id\":\"1200000000000000011\"}"), 0);
    assert_int_equal(guilds_channel_count(g), 6);

    /* a fresh GUILD_CREATE (after a reconnect) replaces the channel list */
    assert_int_equal(apply(g, "GUILD_CREATE",
                           "{\"id\":\"" G1 "\",\"name\":\"Cohort\",\"channels\":["
                           "{\"id\":\"1200000000000000020\",\"name\":\"week-01\",\"type\":0}]}"),
                     1);
    assert_int_equal(guilds_channel_count(g), 1);
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000020");
    assert_null(guilds_channel_name(g, G1, "1200000000000000010"));

    /* outage: GUILD_DELETE with unavailable keeps everything */
    assert_int_equal(apply(g, "GUILD_DELETE", "{\"id\":\"" G1 "\",\"unavailable\":true}"), 0);
    assert_true(guilds_known(g, G1));
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000020");
    /* an unavailable guild in GUILD_CREATE is known but has no channels yet */
    assert_int_equal(apply(g, "GUILD_CREATE", "{\"id\":\"" G2 "\",\"unavailable\":true}"), 1);
    assert_true(guilds_known(g, G2));
    assert_null(week_ch(g, G2, 1));
    /* removal (kicked / left): everything of that guild goes */
    assert_int_equal(apply(g, "GUILD_DELETE", "{\"id\":\"" G1 "\"}"), 1);
    assert_false(guilds_known(g, G1));
    assert_null(guilds_channel_name(g, G1, "1200000000000000020"));
    assert_int_equal(guilds_channel_count(g), 0);
    assert_int_equal(guilds_count(g), 1);
    assert_int_equal(apply(g, "GUILD_DELETE", "{\"id\":\"" G1 "\"}"), 0);
    guilds_free(g);
    guilds_free(NULL);
}

static void test_malformed_events(void **state)
{
    (void)state;
    struct guilds *g = guilds_new();
    apply(g, "GUILD_CREATE",
          "{\"id\":\"" G1 "\",\"channels\":[{\"id\":\"1200000000000000011\",\"name\":\"week-01\","
          "\"type\":0}]}");
    const struct {
        const char *t, *d;
    } t[] = {
        {"GUILD_CREATE", "{}"},
        {"GUILD_CREATE", "{\"id\":\"not-a-snowflake\",\"channels\":[]}"},
        {"GUILD_CREATE", "{\"id\":5}"},
        {"GUILD_CREATE", "{\"id\":\"0\"}"},
        {"GUILD_CREATE", "{\"id\":\"99999999999999999999999\"}"},
        {"CHANNEL_CREATE", "{\"id\":\"1200000000000000050\",\"name\":\"week-05\",\"type\":0}"},
        {"CHANNEL_CREATE", "{\"id\":\"1200000000000000050\",\"guild_id\":\"" G1 "\",\"type\":0}"},
        {"CHANNEL_CREATE",
         "{\"id\":\"1200000000000000050\",\"guild_id\":\"" G1 "\",\"name\":\"week-05\"}"},
        {"CHANNEL_CREATE",
         "{\"id\":\"1200000000000000050\",\"guild_id\":\"" G1 "\",\"name\":7,\"type\":0}"},
        {"CHANNEL_CREATE",
         "{\"id\":\"x\",\"guild_id\":\"" G1 "\",\"name\":\"week-05\",\"type\":0}"},
        {"CHANNEL_CREATE",
         "{\"id\":\"1200000000000000050\",\"guild_id\":\"" G1 "\",\"name\":\"week-05\","
         "\"type\":\"0\"}"},
        {"CHANNEL_UPDATE", "[]"},
        {"CHANNEL_DELETE", "{\"id\":null}"},
        {"CHANNEL_DELETE", "{}"},
        {"GUILD_DELETE", "{\"id\":[1]}"},
        {"MESSAGE_CREATE", "{\"id\":\"1\"}"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (apply(g, t[i].t, t[i].d) != 0)
            fail_msg("case %zu (%s %s) changed the cache", i, t[i].t, t[i].d);
        assert_int_equal(guilds_channel_count(g), 1);
        assert_string_equal(week_ch(g, G1, 1), "1200000000000000011");
        assert_null(week_ch(g, G1, 5));
    }
    assert_int_equal(guilds_count(g), 1);
    assert_int_equal(guilds_apply_event(g, NULL, NULL), 0);
    json_t *arr = json_array();
    assert_int_equal(guilds_apply_event(g, "GUILD_CREATE", arr), 0);
    json_decref(arr);
    /* a GUILD_CREATE with a broken channel keeps the good ones */
    assert_int_equal(apply(g, "GUILD_CREATE",
                           "{\"id\":\"" G2 "\",\"channels\":[{\"id\":\"1\"},7,null,"
                           "{\"id\":\"1300000000000000001\",\"name\":\"week-2\",\"type\":0}]}"),
                     1);
    assert_string_equal(week_ch(g, G2, 2), "1300000000000000001");
    assert_int_equal(guilds_channel_count(g), 2);
    guilds_free(g);
}

static void test_many_guilds(void **state)
{
    (void)state;
    enum { NG = 10000, NC = 20 };
    struct guilds *g = guilds_new();
    clock_t t0 = clock();
    for (int i = 0; i < NG; i++) {
        json_t *chans = json_array();
        for (int c = 0; c < NC; c++) {
            char id[24], name[32];
            snprintf(id, sizeof(id), "%llu",
                     1500000000000000000ULL + (unsigned long long)i * NC + c);
            if (c < 12)
                snprintf(name, sizeof(name), "week-%02d", c + 1);
            else
                snprintf(name, sizeof(name), "topic-%d", c);
            json_array_append_new(chans,
                                  json_pack("{s:s,s:s,s:i}", "id", id, "name", name, "type", 0));
        }
        char gid[24];
        snprintf(gid, sizeof(gid), "%llu", 1400000000000000000ULL + (unsigned long long)i);
        json_t *d = json_pack("{s:s,s:s,s:o}", "id", gid, "name", "g", "channels", chans);
        assert_int_equal(guilds_apply_event(g, "GUILD_CREATE", d), 1);
        json_decref(d);
    }
    double load_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(guilds_count(g), NG);
    assert_int_equal(guilds_channel_count(g), NG * NC);
    /* delete every third guild's week-05 and rename week-06 -> week-13 in others */
    for (int i = 0; i < NG; i++) {
        char id[24], gid[24];
        snprintf(gid, sizeof(gid), "%llu", 1400000000000000000ULL + (unsigned long long)i);
        if (i % 3 == 0) {
            snprintf(id, sizeof(id), "%llu",
                     1500000000000000000ULL + (unsigned long long)i * NC + 4);
            assert_int_equal(guilds_channel_remove(g, gid, id), 0);
        } else {
            snprintf(id, sizeof(id), "%llu",
                     1500000000000000000ULL + (unsigned long long)i * NC + 5);
            assert_int_equal(guilds_channel_upsert(g, gid, id, "week-13", 0), 0);
        }
    }
    /* every 100th guild removed entirely */
    for (int i = 0; i < NG; i += 100) {
        char gid[24];
        snprintf(gid, sizeof(gid), "%llu", 1400000000000000000ULL + (unsigned long long)i);
        assert_int_equal(guilds_remove(g, gid), 0);
    }
    t0 = clock();
    size_t lookups = 0;
    for (int i = 0; i < NG; i++) {
        char gid[24], want[24];
        snprintf(gid, sizeof(gid), "%llu", 1400000000000000000ULL + (unsigned long long)i);
        if (i % 100 == 0) {
            assert_false(guilds_known(g, gid));
            assert_null(week_ch(g, gid, 1));
            continue;
        }
        for (int w = 1; w <= 14; w++, lookups++) {
            const char *got = week_ch(g, gid, w);
            int c = -1;
            if (w <= 12)
                c = w - 1;
            if (w == 5 && i % 3 == 0)
                c = -1;
            if (w == 6 && i % 3 != 0)
                c = -1;
            if (w == 13 && i % 3 != 0)
                c = 5;
            if (c < 0) {
                if (got)
                    fail_msg("guild %d week %d: %s, want none", i, w, got);
                continue;
            }
            snprintf(want, sizeof(want), "%llu",
                     1500000000000000000ULL + (unsigned long long)i * NC + (unsigned long long)c);
            if (!got || strcmp(got, want) != 0)
                fail_msg("guild %d week %d: %s, want %s", i, w, got ? got : "none", want);
            assert_true(guilds_channel_in(g, gid, got));
        }
    }
    double lookup_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    int kept = NG - NG / 100;
    int expect = 0;
    for (int i = 0; i < NG; i++)
        if (i % 100 != 0)
            expect += NC - (i % 3 == 0 ? 1 : 0);
    assert_int_equal(guilds_count(g), kept);
    assert_int_equal(guilds_channel_count(g), expect);
    print_message("10,000 guilds x 20 channels: load %.3f s, %zu week lookups %.3f s\n", load_s,
                  lookups, lookup_s);
    guilds_free(g);
}

/* guilds_load (the gateway's selective read): unsorted and repeated ids, channels
 * without an id or a name, a GUILD_UPDATE rename; renames and deletes do not grow the
 * name arena without bound (it is compacted). */
static void test_load_and_churn(void **state)
{
    (void)state;
    struct guilds *g = guilds_new();
    json_t *d = json_pack("{s:s,s:s}", "id", G1, "name", "Cohort");
    const struct guild_chan ch[] = {
        {"1200000000000000030", "week-03", 0},
        {"1200000000000000010", "week-01", 0},
        {"1200000000000000020", "Lounge", 2},
        {"1200000000000000010", "dup", 0},
        {NULL, "no-id", 0},
        {"1200000000000000040", NULL, 0},
        {"bad", "x", 0},
        {"1200000000000000001", "General", 0},
    };
    assert_int_equal(guilds_load(g, d, ch, sizeof(ch) / sizeof(ch[0])), 1);
    assert_int_equal(guilds_channel_count(g), 4);
    assert_string_equal(week_ch(g, G1, 1), "1200000000000000010");
    assert_string_equal(guilds_channel_name(g, G1, "1200000000000000010"), "week-01");
    assert_int_equal(guilds_channel_type(g, G1, "1200000000000000020"), 2);
    assert_int_equal(guilds_channel_type(g, G2, "1200000000000000020"), -1);
    assert_false(guilds_channel_in(g, G2, "1200000000000000020"));
    assert_string_equal(by_name(g, G1, "general"), "1200000000000000001");
    assert_string_equal(guild_of(g, "1200000000000000030"), G1);
    assert_null(guild_of(g, "1200000000000000031"));
    /* GUILD_UPDATE of a known guild renames it; of an unknown one adds nothing */
    assert_int_equal(apply(g, "GUILD_UPDATE", "{\"id\":\"" G1 "\",\"name\":\"New\"}"), 1);
    assert_int_equal(apply(g, "GUILD_UPDATE", "{\"id\":\"" G2 "\",\"name\":\"X\"}"), 0);
    assert_false(guilds_known(g, G2));
    size_t before = guilds_bytes(g);
    char name[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "renamed-channel-number-%d", i);
        assert_int_equal(guilds_channel_upsert(g, G1, "1200000000000000030", name, 0), 0);
        assert_string_equal(guilds_channel_name(g, G1, "1200000000000000030"), name);
        assert_int_equal(guilds_channel_upsert(g, G1, "1200000000000000050", "temp", 0), 0);
        assert_int_equal(guilds_channel_remove(g, G1, "1200000000000000050"), 0);
    }
    assert_string_equal(guilds_channel_name(g, G1, "1200000000000000010"), "week-01");
    assert_string_equal(by_name(g, G1, "Lounge"), "1200000000000000020");
    assert_int_equal(guilds_channel_count(g), 4);
    assert_true(guilds_bytes(g) < before + 2048); /* compacted, not 5,000 names kept */
    assert_int_equal(guilds_channel_remove(g, G2, "1200000000000000010"), BOT_ENOTFOUND);
    /* an unavailable guild keeps its channels */
    json_t *u = json_pack("{s:s,s:b}", "id", G1, "unavailable", 1);
    assert_int_equal(guilds_load(g, u, NULL, 0), 1);
    assert_int_equal(guilds_channel_count(g), 4);
    /* an empty list empties it */
    assert_int_equal(guilds_load(g, d, NULL, 0), 1);
    assert_int_equal(guilds_channel_count(g), 0);
    json_decref(u);
    json_decref(d);
    guilds_free(g);
}

static void test_idmap(void **state)
{
    (void)state;
    struct idmap m;
    idmap_init(&m);
    assert_int_equal(idmap_put(&m, 0, &m), -2);
    assert_int_equal(idmap_put(&m, UINT64_MAX, &m), -2);
    assert_null(idmap_get(&m, 5));
    assert_null(idmap_del(&m, 5));
    /* churn: insert, delete, re-insert many times (tombstones must not fill the table) */
    static int vals[5000];
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 5000; i++)
            assert_int_equal(idmap_put(&m, (uint64_t)round * 100000 + (uint64_t)i + 1, &vals[i]),
                             0);
        for (int i = 0; i < 5000; i++)
            assert_ptr_equal(idmap_del(&m, (uint64_t)round * 100000 + (uint64_t)i + 1), &vals[i]);
        assert_int_equal(m.len, 0);
    }
    assert_true(m.cap <= 65536);
    for (int i = 0; i < 1000; i++)
        idmap_put(&m, (uint64_t)i + 1, &vals[i]);
    assert_int_equal(idmap_put(&m, 7, &vals[999]), 0); /* replace */
    assert_ptr_equal(idmap_get(&m, 7), &vals[999]);
    assert_int_equal(m.len, 1000);
    size_t pos = 0, n = 0;
    uint64_t k;
    void *v;
    while (idmap_next(&m, &pos, &k, &v))
        n++;
    assert_int_equal(n, 1000);
    idmap_free(&m);
    idmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_names),       cmocka_unit_test(test_events),
        cmocka_unit_test(test_malformed_events), cmocka_unit_test(test_many_guilds),
        cmocka_unit_test(test_load_and_churn),   cmocka_unit_test(test_idmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
