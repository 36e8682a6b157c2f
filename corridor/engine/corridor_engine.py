"""The ``corridor`` ruleset's day loop (docs/model.md, "A day"), its agents and its record.

Per day: departures, caravans setting off; route costs with perceived enforcement, cost to go
(shortest paths, recomputed only when a cost changed) and logit weights; caravans move; every
other agent's day in one parallel kernel; perceived enforcement is updated from what agents met;
counts are recorded. Each of these is a function in day_phases.py; :func:`run_corridor` calls
them in that order and times each phase.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from corridor.compile.corridor import CorridorModel
from corridor.engine.corridor_kernels import N_EVENTS, count_attempts, init_agents
from corridor.engine.day_phases import (
    kernel_inputs,
    move_caravans,
    perceive_enforcement,
    price_routes,
    record_day,
    serve_port_lists,
    set_up_run,
    spawn,
    step_other_agents,
)

N_STATUS = 9
FIELDS = ("place", "edge", "km", "prev", "status", "nat", "age", "origin", "group", "attempts",
          "timer", "wait_reason", "papers", "dest", "group_size")  # fmt: skip
DTYPES = (np.int32, np.int32, np.float32, np.int32, np.int8, np.int8, np.int8, np.int32,
          np.int32, np.int16, np.float32, np.int8, np.uint8, np.int16, np.int8)  # fmt: skip


class CorridorAgents:
    """Agent state as a structure of arrays (38 bytes per agent), and ``live[:n_live]``, the
    agents something can still happen to (4 bytes per agent): the day's kernel walks only those,
    since arrived, dead, missing, stopped and finally returned people are most of a long run."""

    def __init__(self, capacity: int) -> None:
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
        self,
        place: np.ndarray,
        nat: np.ndarray,
        age: np.ndarray,
        group: int = -1,
        papers_nat: int = -1,
        dest: np.ndarray | None = None,
    ) -> np.ndarray:
        """New agents at ``place`` (travelling, first attempt), appended to the live list; those
        of nationality ``papers_nat`` travel with papers; ``dest``: each one's destination set
        (None: set 0, the nearest goal). Returns their indices."""
        k = len(place)
        if self.n + k > len(self.place):
            self._alloc(max(self.n + k, 2 * len(self.place)))
        if dest is None:
            dest = np.zeros(k, dtype=np.int16)
        init_agents(self.arrays(), self.live, self.n, self.n_live, place, nat, age, dest, group,
                    papers_nat)  # fmt: skip
        idx = np.arange(self.n, self.n + k)
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
    port_waiting: np.ndarray  # int32 [days, crossing]: agents on the port's list at day's end
    # int64 [status, nat, age, attempts] at the end of the run (attempts_table); set by the run
    attempts: np.ndarray = field(default_factory=lambda: np.zeros((N_STATUS, 0, 0, 1), np.int64))
    state_bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    dijkstra_runs: int = 0


# rec.timings, in order; "move" includes the ports' lists (ports.py), served after the kernel
PHASES = ("spawn", "costs", "caravans", "move", "perceive", "record")


def run_corridor(
    model: CorridorModel,
    seed: int,
    on_day: Callable[[int], None] | None = None,
    verify_counts: bool = False,
) -> CorridorRecord:
    """Run the model day by day, each day's phases in order (day_phases.py), timing each phase
    into ``rec.timings``. ``verify_counts`` recounts every agent each day and checks the running
    counts against it (a self-check for tests; it costs a full pass over the agents)."""
    m = model
    agents = CorridorAgents(_expected_agents(m))
    rec = _empty_record(m)
    tb = set_up_run(m, seed, rec)
    timings = dict.fromkeys(PHASES, 0.0)
    for t in range(m.days):
        t0 = time.perf_counter()
        spawn(m, t, tb, agents, rec)
        t1 = time.perf_counter()
        price_routes(m, t, tb, rec)
        t2 = time.perf_counter()
        rules = kernel_inputs(m, t, tb, agents)
        move_caravans(m, t, tb, agents, rec, rules)
        t3 = time.perf_counter()
        step_other_agents(m, t, tb, agents, rec, rules)
        serve_port_lists(m, t, tb, agents, rec, rules)
        t4 = time.perf_counter()
        perceive_enforcement(m, t, tb, rec)
        t5 = time.perf_counter()
        record_day(m, t, tb, agents, rec, verify_counts)
        t6 = time.perf_counter()
        for k, v in zip(
            timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
        ):
            timings[k] += v
        if on_day is not None:
            on_day(t)
    rec.timings = timings
    rec.state_bytes = agents.nbytes()
    rec.attempts = attempts_table(agents, len(m.nationalities), len(m.age_groups))
    return rec


def attempts_table(agents: CorridorAgents, n_nat: int, n_age: int) -> np.ndarray:
    """Agents by state at the end of the run × nationality × age group × attempts (departures,
    the first included; index 0 unused): who set off again after a deportation or removal, and
    where each ended. Travellers on a route are ``en_route``, as in the daily counts."""
    n = agents.n
    top = int(agents.attempts[:n].max()) + 1 if n else 2
    out = np.zeros((N_STATUS, n_nat, n_age, top), dtype=np.int64)
    count_attempts(n, agents.edge, agents.status, agents.nat, agents.age, agents.attempts, out)
    return out


def _expected_agents(m: CorridorModel) -> int:
    """Room for the agents the run is expected to create (departures and caravans at the
    model's scale) with 5% to spare, so that the agent arrays are rarely grown mid-run."""
    expected = float(m.dep_people.sum()) * m.scale + sum(c["people"] for c in m.caravans) * m.scale
    return int(expected * 1.05) + 1024


def _empty_record(m: CorridorModel) -> CorridorRecord:
    """A record of the run's days, zeroed: every day writes its own rows."""
    n_place, n_edge, n_nat, n_age = m.n_place, m.n_edge, len(m.nationalities), len(m.age_groups)
    return CorridorRecord(
        counts=np.zeros((m.days, n_place, N_STATUS, n_nat, n_age), dtype=np.int32),
        events=np.zeros((m.days, n_place, N_EVENTS, n_nat), dtype=np.int32),
        route_stats=np.zeros((m.days, n_edge, 4), dtype=np.int32),
        perceived=np.zeros((m.days, n_edge), dtype=np.float32),
        n_agents=np.zeros(m.days, dtype=np.int64),
        port_waiting=np.zeros((m.days, len(m.crossing_edges)), dtype=np.int32),
    )
