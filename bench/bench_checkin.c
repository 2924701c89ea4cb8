/* bench_checkin.c - durable check-in throughput and latency (synchronous=FULL, WAL).
 *  1. store: one store_checkin_put per check-in, each its own fsynced commit;
 *  2. dispatch, one commit each: the real /checkin handler via cmd_dispatch at an
 *     offered rate, every reply sent after its own commit;
 *  3. dispatch, group commit: same arrivals, the loop takes everything that arrived
 *     since its last pass as one batch (gcommit), commits once, then replies;
 *  4. (with the binary's path as argv[1]) the console binary through a pipe.
 * Latency = reply released - arrival. Prints check-ins/s and p50/p99 in ms. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/gcommit.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "commands/registry.h"
#include "schedules/cohort.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GUILD "1000000000000000001"
#define DAYS 70

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, double *lat, int n, double elapsed_ms)
{
    qsort(lat, (size_t)n, sizeof(*lat), cmp_d);
    printf("%-44s %7d check-ins  %8.0f /s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", name, n,
           n / (elapsed_ms / 1e3), lat[n / 2], lat[(int)(n * 0.99)], lat[n - 1]);
    fflush(stdout);
}

struct bench {
    struct app app;
    double *released; /* per interaction index */
    char path[128];
};

static int b_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    struct bench *b = impl;
    (void)m;
    b->released[strtol(ix->id, NULL, 10)] = now_ms();
    return 0;
}

static const struct chat_ops null_ops = {.reply = b_reply};

static void open_db(struct bench *b, const char *tag)
{
    snprintf(b->path, sizeof(b->path), "/tmp/bench-checkin-%s-%d.db", tag, (int)getpid());
    char err[BOT_ERR_LEN];
    if (store_open(b->path, &b->app.store, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    struct cohort co = {.guild_id = GUILD,
                        .curriculum = "data-engineer",
                        .start_date = "2026-01-01",
                        .timezone = "UTC",
                        .post_time = "09:00"};
    store_cohort_put(b->app.store, &co, 0);
    /* day 200: every curriculum day may be recorded */
    b->app.clock_offset = 1767225600 + 200 * 86400 - (int64_t)time(NULL);
}

static void close_db(struct bench *b)
{
    store_close(b->app.store);
    char p[160];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", b->path, sfx[i]);
        unlink(p);
    }
}

static void bench_store(int n)
{
    struct bench b = {0};
    open_db(&b, "store");
    double *lat = calloc((size_t)n, sizeof(*lat));
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        struct checkin ck = {.cohort_id = 1, .day = i % DAYS + 1, .hours = 1};
        snprintf(ck.user_id, sizeof(ck.user_id), "3%017d", i / DAYS);
        bool up;
        double s = now_ms();
        if (store_checkin_put(b.app.store, &ck, 1, &up))
            exit(1);
        lat[i] = now_ms() - s;
    }
    report("store, one fsynced commit each", lat, n, now_ms() - t0);
    free(lat);
    close_db(&b);
}

static void make_ix(struct interaction *ix, int i)
{
    memset(ix, 0, sizeof(*ix));
    ix->type = IX_COMMAND;
    ix->console = true;
    snprintf(ix->id, sizeof(ix->id), "%d", i);
    snprintf(ix->guild_id, sizeof(ix->guild_id), GUILD);
    snprintf(ix->user_id, sizeof(ix->user_id), "3%017d", i / DAYS);
    ix->token = strdup("t");
    ix->data = json_pack("{s:s,s:i,s:[{s:s,s:i,s:i},{s:s,s:i,s:f}]}", "name", "checkin", "type", 1,
                         "options", "name", "day", "type", 4, "value", i % DAYS + 1, "name",
                         "hours", "type", 10, "value", 1.0);
}

