"""The stages of compiling a Flee scenario, one function per stage.

``compile_flee`` (flee.py) calls them in order and builds the :class:`FleeModel` from what they
return: most stages give the model's fields they are responsible for, by name, so each field is
worked out in one place. Stages read a validated scenario: every name a row uses exists (the
loader checked it), so lookups here do not check again. Problems only compilation can find (they
depend on the places' state before day 0 or on the replayed schedules) go to an
:class:`IssueLog`, which ``compile_flee`` raises once every stage that reports has run, so the
author sees them all at once.

Indexing follows Flee 3.1: locations in locations.csv order, directed links in the order Flee
creates them (two per routes.csv row), day 0 the scenario's start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor.compile.flee_routes import CandidateRoutes, enumerate_candidates
from corridor.compile.geo import haversine
from corridor.errors import IssueLog
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.flee.rows import ClosureRow, ClosureType, LocationKind, RouteRow
from corridor.scenario.flee.series import interpolate
from corridor.scenario.flee.settings import FleeSettings

# Flee 3.1 treats intensities at or below this as "no conflict".
CONFLICT_EPS = 0.000001

Fields = dict[str, Any]  # some of a FleeModel's fields, by name


def scenario_fields(sc: FleeScenario, n_days: int) -> Fields:
    """What the model carries over from the scenario unchanged: its name, period, settings and
    input hash (the engine reads the settings; outputs record where a run came from)."""
    return {
        "name": sc.name,
        "start_date": sc.start_date,
        "days": n_days,
        "settings": sc.settings,
        "input_hash": sc.input_hash,
    }


# -- locations -------------------------------------------------------------------------------------


def location_fields(sc: FleeScenario) -> Fields:
    """Per location: name, capacity, starting population, whether it is a marker, and the camp
    sink probability. A camp row's population is its capacity, so camps start with none (other
    places are unlimited); both are divided by ``hasten``."""
    hasten = sc.settings.optimisations.hasten
    n = len(sc.locations)
    capacity = np.full(n, -1, dtype=np.int64)
    pop0 = np.zeros(n, dtype=np.int64)
    for i, loc in enumerate(sc.locations):
        if loc.location_type in (LocationKind.CAMP, LocationKind.IDPCAMP):
            capacity[i] = loc.population // hasten
        else:
            pop0[i] = loc.population // hasten
    return {
        "loc_names": sc.location_names,
        "capacity": capacity,
        "pop0": pop0,
        "marker": np.array(
            [loc.location_type == LocationKind.MARKER for loc in sc.locations], dtype=bool
        ),
        "deactivation_p": np.array(
            [_float_attr(loc.attributes, "deactivation_probability", 0.0) for loc in sc.locations]
        ),
    }


def _float_attr(attrs: dict[str, str], key: str, default: float) -> float:
    """An optional numeric attribute column: ``default`` when the cell is blank or not a number."""
    value = attrs.get(key, "")
    try:
        return float(value) if value.strip() else default
    except ValueError:
        return default


# -- links and the outgoing CSR --------------------------------------------------------------------


@dataclass(frozen=True)
class LinkTables:
    """Directed links in Flee's creation order, and each location's outgoing links (CSR)."""

    start: np.ndarray  # int32 [n_link]
    end: np.ndarray  # int32 [n_link]
    dist: np.ndarray  # float64 km
    speed: np.ndarray  # float64 km/day
    walk_p: np.ndarray  # float64
    out_start: np.ndarray  # int32 [n_loc + 1]
    out_link: np.ndarray  # int32 [n_link]

    @property
    def n_link(self) -> int:
        return len(self.start)

    def model_fields(self) -> Fields:
        return {
            "link_start": self.start,
            "link_end": self.end,
            "link_dist": self.dist,
            "link_speed": self.speed,
            "link_walk_p": self.walk_p,
            "out_start": self.out_start,
            "out_link": self.out_link,
        }


def link_tables(sc: FleeScenario, index: dict[str, int]) -> LinkTables:
    """Two directed links per routes.csv row, in the order Flee 3.1 creates them: a row with
    forced_redirection 2 starts its pair from name2, and one with forced_redirection 1 gets its pair
    twice (an if/if-else slip in Flee 3.1, kept unless the corridor options say "single"), which
    doubles its weight in route choice."""
    s = sc.settings
    starts: list[int] = []
    ends: list[int] = []
    dists: list[float] = []
    speeds: list[float] = []
    walks: list[float] = []

    def link_up(a: str, b: str, route: RouteRow) -> None:
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
    out_start, out_link = _outgoing_csr(link_start, len(sc.locations))
    return LinkTables(
        start=link_start,
        end=np.array(ends, dtype=np.int32),
        dist=np.array(dists, dtype=np.float64),
        speed=np.array(speeds, dtype=np.float64),
        walk_p=np.array(walks, dtype=np.float64),
        out_start=out_start,
        out_link=out_link,
    )


def _outgoing_csr(link_start: np.ndarray, n_loc: int) -> tuple[np.ndarray, np.ndarray]:
    """Each location's outgoing links, ``out_link[out_start[i]:out_start[i+1]]``. Flee appends
    each new link to its start's list, so outgoing order is creation order (a stable sort), and
    route choice visits them in that order."""
    out_link = np.argsort(link_start, kind="stable").astype(np.int32)
    out_start = np.zeros(n_loc + 1, dtype=np.int32)
    np.add.at(out_start, link_start + 1, 1)
    return np.cumsum(out_start).astype(np.int32), out_link


# -- candidate routes ------------------------------------------------------------------------------


def candidate_fields(sc: FleeScenario, links: LinkTables, marker: np.ndarray) -> Fields:
    """Every route an agent may weigh, from every origin (flee_routes.py), and each one's
    stay_close_to_home factor: the candidates depend only on the graph, so they are enumerated
    once here instead of per agent per day."""
    cands = enumerate_candidates(
        len(sc.locations),
        links.out_start,
        links.out_link,
        links.end,
        links.dist,
        marker,
        sc.settings.move_rules.awareness_level,
    )
    return {"candidates": cands, "stay_close_factor": _stay_close_factor(sc, cands)}


def _stay_close_factor(sc: FleeScenario, cands: CandidateRoutes) -> np.ndarray:
    """1 / max(1, d) ** home_distance_power, d the distance from a candidate's origin to its end
    point, when stay_close_to_home is on (else 1): Flee 3.1 multiplies a route's weight by it."""
    mr = sc.settings.move_rules
    if not mr.stay_close_to_home:
        return np.ones(len(cands.dcum))
    origin = np.repeat(np.arange(len(sc.locations)), np.diff(cands.start))
    lat = np.array([loc.latitude for loc in sc.locations])
    lon = np.array([loc.longitude for loc in sc.locations])
    d = _flee31_distance(lat[cands.last], lon[cands.last], lat[origin], lon[origin])
    return 1.0 / np.maximum(1.0, d) ** mr.home_distance_power


