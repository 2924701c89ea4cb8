/* bench_gateway.c - gateway ingest and interaction latency. Prints figures; not a
 * test. Part 1 runs the frame handler in-process (gw + events + guild cache, no
 * socket) on 100,000 MESSAGE_CREATE (~1 KB) and 10,000 GUILD_CREATE. Part 2 runs the
 * real bot (COHORTBOT_BIN) against tests/fakediscord (FAKEDISCORD_BIN): the fake
 * floods the same events over loopback, then sends 1,000 interactions per second;
 * the bot's CPU seconds and peak RSS come from /proc, latencies from the fake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/app.h"
#include "bot/discord/events.h"
#include "bot/discord/gateway.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "config/config.h"
#include "bench/bench_e2e.h"
#include "tests/e2e.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int b_send(void *a, const char *t, size_t n)
{
    (void)a, (void)t, (void)n;
    return 0;
}
static void b_close(void *a, int c)
{
    (void)a, (void)c;
}
static int b_connect(void *a, const char *u)
{
    (void)a, (void)u;
    return 0;
}
static void b_fetch(void *a)
{
    (void)a;
}
static bool b_wants(void *a, const char *t)
{
    return events_wants(a, t);
}
static void b_event(void *a, const char *t, json_t *d, const struct gw_chans *ch)
{
    events_dispatch(a, t, d, ch ? ch->v : NULL, ch ? ch->n : 0);
}
static void b_fatal(void *a, int c, const char *w)
{
    (void)a, (void)c, (void)w;
}

static char *make_frame(bool guild, long i, size_t *len)
{
    char pad[1001];
    memset(pad, 'x', sizeof(pad) - 1);
    pad[guild ? 1000 : 700] = '\0';
    char *f = malloc(4096);
    int n;
    if (guild)
        n = snprintf(f, 4096,
                     "{\"t\":\"GUILD_CREATE\",\"s\":%ld,\"op\":0,\"d\":{\"id\":\"%ld\",\"name\":"
                     "\"guild\",\"channels\":[{\"id\":\"%ld1\",\"type\":0,\"name\":\"general\","
                     "\"topic\":\"%s\"},{\"id\":\"%ld2\",\"type\":0,\"name\":\"week-1\"},{\"id\":"
                     "\"%ld3\",\"type\":4,\"name\":\"Cohort\"}]}}",
                     i, 1400000000000000000L + i, 140000000000000000L + i, pad,
                     140000000000000000L + i, 140000000000000000L + i);
    else
        n = snprintf(f, 4096,
                     "{\"t\":\"MESSAGE_CREATE\",\"s\":%ld,\"op\":0,\"d\":{\"id\":\"%ld\","
                     "\"channel_id\":\"1100000000000000001\",\"guild_id\":\"1000000000000000001\","
                     "\"author\":{\"id\":\"42\",\"username\":\"learner\",\"bot\":false},"
                     "\"content\":\"%s\",\"embeds\":[],\"mentions\":[],\"timestamp\":"
                     "\"2026-01-01T00:00:00.000000+00:00\"}}",
                     i, 1500000000000000000L + i, pad);
    *len = (size_t)n;
    return f;
}

static void in_process(void)
{
    struct config cfg;
    config_defaults(&cfg);
    struct app app = {.cfg = &cfg};
    app.guilds = guilds_new();
    struct events *ev = events_new(&app, NULL);
    struct gw_opts o = {.token = "t", .intents = 1, .allow_ws = true, .seed = 1};
    struct gw_hooks h = {ev, b_send, b_close, b_connect, b_fetch, b_wants, b_event, b_fatal};
    struct gw *g = gw_new(&o, &h);
    gw_start(g, 0);
    gw_tick(g, 0);
    gw_on_gateway_bot(g, 200, "{\"url\":\"ws://x\"}", 16, 0);
    gw_tick(g, 0);
    gw_on_open(g, 0);
    const char *hello = "{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}";
    gw_on_frame(g, hello, strlen(hello), 0);
    const struct {
        const char *name;
        bool guild;
        long n;
    } runs[] = {{"MESSAGE_CREATE", false, 100000}, {"GUILD_CREATE", true, 10000}};
    for (size_t r = 0; r < 2; r++) {
        /* 1000 distinct frames, built before the clock starts, fed round-robin */
        enum { NF = 1000 };
        char *frames[NF];
        size_t lens[NF], bytes = 0;
        for (int k = 0; k < NF; k++)
            frames[k] = make_frame(runs[r].guild, k + 1, &lens[k]);
        double c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
        for (long i = 0; i < runs[r].n; i++) {
            gw_on_fragment(g, frames[i % NF], lens[i % NF], true, 1);
            bytes += lens[i % NF];
        }
        double cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        printf("in-process %-14s %7ld events  %6.1f MB  cpu %.3f s  %9.0f events/s/core  "
               "%.2f us/event\n",
               runs[r].name, runs[r].n, (double)bytes / 1e6, cpu, (double)runs[r].n / cpu,
               cpu * 1e6 / (double)runs[r].n);
        for (int k = 0; k < NF; k++)
            free(frames[k]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("in-process guilds cached %d, channels %d, cache %.0f bytes/guild, peak RSS %.1f MB\n",
           guilds_count(app.guilds), guilds_channel_count(app.guilds),
           guilds_count(app.guilds) ? (double)guilds_bytes(app.guilds) / guilds_count(app.guilds)
                                    : 0.0,
           ru.ru_maxrss / 1024.0);
    gw_free(g);
    events_free(ev);
    guilds_free(app.guilds);
    config_free(&cfg);
}

