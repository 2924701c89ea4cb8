/* test_pairing.c - mentor matching: cost terms, slots, CSV, feasibility, maximality,
 * repeats over five rounds, determinism, brute-force optimality, churn, edge cases
 * and malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "bot/tz.h"
#include "schedules/pairing.h"

static const char *const TRACKS[] = {"streaming", "ML platform", "governance and privacy",
                                     "multi-cloud"};
#define N_TRACKS 4
#define DAY0 ((int64_t)tz_days_from_civil(2026, 11, 23) * 86400) /* a Monday, 00:00 UTC */

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rnd_in(uint64_t *s, int lo, int hi) /* inclusive */
{
    return lo + (int)(rnd(s) % (uint64_t)(hi - lo + 1));
}

/* ---- a growable instance with owned id strings -------------------------- */

struct inst {
    struct pair_mentor mr[64];
    struct pair_mentee ee[256];
    struct pair_history h[4096];
    char ids[512][16];
    char hids[4096][2][16];
    size_t n_ids;
    struct pair_input in;
};

static const char *own_id(struct inst *x, const char *fmt, int i)
{
    snprintf(x->ids[x->n_ids], sizeof(x->ids[0]), fmt, i);
    return x->ids[x->n_ids++];
}

static void inst_init(struct inst *x, int round, uint64_t seed)
{
    memset(x, 0, sizeof(*x));
    x->in.tracks = TRACKS;
    x->in.n_tracks = N_TRACKS;
    x->in.mentors = x->mr;
    x->in.mentees = x->ee;
    x->in.history = x->h;
    x->in.round = round;
    x->in.seed = seed;
    x->in.slot_from = DAY0;
}

static struct pair_window rnd_window(uint64_t *s)
{
    static const int offs[] = {-480, -300, 0, 60, 330, 540};
    struct pair_window w = {offs[rnd_in(s, 0, 5)], 0, 0};
    if (rnd_in(s, 0, 2) == 0) {
        w.start_min = rnd_in(s, 0, 80) * 15;
        w.end_min = w.start_min + rnd_in(s, 1, 40) * 15;
        if (w.end_min > 1440)
            w.end_min = 1440;
    }
    return w;
}

static void add_history(struct inst *x, const char *mr, const char *ee, int round)
{
    size_t k = x->in.n_history++;
    snprintf(x->hids[k][0], 16, "%s", mr);
    snprintf(x->hids[k][1], 16, "%s", ee);
    x->h[k] = (struct pair_history){x->hids[k][0], x->hids[k][1], round};
}

/* n mentees, m mentors, capacities 1..maxcap, random tracks, zones and history. */
static void rnd_inst(struct inst *x, uint64_t *s, int n, int m, int maxcap)
{
    inst_init(x, rnd_in(s, 2, 7), rnd(s));
    for (int j = 0; j < m; j++) {
        /* a few people are both mentor and mentee (same id) */
        x->mr[j].id = own_id(x, rnd_in(s, 0, 5) == 0 ? "p%d" : "m%d", j);
        x->mr[j].capacity = rnd_in(s, 1, maxcap);
        x->mr[j].tracks = (uint64_t)rnd_in(s, 1, 15);
        x->mr[j].win = rnd_window(s);
    }
    for (int i = 0; i < n; i++) {
        x->ee[i].id = own_id(x, "p%d", i);
        x->ee[i].interest = rnd_in(s, -1, N_TRACKS - 1);
        x->ee[i].win = rnd_window(s);
    }
    x->in.n_mentors = (size_t)m;
    x->in.n_mentees = (size_t)n;
    int nh = rnd_in(s, 0, 8);
    char mid[16], eid[16];
    for (int k = 0; k < nh; k++) {
        snprintf(mid, sizeof(mid), "%s", m ? x->mr[rnd_in(s, 0, m - 1)].id : "gone");
        snprintf(eid, sizeof(eid), "%s", n ? x->ee[rnd_in(s, 0, n - 1)].id : "gone");
        if (rnd_in(s, 0, 7) == 0)
            snprintf(mid, sizeof(mid), "left%d", k); /* someone who left */
        add_history(x, mid, eid, rnd_in(s, 1, x->in.round - 1));
    }
    x->in.k_best = (size_t)rnd_in(s, 0, 3); /* 0 = default; 1-3 stress the pruning */
}

