/* pairing.c - one round of mentor matching (see pairing.h).
 *
 * Model: a flow network s -> mentee (cap 1, cost 0) -> mentor (cap 1, pair cost)
 * -> t (capacity parallel arcs of cost PAIR_LOAD_STEP * (k - 1): the convex load
 * cost), plus mentee -> t "unmatched" (cap 1, SKIP_COST). Every mentee sends one
 * unit, so a min-cost flow is exactly the lexicographic optimum of pairing.h:
 * SKIP_COST exceeds the pair and load costs of any whole matching, so one more
 * matched mentee always wins, and PAIR_REPEAT_BASE exceeds every other term of a
 * whole matching, so a repeat happens only when needed to match someone.
 *
 * Pruning and exactness: the network holds, per mentee, its k_best cheapest mentors
 * and, per mentor, its 2 * capacity + 2 cheapest mentees (equal costs ordered by a
 * seeded pair hash, so ties spread). After solving, every pair left out is priced
 * against the flow's potentials (tightened first, see tighten()); a pair with a
 * negative reduced cost could improve the flow, so the best such pairs are added,
 * saturated, and the imbalance they leave is repaired along shortest paths (see
 * repair()), until no pair is left. The final flow then meets the optimality
 * conditions of the complete network (potentials with no negative reduced cost on
 * any residual arc, present or left out): the result is exact over all pairs, not
 * just the candidates. Ties: people are ranked by a seeded hash of their id and the
 * arcs are laid out in that order, which decides among equal-cost optima only;
 * input order does not matter. Pricing a whole row of mentors for one mentee
 * evaluates each class of alike mentors once (mentor_classes()). */
#include "schedules/pairing.h"
#include "schedules/pairing_cost.h"
#include "schedules/pairing_flow.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_K 12
#define MENTOR_KEEP (2 * PAIR_MAX_CAPACITY + 2)
#define SKIP_COST 1000000000000000LL /* > PAIR_MAX_PEOPLE * max pair + load cost */
#define NONE SIZE_MAX
#define TIE_BITS 12 /* candidate keys: cost << TIE_BITS | seeded pair hash */
#define TIE_MASK ((1u << TIE_BITS) - 1)

struct idref {
    const char *id;
    size_t idx;
};

struct ranked {
    uint64_t h;
    const char *id;
    size_t idx;
};

struct edge {
    uint32_t ee, mr; /* canonical ranks of mentee and mentor */
    int64_t cost;
    long arc;
};

struct hrec {
    size_t mentor; /* mentor input index */
    int round;
};

struct ctx {
    const struct pair_input *in;
    size_t n, m, k;
    struct idref *ee_ids, *mr_ids;   /* sorted by id */
    size_t *ee_of_rank, *mr_of_rank; /* rank -> input index */
    struct pair_uwin *ee_win, *mr_win;
    size_t *self;    /* mentee index -> mentor index with the same id, or NONE */
    size_t *h_start; /* n + 1, by mentee input index */
    struct hrec *h;
    int *last_met;    /* scratch, by mentor input index */
    uint32_t *stamp;  /* scratch, by mentor rank */
    size_t *mr_rank;  /* mentor input index -> rank */
    uint32_t *mr_cls; /* mentor rank -> class: mentors alike in window and tracks */
    struct pair_uwin *cls_win;
    uint64_t *cls_tracks;
    size_t n_cls;
    int64_t *cls_cost, *row; /* scratch: by class, by mentor rank */
    struct edge *e;
    size_t n_e, cap_e;
};

static void set_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, BOT_ERR_LEN, fmt, ap);
    va_end(ap);
}

static void ctx_free(struct ctx *c)
{
    free(c->ee_ids);
    free(c->mr_ids);
    free(c->ee_of_rank);
    free(c->mr_of_rank);
    free(c->ee_win);
    free(c->mr_win);
    free(c->self);
    free(c->h_start);
    free(c->h);
    free(c->last_met);
    free(c->stamp);
    free(c->mr_rank);
    free(c->mr_cls);
    free(c->cls_win);
    free(c->cls_tracks);
    free(c->cls_cost);
    free(c->row);
    free(c->e);
}

