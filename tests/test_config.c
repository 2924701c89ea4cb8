/* test_config.c - configuration layers (defaults < file < environment < flags, the
 * last through the real binary), "file:line: key: message" for every problem, unknown
 * keys, bad types, the world-readable token warning, --check-config, and the token
 * never appearing in any output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>

#include "bot/err.h"
#include "config/config.h"
#include "testutil.h"

#define TOKEN "MTAxMjM0NTY3ODkwMTIzNDU2.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"

/* No layer from the test runner's environment may leak in. */
static const char *const clean_env[] = {"DISCORD_TOKEN", "COHORTBOT_API_BASE", "COHORTBOT_DB",
                                        "COHORTBOT_CONFIG", NULL};

static void unset_env(void)
{
    for (size_t i = 0; clean_env[i]; i++)
        unsetenv(clean_env[i]);
}

/* Asserts every line of errs has the form "name:N: key: message" and returns the
 * number of lines. */
static int check_error_lines(const char *errs, const char *name)
{
    regex_t re;
    char pat[512];
    snprintf(pat, sizeof(pat), "^%s:[0-9]+: [a-z_]+(\\[[0-9]+\\])?: .+$", name);
    assert_int_equal(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB), 0);
    int n = 0;
    for (const char *p = errs; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        snprintf(line, sizeof(line), "%.*s", (int)len, p);
        if (regexec(&re, line, 0, NULL, 0) != 0)
            fail_msg("problem line not in file:line: key: form: \"%s\"", line);
        n++;
        p += len + (nl ? 1 : 0);
    }
    regfree(&re);
    return n;
}

static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    assert_int_equal(config_defaults(&c), 0);
    assert_null(c.token);
    assert_string_equal(c.api_base, "https://discord.com/api/v10");
    assert_string_equal(c.db_path, "cohortbot.db");
    assert_string_equal(c.default_timezone, "America/New_York");
    assert_string_equal(c.default_post_time, "09:00");
    assert_int_equal(c.log_level, LOGL_INFO);
    assert_int_equal(c.nleads, 3);
    assert_int_equal(c.catchup_hours, 12);
    struct buf errs;
    buf_init(&errs, 1 << 16);
    assert_int_equal(config_validate(&c, &errs), 0);
    assert_string_equal(buf_str(&errs), "");
    buf_free(&errs);
    config_free(&c);
    config_free(&c); /* idempotent */
}

static void test_file_values(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"_doc\": \"comments are keys that start with an underscore\",\n"
                       "  \"api_base\": \"http://127.0.0.1:8080/api/v10\",\n"
                       "  \"db\": \"/var/lib/cohortbot/bot.db\",\n"
                       "  \"log_level\": \"debug\",\n"
                       "  \"guild_id\": \"1100000000000000003\",\n"
                       "  \"intents\": 513,\n"
                       "  \"shard\": [1, 4],\n"
                       "  \"default_timezone\": \"Europe/Berlin\",\n"
                       "  \"default_post_time\": \"07:30\",\n"
                       "  \"calendar_leads\": [60, 5],\n"
                       "  \"feeds\": [{\"source\": \"https://x.example/c.ics\", \"channel\": "
                       "\"1100000000000000009\"}],\n"
                       "  \"max_frame_bytes\": 1048576,\n"
                       "  \"pair_weekday\": 5,\n"
                       "  \"_note\": {\"anything\": [1, 2]}\n"
                       "}\n";
    struct config c;
    config_defaults(&c);
    struct buf errs;
    buf_init(&errs, 1 << 16);
    assert_int_equal(config_load_buffer(&c, text, strlen(text), "t.json", &errs), 0);
    assert_string_equal(buf_str(&errs), "");
    assert_string_equal(c.api_base, "http://127.0.0.1:8080/api/v10");
    assert_string_equal(c.db_path, "/var/lib/cohortbot/bot.db");
    assert_int_equal(c.log_level, LOGL_DEBUG);
    assert_string_equal(c.guild_id, "1100000000000000003");
    assert_true(c.intents == 513);
    assert_int_equal(c.shard_id, 1);
    assert_int_equal(c.shard_count, 4);
    assert_string_equal(c.default_timezone, "Europe/Berlin");
    assert_string_equal(c.default_post_time, "07:30");
    assert_int_equal(c.nleads, 2);
    assert_int_equal(c.leads[1], 5);
    assert_int_equal(c.nfeeds, 1);
    assert_string_equal(c.feeds[0].channel, "1100000000000000009");
    assert_true(c.max_frame_bytes == 1048576);
    assert_int_equal(c.pair_weekday, 5);
    /* untouched keys keep their defaults */
    assert_int_equal(c.catchup_hours, 12);
    buf_free(&errs);
    config_free(&c);
}

