/* store_backup.c - online backup, verification and checks (store_backup.h). */
#include "bot/store_backup.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store_int.h"
#include "bot/store_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fsync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return BOT_EIO;
    int rc = fsync(fd);
    close(fd);
    return rc ? BOT_EIO : 0;
}

/* First row of PRAGMA integrity_check on db into out ("ok" when healthy). */
static int integrity(sqlite3 *db, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &st, NULL);
    snprintf(out, outlen, "%s", sqlite3_errstr(rc));
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (rc != SQLITE_OK)
        snprintf(out, outlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW && strcmp(out, "ok") == 0 ? 0 : BOT_ECORRUPT;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* One backup_step(-1): a single read transaction, so the copy is one snapshot even
 * while the bot commits (WAL). Retries while the source is locked (up to ~10 s). */
static int copy_pages(sqlite3 *src, sqlite3 *dst, struct backup_info *info, char *err,
                      size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errlen, "backup cannot start: %s", sqlite3_errmsg(dst));
        return BOT_EIO;
    }
    int rc, tries = 0;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (++tries > 1000)
            break;
        sqlite3_sleep(10);
    }
    info->pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
        return rc == SQLITE_BUSY ? BOT_EBUSY : BOT_EIO;
    }
    return 0;
}

static int backup_from(sqlite3 *src, const char *dest, struct backup_info *info, char *err,
                       size_t errlen)
{
    int64_t t0 = mono_ms();
    char tmp[4096], why[256];
    memset(info, 0, sizeof(*info));
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", dest);
        return BOT_ETOOBIG;
    }
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* private, like the db */
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return BOT_EIO;
    }
    close(fd);
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp,
                 dst ? sqlite3_errmsg(dst) : "out of memory");
        sqlite3_close(dst);
        return BOT_EIO;
    }
    int rc = copy_pages(src, dst, info, err, errlen);
    /* one self-contained file: rollback journal, not WAL (the bot turns WAL on again) */
    if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", tmp, sqlite3_errmsg(dst));
        rc = BOT_EIO;
    }
    if (!rc && integrity(dst, why, sizeof(why))) {
        snprintf(err, errlen, "%s: the copy failed PRAGMA integrity_check: %s", dest, why);
        rc = BOT_ECORRUPT;
    }
    if (!rc)
        info->schema = user_version(dst);
    sqlite3_close(dst);
    if (!rc && fsync_path(tmp, false))
        rc = BOT_EIO, snprintf(err, errlen, "%s: fsync failed: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, dest) != 0)
        rc = BOT_EIO, snprintf(err, errlen, "%s: cannot rename: %s", dest, strerror(errno));
    if (rc) {
        unlink(tmp);
        return rc;
    }
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", dest);
    fsync_path(dirname(dir), true);
    struct stat st;
    info->bytes = stat(dest, &st) == 0 ? (int64_t)st.st_size : 0;
    info->ms = mono_ms() - t0;
    return 0;
}

int store_backup_open(struct store *s, const char *dest, struct backup_info *info, char *err,
                      size_t errlen)
{
    return backup_from(s->db, dest, info, err, errlen);
}

/* An existing database, opened without creating it and without writing to it. */
static int open_existing(const char *path, sqlite3 **db, char *err, size_t errlen)
{
    *db = NULL;
    if (access(path, F_OK) != 0) {
        snprintf(err, errlen, "%s: no database there (%s)", path, strerror(errno));
        return BOT_ENOTFOUND;
    }
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, *db ? sqlite3_errmsg(*db) : "no memory");
        sqlite3_close(*db);
        *db = NULL;
        return BOT_EIO;
    }
    sqlite3_busy_timeout(*db, 5000);
    return 0;
}

int store_backup_file(const char *src_path, const char *dest, struct backup_info *info, char *err,
                      size_t errlen)
{
    sqlite3 *src;
    int rc = open_existing(src_path, &src, err, errlen);
    if (rc)
        return rc;
    if (user_version(src) < 0) {
        snprintf(err, errlen, "%s: not a database, or unreadable: %s", src_path,
                 sqlite3_errmsg(src));
        sqlite3_close(src);
        return BOT_ECORRUPT;
    }
    rc = backup_from(src, dest, info, err, errlen);
    sqlite3_close(src);
    return rc;
}

static int64_t count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Every row of PRAGMA foreign_key_check, printed; their number. */
static int fk_problems(sqlite3 *db, FILE *out)
{
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++ < 20)
            fprintf(out, "foreign key: table %s row %lld refers to a missing %s row\n",
                    (const char *)sqlite3_column_text(st, 0),
                    (long long)sqlite3_column_int64(st, 1),
                    (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    return n;
}

int store_check_file(const char *path, FILE *out, char *err, size_t errlen)
{
    sqlite3 *db;
    int rc = open_existing(path, &db, err, errlen);
    if (rc)
        return rc;
    char why[256];
    int64_t t0 = mono_ms();
    int bad = integrity(db, why, sizeof(why));
    int v = user_version(db);
    fprintf(out, "%s: integrity_check: %s\n", path, why);
    int fk = bad ? 0 : fk_problems(db, out);
    fprintf(out, "foreign_key_check: %s\n", fk ? "problems (above)" : "ok");
    fprintf(out, "schema version: %d (this cohortbot: %d)\n", v, STORE_NMIGRATIONS);
    int64_t pages = count_rows(db, "PRAGMA page_count"), psize = count_rows(db, "PRAGMA page_size");
    fprintf(out, "size: %lld pages of %lld bytes; checked in %lld ms\n", (long long)pages,
            (long long)psize, (long long)(mono_ms() - t0));
    sqlite3_close(db);
    if (bad || fk) {
        snprintf(err, errlen, "%s: the database has problems (see above); restore a backup", path);
        return BOT_ECORRUPT;
    }
    if (v > STORE_NMIGRATIONS) {
        snprintf(err, errlen, "%s: schema %d is newer than this cohortbot (%d)", path, v,
                 STORE_NMIGRATIONS);
        return BOT_ESCHEMA;
    }
    return 0;
}

int store_backup_premigration(struct store *s, const char *path, int from, char *err, size_t errlen)
{
    char dest[4200], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(dest, sizeof(dest), "%s.schema-%d-%s.bak", path, from, stamp);
    struct backup_info info;
    char why[BOT_ERR_LEN];
    int rc = backup_from(s->db, dest, &info, why, sizeof(why));
    if (rc) {
        snprintf(err, errlen,
                 "%s: no migration without a backup, and the backup failed: %s (free disk "
                 "space next to the database, then start again)",
                 path, why);
        return rc;
    }
    log_info("store", "backup before migrating schema from=%d to=%d file=%s bytes=%lld", from,
             STORE_NMIGRATIONS, dest, (long long)info.bytes);
    return 0;
}
