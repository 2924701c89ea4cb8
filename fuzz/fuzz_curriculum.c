/* fuzz_curriculum.c - arbitrary bytes into curriculum_load_buffer(). A refused input
 * must leave one non-empty, terminated error line; an accepted one must satisfy the
 * invariants curriculum.h promises (contiguous days, weeks holding their days, lookups
 * in range). Seed it with config/curricula/ and use fuzz/curriculum.dict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/curriculum.h"

int fuzz_target(const uint8_t *data, size_t size);

static void check(const struct curriculum *c)
{
    for (size_t w = 0; w < c->n_weeks; w++) {
        const struct cur_week *wk = &c->weeks[w];
        if (wk->number != (int)w + 1 || wk->first_day < 1 || wk->last_day < wk->first_day)
            abort();
        for (int d = wk->first_day; d <= wk->last_day; d++)
            if (curriculum_week_of_day(c, d) != wk)
                abort();
        const struct cur_group *g[8];
        size_t n = curriculum_groups_of_week(c, wk->number, g, 8);
        for (size_t i = 0; i < n && i < 8; i++)
            if (g[i]->first_week > wk->number || g[i]->last_week < wk->number)
                abort();
        const struct cur_assessment *a = curriculum_assessment_of_week(c, wk->number);
        if (a && (a->pass_percent < 1 || a->pass_percent > 100))
            abort();
    }
    for (size_t i = 0; i < c->n_days; i++) {
        const struct cur_day *d = &c->days[i];
        if (d->number != (int)i + 1 || d->part < 1 || d->part > d->parts || !d->topic[0] ||
            !d->lab[0] || d->time_hours < 0 || d->time_hours > 24)
            abort();
    }
    for (size_t i = 0; i < c->mentorship.n_tracks; i++)
        if (curriculum_track(c, c->mentorship.tracks[i].slug) != &c->mentorship.tracks[i])
            abort();
}

int fuzz_target(const uint8_t *data, size_t size)
{
    struct curriculum *c = NULL;
    char err[BOT_ERR_LEN];
    memset(err, 'x', sizeof(err));
    int rc = curriculum_load_buffer((const char *)data, size, "fuzz.json", &c, err);
    if (rc == 0) {
        if (!c)
            abort();
        check(c);
    } else if (c || memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
        abort();
    }
    curriculum_free(c);
    return 0;
}
