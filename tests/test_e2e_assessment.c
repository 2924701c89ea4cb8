/* test_e2e_assessment.c - assessments end to end: the real binary against the fake
 * Discord server with a fixed clock. /assessment start answers with an ephemeral
 * question (type 4), every answer button with an in-place update (type 7) within 3 s;
 * a learner passes at exactly 80% and the rows in the database match what was
 * clicked; two learners answer interleaved; the bot restarts mid-attempt and the next
 * click continues; forged custom_ids (another learner's attempt, a finished attempt,
 * a future question, a choice that does not exist, another cohort's Start button,
 * garbage) are refused and record nothing. The Start assessment post reaches the
 * week-2 channel once (nonce), across the restart, and its button starts an attempt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bot/buf.h"
#include "e2e.h"

#define GUILD "1000000000000000001"
#define WEEK1 "1100000000000000002"
#define ANN "501000000000000001"
#define BEN "502000000000000002"
#define CID "503000000000000003"

static struct e2e g_e;
static int g_ix = 100;
static char g_cfg[1024];

/* Dispatch-to-callback latency of every interaction, from the fake's clock (ms). */
static int g_lat[256], g_nlat;
static json_int_t g_sent_at;

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
    json_t *r = e2e_ctl(e, "dispatch", buf_str(&b));
    g_sent_at = json_integer_value(json_object_get(r, "t"));
    json_decref(r);
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
    if (g_nlat < 256)
        g_lat[g_nlat++] = (int)(json_integer_value(json_object_get(r, "t")) - g_sent_at);
    json_decref(log);
    return body;
}

/* Sends a slash command or a click as `user`; returns the callback (a new ref). */
static json_t *act(struct e2e *e, int type, const char *user, const char *perms, const char *data)
{
    char id[32];
    snprintf(id, sizeof(id), "17100000000000%05d", g_ix++);
    inject(e, id, type, user, perms, data);
    return callback(e, id);
}

static json_t *click(struct e2e *e, const char *user, const char *custom_id)
{
    char data[256];
    snprintf(data, sizeof(data), "{\"custom_id\":\"%s\",\"component_type\":2}", custom_id);
    return act(e, 3, user, "0", data);
}

static json_t *start_cmd(struct e2e *e, const char *user)
{
    return act(e, 2, user, "0",
               "{\"id\":\"9\",\"name\":\"assessment\",\"type\":1,\"options\":[{\"name\":"
               "\"start\",\"type\":1,\"options\":[{\"name\":\"week\",\"type\":4,\"value\":2}]}]}");
}

static int cb_type(json_t *cb)
{
    return (int)json_integer_value(json_object_get(cb, "type"));
}

static const char *content_of(json_t *cb)
{
    const char *s = json_string_value(json_object_get(json_object_get(cb, "data"), "content"));
    return s ? s : "";
}

/* The last embed's title and description. */
static const char *last_embed(json_t *cb, const char *field)
{
    json_t *em = json_object_get(json_object_get(cb, "data"), "embeds");
    const char *s =
        json_string_value(json_object_get(json_array_get(em, json_array_size(em) - 1), field));
    return s ? s : "";
}

static void want(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, hay);
}

/* The custom_id of the button for the choice that is right (or wrong) in the
 * question the callback shows. "Console question N?": right iff N <= upto. */
static void pick(json_t *cb, int upto, char *out, size_t n)
{
    const char *d = last_embed(cb, "description");
    const char *num = strstr(d, "Console question ");
    if (!num)
        fail_msg("no question in %s", json_dumps(cb, 0));
    bool right = atoi(num + strlen("Console question ")) <= upto;
    int k = -1;
    for (int c = 0; c < 5 && k < 0; c++) {
        char pat[40];
        snprintf(pat, sizeof(pat), "**%c.** %s", 'A' + c, right ? "right" : "wrong");
        if (strstr(d, pat))
            k = c;
    }
    assert_true(k >= 0);
    json_t *rows = json_object_get(json_object_get(cb, "data"), "components");
    json_t *btn = json_array_get(json_object_get(json_array_get(rows, 0), "components"), k);
    char label[2] = {(char)('A' + k), 0};
    assert_string_equal(json_string_value(json_object_get(btn, "label")), label);
    snprintf(out, n, "%s", json_string_value(json_object_get(btn, "custom_id")));
}

/* Answers from the question cb shows, n times; returns the last callback. */
static json_t *answer(struct e2e *e, const char *user, json_t *cb, int n, int upto)
{
    for (int i = 0; i < n; i++) {
        char cid[64];
        pick(cb, upto, cid, sizeof(cid));
        json_decref(cb);
        cb = click(e, user, cid);
        assert_int_equal(cb_type(cb), 7); /* updated in place */
    }
    return cb;
}

