/* test_assessment_console.c - the whole assessment flow in console mode, the real
 * binary driven line by line (it answers by reading each question off the screen and
 * pressing a letter): the Start assessment post in #week-02 at the start of day 14,
 * a pass at exactly 80% (20 of 25), a fail at 76% with review advice by curriculum
 * days and the retake wait, two learners with attempts open at once, /progress and
 * /cohort report figures, practical submit and mark, then restarts of the binary:
 * an attempt continues where it stopped, the post is not repeated, the time limit
 * closes an attempt, and a retake is allowed 24 h after the failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <poll.h>

#include "bot/buf.h"
#include "testutil.h"

static char g_db[512], g_cfg[512], g_banks[512];

struct sess {
    pid_t pid;
    int in, out;
    struct buf got; /* everything printed so far */
    size_t mark;    /* where the current command's output starts */
};

static void start(struct sess *s, const char *now)
{
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0 && !getenv("E2E_SHOW_LOG"))
            dup2(devnull, 2);
        close(in[1]);
        close(out[0]);
        setenv("COHORTBOT_FAKE_NOW", now, 1);
        unsetenv("DISCORD_TOKEN");
        unsetenv("COHORTBOT_CONFIG");
        execl(tu_bin(), tu_bin(), "--console", "--db", g_db, "--config", g_cfg, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->in = in[1];
    s->out = out[0];
    buf_init(&s->got, 64u << 20);
    s->mark = 0;
    signal(SIGPIPE, SIG_IGN);
}

/* Reads until `want` appears after the mark (10 s at most). Returns its position. */
static const char *wait_for(struct sess *s, const char *want)
{
    int64_t t0 = tu_ms();
    for (;;) {
        buf_append(&s->got, "", 0);
        const char *hit = s->got.len ? strstr(buf_str(&s->got) + s->mark, want) : NULL;
        if (hit)
            return hit;
        if (tu_ms() - t0 > 10000)
            fail_msg("no \"%s\" in the console output (after %zu):\n%s", want, s->mark,
                     buf_str(&s->got));
        struct pollfd p = {.fd = s->out, .events = POLLIN};
        if (poll(&p, 1, 200) > 0) {
            char chunk[8192];
            ssize_t r = read(s->out, chunk, sizeof(chunk));
            if (r <= 0)
                fail_msg("console ended early waiting for \"%s\":\n%s", want,
                         buf_str(&s->got) + s->mark);
            buf_append(&s->got, chunk, (size_t)r);
        }
    }
}

/* Sends one line as `user` and waits until it has been handled: a following /as line
 * is the marker (the console prints replies in order). Returns the line's output. */
static const char *say(struct sess *s, const char *user, const char *line)
{
    static int seq;
    char l[1024], marker[64];
    buf_append(&s->got, "", 0);
    s->mark = s->got.len ? strlen(buf_str(&s->got)) : 0;
    snprintf(marker, sizeof(marker), "sync%d", seq++);
    snprintf(l, sizeof(l), "/as %s\n%s\n/as %s\n", user, line, marker);
    size_t n = strlen(l);
    assert_int_equal(write(s->in, l, n), (ssize_t)n);
    wait_for(s, marker);
    return buf_str(&s->got) + s->mark;
}