/* ---- part 2: the real bot over loopback ---- */

static double proc_hwm_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    double mb = -1;
    while (f && fgets(line, sizeof(line), f)) {
        long kb;
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            mb = kb / 1024.0;
    }
    if (f)
        fclose(f);
    return mb;
}

/* Current anonymous (the bot's own) and file-backed (shared libraries) RSS. */
static void proc_rss_split(pid_t pid, double *anon_mb, double *file_mb)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    *anon_mb = *file_mb = -1;
    while (f && fgets(line, sizeof(line), f)) {
        long kb;
        if (sscanf(line, "RssAnon: %ld kB", &kb) == 1)
            *anon_mb = kb / 1024.0;
        if (sscanf(line, "RssFile: %ld kB", &kb) == 1)
            *file_mb = kb / 1024.0;
    }
    if (f)
        fclose(f);
}

/* BENCH_GATEWAY_SMAPS=1: the bot's largest mappings by RSS (kB, of which anonymous),
 * summed per file, to see where its memory is. */
static void print_smaps(pid_t pid)
{
    if (!getenv("BENCH_GATEWAY_SMAPS"))
        return;
    char cmd[256];
    snprintf(cmd, sizeof(cmd),
             "awk '/^[0-9a-f]+-/{n=$6==\"\"?\"[anon]\":$6} /^Rss:/{r[n]+=$2} "
             "/^Anonymous:/{a[n]+=$2} END{for(k in r) print r[k], a[k], k}' /proc/%d/smaps "
             "| sort -rn | head -25",
             (int)pid);
    printf("bot mappings (RSS kB, anonymous kB, file):\n");
    fflush(stdout);
    if (system(cmd) != 0)
        printf("(smaps not readable)\n");
}

static size_t sink(char *p, size_t s, size_t n, void *arg)
{
    char *out = arg;
    size_t used = strlen(out), add = s * n;
    if (used + add >= 65535)
        add = 65535 - used - 1;
    memcpy(out + used, p, add);
    out[used + add] = '\0';
    return s * n;
}

