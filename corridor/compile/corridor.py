"""Compile a :class:`CorridorScenario` into arrays and day-by-day schedules for the engine.

Everything that is fixed before the run is worked out here: the directed route graph with each
route's time, money, hazard and exposure; enforcement intensity on every route and raid intensity
at every place for every day; closures; border rules per crossing and day; parameters per day
(events may change them); departures per day; caravans; facilities and where each place sends the
people intercepted there.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import EnforcementKind, Mode, PlaceKind, TargetType

KINDS = list(PlaceKind)
MODES = list(Mode)
# Statuses (docs/model.md); EN_ROUTE is a recording category: travelling, on a route at day's end.
STATUSES = [
    "travelling", "en_route", "waiting", "detained", "returned", "arrived", "dead", "missing",
    "stopped",
]  # fmt: skip
TRAVELLING, EN_ROUTE, WAITING, DETAINED, RETURNED, ARRIVED, DEAD, MISSING, STOPPED = range(9)
# Event kinds counted per day, place and nationality (events.parquet).
EVENTS = [
    "departures", "interceptions", "deportations", "releases", "deaths", "missing", "crossings",
    "apprehensions", "mpp_returns", "expulsions", "removals", "arrivals", "asylum_claims",
    "redepartures", "stops", "raids",
]  # fmt: skip
(EV_DEPART, EV_INTERCEPT, EV_DEPORT, EV_RELEASE, EV_DEATH, EV_MISSING, EV_CROSS,
 EV_APPREHEND, EV_MPP, EV_EXPEL, EV_REMOVE, EV_ARRIVE, EV_ASYLUM, EV_REDEPART, EV_STOP,
 EV_RAID) = range(16)  # fmt: skip
# Waiting reasons
WAIT_MPP, WAIT_ASYLUM = 1, 2


@dataclass
class CorridorModel:
    name: str
    start_date: dt.date
    days: int
    scale: float
    input_hash: str
    params: dict[str, np.ndarray]  # per day
    nationalities: list[str]
    age_groups: list[str]
    # places
    place_names: list[str]
    place_kind: np.ndarray  # int8 index into KINDS
    place_country: list[str]
    place_region: list[str]
    death_region: list[str]
    capacity: np.ndarray  # int64, -1 unlimited
    facility_of: np.ndarray  # int32: facility place for interceptions here, -1 none
    stay_shape: np.ndarray  # float64 per place (facilities): gamma shape, 0 = fixed
    stay_scale: np.ndarray  # float64 gamma scale (days)
    stay_mean: np.ndarray
    goal: np.ndarray  # bool per place
    move_chance_by_kind: np.ndarray  # float64 [days, n_kinds]
    # edges (directed)
    edge_from: np.ndarray
    edge_to: np.ndarray
    edge_mode: np.ndarray  # int8 index into MODES
    edge_km: np.ndarray
    edge_speed: np.ndarray
    edge_cost: np.ndarray
    edge_hazard: np.ndarray
    edge_exposure: np.ndarray
    edge_id: list[str]
    edge_border: np.ndarray  # int32 index into crossings, -1 not a border crossing
    out_start: np.ndarray
    out_edge: np.ndarray
    # schedules
    enforcement: np.ndarray  # float32 [days, n_edge] summed intensity
    raid: np.ndarray  # float32 [days, n_place]
    closed: np.ndarray  # bool [days, n_edge]
    # border rules [days, n_crossing, n_nat]
    crossing_edges: np.ndarray
    b_apprehend: np.ndarray
    b_fate_cum: np.ndarray  # [days, n_crossing, n_nat, 4]: release, mpp, expel, remove (cum.)
    b_mpp_city: np.ndarray  # int32
    b_mpp_wait: np.ndarray
    # detention and returns by nationality
    det_cum: np.ndarray  # [n_nat, 4] cumulative: deport, papers, order, asylum
    return_place: np.ndarray  # int32 per nationality (-1: agent's origin)
    redepart_p: np.ndarray
    redepart_delay: np.ndarray
    # departures per day: flat rows (day, origin, nat, age, people)
    dep_day: np.ndarray
    dep_origin: np.ndarray
    dep_nat: np.ndarray
    dep_age: np.ndarray
    dep_people: np.ndarray
    # caravans
    caravans: list[dict] = field(default_factory=list)  # type: ignore[type-arg]
    observed: list = field(default_factory=list)  # type: ignore[type-arg]
    train_until: dt.date | None = None
    disabled_events: tuple[str, ...] = ()
    # announced events: day -> intensity per edge of the event's rows not yet in force that day
    announced: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def n_place(self) -> int:
        return len(self.place_names)

    @property
    def n_edge(self) -> int:
        return len(self.edge_from)

    def date_of(self, day: int) -> dt.date:
        return self.start_date + dt.timedelta(days=day)


def compile_corridor(sc: CorridorScenario, days: int | None = None) -> CorridorModel:
    spec = sc.spec
    n_days = sc.days if days is None else min(days, sc.days)
    start = spec.start_date
    places = sc.places
    index = {p.name: i for i, p in enumerate(places)}
    n_place = len(places)
    kind = np.array([KINDS.index(p.kind) for p in places], dtype=np.int8)
    nats = list(spec.nationalities)
    ages = list(spec.age_groups)

    # -- parameters per day (events change them from their date) --------------------------------
    params = {k: np.full(n_days, v, dtype=np.float64) for k, v in sc.parameters.items()}
    for ev in sorted(sc.events, key=lambda e: e.date):
        d0 = max((ev.date - start).days, 0)
        for key, change in ev.set.items():
            if d0 < n_days:
                params[key][d0:] = change.value
    move_chance = np.ones((n_days, len(KINDS)))
    for k, pk in enumerate(KINDS):
        key = f"move_chance_{pk.value}"
        if key in params:
            move_chance[:, k] = params[key]
        elif pk in (PlaceKind.FACILITY, PlaceKind.RETURN_POINT):
            move_chance[:, k] = params["move_chance_transit"]

    # -- edges -------------------------------------------------------------------------------
    names = ("from", "to", "mode", "km", "speed", "cost", "hazard", "exposure", "id", "row")
    cols: dict[str, list] = {k: [] for k in names}  # type: ignore[type-arg]
    for r_i, r in enumerate(sc.routes):
        mspec = spec.modes[r.mode]
        speed = r.speed_km_day or mspec.speed_km_day
        cost = r.cost if r.cost is not None else mspec.cost_per_km * r.km
        hazard = (
            r.hazard if r.hazard is not None else min(1.0, mspec.hazard_per_1000km * r.km / 1000)
        )
        exposure = r.exposure if r.exposure is not None else mspec.exposure
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
    e_mode = np.array(cols["mode"], dtype=np.int8)
    n_edge = len(e_from)
    order = np.argsort(e_from, kind="stable").astype(np.int32)
    out_start = np.zeros(n_place + 1, dtype=np.int32)
    np.add.at(out_start, e_from + 1, 1)
    out_start = np.cumsum(out_start).astype(np.int32)
    edge_row = np.array(cols["row"])
    row_ids = [sc.route_id(r) for r in sc.routes]

    # -- enforcement, raids, closures ----------------------------------------------------------
    enforcement = np.zeros((n_days, n_edge), dtype=np.float32)
    raid = np.zeros((n_days, n_place), dtype=np.float32)
    closed = np.zeros((n_days, n_edge), dtype=bool)
    region = [p.region for p in places]
    zone = [p.death_zone for p in places]  # where each place's deaths are counted
    announced_on = {
        ev.id: (ev.date - start).days
        for ev in sc.events
        if ev.announced and 0 <= (ev.date - start).days < n_days
    }
    announced = {day: np.zeros(n_edge) for day in announced_on.values()}
    for e in sc.enforcement:
        d0 = (e.start - start).days
        d1 = n_days - 1 if e.end is None else (e.end - start).days
        lo, hi = max(d0, 0), min(d1, n_days - 1)
        if hi < lo:
            continue
        if e.target_type == TargetType.ROUTE:
            rows = [i for i, rid in enumerate(row_ids) if rid == e.target]
            edges = np.isin(edge_row, rows)
            at_places = np.zeros(n_place, dtype=bool)
        elif e.target_type == TargetType.PLACE:
            at_places = np.array([p.name == e.target for p in places])
            edges = at_places[e_to] | (
                at_places[e_from] if e.kind == EnforcementKind.CLOSURE else False
            )
        elif e.target_type == TargetType.REGION:
            at_places = np.array([r == e.target for r in region])
            edges = at_places[e_to]
        else:
            at_places = np.zeros(n_place, dtype=bool)
            edges = e_mode == MODES.index(Mode(e.target))
        if e.kind == EnforcementKind.CLOSURE:
            closed[lo : hi + 1, edges] = True
        elif e.kind == EnforcementKind.RAID:
            raid[lo : hi + 1, at_places] += e.intensity
        else:
            enforcement[lo : hi + 1, edges] += e.intensity
            told = announced_on.get(e.event)
            if told is not None and told < d0:  # announced before it is in force
                announced[told][edges] += e.intensity

    # -- border rules --------------------------------------------------------------------------
    border_edges = [i for i in range(n_edge) if MODES[e_mode[i]] == Mode.BORDER]
    crossing_of = {cols["id"][i]: k for k, i in enumerate(border_edges)}
    edge_border = np.full(n_edge, -1, dtype=np.int32)
    for k, i in enumerate(border_edges):
        edge_border[i] = k
    n_cross = len(border_edges)
    # Per day, crossing and nationality; a row with no nationality holds for all of them.
    b_app = np.zeros((n_days, n_cross, len(nats)))
    b_cum = np.ones((n_days, n_cross, len(nats), 4))  # no rule: released if apprehended at all
    b_city = np.full((n_days, n_cross, len(nats)), -1, dtype=np.int32)
    b_wait = np.zeros((n_days, n_cross, len(nats)))
    for b in sc.border:
        k = crossing_of.get(b.crossing)
        if k is None:
            continue
        d0 = max((b.start - start).days, 0)
        d1 = n_days - 1 if b.end is None else min((b.end - start).days, n_days - 1)
        if d1 < d0:
            continue
        sl = slice(d0, d1 + 1)
        g = slice(None) if not b.nationality else nats.index(b.nationality)
        b_app[sl, k, g] = b.p_apprehend
        b_cum[sl, k, g] = np.cumsum([b.p_release, b.p_mpp, b.p_expel, b.p_remove])
        b_city[sl, k, g] = index[b.mpp_city] if b.mpp_city else -1
        b_wait[sl, k, g] = b.mpp_wait_days or 0.0

    # -- facilities ----------------------------------------------------------------------------
    capacity = np.array([-1 if p.capacity is None else p.capacity for p in places], dtype=np.int64)
    stay_shape = np.zeros(n_place)
    stay_scale = np.zeros(n_place)
    stay_mean = np.zeros(n_place)
    for f in sc.facilities:
        i = index[f.place]
        if f.capacity is not None:
            capacity[i] = f.capacity
        stay_mean[i] = f.stay_mean_days
        if f.stay_sd_days > 0:
            stay_shape[i] = (f.stay_mean_days / f.stay_sd_days) ** 2
            stay_scale[i] = f.stay_sd_days**2 / f.stay_mean_days
    facility_of = _assign_facilities(sc, index, e_from, e_to, np.array(cols["km"]), e_mode)

    # -- detention and returns -----------------------------------------------------------------
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

    # -- departures per day --------------------------------------------------------------------
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
    order_dep = np.lexsort((np.array(dep["age"]), np.array(dep["nat"]), np.array(dep["origin"]),
                            np.array(dep["day"]))) if dep["day"] else np.zeros(0, int)  # fmt: skip

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
                "dispersal_day": (
                    n_days if c.dispersal_date is None else (c.dispersal_date - start).days
                ),
            })  # fmt: skip

    goal = np.array([p.kind == spec.goal_kind for p in places])
    return CorridorModel(
        name=sc.name,
        start_date=start,
        days=n_days,
        scale=spec.scale,
        input_hash=sc.input_hash,
        params=params,
        nationalities=nats,
        age_groups=ages,
        place_names=[p.name for p in places],
        place_kind=kind,
        place_country=[p.country for p in places],
        place_region=region,
        death_region=zone,
        capacity=capacity,
        facility_of=facility_of,
        stay_shape=stay_shape,
        stay_scale=stay_scale,
        stay_mean=stay_mean,
        goal=goal,
        move_chance_by_kind=move_chance,
        edge_from=e_from,
        edge_to=e_to,
        edge_mode=e_mode,
        edge_km=np.array(cols["km"], dtype=np.float64),
        edge_speed=np.array(cols["speed"], dtype=np.float64),
        edge_cost=np.array(cols["cost"], dtype=np.float64),
        edge_hazard=_zone_hazards(sc, np.array(cols["hazard"], dtype=np.float64), zone, e_to),
        edge_exposure=np.array(cols["exposure"], dtype=np.float64),
        edge_id=cols["id"],
        edge_border=edge_border,
        out_start=out_start,
        out_edge=order,
        enforcement=enforcement,
        raid=raid,
        closed=closed,
        announced=announced,
        crossing_edges=np.array(border_edges, dtype=np.int32),
        b_apprehend=b_app,
        b_fate_cum=b_cum,
        b_mpp_city=b_city,
        b_mpp_wait=b_wait,
        det_cum=det_cum,
        return_place=return_place,
        redepart_p=redepart_p,
        redepart_delay=redepart_delay,
        dep_day=np.array(dep["day"], dtype=np.int32)[order_dep],
        dep_origin=np.array(dep["origin"], dtype=np.int32)[order_dep],
        dep_nat=np.array(dep["nat"], dtype=np.int8)[order_dep],
        dep_age=np.array(dep["age"], dtype=np.int8)[order_dep],
        dep_people=np.array(dep["people"], dtype=np.float64)[order_dep],
        caravans=caravans,
        observed=list(sc.observed),
        train_until=spec.train_until,
        disabled_events=sc.disabled_events,
    )


def _zone_hazards(sc, hazard: np.ndarray, zone: list[str], e_to: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Route hazards times the scenario's multiplier for the death zone of the route's
    destination (where its deaths are recorded; ``zone`` per place), 1 for zones it does not
    name."""
    zones = sc.spec.hazard_zones
    if not zones:
        return hazard
    by_place = np.array([zones[z].scale if z in zones else 1.0 for z in zone])
    return np.minimum(hazard * by_place[e_to], 1.0)


def _assign_facilities(sc, index, e_from, e_to, km, e_mode):  # type: ignore[no-untyped-def]
    """Each place's facility: the one named in locations.csv, else the nearest by great-circle
    distance (facilities are rarely on the migrants' own routes, so route km would not reach
    them)."""
    del e_from, e_to, km, e_mode
    n = len(sc.places)
    out = np.full(n, -1, dtype=np.int32)
    fac = [index[f.place] for f in sc.facilities]
    if not fac:
        return out
    lat = np.radians([p.lat for p in sc.places])
    lon = np.radians([p.lon for p in sc.places])
    fl, fo = lat[fac], lon[fac]
    dlat = fl[None, :] - lat[:, None]
    dlon = fo[None, :] - lon[:, None]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(fl[None, :]) * np.sin(dlon / 2) ** 2
    nearest = np.argmin(a, axis=1)
    for i, p in enumerate(sc.places):
        out[i] = index[p.facility] if p.facility else fac[int(nearest[i])]
    return out