/* ---- checks --------------------------------------------------------------- */

/* Feasibility and bookkeeping; returns the recomputed total cost. */
static int64_t check_feasible(const struct pair_input *in, const struct pair_result *r)
{
    int load[64] = {0};
    int seen[256] = {0};
    int64_t total = 0;
    size_t repeats = 0;
    assert_int_equal(r->n_assign + r->n_unmatched, in->n_mentees);
    assert_int_equal(r->matched, r->n_assign);
    for (size_t i = 0; i < r->n_assign; i++) {
        const struct pair_assignment *a = &r->assign[i];
        assert_true(a->mentor < in->n_mentors && a->mentee < in->n_mentees);
        assert_string_equal(a->mentor_id, in->mentors[a->mentor].id);
        assert_string_equal(a->mentee_id, in->mentees[a->mentee].id);
        assert_int_equal(seen[a->mentee]++, 0);
        assert_true(++load[a->mentor] <= in->mentors[a->mentor].capacity);
        int64_t c;
        assert_int_equal(pair_edge_cost(in, a->mentor, a->mentee, &c), 0);
        assert_int_equal(c, a->cost);
        total += c;
        repeats += a->repeat;
        assert_true(strlen(a->reason) > 10);
        if (i > 0)
            assert_true(strcmp(r->assign[i - 1].mentor_id, a->mentor_id) <= 0);
    }
    for (size_t i = 0; i < r->n_unmatched; i++)
        assert_int_equal(seen[r->unmatched[i]]++, 0);
    for (size_t j = 0; j < in->n_mentors; j++)
        total += pair_load_cost(load[j]);
    assert_int_equal(total, r->total_cost);
    assert_int_equal(repeats, r->repeats);
    return total;
}

/* Best (matched, cost) over every assignment of mentees to mentors or to nobody. */
static void brute_force(const struct pair_input *in, size_t *best_matched, int64_t *best_cost)
{
    size_t n = in->n_mentees, m = in->n_mentors;
    int64_t cost[8][8];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++)
            if (pair_edge_cost(in, j, i, &cost[i][j]) != 0)
                cost[i][j] = -1; /* same person */
    int choice[8] = {0};
    *best_matched = 0;
    *best_cost = INT64_MAX;
    for (;;) {
        int load[8] = {0};
        size_t matched = 0;
        int64_t c = 0;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            int j = choice[i] - 1;
            if (j < 0)
                continue;
            ok = cost[i][j] >= 0 && ++load[j] <= in->mentors[j].capacity;
            c += cost[i][j];
            matched++;
        }
        for (size_t j = 0; j < m; j++)
            c += pair_load_cost(load[j]);
        if (ok && (matched > *best_matched || (matched == *best_matched && c < *best_cost))) {
            *best_matched = matched;
            *best_cost = c;
        }
        size_t i = 0;
        while (i < n && ++choice[i] > (int)m)
            choice[i++] = 0;
        if (i == n)
            break;
    }
}

