"""The checks that relate the rows of a corridor scenario's files to each other and to scenario.yml.

load.py reads each file and checks each row on its own; a row can be right on its own and still
name a place, route, nationality or event that no other file defines, or leave its people with
nowhere to go. These checks find those, one function per concern, called in a fixed order so
that a report lists a scenario's problems file by file, the same way every time.

A file whose own rows are in error leaves its names incomplete: references to them are not
checked (each would be a knock-on error burying the one to fix). Without a usable scenario.yml
(``spec`` None) nothing is checked against its names, period or goal kind.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from corridor.errors import IssueLog
from corridor.scenario.native.schema import (
    RELEASE_KINDS,
    BorderRow,
    CaravanRow,
    DepartureRow,
    DestinationRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    GroupRow,
    Mode,
    ObservedRow,
    PlaceKind,
    PlaceRow,
    PortRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
    TargetType,
)

Places = list[tuple[int, PlaceRow]]
Routes = list[tuple[int, RouteRow]]
Departures = list[tuple[int, DepartureRow]]
Caravans = list[tuple[int, CaravanRow]]
Facilities = list[tuple[int, FacilityRow]]


def did_you_mean(name: str, known: Iterable[str], what: str) -> str:
    """``what`` was expected, with the closest known name as a hint: most unknown names are
    typing slips of a known one."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return what + (f"; did you mean '{close[0]}'?" if close else "")


def _check_ref(
    log: IssueLog,
    rel: str,
    line: int,
    col: str,
    value: str,
    known: set[str] | None,
    what: str = "a place named in locations.csv",
) -> None:
    """Log ``value`` not in ``known`` (None: the names are unknown, nothing to check against)."""
    if known is not None and value not in known:
        log.error(rel, did_you_mean(value, set(known), what), line=line, column=col, value=value)


def _check_event_ref(
    log: IssueLog, rel: str, line: int, event: str | None, event_ids: set[str] | None
) -> None:
    """Log a row's ``event`` that events.yml does not define: the row's change would never be
    tied to the event it names (blank: the row names none; ``event_ids`` None: events.yml could
    not be read, so its ids are unknown)."""
    if event and event_ids is not None:
        _check_ref(log, rel, line, "event", event, event_ids, "an event id of events.yml")


@dataclass(frozen=True)
class _Names:
    """What rows of one file may name in another, gathered once before any cross check.

    The ``*_ok`` judgements are taken before the cross checks run, from the files' own row
    errors only, so that a cross-file finding (a repeated place name, say) does not turn off
    the checks of the references to that file."""

    places: dict[str, PlaceRow]  # by name; where a name repeats, its last row
    place_refs: set[str] | None  # None: locations.csv has row errors
    regions: set[str]
    route_modes: dict[str, Mode]  # by route id (given, or from>to:mode); a repeated id's last row
    routes_ok: bool
    facilities_ok: bool
    nationalities: set[str] | None  # None: no usable scenario.yml
    age_groups: set[str] | None
    event_ids: set[str] | None  # None: events.yml could not be read


def _route_id(r: RouteRow) -> str:
    """A route's id: the one given, else one made of its ends and mode."""
    return r.id or f"{r.from_}>{r.to}:{r.mode.value}"


def _gather_names(
    spec: ScenarioFile | None,
    places: Places,
    routes: Routes,
    events: list[EventEntry] | None,
    log: IssueLog,
) -> _Names:
    """The names the cross checks look references up in, and whether each file's own rows
    were free of errors (so that its names are complete enough to check references against)."""
    names = {p.name: p for _, p in places}
    places_ok = not any(i.file == "locations.csv" for i in log.errors)
    return _Names(
        places=names,
        place_refs=set(names) if places_ok else None,
        regions={p.region for _, p in places},
        route_modes={_route_id(r): r.mode for _, r in routes},
        routes_ok=not any(i.file == "routes.csv" for i in log.errors),
        facilities_ok=not any(i.file == "facilities.csv" for i in log.errors),
        nationalities=set(spec.nationalities) if spec else None,
        age_groups=set(spec.age_groups) if spec else None,
        event_ids={e.id for e in events} if events is not None else None,
    )