static long metric(CURL *c, int port, const char *type)
{
    static char body[65536];
    char url[96], key[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
    body[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    if (curl_easy_perform(c) != CURLE_OK)
        return -1;
    snprintf(key, sizeof(key), "cohortbot_gateway_events_total{type=\"%s\"} ", type);
    const char *p = strstr(body, key);
    return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static bool has_put(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "PUT", "/applications/", 200) > 0;
}

static void flood(struct e2e *e, CURL *c, int hport, const char *t, long n, int size)
{
    double c0 = bench_proc_cpu(e->bot), w0 = now_s(CLOCK_MONOTONIC);
    long before = metric(c, hport, t);
    char body[128];
    snprintf(body, sizeof(body), "{\"n\":%ld,\"t\":\"%s\",\"size\":%d}", n, t, size);
    /* the fake builds and deflates the whole flood inside this request, before it sends
     * any of it (its loop is busy meanwhile): delivery is timed from the answer on */
    json_decref(e2e_ctl(e, "flood", body));
    double w1 = now_s(CLOCK_MONOTONIC);
    long got = 0;
    while ((got = metric(c, hport, t) - before) < n && now_s(CLOCK_MONOTONIC) - w0 < 120)
        usleep(2000);
    double wall = now_s(CLOCK_MONOTONIC) - w1, cpu = bench_proc_cpu(e->bot) - c0;
    printf("loopback   %-14s %7ld events  built by the fake in %.2f s, delivered in %.2f s "
           "(%8.0f events/s)  bot cpu %.2f s (%8.0f events/s/core, %.2f us/event)\n",
           t, got, w1 - w0, wall, (double)got / wall, cpu, cpu > 0 ? (double)got / cpu : 0.0,
           got > 0 ? cpu * 1e6 / (double)got : 0.0);
}

/* A shard's cold start: n GUILD_CREATE of ~10 KB (40 channels); CPU per guild and the
 * bot's own (anonymous) RSS growth per cached guild. */
static void cold_start(struct e2e *e, CURL *c, int hport, long n)
{
    double a0, f0;
    proc_rss_split(e->bot, &a0, &f0);
    double c0 = bench_proc_cpu(e->bot), w0 = now_s(CLOCK_MONOTONIC);
    long before = metric(c, hport, "GUILD_CREATE");
    char body[96];
    snprintf(body, sizeof(body), "{\"n\":%ld,\"channels\":40}", n);
    json_decref(e2e_ctl(e, "guilds", body));
    long got = 0;
    while ((got = metric(c, hport, "GUILD_CREATE") - before) < n &&
           now_s(CLOCK_MONOTONIC) - w0 < 120)
        usleep(20000);
    double cpu = bench_proc_cpu(e->bot) - c0, a1, f1;
    proc_rss_split(e->bot, &a1, &f1);
    printf("cold start %ld x ~10 KB GUILD_CREATE (40 channels): %ld handled, bot cpu %.2f s = %.1f "
           "us/guild; anonymous RSS %.1f -> %.1f MB = %.2f KB per cached guild\n",
           n, got, cpu, got > 0 ? cpu * 1e6 / (double)got : 0.0, a0, a1,
           got > 0 ? (a1 - a0) * 1024.0 / (double)got : 0.0);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void interactions(struct e2e *e, int n)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"n\":%d,\"tick_us\":1000}", n);
    double c0 = bench_proc_cpu(e->bot);
    json_decref(e2e_ctl(e, "ix_flood", body));
    /* no polling while it runs: dumping the fake's log would stall the fake */
    usleep((useconds_t)n * 1000 + 1000000);
    json_t *log = NULL;
    for (int k = 0; k < 600; k++) {
        json_decref(log);
        log = e2e_log(e);
        if ((int)json_array_size(json_object_get(log, "ix_lat_us")) >= n)
            break;
        usleep(100000);
    }
    json_t *lat = json_object_get(log, "ix_lat_us");
    size_t m = json_array_size(lat);
    int64_t *v = calloc(m + 1, sizeof(int64_t));
    for (size_t i = 0; i < m; i++)
        v[i] = json_integer_value(json_array_get(lat, i));
    qsort(v, m, sizeof(int64_t), cmp64);
    if (m)
        printf("interactions %zu/%d at 1000/s: callback latency p50 %.2f ms  p99 %.2f ms  max "
               "%.2f ms  bot cpu %.2f s\n",
               m, n, v[m / 2] / 1000.0, v[m * 99 / 100] / 1000.0, v[m - 1] / 1000.0,
               bench_proc_cpu(e->bot) - c0);
    free(v);
    json_decref(log);
}

/* What went over the wire: the fake's deflate totals (zlib-stream only). */
static void wire_bytes(struct e2e *e)
{
    json_t *log = e2e_log(e);
    long long in = json_integer_value(json_object_get(log, "z_in"));
    long long out = json_integer_value(json_object_get(log, "z_out"));
    if (in > 0)
        printf("wire: %.1f MB of JSON sent as %.1f MB of zlib-stream (%.1f%%)\n", in / 1e6,
               out / 1e6, 100.0 * (double)out / (double)in);
    json_decref(log);
}

static void loopback(const char *compression)
{
    if (!getenv("COHORTBOT_BIN") || !getenv("FAKEDISCORD_BIN")) {
        printf("loopback part skipped: set COHORTBOT_BIN and FAKEDISCORD_BIN\n");
        return;
    }
    printf("---- loopback, gateway_compression %s (CPU = user + sys of the bot process) ----\n",
           *compression ? compression : "(the bot's default)");
    setenv("E2E_LOG_LEVEL", "info", 1);
    setenv("E2E_KEEP", "1", 0);
    struct e2e e;
    e2e_start_fake(&e, NULL);
    int hport = 20000 + (int)(getpid() % 20000);
    char cfg[128];
    if (*compression)
        snprintf(cfg, sizeof(cfg), "{\"http_port\":%d,\"gateway_compression\":\"%s\"}", hport,
                 compression);
    else /* a bot from before the key existed (profiling an older build) */
        snprintf(cfg, sizeof(cfg), "{\"http_port\":%d}", hport);
    e2e_start_bot(&e, cfg);
    json_decref(e2e_wait(&e, has_put, NULL, 10000));
    CURL *c = curl_easy_init();
    printf("bot RSS after READY: peak %.1f MB\n", proc_hwm_mb(e.bot));
    const char *ixn = getenv("BENCH_GATEWAY_INTERACTIONS_ONLY");
    if (ixn) { /* the interaction part alone, on a fresh bot (before/after comparisons) */
        long n = strtol(ixn, NULL, 10);
        sleep(1);
        interactions(&e, n >= 100 && n <= 100000 ? (int)n : 5000);
        curl_easy_cleanup(c);
        e2e_finish(&e);
        return;
    }
    const char *only = getenv("BENCH_GATEWAY_FLOOD_ONLY");
    if (only) { /* for a profiler: just the MESSAGE_CREATE flood, or "guilds": the cold start */
        if (strcmp(only, "guilds") == 0)
            cold_start(&e, c, hport, 2500);
        else
            flood(&e, c, hport, "MESSAGE_CREATE", 100000, 1200);
        double anon, file;
        proc_rss_split(e.bot, &anon, &file);
        printf("bot peak RSS (VmHWM) %.1f MB; now: anonymous %.1f MB + shared-library pages %.1f "
               "MB\n",
               proc_hwm_mb(e.bot), anon, file);
        print_smaps(e.bot);
        curl_easy_cleanup(c);
        e2e_finish(&e);
        return;
    }
    cold_start(&e, c, hport, 2500);
    printf("bot RSS after the cold start: peak %.1f MB\n", proc_hwm_mb(e.bot));
    flood(&e, c, hport, "MESSAGE_CREATE", 100000, 1200); /* ~1.15 KB payloads */
    printf("bot RSS after the MESSAGE_CREATE flood: peak %.1f MB\n", proc_hwm_mb(e.bot));
    flood(&e, c, hport, "GUILD_CREATE", 10000, 1000);
    printf("bot RSS after the GUILD_CREATE flood: peak %.1f MB\n", proc_hwm_mb(e.bot));
    wire_bytes(&e);
    interactions(&e, 5000);
    double anon, file;
    proc_rss_split(e.bot, &anon, &file);
    printf("bot peak RSS (VmHWM) %.1f MB; now: anonymous %.1f MB + shared-library pages %.1f MB\n",
           proc_hwm_mb(e.bot), anon, file);
    curl_easy_cleanup(c);
    e2e_finish(&e);
}

int main(void)
{
    log_set_level(LOGL_WARN);
    /* BENCH_GATEWAY_FLOOD_ONLY=1|guilds [BENCH_GATEWAY_COMPRESSION=zlib-stream|none|""]:
     * one loopback flood (or the cold start), nothing else (to run under perf);
     * BENCH_GATEWAY_INTERACTIONS_ONLY=N: N interactions at 1,000/s on a fresh bot, nothing
     * else ("" compression: the bot's default, which also suits a build from before the key) */
    const char *only = getenv("BENCH_GATEWAY_COMPRESSION");
    if (getenv("BENCH_GATEWAY_INTERACTIONS_ONLY")) {
        loopback(only ? only : "");
        return 0;
    }
    if (getenv("BENCH_GATEWAY_FLOOD_ONLY")) {
        loopback(only ? only : "zlib-stream");
        return 0;
    }
    in_process();
    loopback("zlib-stream");
    loopback("none");
    return 0;
}
