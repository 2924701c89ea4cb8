/* bench_e2e.h - what the loopback benchmarks (bench_checkin_e2e, bench_rush) share on top
 * of the e2e harness (tests/e2e.h): a process's CPU from /proc, latency percentiles
 * from the fake's log, the rows of `cohortbot export checkins`, the load average, and
 * an admin's /cohort start. Bench code only; the bench's own (single) thread. */
#ifndef COHORT_BENCH_E2E_H
#define COHORT_BENCH_E2E_H

#include "tests/e2e.h"

#include <stddef.h>

/* user + system CPU seconds of pid so far, or -1 */
double bench_proc_cpu(pid_t pid);

/* Percentiles of the fake's first-callback latencies (its log's "ix_lat_us"). */
struct bench_lat {
    size_t n;
    double p50_ms, p99_ms, max_ms;
};
void bench_lat(json_t *log, struct bench_lat *out);

/* Sleeps through a flood of `secs` (dumping the fake's log while it runs would stall the
 * fake), then polls until n callbacks are in or about 30 s pass; the log (caller
 * decrefs). */
json_t *bench_wait_answers(struct e2e *e, int n, double secs);

/* Rows of `$COHORTBOT_BIN export checkins --db db` without the header, or -1; marks
 * seen[i] for the flood's member i (user 7000000000000000000 + i, i < n); *dups counts
 * rows of a (user, day) already seen (NULL: not counted). */
long bench_export_rows(const char *db, unsigned char *seen, int n, long *dups);

/* "load average <when>: …" from /proc/loadavg. */
void bench_load(const char *when);

/* An admin's /cohort start date:<date> timezone:<zone> in guild 1000000000000000001 as
 * interaction 1500000000000000001; exits the bench if it is not answered. */
void bench_start_cohort(struct e2e *e, const char *date, const char *zone);

#endif
