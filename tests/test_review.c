/* test_review.c - project reviews, the pure parts: the weighted arithmetic (0-100
 * score, capstone points of 20, pass at 12 and excellence at 18 at their edges, the
 * 2-point spread flag) and reviewer assignment (constraints on random cohorts,
 * brute force agreeing on small ones, mentors as third reviewers, repeats across
 * kinds, determinism, malformed input); a round started off the loop (review_start
 * solving on its own thread, stored from review_tick) on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_project.h"
#include "schedules/review_assign.h"
#include "schedules/review_flow.h"
#include "schedules/review_round.h"
#include "schedules/review_score.h"
#include "tests/testutil.h"

#include <time.h>

/* ---- scoring ------------------------------------------------------------- */

static const struct rev_scale WEIGHTED = {REV_MIDTERM, 4, {30, 25, 25, 20}, 0, 0};
static const struct rev_scale CAPSTONE = {REV_CAPSTONE, 5, {25, 25, 20, 15, 15}, 12, 18};

static void test_weighted(void **st)
{
    (void)st;
    struct rev_result r;
    int all1[] = {1, 1, 1, 1, 1, 1, 1, 1}, all4[] = {4, 4, 4, 4, 4, 4, 4, 4};
    assert_int_equal(rev_score(&WEIGHTED, all1, 2, &r), 0);
    assert_int_equal(r.score10, 0);
    assert_int_equal(rev_score(&WEIGHTED, all4, 2, &r), 0);
    assert_int_equal(r.score10, 1000);
    /* one reviewer all 3s: 66.67 -> 66.6 shown */
    int three[] = {3, 3, 3, 3};
    assert_int_equal(rev_score(&WEIGHTED, three, 1, &r), 0);
    assert_int_equal(r.score10, 666);
    /* means 3.5, 2.5, 3, 2 -> 30*2.5/3 + 25*1.5/3 + 25*2/3 + 20*1/3 = 25+12.5+16.67+6.67 */
    int mix[] = {4, 2, 3, 2, 3, 3, 3, 2};
    assert_int_equal(rev_score(&WEIGHTED, mix, 2, &r), 0);
    assert_int_equal(r.mean10[0], 35);
    assert_int_equal(r.mean10[1], 25);
    assert_int_equal(r.num, 30 * 7 + 25 * 5 + 25 * 6 + 20 * 4);
    assert_int_equal(r.score10, 608); /* 60.83 */
    assert_false(r.flagged);
    /* only architecture at 4, the rest at 1: exactly its weight */
    int arch[] = {4, 1, 1, 1};
    assert_int_equal(rev_score(&WEIGHTED, arch, 1, &r), 0);
    assert_int_equal(r.score10, 300);
}

