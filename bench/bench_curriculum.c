/* bench_curriculum.c - how long loading and validating the shipped curriculum takes,
 * and how fast the day lookup is. Prints figures; not a test.
 * Usage: bench_curriculum [path-to-curriculum.json] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config/curriculum.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : COHORTBOT_SRCDIR "/config/curricula/data-engineer.json";
    char err[BOT_ERR_LEN];
    struct curriculum *c = NULL;
    const int loads = 200;
    double t0 = now_s();
    for (int i = 0; i < loads; i++) {
        if (curriculum_load_file(path, &c, err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        if (i + 1 < loads)
            curriculum_free(c);
    }
    double t1 = now_s();
    printf("load+validate %s: %.1f us per load (%d loads, %zu days, %zu weeks)\n", c->file,
           (t1 - t0) / loads * 1e6, loads, c->n_days, c->n_weeks);
    const long lookups = 10000000;
    long sum = 0;
    t0 = now_s();
    for (long i = 0; i < lookups; i++) {
        const struct cur_week *w = curriculum_week_of_day(c, (int)(i % 72));
        sum += w ? w->number : 0;
    }
    t1 = now_s();
    printf("curriculum_week_of_day: %.2f ns per lookup (checksum %ld)\n",
           (t1 - t0) / (double)lookups * 1e9, sum);
    curriculum_free(c);
    return 0;
}
