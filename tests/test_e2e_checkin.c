/* test_e2e_checkin.c - check-ins end to end: the real binary against the fake Discord
 * server with a fixed clock. An admin starts a cohort by slash command; a learner
 * checks in with /checkin (options), with the daily post's "Check in" button, then
 * its "Add hours & note" modal; /timezone autocompletes; a future day is refused.
 * Every callback arrives within 3 s, is ephemeral, and the rows show up in
 * `cohortbot export checkins` run on the same database beside the running bot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <curl/curl.h>

#include "bot/buf.h"
#include "e2e.h"

#define GUILD "1000000000000000001"
#define WEEK1 "1100000000000000002"
#define WEEK1_POSTS "/channels/" WEEK1 "/messages"
#define LEARNER "501000000000000001"
#define CLICKER "502000000000000002"

/* Injects an INTERACTION_CREATE of `type` from `user` whose data is data_json. */
static void inject(struct e2e *e, const char *id, int type, const char *user, const char *perms,
                   const char *data_json)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b,
               "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
               "\"800000000000000001\",\"type\":%d,\"token\":\"itok-%s\",\"guild_id\":\"" GUILD
               "\",\"channel_id\":\"" WEEK1 "\",\"member\":{\"user\":{\"id\":\"%s\","
               "\"username\":\"u%s\"},\"permissions\":\"%s\"},\"data\":%s}}",
               id, type, id, user, user, perms, data_json);
    json_decref(e2e_ctl(e, "dispatch", buf_str(&b)));
    buf_free(&b);
}

struct cb_want {
    char prefix[96];
};

static bool has_callback(json_t *log, void *arg)
{
    const struct cb_want *w = arg;
    return e2e_count_rest(log, "POST", w->prefix, 0) > 0;
}

/* Waits at most 3 s for interaction id's callback; returns its body (a new ref). */
static json_t *callback(struct e2e *e, const char *id)
{
    struct cb_want w;
    snprintf(w.prefix, sizeof(w.prefix), "/interactions/%s/", id);
    json_t *log = e2e_wait(e, has_callback, &w, 3000);
    if (!log)
        fail_msg("no callback for interaction %s within 3 s", id);
    json_t *r = e2e_nth_rest(log, "POST", w.prefix, 0);
    assert_int_equal(json_integer_value(json_object_get(r, "status")), 204);
    assert_int_equal(json_array_size(json_object_get(r, "problems")), 0);
    json_t *body = json_incref(json_object_get(r, "body"));
    json_decref(log);
    assert_non_null(body);
    return body;
}

static const char *content_of(json_t *cb)
{
    const char *s = json_string_value(json_object_get(json_object_get(cb, "data"), "content"));
    return s ? s : "";
}

/* A type 4 ephemeral message callback whose content contains want. */
static json_t *expect_message(struct e2e *e, const char *id, const char *want)
{
    json_t *cb = callback(e, id);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 4);
    json_t *data = json_object_get(cb, "data");
    assert_int_equal(json_integer_value(json_object_get(data, "flags")) & 64, 64);
    if (!strstr(content_of(cb), want))
        fail_msg("interaction %s: expected \"%s\" in \"%s\"", id, want, content_of(cb));
    return cb;
}

/* `cohortbot export checkins --db` on the live database; returns stdout (malloc'd). */
static char *export_csv(struct e2e *e)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "'%s' export checkins --db '%s'", getenv("COHORTBOT_BIN"), e->db);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf b;
    buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_append(&b, chunk, n);
    assert_int_equal(pclose(p), 0);
    buf_append(&b, "", 0);
    return buf_take(&b);
}

/* The export's line for user and day, or fail. */
static void expect_row(struct e2e *e, const char *row)
{
    char *csv = export_csv(e);
    assert_non_null(csv);
    if (!strstr(csv, row))
        fail_msg("export lacks \"%s\":\n%s", row, csv);
    free(csv);
}

static bool has_put(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "PUT", "/applications/", 200) > 0;
}

static bool has_day_post(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "POST", WEEK1_POSTS, 200) >= 2; /* week overview + day 1 */
}

/* The custom_id of the first button of the day post. */
static void day_button(struct e2e *e, char *out, size_t n)
{
    json_t *log = e2e_wait(e, has_day_post, NULL, 10000);
    assert_non_null(log);
    json_t *post = json_object_get(e2e_nth_rest(log, "POST", WEEK1_POSTS, 1), "body");
    json_t *row = json_array_get(json_object_get(post, "components"), 0);
    json_t *button = json_array_get(json_object_get(row, "components"), 0);
    const char *cid = json_string_value(json_object_get(button, "custom_id"));
    assert_non_null(cid);
    snprintf(out, n, "%s", cid);
    json_decref(log);
}

