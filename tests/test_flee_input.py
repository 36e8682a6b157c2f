"""Flee 3.1 inputs that a code review found handled differently from Flee (docs/flee-compat.md).

Each test names the Flee 3.1 behaviour it holds corridor to: a setting that makes Flee divide by
zero or misread the scenario is reported by name, a file Flee's runner needs is required, and the
few rules of agents.csv, closures and spawning that differed now follow Flee.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.compile.flee import compile_flee
from corridor.engine.flee_engine import expected_agents, run_flee
from corridor.errors import InputIssue, ScenarioError
from corridor.scenario.flee.rows import LocationKind
from tests.conftest import REPO
from tests.flee_builder import constant_spawning, scenario, settings
from tests.test_bad_input import (
    CLOSURES,
    CON,
    LOCATIONS,
    PER,
    SIMSETTING,
    YML,
    edit,
    make_scenario,
)


def load_error(tmp_path: Path, changes: dict[str, str | bytes | None]) -> ScenarioError:
    path = make_scenario(tmp_path / "scenario", changes)
    with pytest.raises(ScenarioError) as info:
        corridor.load(path)
    return info.value


def only_issue(exc: ScenarioError, file: str, column: str | None = None) -> InputIssue:
    assert len(exc.issues) == 1, str(exc)
    issue = exc.issues[0]
    assert issue.file == file, str(exc)
    if column is not None:
        assert issue.column == column, str(exc)
    return issue


# -- settings that Flee cannot run with --------------------------------------------------------


@pytest.mark.parametrize("softening", ["-80.0", "-100.0"])
def test_softening_that_zeroes_a_route_weight_denominator_is_named(
    tmp_path: Path, softening: str
) -> None:
    """Flee divides a route's weight by (softening + km)^distance_power: Bravo-Charlie is 80 km,
    so softening -80 is a ZeroDivisionError in Flee (corridor gave infinite weights and ran)."""
    exc = load_error(tmp_path, edit(YML, ("softening: 10.0", f"softening: {softening}")))
    issue = only_issue(exc, "simsetting.yml", "move_rules.softening")
    assert issue.line == 9
    assert "above -80" in issue.expected and "Bravo -> Charlie" in issue.expected


def test_zero_softening_with_a_zero_km_route_is_named(tmp_path: Path) -> None:
    changes = {
        **edit(YML, ("softening: 10.0", "softening: 0")),
        **edit("input_csv/routes.csv", ("Bravo,Charlie,80,0", "Bravo,Charlie,0,0")),
    }
    issue = only_issue(load_error(tmp_path, changes), "simsetting.yml", "move_rules.softening")
    assert "a softening above 0 " in issue.expected


@pytest.mark.parametrize(
    "key", ["default_movechance", "camp_movechance", "conflict_movechance", "idpcamp_movechance"]
)
def test_negative_movechance_names_the_setting_and_range(tmp_path: Path, key: str) -> None:
    """A negative default_movechance used to be reported as two towns missing from
    data_layout.csv (Flee turns places with a move chance below 0.005 into camps)."""
    text = SIMSETTING.replace("  softening: 10.0\n", f"  softening: 10.0\n  {key}: -0.1\n")
    issue = only_issue(load_error(tmp_path, {YML: text}), "simsetting.yml", f"move_rules.{key}")
    assert "0 or more" in issue.expected
    assert issue.line == 10


def test_movechance_above_one_is_accepted_as_flee_accepts_it(tmp_path: Path) -> None:
    text = SIMSETTING.replace(
        "  softening: 10.0\n", "  softening: 10.0\n  default_movechance: 1.5\n"
    )
    sc = corridor.load(make_scenario(tmp_path / "scenario", {YML: text}))
    assert sc.settings.move_rules.default_movechance == 1.5


# -- files Flee 3.1's runner needs -------------------------------------------------------------


def test_missing_conflicts_csv_is_an_error(tmp_path: Path) -> None:
    """Flee 3.1's run.py always reads input_csv/conflicts.csv (FileNotFoundError without it)."""
    only_issue(load_error(tmp_path, {CON: None}), CON)


def test_conflict_period_csv_wins_over_sim_period_csv(tmp_path: Path) -> None:
    """Flee 3.1's runner reads conflict_period.csv only; with both files, that one is used."""
    path = make_scenario(
        tmp_path / "scenario",
        {"input_csv/conflict_period.csv": "StartDate,2020-01-01\nLength,7\n"},
    )
    sc = corridor.load(path)
    assert sc.days == 7
    assert any(w.file == PER and "conflict_period.csv is used" in str(w) for w in sc.warnings)


def test_idp_totals_column_counts_agents_at_idp_camps(tmp_path: Path) -> None:
    """With log_levels.idp_totals > 0 Flee 3.1 appends 'total IDPs' to out.csv: the agents at
    places whose idpcamp flag is set that day (a camp closure clears it)."""
    from corridor.compile.flee import compile_flee
    from corridor.engine.flee_engine import run_flee
    from corridor.output.flee_csv import flee_out_rows

    text = SIMSETTING.replace("  agent: 0\n", "  agent: 0\n  idp_totals: 1\n")
    locations = LOCATIONS.replace("Cland,9.0,19.0,camp,", "Cland,9.0,19.0,idpcamp,")
    closures = CLOSURES + "idpcamp,Echo,Echo,6,8\n"
    files = {YML: text, "input_csv/locations.csv": locations, "input_csv/closures.csv": closures}
    sc = corridor.load(make_scenario(tmp_path / "scenario", files))
    assert not [w for w in sc.warnings if w.column == "log_levels.idp_totals"]
    model = compile_flee(sc)
    rec = run_flee(model, 0)
    header, rows = flee_out_rows(model, rec)
    assert header[-1] == "total IDPs"
    idp = [i for i, name in enumerate(model.loc_names) if model.idpcamp[0, i]]
    assert idp, "the test scenario needs an IDP camp"
    for t, row in enumerate(rows):
        assert row[-1] == sum(int(rec.loc_counts[t, i]) for i in idp if model.idpcamp[t, i])
    assert any(row[-1] > 0 for row in rows)
    assert not model.idpcamp[6:8, idp].any() and model.idpcamp[8, idp].all()  # closed 6 to 8
    plain = corridor.load(make_scenario(tmp_path / "plain", {}))
    assert (
        flee_out_rows(compile_flee(plain), run_flee(compile_flee(plain), 0))[0][-1]
        == "refugee_debt"
    )


