/* e2e_util.h - helpers for tests that drive the real cohortbot binary through pipes
 * ($COHORTBOT_BIN): run it with input and a fake clock, capture stdout. Header-only
 * (static functions) for the test programs. */
#ifndef COHORT_E2E_UTIL_H
#define COHORT_E2E_UTIL_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bot/buf.h"

static const char *e2e_bin(void)
{
    const char *b = getenv("COHORTBOT_BIN");
    return b && *b ? b : "./cohortbot";
}

/* Starts `cohortbot args...` with COHORTBOT_FAKE_NOW=now (NULL = real clock);
 * *in_fd / *out_fd are the child's stdin (write end) and stdout (read end). */
static pid_t e2e_spawn(const char *now, char *const argv[], int *in_fd, int *out_fd)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0 && !getenv("E2E_SHOW_LOG"))
            dup2(devnull, 2);
        close(in[1]);
        close(out[0]);
        if (now)
            setenv("COHORTBOT_FAKE_NOW", now, 1);
        else
            unsetenv("COHORTBOT_FAKE_NOW");
        unsetenv("DISCORD_TOKEN");
        execv(e2e_bin(), argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    *in_fd = in[1];
    *out_fd = out[0];
    return pid;
}

/* Runs the binary with args, feeds input, returns its stdout (malloc'd) and exit code. */
static char *e2e_run(const char *now, char *const argv[], const char *input, int *code)
{
    int in, out;
    pid_t pid = e2e_spawn(now, argv, &in, &out);
    if (pid < 0)
        return NULL;
    signal(SIGPIPE, SIG_IGN);
    size_t len = input ? strlen(input) : 0, off = 0;
    while (off < len) {
        ssize_t w = write(in, input + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(in);
    struct buf b;
    buf_init(&b, 64u << 20);
    char chunk[8192];
    ssize_t r;
    while ((r = read(out, chunk, sizeof(chunk))) > 0)
        buf_append(&b, chunk, (size_t)r);
    close(out);
    int st = 0;
    waitpid(pid, &st, 0);
    *code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    buf_append(&b, "", 0);
    char *s = buf_take(&b);
    return s ? s : calloc(1, 1);
}

/* A console session on db at `now` with `input`; returns stdout. */
static char *e2e_console(const char *db, const char *now, const char *input)
{
    char *argv[] = {(char *)e2e_bin(), "--console", "--db", (char *)db, NULL};
    int code = -1;
    char *out = e2e_run(now, argv, input, &code);
    if (out && code != 0) {
        fprintf(stderr, "console exited %d\n", code);
        free(out);
        return NULL;
    }
    return out;
}

/* A temporary database path (the file does not exist yet). */
static void e2e_tmpdb(char *path, size_t n, const char *tag)
{
    snprintf(path, n, "/tmp/cohortbot-%s-%d.db", tag, (int)getpid());
    char p[300];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static void e2e_rmdb(const char *path)
{
    char p[300];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
        unlink(p);
    }
}

#endif
