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
/* Steps a bound statement to the end, appending one element of `size` bytes per row
 * (filled by `row`) to a malloc'd array: *out (caller free()s) and *n. Resets st.
 * 0, BOT_ENOMEM or BOT_EIO (then *out is NULL and *n 0). */
int store_collect(sqlite3_stmt *st, size_t size, void (*row)(sqlite3_stmt *st, void *elem),
                  void **out, size_t *n);
/* Copies column text into out (empty for NULL). */
void store_col_text(sqlite3_stmt *st, int col, char *out, size_t outlen);

#endif
