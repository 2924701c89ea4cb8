/* fuzz_budget.c - the libFuzzer entry point shared by every target: runs the
 * target's fuzz_target() and aborts (a finding, with the input saved) when one
 * input takes longer than the budget. The bot promises no loop pass over 50 ms
 * whatever the input; instrumented builds (ASan, UBSan, coverage) run several times
 * slower (about 10x here), so the default budget is 500 ms; FUZZ_BUDGET_MS sets another. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int fuzz_target(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Work a target does where the bot does it off the loop thread (a feed worker's
 * parse and trial) is not held to the loop's budget: the target adds it here. */
long fuzz_off_loop_ms;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static long budget_ms;
    if (!budget_ms) {
        const char *e = getenv("FUZZ_BUDGET_MS");
        budget_ms = e && strtol(e, NULL, 10) > 0 ? strtol(e, NULL, 10) : 500;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fuzz_off_loop_ms = 0;
    int rc = fuzz_target(data, size);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    ms -= fuzz_off_loop_ms;
    if (ms > budget_ms) {
        fprintf(stderr,
                "fuzz_budget: one input took %ld ms (budget %ld ms): a slow input is a "
                "finding\n",
                ms, budget_ms);
        abort();
    }
    return rc;
}