/* Capstone levels giving exactly `num` = sum w_i * s_i with 2 reviewers. */
static void test_capstone_edges(void **st)
{
    (void)st;
    struct rev_result r;
    /* 12 points with two reviewers needs num = 480, i.e. weighted mean level 2.4:
     * both reviewers: 3,3,2,2,2 -> 25*3+25*3+20*2+15*2+15*2 = 250 each -> 500 (12.5)
     * reviewer A 3,3,2,2,2 (250), B 3,2,2,2,2 (225) -> 475 = 11.875: not passed */
    int below[] = {3, 3, 2, 2, 2, 3, 2, 2, 2, 2};
    assert_int_equal(rev_score(&CAPSTONE, below, 2, &r), 0);
    assert_int_equal(r.num, 475);
    assert_int_equal(r.points10, 118);
    assert_false(r.passed);
    /* A 3,3,2,2,2 (250), B 2,2,2,3,3 (230) -> 480 = exactly 12 */
    int at12[] = {3, 3, 2, 2, 2, 2, 2, 2, 3, 3};
    assert_int_equal(rev_score(&CAPSTONE, at12, 2, &r), 0);
    assert_int_equal(r.num, 480);
    assert_int_equal(r.points10, 120);
    assert_true(r.passed);
    assert_false(r.excellent);
    /* one reviewer: 12 points = num 240: 2,2,4,2,2 is 50+50+80+30+30 = 240;
     * 2,2,3,2,3 is 50+50+60+30+45 = 235 (11.75) */
    int one12[] = {2, 2, 4, 2, 2}, one_below[] = {2, 2, 3, 2, 3};
    assert_int_equal(rev_score(&CAPSTONE, one12, 1, &r), 0);
    assert_true(r.passed);
    assert_int_equal(r.points10, 120);
    assert_int_equal(rev_score(&CAPSTONE, one_below, 1, &r), 0);
    assert_false(r.passed);
    assert_int_equal(r.points10, 117);
    /* 18 points = num 360 per reviewer: 4,4,4,3,3 = 100+100+80+45+45 = 370 (18.5);
     * 4,4,3,4,3 = 100+100+60+60+45 = 365; 4,3,4,4,3 = 100+75+80+60+45 = 360 exactly;
     * 3,4,4,3,4 = 75+100+80+45+60 = 360; 4,3,3,4,4 = 100+75+60+60+60 = 355 */
    int at18[] = {4, 3, 4, 4, 3}, b18[] = {4, 3, 3, 4, 4};
    assert_int_equal(rev_score(&CAPSTONE, at18, 1, &r), 0);
    assert_int_equal(r.points10, 180);
    assert_true(r.excellent);
    assert_int_equal(rev_score(&CAPSTONE, b18, 1, &r), 0);
    assert_int_equal(r.points10, 177);
    assert_true(r.passed);
    assert_false(r.excellent);
    int all4[] = {4, 4, 4, 4, 4}, all1[] = {1, 1, 1, 1, 1};
    assert_int_equal(rev_score(&CAPSTONE, all4, 1, &r), 0);
    assert_int_equal(r.points10, 200);
    assert_int_equal(rev_score(&CAPSTONE, all1, 1, &r), 0);
    assert_int_equal(r.points10, 50);
    assert_false(r.passed);
}

static void test_spread_flag(void **st)
{
    (void)st;
    struct rev_result r;
    int d1[] = {4, 3, 3, 3, 3, 3, 3, 3}; /* spread 1: not flagged */
    assert_int_equal(rev_score(&WEIGHTED, d1, 2, &r), 0);
    assert_false(r.flagged);
    int d2[] = {3, 3, 3, 4, 3, 3, 3, 2}; /* spread 2 on the last criterion */
    assert_int_equal(rev_score(&WEIGHTED, d2, 2, &r), 0);
    assert_true(r.flagged);
    assert_int_equal(r.spread[3], 2);
    assert_true(rev_flagged(4, d2, 2));
    assert_false(rev_flagged(4, d2, 1));
    int d3[] = {1, 3, 3, 3, 4, 3, 3, 3}; /* spread 3 */
    assert_true(rev_flagged(4, d3, 2));
}

static void test_score_malformed(void **st)
{
    (void)st;
    struct rev_result r;
    int bad[] = {0, 3, 3, 3}, big[] = {5, 3, 3, 3}, ok[] = {3, 3, 3, 3};
    assert_int_equal(rev_score(&WEIGHTED, bad, 1, &r), BOT_EINVAL);
    assert_int_equal(rev_score(&WEIGHTED, big, 1, &r), BOT_EINVAL);
    assert_int_equal(rev_score(&WEIGHTED, ok, 0, &r), BOT_EINVAL);
    struct rev_scale w = WEIGHTED;
    w.weight[0] = 31;
    assert_int_equal(rev_score(&w, ok, 1, &r), BOT_EINVAL);
    w = WEIGHTED;
    w.n_criteria = 0;
    assert_int_equal(rev_score(&w, ok, 1, &r), BOT_EINVAL);
}

/* ---- assignment ------------------------------------------------------------ */

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define MAXN 260
struct cohort_inst {
    char names[MAXN][16];
    const char *authors[MAXN];
    struct ra_reviewer rv[MAXN + 8];
    struct ra_history h[4 * MAXN];
    struct ra_input in;
};

/* n learners submitted (learner i is "u<i>"), m mentors, and `kinds` earlier kinds in
 * which a random subset of learners were each reviewed by two random others. */
