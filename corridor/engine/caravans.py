"""The caravan step: caravans still moving as one group take their day together.

A caravan's members move at walking pace behind a leader, run each route's hazard, and at
enforcement either break through as a group or are intercepted one by one by the day kernel's own
rule; the group disperses at a US border city or on its dispersal date, after which its members
are ordinary agents of the day kernel. Caravans are few and their members move as one, so this
step is plain NumPy over each caravan's members rather than a Numba kernel; it draws from the
same counter-based streams as the kernel, at draw numbers the kernel never uses (below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.compile.corridor import KINDS, CorridorModel
from corridor.engine import rng
from corridor.engine.corridor_kernels import (
    ARRIVED,
    DEAD,
    DRAWS,
    EV_ARRIVE,
    EV_DEATH,
    EV_MISSING,
    K_CHOOSE,
    K_HAZARD,
    K_INTERCEPT,
    MISSING,
    R_DEATH,
    R_INTERCEPT,
    R_PASS,
    TRAVELLING,
    intercept_each,
)
from corridor.engine.cost_to_go import CostGraph
from corridor.engine.dijkstra import distances_from
from corridor.engine.route_tables import cheapest_pairs
from corridor.scenario.native.schema import PlaceKind

if TYPE_CHECKING:
    from corridor.engine.corridor_engine import CorridorAgents, CorridorRecord
    from corridor.engine.day_phases import KernelRules

# Draw numbers of a caravan step within each agent's stream (a day has DRAWS per agent and
# purpose); each purpose takes CARAVAN_LEGS consecutive numbers, one per leg, so no number is
# used twice in a day.
CARAVAN_LEGS = 4
D_HAZARD, D_MISSING, D_CAUGHT, D_BREAK, D_CHOOSE = 40, 44, 52, 56, 60


def caravan_agents(agents: CorridorAgents, members: dict[str, np.ndarray]) -> np.ndarray:
    """Agents that the caravan step may move today: members still in their group."""
    live = [idx[agents.group[idx] >= 0] for idx in members.values()]
    return np.concatenate(live) if live else np.zeros(0, dtype=np.int64)


def move_each_caravan(
    m: CorridorModel,
    t: int,
    agents: CorridorAgents,
    members: dict[str, np.ndarray],
    passed: dict[str, int],
    graph: CostGraph,
    weight: np.ndarray,
    closed: np.ndarray,
    p_int: np.ndarray,
    hazard: np.ndarray,
    p: dict[str, np.ndarray],
    keys: np.ndarray,
    rec: CorridorRecord,
    rules: KernelRules,
) -> None:
    """Caravans move as one group at walking pace: the leader (first member still in the group)
    chooses, everyone follows; each member runs the route's hazard (today's ``hazard``, as for
    everyone else); at enforcement the group breaks through with ``caravan_breakthrough``, else
    each member is intercepted with the individual probability (today's ``p_int`` of the route).
    A caravan stops for the day on reaching a US border city (past the last place of its path)
    and disperses there the next day, so that its members cross the border one by one under the
    border rules; it also disperses on its dispersal date. Members reaching a goal arrive. The
    leader chooses by the weights of the caravan's destination set (``weight`` has a row per
    set; set 0, the nearest goal, for a caravan without a destination). A caravan with a path
    (``via``) keeps to the shortest chain of routes to its next place first (searched on
    ``graph``, the run's cost graph); ``passed`` counts the places of each caravan's path
    already reached. Only routes of the caravan's modes are taken. ``rules``: the day kernel's
    agent, place and nationality tuples, for interceptions by the kernel's own rule."""
    for gid, c in enumerate(m.caravans):
        idx = members.get(c["id"])
        if idx is None:
            continue
        live = idx[(agents.group[idx] == gid) & (agents.status[idx] == TRAVELLING)]
        if len(live) == 0:  # nobody left in the group (the dead stay dead): done with it
            del members[c["id"]]
            continue
        leader = live[0]
        here = agents.place[leader]
        if t >= c["dispersal_day"] or _stops_at(m, c, passed, here):
            agents.group[idx] = -1
            del members[c["id"]]
            continue
        speed = p["caravan_speed_km_day"][t]
        time_left = 1.0
        for leg in range(CARAVAN_LEGS):
            if time_left <= 1e-9:
                break
            if agents.edge[leader] < 0:
                e = _leader_route(m, c, agents, int(leader), passed, graph, weight, closed, keys,
                                  leg)  # fmt: skip
                if e < 0:
                    break
                agents.edge[live] = e
                agents.km[live] = 0.0
            e = int(agents.edge[leader])
            need = (m.edge_km[e] - agents.km[leader]) / speed
            if need > time_left:
                agents.km[live] = agents.km[leader] + time_left * speed
                break
            time_left -= need
            dest = int(m.edge_to[e])
            agents.edge[live] = -1
            agents.km[live] = 0.0
            agents.prev[live] = m.edge_from[e]
            agents.place[live] = dest
            rec.route_stats[t, e, R_PASS] += len(live)
            live = _caravan_hazard(agents, live, e, dest, hazard[e], p["missing_share"][t], keys,
                                   leg, rec, t)  # fmt: skip
            if m.enforcement[t, e] > 0 and len(live):
                live = _caravan_checkpoint(agents, live, e, dest, p_int[e], p, keys, leg, rec, t,
                                           rules)  # fmt: skip
            if len(live) == 0:
                break
            if m.goal[dest]:
                agents.status[live] = ARRIVED
                agents.group[live] = -1
                np.add.at(rec.events[t], (dest, EV_ARRIVE, agents.nat[live]), 1)
                break
            if _stops_at(m, c, passed, dest):
                break
            leader = live[0]


def _stops_at(m: CorridorModel, c: dict[str, Any], passed: dict[str, int], place: int) -> bool:
    """Whether the caravan ``c`` reaching ``place`` stops there and disperses the next day: at
    a US border city, unless places of its path are still ahead (a path may run along the
    border, as the road to Tijuana does from Sonoyta)."""
    if KINDS[m.place_kind[place]] not in (PlaceKind.BORDER_CITY, PlaceKind.US_ARRIVAL):
        return False
    return _next_on_path(c["via"], passed.get(c["id"], 0), place) >= len(c["via"])


def _caravan_hazard(
    agents: CorridorAgents,
    live: np.ndarray,
    e: int,
    dest: int,
    hazard_e: float,
    missing_share: float,
    keys: np.ndarray,
    leg: int,
    rec: CorridorRecord,
    t: int,
) -> np.ndarray:
    """Members who die or go missing on route ``e`` (the kernel's rule); returns the rest."""
    dead = rng.uniforms(keys[K_HAZARD], live * DRAWS + D_HAZARD + leg) < hazard_e
    if not dead.any():
        return live
    who = live[dead]
    missing = rng.uniforms(keys[K_HAZARD], who * DRAWS + D_MISSING + leg) < missing_share
    agents.status[who] = np.where(missing, MISSING, DEAD)
    np.add.at(rec.events[t], (dest, EV_DEATH, agents.nat[who[~missing]]), 1)
    np.add.at(rec.events[t], (dest, EV_MISSING, agents.nat[who[missing]]), 1)
    rec.route_stats[t, e, R_DEATH] += len(who)
    return live[~dead]


def _caravan_checkpoint(
    agents: CorridorAgents,
    live: np.ndarray,
    e: int,
    dest: int,
    p_int_e: float,
    p: dict[str, Any],
    keys: np.ndarray,
    leg: int,
    rec: CorridorRecord,
    t: int,
    rules: KernelRules,
) -> np.ndarray:
    """An enforced route: the group breaks through with ``caravan_breakthrough``, else each
    member without papers is intercepted with probability ``p_int_e``, by the kernel's rule
    (detained at the facility of ``dest``, or deported at once where it has none). Returns the
    rest."""
    leader = live[0]
    draw = rng.uniforms(keys[K_INTERCEPT], np.array([leader * DRAWS + D_BREAK + leg]))[0]
    if draw < p["caravan_breakthrough"][t]:
        return live
    caught = rng.uniforms(keys[K_INTERCEPT], live * DRAWS + D_CAUGHT + leg) < p_int_e
    caught &= agents.papers[live] == 0
    if not caught.any():
        return live
    who = live[caught]
    rec.route_stats[t, e, R_INTERCEPT] += len(who)
    agents.group[who] = -1
    A, P, N = rules
    intercept_each(who, dest, rec.events[t], A, P, N, keys, p["detention_stay_scale"][t])
    agents.timer[who] = timer_from_tomorrow(agents.timer[who])
    return live[~caught]


def timer_from_tomorrow(timer: np.ndarray) -> np.ndarray:
    """Timers set today before the day kernel runs, made to end on the day they would for
    someone the kernel catches (whose timer it first counts down tomorrow): the kernel takes a
    day off these today, so they get one more, and at least 2, as the kernel's own end on day
    max(1, ceil(t)) after the catch. Rounded up to a float32 never below t + 1, so that no
    timer ends a day early by rounding (t - 1 is exact in float32 for t in [1, 2^24)); an
    infinite timer (returned for good) stays infinite."""
    wanted = np.maximum(timer.astype(np.float64), 1.0) + 1.0
    out = wanted.astype(np.float32)
    return np.where(out < wanted, np.nextafter(out, np.float32(np.inf)), out)


def _leader_route(
    m: CorridorModel,
    c: dict[str, Any],
    agents: CorridorAgents,
    leader: int,
    passed: dict[str, int],
    graph: CostGraph,
    weight: np.ndarray,
    closed: np.ndarray,
    keys: np.ndarray,
    leg: int,
) -> int:
    """The route the caravan ``c`` takes next from where its leader stands: towards the next
    place of its path while one is left, else by the leader's choice; open routes of the
    caravan's modes only; -1 where there is none."""
    here = int(agents.place[leader])
    usable = c["mode_ok"] & ~closed
    k = _next_on_path(c["via"], passed.get(c["id"], 0), here)
    passed[c["id"]] = k
    if k < len(c["via"]):
        return _toward(m, graph, here, int(c["via"][k]), usable)
    return _caravan_choice(m, here, int(agents.prev[leader]), weight[max(c["dest"], 0)], usable,
                           keys, leader, leg)  # fmt: skip


def _next_on_path(via: np.ndarray, k: int, here: int) -> int:
    """How many places of the path are passed once the caravan stands at ``here``, ``k`` of
    them having been passed before (a place named twice in a row is passed at once)."""
    while k < len(via) and via[k] == here:
        k += 1
    return k


def _toward(m: CorridorModel, graph: CostGraph, place: int, target: int, usable: np.ndarray) -> int:
    """The first route of the shortest chain (in km) of ``usable`` routes from ``place`` to
    ``target`` (the lowest edge index among equally short ones); -1 where none leads there.
    A search per step is cheap: caravans are few and the network a few hundred places."""
    lo, hi = m.out_start[place], m.out_start[place + 1]
    edges = m.out_edge[lo:hi]
    edges = edges[usable[edges]]
    if len(edges) == 0:
        return -1
    via_edge = m.edge_km[edges] + km_to(m, graph, target, usable)[m.edge_to[edges]]
    best = int(np.argmin(via_edge))
    return int(edges[best]) if np.isfinite(via_edge[best]) else -1


def km_to(m: CorridorModel, graph: CostGraph, target: int, usable: np.ndarray) -> np.ndarray:
    """Each place's shortest distance in km to ``target`` over ``usable`` routes (inf where
    none leads there): the search of the cost to go (the run's reversed graph ``graph``, the
    shortest of parallel routes), with km for costs and the other routes closed."""
    pair_km = np.empty(len(graph.starts))
    cheapest_pairs(m.edge_km, ~usable, graph.order, graph.starts, pair_km)
    sources = np.array([target], dtype=np.int64)
    return distances_from(graph.indptr, graph.pair_from, pair_km, sources, np.empty(m.n_place))


def _caravan_choice(
    m: CorridorModel,
    place: int,
    back: int,
    weight: np.ndarray,
    usable: np.ndarray,
    keys: np.ndarray,
    leader: int,
    leg: int,
) -> int:
    """The leader's next route out of ``place`` by today's choice weights, among the ``usable``
    ones (open, of the caravan's modes), not back to ``back`` unless it is the only way on; -1
    where there is none. One draw of the leader's stream."""
    lo, hi = m.out_start[place], m.out_start[place + 1]
    edges = m.out_edge[lo:hi]
    ok = usable[edges] & (weight[edges] > 0)
    fwd = ok & (m.edge_to[edges] != back)
    use = fwd if fwd.any() else ok
    if not use.any():
        return -1
    w = np.where(use, weight[edges], 0.0)
    x = rng.uniforms(keys[K_CHOOSE], np.array([leader * DRAWS + D_CHOOSE + leg]))[0] * w.sum()
    return int(edges[min(np.searchsorted(np.cumsum(w), x, side="right"), len(edges) - 1)])