/* ---- validation ---------------------------------------------------------- */

static int cmp_idref(const void *a, const void *b)
{
    return strcmp(((const struct idref *)a)->id, ((const struct idref *)b)->id);
}

/* Sorted id index; BOT_EINVAL on a duplicate. */
static int index_ids(struct idref **out, size_t n, const void *base, size_t stride,
                     const char *what, char *err)
{
    *out = malloc((n ? n : 1) * sizeof(**out));
    if (!*out)
        return BOT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        (*out)[i].id = *(const char *const *)((const char *)base + i * stride);
        (*out)[i].idx = i;
    }
    qsort(*out, n, sizeof(**out), cmp_idref);
    for (size_t i = 1; i < n; i++)
        if (strcmp((*out)[i - 1].id, (*out)[i].id) == 0) {
            set_err(err, "duplicate %s id %s", what, (*out)[i].id);
            return BOT_EINVAL;
        }
    return 0;
}

static size_t find_id(const struct idref *ids, size_t n, const char *id)
{
    if (!id || n == 0)
        return NONE;
    struct idref key = {id, 0};
    const struct idref *hit = bsearch(&key, ids, n, sizeof(*ids), cmp_idref);
    return hit ? hit->idx : NONE;
}

static int validate(struct ctx *c, char *err)
{
    const struct pair_input *in = c->in;
    int rc = pair_check_input(in, err);
    if (rc == 0)
        rc = index_ids(&c->mr_ids, in->n_mentors, &in->mentors[0].id, sizeof(struct pair_mentor),
                       "mentor", err);
    if (rc == 0)
        rc = index_ids(&c->ee_ids, in->n_mentees, &in->mentees[0].id, sizeof(struct pair_mentee),
                       "mentee", err);
    return rc;
}

/* ---- preparation: ranks, windows, history -------------------------------- */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t id_hash(const char *id, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return mix64(h ^ mix64(seed + 0x9e3779b97f4a7c15ULL));
}

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int rank_people(size_t **of_rank, const struct idref *ids, size_t n, uint64_t seed)
{
    struct ranked *r = malloc((n ? n : 1) * sizeof(*r));
    *of_rank = malloc((n ? n : 1) * sizeof(**of_rank));
    if (!r || !*of_rank) {
        free(r);
        return BOT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){id_hash(ids[i].id, seed), ids[i].id, ids[i].idx};
    qsort(r, n, sizeof(*r), cmp_ranked);
    for (size_t i = 0; i < n; i++)
        (*of_rank)[i] = r[i].idx;
    free(r);
    return 0;
}

static int load_history(struct ctx *c)
{
    const struct pair_input *in = c->in;
    size_t *row_ee = malloc((in->n_history ? in->n_history : 1) * sizeof(*row_ee));
    c->h_start = calloc(c->n + 1, sizeof(*c->h_start));
    c->h = malloc((in->n_history ? in->n_history : 1) * sizeof(*c->h));
    if (!row_ee || !c->h_start || !c->h) {
        free(row_ee);
        return BOT_ENOMEM;
    }
    for (size_t i = 0; i < in->n_history; i++) {
        size_t mr = find_id(c->mr_ids, c->m, in->history[i].mentor_id);
        size_t ee = find_id(c->ee_ids, c->n, in->history[i].mentee_id);
        row_ee[i] = (mr == NONE) ? NONE : ee; /* people who left are ignored */
        if (row_ee[i] != NONE)
            c->h_start[ee + 1]++;
    }
    for (size_t i = 0; i < c->n; i++)
        c->h_start[i + 1] += c->h_start[i];
    size_t *fill = malloc((c->n ? c->n : 1) * sizeof(*fill));
    if (!fill) {
        free(row_ee);
        return BOT_ENOMEM;
    }
    memcpy(fill, c->h_start, c->n * sizeof(*fill));
    for (size_t i = 0; i < in->n_history; i++)
        if (row_ee[i] != NONE)
            c->h[fill[row_ee[i]]++] = (struct hrec){
                find_id(c->mr_ids, c->m, in->history[i].mentor_id), in->history[i].round};
    free(fill);
    free(row_ee);
    return 0;
}

