/* bench_review.c - reviewer assignment figures: cohorts of 30, 300 and 1,000
 * submitters with 10 mentors, after two earlier kinds' reviews (the capstone case),
 * time per assignment (best of 5) and the figures of the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schedules/review_assign.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void one(size_t n)
{
    static char names[1100][16];
    static const char *authors[1100];
    static struct ra_reviewer rv[1100];
    static struct ra_history h[4400];
    size_t m = 10, nh = 0;
    for (size_t i = 0; i < n + m; i++)
        snprintf(names[i], sizeof(names[i]), "%s%zu", i < n ? "u" : "m", i);
    for (size_t i = 0; i < n; i++) {
        authors[i] = names[i];
        rv[i] = (struct ra_reviewer){names[i], false, RA_LEARNER_CAPACITY};
    }
    for (size_t j = 0; j < m; j++)
        rv[n + j] = (struct ra_reviewer){names[n + j], true, 3};
    struct ra_input in = {authors, n, rv, n + m, h, 0, 2, 42};
    for (int kind = 0; kind < 2; kind++) { /* mid-term, then final: real history */
        struct ra_result r;
        if (ra_assign(&in, &r, NULL, 0))
            return;
        for (size_t i = 0; i < r.n_picks; i++)
            h[nh++] =
                (struct ra_history){rv[r.picks[i].reviewer].id, authors[r.picks[i].sub], kind};
        ra_result_free(&r);
        in.n_history = nh;
        in.seed++;
    }
    double best = 1e9;
    struct ra_result r = {0};
    for (int k = 0; k < 5; k++) {
        ra_result_free(&r);
        double t0 = now_s();
        if (ra_assign(&in, &r, NULL, 0))
            return;
        double t = now_s() - t0;
        best = t < best ? t : best;
    }
    printf("review assignment, %zu submissions, 10 mentors, %zu history rows: %.2f ms "
           "(empty %zu, mentor slots %zu, repeats %zu, pair repeats %zu, swaps %d)\n",
           n, nh, best * 1e3, r.empty, r.mentor_slots, r.repeats, r.pair_repeats, r.swaps);
    ra_result_free(&r);
}

int main(void)
{
    one(30);
    one(300);
    one(1000);
    return 0;
}
