/* pairing_flow.h - exact min-cost maximum flow for the pairing module (primal-dual:
 * Dijkstra on reduced costs with potentials, then a blocking flow on the zero-reduced-
 * cost arcs). Internal to schedules/pairing.c; pure computation, any thread, no I/O.
 * The handle owns all its arrays; nothing crossing this header is retained. */
#ifndef COHORT_PAIRING_FLOW_H
#define COHORT_PAIRING_FLOW_H

#include <stddef.h>
#include <stdint.h>

struct pair_flow;

/* A network with nodes 0..n_nodes-1 and room for arc_hint arcs (it grows).
 * NULL when out of memory. Free with pair_flow_free. */
struct pair_flow *pair_flow_new(int n_nodes, size_t arc_hint);
void pair_flow_free(struct pair_flow *f);

/* Adds an arc from -> to with capacity cap >= 0 and cost >= 0. Arcs are scanned in
 * the order they were added, which is how callers steer tie-breaking. Arcs may be
 * added between solves. Returns the arc's id (>= 0), BOT_EINVAL for a bad node,
 * capacity or cost, or BOT_ENOMEM. */
long pair_flow_add_arc(struct pair_flow *f, int from, int to, int cap, int64_t cost);

/* Sends as much flow as possible from s to t along shortest paths, starting from the
 * current flow and potentials (all zero at first). Precondition, true for a fresh
 * network: every residual arc has cost + pot[tail] - pot[head] >= 0; the flow is
 * then of minimum cost for its value at every step and stays so. May be called
 * again after arcs are added or saturated, as long as the precondition holds.
 * 0, BOT_EINVAL (bad s/t), BOT_ENOMEM. *phases (may be NULL) gets the number of
 * shortest-path phases. */
int pair_flow_solve(struct pair_flow *f, int s, int t, long *phases);

/* Pushes an arc's whole residual capacity (its head gains that much excess, its
 * tail a deficit). Returns the units pushed or BOT_EINVAL. */
int pair_flow_saturate(struct pair_flow *f, long arc);
/* Replaces the potentials (n_nodes values, copied). 0, BOT_EINVAL or BOT_ENOMEM. */
int pair_flow_set_potentials(struct pair_flow *f, const int64_t *pot);

/* After solve: flow on an arc id returned by pair_flow_add_arc. */
int pair_flow_arc_flow(const struct pair_flow *f, long arc);
/* Node potentials (dual prices). Every residual arc u->v has
 * cost + pot[u] - pot[v] >= 0, so a missing arc u->v with cost c could improve the
 * flow only if c + pot[u] - pot[v] < 0. Borrowed; valid until pair_flow_free. */
const int64_t *pair_flow_potentials(const struct pair_flow *f);

#endif
