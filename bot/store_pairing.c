/* store_pairing.c - mentorship tables (store module): mentors and mentees sign-ups,
 * pairing rounds with their stored inputs/result JSON, the pairs of each round with
 * the "did you meet?" answers, and round statistics for /cohort report. */
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* Grows *rows by one element of size sz; returns the new slot or NULL. */
int store_mentor_put(struct store *s, int64_t cohort_id, const struct store_mentor *m, int64_t now)
{
    static const char sql[] =
        "INSERT INTO mentors(cohort_id,user_id,tracks,capacity,timezone,paused_until,active,"
        "joined_at) VALUES(?1,?2,?3,?4,?5,NULL,1,?6) ON CONFLICT(cohort_id,user_id) DO UPDATE"
        " SET tracks=excluded.tracks, capacity=excluded.capacity, timezone=excluded.timezone,"
        " paused_until=NULL, active=1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, m->user_id);
    store_bind_text(st, 3, m->tracks);
    sqlite3_bind_int(st, 4, m->capacity);
    store_bind_text(st, 5, nz(m->timezone));
    sqlite3_bind_int64(st, 6, now);
    return store_step_done(s, st);
}

int store_mentee_put(struct store *s, int64_t cohort_id, const struct store_mentee *m, int64_t now)
{
    static const char sql[] =
        "INSERT INTO mentees(cohort_id,user_id,interest,timezone,active,joined_at)"
        " VALUES(?1,?2,?3,?4,1,?5) ON CONFLICT(cohort_id,user_id) DO UPDATE"
        " SET interest=excluded.interest, timezone=excluded.timezone, active=1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, m->user_id);
    store_bind_text(st, 3, nz(m->interest));
    store_bind_text(st, 4, nz(m->timezone));
    sqlite3_bind_int64(st, 5, now);
    return store_step_done(s, st);
}

#define MENTOR_COLS "user_id,tracks,capacity,timezone,paused_until,active,joined_at"
#define MENTEE_COLS "user_id,interest,timezone,active,joined_at"

static void row_mentor(sqlite3_stmt *st, struct store_mentor *m)
{
    memset(m, 0, sizeof(*m));
    store_col_text(st, 0, m->user_id, sizeof(m->user_id));
    store_col_text(st, 1, m->tracks, sizeof(m->tracks));
    m->capacity = sqlite3_column_int(st, 2);
    store_col_text(st, 3, m->timezone, sizeof(m->timezone));
    store_col_text(st, 4, m->paused_until, sizeof(m->paused_until));
    m->active = sqlite3_column_int(st, 5) != 0;
    m->joined_at = sqlite3_column_int64(st, 6);
}

static void row_mentor_v(sqlite3_stmt *st, void *elem)
{
    row_mentor(st, elem);
}

static void row_mentee(sqlite3_stmt *st, struct store_mentee *m)
{
    memset(m, 0, sizeof(*m));
    store_col_text(st, 0, m->user_id, sizeof(m->user_id));
    store_col_text(st, 1, m->interest, sizeof(m->interest));
    store_col_text(st, 2, m->timezone, sizeof(m->timezone));
    m->active = sqlite3_column_int(st, 3) != 0;
    m->joined_at = sqlite3_column_int64(st, 4);
}

static void row_mentee_v(sqlite3_stmt *st, void *elem)
{
    row_mentee(st, elem);
}

static int one_row(sqlite3_stmt *st, int64_t cohort_id, const char *user_id)
{
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    return sqlite3_step(st);
}

