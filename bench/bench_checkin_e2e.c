/* bench_checkin_e2e.c - durable check-ins end to end: the real bot (COHORTBOT_BIN)
 * against tests/fakediscord (FAKEDISCORD_BIN) over loopback. Per offered rate (default
 * 1,000, 2,000 and 3,000 /s for 10 s; argv: seconds then rates) a fresh bot and
 * database: an admin starts a cohort, then the fake injects /checkin INTERACTION_CREATEs
 * open loop, each from a distinct member, so every one writes a row (WAL,
 * synchronous=FULL, group commit). Latency = callback received by the fake - moment
 * the interaction fell due. Afterwards the export must hold exactly one row per
 * confirming callback. Prints check-ins/s, p50/p99/max, the bot's CPU. */
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

#define GUILD "1000000000000000001"

static bool has_put(json_t *log, void *arg)
{
    (void)arg;
    return e2e_count_rest(log, "PUT", "/applications/", 200) > 0;
}

/* Confirming ("Checked in") callbacks to the flood's interactions, each of whose members
 * must have a row; other callbacks (apologies) are counted apart. */
static void check_callbacks(json_t *log, const unsigned char *seen, int n, long *confirmed,
                            long *other, long *missing)
{
    *confirmed = *other = *missing = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *path = json_string_value(json_object_get(r, "path"));
        unsigned long long id = 0;
        if (!path || sscanf(path, "/interactions/%llu/", &id) != 1 || id < 1600000000000000000ULL ||
            id - 1600000000000000000ULL >= (unsigned long long)n)
            continue;
        const char *c = json_string_value(
            json_object_get(json_object_get(json_object_get(r, "body"), "data"), "content"));
        bool ok = json_integer_value(json_object_get(r, "status")) == 204 && c &&
                  strncmp(c, "Checked in for day", 18) == 0;
        *(ok ? confirmed : other) += 1;
        *missing += ok && !seen[id - 1600000000000000000ULL];
    }
}

static void report(json_t *log, int rate, int n, double cpu)
{
    struct bench_lat l;
    bench_lat(log, &l);
    double span = (double)json_integer_value(json_object_get(log, "ix_span_us")) / 1e6;
    if (l.n)
        printf("offered %5d/s: %6zu/%d answered in %.2f s = %6.0f check-ins/s  p50 %6.2f ms  "
               "p99 %6.2f ms  max %7.2f ms  bot cpu %.2f s (%.0f%% of one core)\n",
               rate, l.n, n, span, span > 0 ? (double)l.n / span : 0.0, l.p50_ms, l.p99_ms,
               l.max_ms, cpu, span > 0 ? cpu * 100 / span : 0);
    else
        printf("offered %5d/s: no callbacks\n", rate);
}

/* One offered rate against a fresh bot and database. Returns 0 when the export matches. */
static int run_rate(int rate, int secs)
{
    struct e2e e;
    e2e_start_fake(&e, NULL);
    setenv("COHORTBOT_FAKE_NOW", "2027-01-06T20:00:00Z", 1); /* day 3 of the cohort */
    /* BENCH_REST_QUEUE_MAX: a smaller REST bound, to show what the bound does to replies */
    const char *qm = getenv("BENCH_REST_QUEUE_MAX");
    char cfg[160];
    snprintf(cfg, sizeof(cfg), "{\"guild_id\":\"" GUILD "\",\"catchup_hours\":1%s%s}",
             qm && *qm ? ",\"rest_queue_max\":" : "", qm && *qm ? qm : "");
    e2e_start_bot(&e, cfg);
    json_decref(e2e_wait(&e, has_put, NULL, 10000));
    bench_start_cohort(&e, "2027-01-04", "UTC");
    sleep(1);
    int n = rate * secs;
    char body[96];
    snprintf(body, sizeof(body), "{\"n\":%d,\"tick_us\":%d,\"checkin\":true}", n, 1000000 / rate);
    double c0 = bench_proc_cpu(e.bot);
    json_decref(e2e_ctl(&e, "ix_flood", body));
    json_t *log = bench_wait_answers(&e, n, secs);
    double cpu = bench_proc_cpu(e.bot) - c0;
    report(log, rate, n, cpu);
    e2e_stop_bot(&e);
    unsigned char *seen = calloc((size_t)n, 1);
    long rows = bench_export_rows(e.db, seen, n, NULL), confirmed, other, missing;
    check_callbacks(log, seen, n, &confirmed, &other, &missing);
    json_decref(log);
    free(seen);
    bool ok = missing == 0 && other == 0 && rows >= confirmed;
    printf("                export rows %ld, confirming callbacks %ld (%ld without a row), "
           "other callbacks %ld: %s\n",
           rows, confirmed, missing, other,
           !ok                 ? "ACKNOWLEDGED CHECK-IN MISSING"
           : rows == confirmed ? "one row per acknowledged check-in"
                               : "every acknowledged check-in is there; some replies never "
                                 "reached the fake (see the bot's REST queue)");
    fflush(stdout);
    e2e_finish(&e);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (!getenv("COHORTBOT_BIN") || !getenv("FAKEDISCORD_BIN")) {
        printf("bench_checkin_e2e skipped: set COHORTBOT_BIN and FAKEDISCORD_BIN\n");
        return 0;
    }
    setenv("E2E_LOG_LEVEL", "info", 0);
    int secs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 10;
    if (secs < 1 || secs > 120)
        secs = 10;
    int rates[8] = {1000, 2000, 3000}, nrates = 3;
    if (argc > 2)
        for (nrates = 0; nrates < 8 && nrates + 2 < argc; nrates++)
            rates[nrates] = (int)strtol(argv[nrates + 2], NULL, 10);
    printf("end-to-end /checkin through the fake Discord server, %d s per rate, durable (WAL, "
           "synchronous=FULL, group commit), %ld CPUs\n",
           secs, sysconf(_SC_NPROCESSORS_ONLN));
    bench_load("before");
    int bad = 0;
    for (int i = 0; i < nrates; i++)
        if (rates[i] > 0 && rates[i] <= 100000)
            bad |= run_rate(rates[i], secs);
    bench_load("after");
    return bad;
}
