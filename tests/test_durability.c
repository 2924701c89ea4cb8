/* test_durability.c - an acknowledged check-in survives SIGKILL: a child
 * `cohortbot --console` is fed check-ins through a pipe (many per read, so group
 * commit batches them), killed with SIGKILL mid-stream, restarted, and every check-in
 * whose acknowledgement it printed before dying must be in `cohortbot export
 * checkins`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>

#include "bot/console.h"
#include "tests/e2e_util.h"

#define USERS 40
#define DAYS 70
#define KILL_AFTER 900 /* acknowledgements seen before the kill */

static bool acked[USERS][DAYS + 1];

/* Writes the whole stream slowly enough that the kill lands in the middle. */
static void writer(int fd)
{
    char line[64];
    for (int u = 0; u < USERS; u++) {
        int n = snprintf(line, sizeof(line), "/as u%d\n", u);
        if (write(fd, line, (size_t)n) != n)
            _exit(0);
        for (int d = 1; d <= DAYS; d++) {
            n = snprintf(line, sizeof(line), "/checkin day:%d hours:1 note:n%d\n", d, u);
            if (write(fd, line, (size_t)n) != n)
                _exit(0); /* the bot is gone */
            if (d % 10 == 0)
                usleep(2000);
        }
    }
    _exit(0);
}

/* Reads the bot's stdout line by line; kills it after KILL_AFTER acks. */
static int read_acks(int fd, pid_t bot)
{
    char buf[1 << 16];
    size_t len = 0;
    int user = -1, acks = 0;
    bool killed = false;
    for (;;) {
        ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = '\0';
            int d;
            if (sscanf(line, "you are now u%d", &user) == 1)
                ;
            else if ((sscanf(line, "Checked in for day %d", &d) == 1 ||
                      sscanf(line, "Updated your check-in for day %d", &d) == 1) &&
                     user >= 0 && user < USERS && d >= 1 && d <= DAYS) {
                acked[user][d] = true;
                acks++;
            }
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len);
        if (!killed && acks >= KILL_AFTER) {
            kill(bot, SIGKILL); /* whatever it printed before this is in the pipe */
            killed = true;
        }
    }
    return acks;
}

static void test_sigkill_keeps_acknowledged(void **state)
{
    (void)state;
    char db[256];
    e2e_tmpdb(db, sizeof(db), "dur");
    const char *now = "2026-06-01T12:00:00Z"; /* after day 70: every day may be recorded */
    char *out = e2e_console(db, now, "/cohort start date:2026-03-02 timezone:UTC\n");
    assert_non_null(out);
    assert_non_null(strstr(out, "Cohort started"));
    free(out);

    char *argv[] = {(char *)e2e_bin(), "--console", "--db", db, NULL};
    int in, outfd;
    pid_t bot = e2e_spawn(now, argv, &in, &outfd);
    assert_true(bot > 0);
    signal(SIGPIPE, SIG_IGN);
    pid_t w = fork();
    if (w == 0) {
        close(outfd);
        writer(in);
    }
    close(in);
    int acks = read_acks(outfd, bot);
    close(outfd);
    int st;
    waitpid(bot, &st, 0);
    kill(w, SIGKILL);
    waitpid(w, NULL, 0);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    print_message("acknowledged before SIGKILL: %d of %d\n", acks, USERS * DAYS);
    assert_true(acks >= KILL_AFTER);
    assert_true(acks < USERS * DAYS); /* the kill really was mid-stream */

    /* restart: it opens the same file (WAL recovery) and runs normally */
    out = e2e_console(db, now, "/as u0\n/streak\n");
    assert_non_null(out);
    assert_non_null(strstr(out, "longest"));
    free(out);

    char *ex[] = {(char *)e2e_bin(), "export", "checkins", "--db", db, NULL};
    int code = -1;
    char *csv = e2e_run(NULL, ex, NULL, &code);
    assert_int_equal(code, 0);
    int missing = 0, found = 0;
    for (int u = 0; u < USERS; u++) {
        char name[16], id[IX_ID_LEN];
        snprintf(name, sizeof(name), "u%d", u);
        console_user_id(name, id);
        for (int d = 1; d <= DAYS; d++) {
            if (!acked[u][d])
                continue;
            char row[128];
            snprintf(row, sizeof(row), ",%s,%d,1,n%d,", id, d, u);
            if (strstr(csv, row))
                found++;
            else if (missing++ < 5)
                print_message("missing: %s\n", row);
        }
    }
    print_message("found in export: %d, missing: %d\n", found, missing);
    assert_int_equal(missing, 0);
    assert_int_equal(found, acks);
    free(csv);
    e2e_rmdb(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_keeps_acknowledged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