static void test_edge_cost_and_load(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    inst_init(x, 10, 1);
    struct pair_window utc = {0, 0, 0}, berlin = {60, 0, 0}, ny = {-300, 0, 0}, tokyo = {540, 0, 0};
    const struct {
        struct pair_window mw, ew;
        uint64_t tracks;
        int interest, met_round;
        int64_t want;
    } cases[] = {
        {utc, utc, 1, 0, 0, 0},                       /* 9 h overlap, track covered */
        {utc, utc, 1, -1, 0, 0},                      /* no stated interest */
        {berlin, ny, 1, 0, 0, 120},                   /* 3 h overlap: 12 quarters short */
        {berlin, ny, 2, 0, 0, 120 + 300},             /* and a track mismatch */
        {tokyo, utc, 1, 0, 0, 240 + 200},             /* no overlap at all */
        {utc, utc, 1, 0, 9, PAIR_REPEAT_BASE + 7000}, /* met last round */
        {utc, utc, 1, 0, 2, PAIR_REPEAT_BASE + 0},    /* met 8 rounds ago */
        {utc, utc, 1, 0, 1, 0},                       /* 9 rounds ago: not a repeat */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        x->mr[0] = (struct pair_mentor){"mentor", cases[i].tracks, 2, cases[i].mw};
        x->ee[0] = (struct pair_mentee){"mentee", cases[i].interest, cases[i].ew};
        x->in.n_mentors = x->in.n_mentees = 1;
        x->in.n_history = 0;
        if (cases[i].met_round)
            add_history(x, "mentor", "mentee", cases[i].met_round);
        int64_t c = -1;
        assert_int_equal(pair_edge_cost(&x->in, 0, 0, &c), 0);
        assert_int_equal(c, cases[i].want);
    }
    x->ee[0].id = "mentor"; /* the same person on both sides */
    int64_t c;
    assert_int_equal(pair_edge_cost(&x->in, 0, 0, &c), BOT_EINVAL);
    assert_int_equal(pair_edge_cost(&x->in, 1, 0, &c), BOT_EINVAL);
    const int64_t loads[] = {0, 0, 30, 90, 180, 300};
    for (int k = 0; k <= 5; k++)
        assert_int_equal(pair_load_cost(k), loads[k]);
    free(x);
}