def cross_check(spec: ScenarioFile | None, places: Places, routes: Routes,
                departures: Departures, caravans: Caravans,
                enforcement: list[tuple[int, EnforcementRow]], facilities: Facilities,
                detention: list[tuple[int, DetentionRow]], returns: list[tuple[int, ReturnRow]],
                destinations: list[tuple[int, DestinationRow]],
                border: list[tuple[int, BorderRow]], ports: list[tuple[int, PortRow]],
                events: list[EventEntry] | None, log: IssueLog) -> None:  # fmt: skip
    """Check every file's references to the other files and to scenario.yml (``spec``; None
    when it is unusable), then whether the goals can be reached, logging each problem found."""
    known = _gather_names(spec, places, routes, events, log)
    _check_places(spec, places, known, log)
    _check_routes(spec, routes, known, log)
    _check_departures(spec, departures, known, log)
    _check_caravans(spec, caravans, known, log)
    _check_enforcement(enforcement, known, log)
    _check_facilities(places, facilities, known, log)
    _check_detention(facilities, detention, known, log)
    _check_returns(returns, known, log)
    _check_destinations(spec, destinations, caravans, known, log)
    _check_border(border, known, log)
    _check_ports(ports, known, log)
    # Reachability over a network with a wrong place or route would report its knock-on effects.
    if spec is not None and not any(i.file in ("locations.csv", "routes.csv") for i in log.errors):
        _check_goals_reachable(spec.goal_kind, places, routes, departures, caravans, log)
        _check_destinations_reachable(places, routes, departures, caravans, destinations, log)
        _check_caravan_paths(places, routes, caravans, log)


def _check_places(spec: ScenarioFile | None, places: Places, known: _Names, log: IssueLog) -> None:
    """Each place's name is its own, scenario.yml's hazard zones are death regions of places,
    a place's facility is a facility, and some place is of the goal kind (else nobody arrives)."""
    _check_place_names(places, log)
    if spec is not None:
        _check_hazard_zones(spec, places, log)
    for line, p in places:
        if p.facility and known.place_refs is not None:
            if p.facility not in known.place_refs:
                what = did_you_mean(p.facility, known.place_refs, "a place name")
                log.error("locations.csv", what, line=line, column="facility", value=p.facility)
            elif known.places[p.facility].kind != PlaceKind.FACILITY:
                log.error("locations.csv", "a place of kind 'facility'", line=line,
                          column="facility", value=p.facility)  # fmt: skip
    if spec is not None and not any(p.kind == spec.goal_kind for _, p in places):
        log.error("locations.csv", f"at least one place of the goal kind ({spec.goal_kind.value})")


def _check_place_names(places: Places, log: IssueLog) -> None:
    """Log a repeated place name (rows naming it could mean either), and a name that differs
    from an earlier one only by letter case or spaces (one place written two ways, likely)."""
    seen: set[str] = set()
    folded: dict[str, tuple[str, int]] = {}
    for line, p in places:
        if p.name in seen:
            log.error("locations.csv", "a unique name", line=line, column="name", value=p.name)
        else:
            key = _fold(p.name)
            if key in folded:
                other, other_line = folded[key]
                log.error("locations.csv",
                          f"a name that differs from '{other}' (line {other_line}) by more than "
                          "letter case or spaces (two places, or one written two ways?)",
                          line=line, column="name", value=p.name)  # fmt: skip
            folded.setdefault(key, (p.name, line))
        seen.add(p.name)


def _fold(name: str) -> str:
    """A place name without letter case and with runs of spaces as one (for near-duplicates)."""
    return " ".join(name.split()).casefold()