static int db_int(struct e2e *e, const char *sql)
{
    sqlite3 *db = NULL;
    int v = -1;
    if (sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static bool has_put(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "PUT", "/applications/", 200) > 0;
}

static int g_boots;

static bool identified(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_op(log, 2) >= g_boots;
}

/* Starts the bot and waits for its session (IDENTIFY number g_boots; the first boot
 * also registers the commands). */
static void boot(struct e2e *e)
{
    e2e_start_bot(e, g_cfg);
    g_boots++;
    json_t *log = e2e_wait(e, g_boots == 1 ? has_put : identified, NULL, 10000);
    assert_non_null(log);
    json_decref(log);
}

static void write_bank(const char *dir)
{
    mkdir(dir, 0700);
    char path[600];
    snprintf(path, sizeof(path), "%s/data-engineer-week-02.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"curriculum\":\"data-engineer\",\"week\":2,\"questions\":[");
    for (int i = 0; i < 25; i++)
        fprintf(f,
                "%s{\"id\":\"e%02d\",\"days\":[%d],\"prompt\":\"Console question %d?\","
                "\"choices\":[{\"text\":\"wrong %d\"},{\"text\":\"right %d\",\"correct\":true},"
                "{\"text\":\"wrong x%d\"}],\"explanation\":\"Because.\"}",
                i ? "," : "", i + 1, 1 + i % 14, i + 1, i, i, i);
    fprintf(f, "]}");
    fclose(f);
}

/* ann passes at exactly 80%: 25 answers recorded, score 20, passed. */
static int64_t ann_passes(struct e2e *e, char *first_cid, size_t n)
{
    json_t *cb = start_cmd(e, ANN);
    assert_int_equal(cb_type(cb), 4);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cb, "data"), "flags")), 64);
    want(content_of(cb), "25 questions, one at a time");
    want(last_embed(cb, "title"), "question 1 of 25");
    pick(cb, 20, first_cid, n);
    int64_t attempt = strtoll(first_cid + 4, NULL, 10);
    cb = answer(e, ANN, cb, 25, 20);
    want(last_embed(cb, "title"), "Week 2 assessment: 20 of 25 (80%) · passed ✅");
    json_t *rows = json_object_get(json_object_get(cb, "data"), "components");
    assert_int_equal(json_array_size(rows), 0); /* the buttons are gone */
    json_decref(cb);
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM asm_answers WHERE attempt_id=%lld",
             (long long)attempt);
    assert_int_equal(db_int(e, sql), 25);
    snprintf(sql, sizeof(sql), "SELECT score*10+passed FROM asm_attempts WHERE id=%lld AND state=1",
             (long long)attempt);
    assert_int_equal(db_int(e, sql), 201);
    return attempt;
}

#define WEEK2 "1100000000000000022"
#define WEEK2_POSTS "/channels/" WEEK2 "/messages"

static bool has_week2_post(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "POST", WEEK2_POSTS, 200) > 0;
}

/* A week-2 channel appears; the Start assessment post goes there once, with a nonce,
 * and its button starts an attempt. */
static void start_post(struct e2e *e)
{
    json_decref(e2e_ctl(e, "dispatch",
                        "{\"t\":\"CHANNEL_CREATE\",\"d\":{\"id\":\"" WEEK2 "\",\"type\":0,"
                        "\"name\":\"week-02\",\"guild_id\":\"" GUILD "\"}}"));
    json_t *log = e2e_wait(e, has_week2_post, NULL, 10000);
    assert_non_null(log);
    json_t *post = json_object_get(e2e_nth_rest(log, "POST", WEEK2_POSTS, 0), "body");
    assert_true(json_is_true(json_object_get(post, "enforce_nonce")));
    want(json_string_value(
             json_object_get(json_array_get(json_object_get(post, "embeds"), 0), "title")),
         "Week 2 skills assessment");
    json_t *btn = json_array_get(
        json_object_get(json_array_get(json_object_get(post, "components"), 0), "components"), 0);
    assert_string_equal(json_string_value(json_object_get(btn, "label")), "Start assessment");
    char cid[64];
    snprintf(cid, sizeof(cid), "%s", json_string_value(json_object_get(btn, "custom_id")));
    assert_string_equal(cid, "asmgo:1:2");
    json_decref(log);
    json_t *cb = click(e, "504000000000000004", cid);
    assert_int_equal(cb_type(cb), 4); /* a new ephemeral message, not an edit of the post */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(cb, "data"), "flags")), 64);
    want(last_embed(cb, "title"), "question 1 of 25");
    json_decref(cb);
}

