/* fuzz_ical.c - libFuzzer target for the iCal path as the bot runs it: cal_parse and
 * the trial reminder computation on a feed worker (off the loop: not held to the time
 * budget), then, only for feeds the trial found cheap, what the loop thread does:
 * reminders for the posting window and the 30-day /schedule expansion, plus a year's
 * expansion and keys. Any crash, sanitizer report, leak, or loop-side input slower
 * than the budget (fuzz_budget.c) is a bug: .ics files come from outside. */
#include "schedules/calendar.h"
#include "schedules/feed_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

int fuzz_target(const uint8_t *data, size_t size);
extern long fuzz_off_loop_ms;

static long ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    struct cal_feed *f = NULL;
    char err[BOT_ERR_LEN];
    const int64_t from = 1704067200; /* 2024-01-01 */
    int leads[] = {1440, 10};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = cal_parse((const char *)data, size, "Europe/Berlin", &f, err);
    struct cal_reminder *r = NULL;
    size_t n = 0;
    int trial = rc ? rc : cal_reminders(f, from - 13 * 3600, from + 2 * 86400, leads, 2, &r, &n);
    free(r);
    long worker_ms = ms_since(&t0);
    fuzz_off_loop_ms = worker_ms;
    /* instrumented builds run several times slower than FEED_TRIAL_MAX_US assumes */
    if (rc || trial == BOT_ETOOBIG || worker_ms * 1000 > 10 * FEED_TRIAL_MAX_US) {
        cal_feed_free(f);
        return 0; /* refused, or paused: the loop never expands it */
    }
    struct cal_occ *o = NULL;
    if (cal_expand(f, from, from + 30 * 86400LL, &o, &n) == 0) {
        char key[512];
        for (size_t i = 0; i < n; i++)
            (void)cal_occ_key(&o[i], o[i].start, key, sizeof(key));
        free(o);
    }
    if (cal_reminders(f, from, from + 86400LL, leads, 2, &r, &n) == 0)
        free(r);
    cal_feed_free(f);
    return 0;
}
