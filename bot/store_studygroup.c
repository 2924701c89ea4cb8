/* store_studygroup.c - study-group queries (store_studygroup.h; store module). */
#include "bot/store_studygroup.h"
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdlib.h>
#include <string.h>

static int step_row(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_sg_channels_get(struct store *s, int64_t cohort_id, const char *grp, char text[24],
                          char voice[24])
{
    static const char sql[] =
        "SELECT text_channel, voice_channel FROM sg_channels WHERE cohort_id=?1 AND grp=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    text[0] = voice[0] = '\0';
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, grp);
    int rc = step_row(st);
    if (!rc) {
        store_col_text(st, 0, text, 24);
        store_col_text(st, 1, voice, 24);
    }
    sqlite3_reset(st);
    return rc;
}

int store_sg_channel_set(struct store *s, int64_t cohort_id, const char *grp, bool voice,
                         const char *channel_id)
{
    static const char sql_t[] =
        "INSERT INTO sg_channels(cohort_id,grp,text_channel) VALUES(?1,?2,?3)"
        " ON CONFLICT(cohort_id,grp) DO UPDATE SET text_channel=excluded.text_channel";
    static const char sql_v[] =
        "INSERT INTO sg_channels(cohort_id,grp,voice_channel) VALUES(?1,?2,?3)"
        " ON CONFLICT(cohort_id,grp) DO UPDATE SET voice_channel=excluded.voice_channel";
    sqlite3_stmt *st = store_stmt(s, voice ? sql_v : sql_t);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, grp);
    store_bind_text(st, 3, channel_id);
    return store_step_done(s, st);
}

static void row_event(sqlite3_stmt *st, void *elem)
{
    struct sg_event *e = elem;
    memset(e, 0, sizeof(*e));
    store_col_text(st, 0, e->key, sizeof(e->key));
    store_col_text(st, 1, e->event_id, sizeof(e->event_id));
    e->start = sqlite3_column_int64(st, 2);
    e->end = sqlite3_column_int64(st, 3);
    e->shape = (uint32_t)sqlite3_column_int64(st, 4);
    e->state = (enum sg_ev_state)sqlite3_column_int(st, 5);
    store_col_text(st, 6, e->channel_id, sizeof(e->channel_id));
}

int store_sg_events(struct store *s, int64_t cohort_id, struct sg_event **out, size_t *n)
{
    static const char sql[] =
        "SELECT skey,event_id,start_at,end_at,shape,state,channel_id FROM sg_events"
        " WHERE cohort_id=?1 ORDER BY start_at, skey";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    return store_collect(st, sizeof(**out), row_event, (void **)out, n);
}

int store_sg_event_put(struct store *s, int64_t cohort_id, const struct sg_event *e,
                       const char *channel_id, int64_t now)
{
    static const char sql[] =
        "INSERT INTO sg_events(cohort_id,skey,event_id,channel_id,start_at,end_at,shape,state,"
        "updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(cohort_id,skey) DO UPDATE SET"
        " event_id=excluded.event_id, channel_id=coalesce(excluded.channel_id,channel_id),"
        " start_at=excluded.start_at, end_at=excluded.end_at, shape=excluded.shape,"
        " state=excluded.state, updated_at=excluded.updated_at";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, e->key);
    store_bind_text(st, 3, e->event_id[0] ? e->event_id : NULL);
    store_bind_text(st, 4, channel_id);
    sqlite3_bind_int64(st, 5, e->start);
    sqlite3_bind_int64(st, 6, e->end);
    sqlite3_bind_int64(st, 7, (int64_t)e->shape);
    sqlite3_bind_int(st, 8, (int)e->state);
    sqlite3_bind_int64(st, 9, now);
    return store_step_done(s, st);
}

int store_sg_event_by_id(struct store *s, const char *event_id, int64_t *cohort_id,
                         char key[SG_KEY_LEN])
{
    static const char sql[] = "SELECT cohort_id, skey FROM sg_events WHERE event_id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, event_id);
    int rc = step_row(st);
    if (!rc) {
        *cohort_id = sqlite3_column_int64(st, 0);
        store_col_text(st, 1, key, SG_KEY_LEN);
    }
    sqlite3_reset(st);
    return rc;
}

int store_sg_cancel(struct store *s, int64_t cohort_id, const char *key, const char *by,
                    int64_t now)
{
    static const char sql[] = "INSERT OR IGNORE INTO sg_cancelled(cohort_id,skey,by_user,at)"
                              " VALUES(?1,?2,?3,?4)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, key);
    store_bind_text(st, 3, by);
    sqlite3_bind_int64(st, 4, now);
    return store_step_done(s, st);
}

bool store_sg_cancelled(struct store *s, int64_t cohort_id, const char *key)
{
    static const char sql[] = "SELECT 1 FROM sg_cancelled WHERE cohort_id=?1 AND skey=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, key);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int store_sg_interest_set(struct store *s, const char *guild_id, const char *event_id,
                          const char *user_id, bool on, int64_t now)
{
    static const char add[] = "INSERT OR IGNORE INTO sg_interest(guild_id,event_id,user_id,at)"
                              " VALUES(?1,?2,?3,?4)";
    static const char del[] = "DELETE FROM sg_interest WHERE guild_id=?1 AND event_id=?2"
                              " AND user_id=?3 AND ?4 IS NOT NULL";
    sqlite3_stmt *st = store_stmt(s, on ? add : del);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, event_id);
    store_bind_text(st, 3, user_id);
    sqlite3_bind_int64(st, 4, now);
    return store_step_done(s, st);
}