static void test_slot(void **state)
{
    (void)state;
    struct pair_window utc = {0, 0, 0}, berlin = {60, 0, 0}, ny = {-300, 0, 0}, tokyo = {540, 0, 0},
                       la = {-480, 0, 0}, india = {330, 0, 0}, bad = {0, 600, 600},
                       night = {0, 1320, 1440}, allday = {0, 0, 1440};
    const struct {
        struct pair_window a, b;
        int64_t from;
        int64_t start; /* minutes after DAY0 */
        int overlap;
        bool in_overlap;
    } cases[] = {
        {utc, utc, DAY0, 9 * 60, 540, true},
        {berlin, ny, DAY0, 14 * 60, 180, true},
        {tokyo, la, DAY0, 0, 120, true},                                /* 00:00-02:00 UTC */
        {tokyo, utc, DAY0, 9 * 60, 0, false},                           /* fallback: b's start */
        {utc, utc, DAY0 + 10 * 3600 + 7 * 60, 10 * 60 + 15, 540, true}, /* rounded up */
        {utc, utc, DAY0 + 17 * 3600 + 30 * 60, 33 * 60, 540, true},     /* next day */
        {india, utc, DAY0, 9 * 60, 210, true},
        {night, allday, DAY0, 22 * 60, 120, true},
        {allday, allday, DAY0 + 60, 15, 1440, true},
        {ny, night, DAY0, 22 * 60, 60, true}, /* 14:00-23:00 vs 22:00-24:00 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pair_slot s;
        assert_int_equal(pair_slot(&cases[i].a, &cases[i].b, cases[i].from, &s), 0);
        assert_int_equal(s.overlap_min, cases[i].overlap);
        assert_int_equal(s.in_overlap, cases[i].in_overlap);
        assert_int_equal(s.start, DAY0 + cases[i].start * 60);
    }
    struct pair_slot s;
    assert_int_equal(pair_slot(&bad, &utc, DAY0, &s), BOT_EINVAL);
    struct pair_window far = {900, 0, 0};
    assert_int_equal(pair_slot(&utc, &far, DAY0, &s), BOT_EINVAL);
}

static void test_csv_and_reason(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    inst_init(x, 3, 7);
    x->mr[0] = (struct pair_mentor){"ana,\"the\" lead", 1, 1, {60, 0, 0}};
    x->ee[0] = (struct pair_mentee){"bo", 0, {-300, 0, 0}};
    x->ee[1] = (struct pair_mentee){"cy", -1, {0, 0, 0}};
    x->in.n_mentors = 1;
    x->in.n_mentees = 2;
    add_history(x, "ana,\"the\" lead", "cy", 1);
    struct pair_result r;
    char err[BOT_ERR_LEN] = "";
    assert_int_equal(pair_match(&x->in, &r, err), 0);
    assert_int_equal(r.matched, 1);
    /* bo: 3 h overlap costs 120; cy: a repeat costs 1e9 + 6000, so bo wins */
    assert_string_equal(r.assign[0].mentee_id, "bo");
    assert_string_equal(r.assign[0].reason,
                        "both on streaming, 3 h overlap in working hours, first time meeting");
    assert_int_equal(r.assign[0].slot.start, DAY0 + 14 * 3600);
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(pair_format_csv(&x->in, &r, &b), 0);
    assert_string_equal(buf_str(&b), "mentor_id,mentee_id,cost,reason\n"
                                     "\"ana,\"\"the\"\" lead\",bo,120,\"both on streaming, 3 h "
                                     "overlap in working hours, first time meeting\"\n"
                                     ",cy,,unmatched\n");
    buf_free(&b);
    buf_init(&b, 20);
    assert_int_equal(pair_format_csv(&x->in, &r, &b), BOT_ETOOBIG);
    buf_free(&b);
    pair_result_free(&r);
    free(x);
}

static void test_brute_force(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    uint64_t s = 42;
    for (int it = 0; it < 1500; it++) {
        rnd_inst(x, &s, rnd_in(&s, 0, 6), rnd_in(&s, 0, 4), 3);
        struct pair_result r;
        char err[BOT_ERR_LEN] = "";
        int rc = pair_match(&x->in, &r, err);
        if (rc != 0)
            fail_msg("instance %d: %s", it, err);
        check_feasible(&x->in, &r);
        size_t bm;
        int64_t bc;
        brute_force(&x->in, &bm, &bc);
        assert_int_equal(r.matched, bm);
        assert_int_equal(r.total_cost, bc);
        pair_result_free(&r);
    }
    free(x);
}

/* Mid-size instances: heavy pruning (k_best 1) against no pruning (k_best 64 with at
 * most 40 mentors keeps every pair), so the optimality check and re-solve carry it. */
static void test_pruning_is_exact(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    uint64_t s = 314;
    int resolved = 0;
    for (int it = 0; it < 80; it++) {
        rnd_inst(x, &s, rnd_in(&s, 10, 200), rnd_in(&s, 1, 40), 5);
        struct pair_result pruned, full;
        x->in.k_best = 64;
        assert_int_equal(pair_match(&x->in, &full, NULL), 0);
        assert_int_equal(full.solves, 1);
        x->in.k_best = 1;
        assert_int_equal(pair_match(&x->in, &pruned, NULL), 0);
        check_feasible(&x->in, &pruned);
        assert_int_equal(pruned.matched, full.matched);
        assert_int_equal(pruned.total_cost, full.total_cost);
        resolved += pruned.solves > 1;
        pair_result_free(&pruned);
        pair_result_free(&full);
    }
    /* the check must have found improving pairs and re-solved now and then */
    assert_true(resolved > 0);
    free(x);
}

static void test_maximality_and_capacity(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    uint64_t s = 7;
    for (int it = 0; it < 60; it++) {
        rnd_inst(x, &s, rnd_in(&s, 20, 200), rnd_in(&s, 1, 40), 5);
        for (size_t j = 0; j < x->in.n_mentors; j++)
            x->mr[j].id = own_id(x, "mentor-%d", (int)j); /* nobody on both sides */
        size_t cap = 0;
        for (size_t j = 0; j < x->in.n_mentors; j++)
            cap += (size_t)x->mr[j].capacity;
        struct pair_result r;
        assert_int_equal(pair_match(&x->in, &r, NULL), 0);
        check_feasible(&x->in, &r);
        assert_int_equal(r.matched, cap < x->in.n_mentees ? cap : x->in.n_mentees);
        pair_result_free(&r);
    }
    free(x);
}

/* Runs `rounds` rounds, feeding results into the history; returns total repeats. */
static size_t run_rounds(struct inst *x, int rounds)
{
    size_t repeats = 0;
    for (int round = 1; round <= rounds; round++) {
        x->in.round = round;
        struct pair_result r;
        char err[BOT_ERR_LEN] = "";
        assert_int_equal(pair_match(&x->in, &r, err), 0);
        check_feasible(&x->in, &r);
        if (x->in.n_mentees <= 6 && x->in.n_mentors <= 4) {
            size_t bm;
            int64_t bc;
            brute_force(&x->in, &bm, &bc);
            assert_int_equal(r.total_cost, bc);
            assert_int_equal((size_t)(bc / PAIR_REPEAT_BASE), r.repeats); /* fewest */
        }
        repeats += r.repeats;
        for (size_t i = 0; i < r.n_assign; i++)
            add_history(x, r.assign[i].mentor_id, r.assign[i].mentee_id, round);
        pair_result_free(&r);
    }
    return repeats;
}

static void test_five_rounds_no_avoidable_repeats(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    uint64_t s = 99;
    for (int it = 0; it < 5; it++) {
        /* 10 mentors x capacity 2, 20 mentees: a repeat-free round always exists */
        inst_init(x, 1, rnd(&s));
        for (int j = 0; j < 10; j++)
            x->mr[j] = (struct pair_mentor){own_id(x, "m%d", j), 1u << (j % 4), 2, rnd_window(&s)};
        for (int i = 0; i < 20; i++)
            x->ee[i] = (struct pair_mentee){own_id(x, "e%d", i), i % 4, rnd_window(&s)};
        x->in.n_mentors = 10;
        x->in.n_mentees = 20;
        assert_int_equal(run_rounds(x, 5), 0);
    }
    /* small cohorts where repeats become unavoidable: the fewest, checked by brute
     * force each round */
    for (int it = 0; it < 30; it++) {
        rnd_inst(x, &s, rnd_in(&s, 2, 6), rnd_in(&s, 1, 3), 3);
        x->in.n_history = 0;
        assert_true(run_rounds(x, 5) < 1000);
    }
    free(x);
}

static int same_result(const struct pair_result *a, const struct pair_result *b)
{
    if (a->n_assign != b->n_assign || a->total_cost != b->total_cost)
        return 0;
    for (size_t i = 0; i < a->n_assign; i++)
        if (strcmp(a->assign[i].mentor_id, b->assign[i].mentor_id) ||
            strcmp(a->assign[i].mentee_id, b->assign[i].mentee_id) ||
            strcmp(a->assign[i].reason, b->assign[i].reason))
            return 0;
    return 1;
}

static void test_determinism(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x)), *y = calloc(1, sizeof(*y));
    uint64_t s = 2026;
    rnd_inst(x, &s, 200, 40, 5);
    struct pair_result r1, r2, r3;
    assert_int_equal(pair_match(&x->in, &r1, NULL), 0);
    assert_int_equal(pair_match(&x->in, &r2, NULL), 0);
    assert_true(same_result(&r1, &r2));
    /* the same people in reverse input order: same pairs */
    *y = *x;
    y->in.mentors = y->mr;
    y->in.mentees = y->ee;
    y->in.history = y->h;
    for (size_t i = 0; i < x->in.n_mentees; i++)
        y->ee[i] = x->ee[x->in.n_mentees - 1 - i];
    for (size_t j = 0; j < x->in.n_mentors; j++)
        y->mr[j] = x->mr[x->in.n_mentors - 1 - j];
    assert_int_equal(pair_match(&y->in, &r3, NULL), 0);
    assert_true(same_result(&r1, &r3));
    pair_result_free(&r2);
    pair_result_free(&r3);
    /* other seeds: the same optimum value */
    for (uint64_t seed = 1; seed < 6; seed++) {
        x->in.seed = seed;
        assert_int_equal(pair_match(&x->in, &r2, NULL), 0);
        assert_int_equal(r2.matched, r1.matched);
        assert_int_equal(r2.total_cost, r1.total_cost);
        pair_result_free(&r2);
    }
    pair_result_free(&r1);
    /* all-equal people: every matching ties, and the seed picks among them */
    inst_init(x, 1, 0);
    for (int j = 0; j < 3; j++)
        x->mr[j] = (struct pair_mentor){own_id(x, "m%d", j), 1, 1, {0, 0, 0}};
    for (int i = 0; i < 6; i++)
        x->ee[i] = (struct pair_mentee){own_id(x, "e%d", i), 0, {0, 0, 0}};
    x->in.n_mentors = 3;
    x->in.n_mentees = 6;
    assert_int_equal(pair_match(&x->in, &r1, NULL), 0);
    int differs = 0;
    for (uint64_t seed = 1; seed < 20; seed++) {
        x->in.seed = seed;
        assert_int_equal(pair_match(&x->in, &r2, NULL), 0);
        assert_int_equal(r2.total_cost, r1.total_cost);
        differs += !same_result(&r1, &r2);
        pair_result_free(&r2);
    }
    assert_true(differs > 0);
    pair_result_free(&r1);
    free(x);
    free(y);
}

