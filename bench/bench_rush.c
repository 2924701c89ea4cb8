/* bench_rush.c - the daily post's rush (issue 12): the real bot (COHORTBOT_BIN) against
 * tests/fakediscord (FAKEDISCORD_BIN) over loopback. The bot starts a cohort and posts
 * day 3's prompt; then the fake sends N (default 1,000) clicks of that post's "Check in"
 * button within S seconds (default 2; INTERACTION_CREATE type 3, component_type 2, the
 * custom_id the bot posted, the message it posted, each from a distinct member with a
 * distinct ~250-character token). Each must be answered once, with the right token,
 * and be one durable row: afterwards `cohortbot export checkins` (the SQLite file) must
 * hold exactly N rows, one per member. In the same run the same clicks go to the floor:
 * bench/floor_client.c, a do-nothing client (libwebsockets + libcurl like the bot) that
 * answers each interaction without any work or storage. Latency = callback received by
 * the fake - moment the click was due to be sent. Prints p50/p99/max and CPU for both.
 * argv: [clicks] [seconds] [rounds (bot then floor, repeated)]. BENCH_RUSH_DUMP=PREFIX
 * writes each round's fake log (ix_clicks: [due, answered] µs per click from
 * ix_start_us, CLOCK_MONOTONIC) to PREFIX-<pid>.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bench/bench_e2e.h"

#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define GUILD "1000000000000000001"
#define WEEK1 "1100000000000000002" /* the fake's #week-1 */
#define WEEK1_POSTS "/channels/" WEEK1 "/messages"
#define TOKEN_LEN 250

struct side {
    struct bench_lat lat;
    double cpu;
    long dup, bad_token, confirmed, other;
};

static bool has_put(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "PUT", "/applications/", 200) > 0;
}

/* The day's prompt (an embed titled "Day 3 …") reached #week-1. */
static json_t *day_post(json_t *log)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *p = json_string_value(json_object_get(r, "path"));
        json_t *b = json_object_get(r, "body");
        const char *title = json_string_value(
            json_object_get(json_array_get(json_object_get(b, "embeds"), 0), "title"));
        if (p && !strcmp(p, WEEK1_POSTS) &&
            json_integer_value(json_object_get(r, "status")) == 200 && title &&
            !strncmp(title, "Day 3 ", 6))
            return b;
    }
    return NULL;
}

static bool posted(json_t *log, void *arg)
{
    (void)arg;
    return day_post(log) != NULL;
}

/* The custom_id of the post's "Check in" button, or NULL. */
static const char *checkin_id(json_t *post)
{
    size_t i, k;
    json_t *row, *c;
    json_array_foreach(json_object_get(post, "components"), i, row)
    {
        json_array_foreach(json_object_get(row, "components"), k, c)
        {
            const char *label = json_string_value(json_object_get(c, "label"));
            if (label && !strcmp(label, "Check in"))
                return json_string_value(json_object_get(c, "custom_id"));
        }
    }
    return NULL;
}

/* A click of the post's button as Discord sends it: the message it sits on, the member
 * (id and token are filled in per click by the fake). New reference. */
static json_t *click_template(json_t *post, const char *custom_id)
{
    json_t *msg = json_pack("{s:s, s:s, s:i, s:{s:s, s:s, s:b}, s:s, s:i}", "id",
                            "1250000000000000003", "channel_id", WEEK1, "type", 0, "author", "id",
                            "900000000000000001", "username", "cohortbot", "bot", 1, "timestamp",
                            "2027-01-06T09:00:00.000000+00:00", "flags", 0);
    const char *keys[] = {"content", "embeds", "components"};
    for (int i = 0; i < 3; i++)
        if (json_object_get(post, keys[i]))
            json_object_set(msg, keys[i], json_object_get(post, keys[i]));
    return json_pack(
        "{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:n}, s:[], s:s, s:s}, "
        "s:o, s:{s:s, s:i}, s:[], s:i}",
        "application_id", "800000000000000001", "type", 3, "version", 1, "guild_id", GUILD,
        "channel_id", WEEK1, "app_permissions", "2251799813685247", "locale", "en-US",
        "guild_locale", "en-US", "member", "user", "username", "learner", "discriminator", "0",
        "avatar", "roles", "joined_at", "2026-12-01T10:00:00.000000+00:00", "permissions",
        "2222085186637376", "message", msg, "data", "custom_id", custom_id, "component_type", 2,
        "entitlements", "context", 0);
}