struct cls_key {
    struct pair_uwin w;
    uint64_t tracks;
    size_t q;
};

static int cmp_cls(const void *a, const void *b)
{
    const struct cls_key *x = a, *y = b;
    if (x->w.start != y->w.start)
        return x->w.start < y->w.start ? -1 : 1;
    if (x->w.len != y->w.len)
        return x->w.len < y->w.len ? -1 : 1;
    if (x->tracks != y->tracks)
        return x->tracks < y->tracks ? -1 : 1;
    return (x->q > y->q) - (x->q < y->q);
}

/* Groups mentors with the same window and tracks: their pair costs differ only by
 * history, so a mentee's row of costs needs one evaluation per class. */
static int mentor_classes(struct ctx *c)
{
    size_t m = c->m;
    struct cls_key *k = malloc((m ? m : 1) * sizeof(*k));
    c->mr_cls = malloc((m ? m : 1) * sizeof(*c->mr_cls));
    c->cls_win = malloc((m ? m : 1) * sizeof(*c->cls_win));
    c->cls_tracks = malloc((m ? m : 1) * sizeof(*c->cls_tracks));
    c->cls_cost = malloc((m ? m : 1) * sizeof(*c->cls_cost));
    c->row = malloc((m ? m : 1) * sizeof(*c->row));
    if (!k || !c->mr_cls || !c->cls_win || !c->cls_tracks || !c->cls_cost || !c->row) {
        free(k);
        return BOT_ENOMEM;
    }
    for (size_t q = 0; q < m; q++) {
        size_t j = c->mr_of_rank[q];
        k[q] = (struct cls_key){c->mr_win[j], c->in->mentors[j].tracks, q};
    }
    if (m > 1)
        qsort(k, m, sizeof(*k), cmp_cls);
    for (size_t x = 0; x < m; x++) {
        if (x == 0 || cmp_cls(&(struct cls_key){k[x].w, k[x].tracks, 0},
                              &(struct cls_key){k[x - 1].w, k[x - 1].tracks, 0}) != 0) {
            c->cls_win[c->n_cls] = k[x].w;
            c->cls_tracks[c->n_cls++] = k[x].tracks;
        }
        c->mr_cls[k[x].q] = (uint32_t)(c->n_cls - 1);
    }
    free(k);
    return 0;
}

static int prepare(struct ctx *c)
{
    const struct pair_input *in = c->in;
    size_t n = c->n, m = c->m;
    c->k = in->k_best ? in->k_best : DEFAULT_K;
    c->ee_win = malloc((n ? n : 1) * sizeof(*c->ee_win));
    c->mr_win = malloc((m ? m : 1) * sizeof(*c->mr_win));
    c->self = malloc((n ? n : 1) * sizeof(*c->self));
    c->last_met = calloc(m ? m : 1, sizeof(*c->last_met));
    c->stamp = calloc(m ? m : 1, sizeof(*c->stamp));
    if (!c->ee_win || !c->mr_win || !c->self || !c->last_met || !c->stamp)
        return BOT_ENOMEM;
    if (rank_people(&c->ee_of_rank, c->ee_ids, n, in->seed) != 0 ||
        rank_people(&c->mr_of_rank, c->mr_ids, m, in->seed ^ 0x5bd1e995ULL) != 0 ||
        load_history(c) != 0)
        return BOT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        pair_window_resolve(&in->mentees[i].win, &c->ee_win[i]);
        c->self[i] = find_id(c->mr_ids, m, in->mentees[i].id);
    }
    for (size_t j = 0; j < m; j++)
        pair_window_resolve(&in->mentors[j].win, &c->mr_win[j]);
    c->mr_rank = malloc((m ? m : 1) * sizeof(*c->mr_rank));
    if (!c->mr_rank)
        return BOT_ENOMEM;
    for (size_t q = 0; q < m; q++)
        c->mr_rank[c->mr_of_rank[q]] = q;
    return mentor_classes(c);
}

