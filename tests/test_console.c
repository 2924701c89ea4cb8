/* test_console.c - the real binary in console mode driven through a pipe:
 * /help, /as, /admin, admin-only refusal, unknown command and bad option messages,
 * overlong lines, EOF and SIGTERM/SIGINT exits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>

#include "commands/registry.h"
#include "testutil.h"

static const char *const no_env[] = {"DISCORD_TOKEN", "COHORTBOT_DB", "COHORTBOT_CONFIG",
                                     "COHORTBOT_API_BASE", NULL};

/* Runs a console session with the given input; db is a fresh file per call. */
static void session(const char *input, bool console_flag, struct tu_run *r)
{
    static int n;
    char db[512], dbarg[600];
    char name[32];
    snprintf(name, sizeof(name), "console-%d.db", n++);
    tu_path(db, sizeof(db), name);
    snprintf(dbarg, sizeof(dbarg), "--db=%s", db);
    const char *argv[] = {tu_bin(), dbarg, console_flag ? "--console" : NULL, NULL};
    assert_int_equal(tu_run(argv, no_env, input, 15000, r), 0);
    assert_false(r->killed);
    assert_int_equal(access(db, F_OK), 0); /* the local database was created */
}

static void want(const struct tu_run *r, const char *text)
{
    if (!strstr(r->out, text))
        fail_msg("output lacks \"%s\":\n%s\n-- stderr --\n%s", text, r->out, r->err);
}

static void test_help_as_admin(void **state)
{
    (void)state;
    struct tu_run r;
    session("/help\n"
            "/as alice\n"
            "/admin off\n"
            "/help\n"
            "/as @bob\n"
            "/admin on\n"
            "/quit\n"
            "/help\n",
            true, &r);
    assert_int_equal(r.status, 0);
    want(&r, "console");
    want(&r, "Commands you can use");
    want(&r, "/help");
    want(&r, "you are now alice");
    want(&r, "admin rights off for alice");
    want(&r, "you are now bob");
    want(&r, "admin rights on for bob");
    want(&r, "bye");
    /* /quit stops reading: the /help after it never ran */
    const char *first = strstr(r.out, "Commands you can use");
    const char *second = first ? strstr(first + 1, "Commands you can use") : NULL;
    assert_non_null(second);
    assert_null(strstr(second + 1, "Commands you can use"));
    /* the second /help (alice, no admin rights) lists no admin commands */
    const char *alice = strstr(r.out, "admin rights off for alice");
    const char *bob = strstr(r.out, "you are now bob");
    assert_true(alice && bob && alice < bob);
    for (const char *p = strstr(alice, "(admin)"); p; p = strstr(p + 1, "(admin)"))
        if (p < bob)
            fail_msg("/help showed an admin command to a member:\n%s", r.out);
    tu_run_free(&r);
}

static void test_admin_commands_refused(void **state)
{
    (void)state;
    int n, admin = 0;
    const struct cmd_def *const *table = cmd_table(&n);
    for (int i = 0; i < n; i++) {
        if (!table[i]->admin_only)
            continue;
        admin++;
        char in[256];
        snprintf(in, sizeof(in), "/as carol\n/admin off\n/%s\n/quit\n", table[i]->name);
        struct tu_run r;
        session(in, true, &r);
        assert_int_equal(r.status, 0);
        want(&r, "Only server admins");
        tu_run_free(&r);
    }
    if (admin == 0) {
        /* none yet: a member's /help shows no admin marker at all */
        struct tu_run r;
        session("/admin off\n/help\n", true, &r);
        want(&r, "Commands you can use");
        /* (the banner says "(admin)" about the default user; look after it) */
        const char *off = strstr(r.out, "admin rights off");
        assert_non_null(off);
        assert_null(strstr(off, "(admin)"));
        tu_run_free(&r);
    }
}

static void test_errors(void **state)
{
    (void)state;
    struct tu_run r;
    session("/nosuch\n"
            "/help bogus:1\n"
            "/help loose\n"
            "/help note:\"unbalanced\n"
            "help\n"
            "# a comment line\n"
            "\n"
            "   \n"
            "/help\r\n",
            true, &r);
    assert_int_equal(r.status, 0);
    want(&r, "unknown command /nosuch (try /help)");
    want(&r, "unknown option 'bogus'");
    want(&r, "unknown option 'loose'");
    want(&r, "unbalanced quotes");
    want(&r, "Commands you can use"); /* CRLF line still runs */
    tu_run_free(&r);
}

/* A bad option value reaches the registry's validation and its message names the
 * option: found generically in the table (the first integer option). */