static void make(struct cohort_inst *c, size_t n, size_t m, int kinds, uint64_t *seed)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < n + m; i++)
        snprintf(c->names[i], sizeof(c->names[i]), i < n ? "u%zu" : "mentor%zu", i);
    for (size_t i = 0; i < n; i++) {
        c->authors[i] = c->names[i];
        c->rv[i] = (struct ra_reviewer){c->names[i], false, RA_LEARNER_CAPACITY};
    }
    for (size_t j = 0; j < m; j++)
        c->rv[n + j] = (struct ra_reviewer){c->names[n + j], true, 3};
    size_t nh = 0;
    for (int k = 0; k < kinds && n >= 3; k++)
        for (size_t a = 0; a < n; a++) {
            if (rnd(seed) % 4 == 0)
                continue;
            size_t x = rnd(seed) % n, y = rnd(seed) % n;
            if (x == a || y == a || x == y)
                continue;
            c->h[nh++] = (struct ra_history){c->names[x], c->names[a], k};
            c->h[nh++] = (struct ra_history){c->names[y], c->names[a], k};
        }
    c->in = (struct ra_input){c->authors, n, c->rv, n + m, c->h, nh, 2, *seed};
}

static void check_rules(const struct ra_input *in, const struct ra_result *r)
{
    int load[MAXN + 8] = {0}, per[MAXN] = {0};
    for (size_t i = 0; i < r->n_picks; i++) {
        const struct ra_pick *p = &r->picks[i];
        assert_true(p->sub < in->n_subs && p->reviewer < in->n_reviewers);
        assert_string_not_equal(in->authors[p->sub], in->reviewers[p->reviewer].id);
        load[p->reviewer]++;
        per[p->sub]++;
        for (size_t j = i + 1; j < r->n_picks; j++)
            assert_false(r->picks[j].sub == p->sub && r->picks[j].reviewer == p->reviewer);
    }
    for (size_t k = 0; k < in->n_reviewers; k++)
        assert_true(load[k] <= in->reviewers[k].capacity);
    size_t empty = 0;
    for (size_t s = 0; s < in->n_subs; s++) {
        assert_true(per[s] <= in->per_sub);
        empty += (size_t)(in->per_sub - per[s]);
    }
    assert_int_equal(empty, r->empty);
}

/* Brute force over every assignment: lexicographic minimum of (empty, mentor slots,
 * repeats), then the fewest pair repeats among those. */
struct bf {
    const struct ra_input *in;
    int load[16];
    struct ra_pick cur[16];
    size_t ncur;
    size_t best[4];
    size_t best_pairs;
};

static bool hist_has(const struct ra_input *in, const char *rev, const char *au, int kind)
{
    for (size_t i = 0; i < in->n_history; i++)
        if (strcmp(in->history[i].reviewer, rev) == 0 && strcmp(in->history[i].author, au) == 0 &&
            (kind < 0 || in->history[i].kind == kind))
            return true;
    return false;
}

/* The figures computed independently of the library. */
static void figures(const struct ra_input *in, const struct ra_pick *p, size_t n, size_t v[4])
{
    v[0] = in->n_subs * (size_t)in->per_sub - n;
    v[1] = v[2] = v[3] = 0;
    for (size_t i = 0; i < n; i++) {
        const char *au = in->authors[p[i].sub], *ri = in->reviewers[p[i].reviewer].id;
        v[1] += in->reviewers[p[i].reviewer].mentor;
        v[2] += hist_has(in, ri, au, -1);
        for (size_t j = i + 1; j < n; j++) {
            if (p[j].sub != p[i].sub)
                continue;
            bool met = false;
            for (int k = 0; k < 3 && !met; k++)
                met =
                    hist_has(in, ri, au, k) && hist_has(in, in->reviewers[p[j].reviewer].id, au, k);
            v[3] += met;
        }
    }
}

static void bf_eval(struct bf *b)
{
    size_t v[4];
    figures(b->in, b->cur, b->ncur, v);
    int cmp = 0;
    for (int i = 0; i < 3 && !cmp; i++)
        cmp = v[i] < b->best[i] ? -1 : v[i] > b->best[i];
    if (cmp < 0 || (cmp == 0 && v[3] < b->best_pairs)) {
        memcpy(b->best, v, 3 * sizeof(v[0]));
        b->best_pairs = v[3];
    }
}

