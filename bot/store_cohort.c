/* store_cohort.c - cohorts and their explicit week-channel map (store module). */
#include "bot/err.h"
#include "bot/store_int.h"
#include "schedules/cohort.h"

#include <stdlib.h>
#include <string.h>

#define COHORT_COLS                                                                                \
    "id,guild_id,curriculum,start_date,timezone,post_time,coalesce(fallback_channel,''),"          \
    "coalesce(mentors_channel,''),created_at,updated_at"

static void row_to_cohort(sqlite3_stmt *st, struct cohort *c)
{
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, c->guild_id, sizeof(c->guild_id));
    store_col_text(st, 2, c->curriculum, sizeof(c->curriculum));
    store_col_text(st, 3, c->start_date, sizeof(c->start_date));
    store_col_text(st, 4, c->timezone, sizeof(c->timezone));
    store_col_text(st, 5, c->post_time, sizeof(c->post_time));
    store_col_text(st, 6, c->fallback_channel, sizeof(c->fallback_channel));
    store_col_text(st, 7, c->mentors_channel, sizeof(c->mentors_channel));
    c->created_at = sqlite3_column_int64(st, 8);
    c->updated_at = sqlite3_column_int64(st, 9);
}

static void row_to_cohort_v(sqlite3_stmt *st, void *elem)
{
    row_to_cohort(st, elem);
}

int store_cohort_get(struct store *s, const char *guild_id, struct cohort *out)
{
    static const char sql[] = "SELECT " COHORT_COLS " FROM cohorts WHERE guild_id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_cohort(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int store_cohort_put(struct store *s, struct cohort *c, int64_t now)
{
    static const char sql[] =
        "INSERT INTO cohorts(guild_id,curriculum,start_date,timezone,post_time,"
        "fallback_channel,mentors_channel,created_at,updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8)"
        " ON CONFLICT(guild_id) DO UPDATE SET curriculum=excluded.curriculum,"
        " start_date=excluded.start_date, timezone=excluded.timezone,"
        " post_time=excluded.post_time, fallback_channel=excluded.fallback_channel,"
        " mentors_channel=excluded.mentors_channel, updated_at=excluded.updated_at";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, c->guild_id);
    store_bind_text(st, 2, c->curriculum);
    store_bind_text(st, 3, c->start_date);
    store_bind_text(st, 4, c->timezone);
    store_bind_text(st, 5, c->post_time);
    store_bind_text(st, 6, nz(c->fallback_channel));
    store_bind_text(st, 7, nz(c->mentors_channel));
    sqlite3_bind_int64(st, 8, now);
    int rc = store_step_done(s, st);
    if (rc)
        return rc;
    struct cohort back;
    rc = store_cohort_get(s, c->guild_id, &back);
    if (!rc)
        *c = back;
    return rc;
}

int store_cohort_each(struct store *s, int (*fn)(void *arg, const struct cohort *c), void *arg)
{
    static const char sql[] = "SELECT " COHORT_COLS " FROM cohorts ORDER BY id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    /* Copy rows first: fn may run other statements (even this one). */
    struct cohort *rows = NULL;
    size_t n = 0;
    int rc = store_collect(st, sizeof(*rows), row_to_cohort_v, (void **)&rows, &n);
    for (size_t i = 0; !rc && i < n; i++)
        if (fn(arg, &rows[i]))
            break;
    free(rows);
    return rc;
}

int store_week_channel_set(struct store *s, int64_t cohort_id, int week, const char *channel_id)
{
    static const char put[] = "INSERT INTO week_channels(cohort_id,week,channel_id) "
                              "VALUES(?1,?2,?3) ON CONFLICT(cohort_id,week) DO UPDATE SET "
                              "channel_id=excluded.channel_id";
    static const char del[] = "DELETE FROM week_channels WHERE cohort_id=?1 AND week=?2";
    sqlite3_stmt *st = store_stmt(s, channel_id ? put : del);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, week);
    if (channel_id)
        store_bind_text(st, 3, channel_id);
    return store_step_done(s, st);
}

int store_week_channel_get(struct store *s, int64_t cohort_id, int week, char *out, size_t outlen)
{
    static const char sql[] = "SELECT channel_id FROM week_channels WHERE cohort_id=?1 AND week=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, week);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, out, outlen);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}
