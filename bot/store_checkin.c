/* store_checkin.c - check-ins, member settings, the learner's export and deletion
 * (store module; see store_checkin.h). */
#include "bot/store_checkin.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store_int.h"

#include <stdio.h>
#include <string.h>

bool store_txn_open(struct store *s)
{
    return sqlite3_get_autocommit(s->db) == 0;
}

static const char *nz(const char *v)
{
    return v && *v ? v : NULL;
}

int store_checkin_put(struct store *s, const struct checkin *ck, int64_t now, bool *updated)
{
    static const char probe[] =
        "SELECT 1 FROM checkins WHERE cohort_id=?1 AND user_id=?2 AND day=?3";
    static const char sql[] =
        "INSERT INTO checkins(cohort_id,user_id,day,hours,note,link,created_at,updated_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?7) ON CONFLICT(cohort_id,user_id,day) DO UPDATE SET"
        " hours=coalesce(excluded.hours,hours), note=coalesce(excluded.note,note),"
        " link=coalesce(excluded.link,link), updated_at=excluded.updated_at";
    int rc = store_begin(s);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, probe);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, ck->cohort_id);
    store_bind_text(st, 2, ck->user_id);
    sqlite3_bind_int(st, 3, ck->day);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        goto fail;
    *updated = step == SQLITE_ROW;
    if (!(st = store_stmt(s, sql)))
        goto fail;
    sqlite3_bind_int64(st, 1, ck->cohort_id);
    store_bind_text(st, 2, ck->user_id);
    sqlite3_bind_int(st, 3, ck->day);
    if (ck->hours >= 0)
        sqlite3_bind_double(st, 4, ck->hours);
    store_bind_text(st, 5, nz(ck->note));
    store_bind_text(st, 6, nz(ck->link));
    sqlite3_bind_int64(st, 7, now);
    if (store_step_done(s, st))
        goto fail;
    return store_commit(s);
fail:
    store_rollback(s);
    return BOT_EIO;
}

#define CK_COLS "cohort_id,user_id,day,coalesce(hours,-1),note,link,created_at,updated_at"

static void row_to_checkin(sqlite3_stmt *st, struct checkin *ck)
{
    ck->cohort_id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, ck->user_id, sizeof(ck->user_id));
    ck->day = sqlite3_column_int(st, 2);
    ck->hours = sqlite3_column_double(st, 3);
    store_col_text(st, 4, ck->note, sizeof(ck->note));
    store_col_text(st, 5, ck->link, sizeof(ck->link));
    ck->created_at = sqlite3_column_int64(st, 6);
    ck->updated_at = sqlite3_column_int64(st, 7);
}

int store_checkin_get(struct store *s, int64_t cohort_id, const char *user_id, int day,
                      struct checkin *out)
{
    static const char sql[] =
        "SELECT " CK_COLS " FROM checkins WHERE cohort_id=?1 AND user_id=?2 AND day=?3";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, day);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_checkin(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

/* The statement is prepared fresh (not cached): fn may run cached statements, even
 * ones of this file, while the rows are being read. */
int store_checkin_each(struct store *s, int64_t cohort_id, const char *user_id,
                       int (*fn)(void *arg, const struct checkin *ck), void *arg)
{
    const char *sql = user_id ? "SELECT " CK_COLS " FROM checkins WHERE cohort_id=?1 AND"
                                " user_id=?2 ORDER BY day"
                              : "SELECT " CK_COLS " FROM checkins WHERE cohort_id=?1"
                                " ORDER BY user_id, day";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "prepare failed: %s", sqlite3_errmsg(s->db));
        return BOT_EIO;
    }
    sqlite3_bind_int64(st, 1, cohort_id);
    if (user_id)
        store_bind_text(st, 2, user_id);
    int rc, out = 0;
    struct checkin ck;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_checkin(st, &ck);
        if ((out = fn(arg, &ck)))
            break;
    }
    sqlite3_finalize(st);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : BOT_EIO;
}

