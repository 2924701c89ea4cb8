/* store_project.c - checklists, submissions, review rounds and reviews (store module;
 * see store_project.h). Expected conflicts are INSERT OR IGNORE + sqlite3_changes. */
#include "bot/store_project.h"
#include "bot/err.h"
#include "bot/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get_one(sqlite3_stmt *st, void (*row)(sqlite3_stmt *, void *), void *out)
{
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        row(st, out);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}

/* ---- checklists ---------------------------------------------------------------- */

int store_proj_item_done(struct store *s, int64_t cohort_id, const char *user_id, int block,
                         int item, const char *link, int64_t now, bool *again)
{
    static const char q[] = "SELECT 1 FROM proj_items WHERE cohort_id=?1 AND user_id=?2 AND"
                            " block=?3 AND item=?4";
    static const char up[] =
        "INSERT INTO proj_items(cohort_id,user_id,block,item,link,done_at) VALUES(?1,?2,?3,?4,?5,"
        "?6) ON CONFLICT(cohort_id,user_id,block,item) DO UPDATE SET link=coalesce(?5,link)";
    sqlite3_stmt *st = store_stmt(s, q);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, block);
    sqlite3_bind_int(st, 4, item);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return BOT_EIO;
    *again = step == SQLITE_ROW;
    st = store_stmt(s, up);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, block);
    sqlite3_bind_int(st, 4, item);
    store_bind_text(st, 5, link && *link ? link : NULL);
    sqlite3_bind_int64(st, 6, now);
    return store_step_done(s, st);
}

static void row_item(sqlite3_stmt *st, void *elem)
{
    struct store_proj_item *it = elem;
    it->block = sqlite3_column_int(st, 0);
    it->item = sqlite3_column_int(st, 1);
    store_col_text(st, 2, it->link, sizeof(it->link));
    it->done_at = sqlite3_column_int64(st, 3);
}

int store_proj_items(struct store *s, int64_t cohort_id, const char *user_id, int block,
                     struct store_proj_item **out, size_t *n)
{
    static const char sql[] = "SELECT block,item,link,done_at FROM proj_items WHERE cohort_id=?1"
                              " AND user_id=?2 AND (?3=0 OR block=?3) ORDER BY block,item";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, block);
    return store_collect(st, sizeof(**out), row_item, (void **)out, n);
}

/* ---- submissions --------------------------------------------------------------- */

#define SUB_COLS "id,cohort_id,user_id,kind,link,coalesce(notes,''),submitted_at,flagged"

static void row_sub(sqlite3_stmt *st, void *elem)
{
    struct store_proj_sub *p = elem;
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(st, 0);
    p->cohort_id = sqlite3_column_int64(st, 1);
    store_col_text(st, 2, p->user_id, sizeof(p->user_id));
    p->kind = sqlite3_column_int(st, 3);
    store_col_text(st, 4, p->link, sizeof(p->link));
    store_col_text(st, 5, p->notes, sizeof(p->notes));
    p->submitted_at = sqlite3_column_int64(st, 6);
    p->flagged = sqlite3_column_int(st, 7) != 0;
}

int store_proj_submit(struct store *s, struct store_proj_sub *sub, bool *replaced)
{
    static const char sql[] =
        "INSERT INTO proj_subs(cohort_id,user_id,kind,link,notes,submitted_at)"
        " SELECT ?1,?2,?3,?4,?5,?6 WHERE NOT EXISTS(SELECT 1 FROM rev_rounds WHERE cohort_id=?1"
        " AND kind=?3) ON CONFLICT(cohort_id,user_id,kind) DO UPDATE SET link=?4,notes=?5,"
        "submitted_at=?6";
    struct store_rev_round r;
    int rc = store_rev_round_get(s, sub->cohort_id, sub->kind, &r);
    if (rc == 0)
        return BOT_EBUSY;
    if (rc != BOT_ENOTFOUND)
        return rc;
    struct store_proj_sub old;
    rc = store_proj_sub_get(s, sub->cohort_id, sub->user_id, sub->kind, &old);
    if (rc && rc != BOT_ENOTFOUND)
        return rc;
    *replaced = rc == 0;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, sub->cohort_id);
    store_bind_text(st, 2, sub->user_id);
    sqlite3_bind_int(st, 3, sub->kind);
    store_bind_text(st, 4, sub->link);
    store_bind_text(st, 5, sub->notes[0] ? sub->notes : NULL);
    sqlite3_bind_int64(st, 6, sub->submitted_at);
    if (store_step_done(s, st))
        return BOT_EIO;
    return store_proj_sub_get(s, sub->cohort_id, sub->user_id, sub->kind, sub);
}

