/* store_assessment.c - attempts, answers, statistics and practical submissions (store
 * module; see store_assessment.h). Expected conflicts (a second open attempt, a
 * position answered twice) are INSERT OR IGNORE + sqlite3_changes, never a failed
 * statement: a rollback here would also undo the rest of a group-commit batch. */
#include "bot/store_assessment.h"
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT_COLS                                                                                    \
    "id,cohort_id,user_id,week,attempt_no,seed,plan,n_questions,pass_percent,bank_hash,"           \
    "started_at,deadline,coalesce(finished_at,0),state,coalesce(score,0),coalesce(passed,0)"

static void row_attempt(sqlite3_stmt *st, void *elem)
{
    struct store_attempt *a = elem;
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    a->cohort_id = sqlite3_column_int64(st, 1);
    store_col_text(st, 2, a->user_id, sizeof(a->user_id));
    a->week = sqlite3_column_int(st, 3);
    a->attempt_no = sqlite3_column_int(st, 4);
    a->seed = (uint64_t)sqlite3_column_int64(st, 5);
    store_col_text(st, 6, a->plan, sizeof(a->plan));
    a->n_questions = sqlite3_column_int(st, 7);
    a->pass_percent = sqlite3_column_int(st, 8);
    store_col_text(st, 9, a->bank_hash, sizeof(a->bank_hash));
    a->started_at = sqlite3_column_int64(st, 10);
    a->deadline = sqlite3_column_int64(st, 11);
    a->finished_at = sqlite3_column_int64(st, 12);
    a->state = sqlite3_column_int(st, 13);
    a->score = sqlite3_column_int(st, 14);
    a->passed = sqlite3_column_int(st, 15) != 0;
}

int store_asm_create(struct store *s, struct store_attempt *a)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO asm_attempts(cohort_id,user_id,week,attempt_no,seed,plan,"
        "n_questions,pass_percent,bank_hash,started_at,deadline,state)"
        " SELECT ?1,?2,?3,1+count(*),?4,?5,?6,?7,?8,?9,?10,0 FROM asm_attempts"
        " WHERE cohort_id=?1 AND user_id=?2 AND week=?3";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, a->cohort_id);
    store_bind_text(st, 2, a->user_id);
    sqlite3_bind_int(st, 3, a->week);
    sqlite3_bind_int64(st, 4, (int64_t)a->seed);
    store_bind_text(st, 5, a->plan);
    sqlite3_bind_int(st, 6, a->n_questions);
    sqlite3_bind_int(st, 7, a->pass_percent);
    store_bind_text(st, 8, a->bank_hash);
    sqlite3_bind_int64(st, 9, a->started_at);
    sqlite3_bind_int64(st, 10, a->deadline);
    if (store_step_done(s, st))
        return BOT_EIO;
    if (sqlite3_changes(s->db) == 0)
        return BOT_EBUSY;
    a->id = sqlite3_last_insert_rowid(s->db);
    return store_asm_get(s, a->id, a);
}

int store_asm_get(struct store *s, int64_t id, struct store_attempt *out)
{
    static const char sql[] = "SELECT " AT_COLS " FROM asm_attempts WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        row_attempt(st, out);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

int store_asm_list(struct store *s, int64_t cohort_id, const char *user_id, int week,
                   struct store_attempt **out, size_t *n)
{
    static const char sql[] = "SELECT " AT_COLS " FROM asm_attempts WHERE cohort_id=?1 AND"
                              " user_id=?2 AND (?3=0 OR week=?3) ORDER BY week, attempt_no";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, week);
    return store_collect(st, sizeof(**out), row_attempt, (void **)out, n);
}

static void row_answer(sqlite3_stmt *st, void *elem)
{
    struct store_answer *a = elem;
    a->pos = sqlite3_column_int(st, 0);
    store_col_text(st, 1, a->question_id, sizeof(a->question_id));
    a->choice = sqlite3_column_int(st, 2);
    a->correct = sqlite3_column_int(st, 3) != 0;
    a->answered_at = sqlite3_column_int64(st, 4);
}

