/* test_checkin.c - the check-in store (upsert keeps the first time), privacy rules
 * through the real handlers (recording chat, real SQLite file), /mydata export and
 * delete, CSV quoting and the export tool, group commit (replies held until the
 * commit, apologies after a rollback), the organisers' report and nudges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/app.h"
#include "bot/console.h"
#include "bot/err.h"
#include "bot/export.h"
#include "bot/gcommit.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "bot/store_int.h"
#include "bot/tz.h"
#include "commands/ckcore.h"
#include "commands/registry.h"
#include "schedules/cohort.h"
#include "schedules/nudge.h"
#include "render/render.h"

#define GUILD "1000000000000000001"
/* console-style members: ids as the console parser derives them from names */
static char ANN[IX_ID_LEN], BEN[IX_ID_LEN], MEG[IX_ID_LEN]; /* Meg mentors Ben */

struct rec { /* a recording chat */
    char last[8192];
    int replies, dms, posts;
    char dm_to[32];
    struct message last_msg;
};

static void render(struct rec *r, const struct message *m)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    msg_render_text(m, &b);
    snprintf(r->last, sizeof(r->last), "%s", buf_str(&b));
    buf_free(&b);
    msg_free(&r->last_msg);
    msg_copy(&r->last_msg, m);
}

static int r_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    (void)ix;
    struct rec *r = impl;
    r->replies++;
    render(r, m);
    return 0;
}

static int r_dm(void *impl, const char *user, const struct message *m, const char *nonce,
                chat_done_fn done, void *arg)
{
    (void)nonce;
    struct rec *r = impl;
    r->dms++;
    snprintf(r->dm_to, sizeof(r->dm_to), "%s", user);
    render(r, m);
    struct chat_result res = {.rc = 0, .id = "1"};
    done(arg, &res);
    return 0;
}

static int r_post(void *impl, const char *ch, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    (void)ch;
    (void)nonce;
    struct rec *r = impl;
    r->posts++;
    render(r, m);
    struct chat_result res = {.rc = 0, .id = "1"};
    if (done)
        done(arg, &res);
    return 0;
}

static int r_defer(void *impl, struct interaction *ix)
{
    (void)impl;
    (void)ix;
    return 0;
}

static const struct chat_ops rec_ops = {
    .post = r_post, .dm = r_dm, .reply = r_reply, .defer = r_defer};

struct fx {
    char path[64];
    struct app app;
    struct rec rec;
    struct cohort co;
    int64_t now;
};

static int64_t utc(const char *s)
{
    int64_t t = 0;
    tz_parse_iso_utc(s, &t);
    return t;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    console_user_id("ann", ANN);
    console_user_id("ben", BEN);
    console_user_id("meg", MEG);
    snprintf(f->path, sizeof(f->path), "/tmp/cohortbot-ck-XXXXXX");
    int fd = mkstemp(f->path);
    close(fd);
    unlink(f->path);
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open(f->path, &f->app.store, err, sizeof(err)), 0);
    msg_init(&f->rec.last_msg);
    f->app.chat = (struct chat){.ops = &rec_ops, .impl = &f->rec};
    f->co = (struct cohort){.guild_id = GUILD,
                            .curriculum = "data-engineer",
                            .start_date = "2026-03-02",
                            .timezone = "UTC",
                            .post_time = "09:00"};
    assert_int_equal(store_cohort_put(f->app.store, &f->co, 0), 0);
    f->now = utc("2026-03-05T12:00:00Z"); /* day 4 */
    f->app.clock_offset = f->now - (int64_t)time(NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->app.store);
    msg_free(&f->rec.last_msg);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

/* Runs a console-style line as `user` through the real registry. */
static const char *run_as(struct fx *f, const char *user, bool admin, const char *guild,
                          const char *line)
{
    json_t *data = NULL;
    char err[256];
    f->rec.last[0] = '\0';
    if (cmd_console_parse(&f->app, line, &data, err, sizeof(err))) {
        snprintf(f->rec.last, sizeof(f->rec.last), "%s", err);
        return f->rec.last;
    }
    struct interaction ix = {.type = IX_COMMAND, .console = true, .data = data};
    snprintf(ix.id, sizeof(ix.id), "1");
    snprintf(ix.guild_id, sizeof(ix.guild_id), "%s", guild);
    snprintf(ix.user_id, sizeof(ix.user_id), "%s", user);
    ix.permissions = admin ? PERM_MANAGE_GUILD : 0;
    ix.token = strdup("t");
    cmd_dispatch(&f->app, &ix);
    ix_free(&ix);
    return f->rec.last;
}

