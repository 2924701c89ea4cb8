/* pairing_flow.c - min-cost maximum flow by the primal-dual method (see
 * pairing_flow.h). Each phase runs Dijkstra from s on reduced costs, stopping when t
 * is settled; potentials move by the settled distance (capped at t's), which keeps
 * every residual reduced cost >= 0. It then augments the shortest-path tree's path
 * and as many further zero-reduced-cost paths as a depth-first search finds. Every
 * augmenting path is a shortest one, so the flow is of minimum cost for its value
 * at every step, and the final flow is a minimum-cost maximum flow. */
#include "schedules/pairing_flow.h"
#include "bot/err.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct pair_flow {
    int n;
    size_t n_arcs, cap_arcs;
    int *head;     /* arc -> node it enters; the tail is head[a ^ 1] */
    int *res;      /* residual capacity */
    int64_t *cost; /* forward cost, reverse arc has the negation */
    /* solve state */
    size_t built;  /* arcs covered by the adjacency arrays */
    size_t *start; /* n + 1: node's arcs are adj[start[v] .. start[v + 1]) */
    long *adj;
    size_t *cur; /* current-arc pointers for the blocking flow */
    int64_t *pot, *dist;
    long *pred; /* arc that settled each node, -1 none */
    unsigned char *state;
    int64_t *hkey; /* lazy binary heap */
    int *hnode;
    size_t hlen, hcap;
    int *stack;
    long *path;
};

struct pair_flow *pair_flow_new(int n_nodes, size_t arc_hint)
{
    if (n_nodes < 2)
        return NULL;
    struct pair_flow *f = calloc(1, sizeof(*f));
    if (!f)
        goto fail;
    f->n = n_nodes;
    f->cap_arcs = arc_hint < 16 ? 32 : 2 * arc_hint;
    f->head = malloc(f->cap_arcs * sizeof(*f->head));
    f->res = malloc(f->cap_arcs * sizeof(*f->res));
    f->cost = malloc(f->cap_arcs * sizeof(*f->cost));
    if (!f->head || !f->res || !f->cost)
        goto fail;
    return f;
fail:
    pair_flow_free(f);
    return NULL;
}

void pair_flow_free(struct pair_flow *f)
{
    if (!f)
        return;
    free(f->head);
    free(f->res);
    free(f->cost);
    free(f->start);
    free(f->adj);
    free(f->cur);
    free(f->pot);
    free(f->dist);
    free(f->pred);
    free(f->state);
    free(f->hkey);
    free(f->hnode);
    free(f->stack);
    free(f->path);
    free(f);
}

static int grow_arcs(struct pair_flow *f)
{
    size_t cap = f->cap_arcs * 2;
    int *h = realloc(f->head, cap * sizeof(*h));
    if (!h)
        return BOT_ENOMEM;
    f->head = h;
    int *r = realloc(f->res, cap * sizeof(*r));
    if (!r)
        return BOT_ENOMEM;
    f->res = r;
    int64_t *c = realloc(f->cost, cap * sizeof(*c));
    if (!c)
        return BOT_ENOMEM;
    f->cost = c;
    f->cap_arcs = cap;
    return 0;
}

long pair_flow_add_arc(struct pair_flow *f, int from, int to, int cap, int64_t cost)
{
    if (!f || from < 0 || to < 0 || from >= f->n || to >= f->n || cap < 0 || cost < 0)
        return BOT_EINVAL;
    if (f->n_arcs + 2 > f->cap_arcs && grow_arcs(f) != 0)
        return BOT_ENOMEM;
    size_t a = f->n_arcs;
    f->head[a] = to;
    f->res[a] = cap;
    f->cost[a] = cost;
    f->head[a + 1] = from;
    f->res[a + 1] = 0;
    f->cost[a + 1] = -cost;
    f->n_arcs += 2;
    return (long)a;
}

/* (Re)builds the adjacency for all arcs added so far; node arrays are made once,
 * and the potentials survive rebuilds. */