static void refused(struct e2e *e, const char *user, const char *cid, const char *text)
{
    json_t *cb = click(e, user, cid);
    assert_int_equal(cb_type(cb), 4); /* a new ephemeral message: nobody's message is edited */
    want(content_of(cb), text);
    json_decref(cb);
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* A figure, not an assertion: the latency of each answer (committed, then the next
 * question sent) as the fake saw it. */
static void print_latency(void)
{
    qsort(g_lat, (size_t)g_nlat, sizeof(int), cmp_int);
    if (g_nlat)
        fprintf(stderr, "interactions %d: dispatch to callback p50 %d ms, p95 %d ms, max %d ms\n",
                g_nlat, g_lat[g_nlat / 2], g_lat[g_nlat * 95 / 100], g_lat[g_nlat - 1]);
}

static void test_assessment_through_discord(void **state)
{
    (void)state;
    struct e2e *e = &g_e;
    e2e_start_fake(e, NULL);
    char banks[512];
    snprintf(banks, sizeof(banks), "%s/banks", e->dir);
    write_bank(banks);
    snprintf(g_cfg, sizeof(g_cfg), "{\"guild_id\":\"" GUILD "\",\"assessments_dir\":\"%s\"}",
             banks);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-17T00:30:00Z", 1); /* day 14 */
    boot(e);
    json_decref(act(e, 2, "42", "32",
                    "{\"id\":\"1\",\"name\":\"cohort\",\"type\":1,\"options\":[{\"name\":"
                    "\"start\",\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,\"value\":"
                    "\"2027-01-04\"},{\"name\":\"timezone\",\"type\":3,\"value\":\"UTC\"}]}]}"));
    start_post(e);
    char ann_cid[64];
    int64_t ann = ann_passes(e, ann_cid, sizeof(ann_cid));

    /* ben and cid answer interleaved */
    json_t *b = start_cmd(e, BEN), *c = start_cmd(e, CID);
    for (int i = 0; i < 3; i++) {
        b = answer(e, BEN, b, 1, 25);
        c = answer(e, CID, c, 1, 0); /* cid answers everything wrong */
    }
    want(last_embed(b, "title"), "question 4 of 25");
    want(last_embed(c, "title"), "question 4 of 25");
    {
        json_t *f = json_object_get(
            json_array_get(json_object_get(json_object_get(b, "data"), "embeds"), 1), "fields");
        want(json_string_value(json_object_get(json_array_get(f, 1), "value")),
             "3 of 25 answered, 3 correct");
    }
    char ben_next[64], cid_next[64];
    pick(b, 25, ben_next, sizeof(ben_next));
    pick(c, 0, cid_next, sizeof(cid_next));

    /* forged custom_ids */
    char forged[80];
    refused(e, BEN, cid_next, "This assessment attempt is not yours.");
    snprintf(forged, sizeof(forged), "asm:%lld:24:0", (long long)ann);
    refused(e, BEN, forged, "This assessment attempt is not yours.");
    refused(e, ANN, "asm:424242:0:0", "This assessment attempt does not exist.");
    refused(e, BEN, "asm:abc:0:0", "This button is not valid.");
    refused(e, BEN, "asmgo:999:2", "This button belongs to an earlier cohort");
    long long ben_id = strtoll(ben_next + 4, NULL, 10);
    snprintf(forged, sizeof(forged), "asm:%lld:9:0", ben_id);
    refused(e, BEN, forged, "That is not the current question");
    snprintf(forged, sizeof(forged), "asm:%lld:3:4", ben_id);
    refused(e, BEN, forged, "That choice does not exist");
    /* ann's own finished attempt: shown, nothing recorded */
    json_t *fin = click(e, ANN, ann_cid);
    assert_int_equal(cb_type(fin), 7);
    want(content_of(fin), "This attempt has finished; nothing was recorded.");
    json_decref(fin);
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM asm_answers WHERE attempt_id=%lld", ben_id);
    assert_int_equal(db_int(e, sql), 3);
    assert_int_equal(db_int(e, "SELECT count(*) FROM asm_answers"), 25 + 3 + 3);
    json_t *lg = e2e_log(e);
    assert_int_equal(e2e_count_rest(lg, "POST", WEEK2_POSTS, 0), 1); /* posted once */
    json_decref(lg);

    /* restart mid-attempt: ben's next click continues */
    assert_int_equal(e2e_stop_bot(e), 0);
    boot(e);
    json_decref(c);
    json_decref(b);
    b = click(e, BEN, ben_next);
    assert_int_equal(cb_type(b), 7);
    want(last_embed(b, "title"), "question 5 of 25");
    assert_int_equal(db_int(e, sql), 4);
    /* an old button of ben's (question 4, now answered) shows the current question */
    json_t *stale = click(e, BEN, ben_next);
    assert_int_equal(cb_type(stale), 7);
    want(content_of(stale), "That question was already answered");
    want(last_embed(stale, "title"), "question 5 of 25");
    json_decref(stale);
    assert_int_equal(db_int(e, sql), 4);
    json_decref(b);
    lg = e2e_log(e);
    assert_int_equal(e2e_count_rest(lg, "POST", WEEK2_POSTS, 0), 1); /* not again after it */
    json_decref(lg);

    assert_int_equal(e2e_stop_bot(e), 0);
    print_latency();
    unsetenv("COHORTBOT_FAKE_NOW");
    char path[600];
    snprintf(path, sizeof(path), "%s/data-engineer-week-02.json", banks);
    unlink(path);
    rmdir(banks);
    e2e_finish(e); /* no callback broke Discord's limits */
    g_e.fake = g_e.bot = 0;
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_assessment_through_discord, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
