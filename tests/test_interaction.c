/* test_interaction.c - ix_parse on good and malformed INTERACTION_CREATE payloads:
 * missing fields, wrong types, non-snowflake ids, huge tokens, DM user vs member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "commands/interaction.h"

#define GOOD_GUILD                                                                                 \
    "{\"id\":\"1100000000000000001\",\"application_id\":\"1100000000000000002\",\"type\":2,"       \
    "\"token\":\"aW50ZXJhY3Rpb24tdG9rZW4\",\"guild_id\":\"1100000000000000003\","                  \
    "\"channel_id\":\"1100000000000000004\",\"member\":{\"permissions\":\"32\",\"user\":{\"id\":"  \
    "\"80351110224678912\",\"username\":\"alice\",\"global_name\":\"Alice A\"}},"                  \
    "\"data\":{\"id\":\"1\",\"name\":\"checkin\",\"type\":1,\"options\":[{\"name\":\"hours\","     \
    "\"type\":10,\"value\":2},{\"name\":\"who\",\"type\":6,\"value\":\"80351110224678912\"}],"     \
    "\"resolved\":{\"users\":{}}}}"

#define GOOD_DM                                                                                    \
    "{\"id\":\"1100000000000000001\",\"application_id\":\"1100000000000000002\",\"type\":3,"       \
    "\"token\":\"tok\",\"channel_id\":\"1100000000000000004\",\"user\":{\"id\":"                   \
    "\"80351110224678913\",\"username\":\"bob\",\"global_name\":null},"                            \
    "\"data\":{\"custom_id\":\"checkin:edit:3\",\"component_type\":2}}"

static json_t *load(const char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, JSON_DECODE_ANY, &je);
    if (!j)
        fail_msg("test JSON: %s", je.text);
    return j;
}

static void test_good_guild(void **state)
{
    (void)state;
    json_t *d = load(GOOD_GUILD);
    struct interaction ix;
    char err[128] = "";
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    json_decref(d); /* ix holds its own references */
    assert_int_equal(ix.type, IX_COMMAND);
    assert_string_equal(ix.id, "1100000000000000001");
    assert_string_equal(ix.application_id, "1100000000000000002");
    assert_string_equal(ix.guild_id, "1100000000000000003");
    assert_string_equal(ix.channel_id, "1100000000000000004");
    assert_string_equal(ix.user_id, "80351110224678912");
    assert_string_equal(ix.user_name, "Alice A");
    assert_string_equal(ix.token, "aW50ZXJhY3Rpb24tdG9rZW4");
    assert_true(ix.permissions == 32);
    assert_true(ix_is_admin(&ix));
    assert_string_equal(json_string_value(json_object_get(ix.data, "name")), "checkin");
    assert_non_null(ix.resolved);
    assert_false(ix.console);
    assert_false(ix.deferred);

    struct interaction copy;
    assert_int_equal(ix_copy(&copy, &ix), 0);
    assert_ptr_not_equal(copy.token, ix.token);
    assert_string_equal(copy.token, ix.token);
    ix_free(&ix);
    assert_null(ix.token);
    assert_null(ix.data);
    /* the copy outlives the original */
    assert_string_equal(json_string_value(json_object_get(copy.data, "name")), "checkin");
    ix_free(&copy);
    ix_free(NULL);
}

static void test_good_dm(void **state)
{
    (void)state;
    json_t *d = load(GOOD_DM);
    struct interaction ix;
    char err[128];
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    assert_int_equal(ix.type, IX_COMPONENT);
    assert_string_equal(ix.guild_id, "");
    assert_string_equal(ix.user_id, "80351110224678913");
    assert_string_equal(ix.user_name, "bob"); /* global_name null: username */
    assert_true(ix.permissions == 0);
    assert_false(ix_is_admin(&ix));
    ix_free(&ix);
    json_decref(d);

    /* PING needs no user and no data */
    d = load("{\"id\":\"1\",\"application_id\":\"2\",\"type\":1,\"token\":\"t\"}");
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    assert_int_equal(ix.type, IX_PING);
    ix_free(&ix);
    json_decref(d);
}

/* Applies one edit (path=value JSON, or path deleted when value is NULL) to a good
 * payload and expects BOT_EINVAL with `why` in the error. */
static void expect_bad(const char *base, const char *path, const char *value, const char *why)
{
    json_t *d = load(base);
    char key[64];
    json_t *obj = d;
    const char *p = path;
    for (;;) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        if (!p[n])
            break;
        obj = json_object_get(obj, key);
        p += n + 1;
    }
    if (value)
        json_object_set_new(obj, key, load(value));
    else
        json_object_del(obj, key);
    struct interaction ix;
    char err[128] = "";
    int rc = ix_parse(d, &ix, err, sizeof(err));
    if (rc != BOT_EINVAL || !strstr(err, why))
        fail_msg("%s=%s: rc=%d err=\"%s\", want \"%s\"", path, value ? value : "(deleted)", rc, err,
                 why);
    assert_null(ix.token);
    assert_null(ix.data);
    json_decref(d);
}