def _check_hazard_zones(spec: ScenarioFile, places: Places, log: IssueLog) -> None:
    """Log a hazard zone of scenario.yml that no place has as its death region: its scale
    would apply to no route."""
    zones = {p.death_zone for _, p in places}
    for zone in spec.hazard_zones:
        if zone not in zones:
            log.error(
                "scenario.yml",
                did_you_mean(zone, zones, "a death region of locations.csv"),
                column=f"hazard_zones.{zone}",
            )


def _check_routes(spec: ScenarioFile | None, routes: Routes, known: _Names, log: IssueLog) -> None:
    """Each route joins two different known places by a mode of scenario.yml, has an id of its
    own (enforcement and border rows name routes by it), and a border route ends in the US."""
    last_line: dict[str, int] = {}
    for line, r in routes:
        for col, value in (("from", r.from_), ("to", r.to)):
            _check_ref(log, "routes.csv", line, col, value, known.place_refs)
        if r.from_ == r.to:
            log.error("routes.csv", "two different places", line=line, column="to", value=r.to)
        if spec is not None and r.mode not in spec.modes:
            log.error("routes.csv", f"a mode defined in scenario.yml modes ({r.mode.value} is not)",
                      line=line, column="mode", value=r.mode.value)  # fmt: skip
        rid = _route_id(r)
        if rid in last_line:
            log.error("routes.csv", f"a unique route id (also line {last_line[rid]})", line=line,
                      column="id", value=rid)  # fmt: skip
        last_line[rid] = line
        to = known.places.get(r.to)
        if r.mode == Mode.BORDER and to is not None and to.kind != PlaceKind.US_ARRIVAL:
            log.error("routes.csv", "a border route ending at a us_arrival place", line=line,
                      column="to", value=r.to)  # fmt: skip


def _check_departures(
    spec: ScenarioFile | None, departures: Departures, known: _Names, log: IssueLog
) -> None:
    """Each departure row leaves from a known place where people start out, names a nationality
    and age group of scenario.yml, and is warned about if its month is outside the period (it
    is ignored then)."""
    for line, d in departures:
        _check_ref(log, "departures.csv", line, "origin", d.origin, known.place_refs)
        origin = known.places.get(d.origin)
        starts_here = (PlaceKind.ORIGIN, PlaceKind.BORDER_CITY)
        if origin is not None and origin.kind not in starts_here:
            log.error("departures.csv", "an origin place (kind origin or border_city)", line=line,
                      column="origin", value=d.origin)  # fmt: skip
        _check_ref(log, "departures.csv", line, "nationality", d.nationality,
                   known.nationalities, "a nationality of scenario.yml")  # fmt: skip
        _check_ref(log, "departures.csv", line, "age_group", d.age_group, known.age_groups,
                   "an age group of scenario.yml")  # fmt: skip
        if spec is not None:
            month_start = f"{spec.start_date:%Y-%m}"
            month_end = f"{spec.end_date:%Y-%m}"
            if not month_start <= d.month <= month_end:
                log.warn("departures.csv",
                         f"a month within the period ({month_start} to {month_end}); ignored",
                         line=line, column="month", value=d.month)  # fmt: skip