int store_proj_sub_get(struct store *s, int64_t cohort_id, const char *user_id, int kind,
                       struct store_proj_sub *out)
{
    static const char sql[] =
        "SELECT " SUB_COLS " FROM proj_subs WHERE cohort_id=?1 AND user_id=?2 AND kind=?3";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, user_id);
    sqlite3_bind_int(st, 3, kind);
    return get_one(st, row_sub, out);
}

int store_proj_sub_by_id(struct store *s, int64_t id, struct store_proj_sub *out)
{
    static const char sql[] = "SELECT " SUB_COLS " FROM proj_subs WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    return get_one(st, row_sub, out);
}

int store_proj_subs(struct store *s, int64_t cohort_id, int kind, struct store_proj_sub **out,
                    size_t *n)
{
    static const char sql[] =
        "SELECT " SUB_COLS " FROM proj_subs WHERE cohort_id=?1 AND kind=?2 ORDER BY user_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, kind);
    return store_collect(st, sizeof(**out), row_sub, (void **)out, n);
}

int store_proj_flag(struct store *s, int64_t sub_id, bool flagged)
{
    static const char sql[] = "UPDATE proj_subs SET flagged=?2 WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, sub_id);
    sqlite3_bind_int(st, 2, flagged);
    return store_step_done(s, st);
}

/* ---- rounds -------------------------------------------------------------------- */

#define ROUND_COLS "id,cohort_id,kind,seed,run_at,deadline,manual"

static void row_round(sqlite3_stmt *st, void *elem)
{
    struct store_rev_round *r = elem;
    r->id = sqlite3_column_int64(st, 0);
    r->cohort_id = sqlite3_column_int64(st, 1);
    r->kind = sqlite3_column_int(st, 2);
    r->seed = (uint64_t)sqlite3_column_int64(st, 3);
    r->run_at = sqlite3_column_int64(st, 4);
    r->deadline = sqlite3_column_int64(st, 5);
    r->manual = sqlite3_column_int(st, 6) != 0;
}

int store_rev_round_get(struct store *s, int64_t cohort_id, int kind, struct store_rev_round *out)
{
    static const char sql[] =
        "SELECT " ROUND_COLS " FROM rev_rounds WHERE cohort_id=?1 AND kind=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, kind);
    return get_one(st, row_round, out);
}

int store_rev_round_by_id(struct store *s, int64_t id, struct store_rev_round *out)
{
    static const char sql[] = "SELECT " ROUND_COLS " FROM rev_rounds WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    return get_one(st, row_round, out);
}

static int insert_round_row(struct store *s, struct store_rev_round *r, const char *inputs,
                            const char *result)
{
    static const char sql[] = "INSERT INTO rev_rounds(cohort_id,kind,seed,inputs,result,run_at,"
                              "deadline,manual) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, r->cohort_id);
    sqlite3_bind_int(st, 2, r->kind);
    sqlite3_bind_int64(st, 3, (int64_t)r->seed);
    store_bind_text(st, 4, inputs);
    store_bind_text(st, 5, result);
    sqlite3_bind_int64(st, 6, r->run_at);
    sqlite3_bind_int64(st, 7, r->deadline);
    sqlite3_bind_int(st, 8, r->manual);
    if (store_step_done(s, st))
        return BOT_EIO;
    r->id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_rev_round_insert(struct store *s, struct store_rev_round *r, const char *inputs,
                           const char *result, const struct store_new_review *revs, size_t n)
{
    struct store_rev_round old;
    int rc = store_begin(s);
    if (rc)
        return rc;
    rc = store_rev_round_get(s, r->cohort_id, r->kind, &old);
    if (rc == 0)
        rc = BOT_EBUSY;
    else if (rc == BOT_ENOTFOUND)
        rc = insert_round_row(s, r, inputs, result);
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t id;
        rc = store_review_add(s, r->id, revs[i].sub_id, revs[i].reviewer_id, revs[i].mentor, false,
                              r->run_at, r->deadline, &id);
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s);
}