def _flee31_distance(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Flee 3.1's ``Location.calculateDistance``: haversine, R = 6373 km, with latitude and
    longitude swapped (it stores latitude as x and reads x as longitude). Kept for compatibility
    of ``stay_close_to_home``; see docs/flee-compat.md."""
    la1, lo1 = np.radians(lon1), np.radians(lat1)
    la2, lo2 = np.radians(lon2), np.radians(lat2)
    a = haversine(la1, lo1, la2, lo2)
    return 6373.0 * 2 * np.arctan2(np.sqrt(a), np.sqrt(1 - a))


# -- location and link schedules -------------------------------------------------------------------


def start_schedules(
    sc: FleeScenario, n_days: int, index: dict[str, int], links: LinkTables, log: IssueLog
) -> Schedules:
    """Flee 3.1's locations and links as it creates them, before day 0; ``run()`` then replays
    its day-by-day events. The state before day 0 is what agents.csv is read against."""
    kinds = [loc.location_type for loc in sc.locations]
    home = sc.home_country
    foreign = np.array([(loc.country or "unknown") != home for loc in sc.locations], dtype=bool)
    return Schedules(sc, n_days, index, kinds, foreign, links.n_link, links.start, links.end, log)


def schedule_fields(sched: Schedules) -> Fields:
    """The day-by-day state a replayed :class:`Schedules` recorded, as the model's fields."""
    return {
        "conflict": sched.conflict,
        "spawn_conflict": sched.spawn_conflict,
        "camp": sched.camp,
        "idpcamp": sched.idpcamp,
        "town": sched.town,
        "movechance": sched.movechance,
        "score": sched.score,
        "spawn_factor": sched.spawn_factor,
        "link_open": sched.link_open,
        "links_closed_on": sched.links_closed_on,
    }


# -- spawning and refugee totals -------------------------------------------------------------------


def population_after_agents_csv(
    sc: FleeScenario,
    index: dict[str, int],
    pop0: np.ndarray,
    conflict_before_day0: np.ndarray,
    log: IssueLog,
) -> np.ndarray:
    """``pop0`` less the agents.csv agents Flee 3.1 takes from it: its addAgent takes each one
    from its place's population when take_from_population is on and the place is a conflict zone
    as created (before day 0). More agents than people is an error (Flee stops on an assertion)."""
    s = sc.settings
    if not (s.spawn_rules.take_from_population and sc.initial_agents):
        return pop0
    taken = np.bincount([index[a] for a in sc.initial_agents], minlength=len(pop0))
    taken = np.where(conflict_before_day0 > 0.0, taken, 0)
    for i in np.flatnonzero(taken > pop0):
        log.error(
            "input_csv/agents.csv",
            f"at most {pop0[i]} agents at '{sc.location_names[i]}' (its population: "
            "take_from_population takes agents.csv agents at a conflict zone from it)",
            value=f"{taken[i]} agents",
        )
    return pop0 - np.minimum(taken, pop0)


def spawning_fields(
    sc: FleeScenario, n_days: int, spawn_factor: np.ndarray, pop0: np.ndarray, log: IssueLog
) -> Fields:
    """How many agents each day's spawning adds from the refugees.csv total, the running raw
    total and Flee 3.1's refugee debt (a fall in the total is paid back from later rises before
    new agents appear). All zero under conflict-driven spawning, which does not read the total.
    A day that is to spawn agents when no conflict zone holds people to spawn them from is an
    error (unless take_from_population is on), reported against conflicts.csv."""
    rules = sc.settings.spawn_rules
    spawn_new = np.zeros(n_days, dtype=np.int64)
    raw_total = np.zeros(n_days, dtype=np.int64)
    debt_col = np.zeros(n_days, dtype=np.int64)
    diff = _daily_refugee_increase(sc, n_days)
    if not rules.conflict_driven_spawning:
        debt = 0
        raw = 0
        for t in range(n_days):
            new = int(diff[t]) - debt
            raw += int(diff[t])
            if rules.insert_day0 and t == 0:
                new = 0
            if new < 0:
                debt = -new
                new = 0
            elif debt > 0:
                debt = 0
            spawn_new[t] = new
            raw_total[t] = raw
            debt_col[t] = debt
            if new > 0 and not rules.take_from_population:
                w = spawn_factor[t] * pop0
                if not (w > 0).any():
                    log.error(
                        "input_csv/conflicts.csv",
                        f"a conflict zone with population on day {t} "
                        f"({sc.start_date + dt.timedelta(days=t)}), when {new} agents are to be "
                        "spawned from the refugees.csv total",
                    )
    return {"spawn_new": spawn_new, "raw_total": raw_total, "debt": debt_col}


def _daily_refugee_increase(sc: FleeScenario, n_days: int) -> np.ndarray:
    """Day t's rise in the interpolated refugees.csv total (day 0: the whole total), which
    Flee 3.1 spawns that day; it can be negative, which the refugee debt absorbs."""
    day_idx = np.arange(n_days, dtype=np.int64)
    total = interpolate(sc.observed["total"], day_idx)
    total_prev = interpolate(sc.observed["total"], np.maximum(day_idx - 1, 0))
    return np.where(day_idx == 0, total, total - total_prev)


# -- observed camps and initial agents -------------------------------------------------------------


def observed_camp_fields(sc: FleeScenario, index: dict[str, int], n_days: int) -> Fields:
    """The camps out.csv compares with data (those that are camps at the start, in file order)
    and their interpolated observed counts per day."""
    camp_names = sc.camp_names()
    camp_data = np.zeros((n_days, len(camp_names)), dtype=np.int64)
    for j, c in enumerate(camp_names):
        camp_data[:, j] = interpolate(sc.observed[c], np.arange(n_days, dtype=np.int64))
    return {
        "camp_idx": np.array([index[c] for c in camp_names], dtype=np.int32),
        "camp_data": camp_data,
    }


def initial_agents(
    sc: FleeScenario, index: dict[str, int], camp_data: np.ndarray, n_days: int
) -> list[tuple[int, int]]:
    """Agents placed before day 0, as (location, count) in Flee 3.1's order: agents.csv rows
    (runs of one place grouped), then, with insert_day0, each observed camp's day-0 count, so
    camps start where the data start."""
    initial: list[tuple[int, int]] = []
    for name in sc.initial_agents:
        if initial and initial[-1][0] == index[name]:
            initial[-1] = (index[name], initial[-1][1] + 1)
        else:
            initial.append((index[name], 1))
    if sc.settings.spawn_rules.insert_day0:
        for j, c in enumerate(sc.camp_names()):
            initial.append((index[c], int(camp_data[0, j]) if n_days else 0))
    return initial


class Schedules:
    """Replays Flee 3.1's deterministic location and link events, one day at a time."""

    def __init__(
        self,
        sc: FleeScenario,
        n_days: int,
        index: dict[str, int],
        kinds: list[LocationKind],
        foreign: np.ndarray,
        n_link: int,
        link_start: np.ndarray,
        link_end: np.ndarray,
        log: IssueLog,
    ) -> None:
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
        self.refreshed = np.zeros(n_days, dtype=bool)  # spawn weights recomputed that day
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
            self.refreshed[t] = changed
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

    def _act(self, c: ClosureRow, close: bool) -> set[int]:
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