/* Starts the flood of n clicks over secs and collects the answers into s. */
static json_t *rush(struct e2e *e, pid_t who, json_t *tpl, int n, double secs, struct side *s)
{
    json_t *b = json_pack("{s:i, s:i, s:O, s:i}", "n", n, "tick_us", (int)(secs * 1e6 / n),
                          "template", tpl, "token_len", TOKEN_LEN);
    char *body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    double c0 = bench_proc_cpu(who);
    json_decref(e2e_ctl(e, "ix_flood", body));
    free(body);
    json_t *log = bench_wait_answers(e, n, secs);
    s->cpu = bench_proc_cpu(who) - c0;
    bench_lat(log, &s->lat);
    s->dup = (long)json_integer_value(json_object_get(log, "ix_dup"));
    s->bad_token = (long)json_integer_value(json_object_get(log, "ix_bad_token"));
    const char *dump = getenv("BENCH_RUSH_DUMP"); /* a timeline: "<dump>-<pid>.json" */
    char path[256];
    snprintf(path, sizeof(path), "%s-%d.json", dump ? dump : "", (int)who);
    if (dump && *dump)
        json_dump_file(log, path, JSON_COMPACT);
    return log;
}

static void print_side(const char *name, const struct side *s, int n)
{
    printf("%-6s %4zu/%d answered  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  cpu %.2f s "
           "(%.0f us per click)  duplicate answers %ld, wrong tokens %ld\n",
           name, s->lat.n, n, s->lat.p50_ms, s->lat.p99_ms, s->lat.max_ms, s->cpu,
           s->lat.n ? s->cpu * 1e6 / (double)s->lat.n : 0.0, s->dup, s->bad_token);
}

/* Callbacks to the flood's clicks: confirmations ("Checked in for day 3") and others. */
static void count_answers(json_t *log, int n, struct side *s)
{
    size_t i;
    json_t *r;
    s->confirmed = s->other = 0;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *path = json_string_value(json_object_get(r, "path"));
        unsigned long long id = 0;
        if (!path || sscanf(path, "/interactions/%llu/", &id) != 1 || id < 1600000000000000000ULL ||
            id - 1600000000000000000ULL >= (unsigned long long)n)
            continue;
        const char *c = json_string_value(
            json_object_get(json_object_get(json_object_get(r, "body"), "data"), "content"));
        bool ok = json_integer_value(json_object_get(r, "status")) == 204 && c &&
                  !strncmp(c, "Checked in for day 3", 20);
        *(ok ? &s->confirmed : &s->other) += 1;
    }
}

/* The bot's round; *tpl gets the click template built from its post. 0 = all good. */
static int run_bot(int n, double secs, json_t **tpl, struct side *s)
{
    struct e2e e;
    e2e_start_fake(&e, NULL);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-06T09:00:00Z", 1); /* day 3's post time (UTC) */
    e2e_start_bot(&e, "{\"guild_id\":\"" GUILD "\",\"catchup_hours\":1}");
    json_decref(e2e_wait(&e, has_put, NULL, 10000));
    bench_start_cohort(&e, "2027-01-04", "UTC");
    json_t *log = e2e_wait(&e, posted, NULL, 30000);
    const char *cid = log ? checkin_id(day_post(log)) : NULL;
    if (!cid) {
        fprintf(stderr, "bench_rush: day 3's post with its Check in button never came\n");
        exit(1);
    }
    if (!*tpl)
        *tpl = click_template(day_post(log), cid);
    printf("day 3 posted in #week-1; its button's custom_id \"%s\"\n", cid);
    json_decref(log);
    sleep(1);
    log = rush(&e, e.bot, *tpl, n, secs, s);
    count_answers(log, n, s);
    json_decref(log);
    e2e_stop_bot(&e);
    unsetenv("COHORTBOT_FAKE_NOW");
    unsigned char *seen = calloc((size_t)n, 1);
    long dups = 0, rows = seen ? bench_export_rows(e.db, seen, n, &dups) : -1, members = 0;
    for (int i = 0; seen && i < n; i++)
        members += seen[i];
    free(seen);
    print_side("bot", s, n);
    bool ok = rows == n && members == n && dups == 0 && s->confirmed == n && s->other == 0 &&
              s->dup == 0 && s->bad_token == 0 && (int)s->lat.n == n;
    printf("       export rows %ld (members %ld of %d, duplicate rows %ld), confirmations %ld, "
           "other answers %ld: %s\n",
           rows, members, n, dups, s->confirmed, s->other,
           ok ? "every click is one durable check-in, answered once" : "PROBLEM");
    e2e_finish(&e);
    return ok ? 0 : 1;
}

