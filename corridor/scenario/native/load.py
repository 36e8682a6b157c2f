"""Read and validate a corridor scenario folder, reporting every problem found at once."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from corridor.errors import IssueLog
from corridor.scenario.csvio import read_csv_rows
from corridor.scenario.fields import read_yaml, report_yaml_validation_error, validate_model
from corridor.scenario.native.checks import (
    check_groups,
    check_observed,
    cross_check,
    did_you_mean,
)
from corridor.scenario.native.checks import known_series as known_series  # tests import it here
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.parameters import PARAMETERS, resolve
from corridor.scenario.native.schema import (
    BorderRow,
    CaravanRow,
    DepartureRow,
    DestinationRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    GroupRow,
    ObservedRow,
    PlaceRow,
    PortRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
)

M = TypeVar("M", bound=BaseModel)


def is_corridor_scenario(root: Path) -> bool:
    return (root / "scenario.yml").exists()


class _Reader:
    def __init__(self, root: Path, log: IssueLog) -> None:
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
    destinations = rd.table("destinations.csv", DestinationRow, required=False)
    groups = rd.table("groups.csv", GroupRow, required=False)
    border = rd.table("border.csv", BorderRow, required=False)
    ports = rd.table("ports.csv", PortRow, required=False)
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
                did_you_mean(name, set(PARAMETERS), "a known parameter name"),
                column=f"parameters.{name}",
            )
        for name, value in parameters.items():
            _check_parameter(log, "scenario.yml", name, value, f"parameters.{name}")

    usable = spec if spec_usable else None
    cross_check(usable, places, routes, departures, caravans, enforcement, facilities, detention,
                returns, destinations, border, ports, read_events, log)  # fmt: skip
    check_groups(groups, usable, log)
    if usable is not None:
        check_observed(usable, places, routes, facilities, observed, ports, log)
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
        destinations=[r for _, r in destinations],
        groups=[r for _, r in groups],
        border=[r for _, r in border],
        ports=[r for _, r in ports],
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
                    did_you_mean(key, set(PARAMETERS), "a known parameter name"),
                    line=line,
                    column=f"set.{key}",
                )
            else:
                _check_parameter(log, "events.yml", key, change.value, f"set.{key}.value", line)
    return events


def _hash(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
