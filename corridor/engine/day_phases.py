"""The phases of a corridor day, one function per phase, and the run's tables they share.

``run_corridor`` (corridor_engine.py) sets up a :class:`RunTables` once per run, then calls the
phases in the order of a day (docs/model.md, "A day"): :func:`spawn` (departures and caravans
setting off), :func:`price_routes` (route costs, cost to go, choice weights, chances of moving on
and of interception), :func:`kernel_inputs` and :func:`move_caravans`, :func:`step_other_agents`
(the day kernel), :func:`perceive_enforcement` and :func:`record_day`. The phases keep their work
apart so that ``rec.timings`` can time each one (the caravans' own step is in caravans.py). The
tables are allocated once per run and refilled in place each day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numba
import numpy as np

from corridor.compile.corridor import KINDS, CorridorModel
from corridor.engine import rng
from corridor.engine.caravans import caravan_agents, move_each_caravan
from corridor.engine.corridor_kernels import (
    N_EVENTS,
    N_ROUTE_STATS,
    R_INTERCEPT,
    R_PASS,
    corridor_day,
    count_change,
    count_departures,
    count_on_edges,
    count_states,
)
from corridor.engine.cost_to_go import CostGraph, choice_weights, cost_to_go, positive_costs
from corridor.engine.ports import PortLists, serve_ports
from corridor.engine.responses import (
    WITH_PAPERS,
    JourneyCost,
    add_outcomes,
    departure_multiplier,
    deterrence,
    move_chances,
)
from corridor.engine.route_tables import (
    day_route_costs,
    interception_chances,
    update_perception,
)
from corridor.scenario.native.schema import PlaceKind

if TYPE_CHECKING:
    from corridor.engine.corridor_engine import CorridorAgents, CorridorRecord

SPAWN_STREAM = 0xC0DE

# The kernel's agent, place and nationality tuples of the day (see :func:`kernel_inputs`).
KernelRules = tuple[tuple[np.ndarray, ...], tuple[Any, ...], tuple[Any, ...]]


@dataclass
class RunTables:
    """What a run carries from day to day besides the agents and the record: the spawn's random
    numbers, perceived enforcement, the day's route tables (refilled in place, see
    route_tables.py), the running counts and the day kernel's per-thread scratch. Held in one
    place so that each phase takes what it needs by name, and allocated once per run."""

    # -- spawn ---------------------------------------------------------------------------------
    gen: np.random.Generator  # departures' and caravans' draws (not the agents' own streams)
    root: np.uint64  # the run's key for the agents' counter-based streams (rng.py)
    dep_bounds: np.ndarray  # departure rows of day t: dep_bounds[t]:dep_bounds[t + 1]
    mx: int  # index of Mexican nationality (they travel with papers), -1 if none
    draw_dest: bool  # whether departures are given destinations (destinations.csv has rows)
    caravan_members: dict[str, np.ndarray]  # agents of each caravan still moving as a group
    caravan_passed: dict[str, int]  # places of each caravan's path (via) reached so far
    # Successes and failures by nationality up to each day (rows: days before; cumulative), for
    # the deterrence feedback: a day then reads its window without summing the whole history.
    outcomes: np.ndarray
    track_outcomes: bool
    # -- perceived enforcement -------------------------------------------------------------------
    # Perceived interception chance of each route, and the smoothed counts of passages and
    # interceptions seen on it; the prior weight is perception_min_passages passages at the first
    # day's true probability.
    perceived: np.ndarray
    seen_pass: np.ndarray
    seen_caught: np.ndarray
    # -- the day's route tables ------------------------------------------------------------------
    last_key: np.ndarray  # the costs the cost to go was last computed from (NaN: never)
    cost_graph: CostGraph
    cum: np.ndarray  # cumulative choice weights by place (cumulative_by_place), row per set
    out_to: np.ndarray  # each out_edge entry's destination: one load in the choice
    weight: np.ndarray  # choice weights, a row per destination set
    hazard: np.ndarray
    cost: np.ndarray
    p_int: np.ndarray  # today's interception chance on each route
    p_raid: np.ndarray  # today's chance of a raid at each place
    no_exposure: np.ndarray  # raids: every place fully exposed
    w_cost: np.ndarray  # today's weights of time, money, hazard and enforcement in a route's cost
    hazard_scale: np.ndarray  # today's hazard scale on border and transit routes
    keys: np.ndarray  # today's stream keys, one per purpose
    # The perceived cost to go from every place and its running mean, for the departures' and the
    # travellers' responses to the journey's cost (responses.py); kept only where one is on.
    journey: JourneyCost | None
    to_go: np.ndarray  # cost to go to each destination set, written by the choice weights
    move_chance: np.ndarray  # today's chance of moving on, without (row 0) and with (1) papers
    responsive: np.ndarray  # places whose chance of moving on responds to the journey's cost
    # -- running counts --------------------------------------------------------------------------
    # Counts at the end of the day (place, status, nat, age) and agents on each route, kept up to
    # date from the agents whose state changed (see corridor_kernels.corridor_chunk), and the day
    # kernel's tallies of them for each thread but the first (which counts into the day's tables).
    state_counts: np.ndarray
    on_edge: np.ndarray
    ev_th: np.ndarray
    rs_th: np.ndarray
    dc_th: np.ndarray
    de_th: np.ndarray
    # -- ports of entry ----------------------------------------------------------------------------
    port_lists: PortLists | None  # None: no port takes anyone in the run
    joined: np.ndarray  # agents who joined a port's list in today's kernel, for the lists' step


def set_up_run(m: CorridorModel, seed: int, rec: CorridorRecord) -> RunTables:
    """The run's tables before day 0. Perception starts at the first day's true interception
    chances, held with the weight of ``perception_min_passages`` passages, so that the first
    few passages seen do not swing it. ``rec`` gives the shape of the running counts."""
    p = m.params
    n_place, n_edge, n_nat = m.n_place, m.n_edge, len(m.nationalities)
    perceived = np.zeros(n_edge)  # at first, the first day's true interception chances
    interception_chances(p["enforcement_scale"][0], m.enforcement[0], m.edge_exposure, perceived)
    prior = max(float(p["perception_min_passages"][0]), 1e-6)
    journey = None
    if (p["departure_cost_response"] > 0).any() or (p["transit_cost_response"] > 0).any():
        journey = JourneyCost(n_place, n_edge)
    state_shape = rec.counts.shape[1:]
    slots = numba.get_num_threads() - 1  # the day kernel's first thread needs no scratch
    return RunTables(
        gen=np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, SPAWN_STREAM]))),
        root=rng.root_key(seed),
        dep_bounds=np.searchsorted(m.dep_day, np.arange(m.days + 1)),
        mx=m.nationalities.index("MX") if "MX" in m.nationalities else -1,
        draw_dest=bool((m.dest_cum[:, 0] < 1.0).any()),
        caravan_members={},
        caravan_passed={},
        outcomes=np.zeros((m.days + 1, 2, n_nat), dtype=np.int64),
        track_outcomes=bool((p["deterrence_elasticity"] > 0).any()),
        perceived=perceived,
        seen_pass=np.full(n_edge, prior),
        seen_caught=perceived * prior,
        last_key=np.full(n_edge, np.nan),
        cost_graph=CostGraph.of(m),
        cum=np.zeros((m.n_dest_sets, len(m.out_edge))),
        out_to=m.edge_to[m.out_edge],
        weight=np.zeros((m.n_dest_sets, n_edge)),
        hazard=np.zeros(n_edge),
        cost=np.zeros(n_edge),
        p_int=np.zeros(n_edge),
        p_raid=np.zeros(n_place),
        no_exposure=np.ones(n_place),
        w_cost=np.zeros(4),
        hazard_scale=np.zeros(2),
        keys=np.zeros(rng.N_PURPOSES, dtype=np.uint64),
        journey=journey,
        to_go=np.zeros((m.n_dest_sets, n_place)),
        move_chance=np.zeros((2, n_place)),
        responsive=np.array([KINDS[k] != PlaceKind.ORIGIN for k in m.place_kind], dtype=bool),
        state_counts=np.zeros(state_shape, dtype=np.int32),
        on_edge=np.zeros(n_edge, dtype=np.int32),
        ev_th=np.zeros((slots, n_place, N_EVENTS, n_nat), np.int32),
        rs_th=np.zeros((slots, n_edge, N_ROUTE_STATS), np.int32),
        dc_th=np.zeros((slots, *state_shape), np.int32),
        de_th=np.zeros((slots, n_edge), np.int32),
        port_lists=PortLists.empty(len(m.crossing_edges)) if m.has_ports else None,
        joined=np.zeros(0, np.int32),
    )


# -- spawn ---------------------------------------------------------------------------------------


def spawn(
    m: CorridorModel, t: int, tb: RunTables, agents: CorridorAgents, rec: CorridorRecord
) -> None:
    """Day ``t``'s new agents: the departures of the day's rows, then the caravans setting off.
    Departures draw from ``tb.gen`` before the caravans do, so the order is part of the results."""
    _spawn_departures(m, t, tb, agents, rec)
    _spawn_caravans(m, t, tb, agents, rec)


def _spawn_departures(
    m: CorridorModel, t: int, tb: RunTables, agents: CorridorAgents, rec: CorridorRecord
) -> None:
    """The day's departure rows become agents: each row's people, scaled, damped by deterrence
    and, from day 1 on, by the journey's perceived cost as priced the day before, then rounded at
    random so that expected numbers are kept at any scale. They enter the running counts and
    the day's departure events here, since the kernel only counts changes of state. The share of
    a nationality that travels in groups (groups.csv) sets off as groups (:func:`_spawn_groups`)
    after the people travelling alone."""
    lo, hi = tb.dep_bounds[t], tb.dep_bounds[t + 1]
    if hi <= lo:
        return
    p, mx = m.params, tb.mx
    mult = deterrence(m, tb.outcomes, t, len(m.nationalities))
    people = m.dep_people[lo:hi] * m.scale * mult[m.dep_nat[lo:hi]]
    beta = p["departure_cost_response"][t]
    if beta > 0 and t > 0:
        papers_row = (m.dep_nat[lo:hi] == mx).astype(np.intp)
        people = people * departure_multiplier(beta, tb.journey, m.dep_origin[lo:hi], papers_row)
    in_groups = None
    if m.group_share.any():
        in_groups = people * m.group_share[m.dep_nat[lo:hi]]
        people = people - in_groups
    whole = np.floor(people)
    n_new = (whole + (tb.gen.random(len(people)) < people - whole)).astype(np.int64)
    if n_new.sum():
        origin = np.repeat(m.dep_origin[lo:hi], n_new)
        nat = np.repeat(m.dep_nat[lo:hi], n_new)
        age = np.repeat(m.dep_age[lo:hi], n_new)
        dest = _draw_destinations(m, tb, nat) if tb.draw_dest else None
        agents.add(origin, nat, age, papers_nat=mx, dest=dest)  # Mexico's: not for Mexicans
        count_departures(rec.events[t], tb.state_counts, m.dep_origin[lo:hi], m.dep_nat[lo:hi],
                         m.dep_age[lo:hi], n_new.astype(np.int32))  # fmt: skip
    if in_groups is not None:
        _spawn_groups(m, tb, agents, rec.events[t], lo, in_groups)


def _spawn_groups(
    m: CorridorModel,
    tb: RunTables,
    agents: CorridorAgents,
    events: np.ndarray,
    lo: int,
    in_groups: np.ndarray,
) -> None:
    """Groups setting off today from each origin, per nationality with groups: the people of the
    day's rows who travel in groups (``in_groups``, scaled like everyone's) over the group
    size, rounded at random, so that the share in groups is kept in expectation at any scale,
    however few set off a day. Each member's age group is drawn from the rows' people in groups
    (a group mixes ages as the departures do). A group's first member is its lead, whose draws
    and destination every member takes, so the group travels as one from today. The draws are
    taken origin by origin; the groups of all origins then become agents in one go, numbered in
    the same order (a call per origin would cost a few dozen NumPy calls each, every day)."""
    hi = lo + len(in_groups)
    row_nat, row_origin, row_age = m.dep_nat[lo:hi], m.dep_origin[lo:hi], m.dep_age[lo:hi]
    for j in np.flatnonzero(m.group_share > 0):
        size = int(m.group_size[j])
        of_nat = row_nat == j
        origins, groups, ages, dest_u = [], [], [], []
        for o in np.unique(row_origin[of_nat]):
            mine = of_nat & (row_origin == o)
            weight = in_groups[mine]
            total = weight.sum()
            expected = total / size
            n_groups = int(expected) + int(tb.gen.random() < expected - int(expected))
            if n_groups == 0:
                continue
            cum = np.cumsum(weight) / total
            u = tb.gen.random(n_groups * size)
            row = np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)
            origins.append(o)
            groups.append(n_groups)
            ages.append(row_age[mine][row])
            if tb.draw_dest:  # one destination per group, the lead's
                dest_u.append(tb.gen.random(n_groups))
        if not groups:
            continue
        members = np.array(groups) * size
        n = int(members.sum())
        # the departure rows' types, as the compiled loops were given them
        nat = np.full(n, j, dtype=row_nat.dtype)
        origin = np.repeat(np.array(origins, dtype=row_origin.dtype), members)
        age = np.concatenate(ages)
        dest = None
        if tb.draw_dest:
            u = np.concatenate(dest_u)
            dest = np.repeat(_destinations(m, nat[: len(u)], u), size)
        new = agents.add(origin, nat, age, papers_nat=tb.mx, dest=dest)
        lead = np.repeat(new[::size], size)  # each origin's groups are whole: leads size apart
        agents.group[new] = -2 - lead  # a travel group: see corridor_kernels.py, A
        agents.group_size[new] = size
        count_departures(events, tb.state_counts, origin, nat, age, np.ones(n, np.int32))


def _spawn_caravans(
    m: CorridorModel, t: int, tb: RunTables, agents: CorridorAgents, rec: CorridorRecord
) -> None:
    """Caravans setting off today: their members (children drawn with the caravan's
    ``child_share``) start together at its origin and are remembered as its group. They head
    for the caravan's destination, or where it has none, each for one drawn as for departures
    (which the group's route ignores until it disperses)."""
    for c in m.caravans:
        if c["day"] == t:
            size = round(c["people"] * m.scale)
            adult = tb.gen.random(size) >= c["child_share"]
            ages = np.where(adult, c["adult_age"], c["child_age"]).astype(np.int8)
            nat = np.full(size, c["nat"], np.int8)
            if c["dest"] >= 0:
                dest = np.full(size, c["dest"], np.int16)
            else:  # members keep their own destinations for when the caravan disperses
                dest = _draw_destinations(m, tb, nat) if tb.draw_dest else None
            gid = m.caravans.index(c)
            tb.caravan_members[c["id"]] = agents.add(
                np.full(size, c["origin"], np.int32),
                nat,
                ages,
                gid,
                papers_nat=tb.mx,  # as for departures: Mexico's enforcement is not for Mexicans
                dest=dest,
            )
            count_departures(rec.events[t], tb.state_counts, np.full(size, c["origin"]),
                             np.full(size, c["nat"]), ages, np.ones(size, np.int32))  # fmt: skip


def _draw_destinations(m: CorridorModel, tb: RunTables, nat: np.ndarray) -> np.ndarray:
    """Each new agent's destination set, drawn from its nationality's shares (``dest_cum``):
    the number of cumulative shares at or below a uniform draw of the spawn's generator."""
    return _destinations(m, nat, tb.gen.random(len(nat)))


def _destinations(m: CorridorModel, nat: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The destination sets of agents of nationality ``nat`` for their uniform draws ``u``."""
    below = (m.dest_cum[nat] <= u[:, None]).sum(axis=1)
    return np.minimum(below, m.n_dest_sets - 1).astype(np.int16)


# -- costs ---------------------------------------------------------------------------------------


def price_routes(m: CorridorModel, t: int, tb: RunTables, rec: CorridorRecord) -> None:
    """Day ``t``'s route tables: an event announced today taken into perceived enforcement;
    route costs with perceived enforcement; where they changed, the
    cost to go (shortest paths) and the logit choice weights, which is what makes this phase
    cheap on most days; the journey's cost with papers where a response to it is on; the chances
    of moving on from each place, and of a raid and of interception on each route."""
    p = m.params
    closed = m.closed[t]
    if t in m.announced:  # news of the day reaches the day's route choice
        _take_in_announcement(
            p["announcement_belief"][t],
            m.enforcement[t] + m.announced[t],
            p["enforcement_scale"][t],
            m.edge_exposure,
            tb.seen_pass,
            tb.seen_caught,
            tb.perceived,
        )
    for k, name in enumerate(("w_time", "w_money", "w_hazard", "w_enforcement")):
        tb.w_cost[k] = p[name][t]
    tb.hazard_scale[:] = p["hazard_scale_border"][t], p["hazard_scale_transit"][t]
    if _route_costs(
        m, closed, tb.perceived, tb.w_cost, tb.hazard_scale, tb.hazard, tb.cost, tb.last_key
    ):
        choice_weights(
            m, tb.cost, closed, p["choice_theta"][t], tb.cost_graph, tb.weight, tb.to_go, tb.cum
        )
        if tb.journey is not None:  # the responses read the cost to go to the nearest goal
            tb.journey.to_go[0] = tb.to_go[0]
        rec.dijkstra_runs += 1
    if tb.journey is not None:
        _price_with_papers(
            m, tb.journey, closed, tb.perceived, tb.w_cost, tb.hazard_scale, tb.cost_graph
        )
        tb.journey.end_of_costs()
    move_chances(
        p["transit_cost_response"][t],
        tb.journey,
        m.move_chance_by_kind[t][m.place_kind],
        tb.responsive,
        tb.move_chance,
    )
    scale_t = p["enforcement_scale"][t]
    interception_chances(scale_t, m.raid[t], tb.no_exposure, tb.p_raid)
    interception_chances(scale_t, m.enforcement[t], m.edge_exposure, tb.p_int)


# -- caravans and the day kernel -----------------------------------------------------------------


def kernel_inputs(m: CorridorModel, t: int, tb: RunTables, agents: CorridorAgents) -> KernelRules:
    """Day ``t``'s stream keys (into ``tb.keys``) and the kernel's agent, place and nationality
    tuples: the caravan step intercepts by the kernel's own rule, so both take them from here."""
    rng.stream_keys(tb.root, t, 0, tb.keys)
    A = agents.arrays()
    P = (m.goal, m.facility_of, m.stay_shape, m.stay_scale, m.stay_mean, tb.p_raid,
         tb.move_chance, m.release_place)  # fmt: skip
    N = (m.det_cum, m.return_place, m.redepart_p, m.redepart_delay, tb.mx)
    return A, P, N


def move_caravans(
    m: CorridorModel,
    t: int,
    tb: RunTables,
    agents: CorridorAgents,
    rec: CorridorRecord,
    rules: KernelRules,
) -> None:
    """Caravans still moving as a group take their day's step (caravans.py). The
    running counts follow agents through the kernel's changes only, so the members moved here
    leave them before the step and re-enter after it."""
    if not tb.caravan_members:
        return
    moving = caravan_agents(agents, tb.caravan_members)
    _count_change(m, agents, moving, tb.state_counts, tb.on_edge, -1)
    move_each_caravan(
        m, t, agents, tb.caravan_members, tb.caravan_passed, tb.cost_graph, tb.weight,
        m.closed[t], tb.p_int, tb.hazard, m.params, tb.keys, rec, rules,
    )  # fmt: skip
    _count_change(m, agents, moving, tb.state_counts, tb.on_edge, 1)


def step_other_agents(
    m: CorridorModel,
    t: int,
    tb: RunTables,
    agents: CorridorAgents,
    rec: CorridorRecord,
    rules: KernelRules,
) -> None:
    """Every live agent's day (members still in a caravan are left to it) in one parallel Numba
    kernel, ``corridor_day``: it writes the day's events, route statistics and running counts,
    compacts the live list to the agents something can still happen to, and hands those who
    joined a port's list today to the lists' step (``tb.joined``)."""
    A, P, N = rules
    p = m.params
    E = (m.out_start, m.out_edge, tb.out_to, m.edge_from, m.edge_to, m.edge_km, m.edge_speed,
         tb.hazard, tb.p_int, m.edge_border, tb.cum.reshape(-1))  # fmt: skip
    B = _border_rules(m, t)
    S = (p["enforcement_scale"][t], p["missing_share"][t], p["mpp_abandon_p"][t],
         p["asylum_wait_days"][t], p["detention_stay_scale"][t],
         p["group_visibility"][t])  # fmt: skip
    agents.n_live, tb.joined = corridor_day(
        agents.live, agents.n_live, A, P, E, B, N, S, tb.keys, tb.ev_th, tb.rs_th, tb.dc_th,
        tb.de_th, rec.events[t], rec.route_stats[t], tb.state_counts, tb.on_edge,
    )  # fmt: skip


def serve_port_lists(
    m: CorridorModel,
    t: int,
    tb: RunTables,
    agents: CorridorAgents,
    rec: CorridorRecord,
    rules: KernelRules,
) -> None:
    """The ports of entry take in people from their lists, and people leave them (ports.py):
    after the day kernel, which puts today's newcomers on them. Nothing to do in a run without
    ports."""
    if tb.port_lists is None:
        return
    serve_ports(m, t, tb.port_lists, agents, rules, _border_rules(m, t), tb.keys, rec.events[t],
                tb.state_counts, rec.port_waiting[t], tb.joined)  # fmt: skip


def _border_rules(m: CorridorModel, t: int) -> tuple[np.ndarray, ...]:
    """Day ``t``'s border rules by crossing (and nationality), as the kernel takes them."""
    return (m.b_apprehend[t], m.b_fate_cum[t], m.b_mpp_city[t], m.b_mpp_wait[t],
            m.port_present[t])  # fmt: skip


# -- perceive and record -------------------------------------------------------------------------


def perceive_enforcement(m: CorridorModel, t: int, tb: RunTables, rec: CorridorRecord) -> None:
    """Perceived enforcement learns from the day's passages and interceptions (smoothed over
    ``perception_lag_days``); tomorrow's route costs are priced with it, and the day's perception
    is recorded."""
    p = m.params
    update_perception(
        1.0 / p["perception_lag_days"][t],
        rec.route_stats[t, :, R_PASS],
        rec.route_stats[t, :, R_INTERCEPT],
        tb.seen_pass,
        tb.seen_caught,
        tb.perceived,
    )
    rec.perceived[t] = tb.perceived


def record_day(
    m: CorridorModel,
    t: int,
    tb: RunTables,
    agents: CorridorAgents,
    rec: CorridorRecord,
    verify_counts: bool,
) -> None:
    """The end of day ``t`` into the record: the running counts, agents on each route and the
    number of agents; the day's outcomes for the deterrence feedback where it is on; and, with
    ``verify_counts``, a full recount that the running counts must match."""
    rec.counts[t] = tb.state_counts
    rec.route_stats[t, :, 3] = tb.on_edge
    rec.n_agents[t] = agents.n
    if tb.track_outcomes:
        add_outcomes(rec.events[t], tb.outcomes[t], tb.outcomes[t + 1])
    if verify_counts:
        _verify_counts(m, agents, tb.state_counts, tb.on_edge, t)


# -- helpers -------------------------------------------------------------------------------------


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
        journey.to_go[WITH_PAPERS] = cost_to_go(costs, closed, graph)


def _verify_counts(
    m: CorridorModel,
    agents: CorridorAgents,
    state_counts: np.ndarray,
    on_edge: np.ndarray,
    t: int,
) -> None:
    """Raise if the running counts differ from a full recount of the agents: they are kept up
    to date from changes only, so a change missed anywhere would otherwise go unnoticed."""
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
    """Agents ``idx`` leave (``sign`` -1) or re-enter (+1) the running counts, around a change
    of their state made outside the day kernel."""
    count_change(idx, agents.place, agents.edge, agents.status, agents.nat, agents.age,
                 m.edge_to, state_counts, on_edge, sign)  # fmt: skip
