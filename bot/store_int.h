/* store_int.h - internals shared by the store module's files (bot/store*.c): the
 * connection and the prepared-statement cache. Not for use outside bot/store*.c. */
#ifndef COHORT_STORE_INT_H
#define COHORT_STORE_INT_H

#include <sqlite3.h>

#include "bot/store.h"

#define STORE_MAX_STMTS 128

struct store {
    sqlite3 *db;
    int lock_fd; /* flock(2) held while a bot process owns the file; -1 when shared */
    int depth;   /* transaction nesting */
    struct {
        const char *sql; /* identity: the string literal's address */
        sqlite3_stmt *st;
    } cache[STORE_MAX_STMTS];
    int ncache;
};

/* Prepared (and reset) statement for a static SQL string; NULL on error (logged). */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Runs a prepared statement to completion (no rows expected). 0 or BOT_EIO. */
int store_step_done(struct store *s, sqlite3_stmt *st);
/* Binds text or NULL. */
void store_bind_text(sqlite3_stmt *st, int idx, const char *v);
/* Copies column text into out (empty for NULL). */
void store_col_text(sqlite3_stmt *st, int col, char *out, size_t outlen);

#endif
