/* pairing_cost.c - working windows, overlap, the pair cost terms, the load cost and
 * the suggested meeting slot (see pairing.h and pairing_cost.h). */
#include "schedules/pairing_cost.h"
#include "bot/err.h"

#include <stddef.h>

#define DAY_MIN PAIR_DAY_MIN
#define MAX_OFFSET_MIN 840 /* UTC-14:00 .. UTC+14:00 */

int pair_window_resolve(const struct pair_window *w, struct pair_uwin *out)
{
    int start = w->start_min, end = w->end_min;
    if (start == 0 && end == 0) {
        start = PAIR_DEFAULT_START;
        end = PAIR_DEFAULT_END;
    }
    if (w->utc_offset_min < -MAX_OFFSET_MIN || w->utc_offset_min > MAX_OFFSET_MIN)
        return BOT_EINVAL;
    if (start < 0 || start >= DAY_MIN || end <= start || end > DAY_MIN)
        return BOT_EINVAL;
    int s = (start - w->utc_offset_min) % DAY_MIN;
    out->start = s < 0 ? s + DAY_MIN : s;
    out->len = end - start;
    return 0;
}

int64_t pair_load_cost(int load)
{
    if (load <= 1)
        return 0;
    return (int64_t)PAIR_LOAD_STEP * load * (load - 1) / 2;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Earliest minute m >= from_min where [m, m + 45) is inside copies of both windows
 * (minutes relative to the UTC day start `base`), or -1. */
static int earliest_common(const struct pair_uwin *a, const struct pair_uwin *b, int from_min)
{
    int best = -1;
    for (int ka = -1; ka <= 2; ka++) {
        int alo = a->start + ka * DAY_MIN, ahi = alo + a->len;
        if (a->len == DAY_MIN) { /* all day: one unbroken interval */
            alo = -2 * DAY_MIN;
            ahi = 4 * DAY_MIN;
        }
        for (int kb = -1; kb <= 2; kb++) {
            int blo = b->start + kb * DAY_MIN, bhi = blo + b->len;
            if (b->len == DAY_MIN) {
                blo = -2 * DAY_MIN;
                bhi = 4 * DAY_MIN;
            }
            int lo = alo > blo ? alo : blo;
            int hi = ahi < bhi ? ahi : bhi;
            if (lo < from_min)
                lo = from_min;
            if (hi - lo >= PAIR_SLOT_MIN && (best < 0 || lo < best))
                best = lo;
        }
    }
    return best;
}

int pair_slot(const struct pair_window *a, const struct pair_window *b, int64_t from,
              struct pair_slot *out)
{
    struct pair_uwin ua, ub;
    if (!a || !b || !out || pair_window_resolve(a, &ua) != 0 || pair_window_resolve(b, &ub) != 0)
        return BOT_EINVAL;
    int longest;
    pair_overlap(&ua, &ub, &out->overlap_min, &longest);
    int64_t base = floor_div(from, 86400) * 86400;
    /* round `from` up to a quarter hour, in minutes after base (0..1440) */
    int from_min = (int)((from - base + 899) / 900) * 15;
    int m = earliest_common(&ua, &ub, from_min);
    out->in_overlap = m >= 0;
    if (m < 0) {
        /* fallback: b's next window start at or after from_min */
        m = ub.start;
        while (m < from_min)
            m += DAY_MIN;
    }
    out->start = base + (int64_t)m * 60;
    return 0;
}
