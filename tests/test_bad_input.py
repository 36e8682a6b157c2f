"""Malformed Flee scenarios: every defect is reported by file, line and column, all at once.

Each case starts from one small valid scenario (written by :func:`make_scenario`) and breaks one
thing, or a few independent things in different files. A scenario author should get a message that
points at the exact place to fix, every problem in one pass, exit code 2 from the CLI, no traceback
and no half-written run folder; these tests hold the loader and the CLI to that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli import app
from corridor.errors import CorridorError, ScenarioError

# -- the valid scenario every case starts from ---------------------------------------------------
# Five places in three countries: a conflict zone, two towns (one becomes a conflict zone on day 5
# through conflicts.csv), two camps abroad. Line numbers below are what the cases refer to.

LOCATIONS = """\
#name,region,country,latitude,longitude,location_type,conflict_date,population
Alpha,North,Aland,10.0,20.0,conflict_zone,0,20000
Bravo,North,Aland,10.5,20.5,town,,8000
Charlie,South,Aland,11.0,21.0,town,,5000
Delta,East,Bland,12.0,22.0,camp,,3000
Echo,West,Cland,9.0,19.0,camp,,0
"""

ROUTES = """\
#name1,name2,distance,forced_redirection
Alpha,Bravo,100,0
Bravo,Charlie,80,0
Charlie,Delta,120,0
Bravo,Echo,200,0
"""

CLOSURES = """\
#closure_type,name1,name2,closure_start,closure_end
country,Aland,Cland,3,6
link,Bravo,Charlie,8,9
"""

CONFLICTS = "#Day,Alpha,Charlie\n" + "".join(
    f"{day},1,{1 if day >= 5 else 0}\n" for day in range(10)
)

SIM_PERIOD = "StartDate,2020-01-01\nLength,10\n"

CORRECTIONS = "Delta,2020-01-05,normalize\n"

SIMSETTING = """\
log_levels:
  agent: 0
spawn_rules:
  take_from_population: False
  insert_day0: True
move_rules:
  max_move_speed: 200.0
  capacity_buffer: 0.9
  softening: 10.0
optimisations:
  hasten: 1