static void stop(struct sess *s, const char *forbid)
{
    assert_int_equal(write(s->in, "/quit\n", 6), 6);
    close(s->in);
    wait_for(s, "bye");
    int st;
    waitpid(s->pid, &st, 0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (forbid && strstr(buf_str(&s->got), forbid))
        fail_msg("unexpected \"%s\" in:\n%s", forbid, buf_str(&s->got));
    close(s->out);
    buf_free(&s->got);
}

static void want_in(const char *out, const char *text)
{
    const char *o = out ? out : "";
    if (!strstr(o, text))
        fail_msg("expected \"%s\" in:\n%s", text, o);
}

/* The last question shown: its number in the bank ("Console question N?"). */
static const char *last_question(const char *out, int *number)
{
    const char *q = NULL;
    for (const char *p = strstr(out, "assessment · question"); p;
         p = strstr(p + 1, "assessment · question"))
        q = p;
    const char *n = q ? strstr(q, "Console question ") : NULL;
    if (!n)
        fail_msg("no question in:\n%s", out);
    *number = atoi(n + strlen("Console question "));
    return q;
}

/* The letter of the choice starting with `prefix` in question q. */
static char letter(const char *q, const char *prefix)
{
    char pat[64];
    for (char c = 'A'; c <= 'E'; c++) {
        snprintf(pat, sizeof(pat), "**%c.** %s", c, prefix);
        if (strstr(q, pat))
            return c;
    }
    fail_msg("no choice \"%s\" in:\n%s", prefix, q);
    return 0;
}

/* Answers questions from..to-1 of an attempt: right when the bank's question number
 * is at most `upto`, else wrong. Returns the last output. */
static const char *answer_all(struct sess *s, const char *user, const char *first, int from, int to,
                              int upto)
{
    const char *out = first;
    for (int i = from; i < to; i++) {
        int num;
        const char *q = last_question(out, &num);
        char line[32];
        snprintf(line, sizeof(line), "/press %c", letter(q, num <= upto ? "right" : "wrong"));
        out = say(s, user, line);
    }
    return out;
}

static void write_bank(void)
{
    json_t *qs = json_array();
    for (int i = 0; i < 25; i++) {
        char id[16], prompt[64], t[4][32];
        snprintf(id, sizeof(id), "c%02d", i + 1);
        snprintf(prompt, sizeof(prompt), "Console question %d?", i + 1);
        for (int k = 0; k < 4; k++)
            snprintf(t[k], sizeof(t[k]), "%s %d", k == 0 ? "right" : "wrong", i * 4 + k);
        /* questions 21-25 (the ones answered wrong below) cover days 8-9 */
        int day = i >= 20 ? 8 + i % 2 : 1 + i % 7;
        json_array_append_new(qs, json_pack("{s:s,s:[i],s:s,s:[{s:s},{s:s,s:b},{s:s},{s:s}],s:s}",
                                            "id", id, "days", day, "prompt", prompt, "choices",
                                            "text", t[1], "text", t[0], "correct", 1, "text", t[2],
                                            "text", t[3], "explanation", "Explained here."));
    }
    json_t *b =
        json_pack("{s:s,s:i,s:o}", "curriculum", "data-engineer", "week", 2, "questions", qs);
    char path[600];
    snprintf(path, sizeof(path), "%s/data-engineer-week-02.json", g_banks);
    assert_int_equal(json_dump_file(b, path, JSON_INDENT(1)), 0);
    json_decref(b);
}

static void first_session(void)
{
    struct sess s;
    start(&s, "2027-01-17T00:30:00Z"); /* day 14 (UTC cohort), the assessment opened 00:00 */
    const char *o = say(&s, "you", "/cohort start date:2027-01-04 timezone:UTC");
    want_in(o, "Cohort started");
    o = wait_for(&s, "== #week-02 ==");
    wait_for(&s, "[Start assessment]");
    want_in(o, "Week 2 skills assessment: Data modeling & pipeline fundamentals");
    say(&s, "you", "/admin off");
    /* dave starts with the post's button (the last message with buttons) */
    o = say(&s, "dave", "/press Start assessment");
    want_in(o, "**Week 2 skills assessment: Data modeling & pipeline fundamentals.**");
    want_in(o, "question 1 of 25");

    /* alice: exactly 80% passes */
    o = say(&s, "alice", "/assessment start");
    want_in(o, "25 questions, one at a time");
    want_in(o, "Attempt 1 of 3");
    want_in(o, "question 1 of 25");
    o = answer_all(&s, "alice", o, 0, 25, 20); /* misses q21-q25 (days 8-9) */
    want_in(o, "Week 2 assessment: 20 of 25 (80%) · passed ✅");
    want_in(o, "you missed 5 of 5 questions on days 8-9, Pipeline Design Patterns: /day 8");
    o = say(&s, "alice", "/assessment start");
    want_in(o, "You already passed the week 2 assessment (80%)");

    /* bob and carol have attempts open at the same time */
    o = say(&s, "bob", "/assessment start");
    o = answer_all(&s, "bob", o, 0, 10, 19);
    o = say(&s, "carol", "/assessment start week:2");
    want_in(o, "question 1 of 25");
    o = answer_all(&s, "carol", o, 0, 2, 25);
    o = say(&s, "bob", "/assessment start");
    want_in(o, "Continuing your attempt");
    want_in(o, "question 11 of 25");
    o = answer_all(&s, "bob", o, 10, 25, 19); /* misses q20-q25: 76% fails */
    want_in(o, "19 of 25 (76%) · not passed");
    want_in(o, "you missed 5 of 5 questions on days 8-9, Pipeline Design Patterns: /day 8");
    want_in(o, "you missed 1 of 8 questions on days 5-7, Modern Data Stack Overview: /day 5");
    want_in(o, "2 attempts left; the next from <t:");
    o = say(&s, "bob", "/assessment start");
    want_in(o, "You can retake the week 2 assessment from <t:");
    o = say(&s, "carol", "/assessment start");
    want_in(o, "question 3 of 25");

    o = say(&s, "erin", "/assessment results");
    want_in(o, "not taken yet: /assessment start week:2");
    o = say(&s, "dave", "/assessment start");
    o = answer_all(&s, "dave", o, 0, 3, 25);
    want_in(o, "question 4 of 25");

    o = say(&s, "alice", "/progress");
    want_in(o, "Assessments passed: 1 of 5 (week 2 80%)");
    o = say(&s, "alice", "/assessment practical submit week:2 link:https://git.example/alice");
    want_in(o, "Submitted your week 2 practical (Build working data pipeline)");
    o = say(&s, "alice", "/assessment practical mark member:@bob week:2 passed:true");
    want_in(o, "Only the cohort's mentors and server admins can mark practicals.");
    say(&s, "mia", "/admin on");
    o = say(&s, "mia", "/assessment practical list");
    want_in(o, "1 practical waiting for a mark:");
    o = say(&s, "mia", "/assessment practical mark member:@alice week:2 passed:true comment:neat");
    want_in(o, "as passed; they get a DM.");
    want_in(o, "== DM to @alice ==");
    want_in(o, "Your week 2 practical (Build working data pipeline) was marked **passed** by");
    want_in(o, "Comment: \"neat\"");
    o = say(&s, "mia", "/cohort report");
    want_in(o, "Week 2 assessment: Data modeling & pipeline fundamentals");
    want_in(o, "2 attempts by 2 learners, 50% passed, median score 78%.");
    want_in(o, "assessment-questions.csv");
    say(&s, "mia", "/admin off");
    o = say(&s, "alice", "/assessment results");
    want_in(o, "attempt 1: 20/25 (80%) **passed**");
    want_in(o, "practical: Build working data pipeline: passed (\"neat\")");
    stop(&s, NULL);
}

static void later_sessions(void)
{
    struct sess s;
    /* restart: dave continues at question 4; the post is not repeated */
    start(&s, "2027-01-17T00:50:00Z");
    const char *o = say(&s, "dave", "/assessment start");
    want_in(o, "Continuing your attempt where you stopped.");
    want_in(o, "question 4 of 25");
    want_in(o, "3 of 25 answered, 3 correct");
    o = answer_all(&s, "dave", o, 3, 5, 25);
    stop(&s, "== #week-02 ==");
    start(&s, "2027-01-17T01:40:00Z"); /* dave's hour ended at 01:30 */
    o = say(&s, "dave", "/press A");
    want_in(o, "no button");
    o = say(&s, "dave", "/assessment start");
    want_in(o, "Your attempt's time ran out before you finished.");
    want_in(o, "5 of 25 (20%) · not passed");
    want_in(o, "Time ran out after 60 minutes: the 20 unanswered questions count as wrong.");
    o = say(&s, "bob", "/assessment start"); /* bob failed at about 00:31 */
    want_in(o, "You can retake");
    stop(&s, "== #week-02 ==");
    start(&s, "2027-01-18T00:45:00Z");
    o = say(&s, "bob", "/assessment start");
    want_in(o, "Attempt 2 of 3");
    o = say(&s, "carol", "/assessment results"); /* carol's hour is over too */
    want_in(o, "time ran out");
    stop(&s, "== #week-02 =="); /* the post went out once, in the first session */
}

static void test_console_assessment(void **state)
{
    (void)state;
    tu_path(g_db, sizeof(g_db), "asm-console.db");
    tu_path(g_banks, sizeof(g_banks), "banks");
    tu_path(g_cfg, sizeof(g_cfg), "asm.json");
    mkdir(g_banks, 0700);
    write_bank();
    char cfg[700];
    snprintf(cfg, sizeof(cfg), "{\"assessments_dir\": \"%s\"}", g_banks);
    tu_write(g_cfg, cfg, strlen(cfg), 0600);
    first_session();
    later_sessions();
    tu_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_assessment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
