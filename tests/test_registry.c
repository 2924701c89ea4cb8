/* test_registry.c - option validation (types, ranges, lengths, required, unknown,
 * duplicates, subcommands, groups) with errors that name the option; the admin
 * check; the registration JSON of every command in the table; /help; console
 * parsing (quotes, bare subcommand words, typed values); dispatch through a
 * recording chat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/app.h"
#include "bot/console.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "commands/registry.h"

/* ---- a test command exercising every option type ---- */

static const char *const colours[] = {"red", "green", NULL};
static const struct cmd_opt leaf_opts[] = {
    {.name = "hours",
     .description = "Hours",
     .type = OPT_NUMBER,
     .required = true,
     .has_min = true,
     .min = 0,
     .has_max = true,
     .max = 24},
    {.name = "day",
     .description = "Day",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 100},
    {.name = "note", .description = "Note", .type = OPT_STRING, .max_len = 10},
    {.name = "public", .description = "Public", .type = OPT_BOOLEAN},
    {.name = "who", .description = "Who", .type = OPT_USER},
    {.name = "where", .description = "Where", .type = OPT_CHANNEL},
    {.name = "colour", .description = "Colour", .type = OPT_STRING, .choices = colours},
    {.name = "min", .description = "At least", .type = OPT_INTEGER, .has_min = true, .min = 5},
};
static const struct cmd_def leaf_def = {
    .name = "log", .description = "Log", .opts = leaf_opts, .nopts = 8};

static const struct cmd_opt create_opts[] = {
    {.name = "name", .description = "Name", .type = OPT_STRING, .required = true},
};
static const struct cmd_opt channel_subs[] = {
    {.name = "create",
     .description = "Create",
     .type = OPT_SUBCOMMAND,
     .sub = create_opts,
     .nsub = 1},
    {.name = "list", .description = "List", .type = OPT_SUBCOMMAND},
};
static const struct cmd_opt tree_opts[] = {
    {.name = "start", .description = "Start", .type = OPT_SUBCOMMAND, .sub = leaf_opts, .nsub = 8},
    {.name = "channels",
     .description = "Channels",
     .type = OPT_GROUP,
     .sub = channel_subs,
     .nsub = 2},
};
static const struct cmd_def tree_def = {
    .name = "cohort", .description = "Cohort", .admin_only = true, .opts = tree_opts, .nopts = 2};

static json_t *g_last;

/* Validates data (JSON text) against def; returns rc and copies the error. */
static int parse(const struct cmd_def *def, const char *data_json, enum ix_type type,
                 struct cmd_args *a, char *err, size_t errlen)
{
    json_error_t je;
    json_t *data = json_loads(data_json, 0, &je);
    if (!data)
        fail_msg("bad test JSON %s: %s", data_json, je.text);
    struct interaction ix = {.type = type, .data = data};
    err[0] = '\0';
    int rc = cmd_parse_args(def, &ix, a, err, errlen);
    json_decref(g_last); /* a borrows strings from the data: keep it until the next call */
    g_last = data;
    return rc;
}