/* Offered load `rate`/s (0 = all at once); group = use gcommit batches. */
static void bench_dispatch(int n, double rate, bool group)
{
    struct bench b = {0};
    open_db(&b, group ? "gc" : "one");
    b.released = calloc((size_t)n, sizeof(double));
    double *arrive = calloc((size_t)n, sizeof(double)), *lat = calloc((size_t)n, sizeof(double));
    struct chat inner = {.ops = &null_ops, .impl = &b};
    struct gc *g = group ? gc_new(b.app.store, inner) : NULL;
    b.app.chat = group ? gc_chat(g) : inner;
    double t0 = now_ms();
    for (int i = 0; i < n; i++)
        arrive[i] = t0 + (rate > 0 ? i * 1e3 / rate : 0);
    int next = 0, batches = 0;
    while (next < n) {
        double t = now_ms();
        if (arrive[next] > t) {
            usleep((useconds_t)((arrive[next] - t) * 1e3));
            continue;
        }
        int end = next;
        while (end < n && arrive[end] <= t && end - next < 1024)
            end++;
        if (g)
            gc_begin(g);
        for (int i = next; i < end; i++) {
            struct interaction ix;
            make_ix(&ix, i);
            cmd_dispatch(&b.app, &ix);
            ix_free(&ix);
        }
        if (g)
            gc_flush(g);
        batches++;
        next = end;
    }
    double elapsed = now_ms() - t0;
    for (int i = 0; i < n; i++)
        lat[i] = b.released[i] - arrive[i];
    char name[96];
    if (rate > 0)
        snprintf(name, sizeof(name), "dispatch, %s, offered %.0f/s",
                 group ? "group commit" : "commit each", rate);
    else
        snprintf(name, sizeof(name), "dispatch, %s, all at once",
                 group ? "group commit" : "commit each");
    report(name, lat, n, elapsed);
    if (group)
        printf("%44s %d batches, %.1f check-ins per commit\n", "", batches, (double)n / batches);
    gc_free(g);
    free(arrive);
    free(lat);
    free(b.released);
    close_db(&b);
}

/* The console binary through a pipe: lines in, acknowledgements out. */
static void bench_console(const char *bin, int n)
{
    char db[128];
    snprintf(db, sizeof(db), "/tmp/bench-checkin-console-%d.db", (int)getpid());
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "printf '/cohort start date:2026-01-01 timezone:UTC\\n' | "
             "COHORTBOT_FAKE_NOW=2026-07-20T12:00:00Z %s --console --db %s >/dev/null 2>&1",
             bin, db);
    if (system(cmd) != 0)
        return;
    char script[160];
    snprintf(script, sizeof(script), "/tmp/bench-checkin-input-%d.txt", (int)getpid());
    FILE *f = fopen(script, "w");
    for (int i = 0; i < n; i++) {
        if (i % DAYS == 0)
            fprintf(f, "/as user%d\n", i / DAYS);
        fprintf(f, "/checkin day:%d hours:1\n", i % DAYS + 1);
    }
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "COHORTBOT_FAKE_NOW=2026-07-20T12:00:00Z %s --console --db %s < %s 2>/dev/null | "
             "grep -c 'Checked in for day'",
             bin, db, script);
    double t0 = now_ms();
    FILE *p = popen(cmd, "r");
    int acks = 0;
    if (p && fscanf(p, "%d", &acks) != 1)
        acks = 0;
    if (p)
        pclose(p);
    double el = now_ms() - t0;
    printf("%-44s %7d acks       %8.0f /s  (whole run incl. start-up, %.0f ms)\n",
           "console binary via pipe, group commit", acks, acks / (el / 1e3), el);
    unlink(script);
    snprintf(cmd, sizeof(cmd), "rm -f %s %s-wal %s-shm", db, db, db);
    if (system(cmd) != 0)
        return;
}

int main(int argc, char **argv)
{
    int n = 5000;
    printf("durable check-ins (SQLite WAL, synchronous=FULL), %d per run\n", n);
    bench_store(2000);
    bench_dispatch(2000, 500, false);
    bench_dispatch(4000, 2000, false);
    bench_dispatch(n, 2000, true);
    bench_dispatch(n, 3000, true);
    bench_dispatch(n, 5000, true);
    bench_dispatch(n, 0, true);
    if (argc > 1)
        bench_console(argv[1], 7000);
    return 0;
}
