/* test_assessment.c - question banks (every validation rule, with file, line,
 * question and field in the message; the shipped banks load with their curriculum
 * counts), the pure rules (seeded shuffle, pass at exactly 80%, retakes, time limit,
 * opening time, review advice by curriculum days) and the store (one open attempt,
 * answers once per position and only in order, closing scores, per-question
 * statistics against a hand count, practicals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_assessment.h"
#include "bot/tz.h"
#include "config/assessment.h"
#include "config/curriculum.h"
#include "schedules/assessment.h"
#include "schedules/cohort.h"
#include "testutil.h"

static struct curricula *g_set;

static int setup(void **state)
{
    (void)state;
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int rc = curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &g_set, &errs);
    buf_free(&errs);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    curricula_free(g_set);
    tu_cleanup();
    return 0;
}

/* A valid week-2 bank (25 questions, days 1..14) as a JSON tree. */
static json_t *bank_json(int week, int n, int first_day, int ndays)
{
    json_t *qs = json_array();
    for (int i = 0; i < n; i++) {
        char id[32], prompt[64], t[4][32];
        snprintf(id, sizeof(id), "q%02d", i + 1);
        snprintf(prompt, sizeof(prompt), "Question %d?", i + 1);
        for (int k = 0; k < 4; k++)
            snprintf(t[k], sizeof(t[k]), "%s %d", k == 0 ? "right" : "wrong", i * 4 + k);
        json_array_append_new(qs,
                              json_pack("{s:s,s:[i],s:s,s:[{s:s,s:b},{s:s},{s:s},{s:s}],s:s}", "id",
                                        id, "days", first_day + i % ndays, "prompt", prompt,
                                        "choices", "text", t[0], "correct", 1, "text", t[1], "text",
                                        t[2], "text", t[3], "explanation", "Because."));
    }
    return json_pack("{s:s,s:i,s:o}", "curriculum", "data-engineer", "week", week, "questions", qs);
}

/* Loads j as `name`; returns the problems and leaves their text in errs. */
static int load(json_t *j, const char *name, struct buf *errs, struct asm_bank **out)
{
    char *text = json_dumps(j, JSON_INDENT(1));
    json_decref(j);
    buf_reset(errs);
    struct asm_bank *b = NULL;
    int rc = asm_bank_load_buffer(text, strlen(text), name, g_set, &b, errs);
    free(text);
    if (out)
        *out = b;
    else
        asm_bank_free(b);
    return rc;
}

static json_t *q(json_t *bank, size_t i)
{
    return json_array_get(json_object_get(bank, "questions"), i);
}

static void expect_problem(json_t *bank, const char *want)
{
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int rc = load(bank, "data-engineer-week-02.json", &errs, NULL);
    if (rc < 1 || !strstr(buf_str(&errs), want))
        fail_msg("expected a problem \"%s\", got %d:\n%s", want, rc, buf_str(&errs));
    buf_free(&errs);
}

static void test_bank_valid(void **state)
{
    (void)state;
    struct buf errs;
    buf_init(&errs, 1 << 16);
    struct asm_bank *b;
    assert_int_equal(load(bank_json(2, 25, 1, 14), "data-engineer-week-02.json", &errs, &b), 0);
    assert_non_null(b);
    assert_int_equal(b->n, 25);
    assert_int_equal(b->first_day, 1);
    assert_int_equal(b->last_day, 14);
    assert_int_equal(b->pass_percent, 80);
    assert_string_equal(b->q[3].id, "q04");
    assert_int_equal(b->q[3].correct, 0);
    asm_bank_free(b);
    /* week 4 covers days 15-28 (after the week-2 assessment) */
    assert_int_equal(load(bank_json(4, 30, 15, 14), "data-engineer-week-04.json", &errs, &b), 0);
    assert_int_equal(b->first_day, 15);
    assert_int_equal(b->last_day, 28);
    asm_bank_free(b);
    buf_free(&errs);
}

