/* fuzz_assessment.c - arbitrary bytes into asm_bank_load_buffer() as a week-2 bank of
 * the shipped data-engineer curriculum. A refused input must leave at least one
 * terminated problem line and no bank; an accepted one must satisfy what
 * config/assessment.h promises (the curriculum's count, unique ids, days in range,
 * 3-5 choices of at most 80 characters, exactly one correct). Seed it with
 * config/assessments/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/message.h"
#include "config/assessment.h"
#include "config/curriculum.h"

int fuzz_target(const uint8_t *data, size_t size);

static struct curricula *g_set;

static void check(const struct asm_bank *b)
{
    if (b->n != 25 || b->first_day != 1 || b->last_day != 14)
        abort();
    for (size_t i = 0; i < b->n; i++) {
        const struct asm_question *q = &b->q[i];
        if (!q->id || !q->prompt || !q->explanation || q->n_days < 1 || q->n_choices < 3 ||
            q->n_choices > 5 || q->correct < 0 || q->correct >= q->n_choices)
            abort();
        for (int d = 0; d < q->n_days; d++)
            if (q->days[d] < 1 || q->days[d] > 14)
                abort();
        for (int k = 0; k < q->n_choices; k++)
            if (!q->choices[k] || msg_utf8_len(q->choices[k]) > 80)
                abort();
        if (asm_bank_question(b, q->id) != q)
            abort();
    }
}

int fuzz_target(const uint8_t *data, size_t size)
{
    if (!g_set) {
        struct buf errs;
        buf_init(&errs, 1 << 16);
        if (curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &g_set, &errs) != 0)
            abort();
        buf_free(&errs);
    }
    struct buf errs;
    buf_init(&errs, 1 << 20);
    struct asm_bank *b = NULL;
    int rc = asm_bank_load_buffer((const char *)data, size, "data-engineer-week-02.json", g_set, &b,
                                  &errs);
    if (rc > 0 && (b || !errs.len || buf_str(&errs)[errs.len - 1] != '\n'))
        abort();
    if (rc == 0) {
        if (!b)
            abort();
        check(b);
    }
    asm_bank_free(b);
    buf_free(&errs);
    return 0;
}