bool store_sg_interested(struct store *s, const char *event_id, const char *user_id)
{
    static const char sql[] = "SELECT 1 FROM sg_interest WHERE event_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return false;
    store_bind_text(st, 1, event_id);
    store_bind_text(st, 2, user_id);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

static void row_user(sqlite3_stmt *st, void *elem)
{
    store_col_text(st, 0, elem, 24);
}

int store_sg_interest_list(struct store *s, const char *event_id, char (**out)[24], size_t *n)
{
    static const char sql[] =
        "SELECT user_id FROM sg_interest WHERE event_id=?1 ORDER BY at, user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, event_id);
    return store_collect(st, 24, row_user, (void **)out, n);
}

int store_sg_voice_leave(struct store *s, const char *guild_id, const char *user_id, int64_t now)
{
    static const char sql[] = "UPDATE sg_voice SET left_at=max(?3, joined_at)"
                              " WHERE guild_id=?1 AND user_id=?2 AND left_at IS NULL";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    return store_step_done(s, st);
}

int store_sg_voice_join(struct store *s, const char *guild_id, const char *user_id,
                        const char *channel_id, int64_t now)
{
    static const char sql[] = "INSERT INTO sg_voice(guild_id,user_id,channel_id,joined_at)"
                              " VALUES(?1,?2,?3,?4)";
    int rc = store_begin(s);
    if (!rc)
        rc = store_sg_voice_leave(s, guild_id, user_id, now);
    sqlite3_stmt *st = rc ? NULL : store_stmt(s, sql);
    if (!rc && !st)
        rc = BOT_EIO;
    if (!rc) {
        store_bind_text(st, 1, guild_id);
        store_bind_text(st, 2, user_id);
        store_bind_text(st, 3, channel_id);
        sqlite3_bind_int64(st, 4, now);
        rc = store_step_done(s, st);
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

int store_sg_voice_where(struct store *s, const char *guild_id, const char *user_id, char out[24])
{
    static const char sql[] = "SELECT channel_id FROM sg_voice WHERE guild_id=?1 AND user_id=?2"
                              " AND left_at IS NULL";
    sqlite3_stmt *st = store_stmt(s, sql);
    out[0] = '\0';
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    int rc = step_row(st);
    if (!rc)
        store_col_text(st, 0, out, 24);
    sqlite3_reset(st);
    return rc == BOT_ENOTFOUND ? 0 : rc;
}

static void row_interval(sqlite3_stmt *st, void *elem)
{
    struct sg_interval *v = elem;
    memset(v, 0, sizeof(*v));
    store_col_text(st, 0, v->user_id, sizeof(v->user_id));
    v->joined_at = sqlite3_column_int64(st, 1);
    v->left_at = sqlite3_column_int64(st, 2);
}

int store_sg_voice_in(struct store *s, const char *channel_id, int64_t from, int64_t to,
                      struct sg_interval **out, size_t *n)
{
    static const char sql[] =
        "SELECT user_id, joined_at, coalesce(left_at, 0) FROM sg_voice WHERE channel_id=?1"
        " AND joined_at < ?3 AND (left_at IS NULL OR left_at > ?2) ORDER BY user_id, joined_at";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, channel_id);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    return store_collect(st, sizeof(**out), row_interval, (void **)out, n);
}

struct open_row {
    struct sg_interval v;
    char channel[24];
};

static void row_open(sqlite3_stmt *st, void *elem)
{
    struct open_row *o = elem;
    row_interval(st, &o->v);
    store_col_text(st, 3, o->channel, sizeof(o->channel));
}

int store_sg_voice_open(struct store *s, const char *guild_id, struct sg_interval **out,
                        char (**channels)[24], size_t *n)
{
    static const char sql[] = "SELECT user_id, joined_at, 0, channel_id FROM sg_voice"
                              " WHERE guild_id=?1 AND left_at IS NULL ORDER BY user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *channels = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    struct open_row *rows = NULL;
    int rc = store_collect(st, sizeof(*rows), row_open, (void **)&rows, n);
    if (rc || *n == 0) {
        free(rows);
        return rc;
    }
    *out = calloc(*n, sizeof(**out));
    *channels = calloc(*n, sizeof(**channels));
    if (!*out || !*channels) {
        free(*out);
        free(*channels);
        free(rows);
        *out = NULL;
        *channels = NULL;
        *n = 0;
        return BOT_ENOMEM;
    }
    for (size_t i = 0; i < *n; i++) {
        (*out)[i] = rows[i].v;
        memcpy((*channels)[i], rows[i].channel, 24);
    }
    free(rows);
    return 0;
}

int store_sg_optout_set(struct store *s, const char *guild_id, const char *user_id, bool off)
{
    static const char add[] = "INSERT OR IGNORE INTO sg_optout(guild_id,user_id) VALUES(?1,?2)";
    static const char del[] = "DELETE FROM sg_optout WHERE guild_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, off ? add : del);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    return store_step_done(s, st);
}

bool store_sg_optout(struct store *s, const char *guild_id, const char *user_id)
{
    static const char sql[] = "SELECT 1 FROM sg_optout WHERE guild_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return false;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}
