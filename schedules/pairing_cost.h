/* pairing_cost.h - working-window arithmetic and the pair cost terms, shared by the
 * pairing module's matcher and its public helpers (pair_slot, pair_edge_cost,
 * pair_load_cost in pairing.h). Internal to schedules/pairing*.c; pure, any thread.
 * No pointers are retained. */
#ifndef COHORT_PAIRING_COST_H
#define COHORT_PAIRING_COST_H

#include <stdint.h>

#include "schedules/pairing.h"

/* A working window in UTC minutes of the day, repeating daily. */
struct pair_uwin {
    int start; /* 0..1439 */
    int len;   /* 1..1440 */
};

/* Applies the 09:00-18:00 default and checks ranges. 0 or BOT_EINVAL. */
int pair_window_resolve(const struct pair_window *w, struct pair_uwin *out);
/* Minutes per day inside both windows, and the longest unbroken stretch of them. */
void pair_overlap(const struct pair_uwin *a, const struct pair_uwin *b, int *total, int *longest);
/* Pair cost (time + track + repeat) as documented in pairing.h. `last_met` is the
 * latest earlier round the pair met in (0 = never), `round` the current one. */
int64_t pair_cost_terms(const struct pair_uwin *mentor, const struct pair_uwin *mentee,
                        uint64_t tracks, int interest, int round, int last_met);

#endif
