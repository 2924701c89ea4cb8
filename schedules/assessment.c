/* schedules/assessment.c - shuffling, scoring, time limit, retakes, opening time and
 * review advice (see assessment.h). Pure but for asm_seed_new. */
#include "schedules/assessment.h"
#include "bot/err.h"
#include "config/curriculum.h"
#include "schedules/cohort.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

uint64_t asm_seed_new(void)
{
    uint64_t s = 0;
    if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        s = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec;
    }
    return s & 0x7fffffffffffffffULL; /* stored as a SQLite integer */
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void asm_shuffle(uint64_t seed, int *perm, int n)
{
    uint64_t x = seed;
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        /* rejection sampling: no modulo bias */
        uint64_t bound = (uint64_t)i + 1, lim = UINT64_MAX - UINT64_MAX % bound, r;
        do
            r = splitmix(&x);
        while (r >= lim);
        int j = (int)(r % bound), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

void asm_question_order(uint64_t seed, size_t n, int *perm)
{
    asm_shuffle(seed, perm, (int)n);
}

void asm_choice_order(uint64_t seed, const char *qid, int n_choices, int *perm)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = qid; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    asm_shuffle(seed ^ h, perm, n_choices);
}

bool asm_passed(int score, int total, int pass_percent)
{
    return total > 0 && (int64_t)score * 100 >= (int64_t)pass_percent * total;
}

int asm_percent(int score, int total)
{
    return total > 0 ? (int)((int64_t)score * 100 / total) : 0;
}

int64_t asm_deadline(const struct asm_rules *r, int64_t started_at)
{
    return started_at + r->time_limit;
}

enum asm_gate asm_gate(const struct asm_rules *r, const struct asm_prev *prev, size_t n,
                       int64_t opens_at, int64_t now, int64_t *when)
{
    int used = 0;
    int64_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (prev[i].state == ASM_VOID)
            continue;
        if (prev[i].state == ASM_OPEN) {
            *when = asm_deadline(r, prev[i].started_at);
            return now < *when ? ASM_GATE_RESUME : ASM_GATE_EXPIRE;
        }
        if (prev[i].passed)
            return ASM_GATE_PASSED;
        used++;
        if (prev[i].finished_at > last_end)
            last_end = prev[i].finished_at;
    }
    if (now < opens_at) {
        *when = opens_at;
        return ASM_GATE_NOT_OPEN;
    }
    if (used >= r->max_attempts)
        return ASM_GATE_NO_MORE;
    if (used > 0 && now < last_end + r->retake_wait) {
        *when = last_end + r->retake_wait;
        return ASM_GATE_WAIT;
    }
    return ASM_GATE_START;
}

int asm_opens_at(const struct cohort *c, const struct curriculum *cur, int week, int64_t *out)
{
    const struct cur_week *w = curriculum_week(cur, week);
    if (!w)
        return BOT_ENOTFOUND;
    /* the end of the day before the last day = the last day's local midnight */
    return cohort_day_end(c->start_date, c->timezone, w->last_day - 1, out);
}

static void block_of(const struct curriculum *cur, int day, int *first, int *last,
                     const char **topic)
{
    const struct cur_day *d = curriculum_day(cur, day);
    *first = *last = day;
    *topic = NULL;
    if (!d)
        return;
    *first = day - (d->part - 1);
    *last = *first + d->parts - 1;
    *topic = d->topic;
}

size_t asm_review(const struct asm_bank *b, const struct curriculum *cur, const int *qidx,
                  const bool *right, size_t n, struct asm_review *out, size_t max)
{
    struct asm_review g[ASM_MAX_QUESTIONS];
    size_t ng = 0;
    for (size_t i = 0; i < n && i < ASM_MAX_QUESTIONS; i++) {
        if (qidx[i] < 0 || (size_t)qidx[i] >= b->n || b->q[qidx[i]].n_days < 1)
            continue;
        int first, last;
        const char *topic;
        block_of(cur, b->q[qidx[i]].days[0], &first, &last, &topic);
        size_t k = 0;
        while (k < ng && g[k].first_day != first)
            k++;
        if (k == ng)
            g[ng++] = (struct asm_review){.first_day = first, .last_day = last, .topic = topic};
        g[k].total++;
        g[k].missed += !right[i];
    }
    /* keep groups with a miss; order: most missed, then the earliest day */
    size_t m = 0;
    for (size_t k = 0; k < ng; k++)
        if (g[k].missed)
            g[m++] = g[k];
    for (size_t i = 1; i < m; i++) {
        struct asm_review t = g[i];
        size_t j = i;
        while (j > 0 && (g[j - 1].missed < t.missed ||
                         (g[j - 1].missed == t.missed && g[j - 1].first_day > t.first_day))) {
            g[j] = g[j - 1];
            j--;
        }
        g[j] = t;
    }
    for (size_t i = 0; i < m && i < max; i++)
        out[i] = g[i];
    return m;
}
