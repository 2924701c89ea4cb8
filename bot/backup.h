/* backup.h - operations on the database file: the daily online backup with rotation
 * (config backup_dir, backup_keep), and the command-line tools `cohortbot backup FILE`
 * and `cohortbot check-db`. The daily copy runs on one worker thread of its own (its
 * own SQLite connections, store_backup.h), so the loop never waits for it; the loop
 * thread only starts it from its 1 s tick and collects the result. State is one
 * static job per process (one bot per process). */
#ifndef COHORT_BACKUP_H
#define COHORT_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct config;

/* From the loop's tick (now = app time, UTC s). Starts a backup when the newest one of
 * this database in backup_dir is 24 h old or there is none; collects a finished one
 * (logged: file, bytes, ms) and rotates to the newest backup_keep. No-op without
 * backup_dir. */
void backup_tick(const struct config *cfg, int64_t now);
/* Waits for a backup under way (at shutdown). */
void backup_shutdown(void);

/* "<stem>-YYYYMMDD-HHMMSS.db" for the database at db_path and time t. Pure. */
int backup_name(const char *db_path, int64_t t, char *out, size_t outlen);
/* Deletes the oldest of db_path's backups in dir beyond keep; the number deleted.
 * Only names backup_name() makes are touched. */
int backup_rotate(const char *dir, const char *db_path, int keep);
/* Time (UTC s) of the newest backup of db_path in dir, or -1 when none. */
int64_t backup_newest(const char *dir, const char *db_path);

int backup_main(int argc, char **argv);  /* cohortbot backup FILE [--db F] [--config F] */
int checkdb_main(int argc, char **argv); /* cohortbot check-db [--db F] [--config F] */

#endif