static void test_option_validation(void **state)
{
    (void)state;
    const struct {
        const char *options; /* the data.options array */
        const char *want;    /* NULL = valid; else a substring of the error */
    } t[] = {
        {"[{\"name\":\"hours\",\"type\":10,\"value\":2.5}]", NULL},
        {"[{\"name\":\"hours\",\"type\":10,\"value\":2}]", NULL}, /* integer JSON for a number */
        {"[]", "`hours` is required"},
        {"[{\"name\":\"hours\",\"value\":\"two\"}]", "`hours` must be a number"},
        {"[{\"name\":\"hours\",\"value\":null}]", "`hours` must be a number"},
        {"[{\"name\":\"hours\",\"value\":25}]", "`hours` must be between 0 and 24"},
        {"[{\"name\":\"hours\",\"value\":-0.5}]", "`hours` must be between 0 and 24"},
        {"[{\"name\":\"hours\",\"value\":24}]", NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"day\",\"value\":2.5}]",
         "`day` must be a whole number"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"day\",\"value\":\"3\"}]",
         "`day` must be a whole number"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"day\",\"value\":0}]",
         "`day` must be between 1 and 100"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"min\",\"value\":4}]",
         "`min` must be at least 5"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"note\",\"value\":\"0123456789\"}]", NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"note\",\"value\":\"01234567890\"}]",
         "`note` is too long"},
        /* length is in characters, not bytes: ten emoji fit in max_len 10 */
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"note\",\"value\":"
         "\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00"
         "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"}]",
         NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"note\",\"value\":5}]",
         "`note` must be text"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"public\",\"value\":\"yes\"}]",
         "`public` must be true or false"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"public\",\"value\":false}]", NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"who\",\"value\":\"alice\"}]",
         "`who` must be a member"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"who\",\"value\":123}]",
         "`who` must be a member"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"who\",\"value\":\"99999999999999999999\"}]",
         "`who` must be a member"}, /* > 2^64 */
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"who\",\"value\":\"80351110224678912\"}]",
         NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"where\",\"value\":\"#general\"}]",
         "`where` must be a channel"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"colour\",\"value\":\"blue\"}]",
         "`colour` must be one of"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"colour\",\"value\":\"green\"}]", NULL},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"bogus\",\"value\":1}]",
         "unknown option `bogus`"},
        {"[{\"name\":\"hours\",\"value\":1},{\"name\":\"hours\",\"value\":2}]",
         "`hours` was given twice"},
        {"[{\"value\":1}]", "unknown option"},
        {"[7]", "unknown option"},
        {"{\"name\":\"hours\"}", "options are malformed"},
        {"\"hours\"", "options are malformed"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char data[1024], err[256];
        snprintf(data, sizeof(data), "{\"name\":\"log\",\"options\":%s}", t[i].options);
        struct cmd_args a;
        int rc = parse(&leaf_def, data, IX_COMMAND, &a, err, sizeof(err));
        if (!t[i].want && rc)
            fail_msg("case %zu (%s): unexpected error \"%s\"", i, t[i].options, err);
        if (t[i].want && (rc != BOT_EINVAL || !strstr(err, t[i].want)))
            fail_msg("case %zu (%s): want \"%s\", got rc=%d \"%s\"", i, t[i].options, t[i].want, rc,
                     err);
    }
}

static void test_typed_lookups(void **state)
{
    (void)state;
    struct cmd_args a;
    char err[256];
    assert_int_equal(parse(&leaf_def,
                           "{\"name\":\"log\",\"options\":[{\"name\":\"hours\",\"value\":1.5},"
                           "{\"name\":\"day\",\"value\":7},{\"name\":\"public\",\"value\":true},"
                           "{\"name\":\"note\",\"value\":\"hi\"}]}",
                           IX_COMMAND, &a, err, sizeof(err)),
                     0);
    double d;
    int64_t i;
    bool b;
    assert_true(args_num(&a, "hours", &d));
    assert_true(d == 1.5);
    assert_true(args_int(&a, "day", &i));
    assert_int_equal(i, 7);
    assert_true(args_num(&a, "day", &d)); /* an integer reads as a number too */
    assert_true(d == 7.0);
    assert_false(args_int(&a, "hours", &i));
    assert_true(args_bool(&a, "public", &b));
    assert_true(b);
    assert_string_equal(args_str(&a, "note"), "hi");
    assert_null(args_str(&a, "who"));
    assert_false(args_bool(&a, "note", &b));
    assert_null(args_focused(&a));
    assert_string_equal(a.sub, "");
}

