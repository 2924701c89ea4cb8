/* test_e2e_shards.c - shards as processes: two real cohortbot processes (shard_count
 * "auto", --shard 0 and --shard 1, each with its own database) against one fake
 * Discord that recommends 2 shards with max_concurrency 1 and routes each guild to
 * shard (guild_id >> 22) % 2. Four guilds: every guild's /cohort start is answered
 * once, by its own shard (its cohort is in that shard's database and nowhere else);
 * each guild's daily posts are made once, in that guild's week channel; the two
 * IDENTIFYs (one bucket) are at least 5 s apart; `cohortbot shards` prints the plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

#define NG 4
static char g_guild[NG][24], g_week[NG][24];

static void make_guilds(void)
{
    for (int k = 0; k < NG; k++) { /* (id >> 22) % 2 == k % 2 */
        uint64_t id = (UINT64_C(1000000000000) + (uint64_t)k) << 22;
        snprintf(g_guild[k], sizeof(g_guild[k]), "%" PRIu64, id);
        snprintf(g_week[k], sizeof(g_week[k]), "%" PRIu64, id + 2);
    }
}

static pid_t start_shard(struct e2e *e, int shard, const char *now)
{
    char db[160], logp[160], base[80], id[8];
    snprintf(db, sizeof(db), "%s/shard-%d.db", e->dir, shard);
    snprintf(logp, sizeof(logp), "%s/shard-%d.log", e->dir, shard);
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/api/v10", e->port);
    snprintf(id, sizeof(id), "%d", shard);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
        }
        setenv("DISCORD_TOKEN", "test-token-not-real-0000", 1);
        setenv("COHORTBOT_API_BASE", base, 1);
        setenv("COHORTBOT_RUNTIME_DIR", e->dir, 1); /* the identify locks */
        setenv("COHORTBOT_FAKE_NOW", now, 1);
        execl(getenv("COHORTBOT_BIN"), "cohortbot", "--config", e->config, "--shard", id, "--db",
              db, "--log-level", "debug", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static bool two_ready(json_t *log, void *arg)
{
    (void)arg;
    return json_integer_value(json_object_get(log, "identifies")) >= 2 &&
           e2e_count_rest(log, "PUT", "/applications/", 200) >= 2;
}

static void cohort_start(struct e2e *e, int k)
{
    char body[1400];
    snprintf(body, sizeof(body),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"160000000000000010%d\","
             "\"application_id\":\"800000000000000001\",\"type\":2,\"token\":\"itok-g%d\","
             "\"guild_id\":\"%s\",\"channel_id\":\"%s\",\"member\":{\"user\":{\"id\":\"42\","
             "\"username\":\"admin\"},\"permissions\":\"32\"},\"data\":{\"id\":\"1\",\"name\":"
             "\"cohort\",\"type\":1,\"options\":[{\"name\":\"start\",\"type\":1,\"options\":[{"
             "\"name\":\"date\",\"type\":3,\"value\":\"2027-01-04\"}]}]}}}",
             k, k, g_guild[k], g_week[k]);
    json_decref(e2e_ctl(e, "dispatch", body));
}

static int count_prefix(json_t *log, const char *method, const char *fmt, const char *a)
{
    char prefix[128];
    snprintf(prefix, sizeof(prefix), fmt, a);
    return e2e_count_rest(log, method, prefix, 0);
}

static bool all_answered_and_posted(json_t *log, void *arg)
{
    (void)arg;
    for (int k = 0; k < NG; k++) {
        char ix[32];
        snprintf(ix, sizeof(ix), "160000000000000010%d", k);
        if (count_prefix(log, "POST", "/interactions/%s/", ix) < 1 ||
            count_prefix(log, "POST", "/channels/%s/messages", g_week[k]) < 2)
            return false;
    }
    return true;
}

/* The guild ids in a shard's cohorts table, comma-joined in id order. */
static void cohorts_of(struct e2e *e, int shard, char *out, size_t outlen)
{
    char db[160];
    snprintf(db, sizeof(db), "%s/shard-%d.db", e->dir, shard);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT guild_id FROM cohorts ORDER BY guild_id", -1, &st, NULL),
        SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%s%s", n ? "," : "",
                 (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static int wait_exit(pid_t pid)
{
    int st = 0;
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void two_shards_four_guilds(void **state)
{
    (void)state;
    make_guilds();
    char fcfg[256];
    snprintf(fcfg, sizeof(fcfg),
             "{\"shards\":2,\"max_concurrency\":1,\"guilds\":[\"%s\",\"%s\",\"%s\",\"%s\"]}",
             g_guild[0], g_guild[1], g_guild[2], g_guild[3]);
    struct e2e e;
    e2e_start_fake(&e, fcfg);
    FILE *f = fopen(e.config, "w");
    fputs("{\"shard_count\":\"auto\",\"catchup_hours\":12}", f);
    fclose(f);
    const char *now = "2027-01-04T13:59:40Z"; /* 08:59:40 in New York: day 1 at 09:00 */
    pid_t s0 = start_shard(&e, 0, now), s1 = start_shard(&e, 1, now);
    json_t *log = e2e_wait(&e, two_ready, NULL, 90000);
    assert_non_null(log);
    /* the IDENTIFYs: shard [0,2] and [1,2], one bucket, at least 5 s apart */
    int64_t t[2] = {-1, -1};
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(log, "gw"), i, g)
    {
        if (json_integer_value(json_object_get(g, "op")) != 2)
            continue;
        json_t *sh = json_object_get(json_object_get(g, "d"), "shard");
        int id = (int)json_integer_value(json_array_get(sh, 0));
        assert_int_equal(json_integer_value(json_array_get(sh, 1)), 2);
        assert_true(id == 0 || id == 1);
        t[id] = json_integer_value(json_object_get(g, "t"));
    }
    assert_true(t[0] >= 0 && t[1] >= 0);
    int64_t gap = t[0] > t[1] ? t[0] - t[1] : t[1] - t[0];
    print_message("identify gap between the two shards: %lld ms\n", (long long)gap);
    assert_true(gap >= 5000);
    assert_int_equal(json_integer_value(json_object_get(log, "identify_too_soon")), 0);
    json_decref(log);

    for (int k = 0; k < NG; k++)
        cohort_start(&e, k);
    log = e2e_wait(&e, all_answered_and_posted, NULL, 90000);
    assert_non_null(log);
    json_decref(log);
    /* stop both (clean exit), then count: nothing more can be sent */
    assert_int_equal(wait_exit(s0), 0);
    assert_int_equal(wait_exit(s1), 0);
    log = e2e_log(&e);
    for (int k = 0; k < NG; k++) {
        char ix[32];
        snprintf(ix, sizeof(ix), "160000000000000010%d", k);
        assert_int_equal(count_prefix(log, "POST", "/interactions/%s/", ix), 1);
        assert_int_equal(count_prefix(log, "POST", "/channels/%s/messages", g_week[k]), 2);
    }
    /* nothing was posted anywhere else */
    int chan_posts = 0;
    json_array_foreach(json_object_get(log, "rest"), i, g)
    {
        const char *p = json_string_value(json_object_get(g, "path"));
        if (p && !strncmp(p, "/channels/", 10))
            chan_posts++;
    }
    assert_int_equal(chan_posts, 2 * NG);
    json_decref(log);
    char c0[256], c1[256], want0[64], want1[64];
    cohorts_of(&e, 0, c0, sizeof(c0));
    cohorts_of(&e, 1, c1, sizeof(c1));
    snprintf(want0, sizeof(want0), "%s,%s", g_guild[0], g_guild[2]);
    snprintf(want1, sizeof(want1), "%s,%s", g_guild[1], g_guild[3]);
    assert_string_equal(c0, want0);
    assert_string_equal(c1, want1);

    /* the plan, from the same /gateway/bot */
    char cmd[600];
    snprintf(
        cmd, sizeof(cmd),
        "DISCORD_TOKEN=test-token-not-real-0000 COHORTBOT_API_BASE=http://127.0.0.1:%d/api/v10 "
        "'%s' shards --config '%s'",
        e.port, getenv("COHORTBOT_BIN"), e.config);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[4096];
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    print_message("%s", out);
    assert_non_null(strstr(out, "recommended shards: 2"));
    assert_non_null(strstr(out, "max_concurrency: 1"));
    assert_non_null(strstr(out, "0\t0\t+0s\tcohortbot@0.service\tshard-0.db"));
    assert_non_null(strstr(out, "1\t0\t+5s\tcohortbot@1.service\tshard-1.db"));
    assert_null(strstr(out, "test-token-not-real"));
    for (int k = 0; k < 2; k++) { /* the token never reached a shard's log */
        char lp[160], line[4096];
        snprintf(lp, sizeof(lp), "%s/shard-%d.log", e.dir, k);
        FILE *lf = fopen(lp, "r");
        assert_non_null(lf);
        while (fgets(line, sizeof(line), lf))
            assert_null(strstr(line, "test-token-not-real"));
        fclose(lf);
    }
    if (!getenv("E2E_KEEP")) {
        snprintf(cmd, sizeof(cmd), "rm -f '%s'/shard-* '%s'/identify-*.lock", e.dir, e.dir);
        assert_int_equal(system(cmd), 0);
    }
    e2e_finish(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(two_shards_four_guilds)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
