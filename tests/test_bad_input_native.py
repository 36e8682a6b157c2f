"""Malformed corridor-ruleset scenarios: each defect is reported by file, line and column.

Every case copies examples/corridor-synthetic, breaks one thing and checks the message of the
:class:`ScenarioError` that loading raises (or the warning, where the run can go on): no
traceback from the compiler or the engine, no silently ignored row.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import corridor
from corridor.cli import app
from corridor.compile.corridor import compile_corridor
from corridor.engine.corridor_engine import run_corridor
from corridor.errors import ScenarioError
from corridor.validate.corridor_series import daily_series
from tests.example_copies import (
    SYNTHETIC,
    append_to,
    copy_example,
    edit_file,
    problems_of,
)


def _one(problems: list[str], *fragments: str) -> str:
    """The one problem that contains every fragment."""
    hits = [p for p in problems if all(f in p for f in fragments)]
    assert len(hits) == 1, (fragments, problems)
    return hits[0]


# -- 1. caravans ------------------------------------------------------------------------------


def test_a_repeated_caravan_id_is_reported_with_both_lines(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "caravans.csv", "synthetic-caravan,2030-01-25,Alta Origin,500,0.1,AA,,x\n")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "caravans.csv, line 3", "column 'id'", "synthetic-caravan", "also line 2")


# -- 2. age groups by name ----------------------------------------------------------------------


def _daily(root: Path, days: int = 40) -> pl.DataFrame:
    return corridor.run(corridor.load(root), seed=3, days=days).daily()


def test_caravan_members_get_the_age_groups_by_name_in_any_order(tmp_path: Path) -> None:
    """A caravan's children (child_share of its members) are counted as 'child' whichever place
    scenario.yml gives that group. BB travels in the caravan only (1500 people, a quarter of
    them children, setting off on day 19)."""
    for order in ("[child, adult]", "[adult, child]"):
        root = copy_example(tmp_path / order[1:-1].replace(", ", "-"))
        edit_file(root, "scenario.yml", "age_groups: [child, adult]", f"age_groups: {order}")
        path = root / "departures.csv"
        rows = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(r for r in rows if ",BB," not in r) + "\n", encoding="utf-8")
        daily = _daily(root, days=20)
        daily = daily.filter((pl.col("day") == 19) & (pl.col("nationality") == "BB"))
        by_age = dict(daily.group_by("age_group").agg(pl.col("people").sum()).iter_rows())
        assert by_age.get("child", 0) + by_age.get("adult", 0) == 1500
        assert 300 <= by_age.get("child", 0) <= 450, (order, by_age)


def test_a_single_adult_group_runs_with_caravans_without_children(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", "age_groups: [child, adult]", "age_groups: [adult]")
    path = root / "departures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",child,", ",adult,"), "utf-8")
    edit_file(root, "caravans.csv", ",1500,0.25,", ",1500,0,")
    daily = _daily(root)
    assert set(daily["age_group"]) == {"adult"}


def test_caravan_children_need_a_child_age_group(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", "age_groups: [child, adult]", "age_groups: [adult]")
    path = root / "departures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",child,", ",adult,"), "utf-8")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "caravans.csv, line 2", "column 'child_share'", "'child' and 'adult'")


# -- 3. events.yml set: values, infinite numbers ------------------------------------------------


def test_event_set_values_are_range_checked_like_parameters(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(
        root,
        "events.yml",
        "detention_stay_scale: {value: 1.5,",
        "detention_stay_scale: {value: -1.5,",
    )
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "events.yml, line 6", "set.detention_stay_scale", "-1.5", "a value in [0, inf]")


def test_event_set_values_need_a_source_or_assumption(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "events.yml", '{value: 1.5, assumption: "synthetic"}', "{value: 1.5}")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "events.yml, line 6", "set.detention_stay_scale", "'source' or an 'assumption'")


@pytest.mark.parametrize(
    ("rel", "old", "new", "column"),
    [
        ("scenario.yml", "w_time: {value: 1.0,", "w_time: {value: .inf,", "parameters.w_time"),
        ("scenario.yml", "road: {speed_km_day: 60,", "road: {speed_km_day: .inf,", "modes.road"),
        ("scenario.yml", "scale: 1.0\n", "scale: .nan\n", "scale"),
        ("events.yml", "{value: 1.5,", "{value: .inf,", "0.set.detention_stay_scale"),
    ],
)
def test_infinite_numbers_are_rejected(
    tmp_path: Path, rel: str, old: str, new: str, column: str
) -> None:
    root = copy_example(tmp_path)
    edit_file(root, rel, old, new)
    problems = problems_of(root)
    _one(problems, rel, f"column '{column}", "a finite number")


# -- 4. goals no origin reaches -------------------------------------------------------------------


def test_a_goal_that_no_origin_reaches_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "locations.csv", "Arrival C,us_arrival,US,US,31.8,-106.4,,,border,x\n")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "locations.csv, line 16", "column 'name'", "Arrival C", "can reach")


def test_a_goal_reached_only_against_a_one_way_route_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "locations.csv", "Arrival C,us_arrival,US,US,31.8,-106.4,,,border,x\n")
    append_to(root, "routes.csv", "Arrival C,North City A,road,30,no,,x\n")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "locations.csv, line 16", "Arrival C")
    edit_file(
        root,
        "routes.csv",
        "Arrival C,North City A,road,30,no",
        "Arrival C,North City A,road,30,yes",
    )
    corridor.load(root)


# -- 5. repeated YAML keys ------------------------------------------------------------------------


def test_a_repeated_key_in_scenario_yml_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", "seed: 1\n", "seed: 1\nseed: 2\n")
    problems = problems_of(root)
    assert len(problems) == 2  # and the note that other files are not checked against it
    _one(problems, "scenario.yml, line 9", "column 'seed'", "also on line 8")
    _one(problems, "not checked until then")


def test_a_repeated_key_in_events_yml_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(
        root, "events.yml", "  source: synthetic\n", "  source: synthetic\n  date: 2030-03-02\n"
    )
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "events.yml, line 5", "column '0.date'", "also on line 2")


# -- 6. border rows on routes that are not border routes ------------------------------------------


def test_a_border_row_on_a_road_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "border.csv", "sg-j1,2030-01-01,,0.8,0.6,0.0,0.1,0.3,,,,x\n")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "border.csv, line 5", "column 'crossing'", "sg-j1", "mode border")


# -- 7. repeated detention and returns rows --------------------------------------------------------


def test_repeated_detention_and_returns_rows_are_reported_with_both_lines(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "detention.csv", "AA,0.5,0.05,0.4,0.05,x\n")
    append_to(root, "returns.csv", "AA,Return Point,0.1,20,x\n")
    problems = problems_of(root)
    assert len(problems) == 2
    _one(problems, "detention.csv, line 5", "column 'nationality'", "also line 2")
    _one(problems, "returns.csv, line 5", "column 'nationality'", "also line 2")


# -- 8. caravans outside the period ---------------------------------------------------------------


def test_a_caravan_outside_the_period_is_warned_about(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "caravans.csv", "2030-01-20", "2031-01-20")
    warnings = [str(w) for w in corridor.load(root).warnings]
    assert len(warnings) == 1
    _one(warnings, "caravans.csv, line 2", "column 'date'", "2031-01-20", "ignored")


# -- 9. detention rows for unknown nationalities ------------------------------------------------


def test_a_detention_row_for_an_unknown_nationality_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "detention.csv", "ZZ,0.5,0.05,0.4,0.05,x\n")
    problems = problems_of(root)
    assert len(problems) == 1
    _one(problems, "detention.csv, line 5", "column 'nationality'", "ZZ")

    out_dir = tmp_path / "runs" / "out"
    result = CliRunner().invoke(app, ["run", str(root), "--out", str(out_dir), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "ZZ" in result.output
    assert not out_dir.exists()


# -- 10. mistyped years -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column", "fragment"),
    [
        ("end_date: 2030-04-30", "end_date: 9030-04-30", "end_date", "1900 to 2200"),
        ("start_date: 2030-01-01", "start_date: 1030-01-01", "start_date", "1900 to 2200"),
        ("train_until: 2030-02-28", "train_until: 2300-02-28", "train_until", "1900 to 2200"),
        ("start_date: 2030-01-01", "start_date: 1903-01-01", "end_date", "at most 100 years"),
    ],
)
def test_a_mistyped_year_is_reported(
    tmp_path: Path, old: str, new: str, column: str, fragment: str
) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", old, new)
    _one(problems_of(root), "scenario.yml", f"column '{column}", fragment)


# -- 11. no knock-on errors from an invalid scenario.yml --------------------------------------


def test_an_invalid_scenario_yml_is_reported_without_knock_on_errors(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", "nationalities: [AA, BB, MX]", "nationalities: AA")
    problems = problems_of(root)
    assert len(problems) == 2, problems
    _one(problems, "scenario.yml, line 9", "column 'nationalities'", "a list")
    _one(problems, "scenario.yml", "not checked until")


def test_other_files_are_still_checked_when_scenario_yml_is_invalid(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "scenario.yml", "nationalities: [AA, BB, MX]", "nationalities: AA")
    edit_file(root, "routes.csv", "Rail Yard,Capital,bus,560", "Rail Yard,Capitol,bus,560")
    problems = problems_of(root)
    assert len(problems) == 3, problems
    _one(problems, "routes.csv", "Capitol")


# -- 12. observed/ -------------------------------------------------------------------------------


def test_a_misspelt_observed_series_and_a_repeated_row_are_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(
        root,
        "observed/synthetic.csv",
        "encounters_AX,2030-01,1200,x,\nencounters_AA,2030-01,1300,x,repeat\n",
    )
    problems = problems_of(root)
    assert len(problems) == 2
    _one(problems, "observed/synthetic.csv, line 20", "column 'series'", "encounters_AX")
    _one(problems, "observed/synthetic.csv, line 21", "encounters_AA 2030-01", "line 2")


def test_the_loader_knows_every_series_a_run_produces() -> None:
    """The names observed/ may use are those of corridor.validate's series, no more, no less."""
    from corridor.scenario.native.load import known_series

    sc = corridor.load(SYNTHETIC)
    model = compile_corridor(sc, days=3)
    record = run_corridor(model, seed=1)
    produced = set(daily_series(model, record))
    given = known_series(
        sc.spec,
        [(0, p) for p in sc.places],
        [(0, r) for r in sc.routes],
        [(0, f) for f in sc.facilities],
        [(0, r) for r in sc.ports],
    )
    assert given == produced