static void test_churn(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    inst_init(x, 1, 5);
    for (int j = 0; j < 4; j++)
        x->mr[j] = (struct pair_mentor){own_id(x, "m%d", j), 3, 2, {0, 0, 0}};
    for (int i = 0; i < 8; i++)
        x->ee[i] = (struct pair_mentee){own_id(x, "e%d", i), i % 2, {0, 0, 0}};
    x->in.n_mentors = 4;
    x->in.n_mentees = 8;
    assert_int_equal(run_rounds(x, 2), 0);
    /* round 3: mentor m0 and mentee e0 leave; m9 and e9 join (history keeps them) */
    x->mr[0] = (struct pair_mentor){own_id(x, "m%d", 9), 1, 4, {60, 0, 0}};
    x->ee[0] = (struct pair_mentee){own_id(x, "e%d", 9), 0, {-300, 0, 0}};
    struct pair_result r;
    x->in.round = 3;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0);
    check_feasible(&x->in, &r);
    assert_int_equal(r.matched, 8);
    assert_int_equal(r.repeats, 0);
    int newcomer = 0;
    for (size_t i = 0; i < r.n_assign; i++)
        newcomer += strcmp(r.assign[i].mentee_id, "e9") == 0;
    assert_int_equal(newcomer, 1);
    pair_result_free(&r);
    free(x);
}