static const char *press_as(struct fx *f, const char *user, const char *custom_id, json_t *inputs)
{
    struct interaction ix = {.type = inputs ? IX_MODAL : IX_COMPONENT, .console = true};
    ix.data = json_pack("{s:s}", "custom_id", custom_id);
    if (inputs)
        json_object_set_new(ix.data, "components", inputs);
    snprintf(ix.guild_id, sizeof(ix.guild_id), GUILD);
    snprintf(ix.user_id, sizeof(ix.user_id), "%s", user);
    ix.token = strdup("t");
    f->rec.last[0] = '\0';
    cmd_dispatch(&f->app, &ix);
    ix_free(&ix);
    return f->rec.last;
}

/* Round 1 pairs mentor with mentee (who also signed up as a mentee). */
static void pair(struct fx *f, const char *mentor, const char *mentee)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO pair_rounds(id,cohort_id,round_no,seed,run_at,inputs,result)"
             " VALUES(1,%lld,1,7,0,'[\"%s\"]','{}');"
             "INSERT INTO pairs(round_id,mentor_id,mentee_id,cost,reason,slot_at,met)"
             " VALUES(1,'%s','%s',1,'tz',NULL,NULL);"
             "INSERT INTO mentees VALUES(%lld,'%s','streaming',NULL,1,0);",
             (long long)f->co.id, mentee, mentor, mentee, (long long)f->co.id, mentee);
    assert_int_equal(sqlite3_exec(f->app.store->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_put_keeps_first_time(void **state)
{
    struct fx *f = *state;
    struct checkin ck = {.cohort_id = f->co.id, .day = 2, .hours = 1.5};
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", ANN);
    snprintf(ck.note, sizeof(ck.note), "first");
    bool updated = true;
    assert_int_equal(store_checkin_put(f->app.store, &ck, 100, &updated), 0);
    assert_false(updated);
    ck.hours = -1; /* not given: keeps 1.5 */
    snprintf(ck.note, sizeof(ck.note), "second");
    assert_int_equal(store_checkin_put(f->app.store, &ck, 200, &updated), 0);
    assert_true(updated);
    struct checkin got;
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, ANN, 2, &got), 0);
    assert_true(got.hours == 1.5);
    assert_string_equal(got.note, "second");
    assert_int_equal(got.created_at, 100);
    assert_int_equal(got.updated_at, 200);
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, ANN, 3, &got), BOT_ENOTFOUND);
    ck.hours = 25; /* the schema refuses it too */
    ck.day = 5;
    assert_int_not_equal(store_checkin_put(f->app.store, &ck, 300, &updated), 0);
    assert_false(store_txn_open(f->app.store));
}

static void test_refusals_and_dm(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *guild, *line, *want;
    } t[] = {
        {"", "/checkin", "not in DMs"},
        {GUILD, "/checkin day:5", "Day 5 hasn't started yet"},
        {GUILD, "/checkin day:71", "outside the curriculum (days 1-70)"},
        {GUILD, "/checkin link:ftp://x", "https://"},
        {GUILD, "/checkin link:\"https://a b\"", "https://"},
        {GUILD, "/checkin hours:-1", "between 0 and 24"},
        {GUILD, "/leaderboard week:11", "outside the curriculum"},
        {GUILD, "/leaderboard week:3", "hasn't started"},
        {GUILD, "/timezone zone:Nowhere/Land", "not a time zone I know"},
        {"", "/mydata export", "inside the cohort's server"},
        {"", "/privacy", "inside the cohort's server"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *out = run_as(f, ANN, false, t[i].guild, t[i].line);
        print_message("%s -> %s\n", t[i].line, out);
        assert_non_null(strstr(out, t[i].want));
    }
    struct checkin got;
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, ANN, 4, &got), BOT_ENOTFOUND);
}

