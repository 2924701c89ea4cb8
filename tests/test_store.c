/* test_store.c - the SQLite store: migrations from empty, idempotent re-open, a newer
 * schema refused, not-a-database and corrupt files refused and left untouched, the
 * single-process lock, the delivery ledger, cohorts and week channels, and
 * durability of acknowledged writes across kill -9 of a real child process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_schema.h" /* STORE_NMIGRATIONS: the version after every migration */
#include "schedules/cohort.h"
#include "testutil.h"

static char *g_self; /* this test program, for the child writer */

static void fresh_path(char *out, size_t n, const char *name)
{
    tu_path(out, n, name);
    char side[600];
    unlink(out);
    snprintf(side, sizeof(side), "%s-wal", out);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", out);
    unlink(side);
}

/* Runs one SQL statement on the file directly (not through the store) and returns
 * the first column of the first row as an int, or -1. */
static int raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_migrate_from_empty(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN] = "";
    fresh_path(path, sizeof(path), "empty.db");
    struct store *s = NULL;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), STORE_NMIGRATIONS);
    assert_int_equal(store_meta_set(s, "hash", "abc"), 0);
    store_close(s);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), STORE_NMIGRATIONS);
    const char *tables[] = {"meta",        "cohorts",  "week_channels", "deliveries",
                            "members",     "checkins", "mentors",       "mentees",
                            "pair_rounds", "pairs",    "calendar_feeds"};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_master WHERE name='%s'", tables[i]);
        if (raw_int(path, sql) != 1)
            fail_msg("table %s missing after migration", tables[i]);
    }
    /* WAL is a property of the file */
    sqlite3 *db;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* re-open: nothing re-applied, data kept */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
        assert_int_equal(store_schema_version(s), STORE_NMIGRATIONS);
        char v[16];
        assert_int_equal(store_meta_get(s, "hash", v, sizeof(v)), 0);
        assert_string_equal(v, "abc");
        assert_int_equal(store_meta_get(s, "nothing", v, sizeof(v)), BOT_ENOTFOUND);
        store_close(s);
    }
    store_close(NULL);
}

static void test_newer_schema(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN] = "";
    fresh_path(path, sizeof(path), "newer.db");
    raw_exec(path, "CREATE TABLE future(x); PRAGMA user_version=99;");
    size_t n0 = 0, n1 = 0;
    char *before = tu_read(path, &n0);
    struct store *s = (struct store *)1;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), BOT_ESCHEMA);
    assert_null(s);
    assert_non_null(strstr(err, "99"));
    assert_non_null(strstr(err, "newer"));
    assert_non_null(strstr(err, path));
    char *after = tu_read(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0); /* refused without touching it */
    free(before);
    free(after);
    assert_int_equal(store_open_shared(path, &s, err, sizeof(err)), BOT_ESCHEMA);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), 99);
}

/* A damaged file is refused with BOT_ECORRUPT and left byte for byte as it was. */
static void expect_corrupt(const char *path, const char *what)
{
    size_t n0 = 0, n1 = 0;
    char *before = tu_read(path, &n0);
    char err[BOT_ERR_LEN] = "";
    struct store *s = NULL;
    int rc = store_open(path, &s, err, sizeof(err));
    if (rc != BOT_ECORRUPT)
        fail_msg("%s: store_open gave %d (%s), want BOT_ECORRUPT", what, rc, err);
    assert_null(s);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "corrupt"));
    assert_int_equal(store_open_shared(path, &s, err, sizeof(err)), BOT_ECORRUPT);
    char *after = tu_read(path, &n1);
    assert_non_null(after);
    if (n0 != n1 || memcmp(before, after, n0) != 0)
        fail_msg("%s: the file was modified", what);
    free(before);
    free(after);
}

static void test_not_a_database(void **state)
{
    (void)state;
    char path[512];
    fresh_path(path, sizeof(path), "notes.db");
    char text[8192];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)("cohort notes, not a database\n"[i % 29]);
    tu_write(path, text, sizeof(text), 0600);
    expect_corrupt(path, "text file");

    /* random bytes behind a valid-looking magic */
    memcpy(text, "SQLite format 3", 16);
    for (size_t i = 16; i < sizeof(text); i++)
        text[i] = (char)(i * 131 + 7);
    fresh_path(path, sizeof(path), "garbage.db");
    tu_write(path, text, sizeof(text), 0600);
    expect_corrupt(path, "garbage with a SQLite header");
}