int store_asm_answers(struct store *s, int64_t attempt_id, struct store_answer **out, size_t *n)
{
    static const char sql[] = "SELECT pos,question_id,choice,correct,answered_at FROM asm_answers"
                              " WHERE attempt_id=?1 ORDER BY pos";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    return store_collect(st, sizeof(**out), row_answer, (void **)out, n);
}

int store_asm_answer(struct store *s, int64_t attempt_id, const struct store_answer *ans)
{
    /* only into an open attempt, and only at the next free position */
    static const char sql[] =
        "INSERT OR IGNORE INTO asm_answers(attempt_id,pos,question_id,choice,correct,answered_at)"
        " SELECT ?1,?2,?3,?4,?5,?6 FROM asm_attempts a WHERE a.id=?1 AND a.state=0"
        " AND ?2 < a.n_questions"
        " AND ?2 <= (SELECT count(*) FROM asm_answers WHERE attempt_id=?1)";
    static const char has[] = "SELECT 1 FROM asm_answers WHERE attempt_id=?1 AND pos=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int(st, 2, ans->pos);
    store_bind_text(st, 3, ans->question_id);
    sqlite3_bind_int(st, 4, ans->choice);
    sqlite3_bind_int(st, 5, ans->correct ? 1 : 0);
    sqlite3_bind_int64(st, 6, ans->answered_at);
    if (store_step_done(s, st))
        return BOT_EIO;
    if (sqlite3_changes(s->db) == 1)
        return 0;
    if (!(st = store_stmt(s, has)))
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int(st, 2, ans->pos);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? BOT_EBUSY : step == SQLITE_DONE ? BOT_EINVAL : BOT_EIO;
}

int store_asm_close(struct store *s, int64_t attempt_id, int state, bool passed, int64_t at)
{
    static const char sql[] =
        "UPDATE asm_attempts SET state=?2, passed=?3, finished_at=?4,"
        " score=(SELECT count(*) FROM asm_answers WHERE attempt_id=?1 AND correct=1)"
        " WHERE id=?1 AND state=0";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int(st, 2, state);
    sqlite3_bind_int(st, 3, passed ? 1 : 0);
    sqlite3_bind_int64(st, 4, at);
    if (store_step_done(s, st))
        return BOT_EIO;
    return sqlite3_changes(s->db) == 1 ? 0 : BOT_EINVAL;
}

static void row_id(sqlite3_stmt *st, void *elem)
{
    *(int64_t *)elem = sqlite3_column_int64(st, 0);
}

int store_asm_overdue(struct store *s, int64_t cohort_id, int64_t now, int64_t **out, size_t *n)
{
    static const char sql[] = "SELECT id FROM asm_attempts WHERE cohort_id=?1 AND state=0"
                              " AND deadline<=?2 ORDER BY id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int64(st, 2, now);
    return store_collect(st, sizeof(**out), row_id, (void **)out, n);
}

static void row_int(sqlite3_stmt *st, void *elem)
{
    *(int *)elem = sqlite3_column_int(st, 0);
}

int store_asm_summary(struct store *s, int64_t cohort_id, int week, struct store_asm_summary *out)
{
    static const char counts[] =
        "SELECT count(*), coalesce(sum(passed),0), count(DISTINCT user_id) FROM asm_attempts"
        " WHERE cohort_id=?1 AND week=?2 AND state IN (1,2)";
    static const char pct[] = "SELECT (score*100)/n_questions FROM asm_attempts WHERE"
                              " cohort_id=?1 AND week=?2 AND state IN (1,2) ORDER BY 1";
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = store_stmt(s, counts);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, week);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->attempts = sqlite3_column_int(st, 0);
        out->passed = sqlite3_column_int(st, 1);
        out->learners = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW || !(st = store_stmt(s, pct)))
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, week);
    size_t n;
    return store_collect(st, sizeof(int), row_int, (void **)&out->percents, &n);
}

