/* review_assign.c - reviewer assignment as a min-cost flow (see review_assign.h):
 * source -> submission (per_sub) -> reviewer (1, cost) -> sink (capacity), plus
 * submission -> sink at RA_COST_EMPTY for slots nobody can take, so the flow is
 * always full and its minimum cost is the lexicographic optimum. */
#include "schedules/review_assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedules/pairing_flow.h"

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

struct ord {
    uint64_t h;
    const char *id;
    size_t i;
};

static int cmp_ord(const void *a, const void *b)
{
    const struct ord *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return strcmp(x->id, y->id);
}

static bool id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= RA_ID_MAX;
}

static int dup_check(const char *const *ids, size_t stride, size_t n, const char *what, char *err,
                     size_t errlen)
{
    struct ord *o = calloc(n ? n : 1, sizeof(*o));
    if (!o)
        return BOT_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *id = *(const char *const *)((const char *)ids + i * stride);
        if (!id_ok(id)) {
            snprintf(err, errlen, "%s %zu: id must be 1-%d bytes", what, i, RA_ID_MAX);
            rc = BOT_EINVAL;
        }
        o[i] = (struct ord){0, id, i};
    }
    if (!rc) {
        qsort(o, n, sizeof(*o), cmp_ord);
        for (size_t i = 1; i < n && !rc; i++)
            if (strcmp(o[i - 1].id, o[i].id) == 0) {
                snprintf(err, errlen, "%s id %s appears twice", what, o[i].id);
                rc = BOT_EINVAL;
            }
    }
    free(o);
    return rc;
}

static int validate(const struct ra_input *in, char *err, size_t errlen)
{
    if (in->n_subs > RA_MAX_SUBS || in->n_reviewers > RA_MAX_REVIEWERS ||
        in->n_history > RA_MAX_HISTORY || in->per_sub < 1 || in->per_sub > RA_MAX_PER_SUB ||
        (in->n_subs && !in->authors) || (in->n_reviewers && !in->reviewers) ||
        (in->n_history && !in->history)) {
        snprintf(err, errlen, "counts out of range");
        return BOT_EINVAL;
    }
    for (size_t i = 0; i < in->n_reviewers; i++)
        if (in->reviewers[i].capacity < 0 || in->reviewers[i].capacity > RA_MAX_CAPACITY) {
            snprintf(err, errlen, "reviewer %zu: capacity must be 0-%d", i, RA_MAX_CAPACITY);
            return BOT_EINVAL;
        }
    for (size_t i = 0; i < in->n_history; i++)
        if (!id_ok(in->history[i].reviewer) || !id_ok(in->history[i].author)) {
            snprintf(err, errlen, "history %zu: bad id", i);
            return BOT_EINVAL;
        }
    int rc = dup_check(in->authors, sizeof(char *), in->n_subs, "author", err, errlen);
    if (!rc)
        rc = dup_check(&in->reviewers[0].id, sizeof(struct ra_reviewer), in->n_reviewers,
                       "reviewer", err, errlen);
    return rc;
}

/* ---- the history as indexes ---------------------------------------------- */

struct trip {
    size_t sub, rev;
    int kind;
};

struct ctx {
    const struct ra_input *in;
    struct ord *subs, *revs; /* sorted by id, for lookups */
    unsigned char *rep;      /* [sub * n_reviewers + rev]: reviewed this author before */
    struct trip *trips;      /* history rows of people in this round, sorted by sub */
    size_t n_trips;
    size_t *first; /* [sub]: first index in trips; first[n_subs] = n_trips */
};

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const struct ord *)a)->id, ((const struct ord *)b)->id);
}

static int cmp_trip(const void *a, const void *b)
{
    const struct trip *x = a, *y = b;
    if (x->sub != y->sub)
        return x->sub < y->sub ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->rev < y->rev ? -1 : x->rev > y->rev;
}

static long find(const struct ord *o, size_t n, const char *id)
{
    struct ord key = {0, id, 0};
    const struct ord *f = bsearch(&key, o, n, sizeof(*o), cmp_id);
    return f ? (long)f->i : -1;
}

