/* bench_assessment.c - how long loading and validating the shipped question banks
 * takes (all of config/assessments against the curricula), and the per-attempt pure
 * work (question and choice shuffles, review advice). Prints figures; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config/assessment.h"
#include "config/curriculum.h"
#include "schedules/assessment.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
    struct buf errs;
    buf_init(&errs, 1 << 20);
    struct curricula *set = NULL;
    if (curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &set, &errs)) {
        fprintf(stderr, "%s", buf_str(&errs));
        return 1;
    }
    struct asm_banks *banks = NULL;
    const int loads = 100;
    double t0 = now_s();
    for (int i = 0; i < loads; i++) {
        asm_banks_free(banks);
        if (asm_banks_load_dir(COHORTBOT_SRCDIR "/config/assessments", set, &banks, &errs)) {
            fprintf(stderr, "%s", buf_str(&errs));
            return 1;
        }
    }
    double t1 = now_s();
    size_t q = 0;
    for (size_t i = 0; i < banks->n; i++)
        q += banks->items[i]->n;
    printf("banks load+validate: %.2f ms for %zu banks, %zu questions (%d loads)\n",
           (t1 - t0) / loads * 1e3, banks->n, q, loads);
    const struct asm_bank *b = asm_banks_find(banks, "data-engineer", 8);
    const struct curriculum *cur = curricula_find(set, "data-engineer");
    int qidx[ASM_MAX_QUESTIONS], perm[ASM_MAX_CHOICES];
    bool right[ASM_MAX_QUESTIONS];
    const int attempts = 100000;
    long sink = 0;
    t0 = now_s();
    for (int a = 0; a < attempts; a++) {
        asm_question_order((uint64_t)a, b->n, qidx);
        for (size_t i = 0; i < b->n; i++) {
            asm_choice_order((uint64_t)a, b->q[qidx[i]].id, b->q[qidx[i]].n_choices, perm);
            right[i] = perm[0] == b->q[qidx[i]].correct;
        }
        struct asm_review g[8];
        sink += (long)asm_review(b, cur, qidx, right, b->n, g, 8);
    }
    t1 = now_s();
    printf("week 8 attempt (35 questions): shuffles + review %.2f us per attempt (%ld)\n",
           (t1 - t0) / attempts * 1e6, sink % 7);
    asm_banks_free(banks);
    curricula_free(set);
    buf_free(&errs);
    return 0;
}