static void test_corrupt_database(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN];
    fresh_path(path, sizeof(path), "corrupt.db");
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    store_begin(s);
    for (int i = 0; i < 400; i++) {
        char key[64];
        struct delivery d;
        bool created;
        snprintf(key, sizeof(key), "daily/1/1/day-%d", i);
        assert_int_equal(store_delivery_begin(s, key, "daily", "123", i, i, &d, &created), 0);
    }
    assert_int_equal(store_commit(s), 0);
    store_close(s);
    size_t n = 0;
    char *bytes = tu_read(path, &n);
    assert_true(n > 4 * 4096);
    /* overwrite the middle of the file (b-tree pages) with junk */
    for (size_t i = n / 2; i < n / 2 + 3000; i++)
        bytes[i] = (char)(0xA5 ^ i);
    tu_write(path, bytes, n, 0600);
    free(bytes);
    expect_corrupt(path, "damaged pages");

    /* a database cut short */
    fresh_path(path, sizeof(path), "short.db");
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    store_close(s);
    bytes = tu_read(path, &n);
    assert_true(n >= 2 * 4096);
    tu_write(path, bytes, 100 + 4096, 0600);
    free(bytes);
    expect_corrupt(path, "truncated file");
}

static void test_lock(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN] = "";
    fresh_path(path, sizeof(path), "lock.db");
    struct store *a = NULL, *b = NULL, *sh = NULL;
    assert_int_equal(store_open(path, &a, err, sizeof(err)), 0);
    assert_int_equal(store_meta_set(a, "k", "v1"), 0);
    assert_int_equal(store_open(path, &b, err, sizeof(err)), BOT_EBUSY);
    assert_null(b);
    assert_non_null(strstr(err, "in use"));
    assert_non_null(strstr(err, path));
    /* a shared opener (export, dry runs) works beside the owner */
    assert_int_equal(store_open_shared(path, &sh, err, sizeof(err)), 0);
    char v[16];
    assert_int_equal(store_meta_get(sh, "k", v, sizeof(v)), 0);
    assert_string_equal(v, "v1");
    assert_int_equal(store_meta_set(a, "k", "v2"), 0);
    assert_int_equal(store_meta_get(sh, "k", v, sizeof(v)), 0);
    assert_string_equal(v, "v2");
    store_close(sh);
    /* the owner still works after the refused opener cleaned up */
    assert_int_equal(store_meta_set(a, "k", "v3"), 0);
    store_close(a);
    /* the lock is released on close */
    assert_int_equal(store_open(path, &b, err, sizeof(err)), 0);
    assert_int_equal(store_meta_get(b, "k", v, sizeof(v)), 0);
    assert_string_equal(v, "v3");
    store_close(b);

    /* shared never creates a file */
    char missing[512];
    fresh_path(missing, sizeof(missing), "absent.db");
    assert_int_equal(store_open_shared(missing, &sh, err, sizeof(err)), BOT_ENOTFOUND);
    assert_int_not_equal(access(missing, F_OK), 0);
    /* a directory that does not exist */
    assert_int_equal(store_open("/nonexistent-dir/x.db", &a, err, sizeof(err)), BOT_EIO);
    assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
}

static void test_transactions_meta(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN];
    fresh_path(path, sizeof(path), "tx.db");
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_begin(s), 0); /* nested */
    store_meta_set(s, "a", "1");
    assert_int_equal(store_commit(s), 0); /* inner: nothing committed yet */
    store_rollback(s);
    char v[8];
    assert_int_equal(store_meta_get(s, "a", v, sizeof(v)), BOT_ENOTFOUND);
    assert_int_equal(store_begin(s), 0);
    store_meta_set(s, "a", "2");
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_commit(s), 0); /* unbalanced commit is harmless */
    assert_int_equal(store_meta_get(s, "a", v, sizeof(v)), 0);
    assert_string_equal(v, "2");
    store_meta_set(s, "a", "a much longer value than the buffer");
    assert_int_equal(store_meta_get(s, "a", v, sizeof(v)), 0);
    assert_int_equal(strlen(v), sizeof(v) - 1); /* truncated, terminated */
    store_close(s);
}

