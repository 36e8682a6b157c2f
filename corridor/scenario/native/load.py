"""Read and validate a corridor scenario folder, reporting every problem found at once."""

from __future__ import annotations

import difflib
import hashlib
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
        for col in header:
            if col not in fields:
                self.log.error(
                    rel,
                    "a known column: " + ", ".join(sorted(fields)),
                    line=body[0].line,
                    column=col,
                )
        if required_cols - set(header) or any(c not in fields for c in header):
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

    spec = _read_spec(root, log, rd)
    places = rd.table("locations.csv", PlaceRow, required=True)
    routes = rd.table("routes.csv", RouteRow, required=True)
    departures = rd.table("departures.csv", DepartureRow, required=True)
    caravans = rd.table("caravans.csv", CaravanRow, required=False)
    enforcement = rd.table("enforcement.csv", EnforcementRow, required=False)
    facilities = rd.table("facilities.csv", FacilityRow, required=False)
    detention = rd.table("detention.csv", DetentionRow, required=bool(facilities))
    returns = rd.table("returns.csv", ReturnRow, required=False)
    border = rd.table("border.csv", BorderRow, required=False)
    events = _read_events(root, log, rd)
    observed: list[tuple[int, ObservedRow]] = []
    obs_dir = root / "observed"
    if obs_dir.is_dir():
        for path in sorted(obs_dir.glob("*.csv")):
            observed += rd.table(f"observed/{path.name}", ObservedRow, required=True)

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
            p = PARAMETERS[name]
            if not p.low <= value <= p.high:
                log.error(
                    "scenario.yml",
                    f"a value in [{p.low:g}, {p.high:g}]",
                    column=f"parameters.{name}",
                    value=value,
                )

    _cross_check(spec, places, routes, departures, caravans, enforcement, facilities, detention,
                 returns, border, events, log)  # fmt: skip
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
        observed=[r for _, r in observed],
        warnings=log.warnings,
    )
    scenario.input_hash = _hash(root, rd.files)
    return scenario


def _read_spec(root: Path, log: IssueLog, rd: _Reader) -> ScenarioFile | None:
    path = root / "scenario.yml"
    rd.files.append(path)
    data, lines = read_yaml(path, "scenario.yml", log)
    if data is None:
        return None
    if not isinstance(data, dict):
        log.error("scenario.yml", "a YAML mapping", line=1)
        return None
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        report_yaml_validation_error(exc, log, "scenario.yml", lines)
        return None


def _read_events(root: Path, log: IssueLog, rd: _Reader) -> list[EventEntry]:
    path = root / "events.yml"
    if not path.exists():
        return []
    rd.files.append(path)
    data, lines = read_yaml(path, "events.yml", log)
    if data is None:
        return []
    try:
        events = TypeAdapter(list[EventEntry]).validate_python(data)
    except ValidationError as exc:
        report_yaml_validation_error(exc, log, "events.yml", lines)
        return []
    seen: set[str] = set()
    for i, ev in enumerate(events):
        if ev.id in seen:
            log.error("events.yml", "unique event ids", line=lines.get((str(i),)), value=ev.id)
        seen.add(ev.id)
        for key in ev.set:
            if key not in PARAMETERS:
                log.error(
                    "events.yml",
                    _unknown(key, set(PARAMETERS), "a known parameter name"),
                    line=lines.get((str(i), "set", key)),
                    column=f"set.{key}",
                )
    return events


