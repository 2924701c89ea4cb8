/* store_delivery.c - the delivery ledger: one row per scheduled post, written before
 * sending and marked after, so a restart never posts twice (store module). */
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdio.h>
#include <string.h>

void store_delivery_nonce(const char *key, char out[26])
{
    /* FNV-1a 64 over the key, twice with different seeds: 25 hex-ish chars. */
    uint64_t h1 = UINT64_C(0xcbf29ce484222325), h2 = UINT64_C(0x84222325cbf29ce4);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h1 = (h1 ^ *p) * UINT64_C(0x100000001b3);
        h2 = (h2 ^ *p) * UINT64_C(0x100000001b3) + 0x9e37;
    }
    snprintf(out, 26, "cb%016llx%07llx", (unsigned long long)h1,
             (unsigned long long)(h2 & 0xFFFFFFF));
}

static void row_to_delivery(sqlite3_stmt *st, struct delivery *d)
{
    memset(d, 0, sizeof(*d));
    store_col_text(st, 0, d->key, sizeof(d->key));
    store_col_text(st, 1, d->nonce, sizeof(d->nonce));
    d->state = (enum dlv_state)sqlite3_column_int(st, 2);
    d->attempts = sqlite3_column_int(st, 3);
    d->due_at = sqlite3_column_int64(st, 4);
    store_col_text(st, 5, d->message_id, sizeof(d->message_id));
}

int store_delivery_get(struct store *s, const char *key, struct delivery *out)
{
    static const char sql[] = "SELECT key,nonce,state,attempts,due_at,message_id "
                              "FROM deliveries WHERE key=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_delivery(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_delivery_begin(struct store *s, const char *key, const char *kind, const char *target,
                         int64_t due_at, int64_t now, struct delivery *out, bool *created)
{
    static const char sql[] =
        "INSERT INTO deliveries(key,kind,target,nonce,due_at,created_at,"
        "updated_at) VALUES(?1,?2,?3,?4,?5,?6,?6) ON CONFLICT(key) DO NOTHING";
    if (strlen(key) >= sizeof(out->key))
        return BOT_ETOOBIG;
    char nonce[26];
    store_delivery_nonce(key, nonce);
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, kind);
    store_bind_text(st, 3, target);
    store_bind_text(st, 4, nonce);
    sqlite3_bind_int64(st, 5, due_at);
    sqlite3_bind_int64(st, 6, now);
    int rc = store_step_done(s, st);
    if (rc)
        return rc;
    *created = sqlite3_changes(s->db) > 0;
    return store_delivery_get(s, key, out);
}

int store_delivery_mark(struct store *s, const char *key, enum dlv_state state,
                        const char *message_id, const char *detail, int64_t now)
{
    static const char sql[] =
        "UPDATE deliveries SET state=?2, message_id=coalesce(?3,message_id),"
        " detail=coalesce(?4,detail), attempts=attempts+(?2=0), updated_at=?5 WHERE key=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    sqlite3_bind_int(st, 2, (int)state);
    store_bind_text(st, 3, message_id);
    store_bind_text(st, 4, detail);
    sqlite3_bind_int64(st, 5, now);
    int rc = store_step_done(s, st);
    if (!rc && sqlite3_changes(s->db) == 0)
        return BOT_ENOTFOUND;
    return rc;
}

int store_delivery_prune(struct store *s, int64_t before, int max)
{
    static const char sql[] = "DELETE FROM deliveries WHERE key IN (SELECT key FROM deliveries"
                              " WHERE state<>0 AND updated_at<?1 LIMIT ?2)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int(st, 2, max);
    int rc = store_step_done(s, st);
    return rc ? rc : sqlite3_changes(s->db);
}