static int ctx_init(struct ctx *c, const struct ra_input *in)
{
    memset(c, 0, sizeof(*c));
    c->in = in;
    size_t ns = in->n_subs, nr = in->n_reviewers;
    c->subs = calloc(ns + 1, sizeof(*c->subs));
    c->revs = calloc(nr + 1, sizeof(*c->revs));
    c->rep = calloc(ns * nr + 1, 1);
    c->trips = calloc(in->n_history + 1, sizeof(*c->trips));
    c->first = calloc(ns + 1, sizeof(*c->first));
    if (!c->subs || !c->revs || !c->rep || !c->trips || !c->first)
        return BOT_ENOMEM;
    for (size_t i = 0; i < ns; i++)
        c->subs[i] = (struct ord){0, in->authors[i], i};
    for (size_t i = 0; i < nr; i++)
        c->revs[i] = (struct ord){0, in->reviewers[i].id, i};
    qsort(c->subs, ns, sizeof(*c->subs), cmp_id);
    qsort(c->revs, nr, sizeof(*c->revs), cmp_id);
    for (size_t h = 0; h < in->n_history; h++) {
        long s = find(c->subs, ns, in->history[h].author);
        long r = find(c->revs, nr, in->history[h].reviewer);
        if (s < 0 || r < 0)
            continue; /* people not in this round */
        c->rep[(size_t)s * nr + (size_t)r] = 1;
        c->trips[c->n_trips++] = (struct trip){(size_t)s, (size_t)r, in->history[h].kind};
    }
    qsort(c->trips, c->n_trips, sizeof(*c->trips), cmp_trip);
    for (size_t t = 0, s = 0; s <= ns; s++) {
        while (t < c->n_trips && c->trips[t].sub < s)
            t++;
        c->first[s] = t;
    }
    return 0;
}

static void ctx_free(struct ctx *c)
{
    free(c->subs);
    free(c->revs);
    free(c->rep);
    free(c->trips);
    free(c->first);
}

/* Did reviewers a and b both review submission s's author for the same earlier kind? */
static bool pair_met(const struct ctx *c, size_t s, size_t a, size_t b)
{
    size_t end = s + 1 <= c->in->n_subs ? c->first[s + 1] : c->n_trips;
    for (size_t i = c->first[s]; i < end; i++) {
        if (c->trips[i].rev != a)
            continue;
        for (size_t j = c->first[s]; j < end; j++)
            if (c->trips[j].kind == c->trips[i].kind && c->trips[j].rev == b)
                return true;
    }
    return false;
}

/* Pair repeats among the reviewers of submission s (the picks p[0..n) for it). */
static size_t sub_pair_repeats(const struct ctx *c, size_t s, const size_t *revs, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            k += pair_met(c, s, revs[i], revs[j]);
    (void)s;
    return k;
}

/* ---- the flow ------------------------------------------------------------- */

#define NONE ((size_t)-1)

static int64_t edge_cost(const struct ctx *c, size_t s, size_t r)
{
    return (c->in->reviewers[r].mentor ? RA_COST_MENTOR : 0) +
           (c->rep[s * c->in->n_reviewers + r] ? RA_COST_REPEAT : 0);
}

/* Orders submissions and, per submission, reviewers by seeded hash: arcs are scanned
 * in the order added, so this is the tie-break, independent of the input order. */