def _check_caravans(
    spec: ScenarioFile | None, caravans: Caravans, known: _Names, log: IssueLog
) -> None:
    """Each caravan has an id of its own, a known origin and nationality, the age groups its
    members are counted in, and (if within the period, else it is warned about and ignored)
    disperses no earlier than it sets out."""
    first_line: dict[str, int] = {}
    for line, c in caravans:
        if c.id in first_line:
            log.error("caravans.csv", f"a unique caravan id (also line {first_line[c.id]})",
                      line=line, column="id", value=c.id)  # fmt: skip
        first_line.setdefault(c.id, line)
        _check_ref(log, "caravans.csv", line, "origin", c.origin, known.place_refs)
        for name in c.via_places:
            _check_ref(log, "caravans.csv", line, "via", name, known.place_refs,
                       "places of locations.csv separated by ';'")  # fmt: skip
        _check_ref(log, "caravans.csv", line, "nationality", c.nationality, known.nationalities,
                   "a nationality of scenario.yml")  # fmt: skip
        if spec is None:
            continue
        # A caravan's members are children (child_share of them) or adults, by those names.
        needed = ["child", "adult"] if c.child_share > 0 else ["adult"]
        lacking = [g for g in needed if g not in spec.age_groups]
        if lacking:
            log.error("caravans.csv",
                      "age groups named " + " and ".join(f"'{g}'" for g in needed)
                      + " in scenario.yml age_groups (a caravan's members are children, "
                      "child_share of them, or adults)",
                      line=line, column="child_share", value=c.child_share)  # fmt: skip
        if not spec.start_date <= c.date <= spec.end_date:
            log.warn("caravans.csv",
                     f"a date within the period ({spec.start_date} to {spec.end_date}); "
                     "this caravan is ignored", line=line, column="date", value=c.date)  # fmt: skip
        elif c.dispersal_date is not None and c.dispersal_date < c.date:
            log.error("caravans.csv", f"a dispersal_date on or after the date ({c.date})",
                      line=line, column="dispersal_date", value=c.dispersal_date)  # fmt: skip


def _check_enforcement(
    enforcement: list[tuple[int, EnforcementRow]], known: _Names, log: IssueLog
) -> None:
    """Each enforcement row targets a known route, place, region or mode (as its target_type
    says), names a known event if any, and does not end before it starts."""
    targets = {
        TargetType.ROUTE: (
            set(known.route_modes) if known.routes_ok else None,
            "a route id of routes.csv",
        ),
        TargetType.PLACE: (known.place_refs, "a place named in locations.csv"),
        TargetType.REGION: (known.regions, "a region used in locations.csv"),
        TargetType.MODE: ({m.value for m in Mode}, "a mode"),
    }
    for line, e in enforcement:
        allowed, what = targets[e.target_type]
        _check_ref(log, "enforcement.csv", line, "target", e.target, allowed, what)
        _check_event_ref(log, "enforcement.csv", line, e.event, known.event_ids)
        if e.end is not None and e.end < e.start:
            log.error("enforcement.csv", "an end on or after the start", line=line,
                      column="end", value=e.end)  # fmt: skip


def _check_facilities(places: Places, facilities: Facilities, known: _Names, log: IssueLog) -> None:
    """Each facilities.csv row is for a place of kind facility, and each such place has a row
    (its capacity and stays come from there)."""
    for line, f in facilities:
        _check_ref(log, "facilities.csv", line, "place", f.place, known.place_refs)
        place = known.places.get(f.place)
        if place is not None and place.kind != PlaceKind.FACILITY:
            log.error("facilities.csv", "a place of kind 'facility'", line=line, column="place",
                      value=f.place)  # fmt: skip
    with_rows = {f.place for _, f in facilities}
    for _, p in places:
        if known.facilities_ok and p.kind == PlaceKind.FACILITY and p.name not in with_rows:
            log.error(
                "facilities.csv", f"a row for facility '{p.name}' (kind facility in locations.csv)"
            )


def _check_detention(
    facilities: Facilities, detention: list[tuple[int, DetentionRow]], known: _Names, log: IssueLog
) -> None:
    """Each detention row is for a nationality of scenario.yml, at most one per nationality,
    and (with facilities, where people are detained) one for every nationality: what happens to
    a detainee depends on it."""
    first_line: dict[str, int] = {}
    for line, d in detention:
        _check_ref(log, "detention.csv", line, "nationality", d.nationality, known.nationalities,
                   "a nationality of scenario.yml")  # fmt: skip
        if d.nationality in first_line:
            log.error("detention.csv",
                      f"one row per nationality (also line {first_line[d.nationality]})",
                      line=line, column="nationality", value=d.nationality)  # fmt: skip
        first_line.setdefault(d.nationality, line)
    if facilities and known.nationalities is not None:
        for n in sorted(known.nationalities - set(first_line)):
            log.error("detention.csv", f"a row for nationality '{n}'")