static void test_delivery_ledger(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN];
    fresh_path(path, sizeof(path), "ledger.db");
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    struct delivery d1, d2;
    bool created = false;
    const char *key = "daily/1100000000000000003/7/day-12";
    assert_int_equal(
        store_delivery_begin(s, key, "daily", "1100000000000000107", 1000, 900, &d1, &created), 0);
    assert_true(created);
    assert_string_equal(d1.key, key);
    assert_int_equal(d1.state, DLV_PENDING);
    assert_int_equal(d1.attempts, 0);
    assert_true(d1.due_at == 1000);
    assert_true(strlen(d1.nonce) > 0 && strlen(d1.nonce) <= 25);
    char n[26];
    store_delivery_nonce(key, n);
    assert_string_equal(d1.nonce, n);
    /* the second begin returns the same row, unchanged */
    assert_int_equal(store_delivery_begin(s, key, "other", "x", 5, 5, &d2, &created), 0);
    assert_false(created);
    assert_string_equal(d2.nonce, d1.nonce);
    assert_true(d2.due_at == 1000);
    /* attempts count failed tries left pending */
    assert_int_equal(store_delivery_mark(s, key, DLV_PENDING, NULL, "HTTP 503", 950), 0);
    assert_int_equal(store_delivery_mark(s, key, DLV_PENDING, NULL, "timeout", 960), 0);
    assert_int_equal(store_delivery_get(s, key, &d2), 0);
    assert_int_equal(d2.attempts, 2);
    assert_int_equal(store_delivery_mark(s, key, DLV_SENT, "1200000000000000001", NULL, 970), 0);
    assert_int_equal(store_delivery_get(s, key, &d2), 0);
    assert_int_equal(d2.state, DLV_SENT);
    assert_string_equal(d2.message_id, "1200000000000000001");
    assert_int_equal(d2.attempts, 2);
    assert_int_equal(store_delivery_mark(s, "no/such", DLV_SENT, NULL, NULL, 1), BOT_ENOTFOUND);
    assert_int_equal(store_delivery_get(s, "no/such", &d2), BOT_ENOTFOUND);
    char longkey[300];
    memset(longkey, 'k', sizeof(longkey) - 1);
    longkey[sizeof(longkey) - 1] = '\0';
    assert_int_equal(store_delivery_begin(s, longkey, "x", NULL, 1, 1, &d2, &created), BOT_ETOOBIG);
    store_close(s);
    /* the row and its nonce survive a restart */
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    assert_int_equal(store_delivery_begin(s, key, "daily", NULL, 1, 1, &d2, &created), 0);
    assert_false(created);
    assert_string_equal(d2.nonce, d1.nonce);
    assert_int_equal(d2.state, DLV_SENT);
    store_close(s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_nonce_properties(void **state)
{
    (void)state;
    enum { N = 20000 };
    char(*nonces)[26] = calloc(N, 26);
    for (int i = 0; i < N; i++) {
        char key[64];
        snprintf(key, sizeof(key), "daily/1100000000000000003/%d/day-%d", i % 7, i);
        store_delivery_nonce(key, nonces[i]);
        size_t len = strlen(nonces[i]);
        assert_true(len >= 1 && len <= 25);
        for (size_t k = 0; k < len; k++)
            assert_true(nonces[i][k] > ' ' && nonces[i][k] < 127);
        char again[26];
        store_delivery_nonce(key, again);
        assert_string_equal(again, nonces[i]);
    }
    qsort(nonces, N, 26, cmp_str);
    for (int i = 1; i < N; i++)
        if (strcmp(nonces[i - 1], nonces[i]) == 0)
            fail_msg("two keys share the nonce %s", nonces[i]);
    free(nonces);
}

struct each_ctx {
    int seen, stop_after;
    char guilds[4][24];
};

static int each_cb(void *arg, const struct cohort *c)
{
    struct each_ctx *x = arg;
    snprintf(x->guilds[x->seen % 4], 24, "%s", c->guild_id);
    x->seen++;
    return x->seen == x->stop_after;
}

static void test_cohorts(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN];
    fresh_path(path, sizeof(path), "cohort.db");
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    struct cohort c = {0}, got;
    assert_int_equal(store_cohort_get(s, "1100000000000000003", &got), BOT_ENOTFOUND);
    snprintf(c.guild_id, sizeof(c.guild_id), "1100000000000000003");
    snprintf(c.curriculum, sizeof(c.curriculum), "data-eng");
    snprintf(c.start_date, sizeof(c.start_date), "2026-03-02");
    snprintf(c.timezone, sizeof(c.timezone), "America/New_York");
    snprintf(c.post_time, sizeof(c.post_time), "09:00");
    assert_int_equal(store_cohort_put(s, &c, 100), 0);
    assert_true(c.id > 0);
    int64_t id = c.id;
    assert_int_equal(store_cohort_get(s, "1100000000000000003", &got), 0);
    assert_true(got.id == id);
    assert_string_equal(got.curriculum, "data-eng");
    assert_string_equal(got.start_date, "2026-03-02");
    assert_string_equal(got.fallback_channel, "");
    assert_true(got.created_at == 100 && got.updated_at == 100);
    /* update in place: same id, new values, created_at kept */
    snprintf(c.post_time, sizeof(c.post_time), "18:30");
    snprintf(c.fallback_channel, sizeof(c.fallback_channel), "1100000000000000100");
    assert_int_equal(store_cohort_put(s, &c, 200), 0);
    assert_true(c.id == id);
    assert_int_equal(store_cohort_get(s, "1100000000000000003", &got), 0);
    assert_string_equal(got.post_time, "18:30");
    assert_string_equal(got.fallback_channel, "1100000000000000100");
    assert_true(got.created_at == 100 && got.updated_at == 200);

    struct cohort c2 = c;
    snprintf(c2.guild_id, sizeof(c2.guild_id), "1100000000000000004");
    assert_int_equal(store_cohort_put(s, &c2, 300), 0);
    assert_true(c2.id != id);
    struct each_ctx x = {0};
    assert_int_equal(store_cohort_each(s, each_cb, &x), 0);
    assert_int_equal(x.seen, 2);
    assert_string_equal(x.guilds[0], "1100000000000000003");
    assert_string_equal(x.guilds[1], "1100000000000000004");
    struct each_ctx y = {.stop_after = 1};
    assert_int_equal(store_cohort_each(s, each_cb, &y), 0);
    assert_int_equal(y.seen, 1);

    char ch[24];
    assert_int_equal(store_week_channel_get(s, id, 3, ch, sizeof(ch)), BOT_ENOTFOUND);
    assert_int_equal(store_week_channel_set(s, id, 3, "1100000000000000103"), 0);
    assert_int_equal(store_week_channel_set(s, id, 3, "1100000000000000113"), 0);
    assert_int_equal(store_week_channel_get(s, id, 3, ch, sizeof(ch)), 0);
    assert_string_equal(ch, "1100000000000000113");
    assert_int_equal(store_week_channel_set(s, id, 0, "1100000000000000100"), 0);
    assert_int_equal(store_week_channel_set(s, id, 3, NULL), 0);
    assert_int_equal(store_week_channel_get(s, id, 3, ch, sizeof(ch)), BOT_ENOTFOUND);
    assert_int_equal(store_week_channel_get(s, id, 0, ch, sizeof(ch)), 0);
    /* constraints hold: no negative week, no channel for a cohort that does not exist */
    assert_int_not_equal(store_week_channel_set(s, id, -1, "1"), 0);
    assert_int_not_equal(store_week_channel_set(s, 987654, 1, "1"), 0);
    store_close(s);
}