static int solve(const struct ctx *c, size_t *slot)
{
    const struct ra_input *in = c->in;
    size_t ns = in->n_subs, nr = in->n_reviewers;
    int n_nodes = (int)(2 + ns + nr);
    struct pair_flow *f = pair_flow_new(n_nodes, ns * nr + 2 * ns + nr);
    struct ord *so = calloc(ns + 1, sizeof(*so)), *ro = calloc(nr + 1, sizeof(*ro));
    long *arc = calloc(ns * nr + 1, sizeof(*arc));
    int rc = f && so && ro && arc ? 0 : BOT_ENOMEM;
    for (size_t i = 0; i < ns && !rc; i++) {
        so[i] = (struct ord){id_hash(in->authors[i], in->seed), in->authors[i], i};
    }
    if (!rc)
        qsort(so, ns, sizeof(*so), cmp_ord);
    for (size_t k = 0; k < ns && !rc; k++)
        if (pair_flow_add_arc(f, 0, (int)(2 + so[k].i), in->per_sub, 0) < 0)
            rc = BOT_ENOMEM;
    for (size_t k = 0; k < ns && !rc; k++) {
        size_t s = so[k].i;
        uint64_t salt = id_hash(in->authors[s], in->seed ^ 0x5bd1e995u);
        for (size_t r = 0; r < nr; r++)
            ro[r] = (struct ord){id_hash(in->reviewers[r].id, salt), in->reviewers[r].id, r};
        qsort(ro, nr, sizeof(*ro), cmp_ord);
        for (size_t j = 0; j < nr && !rc; j++) {
            size_t r = ro[j].i;
            arc[s * nr + r] = -1;
            if (strcmp(in->reviewers[r].id, in->authors[s]) == 0 || in->reviewers[r].capacity == 0)
                continue;
            arc[s * nr + r] =
                pair_flow_add_arc(f, (int)(2 + s), (int)(2 + ns + r), 1, edge_cost(c, s, r));
            if (arc[s * nr + r] < 0)
                rc = BOT_ENOMEM;
        }
        if (!rc && pair_flow_add_arc(f, (int)(2 + s), 1, in->per_sub, RA_COST_EMPTY) < 0)
            rc = BOT_ENOMEM;
    }
    for (size_t j = 0; j < nr && !rc; j++) { /* reviewers in id order */
        size_t r = c->revs[j].i;
        if (pair_flow_add_arc(f, (int)(2 + ns + r), 1, in->reviewers[r].capacity, 0) < 0)
            rc = BOT_ENOMEM;
    }
    if (!rc)
        rc = pair_flow_solve(f, 0, 1, NULL);
    for (size_t s = 0; s < ns && !rc; s++) {
        size_t k = 0;
        for (size_t j = 0; j < nr; j++) { /* each row's reviewers in id order */
            size_t r = c->revs[j].i;
            if (arc[s * nr + r] >= 0 && pair_flow_arc_flow(f, arc[s * nr + r]) > 0 &&
                k < (size_t)in->per_sub)
                slot[s * (size_t)in->per_sub + k++] = r;
        }
    }
    free(arc);
    free(so);
    free(ro);
    pair_flow_free(f);
    return rc;
}

/* ---- breaking up repeated reviewer pairs ----------------------------------- */

static bool on_sub(const size_t *row, size_t per, size_t r)
{
    for (size_t k = 0; k < per; k++)
        if (row[k] == r)
            return true;
    return false;
}

static size_t row_pairs(const struct ctx *c, const size_t *slot, size_t s)
{
    size_t per = (size_t)c->in->per_sub, revs[RA_MAX_PER_SUB], n = 0;
    for (size_t k = 0; k < per; k++)
        if (slot[s * per + k] != NONE)
            revs[n++] = slot[s * per + k];
    return sub_pair_repeats(c, s, revs, n);
}

/* Swapping x (on a, slot ka) with y (on b, slot kb): allowed when neither is the
 * other's author or already there, and it keeps cost (mentor slots, repeats) equal. */
static bool try_swap(const struct ctx *c, size_t *slot, size_t a, size_t ka, size_t b, size_t kb)
{
    size_t per = (size_t)c->in->per_sub, x = slot[a * per + ka], y = slot[b * per + kb];
    const char *const *au = c->in->authors;
    if (x == NONE || y == NONE || x == y || on_sub(&slot[a * per], per, y) ||
        on_sub(&slot[b * per], per, x) || strcmp(c->in->reviewers[y].id, au[a]) == 0 ||
        strcmp(c->in->reviewers[x].id, au[b]) == 0 ||
        edge_cost(c, a, y) + edge_cost(c, b, x) != edge_cost(c, a, x) + edge_cost(c, b, y))
        return false;
    size_t before = row_pairs(c, slot, a) + row_pairs(c, slot, b);
    slot[a * per + ka] = y;
    slot[b * per + kb] = x;
    if (row_pairs(c, slot, a) + row_pairs(c, slot, b) < before)
        return true;
    slot[a * per + ka] = x;
    slot[b * per + kb] = y;
    return false;
}

/* Moving x (on a, slot ka) to reviewer z with room left, at equal cost. */
static bool try_move(const struct ctx *c, size_t *slot, const int *load, size_t a, size_t ka,
                     size_t z)
{
    size_t per = (size_t)c->in->per_sub, x = slot[a * per + ka];
    if (x == NONE || load[z] >= c->in->reviewers[z].capacity || on_sub(&slot[a * per], per, z) ||
        strcmp(c->in->reviewers[z].id, c->in->authors[a]) == 0 ||
        edge_cost(c, a, z) != edge_cost(c, a, x))
        return false;
    size_t before = row_pairs(c, slot, a);
    slot[a * per + ka] = z;
    if (row_pairs(c, slot, a) < before)
        return true;
    slot[a * per + ka] = x;
    return false;
}

