"""The stages of compiling a corridor scenario, one function per stage.

``compile_corridor`` (corridor.py) calls them in order and builds the :class:`CorridorModel` from
what they return: each stage gives the model's fields it is responsible for, by name, so the model
has one place per field where that field is worked out. Stages read a validated scenario: every
name a row uses exists (the loader checked it), so lookups here do not check again.

Indexing follows the engine: places in locations.csv order, edges in routes.csv order (a two-way
route's way back right after it), nationalities and age groups in scenario.yml order, day 0 the
scenario's start date. Rows reaching outside the compiled period are clipped to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from corridor.compile.geo import haversine
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import (
    RELEASE_KINDS,
    EnforcementKind,
    EnforcementRow,
    Mode,
    PlaceKind,
    RouteRow,
    TargetType,
)

KINDS = list(PlaceKind)
MODES = list(Mode)

Fields = dict[str, Any]  # some of a CorridorModel's fields, by name


def scenario_fields(sc: CorridorScenario, n_days: int) -> Fields:
    """What the model carries over from scenario.yml and the loader unchanged: its name, period,
    scale, labels and observed series (reports and comparisons need them beside the results)."""
    spec = sc.spec
    return {
        "name": sc.name,
        "start_date": spec.start_date,
        "days": n_days,
        "scale": spec.scale,
        "input_hash": sc.input_hash,
        "nationalities": list(spec.nationalities),
        "age_groups": list(spec.age_groups),
        "observed": list(sc.observed),
        "train_until": spec.train_until,
        "disabled_events": sc.disabled_events,
    }


def place_tables(sc: CorridorScenario) -> Fields:
    """Per place: name, kind (an index into KINDS, so per-kind schedules can be looked up with
    it), country, region, the death zone its deaths are counted in, and whether it is a goal."""
    places = sc.places
    return {
        "place_names": [p.name for p in places],
        "place_kind": np.array([KINDS.index(p.kind) for p in places], dtype=np.int8),
        "place_country": [p.country for p in places],
        "place_region": [p.region for p in places],
        "death_region": [p.death_zone for p in places],
        "goal": np.array([p.kind == sc.spec.goal_kind for p in places]),
    }


@dataclass(frozen=True)
class RouteTables:
    """The directed edges: one per route, and one more for the way back of a two-way route that
    is not a border crossing (border routes are travelled only towards the US)."""

    edge_from: np.ndarray  # int32 place
    edge_to: np.ndarray  # int32 place
    edge_mode: np.ndarray  # int8 index into MODES
    edge_km: np.ndarray
    edge_speed: np.ndarray  # km a day
    edge_cost: np.ndarray
    edge_hazard: np.ndarray  # with the destination's death-zone multiplier
    edge_exposure: np.ndarray
    edge_id: list[str]  # the route's id; "<id>~back" for its way back
    edge_row: np.ndarray  # the routes.csv row of each edge (enforcement names routes by id)
    out_start: np.ndarray  # int32 [n_place + 1]: CSR of each place's outgoing edges
    out_edge: np.ndarray  # int32: edges by place of departure, routes.csv order within a place

    def model_fields(self) -> Fields:
        """The model's fields among these (all but ``edge_row``, which only compiling needs)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "edge_row"}


def _route_values(sc: CorridorScenario, r: RouteRow) -> tuple[float, float, float, float]:
    """A route's speed, cost, hazard and exposure: its own where routes.csv gives them, else its
    mode's defaults from scenario.yml (cost and hazard scale with the route's km)."""
    mspec = sc.spec.modes[r.mode]
    speed = r.speed_km_day or mspec.speed_km_day
    cost = r.cost if r.cost is not None else mspec.cost_per_km * r.km
    hazard = r.hazard if r.hazard is not None else min(1.0, mspec.hazard_per_1000km * r.km / 1000)
    exposure = r.exposure if r.exposure is not None else mspec.exposure
    return speed, cost, hazard, exposure