static void bf_rec(struct bf *b, size_t s)
{
    const struct ra_input *in = b->in;
    if (s == in->n_subs) {
        bf_eval(b);
        return;
    }
    size_t nr = in->n_reviewers, base = b->ncur;
    bf_rec(b, s + 1); /* no reviewer */
    for (size_t x = 0; x < nr; x++) {
        if (strcmp(in->reviewers[x].id, in->authors[s]) == 0 ||
            b->load[x] >= in->reviewers[x].capacity)
            continue;
        b->load[x]++;
        b->cur[b->ncur++] = (struct ra_pick){s, x, false};
        bf_rec(b, s + 1); /* one */
        for (size_t y = x + 1; y < nr; y++) {
            if (strcmp(in->reviewers[y].id, in->authors[s]) == 0 ||
                b->load[y] >= in->reviewers[y].capacity)
                continue;
            b->load[y]++;
            b->cur[b->ncur++] = (struct ra_pick){s, y, false};
            bf_rec(b, s + 1);
            b->ncur--;
            b->load[y]--;
        }
        b->ncur = base;
        b->load[x]--;
    }
}

static void test_brute_force(void **st)
{
    (void)st;
    uint64_t seed = 15;
    int pair_diff = 0, cases = 0;
    for (int t = 0; t < 300; t++) {
        static struct cohort_inst c;
        size_t n = 1 + rnd(&seed) % 4, m = rnd(&seed) % 3;
        if (n + m > 6)
            m = 6 - n;
        make(&c, n, m, (int)(rnd(&seed) % 3), &seed);
        struct ra_result r;
        assert_int_equal(ra_assign(&c.in, &r, NULL, 0), 0);
        check_rules(&c.in, &r);
        struct bf b = {.in = &c.in, .best = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, .best_pairs = SIZE_MAX};
        bf_rec(&b, 0);
        assert_int_equal(r.empty, b.best[0]);
        assert_int_equal(r.mentor_slots, b.best[1]);
        assert_int_equal(r.repeats, b.best[2]);
        size_t v[4];
        figures(&c.in, r.picks, r.n_picks, v);
        assert_int_equal(v[0], r.empty);
        assert_int_equal(v[1], r.mentor_slots);
        assert_int_equal(v[2], r.repeats);
        assert_int_equal(v[3], r.pair_repeats);
        pair_diff += r.pair_repeats != b.best_pairs;
        cases++;
        ra_result_free(&r);
    }
    printf("brute force: %d cohorts, pair repeats above the optimum in %d\n", cases, pair_diff);
    /* the pair rule is kept by local swaps after the exact flow: measured 1 case in 300
     * with one pair more than the optimum */
    assert_true(pair_diff <= 3);
}

static void test_random_cohorts(void **st)
{
    (void)st;
    uint64_t seed = 1515;
    for (int t = 0; t < 12; t++) {
        static struct cohort_inst c;
        size_t n = 3 + rnd(&seed) % 250, m = rnd(&seed) % 4;
        make(&c, n, m, (int)(rnd(&seed) % 3), &seed);
        struct ra_result r;
        assert_int_equal(ra_assign(&c.in, &r, NULL, 0), 0);
        check_rules(&c.in, &r);
        /* with 3+ learners every submission gets two learners, no mentor needed */
        assert_int_equal(r.empty, 0);
        assert_int_equal(r.mentor_slots, 0);
        size_t v[4];
        figures(&c.in, r.picks, r.n_picks, v);
        assert_int_equal(v[2], r.repeats);
        assert_int_equal(v[3], r.pair_repeats);
        ra_result_free(&r);
    }
}

static void test_mentors_third(void **st)
{
    (void)st;
    static struct cohort_inst c;
    uint64_t seed = 7;
    /* two learners: each can review only the other; mentors take the second slots */
    make(&c, 2, 2, 0, &seed);
    struct ra_result r;
    assert_int_equal(ra_assign(&c.in, &r, NULL, 0), 0);
    check_rules(&c.in, &r);
    assert_int_equal(r.empty, 0);
    assert_int_equal(r.mentor_slots, 2);
    ra_result_free(&r);
    /* one learner, no mentors: both slots stay empty */
    make(&c, 1, 0, 0, &seed);
    assert_int_equal(ra_assign(&c.in, &r, NULL, 0), 0);
    assert_int_equal(r.empty, 2);
    assert_int_equal(r.n_picks, 0);
    ra_result_free(&r);
    /* three learners: a full cycle of two reviews each, no mentor */
    make(&c, 3, 2, 0, &seed);
    assert_int_equal(ra_assign(&c.in, &r, NULL, 0), 0);
    assert_int_equal(r.mentor_slots, 0);
    assert_int_equal(r.n_picks, 6);
    ra_result_free(&r);
}