def _check_returns(returns: list[tuple[int, ReturnRow]], known: _Names, log: IssueLog) -> None:
    """At most one returns row per nationality, each to a known place for a nationality of
    scenario.yml (a second row would leave unclear where that nationality is returned to)."""
    _one_row_per_nationality("returns.csv", returns, known.nationalities, log)
    for line, r in returns:
        _check_ref(log, "returns.csv", line, "place", r.place, known.place_refs)


def _one_row_per_nationality(
    rel: str,
    rows: list[tuple[int, ReturnRow]] | list[tuple[int, GroupRow]],
    nationalities: set[str] | None,
    log: IssueLog,
) -> None:
    """Each row of a file that gives one rule per nationality names a nationality of
    scenario.yml (None: scenario.yml unusable, not checked), and no nationality twice."""
    first_line: dict[str, int] = {}
    for line, r in rows:
        if r.nationality in first_line:
            log.error(rel, f"one row per nationality (also line {first_line[r.nationality]})",
                      line=line, column="nationality", value=r.nationality)  # fmt: skip
        first_line.setdefault(r.nationality, line)
        _check_ref(log, rel, line, "nationality", r.nationality, nationalities,
                   "a nationality of scenario.yml")  # fmt: skip


def check_groups(
    groups: list[tuple[int, GroupRow]], spec: ScenarioFile | None, log: IssueLog
) -> None:
    """At most one groups row per nationality, each for a nationality of scenario.yml (two rows
    would leave the share and size unclear)."""
    nationalities = set(spec.nationalities) if spec is not None else None
    _one_row_per_nationality("groups.csv", groups, nationalities, log)


def _check_destinations(
    spec: ScenarioFile | None,
    destinations: list[tuple[int, DestinationRow]],
    caravans: Caravans,
    known: _Names,
    log: IssueLog,
) -> None:
    """Each destinations row names a nationality of scenario.yml and a place of the goal kind,
    once per nationality; a nationality's shares add up to 1 (people are drawn from them, so
    shares that do not would leave unclear what was meant). A caravan's destination, where it
    gives one, is a place of the goal kind too."""
    goal_kind = spec.goal_kind if spec is not None else None
    rel = "destinations.csv"
    seen: dict[tuple[str, str], int] = {}
    total: dict[str, float] = {}
    first_line: dict[str, int] = {}
    for line, d in destinations:
        _check_ref(log, rel, line, "nationality", d.nationality, known.nationalities,
                   "a nationality of scenario.yml")  # fmt: skip
        _check_goal_ref(log, rel, line, "goal", d.goal, known, goal_kind)
        key = (d.nationality, d.goal)
        if key in seen:
            log.error(rel, f"one row per nationality and goal (also line {seen[key]})",
                      line=line, column="goal", value=d.goal)  # fmt: skip
        seen.setdefault(key, line)
        total[d.nationality] = total.get(d.nationality, 0.0) + d.share
        first_line.setdefault(d.nationality, line)
    for nat, share in total.items():
        if abs(share - 1.0) > 1e-6:
            log.error(rel, f"shares of nationality '{nat}' that add up to 1",
                      line=first_line[nat], column="share", value=f"{share:g}")  # fmt: skip
    for line, c in caravans:
        if c.destination:
            _check_goal_ref(log, "caravans.csv", line, "destination", c.destination, known,
                            goal_kind)  # fmt: skip


def _check_goal_ref(
    log: IssueLog,
    rel: str,
    line: int,
    col: str,
    value: str,
    known: _Names,
    goal_kind: PlaceKind | None,
) -> None:
    """Log ``value`` that is not a place, or (where the goal kind is known) not one of it."""
    _check_ref(log, rel, line, col, value, known.place_refs)
    place = known.places.get(value)
    if goal_kind is not None and place is not None and place.kind != goal_kind:
        log.error(rel, f"a place of the goal kind ({goal_kind.value})", line=line, column=col,
                  value=value)  # fmt: skip