static int alloc_state(struct pair_flow *f)
{
    size_t n = (size_t)f->n;
    if (f->built == f->n_arcs && f->adj)
        return 0;
    if (!f->pot) {
        f->start = malloc((n + 1) * sizeof(*f->start));
        f->cur = malloc(n * sizeof(*f->cur));
        f->pot = calloc(n, sizeof(*f->pot));
        f->dist = malloc(n * sizeof(*f->dist));
        f->pred = malloc(n * sizeof(*f->pred));
        f->state = malloc(n);
        f->stack = malloc(n * sizeof(*f->stack));
        f->path = malloc(n * sizeof(*f->path));
        if (!f->start || !f->cur || !f->pot || !f->dist || !f->pred || !f->state || !f->stack ||
            !f->path)
            return BOT_ENOMEM;
    }
    free(f->adj);
    free(f->hkey);
    free(f->hnode);
    f->hcap = f->n_arcs + n + 1;
    f->adj = malloc((f->n_arcs + 1) * sizeof(*f->adj));
    f->hkey = malloc(f->hcap * sizeof(*f->hkey));
    f->hnode = malloc(f->hcap * sizeof(*f->hnode));
    if (!f->adj || !f->hkey || !f->hnode)
        return BOT_ENOMEM;
    /* counting sort of arcs by tail, stable, so scan order = insertion order */
    memset(f->start, 0, (n + 1) * sizeof(*f->start));
    for (size_t a = 0; a < f->n_arcs; a++)
        f->start[f->head[a ^ 1] + 1]++;
    for (size_t v = 0; v < n; v++)
        f->start[v + 1] += f->start[v];
    for (size_t v = 0; v < n; v++)
        f->cur[v] = f->start[v];
    for (size_t a = 0; a < f->n_arcs; a++)
        f->adj[f->cur[f->head[a ^ 1]]++] = (long)a;
    f->built = f->n_arcs;
    return 0;
}

static void heap_push(struct pair_flow *f, int64_t key, int node)
{
    assert(f->hlen < f->hcap);
    size_t i = f->hlen++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (f->hkey[p] <= key)
            break;
        f->hkey[i] = f->hkey[p];
        f->hnode[i] = f->hnode[p];
        i = p;
    }
    f->hkey[i] = key;
    f->hnode[i] = node;
}

static void heap_pop(struct pair_flow *f, int64_t *key, int *node)
{
    *key = f->hkey[0];
    *node = f->hnode[0];
    int64_t k = f->hkey[--f->hlen];
    int v = f->hnode[f->hlen];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= f->hlen)
            break;
        if (c + 1 < f->hlen && f->hkey[c + 1] < f->hkey[c])
            c++;
        if (f->hkey[c] >= k)
            break;
        f->hkey[i] = f->hkey[c];
        f->hnode[i] = f->hnode[c];
        i = c;
    }
    f->hkey[i] = k;
    f->hnode[i] = v;
}

static inline int64_t reduced(const struct pair_flow *f, long a)
{
    return f->cost[a] + f->pot[f->head[a ^ 1]] - f->pot[f->head[a]];
}

/* Dijkstra from s until t is settled; then moves the potentials. Returns false
 * when t cannot be reached. state: 1 = settled. */
static bool dijkstra(struct pair_flow *f, int s, int t)
{
    for (int v = 0; v < f->n; v++) {
        f->dist[v] = INT64_MAX;
        f->pred[v] = -1;
        f->state[v] = 0;
    }
    f->hlen = 0;
    f->dist[s] = 0;
    heap_push(f, 0, s);
    while (f->hlen > 0) {
        int64_t d;
        int u;
        heap_pop(f, &d, &u);
        if (f->state[u] || d != f->dist[u])
            continue;
        f->state[u] = 1;
        if (u == t)
            break;
        int64_t pu = f->pot[u];
        for (size_t i = f->start[u]; i < f->start[u + 1]; i++) {
            long a = f->adj[i];
            int v = f->head[a];
            if (f->res[a] <= 0 || f->state[v])
                continue;
            int64_t rc = f->cost[a] + pu - f->pot[v]; /* reduced cost */
            assert(rc >= 0);
            if (d + rc < f->dist[v]) {
                f->dist[v] = d + rc;
                f->pred[v] = a;
                heap_push(f, d + rc, v);
            }
        }
    }
    if (!f->state[t])
        return false;
    int64_t cap = f->dist[t];
    for (int v = 0; v < f->n; v++)
        f->pot[v] += f->state[v] ? f->dist[v] : cap;
    return true;
}