static void mark_history(struct ctx *c, size_t ee, bool set)
{
    for (size_t x = c->h_start[ee]; x < c->h_start[ee + 1]; x++) {
        int *slot = &c->last_met[c->h[x].mentor];
        if (!set)
            *slot = 0;
        else if (c->h[x].round > *slot)
            *slot = c->h[x].round;
    }
}

static int64_t cost_of(const struct ctx *c, size_t mr, size_t ee)
{
    const struct pair_mentor *p = &c->in->mentors[mr];
    return pair_cost_terms(&c->mr_win[mr], &c->ee_win[ee], p->tracks, c->in->mentees[ee].interest,
                           c->in->round, c->last_met[mr]);
}

/* Fills c->row[q] with the pair cost of every mentor (by rank) for mentee `ee`, or
 * -1 where the mentor is the mentee themself. */
static void price_row(struct ctx *c, size_t ee)
{
    const struct pair_uwin *w = &c->ee_win[ee];
    int interest = c->in->mentees[ee].interest, round = c->in->round;
    for (size_t k = 0; k < c->n_cls; k++)
        c->cls_cost[k] = pair_cost_terms(&c->cls_win[k], w, c->cls_tracks[k], interest, round, 0);
    for (size_t q = 0; q < c->m; q++)
        c->row[q] = c->cls_cost[c->mr_cls[q]];
    mark_history(c, ee, true);
    for (size_t x = c->h_start[ee]; x < c->h_start[ee + 1]; x++) {
        size_t j = c->h[x].mentor, q = c->mr_rank[j];
        c->row[q] = pair_cost_terms(&c->cls_win[c->mr_cls[q]], w, c->cls_tracks[c->mr_cls[q]],
                                    interest, round, c->last_met[j]);
    }
    mark_history(c, ee, false);
    if (c->self[ee] != NONE)
        c->row[c->mr_rank[c->self[ee]]] = -1;
}

/* ---- candidate edges ----------------------------------------------------- */

static int add_edge(struct ctx *c, uint32_t ee, uint32_t mr, int64_t cost)
{
    if (c->n_e == c->cap_e) {
        size_t cap = c->cap_e ? 2 * c->cap_e : 1024;
        struct edge *e = realloc(c->e, cap * sizeof(*e));
        if (!e)
            return BOT_ENOMEM;
        c->e = e;
        c->cap_e = cap;
    }
    c->e[c->n_e++] = (struct edge){ee, mr, cost, -1};
    return 0;
}

/* Keeps the `k` smallest keys (ties: first come) in ascending order. */
static void keep_best(int64_t *key, uint32_t *val, size_t *cnt, size_t k, int64_t nk, uint32_t nv)
{
    if (*cnt == k && nk >= key[k - 1])
        return;
    size_t i = *cnt < k ? (*cnt)++ : k - 1;
    while (i > 0 && key[i - 1] > nk) {
        key[i] = key[i - 1];
        val[i] = val[i - 1];
        i--;
    }
    key[i] = nk;
    val[i] = nv;
}