def _outgoing(edge_from: np.ndarray, n_place: int) -> tuple[np.ndarray, np.ndarray]:
    """The CSR of outgoing edges (``out_edge[out_start[p]:out_start[p + 1]]`` leave place p), so
    the engine finds a place's choices without searching all edges. The sort is stable: within a
    place, edges keep routes.csv order, so the order of choices follows the input files."""
    order = np.argsort(edge_from, kind="stable").astype(np.int32)
    out_start = np.zeros(n_place + 1, dtype=np.int32)
    np.add.at(out_start, edge_from + 1, 1)
    return np.cumsum(out_start).astype(np.int32), order


def route_tables(sc: CorridorScenario, index: dict[str, int]) -> RouteTables:
    """The directed edges of the route graph with each one's values (see :class:`RouteTables`)
    and the CSR of outgoing edges."""
    names = ("from", "to", "mode", "km", "speed", "cost", "hazard", "exposure", "id", "row")
    cols: dict[str, list] = {k: [] for k in names}  # type: ignore[type-arg]
    for r_i, r in enumerate(sc.routes):
        speed, cost, hazard, exposure = _route_values(sc, r)
        rid = sc.route_id(r)
        pairs = [(r.from_, r.to, rid)]
        if r.two_way and r.mode != Mode.BORDER:
            pairs.append((r.to, r.from_, rid))
        for a, b, eid in pairs:
            cols["from"].append(index[a])
            cols["to"].append(index[b])
            cols["mode"].append(MODES.index(r.mode))
            cols["km"].append(r.km)
            cols["speed"].append(speed)
            cols["cost"].append(cost)
            cols["hazard"].append(hazard)
            cols["exposure"].append(exposure)
            cols["id"].append(eid if a == r.from_ else f"{eid}~back")
            cols["row"].append(r_i)
    e_from = np.array(cols["from"], dtype=np.int32)
    e_to = np.array(cols["to"], dtype=np.int32)
    out_start, out_edge = _outgoing(e_from, len(sc.places))
    zone = [p.death_zone for p in sc.places]
    return RouteTables(
        edge_from=e_from,
        edge_to=e_to,
        edge_mode=np.array(cols["mode"], dtype=np.int8),
        edge_km=np.array(cols["km"], dtype=np.float64),
        edge_speed=np.array(cols["speed"], dtype=np.float64),
        edge_cost=np.array(cols["cost"], dtype=np.float64),
        edge_hazard=_zone_hazards(sc, np.array(cols["hazard"], dtype=np.float64), zone, e_to),
        edge_exposure=np.array(cols["exposure"], dtype=np.float64),
        edge_id=cols["id"],
        edge_row=np.array(cols["row"]),
        out_start=out_start,
        out_edge=out_edge,
    )


def _zone_hazards(
    sc: CorridorScenario, hazard: np.ndarray, zone: list[str], e_to: np.ndarray
) -> np.ndarray:
    """Route hazards times the scenario's multiplier for the death zone of the route's
    destination (where its deaths are recorded; ``zone`` per place), 1 for zones it does not
    name."""
    zones = sc.spec.hazard_zones
    if not zones:
        return hazard
    by_place = np.array([zones[z].scale if z in zones else 1.0 for z in zone])
    return np.minimum(hazard * by_place[e_to], 1.0)


def daily_parameters(sc: CorridorScenario, n_days: int) -> dict[str, np.ndarray]:
    """Each parameter's value on every day: scenario.yml's value, replaced from an event's date
    on by the event's ``set:`` value. Events apply in date order, so the latest one in force wins;
    an event before the start applies from day 0."""
    start = sc.spec.start_date
    params = {k: np.full(n_days, v, dtype=np.float64) for k, v in sc.parameters.items()}
    for ev in sorted(sc.events, key=lambda e: e.date):
        d0 = max((ev.date - start).days, 0)
        for key, change in ev.set.items():
            if d0 < n_days:
                params[key][d0:] = change.value
    return params