"""

DATA_LAYOUT = "total,refugees.csv\nDelta,delta.csv\nEcho,echo.csv\n"

BASE_FILES: dict[str, str | bytes] = {
    "input_csv/locations.csv": LOCATIONS,
    "input_csv/routes.csv": ROUTES,
    "input_csv/closures.csv": CLOSURES,
    "input_csv/conflicts.csv": CONFLICTS,
    "input_csv/sim_period.csv": SIM_PERIOD,
    "input_csv/registration_corrections.csv": CORRECTIONS,
    "simsetting.yml": SIMSETTING,
    "source_data/data_layout.csv": DATA_LAYOUT,
    "source_data/refugees.csv": "2020-01-01,100\n2020-01-05,400\n2020-01-10,900\n",
    "source_data/delta.csv": "2020-01-01,50\n2020-01-05,250\n2020-01-10,600\n",
    "source_data/echo.csv": "2020-01-01,50\n2020-01-05,150\n2020-01-10,300\n",
}

Changes = Mapping[str, str | bytes | None]


def make_scenario(root: Path, changes: Changes | None = None) -> Path:
    """Write the valid scenario into ``root`` with ``changes`` applied (None deletes a file).

    Text is written as UTF-8; bytes are written as they are, so a case can plant bad encodings.
    """
    files = {**BASE_FILES, **(changes or {})}
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def edit(rel: str, *pairs: tuple[str, str]) -> dict[str, str]:
    """Replace each ``old`` (which must occur exactly once) by ``new`` in one base file.

    Asserting the match keeps a case honest: a typo in ``old`` would otherwise leave the scenario
    valid and the case would test nothing.
    """
    text = BASE_FILES[rel]
    assert isinstance(text, str)
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
        text = text.replace(old, new)
    return {rel: text}


@dataclass(frozen=True)
class Expect:
    """One problem the message must report: the file, where in it, and a fragment of the text."""

    file: str
    fragment: str
    line: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    changes: Changes
    expect: tuple[Expect, ...]
    # "folder": the scenario folder; "missing": a path that does not exist; "file": a plain file.
    target: str = "folder"
    notes: str = field(default="", compare=False)


LOC = "input_csv/locations.csv"
ROU = "input_csv/routes.csv"
CLO = "input_csv/closures.csv"
CON = "input_csv/conflicts.csv"
PER = "input_csv/sim_period.csv"
COR = "input_csv/registration_corrections.csv"
YML = "simsetting.yml"
LAY = "source_data/data_layout.csv"

CASES: list[Case] = [
    # -- missing files -------------------------------------------------------------------------
    Case("missing_locations", {LOC: None}, (Expect(LOC, "this file to exist"),)),
    Case("missing_routes", {ROU: None}, (Expect(ROU, "this file to exist"),)),
    Case("missing_sim_period", {PER: None}, (Expect(PER, "this file to exist"),)),
    Case("missing_data_layout", {LAY: None}, (Expect(LAY, "this file to exist"),)),
    Case(
        "missing_series_file",
        {"source_data/echo.csv": None},
        (Expect(LAY, "source_data/echo.csv", line=3),),
    ),
    # -- wrong number of cells -----------------------------------------------------------------
    Case(
        "locations_too_few_cells",
        edit(LOC, ("Bravo,North,Aland,10.5,20.5,town,,8000", "Bravo,North,Aland,10.5,20.5,town")),
        (Expect(LOC, "8 columns", line=3),),
    ),
    Case(
        "routes_too_few_cells",
        edit(ROU, ("Bravo,Charlie,80,0", "Bravo,Charlie")),
        (Expect(ROU, "3 to 4 columns", line=3),),
    ),
    Case(
        "locations_too_many_cells",
        edit(LOC, ("camp,,3000", "camp,,3000,x")),
        (Expect(LOC, "got '9 columns'", line=5),),
    ),
    Case(
        "routes_too_many_cells",
        edit(ROU, ("Bravo,Echo,200,0", "Bravo,Echo,200,0,7")),
        (Expect(ROU, "got '5 columns'", line=5),),
    ),
    Case(
        "conflicts_too_many_cells",
        edit(CON, ("3,1,0\n", "3,1,0,0\n")),
        (Expect(CON, "3 columns", line=5),),
    ),
    # -- unknown names -------------------------------------------------------------------------
    Case(
        "route_unknown_name1",
        edit(ROU, ("Alpha,Bravo,100,0", "Alfa,Bravo,100,0")),
        (Expect(ROU, "did you mean 'Alpha'", line=2, column="name1"),),
    ),
    Case(
        "route_unknown_name2",
        edit(ROU, ("Charlie,Delta,120,0", "Charlie,Delt,120,0")),
        (Expect(ROU, "a location named in locations.csv", line=4, column="name2"),),
    ),
    Case(
        "closure_unknown_location",
        edit(CLO, ("link,Bravo,Charlie,8,9", "link,Bravo,Charly,8,9")),
        (Expect(CLO, "did you mean 'Charlie'", line=3, column="name2"),),
    ),
    Case(
        "closure_unknown_country",
        edit(CLO, ("country,Aland,Cland,3,6", "country,Aland,Dland,3,6")),
        (Expect(CLO, "a country named in locations.csv", line=2, column="name2"),),
    ),
    Case(
        "conflicts_header_unknown_location",
        edit(CON, ("#Day,Alpha,Charlie", "#Day,Alpha,Charles")),
        (Expect(CON, "did you mean 'Charlie'", line=1, column="3"),),
    ),
    Case(
        "correction_unknown_camp",
        edit(COR, ("Delta,2020-01-05", "Foxtrot,2020-01-05")),
        (Expect(COR, "a name listed in source_data/data_layout.csv", line=1, column="camp"),),
    ),
    Case(
        "duplicate_location_name",
        {LOC: LOCATIONS + "Bravo,South,Aland,11.0,21.0,town,,5000\n"},
        (Expect(LOC, "already used on line 3", line=7, column="name"),),
    ),
    # -- bad values in locations.csv and routes.csv -------------------------------------------
    Case(
        "negative_distance",
        edit(ROU, ("Alpha,Bravo,100,0", "Alpha,Bravo,-100,0")),
        (Expect(ROU, "a distance in km of 0 or more", line=2, column="distance"),),
    ),
    Case(
        "non_numeric_distance",
        edit(ROU, ("Alpha,Bravo,100,0", "Alpha,Bravo,100km,0")),
        (Expect(ROU, "got '100km'; expected a number", line=2, column="distance"),),
    ),
    Case(
        "non_numeric_population",
        edit(LOC, ("town,,8000", "town,,8k")),
        (Expect(LOC, "expected a whole number", line=3, column="population"),),
    ),
    Case(
        "negative_population",
        edit(LOC, ("town,,8000", "town,,-8000")),
        (Expect(LOC, "0 or more", line=3, column="population"),),
    ),
    Case(
        "bad_location_type",
        edit(LOC, ("11.0,21.0,town", "11.0,21.0,city")),
        (Expect(LOC, "a location type", line=4, column="location_type"),),
    ),
    Case(
        "conflict_zone_without_conflict_date",
        edit(LOC, ("conflict_zone,0,20000", "conflict_zone,,20000")),
        (Expect(LOC, "a conflict_date", line=2, column="conflict_date"),),
    ),
    Case(
        "latitude_not_a_number",
        edit(LOC, ("Bravo,North,Aland,10.5", "Bravo,North,Aland,north")),
        (Expect(LOC, "expected a number", line=3, column="latitude"),),
    ),
    Case(
        "latitude_out_of_range",
        edit(LOC, ("Bravo,North,Aland,10.5", "Bravo,North,Aland,95.5")),
        (Expect(LOC, "a latitude in [-90, 90]", line=3, column="latitude"),),
    ),
    # -- dates and the period ------------------------------------------------------------------
    Case(
        "bad_start_date",
        edit(PER, ("2020-01-01", "01/01/2020")),
        (Expect(PER, "YYYY-MM-DD", line=1, column="StartDate"),),
    ),
    Case(
        "bad_series_date",
        edit("source_data/delta.csv", ("2020-01-05,250", "2020-01-32,250")),
        (Expect("source_data/delta.csv", "YYYY-MM-DD", line=2, column="date"),),
    ),
    Case(
        "bad_correction_date",
        edit(COR, ("2020-01-05", "05/01/2020")),
        (Expect(COR, "YYYY-MM-DD", line=1, column="date"),),
    ),
    Case(
        "correction_date_not_a_data_point",
        edit(COR, ("2020-01-05", "2020-01-04")),
        (Expect(COR, "a data point", line=1, column="date"),),
    ),
    Case(
        "length_zero",
        edit(PER, ("Length,10", "Length,0")),
        (Expect(PER, "at least 1 day", line=2, column="Length"),),
    ),
    Case(
        "length_not_a_number",
        edit(PER, ("Length,10", "Length,ten")),
        (Expect(PER, "got 'ten'; expected a whole number", line=2, column="Length"),),
    ),
    # -- data_layout.csv -----------------------------------------------------------------------
    Case(
        "camp_missing_from_data_layout",
        edit(LAY, ("Echo,echo.csv\n", "")),
        (Expect(LAY, "a row for camp 'Echo'"),),
    ),
    Case(
        "data_layout_without_total",
        edit(LAY, ("total,refugees.csv\n", "")),
        (Expect(LAY, "a row 'total,refugees.csv'"),),
    ),
    # -- empty files ---------------------------------------------------------------------------
    Case("locations_0_bytes", {LOC: b""}, (Expect(LOC, "an empty file"),)),
    Case("routes_0_bytes", {ROU: b""}, (Expect(ROU, "an empty file"),)),
    Case("sim_period_0_bytes", {PER: b""}, (Expect(PER, "an empty file"),)),
    Case("data_layout_0_bytes", {LAY: b""}, (Expect(LAY, "an empty file"),)),
    Case(
        "locations_header_only",
        {LOC: LOCATIONS.splitlines(keepends=True)[0]},
        (Expect(LOC, "at least one location"),),
    ),
    Case(
        "conflicts_header_only",
        {CON: "#Day,Alpha,Charlie\n"},
        (Expect(CON, "one row per simulated day", column=None),),
    ),
    Case(
        "series_header_only",
        {"source_data/refugees.csv": "Date,refugees\n"},
        (Expect("source_data/refugees.csv", "at least one 'YYYY-MM-DD,count' line"),),
    ),
    # -- encodings and binary content ----------------------------------------------------------
    Case(
        "latin1_bytes",
        {LOC: LOCATIONS.replace("Bravo,North", "Bravo,Bogot\xe1").encode("latin-1")},
        (Expect(LOC, "UTF-8 encoded text", line=3),),
    ),
    Case(
        "utf16_file",
        {ROU: ROUTES.encode("utf-16")},
        (Expect(ROU, "UTF-16"),),
    ),
    Case(
        "utf16_without_bom",
        {PER: SIM_PERIOD.encode("utf-16-le")},
        (Expect(PER, "UTF-16"),),
    ),
    Case(
        "binary_file",
        {"source_data/delta.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        (Expect("source_data/delta.csv", "not binary data", line=3),),
    ),
    # -- conflicts.csv -------------------------------------------------------------------------
    Case(
        "conflicts_fewer_rows_than_days",
        {CON: "".join(CONFLICTS.splitlines(keepends=True)[:8])},
        (Expect(CON, "got '7 rows'"),),
    ),
    Case(
        "conflicts_non_numeric_intensity",
        edit(CON, ("5,1,1\n", "5,1,high\n")),
        (Expect(CON, "a conflict intensity (number)", line=7, column="Charlie"),),
    ),
    # -- closures.csv --------------------------------------------------------------------------
    Case(
        "closure_bad_type",
        edit(CLO, ("country,Aland", "border,Aland")),
        (Expect(CLO, "a closure type", line=2, column="closure_type"),),
    ),
    Case(
        "closure_non_integer_start",
        edit(CLO, ("link,Bravo,Charlie,8,9", "link,Bravo,Charlie,8.5,9")),
        (Expect(CLO, "got '8.5'; expected a whole number", line=3, column="closure_start"),),
    ),
    # -- simsetting.yml ------------------------------------------------------------------------
    Case(
        "yaml_not_valid",
        edit(YML, ("  softening: 10.0", "  softening: [10.0")),
        (Expect(YML, "valid YAML", line=10),),
    ),
    Case(
        "yaml_not_a_mapping",
        {YML: "- max_move_speed\n- 200\n"},
        (Expect(YML, "a YAML mapping", line=1),),
    ),
    Case(
        "yaml_wrong_type",
        edit(YML, ("max_move_speed: 200.0", "max_move_speed: fast")),
        (Expect(YML, "got 'fast'; expected a number", line=7, column="move_rules.max_move_speed"),),
    ),
    Case(
        "yaml_out_of_range",
        edit(YML, ("capacity_buffer: 0.9", "capacity_buffer: 1.5")),
        (
            Expect(
                YML, "expected a fraction in [0, 1]", line=8, column="move_rules.capacity_buffer"
            ),
        ),
    ),
    Case(
        "yaml_flood_rules",
        {YML: SIMSETTING + "flood_rules:\n  flood_level: 1\n"},
        (Expect(YML, "DFlee's flood model is not supported", line=12, column="flood_rules"),),
    ),
    # -- defects found while writing this table (each once slipped through or misled) --------
    Case(
        "unclosed_quote",
        edit(ROU, ("Alpha,Bravo,100,0", 'Alpha,"Bravo,100,0')),
        (Expect(ROU, "each record on one line", line=2),),
        notes="the open quote swallowed the rest of the file into one cell",
    ),
    Case(
        "bad_conflict_intensity_attribute",
        {
            LOC: LOCATIONS.replace("population\n", "population,conflict_intensity\n").replace(
                ",20000\n", ",20000,high\n"
            )
        },
        (Expect(LOC, "a conflict intensity", line=2, column="conflict_intensity"),),
        notes="compile used to fall back to 1.0 silently; Flee 3.1 stops",
    ),
    Case(
        "yaml_not_finite",
        edit(YML, ("softening: 10.0", "softening: .nan")),
        (Expect(YML, "a finite number", line=9, column="move_rules.softening"),),
    ),
    Case(
        "period_past_year_9999",
        edit(PER, ("2020-01-01", "9999-12-30")),
        (Expect(PER, "a period that ends by 9999-12-31", line=2, column="Length"),),
        notes="used to load, then crash with OverflowError while writing out.csv",
    ),
    # -- the scenario path itself --------------------------------------------------------------
    Case("path_does_not_exist", {}, (Expect("", "no such scenario folder"),), target="missing"),
    Case("path_is_a_file", {}, (Expect("", "a scenario is a folder"),), target="file"),
    # -- several independent defects in different files: all reported at once ----------------
    Case(
        "multi_routes_settings_layout",
        {
            **edit(ROU, ("Alpha,Bravo,100,0", "Alpha,Bravo,-100,0")),
            **edit(YML, ("max_move_speed: 200.0", "max_move_speed: fast")),
            **edit(LAY, ("total,refugees.csv\n", "")),
        },
        (
            Expect(ROU, "0 or more", line=2, column="distance"),
            Expect(YML, "a number", line=7, column="move_rules.max_move_speed"),
            Expect(LAY, "a row 'total,refugees.csv'"),
        ),
    ),
    Case(
        "multi_locations_conflicts_corrections",
        {
            **edit(LOC, ("11.0,21.0,town", "11.0,21.0,city")),
            **edit(CON, ("5,1,1\n", "5,1,high\n")),
            **edit(COR, ("2020-01-05", "2020-01-04")),
        },
        (
            Expect(LOC, "a location type", line=4, column="location_type"),
            Expect(CON, "a conflict intensity", line=7, column="Charlie"),
            Expect(COR, "a data point", line=1, column="date"),
        ),
        notes="Charlie's row is invalid but its name still resolves in routes, closures, conflicts",
    ),
    Case(
        "multi_missing_routes_closure_series",
        {
            ROU: None,
            **edit(CLO, ("country,Aland,Cland,3,6", "country,Aland,Dland,3,6")),
            **edit("source_data/echo.csv", ("2020-01-05,150", "2020-01-05,many")),
        },
        (
            Expect(ROU, "this file to exist"),
            Expect(CLO, "a country named in locations.csv", line=2, column="name2"),
            Expect("source_data/echo.csv", "a whole number", line=2, column="count"),
        ),
        notes="the link closure cannot be checked against missing routes and is not blamed",
    ),
    Case(
        "multi_missing_period_duplicate_correction",
        {
            PER: None,
            LOC: LOCATIONS + "Bravo,South,Aland,11.0,21.0,town,,5000\n",
            **edit(COR, ("Delta,2020-01-05", "Foxtrot,2020-01-05")),
        },
        (
            Expect(PER, "this file to exist"),
            Expect(LOC, "already used on line 3", line=7, column="name"),
            Expect(COR, "a name listed in source_data/data_layout.csv", line=1, column="camp"),
        ),
    ),
    Case(
        "multi_bad_start_date_and_empty_locations",
        {PER: "StartDate,2020-02-30\nLength,10\n", LOC: b"", YML: "flood_rules: {}\n"},
        (
            Expect(PER, "YYYY-MM-DD", line=1, column="StartDate"),
            Expect(LOC, "an empty file"),
            Expect(YML, "flood", line=1, column="flood_rules"),
        ),
    ),
]


def _scenario_path(tmp_path: Path, case: Case) -> Path:
    if case.target == "missing":
        return tmp_path / "no-such-scenario"
    if case.target == "file":
        path = tmp_path / "scenario.csv"
        path.write_text(ROUTES, encoding="utf-8")
        return path
    return make_scenario(tmp_path / "scenario", case.changes)


runner = CliRunner()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_scenario_is_reported(tmp_path: Path, case: Case) -> None:
    path = _scenario_path(tmp_path, case)

    # 1. the API names every problem: file, line, column and what was expected
    with pytest.raises(CorridorError) as info:
        corridor.load(path)
    exc = info.value
    message = str(exc)
    if case.target != "folder":
        assert not isinstance(exc, ScenarioError)
        assert str(path) in message
        assert all(e.fragment in message for e in case.expect), message
    else:
        assert isinstance(exc, ScenarioError), message
        # 2. exactly the planted defects, all at once: no missing ones and no knock-on noise
        assert len(exc.issues) == len(case.expect), message
        for want in case.expect:
            found = [
                issue
                for issue in exc.issues
                if issue.file == want.file
                and (want.line is None or issue.line == want.line)
                and (want.column is None or issue.column == want.column)
                and want.fragment in str(issue)
            ]
            assert found, f"no issue like {want} in:\n{message}"
            shown = str(found[0])
            assert shown in message
            assert want.file in shown
            if want.line is not None:
                assert f"line {want.line}" in shown
            if want.column is not None:
                assert f"column '{want.column}'" in shown

    # 3. `corridor run` exits 2 with a message, no traceback, and leaves no run folder behind
    out_dir = tmp_path / "runs" / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out_dir), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert case.expect[0].fragment in " ".join(result.output.split())
    assert not out_dir.exists()
    assert not list(out_dir.parent.glob(".out.partial-*")) if out_dir.parent.exists() else True

    # 4. `corridor check` exits 2 as well
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_case_table_covers_enough() -> None:
    """The brief asks for at least 30 malformed scenarios, two or more with several defects."""
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    multi = [c for c in CASES if len({e.file for e in c.expect}) >= 2]
    assert len(multi) >= 2


def test_valid_scenario_loads_runs_and_writes(tmp_path: Path) -> None:
    """The builder's own scenario is valid, so every failure above is due to its one defect."""
    path = make_scenario(tmp_path / "scenario")
    scenario = corridor.load(path)
    assert scenario.location_names == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
    assert scenario.camp_names() == ["Delta", "Echo"]
    assert scenario.days == 10
    assert len(scenario.closures) == 2
    assert [str(w) for w in scenario.warnings] == []

    check = runner.invoke(app, ["check", str(path)])
    assert check.exit_code == 0, check.output

    out_dir = tmp_path / "runs" / "ok"
    result = runner.invoke(app, ["run", str(path), "--out", str(out_dir), "--days", "4", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out_dir / "out.csv").is_file()
    assert (out_dir / "manifest.json").is_file()
    assert len((out_dir / "out.csv").read_text(encoding="utf-8").splitlines()) == 1 + 4
    assert not list(out_dir.parent.glob(".ok.partial-*"))


def test_existing_out_folder_is_left_alone(tmp_path: Path) -> None:
    """corridor never overwrites a run: an existing --out fails before any work, untouched."""
    path = make_scenario(tmp_path / "scenario")
    out_dir = tmp_path / "runs" / "taken"
    out_dir.mkdir(parents=True)
    keep = out_dir / "notes.txt"
    keep.write_text("mine\n", encoding="utf-8")
    before = keep.stat().st_mtime_ns

    result = runner.invoke(app, ["run", str(path), "--out", str(out_dir), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "already exists" in result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["notes.txt"]
    assert keep.read_text(encoding="utf-8") == "mine\n"
    assert keep.stat().st_mtime_ns == before
    assert not list(out_dir.parent.glob(".taken.partial-*"))


@pytest.mark.parametrize("name", ["[/x]", "[bold]Alfa"])
def test_values_that_look_like_markup_are_shown_verbatim(tmp_path: Path, name: str) -> None:
    """A message quotes the author's own text; the CLI must print it as it is."""
    path = make_scenario(
        tmp_path / "scenario", edit(ROU, ("Alpha,Bravo,100,0", f"{name},Bravo,100,0"))
    )
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert f"got '{name}'" in result.output
