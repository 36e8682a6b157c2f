"""The day's small per-route tables of the ``corridor`` ruleset: route costs, today's hazard and
interception probabilities, logit choice weights from the cost to go, and perceived enforcement.

A scenario has a few hundred routes, so what a day would pay here with NumPy is its per-call
overhead (a dozen array expressions, each a few microseconds), not the arithmetic; one compiled
loop per step makes these tables a fixed cost of a few microseconds a day, which keeps the run's
cost proportional to its agents from 1e5 agents up. The arithmetic is written in the order the
model's formulas give it (docs/model.md, "Route choice"), so results do not depend on how it is
grouped into calls.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np


@nb.njit(cache=True)
def day_route_costs(
    km: np.ndarray,
    speed: np.ndarray,
    money: np.ndarray,
    hazard0: np.ndarray,
    border: np.ndarray,
    closed: np.ndarray,
    perceived: np.ndarray,
    w: np.ndarray,
    hazard_scale: np.ndarray,
    hazard: np.ndarray,
    cost: np.ndarray,
    last_key: np.ndarray,
) -> bool:
    """Fill ``hazard`` (the route's hazard times the border or transit scale) and ``cost``
    (w_time km/speed + w_money money + w_hazard hazard + w_enforcement perceived; ``w`` holds the
    four weights, ``hazard_scale`` the border and transit scales). ``last_key`` holds the costs
    that the cost to go was last computed from (inf for closed routes; NaN before the first day);
    it is updated, and the return value says whether it changed, i.e. whether the cost to go must
    be computed again."""
    changed = False
    for e in range(len(km)):
        h = hazard0[e] * (hazard_scale[0] if border[e] >= 0 else hazard_scale[1])
        hazard[e] = h
        c = w[0] * km[e] / speed[e] + w[1] * money[e] + w[2] * h + w[3] * perceived[e]
        cost[e] = c
        key = np.inf if closed[e] else c
        if key != last_key[e]:  # NaN never equals: the first day always computes
            changed = True
            last_key[e] = key
    return changed


@nb.njit(cache=True)
def interception_chances(
    scale: float, intensity: np.ndarray, exposure: np.ndarray, out: np.ndarray
) -> None:
    """``out[i] = 1 - exp(-scale intensity[i] exposure[i])``: the chance that one passage is
    intercepted at today's intensity (``exposure`` of 1 where it is a place's raid intensity)."""
    for i in range(len(intensity)):
        out[i] = 1.0 - math.exp(-scale * intensity[i] * exposure[i])


@nb.njit(cache=True)
def cheapest_pairs(
    cost: np.ndarray, closed: np.ndarray, order: np.ndarray, starts: np.ndarray, out: np.ndarray
) -> None:
    """``out[k]``: the cheapest open route of the k-th (to, from) pair of places (routes sorted
    by pair in ``order``, pairs beginning at ``starts``), inf where all are closed."""
    n_pairs = len(starts)
    for k in range(n_pairs):
        end = starts[k + 1] if k + 1 < n_pairs else len(order)
        best = np.inf
        for i in range(starts[k], end):
            e = order[i]
            x = np.inf if closed[e] else cost[e]
            if x < best:
                best = x
        out[k] = best


@nb.njit(cache=True)
def relative_utility(
    cost: np.ndarray,
    to_go: np.ndarray,
    closed: np.ndarray,
    edge_to: np.ndarray,
    edge_from: np.ndarray,
    out_start: np.ndarray,
    out_edge: np.ndarray,
    rel: np.ndarray,
) -> None:
    """``rel[e]``: cost of route e plus cost to go from its end, less the best such value among
    the routes out of the same place (inf for closed routes, NaN where no goal is reachable)."""
    for e in range(len(cost)):
        rel[e] = np.inf if closed[e] else cost[e] + to_go[edge_to[e]]
    best = np.full(len(out_start) - 1, np.inf)
    for p in range(len(out_start) - 1):
        for q in range(out_start[p], out_start[p + 1]):
            u = rel[out_edge[q]]
            if u < best[p]:
                best[p] = u
    for e in range(len(cost)):
        rel[e] = rel[e] - best[edge_from[e]]


@nb.njit(cache=True)
def logit_weights(rel: np.ndarray, theta: float, out: np.ndarray) -> None:
    """``out[e] = exp(-theta rel[e])``, 0 where ``rel`` is not finite (closed, or no goal)."""
    for e in range(len(rel)):
        out[e] = math.exp(-theta * rel[e]) if np.isfinite(rel[e]) else 0.0


@nb.njit(cache=True)
def cumulative_by_place(
    weight: np.ndarray,
    closed: np.ndarray,
    out_start: np.ndarray,
    out_edge: np.ndarray,
    out: np.ndarray,
) -> None:
    """Cumulative weights along ``out_edge`` within each place's block (closed routes weigh 0):
    one running sum over all blocks, less its value where the block begins."""
    acc = 0.0
    for q in range(len(out_edge)):
        e = out_edge[q]
        acc += 0.0 if closed[e] else weight[e]
        out[q] = acc
    for p in range(len(out_start) - 2, -1, -1):  # last block first: earlier sums still intact
        lo = out_start[p]
        before = out[lo - 1] if lo > 0 else 0.0
        for q in range(lo, out_start[p + 1]):
            out[q] = out[q] - before


@nb.njit(cache=True)
def update_perception(
    alpha: float,
    passes: np.ndarray,
    caught: np.ndarray,
    seen_pass: np.ndarray,
    seen_caught: np.ndarray,
    perceived: np.ndarray,
) -> None:
    """Exponential smoothing (weight ``alpha`` on today) of the passages and interceptions seen on
    each route; perceived enforcement is their ratio."""
    for e in range(len(perceived)):
        seen_pass[e] = (1 - alpha) * seen_pass[e] + alpha * passes[e]
        seen_caught[e] = (1 - alpha) * seen_caught[e] + alpha * caught[e]
        perceived[e] = seen_caught[e] / seen_pass[e]