static void test_bank_rules(void **state)
{
    (void)state;
    json_t *b;
    /* counts */
    expect_problem(bank_json(2, 24, 1, 14),
                   "questions: 24 questions; the curriculum's week 2 assessment has 25");
    /* duplicate id, with the line of the second one */
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 7), "id", json_string("q03"));
    expect_problem(b, ": questions[7] id=q03: id: duplicate of questions[2]");
    /* bad id */
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 1), "id", json_string("has space"));
    expect_problem(b, "questions[1]: id: must be 1-32 letters");
    /* prompt length (1,001 characters, counted as code points) */
    b = bank_json(2, 25, 1, 14);
    char big[3100];
    for (int i = 0; i < 1001; i++)
        memcpy(big + 3 * i, "\xc3\xa9", 2), big[3 * i + 2] = 'x';
    big[3 * 1001] = '\0';
    json_object_set_new(q(b, 4), "prompt", json_string(big));
    expect_problem(b, "questions[4] id=q05: prompt: 2002 characters, at most 1000 allowed");
    /* choice length 81 */
    b = bank_json(2, 25, 1, 14);
    char c81[82];
    memset(c81, 'c', 81);
    c81[81] = '\0';
    json_object_set_new(json_array_get(json_object_get(q(b, 2), "choices"), 1), "text",
                        json_string(c81));
    expect_problem(b, "questions[2] id=q03: choices[1].text: 81 characters, at most 80 allowed");
    /* too few / too many choices */
    b = bank_json(2, 25, 1, 14);
    json_array_remove(json_object_get(q(b, 0), "choices"), 3);
    json_array_remove(json_object_get(q(b, 0), "choices"), 2);
    expect_problem(b, "questions[0] id=q01: choices: need 3 to 5 choices (got 2)");
    b = bank_json(2, 25, 1, 14);
    for (int k = 0; k < 2; k++)
        json_array_append_new(json_object_get(q(b, 0), "choices"),
                              json_pack("{s:s}", "text", k ? "extra two" : "extra one"));
    expect_problem(b, "questions[0] id=q01: choices: need 3 to 5 choices (got 6)");
    /* exactly one correct */
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(json_array_get(json_object_get(q(b, 5), "choices"), 2), "correct",
                        json_true());
    expect_problem(b, "questions[5] id=q06: choices: 2 choices marked correct, need exactly one");
    b = bank_json(2, 25, 1, 14);
    json_object_del(json_array_get(json_object_get(q(b, 5), "choices"), 0), "correct");
    expect_problem(b, "questions[5] id=q06: choices: 0 choices marked correct, need exactly one");
    /* duplicate choice text */
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(json_array_get(json_object_get(q(b, 6), "choices"), 2), "text",
                        json_string("wrong 25"));
    expect_problem(b, "questions[6] id=q07: choices[2].text: same text as choices[1]");
    /* days inside the week range */
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 9), "days", json_pack("[i]", 15));
    expect_problem(b, "questions[9] id=q10: days: day 15 is outside the assessment's days 1-14");
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 9), "days", json_array());
    expect_problem(b, "questions[9] id=q10: days: must be a non-empty array");
    /* missing explanation, typo key, control character */
    b = bank_json(2, 25, 1, 14);
    json_object_del(q(b, 11), "explanation");
    json_object_set_new(q(b, 11), "explaination", json_string("x"));
    expect_problem(b, "questions[11] id=q12: explanation: missing");
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 11), "explaination", json_string("x"));
    expect_problem(b, "questions[11] id=q12: explaination: unknown key");
    b = bank_json(2, 25, 1, 14);
    json_object_set_new(json_array_get(json_object_get(q(b, 3), "choices"), 0), "text",
                        json_string("line\nbreak"));
    expect_problem(b, "questions[3] id=q04: choices[0].text: contains a control character");
    /* file name, week and curriculum must agree */
    b = bank_json(3, 25, 1, 14);
    expect_problem(b, "data-engineer-week-02.json: week: must be 2");
    struct buf errs;
    buf_init(&errs, 4096);
    assert_true(load(bank_json(3, 25, 15, 7), "data-engineer-week-03.json", &errs, NULL) > 0);
    assert_non_null(strstr(buf_str(&errs), "week: data-engineer has no assessment in week 3"));
    assert_true(load(bank_json(2, 25, 1, 14), "week2.json", &errs, NULL) > 0);
    assert_non_null(strstr(buf_str(&errs), "(file name): must be <curriculum>-week-NN.json"));
    /* syntax errors name the line */
    buf_reset(&errs);
    struct asm_bank *bk = NULL;
    const char *bad = "{\n \"curriculum\": \"data-engineer\",\n \"week\": 2,,\n}";
    assert_true(asm_bank_load_buffer(bad, strlen(bad), "data-engineer-week-02.json", g_set, &bk,
                                     &errs) > 0);
    assert_null(bk);
    assert_non_null(strstr(buf_str(&errs), "data-engineer-week-02.json:3: (syntax)"));
    buf_free(&errs);
}

