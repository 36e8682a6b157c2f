"""Read and validate a corridor scenario folder, reporting every problem found at once."""

from __future__ import annotations

import difflib
import hashlib
import math
from collections import deque
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from corridor.errors import IssueLog
from corridor.scenario.csvio import read_csv_rows
from corridor.scenario.fields import read_yaml, report_yaml_validation_error, validate_model
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.parameters import PARAMETERS, resolve
from corridor.scenario.native.schema import (
    BorderRow,
    CaravanRow,
    DepartureRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    Mode,
    ObservedRow,
    PlaceKind,
    PlaceRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
    TargetType,
)

M = TypeVar("M", bound=BaseModel)


def is_corridor_scenario(root: Path) -> bool:
    return (root / "scenario.yml").exists()


def _unknown(name: str, known: set[str], what: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return what + (f"; did you mean '{close[0]}'?" if close else "")


class _Reader:
    def __init__(self, root: Path, log: IssueLog):
        self.root = root
        self.log = log
        self.files: list[Path] = []

    def table(self, rel: str, model: type[M], required: bool) -> list[tuple[int, M]]:
        path = self.root / rel
        if path.exists():
            self.files.append(path)
        records = read_csv_rows(path, rel, self.log, required=required, allow_empty=not required)
        if not records:
            return []
        body = [r for r in records if not r.is_comment]
        if not body:
            if required:
                self.log.error(rel, "a header row and at least one data row", value="an empty file")
            return []
        header = [c.strip() for c in body[0].cells]
        fields = {f.alias or name for name, f in model.model_fields.items()}
        required_cols = {
            f.alias or name for name, f in model.model_fields.items() if f.is_required()
        }
        for col in sorted(required_cols - set(header)):
            self.log.error(rel, f"a column '{col}' in the header", line=body[0].line)
        first_cell: dict[str, int] = {}
        for i, col in enumerate(header, 1):
            if col and col in first_cell:
                self.log.error(
                    rel,
                    f"each column once in the header (also header cell {first_cell[col]}; "
                    "only one of the two would be read)",
                    line=body[0].line,
                    column=col,
                )
            first_cell.setdefault(col, i)
            if not col:
                self.log.error(
                    rel,
                    f"a column name (header cell {i} of {len(header)} is empty: a trailing or "
                    "doubled comma?)",
                    line=body[0].line,
                )
            elif col not in fields:
                self.log.error(
                    rel,
                    "a known column: " + ", ".join(sorted(fields)),
                    line=body[0].line,
                    column=col,
                )
        if required_cols - set(header) or any(c not in fields for c in header):
            return []
        if len(set(header)) != len(header):
            return []
        out: list[tuple[int, M]] = []
        for row in body[1:]:
            if len(row.cells) != len(header):
                self.log.error(
                    rel,
                    f"{len(header)} columns as in the header",
                    line=row.line,
                    value=f"{len(row.cells)} columns",
                )
                continue
            data = {h: c for h, c in zip(header, row.cells, strict=True) if c.strip() != ""}
            item = validate_model(model, data, self.log, rel, row.line)
            if item is not None:
                out.append((row.line, item))
        if required and not out and not self.log.errors:
            self.log.error(rel, "at least one data row")
        return out


def load_corridor(root: Path) -> CorridorScenario:
    """Validate the corridor scenario at ``root``; raise ScenarioError listing every problem."""
    root = Path(root)
    log = IssueLog(str(root))
    rd = _Reader(root, log)

    spec, spec_usable = _read_spec(root, log, rd)
    if not spec_usable:
        # Every check that needs scenario.yml (nationalities, age groups, modes, the period, the
        # goal kind, the series) would fail on every row and bury the problem that matters.
        log.error(
            "scenario.yml",
            "the problems of scenario.yml above fixed first: the other files' references to its "
            "nationalities, age groups, modes, period and series are not checked until then",
        )
    places = rd.table("locations.csv", PlaceRow, required=True)
    routes = rd.table("routes.csv", RouteRow, required=True)
    departures = rd.table("departures.csv", DepartureRow, required=True)
    caravans = rd.table("caravans.csv", CaravanRow, required=False)
    enforcement = rd.table("enforcement.csv", EnforcementRow, required=False)
    facilities = rd.table("facilities.csv", FacilityRow, required=False)
    detention = rd.table("detention.csv", DetentionRow, required=bool(facilities))
    returns = rd.table("returns.csv", ReturnRow, required=False)
    border = rd.table("border.csv", BorderRow, required=False)
    read_events = _read_events(root, log, rd, spec if spec_usable else None)
    events = read_events or []
    observed: list[tuple[str, int, ObservedRow]] = []
    obs_dir = root / "observed"
    if obs_dir.is_dir():
        for path in sorted(obs_dir.glob("*.csv")):
            rel = f"observed/{path.name}"
            observed += [
                (rel, line, row) for line, row in rd.table(rel, ObservedRow, required=True)
            ]

    parameters: dict[str, float] = {}
    if spec is not None:
        given = {k: v.value for k, v in spec.parameters.items()}
        parameters, missing, unknown = resolve(given)
        for name in missing:
            p = PARAMETERS[name]
            log.error("scenario.yml", f"parameter '{name}' ({p.meaning}, unit {p.unit})")
        for name in unknown:
            log.error(
                "scenario.yml",
                _unknown(name, set(PARAMETERS), "a known parameter name"),
                column=f"parameters.{name}",
            )
        for name, value in parameters.items():
            _check_parameter(log, "scenario.yml", name, value, f"parameters.{name}")

    usable = spec if spec_usable else None
    _cross_check(usable, places, routes, departures, caravans, enforcement, facilities, detention,
                 returns, border, read_events, log)  # fmt: skip
    if usable is not None:
        _check_observed(usable, places, routes, facilities, observed, log)
    log.raise_if_errors()
    assert spec is not None
    scenario = CorridorScenario(
        root=root,
        spec=spec,
        parameters=parameters,
        places=[r for _, r in places],
        routes=[r for _, r in routes],
        departures=[r for _, r in departures],
        caravans=[r for _, r in caravans],
        enforcement=[r for _, r in enforcement],
        facilities=[r for _, r in facilities],
        detention=[r for _, r in detention],
        returns=[r for _, r in returns],
        border=[r for _, r in border],
        events=events,
        observed=[r for _, _, r in observed],
        warnings=log.warnings,
    )
    scenario.input_hash = _hash(root, rd.files)
    return scenario


def _read_spec(root: Path, log: IssueLog, rd: _Reader) -> tuple[ScenarioFile | None, bool]:
    """scenario.yml (None if it cannot be read as one), and whether the other files can be
    checked against it: not after any error in it, a repeated key included (which of its two
    values was meant is unknown)."""
    path = root / "scenario.yml"
    rd.files.append(path)
    errors_before = len(log.issues)
    data, lines = read_yaml(path, "scenario.yml", log, unique_keys=True)
    if data is None:
        if len(log.issues) == errors_before:  # empty, or only comments: YAML reads it as null
            log.error("scenario.yml", "a YAML mapping (name, start_date, end_date, ...)",
                      line=1, value="an empty file")  # fmt: skip
        return None, False
    if not isinstance(data, dict):
        log.error("scenario.yml", "a YAML mapping", line=1)
        return None, False
    try:
        spec = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        report_yaml_validation_error(exc, log, "scenario.yml", lines)
        return None, False
    return spec, not any(i.severity == "error" for i in log.issues[errors_before:])


def _check_parameter(log: IssueLog, rel: str, name: str, value: float, column: str,
                     line: int | None = None) -> None:  # fmt: skip
    """Log a parameter's value outside its range (or not finite) at ``column`` of ``rel``."""
    p = PARAMETERS[name]
    if not (math.isfinite(value) and p.low <= value <= p.high):
        log.error(rel, f"a value in [{p.low:g}, {p.high:g}]", line=line, column=column, value=value)


def _read_events(
    root: Path, log: IssueLog, rd: _Reader, spec: ScenarioFile | None = None
) -> list[EventEntry] | None:
    """The events of events.yml ([] without the file, or with an empty one), or None when it
    cannot be read. With ``spec``, an event dated after its period is warned about."""
    path = root / "events.yml"
    if not path.exists():
        return []
    rd.files.append(path)
    errors_before = len(log.errors)
    data, lines = read_yaml(path, "events.yml", log, unique_keys=True)
    if data is None:
        # empty (or only comments): no events, and rows naming one are checked against none
        return [] if len(log.errors) == errors_before else None
    try:
        events = TypeAdapter(list[EventEntry]).validate_python(data)
    except ValidationError as exc:
        report_yaml_validation_error(exc, log, "events.yml", lines)
        return None
    seen: set[str] = set()
    for i, ev in enumerate(events):
        if ev.id in seen:
            log.error("events.yml", "unique event ids", line=lines.get((str(i),)), value=ev.id)
        if spec is not None and ev.date > spec.end_date:  # one before the start applies from it
            log.warn("events.yml",
                     f"a date on or before end_date ({spec.end_date}); this event's parameter "
                     "changes never take effect",
                     line=lines.get((str(i), "date")), column="date", value=ev.date)  # fmt: skip
        seen.add(ev.id)
        for key, change in ev.set.items():
            line = lines.get((str(i), "set", key))
            if key not in PARAMETERS:
                log.error(
                    "events.yml",
                    _unknown(key, set(PARAMETERS), "a known parameter name"),
                    line=line,
                    column=f"set.{key}",
                )
            else:
                _check_parameter(log, "events.yml", key, change.value, f"set.{key}.value", line)
    return events


def _cross_check(spec, places, routes, departures, caravans, enforcement, facilities, detention,
                 returns, border, events, log) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    # A file whose own rows are in error leaves its names incomplete: references to them are not
    # checked (each would be a knock-on error burying the one to fix).
    places_ok = not any(i.file == "locations.csv" for i in log.errors)
    routes_ok = not any(i.file == "routes.csv" for i in log.errors)
    facilities_ok = not any(i.file == "facilities.csv" for i in log.errors)
    names: dict[str, PlaceRow] = {}
    folded: dict[str, tuple[str, int]] = {}
    for line, p in places:
        if p.name in names:
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
        names[p.name] = p
    if spec is not None:
        zones = {p.death_zone for _, p in places}
        for zone in spec.hazard_zones:
            if zone not in zones:
                log.error(
                    "scenario.yml",
                    _unknown(zone, zones, "a death region of locations.csv"),
                    column=f"hazard_zones.{zone}",
                )
    known = set(names)
    place_refs = known if places_ok else None
    facility_places = {f.place for _, f in facilities}
    for line, p in places:
        if p.facility and places_ok:
            if p.facility not in known:
                log.error("locations.csv", _unknown(p.facility, known, "a place name"), line=line,
                          column="facility", value=p.facility)  # fmt: skip
            elif names[p.facility].kind != PlaceKind.FACILITY:
                log.error("locations.csv", "a place of kind 'facility'", line=line,
                          column="facility", value=p.facility)  # fmt: skip
    if spec is not None and not any(p.kind == spec.goal_kind for _, p in places):
        log.error("locations.csv", f"at least one place of the goal kind ({spec.goal_kind.value})")
    route_ids: dict[str, int] = {}
    route_mode: dict[int, Mode] = {}
    regions = {p.region for _, p in places}
    for line, r in routes:
        for col, value in (("from", r.from_), ("to", r.to)):
            if places_ok and value not in known:
                log.error("routes.csv", _unknown(value, known, "a place named in locations.csv"),
                          line=line, column=col, value=value)  # fmt: skip
        if r.from_ == r.to:
            log.error("routes.csv", "two different places", line=line, column="to", value=r.to)
        if spec is not None and r.mode not in spec.modes:
            log.error("routes.csv", f"a mode defined in scenario.yml modes ({r.mode.value} is not)",
                      line=line, column="mode", value=r.mode.value)  # fmt: skip
        rid = r.id or f"{r.from_}>{r.to}:{r.mode.value}"
        if rid in route_ids:
            log.error("routes.csv", f"a unique route id (also line {route_ids[rid]})", line=line,
                      column="id", value=rid)  # fmt: skip
        route_ids[rid] = line
        route_mode[line] = r.mode
        if r.mode == Mode.BORDER and r.to in names and names[r.to].kind != PlaceKind.US_ARRIVAL:
            log.error("routes.csv", "a border route ending at a us_arrival place", line=line,
                      column="to", value=r.to)  # fmt: skip
    # Without a valid scenario.yml its names are unknown: the checks against them are skipped.
    nats = set(spec.nationalities) if spec else None
    ages = set(spec.age_groups) if spec else None
    for line, d in departures:
        _check_ref(log, "departures.csv", line, "origin", d.origin, place_refs)
        if d.origin in names and names[d.origin].kind not in (
            PlaceKind.ORIGIN,
            PlaceKind.BORDER_CITY,
        ):
            log.error("departures.csv", "an origin place (kind origin or border_city)", line=line,
                      column="origin", value=d.origin)  # fmt: skip
        _check_ref(log, "departures.csv", line, "nationality", d.nationality, nats,
                   "a nationality of scenario.yml")  # fmt: skip
        _check_ref(log, "departures.csv", line, "age_group", d.age_group, ages,
                   "an age group of scenario.yml")  # fmt: skip
        if spec is not None:
            month_start = f"{spec.start_date:%Y-%m}"
            month_end = f"{spec.end_date:%Y-%m}"
            if not month_start <= d.month <= month_end:
                log.warn("departures.csv",
                         f"a month within the period ({month_start} to {month_end}); ignored",
                         line=line, column="month", value=d.month)  # fmt: skip
    caravan_ids: dict[str, int] = {}
    for line, c in caravans:
        if c.id in caravan_ids:
            log.error("caravans.csv", f"a unique caravan id (also line {caravan_ids[c.id]})",
                      line=line, column="id", value=c.id)  # fmt: skip
        caravan_ids.setdefault(c.id, line)
        _check_ref(log, "caravans.csv", line, "origin", c.origin, place_refs)
        _check_ref(log, "caravans.csv", line, "nationality", c.nationality, nats,
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
    # Without a readable events.yml, references to its events are not checked.
    event_ids = {e.id for e in events} if events is not None else None
    modes = {m.value for m in Mode}
    for line, e in enforcement:
        target_sets = {
            TargetType.ROUTE: (set(route_ids) if routes_ok else None, "a route id of routes.csv"),
            TargetType.PLACE: (place_refs, "a place named in locations.csv"),
            TargetType.REGION: (regions, "a region used in locations.csv"),
            TargetType.MODE: (modes, "a mode"),
        }
        allowed, what = target_sets[e.target_type]
        _check_ref(log, "enforcement.csv", line, "target", e.target, allowed, what)
        if e.event and event_ids is not None:
            _check_ref(
                log,
                "enforcement.csv",
                line,
                "event",
                e.event,
                event_ids,
                "an event id of events.yml",
            )
        if e.end is not None and e.end < e.start:
            log.error(
                "enforcement.csv",
                "an end on or after the start",
                line=line,
                column="end",
                value=e.end,
            )
    for line, f in facilities:
        _check_ref(log, "facilities.csv", line, "place", f.place, place_refs)
        if f.place in names and names[f.place].kind != PlaceKind.FACILITY:
            log.error(
                "facilities.csv",
                "a place of kind 'facility'",
                line=line,
                column="place",
                value=f.place,
            )
    for _, p in places:
        if facilities_ok and p.kind == PlaceKind.FACILITY and p.name not in facility_places:
            log.error(
                "facilities.csv", f"a row for facility '{p.name}' (kind facility in locations.csv)"
            )
    det_lines: dict[str, int] = {}
    for line, d in detention:
        _check_ref(log, "detention.csv", line, "nationality", d.nationality, nats,
                   "a nationality of scenario.yml")  # fmt: skip
        if d.nationality in det_lines:
            log.error("detention.csv",
                      f"one row per nationality (also line {det_lines[d.nationality]})",
                      line=line, column="nationality", value=d.nationality)  # fmt: skip
        det_lines.setdefault(d.nationality, line)
    if facilities and nats is not None:
        for n in sorted(nats - set(det_lines)):
            log.error("detention.csv", f"a row for nationality '{n}'")
    return_lines: dict[str, int] = {}
    for line, r in returns:
        if r.nationality in return_lines:
            log.error("returns.csv",
                      f"one row per nationality (also line {return_lines[r.nationality]})",
                      line=line, column="nationality", value=r.nationality)  # fmt: skip
        return_lines.setdefault(r.nationality, line)
        _check_ref(log, "returns.csv", line, "place", r.place, place_refs)
        _check_ref(
            log,
            "returns.csv",
            line,
            "nationality",
            r.nationality,
            nats,
            "a nationality of scenario.yml",
        )
    border_routes = {rid for rid, line in route_ids.items() if route_mode[line] == Mode.BORDER}
    for line, b in border:
        if not routes_ok:
            pass  # the route ids are incomplete: not checked
        elif b.crossing in route_ids and b.crossing not in border_routes:
            log.error("border.csv", "a route id of a border route (mode border) of routes.csv; "
                      f"this route's mode is {route_mode[route_ids[b.crossing]].value}",
                      line=line, column="crossing", value=b.crossing)  # fmt: skip
        else:
            _check_ref(log, "border.csv", line, "crossing", b.crossing, border_routes,
                       "a route id of a border route (mode border) of routes.csv")  # fmt: skip
        if b.nationality:
            _check_ref(log, "border.csv", line, "nationality", b.nationality, nats,
                       "a nationality of scenario.yml (or blank: every nationality)")  # fmt: skip
        if b.mpp_city:
            _check_ref(log, "border.csv", line, "mpp_city", b.mpp_city, place_refs)
        if b.event and event_ids is not None:
            _check_ref(
                log, "border.csv", line, "event", b.event, event_ids, "an event id of events.yml"
            )
        if b.end is not None and b.end < b.start:
            log.error("border.csv", f"an end on or after the start ({b.start})", line=line,
                      column="end", value=b.end)  # fmt: skip
        if b.p_mpp > 0 and b.mpp_wait_days is None:
            log.error(
                "border.csv", "mpp_wait_days where p_mpp > 0", line=line, column="mpp_wait_days"
            )
    if spec is not None and not any(i.file in ("locations.csv", "routes.csv") for i in log.errors):
        _check_goals_reachable(spec.goal_kind, places, routes, departures, caravans, log)


def _check_goals_reachable(goal_kind, places, routes, departures, caravans, log) -> None:  # type: ignore[no-untyped-def]
    """Log each place of the goal kind that no origin reaches over the routes (as the engine
    builds them: both ways unless ``two_way`` is no; a border route only towards the US), each
    origin of departures.csv or caravans.csv from which no goal can be reached (its people would
    wait there for the whole run), and warn of each place that no route touches."""
    out: dict[str, list[str]] = {}
    into: dict[str, list[str]] = {}
    for _, r in routes:
        out.setdefault(r.from_, []).append(r.to)
        into.setdefault(r.to, []).append(r.from_)
        if r.two_way and r.mode != Mode.BORDER:
            out.setdefault(r.to, []).append(r.from_)
            into.setdefault(r.from_, []).append(r.to)
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
    touched = {r.from_ for _, r in routes} | {r.to for _, r in routes}
    for line, p in places:
        if p.name not in touched and p.kind not in (PlaceKind.FACILITY, PlaceKind.RETURN_POINT):
            log.warn("locations.csv",
                     "a place that some route of routes.csv starts or ends at (none does: "
                     "nobody can come here)", line=line, column="name", value=p.name)  # fmt: skip


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


def _fold(name: str) -> str:
    """A place name without letter case and with runs of spaces as one (for near-duplicates)."""
    return " ".join(name.split()).casefold()


# Descriptive series of every run beside the ones named after nationalities, death regions,
# facilities and modes (corridor.validate.corridor_series.daily_series; a test keeps them equal).
_SERIES = ("mx_detentions", "mx_returns", "arrivals", "departures", "mpp_returns", "detained")


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text.strip())
    return "_".join(p for p in out.split("_") if p)


def known_series(spec, places, routes, facilities) -> set[str]:  # type: ignore[no-untyped-def]
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
            names.add(f"occupancy:{p.name}")
            if (capacity.get(p.name) or 0) > 0:
                names.add(f"overcrowding:{p.name}")
    names |= {f"mode_share:{r.mode.value}" for _, r in routes}
    return names


def _check_observed(spec, places, routes, facilities, observed, log) -> None:  # type: ignore[no-untyped-def]
    """Each observed row names a series the run produces, once per period (over every file of
    observed/): a misspelt series would never be compared, a repeated row would count twice."""
    known = known_series(spec, places, routes, facilities)
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


def _check_ref(log, rel, line, col, value, known, what="a place named in locations.csv"):  # type: ignore[no-untyped-def]
    """Log ``value`` not in ``known`` (None: the names are unknown, nothing to check against)."""
    if known is not None and value not in known:
        log.error(rel, _unknown(value, set(known), what), line=line, column=col, value=value)


def _hash(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