static void start_cohort(struct e2e *e)
{
    inject(e, "1700000000000000001", 2, "42", "32",
           "{\"id\":\"1\",\"name\":\"cohort\",\"type\":1,\"options\":[{\"name\":\"start\","
           "\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,\"value\":\"2027-01-06\"},"
           "{\"name\":\"timezone\",\"type\":3,\"value\":\"UTC\"}]}]}");
    json_decref(callback(e, "1700000000000000001"));
}

static void slash_checkin(struct e2e *e)
{
    inject(e, "1700000000000000002", 2, LEARNER, "0",
           "{\"id\":\"2\",\"name\":\"checkin\",\"type\":1,\"options\":[{\"name\":\"hours\","
           "\"type\":10,\"value\":2.5},{\"name\":\"note\",\"type\":3,\"value\":\"read, then "
           "\\\"SQL\\\" lab\"}]}");
    json_decref(expect_message(e, "1700000000000000002", "Checked in for day 1"));
    expect_row(e, GUILD ",2027-01-06," LEARNER ",1,2.5,\"read, then \"\"SQL\"\" lab\",,");
}

/* Button -> confirmation with "Add hours & note" -> modal -> submit. */
static void button_and_modal(struct e2e *e)
{
    char cid[64], data[512];
    day_button(e, cid, sizeof(cid));
    assert_string_equal(cid, "checkin:1:1");
    snprintf(data, sizeof(data), "{\"custom_id\":\"%s\",\"component_type\":2}", cid);
    inject(e, "1700000000000000003", 3, CLICKER, "0", data);
    json_t *cb = expect_message(e, "1700000000000000003", "Checked in for day 1");
    json_t *row = json_array_get(json_object_get(json_object_get(cb, "data"), "components"), 0);
    json_t *add = json_array_get(json_object_get(row, "components"), 0);
    assert_string_equal(json_string_value(json_object_get(add, "label")), "Add hours & note");
    char form[64];
    snprintf(form, sizeof(form), "%s", json_string_value(json_object_get(add, "custom_id")));
    json_decref(cb);
    expect_row(e, GUILD ",2027-01-06," CLICKER ",1,,,,");

    snprintf(data, sizeof(data), "{\"custom_id\":\"%s\",\"component_type\":2}", form);
    inject(e, "1700000000000000004", 3, CLICKER, "0", data);
    cb = callback(e, "1700000000000000004");
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 9);
    const char *save = json_string_value(json_object_get(json_object_get(cb, "data"), "custom_id"));
    assert_string_equal(save, "checkin:1:1:save");
    json_decref(cb);

    inject(e, "1700000000000000005", 5, CLICKER, "0",
           "{\"custom_id\":\"checkin:1:1:save\",\"components\":["
           "{\"type\":1,\"components\":[{\"type\":4,\"custom_id\":\"hours\",\"value\":\"3,5\"}]},"
           "{\"type\":1,\"components\":[{\"type\":4,\"custom_id\":\"note\",\"value\":\"lab 1\"}]}"
           "]}");
    json_decref(expect_message(e, "1700000000000000005", "Updated your check-in for day 1"));
    expect_row(e, GUILD ",2027-01-06," CLICKER ",1,3.5,lab 1,,");
}

static void autocomplete(struct e2e *e)
{
    inject(e, "1700000000000000006", 4, LEARNER, "0",
           "{\"id\":\"3\",\"name\":\"timezone\",\"type\":1,\"options\":[{\"name\":\"zone\","
           "\"type\":3,\"value\":\"berl\",\"focused\":true}]}");
    json_t *cb = callback(e, "1700000000000000006");
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 8);
    json_t *choices = json_object_get(json_object_get(cb, "data"), "choices");
    assert_true(json_array_size(choices) >= 1 && json_array_size(choices) <= 25);
    bool berlin = false;
    size_t i;
    json_t *c;
    json_array_foreach(choices, i, c) berlin |=
        !strcmp(json_string_value(json_object_get(c, "value")), "Europe/Berlin");
    assert_true(berlin);
    json_decref(cb);
}

static void refusal(struct e2e *e)
{
    inject(e, "1700000000000000007", 2, LEARNER, "0",
           "{\"id\":\"2\",\"name\":\"checkin\",\"type\":1,\"options\":[{\"name\":\"day\","
           "\"type\":4,\"value\":5}]}");
    json_decref(expect_message(e, "1700000000000000007",
                               "Day 5 hasn't started yet: today is day 1 in your time zone"));
    char *csv = export_csv(e);
    assert_null(strstr(csv, LEARNER ",5,"));
    free(csv);
}

static bool has_edit(json_t *log, void *arg)
{
    return e2e_count_rest(log, "PATCH", (const char *)arg, 0) > 0;
}