static int candidates(struct ctx *c)
{
    size_t n = c->n, m = c->m;
    int64_t kkey[PAIR_MAX_K];
    uint32_t kval[PAIR_MAX_K];
    int64_t *mkey = malloc((m ? m : 1) * MENTOR_KEEP * sizeof(*mkey));
    uint32_t *mval = malloc((m ? m : 1) * MENTOR_KEEP * sizeof(*mval));
    size_t *mcnt = calloc(m ? m : 1, sizeof(*mcnt));
    int rc = (!mkey || !mval || !mcnt) ? BOT_ENOMEM : 0;
    uint64_t salt = mix64(c->in->seed ^ 0x2545f4914f6cdd1dULL);
    for (size_t r = 0; rc == 0 && r < n; r++) {
        size_t cnt = 0;
        price_row(c, c->ee_of_rank[r]);
        for (size_t q = 0; q < m; q++) {
            if (c->row[q] < 0)
                continue;
            /* equal costs are ordered by a seeded hash of the pair, so that ties
             * spread over many people instead of crowding the same few */
            int64_t key = c->row[q] << TIE_BITS | (int64_t)(mix64(salt ^ (r << 32 | q)) & TIE_MASK);
            keep_best(kkey, kval, &cnt, c->k, key, (uint32_t)q);
            size_t keep = (size_t)(2 * c->in->mentors[c->mr_of_rank[q]].capacity + 2);
            if (mcnt[q] < keep || key < mkey[q * MENTOR_KEEP + keep - 1])
                keep_best(mkey + q * MENTOR_KEEP, mval + q * MENTOR_KEEP, &mcnt[q], keep, key,
                          (uint32_t)r);
        }
        for (size_t x = 0; rc == 0 && x < cnt; x++)
            rc = add_edge(c, (uint32_t)r, kval[x], kkey[x] >> TIE_BITS);
    }
    for (size_t q = 0; rc == 0 && q < m; q++)
        for (size_t x = 0; rc == 0 && x < mcnt[q]; x++)
            rc = add_edge(c, mval[q * MENTOR_KEEP + x], (uint32_t)q,
                          mkey[q * MENTOR_KEEP + x] >> TIE_BITS);
    free(mkey);
    free(mval);
    free(mcnt);
    return rc;
}

static int cmp_edge(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->ee != y->ee)
        return x->ee < y->ee ? -1 : 1;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return (x->mr > y->mr) - (x->mr < y->mr);
}

static void sort_edges(struct ctx *c)
{
    if (c->n_e > 1)
        qsort(c->e, c->n_e, sizeof(*c->e), cmp_edge);
    size_t w = 0;
    for (size_t i = 0; i < c->n_e; i++) /* duplicates are adjacent after the sort */
        if (w == 0 || c->e[w - 1].ee != c->e[i].ee || c->e[w - 1].mr != c->e[i].mr)
            c->e[w++] = c->e[i];
    c->n_e = w;
}

/* ---- solving ------------------------------------------------------------- */

static struct pair_flow *build_network(struct ctx *c)
{
    size_t n = c->n, m = c->m;
    int t = (int)(n + m + 1);
    /* nodes: s, mentees, mentors, t, then s2 and t2 for repairs */
    struct pair_flow *f = pair_flow_new(t + 3, 2 * n + c->n_e + PAIR_MAX_CAPACITY * m);
    if (!f)
        return NULL;
    long ok = 0;
    for (size_t r = 0; r < n && ok >= 0; r++)
        ok = pair_flow_add_arc(f, 0, (int)(1 + r), 1, 0);
    size_t x = 0;
    for (size_t r = 0; r < n && ok >= 0; r++) {
        for (; x < c->n_e && c->e[x].ee == r && ok >= 0; x++) {
            ok = pair_flow_add_arc(f, (int)(1 + r), (int)(1 + n + c->e[x].mr), 1, c->e[x].cost);
            c->e[x].arc = ok;
        }
        if (ok >= 0)
            ok = pair_flow_add_arc(f, (int)(1 + r), t, 1, SKIP_COST);
    }
    for (size_t q = 0; q < m && ok >= 0; q++) {
        int cap = c->in->mentors[c->mr_of_rank[q]].capacity;
        for (int k = 1; k <= cap && ok >= 0; k++)
            ok = pair_flow_add_arc(f, (int)(1 + n + q), t, 1, (int64_t)PAIR_LOAD_STEP * (k - 1));
    }
    if (ok < 0) {
        pair_flow_free(f);
        return NULL;
    }
    return f;
}

