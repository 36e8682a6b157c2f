"""The cost to go from every place to each destination, and the logit choice weights built on it
(docs/model.md, "Route choice" and "Destinations").

Shortest paths run on the reversed route graph (destination to origin) from a destination's
goals, so one search (dijkstra.py) gives every place's cost to go to it: one search for set 0
(every goal, the nearest counts) and one per goal that people are sent to by name. The graph's
structure is fixed for a run; a day only refills its numbers, because scenarios change costs far
more often than they change routes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np

from corridor.compile.corridor import CorridorModel
from corridor.engine.dijkstra import distances_from
from corridor.engine.route_tables import (
    cheapest_pairs,
    cumulative_by_place,
    logit_weights,
    relative_utility,
)


@dataclass(frozen=True)
class CostGraph:
    """The fixed structure of the reversed route graph, built once per run so that a day's cost to
    go only fills in numbers: one graph edge per (to, from) pair of places, the cheapest of the
    parallel routes between them, in compressed sparse rows (row: destination, column: origin)."""

    order: np.ndarray  # routes sorted by (to, from)
    starts: np.ndarray  # position in ``order`` where each pair begins
    set_goals: np.ndarray  # the goals of each destination set, set s at set_ptr[s]:set_ptr[s+1]
    set_ptr: np.ndarray
    indptr: np.ndarray  # the pairs out of destination d: indptr[d]:indptr[d + 1]
    pair_from: np.ndarray  # each pair's origin
    pair_cost: np.ndarray  # each pair's cost, refilled daily

    @property
    def goals(self) -> np.ndarray:
        """Every goal: destination set 0's."""
        return self.set_goals[self.set_ptr[0] : self.set_ptr[1]]

    @classmethod
    def of(cls, m: CorridorModel) -> CostGraph:
        order = np.lexsort((m.edge_from, m.edge_to))
        frm, to = m.edge_from[order], m.edge_to[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (frm[1:] != frm[:-1]) | (to[1:] != to[:-1])
        starts = np.flatnonzero(first)
        indptr = np.searchsorted(to[starts], np.arange(m.n_place + 1))
        per_set = [m.goals_of_set(s) for s in range(m.n_dest_sets)]
        return cls(
            order=order,
            starts=starts,
            set_goals=np.concatenate(per_set).astype(np.int64),
            set_ptr=np.cumsum([0] + [len(g) for g in per_set]).astype(np.int64),
            indptr=indptr,
            pair_from=frm[starts].astype(np.int64),
            pair_cost=np.ones(len(starts)),
        )


def positive_costs(cost: np.ndarray) -> np.ndarray:
    """Costs as the shortest paths use them: Dijkstra needs them positive."""
    return _fill_positive_costs(cost, np.empty(len(cost)))


@nb.njit(cache=True)
def _fill_positive_costs(cost: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[e] = max(cost[e], 0) + 1e-9`` (NaN kept, as np.maximum keeps it); returns ``out``."""
    for e in range(len(cost)):
        c = cost[e]
        out[e] = (0.0 if c < 0.0 else c) + 1e-9
    return out


def cost_to_go(cost: np.ndarray, closed: np.ndarray, graph: CostGraph) -> np.ndarray:
    """V per place: the cheapest cost of reaching a goal (any: destination set 0) over open
    routes (inf where none is in reach), for route costs ``cost`` as :func:`positive_costs`
    returns them. Writes the day's numbers into ``graph``, so one graph serves one run at a
    time."""
    # A pair whose routes are all closed keeps its graph edge with an infinite cost: no path
    # through it is ever shorter, so the distances are those of the graph without it, and the
    # pairs' costs are refilled in place instead of the graph being rebuilt.
    cheapest_pairs(cost, closed, graph.order, graph.starts, graph.pair_cost)
    to_go = np.empty(len(graph.indptr) - 1)
    return distances_from(graph.indptr, graph.pair_from, graph.pair_cost, graph.goals, to_go)


def choice_weights(
    m: CorridorModel,
    cost: np.ndarray,
    closed: np.ndarray,
    theta: float,
    graph: CostGraph | None = None,
    out: np.ndarray | None = None,
    to_go: np.ndarray | None = None,
    cum: np.ndarray | None = None,
) -> np.ndarray:
    """exp(-theta (c_e + V_s(to_e))) per destination set s and edge, normalised per origin place
    for numerical safety; V_s is the cost to go to set s (set 0: the nearest goal). Rows by set,
    written into ``out`` where given, V into ``to_go`` and the weights' running sums by place
    (:func:`cumulative_by_place`) into ``cum``, each ``[n_sets, ...]``."""
    g = graph if graph is not None else CostGraph.of(m)
    n_edge, n_sets = len(cost), m.n_dest_sets
    w = np.empty((n_sets, n_edge)) if out is None else out
    _choice_tables(
        cost, closed, theta, g.order, g.starts, g.indptr, g.pair_from, g.pair_cost, g.set_goals,
        g.set_ptr, m.edge_to, m.edge_from, m.out_start, m.out_edge, np.empty(n_edge),
        np.empty(n_edge), np.empty((n_sets, m.n_place)) if to_go is None else to_go, w,
        np.empty((n_sets, len(m.out_edge))) if cum is None else cum,
    )  # fmt: skip
    return w


@nb.njit(cache=True)
def _choice_tables(
    cost: np.ndarray, closed: np.ndarray, theta: float, order: np.ndarray, starts: np.ndarray,
    indptr: np.ndarray, pair_from: np.ndarray, pair_cost: np.ndarray, set_goals: np.ndarray,
    set_ptr: np.ndarray, edge_to: np.ndarray, edge_from: np.ndarray, out_start: np.ndarray,
    out_edge: np.ndarray, positive: np.ndarray, rel: np.ndarray, to_go: np.ndarray,
    weight: np.ndarray, cum: np.ndarray,
) -> None:  # fmt: skip
    """The steps of :func:`choice_weights` in one compiled call: a day pays a call's overhead
    once rather than per step, and that overhead, not the arithmetic on a few hundred routes,
    was most of the cost of pricing a day (docs/performance.md). The route costs are shared by
    every destination set; the search and the weights are done once per set."""
    _fill_positive_costs(cost, positive)
    cheapest_pairs(positive, closed, order, starts, pair_cost)
    for s in range(len(set_ptr) - 1):
        goals = set_goals[set_ptr[s] : set_ptr[s + 1]]
        distances_from(indptr, pair_from, pair_cost, goals, to_go[s])
        relative_utility(positive, to_go[s], closed, edge_to, edge_from, out_start, out_edge, rel)
        logit_weights(rel, theta, weight[s])
        cumulative_by_place(weight[s], closed, out_start, out_edge, cum[s])