static pid_t spawn_floor(const char *bin, int port)
{
    char api[96];
    snprintf(api, sizeof(api), "http://127.0.0.1:%d/api/v10", port);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        setenv("DISCORD_TOKEN", "test-token-not-real-0000", 1);
        if (!getenv("E2E_SHOW_LOG") && !freopen("/dev/null", "w", stderr))
            _exit(127);
        execl(bin, bin, api, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static bool identified(json_t *log, void *arg)
{
    (void)arg;
    return json_integer_value(json_object_get(log, "identifies")) >= 1;
}

/* The floor's round with the bot's click template. 0 = every click answered once. */
static int run_floor(const char *bin, int n, double secs, json_t *tpl, struct side *s)
{
    struct e2e e;
    e2e_start_fake(&e, NULL);
    pid_t pid = spawn_floor(bin, e.port);
    json_decref(e2e_wait(&e, identified, NULL, 10000));
    sleep(1);
    json_decref(rush(&e, pid, tpl, n, secs, s));
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    print_side("floor", s, n);
    e2e_finish(&e);
    return (int)s->lat.n == n && s->dup == 0 && s->bad_token == 0 ? 0 : 1;
}

/* floor_client beside this binary, or FLOOR_CLIENT_BIN. */
static const char *floor_bin(char *buf, size_t n)
{
    const char *env = getenv("FLOOR_CLIENT_BIN");
    if (env && *env)
        return env;
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0)
        return NULL;
    self[len] = '\0';
    snprintf(buf, n, "%s/floor_client", dirname(self));
    return access(buf, X_OK) == 0 ? buf : NULL;
}

int main(int argc, char **argv)
{
    char fb[PATH_MAX + 16];
    const char *floor = floor_bin(fb, sizeof(fb));
    if (!getenv("COHORTBOT_BIN") || !getenv("FAKEDISCORD_BIN") || !floor) {
        printf("bench_rush skipped: set COHORTBOT_BIN and FAKEDISCORD_BIN (and build "
               "floor_client)\n");
        return 0;
    }
    setenv("E2E_LOG_LEVEL", "info", 0);
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
    double secs = argc > 2 ? strtod(argv[2], NULL) : 2.0;
    int rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 1;
    if (n < 10 || n > 100000)
        n = 1000;
    if (!(secs >= 0.01 && secs <= 60))
        secs = 2.0;
    if (rounds < 1 || rounds > 10)
        rounds = 1;
    printf("the daily post's rush: %d \"Check in\" clicks in %.1f s (%d-character tokens, a "
           "distinct member each), the bot beside a do-nothing client, %ld CPUs\n",
           n, secs, TOKEN_LEN, sysconf(_SC_NPROCESSORS_ONLN));
    bench_load("before");
    json_t *tpl = NULL;
    int bad = 0;
    for (int r = 0; r < rounds; r++) {
        struct side bot, fl;
        memset(&bot, 0, sizeof(bot));
        memset(&fl, 0, sizeof(fl));
        bad |= run_bot(n, secs, &tpl, &bot);
        bad |= run_floor(floor, n, secs, tpl, &fl);
        if (bot.lat.n && fl.lat.n)
            printf("round %d: bot - floor: p50 %+.2f ms, p99 %+.2f ms; bot cpu %.1fx the "
                   "floor's\n",
                   r + 1, bot.lat.p50_ms - fl.lat.p50_ms, bot.lat.p99_ms - fl.lat.p99_ms,
                   fl.cpu > 0 ? bot.cpu / fl.cpu : 0.0);
        fflush(stdout);
    }
    json_decref(tpl);
    bench_load("after");
    return bad;
}