/* Prices every pair missing from the network; adds, per mentee, up to k of those
 * with negative reduced cost. Returns how many were added, or BOT_ENOMEM. */
static long add_improving(struct ctx *c, const int64_t *pot)
{
    size_t n = c->n, m = c->m, x = 0, n_before = c->n_e;
    int64_t kkey[PAIR_MAX_K];
    uint32_t kval[PAIR_MAX_K];
    for (size_t r = 0; r < n; r++) {
        size_t cnt = 0;
        for (; x < n_before && c->e[x].ee == r; x++)
            c->stamp[c->e[x].mr] = (uint32_t)(r + 1);
        int64_t pi = pot[1 + r];
        price_row(c, c->ee_of_rank[r]);
        for (size_t q = 0; q < m; q++) {
            int64_t gap = pi - pot[1 + n + q];
            if (gap >= 0 || c->stamp[q] == r + 1 || c->row[q] < 0) /* costs are >= 0 */
                continue;
            int64_t rcost = c->row[q] + gap;
            if (rcost < 0)
                keep_best(kkey, kval, &cnt, c->k, rcost, (uint32_t)q);
        }
        for (size_t y = 0; y < cnt; y++) /* cost = reduced cost - price gap */
            if (add_edge(c, (uint32_t)r, kval[y], kkey[y] - (pi - pot[1 + n + kval[y]])) != 0)
                return BOT_ENOMEM;
    }
    memset(c->stamp, 0, (m ? m : 1) * sizeof(*c->stamp));
    return (long)(c->n_e - n_before);
}

/* The flow's potentials are valid but loose; the optimality check is sharper with
 * tight ones. Each mentor's price is lowered to the largest lower bound its residual
 * out-arcs allow (a free load arc to t, reverse arcs to its mentees), then each
 * mentee's is raised to the one upper bound its residual in-arc allows (from its
 * mentor, or from t through its "unmatched" arc). Arcs only gain reduced cost from
 * these moves except the bounding ones, which stay >= 0, so the result is valid. */
static void tighten(const struct ctx *c, const size_t *mate, const int *load, int64_t *pot)
{
    size_t n = c->n, m = c->m, t = n + m + 1;
    for (size_t q = 0; q < m; q++) {
        int cap = c->in->mentors[c->mr_of_rank[q]].capacity;
        if (load[q] < cap)
            pot[1 + n + q] = pot[t] - (int64_t)PAIR_LOAD_STEP * load[q];
        else
            pot[1 + n + q] = INT64_MIN;
    }
    for (size_t r = 0; r < n; r++)
        if (mate[r] != NONE) {
            const struct edge *e = &c->e[mate[r]];
            if (pot[1 + r] + e->cost > pot[1 + n + e->mr])
                pot[1 + n + e->mr] = pot[1 + r] + e->cost;
        }
    for (size_t r = 0; r < n; r++) {
        const struct edge *e = mate[r] != NONE ? &c->e[mate[r]] : NULL;
        pot[1 + r] = e ? pot[1 + n + e->mr] - e->cost : pot[t] - SKIP_COST;
    }
}

/* Reads the flow: mate[mentee rank] = edge index or NONE, load[mentor rank]. */
static void read_flow(const struct ctx *c, const struct pair_flow *f, size_t *mate, int *load)
{
    for (size_t r = 0; r < c->n; r++)
        mate[r] = NONE;
    memset(load, 0, (c->m ? c->m : 1) * sizeof(*load));
    for (size_t x = 0; x < c->n_e; x++)
        if (pair_flow_arc_flow(f, c->e[x].arc) > 0) {
            assert(mate[c->e[x].ee] == NONE); /* one unit per mentee */
            mate[c->e[x].ee] = x;
            load[c->e[x].mr]++;
        }
    for (size_t q = 0; q < c->m; q++)
        assert(load[q] <= c->in->mentors[c->mr_of_rank[q]].capacity);
}

