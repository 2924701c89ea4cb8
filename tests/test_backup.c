/* test_backup.c - backups: names and rotation; `cohortbot backup` while a bot writes
 * (SQLite's online backup), verified by `cohortbot check-db`; the README's restore
 * procedure end to end after kill -9 (nothing acknowledged before the backup is
 * missing); the backup taken before a schema migration; the daily backup of a
 * running bot with rotation to backup_keep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "bot/backup.h"
#include "bot/console.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_backup.h"
#include "bot/store_schema.h"
#include "tests/e2e_util.h"

#define USERS 20
#define DAYS 70

static char g_dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof(g_dir), "/tmp/cb-backup-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
}

static int run_tool(char *const argv[], char **out)
{
    int code = -1;
    char *o = e2e_run(NULL, argv, NULL, &code);
    if (out)
        *out = o;
    else
        free(o);
    return code;
}

static void touch_backup(const char *dir, const char *db, int64_t t)
{
    char name[300], path[700];
    assert_int_equal(backup_name(db, t, name, sizeof(name)), 0);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void names_and_rotation(void **state)
{
    (void)state;
    char name[300];
    assert_int_equal(backup_name("/var/lib/cohortbot/shard-1.db", 1799999999, name, sizeof(name)),
                     0);
    assert_string_equal(name, "shard-1-20270115-075959.db");
    char dir[128];
    path_in(dir, sizeof(dir), "rot");
    assert_int_equal(mkdir(dir, 0700), 0);
    int64_t t0 = 1799999999;
    for (int i = 0; i < 5; i++)
        touch_backup(dir, "x/cohortbot.db", t0 - i * 86400);
    touch_backup(dir, "other.db", t0 - 9 * 86400); /* another database's: never touched */
    char foreign[200];
    snprintf(foreign, sizeof(foreign), "%s/cohortbot-notes.txt", dir);
    fclose(fopen(foreign, "w"));
    assert_int_equal(backup_newest(dir, "cohortbot.db"), t0);
    assert_int_equal(backup_rotate(dir, "cohortbot.db", 2), 3);
    assert_int_equal(count_files(dir), 4); /* 2 kept + other's + the notes */
    assert_int_equal(backup_newest(dir, "cohortbot.db"), t0);
    assert_int_equal(backup_newest(dir, "other.db"), t0 - 9 * 86400);
    assert_int_equal(backup_newest(dir, "none.db"), -1);
}

/* Feeds check-ins to a console bot; the parent reads the acknowledgements. */
static void writer(int fd)
{
    char line[64];
    for (int u = 0; u < USERS; u++) {
        int n = snprintf(line, sizeof(line), "/as u%d\n", u);
        if (write(fd, line, (size_t)n) != n)
            _exit(0);
        for (int d = 1; d <= DAYS; d++) {
            n = snprintf(line, sizeof(line), "/checkin day:%d hours:1 note:n%d\n", d, u);
            if (write(fd, line, (size_t)n) != n)
                _exit(0);
            if (d % 10 == 0)
                usleep(2000);
        }
    }
    _exit(0);
}

static bool acked[USERS][DAYS + 1], before[USERS][DAYS + 1];

/* Reads acks from fd until `want` more were seen (or EOF); returns the total. */
static int read_acks(int fd, int *user, int total, int want)
{
    static char buf[1 << 16];
    static size_t len;
    int got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = '\0';
            int d;
            if (sscanf(line, "you are now u%d", user) == 1)
                ;
            else if (sscanf(line, "Checked in for day %d", &d) == 1 && *user >= 0 &&
                     *user < USERS && d >= 1 && d <= DAYS) {
                acked[*user][d] = true;
                got++;
            }
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len);
    }
    return total + got;
}

static int csv_rows_present(const char *csv, bool (*set)[DAYS + 1], int *missing)
{
    int found = 0;
    *missing = 0;
    for (int u = 0; u < USERS; u++) {
        char name[16], id[IX_ID_LEN];
        snprintf(name, sizeof(name), "u%d", u);
        console_user_id(name, id);
        for (int d = 1; d <= DAYS; d++) {
            if (!set[u][d])
                continue;
            char row[128];
            snprintf(row, sizeof(row), ",%s,%d,1,n%d,", id, d, u);
            if (strstr(csv, row))
                found++;
            else
                (*missing)++;
        }
    }
    return found;
}