static void test_edges_of_the_space(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    struct pair_result r;
    inst_init(x, 1, 1);
    assert_int_equal(pair_match(&x->in, &r, NULL), 0); /* nobody at all */
    assert_int_equal(r.matched + r.n_unmatched, 0);
    pair_result_free(&r);
    for (int i = 0; i < 5; i++)
        x->ee[i] = (struct pair_mentee){own_id(x, "e%d", i), -1, {0, 0, 0}};
    x->in.n_mentees = 5;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0); /* zero mentors */
    assert_int_equal(r.matched, 0);
    assert_int_equal(r.n_unmatched, 5);
    assert_string_equal(x->ee[r.unmatched[0]].id, "e0");
    pair_result_free(&r);
    x->mr[0] = (struct pair_mentor){"m0", 1, 1, {0, 0, 0}};
    x->mr[1] = (struct pair_mentor){"m1", 2, 1, {0, 0, 0}};
    x->in.n_mentors = 2;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0); /* capacity exhausted */
    check_feasible(&x->in, &r);
    assert_int_equal(r.matched, 2);
    assert_int_equal(r.n_unmatched, 3);
    pair_result_free(&r);
    x->in.n_mentees = 0;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0); /* zero mentees */
    assert_int_equal(r.matched + r.n_unmatched, 0);
    pair_result_free(&r);
    /* a mentor who is also the only mentee is never paired with themself */
    x->ee[0].id = "m0";
    x->in.n_mentors = 1;
    x->in.n_mentees = 1;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0);
    assert_int_equal(r.matched, 0);
    pair_result_free(&r);
    free(x);
}