/* The n-th (0-based) request of the log matching method and path prefix: its index. */
static int index_of(json_t *log, const char *method, const char *prefix)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        if (!strcmp(json_string_value(json_object_get(r, "method")), method) &&
            !strncmp(json_string_value(json_object_get(r, "path")), prefix, strlen(prefix)))
            return (int)i;
    }
    return -1;
}

/* /progress: the text reply goes out at once, without the card (the callback is plain
 * JSON, no upload, nothing waits for the picture); then the render worker's card is
 * added by editing the reply: PATCH /webhooks/{app}/{token}/messages/@original, sent
 * only after the callback was taken (the fake answers 10008 to an edit without an
 * original), multipart, checked against IncomingWebhookUpdateRequestPartial, with a
 * PNG that decodes (1000x500, at most 200 KB) as files[0], named in attachments and
 * shown by an embed through attachment://progress.png, and the text kept. */
static void progress_card(struct e2e *e)
{
    inject(e, "1700000000000000008", 2, LEARNER, "0",
           "{\"id\":\"4\",\"name\":\"progress\",\"type\":1}");
    json_t *cb = expect_message(e, "1700000000000000008", "Progress of <@" LEARNER ">");
    json_t *data = json_object_get(cb, "data");
    assert_null(json_object_get(data, "attachments"));
    assert_int_equal(json_array_size(json_object_get(data, "embeds")), 0);
    json_decref(cb);
    const char *edit = "/webhooks/800000000000000001/itok-1700000000000000008/messages/@original";
    json_t *log = e2e_wait(e, has_edit, (void *)edit, 10000);
    if (!log)
        fail_msg("no edit of the /progress reply");
    int icb = index_of(log, "POST", "/interactions/1700000000000000008/");
    int ied = index_of(log, "PATCH", edit);
    assert_true(icb >= 0 && ied > icb); /* the text first, the picture after */
    json_t *c = e2e_nth_rest(log, "POST", "/interactions/1700000000000000008/", 0);
    assert_false(json_is_true(json_object_get(c, "multipart")));
    json_t *r = e2e_nth_rest(log, "PATCH", edit, 0);
    assert_int_equal(json_integer_value(json_object_get(r, "status")), 200);
    assert_int_equal(json_array_size(json_object_get(r, "problems")), 0);
    assert_true(json_integer_value(json_object_get(r, "t")) >=
                json_integer_value(json_object_get(c, "t")));
    assert_true(json_is_true(json_object_get(r, "multipart")));
    json_t *body = json_object_get(r, "body");
    assert_non_null(
        strstr(json_string_value(json_object_get(body, "content")), "Progress of <@" LEARNER ">"));
    assert_null(json_object_get(body, "flags")); /* an edit leaves the flags alone */
    json_t *embeds = json_object_get(body, "embeds");
    json_t *img = json_object_get(json_array_get(embeds, json_array_size(embeds) - 1), "image");
    assert_string_equal(json_string_value(json_object_get(img, "url")),
                        "attachment://progress.png");
    json_t *att = json_array_get(json_object_get(body, "attachments"), 0);
    assert_string_equal(json_string_value(json_object_get(att, "id")), "0");
    assert_string_equal(json_string_value(json_object_get(att, "filename")), "progress.png");
    json_t *f = json_array_get(json_object_get(r, "files"), 0);
    assert_string_equal(json_string_value(json_object_get(f, "field")), "files[0]");
    assert_string_equal(json_string_value(json_object_get(f, "filename")), "progress.png");
    assert_true(json_is_true(json_object_get(f, "png_valid")));
    assert_int_equal(json_integer_value(json_object_get(f, "width")), 1000);
    assert_int_equal(json_integer_value(json_object_get(f, "height")), 500);
    json_int_t len = json_integer_value(json_object_get(f, "len"));
    assert_true(len > 1000 && len <= 200 * 1024);
    json_decref(log);
    assert_false(e2e_botlog_has(e, "itok-1700000000000000008")); /* tokens are never logged */
}

static size_t grab(char *p, size_t sz, size_t n, void *arg)
{
    char *out = arg;
    size_t have = strlen(out), add = sz * n;
    if (have + add >= 65536)
        add = 65535 - have;
    memcpy(out + have, p, add);
    out[have + add] = '\0';
    return sz * n;
}

/* The bot's /metrics (http_port) into out (64 KiB). */
static void metrics(int port, char *out)
{
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
    out[0] = '\0';
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, grab);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
}

static void want_metric(const char *body, const char *line)
{
    if (!strstr(body, line))
        fail_msg("/metrics has no \"%s\"", line);
}

static struct e2e g_e;
static char g_metrics[65536];

