/* test_project_console.c - projects and peer review end to end through the real
 * binary in console mode: checklists and /progress, submission windows and
 * resubmission, the round at the close (kill -9 after the review DMs: a restart sends
 * none twice), every review through its select menus and the Write feedback modal
 * (under 50 characters refused), results with the weighted arithmetic, the 2-point
 * flag and the mentor's deciding review, the reminder 48 h before the deadline, the
 * reassignment to a mentor at it, /cohort report, another learner's review refused,
 * and `cohortbot reviews --round midterm` agreeing with the stored round. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot/console.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "tests/testutil.h"

static char g_db[64], g_out[64], g_in[64];
#include "bot/store_project.h"

/* The console scripts (testutil.h) on this test's files. */
static char *run(const char *now, const char *input, const char *tool)
{
    return tu_console_run(now, input, tool, g_db, g_in, g_out);
}

static char *run_and_kill(const char *now, const char *until, int until_n)
{
    return tu_console_kill(now, until, until_n, g_db, g_out);
}

static void dm_header(const char *name, char *out, size_t len)
{
    char id[IX_ID_LEN];
    console_user_id(name, id);
    snprintf(out, len, "== DM to @%s ==", id);
}

static int dms_to(const char *out, const char *name)
{
    char h[64];
    dm_header(name, h, sizeof(h));
    return tu_count(out, h);
}

static struct store *open_db(void)
{
    struct store *s;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open_shared(g_db, &s, err, sizeof(err)), 0);
    return s;
}

static const char *const NAMES[] = {"alice", "bob", "carol", "dave", "erin"};

static const char *name_of(const char *id)
{
    for (size_t i = 0; i < 5; i++) {
        char x[IX_ID_LEN];
        console_user_id(NAMES[i], x);
        if (strcmp(x, id) == 0)
            return NAMES[i];
    }
    fail_msg("unknown id %s", id);
    return NULL;
}

/* Console lines that write review `id` as its reviewer with levels l[0..3]. */
static void review_lines(char *out, size_t len, const struct store_review *r, const int *l,
                         const char *feedback)
{
    snprintf(out, len,
             "/as %s\n/project status\n/press rvo:%lld\n/pick 1 %d\n/pick 2 %d\n/pick 3 %d\n"
             "/pick 4 %d\n/press Write feedback\n/submit feedback:%s\n",
             name_of(r->reviewer_id), (long long)r->id, l[0], l[1], l[2], l[3], feedback);
}

static const char *FB = "Clear_pipeline_and_README;_add_checks_on_the_joins_and_alerting_next.";

static struct store_review *reviews(size_t *n)
{
    struct store *s = open_db();
    struct store_rev_round rd;
    struct store_review *rv;
    assert_int_equal(store_rev_round_get(s, 1, 0, &rd), 0);
    assert_int_equal(store_reviews_of_round(s, rd.id, &rv, n), 0);
    store_close(s);
    return rv;
}