static void test_bad_option_value(void **state)
{
    (void)state;
    int n;
    const struct cmd_def *const *table = cmd_table(&n);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < table[i]->nopts; k++) {
            const struct cmd_opt *o = &table[i]->opts[k];
            if (o->type != OPT_INTEGER)
                continue;
            char in[256], msg[128];
            snprintf(in, sizeof(in), "/%s %s:abc\n/%s %s:1.5\n", table[i]->name, o->name,
                     table[i]->name, o->name);
            struct tu_run r;
            session(in, true, &r);
            assert_int_equal(r.status, 0);
            snprintf(msg, sizeof(msg), "/%s: `%s` must be a whole number", table[i]->name, o->name);
            want(&r, msg);
            const char *again = strstr(strstr(r.out, msg) + 1, msg);
            if (!again)
                fail_msg("1.5 was accepted for %s:\n%s", o->name, r.out);
            tu_run_free(&r);
            return;
        }
    }
    skip(); /* no integer option in the table yet */
}

static void test_overlong_line(void **state)
{
    (void)state;
    /* a line longer than the 8 KiB line buffer is dropped whole: its tail must not
     * run as a command of its own */
    const size_t bigs[] = {8193, 9000, 16386, 40000};
    for (size_t i = 0; i < sizeof(bigs) / sizeof(bigs[0]); i++) {
        size_t big = bigs[i];
        char *in = malloc(big + 64);
        memset(in, 'x', big);
        snprintf(in + big, 64, "/quit\n/help\n");
        struct tu_run r;
        session(in, true, &r);
        free(in);
        assert_int_equal(r.status, 0);
        want(&r, "line too long");
        if (!strstr(r.out, "Commands you can use"))
            fail_msg("a %zu-byte line ending in /quit ended the session:\n%.300s", big, r.out);
        tu_run_free(&r);
    }
}

static void test_eof_and_default_mode(void **state)
{
    (void)state;
    struct tu_run r;
    /* no --console and no token: console mode is the default; EOF exits 0 */
    session("/help\n", false, &r);
    assert_int_equal(r.status, 0);
    want(&r, "Commands you can use");
    want(&r, "bye");
    tu_run_free(&r);
    /* a last line without a newline still runs */
    session("/as dora\n/help", true, &r);
    assert_int_equal(r.status, 0);
    want(&r, "you are now dora");
    want(&r, "Commands you can use");
    tu_run_free(&r);
    /* empty input */
    session("", true, &r);
    assert_int_equal(r.status, 0);
    want(&r, "bye");
    tu_run_free(&r);
}

/* Starts the console with stdin kept open, waits for the banner, sends sig, and
 * returns the exit status; *ms is the time from the signal to the exit. */
static int signal_exit(int sig, int64_t *ms)
{
    char db[512], dbarg[600];
    tu_path(db, sizeof(db), "signal.db");
    snprintf(dbarg, sizeof(dbarg), "--db=%s", db);
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (size_t i = 0; no_env[i]; i++)
            unsetenv(no_env[i]);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(tu_bin(), tu_bin(), "--console", dbarg, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    char buf[4096];
    size_t got = 0;
    int64_t t0 = tu_ms();
    while (got < sizeof(buf) - 1 && tu_ms() - t0 < 10000) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        if (poll(&p, 1, 100) > 0) {
            ssize_t r = read(out[0], buf + got, sizeof(buf) - 1 - got);
            if (r <= 0)
                break;
            got += (size_t)r;
            buf[got] = '\0';
            if (strstr(buf, "/quit to leave"))
                break;
        }
    }
    buf[got] = '\0';
    if (!strstr(buf, "/quit to leave"))
        fail_msg("no banner: %s", buf);
    int64_t ts = tu_ms();
    kill(pid, sig);
    int st = 0;
    pid_t w = 0;
    while ((w = waitpid(pid, &st, WNOHANG)) == 0 && tu_ms() - ts < 5000)
        usleep(1000);
    *ms = tu_ms() - ts;
    if (w == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    close(in[1]);
    close(out[0]);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void test_signals(void **state)
{
    (void)state;
    const int sigs[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < 2; i++) {
        int64_t ms = 0;
        int status = signal_exit(sigs[i], &ms);
        if (status != 0 || ms > 2000)
            fail_msg("signal %d: exit %d after %lld ms (want 0 within 2000)", sigs[i], status,
                     (long long)ms);
        print_message("signal %d: clean exit after %lld ms\n", sigs[i], (long long)ms);
    }
}

static int cleanup(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_as_admin), cmocka_unit_test(test_admin_commands_refused),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_bad_option_value),
        cmocka_unit_test(test_overlong_line), cmocka_unit_test(test_eof_and_default_mode),
        cmocka_unit_test(test_signals),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
