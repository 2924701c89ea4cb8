/* fuzz_budget.c - the libFuzzer entry point shared by every target: runs the
 * target's fuzz_target() and aborts (a finding, with the input saved) when one
 * input takes longer than the budget. The bot promises no loop pass over 50 ms
 * whatever the input; instrumented builds (ASan, UBSan, coverage) run several times
 * slower, so the default budget is 250 ms; FUZZ_BUDGET_MS sets another. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int fuzz_target(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static long budget_ms;
    if (!budget_ms) {
        const char *e = getenv("FUZZ_BUDGET_MS");
        budget_ms = e && strtol(e, NULL, 10) > 0 ? strtol(e, NULL, 10) : 250;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = fuzz_target(data, size);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (ms > budget_ms) {
        fprintf(stderr,
                "fuzz_budget: one input took %ld ms (budget %ld ms): a slow input is a "
                "finding\n",
                ms, budget_ms);
        abort();
    }
    return rc;
}