static void test_subcommands(void **state)
{
    (void)state;
    const struct {
        const char *options, *sub, *want;
    } t[] = {
        {"[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"hours\",\"value\":3}]}]",
         "start", NULL},
        {"[{\"name\":\"start\",\"type\":1,\"options\":[]}]", NULL, "`hours` is required"},
        {"[{\"name\":\"start\",\"type\":1}]", NULL, "`hours` is required"},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"create\",\"type\":1,"
         "\"options\":[{\"name\":\"name\",\"value\":\"week-01\"}]}]}]",
         "channels create", NULL},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"list\",\"type\":1}]}]",
         "channels list", NULL},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"create\",\"type\":1}]}]",
         NULL, "`name` is required"},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[]}]", NULL, "choose one"},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"drop\",\"type\":1}]}]", NULL,
         "choose one"},
        {"[]", NULL, "choose one"},
        {"[{\"name\":\"hours\",\"value\":3}]", NULL, "choose one"},
        {"[{\"name\":\"start\",\"type\":1},{\"name\":\"channels\",\"type\":2}]", NULL,
         "choose one"},
        {"[{\"name\":\"start\",\"type\":1,\"options\":[{\"name\":\"name\",\"value\":\"x\"}]}]",
         NULL, "unknown option `name`"},
        {"[{\"name\":\"channels\",\"type\":2,\"options\":[{\"name\":\"list\",\"type\":1,"
         "\"options\":[{\"name\":\"create\",\"type\":1}]}]}]",
         NULL, "unknown option `create`"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char data[1024], err[256];
        snprintf(data, sizeof(data), "{\"name\":\"cohort\",\"options\":%s}", t[i].options);
        struct cmd_args a;
        int rc = parse(&tree_def, data, IX_COMMAND, &a, err, sizeof(err));
        if (!t[i].want && (rc || strcmp(a.sub, t[i].sub) != 0))
            fail_msg("case %zu: rc=%d err=\"%s\" sub=\"%s\"", i, rc, err, a.sub);
        if (t[i].want && (rc != BOT_EINVAL || !strstr(err, t[i].want)))
            fail_msg("case %zu: want \"%s\", got rc=%d \"%s\"", i, t[i].want, rc, err);
    }
}

static void test_autocomplete_partial(void **state)
{
    (void)state;
    struct cmd_args a;
    char err[256];
    /* required options may be missing and the focused value is raw text */
    assert_int_equal(parse(&leaf_def,
                           "{\"name\":\"log\",\"options\":[{\"name\":\"day\",\"value\":\"1\","
                           "\"focused\":true}]}",
                           IX_AUTOCOMPLETE, &a, err, sizeof(err)),
                     0);
    const struct cmd_arg *f = args_focused(&a);
    assert_non_null(f);
    assert_string_equal(f->name, "day");
    assert_string_equal(f->s, "1");
    int64_t i;
    assert_false(args_int(&a, "day", &i)); /* a focused value is not a validated integer */
}

/* ---- the admin check ---- */

static void test_admin_bits(void **state)
{
    (void)state;
    const struct {
        uint64_t perms;
        bool admin;
    } t[] = {
        {0, false},
        {PERM_MANAGE_CHANNELS, false},
        {PERM_MANAGE_GUILD, true},
        {PERM_ADMINISTRATOR, true},
        {UINT64_C(1) << 40, false},
        {(UINT64_C(1) << 40) | PERM_MANAGE_GUILD, true},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct interaction ix = {.permissions = t[i].perms};
        assert_int_equal(ix_is_admin(&ix), t[i].admin);
    }
}

/* ---- registration JSON: every command in the table ---- */

static bool valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 32)
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
            return false;
    return true;
}

