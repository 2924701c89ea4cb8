/* bench_render.c - the /progress card: milliseconds per card (render + PNG encode,
 * median and worst of 200 after one warm-up that loads the fonts) and PNG bytes, for
 * a Latin, a CJK+emoji and an Arabic name. Target: <= 20 ms per card, <= 200 KB. */
#include "bot/err.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 200

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fill(struct render_progress *p, const char *name)
{
    memset(p, 0, sizeof(*p));
    p->name = name;
    p->subtitle = "Day 45 of 70 - 40 days checked in";
    p->n_days = 70;
    for (int d = 0; d < 70; d++)
        p->day[d] = d < 44    ? (enum render_day)(d % 7 == 3 ? d % 4 : 0)
                    : d == 44 ? RENDER_TODAY
                              : RENDER_FUTURE;
    p->current = 6;
    p->longest = 19;
    p->n_weeks = 7;
    p->this_week = 7;
    for (int w = 0; w < 7; w++)
        p->week_hours[w] = 10 + w * 2.5;
    p->target_min = 15;
    p->target_max = 20;
    p->milestone = "Next: Week 7 project review (day 49)";
    p->extra = "Assessments passed: 3 of 5";
}

static int bench(const char *label, const char *name)
{
    struct render_progress p;
    fill(&p, name);
    struct render_png png;
    char err[BOT_ERR_LEN];
    double first = now_ms();
    if (render_progress_png(&p, &png, err, sizeof(err))) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    first = now_ms() - first;
    size_t bytes = png.len;
    render_png_free(&png);
    static double t[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        if (render_progress_png(&p, &png, err, sizeof(err)))
            return 1;
        t[i] = now_ms() - t0;
        render_png_free(&png);
    }
    qsort(t, RUNS, sizeof(t[0]), cmp);
    printf("render progress card %-10s first %6.1f ms, median %5.2f ms, p95 %5.2f ms, worst "
           "%5.2f ms, %zu bytes\n",
           label, first, t[RUNS / 2], t[RUNS * 95 / 100], t[RUNS - 1], bytes);
    return 0;
}

typedef int (*draw_fn)(const void *in, struct render_png *out, char *err, size_t errlen);

static int draw_report(const void *in, struct render_png *out, char *err, size_t errlen)
{
    return render_report_png(in, out, err, errlen);
}

static int draw_lb(const void *in, struct render_png *out, char *err, size_t errlen)
{
    return render_leaderboard_png(in, out, err, errlen);
}

static int bench_other(const char *label, draw_fn fn, const void *in)
{
    struct render_png png;
    char err[BOT_ERR_LEN];
    static double t[RUNS];
    size_t bytes = 0;
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        if (fn(in, &png, err, sizeof(err))) {
            fprintf(stderr, "bench_render: %s\n", err);
            return 1;
        }
        t[i] = now_ms() - t0;
        bytes = png.len;
        render_png_free(&png);
    }
    qsort(t, RUNS, sizeof(t[0]), cmp);
    printf("render %-31s median %5.2f ms, p95 %5.2f ms, worst %5.2f ms, %zu bytes\n", label,
           t[RUNS / 2], t[RUNS * 95 / 100], t[RUNS - 1], bytes);
    return 0;
}

static int bench_report_lb(void)
{
    static int active[70];
    static double rate[10], median[10];
    for (int d = 0; d < 70; d++)
        active[d] = 40 - d / 3 - (d % 7 == 5) * 6;
    for (int w = 0; w < 10; w++) {
        rate[w] = 0.9 - w * 0.04;
        median[w] = 17 - w * 0.6;
    }
    struct render_report r = {.title = "Cohort report - day 70 of 70, 42 learners",
                              .n_days = 70,
                              .today = 70,
                              .days_per_week = 7,
                              .active = active,
                              .learners = 42,
                              .n_weeks = 10,
                              .rate = rate,
                              .median = median,
                              .target_min = 15,
                              .target_max = 20};
    struct render_leaderboard l = {.n = 10};
    for (int i = 0; i < 10; i++)
        l.rows[i] = (struct render_lb_row){"Katherine Johnson", 30 - i, 60 - i};
    int rc = bench_other("report charts (70 days)", draw_report, &r);
    return rc | bench_other("leaderboard card (10 rows)", draw_lb, &l);
}

int main(void)
{
    int rc = bench("latin", "Ada Lovelace");
    rc |= bench("cjk+emoji", "\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90 \xf0\x9f\x8c\xb8");
    rc |= bench("arabic",
                "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb9\xd9\x84\xd9\x8a");
    rc |= bench_report_lb();
    return rc;
}
