"""Compile a :class:`CorridorScenario` into arrays and day-by-day schedules for the engine.

Everything that is fixed before the run is worked out here, one function per stage in
corridor_stages.py: the directed route graph with each route's time, money, hazard and exposure;
enforcement intensity on every route and raid intensity at every place for every day; closures;
border rules per crossing and day; parameters per day (events may change them); departures per
day; caravans; facilities and where each place sends the people intercepted there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from corridor.compile.corridor_stages import KINDS as KINDS  # the engine imports it from here
from corridor.compile.corridor_stages import MODES as MODES  # the tables import it from here
from corridor.compile.corridor_stages import (
    border_rules_by_day,
    caravans_in_period,
    daily_parameters,
    departures_by_day,
    destination_sets,
    detention_and_returns,
    enforcement_by_day,
    facility_tables,
    move_chance_by_kind,
    place_tables,
    port_rules_by_day,
    route_tables,
    scenario_fields,
    travel_groups,
)
from corridor.scenario.native.model import CorridorScenario

# Statuses (docs/model.md); EN_ROUTE is a recording category: travelling, on a route at day's end.
STATUSES = [
    "travelling", "en_route", "waiting", "detained", "returned", "arrived", "dead", "missing",
    "stopped",
]  # fmt: skip
TRAVELLING, EN_ROUTE, WAITING, DETAINED, RETURNED, ARRIVED, DEAD, MISSING, STOPPED = range(9)
# Event kinds counted per day, place and nationality (events.parquet). All count people but
# ``days_held``: the days in detention ahead of the people taken into a facility that day (their
# stays are drawn on admission, so the sum is known then; over ``detentions`` it is their mean
# stay), and ``port_wait_days``: the days the people a port took in that day waited on its list.
# The port kinds are counted at the border city of the port's crossing (ports.csv).
EVENTS = [
    "departures", "interceptions", "deportations", "releases", "deaths", "missing", "crossings",
    "apprehensions", "mpp_returns", "expulsions", "removals", "arrivals", "asylum_claims",
    "redepartures", "stops", "raids", "detentions", "days_held", "port_presentations",
    "port_entries", "port_give_ups", "port_wait_days",
]  # fmt: skip
(EV_DEPART, EV_INTERCEPT, EV_DEPORT, EV_RELEASE, EV_DEATH, EV_MISSING, EV_CROSS,
 EV_APPREHEND, EV_MPP, EV_EXPEL, EV_REMOVE, EV_ARRIVE, EV_ASYLUM, EV_REDEPART, EV_STOP,
 EV_RAID, EV_DETAIN, EV_DAYS_HELD, EV_PORT_PRESENT, EV_PORT_ENTRY, EV_PORT_GIVE_UP,
 EV_PORT_WAIT_DAYS) = range(22)  # fmt: skip
# Waiting reasons. WAIT_PORT: on a port's list (ports.csv). LEFT_PORT_LIST is kept while
# travelling by someone who left a port's list, so that they cross between ports and do not
# join a list again on this journey.
WAIT_MPP, WAIT_ASYLUM, WAIT_PORT, LEFT_PORT_LIST = 1, 2, 3, 4


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
    release_place: np.ndarray  # int32 per facility place: where its released set off; -1 else
    stay_shape: np.ndarray  # float64 per place (facilities): gamma shape, 0 = fixed
    stay_scale: np.ndarray  # float64 gamma scale (days)
    stay_mean: np.ndarray
    goal: np.ndarray  # bool per place
    # destinations: set 0 every goal, set s > 0 the single goal dest_goal[s] (-1 for set 0)
    dest_goal: np.ndarray  # int32 [n_sets]
    dest_cum: np.ndarray  # float64 [n_nat, n_sets]: cumulative shares drawn at departure
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
    # ports of entry [days, n_crossing] (ports.csv): the share of those reaching the crossing who
    # present at the port, people it takes in a day at full scale (inf: all; 0 on a day without a
    # row), the daily chance of leaving its list (1 on a day without a row: no list is kept)
    port_present: np.ndarray
    port_capacity: np.ndarray
    port_give_up: np.ndarray
    port_crossings: np.ndarray  # bool per crossing: ports.csv has rows for it
    # detention and returns by nationality
    det_cum: np.ndarray  # [n_nat, 4] cumulative: deport, papers, order, asylum
    return_place: np.ndarray  # int32 per nationality (-1: agent's origin)
    redepart_p: np.ndarray
    redepart_delay: np.ndarray
    # travel groups by nationality (groups.csv): share of departing people in groups, group size
    group_share: np.ndarray
    group_size: np.ndarray  # int64, 1 where people travel alone
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
    def has_ports(self) -> bool:
        """Whether the scenario has ports of entry (ports.csv has rows for a crossing)."""
        return bool(self.port_crossings.any())

    @property
    def n_edge(self) -> int:
        return len(self.edge_from)

    @property
    def n_dest_sets(self) -> int:
        return len(self.dest_goal)

    def goals_of_set(self, s: int) -> np.ndarray:
        """The goal places of destination set ``s``."""
        return np.flatnonzero(self.goal) if s == 0 else self.dest_goal[s : s + 1].copy()

    def date_of(self, day: int) -> dt.date:
        return self.start_date + dt.timedelta(days=day)


def compile_corridor(sc: CorridorScenario, days: int | None = None) -> CorridorModel:
    """The model the engine runs ``sc`` on, for its first ``days`` days (all when None or more).

    One stage per part of the model (corridor_stages.py), each giving the fields it works out.
    Enforcement and border rules act on the edges, so the route tables come first; move chances
    follow the parameters that events change. ``CorridorModel(**fields)`` fails on a field that
    no stage gives.
    """
    n_days = sc.days if days is None else min(days, sc.days)
    index = {p.name: i for i, p in enumerate(sc.places)}
    routes = route_tables(sc, index)
    params = daily_parameters(sc, n_days)
    fields = scenario_fields(sc, n_days) | place_tables(sc) | routes.model_fields()
    fields["params"] = params
    fields["move_chance_by_kind"] = move_chance_by_kind(params, n_days)
    fields |= enforcement_by_day(sc, n_days, routes)
    fields |= border_rules_by_day(sc, n_days, index, routes)
    fields |= port_rules_by_day(sc, n_days, routes)
    fields |= facility_tables(sc, index, routes)
    fields |= detention_and_returns(sc, index)
    fields |= travel_groups(sc)
    fields |= departures_by_day(sc, n_days, index)
    fields |= destination_sets(sc, index)
    fields["caravans"] = caravans_in_period(sc, n_days, index, routes.edge_mode)
    return CorridorModel(**fields)