static void test_file_errors(void **state)
{
    (void)state;
    const struct {
        const char *line; /* one "key": value line */
        const char *key, *msg;
    } t[] = {
        {"\"tokn\": \"x\"", "tokn", "unknown key"},
        {"\"token\": \"Bot MTAxMjM0NTY3ODkwMTIzNDU2\"", "token", "does not look like"},
        {"\"token\": \"short\"", "token", "does not look like"},
        {"\"token\": 12345", "token", "non-empty string"},
        {"\"api_base\": \"ftp://x\"", "api_base", "https://"},
        {"\"api_base\": 5", "api_base", "non-empty string"},
        {"\"db\": \"\"", "db", "non-empty string"},
        {"\"db\": null", "db", "non-empty string"},
        {"\"log_level\": \"loud\"", "log_level", "debug, info"},
        {"\"log_level\": 1", "log_level", "debug, info"},
        {"\"guild_id\": \"my-server\"", "guild_id", "Discord id"},
        {"\"guild_id\": 1100000000000000003", "guild_id", "non-empty string"},
        {"\"intents\": \"513\"", "intents", "whole number"},
        {"\"intents\": -1", "intents", "whole number"},
        {"\"http_port\": 70000", "http_port", "0-65535"},
        {"\"http_port\": 80.5", "http_port", "whole number"},
        {"\"shard\": [4, 4]", "shard", "0 <= id < count"},
        {"\"shard\": 2", "shard", "shard_id"},
        {"\"max_frame_bytes\": 10", "max_frame_bytes", "whole number"},
        {"\"default_timezone\": \"Mars/Olympus\"", "default_timezone", "unknown time zone"},
        {"\"default_post_time\": \"9am\"", "default_post_time", "HH:MM"},
        {"\"default_post_time\": \"24:00\"", "default_post_time", "HH:MM"},
        {"\"calendar_leads\": []", "calendar_leads", "1-8"},
        {"\"calendar_leads\": [1,2,3,4,5,6,7,8,9]", "calendar_leads", "1-8"},
        {"\"calendar_leads\": [-5]", "calendar_leads", "0-40320"},
        {"\"feeds\": {}", "feeds", "list"},
        {"\"feeds\": [{\"source\": \"x\"}]", "feeds", "feeds[0]"},
        {"\"pair_weekday\": 0", "pair_weekday", "1-7"},
        {"\"grace_days_per_week\": 3", "grace_days_per_week", "0-2"},
        {"\"catchup_hours\": true", "catchup_hours", "whole number"},
        {"\"fallback_channel\": \"general\"", "fallback_channel", "Discord id"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        /* the bad key sits on line i % 5 + 3 */
        char text[512];
        int line = (int)(i % 5) + 3;
        size_t o = (size_t)snprintf(text, sizeof(text), "{\n  \"_doc\": \"x\"");
        for (int l = 3; l < line; l++)
            o += (size_t)snprintf(text + o, sizeof(text) - o, ",\n  \"_pad%d\": %d", l, l);
        snprintf(text + o, sizeof(text) - o, ",\n  %s\n}\n", t[i].line);
        struct config c;
        config_defaults(&c);
        struct buf errs;
        buf_init(&errs, 1 << 16);
        int n = config_load_buffer(&c, text, strlen(text), "conf.json", &errs);
        if (n != 1)
            fail_msg("case %zu (%s): %d problems: %s", i, t[i].line, n, buf_str(&errs));
        assert_int_equal(check_error_lines(buf_str(&errs), "conf\\.json"), 1);
        char want[128];
        snprintf(want, sizeof(want), "conf.json:%d: %s: ", line, t[i].key);
        if (strncmp(buf_str(&errs), want, strlen(want)) != 0 || !strstr(buf_str(&errs), t[i].msg))
            fail_msg("case %zu: got \"%s\", want \"%s...%s\"", i, buf_str(&errs), want, t[i].msg);
        /* a rejected value leaves the default */
        assert_string_equal(c.api_base, "https://discord.com/api/v10");
        assert_string_equal(c.default_timezone, "America/New_York");
        buf_free(&errs);
        config_free(&c);
    }
}

static void test_all_problems_listed(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"db\": \"ok.db\",\n"
                       "  \"log_level\": \"chatty\",\n"
                       "  \"http_port\": -1,\n"
                       "  \"mystery\": 1,\n"
                       "  \"default_timezone\": \"Nowhere/Special\",\n"
                       "  \"pair_time\": \"25:61\"\n"
                       "}\n";
    struct config c;
    config_defaults(&c);
    struct buf errs;
    buf_init(&errs, 1 << 16);
    assert_int_equal(config_load_buffer(&c, text, strlen(text), "many.json", &errs), 5);
    assert_int_equal(check_error_lines(buf_str(&errs), "many\\.json"), 5);
    const char *want[] = {
        "many.json:3: log_level: ", "many.json:4: http_port: ", "many.json:5: mystery: ",
        "many.json:6: default_timezone: ", "many.json:7: pair_time: "};
    for (size_t i = 0; i < 5; i++)
        if (!strstr(buf_str(&errs), want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], buf_str(&errs));
    assert_string_equal(c.db_path, "ok.db"); /* good keys still apply */
    buf_free(&errs);
    config_free(&c);
}

/* Keys and values echoed in problems cannot break the one-line-per-problem form. */
static void test_control_characters(void **state)
{
    (void)state;
    const char *texts[] = {
        "{\"a\\nfake.json:1: db: injected\": 1}",
        "{\"default_timezone\": \"Europe/Berlin\\nfake.json:9: x: y\"}",
        "{\"guild_id\": \"12\\r\\u001b[2J\"}",
    };
    for (size_t i = 0; i < 3; i++) {
        struct config c;
        config_defaults(&c);
        struct buf errs;
        buf_init(&errs, 4096);
        assert_int_equal(config_load_buffer(&c, texts[i], strlen(texts[i]), "c.json", &errs), 1);
        const char *e = buf_str(&errs);
        assert_int_equal(strncmp(e, "c.json:1: ", 10), 0);
        assert_ptr_equal(strchr(e, '\n'), e + strlen(e) - 1); /* exactly one line */
        assert_null(strchr(buf_str(&errs), '\033'));
        assert_null(strchr(buf_str(&errs), '\r'));
        buf_free(&errs);
        config_free(&c);
    }
}

/* The line of a problem is where the key is, not where its name appears as a value. */
static void test_line_of_key(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"_doc\": \"db\",\n"
                       "  \"_see\": [\"log_level\", \"db\"],\n"
                       "  \"log_level\"\n"
                       "     : \"chatty\",\n"
                       "  \"db\": 5\n"
                       "}\n";
    struct config c;
    config_defaults(&c);
    struct buf errs;
    buf_init(&errs, 4096);
    assert_int_equal(config_load_buffer(&c, text, strlen(text), "l.json", &errs), 2);
    if (!strstr(buf_str(&errs), "l.json:4: log_level: ") ||
        !strstr(buf_str(&errs), "l.json:6: db: "))
        fail_msg("wrong lines:\n%s", buf_str(&errs));
    buf_free(&errs);
    config_free(&c);
}

static void test_syntax_and_shape(void **state)
{
    (void)state;
    const struct {
        const char *text;
        int line;
    } t[] = {
        {"{\n  \"db\": \"x\",\n  \"api_base\": \n}\n", 4},
        {"{\n\n\n  \"db\" \"x\"\n}", 4},
        {"", 1},
        {"{\"db\": \"x\", \"db\": \"y\"}", 1},
        {"{\n  \"token\": \"" TOKEN "\n}", 2},
        {"{\n  \"token\": " TOKEN "\n}", 2},
        {"{\n  \"token\": \"x\" \"" TOKEN "\"\n}", 2},
        {"{\n  \"token\": 1 \"" TOKEN "\"\n}", 2},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct config c;
        config_defaults(&c);
        struct buf errs;
        buf_init(&errs, 1 << 16);
        assert_int_equal(config_load_buffer(&c, t[i].text, strlen(t[i].text), "s.json", &errs), 1);
        char want[64];
        snprintf(want, sizeof(want), "s.json:%d: syntax: ", t[i].line);
        if (strncmp(buf_str(&errs), want, strlen(want)) != 0)
            fail_msg("case %zu: \"%s\" does not start with \"%s\"", i, buf_str(&errs), want);
        /* no part of the token is echoed back, even when it is where parsing failed */
        for (size_t k = 0; k + 6 <= strlen(TOKEN); k++) {
            char piece[7];
            memcpy(piece, &TOKEN[k], 6);
            piece[6] = '\0';
            if (strstr(buf_str(&errs), piece))
                fail_msg("case %zu: error text shows token piece \"%s\": %s", i, piece,
                         buf_str(&errs));
        }
        buf_free(&errs);
        config_free(&c);
    }
    const char *shapes[] = {"[]", "\"x\"", "42", "null"};
    for (size_t i = 0; i < 4; i++) {
        struct config c;
        config_defaults(&c);
        struct buf errs;
        buf_init(&errs, 4096);
        assert_int_equal(config_load_buffer(&c, shapes[i], strlen(shapes[i]), "s.json", &errs), 1);
        assert_non_null(strstr(buf_str(&errs), "s.json:1: "));
        buf_free(&errs);
        config_free(&c);
    }
}

static void test_env_layer(void **state)
{
    (void)state;
    unset_env();
    struct config c;
    config_defaults(&c);
    const char *text = "{\"api_base\": \"https://file.example/api\", \"db\": \"file.db\"}";
    struct buf errs;
    buf_init(&errs, 4096);
    assert_int_equal(config_load_buffer(&c, text, strlen(text), "f.json", &errs), 0);
    assert_int_equal(config_apply_env(&c), 0);
    assert_string_equal(c.db_path, "file.db"); /* no env: file wins over defaults */
    setenv("COHORTBOT_DB", "env.db", 1);
    setenv("COHORTBOT_API_BASE", "http://127.0.0.1:9/api", 1);
    setenv("DISCORD_TOKEN", TOKEN, 1);
    assert_int_equal(config_apply_env(&c), 0);
    assert_string_equal(c.db_path, "env.db");
    assert_string_equal(c.api_base, "http://127.0.0.1:9/api");
    assert_string_equal(c.token, TOKEN);
    assert_int_equal(config_validate(&c, &errs), 0);
    /* empty variables do not erase a value */
    setenv("COHORTBOT_DB", "", 1);
    assert_int_equal(config_apply_env(&c), 0);
    assert_string_equal(c.db_path, "env.db");
    /* a bad value from the environment is reported under the variable's name */
    setenv("COHORTBOT_API_BASE", "discord.com/api", 1);
    setenv("DISCORD_TOKEN", "Bot short", 1);
    config_apply_env(&c);
    buf_reset(&errs);
    assert_int_equal(config_validate(&c, &errs), 2);
    assert_non_null(strstr(buf_str(&errs), "COHORTBOT_API_BASE"));
    assert_non_null(strstr(buf_str(&errs), "DISCORD_TOKEN"));
    assert_null(strstr(buf_str(&errs), "Bot short"));
    unset_env();
    buf_free(&errs);
    config_free(&c);
}

static void test_load_file(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    struct buf errs;
    buf_init(&errs, 4096);
    char path[512];
    tu_path(path, sizeof(path), "missing.json");
    assert_int_equal(config_load_file(&c, path, &errs), BOT_EIO);
    assert_non_null(strstr(buf_str(&errs), "missing.json"));
    assert_non_null(strstr(buf_str(&errs), "No such file"));
    tu_path(path, sizeof(path), "f.json");
    const char *text = "{\n  \"db\": \"x.db\",\n  \"bogus\": 1\n}\n";
    tu_write(path, text, strlen(text), 0600);
    buf_reset(&errs);
    assert_int_equal(config_load_file(&c, path, &errs), 1);
    char want[600];
    snprintf(want, sizeof(want), "%s:3: bogus: ", path);
    assert_non_null(strstr(buf_str(&errs), want));
    assert_string_equal(c.config_path, path);
    assert_string_equal(c.db_path, "x.db");
    buf_free(&errs);
    config_free(&c);

    /* the documented example loads cleanly, when the tree has one */
    const char *src = getenv("COHORTBOT_SRCDIR");
    snprintf(path, sizeof(path), "%s/config/cohortbot.example.json", src ? src : COHORTBOT_SRCDIR);
    if (access(path, R_OK) == 0) {
        config_defaults(&c);
        buf_init(&errs, 1 << 16);
        int n = config_load_file(&c, path, &errs);
        if (n != 0)
            fail_msg("example config has problems:\n%s", buf_str(&errs));
        buf_free(&errs);
        config_free(&c);
    }
}

/* ---- through the binary ---- */

static void run_bin(const char *const *args, const char *const *env, const char *in,
                    struct tu_run *r)
{
    const char *argv[16] = {tu_bin()};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    const char *e[16];
    size_t k = 0;
    for (size_t i = 0; clean_env[i]; i++)
        e[k++] = clean_env[i];
    for (size_t i = 0; env && env[i] && k < 15; i++)
        e[k++] = env[i];
    e[k] = NULL;
    assert_int_equal(tu_run(argv, e, in, 10000, r), 0);
    assert_false(r->killed);
    if (strstr(r->out, TOKEN) || strstr(r->err, TOKEN))
        fail_msg("the token was printed:\n%s\n%s", r->out, r->err);
}

static void test_bin_layers(void **state)
{
    (void)state;
    char cfg[512], arg[600];
    tu_path(cfg, sizeof(cfg), "layers.json");
    const char *text =
        "{\n  \"api_base\": \"http://file.example/api\",\n  \"db\": \"file.db\"\n}\n";
    tu_write(cfg, text, strlen(text), 0600);
    snprintf(arg, sizeof(arg), "--config=%s", cfg);
    struct tu_run r;

    run_bin((const char *[]){"--check-config", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "api_base https://discord.com/api/v10"));
    assert_non_null(strstr(r.out, "db cohortbot.db"));
    assert_non_null(strstr(r.out, "token not set"));
    tu_run_free(&r);

    run_bin((const char *[]){"--check-config", arg, NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "api_base http://file.example/api"));
    assert_non_null(strstr(r.out, "db file.db"));
    tu_run_free(&r);

    /* COHORTBOT_CONFIG names the file too */
    char envcfg[600];
    snprintf(envcfg, sizeof(envcfg), "COHORTBOT_CONFIG=%s", cfg);
    run_bin((const char *[]){"--check-config", NULL}, (const char *[]){envcfg, NULL}, NULL, &r);
    assert_non_null(strstr(r.out, "db file.db"));
    tu_run_free(&r);

    const char *env[] = {"COHORTBOT_DB=env.db", "COHORTBOT_API_BASE=http://env.example/api",
                         "DISCORD_TOKEN=" TOKEN, NULL};
    run_bin((const char *[]){"--check-config", arg, NULL}, env, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "api_base http://env.example/api"));
    assert_non_null(strstr(r.out, "db env.db"));
    assert_non_null(strstr(r.out, "token set"));
    tu_run_free(&r);

    run_bin((const char *[]){"--check-config", arg, "--db", "flag.db", "--log-level", "warn", NULL},
            env, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "db flag.db"));
    tu_run_free(&r);

    run_bin((const char *[]){"--check-config", "--log-level", "shouty", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "--log-level"));
    tu_run_free(&r);
}

