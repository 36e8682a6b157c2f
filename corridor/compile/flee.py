"""Compile a :class:`FleeScenario` into a :class:`FleeModel`: arrays and day-by-day schedules.

Everything in a Flee run that does not depend on chance is worked out here, day by day, in Flee
3.1's order of events (conflict onsets, spawning, closures, then movement): which places are
conflict zones or camps, their move chances and scores, which links are open, how many agents are
spawned and the refugee debt. The engine is left with what depends on chance and on counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from corridor.compile.flee_routes import CandidateRoutes, enumerate_candidates
from corridor.errors import IssueLog
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.flee.rows import ClosureType, LocationKind
from corridor.scenario.flee.series import interpolate
from corridor.scenario.flee.settings import FleeSettings

# Flee 3.1 treats intensities at or below this as "no conflict".
CONFLICT_EPS = 0.000001


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
    """Compile ``sc`` for ``days`` days (default: the scenario's length)."""
    s = sc.settings
    mr = s.move_rules
    n_days = sc.days if days is None else days
    hasten = s.optimisations.hasten
    names = sc.location_names
    index = {n: i for i, n in enumerate(names)}
    n = len(names)
    kinds = [loc.location_type for loc in sc.locations]

    capacity = np.full(n, -1, dtype=np.int64)
    pop0 = np.zeros(n, dtype=np.int64)
    for i, loc in enumerate(sc.locations):
        if kinds[i] in (LocationKind.CAMP, LocationKind.IDPCAMP):
            capacity[i] = loc.population // hasten
        else:
            pop0[i] = loc.population // hasten
    marker = np.array([k == LocationKind.MARKER for k in kinds], dtype=bool)
    deactivation_p = np.array(
        [_float_attr(loc.attributes, "deactivation_probability", 0.0) for loc in sc.locations]
    )
    home = sc.home_country
    foreign = np.array([(loc.country or "unknown") != home for loc in sc.locations], dtype=bool)

    # -- links ---------------------------------------------------------------------------------
    starts: list[int] = []
    ends: list[int] = []
    dists: list[float] = []
    speeds: list[float] = []
    walks: list[float] = []

    def link_up(a: str, b: str, route) -> None:  # type: ignore[no-untyped-def]
        speed = route.max_move_speed if route.max_move_speed is not None else s.max_move_speed
        walk = route.walk_probability or 0.0
        for x, y in ((a, b), (b, a)):
            starts.append(index[x])
            ends.append(index[y])
            dists.append(route.distance)
            speeds.append(speed)
            walks.append(walk)

    for route in sc.routes:
        fr = route.forced_redirection
        if fr == 1 and s.corridor.forced_redirection_1 == "flee31_duplicate":
            link_up(route.name1, route.name2, route)
        if fr == 2:
            link_up(route.name2, route.name1, route)
        else:
            link_up(route.name1, route.name2, route)
    link_start = np.array(starts, dtype=np.int32)
    link_end = np.array(ends, dtype=np.int32)
    link_dist = np.array(dists, dtype=np.float64)
    n_link = len(starts)
    # Flee appends each new link to its start's list: outgoing order is creation order.
    order = np.argsort(link_start, kind="stable").astype(np.int32)
    out_start = np.zeros(n + 1, dtype=np.int32)
    np.add.at(out_start, link_start + 1, 1)
    out_start = np.cumsum(out_start).astype(np.int32)
    out_link = order

    cands = enumerate_candidates(
        n, out_start, out_link, link_end, link_dist, marker, mr.awareness_level
    )
    cand_origin = np.repeat(np.arange(n), np.diff(cands.start))
    stay_close = np.ones(len(cands.dcum))
    if mr.stay_close_to_home:
        lat = np.array([loc.latitude for loc in sc.locations])
        lon = np.array([loc.longitude for loc in sc.locations])
        d = _flee31_distance(lat[cands.last], lon[cands.last], lat[cand_origin], lon[cand_origin])
        stay_close = 1.0 / np.maximum(1.0, d) ** mr.home_distance_power

    # -- location and link schedules -----------------------------------------------------------
    log = IssueLog(str(sc.root))
    sched = _Schedules(sc, n_days, index, kinds, foreign, n_link, link_start, link_end, log)
    # Flee 3.1's addAgent takes each agents.csv agent from its place's population when
    # take_from_population is on and the place is a conflict zone as created (before day 0).
    if s.spawn_rules.take_from_population and sc.initial_agents:
        taken = np.bincount([index[a] for a in sc.initial_agents], minlength=n)
        taken = np.where(sched.cur_conflict > 0.0, taken, 0)
        for i in np.flatnonzero(taken > pop0):
            log.error(
                "input_csv/agents.csv",
                f"at most {pop0[i]} agents at '{names[i]}' (its population: take_from_population "
                "takes agents.csv agents at a conflict zone from it)",
                value=f"{taken[i]} agents",
            )
        pop0 = pop0 - np.minimum(taken, pop0)
    sched.run()

    # -- spawning from the refugees.csv total --------------------------------------------------
    day_idx = np.arange(n_days, dtype=np.int64)
    total = interpolate(sc.observed["total"], day_idx)
    total_prev = interpolate(sc.observed["total"], np.maximum(day_idx - 1, 0))
    diff = np.where(day_idx == 0, total, total - total_prev)
    spawn_new = np.zeros(n_days, dtype=np.int64)
    raw_total = np.zeros(n_days, dtype=np.int64)
    debt_col = np.zeros(n_days, dtype=np.int64)
    if not sc.settings.spawn_rules.conflict_driven_spawning:
        debt = 0
        raw = 0
        for t in range(n_days):
            new = int(diff[t]) - debt
            raw += int(diff[t])
            if s.spawn_rules.insert_day0 and t == 0:
                new = 0
            if new < 0:
                debt = -new
                new = 0
            elif debt > 0:
                debt = 0
            spawn_new[t] = new
            raw_total[t] = raw
            debt_col[t] = debt
            if new > 0 and not s.spawn_rules.take_from_population:
                w = sched.spawn_factor[t] * pop0
                if not (w > 0).any():
                    log.error(
                        "input_csv/conflicts.csv",
                        f"a conflict zone with population on day {t} "
                        f"({sc.start_date + dt.timedelta(days=t)}), when {new} agents are to be "
                        "spawned from the refugees.csv total",
                    )
    log.raise_if_errors()

    # -- initial agents and observed camps -----------------------------------------------------
    camp_names = sc.camp_names()
    camp_idx = np.array([index[c] for c in camp_names], dtype=np.int32)
    camp_data = np.zeros((n_days, len(camp_names)), dtype=np.int64)
    for j, c in enumerate(camp_names):
        camp_data[:, j] = interpolate(sc.observed[c], day_idx)
    initial: list[tuple[int, int]] = []
    for name in sc.initial_agents:  # agents.csv rows, in order (runs of one place grouped)
        if initial and initial[-1][0] == index[name]:
            initial[-1] = (index[name], initial[-1][1] + 1)
        else:
            initial.append((index[name], 1))
    if s.spawn_rules.insert_day0:
        for j, c in enumerate(camp_names):
            initial.append((index[c], int(camp_data[0, j]) if n_days else 0))

    return FleeModel(
        name=sc.name,
        start_date=sc.start_date,
        days=n_days,
        settings=s,
        input_hash=sc.input_hash,
        loc_names=names,
        capacity=capacity,
        pop0=pop0,
        marker=marker,
        deactivation_p=deactivation_p,
        link_start=link_start,
        link_end=link_end,
        link_dist=link_dist,
        link_speed=np.array(speeds, dtype=np.float64),
        link_walk_p=np.array(walks, dtype=np.float64),
        out_start=out_start,
        out_link=out_link,
        candidates=cands,
        stay_close_factor=stay_close,
        conflict=sched.conflict,
        spawn_conflict=sched.spawn_conflict,
        camp=sched.camp,
        idpcamp=sched.idpcamp,
        town=sched.town,
        movechance=sched.movechance,
        score=sched.score,
        spawn_factor=sched.spawn_factor,
        link_open=sched.link_open,
        links_closed_on=sched.links_closed_on,
        spawn_new=spawn_new,
        raw_total=raw_total,
        debt=debt_col,
        initial_agents=initial,
        camp_idx=camp_idx,
        camp_data=camp_data,
    )


def _float_attr(attrs: dict[str, str], key: str, default: float) -> float:
    value = attrs.get(key, "")
    try:
        return float(value) if value.strip() else default
    except ValueError:
        return default


def _flee31_distance(lat1, lon1, lat2, lon2):  # type: ignore[no-untyped-def]
    """Flee 3.1's ``Location.calculateDistance``: haversine, R = 6373 km, with latitude and
    longitude swapped (it stores latitude as x and reads x as longitude). Kept for compatibility
    of ``stay_close_to_home``; see docs/flee-compat.md."""
    la1, lo1 = np.radians(lon1), np.radians(lat1)
    la2, lo2 = np.radians(lon2), np.radians(lat2)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 6373.0 * 2 * np.arctan2(np.sqrt(a), np.sqrt(1 - a))


class _Schedules:
    """Replays Flee 3.1's deterministic location and link events, one day at a time."""

    def __init__(self, sc, n_days, index, kinds, foreign, n_link, link_start, link_end, log):  # type: ignore[no-untyped-def]
        self.sc = sc
        self.s: FleeSettings = sc.settings
        self.n_days = n_days
        self.index = index
        self.foreign = foreign
        self.link_start = link_start
        self.link_end = link_end
        self.log = log
        n = len(kinds)
        mr = self.s.move_rules
        self.countries = np.array([loc.country for loc in sc.locations], dtype=object)
        # live state, as Flee's Location objects hold it
        self.cur_conflict = np.full(n, -1.0)
        self.cur_camp = np.zeros(n, dtype=bool)
        self.cur_idp = np.zeros(n, dtype=bool)
        self.cur_town = np.zeros(n, dtype=bool)
        self.cur_mc = np.zeros(n)
        self.cur_toc = np.full(n, -1, dtype=np.int64)  # time of conflict
        self.cur_open = np.ones(n_link, dtype=bool)
        for i, loc in enumerate(sc.locations):
            k = kinds[i]
            if (
                k == LocationKind.CONFLICT
                and loc.conflict_date is not None
                and loc.conflict_date > 0
            ):
                k = LocationKind.TOWN  # Flee creates it as a town until its conflict begins
            if k in (LocationKind.CAMP, LocationKind.IDPCAMP):
                self.cur_camp[i] = True
                self.cur_idp[i] = k == LocationKind.IDPCAMP
                self.cur_mc[i] = (
                    mr.idpcamp_movechance if k == LocationKind.IDPCAMP else mr.camp_movechance
                )
            elif k == LocationKind.CONFLICT:
                self.cur_mc[i] = mr.conflict_movechance
                self.cur_conflict[i] = _float_attr(loc.attributes, "conflict_intensity", 1.0)
            elif k in (LocationKind.FORWARD, LocationKind.MARKER):
                self.cur_mc[i] = 1.0
            else:
                self.cur_town[i] = True
                self.cur_mc[i] = mr.default_movechance
            if self.cur_mc[i] < 0.005 and not self.cur_camp[i]:
                self.cur_camp[i] = True
                self.cur_town[i] = False
        self.conflict = np.zeros((n_days, n))
        self.spawn_conflict = np.zeros((n_days, n))
        self.camp = np.zeros((n_days, n), dtype=bool)
        self.idpcamp = np.zeros((n_days, n), dtype=bool)
        self.town = np.zeros((n_days, n), dtype=bool)
        self.movechance = np.zeros((n_days, n))
        self.score = np.zeros((n_days, n))
        self.spawn_factor = np.zeros((n_days, n))
        self.link_open = np.zeros((n_days, n_link), dtype=bool)
        self.links_closed_on: list[np.ndarray] = []
        self.out_of: list[list[int]] = [[] for _ in range(n)]
        for link, a in enumerate(link_start):
            self.out_of[int(a)].append(link)

    def decay(self, since: np.ndarray) -> np.ndarray:
        table = self.s.spawn_rules.conflict_spawn_decay
        if not table:
            return np.ones(len(since))
        idx = np.minimum((since / 30).astype(np.int64), len(table) - 1)  # int() truncates to 0
        return np.asarray(table, dtype=np.float64)[idx]

    def run(self) -> None:
        mr = self.s.move_rules
        for t in range(self.n_days):
            changed = self._conflicts_on(t)
            # spawn weights: Flee refreshes them when a conflict zone changes, else they date
            # from the end of the previous day (the decay is evaluated at that time).
            wt = t if (changed or t == 0) else t - 1
            active = self.cur_conflict > 0.0
            factor = np.where(active, self.cur_conflict, 0.0)
            if self.s.spawn_rules.conflict_spawn_decay:
                factor = factor * self.decay((wt - self.cur_toc).astype(np.float64))
            self.spawn_factor[t] = factor
            self.spawn_conflict[t] = self.cur_conflict
            closed_now = self._closures_on(t)
            self.links_closed_on.append(np.array(sorted(closed_now), dtype=np.int32))
            self.link_open[t] = self.cur_open
            self.conflict[t] = self.cur_conflict
            self.camp[t] = self.cur_camp
            self.idpcamp[t] = self.cur_idp
            self.town[t] = self.cur_town
            self.movechance[t] = self.cur_mc
            score = np.ones(len(self.cur_mc))
            score = np.where(self.foreign, score * mr.foreign_weight, score)
            score = np.where(self.cur_camp, score * self.s.camp_weight, score)
            conflict_on = self.cur_conflict > 0.0
            exponent = self.decay((t - self.cur_toc).astype(np.float64)) * self.cur_conflict
            factor = np.ones(len(score))
            factor[conflict_on] = self.s.conflict_weight ** exponent[conflict_on]
            score = score * factor
            self.score[t] = score

    # -- conflicts.csv (InputGeography.AddNewConflictZones) -----------------------------------
    def _conflicts_on(self, t: int) -> bool:
        table = self.sc.conflicts
        mr = self.s.move_rules
        changed = False
        if table is None:
            for i, loc in enumerate(self.sc.locations):
                if loc.location_type == LocationKind.CONFLICT and loc.conflict_date == t and t > 0:
                    self._add_conflict(i, _float_attr(loc.attributes, "conflict_intensity", 1.0), t)
                    changed = True
            return changed
        for j, name in enumerate(table.names):
            i = self.index[name]
            v = table.values[t, j]
            if v > CONFLICT_EPS and (t == 0 or table.values[t - 1, j] < CONFLICT_EPS):
                self._add_conflict(i, float(v), t)
                changed = True
            if v < CONFLICT_EPS and t > 0 and table.values[t - 1, j] == 1:
                self.cur_mc[i] = mr.default_movechance
                self.cur_conflict[i] = -1.0
                self.cur_town[i] = True
                changed = True
        return changed

    def _add_conflict(self, i: int, intensity: float, t: int) -> None:
        self.cur_mc[i] = self.s.move_rules.conflict_movechance
        self.cur_conflict[i] = intensity
        self.cur_town[i] = False
        self.cur_toc[i] = t

    # -- closures.csv (Ecosystem.enact_border_closures) ---------------------------------------
    def _closures_on(self, t: int) -> set[int]:
        """Links closed today. A link closed and reopened on the same day counts: Flee reopens a
        copy of the link, and agents on the original are turned back when they arrive."""
        closed_now: set[int] = set()
        for c in self.sc.closures:
            if t == c.closure_start:
                closed_now |= self._act(c, close=True)
            if t == c.closure_end:
                self._act(c, close=False)
        return closed_now

    def _act(self, c, close: bool) -> set[int]:  # type: ignore[no-untyped-def]
        mr = self.s.move_rules
        kind = c.closure_type
        if kind in (ClosureType.CAMP, ClosureType.IDPCAMP):
            i = self.index[c.name1]
            if close:  # Flee's close_camp clears the IDP flag whatever the closure's type
                self.cur_mc[i] = mr.default_movechance
                self.cur_camp[i] = False
                self.cur_idp[i] = False
                self.cur_town[i] = True
            else:
                idp = kind == ClosureType.IDPCAMP
                self.cur_mc[i] = mr.idpcamp_movechance if idp else mr.camp_movechance
                self.cur_camp[i] = True
                self.cur_idp[i] = self.cur_idp[i] or idp  # open_camp sets it only for idpcamp
                self.cur_town[i] = False
            self.cur_conflict[i] = -1.0
            return set()
        if kind == ClosureType.REMOVE_FORCED_REDIRECTION:
            return set()  # Flee 3.1 never reads forced_redirection when routing
        if kind == ClosureType.LINK and self.s.corridor.link_closure == "flee31_no_effect":
            return set()
        targets: list[int] = []
        if kind == ClosureType.COUNTRY:
            for a_c, b_c in ((c.name1, c.name2), (c.name2, c.name1)):
                targets += [
                    link
                    for link in range(len(self.link_start))
                    if self.countries[self.link_start[link]] == a_c
                    and self.countries[self.link_end[link]] == b_c
                    and self.cur_open[link] == close
                ]
                self._set(targets, close)
        elif kind == ClosureType.LOCATION:
            i = self.index[c.name1]
            own = [link for link in self.out_of[i] if self.cur_open[link] == close]
            for link in own:
                nb = int(self.link_end[link])
                back = [
                    x
                    for x in self.out_of[nb]
                    if self.link_end[x] == i and self.cur_open[x] == close
                ]
                fwd = [
                    x
                    for x in self.out_of[i]
                    if self.link_end[x] == nb and self.cur_open[x] == close
                ]
                self._set(back + fwd, close)
                targets += back + fwd
        elif kind == ClosureType.LINK:
            a, b = self.index[c.name1], self.index[c.name2]
            targets = [
                link
                for link in range(len(self.link_start))
                if {int(self.link_start[link]), int(self.link_end[link])} == {a, b}
                and self.cur_open[link] == close
            ]
            self._set(targets, close)
        return set(targets) if close else set()

    def _set(self, links: list[int], close: bool) -> None:
        for link in links:
            self.cur_open[link] = not close
