/* test_notify.c - the systemd notify/watchdog protocol, against a datagram socket
 * this test owns (NOTIFY_SOCKET): the real binary in console mode sends READY=1 with
 * STATUS=console once its loop runs, WATCHDOG=1 from every tick while the loop is
 * alive, STOPPING=1 on /quit; in Discord mode (the fake Discord) READY=1 comes only
 * after the gateway's READY, and STOPPING=1 on SIGTERM. Waits on datagrams, never on
 * guessed durations (the timeouts below only bound a failing run). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

struct nsock {
    int fd;
    char path[108];
    char dir[64];
};

static void nsock_open(struct nsock *n)
{
    snprintf(n->dir, sizeof(n->dir), "/tmp/cb-notify-XXXXXX");
    assert_non_null(mkdtemp(n->dir));
    snprintf(n->path, sizeof(n->path), "%s/notify", n->dir);
    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(n->fd >= 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", n->path);
    assert_int_equal(bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static void nsock_close(struct nsock *n)
{
    close(n->fd);
    unlink(n->path);
    rmdir(n->dir);
}

/* Next datagram into out; false when none came within ms. */
static bool nsock_recv(struct nsock *n, char *out, size_t outlen, int ms)
{
    struct pollfd p = {.fd = n->fd, .events = POLLIN};
    if (poll(&p, 1, ms) <= 0)
        return false;
    ssize_t got = recv(n->fd, out, outlen - 1, 0);
    if (got < 0)
        return false;
    out[got] = 0;
    return true;
}

/* Reads datagrams until one contains want; counts WATCHDOG=1 seen on the way. */
static bool nsock_until(struct nsock *n, const char *want, int *watchdogs, char *last,
                        size_t lastlen)
{
    for (int i = 0; i < 200; i++) {
        if (!nsock_recv(n, last, lastlen, 60000))
            return false;
        if (watchdogs && strstr(last, "WATCHDOG=1"))
            (*watchdogs)++;
        if (strstr(last, want))
            return true;
    }
    return false;
}

static void console_protocol(void **state)
{
    (void)state;
    struct nsock n;
    nsock_open(&n);
    char db[128];
    snprintf(db, sizeof(db), "%s/c.db", n.dir);
    int in[2];
    assert_int_equal(pipe(in), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char p[24];
        snprintf(p, sizeof(p), "%d", (int)getpid());
        setenv("NOTIFY_SOCKET", n.path, 1);
        setenv("WATCHDOG_USEC", "400000", 1);
        setenv("WATCHDOG_PID", p, 1);
        unsetenv("DISCORD_TOKEN");
        dup2(in[0], 0);
        close(in[1]);
        freopen("/dev/null", "w", stdout);
        execl(getenv("COHORTBOT_BIN"), "cohortbot", "--console", "--db", db, "--log-level", "warn",
              (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    char msg[512];
    /* the first datagram is READY=1 with the state */
    assert_true(nsock_recv(&n, msg, sizeof(msg), 60000));
    assert_non_null(strstr(msg, "READY=1"));
    assert_non_null(strstr(msg, "STATUS=console"));
    /* the loop keeps pinging: three watchdog pings in a row, nothing else */
    int wd = 0;
    for (int i = 0; i < 3; i++) {
        assert_true(nsock_recv(&n, msg, sizeof(msg), 60000));
        assert_string_equal(msg, "WATCHDOG=1");
        wd++;
    }
    assert_int_equal(wd, 3);
    assert_int_equal(write(in[1], "/quit\n", 6), 6);
    assert_true(nsock_until(&n, "STOPPING=1", NULL, msg, sizeof(msg)));
    close(in[1]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    nsock_close(&n);
    char wal[160];
    unlink(db);
    snprintf(wal, sizeof(wal), "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", db);
    unlink(wal);
}

/* Without NOTIFY_SOCKET nothing is sent and nothing fails (checked by the other
 * suites, which run without it); with a socket that nobody reads the bot still runs. */

static bool identified(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_op(log, 2) >= 1;
}

static void discord_protocol(void **state)
{
    (void)state;
    struct nsock n;
    nsock_open(&n);
    setenv("NOTIFY_SOCKET", n.path, 1);
    setenv("WATCHDOG_USEC", "400000", 1); /* no WATCHDOG_PID: any pid may ping */
    struct e2e e;
    e2e_start_fake(&e, NULL);
    e2e_start_bot(&e, "{}");
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    char msg[512];
    /* everything before READY=1 is a watchdog ping or a state line, never READY */
    bool ready = false;
    int wd = 0;
    for (int i = 0; i < 200 && !ready; i++) {
        assert_true(nsock_recv(&n, msg, sizeof(msg), 60000));
        if (strstr(msg, "WATCHDOG=1"))
            wd++;
        ready = strstr(msg, "READY=1") != NULL;
    }
    assert_true(ready);
    assert_non_null(strstr(msg, "STATUS=ready"));
    /* READY=1 came after the IDENTIFY the fake answered with READY */
    json_t *log = e2e_wait(&e, identified, NULL, 1000);
    assert_non_null(log);
    json_decref(log);
    /* the loop pings after READY too */
    assert_true(nsock_until(&n, "WATCHDOG=1", &wd, msg, sizeof(msg)));
    assert_true(wd >= 1);
    kill(e.bot, SIGTERM);
    assert_true(nsock_until(&n, "STOPPING=1", NULL, msg, sizeof(msg)));
    assert_int_equal(e2e_bot_exit(&e, 30000), 0);
    e2e_finish(&e);
    nsock_close(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console_protocol),
        cmocka_unit_test(discord_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