int store_asm_choice_counts(struct store *s, int64_t cohort_id, int week,
                            int (*fn)(void *arg, const char *qid, int choice, bool correct,
                                      int count),
                            void *arg)
{
    static const char sql[] =
        "SELECT n.question_id, n.choice, max(n.correct), count(*) FROM asm_answers n"
        " JOIN asm_attempts a ON a.id = n.attempt_id WHERE a.cohort_id=?1 AND a.week=?2"
        " AND a.state IN (1,2) GROUP BY n.question_id, n.choice ORDER BY n.question_id, n.choice";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, week);
    int step, rc = 0;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
                sqlite3_column_int(st, 2) != 0, sqlite3_column_int(st, 3));
    sqlite3_reset(st);
    return rc ? rc : step == SQLITE_DONE ? 0 : BOT_EIO;
}

int store_practical_submit(struct store *s, int64_t cohort_id, const struct store_practical *p)
{
    static const char sql[] =
        "INSERT INTO asm_practicals(cohort_id,user_id,week,link,note,submitted_at,status)"
        " VALUES(?1,?2,?3,?4,?5,?6,0) ON CONFLICT(cohort_id,user_id,week) DO UPDATE SET"
        " link=excluded.link, note=excluded.note, submitted_at=excluded.submitted_at,"
        " status=0, marked_by=NULL, marked_at=NULL, comment=NULL";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, p->user_id);
    sqlite3_bind_int(st, 3, p->week);
    store_bind_text(st, 4, p->link);
    store_bind_text(st, 5, p->note[0] ? p->note : NULL);
    sqlite3_bind_int64(st, 6, p->submitted_at);
    return store_step_done(s, st);
}

int store_practical_mark(struct store *s, int64_t cohort_id, const char *user_id, int week,
                         bool passed, const char *by, const char *comment, int64_t now)
{
    static const char sql[] = "UPDATE asm_practicals SET status=?4, marked_by=?5, marked_at=?6,"
                              " comment=?7 WHERE cohort_id=?1 AND user_id=?2 AND week=?3";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, week);
    sqlite3_bind_int(st, 4, passed ? ASM_PR_PASSED : ASM_PR_NOT_PASSED);
    store_bind_text(st, 5, by);
    sqlite3_bind_int64(st, 6, now);
    store_bind_text(st, 7, comment && *comment ? comment : NULL);
    if (store_step_done(s, st))
        return BOT_EIO;
    return sqlite3_changes(s->db) == 1 ? 0 : BOT_ENOTFOUND;
}

#define PR_COLS                                                                                    \
    "user_id,week,link,coalesce(note,''),submitted_at,status,coalesce(marked_by,''),"              \
    "coalesce(marked_at,0),coalesce(comment,'')"

static void row_practical(sqlite3_stmt *st, void *elem)
{
    struct store_practical *p = elem;
    store_col_text(st, 0, p->user_id, sizeof(p->user_id));
    p->week = sqlite3_column_int(st, 1);
    store_col_text(st, 2, p->link, sizeof(p->link));
    store_col_text(st, 3, p->note, sizeof(p->note));
    p->submitted_at = sqlite3_column_int64(st, 4);
    p->status = sqlite3_column_int(st, 5);
    store_col_text(st, 6, p->marked_by, sizeof(p->marked_by));
    p->marked_at = sqlite3_column_int64(st, 7);
    store_col_text(st, 8, p->comment, sizeof(p->comment));
}

int store_practical_get(struct store *s, int64_t cohort_id, const char *user_id, int week,
                        struct store_practical *out)
{
    struct store_practical *rows;
    size_t n;
    int rc = store_practical_list(s, cohort_id, user_id, week, false, &rows, &n);
    if (rc)
        return rc;
    if (n)
        *out = rows[0];
    free(rows);
    return n ? 0 : BOT_ENOTFOUND;
}

int store_practical_list(struct store *s, int64_t cohort_id, const char *user_id, int week,
                         bool pending_only, struct store_practical **out, size_t *n)
{
    static const char sql[] = "SELECT " PR_COLS " FROM asm_practicals WHERE cohort_id=?1"
                              " AND (?2 IS NULL OR user_id=?2) AND (?3=0 OR week=?3)"
                              " AND (?4=0 OR status=0) ORDER BY week, submitted_at, user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, week);
    sqlite3_bind_int(st, 4, pending_only ? 1 : 0);
    return store_collect(st, sizeof(**out), row_practical, (void **)out, n);
}