static void check_options(json_t *opts, const char *where, int depth)
{
    if (!opts || json_is_null(opts))
        return;
    assert_true(json_is_array(opts));
    if (json_array_size(opts) > 25)
        fail_msg("%s: %zu options (max 25)", where, json_array_size(opts));
    size_t i;
    json_t *o;
    bool seen_optional = false, has_sub = false, has_leaf = false;
    json_array_foreach(opts, i, o)
    {
        const char *name = json_string_value(json_object_get(o, "name"));
        const char *desc = json_string_value(json_object_get(o, "description"));
        json_int_t type = json_integer_value(json_object_get(o, "type"));
        if (!valid_name(name))
            fail_msg("%s: option name \"%s\" is not 1-32 lowercase", where, name ? name : "");
        if (!desc || msg_utf8_len(desc) < 1 || msg_utf8_len(desc) > 100)
            fail_msg("%s %s: description must be 1-100 characters", where, name);
        const json_int_t types[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        bool known = false;
        for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
            known |= types[k] == type;
        assert_true(known);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(opts, k), "name")), name))
                fail_msg("%s: option %s appears twice", where, name);
        if (type == 1 || type == 2) {
            has_sub = true;
            if (type == 2 && depth > 0)
                fail_msg("%s: a group inside a group or subcommand", where);
            if (type == 1 && depth > 1)
                fail_msg("%s: subcommands nested too deep", where);
            char sub[128];
            int w = snprintf(sub, sizeof(sub), "%s %s", where, name);
            assert_true(w > 0 && (size_t)w < sizeof(sub));
            check_options(json_object_get(o, "options"), sub, depth + 1);
            continue;
        }
        has_leaf = true;
        bool req = json_is_true(json_object_get(o, "required"));
        if (req && seen_optional)
            fail_msg("%s: required option %s after an optional one", where, name);
        seen_optional |= !req;
        json_t *choices = json_object_get(o, "choices");
        assert_true(json_array_size(choices) <= 25);
        json_t *minv = json_object_get(o, "min_value"), *maxv = json_object_get(o, "max_value");
        if (minv && maxv)
            assert_true(json_number_value(minv) <= json_number_value(maxv));
        json_t *ml = json_object_get(o, "max_length");
        if (ml)
            assert_true(json_integer_value(ml) >= 1 && json_integer_value(ml) <= 6000);
    }
    if (has_sub && has_leaf)
        fail_msg("%s: subcommands mixed with plain options", where);
}

static void test_registration_json(void **state)
{
    (void)state;
    json_t *arr = cmd_registration_json();
    int n;
    const struct cmd_def *const *table = cmd_table(&n);
    assert_true(n >= 1);
    assert_int_equal(json_array_size(arr), (size_t)n);
    assert_true(n <= 100);
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *desc = json_string_value(json_object_get(c, "description"));
        if (!valid_name(name))
            fail_msg("command name \"%s\" is not 1-32 lowercase", name ? name : "");
        if (!desc || msg_utf8_len(desc) < 1 || msg_utf8_len(desc) > 100)
            fail_msg("/%s: description must be 1-100 characters", name);
        assert_int_equal(json_integer_value(json_object_get(c, "type")), 1);
        assert_string_equal(name, table[i]->name);
        assert_ptr_equal(cmd_find(name), table[i]);
        json_t *perm = json_object_get(c, "default_member_permissions");
        if (table[i]->admin_only)
            assert_string_equal(json_string_value(perm), "32");
        else
            assert_true(perm == NULL || json_is_null(perm));
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(
                json_string_value(json_object_get(json_array_get(arr, k), "name")), name);
        char where[64];
        snprintf(where, sizeof(where), "/%s", name);
        check_options(json_object_get(c, "options"), where, 0);
        assert_non_null(table[i]->run);
    }
    json_decref(arr);
    assert_null(cmd_find("no-such-command"));
    assert_null(cmd_find(NULL));
}

static void test_help_lists(void **state)
{
    (void)state;
    int n;
    const struct cmd_def *const *table = cmd_table(&n);
    for (int admin = 0; admin < 2; admin++) {
        struct message m;
        msg_init(&m);
        assert_int_equal(cmd_help(&m, admin), 0);
        struct buf b;
        buf_init(&b, 1 << 16);
        msg_render_text(&m, &b);
        for (int i = 0; i < n; i++) {
            char want[64];
            snprintf(want, sizeof(want), "/%s**", table[i]->name);
            bool shown = strstr(buf_str(&b), want) != NULL;
            if (shown != (!table[i]->admin_only || admin))
                fail_msg("/help (admin=%d) %s /%s", admin, shown ? "shows" : "hides",
                         table[i]->name);
        }
        buf_free(&b);
        msg_free(&m);
    }
}

/* ---- console parsing ---- */