static void test_privacy_rules(void **state)
{
    struct fx *f = *state;
    assert_non_null(strstr(run_as(f, BEN, false, GUILD, "/checkin hours:2"), "day 4"));
    /* Ben is Meg's mentee in the latest round */
    pair(f, MEG, BEN);
    static const struct {
        const char *viewer;
        bool admin;
        bool visible;
    } t[] = {{BEN, false, true}, {ANN, false, false}, {ANN, true, true}, {MEG, false, true}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *out = run_as(f, t[i].viewer, t[i].admin, GUILD, "/progress member:ben");
        print_message("viewer %zu: %s\n", i, out);
        assert_int_equal(strstr(out, "keeps their progress private") == NULL, t[i].visible);
        if (t[i].visible)
            assert_non_null(strstr(out, "1 of 4 elapsed days done"));
    }
    run_as(f, BEN, false, GUILD, "/privacy progress:public");
    assert_non_null(strstr(run_as(f, ANN, false, GUILD, "/progress member:ben"), "1 of 4"));
    /* leaderboard opt-out */
    run_as(f, ANN, false, GUILD, "/checkin");
    char ben_at[32], ann_at[32];
    snprintf(ben_at, sizeof(ben_at), "<@%s>", BEN);
    snprintf(ann_at, sizeof(ann_at), "<@%s>", ANN);
    assert_non_null(strstr(run_as(f, ANN, false, GUILD, "/leaderboard"), ben_at));
    run_as(f, BEN, false, GUILD, "/privacy leaderboard:off");
    const char *lb = run_as(f, ANN, false, GUILD, "/leaderboard");
    assert_null(strstr(lb, ben_at));
    assert_non_null(strstr(lb, ann_at));
}

static void test_button_and_modal(void **state)
{
    struct fx *f = *state;
    char id[64], bad[64];
    snprintf(id, sizeof(id), "checkin:%lld:3", (long long)f->co.id);
    assert_non_null(strstr(press_as(f, ANN, id, NULL), "Checked in for day 3"));
    assert_int_equal(f->rec.last_msg.nbuttons, 1);
    assert_non_null(strstr(f->rec.last_msg.buttons[0].custom_id, ":3:form"));
    press_as(f, ANN, f->rec.last_msg.buttons[0].custom_id, NULL);
    assert_int_equal(f->rec.last_msg.kind, MSG_KIND_MODAL);
    char save[101];
    snprintf(save, sizeof(save), "%s", f->rec.last_msg.modal_id);
    json_t *in = json_pack("[{s:i,s:{s:i,s:s,s:s}},{s:i,s:{s:i,s:s,s:s}}]", "type", 18, "component",
                           "type", 4, "custom_id", "hours", "value", "lots", "type", 18,
                           "component", "type", 4, "custom_id", "note", "value", "ok");
    assert_non_null(strstr(press_as(f, ANN, save, in), "Hours must be a number"));
    in = json_pack("[{s:i,s:{s:i,s:s,s:s}},{s:i,s:{s:i,s:s,s:s}}]", "type", 18, "component", "type",
                   4, "custom_id", "hours", "value", "2,5", "type", 18, "component", "type", 4,
                   "custom_id", "note", "value", "read the docs");
    assert_non_null(strstr(press_as(f, ANN, save, in), "Updated your check-in for day 3"));
    struct checkin got;
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, ANN, 3, &got), 0);
    assert_true(got.hours == 2.5);
    assert_string_equal(got.note, "read the docs");
    snprintf(bad, sizeof(bad), "checkin:%lld:3", (long long)f->co.id + 1);
    assert_non_null(strstr(press_as(f, ANN, bad, NULL), "earlier cohort"));
    assert_non_null(strstr(press_as(f, ANN, "checkin:x:3", NULL), "damaged"));
    snprintf(bad, sizeof(bad), "checkin:%lld:9", (long long)f->co.id);
    assert_non_null(strstr(press_as(f, ANN, bad, NULL), "hasn't started yet"));
}

static void test_export_and_delete(void **state)
{
    struct fx *f = *state;
    run_as(f, ANN, false, GUILD, "/checkin hours:3 note:\"a, \\\"quoted\\\" note\"");
    run_as(f, ANN, false, GUILD, "/timezone zone:Europe/Berlin");
    run_as(f, BEN, false, GUILD, "/checkin day:2");
    pair(f, MEG, ANN);
    run_as(f, ANN, false, GUILD, "/mydata export");
    assert_non_null(f->rec.last_msg.file.data);
    json_error_t je;
    json_t *j = json_loadb(f->rec.last_msg.file.data, f->rec.last_msg.file.len, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "checkins")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "settings"), 0), "timezone")),
                        "Europe/Berlin");
    assert_int_equal(json_array_size(json_object_get(j, "pairings")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "mentee_signups")), 1);
    json_decref(j);
    /* delete: asks first; only the member can confirm */
    run_as(f, ANN, false, GUILD, "/mydata delete");
    assert_int_equal(f->rec.last_msg.nbuttons, 2);
    char yes[64];
    snprintf(yes, sizeof(yes), "%s", f->rec.last_msg.buttons[0].custom_id);
    assert_non_null(strstr(press_as(f, BEN, yes, NULL), "not for you"));
    assert_non_null(strstr(press_as(f, ANN, yes, NULL), "Deleted: 4 rows"));
    json_t *after = NULL;
    assert_int_equal(store_member_export_json(f->app.store, GUILD, ANN, &after), 0);
    const char *keys[] = {"settings", "checkins", "mentee_signups", "pairings"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(json_array_size(json_object_get(after, keys[i])), 0);
    json_decref(after);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(f->app.store->db, "SELECT count(*) FROM pair_rounds WHERE instr(inputs,?1)",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, ANN, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    struct checkin got; /* Ben's row is untouched */
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, BEN, 2, &got), 0);
}