/* ---- durability across kill -9 ---- */

/* Child mode: opens the store and writes one delivery row per iteration, printing
 * "ack N" only after the write returned. Runs until killed. */
static int child_writer(const char *path)
{
    char err[BOT_ERR_LEN];
    struct store *s;
    if (store_open(path, &s, err, sizeof(err))) {
        fprintf(stderr, "child: %s\n", err);
        return 3;
    }
    printf("ready\n");
    fflush(stdout);
    for (int i = 0;; i++) {
        char key[64];
        struct delivery d;
        bool created;
        snprintf(key, sizeof(key), "ack/%d", i);
        if (store_delivery_begin(s, key, "test", NULL, i, i, &d, &created) || !created)
            return 4;
        printf("ack %d\n", i);
        fflush(stdout);
    }
}

static void test_kill9_durability(void **state)
{
    (void)state;
    char path[512], err[BOT_ERR_LEN];
    fresh_path(path, sizeof(path), "durable.db");
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        execl(g_self, g_self, "--child-writer", path, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *f = fdopen(pipefd[0], "r");
    char line[64];
    int last = -1;
    bool checked_lock = false;
    int64_t t0 = tu_ms();
    while (fgets(line, sizeof(line), f)) {
        int n;
        if (sscanf(line, "ack %d", &n) == 1)
            last = n;
        if (!checked_lock && last >= 10) {
            /* the running writer holds the database */
            struct store *s = NULL;
            assert_int_equal(store_open(path, &s, err, sizeof(err)), BOT_EBUSY);
            const char *argv[] = {tu_bin(), "--console", "--db", path, NULL};
            struct tu_run r;
            assert_int_equal(tu_run(argv, NULL, "/quit\n", 10000, &r), 0);
            assert_int_equal(r.status, 3); /* documented exit code for database problems */
            assert_non_null(strstr(r.err, "in use"));
            tu_run_free(&r);
            checked_lock = true;
        }
        if (last >= 400 || tu_ms() - t0 > 8000)
            break;
    }
    kill(pid, SIGKILL); /* mid-stream: the child is still writing */
    int st;
    waitpid(pid, &st, 0);
    fclose(f);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    assert_true(checked_lock);
    assert_true(last >= 10);
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0); /* no stale lock */
    for (int i = 0; i <= last; i++) {
        char key[64];
        struct delivery d;
        snprintf(key, sizeof(key), "ack/%d", i);
        if (store_delivery_get(s, key, &d) != 0)
            fail_msg("acknowledged row %d of %d lost after kill -9", i, last);
    }
    print_message("kill -9 after %d acknowledged writes: all present\n", last + 1);
    store_close(s);
}

