/* review_score.c - exact weighted arithmetic of project reviews (see review_score.h). */
#include "schedules/review_score.h"

#include <string.h>

static int scale_check(const struct rev_scale *sc)
{
    if (!sc || sc->n_criteria < 1 || sc->n_criteria > REV_MAX_CRITERIA)
        return BOT_EINVAL;
    int total = 0;
    for (size_t i = 0; i < sc->n_criteria; i++) {
        if (sc->weight[i] < 0 || sc->weight[i] > 100)
            return BOT_EINVAL;
        total += sc->weight[i];
    }
    if (total != 100)
        return BOT_EINVAL;
    if (sc->kind == REV_CAPSTONE &&
        (sc->points_pass < 5 || sc->points_excellent < sc->points_pass ||
         sc->points_excellent > 20))
        return BOT_EINVAL;
    return 0;
}

bool rev_flagged(size_t n_criteria, const int *levels, size_t n_reviews)
{
    for (size_t i = 0; i < n_criteria; i++) {
        int lo = REV_LEVEL_MAX + 1, hi = REV_LEVEL_MIN - 1;
        for (size_t r = 0; r < n_reviews; r++) {
            int v = levels[r * n_criteria + i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        if (n_reviews > 1 && hi - lo >= REV_SPREAD_FLAG)
            return true;
    }
    return false;
}

static int sums(const struct rev_scale *sc, const int *levels, size_t n, struct rev_result *out)
{
    for (size_t i = 0; i < sc->n_criteria; i++) {
        int lo = REV_LEVEL_MAX, hi = REV_LEVEL_MIN;
        for (size_t r = 0; r < n; r++) {
            int v = levels[r * sc->n_criteria + i];
            if (v < REV_LEVEL_MIN || v > REV_LEVEL_MAX)
                return BOT_EINVAL;
            out->sum[i] += v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        out->spread[i] = hi - lo;
        out->flagged |= out->spread[i] >= REV_SPREAD_FLAG;
        out->mean10[i] = (int)((int64_t)out->sum[i] * 10 / (int64_t)n);
        out->num += (int64_t)sc->weight[i] * out->sum[i];
    }
    return 0;
}

int rev_score(const struct rev_scale *sc, const int *levels, size_t n_reviews,
              struct rev_result *out)
{
    if (!out)
        return BOT_EINVAL;
    memset(out, 0, sizeof(*out));
    if (scale_check(sc) || !levels || n_reviews < 1 || n_reviews > REV_MAX_REVIEWERS)
        return BOT_EINVAL;
    int rc = sums(sc, levels, n_reviews, out);
    if (rc) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    int64_t n = (int64_t)n_reviews;
    out->n_reviews = (int)n_reviews;
    /* score = sum w_i (s_i/n - 1) / 3 = (num - 100 n) / (3 n); tenths rounded down */
    out->score10 = (int)((out->num - 100 * n) * 10 / (3 * n));
    /* points = num / (20 n); tenths rounded down */
    out->points10 = (int)(out->num * 10 / (20 * n));
    if (sc->kind == REV_CAPSTONE) {
        out->passed = out->num >= (int64_t)20 * n * sc->points_pass;
        out->excellent = out->num >= (int64_t)20 * n * sc->points_excellent;
    }
    return 0;
}
