"""Read and validate a Flee scenario folder, reporting every problem found at once.

Layout (Flee 3.1 / FabFlee): ``input_csv/{locations,routes,closures,conflicts,sim_period,
registration_corrections}.csv`` (``conflict_period.csv`` is Flee 3.1's name for ``sim_period.csv``),
``simsetting.yml`` and ``source_data/`` with ``data_layout.csv`` and one series file per camp.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from corridor.compile.flee_routes import enumerate_candidates
from corridor.errors import IssueLog
from corridor.scenario.csvio import CsvRow, read_csv_rows
from corridor.scenario.fields import (
    expected_text,
    read_yaml,
    report_yaml_validation_error,
    validate_model,
)
from corridor.scenario.flee.model import ConflictTable, FleeScenario
from corridor.scenario.flee.rows import (
    ClosureRow,
    ClosureType,
    CorrectionRow,
    LayoutRow,
    LocationKind,
    LocationRow,
    PeriodRow,
    RouteRow,
    SeriesPointRow,
)
from corridor.scenario.flee.series import (
    SeriesTable,
    add_tables,
    apply_registration_correction,
    correction_matches,
)
from corridor.scenario.flee.settings import LATER_FLEE_KEYS, FleeSettings

LOCATION_COLUMNS = [
    "name",
    "region",
    "country",
    "latitude",
    "longitude",
    "location_type",
    "conflict_date",
    "population",
]
ROUTE_COLUMNS = ["name1", "name2", "distance", "forced_redirection"]
CLOSURE_COLUMNS = ["closure_type", "name1", "name2", "closure_start", "closure_end"]
ROUTE_TYPED_ATTRIBUTES = {"max_move_speed", "walk_probability"}


def is_flee_scenario(root: Path) -> bool:
    """A folder with any part of Flee's layout is a Flee scenario, complete or not.

    Recognising a folder by ``locations.csv`` alone would answer "not a scenario folder" when that
    one file is missing, hiding the name of the missing file and every other problem; this way the
    loader reports the missing file together with the rest. A folder with a ``scenario.yml`` and
    no ``locations.csv`` is left to corridor's own scenario format.
    """
    if (root / "input_csv" / "locations.csv").exists():
        return True
    if (root / "scenario.yml").exists():
        return False
    return (
        (root / "input_csv").is_dir()
        or (root / "source_data").is_dir()
        or (root / "simsetting.yml").is_file()
    )


def load_flee(root: Path) -> FleeScenario:
    """Validate the Flee scenario at ``root``; raise :class:`ScenarioError` listing all problems."""
    root = Path(root)
    log = IssueLog(str(root))
    files_read: list[Path] = []

    def rows(rel: str, **kw: bool) -> list[CsvRow] | None:
        path = root / rel
        if path.exists():
            files_read.append(path)
        return read_csv_rows(path, rel, log, one_line_records=True, **kw)

    key_lines: dict[tuple[str, ...], int] = {}
    settings = _read_settings(root, log, files_read, key_lines)
    period = _read_period(root, log, rows)
    hasten = settings.optimisations.hasten if settings else 1

    # Names are checked against every name written in locations.csv (rows with other defects
    # included), and not at all when the file cannot be read: one defect there must not be
    # reported again as an "unknown location" at each place that refers to it.
    locations, names, countries = _read_locations(rows("input_csv/locations.csv"), log)
    routes, route_pairs = _read_routes(rows("input_csv/routes.csv"), log, names)
    closures = _read_closures(
        rows("input_csv/closures.csv", required=False, allow_empty=True),
        log,
        names,
        countries,
        route_pairs,
    )
    conflicts = _read_conflicts(
        rows("input_csv/conflicts.csv"),  # Flee 3.1's runner always reads it
        log,
        names,
        period.length if period else None,
    )
    layout, observed, layout_names = _read_source_data(root, log, rows, period, hasten)
    corrections = _read_corrections(
        rows("input_csv/registration_corrections.csv", required=False, allow_empty=True),
        log,
        layout_names,
        observed,
        period,
    )
    initial_agents: list[str] = []
    if settings is not None and settings.spawn_rules.read_from_agents_csv_file:
        initial_agents = _read_agents(rows("input_csv/agents.csv"), log, names, settings, locations)
    if settings is not None and locations and routes:
        _check_softening(settings, locations, routes, log, key_lines)

    if locations and layout_names is not None:
        # Checked even when simsetting.yml or sim_period.csv has errors, so that a camp missing
        # from data_layout.csv is reported in the same pass (default settings decide which places
        # are camps when the file's own settings are unusable).
        probe = FleeScenario(
            root=root,
            name=root.resolve().name,
            start_date=period.start_date if period else dt.date(1970, 1, 1),
            days=period.length if period else 1,
            settings=settings if settings is not None else FleeSettings(),
            locations=locations,
            routes=routes or [],
            closures=closures,
            conflicts=conflicts,
            corrections=corrections,
            layout=layout or {},
            observed=observed,
            initial_agents=initial_agents,
        )
        for camp in probe.camp_names():
            if camp not in layout_names:
                line = next((i + 2 for i, x in enumerate(locations) if x.name == camp), None)
                loc = next(x for x in locations if x.name == camp)
                why = ""
                if loc.location_type not in (LocationKind.CAMP, LocationKind.IDPCAMP):
                    why = (
                        f"; '{camp}' is a {loc.location_type.value} made a camp by its move "
                        f"chance {probe.initial_movechance(loc)}, below 0.005, as Flee does"
                    )
                log.error(
                    "source_data/data_layout.csv",
                    f"a row for camp '{camp}' (every camp in input_csv/locations.csv, line "
                    f"{line}, needs observed data; Flee 3.1 stops without it{why})",
                )
        _check_conflicts_vs_types(probe, log)
    log.raise_if_errors()
    if settings is None or period is None or not locations or routes is None or layout is None:
        raise AssertionError("unreachable: a missing part was not reported")  # pragma: no cover
    scenario = FleeScenario(
        root=root,
        name=root.resolve().name,
        start_date=period.start_date,
        days=period.length,
        settings=settings,
        locations=locations,
        routes=routes,
        closures=closures,
        conflicts=conflicts,
        corrections=corrections,
        layout=layout,
        observed=observed,
        initial_agents=initial_agents,
    )
    for corr in corrections:  # in file order, each on the table as the previous ones left it
        apply_registration_correction(observed[corr.camp], (corr.date - period.start_date).days)
    scenario.warnings = log.warnings
    scenario.input_hash = _hash_files(root, files_read)
    return scenario


# -- simsetting.yml ----------------------------------------------------------------------------


def _read_settings(
    root: Path, log: IssueLog, files_read: list[Path], key_lines_out: dict[tuple[str, ...], int]
) -> FleeSettings | None:
    path = root / "simsetting.yml"
    rel = "simsetting.yml"
    if not path.exists():
        log.warn(rel, "a simsetting.yml (none found: Flee 3.1's defaults are used)")
        return FleeSettings()
    files_read.append(path)
    errors_before = len(log.errors)
    data, key_lines = read_yaml(path, rel, log)
    key_lines_out.update(key_lines)
    if len(log.errors) > errors_before:
        return None
    if data is None:  # an empty file (or only comments): Flee 3.1's defaults
        data = {}
    if not isinstance(data, dict):
        log.error(rel, "a YAML mapping of settings", line=1, value=type(data).__name__)
        return None
    try:
        settings = FleeSettings.model_validate(data)
    except ValidationError as exc:
        report_yaml_validation_error(exc, log, rel, key_lines)
        return None
    for path_keys in settings.unknown_key_paths():
        why = (
            "a key Flee 3.1 reads (this one is from a later Flee and is ignored, as Flee 3.1 "
            "ignores it)"
            if path_keys[-1] in LATER_FLEE_KEYS
            else "a key Flee 3.1 reads (unknown key, ignored)"
        )
        log.warn(rel, why, line=key_lines.get(path_keys), column=".".join(path_keys))
    for path_keys, expected in settings.unsupported():
        log.error(rel, expected, line=key_lines.get(path_keys), column=".".join(path_keys))
    return settings


# -- sim_period.csv ----------------------------------------------------------------------------


def _read_period(
    root: Path, log: IssueLog, rows_of: Callable[[str], list[CsvRow] | None]
) -> PeriodRow | None:
    # Flee 3.1's runner reads only conflict_period.csv; later Flee renamed it sim_period.csv.
    # With both present, conflict_period.csv is used, as Flee 3.1 does.
    rel = "input_csv/conflict_period.csv"
    if not (root / rel).exists():
        rel = "input_csv/sim_period.csv"
    elif (root / "input_csv/sim_period.csv").exists():
        log.warn(
            "input_csv/sim_period.csv",
            "only one period file (conflict_period.csv is used, as Flee 3.1's runner reads "
            "only that; sim_period.csv is ignored)",
        )
    records = rows_of(rel)
    if records is None:
        return None
    found: dict[str, tuple[int, str]] = {}
    for row in records:
        key = row.cells[0].strip().lower()
        if key in ("startdate", "length"):
            if len(row.cells) < 2:
                log.error(rel, f"'{row.cells[0]},<value>'", line=row.line, column=row.cells[0])
                continue
            found[key] = (row.line, row.cells[1])
        elif not row.is_comment:
            log.error(
                rel,
                "a line 'StartDate,YYYY-MM-DD' or 'Length,<days>'",
                line=row.line,
                value=",".join(row.cells),
            )
    for key, label in (("startdate", "StartDate"), ("length", "Length")):
        if key not in found:
            log.error(rel, f"a line '{label},...'", value=None)
    if "startdate" not in found or "length" not in found:
        return None
    data = {"start_date": found["startdate"][1], "length": found["length"][1]}
    try:
        period = PeriodRow.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            key = "startdate" if err["loc"][0] == "start_date" else "length"
            log.error(
                rel,
                expected_text(err),
                line=found[key][0],
                column="StartDate" if key == "startdate" else "Length",
                value=err.get("input"),
            )
        return None
    try:  # every simulated day gets a calendar date (out.csv's Date column)
        period.start_date + dt.timedelta(days=period.length)
    except OverflowError:
        log.error(
            rel,
            "a period that ends by 9999-12-31 (StartDate plus Length days)",
            line=found["length"][0],
            column="Length",
            value=found["length"][1],
        )
        return None
    return period


# -- locations.csv -----------------------------------------------------------------------------


def _header(records: list[CsvRow], base: list[str]) -> tuple[list[str], int | None]:
    """Column names: Flee's fixed ones, then attribute names from a '#' header row."""
    for row in records:
        if row.is_comment:
            if len(row.cells) > len(base):
                return base + [c.strip() for c in row.cells[len(base) :]], row.line
            return list(base), row.line
        break
    return list(base), None