/* The binary maps database problems to exit code 3 with a clear message. */
static void test_bin_exit_codes(void **state)
{
    (void)state;
    char path[512], dbarg[600];
    fresh_path(path, sizeof(path), "bin-notdb.db");
    tu_write(path, "this is not a database at all, just some text\n", 47, 0600);
    snprintf(dbarg, sizeof(dbarg), "--db=%s", path);
    const char *argv[] = {tu_bin(), "--console", dbarg, NULL};
    const char *env[] = {"DISCORD_TOKEN", "COHORTBOT_DB", "COHORTBOT_CONFIG", NULL};
    struct tu_run r;
    assert_int_equal(tu_run(argv, env, "/quit\n", 10000, &r), 0);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "corrupt or not a SQLite database"));
    tu_run_free(&r);
    size_t n = 0;
    char *after = tu_read(path, &n);
    assert_int_equal(n, 47);
    free(after);

    fresh_path(path, sizeof(path), "bin-newer.db");
    raw_exec(path, "PRAGMA user_version=42;");
    snprintf(dbarg, sizeof(dbarg), "--db=%s", path);
    assert_int_equal(tu_run(argv, env, "/quit\n", 10000, &r), 0);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "newer"));
    tu_run_free(&r);
}

static int cleanup(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child-writer") == 0)
        return child_writer(argv[2]);
    g_self = argv[0];
    char real[4096];
    ssize_t n = readlink("/proc/self/exe", real, sizeof(real) - 1);
    if (n > 0) {
        real[n] = '\0';
        g_self = real;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_from_empty),
        cmocka_unit_test(test_newer_schema),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_corrupt_database),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_transactions_meta),
        cmocka_unit_test(test_delivery_ledger),
        cmocka_unit_test(test_nonce_properties),
        cmocka_unit_test(test_cohorts),
        cmocka_unit_test(test_kill9_durability),
        cmocka_unit_test(test_bin_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