struct fixture {
    struct app app;
    volatile sig_atomic_t stop;
};

static int setup_app(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->app.guilds = guilds_new();
    f->app.stop = &f->stop;
    guilds_add(f->app.guilds, CONSOLE_GUILD_ID, "console");
    guilds_channel_upsert(f->app.guilds, CONSOLE_GUILD_ID, "1000000000000000107", "week-07", 0);
    *state = f;
    return 0;
}

static int teardown_app(void **state)
{
    struct fixture *f = *state;
    guilds_free(f->app.guilds);
    free(f);
    return 0;
}

/* Parses a console line against def and validates the result. */
static int console_line(struct app *app, const struct cmd_def *def, const char *line,
                        struct cmd_args *a, json_t **keep, char *err, size_t errlen)
{
    json_t *data = NULL;
    err[0] = '\0';
    int rc = cmd_console_parse_def(app, def, line, &data, err, errlen);
    if (rc)
        return rc;
    struct interaction ix = {.type = IX_COMMAND, .data = data};
    rc = cmd_parse_args(def, &ix, a, err, errlen);
    *keep = data; /* a borrows strings from it */
    return rc;
}

static void test_console_parse(void **state)
{
    struct fixture *f = *state;
    const struct {
        const struct cmd_def *def;
        const char *line, *want_err, *check;
    } t[] = {
        {&leaf_def, "/log hours:2", NULL, "hours=2"},
        {&leaf_def, "/log hours:2.5 note:\"lab done\"", NULL, "note=lab done"},
        {&leaf_def, "/log note:\"say \\\"hi\\\"\" hours:1", NULL, "note=say \"hi\""},
        {&leaf_def, "/log HOURS:3 Public:yes", NULL, "public=1"},
        {&leaf_def, "/log hours:3 public:off", NULL, "public=0"},
        {&leaf_def, "/log hours:3 day:12", NULL, "day=12"},
        {&leaf_def, "/log hours:3 who:@alice", NULL, "who=snowflake"},
        {&leaf_def, "/log hours:3 where:#week-07", NULL, "where=1000000000000000107"},
        {&leaf_def, "/log hours:3 note:", NULL, "note="},
        {&leaf_def, "/log hours:two", "`hours` must be a number", NULL},
        {&leaf_def, "/log hours:nan", "`hours` must be a number", NULL},
        {&leaf_def, "/log hours:inf", "`hours` must be a number", NULL},
        {&leaf_def, "/log hours:1e999", "`hours` must be a number", NULL},
        {&leaf_def, "/log hours:1 day:2.5", "`day` must be a whole number", NULL},
        {&leaf_def, "/log hours:1 day:99999999999999999999", "`day` must be a whole number", NULL},
        {&leaf_def, "/log hours:0x10", "`hours` must be a number", NULL},
        {&leaf_def, "/log hours:1 public:maybe", "`public` must be true or false", NULL},
        {&leaf_def, "/log hours:1 where:#nowhere", "`where` must be a channel", NULL},
        {&leaf_def, "/log hours:1 note:\"unbalanced", "unbalanced quotes", NULL},
        {&leaf_def, "/log hours:1 bogus:2", "unknown option 'bogus'", NULL},
        {&leaf_def, "/log hours:1 loose", "unknown option 'loose'", NULL},
        {&leaf_def, "/log", "`hours` is required", NULL},
        {&tree_def, "/cohort start hours:4", NULL, "sub=start"},
        {&tree_def, "/cohort channels create name:\"week 1\"", NULL, "sub=channels create"},
        {&tree_def, "/cohort Channels LIST", NULL, "sub=channels list"},
        {&tree_def, "/cohort channels", "choose one", NULL},
        {&tree_def, "/cohort", "choose one", NULL},
        {&tree_def, "/cohort stop", "no subcommand 'stop'", NULL},
        {&tree_def, "/cohort channels create", "`name` is required", NULL},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct cmd_args a;
        json_t *data = NULL;
        char err[256];
        int rc = console_line(&f->app, t[i].def, t[i].line, &a, &data, err, sizeof(err));
        if (t[i].want_err) {
            if (!rc || !strstr(err, t[i].want_err))
                fail_msg("case %zu (%s): want error \"%s\", got rc=%d \"%s\"", i, t[i].line,
                         t[i].want_err, rc, err);
            json_decref(data);
            continue;
        }
        if (rc)
            fail_msg("case %zu (%s): unexpected error \"%s\"", i, t[i].line, err);
        char got[128] = "";
        const char *eq = strchr(t[i].check, '=');
        char key[32];
        snprintf(key, sizeof(key), "%.*s", (int)(eq - t[i].check), t[i].check);
        double d;
        int64_t iv;
        bool b;
        if (!strcmp(key, "sub"))
            snprintf(got, sizeof(got), "%s", a.sub);
        else if (args_int(&a, key, &iv))
            snprintf(got, sizeof(got), "%lld", (long long)iv);
        else if (args_num(&a, key, &d))
            snprintf(got, sizeof(got), "%g", d);
        else if (args_bool(&a, key, &b))
            snprintf(got, sizeof(got), "%d", b);
        else if (args_str(&a, key))
            snprintf(got, sizeof(got), "%s",
                     strcmp(eq + 1, "snowflake") == 0 && snowflake_valid(args_str(&a, key))
                         ? "snowflake"
                         : args_str(&a, key));
        if (strcmp(got, eq + 1) != 0)
            fail_msg("case %zu (%s): %s is \"%s\", want \"%s\"", i, t[i].line, key, got, eq + 1);
        json_decref(data);
    }
    /* the user option resolves to the same id the console gives that user */
    json_t *data = NULL;
    char err[256];
    assert_int_equal(cmd_console_parse_def(&f->app, &leaf_def, "/log hours:1 who:Alice", &data, err,
                                           sizeof(err)),
                     0);
    char id[IX_ID_LEN];
    console_user_id("alice", id);
    assert_non_null(
        json_object_get(json_object_get(json_object_get(data, "resolved"), "users"), id));
    json_decref(data);
}

