/* bench_e2e.c - shared pieces of the loopback benchmarks (bench_e2e.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bench/bench_e2e.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define START_ID "1500000000000000001"
#define FLOOD_USER 7000000000000000000ULL

double bench_proc_cpu(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

void bench_lat(json_t *log, struct bench_lat *out)
{
    json_t *lat = json_object_get(log, "ix_lat_us");
    size_t m = json_array_size(lat);
    memset(out, 0, sizeof(*out));
    int64_t *v = calloc(m + 1, sizeof(int64_t));
    if (!v || !m) {
        free(v);
        return;
    }
    for (size_t i = 0; i < m; i++)
        v[i] = json_integer_value(json_array_get(lat, i));
    qsort(v, m, sizeof(int64_t), cmp64);
    out->n = m;
    out->p50_ms = (double)v[m / 2] / 1000.0;
    out->p99_ms = (double)v[m * 99 / 100] / 1000.0;
    out->max_ms = (double)v[m - 1] / 1000.0;
    free(v);
}

json_t *bench_wait_answers(struct e2e *e, int n, double secs)
{
    usleep((useconds_t)(secs * 1e6) + 500000u);
    json_t *log = NULL;
    for (int k = 0; k < 60; k++) {
        json_decref(log);
        log = e2e_log(e);
        if ((int)json_array_size(json_object_get(log, "ix_lat_us")) >= n)
            break;
        usleep(500000);
    }
    return log;
}

long bench_export_rows(const char *db, unsigned char *seen, int n, long *dups)
{
    char cmd[512], line[4096];
    snprintf(cmd, sizeof(cmd), "'%s' export checkins --db '%s'", getenv("COHORTBOT_BIN"), db);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    long rows = -1; /* the header */
    if (dups)
        *dups = 0;
    while (fgets(line, sizeof(line), p)) {
        rows += strchr(line, '\n') != NULL;
        unsigned long long user = 0;
        if (sscanf(line, "%*[^,],%*[^,],%llu,", &user) == 1 && user >= FLOOD_USER &&
            user - FLOOD_USER < (unsigned long long)n) {
            if (dups && seen[user - FLOOD_USER])
                (*dups)++;
            seen[user - FLOOD_USER] = 1;
        }
    }
    return pclose(p) == 0 ? rows : -1;
}

void bench_load(const char *when)
{
    char buf[128] = "";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fgets(buf, sizeof(buf), f))
        printf("load average %s: %s", when, buf);
    if (f)
        fclose(f);
}

static bool started(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "POST", "/interactions/" START_ID "/", 204) > 0;
}

void bench_start_cohort(struct e2e *e, const char *date, const char *zone)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"" START_ID "\",\"application_id\":"
             "\"800000000000000001\",\"type\":2,\"token\":\"itok-start\",\"guild_id\":"
             "\"1000000000000000001\",\"channel_id\":\"1100000000000000001\",\"member\":{"
             "\"user\":{\"id\":\"42\",\"username\":\"admin\"},\"permissions\":\"32\"},\"data\":{"
             "\"id\":\"1\",\"name\":\"cohort\",\"type\":1,\"options\":[{\"name\":\"start\","
             "\"type\":1,\"options\":[{\"name\":\"date\",\"type\":3,\"value\":\"%s\"},{\"name\":"
             "\"timezone\",\"type\":3,\"value\":\"%s\"}]}]}}}",
             date, zone);
    json_decref(e2e_ctl(e, "dispatch", body));
    json_t *log = e2e_wait(e, started, NULL, 5000);
    if (!log) {
        fprintf(stderr, "bench: /cohort start was not answered\n");
        exit(1);
    }
    json_decref(log);
}