def move_chance_by_kind(params: dict[str, np.ndarray], n_days: int) -> np.ndarray:
    """The chance, per day and place kind, that someone there moves on: ``move_chance_<kind>``
    where scenario.yml has one; facilities and return points without their own move like transit
    places; any other kind without one always moves (1)."""
    move_chance = np.ones((n_days, len(KINDS)))
    for k, pk in enumerate(KINDS):
        key = f"move_chance_{pk.value}"
        if key in params:
            move_chance[:, k] = params[key]
        elif pk in (PlaceKind.FACILITY, PlaceKind.RETURN_POINT):
            move_chance[:, k] = params["move_chance_transit"]
    return move_chance


def _enforcement_targets(
    sc: CorridorScenario, e: EnforcementRow, routes: RouteTables, row_ids: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The edges and the places (bool masks) an enforcement row acts on. A route target is every
    edge of the routes with that id, both ways; a place target the edges into the place, and for a
    closure also those out of it (a closed place can be neither reached nor left); a region target
    the edges into its places; a mode target every edge of that mode. Only place and region
    targets have places, where raids happen."""
    no_places = np.zeros(len(sc.places), dtype=bool)
    if e.target_type == TargetType.ROUTE:
        rows = [i for i, rid in enumerate(row_ids) if rid == e.target]
        return np.isin(routes.edge_row, rows), no_places
    if e.target_type == TargetType.PLACE:
        at_places = np.array([p.name == e.target for p in sc.places])
        edges = at_places[routes.edge_to] | (
            at_places[routes.edge_from] if e.kind == EnforcementKind.CLOSURE else False
        )
        return edges, at_places
    if e.target_type == TargetType.REGION:
        at_places = np.array([p.region == e.target for p in sc.places])
        return at_places[routes.edge_to], at_places
    return routes.edge_mode == MODES.index(Mode(e.target)), no_places


# Rows whose announcement does not raise perceived interception on routes: a closure is not an
# interception chance, and a raid acts at places, not on passages.
_NOT_ANNOUNCED = (EnforcementKind.CLOSURE, EnforcementKind.RAID)


def enforcement_by_day(sc: CorridorScenario, n_days: int, routes: RouteTables) -> Fields:
    """Per day: the summed enforcement intensity on each edge, the raid intensity at each place
    and which edges are closed; an enforcement row holds from its start to its end (or the end of
    the period). ``announced`` keeps, for each announced event's date, the intensity per edge of
    its rows that come into force only later: perception rises on the news, before the
    deployment (docs/model.md, announced events)."""
    start = sc.spec.start_date
    n_edge = len(routes.edge_from)
    enforcement = np.zeros((n_days, n_edge), dtype=np.float32)
    raid = np.zeros((n_days, len(sc.places)), dtype=np.float32)
    closed = np.zeros((n_days, n_edge), dtype=bool)
    announced_on = {
        ev.id: (ev.date - start).days
        for ev in sc.events
        if ev.announced and 0 <= (ev.date - start).days < n_days
    }
    announced = {day: np.zeros(n_edge) for day in announced_on.values()}
    row_ids = [sc.route_id(r) for r in sc.routes]
    for e in sc.enforcement:
        d0 = (e.start - start).days
        d1 = n_days - 1 if e.end is None else (e.end - start).days
        lo, hi = max(d0, 0), min(d1, n_days - 1)
        told = announced_on.get(e.event)
        # announced before it is in force (perhaps after the period: the news is still heard)
        heard = told is not None and told < d0 and e.kind not in _NOT_ANNOUNCED
        if hi < lo and not heard:
            continue
        edges, at_places = _enforcement_targets(sc, e, routes, row_ids)
        if heard:
            announced[told][edges] += e.intensity
        if hi < lo:
            continue
        if e.kind == EnforcementKind.CLOSURE:
            closed[lo : hi + 1, edges] = True
        elif e.kind == EnforcementKind.RAID:
            raid[lo : hi + 1, at_places] += e.intensity
        else:
            enforcement[lo : hi + 1, edges] += e.intensity
    return {"enforcement": enforcement, "raid": raid, "closed": closed, "announced": announced}


def border_rules_by_day(
    sc: CorridorScenario, n_days: int, index: dict[str, int], routes: RouteTables
) -> Fields:
    """Per day, crossing and nationality: the chance of apprehension at the crossing and what
    follows it (cumulative chances of release, MPP, expulsion, removal), with the MPP city and
    wait. Crossings are the border edges, numbered in edge order (``edge_border`` maps edges to
    them). A rule without a nationality holds for all; later rows override earlier ones where they
    overlap; where no rule holds, nobody is apprehended (fates default to release)."""
    start = sc.spec.start_date
    nats = list(sc.spec.nationalities)
    n_edge = len(routes.edge_from)
    border_edges = _crossing_edges(routes)
    crossing_of = {routes.edge_id[i]: k for k, i in enumerate(border_edges)}
    edge_border = np.full(n_edge, -1, dtype=np.int32)
    for k, i in enumerate(border_edges):
        edge_border[i] = k
    n_cross = len(border_edges)
    b_app = np.zeros((n_days, n_cross, len(nats)))
    b_cum = np.ones((n_days, n_cross, len(nats), 4))  # no rule: released if apprehended at all
    b_city = np.full((n_days, n_cross, len(nats)), -1, dtype=np.int32)
    b_wait = np.zeros((n_days, n_cross, len(nats)))
    for b in sc.border:
        k = crossing_of.get(b.crossing)
        if k is None:
            continue
        sl = _days_in_force(b.start, b.end, start, n_days)
        if sl is None:
            continue
        g = slice(None) if not b.nationality else nats.index(b.nationality)
        b_app[sl, k, g] = b.p_apprehend
        b_cum[sl, k, g] = np.cumsum([b.p_release, b.p_mpp, b.p_expel, b.p_remove])
        b_city[sl, k, g] = index[b.mpp_city] if b.mpp_city else -1
        b_wait[sl, k, g] = b.mpp_wait_days or 0.0
    return {
        "edge_border": edge_border,
        "crossing_edges": np.array(border_edges, dtype=np.int32),
        "b_apprehend": b_app,
        "b_fate_cum": b_cum,
        "b_mpp_city": b_city,
        "b_mpp_wait": b_wait,
    }


def _days_in_force(
    first: dt.date, last: dt.date | None, start: dt.date, n_days: int
) -> slice | None:
    """The run's days a row dated ``first`` to ``last`` (None: to the end) is in force, or None
    where it is in force on none of them."""
    d0 = max((first - start).days, 0)
    d1 = n_days - 1 if last is None else min((last - start).days, n_days - 1)
    return slice(d0, d1 + 1) if d1 >= d0 else None


def _crossing_edges(routes: RouteTables) -> list[int]:
    """The border edges in edge order: crossing k is edge ``_crossing_edges(routes)[k]``."""
    return [i for i in range(len(routes.edge_from)) if MODES[routes.edge_mode[i]] == Mode.BORDER]


def port_rules_by_day(sc: CorridorScenario, n_days: int, routes: RouteTables) -> Fields:
    """Per day and crossing (numbered as in :func:`border_rules_by_day`), the port of entry's
    rules (ports.csv): the share of people reaching the crossing who present at the port, the
    people it takes in a day at full scale (inf where the row gives no limit) and the daily chance
    of leaving its list. Later rows override earlier ones where they overlap. On a day without a
    row nobody presents, nobody is taken in and nobody is kept on a list (give-up chance 1): the
    scenario says nothing of a port then, so the model keeps none."""
    start = sc.spec.start_date
    border_edges = _crossing_edges(routes)
    crossing_of = {routes.edge_id[i]: k for k, i in enumerate(border_edges)}
    n_cross = len(border_edges)
    present = np.zeros((n_days, n_cross))
    capacity = np.zeros((n_days, n_cross))
    give_up = np.ones((n_days, n_cross))
    named = np.zeros(n_cross, dtype=bool)
    for r in sc.ports:
        k = crossing_of.get(r.crossing)
        if k is None:
            continue
        named[k] = True
        sl = _days_in_force(r.start, r.end, start, n_days)
        if sl is None:
            continue
        present[sl, k] = r.p_present
        capacity[sl, k] = np.inf if r.capacity_per_day is None else r.capacity_per_day
        give_up[sl, k] = r.p_give_up
    return {
        "port_present": present,
        "port_capacity": capacity,
        "port_give_up": give_up,
        "port_crossings": named,
    }


def facility_tables(sc: CorridorScenario, index: dict[str, int], routes: RouteTables) -> Fields:
    """Per place: capacity (-1 unlimited; a facility's own capacity replaces its place's), the
    length of stay at facilities as a gamma distribution (shape 0: always the mean), the
    facility that people intercepted there are taken to, and, for a facility, the place its
    released people set off from (:func:`_release_places`)."""
    capacity = np.array([-1 if c is None else c for c in sc.capacities()], dtype=np.int64)
    n_place = len(sc.places)
    stay_shape = np.zeros(n_place)
    stay_scale = np.zeros(n_place)
    stay_mean = np.zeros(n_place)
    for f in sc.facilities:
        i = index[f.place]
        stay_mean[i] = f.stay_mean_days
        if f.stay_sd_days > 0:
            stay_shape[i] = (f.stay_mean_days / f.stay_sd_days) ** 2
            stay_scale[i] = f.stay_sd_days**2 / f.stay_mean_days
    return {
        "capacity": capacity,
        "facility_of": _assign_facilities(sc, index),
        "release_place": _release_places(sc, index, routes),
        "stay_shape": stay_shape,
        "stay_scale": stay_scale,
        "stay_mean": stay_mean,
    }


def _release_places(sc: CorridorScenario, index: dict[str, int], routes: RouteTables) -> np.ndarray:
    """Per place (used for facilities; -1 elsewhere): where people released from it, or waiting
    out an asylum claim, are. The facility's own place if a route leaves it; else its city: the
    nearest place by great-circle distance whose kind is on the way (``RELEASE_KINDS``) and
    from which the routes lead to a goal, in the facility's country if there is one there.
    Facilities are usually off the network (scenario-format.md), in or beside the city the
    released walk out into. With no such place, the facility's own (its released cannot travel
    on: ``corridor check`` warns of it)."""
    n = len(sc.places)
    out = np.full(n, -1, dtype=np.int32)
    has_route_out = np.diff(routes.out_start) > 0
    to_goal = _leads_to_goal(sc, routes)
    on_the_way = np.array(
        [PlaceKind(p.kind) in RELEASE_KINDS and to_goal[i] for i, p in enumerate(sc.places)]
    )
    lat = np.radians([p.lat for p in sc.places])
    lon = np.radians([p.lon for p in sc.places])
    for f in sc.facilities:
        i = index[f.place]
        here = sc.places[i]
        same_country = on_the_way & np.array([p.country == here.country for p in sc.places])
        pool = same_country if same_country.any() else on_the_way
        if has_route_out[i] or not pool.any():
            out[i] = i
            continue
        out[i] = int(np.argmin(np.where(pool, haversine(lat, lon, lat[i], lon[i]), np.inf)))
    return out


def _leads_to_goal(sc: CorridorScenario, routes: RouteTables) -> np.ndarray:
    """Per place: whether the directed edges lead from it to a place of the goal kind."""
    reached = np.array([p.kind == sc.spec.goal_kind for p in sc.places])
    todo = list(np.flatnonzero(reached))
    into: dict[int, list[int]] = {}
    for a, b in zip(routes.edge_from.tolist(), routes.edge_to.tolist(), strict=True):
        into.setdefault(b, []).append(a)
    while todo:
        for prev in into.get(int(todo.pop()), []):
            if not reached[prev]:
                reached[prev] = True
                todo.append(prev)
    return reached


def _assign_facilities(sc: CorridorScenario, index: dict[str, int]) -> np.ndarray:
    """Each place's facility: the one named in locations.csv, else the nearest by great-circle
    distance (facilities are rarely on the migrants' own routes, so route km would not reach
    them)."""
    n = len(sc.places)
    out = np.full(n, -1, dtype=np.int32)
    fac = [index[f.place] for f in sc.facilities]
    if not fac:
        return out
    lat = np.radians([p.lat for p in sc.places])
    lon = np.radians([p.lon for p in sc.places])
    a = haversine(lat[:, None], lon[:, None], lat[fac][None, :], lon[fac][None, :])
    nearest = np.argmin(a, axis=1)
    for i, p in enumerate(sc.places):
        out[i] = index[p.facility] if p.facility else fac[int(nearest[i])]
    return out


def detention_and_returns(sc: CorridorScenario, index: dict[str, int]) -> Fields:
    """Per nationality: what becomes of people at the end of detention (cumulative chances of
    deportation, release with papers, release with an order, asylum; deported without a row),
    where deportees are returned to (-1: their own origin) and the chance and delay of setting
    off again from there."""
    nats = list(sc.spec.nationalities)
    det_cum = np.zeros((len(nats), 4))
    det_cum[:, :] = 1.0  # without a row: deported
    for d in sc.detention:
        det_cum[nats.index(d.nationality)] = np.cumsum(
            [d.p_deport, d.p_release_papers, d.p_release_order, d.p_asylum]
        )
    return_place = np.full(len(nats), -1, dtype=np.int32)
    redepart_p = np.zeros(len(nats))
    redepart_delay = np.zeros(len(nats))
    for r in sc.returns:
        j = nats.index(r.nationality)
        return_place[j] = index[r.place]
        redepart_p[j] = r.redeparture_p
        redepart_delay[j] = r.redeparture_delay_days
    return {
        "det_cum": det_cum,
        "return_place": return_place,
        "redepart_p": redepart_p,
        "redepart_delay": redepart_delay,
    }


def travel_groups(sc: CorridorScenario) -> Fields:
    """Per nationality: the share of departing people who set off in groups (groups.csv) and the
    groups' size (1: everyone travels alone)."""
    nats = list(sc.spec.nationalities)
    group_share = np.zeros(len(nats))
    group_size = np.ones(len(nats), dtype=np.int64)
    for g in sc.groups:
        j = nats.index(g.nationality)
        group_share[j] = g.share
        group_size[j] = g.size
    return {"group_share": group_share, "group_size": group_size}