/* Adds the pairs from edge index `from` on, which have negative reduced cost under
 * `pot`, and restores optimality: each is saturated (its mentor gains an excess, its
 * mentee a deficit), which leaves every residual reduced cost >= 0, and shortest
 * paths then carry the excesses to the deficits through a source s2 and a sink t2. */
static int repair(struct ctx *c, struct pair_flow *f, int64_t *pot, size_t from, int *excess,
                  int *deficit, long *phases)
{
    size_t n = c->n, m = c->m;
    int s2 = (int)(n + m + 2), t2 = s2 + 1;
    memset(excess, 0, (m ? m : 1) * sizeof(*excess));
    memset(deficit, 0, (n ? n : 1) * sizeof(*deficit));
    pot[s2] = INT64_MIN;
    pot[t2] = INT64_MAX;
    for (size_t x = from; x < c->n_e; x++) {
        struct edge *e = &c->e[x];
        e->arc = pair_flow_add_arc(f, (int)(1 + e->ee), (int)(1 + n + e->mr), 1, e->cost);
        if (e->arc < 0)
            return (int)e->arc;
        pair_flow_saturate(f, e->arc);
        excess[e->mr]++;
        deficit[e->ee]++;
        if (pot[1 + n + e->mr] > pot[s2])
            pot[s2] = pot[1 + n + e->mr];
        if (pot[1 + e->ee] < pot[t2])
            pot[t2] = pot[1 + e->ee];
    }
    long ok = 0;
    for (size_t q = 0; q < m && ok >= 0; q++)
        if (excess[q])
            ok = pair_flow_add_arc(f, s2, (int)(1 + n + q), excess[q], 0);
    for (size_t r = 0; r < n && ok >= 0; r++)
        if (deficit[r])
            ok = pair_flow_add_arc(f, (int)(1 + r), t2, deficit[r], 0);
    int rc = ok < 0 ? (int)ok : pair_flow_set_potentials(f, pot);
    /* every excess reaches a deficit (the saturated pairs' reverse arcs are paths);
     * read_flow asserts the balance that this restores */
    return rc == 0 ? pair_flow_solve(f, s2, t2, phases) : rc;
}

/* Solves on the candidates, then prices every missing pair against the (tightened)
 * potentials and repairs with the improving ones until none is left. Fills
 * match[mentee index] with the mentor index or NONE. */
static int solve(struct ctx *c, size_t *match, struct pair_result *out)
{
    size_t nodes = c->n + c->m + 4;
    size_t *mate = malloc((c->n ? c->n : 1) * sizeof(*mate));
    int *load = malloc((c->m ? c->m : 1) * sizeof(*load));
    int *deficit = malloc((c->n ? c->n : 1) * sizeof(*deficit));
    int64_t *pot = malloc(nodes * sizeof(*pot));
    struct pair_flow *f = NULL;
    long rc = (!mate || !load || !deficit || !pot) ? BOT_ENOMEM : 0;
    if (rc == 0) {
        sort_edges(c);
        f = build_network(c);
        rc = f ? pair_flow_solve(f, 0, (int)(c->n + c->m + 1), &out->phases) : BOT_ENOMEM;
    }
    for (out->solves = 1; rc == 0; out->solves++) {
        read_flow(c, f, mate, load);
        memcpy(pot, pair_flow_potentials(f), nodes * sizeof(*pot));
        tighten(c, mate, load, pot);
        size_t before = c->n_e;
        rc = add_improving(c, pot);
        if (rc <= 0)
            break;
        long phases = 0;
        rc = repair(c, f, pot, before, load, deficit, &phases);
        out->phases += phases;
        sort_edges(c); /* edges keep their arcs; add_improving wants them grouped */
    }
    for (size_t r = 0; rc == 0 && r < c->n; r++)
        match[c->ee_of_rank[r]] = mate[r] == NONE ? NONE : c->mr_of_rank[c->e[mate[r]].mr];
    out->edges = c->n_e;
    pair_flow_free(f);
    free(mate);
    free(load);
    free(deficit);
    free(pot);
    return (int)rc;
}

