"""The ``corridor`` ruleset's day loop (docs/model.md, "A day").

Per day: parameters and schedules of the day; departures, caravans setting off; route costs with
perceived enforcement, cost to go (shortest paths, recomputed only when a cost changed) and logit
weights; caravans move; every other agent's day in one parallel kernel; perceived enforcement is
updated from what agents met; counts are recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numba
import numpy as np

from corridor.compile.corridor import KINDS, CorridorModel
from corridor.engine import rng
from corridor.engine.corridor_kernels import (
    ARRIVED,
    DEAD,
    DRAWS,
    EV_ARRIVE,
    EV_DEATH,
    EV_DEPART,
    EV_MISSING,
    K_CHOOSE,
    K_HAZARD,
    K_INTERCEPT,
    MISSING,
    N_EVENTS,
    N_ROUTE_STATS,
    R_DEATH,
    R_INTERCEPT,
    R_PASS,
    TRAVELLING,
    corridor_day,
    count_change,
    count_on_edges,
    count_states,
    intercept_each,
)
from corridor.engine.cost_to_go import CostGraph, choice_weights, cost_to_go, positive_costs
from corridor.engine.responses import (
    WITH_PAPERS,
    JourneyCost,
    add_outcomes,
    departure_multiplier,
    deterrence,
    move_chances,
)
from corridor.engine.route_tables import (
    cumulative_by_place,
    day_route_costs,
    interception_chances,
    update_perception,
)
from corridor.scenario.native.schema import PlaceKind

SPAWN_STREAM = 0xC0DE
N_STATUS = 9
FIELDS = ("place", "edge", "km", "prev", "status", "nat", "age", "origin", "group", "attempts",
          "timer", "wait_reason", "papers")  # fmt: skip
DTYPES = (np.int32, np.int32, np.float32, np.int32, np.int8, np.int8, np.int8, np.int32,
          np.int32, np.int16, np.float32, np.int8, np.uint8)  # fmt: skip


class CorridorAgents:
    """Agent state as a structure of arrays (35 bytes per agent), and ``live[:n_live]``, the
    agents something can still happen to (4 bytes per agent): the day's kernel walks only those,
    since arrived, dead, missing, stopped and finally returned people are most of a long run."""

    def __init__(self, capacity: int):
        self.n = 0
        self._alloc(max(capacity, 1024))

    def _alloc(self, cap: int) -> None:
        """Room for ``cap`` agents, uninitialised: ``add`` writes every field of a new agent and
        nothing reads past ``n``, so memory is first touched when agents arrive (in the spawn
        phase) and never written twice. Touching fresh memory is most of that phase at 1e7
        agents (about 1 ms per MB on the benchmark machine, huge pages or not)."""
        for name, dtype in zip(FIELDS, DTYPES, strict=True):
            new = np.empty(cap, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[: self.n] = old[: self.n]
            setattr(self, name, new)
        live = np.empty(cap, dtype=np.int32)
        if hasattr(self, "live"):
            live[: self.n_live] = self.live[: self.n_live]
        else:
            self.n_live = 0
        self.live = live

    def add(
        self, place: np.ndarray, nat: np.ndarray, age: np.ndarray, group: int = -1
    ) -> np.ndarray:
        k = len(place)
        if self.n + k > len(self.place):
            self._alloc(max(self.n + k, 2 * len(self.place)))
        sl = slice(self.n, self.n + k)
        self.place[sl] = place
        self.origin[sl] = place
        self.nat[sl] = nat
        self.age[sl] = age
        self.edge[sl] = -1
        self.prev[sl] = -1
        self.group[sl] = group
        self.status[sl] = TRAVELLING
        self.km[sl] = 0.0
        self.attempts[sl] = 1
        self.timer[sl] = 0.0
        self.wait_reason[sl] = 0
        self.papers[sl] = 0
        idx = np.arange(self.n, self.n + k)
        self.live[self.n_live : self.n_live + k] = idx
        self.n_live += k
        self.n += k
        return idx

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, f) for f in FIELDS)

    def nbytes(self) -> int:
        state = sum(getattr(self, f)[: max(self.n, 1)].nbytes for f in FIELDS)
        return state + self.live[: max(self.n, 1)].nbytes


@dataclass
class CorridorRecord:
    counts: np.ndarray  # int32 [days, place, status, nat, age] at the end of each day
    events: np.ndarray  # int32 [days, place, event, nat]
    route_stats: np.ndarray  # int32 [days, edge, 4]: passages, interceptions, deaths, on edge
    perceived: np.ndarray  # float32 [days, edge] perceived interception probability
    n_agents: np.ndarray  # int64 [days]
    state_bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    dijkstra_runs: int = 0


def run_corridor(
    model: CorridorModel,
    seed: int,
    on_day: Callable[[int], None] | None = None,
    verify_counts: bool = False,
) -> CorridorRecord:
    """Run the model day by day. ``verify_counts`` recounts every agent each day and checks the
    running counts against it (a self-check for tests; it costs a full pass over the agents)."""
    m = model
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, SPAWN_STREAM])))
    root = rng.root_key(seed)
    n_place, n_edge, n_nat, n_age = m.n_place, m.n_edge, len(m.nationalities), len(m.age_groups)
    expected = float(m.dep_people.sum()) * m.scale + sum(c["people"] for c in m.caravans) * m.scale
    agents = CorridorAgents(int(expected * 1.05) + 1024)
    rec = CorridorRecord(
        counts=np.zeros((m.days, n_place, N_STATUS, n_nat, n_age), dtype=np.int32),
        events=np.zeros((m.days, n_place, N_EVENTS, n_nat), dtype=np.int32),
        route_stats=np.zeros((m.days, n_edge, 4), dtype=np.int32),
        perceived=np.zeros((m.days, n_edge), dtype=np.float32),
        n_agents=np.zeros(m.days, dtype=np.int64),
    )
    timings = dict.fromkeys(("spawn", "costs", "caravans", "move", "perceive", "record"), 0.0)
    dep_bounds = np.searchsorted(m.dep_day, np.arange(m.days + 1))
    mx = m.nationalities.index("MX") if "MX" in m.nationalities else -1
    exposure = m.edge_exposure
    p = m.params
    perceived = np.zeros(n_edge)  # at first, the first day's true interception chances
    interception_chances(p["enforcement_scale"][0], m.enforcement[0], exposure, perceived)
    # Smoothed counts of passages and interceptions seen on each route; the prior weight is
    # perception_min_passages passages at the first day's true probability.
    prior = max(float(p["perception_min_passages"][0]), 1e-6)
    seen_pass = np.full(n_edge, prior)
    seen_caught = perceived * prior
    # The day's route tables, refilled in place (route_tables.py); ``last_key`` holds the costs
    # the cost to go was last computed from (NaN: never).
    last_key = np.full(n_edge, np.nan)
    cost_graph = CostGraph.of(m)
    cum = np.zeros(len(m.out_edge))
    out_to = m.edge_to[m.out_edge]  # each out_edge entry's destination: one load in the choice
    weight = np.zeros(n_edge)
    hazard, cost = np.zeros(n_edge), np.zeros(n_edge)
    p_int, p_raid, no_exposure = np.zeros(n_edge), np.zeros(n_place), np.ones(n_place)
    w_cost, hazard_scale = np.zeros(4), np.zeros(2)
    keys = np.zeros(rng.N_PURPOSES, dtype=np.uint64)
    # Successes and failures by nationality up to each day (rows: days before; cumulative), for
    # the deterrence feedback: a day then reads its window without summing the whole history.
    outcomes = np.zeros((m.days + 1, 2, n_nat), dtype=np.int64)
    track_outcomes = bool((p["deterrence_elasticity"] > 0).any())
    # The perceived cost to go from every place and its running mean, for the departures' and the
    # travellers' responses to the journey's cost (responses.py); kept only where one is on.
    journey = None
    if (p["departure_cost_response"] > 0).any() or (p["transit_cost_response"] > 0).any():
        journey = JourneyCost(n_place, n_edge)
    to_go = journey.to_go[0] if journey is not None else None
    # Today's chance of moving on from each place, without (row 0) and with (row 1) papers.
    move_chance = np.zeros((2, n_place))
    responsive = np.array([KINDS[k] != PlaceKind.ORIGIN for k in m.place_kind], dtype=bool)
    caravan_members: dict[str, np.ndarray] = {}
    # Running counts at the end of the day (place, status, nat, age) and agents on each route,
    # kept up to date from the agents whose state changed (see corridor_kernels.corridor_chunk).
    state_counts = np.zeros((n_place, N_STATUS, n_nat, n_age), dtype=np.int32)
    on_edge = np.zeros(n_edge, dtype=np.int32)
    slots = numba.get_num_threads()
    ev_th = np.zeros((slots, n_place, N_EVENTS, n_nat), np.int32)
    rs_th = np.zeros((slots, n_edge, N_ROUTE_STATS), np.int32)
    dc_th = np.zeros((slots, *state_counts.shape), np.int32)
    de_th = np.zeros((slots, n_edge), np.int32)
    for t in range(m.days):
        t0 = time.perf_counter()
        # -- 1-2. departures and caravans ---------------------------------------------------
        lo, hi = dep_bounds[t], dep_bounds[t + 1]
        if hi > lo:
            mult = deterrence(m, outcomes, t, n_nat)
            people = m.dep_people[lo:hi] * m.scale * mult[m.dep_nat[lo:hi]]
            beta = p["departure_cost_response"][t]
            if beta > 0 and t > 0:
                papers_row = (m.dep_nat[lo:hi] == mx).astype(np.intp)
                people = people * departure_multiplier(
                    beta, journey, m.dep_origin[lo:hi], papers_row
                )
            whole = np.floor(people)
            n_new = (whole + (gen.random(len(people)) < people - whole)).astype(np.int64)
            if n_new.sum():
                origin = np.repeat(m.dep_origin[lo:hi], n_new)
                nat = np.repeat(m.dep_nat[lo:hi], n_new)
                age = np.repeat(m.dep_age[lo:hi], n_new)
                idx = agents.add(origin, nat, age)
                if mx >= 0:  # Mexican nationals are not subject to Mexico's migration enforcement
                    agents.papers[idx] = nat == mx
                per_row = n_new.astype(np.int32)  # counted per departure row, not per agent
                np.add.at(rec.events[t], (m.dep_origin[lo:hi], EV_DEPART, m.dep_nat[lo:hi]),
                          per_row)  # fmt: skip
                np.add.at(state_counts, (m.dep_origin[lo:hi], TRAVELLING, m.dep_nat[lo:hi],
                                         m.dep_age[lo:hi]), per_row)  # fmt: skip
        for c in m.caravans:
            if c["day"] == t:
                size = round(c["people"] * m.scale)
                adult = gen.random(size) >= c["child_share"]
                ages = np.where(adult, c["adult_age"], c["child_age"]).astype(np.int8)
                gid = m.caravans.index(c)
                idx = agents.add(
                    np.full(size, c["origin"], np.int32),
                    np.full(size, c["nat"], np.int8),
                    ages,
                    gid,
                )
                caravan_members[c["id"]] = idx
                rec.events[t, c["origin"], EV_DEPART, c["nat"]] += size
                np.add.at(state_counts, (c["origin"], TRAVELLING, c["nat"], ages), 1)
        t1 = time.perf_counter()
        # -- costs, cost to go and choice weights -------------------------------------------
        closed = m.closed[t]
        for k, name in enumerate(("w_time", "w_money", "w_hazard", "w_enforcement")):
            w_cost[k] = p[name][t]
        hazard_scale[:] = p["hazard_scale_border"][t], p["hazard_scale_transit"][t]
        if _route_costs(m, closed, perceived, w_cost, hazard_scale, hazard, cost, last_key):
            choice_weights(m, cost, closed, p["choice_theta"][t], cost_graph, weight, to_go)
            cumulative_by_place(weight, closed, m.out_start, m.out_edge, cum)
            rec.dijkstra_runs += 1
        if journey is not None:
            _price_with_papers(m, journey, closed, perceived, w_cost, hazard_scale, cost_graph)
            journey.end_of_costs()
        move_chances(
            p["transit_cost_response"][t],
            journey,
            m.move_chance_by_kind[t][m.place_kind],
            responsive,
            move_chance,
        )
        scale_t = p["enforcement_scale"][t]
        interception_chances(scale_t, m.raid[t], no_exposure, p_raid)
        interception_chances(scale_t, m.enforcement[t], exposure, p_int)
        t2 = time.perf_counter()
        rng.stream_keys(root, t, 0, keys)
        A = agents.arrays()
        P = (m.goal, m.facility_of, m.stay_shape, m.stay_scale, m.stay_mean, p_raid,
             move_chance)  # fmt: skip
        N = (m.det_cum, m.return_place, m.redepart_p, m.redepart_delay, mx)
        # -- caravans ------------------------------------------------------------------------
        if caravan_members:  # members leave the running counts before the step, re-enter after it
            moving = _caravan_agents(agents, caravan_members)
            _count_change(m, agents, moving, state_counts, on_edge, -1)
            _move_caravans(
                m, t, agents, caravan_members, weight, closed, p_int, hazard, p, keys, rec,
                (A, P, N),
            )  # fmt: skip
            _count_change(m, agents, moving, state_counts, on_edge, 1)
        t3 = time.perf_counter()
        # -- everyone else ----------------------------------------------------------------
        E = (m.out_start, m.out_edge, out_to, m.edge_from, m.edge_to, m.edge_km, m.edge_speed,
             hazard, p_int, m.edge_border, cum)  # fmt: skip
        B = (m.b_apprehend[t], m.b_fate_cum[t], m.b_mpp_city[t], m.b_mpp_wait[t])
        S = (p["enforcement_scale"][t], p["missing_share"][t], p["mpp_abandon_p"][t],
             p["asylum_wait_days"][t], p["detention_stay_scale"][t])  # fmt: skip
        agents.n_live = corridor_day(
            agents.live, agents.n_live, A, P, E, B, N, S, keys, ev_th, rs_th, dc_th, de_th,
            rec.events[t], rec.route_stats[t], state_counts, on_edge,
        )  # fmt: skip
        t4 = time.perf_counter()
        # -- perceived enforcement --------------------------------------------------------
        update_perception(
            1.0 / p["perception_lag_days"][t],
            rec.route_stats[t, :, R_PASS],
            rec.route_stats[t, :, R_INTERCEPT],
            seen_pass,
            seen_caught,
            perceived,
        )
        if t in m.announced:
            _take_in_announcement(
                p["announcement_belief"][t],
                m.enforcement[t] + m.announced[t],
                p["enforcement_scale"][t],
                exposure,
                seen_pass,
                seen_caught,
                perceived,
            )
        rec.perceived[t] = perceived
        t5 = time.perf_counter()
        # -- record -------------------------------------------------------------------------
        rec.counts[t] = state_counts
        rec.route_stats[t, :, 3] = on_edge
        rec.n_agents[t] = agents.n
        if track_outcomes:
            add_outcomes(rec.events[t], outcomes[t], outcomes[t + 1])
        if verify_counts:
            _verify_counts(m, agents, state_counts, on_edge, t)
        t6 = time.perf_counter()
        for k, v in zip(
            timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
        ):
            timings[k] += v
        if on_day is not None:
            on_day(t)
    rec.timings = timings
    rec.state_bytes = agents.nbytes()
    return rec


def _take_in_announcement(
    belief: float,
    intensity: np.ndarray,
    scale: float,
    exposure: np.ndarray,
    seen_pass: np.ndarray,
    seen_caught: np.ndarray,
    perceived: np.ndarray,
) -> None:
    """An announced event's day: perceived interception rises by ``belief`` of the way to the
    chance that the day's enforcement plus the event's rows still to come will bring (never
    falls). The smoothed count of interceptions seen is set to match, so learning from what
    people then meet goes on from the new perception (docs/model.md, "Perceived enforcement")."""
    if belief <= 0:
        return
    told = np.zeros(len(intensity))
    interception_chances(scale, intensity, exposure, told)
    raised = perceived + belief * np.maximum(told - perceived, 0.0)
    seen_caught[:] = raised * seen_pass
    perceived[:] = seen_caught / seen_pass


def _route_costs(
    m: CorridorModel,
    closed: np.ndarray,
    perceived: np.ndarray,
    w: np.ndarray,
    hazard_scale: np.ndarray,
    hazard: np.ndarray,
    cost: np.ndarray,
    key: np.ndarray,
) -> bool:
    """:func:`day_route_costs` over the model's routes with cost weights ``w``: fills ``hazard``
    and ``cost``; True where the costs differ from ``key`` (the cost to go must be recomputed)."""
    return bool(
        day_route_costs(
            m.edge_km,
            m.edge_speed,
            m.edge_cost,
            m.edge_hazard,
            m.edge_border,
            closed,
            perceived,
            w,
            hazard_scale,
            hazard,
            cost,
            key,
        )
    )


def _price_with_papers(
    m: CorridorModel,
    journey: JourneyCost,
    closed: np.ndarray,
    perceived: np.ndarray,
    w_cost: np.ndarray,
    hazard_scale: np.ndarray,
    graph: CostGraph,
) -> None:
    """Row 1 of the journey's cost to go: the day's route costs without perceived interception,
    whose shortest paths are computed again only when those costs changed."""
    w = journey.weights_with_papers
    w[:] = w_cost
    w[3] = 0.0
    if _route_costs(
        m,
        closed,
        perceived,
        w,
        hazard_scale,
        journey.hazard_scratch,
        journey.cost_with_papers,
        journey.key_with_papers,
    ):
        costs = positive_costs(journey.cost_with_papers)
        journey.to_go[WITH_PAPERS] = cost_to_go(m, costs, closed, graph)


def _verify_counts(
    m: CorridorModel,
    agents: CorridorAgents,
    state_counts: np.ndarray,
    on_edge: np.ndarray,
    t: int,
) -> None:
    full = np.zeros_like(state_counts)
    count_states(agents.n, agents.place, agents.edge, agents.status, agents.nat, agents.age,
                 m.edge_to, full)  # fmt: skip
    edges = np.zeros_like(on_edge)
    count_on_edges(agents.n, agents.edge, edges)
    if not (np.array_equal(full, state_counts) and np.array_equal(edges, on_edge)):
        raise AssertionError(f"running counts differ from a full recount on day {t}")


def _count_change(
    m: CorridorModel,
    agents: CorridorAgents,
    idx: np.ndarray,
    state_counts: np.ndarray,
    on_edge: np.ndarray,
    sign: int,
) -> None:
    count_change(idx, agents.place, agents.edge, agents.status, agents.nat, agents.age,
                 m.edge_to, state_counts, on_edge, sign)  # fmt: skip


def _caravan_agents(agents: CorridorAgents, members: dict[str, np.ndarray]) -> np.ndarray:
    """Agents that the caravan step may move today: members still in their group."""
    live = [idx[agents.group[idx] >= 0] for idx in members.values()]
    return np.concatenate(live) if live else np.zeros(0, dtype=np.int64)


def _move_caravans(
    m, t, agents, members, weight, closed, p_int, hazard, p, keys, rec, rules
) -> None:  # type: ignore[no-untyped-def]
    """Caravans move as one group at walking pace: the leader (first member still in the group)
    chooses, everyone follows; each member runs the route's hazard (today's ``hazard``, as for
    everyone else); at enforcement the group breaks through with ``caravan_breakthrough``, else
    each member is intercepted with the individual probability (today's ``p_int`` of the route).
    A caravan stops for the day on reaching a US border city and disperses there the next day,
    so that its members cross the border one by one under the border rules; it also disperses on
    its dispersal date. Members reaching a goal arrive. ``rules``: the day kernel's agent, place
    and nationality tuples, for interceptions by the kernel's own rule."""
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
        if t >= c["dispersal_day"] or _disperses_at(m, here):
            agents.group[idx] = -1
            del members[c["id"]]
            continue
        speed = p["caravan_speed_km_day"][t]
        time_left = 1.0
        for leg in range(CARAVAN_LEGS):
            if time_left <= 1e-9:
                break
            if agents.edge[leader] < 0:
                e = _caravan_choice(
                    m,
                    agents.place[leader],
                    agents.prev[leader],
                    weight,
                    closed,
                    keys,
                    int(leader),
                    leg,
                )
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
            if _disperses_at(m, dest):
                break
            leader = live[0]


# Draw numbers of a caravan step within each agent's stream (a day has DRAWS per agent and
# purpose); each purpose takes CARAVAN_LEGS consecutive numbers, one per leg, so no number is
# used twice in a day.
CARAVAN_LEGS = 4
D_HAZARD, D_MISSING, D_CAUGHT, D_BREAK, D_CHOOSE = 40, 44, 52, 56, 60


def _disperses_at(m: CorridorModel, place: int) -> bool:
    return KINDS[m.place_kind[place]] in (PlaceKind.BORDER_CITY, PlaceKind.US_ARRIVAL)


def _caravan_hazard(agents, live, e, dest, hazard_e, missing_share, keys, leg, rec, t):  # type: ignore[no-untyped-def]
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


def _caravan_checkpoint(agents, live, e, dest, p_int_e, p, keys, leg, rec, t, rules):  # type: ignore[no-untyped-def]
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
    return live[~caught]


def _caravan_choice(m, place, back, weight, closed, keys, leader, leg) -> int:  # type: ignore[no-untyped-def]
    lo, hi = m.out_start[place], m.out_start[place + 1]
    edges = m.out_edge[lo:hi]
    ok = (~closed[edges]) & (weight[edges] > 0)
    fwd = ok & (m.edge_to[edges] != back)
    use = fwd if fwd.any() else ok
    if not use.any():
        return -1
    w = np.where(use, weight[edges], 0.0)
    x = rng.uniforms(keys[K_CHOOSE], np.array([leader * DRAWS + D_CHOOSE + leg]))[0] * w.sum()
    return int(edges[min(np.searchsorted(np.cumsum(w), x, side="right"), len(edges) - 1)])