static int csv_lines(const char *csv)
{
    int n = 0;
    for (const char *p = csv; *p; p++)
        n += *p == '\n';
    return n - 1; /* header */
}

static void online_backup_and_restore(void **state)
{
    (void)state;
    char db[128], bak[128];
    path_in(db, sizeof(db), "live.db");
    path_in(bak, sizeof(bak), "live-backup.db");
    const char *now = "2026-06-01T12:00:00Z";
    char *out = e2e_console(db, now, "/cohort start date:2026-03-02 timezone:UTC\n");
    assert_non_null(out);
    free(out);
    char *argv[] = {(char *)e2e_bin(), "--console", "--db", db, NULL};
    int in, outfd, user = -1;
    pid_t bot = e2e_spawn(now, argv, &in, &outfd);
    assert_true(bot > 0);
    signal(SIGPIPE, SIG_IGN);
    pid_t w = fork();
    if (w == 0) {
        close(outfd);
        writer(in);
    }
    close(in);
    int total = read_acks(outfd, &user, 0, 300);
    assert_true(total >= 300);
    int nbefore = total;
    memcpy(before, acked, sizeof(acked));
    /* the bot keeps running (and writing) while the copy is taken */
    char *bk[] = {(char *)e2e_bin(), "backup", bak, "--db", db, NULL};
    char *msg = NULL;
    assert_int_equal(run_tool(bk, &msg), 0);
    assert_non_null(strstr(msg, "integrity_check ok"));
    struct stat bst;
    assert_int_equal(stat(bak, &bst), 0);
    assert_int_equal(bst.st_mode & 0777, 0600); /* as private as the database */
    print_message("%s", msg);
    free(msg);
    total = read_acks(outfd, &user, total, 200); /* it went on writing */
    assert_true(total >= nbefore + 200);
    /* stop it the hard way: its -wal stays behind, the restore must not replay it */
    kill(bot, SIGKILL);
    int st;
    waitpid(bot, &st, 0);
    kill(w, SIGKILL);
    waitpid(w, NULL, 0);
    close(outfd);

    char *chk[] = {(char *)e2e_bin(), "check-db", "--db", bak, NULL};
    assert_int_equal(run_tool(chk, NULL), 0);

    /* the README's restore: (bot stopped) move the database and its -wal/-shm away,
     * copy the backup in its place, start */
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "set -e; cd '%s'; mkdir -p broken; mv live.db live.db-wal live.db-shm broken/ "
             "2>/dev/null || true; cp live-backup.db live.db",
             g_dir);
    assert_int_equal(system(cmd), 0);
    out = e2e_console(db, now, "/as u0\n/streak\n");
    assert_non_null(out);
    assert_non_null(strstr(out, "longest"));
    free(out);
    char *ex[] = {(char *)e2e_bin(), "export", "checkins", "--db", db, NULL};
    char *csv = NULL;
    assert_int_equal(run_tool(ex, &csv), 0);
    int missing = 0;
    int found = csv_rows_present(csv, before, &missing);
    int rows = csv_lines(csv);
    print_message("acknowledged before the backup: %d, in the restored database: %d of them "
                  "(%d rows in all; %d acknowledged by the time of the kill)\n",
                  nbefore, found, rows, total);
    assert_int_equal(missing, 0);
    assert_int_equal(found, nbefore);
    assert_true(rows >= nbefore && rows < total);
    free(csv);
}