/* Five learners reviewed for the mid-term; the final then avoids every repeat. */
static void test_no_repeats_across_kinds(void **st)
{
    (void)st;
    static struct cohort_inst c;
    uint64_t seed = 99;
    make(&c, 5, 0, 0, &seed);
    struct ra_result mid;
    assert_int_equal(ra_assign(&c.in, &mid, NULL, 0), 0);
    assert_int_equal(mid.repeats, 0);
    for (size_t i = 0; i < mid.n_picks; i++)
        c.h[i] =
            (struct ra_history){c.rv[mid.picks[i].reviewer].id, c.authors[mid.picks[i].sub], 0};
    c.in.history = c.h;
    c.in.n_history = mid.n_picks;
    c.in.seed = 1234;
    struct ra_result fin;
    assert_int_equal(ra_assign(&c.in, &fin, NULL, 0), 0);
    check_rules(&c.in, &fin);
    assert_int_equal(fin.repeats, 0); /* 5 learners: 4 others each, 2 used */
    assert_int_equal(fin.pair_repeats, 0);
    ra_result_free(&mid);
    ra_result_free(&fin);
}

static void test_determinism(void **st)
{
    (void)st;
    static struct cohort_inst c, d;
    uint64_t seed = 31, s2 = 31;
    make(&c, 40, 2, 2, &seed);
    make(&d, 40, 2, 2, &s2);
    /* reverse d's arrays: same people, other order */
    for (size_t i = 0; i < 20; i++) {
        const char *t = d.authors[i];
        d.authors[i] = d.authors[39 - i];
        d.authors[39 - i] = t;
    }
    for (size_t i = 0; i < 21; i++) {
        struct ra_reviewer t = d.rv[i];
        d.rv[i] = d.rv[41 - i];
        d.rv[41 - i] = t;
    }
    struct ra_result a, b;
    assert_int_equal(ra_assign(&c.in, &a, NULL, 0), 0);
    assert_int_equal(ra_assign(&d.in, &b, NULL, 0), 0);
    assert_int_equal(a.n_picks, b.n_picks);
    for (size_t i = 0; i < a.n_picks; i++) {
        assert_string_equal(c.authors[a.picks[i].sub], d.authors[b.picks[i].sub]);
        assert_string_equal(c.rv[a.picks[i].reviewer].id, d.rv[b.picks[i].reviewer].id);
    }
    ra_result_free(&a);
    ra_result_free(&b);
}

static void test_assign_malformed(void **st)
{
    (void)st;
    static struct cohort_inst c;
    uint64_t seed = 3;
    make(&c, 4, 1, 0, &seed);
    struct ra_result r;
    char err[200];
    c.rv[1].id = c.rv[0].id;
    assert_int_equal(ra_assign(&c.in, &r, err, sizeof(err)), BOT_EINVAL);
    assert_non_null(strstr(err, "twice"));
    make(&c, 4, 1, 0, &seed);
    c.authors[2] = "";
    assert_int_equal(ra_assign(&c.in, &r, err, sizeof(err)), BOT_EINVAL);
    make(&c, 4, 1, 0, &seed);
    c.in.per_sub = 0;
    assert_int_equal(ra_assign(&c.in, &r, err, sizeof(err)), BOT_EINVAL);
    make(&c, 4, 1, 0, &seed);
    c.rv[0].capacity = -1;
    assert_int_equal(ra_assign(&c.in, &r, err, sizeof(err)), BOT_EINVAL);
    make(&c, 0, 0, 0, &seed);
    assert_int_equal(ra_assign(&c.in, &r, err, sizeof(err)), 0);
    assert_int_equal(r.n_picks, 0);
    ra_result_free(&r);
}

/* ---- a round solved off the loop thread --------------------------------- */

struct told {
    int calls, rc, reviews, subs;
    bool stopping;
};

static void on_done(void *arg, int rc, const struct review_run *run, const char *err, bool stop)
{
    struct told *t = arg;
    (void)err;
    t->calls++;
    t->rc = rc;
    t->stopping = stop;
    if (run) {
        t->reviews = run->reviews;
        t->subs = run->subs;
    }
}