static void test_malformed(void **state)
{
    (void)state;
    const struct {
        const char *base, *path, *value, *why;
    } t[] = {
        {GOOD_GUILD, "type", NULL, "type"},
        {GOOD_GUILD, "type", "\"2\"", "type"},
        {GOOD_GUILD, "type", "0", "type"},
        {GOOD_GUILD, "type", "99", "type"},
        {GOOD_GUILD, "type", "2.0", "type"},
        {GOOD_GUILD, "id", NULL, "id"},
        {GOOD_GUILD, "id", "\"abc\"", "id"},
        {GOOD_GUILD, "id", "\"-5\"", "id"},
        {GOOD_GUILD, "id", "\"\"", "id"},
        {GOOD_GUILD, "id", "\"123456789012345678901\"", "id"}, /* 21 digits */
        {GOOD_GUILD, "id", "\"18446744073709551616\"", "id"},  /* 2^64 */
        {GOOD_GUILD, "id", "\"12 34\"", "id"},
        {GOOD_GUILD, "id", "-1", "id"},
        {GOOD_GUILD, "id", "true", "id"},
        {GOOD_GUILD, "id", "{}", "id"},
        {GOOD_GUILD, "application_id", NULL, "application_id"},
        {GOOD_GUILD, "application_id", "\"x\"", "application_id"},
        {GOOD_GUILD, "guild_id", "\"g1\"", "guild_id"},
        {GOOD_GUILD, "channel_id", "[1]", "channel_id"},
        {GOOD_GUILD, "token", NULL, "token"},
        {GOOD_GUILD, "token", "\"\"", "token"},
        {GOOD_GUILD, "token", "42", "token"},
        {GOOD_GUILD, "member", NULL, "member/user"},
        {GOOD_GUILD, "member", "\"alice\"", "member/user"},
        {GOOD_GUILD, "member.user", "[]", "member/user"},
        {GOOD_GUILD, "member.user.id", NULL, "member/user"},
        {GOOD_GUILD, "member.user.id", "\"alice\"", "member/user"},
        {GOOD_GUILD, "member.permissions", "\"lots\"", "member/user"},
        {GOOD_GUILD, "member.permissions", "\"99999999999999999999999\"", "member/user"},
        {GOOD_GUILD, "data", NULL, "data"},
        {GOOD_GUILD, "data", "[]", "data"},
        {GOOD_GUILD, "data.name", NULL, "data.name"},
        {GOOD_GUILD, "data.name", "7", "data.name"},
        {GOOD_DM, "user", NULL, "member/user"},
        {GOOD_DM, "user", "null", "member/user"},
        {GOOD_DM, "data.custom_id", NULL, "data.custom_id"},
        {GOOD_DM, "data.custom_id", "1", "data.custom_id"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        expect_bad(t[i].base, t[i].path, t[i].value, t[i].why);

    /* not an object at all */
    const char *junk[] = {"[]", "null", "\"INTERACTION_CREATE\"", "12"};
    for (size_t i = 0; i < 4; i++) {
        json_t *d = load(junk[i]);
        struct interaction ix;
        char err[128];
        assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), BOT_EINVAL);
        json_decref(d);
    }
    struct interaction ix;
    char err[128];
    assert_int_equal(ix_parse(NULL, &ix, err, sizeof(err)), BOT_EINVAL);
}

static void test_token_sizes(void **state)
{
    (void)state;
    const size_t lens[] = {1, 200, 1024, 1025, 100000};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        char *tok = malloc(lens[i] + 1);
        memset(tok, 'A', lens[i]);
        tok[lens[i]] = '\0';
        json_t *d = load(GOOD_GUILD);
        json_object_set_new(d, "token", json_string(tok));
        struct interaction ix;
        char err[128] = "";
        int rc = ix_parse(d, &ix, err, sizeof(err));
        if (lens[i] <= 1024) {
            assert_int_equal(rc, 0);
            assert_string_equal(ix.token, tok);
            ix_free(&ix);
        } else {
            assert_int_equal(rc, BOT_EINVAL);
            assert_null(strstr(err, "AAAA")); /* a token never lands in an error text */
        }
        json_decref(d);
        free(tok);
    }
}

static void test_ids_and_names(void **state)
{
    (void)state;
    /* ids sent as JSON integers are read; the longest snowflake fits */
    json_t *d = load(GOOD_GUILD);
    json_object_set_new(d, "id", json_integer(INT64_MAX));
    json_object_set_new(d, "guild_id", json_null());
    struct interaction ix;
    char err[128];
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    assert_string_equal(ix.id, "9223372036854775807");
    assert_string_equal(ix.guild_id, "");
    ix_free(&ix);
    json_decref(d);

    d = load(GOOD_GUILD);
    json_object_set_new(d, "id", json_string("18446744073709551615")); /* 2^64 - 1 */
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    assert_string_equal(ix.id, "18446744073709551615");
    ix_free(&ix);
    json_decref(d);

    /* a long multi-byte display name is cut to the field at a character boundary */
    d = load(GOOD_GUILD);
    char name[200] = "";
    for (int i = 0; i < 32; i++)
        strcat(name, "\xf0\x9f\x98\x80"); /* 32 emoji = 128 bytes */
    json_object_set_new(json_object_get(json_object_get(d, "member"), "user"), "global_name",
                        json_string(name));
    assert_int_equal(ix_parse(d, &ix, err, sizeof(err)), 0);
    size_t n = strlen(ix.user_name);
    assert_true(n > 0 && n < sizeof(ix.user_name));
    assert_int_equal(n % 4, 0); /* whole emoji only */
    assert_memory_equal(ix.user_name, name, n);
    json_t *check = json_string(ix.user_name);
    assert_non_null(check);
    json_decref(check);
    ix_free(&ix);
    json_decref(d);

    const struct {
        const char *s;
        bool ok;
    } t[] = {{"0", true},     {"1", true},    {"18446744073709551615", true},
             {"", false},     {NULL, false},  {"18446744073709551616", false},
             {"+1", false},   {" 1", false},  {"1 ", false},
             {"0x10", false}, {"١٢٣", false}, {"123456789012345678901", false}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(snowflake_valid(t[i].s), t[i].ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_guild),    cmocka_unit_test(test_good_dm),
        cmocka_unit_test(test_malformed),     cmocka_unit_test(test_token_sizes),
        cmocka_unit_test(test_ids_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