def _read_locations(
    records: list[CsvRow] | None, log: IssueLog
) -> tuple[list[LocationRow], set[str] | None, set[str] | None]:
    """The valid rows, and the names and countries written in *any* row (None: file unusable).

    Other files are checked against the names and countries written here, defective rows
    included, so that one bad cell is reported once, not again wherever its place is named.
    """
    rel = "input_csv/locations.csv"
    if records is None:
        return [], None, None
    columns, _ = _header(records, LOCATION_COLUMNS)
    out: list[LocationRow] = []
    seen: dict[str, int] = {}
    names: set[str] = set()
    countries: set[str] = set()
    for row in records:
        if row.is_comment:
            continue
        names.add(row.cells[0])
        if len(row.cells) > 2:
            countries.add(row.cells[2])
        if len(row.cells) != len(columns) and (
            len(row.cells) < len(LOCATION_COLUMNS) or len(row.cells) > len(columns)
        ):
            log.error(
                rel,
                f"{len(columns)} columns ({','.join(columns)})",
                line=row.line,
                value=f"{len(row.cells)} columns",
            )
            continue
        data: dict[str, object] = dict(zip(LOCATION_COLUMNS, row.cells, strict=False))
        data["attributes"] = {
            columns[i]: row.cells[i] for i in range(len(LOCATION_COLUMNS), len(row.cells))
        }
        loc = validate_model(LocationRow, data, log, rel, row.line)
        if loc is None:
            continue
        if loc.location_type == LocationKind.CONFLICT and loc.conflict_date is None:
            log.error(
                rel,
                "a conflict_date (whole number of days) for a conflict zone",
                line=row.line,
                column="conflict_date",
                value="",
            )
            continue
        if not _check_location_attributes(loc, log, rel, row.line):
            continue
        if loc.name in seen:
            log.error(
                rel,
                f"a unique name (already used on line {seen[loc.name]})",
                line=row.line,
                column="name",
                value=loc.name,
            )
            continue
        seen[loc.name] = row.line
        out.append(loc)
    if not names:  # a header (or comments) only; rows with defects were reported above
        log.error(rel, "at least one location", value="no data rows")
        return out, None, None
    return out, names, countries


