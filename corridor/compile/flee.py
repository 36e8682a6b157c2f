"""Compile a :class:`FleeScenario` into a :class:`FleeModel`: arrays and day-by-day schedules.

Everything in a Flee run that does not depend on chance is worked out here, day by day, in Flee
3.1's order of events (conflict onsets, spawning, closures, then movement): which places are
conflict zones or camps, their move chances and scores, which links are open, how many agents are
spawned and the refugee debt. The engine is left with what depends on chance and on counts.
This module holds the model and the order of the stages; the stages are in flee_stages.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from corridor.compile.flee_routes import CandidateRoutes
from corridor.compile.flee_stages import (
    candidate_fields,
    initial_agents,
    link_tables,
    location_fields,
    observed_camp_fields,
    population_after_agents_csv,
    scenario_fields,
    schedule_fields,
    spawning_fields,
    start_schedules,
)
from corridor.errors import IssueLog
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.flee.settings import FleeSettings


@dataclass
class FleeModel:
    """The arrays the ``flee`` ruleset runs on. Location and link order follow the input files."""

    name: str
    start_date: dt.date
    days: int
    settings: FleeSettings
    input_hash: str
    # locations
    loc_names: list[str]
    capacity: np.ndarray  # int64; < 1 means unlimited (Flee)
    pop0: np.ndarray  # int64, population // hasten (0 for camp rows, whose number is capacity)
    marker: np.ndarray  # bool
    deactivation_p: np.ndarray  # float64, camp sink probability (camps_are_sicks)
    # directed links, two per routes.csv row
    link_start: np.ndarray  # int32
    link_end: np.ndarray  # int32
    link_dist: np.ndarray  # float64 km
    link_speed: np.ndarray  # float64 km/day (the link's max_move_speed, else the global one)
    link_walk_p: np.ndarray  # float64
    out_start: np.ndarray  # int32 [n_loc+1], CSR of outgoing links in Flee's list order
    out_link: np.ndarray  # int32
    candidates: CandidateRoutes
    stay_close_factor: np.ndarray  # float64 [n_cand]
    # schedules, one row per day (state during that day's movement)
    conflict: np.ndarray  # float64 [days, n_loc], intensity or -1
    # intensity or -1 when the day's agents are spawned: after conflict onsets, before closures
    spawn_conflict: np.ndarray  # float64 [days, n_loc]
    camp: np.ndarray  # bool [days, n_loc]
    idpcamp: np.ndarray  # bool [days, n_loc], Flee's ``idpcamp`` flag (out.csv's total IDPs)
    town: np.ndarray  # bool [days, n_loc]
    movechance: np.ndarray  # float64 [days, n_loc] before population scaling
    score: np.ndarray  # float64 [days, n_loc], Flee's location score at movement time
    spawn_factor: np.ndarray  # float64 [days, n_loc], conflict x decay at spawning time
    spawn_pop_day0: np.ndarray  # int64, the population day 0's spawn weights were computed with
    link_open: np.ndarray  # bool [days, n_link]
    links_closed_on: list[np.ndarray]  # per day: links that went from open to closed that day
    # spawning
    spawn_new: np.ndarray  # int64 [days] agents from the refugees.csv total (0 if conflict-driven)
    raw_total: np.ndarray  # int64 [days] "raw UNHCR refugee count" column
    debt: np.ndarray  # int64 [days] refugee debt after the day's spawning
    initial_agents: list[tuple[int, int]]  # (location, count) placed before day 0, in order
    # observed camps (out.csv)
    camp_idx: np.ndarray  # int32 [n_camps]
    camp_data: np.ndarray  # int64 [days, n_camps]
    warnings: list[str] = field(default_factory=list)

    @property
    def n_loc(self) -> int:
        return len(self.loc_names)

    @property
    def n_link(self) -> int:
        return len(self.link_start)

    @property
    def conflict_driven(self) -> bool:
        return self.settings.spawn_rules.conflict_driven_spawning is not None

    def date_of(self, day: int) -> dt.date:
        return self.start_date + dt.timedelta(days=day)

    def route_names(self) -> list[str]:
        return [
            f"{self.loc_names[a]}->{self.loc_names[b]}"
            for a, b in zip(self.link_start, self.link_end, strict=True)
        ]


def compile_flee(sc: FleeScenario, days: int | None = None) -> FleeModel:
    """Compile ``sc`` for ``days`` days (default: the scenario's length).

    One stage per part of the model (flee_stages.py), each giving the fields it works out:
    locations, then the links and candidate routes built on them, then the day-by-day replay.
    agents.csv agents are taken from populations as the places stand before day 0, so that comes
    between creating the schedules and running them; spawning needs the replayed spawn weights.
    Problems found on the way are raised together, before the observed camps and initial agents,
    which cannot fail on a loaded scenario. ``FleeModel(**fields)`` fails on a field that no stage
    gives.
    """
    n_days = sc.days if days is None else days
    index = {name: i for i, name in enumerate(sc.location_names)}
    log = IssueLog(str(sc.root))
    fields = scenario_fields(sc, n_days) | location_fields(sc)
    links = link_tables(sc, index)
    fields |= links.model_fields()
    fields |= candidate_fields(sc, links, fields["marker"])
    sched = start_schedules(sc, n_days, index, links, log)
    created = fields["pop0"]
    fields["pop0"] = population_after_agents_csv(sc, index, created, sched.cur_conflict, log)
    sched.run()
    # Flee computes spawn weights when it creates the places, before agents.csv takes people from
    # them, and refreshes them on day 0 only if a conflict zone changes that day.
    fields["spawn_pop_day0"] = fields["pop0"] if sched.refreshed[0] else created
    fields |= schedule_fields(sched)
    fields |= spawning_fields(sc, n_days, sched.spawn_factor, fields["pop0"], log)
    log.raise_if_errors()
    fields |= observed_camp_fields(sc, index, n_days)
    fields["initial_agents"] = initial_agents(sc, index, fields["camp_data"], n_days)
    return FleeModel(**fields)