static void test_csv(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *in, *want;
    } t[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rhere", "\"cr\rhere\""},
        {" lead", "\" lead\""},
        {"ünïcödé", "ünïcödé"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct buf b;
        buf_init(&b, 1024);
        assert_int_equal(export_csv_field(&b, t[i].in), 0);
        assert_string_equal(buf_str(&b), t[i].want);
        buf_free(&b);
    }
    struct checkin ck = {.cohort_id = f->co.id, .day = 1, .hours = 2.5};
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", ANN);
    snprintf(ck.note, sizeof(ck.note), "line1\nline2, \"x\"");
    bool up;
    assert_int_equal(store_checkin_put(f->app.store, &ck, utc("2026-03-02T10:00:00Z"), &up), 0);
    ck.day = 2;
    ck.hours = -1;
    ck.note[0] = '\0';
    snprintf(ck.link, sizeof(ck.link), "https://x.test/a?b=1,2");
    assert_int_equal(store_checkin_put(f->app.store, &ck, utc("2026-03-03T10:00:00Z"), &up), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    char err[BOT_ERR_LEN];
    assert_int_equal(export_checkins(f->path, GUILD, mem, err, sizeof(err)), 0);
    fclose(mem);
    char want[1024];
    snprintf(want, sizeof(want),
             "guild_id,cohort,user_id,day,hours,note,link,created_at\r\n" GUILD
             ",2026-03-02,%s,1,2.5,\"line1\nline2, \"\"x\"\"\",,2026-03-02T10:00:00Z\r\n" GUILD
             ",2026-03-02,%s,2,,,\"https://x.test/a?b=1,2\",2026-03-03T10:00:00Z\r\n",
             ANN, ANN);
    assert_string_equal(text, want);
    free(text);
    mem = open_memstream(&text, &len);
    assert_int_equal(export_checkins(f->path, "999", mem, err, sizeof(err)), 0);
    fclose(mem);
    assert_string_equal(text, "guild_id,cohort,user_id,day,hours,note,link,created_at\r\n");
    free(text);
    mem = open_memstream(&text, &len);
    assert_int_equal(export_checkins("/nonexistent/x.db", NULL, mem, err, sizeof(err)),
                     BOT_ENOTFOUND);
    fclose(mem);
    free(text);
}

static void test_group_commit(void **state)
{
    struct fx *f = *state;
    struct gc *g = gc_new(f->app.store, f->app.chat);
    assert_non_null(g);
    f->app.chat = gc_chat(g);
    assert_int_equal(gc_begin(g), 0);
    run_as(f, ANN, false, GUILD, "/checkin day:1");
    run_as(f, BEN, false, GUILD, "/checkin day:1");
    assert_int_equal(f->rec.replies, 0); /* held: not committed yet */
    assert_int_equal(gc_held(g), 2);
    assert_true(store_txn_open(f->app.store));
    assert_int_equal(gc_flush(g), 0);
    assert_int_equal(f->rec.replies, 2);
    assert_false(store_txn_open(f->app.store));
    /* a rollback inside the batch turns the held acknowledgement into an apology */
    assert_int_equal(gc_begin(g), 0);
    run_as(f, ANN, false, GUILD, "/checkin day:2");
    store_rollback(f->app.store);
    assert_int_equal(gc_flush(g), BOT_EIO);
    assert_non_null(strstr(f->rec.last, "was not saved"));
    struct checkin got;
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, ANN, 2, &got), BOT_ENOTFOUND);
    assert_int_equal(store_checkin_get(f->app.store, f->co.id, BEN, 1, &got), 0);
    f->app.chat = (struct chat){.ops = &rec_ops, .impl = &f->rec};
    gc_free(g);
}