static void test_console_parse_table(void **state)
{
    struct fixture *f = *state;
    json_t *data = NULL;
    char err[256];
    assert_int_equal(cmd_console_parse(&f->app, "/help", &data, err, sizeof(err)), 0);
    assert_string_equal(json_string_value(json_object_get(data, "name")), "help");
    json_decref(data);
    data = NULL;
    assert_int_equal(cmd_console_parse(&f->app, "/nosuch a:1", &data, err, sizeof(err)),
                     BOT_EINVAL);
    assert_non_null(strstr(err, "unknown command /nosuch"));
    assert_int_equal(cmd_console_parse(&f->app, "help", &data, err, sizeof(err)), BOT_EINVAL);
    assert_int_equal(cmd_console_parse(&f->app, "   ", &data, err, sizeof(err)), BOT_EINVAL);
    /* more words than the tokenizer holds, and a line longer than its buffer */
    char line[6000];
    size_t o = (size_t)snprintf(line, sizeof(line), "/help");
    while (o + 4 < sizeof(line) - 1)
        o += (size_t)snprintf(line + o, sizeof(line) - o, " a:1");
    assert_int_equal(cmd_console_parse(&f->app, line, &data, err, sizeof(err)), BOT_EINVAL);
    memset(line, 'x', sizeof(line) - 1);
    line[0] = '/';
    line[sizeof(line) - 1] = '\0';
    assert_int_equal(cmd_console_parse(&f->app, line, &data, err, sizeof(err)), BOT_EINVAL);
}

/* ---- dispatch through a recording chat ---- */

struct rec {
    int replies;
    struct message last;
};

static int rec_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    struct rec *r = impl;
    (void)ix;
    r->replies++;
    msg_free(&r->last);
    return msg_copy(&r->last, m);
}

static int rec_defer(void *impl, struct interaction *ix)
{
    (void)impl;
    (void)ix;
    return 0;
}

static const struct chat_ops rec_ops = {.reply = rec_reply, .defer = rec_defer};