/* ---- results ------------------------------------------------------------- */

static int cmp_assign(const void *a, const void *b)
{
    const struct pair_assignment *x = a, *y = b;
    int d = strcmp(x->mentor_id, y->mentor_id);
    return d ? d : strcmp(x->mentee_id, y->mentee_id);
}

static int fill_assignment(struct ctx *c, size_t ee, size_t mr, struct pair_assignment *a)
{
    const struct pair_input *in = c->in;
    *a = (struct pair_assignment){.mentor = mr, .mentee = ee};
    a->mentor_id = in->mentors[mr].id;
    a->mentee_id = in->mentees[ee].id;
    mark_history(c, ee, true);
    a->cost = cost_of(c, mr, ee);
    a->last_met_round = c->last_met[mr];
    mark_history(c, ee, false);
    a->repeat = a->last_met_round > 0 && in->round - a->last_met_round <= PAIR_REPEAT_WINDOW;
    int rc = pair_slot(&in->mentors[mr].win, &in->mentees[ee].win, in->slot_from, &a->slot);
    pair_reason(in, a);
    return rc;
}

static int build_result(struct ctx *c, const size_t *match, struct pair_result *out)
{
    size_t n = c->n;
    int *load = calloc(c->m ? c->m : 1, sizeof(*load));
    out->assign = malloc((n ? n : 1) * sizeof(*out->assign));
    out->unmatched = malloc((n ? n : 1) * sizeof(*out->unmatched));
    if (!load || !out->assign || !out->unmatched) {
        free(load);
        return BOT_ENOMEM;
    }
    int rc = 0;
    for (size_t x = 0; x < n && rc == 0; x++) {
        size_t ee = c->ee_ids[x].idx; /* id order */
        if (match[ee] == NONE) {
            out->unmatched[out->n_unmatched++] = ee;
            continue;
        }
        struct pair_assignment *a = &out->assign[out->n_assign++];
        rc = fill_assignment(c, ee, match[ee], a);
        load[match[ee]]++;
        out->total_cost += a->cost;
        out->repeats += a->repeat;
    }
    for (size_t j = 0; j < c->m; j++)
        out->total_cost += pair_load_cost(load[j]);
    free(load);
    out->matched = out->n_assign;
    qsort(out->assign, out->n_assign, sizeof(*out->assign), cmp_assign);
    return rc;
}

int pair_match(const struct pair_input *in, struct pair_result *out, char err[BOT_ERR_LEN])
{
    if (!out || !in) {
        set_err(err, "no input or output");
        return BOT_EINVAL;
    }
    memset(out, 0, sizeof(*out));
    struct ctx c = {.in = in, .n = in->n_mentees, .m = in->n_mentors};
    size_t *match = NULL;
    int rc = validate(&c, err);
    if (rc == 0)
        rc = prepare(&c);
    if (rc == 0)
        rc = candidates(&c);
    if (rc == 0) {
        match = malloc((c.n ? c.n : 1) * sizeof(*match));
        rc = match ? solve(&c, match, out) : BOT_ENOMEM;
    }
    if (rc == 0)
        rc = build_result(&c, match, out);
    if (rc == BOT_ENOMEM)
        set_err(err, "out of memory");
    free(match);
    ctx_free(&c);
    if (rc != 0)
        pair_result_free(out);
    return rc;
}

void pair_result_free(struct pair_result *r)
{
    if (!r)
        return;
    free(r->assign);
    free(r->unmatched);
    memset(r, 0, sizeof(*r));
}
