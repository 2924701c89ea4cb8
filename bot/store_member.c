/* store_member.c - the learner's own data: export as JSON and deletion (store module;
 * see store_checkin.h). */
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store_checkin.h"
#include "bot/store_int.h"

#include <stdio.h>
#include <string.h>

/* Runs sql with ?1 = guild_id, ?2 = user_id and returns its rows as an array of
 * objects keyed by column name. NULL on error (logged). */
static json_t *rows_json(struct store *s, const char *sql, const char *guild_id,
                         const char *user_id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("store", "prepare failed: %s", sqlite3_errmsg(s->db));
        return NULL;
    }
    store_bind_text(st, 1, guild_id);
    store_bind_text(st, 2, user_id);
    json_t *arr = json_array();
    int rc;
    while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; o && i < sqlite3_column_count(st); i++) {
            json_t *v;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                v = json_integer(sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                v = json_real(sqlite3_column_double(st, i));
                break;
            case SQLITE_NULL:
                v = json_null();
                break;
            default:
                v = json_string((const char *)sqlite3_column_text(st, i));
                if (!v) /* not UTF-8: keep the bytes' existence visible */
                    v = json_string("(not UTF-8)");
            }
            json_object_set_new(o, sqlite3_column_name(st, i), v);
        }
        json_array_append_new(arr, o);
    }
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        arr = NULL;
    }
    sqlite3_finalize(st);
    return arr;
}

#define IN_GUILD "SELECT id FROM cohorts WHERE guild_id=?1"

static const struct {
    const char *key, *sql;
} export_parts[] = {
    {"settings", "SELECT guild_id, user_id, name, timezone, progress_public, leaderboard,"
                 " nudges, last_nudge_day FROM members WHERE guild_id=?1 AND user_id=?2"},
    {"checkins", "SELECT k.cohort_id, c.start_date AS cohort_start, k.day, k.hours, k.note,"
                 " k.link, k.created_at, k.updated_at FROM checkins k JOIN cohorts c"
                 " ON c.id = k.cohort_id WHERE c.guild_id=?1 AND k.user_id=?2 ORDER BY k.day"},
    {"mentor_signups", "SELECT cohort_id, tracks, capacity, timezone, paused_until, active,"
                       " joined_at FROM mentors WHERE cohort_id IN (" IN_GUILD ")"
                       " AND user_id=?2"},
    {"mentee_signups", "SELECT cohort_id, interest, timezone, active, joined_at FROM mentees"
                       " WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2"},
    {"pairings", "SELECT r.cohort_id, r.round_no, r.run_at, p.mentor_id, p.mentee_id, p.reason,"
                 " p.slot_at, p.met FROM pairs p JOIN pair_rounds r ON r.id = p.round_id"
                 " WHERE r.cohort_id IN (" IN_GUILD ") AND (p.mentor_id=?2 OR p.mentee_id=?2)"
                 " ORDER BY r.round_no"},
    {"assessment_attempts",
     "SELECT a.cohort_id, a.week, a.attempt_no, a.started_at, a.finished_at, a.state, a.score,"
     " a.n_questions, a.passed, (SELECT json_group_array(json_object('question', n.question_id,"
     " 'choice', n.choice, 'correct', n.correct, 'at', n.answered_at)) FROM asm_answers n"
     " WHERE n.attempt_id = a.id) AS answers FROM asm_attempts a"
     " WHERE a.cohort_id IN (" IN_GUILD ") AND a.user_id=?2 ORDER BY a.week, a.attempt_no"},
    {"assessment_practicals", "SELECT cohort_id, week, link, note, submitted_at, status,"
                              " marked_by, marked_at, comment FROM asm_practicals"
                              " WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2 ORDER BY week"},
};

int store_member_export_json(struct store *s, const char *guild_id, const char *user_id,
                             json_t **out)
{
    json_t *o = json_pack("{s:s,s:s}", "guild_id", guild_id, "user_id", user_id);
    if (!o)
        return BOT_ENOMEM;
    for (size_t i = 0; i < sizeof(export_parts) / sizeof(export_parts[0]); i++) {
        json_t *rows = rows_json(s, export_parts[i].sql, guild_id, user_id);
        if (!rows) {
            json_decref(o);
            return BOT_EIO;
        }
        json_object_set_new(o, export_parts[i].key, rows);
    }
    *out = o;
    return 0;
}

static const char *const delete_steps[] = {
    "DELETE FROM checkins WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM members WHERE guild_id=?1 AND user_id=?2",
    "DELETE FROM mentors WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM mentees WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM pairs WHERE round_id IN (SELECT id FROM pair_rounds WHERE cohort_id IN"
    " (" IN_GUILD ")) AND (mentor_id=?2 OR mentee_id=?2)",
    /* only this guild's ledger rows (their keys name the guild): another guild's
     * pairing DM to the same member must not be sent again */
    "DELETE FROM deliveries WHERE target=?2 AND instr(key, '/' || ?1 || '/') > 0",
    "DELETE FROM asm_attempts WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM asm_practicals WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM sg_interest WHERE guild_id=?1 AND user_id=?2",
    "DELETE FROM sg_voice WHERE guild_id=?1 AND user_id=?2",
    "DELETE FROM sg_optout WHERE guild_id=?1 AND user_id=?2",
    "UPDATE pair_rounds SET inputs=replace(inputs,?2,'deleted-member'),"
    " result=replace(result,?2,'deleted-member') WHERE cohort_id IN (" IN_GUILD ")"
    " AND (instr(inputs,?2) > 0 OR instr(result,?2) > 0)",
    "DELETE FROM proj_items WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM proj_subs WHERE cohort_id IN (" IN_GUILD ") AND user_id=?2",
    "DELETE FROM reviews WHERE reviewer_id=?2 AND round_id IN (SELECT id FROM rev_rounds"
    " WHERE cohort_id IN (" IN_GUILD "))",
    "UPDATE rev_rounds SET inputs=replace(inputs,?2,'deleted-member'),"
    " result=replace(result,?2,'deleted-member') WHERE cohort_id IN (" IN_GUILD ")"
    " AND (instr(inputs,?2) > 0 OR instr(result,?2) > 0)",
};

int store_member_delete(struct store *s, const char *guild_id, const char *user_id, int *rows)
{
    *rows = 0;
    if (!user_id || !*user_id)
        return BOT_EINVAL;
    int rc = store_begin(s);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof(delete_steps) / sizeof(delete_steps[0]); i++) {
        sqlite3_stmt *st = store_stmt(s, delete_steps[i]);
        if (!st || (store_bind_text(st, 1, guild_id), store_bind_text(st, 2, user_id),
                    store_step_done(s, st))) {
            store_rollback(s);
            return BOT_EIO;
        }
        if (strncmp(delete_steps[i], "DELETE", 6) == 0)
            *rows += sqlite3_changes(s->db);
    }
    return store_commit(s);
}