static void dispatch(struct app *app, const char *data_json, uint64_t perms, struct rec *r)
{
    struct interaction ix = {.type = IX_COMMAND, .permissions = perms};
    snprintf(ix.user_id, sizeof(ix.user_id), "80351110224678912");
    ix.data = json_loads(data_json, 0, NULL);
    assert_non_null(ix.data);
    app->chat.ops = &rec_ops;
    app->chat.impl = r;
    assert_true(cmd_dispatch(app, &ix) >= 0);
    json_decref(ix.data);
}

static void test_dispatch(void **state)
{
    struct fixture *f = *state;
    struct rec r = {0};
    msg_init(&r.last);
    struct buf b;

    dispatch(&f->app, "{\"name\":\"help\"}", 0, &r);
    assert_int_equal(r.replies, 1);
    assert_true(r.last.ephemeral);
    assert_true(r.last.nembeds == 1);

    dispatch(&f->app, "{\"name\":\"nosuch\"}", 0, &r);
    assert_int_equal(r.replies, 2);
    assert_true(r.last.ephemeral);
    assert_non_null(strstr(r.last.content, "/help"));

    dispatch(&f->app, "{\"name\":\"help\",\"options\":[{\"name\":\"zzz\",\"value\":1}]}", 0, &r);
    assert_int_equal(r.replies, 3);
    assert_true(r.last.ephemeral);
    assert_non_null(strstr(r.last.content, "`zzz`"));

    /* every admin-only command in the table refuses a member without the rights */
    int n;
    const struct cmd_def *const *table = cmd_table(&n);
    for (int i = 0; i < n; i++) {
        if (!table[i]->admin_only)
            continue;
        char data[128];
        snprintf(data, sizeof(data), "{\"name\":\"%s\"}", table[i]->name);
        int before = r.replies;
        dispatch(&f->app, data, PERM_MANAGE_CHANNELS, &r);
        assert_int_equal(r.replies, before + 1);
        assert_true(r.last.ephemeral);
        if (!r.last.content || !strstr(r.last.content, "admin"))
            fail_msg("/%s ran for a non-admin", table[i]->name);
    }
    /* /help through dispatch hides admin commands from members */
    dispatch(&f->app, "{\"name\":\"help\"}", 0, &r);
    buf_init(&b, 1 << 16);
    msg_render_text(&r.last, &b);
    assert_null(strstr(buf_str(&b), "(admin)"));
    buf_free(&b);
    msg_free(&r.last);
}

static void dispatch_in(struct app *app, enum ix_type type, const char *guild,
                        const char *data_json, uint64_t perms, struct rec *r)
{
    struct interaction ix = {.type = type, .permissions = perms};
    snprintf(ix.user_id, sizeof(ix.user_id), "80351110224678912");
    snprintf(ix.guild_id, sizeof(ix.guild_id), "%s", guild);
    ix.data = json_loads(data_json, 0, NULL);
    assert_non_null(ix.data);
    ix.resolved = json_object_get(ix.data, "resolved");
    app->chat.ops = &rec_ops;
    app->chat.impl = r;
    assert_true(cmd_dispatch(app, &ix) >= 0);
    json_decref(ix.data);
}

/* A forged interaction naming another guild's channel, a channel Discord did not
 * resolve, or a member not in the guild never reaches a handler; a member's
 * autocomplete on an admin command gets an empty choices answer, not a message. */
