/* backup.c - daily backups and the backup/check-db tools (backup.h). */
#include "bot/backup.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store_backup.h"
#include "config/config.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MOD "backup"
#define DAY_S 86400

/* the stem of a database path: its file name without a final ".db" */
static void stem_of(const char *db_path, char *out, size_t outlen)
{
    const char *base = strrchr(db_path, '/');
    base = base ? base + 1 : db_path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".db") == 0)
        n -= 3;
    snprintf(out, outlen, "%.*s", (int)n, base);
}

int backup_name(const char *db_path, int64_t t, char *out, size_t outlen)
{
    char stem[256], stamp[32];
    stem_of(db_path, stem, sizeof(stem));
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    int n = snprintf(out, outlen, "%s-%s.db", stem, stamp);
    return n < 0 || (size_t)n >= outlen ? BOT_ETOOBIG : 0;
}

/* The time in one of our backup names for this stem, or -1. */
static int64_t name_time(const char *name, const char *stem)
{
    size_t sl = strlen(stem);
    int Y, M, D, h, m, s;
    char tail[8];
    if (strncmp(name, stem, sl) != 0 || name[sl] != '-' || strlen(name) != sl + 19)
        return -1;
    if (sscanf(name + sl + 1, "%4d%2d%2d-%2d%2d%2d%3s", &Y, &M, &D, &h, &m, &s, tail) != 7 ||
        strcmp(tail, ".db") != 0)
        return -1;
    struct tm tm = {
        .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = s};
    return (int64_t)timegm(&tm);
}

struct found {
    char (*names)[300];
    int n, cap;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Our backups of db_path in dir, sorted oldest first (the stamp sorts as text). */
static int list_backups(const char *dir, const char *db_path, struct found *f)
{
    char stem[256];
    stem_of(db_path, stem, sizeof(stem));
    memset(f, 0, sizeof(*f));
    DIR *d = opendir(dir);
    if (!d)
        return BOT_ENOTFOUND;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (name_time(e->d_name, stem) < 0 || strlen(e->d_name) >= sizeof(f->names[0]))
            continue;
        if (f->n == f->cap) {
            int nc = f->cap ? f->cap * 2 : 16;
            void *p = realloc(f->names, (size_t)nc * sizeof(f->names[0]));
            if (!p)
                break;
            f->names = p;
            f->cap = nc;
        }
        snprintf(f->names[f->n++], sizeof(f->names[0]), "%s", e->d_name);
    }
    closedir(d);
    if (f->n)
        qsort(f->names, (size_t)f->n, sizeof(f->names[0]), cmp_names);
    return 0;
}

int64_t backup_newest(const char *dir, const char *db_path)
{
    struct found f;
    if (list_backups(dir, db_path, &f) || !f.n) {
        free(f.names);
        return -1;
    }
    char stem[256];
    stem_of(db_path, stem, sizeof(stem));
    int64_t t = name_time(f.names[f.n - 1], stem);
    free(f.names);
    return t;
}

int backup_rotate(const char *dir, const char *db_path, int keep)
{
    struct found f;
    int gone = 0;
    if (list_backups(dir, db_path, &f) == 0) {
        for (int i = 0; i < f.n - keep; i++) {
            char path[4400];
            snprintf(path, sizeof(path), "%s/%s", dir, f.names[i]);
            if (unlink(path) == 0)
                gone++;
            else
                log_warn(MOD, "cannot delete old backup %s: %s", path, strerror(errno));
        }
    }
    free(f.names);
    return gone;
}

/* ---- the daily job: one worker thread at a time ---- */

static struct {
    pthread_t th;
    bool running;
    atomic_bool finished;
    int64_t last_try; /* app time of the last start (a failed one waits an hour) */
    char src[4096], dest[4400], dir[4096];
    int keep, rc;
    struct backup_info info;
    char err[BOT_ERR_LEN];
} g_job;

static void *job_run(void *arg)
{
    (void)arg;
    g_job.rc = store_backup_file(g_job.src, g_job.dest, &g_job.info, g_job.err, sizeof(g_job.err));
    atomic_store(&g_job.finished, true);
    return NULL;
}

static void job_collect(void)
{
    pthread_join(g_job.th, NULL);
    g_job.running = false;
    if (g_job.rc) {
        log_error(MOD, "daily backup failed: %s", g_job.err);
        return;
    }
    int gone = backup_rotate(g_job.dir, g_job.src, g_job.keep);
    log_info(MOD, "daily backup file=%s bytes=%lld pages=%lld ms=%lld integrity=ok rotated=%d",
             g_job.dest, (long long)g_job.info.bytes, (long long)g_job.info.pages,
             (long long)g_job.info.ms, gone);
}

static void job_start(const struct config *cfg, int64_t now)
{
    char name[300];
    g_job.last_try = now;
    if (mkdir(cfg->backup_dir, 0700) != 0 && errno != EEXIST) {
        log_error(MOD, "cannot create backup_dir %s: %s", cfg->backup_dir, strerror(errno));
        return;
    }
    if (backup_name(cfg->db_path, now, name, sizeof(name)))
        return;
    snprintf(g_job.src, sizeof(g_job.src), "%s", cfg->db_path);
    snprintf(g_job.dir, sizeof(g_job.dir), "%s", cfg->backup_dir);
    snprintf(g_job.dest, sizeof(g_job.dest), "%s/%s", cfg->backup_dir, name);
    g_job.keep = cfg->backup_keep;
    atomic_store(&g_job.finished, false);
    if (pthread_create(&g_job.th, NULL, job_run, NULL) != 0) {
        log_error(MOD, "cannot start the backup thread");
        return;
    }
    g_job.running = true;
}

void backup_tick(const struct config *cfg, int64_t now)
{
    if (g_job.running) {
        if (atomic_load(&g_job.finished))
            job_collect();
        return;
    }
    if (!cfg || !cfg->backup_dir || (g_job.last_try && now - g_job.last_try < 3600))
        return;
    int64_t newest = backup_newest(cfg->backup_dir, cfg->db_path);
    if (newest < 0 || now - newest >= DAY_S)
        job_start(cfg, now);
}

void backup_shutdown(void)
{
    if (g_job.running)
        job_collect();
}
