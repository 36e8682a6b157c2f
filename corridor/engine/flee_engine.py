"""The ``flee`` ruleset's day loop: spawning, closures, rounds of movement, recording.

Order within a day is Flee 3.1's: conflict onsets and closures are in the compiled schedules; the
day's agents are spawned; links closed today mark the agents on them; then every agent decides and
travels (see :mod:`corridor.engine.flee_kernels`); then camp sinks; then the day is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from corridor.compile.flee import FleeModel
from corridor.engine import rng
from corridor.engine.agents import FleeAgents
from corridor.engine.flee_kernels import camp_sinks, flee_day
from corridor.errors import RunError

SPAWN_STREAM = 0x5EED


@dataclass
class FleeRecord:
    """What a run of the ``flee`` ruleset produced, day by day (counts at the end of each day)."""

    loc_counts: np.ndarray  # int64 [days, n_loc] agents at each location (not travelling)
    link_counts: np.ndarray  # int64 [days, n_link] agents on each directed link
    n_agents: np.ndarray  # int64 [days] agents created so far
    spawned: np.ndarray  # int64 [days] agents created that day
    rounds: np.ndarray  # int32 [days] movement rounds that day
    state_bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def expected_agents(model: FleeModel) -> int | None:
    """The exact number of agents the run will create, where chance does not decide it."""
    initial = sum(c for _, c in model.initial_agents)
    cds = model.settings.spawn_rules.conflict_driven_spawning
    if cds is None:
        return initial + int(model.spawn_new.sum())
    if cds.spawn_mode == "constant":
        conflict = model.spawn_conflict
        per_day = np.where(conflict > 0, np.floor(cds.rate * conflict), 0)
        return initial + int(per_day.sum())
    return None


def run_flee(
    model: FleeModel, seed: int, on_day: Callable[[int], None] | None = None
) -> FleeRecord:
    """Simulate ``model`` with ``seed``; the same model and seed give identical records."""
    s = model.settings
    mr = s.move_rules
    n_loc, n_link, days = model.n_loc, model.n_link, model.days
    spawn_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, SPAWN_STREAM])))
    root = rng.root_key(seed)
    cap_guess = expected_agents(model) or 1024
    agents = FleeAgents(cap_guess, model.candidates.max_len)

    counts = np.zeros(n_loc, dtype=np.int64)
    link_counts = np.zeros(n_link, dtype=np.int64)
    pop = model.pop0.copy()
    link_epoch = np.zeros(n_link, dtype=np.int32)
    for loc, count in model.initial_agents:
        if count > 0:
            agents.add(np.full(count, loc, dtype=np.int32))
            counts[loc] += count

    rec = FleeRecord(
        loc_counts=np.zeros((days, n_loc), dtype=np.int64),
        link_counts=np.zeros((days, n_link), dtype=np.int64),
        n_agents=np.zeros(days, dtype=np.int64),
        spawned=np.zeros(days, dtype=np.int64),
        rounds=np.zeros(days, dtype=np.int32),
    )
    cands = model.candidates
    cand_origin_last = cands.last
    capacity_f = model.capacity.astype(np.float64)
    any_walk = bool((model.link_walk_p > 0).any())
    credit_full = s.corridor.new_link_speed_credit == "full"
    pad = cands.links >= 0
    A = agents.arrays()
    R = (
        s.max_move_speed,
        mr.max_walk_speed,
        s.start_on_foot,
        s.avoid_short_stints,
        any_walk,
        credit_full,
    )

    for t in range(days):
        # -- spawning -----------------------------------------------------------------------
        new_locs = _spawn(model, t, pop, spawn_rng)
        if len(new_locs):
            agents.add(new_locs)
            A = agents.arrays()
            np.add.at(counts, new_locs, 1)
            if s.spawn_rules.take_from_population:
                taken = np.bincount(new_locs, minlength=n_loc)
                from_conflict = taken * (model.spawn_conflict[t] > 0)
                if (from_conflict > pop).any():
                    bad = model.loc_names[int(np.argmax(from_conflict - pop))]
                    raise RunError(
                        f"day {t}: take_from_population needs more people than {bad} has left "
                        "(Flee 3.1 stops here too); raise its population in locations.csv"
                    )
                pop -= from_conflict
        rec.spawned[t] = len(new_locs)
        # -- closures: agents on a link closed today are turned back when they arrive ------------
        closed = model.links_closed_on[t]
        if len(closed):
            link_epoch[closed] += 1
        # -- location rules of the day ------------------------------------------------------
        link_open = model.link_open[t]
        K = (model.out_start, model.out_link, model.link_start, model.link_end, model.link_dist,
             model.link_speed, model.link_walk_p, link_open, link_epoch)  # fmt: skip
        camp = model.camp[t]
        movechance = model.movechance[t].copy()
        if mr.movechance_pop_scale_factor != 0.0:
            size = np.maximum(pop, model.capacity).astype(np.float64)
            with np.errstate(divide="ignore"):  # an empty place with a negative power: always moves
                movechance *= (size / mr.movechance_pop_base) ** mr.movechance_pop_scale_factor
        present = np.where(pad, link_open[np.maximum(cands.links, 0)], True).all(axis=1)
        endpoint_score = model.score[t][cand_origin_last] * model.stay_close_factor
        if mr.use_pop_for_loc_weight:
            popw = np.minimum(1.0, pop.astype(np.float64)) ** mr.pop_power_for_loc_weight
            endpoint_score = np.where(
                camp[cand_origin_last], endpoint_score, endpoint_score * popw[cand_origin_last]
            )
        pre = (mr.weight_softening + endpoint_score) / (
            mr.softening + cands.dcum
        ) ** mr.distance_power
        rec.rounds[t] = flee_day(
            t, root, agents.n, A, counts, link_counts,
            movechance, model.town[t], camp, capacity_f, mr.capacity_buffer,
            (cands.start, cands.nodes, cands.length, cands.last, pre, present),
            mr.weight_power, mr.awareness_level == 0, K, R,
        )  # fmt: skip
        if s.spawn_rules.camps_are_sicks:
            camp_sinks(
                agents.n, agents.loc, agents.link, agents.active, camp, model.deactivation_p,
                rng.key_for(root, t, 0, rng.SINK),
            )  # fmt: skip
        rec.loc_counts[t] = counts
        rec.link_counts[t] = link_counts
        rec.n_agents[t] = agents.n
        if on_day is not None:
            on_day(t)
    rec.state_bytes = agents.nbytes()
    return rec


def _spawn(model: FleeModel, t: int, pop: np.ndarray, gen: np.random.Generator) -> np.ndarray:
    """Locations of the agents created on day ``t`` (grouped by location)."""
    cds = model.settings.spawn_rules.conflict_driven_spawning
    n_loc = model.n_loc
    if cds is not None:
        # Flee spawns from each place's conflict state as it is at spawning: after the day's
        # conflict onsets, before its closures (a camp closure ends a conflict).
        conflict = model.spawn_conflict[t]
        on = conflict > 0.0
        if cds.spawn_mode == "constant":
            per = np.where(on, np.floor(cds.rate * conflict), 0).astype(np.int64)
        elif cds.spawn_mode == "pop_ratio":
            per = np.where(on, np.floor(cds.rate * pop * conflict), 0).astype(np.int64)
        else:  # Poisson: the intended meaning of Flee's unreachable branch
            per = np.where(on, gen.poisson(np.where(on, cds.rate * conflict, 0.0)), 0)
        return np.repeat(np.arange(n_loc, dtype=np.int32), per)
    n_new = int(model.spawn_new[t])
    if n_new == 0:
        return np.zeros(0, dtype=np.int32)
    # day 0's weights date from before agents.csv (see compile_flee); later days' from the
    # end of the day before, when the population was what it is now
    w = model.spawn_factor[t] * (model.spawn_pop_day0 if t == 0 else pop)
    total = w.sum()
    if total <= 0:
        raise RunError(
            f"day {t} ({model.date_of(t)}): {n_new} agents to spawn but no conflict zone with "
            "population left to spawn them from"
        )
    per = gen.multinomial(n_new, w / total)
    return np.repeat(np.arange(n_loc, dtype=np.int32), per)