/* One small valid instance, spoiled in one way per case. */
static void spoil(struct inst *x, int what)
{
    inst_init(x, 2, 1);
    x->mr[0] = (struct pair_mentor){"m0", 1, 2, {0, 0, 0}};
    x->mr[1] = (struct pair_mentor){"m1", 3, 1, {0, 0, 0}};
    x->ee[0] = (struct pair_mentee){"e0", 0, {0, 0, 0}};
    x->ee[1] = (struct pair_mentee){"e1", -1, {0, 0, 0}};
    x->in.n_mentors = x->in.n_mentees = 2;
    add_history(x, "m0", "e0", 1);
    struct pair_mentor *mr = x->mr;
    struct pair_mentee *ee = x->ee;
    /* clang-format off */
    switch (what) {
    case 0: mr[1].capacity = 0; break;
    case 1: mr[1].capacity = 6; break;
    case 2: mr[1].id = "m0"; break;
    case 3: ee[1].id = "e0"; break;
    case 4: ee[1].id = ""; break;
    case 5: mr[0].id = NULL; break;
    case 6: ee[0].interest = N_TRACKS; break;
    case 7: mr[0].tracks = 1u << N_TRACKS; break;
    case 8: ee[0].win = (struct pair_window){0, 600, 540}; break;
    case 9: mr[0].win = (struct pair_window){-900, 0, 0}; break;
    case 10: x->h[0].round = 2; break;
    case 11: x->in.round = 0; break;
    case 12: x->in.n_tracks = PAIR_MAX_TRACKS + 1; break;
    case 13: x->in.k_best = 1000; break;
    case 14: mr[0].tracks = 0; break;
    case 15: ee[0].id = "an id that is far too long to be a discord snowflake or anything else"; break;
    default: break;
    }
    /* clang-format on */
}

static void test_malformed(void **state)
{
    (void)state;
    struct inst *x = calloc(1, sizeof(*x));
    static const char *const needle[] = {
        "capacity", "capacity", "duplicate mentor", "duplicate mentee", "id",      "id",
        "interest", "tracks",   "window",           "window",           "history", "round",
        "tracks",   "k_best",   "tracks",           "longer than",
    };
    for (int i = 0; i < (int)(sizeof(needle) / sizeof(needle[0])); i++) {
        spoil(x, i);
        struct pair_result r;
        char err[BOT_ERR_LEN] = "";
        assert_int_equal(pair_match(&x->in, &r, err), BOT_EINVAL);
        if (!strstr(err, needle[i]))
            fail_msg("case %d: \"%s\" lacks \"%s\"", i, err, needle[i]);
        assert_null(r.assign);
        assert_int_equal(r.matched, 0);
    }
    spoil(x, -1); /* unspoiled: fine */
    struct pair_result r;
    assert_int_equal(pair_match(&x->in, &r, NULL), 0);
    assert_int_equal(r.matched, 2);
    pair_result_free(&r);
    assert_int_equal(pair_match(NULL, &r, NULL), BOT_EINVAL);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cost_and_load),
        cmocka_unit_test(test_slot),
        cmocka_unit_test(test_csv_and_reason),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_pruning_is_exact),
        cmocka_unit_test(test_maximality_and_capacity),
        cmocka_unit_test(test_five_rounds_no_avoidable_repeats),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_churn),
        cmocka_unit_test(test_edges_of_the_space),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