int store_mentor_get(struct store *s, int64_t cohort_id, const char *user_id,
                     struct store_mentor *out)
{
    static const char sql[] =
        "SELECT " MENTOR_COLS " FROM mentors WHERE cohort_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    int rc = one_row(st, cohort_id, user_id);
    if (rc == SQLITE_ROW)
        row_mentor(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_mentee_get(struct store *s, int64_t cohort_id, const char *user_id,
                     struct store_mentee *out)
{
    static const char sql[] =
        "SELECT " MENTEE_COLS " FROM mentees WHERE cohort_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    int rc = one_row(st, cohort_id, user_id);
    if (rc == SQLITE_ROW)
        row_mentee(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

/* Runs an UPDATE on (cohort, user); BOT_ENOTFOUND when it changed nothing. */
static int update_one(struct store *s, const char *sql, int64_t cohort_id, const char *user_id,
                      const char *text3)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    if (sqlite3_bind_parameter_count(st) >= 3)
        store_bind_text(st, 3, text3);
    int rc = store_step_done(s, st);
    if (rc)
        return rc;
    return sqlite3_changes(s->db) > 0 ? 0 : BOT_ENOTFOUND;
}

int store_mentor_pause(struct store *s, int64_t cohort_id, const char *user_id, const char *until)
{
    static const char sql[] = "UPDATE mentors SET paused_until=?3 WHERE cohort_id=?1 AND "
                              "user_id=?2 AND active=1";
    return update_one(s, sql, cohort_id, user_id, nz(until));
}

int store_mentor_leave(struct store *s, int64_t cohort_id, const char *user_id)
{
    static const char sql[] =
        "UPDATE mentors SET active=0 WHERE cohort_id=?1 AND user_id=?2 AND active=1";
    return update_one(s, sql, cohort_id, user_id, NULL);
}

int store_mentee_leave(struct store *s, int64_t cohort_id, const char *user_id)
{
    static const char sql[] =
        "UPDATE mentees SET active=0 WHERE cohort_id=?1 AND user_id=?2 AND active=1";
    return update_one(s, sql, cohort_id, user_id, NULL);
}

int store_mentors_active(struct store *s, int64_t cohort_id, const char *today,
                         struct store_mentor **out, size_t *n)
{
    static const char sql[] = "SELECT " MENTOR_COLS " FROM mentors WHERE cohort_id=?1 AND "
                              "active=1 AND (paused_until IS NULL OR paused_until<=?2) "
                              "ORDER BY user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, today);
    return store_collect(st, sizeof(**out), row_mentor_v, (void **)out, n);
}

int store_mentees_active(struct store *s, int64_t cohort_id, struct store_mentee **out, size_t *n)
{
    static const char sql[] = "SELECT " MENTEE_COLS " FROM mentees WHERE cohort_id=?1 AND "
                              "active=1 ORDER BY user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    return store_collect(st, sizeof(**out), row_mentee_v, (void **)out, n);
}

int store_pair_member_zone(struct store *s, const char *guild_id, const char *user_id, char *out,
                           size_t outlen)
{
    static const char sql[] = "SELECT timezone FROM members WHERE guild_id=?1 AND user_id=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    out[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, out, outlen);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : BOT_EIO;
}

/* ---- rounds ---- */

#define ROUND_COLS "id,cohort_id,round_no,seed,run_at,manual"

static void row_round(sqlite3_stmt *st, struct store_round *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->cohort_id = sqlite3_column_int64(st, 1);
    r->round_no = sqlite3_column_int(st, 2);
    r->seed = (uint64_t)sqlite3_column_int64(st, 3);
    r->run_at = sqlite3_column_int64(st, 4);
    r->manual = sqlite3_column_int(st, 5) != 0;
}

static int round_query(struct store *s, const char *sql, int64_t a, int b, struct store_round *out)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, a);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int(st, 2, b);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_round(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_round_by_no(struct store *s, int64_t cohort_id, int round_no, struct store_round *out)
{
    static const char sql[] =
        "SELECT " ROUND_COLS " FROM pair_rounds WHERE cohort_id=?1 AND round_no=?2";
    return round_query(s, sql, cohort_id, round_no, out);
}

int store_round_by_id(struct store *s, int64_t round_id, struct store_round *out)
{
    static const char sql[] = "SELECT " ROUND_COLS " FROM pair_rounds WHERE id=?1";
    return round_query(s, sql, round_id, 0, out);
}

int store_round_latest(struct store *s, int64_t cohort_id, struct store_round *out)
{
    static const char sql[] = "SELECT " ROUND_COLS " FROM pair_rounds WHERE cohort_id=?1 "
                              "ORDER BY round_no DESC LIMIT 1";
    return round_query(s, sql, cohort_id, 0, out);
}

static int insert_pair(struct store *s, int64_t round_id, const struct store_pair *p)
{
    static const char sql[] =
        "INSERT INTO pairs(round_id,mentor_id,mentee_id,cost,reason,slot_at,repeat)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    store_bind_text(st, 2, nz(p->mentor_id));
    store_bind_text(st, 3, p->mentee_id);
    sqlite3_bind_int64(st, 4, p->cost);
    store_bind_text(st, 5, p->reason);
    if (p->mentor_id[0])
        sqlite3_bind_int64(st, 6, p->slot_at);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int(st, 7, p->repeat);
    return store_step_done(s, st);
}

static int insert_round_row(struct store *s, struct store_round *r, const char *inputs,
                            const char *result)
{
    static const char sql[] =
        "INSERT INTO pair_rounds(cohort_id,round_no,seed,run_at,manual,inputs,result)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, r->cohort_id);
    sqlite3_bind_int(st, 2, r->round_no);
    sqlite3_bind_int64(st, 3, (int64_t)r->seed);
    sqlite3_bind_int64(st, 4, r->run_at);
    sqlite3_bind_int(st, 5, r->manual);
    store_bind_text(st, 6, inputs);
    store_bind_text(st, 7, result);
    int rc = store_step_done(s, st);
    if (!rc)
        r->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_round_insert(struct store *s, struct store_round *r, const char *inputs,
                       const char *result, const struct store_pair *pairs, size_t n)
{
    struct store_round old;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = store_round_by_no(s, r->cohort_id, r->round_no, &old);
    if (rc == 0)
        rc = BOT_EBUSY;
    else if (rc == BOT_ENOTFOUND)
        rc = insert_round_row(s, r, inputs, result);
    for (size_t i = 0; !rc && i < n; i++)
        rc = insert_pair(s, r->id, &pairs[i]);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

static char *col_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

int store_round_json(struct store *s, int64_t round_id, char **inputs, char **result)
{
    static const char sql[] = "SELECT inputs,result FROM pair_rounds WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    *inputs = *result = NULL;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *inputs = col_dup(st, 0);
        *result = col_dup(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
    if (!*inputs || !*result) {
        free(*inputs);
        free(*result);
        *inputs = *result = NULL;
        return BOT_ENOMEM;
    }
    return 0;
}

/* ---- pairs ---- */

#define PAIR_COLS                                                                                  \
    "p.round_id,r.round_no,coalesce(p.mentor_id,''),p.mentee_id,p.cost,p.reason,"                  \
    "coalesce(p.slot_at,0),p.repeat,coalesce(p.met,-1),coalesce(p.mentor_met,-1)"

static void row_pair(sqlite3_stmt *st, struct store_pair *p)
{
    memset(p, 0, sizeof(*p));
    p->round_id = sqlite3_column_int64(st, 0);
    p->round_no = sqlite3_column_int(st, 1);
    store_col_text(st, 2, p->mentor_id, sizeof(p->mentor_id));
    store_col_text(st, 3, p->mentee_id, sizeof(p->mentee_id));
    p->cost = sqlite3_column_int64(st, 4);
    store_col_text(st, 5, p->reason, sizeof(p->reason));
    p->slot_at = sqlite3_column_int64(st, 6);
    p->repeat = sqlite3_column_int(st, 7) != 0;
    p->met = sqlite3_column_int(st, 8);
    p->mentor_met = sqlite3_column_int(st, 9);
}

static void row_pair_v(sqlite3_stmt *st, void *elem)
{
    row_pair(st, elem);
}

/* Binds (a, b, text) as ?1 ?2 ?3 where the statement has them, then collects rows. */
static int pair_rows(struct store *s, const char *sql, int64_t a, int64_t b, const char *text,
                     struct store_pair **out, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    *out = NULL;
    *n = 0;
    if (!st)
        return BOT_EIO;
    int np = sqlite3_bind_parameter_count(st);
    sqlite3_bind_int64(st, 1, a);
    if (np >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (np >= 3)
        store_bind_text(st, 3, text);
    return store_collect(st, sizeof(**out), row_pair_v, (void **)out, n);
}

int store_pairs_of_round(struct store *s, int64_t round_id, struct store_pair **out, size_t *n)
{
    static const char sql[] = "SELECT " PAIR_COLS " FROM pairs p JOIN pair_rounds r ON "
                              "r.id=p.round_id WHERE p.round_id=?1 "
                              "ORDER BY coalesce(p.mentor_id,''), p.mentee_id";
    return pair_rows(s, sql, round_id, 0, NULL, out, n);
}

int store_pairs_history(struct store *s, int64_t cohort_id, int before_round,
                        struct store_pair **out, size_t *n)
{
    static const char sql[] = "SELECT " PAIR_COLS " FROM pairs p JOIN pair_rounds r ON "
                              "r.id=p.round_id WHERE r.cohort_id=?1 AND r.round_no<?2 AND "
                              "p.mentor_id IS NOT NULL ORDER BY r.round_no, p.mentor_id, "
                              "p.mentee_id";
    return pair_rows(s, sql, cohort_id, before_round, NULL, out, n);
}

int store_pairs_of_member(struct store *s, int64_t cohort_id, const char *user_id, size_t max,
                          struct store_pair **out, size_t *n)
{
    static const char sql[] = "SELECT " PAIR_COLS " FROM pairs p JOIN pair_rounds r ON "
                              "r.id=p.round_id WHERE r.cohort_id=?1 AND (p.mentor_id=?3 OR "
                              "p.mentee_id=?3) ORDER BY r.round_no DESC, p.mentee_id LIMIT ?2";
    return pair_rows(s, sql, cohort_id, (int64_t)max, user_id, out, n);
}

int store_pair_met(struct store *s, int64_t round_id, const char *user_id, bool yes, int64_t now)
{
    static const char as_mentee[] = "UPDATE pairs SET met=?3, met_at=?4 WHERE round_id=?1 AND "
                                    "mentee_id=?2 AND mentor_id IS NOT NULL";
    static const char as_mentor[] =
        "UPDATE pairs SET mentor_met=?3, mentor_met_at=?4 WHERE round_id=?1 AND mentor_id=?2";
    int changed = 0;
    const char *sqls[2] = {as_mentee, as_mentor};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = store_stmt(s, sqls[i]);
        if (!st)
            return BOT_EIO;
        sqlite3_bind_int64(st, 1, round_id);
        store_bind_text(st, 2, user_id);
        sqlite3_bind_int(st, 3, yes);
        sqlite3_bind_int64(st, 4, now);
        int rc = store_step_done(s, st);
        if (rc)
            return rc;
        changed += sqlite3_changes(s->db);
    }
    return changed ? 0 : BOT_ENOTFOUND;
}

int store_round_stats(struct store *s, int64_t round_id, const char *key_prefix,
                      struct store_round_stats *out)
{
    static const char sql[] =
        "SELECT sum(mentor_id IS NOT NULL), sum(mentor_id IS NULL), sum(repeat),"
        " sum(met=1), sum(met=0), sum(mentor_met=1), sum(mentor_met=0),"
        " (SELECT count(*) FROM deliveries WHERE substr(key,1,length(?2))=?2 AND"
        "  detail LIKE 'fallback%') FROM pairs WHERE round_id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    store_bind_text(st, 2, key_prefix);
    int rc = sqlite3_step(st);
    memset(out, 0, sizeof(*out));
    if (rc == SQLITE_ROW) {
        int *f[] = {&out->pairs,  &out->unmatched,  &out->repeats,   &out->met_yes,
                    &out->met_no, &out->mentor_yes, &out->mentor_no, &out->fallbacks};
        for (int i = 0; i < 8; i++)
            *f[i] = sqlite3_column_int(st, i);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : BOT_EIO;
}

int store_delivery_detail(struct store *s, const char *key, char *out, size_t outlen)
{
    static const char sql[] = "SELECT coalesce(detail,'') FROM deliveries WHERE key=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    store_bind_text(st, 1, key);
    out[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, out, outlen);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}
