/* store.c - opening, locking, migrating the SQLite file; transactions, meta and the
 * delivery ledger. Domain queries live in bot/store_<area>.c (same module). */
#include "bot/store.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store_backup.h"
#include "bot/store_int.h"
#include "bot/store_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("store", "prepare failed: %s", sqlite3_errmsg(s->db));
        return NULL;
    }
    if (s->ncache < STORE_MAX_STMTS) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
    } else {
        log_error("store", "statement cache full");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int store_step_done(struct store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    log_error("store", "statement failed: %s", sqlite3_errmsg(s->db));
    return rc == SQLITE_BUSY ? BOT_EBUSY : BOT_EIO;
}

int store_collect(sqlite3_stmt *st, size_t size, void (*row)(sqlite3_stmt *st, void *elem),
                  void **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            void *p = realloc(*out, nc * size);
            if (!p)
                break;
            *out = p;
            cap = nc;
        }
        row(st, (char *)*out + (*n)++ * size);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 0;
    free(*out);
    *out = NULL;
    *n = 0;
    return rc == SQLITE_ROW ? BOT_ENOMEM : BOT_EIO;
}

void store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
    if (v)
        sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, idx);
}

void store_col_text(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, outlen, "%s", t ? (const char *)t : "");
}

static int exec(struct store *s, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
            return BOT_ECORRUPT;
        return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? BOT_EBUSY : BOT_EIO;
    }
    return 0;
}

static int query_int(struct store *s, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        return BOT_ECORRUPT;
    return rc == SQLITE_BUSY ? BOT_EBUSY : BOT_EIO;
}

int store_schema_version(struct store *s)
{
    int v = -1;
    query_int(s, "PRAGMA user_version", &v);
    return v;
}

/* Reads user_version; refuses a schema newer than this binary knows. */
static int read_version(struct store *s, const char *path, int *v, char *err, size_t errlen)
{
    int rc = query_int(s, "PRAGMA user_version", v);
    if (rc) {
        snprintf(err, errlen, "%s: cannot read the schema version: %s", path,
                 rc == BOT_ECORRUPT ? "not a cohortbot database (or corrupt)"
                                    : sqlite3_errmsg(s->db));
        return rc;
    }
    if (*v > STORE_NMIGRATIONS) {
        snprintf(err, errlen,
                 "%s: database schema version %d is newer than this cohortbot understands "
                 "(%d); upgrade cohortbot or use a backup",
                 path, *v, STORE_NMIGRATIONS);
        return BOT_ESCHEMA;
    }
    return 0;
}

static int migrate(struct store *s, const char *path, char *err, size_t errlen)
{
    int v = 0;
    int rc = read_version(s, path, &v, err, errlen);
    if (rc)
        return rc;
    if (v > 0 && v < STORE_NMIGRATIONS && (rc = store_backup_premigration(s, path, v, err, errlen)))
        return rc;
    for (; v < STORE_NMIGRATIONS; v++) {
        char sql[64], why[BOT_ERR_LEN];
        snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
        rc = exec(s, "BEGIN IMMEDIATE", why, sizeof(why));
        if (!rc)
            rc = exec(s, store_migrations[v], why, sizeof(why));
        if (!rc)
            rc = exec(s, sql, why, sizeof(why));
        if (!rc)
            rc = exec(s, "COMMIT", why, sizeof(why));
        if (rc) {
            exec(s, "ROLLBACK", sql, sizeof(sql));
            snprintf(err, errlen, "%s: migration to version %d failed: %s", path, v + 1, why);
            return rc;
        }
        log_info("store", "migrated schema version=%d", v + 1);
    }
    return 0;
}