int store_checkin_export(struct store *s, const char *guild_id,
                         int (*fn)(void *arg, const struct checkin_export_row *r), void *arg)
{
    static const char sql[] =
        "SELECT c.guild_id, c.start_date, k.user_id, coalesce(k.note,''), coalesce(k.link,''),"
        " k.cohort_id, k.day, coalesce(k.hours,-1), k.created_at FROM checkins k"
        " JOIN cohorts c ON c.id = k.cohort_id WHERE ?1 IS NULL OR c.guild_id = ?1"
        " ORDER BY c.guild_id, k.cohort_id, k.user_id, k.day";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "prepare failed: %s", sqlite3_errmsg(s->db));
        return BOT_EIO;
    }
    store_bind_text(st, 1, guild_id);
    int rc, out = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct checkin_export_row r = {
            .guild_id = (const char *)sqlite3_column_text(st, 0),
            .cohort_start = (const char *)sqlite3_column_text(st, 1),
            .user_id = (const char *)sqlite3_column_text(st, 2),
            .note = (const char *)sqlite3_column_text(st, 3),
            .link = (const char *)sqlite3_column_text(st, 4),
            .cohort_id = sqlite3_column_int64(st, 5),
            .day = sqlite3_column_int(st, 6),
            .hours = sqlite3_column_double(st, 7),
            .created_at = sqlite3_column_int64(st, 8),
        };
        if ((out = fn(arg, &r)))
            break;
    }
    sqlite3_finalize(st);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : BOT_EIO;
}

#define MEMBER_COLS                                                                                \
    "guild_id,user_id,coalesce(name,''),coalesce(timezone,''),progress_public,leaderboard,"        \
    "nudges,coalesce(last_nudge_day,0)"

static void row_to_member(sqlite3_stmt *st, struct member *m)
{
    store_col_text(st, 0, m->guild_id, sizeof(m->guild_id));
    store_col_text(st, 1, m->user_id, sizeof(m->user_id));
    store_col_text(st, 2, m->name, sizeof(m->name));
    store_col_text(st, 3, m->timezone, sizeof(m->timezone));
    m->progress_public = sqlite3_column_int(st, 4) != 0;
    m->leaderboard = sqlite3_column_int(st, 5) != 0;
    m->nudges = sqlite3_column_int(st, 6) != 0;
    m->last_nudge_day = sqlite3_column_int(st, 7);
}

int store_member_get(struct store *s, const char *guild_id, const char *user_id, struct member *out)
{
    static const char sql[] =
        "SELECT " MEMBER_COLS " FROM members WHERE guild_id=?1 AND user_id=?2";
    memset(out, 0, sizeof(*out));
    snprintf(out->guild_id, sizeof(out->guild_id), "%s", guild_id);
    snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
    out->leaderboard = out->nudges = true;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_member(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : BOT_EIO;
}

int store_member_put(struct store *s, const struct member *m)
{
    static const char sql[] =
        "INSERT INTO members(guild_id,user_id,name,timezone,progress_public,leaderboard,nudges,"
        "last_nudge_day) VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(guild_id,user_id) DO UPDATE"
        " SET name=excluded.name, timezone=excluded.timezone,"
        " progress_public=excluded.progress_public, leaderboard=excluded.leaderboard,"
        " nudges=excluded.nudges, last_nudge_day=excluded.last_nudge_day";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, m->guild_id);
    store_bind_text(st, 2, m->user_id);
    store_bind_text(st, 3, nz(m->name));
    store_bind_text(st, 4, nz(m->timezone));
    sqlite3_bind_int(st, 5, m->progress_public);
    sqlite3_bind_int(st, 6, m->leaderboard);
    sqlite3_bind_int(st, 7, m->nudges);
    if (m->last_nudge_day > 0)
        sqlite3_bind_int(st, 8, m->last_nudge_day);
    return store_step_done(s, st);
}

int store_member_each(struct store *s, const char *guild_id,
                      int (*fn)(void *arg, const struct member *m), void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " MEMBER_COLS " FROM members WHERE guild_id=?1 ORDER BY user_id",
                           -1, &st, NULL) != SQLITE_OK)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    int rc, out = 0;
    struct member m;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_member(st, &m);
        if ((out = fn(arg, &m)))
            break;
    }
    sqlite3_finalize(st);
    return out ? out : rc == SQLITE_DONE ? 0 : BOT_EIO;
}

bool store_is_mentor_of(struct store *s, int64_t cohort_id, const char *mentor_id,
                        const char *mentee_id)
{
    static const char sql[] =
        "SELECT 1 FROM pairs p JOIN pair_rounds r ON r.id = p.round_id WHERE r.cohort_id=?1"
        " AND p.mentor_id=?2 AND p.mentee_id=?3 AND r.round_no ="
        " (SELECT max(round_no) FROM pair_rounds WHERE cohort_id=?1)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, mentor_id);
    store_bind_text(st, 3, mentee_id);
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}