static void test_report_and_nudge(void **state)
{
    struct fx *f = *state;
    f->app.clock_offset = utc("2026-03-10T12:00:00Z") - (int64_t)time(NULL); /* day 9 */
    struct checkin ck = {.cohort_id = f->co.id, .hours = 2};
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", ANN);
    bool up;
    for (int d = 1; d <= 9; d++) { /* Ann: every day */
        ck.day = d;
        store_checkin_put(f->app.store, &ck, utc("2026-03-02T10:00:00Z") + (d - 1) * 86400, &up);
    }
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", BEN); /* Ben: days 1-2, 4 h each */
    ck.hours = 4;
    for (int d = 1; d <= 2; d++) {
        ck.day = d;
        store_checkin_put(f->app.store, &ck, utc("2026-03-02T10:00:00Z") + (d - 1) * 86400, &up);
    }
    struct interaction ix = {.type = IX_COMMAND, .guild_id = GUILD};
    snprintf(ix.user_id, sizeof(ix.user_id), "%s", MEG);
    struct message m;
    msg_init(&m);
    struct cmd_ctx c = {.app = &f->app, .ix = &ix, .reply = &m, .now = app_now(&f->app)};
    struct cmd_args a = {.sub = "report"};
    assert_int_equal(checkin_report(&c, &a), 0);
    print_message("%s\n", m.content);
    assert_non_null(strstr(m.content, "Week  1: 2 learners checked in, median 11.0 h"));
    assert_non_null(strstr(m.content, "Week  2: 1 learner checked in, median 4.0 h"));
    char risk[64];
    snprintf(risk, sizeof(risk), "<@%s>: 6 days (last: day 2)", BEN);
    assert_non_null(strstr(m.content, risk));
    snprintf(risk, sizeof(risk), "<@%s>:", ANN);
    assert_null(strstr(m.content, risk));
    msg_free(&m);
    /* nudges: Ben once per gap; not again; not when off */
    int sent = -1;
    assert_int_equal(nudge_run(&f->app, app_now(&f->app), &sent), 0);
    assert_int_equal(sent, 1);
    assert_string_equal(f->rec.dm_to, BEN);
    assert_int_equal(nudge_run(&f->app, app_now(&f->app) + 86400, &sent), 0);
    assert_int_equal(sent, 0);
    ck.day = 10; /* Ben comes back on day 10, then disappears again */
    store_checkin_put(f->app.store, &ck, utc("2026-03-11T10:00:00Z"), &up);
    assert_int_equal(nudge_run(&f->app, utc("2026-03-15T12:00:00Z"), &sent), 0);
    assert_int_equal(sent, 2); /* Ben's new gap, and Ann's first (days 10-13) */
    ck.day = 14;
    store_checkin_put(f->app.store, &ck, utc("2026-03-15T10:00:00Z"), &up);
    struct member mb;
    store_member_get(f->app.store, GUILD, BEN, &mb);
    mb.nudges = false;
    store_member_put(f->app.store, &mb);
    assert_int_equal(nudge_run(&f->app, utc("2026-03-20T12:00:00Z"), &sent), 0);
    assert_int_equal(sent, 0);
}

static void test_timezone_autocomplete(void **state)
{
    struct fx *f = *state;
    struct interaction ix = {.type = IX_AUTOCOMPLETE, .console = true, .guild_id = GUILD};
    snprintf(ix.user_id, sizeof(ix.user_id), "%s", ANN);
    ix.data = json_pack("{s:s,s:[{s:s,s:i,s:s,s:b}]}", "name", "timezone", "options", "name",
                        "zone", "type", 3, "value", "berl", "focused", 1);
    ix.token = strdup("t");
    cmd_dispatch(&f->app, &ix);
    ix_free(&ix);
    assert_int_equal(f->rec.last_msg.kind, MSG_KIND_CHOICES);
    bool berlin = false;
    for (int i = 0; i < f->rec.last_msg.nchoices; i++)
        berlin |= strcmp(f->rec.last_msg.choices[i].value, "Europe/Berlin") == 0;
    assert_true(berlin);
    assert_true(f->rec.last_msg.nchoices <= MSG_MAX_CHOICES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_keeps_first_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_and_dm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_privacy_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_button_and_modal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_and_nudge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timezone_autocomplete, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    render_shutdown(); /* /progress drew cards: release pango's font caches */
    return rc;
}