/* A quick integrity look: a damaged file must not be used (or silently re-created). */
static int check_integrity(struct store *s, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    const char *res = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int out = 0;
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT || (res && strcmp(res, "ok") != 0)) {
        snprintf(err, errlen,
                 "%s: the database file is corrupt or not a SQLite database (%s); "
                 "restore a backup or move it away; it was not modified",
                 path, res ? res : sqlite3_errstr(rc));
        out = BOT_ECORRUPT;
    } else if (rc == SQLITE_BUSY) {
        snprintf(err, errlen, "%s: database is locked", path);
        out = BOT_EBUSY;
    } else if (rc != SQLITE_ROW) {
        snprintf(err, errlen, "%s: cannot read database: %s", path, sqlite3_errstr(rc));
        out = BOT_EIO;
    }
    sqlite3_finalize(st);
    return out;
}

static int take_lock(struct store *s, const char *path, char *err, size_t errlen)
{
    s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lock_fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return BOT_EIO;
    }
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen,
                 "%s: database is in use by another running cohortbot; stop it first "
                 "(or give this one its own --db)",
                 path);
        return BOT_EBUSY;
    }
    return 0;
}

static int open_common(const char *path, bool shared, struct store **out, char *err, size_t errlen)
{
    char why[BOT_ERR_LEN];
    struct store *s = calloc(1, sizeof(*s));
    int rc = BOT_ENOMEM;
    *out = NULL;
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return rc;
    }
    s->lock_fd = -1;
    if (shared && access(path, F_OK) != 0) {
        snprintf(err, errlen, "%s: no database there (%s)", path, strerror(errno));
        rc = BOT_ENOTFOUND;
        goto fail;
    }
    if (!shared && (rc = take_lock(s, path, err, errlen)))
        goto fail;
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open database: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        rc = BOT_EIO;
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    sqlite3_extended_result_codes(s->db, 0);
    if ((rc = check_integrity(s, path, err, errlen)))
        goto fail;
    /* refuse a newer schema before anything below writes to the file (journal_mode) */
    int version;
    if ((rc = read_version(s, path, &version, err, errlen)))
        goto fail;
    /* FULL: every commit is fsynced to the WAL before it returns, so an acknowledged
     * check-in survives kill -9 and power loss (NORMAL would survive only the former). */
    rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", why,
              sizeof(why));
    if (rc) {
        snprintf(err, errlen, "%s: %s", path, why);
        goto fail;
    }
    if ((rc = migrate(s, path, err, errlen)))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
    return open_common(path, false, out, err, errlen);
}

int store_open_shared(const char *path, struct store **out, char *err, size_t errlen)
{
    return open_common(path, true, out, err, errlen);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    if (s->db)
        sqlite3_close(s->db);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* after sqlite3_close: closing an fd drops POSIX locks */
    free(s);
}

int store_begin(struct store *s)
{
    if (s->depth++ > 0)
        return 0;
    char why[BOT_ERR_LEN];
    int rc = exec(s, "BEGIN IMMEDIATE", why, sizeof(why));
    if (rc) {
        s->depth = 0;
        log_error("store", "begin failed: %s", why);
    }
    return rc;
}

int store_commit(struct store *s)
{
    if (s->depth == 0 || --s->depth > 0)
        return 0;
    char why[BOT_ERR_LEN];
    int rc = exec(s, "COMMIT", why, sizeof(why));
    if (rc) {
        log_error("store", "commit failed: %s", why);
        exec(s, "ROLLBACK", why, sizeof(why));
    }
    return rc;
}

void store_rollback(struct store *s)
{
    char why[BOT_ERR_LEN];
    if (s->depth > 0) {
        s->depth = 0;
        exec(s, "ROLLBACK", why, sizeof(why));
    }
}

int store_meta_get(struct store *s, const char *key, char *out, size_t outlen)
{
    static const char sql[] = "SELECT value FROM meta WHERE key=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, out, outlen);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_meta_set(struct store *s, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO meta(key,value) VALUES(?1,?2) "
                              "ON CONFLICT(key) DO UPDATE SET value=excluded.value";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    return store_step_done(s, st);
}