static void push_unit(struct pair_flow *f, long a)
{
    f->res[a] -= 1;
    f->res[a ^ 1] += 1;
}

/* Further augmenting paths made only of zero-reduced-cost arcs. state: 0 free,
 * 2 on the current path, 3 dead for this phase. Unit augmentations: every arc
 * leaving s has capacity 1 in the pairing network, and others are handled too
 * since the bottleneck is taken. Returns the flow added. */
static long blocking_flow(struct pair_flow *f, int s, int t)
{
    long added = 0;
    for (int v = 0; v < f->n; v++) {
        f->cur[v] = f->start[v];
        f->state[v] = 0;
    }
    for (;;) {
        int depth = 0;
        int v = s;
        f->state[s] = 2;
        while (v != t) {
            long found = -1;
            for (; f->cur[v] < f->start[v + 1]; f->cur[v]++) {
                long a = f->adj[f->cur[v]];
                if (f->res[a] > 0 && f->state[f->head[a]] == 0 && reduced(f, a) == 0) {
                    found = a;
                    break;
                }
            }
            if (found >= 0) {
                f->stack[depth] = v;
                f->path[depth++] = found;
                v = f->head[found];
                f->state[v] = 2;
                continue;
            }
            f->state[v] = 3;
            if (v == s)
                return added;
            v = f->stack[--depth];
            f->cur[v]++;
        }
        int bottleneck = f->res[f->path[0]];
        for (int i = 1; i < depth; i++)
            if (f->res[f->path[i]] < bottleneck)
                bottleneck = f->res[f->path[i]];
        for (int i = 0; i < depth; i++) {
            f->res[f->path[i]] -= bottleneck;
            f->res[f->path[i] ^ 1] += bottleneck;
            f->state[f->stack[i]] = 0;
        }
        f->state[t] = 0;
        added += bottleneck;
    }
}

int pair_flow_solve(struct pair_flow *f, int s, int t, long *phases)
{
    if (!f || s < 0 || t < 0 || s >= f->n || t >= f->n || s == t)
        return BOT_EINVAL;
    int rc = alloc_state(f);
    if (rc != 0)
        return rc;
    long n_phases = 0;
    while (dijkstra(f, s, t)) {
        n_phases++;
        /* the tree path has zero reduced cost after the potential update */
        for (int v = t; v != s; v = f->head[f->pred[v] ^ 1])
            push_unit(f, f->pred[v]);
        blocking_flow(f, s, t);
    }
    if (phases)
        *phases = n_phases;
    return 0;
}

int pair_flow_saturate(struct pair_flow *f, long arc)
{
    if (!f || arc < 0 || (size_t)arc >= f->n_arcs)
        return BOT_EINVAL;
    int units = f->res[arc];
    f->res[arc] = 0;
    f->res[arc ^ 1] += units;
    return units;
}

int pair_flow_set_potentials(struct pair_flow *f, const int64_t *pot)
{
    if (!f || !pot)
        return BOT_EINVAL;
    int rc = alloc_state(f);
    if (rc == 0)
        memcpy(f->pot, pot, (size_t)f->n * sizeof(*pot));
    return rc;
}

int pair_flow_arc_flow(const struct pair_flow *f, long arc)
{
    if (!f || arc < 0 || (size_t)arc >= f->n_arcs)
        return 0;
    return f->res[arc ^ 1];
}

const int64_t *pair_flow_potentials(const struct pair_flow *f)
{
    return f ? f->pot : NULL;
}