int store_rev_round_json(struct store *s, int64_t id, char **inputs, char **result)
{
    static const char sql[] = "SELECT inputs,result FROM rev_rounds WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    *inputs = *result = NULL;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *a = sqlite3_column_text(st, 0), *b = sqlite3_column_text(st, 1);
        *inputs = strdup(a ? (const char *)a : "");
        *result = strdup(b ? (const char *)b : "");
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        return step == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
    if (!*inputs || !*result) {
        free(*inputs);
        free(*result);
        *inputs = *result = NULL;
        return BOT_ENOMEM;
    }
    return 0;
}

static void row_hist(sqlite3_stmt *st, void *elem)
{
    struct store_rev_hist *h = elem;
    store_col_text(st, 0, h->reviewer, sizeof(h->reviewer));
    store_col_text(st, 1, h->author, sizeof(h->author));
    h->kind = sqlite3_column_int(st, 2);
}

int store_rev_history(struct store *s, int64_t cohort_id, int except_kind,
                      struct store_rev_hist **out, size_t *n)
{
    static const char sql[] =
        "SELECT r.reviewer_id,p.user_id,o.kind FROM reviews r JOIN rev_rounds o ON o.id=r.round_id"
        " JOIN proj_subs p ON p.id=r.sub_id WHERE o.cohort_id=?1 AND o.kind<>?2 AND r.state<>2"
        " ORDER BY o.kind,p.user_id,r.reviewer_id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    sqlite3_bind_int(st, 2, except_kind);
    return store_collect(st, sizeof(**out), row_hist, (void **)out, n);
}

/* ---- reviews ------------------------------------------------------------------- */

#define REVIEW_SELECT                                                                              \
    "SELECT r.id,r.round_id,r.sub_id,r.reviewer_id,p.user_id,o.kind,o.cohort_id,r.mentor,"         \
    "r.deciding,r.state,coalesce(r.feedback,''),r.assigned_at,r.deadline,coalesce(r.done_at,0),"   \
    "r.reminded,(SELECT group_concat(criterion||':'||level) FROM review_levels WHERE"              \
    " review_id=r.id) FROM reviews r JOIN proj_subs p ON p.id=r.sub_id JOIN rev_rounds o ON"       \
    " o.id=r.round_id "

static void parse_levels(const char *t, int *levels)
{
    while (t && *t) {
        char *end;
        long c = strtol(t, &end, 10);
        if (*end != ':')
            return;
        long v = strtol(end + 1, &end, 10);
        if (c >= 0 && c < PROJ_MAX_CRITERIA && v >= 1 && v <= 4)
            levels[c] = (int)v;
        t = *end == ',' ? end + 1 : NULL;
    }
}

static void row_review(sqlite3_stmt *st, void *elem)
{
    struct store_review *r = elem;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->round_id = sqlite3_column_int64(st, 1);
    r->sub_id = sqlite3_column_int64(st, 2);
    store_col_text(st, 3, r->reviewer_id, sizeof(r->reviewer_id));
    store_col_text(st, 4, r->author_id, sizeof(r->author_id));
    r->kind = sqlite3_column_int(st, 5);
    r->cohort_id = sqlite3_column_int64(st, 6);
    r->mentor = sqlite3_column_int(st, 7) != 0;
    r->deciding = sqlite3_column_int(st, 8) != 0;
    r->state = sqlite3_column_int(st, 9);
    store_col_text(st, 10, r->feedback, sizeof(r->feedback));
    r->assigned_at = sqlite3_column_int64(st, 11);
    r->deadline = sqlite3_column_int64(st, 12);
    r->done_at = sqlite3_column_int64(st, 13);
    r->reminded = sqlite3_column_int(st, 14) != 0;
    parse_levels((const char *)sqlite3_column_text(st, 15), r->levels);
}

int store_review_get(struct store *s, int64_t id, struct store_review *out)
{
    static const char sql[] = REVIEW_SELECT "WHERE r.id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    return get_one(st, row_review, out);
}