def departures_by_day(sc: CorridorScenario, n_days: int, index: dict[str, int]) -> Fields:
    """Departures as flat rows (day, origin, nationality, age group, people), sorted in that
    order: each monthly row of departures.csv spread evenly over its month's days (the sources
    count departures by month; the engine starts people day by day), days outside the period
    dropped."""
    start = sc.spec.start_date
    nats = list(sc.spec.nationalities)
    ages = list(sc.spec.age_groups)
    dep = {k: [] for k in ("day", "origin", "nat", "age", "people")}  # type: ignore[var-annotated]
    for d in sc.departures:
        year, month = int(d.month[:4]), int(d.month[5:7])
        n_in_month = calendar.monthrange(year, month)[1]
        per_day = d.people / n_in_month
        for day_of_month in range(n_in_month):
            t = (dt.date(year, month, day_of_month + 1) - start).days
            if 0 <= t < n_days and per_day > 0:
                dep["day"].append(t)
                dep["origin"].append(index[d.origin])
                dep["nat"].append(nats.index(d.nationality))
                dep["age"].append(ages.index(d.age_group))
                dep["people"].append(per_day)
    order = np.lexsort((np.array(dep["age"]), np.array(dep["nat"]), np.array(dep["origin"]),
                        np.array(dep["day"]))) if dep["day"] else np.zeros(0, int)  # fmt: skip
    return {
        "dep_day": np.array(dep["day"], dtype=np.int32)[order],
        "dep_origin": np.array(dep["origin"], dtype=np.int32)[order],
        "dep_nat": np.array(dep["nat"], dtype=np.int8)[order],
        "dep_age": np.array(dep["age"], dtype=np.int8)[order],
        "dep_people": np.array(dep["people"], dtype=np.float64)[order],
    }