/* After a failed assertion: stop the bot and the fake so nothing outlives the test. */
static int teardown(void **state)
{
    (void)state;
    if (g_e.bot > 0)
        kill(g_e.bot, SIGKILL);
    if (g_e.fake > 0 && kill(g_e.fake, 0) == 0)
        kill(g_e.fake, SIGKILL);
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    return 0;
}

static void test_checkin_through_discord(void **state)
{
    (void)state;
    struct e2e *ep = &g_e;
    e2e_start_fake(ep, NULL);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-06T08:59:57Z", 1);
    int hport = e2e_free_port();
    char cfg[96];
    snprintf(cfg, sizeof(cfg), "{\"guild_id\":\"" GUILD "\",\"http_port\":%d}", hport);
    e2e_start_bot(ep, cfg);
    json_decref(e2e_wait(ep, has_put, NULL, 10000));
    start_cohort(ep);
    slash_checkin(ep);
    button_and_modal(ep);
    autocomplete(ep);
    refusal(ep);
    progress_card(ep);
    metrics(hport, g_metrics);
    want_metric(g_metrics, "cohortbot_pictures_total{result=\"drawn\"} 1\n");
    want_metric(g_metrics, "cohortbot_pictures_total{result=\"failed\"} 0\n");
    want_metric(g_metrics, "cohortbot_interaction_edits_total{result=\"ok\"} 1\n");
    want_metric(g_metrics, "cohortbot_picture_queue 0\n");
    assert_int_equal(e2e_stop_bot(ep), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(ep); /* asserts no callback broke Discord's limits */
    g_e.fake = g_e.bot = 0;
}

/* A picture that cannot be drawn never costs the text: the bot runs with a fontconfig
 * configuration that has no fonts at all (FONTCONFIG_FILE), so the render worker fails
 * every picture ("no fonts"). /progress and /leaderboard still answer with their text,
 * no edit is ever sent, and each failure is logged. */
static void test_picture_failure_keeps_text(void **state)
{
    (void)state;
    struct e2e *ep = &g_e;
    e2e_start_fake(ep, NULL);
    char conf[600], cache[600];
    snprintf(conf, sizeof(conf), "%s/no-fonts.conf", ep->dir);
    snprintf(cache, sizeof(cache), "%s/fc-cache", ep->dir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f,
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
            "<fontconfig><dir>%s/no-such-fonts</dir><cachedir>%s</cachedir></fontconfig>\n",
            ep->dir, cache);
    fclose(f);
    setenv("FONTCONFIG_FILE", conf, 1);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-06T08:59:57Z", 1);
    int hport = e2e_free_port();
    char cfg[96];
    snprintf(cfg, sizeof(cfg), "{\"guild_id\":\"" GUILD "\",\"http_port\":%d}", hport);
    e2e_start_bot(ep, cfg);
    unsetenv("FONTCONFIG_FILE");
    json_decref(e2e_wait(ep, has_put, NULL, 10000));
    start_cohort(ep);
    slash_checkin(ep);
    inject(ep, "1700000000000000021", 2, LEARNER, "0",
           "{\"id\":\"4\",\"name\":\"progress\",\"type\":1}");
    json_decref(expect_message(ep, "1700000000000000021", "Progress of <@" LEARNER ">"));
    assert_true(e2e_wait_botlog(ep,
                                "Progress card for interaction 1700000000000000021 not "
                                "drawn: no fonts",
                                1, 20000));
    inject(ep, "1700000000000000022", 2, LEARNER, "0",
           "{\"id\":\"5\",\"name\":\"leaderboard\",\"type\":1}");
    json_t *lb = callback(ep, "1700000000000000022"); /* not ephemeral: everyone sees it */
    assert_non_null(strstr(content_of(lb), "Leaderboard"));
    json_decref(lb);
    assert_true(e2e_wait_botlog(ep,
                                "Leaderboard card for interaction 1700000000000000022 not "
                                "drawn: no fonts",
                                1, 20000));
    json_t *log = e2e_log(ep);
    assert_int_equal(e2e_count_rest(log, "PATCH", "/webhooks/", 0), 0);
    json_decref(log);
    metrics(hport, g_metrics);
    want_metric(g_metrics, "cohortbot_pictures_total{result=\"drawn\"} 0\n");
    want_metric(g_metrics, "cohortbot_pictures_total{result=\"failed\"} 2\n");
    want_metric(g_metrics, "cohortbot_interaction_edits_total{result=\"ok\"} 0\n");
    assert_int_equal(e2e_stop_bot(ep), 0);
    unsetenv("COHORTBOT_FAKE_NOW");
    e2e_finish(ep);
    g_e.fake = g_e.bot = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_checkin_through_discord, teardown),
        cmocka_unit_test_teardown(test_picture_failure_keeps_text, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
