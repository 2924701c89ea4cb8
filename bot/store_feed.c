/* store_feed.c - calendar feeds: source, channel, lead times, the last good body and
 * its validators, and the refresh error state (store module). */
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdlib.h>
#include <string.h>

#define FEED_COLS                                                                                  \
    "id,guild_id,source,channel_id,leads,coalesce(etag,''),coalesce(last_modified,''),"            \
    "coalesce(content_hash,''),coalesce(last_ok_at,0),coalesce(last_error,''),error_notified"

static void row_to_feed(sqlite3_stmt *st, struct feed_row *f)
{
    memset(f, 0, sizeof(*f));
    f->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, f->guild_id, sizeof(f->guild_id));
    store_col_text(st, 2, f->source, sizeof(f->source));
    store_col_text(st, 3, f->channel_id, sizeof(f->channel_id));
    store_col_text(st, 4, f->leads, sizeof(f->leads));
    store_col_text(st, 5, f->etag, sizeof(f->etag));
    store_col_text(st, 6, f->last_modified, sizeof(f->last_modified));
    store_col_text(st, 7, f->content_hash, sizeof(f->content_hash));
    f->last_ok_at = sqlite3_column_int64(st, 8);
    store_col_text(st, 9, f->last_error, sizeof(f->last_error));
    f->error_notified = sqlite3_column_int(st, 10) != 0;
}

static void row_to_feed_v(sqlite3_stmt *st, void *elem)
{
    row_to_feed(st, elem);
}

int store_feed_add(struct store *s, const char *guild, const char *source, const char *channel,
                   const char *leads, int64_t now, int64_t *id)
{
    static const char find[] =
        "SELECT id FROM calendar_feeds WHERE guild_id=?1 AND source=?2 AND channel_id=?3";
    static const char ins[] = "INSERT INTO calendar_feeds(guild_id,source,channel_id,leads,"
                              "created_at) VALUES(?1,?2,?3,?4,?5)";
    sqlite3_stmt *st = store_stmt(s, find);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild);
    store_bind_text(st, 2, source);
    store_bind_text(st, 3, channel);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return BOT_EBUSY;
    }
    sqlite3_reset(st);
    st = store_stmt(s, ins);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild);
    store_bind_text(st, 2, source);
    store_bind_text(st, 3, channel);
    store_bind_text(st, 4, leads);
    sqlite3_bind_int64(st, 5, now);
    int rc = store_step_done(s, st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_feed_remove(struct store *s, const char *guild, int64_t id)
{
    static const char sql[] = "DELETE FROM calendar_feeds WHERE id=?1 AND (guild_id=?2 OR "
                              "guild_id='')";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, guild);
    int rc = store_step_done(s, st);
    return rc ? rc : sqlite3_changes(s->db) ? 0 : BOT_ENOTFOUND;
}

int store_feed_get(struct store *s, int64_t id, struct feed_row *out)
{
    static const char sql[] = "SELECT " FEED_COLS " FROM calendar_feeds WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_feed(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_feed_list(struct store *s, const char *guild, struct feed_row **out, size_t *n)
{
    static const char all[] = "SELECT " FEED_COLS " FROM calendar_feeds ORDER BY id";
    static const char one[] = "SELECT " FEED_COLS " FROM calendar_feeds WHERE guild_id=?1 OR "
                              "guild_id='' ORDER BY id";
    sqlite3_stmt *st = store_stmt(s, guild ? one : all);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    if (guild)
        store_bind_text(st, 1, guild);
    return store_collect(st, sizeof(**out), row_to_feed_v, (void **)out, n);
}

int store_feed_body(struct store *s, int64_t id, char **body, size_t *len)
{
    static const char sql[] = "SELECT body FROM calendar_feeds WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    *body = NULL;
    *len = 0;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        int n = sqlite3_column_bytes(st, 0);
        *body = malloc((size_t)n + 1);
        if (*body) {
            memcpy(*body, sqlite3_column_blob(st, 0), (size_t)n);
            (*body)[n] = '\0';
            *len = (size_t)n;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_feed_ok(struct store *s, int64_t id, const char *etag, const char *last_modified,
                  const char *hash, const char *body, size_t len, int64_t now)
{
    static const char sql[] =
        "UPDATE calendar_feeds SET etag=?2, last_modified=?3, content_hash=?4,"
        " body=CASE WHEN ?6 THEN ?5 ELSE body END, last_ok_at=?7, last_error=NULL,"
        " error_notified=0 WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, etag && *etag ? etag : NULL);
    store_bind_text(st, 3, last_modified && *last_modified ? last_modified : NULL);
    store_bind_text(st, 4, hash);
    if (body)
        sqlite3_bind_blob(st, 5, body, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, body != NULL);
    sqlite3_bind_int64(st, 7, now);
    return store_step_done(s, st);
}

int store_feed_error(struct store *s, int64_t id, const char *err, bool *first)
{
    static const char get[] = "SELECT error_notified FROM calendar_feeds WHERE id=?1";
    static const char set[] =
        "UPDATE calendar_feeds SET last_error=?2, error_notified=1 WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, get);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    *first = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_reset(st);
    st = store_stmt(s, set);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, err);
    return store_step_done(s, st);
}

int store_feed_count(struct store *s, const char *guild)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM calendar_feeds WHERE guild_id=?1");
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : BOT_EIO;
    sqlite3_reset(st);
    return n;
}

int store_feed_guild_bytes(struct store *s, const char *guild, int64_t except_id, int64_t *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(sum(length(body)),0) FROM calendar_feeds"
                                     " WHERE guild_id=?1 AND id<>?2");
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild);
    sqlite3_bind_int64(st, 2, except_id);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : BOT_EIO;
    *out = rc ? 0 : sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}