def destination_sets(sc: CorridorScenario, index: dict[str, int]) -> Fields:
    """The goals people head for: set 0 is every place of the goal kind (whoever has no
    destination takes the cheapest to reach), then one set per goal that destinations.csv or
    caravans.csv names, in the order first named. ``dest_goal`` gives each set's goal place (-1
    for set 0); ``dest_cum[nat]`` the cumulative shares over the sets by which a person of that
    nationality is given one at departure (all on set 0 for a nationality without rows)."""
    named: list[str] = []
    for name in [d.goal for d in sc.destinations] + [c.destination for c in sc.caravans]:
        if name and name not in named:
            named.append(name)
    nats = list(sc.spec.nationalities)
    share = np.zeros((len(nats), 1 + len(named)))
    given = {d.nationality for d in sc.destinations}
    for j, nat in enumerate(nats):
        if nat not in given:
            share[j, 0] = 1.0
    for d in sc.destinations:
        share[nats.index(d.nationality), 1 + named.index(d.goal)] += d.share
    cum = np.cumsum(share, axis=1)
    cum[:, -1] = 1.0  # shares add up to 1 within 1e-6 (the loader checked): no draw falls past
    return {
        "dest_goal": np.array([-1] + [index[g] for g in named], dtype=np.int32),
        "dest_cum": cum,
    }