static void test_projects_end_to_end(void **state)
{
    (void)state;
    char *out = run("2027-02-02T14:00:00Z",
                    "/cohort start date:2027-01-04\n/as erin\n/mentor join tracks:streaming "
                    "capacity:3\n/as alice\n/projects\n/project done item:2 "
                    "link:https://github.com/a/cdc\n/project done item:2\n/projects\n"
                    "/project submit kind:midterm link:https://github.com/a/v1\n"
                    "/project submit kind:midterm link:https://github.com/a/mid\n"
                    "/project submit kind:final link:https://github.com/a/fin\n"
                    "/project submit kind:midterm link:http://insecure\n"
                    "/as bob\n/project submit kind:midterm link:https://github.com/b/mid\n"
                    "/as carol\n/project submit kind:midterm link:https://github.com/c/mid\n"
                    "/as dave\n/project submit kind:midterm link:https://github.com/d/mid "
                    "notes:spark\n/as alice\n/progress\n/quit\n",
                    NULL);
    assert_non_null(strstr(out, "Architecture Projects (weeks 5-6)"));
    assert_non_null(
        strstr(out, "[x] 2. Implement CDC pipeline with Delta Lake <https://github.com/a/cdc>"));
    assert_non_null(strstr(out, "Already done"));
    assert_non_null(strstr(out, "1 of 5 done"));
    assert_non_null(strstr(out, "Replaced your Mid-term project"));
    assert_non_null(strstr(out, "Submissions for the Final project open"));
    assert_non_null(strstr(out, "link must be an https:// address"));
    assert_non_null(
        strstr(out, "Project checklists: 1 of 25 items done; Mid-term project submitted"));
    assert_int_equal(tu_count(out, "== DM to"), 0);

    /* the close (end of week 5, New York): 4 submissions x 2 reviewers; killed at once */
    out = run_and_kill("2027-02-08T06:00:00Z", "== DM to", 8);
    assert_int_equal(tu_count(out, "Please review"), 8);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(dms_to(out, NAMES[i]), 2);
    assert_int_equal(dms_to(out, "erin"), 0);
    out = run("2027-02-08T06:05:00Z",
              "/as bob\n/project submit kind:midterm "
              "link:https://github.com/b/late\n/quit\n",
              NULL);
    assert_int_equal(tu_count(out, "== DM to"), 0); /* the restart sends nothing twice */
    assert_non_null(strstr(out, "closed"));

    size_t n;
    struct store_review *rv = reviews(&n);
    assert_int_equal(n, 8);
    static char in[1 << 16];
    size_t used = 0;
    int seen[4] = {0};
    int64_t deadline = rv[0].deadline;
    const struct store_review *left_open = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *author = name_of(rv[i].author_id);
        int a = author[0] == 'a' ? 0 : author[0] == 'b' ? 1 : author[0] == 'c' ? 2 : 3;
        int k = seen[a]++;
        static const int L[4][2][4] = {{{3, 3, 3, 3}, {3, 3, 3, 3}},
                                       {{4, 2, 3, 2}, {3, 3, 3, 2}},
                                       {{4, 4, 4, 4}, {2, 2, 2, 2}},
                                       {{3, 3, 3, 3}, {0}}};
        if (a == 3 && k == 1) {
            left_open = &rv[i]; /* dave's second review stays open */
            continue;
        }
        review_lines(in + used, sizeof(in) - used, &rv[i], L[a][k], FB);
        used += strlen(in + used);
    }
    /* someone else's review: refused, nothing written */
    const char *other = strcmp(name_of(left_open->reviewer_id), "erin") ? "erin" : "alice";
    snprintf(in + used, sizeof(in) - used,
             "/as %s\n/project status\n/as %s\n/press rvo:%lld\n/as %s\n/press rvo:%lld\n"
             "/as %s\n/press Write feedback\n/as %s\n/press Write feedback\n"
             "/submit feedback:short\n/quit\n",
             name_of(left_open->reviewer_id), other, (long long)left_open->id,
             name_of(left_open->reviewer_id), (long long)left_open->id, other,
             name_of(left_open->reviewer_id));
    out = run("2027-02-09T12:00:00Z", in, NULL);
    assert_int_equal(tu_count(out, "Your review is complete and counts"), 7);
    assert_non_null(strstr(out, "Feedback needs at least 50 characters (you wrote 5)"));
    assert_int_equal(tu_count(out, "This review is not yours."), 2); /* another learner's clicks */
    out = run("2027-02-09T12:05:00Z", "/quit\n", NULL); /* the next tick settles them */
    /* results: alice 66.6, bob 60.8; carol flagged (4 vs 2) -> erin decides */
    assert_non_null(
        strstr(out, "Your Mid-term project has been reviewed: **weighted score 66.6/100**"));
    assert_non_null(strstr(out, "**weighted score 60.8/100**"));
    assert_non_null(strstr(out, "disagree by 2 or more levels"));
    assert_int_equal(dms_to(out, "erin"), 1);
    assert_non_null(strstr(out, "Deciding review"));
    assert_int_equal(tu_count(out, "has been reviewed"), 2);
    free(rv);

    /* 47 h before the deadline: one reminder, once */
    char when[32];
    time_t t = (time_t)(deadline - 47 * 3600);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    out = run(when, "/quit\n", NULL);
    assert_int_equal(tu_count(out, "Reminder: your review of"), 1); /* the review left open */
    out = run(when, "/quit\n", NULL);
    assert_int_equal(tu_count(out, "Reminder:"), 0);

    /* at the deadline the open review goes to erin (mentor) */
    t = (time_t)(deadline + 10);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    out = run(when, "/as admin\n/admin on\n/cohort report\n/quit\n", NULL);
    assert_int_equal(dms_to(out, "erin"), 2); /* the review, and her deciding one's reminder */
    assert_int_equal(tu_count(out, "Please review <@"), 1);
    assert_int_equal(tu_count(out, "Reminder: your review of"), 1);
    assert_non_null(strstr(out, "4 submissions; reviews: 7 done"));
    assert_non_null(strstr(out, "1 flagged"));

    /* erin writes both: the deciding review for carol and dave's reassigned one */
    rv = reviews(&n);
    used = 0;
    static const int E[4] = {3, 3, 3, 3};
    for (size_t i = 0; i < n; i++)
        if (rv[i].state == REVIEW_OPEN) {
            assert_string_equal(name_of(rv[i].reviewer_id), "erin");
            review_lines(in + used, sizeof(in) - used, &rv[i], E, FB);
            used += strlen(in + used);
        }
    free(rv);
    snprintf(in + used, sizeof(in) - used, "/quit\n");
    out = run(when, in, NULL);
    assert_int_equal(tu_count(out, "Your review is complete and counts"), 2);
    out = run(when, "/quit\n", NULL);
    assert_int_equal(tu_count(out, "has been reviewed"), 2);
    assert_non_null(strstr(out, "**weighted score 66.6/100 (deciding review)**"));

    /* the stored round re-runs identically */
    out = run(when, NULL, "reviews --round midterm");
    assert_non_null(strstr(out, "author,reviewer,mentor,repeat\n"));
    assert_int_equal(tu_count(out, ",0,"), 8);
}

int main(void)
{
    log_set_level(LOGL_OFF);
    snprintf(g_db, sizeof(g_db), "/tmp/test_project_console_%d.db", getpid());
    snprintf(g_out, sizeof(g_out), "/tmp/test_project_console_%d.out", getpid());
    snprintf(g_in, sizeof(g_in), "/tmp/test_project_console_%d.in", getpid());
    unlink(g_db);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projects_end_to_end),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char p[80];
    const char *files[] = {g_db, g_out, g_in};
    for (int i = 0; i < 3; i++)
        unlink(files[i]);
    snprintf(p, sizeof(p), "%s-wal", g_db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", g_db);
    unlink(p);
    return rc;
}