static void test_foreign_ids(void **state)
{
    struct fixture *f = *state;
    struct rec r = {0};
    msg_init(&r.last);
    guilds_add(f->app.guilds, "2000000000000000001", "other");
    guilds_channel_upsert(f->app.guilds, "2000000000000000001", "2000000000000000002", "general",
                          0);
    guilds_channel_upsert(f->app.guilds, CONSOLE_GUILD_ID, "1000000000000000199", "voice", 2);
    static const char *const forged[] = {
        /* guild B's channel, resolved as if it were ours */
        "{\"name\":\"calendar\",\"options\":[{\"name\":\"add\",\"type\":1,\"options\":["
        "{\"name\":\"source\",\"type\":3,\"value\":\"https://example.com/a.ics\"},"
        "{\"name\":\"channel\",\"type\":7,\"value\":\"2000000000000000002\"}]}],"
        "\"resolved\":{\"channels\":{\"2000000000000000002\":{\"id\":\"2000000000000000002\"}}}}",
        /* our channel, but not in resolved */
        "{\"name\":\"calendar\",\"options\":[{\"name\":\"add\",\"type\":1,\"options\":["
        "{\"name\":\"source\",\"type\":3,\"value\":\"https://example.com/a.ics\"},"
        "{\"name\":\"channel\",\"type\":7,\"value\":\"1000000000000000107\"}]}]}",
        /* a voice channel of ours */
        "{\"name\":\"calendar\",\"options\":[{\"name\":\"add\",\"type\":1,\"options\":["
        "{\"name\":\"source\",\"type\":3,\"value\":\"https://example.com/a.ics\"},"
        "{\"name\":\"channel\",\"type\":7,\"value\":\"1000000000000000199\"}]}],"
        "\"resolved\":{\"channels\":{\"1000000000000000199\":{\"id\":\"1000000000000000199\"}}}}",
        /* our text channel where the bot may not post */
        "{\"name\":\"calendar\",\"options\":[{\"name\":\"add\",\"type\":1,\"options\":["
        "{\"name\":\"source\",\"type\":3,\"value\":\"https://example.com/a.ics\"},"
        "{\"name\":\"channel\",\"type\":7,\"value\":\"1000000000000000107\"}]}],"
        "\"resolved\":{\"channels\":{\"1000000000000000107\":{\"id\":\"1000000000000000107\","
        "\"app_permissions\":\"1024\"}}}}",
        /* a member id that Discord did not resolve as a member of this guild */
        "{\"name\":\"progress\",\"options\":[{\"name\":\"member\",\"type\":6,"
        "\"value\":\"3000000000000000001\"}],\"resolved\":{\"users\":{\"3000000000000000001\":{}}}"
        "}",
    };
    static const char *const want[] = {"must be a channel of this server",
                                       "must be a channel of this server", "must be a text channel",
                                       "I can't post in", "must be a member of this server"};
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        int before = r.replies;
        dispatch_in(&f->app, IX_COMMAND, CONSOLE_GUILD_ID, forged[i], PERM_MANAGE_GUILD, &r);
        assert_int_equal(r.replies, before + 1);
        if (!r.last.content || !strstr(r.last.content, want[i]))
            fail_msg("case %zu: %s", i, r.last.content ? r.last.content : "(no content)");
    }
    /* autocomplete on an admin command by a member: choices, none */
    int before = r.replies;
    dispatch_in(&f->app, IX_AUTOCOMPLETE, CONSOLE_GUILD_ID,
                "{\"name\":\"cohort\",\"options\":[{\"name\":\"start\",\"type\":1,\"options\":"
                "[{\"name\":\"timezone\",\"type\":3,\"value\":\"Eur\",\"focused\":true}]}]}",
                0, &r);
    assert_int_equal(r.replies, before + 1);
    assert_int_equal(r.last.kind, MSG_KIND_CHOICES);
    assert_int_equal(r.last.nchoices, 0);
    msg_free(&r.last);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_validation),
        cmocka_unit_test(test_typed_lookups),
        cmocka_unit_test(test_subcommands),
        cmocka_unit_test(test_autocomplete_partial),
        cmocka_unit_test(test_admin_bits),
        cmocka_unit_test(test_registration_json),
        cmocka_unit_test(test_help_lists),
        cmocka_unit_test_setup_teardown(test_console_parse, setup_app, teardown_app),
        cmocka_unit_test_setup_teardown(test_console_parse_table, setup_app, teardown_app),
        cmocka_unit_test_setup_teardown(test_dispatch, setup_app, teardown_app),
        cmocka_unit_test_setup_teardown(test_foreign_ids, setup_app, teardown_app),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    json_decref(g_last);
    return rc;
}