def caravans_in_period(
    sc: CorridorScenario, n_days: int, index: dict[str, int], edge_mode: np.ndarray
) -> list[dict[str, Any]]:
    """The caravans setting off within the period, with places, nationalities and age groups as
    indices, the destination set each heads for (:func:`destination_sets`; -1 where it names
    none, whose members are given destinations as departures are), the places of its path in
    order (``via``), the routes its modes allow (``mode_ok``, per edge), and the day each
    disperses (the end of the period when it never does)."""
    set_of_goal = {int(g): s for s, g in enumerate(destination_sets(sc, index)["dest_goal"])}
    start = sc.spec.start_date
    nats = list(sc.spec.nationalities)
    ages = list(sc.spec.age_groups)
    caravans = []
    for c in sc.caravans:
        t = (c.date - start).days
        if 0 <= t < n_days:
            # Members are children (child_share of them) or adults: the age groups by those names
            # (the loader requires them), wherever scenario.yml lists them.
            adult = ages.index("adult")
            child = ages.index("child") if "child" in ages else adult
            caravans.append({
                "id": c.id, "day": t, "origin": index[c.origin], "people": c.people,
                "child_share": c.child_share, "child_age": child, "adult_age": adult,
                "nat": nats.index(c.nationality),
                "dest": set_of_goal[index[c.destination]] if c.destination else -1,
                "via": np.array([index[v] for v in c.via_places], dtype=np.int64),
                "mode_ok": (
                    np.isin(edge_mode, [MODES.index(Mode(x)) for x in c.mode_names])
                    if c.mode_names else np.ones(len(edge_mode), dtype=bool)
                ),
                "dispersal_day": (
                    n_days if c.dispersal_date is None else (c.dispersal_date - start).days
                ),
            })  # fmt: skip
    return caravans