def _cross_check(spec, places, routes, departures, caravans, enforcement, facilities, detention,
                 returns, border, events, log) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    names: dict[str, PlaceRow] = {}
    for line, p in places:
        if p.name in names:
            log.error("locations.csv", "a unique name", line=line, column="name", value=p.name)
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
    facility_places = {f.place for _, f in facilities}
    for line, p in places:
        if p.facility:
            if p.facility not in known:
                log.error("locations.csv", _unknown(p.facility, known, "a place name"), line=line,
                          column="facility", value=p.facility)  # fmt: skip
            elif names[p.facility].kind != PlaceKind.FACILITY:
                log.error("locations.csv", "a place of kind 'facility'", line=line,
                          column="facility", value=p.facility)  # fmt: skip
    if not any(p.kind == (spec.goal_kind if spec else PlaceKind.US_ARRIVAL) for _, p in places):
        log.error("locations.csv", "at least one place of the goal kind (us_arrival)")
    route_ids: dict[str, int] = {}
    regions = {p.region for _, p in places}
    for line, r in routes:
        for col, value in (("from", r.from_), ("to", r.to)):
            if value not in known:
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
        if r.mode == Mode.BORDER and r.to in names and names[r.to].kind != PlaceKind.US_ARRIVAL:
            log.error("routes.csv", "a border route ending at a us_arrival place", line=line,
                      column="to", value=r.to)  # fmt: skip
    nats = set(spec.nationalities) if spec else set()
    ages = set(spec.age_groups) if spec else set()
    for line, d in departures:
        _check_ref(log, "departures.csv", line, "origin", d.origin, known)
        if d.origin in names and names[d.origin].kind not in (
            PlaceKind.ORIGIN,
            PlaceKind.BORDER_CITY,
        ):
            log.error("departures.csv", "an origin place (kind origin or border_city)", line=line,
                      column="origin", value=d.origin)  # fmt: skip
        _check_ref(
            log,
            "departures.csv",
            line,
            "nationality",
            d.nationality,
            nats,
            "a nationality of scenario.yml",
        )
        _check_ref(
            log,
            "departures.csv",
            line,
            "age_group",
            d.age_group,
            ages,
            "an age group of scenario.yml",
        )
        if spec is not None:
            month_start = f"{spec.start_date:%Y-%m}"
            month_end = f"{spec.end_date:%Y-%m}"
            if not month_start <= d.month <= month_end:
                log.warn("departures.csv",
                         f"a month within the period ({month_start} to {month_end}); ignored",
                         line=line, column="month", value=d.month)  # fmt: skip
    for line, c in caravans:
        _check_ref(log, "caravans.csv", line, "origin", c.origin, known)
        _check_ref(
            log,
            "caravans.csv",
            line,
            "nationality",
            c.nationality,
            nats,
            "a nationality of scenario.yml",
        )
    event_ids = {e.id for e in events}
    modes = {m.value for m in Mode}
    for line, e in enforcement:
        target_sets = {
            TargetType.ROUTE: (set(route_ids), "a route id of routes.csv"),
            TargetType.PLACE: (known, "a place named in locations.csv"),
            TargetType.REGION: (regions, "a region used in locations.csv"),
            TargetType.MODE: (modes, "a mode"),
        }
        allowed, what = target_sets[e.target_type]
        _check_ref(log, "enforcement.csv", line, "target", e.target, allowed, what)
        if e.event and e.event not in event_ids:
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
        _check_ref(log, "facilities.csv", line, "place", f.place, known)
        if f.place in names and names[f.place].kind != PlaceKind.FACILITY:
            log.error(
                "facilities.csv",
                "a place of kind 'facility'",
                line=line,
                column="place",
                value=f.place,
            )
    for _, p in places:
        if p.kind == PlaceKind.FACILITY and p.name not in facility_places:
            log.error(
                "facilities.csv", f"a row for facility '{p.name}' (kind facility in locations.csv)"
            )
    det_nats = {d.nationality for _, d in detention}
    if facilities:
        for n in sorted(nats - det_nats):
            log.error("detention.csv", f"a row for nationality '{n}'")
    for line, r in returns:
        _check_ref(log, "returns.csv", line, "place", r.place, known)
        _check_ref(
            log,
            "returns.csv",
            line,
            "nationality",
            r.nationality,
            nats,
            "a nationality of scenario.yml",
        )
    border_routes = {rid for rid, _ in route_ids.items()}
    for line, b in border:
        _check_ref(
            log,
            "border.csv",
            line,
            "crossing",
            b.crossing,
            border_routes,
            "a route id of routes.csv",
        )
        if b.nationality:
            _check_ref(log, "border.csv", line, "nationality", b.nationality, nats,
                       "a nationality of scenario.yml (or blank: every nationality)")  # fmt: skip
        if b.mpp_city:
            _check_ref(log, "border.csv", line, "mpp_city", b.mpp_city, known)
        if b.event and b.event not in event_ids:
            _check_ref(
                log, "border.csv", line, "event", b.event, event_ids, "an event id of events.yml"
            )
        if b.p_mpp > 0 and b.mpp_wait_days is None:
            log.error(
                "border.csv", "mpp_wait_days where p_mpp > 0", line=line, column="mpp_wait_days"
            )


def _check_ref(log, rel, line, col, value, known, what="a place named in locations.csv"):  # type: ignore[no-untyped-def]
    if value not in known:
        log.error(rel, _unknown(value, set(known), what), line=line, column=col, value=value)


def _hash(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
