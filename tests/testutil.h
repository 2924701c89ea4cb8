/* testutil.h - helpers shared by the tests that drive the real cohortbot binary
 * (env COHORTBOT_BIN) or need scratch files: a temporary directory, reading and
 * writing whole files, running a child with stdin text, captured stdout and
 * stderr, extra environment and a timeout, and the console scripts of the console
 * tests (run to the end, or killed mid-way). Test code only; header-only. */
#ifndef COHORT_TESTUTIL_H
#define COHORT_TESTUTIL_H

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline const char *tu_bin(void)
{
    const char *b = getenv("COHORTBOT_BIN");
    return b && *b ? b : "./cohortbot";
}

/* A fresh directory under $TMPDIR; returns a static path (one per process). */
static inline const char *tu_tmpdir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/cohortbot-test-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

static inline int tu_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(p);
}

/* Removes the temporary directory and everything in it. */
static inline void tu_cleanup(void)
{
    nftw(tu_tmpdir(), tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void tu_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tu_tmpdir(), name);
}

static inline void tu_write(const char *path, const void *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len)
        abort();
    fchmod(fd, mode);
    close(fd);
}

/* Whole file, NUL-terminated (caller frees); NULL if unreadable. *len may be NULL. */
static inline char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *p = malloc(cap + 1);
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    if (p)
        p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

static inline int64_t tu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct tu_run {
    int status;  /* exit code, or 128 + signal */
    char *out;   /* captured stdout (owned) */
    char *err;   /* captured stderr (owned) */
    int64_t ms;  /* wall time */
    bool killed; /* the timeout fired */
};

static inline void tu_run_free(struct tu_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Runs argv (argv[0] is the program path) with env edits ("K=V" sets, "K" unsets),
 * feeding stdin_text then closing stdin. Kills it after timeout_ms. */
static inline int tu_run(const char *const argv[], const char *const env[], const char *stdin_text,
                         int timeout_ms, struct tu_run *r)
{
    static int seq;
    char outp[300], errp[300];
    snprintf(outp, sizeof(outp), "%s/run-%d-%d.out", tu_tmpdir(), (int)getpid(), seq);
    snprintf(errp, sizeof(errp), "%s/run-%d-%d.err", tu_tmpdir(), (int)getpid(), seq++);
    int in[2];
    if (pipe(in))
        return -1;
    int64_t t0 = tu_ms();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (eq) {
                char k[128];
                snprintf(k, sizeof(k), "%.*s", (int)(eq - env[i]), env[i]);
                setenv(k, eq + 1, 1);
            } else {
                unsetenv(env[i]);
            }
        }
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(in[0], 0);
        dup2(o, 1);
        dup2(e, 2);
        close(in[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    signal(SIGPIPE, SIG_IGN);
    if (stdin_text) {
        size_t left = strlen(stdin_text);
        const char *p = stdin_text;
        while (left) {
            ssize_t w = write(in[1], p, left);
            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    close(in[1]);
    int st = 0;
    r->killed = false;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (tu_ms() - t0 > timeout_ms && !r->killed) {
            kill(pid, SIGKILL);
            r->killed = true;
        }
        usleep(2000);
    }
    r->ms = tu_ms() - t0;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = tu_read(outp, NULL);
    r->err = tu_read(errp, NULL);
    unlink(outp);
    unlink(errp);
    if (!r->out)
        r->out = strdup("");
    if (!r->err)
        r->err = strdup("");
    return 0;
}

/* ---- console scripts ---- */

/* Occurrences of needle in hay. */
static inline int tu_count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The file at path (up to 256 KB) in a static buffer, for a child's stdout; aborts when
 * it cannot be read. */
static inline char *tu_slurp(const char *path)
{
    static char buf[1 << 18];
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "tu_slurp: cannot read %s\n", path);
        abort();
    }
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Runs `cohortbot --console` (or the `tool` arguments instead) with database db on
 * `input` at fake time `now`, through the files in and out; its stdout (tu_slurp's
 * buffer). */
static inline char *tu_console_run(const char *now, const char *input, const char *tool,
                                   const char *db, const char *in, const char *out)
{
    FILE *fp = fopen(in, "w");
    if (!fp)
        abort();
    fputs(input ? input : "", fp);
    fclose(fp);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "COHORTBOT_FAKE_NOW=%s '%s' %s --db '%s' < '%s' > '%s' 2>/dev/null",
             now, tu_bin(), tool ? tool : "--console", db, in, out);
    int rc = system(cmd);
    if (!WIFEXITED(rc))
        abort();
    return tu_slurp(out);
}

/* Starts the console at `now` with stdin left open, waits (up to 20 s) until `until`
 * is printed n times, then kills it with SIGKILL (a crash mid-way); its stdout. Aborts
 * unless it died of the signal. */
static inline char *tu_console_kill(const char *now, const char *until, int n, const char *db,
                                    const char *out)
{
    int in[2];
    if (pipe(in) != 0)
        abort();
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        FILE *o = freopen(out, "w", stdout);
        FILE *e = freopen("/dev/null", "w", stderr);
        (void)o;
        (void)e;
        dup2(in[0], 0);
        close(in[1]);
        setenv("COHORTBOT_FAKE_NOW", now, 1);
        execl(tu_bin(), tu_bin(), "--console", "--db", db, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    for (int i = 0; i < 200; i++) { /* up to 20 s under sanitizers */
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        FILE *f = fopen(out, "rb");
        bool seen = false;
        if (f) {
            fclose(f);
            seen = tu_count(tu_slurp(out), until) >= n;
        }
        if (seen)
            break;
    }
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    close(in[1]);
    if (!WIFSIGNALED(st))
        abort();
    return tu_slurp(out);
}

#endif