int store_reviews_of_sub(struct store *s, int64_t sub_id, struct store_review **out, size_t *n)
{
    static const char sql[] = REVIEW_SELECT "WHERE r.sub_id=?1 ORDER BY r.id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, sub_id);
    return store_collect(st, sizeof(**out), row_review, (void **)out, n);
}

int store_reviews_of_round(struct store *s, int64_t round_id, struct store_review **out, size_t *n)
{
    static const char sql[] = REVIEW_SELECT "WHERE r.round_id=?1 ORDER BY r.id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    return store_collect(st, sizeof(**out), row_review, (void **)out, n);
}

int store_reviews_of_reviewer(struct store *s, int64_t cohort_id, const char *reviewer_id,
                              struct store_review **out, size_t *n)
{
    static const char sql[] =
        REVIEW_SELECT "WHERE o.cohort_id=?1 AND r.reviewer_id=?2 ORDER BY r.id";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    store_bind_text(st, 2, reviewer_id);
    return store_collect(st, sizeof(**out), row_review, (void **)out, n);
}

int store_review_add(struct store *s, int64_t round_id, int64_t sub_id, const char *reviewer_id,
                     bool mentor, bool deciding, int64_t now, int64_t deadline, int64_t *id)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO reviews(round_id,sub_id,reviewer_id,mentor,deciding,assigned_at,"
        "deadline) VALUES(?1,?2,?3,?4,?5,?6,?7)";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int64(st, 2, sub_id);
    store_bind_text(st, 3, reviewer_id);
    sqlite3_bind_int(st, 4, mentor);
    sqlite3_bind_int(st, 5, deciding);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, deadline);
    if (store_step_done(s, st))
        return BOT_EIO;
    if (sqlite3_changes(s->db) == 0)
        return BOT_EBUSY;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int open_check(struct store *s, int64_t id)
{
    struct store_review r;
    int rc = store_review_get(s, id, &r);
    return rc ? rc : r.state == REVIEW_OPEN ? 0 : BOT_EINVAL;
}

int store_review_level(struct store *s, int64_t id, int criterion, int level)
{
    static const char sql[] =
        "INSERT INTO review_levels(review_id,criterion,level) VALUES(?1,?2,?3)"
        " ON CONFLICT(review_id,criterion) DO UPDATE SET level=?3";
    if (criterion < 0 || criterion >= PROJ_MAX_CRITERIA || level < 1 || level > 4)
        return BOT_EINVAL;
    int rc = open_check(s, id);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, criterion);
    sqlite3_bind_int(st, 3, level);
    return store_step_done(s, st);
}

int store_review_feedback(struct store *s, int64_t id, const char *text)
{
    static const char sql[] = "UPDATE reviews SET feedback=?2 WHERE id=?1 AND state=0";
    int rc = open_check(s, id);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, text);
    return store_step_done(s, st);
}

int store_review_finish(struct store *s, int64_t id, int n_criteria, int64_t now, bool *done)
{
    static const char sql[] =
        "UPDATE reviews SET state=1,done_at=?3 WHERE id=?1 AND state=0 AND feedback IS NOT NULL"
        " AND (SELECT count(*) FROM review_levels WHERE review_id=?1 AND criterion<?2)=?2";
    sqlite3_stmt *st = store_stmt(s, sql);
    *done = false;
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, n_criteria);
    sqlite3_bind_int64(st, 3, now);
    if (store_step_done(s, st))
        return BOT_EIO;
    *done = sqlite3_changes(s->db) > 0;
    return 0;
}

int store_review_set_state(struct store *s, int64_t id, int state)
{
    static const char sql[] = "UPDATE reviews SET state=?2 WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, state);
    return store_step_done(s, st);
}

int store_review_reminded(struct store *s, int64_t id)
{
    static const char sql[] = "UPDATE reviews SET reminded=1 WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, id);
    return store_step_done(s, st);
}

int store_proj_cohort_curriculum(struct store *s, int64_t cohort_id, char *out, size_t outlen)
{
    static const char sql[] = "SELECT curriculum FROM cohorts WHERE id=?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    out[0] = '\0';
    if (!st)
        return BOT_EIO;
    sqlite3_bind_int64(st, 1, cohort_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        store_col_text(st, 0, out, outlen);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? BOT_ENOTFOUND : BOT_EIO;
}
