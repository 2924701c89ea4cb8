/* store_backup.h - online backups and checks of the SQLite file (part of the store
 * module: SQLite's backup API, never a file copy, so a copy taken while the bot writes
 * is one consistent snapshot). Each call opens its own connections, so it may run on
 * any thread (the daily backup runs on bot/backup.c's worker) and beside a running
 * bot; it takes no lock the bot needs (WAL: a reader never blocks the writer). */
#ifndef COHORT_STORE_BACKUP_H
#define COHORT_STORE_BACKUP_H

#include <stdint.h>
#include <stdio.h>

struct store;

struct backup_info {
    int64_t pages, bytes; /* copied */
    int64_t ms;           /* wall time of copy + check */
    int schema;           /* user_version of the copy */
};

/* Copies the database at src_path into dest: written as dest.tmp, checked with
 * PRAGMA integrity_check, fsynced, then renamed to dest (an existing dest is
 * replaced only by a good copy). 0, or BOT_E* with err explaining. */
int store_backup_file(const char *src_path, const char *dest, struct backup_info *info, char *err,
                      size_t errlen);
/* The same from an open store's connection (the pre-migration backup; loop thread). */
int store_backup_open(struct store *s, const char *dest, struct backup_info *info, char *err,
                      size_t errlen);
/* Before migrating an existing database from schema `from`: a verified copy at
 * "<path>.schema-<from>-<UTC YYYYMMDD-HHMMSS>.bak" (logged). A failed backup stops the
 * migration (err explains; the file is untouched). */
int store_backup_premigration(struct store *s, const char *path, int from, char *err,
                              size_t errlen);
/* `cohortbot check-db`: full PRAGMA integrity_check and foreign_key_check of path
 * (read-only), schema version against this binary; a report to out. 0 = healthy,
 * BOT_ECORRUPT (problems listed), BOT_ESCHEMA (newer schema), or BOT_E* (cannot
 * open, err explains). */
int store_check_file(const char *path, FILE *out, char *err, size_t errlen);

#endif