static void test_bin_check_config(void **state)
{
    (void)state;
    char cfg[512], arg[600];
    tu_path(cfg, sizeof(cfg), "bad.json");
    const char *text = "{\n"
                       "  \"_doc\": \"three problems below\",\n"
                       "  \"token\": \"" TOKEN "\",\n"
                       "  \"log_level\": \"chatty\",\n"
                       "  \"guild_id\": \"my guild\",\n"
                       "  \"colour\": \"blue\"\n"
                       "}\n";
    tu_write(cfg, text, strlen(text), 0600);
    snprintf(arg, sizeof(arg), "--config=%s", cfg);
    struct tu_run r;
    run_bin((const char *[]){"--check-config", arg, NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 1);
    char want[3][700];
    snprintf(want[0], sizeof(want[0]), "%s:4: log_level: ", cfg);
    snprintf(want[1], sizeof(want[1]), "%s:5: guild_id: ", cfg);
    snprintf(want[2], sizeof(want[2]), "%s:6: colour: unknown key", cfg);
    for (int i = 0; i < 3; i++)
        if (!strstr(r.err, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], r.err);
    assert_null(strstr(r.out, "configuration OK"));
    assert_null(strstr(r.err, "world-readable")); /* mode 0600 */
    tu_run_free(&r);

    /* a problem also stops a normal start, with exit 1, before any database work */
    char db[512], dbarg[600];
    tu_path(db, sizeof(db), "never.db");
    snprintf(dbarg, sizeof(dbarg), "--db=%s", db);
    run_bin((const char *[]){arg, dbarg, "--console", NULL}, NULL, "/quit\n", &r);
    assert_int_equal(r.status, 1);
    assert_int_not_equal(access(db, F_OK), 0);
    tu_run_free(&r);

    /* a file that cannot be read */
    run_bin((const char *[]){"--check-config", "--config", "/nonexistent/cohortbot.json", NULL},
            NULL, NULL, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/nonexistent/cohortbot.json"));
    tu_run_free(&r);
}

static void test_bin_world_readable(void **state)
{
    (void)state;
    char cfg[512], arg[600];
    tu_path(cfg, sizeof(cfg), "token.json");
    const char *text = "{\n  \"token\": \"" TOKEN "\"\n}\n";
    const struct {
        mode_t mode;
        bool warn;
    } t[] = {{0600, false}, {0640, false}, {0644, true}, {0604, true}};
    snprintf(arg, sizeof(arg), "--config=%s", cfg);
    for (size_t i = 0; i < 4; i++) {
        tu_write(cfg, text, strlen(text), t[i].mode);
        struct tu_run r;
        run_bin((const char *[]){"--check-config", arg, NULL}, NULL, NULL, &r);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "token set"));
        if ((strstr(r.err, "world-readable") != NULL) != t[i].warn)
            fail_msg("mode %o: warning %s expected:\n%s", (unsigned)t[i].mode,
                     t[i].warn ? "" : "not", r.err);
        tu_run_free(&r);
    }
    /* no token in the file: no warning even when world-readable */
    tu_write(cfg, "{\"db\": \"a.db\"}", 14, 0644);
    struct tu_run r;
    run_bin((const char *[]){"--check-config", arg, NULL},
            (const char *[]){"DISCORD_TOKEN=" TOKEN, NULL}, NULL, &r);
    assert_null(strstr(r.err, "world-readable"));
    tu_run_free(&r);
}