# -- agents.csv ----------------------------------------------------------------------------------

AGENTS_SETTINGS = SIMSETTING.replace(
    "  take_from_population: False\n",
    "  take_from_population: True\n  read_from_agents_csv_file: True\n",
)


def test_agents_csv_agents_are_taken_from_a_conflict_zone_population() -> None:
    """Flee 3.1's addAgent takes each agents.csv agent from its place's population when
    take_from_population is on and the place is a conflict zone when the file is read."""
    rules = settings(spawn_rules={"take_from_population": True})
    sc = scenario(
        [("A", "conflict", "X", 10), ("B", "conflict", "X", 10, 3), ("C", "camp", "Y", 0)],
        [("A", "C", 100), ("B", "C", 100)],
        agents={"A": 4, "B": 2, "C": 1},
        flee_settings=rules,
    )
    model = compile_flee(sc)
    assert list(model.pop0) == [6, 10, 0]  # B starts as a town (conflict_date 3): not taken
    off = compile_flee(
        scenario(
            [("A", "conflict", "X", 10), ("C", "camp", "Y", 0)],
            [("A", "C", 100)],
            agents={"A": 4},
        )
    )
    assert list(off.pop0) == [10, 0]


def test_agents_csv_beyond_the_population_is_an_error(tmp_path: Path) -> None:
    """Flee 3.1 stops on an assertion at the first agent its conflict zone cannot give."""
    agents = "#comment\nlocation,age\n" + "Alpha,30\n" * 4
    changes = {
        YML: AGENTS_SETTINGS,
        "input_csv/agents.csv": agents,
        **edit("input_csv/locations.csv", ("conflict_zone,0,20000", "conflict_zone,0,3")),
    }
    issue = only_issue(load_error(tmp_path, changes), "input_csv/agents.csv", "location")
    assert issue.line == 6
    agents_ok = "location,age\n" + "Alpha,30\n" * 3
    sc = corridor.load(
        make_scenario(tmp_path / "ok", {**changes, "input_csv/agents.csv": agents_ok})
    )
    assert compile_flee(sc).pop0[0] == 0


# -- closures and spawning ---------------------------------------------------------------------


def test_same_day_closure_turns_back_agents_on_the_link() -> None:
    """Flee closes the link object on day 2 and reopens a copy the same day: agents already on
    the link are sent back on arrival, while the reopened copy is open for that day."""
    sc = scenario(
        [("A", "town", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 1000)],
        days=3,
        agents={"A": 100},
        closures=[("country", "X", "Y", 1, 1)],
        flee_settings=settings(max_move_speed=400, default_movechance=1.0),
    )
    model = compile_flee(sc)
    rec = run_flee(model, 1)
    assert model.link_open[1].all()
    b = model.loc_names.index("B")
    assert rec.loc_counts[2, b] == 0


def test_conflict_driven_spawning_on_a_camp_closure_day_uses_the_state_before_it() -> None:
    """Flee spawns (conflict-driven) before the day's closures: a camp closure on day 2 that
    ends A's conflict still lets A spawn on day 2 (100 a day on days 0, 1, 2)."""
    rules = constant_spawning(100)
    sc = scenario(
        [("A", "conflict", "X", 1000), ("C", "camp", "Y", 0)],
        [("A", "C", 100)],
        days=5,
        closures=[("camp", "A", "", 2, -1)],
        flee_settings=rules,
    )
    model = compile_flee(sc)
    rec = run_flee(model, 1)
    assert list(rec.spawned) == [100, 100, 100, 0, 0]
    assert expected_agents(model) == 300
    assert np.all(model.conflict[2:, 0] < 0)


def test_a_conflict_camp_type_with_a_later_conflict_date_is_no_camp(tmp_path: Path) -> None:
    """Flee 3.1 turns a type mentioning "conflict" with conflict_date > 0 into a town (a conflict
    zone from that date) before it looks for "camp": Belvar typed conflict_camp, date 10, is
    then no camp (no out.csv column, no observed data needed); with date 0 it is a camp."""
    folder = tmp_path / "ex"
    shutil.copytree(REPO / "examples" / "flee-synthetic", folder)
    locs = folder / "input_csv" / "locations.csv"
    text = locs.read_text(encoding="utf-8")
    assert "Belvar,East,Midland,12.10,4.20,conflict_zone,10,60000" in text
    locs.write_text(text.replace("conflict_zone,10,60000", "conflict_camp,10,60000"))
    sc = corridor.load(folder)
    belvar = next(loc for loc in sc.locations if loc.name == "Belvar")
    assert belvar.location_type == LocationKind.CONFLICT and "Belvar" not in sc.camp_names()