def _check_border(border: list[tuple[int, BorderRow]], known: _Names, log: IssueLog) -> None:
    """Each border row is for a border route of routes.csv (only those are crossed into the US),
    names a known nationality, MPP city and event if any, does not end before it starts, and
    gives the MPP wait wherever people are sent back to wait."""
    for line, b in border:
        _check_crossing(log, "border.csv", line, b.crossing, known)
        if b.nationality:
            _check_ref(log, "border.csv", line, "nationality", b.nationality, known.nationalities,
                       "a nationality of scenario.yml (or blank: every nationality)")  # fmt: skip
        if b.mpp_city:
            _check_ref(log, "border.csv", line, "mpp_city", b.mpp_city, known.place_refs)
        _check_event_ref(log, "border.csv", line, b.event, known.event_ids)
        _check_period(log, "border.csv", line, b.start, b.end)
        if b.p_mpp > 0 and b.mpp_wait_days is None:
            log.error(
                "border.csv", "mpp_wait_days where p_mpp > 0", line=line, column="mpp_wait_days"
            )


def _check_ports(ports: list[tuple[int, PortRow]], known: _Names, log: IssueLog) -> None:
    """Each port row is for a border route of routes.csv, names a known event if any, and does
    not end before it starts."""
    for line, r in ports:
        _check_crossing(log, "ports.csv", line, r.crossing, known)
        _check_event_ref(log, "ports.csv", line, r.event, known.event_ids)
        _check_period(log, "ports.csv", line, r.start, r.end)


def _check_crossing(log: IssueLog, rel: str, line: int, crossing: str, known: _Names) -> None:
    """Log ``crossing`` that is not the id of a border route (only those are crossed into the
    US); not checked while routes.csv has errors of its own (its ids are incomplete)."""
    border_routes = {rid for rid, mode in known.route_modes.items() if mode == Mode.BORDER}
    if not known.routes_ok:
        return
    if crossing in known.route_modes and crossing not in border_routes:
        log.error(rel, "a route id of a border route (mode border) of routes.csv; "
                  f"this route's mode is {known.route_modes[crossing].value}",
                  line=line, column="crossing", value=crossing)  # fmt: skip
    else:
        _check_ref(log, rel, line, "crossing", crossing, border_routes,
                   "a route id of a border route (mode border) of routes.csv")  # fmt: skip