/* An existing database one schema version behind is copied before it is migrated. */
static void backup_before_migration(void **state)
{
    (void)state;
    char db[128];
    path_in(db, sizeof(db), "old.db");
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    for (int v = 0; v < STORE_NMIGRATIONS - 1; v++)
        assert_int_equal(sqlite3_exec(h, store_migrations[v], NULL, NULL, NULL), SQLITE_OK);
    char sql[128];
    snprintf(sql, sizeof(sql),
             "PRAGMA user_version=%d; INSERT INTO meta(key,value) VALUES('probe','kept');",
             STORE_NMIGRATIONS - 1);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    struct store *s = NULL;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open(db, &s, err, sizeof(err)), 0);
    assert_int_equal(store_schema_version(s), STORE_NMIGRATIONS);
    store_close(s);

    char prefix[64];
    snprintf(prefix, sizeof(prefix), "old.db.schema-%d-", STORE_NMIGRATIONS - 1);
    DIR *d = opendir(g_dir);
    struct dirent *e;
    char found[400] = "";
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            snprintf(found, sizeof(found), "%s/%s", g_dir, e->d_name);
    closedir(d);
    assert_true(found[0]);
    assert_int_equal(sqlite3_open_v2(found, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key='probe'", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "kept");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), STORE_NMIGRATIONS - 1);
    sqlite3_finalize(st);
    sqlite3_close(h);

    /* a database already at the latest version is not copied again */
    assert_int_equal(store_open(db, &s, err, sizeof(err)), 0);
    store_close(s);
    int n = 0;
    d = opendir(g_dir);
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "old.db.schema-", 14) == 0 && ++n > 1)
            print_message("%s\n", e->d_name);
    closedir(d);
    assert_int_equal(n, 1);
}

/* Runs a console bot with cfg until a backup newer than `since` exists, then quits. */
static void run_until_backup(const char *cfgpath, const char *db, const char *now, const char *dir,
                             int64_t since)
{
    char *argv[] = {(char *)e2e_bin(), "--console", "--config", (char *)cfgpath, "--db",
                    (char *)db,        NULL};
    int in, outfd;
    pid_t bot = e2e_spawn(now, argv, &in, &outfd);
    assert_true(bot > 0);
    for (int i = 0; i < 3000 && backup_newest(dir, db) < since; i++)
        usleep(20000); /* bounds a failing run; the file's appearance is the event */
    assert_true(backup_newest(dir, db) >= since);
    assert_int_equal(write(in, "/quit\n", 6), 6);
    close(in);
    char sink[4096];
    while (read(outfd, sink, sizeof(sink)) > 0)
        ;
    close(outfd);
    int st;
    waitpid(bot, &st, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void daily_backup_rotates(void **state)
{
    (void)state;
    char db[128], dir[128], cfg[128];
    path_in(db, sizeof(db), "daily.db");
    path_in(dir, sizeof(dir), "backups");
    path_in(cfg, sizeof(cfg), "daily.json");
    FILE *f = fopen(cfg, "w");
    fprintf(f, "{\"backup_dir\": \"%s\", \"backup_keep\": 2}\n", dir);
    fclose(f);
    const char *now = "2027-01-10T12:00:00Z";
    int64_t t;
    struct tm tm = {.tm_year = 127, .tm_mon = 0, .tm_mday = 10, .tm_hour = 12};
    t = (int64_t)timegm(&tm);
    char *out = e2e_console(db, now, "/cohort start date:2027-01-04 timezone:UTC\n");
    free(out);
    assert_int_equal(mkdir(dir, 0700), 0);
    touch_backup(dir, db, t - 3 * 86400);
    touch_backup(dir, db, t - 2 * 86400);
    touch_backup(dir, db, t - 25 * 3600); /* newest: more than a day old, so one is due */
    run_until_backup(cfg, db, now, dir, t);
    assert_int_equal(count_files(dir), 2); /* rotated to backup_keep */
    assert_int_equal(backup_newest(dir, db) >= t, true);
    char name[300], path[700];
    backup_name(db, backup_newest(dir, db), name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *chk[] = {(char *)e2e_bin(), "check-db", "--db", path, NULL};
    assert_int_equal(run_tool(chk, NULL), 0);

    /* a backup less than a day old: none is taken on the next start */
    out = e2e_console(db, "2027-01-10T20:00:00Z", "/today\n");
    assert_non_null(out);
    free(out);
    assert_int_equal(count_files(dir), 2);
    assert_true(backup_newest(dir, db) < t + 3600);
}

int main(void)
{
    (void)e2e_tmpdb; /* the helpers this suite does not need */
    (void)e2e_rmdb;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_rotation),
        cmocka_unit_test(online_backup_and_restore),
        cmocka_unit_test(backup_before_migration),
        cmocka_unit_test(daily_backup_rotates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