# Attribute columns of locations.csv that Flee 3.1 reads as numbers: (low, high, expected).
LOCATION_NUMBER_ATTRIBUTES = {
    "conflict_intensity": (0.0, None, "a conflict intensity (number of 0 or more) or empty"),
    "deactivation_probability": (0.0, 1.0, "a probability in [0, 1] or empty"),
}


def _check_location_attributes(loc: LocationRow, log: IssueLog, rel: str, line: int) -> bool:
    """Attribute cells that Flee 3.1 turns into numbers must be numbers (empty: the default).

    Flee 3.1 stops on such a cell; without this check corridor would quietly use the default.
    """
    ok = True
    for key, (low, high, expected) in LOCATION_NUMBER_ATTRIBUTES.items():
        text = loc.attributes.get(key, "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            log.error(rel, expected, line=line, column=key, value=text)
            ok = False
    return ok


def _unknown(
    name: str, known: set[str] | dict[str, object], what: str = "a location named in locations.csv"
) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{what}{hint}"


# -- routes.csv --------------------------------------------------------------------------------


def _read_routes(
    records: list[CsvRow] | None, log: IssueLog, names: set[str] | None
) -> tuple[list[RouteRow] | None, set[frozenset[str]] | None]:
    """The valid routes (None: file unusable) and the pairs written in any row, for closures.

    ``names`` None means locations.csv could not be read, so names are not checked at all.
    """
    rel = "input_csv/routes.csv"
    if records is None:
        return None, None
    columns, _ = _header(records, ROUTE_COLUMNS)
    out: list[RouteRow] = []
    pairs: dict[frozenset[str], int] = {}
    written: set[frozenset[str]] = set()
    for row in records:
        if row.is_comment:
            continue
        if len(row.cells) >= 2:
            written.add(frozenset((row.cells[0], row.cells[1])))
        if len(row.cells) < 3 or len(row.cells) > len(columns):
            log.error(
                rel,
                f"3 to {len(columns)} columns ({','.join(columns)})",
                line=row.line,
                value=f"{len(row.cells)} columns",
            )
            continue
        data: dict[str, object] = dict(zip(ROUTE_COLUMNS, row.cells, strict=False))
        attributes = {}
        for i in range(len(ROUTE_COLUMNS), len(row.cells)):
            if columns[i] in ROUTE_TYPED_ATTRIBUTES:
                if row.cells[i].strip():
                    data[columns[i]] = row.cells[i]
            else:
                attributes[columns[i]] = row.cells[i]
        data["attributes"] = attributes
        route = validate_model(RouteRow, data, log, rel, row.line)
        if route is None:
            continue
        ok = True
        for col in ("name1", "name2"):
            value = getattr(route, col)
            if names is not None and value not in names:
                log.error(rel, _unknown(value, names), line=row.line, column=col, value=value)
                ok = False
        if not ok:
            continue
        if route.name1 == route.name2:
            log.error(
                rel, "two different locations", line=row.line, column="name2", value=route.name2
            )
            continue
        key = frozenset((route.name1, route.name2))
        if key in pairs:
            log.warn(
                rel,
                f"one route per pair of locations (also on line {pairs[key]}; Flee 3.1 builds "
                "parallel links, and so does corridor)",
                line=row.line,
                value=f"{route.name1},{route.name2}",
            )
        pairs.setdefault(key, row.line)
        out.append(route)
    return out, written


# -- closures.csv ------------------------------------------------------------------------------


def _read_closures(
    records: list[CsvRow] | None,
    log: IssueLog,
    names: set[str] | None,
    countries: set[str] | None,
    pairs: set[frozenset[str]] | None,
) -> list[ClosureRow]:
    """Closures; names, countries and route pairs that are None (unreadable files) go unchecked."""
    rel = "input_csv/closures.csv"
    if not records:
        return []
    out: list[ClosureRow] = []
    for row in records:
        if row.is_comment:
            continue
        if len(row.cells) != len(CLOSURE_COLUMNS):
            log.error(
                rel,
                f"{len(CLOSURE_COLUMNS)} columns ({','.join(CLOSURE_COLUMNS)})",
                line=row.line,
                value=f"{len(row.cells)} columns",
            )
            continue
        closure = validate_model(
            ClosureRow, dict(zip(CLOSURE_COLUMNS, row.cells, strict=True)), log, rel, row.line
        )
        if closure is None:
            continue
        kind = closure.closure_type
        if kind == ClosureType.COUNTRY:
            bad = [
                (c, getattr(closure, c))
                for c in ("name1", "name2")
                if countries is not None and getattr(closure, c) not in countries
            ]
            for col, value in bad:
                log.error(
                    rel,
                    _unknown(value, countries, "a country named in locations.csv"),
                    line=row.line,
                    column=col,
                    value=value,
                )
            if bad:
                continue
        else:
            needs = ("name1", "name2") if kind in (ClosureType.LINK,) else ("name1",)
            if kind == ClosureType.REMOVE_FORCED_REDIRECTION:
                needs = ("name1", "name2")
            bad = [
                (c, getattr(closure, c))
                for c in needs
                if names is not None and getattr(closure, c) not in names
            ]
            for col, value in bad:
                log.error(rel, _unknown(value, names), line=row.line, column=col, value=value)
            if bad:
                continue
            if (
                kind == ClosureType.LINK
                and pairs is not None
                and frozenset((closure.name1, closure.name2)) not in pairs
            ):
                log.error(
                    rel,
                    "a pair of locations joined by a route in routes.csv",
                    line=row.line,
                    value=f"{closure.name1},{closure.name2}",
                )
                continue
        if closure.closure_end != -1 and closure.closure_end == closure.closure_start:
            log.warn(
                rel,
                "closure_end after closure_start, or -1 (as written, the closure and the "
                f"reopening both happen on day {closure.closure_start}: as in Flee, the links are "
                "open for that day's movement, but agents already on them are turned back)",
                line=row.line,
                column="closure_end",
                value=closure.closure_end,
            )
        elif closure.closure_end != -1 and closure.closure_end < closure.closure_start:
            log.warn(
                rel,
                "closure_end after closure_start, or -1 (as written, the reopening on day "
                f"{closure.closure_end} comes first and the closure from day "
                f"{closure.closure_start} never ends, as in Flee)",
                line=row.line,
                column="closure_end",
                value=closure.closure_end,
            )
        out.append(closure)
    return out


# -- conflicts.csv -----------------------------------------------------------------------------


def _read_conflicts(
    records: list[CsvRow] | None, log: IssueLog, names: set[str] | None, days: int | None
) -> ConflictTable | None:
    rel = "input_csv/conflicts.csv"
    if records is None:
        return None
    header = records[0]
    cols = [c.strip() for c in header.cells[1:]]
    while cols and not cols[-1]:  # a trailing comma in the header (Flee skips empty names)
        cols.pop()
    valid = True
    seen: set[str] = set()
    for j, name in enumerate(cols):
        if not name:
            log.error(
                rel, "a location name in every header column", line=header.line, column=str(j + 2)
            )
            valid = False
        elif names is not None and name not in names:
            log.error(rel, _unknown(name, names), line=header.line, column=str(j + 2), value=name)
            valid = False
        elif name in seen:
            log.error(rel, "each location once in the header", line=header.line, value=name)
            valid = False
        seen.add(name)
    body = records[1:]
    values = np.zeros((len(body), len(cols)), dtype=np.float64)
    for r, row in enumerate(body):
        if len(row.cells) != len(cols) + 1:
            log.error(
                rel,
                f"{len(cols) + 1} columns (Day and one per header location)",
                line=row.line,
                value=f"{len(row.cells)} columns",
            )
            valid = False
            continue
        try:
            day = int(row.cells[0].strip())
        except ValueError:
            log.error(
                rel, "a whole-number day", line=row.line, column=header.cells[0], value=row.cells[0]
            )
            valid = False
            day = r
        if day != r:
            log.warn(
                rel,
                f"day {r} on this row (rows are read in order, one per day, as Flee does)",
                line=row.line,
                column=header.cells[0].strip(),
                value=row.cells[0],
            )
        for j, cell in enumerate(row.cells[1:]):
            try:
                v = float(cell.strip())
            except ValueError:
                log.error(
                    rel, "a conflict intensity (number)", line=row.line, column=cols[j], value=cell
                )
                valid = False
                continue
            if not (v >= 0.0 and np.isfinite(v)):
                log.error(
                    rel, "an intensity of 0 or more", line=row.line, column=cols[j], value=cell
                )
                valid = False
            values[r, j] = v
    if days is not None and len(body) < days:
        log.error(
            rel,
            f"one row per simulated day ({days} rows after the header)",
            value=f"{len(body)} rows",
        )
        valid = False
    return ConflictTable(cols, values) if valid else None


def _check_conflicts_vs_types(scenario: FleeScenario, log: IssueLog) -> None:
    if scenario.conflicts is None:
        return
    by_name = {loc.name: loc for loc in scenario.locations}
    for j, name in enumerate(scenario.conflicts.names):
        loc = by_name.get(name)
        active = bool((scenario.conflicts.values[:, j] > 1e-6).any())
        if active and loc is not None and scenario.starts_as_camp(loc):
            log.warn(
                "input_csv/conflicts.csv",
                "conflict locations that are not camps (Flee 3.1 lets a camp become a conflict "
                "zone that is still a camp; corridor does the same)",
                value=name,
            )


# -- source_data/ ------------------------------------------------------------------------------


def _read_source_data(
    root: Path,
    log: IssueLog,
    rows_of: Callable[[str], list[CsvRow] | None],
    period: PeriodRow | None,
    hasten: int,
) -> tuple[dict[str, list[str]] | None, dict[str, SeriesTable], set[str] | None]:
    """data_layout.csv and its series: (layout, observed series, names written in any row).

    ``observed`` holds only the series read without a defect (none when the period is unknown,
    since dates are counted from its start); the names of every row, defective ones included,
    are what registration_corrections.csv and the camp check are held against.
    """
    rel = "source_data/data_layout.csv"
    records = rows_of(rel)
    if records is None:
        return None, {}, None
    layout: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    names: set[str] = set()
    for row in records:
        if row.is_comment:
            continue
        names.add(row.cells[0])
        if len(row.cells) < 2:
            log.error(rel, "'<name>,<file>[,<file>...]'", line=row.line, value=",".join(row.cells))
            continue
        entry = validate_model(
            LayoutRow, {"name": row.cells[0], "files": row.cells[1:]}, log, rel, row.line
        )
        if entry is None:
            continue
        if entry.name in layout:
            log.warn(
                rel,
                f"each name once (also on line {lines[entry.name]}; the first row is used, "
                "as in Flee)",
                line=row.line,
                value=entry.name,
            )
            continue
        layout[entry.name] = [f.strip() for f in entry.files]
        lines[entry.name] = row.line
    if "total" not in names:
        log.error(rel, "a row 'total,refugees.csv' (the total that drives spawning)")
    observed: dict[str, SeriesTable] = {}
    if period is None:
        return layout, observed, names
    for name, files in layout.items():
        # Every file is read (and its defects reported) even after one of them fails.
        parts = [
            _read_series(root, f"source_data/{fname}", log, rows_of, period, hasten, lines[name])
            for fname in files
        ]
        if any(part is None for part in parts):
            continue
        table = parts[0]
        for part in parts[1:]:
            table = add_tables(table, part)
        observed[name] = table
    return layout, observed, names


def _read_series(
    root: Path,
    rel: str,
    log: IssueLog,
    rows_of: Callable[[str], list[CsvRow] | None],
    period: PeriodRow,
    hasten: int,
    layout_line: int,
) -> SeriesTable | None:
    """One series file; None if it is missing or any of its lines is defective.

    A series with a dropped line would still interpolate, but to different values than the
    author wrote, and registration corrections would be checked against the wrong points.
    """
    if not (root / rel).exists():
        log.error(
            "source_data/data_layout.csv",
            f"a file {rel} (named on this line)",
            line=layout_line,
        )
        return None
    records = rows_of(rel)
    if records is None:
        return None
    days: list[float] = []
    values: list[float] = []
    defective = False
    for k, row in enumerate(records):
        if k == 0 and row.cells[0].strip() in ("Date", "DateTime"):
            continue
        if len(row.cells) < 2 or row.is_comment or row.cells[1] == "":
            continue
        point = validate_model(
            SeriesPointRow, {"date": row.cells[0], "count": row.cells[1]}, log, rel, row.line
        )
        if point is None:
            defective = True
            continue
        if point.count < 0:
            log.error(rel, "a count of 0 or more", line=row.line, column="count", value=point.count)
            defective = True
            continue
        if days and (point.date - period.start_date).days < days[-1]:
            log.warn(
                rel,
                "dates in increasing order (an earlier date follows a later one; Flee's "
                "interpolation reads the points in file order, and so does corridor)",
                line=row.line,
                column="date",
                value=row.cells[0],
            )
        days.append(float((point.date - period.start_date).days))
        values.append(point.count / hasten)
    if defective:
        return None
    if not days:
        log.error(rel, "at least one 'YYYY-MM-DD,count' line")
        return None
    return SeriesTable(np.array(days), np.array(values))


# -- registration_corrections.csv --------------------------------------------------------------


def _read_corrections(
    records: list[CsvRow] | None,
    log: IssueLog,
    layout_names: set[str] | None,
    observed: dict[str, SeriesTable],
    period: PeriodRow | None,
) -> list[CorrectionRow]:
    """Corrections whose camp is in data_layout.csv and whose date is one of its data points.

    The camp is checked only if data_layout.csv could be read, and the date only if the camp's
    series was read without defects, so that each of those problems is reported once, where it is.
    """
    rel = "input_csv/registration_corrections.csv"
    out: list[CorrectionRow] = []
    if not records:
        return out
    for row in records:
        if row.is_comment:
            continue
        if len(row.cells) < 2 or len(row.cells) > 3:
            log.error(
                rel, "'<camp>,YYYY-MM-DD[,normalize]'", line=row.line, value=",".join(row.cells)
            )
            continue
        data = {"camp": row.cells[0], "date": row.cells[1]}
        if len(row.cells) == 3:
            data["mode"] = row.cells[2]
        corr = validate_model(CorrectionRow, data, log, rel, row.line)
        if corr is None:
            continue
        if layout_names is not None and corr.camp not in layout_names:
            log.error(
                rel,
                _unknown(corr.camp, layout_names, "a name listed in source_data/data_layout.csv"),
                line=row.line,
                column="camp",
                value=corr.camp,
            )
            continue
        if period is not None and corr.camp in observed:
            day = (corr.date - period.start_date).days
            matches = correction_matches(observed[corr.camp], day)
            usable = [i for i in matches if i > 0]
            if not usable:
                log.error(
                    rel,
                    f"a date that is a data point (not the first) of camp '{corr.camp}' "
                    "(Flee 3.1 stops on any other date)",
                    line=row.line,
                    column="date",
                    value=row.cells[1],
                )
                continue
            table = observed[corr.camp]
            if any(table.values[i - 1] == 0 for i in usable):
                log.error(
                    rel,
                    "a date whose preceding data point is not 0 (the correction divides by it)",
                    line=row.line,
                    column="date",
                    value=row.cells[1],
                )
                continue
        out.append(corr)
    return out


# -- agents.csv (read_from_agents_csv_file) ------------------------------------------------------


def _read_agents(
    records: list[CsvRow] | None,
    log: IssueLog,
    names: set[str] | None,
    settings: FleeSettings,
    locations: list[LocationRow],
) -> list[str]:
    """Locations of the agents in agents.csv, in order.

    Flee 3.1 (``Ecosystem.addAgent``) takes each such agent from its location's population when
    ``take_from_population`` is on and the place is a conflict zone when the file is read (before
    day 0: a conflict_zone with conflict_date <= 0 and a positive intensity), and stops on an
    assertion when that population is used up; compile subtracts them, and this reports the
    agent that would make Flee stop.
    """
    rel = "input_csv/agents.csv"
    out: list[str] = []
    if records is None:
        return out
    hasten = settings.optimisations.hasten
    left = {
        loc.name: loc.population // hasten
        for loc in locations
        if settings.spawn_rules.take_from_population and initially_in_conflict(loc)
    }
    body = [r for r in records if not r.is_comment][1:]  # first non-comment row is the header
    for row in body:
        name = row.cells[0]
        if names is not None and name not in names:
            log.error(rel, _unknown(name, names), line=row.line, column="location", value=name)
            continue
        if name in left:
            if left[name] < 0:
                continue  # past the first agent too many, which is reported
            if left[name] == 0:
                log.error(
                    rel,
                    f"no more agents at '{name}' than its population in locations.csv "
                    "(take_from_population takes each agents.csv agent at a conflict zone from "
                    "its population; Flee 3.1 stops here on an assertion)",
                    line=row.line,
                    column="location",
                    value=name,
                )
                left[name] = -1  # report the first agent too many only
                continue
            left[name] -= 1
        out.append(name)
    return out


def initially_in_conflict(loc: LocationRow) -> bool:
    """Whether Flee 3.1 creates ``loc`` as a conflict zone (``Location.conflict > 0`` before day
    0): a conflict_zone whose conflict_date is 0 or less and whose intensity is above 0."""
    if loc.location_type != LocationKind.CONFLICT:
        return False
    if loc.conflict_date is not None and loc.conflict_date > 0:
        return False  # created as a town until conflicts.csv starts its conflict
    text = loc.attributes.get("conflict_intensity", "").strip()
    try:
        return (float(text) if text else 1.0) > 0.0
    except ValueError:
        return False  # reported by _check_location_attributes


# -- softening (route weights divide by softening + distance) ------------------------------------


def _check_softening(
    settings: FleeSettings,
    locations: list[LocationRow],
    routes: list[RouteRow],
    log: IssueLog,
    key_lines: dict[tuple[str, ...], int],
) -> None:
    """Flee's route weight divides by ``(softening + km)^distance_power``, km the length of a
    candidate route. At 0 Flee stops with a ZeroDivisionError (and corridor's weights would be
    infinite); below 0 a weight is negative or complex. Every candidate route must have
    ``softening + km > 0``. Not checked at awareness_level 0, where no weight is computed."""
    mr = settings.move_rules
    if mr.awareness_level == 0:
        return
    index = {loc.name: i for i, loc in enumerate(locations)}
    if any(r.name1 not in index or r.name2 not in index for r in routes):
        return  # reported where the route is read
    n = len(locations)
    ends: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for r in routes:
        a, b = index[r.name1], index[r.name2]
        ends[a].append((b, r.distance))
        ends[b].append((a, r.distance))
    start, link_end, link_dist = [0], [], []
    for i in range(n):
        link_end += [b for b, _ in ends[i]]
        link_dist += [d for _, d in ends[i]]
        start.append(len(link_end))
    marker = np.array([loc.location_type == LocationKind.MARKER for loc in locations])
    cands = enumerate_candidates(
        n,
        np.array(start, dtype=np.int32),
        np.arange(len(link_end), dtype=np.int32),
        np.array(link_end, dtype=np.int32),
        np.array(link_dist, dtype=np.float64),
        marker,
        mr.awareness_level,
    )
    if not len(cands.dcum) or mr.softening + float(cands.dcum.min()) > 0.0:
        return
    c = int(np.argmin(cands.dcum))
    origin = int(np.searchsorted(cands.start, c, side="right") - 1)
    path = [origin, *(int(x) for x in cands.nodes[c, : cands.length[c]])]
    shortest = float(cands.dcum[c])
    log.error(
        "simsetting.yml",
        f"a softening above {-shortest + 0.0:g} (minus the shortest candidate route, "
        f"{' -> '.join(locations[i].name for i in path)}, {shortest:g} km): Flee divides each "
        "route weight by (softening + route km)^distance_power, which must be above 0",
        line=key_lines.get(("move_rules", "softening")),
        column="move_rules.softening",
        value=mr.softening,
    )


def _hash_files(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