def test_a_repeated_key_in_scenario_yml_suppresses_knock_on_errors(tmp_path: Path) -> None:
    """A repeated key makes scenario.yml unusable for the other files' checks (which of its two
    values was meant is unknown): one problem and the note, not one per row that names the
    first value."""
    root = copy_example(tmp_path)
    append_to(root, "scenario.yml", "nationalities: [X]\n")
    with pytest.raises(ScenarioError) as info:
        corridor.load(root)
    issues = info.value.issues
    assert len(issues) == 2, str(info.value)
    assert issues[0].column == "nationalities" and "each key once" in issues[0].expected
    assert "not checked until then" in issues[1].expected


# -- travel groups ----------------------------------------------------------------------------


def test_bad_groups_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    """groups.csv: a share above 1, a group of one, a nationality scenario.yml does not name,
    and a second row for a nationality are each reported where they are."""
    root = copy_example(tmp_path)
    append_to(root, "groups.csv", "BB,1.5,3,x\nMX,0.2,1,x\nZZ,0.2,2,x\nAA,0.1,2,x\n")
    problems = problems_of(root)
    assert len(problems) == 4, problems
    _one(problems, "groups.csv, line 3", "column 'share'")
    _one(problems, "groups.csv, line 4", "column 'size'", "from 2 to 100")
    _one(problems, "groups.csv, line 5", "column 'nationality'", "ZZ")
    _one(problems, "groups.csv, line 6", "column 'nationality'", "also line 2")


# -- ports of entry -----------------------------------------------------------------------------


def test_bad_ports_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    """ports.csv: a crossing that is not a border route, a share above 1, a negative capacity,
    an end before the start and an event events.yml does not define are each reported where
    they are."""
    root = copy_example(tmp_path)
    append_to(
        root,
        "ports.csv",
        "cross-z,2030-01-01,,0.3,,0.1,,x\n"
        "cross-a,2030-01-01,,1.5,,0.1,,x\n"
        "cross-a,2030-01-01,,0.3,-4,0.1,,x\n"
        "cross-a,2030-02-01,2030-01-01,0.3,,0.1,,x\n"
        "cross-a,2030-01-01,,0.3,,0.1,no-such-event,x\n",
    )
    problems = problems_of(root)
    assert len(problems) == 5, problems
    _one(problems, "ports.csv, line 4", "column 'crossing'", "cross-z")
    _one(problems, "ports.csv, line 5", "column 'p_present'", "probability")
    _one(problems, "ports.csv, line 6", "column 'capacity_per_day'", "0 or more")
    _one(problems, "ports.csv, line 7", "column 'end'", "on or after the start")
    _one(problems, "ports.csv, line 8", "column 'event'", "no-such-event")