static bool improve_one(const struct ctx *c, size_t *slot, int *load, size_t a)
{
    size_t per = (size_t)c->in->per_sub;
    for (size_t ka = 0; ka < per; ka++) {
        size_t x = slot[a * per + ka];
        for (size_t j = 0; j < c->in->n_reviewers; j++) {
            size_t z = c->revs[j].i;
            if (try_move(c, slot, load, a, ka, z)) {
                load[x]--;
                load[z]++;
                return true;
            }
        }
        for (size_t i = 0; i < c->in->n_subs; i++)
            for (size_t kb = 0, b = c->subs[i].i; b != a && kb < per; kb++)
                if (try_swap(c, slot, a, ka, b, kb))
                    return true;
    }
    return false;
}

/* Swaps and moves, submissions in id order; each lowers the number of repeated
 * pairs by at least one, so there are at most as many as at the start. */
static int repair(const struct ctx *c, size_t *slot)
{
    size_t per = (size_t)c->in->per_sub, nr = c->in->n_reviewers;
    int swaps = 0, *load = calloc(nr + 1, sizeof(*load));
    if (!load)
        return 0; /* the flow's answer stands */
    for (size_t i = 0; i < c->in->n_subs * per; i++)
        if (slot[i] != NONE)
            load[slot[i]]++;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < c->in->n_subs; i++) {
            size_t s = c->subs[i].i;
            if (row_pairs(c, slot, s) && improve_one(c, slot, load, s)) {
                swaps++;
                again = true;
            }
        }
    }
    free(load);
    return swaps;
}

/* ---- results ---------------------------------------------------------------- */

static int build(const struct ctx *c, const size_t *slot, struct ra_result *out)
{
    const struct ra_input *in = c->in;
    size_t per = (size_t)in->per_sub, n = 0;
    out->picks = calloc(in->n_subs * per + 1, sizeof(*out->picks));
    if (!out->picks)
        return BOT_ENOMEM;
    for (size_t i = 0; i < in->n_subs; i++) { /* authors in id order */
        size_t s = c->subs[i].i, first = n;
        for (size_t k = 0; k < per; k++) {
            size_t r = slot[s * per + k], j = n++;
            if (r == NONE) {
                n--;
                continue;
            }
            for (; j > first &&
                   strcmp(in->reviewers[out->picks[j - 1].reviewer].id, in->reviewers[r].id) > 0;
                 j--)
                out->picks[j] = out->picks[j - 1];
            out->picks[j] = (struct ra_pick){s, r, false};
        }
    }
    out->n_picks = n;
    return 0;
}

static void measure(const struct ctx *c, struct ra_result *r)
{
    const struct ra_input *in = c->in;
    size_t per = (size_t)in->per_sub;
    r->mentor_slots = r->repeats = r->pair_repeats = 0;
    r->empty = in->n_subs * per - r->n_picks;
    for (size_t i = 0; i < r->n_picks; i++) {
        struct ra_pick *p = &r->picks[i];
        p->repeat = c->rep[p->sub * in->n_reviewers + p->reviewer];
        r->repeats += p->repeat;
        r->mentor_slots += in->reviewers[p->reviewer].mentor;
        for (size_t j = i + 1; j < r->n_picks; j++)
            if (r->picks[j].sub == p->sub)
                r->pair_repeats += pair_met(c, p->sub, p->reviewer, r->picks[j].reviewer);
    }
}

void ra_measure(const struct ra_input *in, struct ra_result *r)
{
    struct ctx c;
    if (ctx_init(&c, in) == 0)
        measure(&c, r);
    ctx_free(&c);
}

int ra_assign(const struct ra_input *in, struct ra_result *out, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof(dummy);
    }
    err[0] = '\0';
    if (!out || !in)
        return BOT_EINVAL;
    memset(out, 0, sizeof(*out));
    int rc = validate(in, err, errlen);
    if (rc)
        return rc;
    struct ctx c;
    size_t nslot = in->n_subs * (size_t)in->per_sub;
    size_t *slot = malloc((nslot + 1) * sizeof(*slot));
    rc = ctx_init(&c, in);
    if (!rc && !slot)
        rc = BOT_ENOMEM;
    for (size_t i = 0; !rc && i < nslot; i++)
        slot[i] = NONE;
    if (!rc)
        rc = solve(&c, slot);
    if (!rc) {
        out->swaps = repair(&c, slot);
        rc = build(&c, slot, out);
    }
    if (!rc)
        measure(&c, out);
    else
        ra_result_free(out);
    free(slot);
    ctx_free(&c);
    return rc;
}

void ra_result_free(struct ra_result *r)
{
    if (!r)
        return;
    free(r->picks);
    memset(r, 0, sizeof(*r));
}
