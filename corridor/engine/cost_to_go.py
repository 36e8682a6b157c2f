"""The cost to go from every place to the nearest goal, and the logit choice weights built on it
(docs/model.md, "Route choice").

Shortest paths run on the reversed route graph (destination to origin) from the goals, so one
Dijkstra call gives every place's cost to go. The graph's structure is fixed for a run; a day only
refills its numbers, because scenarios change costs far more often than they change routes. The
Dijkstra is a small Numba kernel on the graph's CSR arrays: scipy's gives the same distances (a
test checks it) but spends most of its time, on graphs of a few hundred places, checking and
converting its input, once a day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np
from scipy.sparse import csr_matrix

from corridor.compile.corridor import CorridorModel
from corridor.engine.route_tables import cheapest_pairs, logit_weights, relative_utility


@dataclass(frozen=True)
class CostGraph:
    """The fixed structure of the reversed route graph, built once per run so that a day's cost to
    go only fills in numbers: one graph edge per (to, from) pair of places, the cheapest of the
    parallel routes between them (rows: destination, columns: origin)."""

    order: np.ndarray  # routes sorted by (to, from)
    starts: np.ndarray  # position in ``order`` where each pair begins
    pair_to: np.ndarray
    pair_from: np.ndarray
    goals: np.ndarray
    reversed_graph: csr_matrix  # the pairs as a sparse matrix whose numbers are refilled daily

    @classmethod
    def of(cls, m: CorridorModel) -> CostGraph:
        order = np.lexsort((m.edge_from, m.edge_to))
        frm, to = m.edge_from[order], m.edge_to[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (frm[1:] != frm[:-1]) | (to[1:] != to[:-1])
        starts = np.flatnonzero(first)
        indptr = np.searchsorted(to[starts], np.arange(m.n_place + 1))
        n = m.n_place
        return cls(
            order=order,
            starts=starts,
            pair_to=to[starts],
            pair_from=frm[starts],
            goals=np.flatnonzero(m.goal),
            reversed_graph=csr_matrix((np.ones(len(starts)), frm[starts], indptr), shape=(n, n)),
        )


def positive_costs(cost: np.ndarray) -> np.ndarray:
    """Costs as the shortest paths use them: Dijkstra needs them positive."""
    return np.maximum(cost, 0.0) + 1e-9


def cost_to_go(
    m: CorridorModel, cost: np.ndarray, closed: np.ndarray, graph: CostGraph
) -> np.ndarray:
    """V per place: the cheapest cost of reaching a goal over open routes (inf where none is in
    reach), for route costs ``cost`` as :func:`positive_costs` returns them."""
    pair = np.empty(len(graph.starts))
    cheapest_pairs(cost, closed, graph.order, graph.starts, pair)  # inf: every route closed
    rev = graph.reversed_graph
    dist = np.empty(m.n_place)
    nearest_goal_distances(rev.indptr, rev.indices, pair, graph.goals, dist)
    return dist


@nb.njit(cache=True)
def nearest_goal_distances(indptr, indices, weight, goals, dist):  # type: ignore[no-untyped-def]
    """Dijkstra from every goal at once on a CSR graph (row u lists the places one step from u,
    ``weight`` > 0, inf for no route): ``dist[v]``, the least total weight from any goal to v.
    A binary heap with stale entries skipped; each distance is the same sum of the same two
    numbers as in scipy's Dijkstra, so the results are identical."""
    dist[:] = np.inf
    cap = len(weight) + len(goals) + 1
    heap_d = np.empty(cap)
    heap_v = np.empty(cap, dtype=np.int64)
    size = 0
    for g in goals:
        if dist[g] > 0.0:
            dist[g] = 0.0
            size = _push(heap_d, heap_v, size, 0.0, g)
    while size > 0:
        d = heap_d[0]
        u = heap_v[0]
        size = _pop(heap_d, heap_v, size)
        if d > dist[u]:
            continue  # a stale entry: u was reached more cheaply since
        for k in range(indptr[u], indptr[u + 1]):
            nd = d + weight[k]
            v = indices[k]
            if nd < dist[v]:
                dist[v] = nd
                size = _push(heap_d, heap_v, size, nd, v)


@nb.njit(inline="always", cache=True)
def _push(heap_d, heap_v, size, d, v):  # type: ignore[no-untyped-def]
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if heap_d[parent] <= d:
            break
        heap_d[i] = heap_d[parent]
        heap_v[i] = heap_v[parent]
        i = parent
    heap_d[i] = d
    heap_v[i] = v
    return size + 1


@nb.njit(inline="always", cache=True)
def _pop(heap_d, heap_v, size):  # type: ignore[no-untyped-def]
    """Remove the top; returns the new size."""
    size -= 1
    d = heap_d[size]
    v = heap_v[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and heap_d[child + 1] < heap_d[child]:
            child += 1
        if heap_d[child] >= d:
            break
        heap_d[i] = heap_d[child]
        heap_v[i] = heap_v[child]
        i = child
    if size > 0:
        heap_d[i] = d
        heap_v[i] = v
    return size


def choice_weights(
    m: CorridorModel,
    cost: np.ndarray,
    closed: np.ndarray,
    theta: float,
    graph: CostGraph | None = None,
    out: np.ndarray | None = None,
    to_go: np.ndarray | None = None,
) -> np.ndarray:
    """exp(-theta (c_e + V(to_e))) per edge, normalised per origin place for numerical safety;
    V is the cost to go to the nearest goal. Written into ``out`` where given, and V into
    ``to_go``."""
    g = graph if graph is not None else CostGraph.of(m)
    c = positive_costs(cost)
    v = cost_to_go(m, c, closed, g)
    if to_go is not None:
        to_go[:] = v
    rel = np.empty(len(c))
    relative_utility(c, v, closed, m.edge_to, m.edge_from, m.out_start, m.out_edge, rel)
    w = np.empty(len(c)) if out is None else out
    logit_weights(rel, theta, w)
    return w
