/* bench_pairing.c - one matching round at scale: 10,000 mentees and 1,000 mentors
 * (capacities 1-5, random tracks and zones), after four rounds of history produced
 * by the matcher itself. Prints wall time per round, peak RSS and the counts.
 * Usage: bench_pairing [mentees [mentors [seed [k_best]]]] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bot/err.h"
#include "schedules/pairing.h"

static const char *const TRACKS[] = {"streaming", "ML platform", "governance and privacy",
                                     "multi-cloud"};

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct pair_window rnd_window(uint64_t *s)
{
    /* UTC offsets of common zones, in minutes */
    static const int offs[] = {-480, -420, -360, -300, -240, -180, 0,   60,  60,
                               60,   120,  180,  240,  330,  480,  540, 600, 660};
    struct pair_window w = {offs[rnd(s) % (sizeof(offs) / sizeof(offs[0]))], 0, 0};
    if (rnd(s) % 4 == 0) { /* a quarter keep their own hours */
        w.start_min = (int)(6 * 60 + 15 * (rnd(s) % 24));
        w.end_min = w.start_min + (int)(60 * (4 + rnd(s) % 6));
    }
    return w;
}

static int add_round(struct pair_history **h, size_t *n, size_t *cap, const struct pair_result *r,
                     int round)
{
    if (*n + r->n_assign > *cap) {
        size_t c = (*n + r->n_assign) * 2;
        struct pair_history *p = realloc(*h, c * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        *h = p;
        *cap = c;
    }
    for (size_t i = 0; i < r->n_assign; i++)
        (*h)[(*n)++] = (struct pair_history){r->assign[i].mentor_id, r->assign[i].mentee_id, round};
    return 0;
}

static size_t make_people(size_t n, size_t m, uint64_t *s, struct pair_mentor *mr,
                          struct pair_mentee *ee, char (*ids)[24])
{
    size_t cap_total = 0;
    for (size_t j = 0; j < m; j++) {
        snprintf(ids[j], sizeof(ids[j]), "m%zu", j);
        uint64_t t = 1 + rnd(s) % 15;
        mr[j] = (struct pair_mentor){ids[j], t, (int)(1 + rnd(s) % 5), rnd_window(s)};
        cap_total += (size_t)mr[j].capacity;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[m + i], sizeof(ids[0]), "e%zu", i);
        ee[i] = (struct pair_mentee){ids[m + i], (int)(rnd(s) % 5) - 1, rnd_window(s)};
    }
    return cap_total;
}

/* Five rounds, each fed the earlier ones' pairs as history; returns round 5's time
 * in seconds, or -1. */
static double run_rounds(struct pair_input *in, uint64_t *s, struct pair_result *r,
                         struct pair_history **h)
{
    size_t nh = 0, hcap = 0;
    double last = -1;
    for (int round = 1; round <= 5; round++) {
        in->round = round;
        in->seed = rnd(s);
        in->history = *h;
        in->n_history = nh;
        char err[BOT_ERR_LEN] = "";
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        int rc = pair_match(in, &r[round - 1], err);
        last = clock_s(CLOCK_MONOTONIC) - t0;
        double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (rc != 0) {
            fprintf(stderr, "round %d: %s (%s)\n", round, bot_strerror(rc), err);
            return -1;
        }
        const struct pair_result *x = &r[round - 1];
        printf("round %d: history=%zu wall=%.3f s cpu=%.3f s matched=%zu unmatched=%zu repeats=%zu "
               "total_cost=%" PRId64 " edges=%zu solves=%d phases=%ld\n",
               round, nh, last, cpu, x->matched, x->n_unmatched, x->repeats, x->total_cost,
               x->edges, x->solves, x->phases);
        if (round < 5 && add_round(h, &nh, &hcap, x, round) != 0)
            return -1;
    }
    return last;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    size_t m = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    uint64_t s = argc > 3 ? strtoull(argv[3], NULL, 10) : 20261124;
    size_t k_best = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
    struct pair_mentor *mr = calloc(m ? m : 1, sizeof(*mr));
    struct pair_mentee *ee = calloc(n ? n : 1, sizeof(*ee));
    char(*ids)[24] = calloc(n + m + 1, sizeof(*ids));
    if (!mr || !ee || !ids)
        return 1;
    size_t cap_total = make_people(n, m, &s, mr, ee, ids);
    struct pair_input in = {.tracks = TRACKS,
                            .n_tracks = 4,
                            .mentors = mr,
                            .n_mentors = m,
                            .mentees = ee,
                            .n_mentees = n,
                            .slot_from = 1795392000,
                            .k_best = k_best};
    printf("mentees=%zu mentors=%zu total_capacity=%zu\n", n, m, cap_total);
    struct pair_result r[5];
    memset(r, 0, sizeof(r));
    struct pair_history *h = NULL;
    double last = run_rounds(&in, &s, r, &h);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (last >= 0)
        printf("round 5 (four rounds of history): %.3f s; peak RSS %.1f MB (whole process)\n", last,
               (double)ru.ru_maxrss / 1024.0);
    for (int i = 0; i < 5; i++)
        pair_result_free(&r[i]);
    free(h);
    free(ids);
    free(ee);
    free(mr);
    return last >= 0 ? 0 : 1;
}