static void test_bin_token_never_printed(void **state)
{
    (void)state;
    char db[512], dbarg[600], cfg[512], arg[600];
    tu_path(db, sizeof(db), "tok.db");
    snprintf(dbarg, sizeof(dbarg), "--db=%s", db);
    struct tu_run r;
    /* console mode with a token, debug logging: the token appears nowhere (run_bin checks) */
    run_bin((const char *[]){"--console", dbarg, "--log-level", "debug", NULL},
            (const char *[]){"DISCORD_TOKEN=" TOKEN, NULL}, "/help\n/quit\n", &r);
    assert_int_equal(r.status, 0);
    tu_run_free(&r);
    /* syntax errors around the token do not echo it */
    tu_path(cfg, sizeof(cfg), "tokbad.json");
    snprintf(arg, sizeof(arg), "--config=%s", cfg);
    const char *texts[] = {"{\"token\": \"x\" \"" TOKEN "\"}", "{\"token\": " TOKEN "}",
                           "{\"token\": 1 \"" TOKEN "\"}"};
    for (size_t i = 0; i < 3; i++) {
        tu_write(cfg, texts[i], strlen(texts[i]), 0600);
        run_bin((const char *[]){"--check-config", arg, NULL}, NULL, NULL, &r);
        assert_int_equal(r.status, 1);
        if (strstr(r.err, "MTAxMjM0"))
            fail_msg("token piece printed: %s", r.err);
        tu_run_free(&r);
    }
}

