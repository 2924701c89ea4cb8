/* pairing_cost.h - working-window arithmetic and the pair cost terms, shared by the
 * pairing module's matcher and its public helpers (pair_slot, pair_edge_cost,
 * pair_load_cost in pairing.h). Internal to schedules/pairing*.c; pure, any thread.
 * No pointers are retained. */
#ifndef COHORT_PAIRING_COST_H
#define COHORT_PAIRING_COST_H

#include <stdint.h>

#include "schedules/pairing.h"

#define PAIR_DAY_MIN 1440

/* A working window in UTC minutes of the day, repeating daily. */
struct pair_uwin {
    int start; /* 0..1439 */
    int len;   /* 1..1440 */
};

/* Checks sizes, ids, capacities, tracks, windows and history rows (not duplicate
 * ids). 0, or BOT_EINVAL with a message in err (may be NULL). */
int pair_check_input(const struct pair_input *in, char *err);
/* Writes a->reason from the assignment's other fields. */
void pair_reason(const struct pair_input *in, struct pair_assignment *a);
/* Applies the 09:00-18:00 default and checks ranges. 0 or BOT_EINVAL. */
int pair_window_resolve(const struct pair_window *w, struct pair_uwin *out);

/* Minutes per day inside both windows, and the longest unbroken stretch of them. */
static inline void pair_overlap(const struct pair_uwin *a, const struct pair_uwin *b, int *total,
                                int *longest)
{
    if (a->len == PAIR_DAY_MIN || b->len == PAIR_DAY_MIN) {
        /* one person is available all day: the overlap is the other window, whole */
        *total = a->len < b->len ? a->len : b->len;
        *longest = *total;
        return;
    }
    int sum = 0, best = 0;
    for (int k = -1; k <= 1; k++) {
        int lo = a->start, hi = a->start + a->len;
        int blo = b->start + k * PAIR_DAY_MIN, bhi = blo + b->len;
        if (blo > lo)
            lo = blo;
        if (bhi < hi)
            hi = bhi;
        if (hi > lo) {
            sum += hi - lo;
            if (hi - lo > best)
                best = hi - lo;
        }
    }
    *total = sum;
    *longest = best;
}

/* Pair cost (time + track + repeat) as documented in pairing.h. `last_met` is the
 * latest earlier round the pair met in (0 = never), `round` the current one.
 * Inline: the matcher prices millions of pairs. */
static inline int64_t pair_cost_terms(const struct pair_uwin *mentor,
                                      const struct pair_uwin *mentee, uint64_t tracks, int interest,
                                      int round, int last_met)
{
    int total, longest;
    pair_overlap(mentor, mentee, &total, &longest);
    int ov = total < PAIR_TIME_FULL ? total : PAIR_TIME_FULL;
    int64_t c = (int64_t)PAIR_TIME_STEP * ((PAIR_TIME_FULL - ov) / 15);
    if (longest < PAIR_SLOT_MIN)
        c += PAIR_NO_SLOT;
    if (interest >= 0 && (interest >= PAIR_MAX_TRACKS || !((tracks >> interest) & 1u)))
        c += PAIR_TRACK_MISMATCH;
    if (last_met > 0) {
        int age = round - last_met;
        if (age >= 1 && age <= PAIR_REPEAT_WINDOW)
            c += PAIR_REPEAT_BASE + (int64_t)PAIR_REPEAT_STEP * (PAIR_REPEAT_WINDOW - age);
    }
    return c;
}

#endif