def _check_period(log: IssueLog, rel: str, line: int, start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        log.error(rel, f"an end on or after the start ({start})", line=line, column="end",
                  value=end)  # fmt: skip


def _check_goals_reachable(
    goal_kind: PlaceKind,
    places: Places,
    routes: Routes,
    departures: Departures,
    caravans: Caravans,
    log: IssueLog,
) -> None:
    """Log each place of the goal kind that no origin reaches over the routes (as the engine
    builds them: both ways unless ``two_way`` is no; a border route only towards the US), each
    origin of departures.csv or caravans.csv from which no goal can be reached (its people would
    wait there for the whole run), and warn of each place that no route touches."""
    out, into = _travel_graph(routes)
    starts = {p.name for _, p in places if p.kind == PlaceKind.ORIGIN}
    starts |= {d.origin for _, d in departures} | {c.origin for _, c in caravans}
    from_origins = _reached(starts, out)
    for line, p in places:
        if p.kind == goal_kind and p.name not in from_origins:
            log.error("locations.csv",
                      f"a {goal_kind.value} place that some origin can reach over routes.csv "
                      "(no chain of routes leads here from an origin)",
                      line=line, column="name", value=p.name)  # fmt: skip
    to_goal = _reached({p.name for _, p in places if p.kind == goal_kind}, into)
    for rel, rows in (("departures.csv", departures), ("caravans.csv", caravans)):
        seen: set[str] = set()
        for line, row in rows:
            if row.origin not in to_goal and row.origin not in seen:
                seen.add(row.origin)
                log.error(rel,
                          f"an origin from which routes.csv leads to a {goal_kind.value} place "
                          "(no chain of routes does: its people would wait there all run)",
                          line=line, column="origin", value=row.origin)  # fmt: skip
    _check_release_places(places, out, to_goal, log)
    touched = {r.from_ for _, r in routes} | {r.to for _, r in routes}
    for line, p in places:
        if p.name not in touched and p.kind not in (PlaceKind.FACILITY, PlaceKind.RETURN_POINT):
            log.warn("locations.csv",
                     "a place that some route of routes.csv starts or ends at (none does: "
                     "nobody can come here)", line=line, column="name", value=p.name)  # fmt: skip


def _check_destinations_reachable(
    places: Places,
    routes: Routes,
    departures: Departures,
    caravans: Caravans,
    destinations: list[tuple[int, DestinationRow]],
    log: IssueLog,
) -> None:
    """Log each origin from which a destination of its people cannot be reached (they would
    wait there all run): departures' origins against their nationality's destinations, a
    caravan's origin against its own."""
    _, into = _travel_graph(routes)
    known = {p.name for _, p in places}
    reaching: dict[str, set[str]] = {}

    def reaches(origin: str, goal: str) -> bool:
        if goal not in known:
            return True  # reported as an unknown place already
        if goal not in reaching:
            reaching[goal] = _reached({goal}, into)
        return origin in reaching[goal]

    goals_of: dict[str, list[str]] = {}
    for _, d in destinations:
        if d.share > 0:
            goals_of.setdefault(d.nationality, []).append(d.goal)
    seen: set[tuple[str, str]] = set()
    for rel, line, origin, goals in [
        ("departures.csv", line, d.origin, goals_of.get(d.nationality, []))
        for line, d in departures
    ] + [("caravans.csv", line, c.origin, [c.destination] if c.destination else [])
         for line, c in caravans]:  # fmt: skip
        for goal in goals:
            if (origin, goal) not in seen and not reaches(origin, goal):
                seen.add((origin, goal))
                log.error(rel,
                          f"an origin from which routes.csv leads to destination '{goal}' (no "
                          "chain of routes does: its people would wait there all run)",
                          line=line, column="origin", value=origin)  # fmt: skip


def _check_caravan_paths(places: Places, routes: Routes, caravans: Caravans, log: IssueLog) -> None:
    """Log each place of a caravan's path (``via``) that the caravan cannot reach from the place
    before (its origin for the first) over routes of its modes: the group would stop short of it
    until it disperses. (Its destination is reached by its members one by one, over any mode,
    and is checked with the departures'.)"""
    known = {p.name for _, p in places}
    for line, c in caravans:
        if not c.via_places:
            continue
        _, into = _travel_graph(routes, set(c.mode_names) or None)
        for here, there in pairwise([c.origin, *c.via_places]):
            if here not in known or there not in known:
                continue  # reported as an unknown place already
            if here not in _reached({there}, into):
                log.error("caravans.csv",
                          f"a place that the caravan can reach from '{here}' over routes of its "
                          "modes (no chain of routes does)", line=line, column="via",
                          value=there)  # fmt: skip
                break


def _check_release_places(
    places: Places, out: dict[str, list[str]], to_goal: set[str], log: IssueLog
) -> None:
    """Warn of each facility whose released people could not travel on: no route leaves it and
    no place of a kind on the way (crossing, transit, shelter, border city) leads to a goal, so
    the engine leaves them at the facility (docs/model.md, Interception)."""
    has_city = any(p.kind in RELEASE_KINDS and p.name in to_goal for _, p in places)
    for line, p in places:
        if p.kind == PlaceKind.FACILITY and p.name not in out and not has_city:
            log.warn("locations.csv",
                     "a facility whose released people can travel on: a route out of it, or a "
                     "crossing, transit place, shelter or border city that leads to a goal (there "
                     "is none: they stay at the facility)", line=line, column="name",
                     value=p.name)  # fmt: skip


def _travel_graph(
    routes: Routes, modes: set[str] | None = None
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The places each place leads to and is reached from, as the engine builds the routes: both
    ways unless ``two_way`` is no, a border route only towards the US; over routes of ``modes``
    only, where given."""
    out: dict[str, list[str]] = {}
    into: dict[str, list[str]] = {}
    for _, r in routes:
        if modes is not None and r.mode.value not in modes:
            continue
        out.setdefault(r.from_, []).append(r.to)
        into.setdefault(r.to, []).append(r.from_)
        if r.two_way and r.mode != Mode.BORDER:
            out.setdefault(r.to, []).append(r.from_)
            into.setdefault(r.from_, []).append(r.to)
    return out, into


def _reached(starts: set[str], edges: dict[str, list[str]]) -> set[str]:
    """Every place reached from ``starts`` along ``edges`` (the starts included)."""
    seen = set(starts)
    todo = deque(starts)
    while todo:
        for nxt in edges.get(todo.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


# Descriptive series of every run beside the ones named after nationalities, death regions,
# facilities and modes (corridor.validate.corridor_series.daily_series; a test keeps them equal).
_SERIES = (
    "mx_detentions", "mx_returns", "arrivals", "departures", "mpp_returns", "detained", "days_held",
)  # fmt: skip


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text.strip())
    return "_".join(p for p in out.split("_") if p)


def known_series(
    spec: ScenarioFile,
    places: Places,
    routes: Routes,
    facilities: Facilities,
    ports: list[tuple[int, PortRow]] | None = None,
) -> set[str]:
    """The names of the series a run of this scenario produces (what observed/ may name)."""
    names = set(_SERIES)
    names |= {
        "encounters_other" if n.upper() == "OTHER" else f"encounters_{n}"
        for n in spec.nationalities
    }
    names |= {f"deaths_{_slug(p.death_zone)}" for _, p in places}
    capacity = {p.name: p.capacity for _, p in places}
    capacity.update({f.place: f.capacity for _, f in facilities if f.capacity is not None})
    for _, p in places:
        if p.kind == PlaceKind.FACILITY:
            names.add(f"admissions:{p.name}")
            names.add(f"days_held:{p.name}")
            names.add(f"occupancy:{p.name}")
            if (capacity.get(p.name) or 0) > 0:
                names.add(f"overcrowding:{p.name}")
    names |= {f"mode_share:{r.mode.value}" for _, r in routes}
    city_of = {_route_id(r): r.from_ for _, r in routes}
    for city in {city_of[p.crossing] for _, p in ports or [] if p.crossing in city_of}:
        names |= {f"port_list:{city}", f"port_wait_days:{city}"}
    return names


def check_observed(
    spec: ScenarioFile,
    places: Places,
    routes: Routes,
    facilities: Facilities,
    observed: list[tuple[str, int, ObservedRow]],
    ports: list[tuple[int, PortRow]],
    log: IssueLog,
) -> None:
    """Each observed row names a series the run produces, once per period (over every file of
    observed/): a misspelt series would never be compared, a repeated row would count twice."""
    known = known_series(spec, places, routes, facilities, ports)
    first: dict[tuple[str, str], str] = {}
    for rel, line, row in observed:
        _check_ref(log, rel, line, "series", row.series, known,
                   "a series of the run (docs/scenario-format.md, observed/)")  # fmt: skip
        first_month, last_month = f"{spec.start_date:%Y-%m}", f"{spec.end_date:%Y-%m}"
        # a month, or a year (YYYY sorts before its own months, after the year before's)
        if row.period > last_month or row.period + "-12" < first_month:
            log.warn(rel, f"a period within the scenario's ({first_month} to {last_month}); "
                     "this value is never compared", line=line, column="period",
                     value=row.period)  # fmt: skip
        key = (row.series, row.period)
        if key in first:
            log.error(rel, f"one row per series and period (also {first[key]})", line=line,
                      column="period", value=f"{row.series} {row.period}")  # fmt: skip
        first.setdefault(key, f"{rel} line {line}")