/* Several problems are all reported, one line each, with line numbers. */
static void test_bank_every_problem(void **state)
{
    (void)state;
    json_t *b = bank_json(2, 25, 1, 14);
    json_object_set_new(q(b, 0), "days", json_pack("[i]", 99));
    json_object_del(q(b, 1), "prompt");
    json_object_set_new(json_array_get(json_object_get(q(b, 2), "choices"), 1), "correct",
                        json_true());
    struct buf errs;
    buf_init(&errs, 1 << 16);
    assert_int_equal(load(b, "data-engineer-week-02.json", &errs, NULL), 3);
    assert_non_null(strstr(buf_str(&errs), "data-engineer-week-02.json:"));
    int lines = 0;
    for (const char *p = buf_str(&errs); *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    buf_free(&errs);
}

static void test_shipped_banks(void **state)
{
    (void)state;
    struct buf errs;
    buf_init(&errs, 1 << 20);
    struct asm_banks *set;
    int rc = asm_banks_load_dir(COHORTBOT_SRCDIR "/config/assessments", g_set, &set, &errs);
    if (rc)
        fail_msg("shipped banks have problems:\n%s", buf_str(&errs));
    const struct curriculum *cur = curricula_find(g_set, "data-engineer");
    assert_int_equal(set->n, cur->n_assessments);
    size_t total = 0;
    for (size_t i = 0; i < cur->n_assessments; i++) {
        const struct asm_bank *b = asm_banks_find(set, "data-engineer", cur->assessments[i].week);
        assert_non_null(b);
        assert_int_equal(b->n, cur->assessments[i].questions);
        total += b->n;
    }
    assert_int_equal(total, 145);
    asm_banks_free(set);
    /* a missing folder is no error, but every assessment then lacks its bank */
    buf_reset(&errs);
    assert_int_equal(asm_banks_load_dir("/nonexistent/x", g_set, &set, &errs), 5);
    assert_int_equal(set->n, 0);
    assert_non_null(strstr(buf_str(&errs), "no valid bank for the week 4 assessment"));
    asm_banks_free(set);
    buf_free(&errs);
}

static void test_shuffle(void **state)
{
    (void)state;
    int a[30], b[30], seen[30] = {0};
    asm_shuffle(42, a, 30);
    asm_shuffle(42, b, 30);
    assert_memory_equal(a, b, sizeof(a)); /* the stored seed gives the same order */
    for (int i = 0; i < 30; i++)
        seen[a[i]]++;
    for (int i = 0; i < 30; i++)
        assert_int_equal(seen[i], 1);
    int differ = 0;
    for (uint64_t s = 1; s < 20; s++) {
        asm_shuffle(s, b, 30);
        differ += memcmp(a, b, sizeof(a)) != 0;
    }
    assert_int_equal(differ, 19);
    /* every position gets every index over many seeds: no fixed slot for an answer */
    int hits[4][4] = {{0}};
    for (uint64_t s = 0; s < 400; s++) {
        int p[4];
        asm_choice_order(s, "q", 4, p);
        for (int i = 0; i < 4; i++)
            hits[i][p[i]]++;
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            assert_true(hits[i][j] > 50);
}

static void test_pass_mark(void **state)
{
    (void)state;
    assert_true(asm_passed(20, 25, 80));  /* exactly 80% */
    assert_false(asm_passed(19, 25, 80)); /* 76% */
    assert_true(asm_passed(24, 30, 80));
    assert_false(asm_passed(23, 30, 80)); /* 76.7% */
    assert_true(asm_passed(28, 35, 80));
    assert_false(asm_passed(27, 35, 80)); /* 77.1% */
    assert_false(asm_passed(0, 0, 80));
    assert_int_equal(asm_percent(19, 25), 76);
    assert_int_equal(asm_percent(23, 30), 76);
}

static void test_gate(void **state)
{
    (void)state;
    struct asm_rules r = {.max_attempts = 3, .retake_wait = 86400, .time_limit = 3600};
    int64_t opens = 1000000, when = 0;
    assert_int_equal(asm_gate(&r, NULL, 0, opens, opens - 1, &when), ASM_GATE_NOT_OPEN);
    assert_int_equal(when, opens);
    assert_int_equal(asm_gate(&r, NULL, 0, opens, opens, &when), ASM_GATE_START);
    struct asm_prev p[4] = {{.state = ASM_OPEN, .started_at = opens + 10}};
    /* the time limit */
    assert_int_equal(asm_gate(&r, p, 1, opens, opens + 10 + 3599, &when), ASM_GATE_RESUME);
    assert_int_equal(when, opens + 10 + 3600);
    assert_int_equal(asm_gate(&r, p, 1, opens, opens + 10 + 3600, &when), ASM_GATE_EXPIRE);
    assert_int_equal(asm_deadline(&r, 50), 3650);
    /* a retake only 24 h after a failed attempt ended */
    int64_t end = opens + 3000;
    p[0] = (struct asm_prev){.state = ASM_DONE, .started_at = opens, .finished_at = end};
    assert_int_equal(asm_gate(&r, p, 1, opens, end + 86399, &when), ASM_GATE_WAIT);
    assert_int_equal(when, end + 86400);
    assert_int_equal(asm_gate(&r, p, 1, opens, end + 86400, &when), ASM_GATE_START);
    /* at most 3 attempts; void ones do not count */
    p[1] = (struct asm_prev){.state = ASM_EXPIRED, .finished_at = end + 90000};
    p[2] = (struct asm_prev){.state = ASM_VOID, .finished_at = end + 95000};
    assert_int_equal(asm_gate(&r, p, 3, opens, end + 90000 + 86400, &when), ASM_GATE_START);
    p[3] = (struct asm_prev){.state = ASM_DONE, .finished_at = end + 200000};
    assert_int_equal(asm_gate(&r, p, 4, opens, end + 900000, &when), ASM_GATE_NO_MORE);
    /* passed: no more attempts needed */
    p[1].passed = true;
    assert_int_equal(asm_gate(&r, p, 2, opens, end + 900000, &when), ASM_GATE_PASSED);
}

static void test_opens_at(void **state)
{
    (void)state;
    const struct curriculum *cur = curricula_find(g_set, "data-engineer");
    struct cohort c = {
        .id = 1, .start_date = "2027-01-04", .timezone = "America/New_York", .post_time = "09:00"};
    int64_t t;
    assert_int_equal(asm_opens_at(&c, cur, 2, &t), 0);
    /* day 14 = 2027-01-17, 00:00 in New York = 05:00 UTC */
    int64_t want;
    assert_int_equal(tz_parse_iso_utc("2027-01-17T05:00:00Z", &want), 0);
    assert_int_equal(t, want);
    assert_int_equal(asm_opens_at(&c, cur, 4, &t), 0);
    assert_int_equal(tz_parse_iso_utc("2027-01-31T05:00:00Z", &want), 0);
    assert_int_equal(t, want);
}

static void test_review(void **state)
{
    (void)state;
    const struct curriculum *cur = curricula_find(g_set, "data-engineer");
    struct buf errs;
    buf_init(&errs, 4096);
    json_t *j = bank_json(4, 30, 15, 14); /* question i covers day 15 + i % 14 */
    struct asm_bank *b;
    assert_int_equal(load(j, "data-engineer-week-04.json", &errs, &b), 0);
    int qidx[30];
    bool right[30];
    for (int i = 0; i < 30; i++) {
        qidx[i] = i;
        right[i] = true;
    }
    /* days 22-23 (Kafka): questions 7, 8, 21, 22 cover days 22, 23, 22, 23; miss 3 */
    right[7] = right[8] = right[21] = false;
    /* day 15-16 block: miss one of its questions */
    right[0] = false;
    struct asm_review g[8];
    size_t n = asm_review(b, cur, qidx, right, 30, g, 8);
    assert_int_equal(n, 2);
    assert_int_equal(g[0].first_day, 22);
    assert_int_equal(g[0].last_day, 23);
    assert_int_equal(g[0].missed, 3);
    assert_int_equal(g[0].total, 4);
    assert_string_equal(g[0].topic, "Apache Kafka Deep Dive");
    assert_int_equal(g[1].first_day, 15);
    assert_int_equal(g[1].missed, 1);
    asm_bank_free(b);
    buf_free(&errs);
}

/* ---- store ---- */

static struct store *open_store(const char *name)
{
    char path[512], err[BOT_ERR_LEN];
    tu_path(path, sizeof(path), name);
    unlink(path);
    struct store *s;
    assert_int_equal(store_open(path, &s, err, sizeof(err)), 0);
    return s;
}

static int64_t make_cohort(struct store *s)
{
    struct cohort c = {.guild_id = "1000000000000000001",
                       .curriculum = "data-engineer",
                       .start_date = "2027-01-04",
                       .timezone = "UTC",
                       .post_time = "09:00"};
    assert_int_equal(store_cohort_put(s, &c, 1), 0);
    return c.id;
}

static int64_t new_attempt(struct store *s, int64_t cohort, const char *user, int n)
{
    struct store_attempt a;
    memset(&a, 0, sizeof(a));
    a.cohort_id = cohort;
    snprintf(a.user_id, sizeof(a.user_id), "%s", user);
    a.week = 2;
    a.seed = 99;
    snprintf(a.plan, sizeof(a.plan), "q01 q02 q03");
    a.n_questions = n;
    a.pass_percent = 80;
    snprintf(a.bank_hash, sizeof(a.bank_hash), "00");
    a.started_at = 100;
    a.deadline = 3700;
    int rc = store_asm_create(s, &a);
    return rc ? rc : a.id;
}

static void answer(struct store *s, int64_t id, int pos, const char *qid, int choice, bool ok,
                   int want)
{
    struct store_answer ans = {.pos = pos, .choice = choice, .correct = ok, .answered_at = 200};
    snprintf(ans.question_id, sizeof(ans.question_id), "%s", qid);
    assert_int_equal(store_asm_answer(s, id, &ans), want);
}

static void test_store_attempts(void **state)
{
    (void)state;
    struct store *s = open_store("asm.db");
    int64_t co = make_cohort(s);
    int64_t id = new_attempt(s, co, "501", 3);
    assert_true(id > 0);
    assert_int_equal(new_attempt(s, co, "501", 3), BOT_EBUSY); /* one open attempt */
    assert_true(new_attempt(s, co, "502", 3) > 0);             /* another learner: fine */
    answer(s, id, 1, "q02", 0, true, BOT_EINVAL);              /* not the next position */
    answer(s, id, 0, "q01", 2, false, 0);
    answer(s, id, 0, "q01", 1, true, BOT_EBUSY); /* a double click records nothing */
    answer(s, id, 1, "q02", 0, true, 0);
    struct store_answer *ans;
    size_t n;
    assert_int_equal(store_asm_answers(s, id, &ans, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ans[0].choice, 2); /* the first answer stands */
    free(ans);
    assert_int_equal(store_asm_close(s, id, ASM_EXPIRED, false, 3700), 0);
    assert_int_equal(store_asm_close(s, id, ASM_DONE, true, 3800), BOT_EINVAL);
    answer(s, id, 2, "q03", 0, true, BOT_EINVAL); /* closed: nothing more */
    struct store_attempt a;
    assert_int_equal(store_asm_get(s, id, &a), 0);
    assert_int_equal(a.state, ASM_EXPIRED);
    assert_int_equal(a.score, 1);
    assert_int_equal(a.finished_at, 3700);
    assert_string_equal(a.plan, "q01 q02 q03");
    assert_int_equal(a.seed, 99);
    int64_t id2 = new_attempt(s, co, "501", 3); /* the next attempt is number 2 */
    assert_int_equal(store_asm_get(s, id2, &a), 0);
    assert_int_equal(a.attempt_no, 2);
    store_close(s);
}

struct hand {
    char qid[8];
    int choice, count;
    bool correct;
} g_rows[32];
static int g_nrows;

static int collect(void *arg, const char *qid, int choice, bool correct, int count)
{
    (void)arg;
    snprintf(g_rows[g_nrows].qid, 8, "%s", qid);
    g_rows[g_nrows].choice = choice;
    g_rows[g_nrows].correct = correct;
    g_rows[g_nrows++].count = count;
    return 0;
}

/* Three closed attempts and one open one, counted by hand. */
static void test_store_stats(void **state)
{
    (void)state;
    struct store *s = open_store("stats.db");
    int64_t co = make_cohort(s);
    /* choices picked for q01, q02, q03 by three learners (correct: 0, 1, 2) */
    const int picks[3][3] = {{0, 1, 2}, {0, 3, 1}, {2, 3, 1}};
    for (int u = 0; u < 3; u++) {
        char user[8];
        snprintf(user, sizeof(user), "60%d", u);
        int64_t id = new_attempt(s, co, user, 3);
        int score = 0;
        for (int k = 0; k < 3; k++) {
            char qid[8];
            snprintf(qid, sizeof(qid), "q0%d", k + 1);
            answer(s, id, k, qid, picks[u][k], picks[u][k] == k, 0);
            score += picks[u][k] == k;
        }
        assert_int_equal(store_asm_close(s, id, ASM_DONE, score * 100 >= 80 * 3, 500), 0);
    }
    int64_t open = new_attempt(s, co, "609", 3); /* open attempts are not counted */
    answer(s, open, 0, "q01", 3, false, 0);
    struct store_asm_summary sum;
    assert_int_equal(store_asm_summary(s, co, 2, &sum), 0);
    assert_int_equal(sum.attempts, 3);
    assert_int_equal(sum.passed, 1); /* learner 600: 3/3 */
    assert_int_equal(sum.learners, 3);
    /* scores: 3/3 = 100, 1/3 = 33, 0/3 = 0 */
    assert_int_equal(sum.percents[0], 0);
    assert_int_equal(sum.percents[1], 33);
    assert_int_equal(sum.percents[2], 100);
    free(sum.percents);
    g_nrows = 0;
    assert_int_equal(store_asm_choice_counts(s, co, 2, collect, NULL), 0);
    /* by hand: q01 {0:2 right, 2:1}; q02 {1:1 right, 3:2}; q03 {1:2, 2:1 right} */
    const struct hand want[] = {{"q01", 0, 2, true},  {"q01", 2, 1, false}, {"q02", 1, 1, true},
                                {"q02", 3, 2, false}, {"q03", 1, 2, false}, {"q03", 2, 1, true}};
    assert_int_equal(g_nrows, 6);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(g_rows[i].qid, want[i].qid);
        assert_int_equal(g_rows[i].choice, want[i].choice);
        assert_int_equal(g_rows[i].count, want[i].count);
        assert_int_equal(g_rows[i].correct, want[i].correct);
    }
    store_close(s);
}

static void test_store_practicals(void **state)
{
    (void)state;
    struct store *s = open_store("prac.db");
    int64_t co = make_cohort(s);
    struct store_practical p = {
        .user_id = "501", .week = 2, .link = "https://git.example/a", .submitted_at = 10};
    assert_int_equal(store_practical_mark(s, co, "501", 2, true, "77", NULL, 20), BOT_ENOTFOUND);
    assert_int_equal(store_practical_submit(s, co, &p), 0);
    struct store_practical *rows;
    size_t n;
    assert_int_equal(store_practical_list(s, co, NULL, 0, true, &rows, &n), 0);
    assert_int_equal(n, 1);
    free(rows);
    assert_int_equal(store_practical_mark(s, co, "501", 2, true, "77", "nice", 20), 0);
    assert_int_equal(store_practical_list(s, co, NULL, 0, true, &rows, &n), 0);
    assert_int_equal(n, 0);
    free(rows);
    struct store_practical got;
    assert_int_equal(store_practical_get(s, co, "501", 2, &got), 0);
    assert_int_equal(got.status, ASM_PR_PASSED);
    assert_string_equal(got.marked_by, "77");
    assert_string_equal(got.comment, "nice");
    /* submitting again makes it pending again */
    snprintf(p.link, sizeof(p.link), "https://git.example/b");
    assert_int_equal(store_practical_submit(s, co, &p), 0);
    assert_int_equal(store_practical_get(s, co, "501", 2, &got), 0);
    assert_int_equal(got.status, ASM_PR_PENDING);
    assert_string_equal(got.link, "https://git.example/b");
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank_valid),
        cmocka_unit_test(test_bank_rules),
        cmocka_unit_test(test_bank_every_problem),
        cmocka_unit_test(test_shipped_banks),
        cmocka_unit_test(test_shuffle),
        cmocka_unit_test(test_pass_mark),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_opens_at),
        cmocka_unit_test(test_review),
        cmocka_unit_test(test_store_attempts),
        cmocka_unit_test(test_store_stats),
        cmocka_unit_test(test_store_practicals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