static void submit_n(struct store *st, int64_t cohort, int n)
{
    for (int i = 0; i < n; i++) {
        struct store_proj_sub s = {.cohort_id = cohort, .kind = REV_MIDTERM, .submitted_at = 1};
        snprintf(s.user_id, sizeof(s.user_id), "%d", 700000000 + i);
        snprintf(s.link, sizeof(s.link), "https://example.org/p/%d", i);
        bool replaced;
        assert_int_equal(store_proj_submit(st, &s, &replaced), 0);
    }
}

static void test_round_off_the_loop(void **st_)
{
    (void)st_;
    char path[512], err[BOT_ERR_LEN];
    tu_path(path, sizeof(path), "review-thread.db");
    struct store *st;
    assert_int_equal(store_open(path, &st, err, sizeof(err)), 0);
    struct cohort co = {0};
    snprintf(co.guild_id, sizeof(co.guild_id), "1000000000000000001");
    snprintf(co.curriculum, sizeof(co.curriculum), "data-engineer");
    snprintf(co.start_date, sizeof(co.start_date), "2027-01-04");
    snprintf(co.timezone, sizeof(co.timezone), "UTC");
    snprintf(co.post_time, sizeof(co.post_time), "09:00");
    assert_int_equal(store_cohort_put(st, &co, 1), 0);
    submit_n(st, co.id, 300);
    struct app app = {.store = st};
    struct review_sched *rs = review_new();
    struct told t = {0};
    assert_int_equal(review_start(&app, rs, &co, REV_MIDTERM, 100, true, on_done, &t), 0);
    /* solving: a second start is refused, nothing is stored yet or told before a tick */
    assert_int_equal(review_start(&app, rs, &co, REV_MIDTERM, 100, true, on_done, &t), BOT_EBUSY);
    assert_int_equal(t.calls, 0);
    for (int i = 0; i < 2000 && !t.calls; i++) {
        review_tick(&app, rs, 101); /* no curricula: only reaps */
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(t.calls, 1);
    assert_int_equal(t.rc, 0);
    assert_false(t.stopping);
    assert_int_equal(t.subs, 300);
    assert_int_equal(t.reviews, 600);
    struct store_rev_round rd;
    assert_int_equal(store_rev_round_get(st, co.id, REV_MIDTERM, &rd), 0);
    assert_int_equal(review_start(&app, rs, &co, REV_MIDTERM, 102, true, on_done, &t), BOT_EBUSY);
    /* stopping while one solves: done says so, nothing stored, nothing leaks */
    struct told t2 = {0};
    int kind2 = REV_CAPSTONE;
    for (int i = 0; i < 50; i++) {
        struct store_proj_sub s = {.cohort_id = co.id, .kind = kind2, .submitted_at = 1};
        snprintf(s.user_id, sizeof(s.user_id), "%d", 800000000 + i);
        snprintf(s.link, sizeof(s.link), "https://example.org/c/%d", i);
        bool replaced;
        assert_int_equal(store_proj_submit(st, &s, &replaced), 0);
    }
    assert_int_equal(review_start(&app, rs, &co, kind2, 200, true, on_done, &t2), 0);
    review_free(rs);
    assert_int_equal(t2.calls, 1);
    assert_true(t2.stopping);
    assert_int_equal(store_rev_round_get(st, co.id, kind2, &rd), BOT_ENOTFOUND);
    /* no scheduler state (tools): solved in place, told before review_start returns */
    struct told t3 = {0};
    assert_int_equal(review_start(&app, NULL, &co, kind2, 300, false, on_done, &t3), 0);
    assert_int_equal(t3.calls, 1);
    assert_int_equal(t3.rc, 0);
    assert_int_equal(t3.subs, 50);
    store_close(st);
    tu_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weighted),           cmocka_unit_test(test_capstone_edges),
        cmocka_unit_test(test_spread_flag),        cmocka_unit_test(test_score_malformed),
        cmocka_unit_test(test_brute_force),        cmocka_unit_test(test_random_cohorts),
        cmocka_unit_test(test_mentors_third),      cmocka_unit_test(test_no_repeats_across_kinds),
        cmocka_unit_test(test_determinism),        cmocka_unit_test(test_assign_malformed),
        cmocka_unit_test(test_round_off_the_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