static void test_bin_flags(void **state)
{
    (void)state;
    struct tu_run r;
    run_bin((const char *[]){"--help", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 0);
    const char *flags[] = {"--config",       "--db",      "--log-level",   "--console",
                           "--check-config", "--version", "DISCORD_TOKEN", "COHORTBOT_API_BASE",
                           "COHORTBOT_DB"};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (!strstr(r.out, flags[i]))
            fail_msg("--help does not mention %s", flags[i]);
    tu_run_free(&r);
    run_bin((const char *[]){"--version", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "cohortbot " COHORTBOT_VERSION));
    tu_run_free(&r);
    run_bin((const char *[]){"--frobnicate", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "usage"));
    tu_run_free(&r);
    run_bin((const char *[]){"--db", NULL}, NULL, NULL, &r);
    assert_int_equal(r.status, 1);
    tu_run_free(&r);
}

static int cleanup(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),           cmocka_unit_test(test_file_values),
        cmocka_unit_test(test_file_errors),        cmocka_unit_test(test_all_problems_listed),
        cmocka_unit_test(test_syntax_and_shape),   cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_env_layer),          cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_bin_layers),         cmocka_unit_test(test_bin_check_config),
        cmocka_unit_test(test_bin_world_readable), cmocka_unit_test(test_bin_token_never_printed),
        cmocka_unit_test(test_bin_flags),          cmocka_unit_test(test_line_of_key),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
