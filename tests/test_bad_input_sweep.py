"""Second sweep of bad input: defects a real user makes, each reported by file, line and column.

Every corridor case copies examples/corridor-synthetic and breaks one thing. The CLI cases check
for exit code 2, a message naming the option, and no folder or file left behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import corridor
from corridor.cli import app
from tests.example_copies import (
    SYNTHETIC,
    append_to,
    copy_example,
    edit_file,
    problems_of,
)

runner = CliRunner()


def _new_warnings(root: Path) -> list[str]:
    """The warnings of loading ``root`` that loading the unchanged example does not give."""
    base = {str(w) for w in corridor.load(SYNTHETIC).warnings}
    return [str(w) for w in corridor.load(root).warnings if str(w) not in base]


def _invoke(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# -- scenario files ---------------------------------------------------------------------------


def test_place_names_differing_only_in_case_or_spaces_are_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "locations.csv", "capital,transit,MX,Interior,19.4,-99.1,,,south,x\n")
    append_to(root, "locations.csv", "Shelter  house,transit,MX,Interior,19.4,-99.1,,,south,x\n")
    append_to(root, "routes.csv", "capital,Shelter  house,road,100,yes,,x\n")
    problems = problems_of(root)
    assert problems == [
        "locations.csv, line 16, column 'name': got 'capital'; expected a name that differs from "
        "'Capital' (line 9) by more than letter case or spaces (two places, or one written two "
        "ways?)",
        "locations.csv, line 17, column 'name': got 'Shelter  house'; expected a name that "
        "differs from 'Shelter House' (line 8) by more than letter case or spaces (two places, "
        "or one written two ways?)",
    ]


def test_an_origin_with_no_way_to_a_goal_is_reported(tmp_path: Path) -> None:
    """Its departures would wait at the origin all run: a silently empty flow before."""
    root = copy_example(tmp_path)
    append_to(root, "locations.csv", "Lonely,origin,AA,Alta,14.0,-90.0,,,south,x\n")
    append_to(root, "locations.csv", "Lonelier,transit,AA,Alta,14.1,-90.1,,,south,x\n")
    append_to(root, "routes.csv", "Lonely,Lonelier,foot,20,yes,,x\n")
    append_to(root, "departures.csv", "2030-01,Lonely,AA,adult,3000,x\n")
    append_to(root, "departures.csv", "2030-02,Lonely,AA,adult,3000,x\n")
    assert problems_of(root) == [
        "departures.csv, line 22, column 'origin': got 'Lonely'; expected an origin from which "
        "routes.csv leads to a us_arrival place (no chain of routes does: its people would wait "
        "there all run)"
    ]


def test_a_place_no_route_touches_is_warned_about(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    append_to(root, "locations.csv", "Lonely,transit,MX,Interior,19.0,-99.0,,,south,x\n")
    assert _new_warnings(root) == [
        "locations.csv, line 16, column 'name': got 'Lonely'; expected a place that some route "
        "of routes.csv starts or ends at (none does: nobody can come here)"
    ]


@pytest.mark.parametrize("value", ["0", "-50"])
def test_a_facility_capacity_of_zero_or_less_is_reported(tmp_path: Path, value: str) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "facilities.csv", "Holding Centre,50,", f"Holding Centre,{value},")
    assert problems_of(root) == [
        f"facilities.csv, line 2, column 'capacity': got '{value}'; expected a capacity of 1 or "
        "more people, or empty for unlimited"
    ]


def test_a_place_capacity_of_zero_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "locations.csv", "18.5,-97.0,200,", "18.5,-97.0,0,")
    assert problems_of(root) == [
        "locations.csv, line 8, column 'capacity': got '0'; expected a capacity of 1 or more "
        "people, or empty for unlimited"
    ]


def test_a_trailing_comma_in_a_header_is_named(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    path = root / "departures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line + "," for line in lines) + "\n", encoding="utf-8")
    assert problems_of(root) == [
        "departures.csv, line 1; expected a column name (header cell 7 of 7 is empty: a "
        "trailing or doubled comma?)"
    ]


def test_a_column_named_twice_in_a_header_is_reported(tmp_path: Path) -> None:
    """Before, the second 'km' silently replaced the first."""
    root = copy_example(tmp_path)
    path = root / "routes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",source", ",km")
    lines[1:] = [line.rsplit(",", 1)[0] + ",999" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems_of(root) == [
        "routes.csv, line 1, column 'km'; expected each column once in the header (also header "
        "cell 4; only one of the two would be read)"
    ]


def test_an_unreadable_routes_csv_brings_no_knock_on_errors(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    (root / "routes.csv").write_text("", encoding="utf-8")
    assert problems_of(root) == ["routes.csv: got 'an empty file'; expected at least one data row"]


def test_a_bad_locations_row_brings_no_knock_on_errors(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(
        root, "locations.csv", "Baja Origin,origin,BB,Baja,15.5,", "Baja Origin,origin,BB,Baja,x,"
    )
    assert problems_of(root) == ["locations.csv, line 3, column 'lat': got 'x'; expected a number"]


def test_a_bad_facility_row_brings_no_knock_on_error(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "facilities.csv", "Holding Centre,50,12,", "Holding Centre,50,x,")
    assert problems_of(root) == [
        "facilities.csv, line 2, column 'stay_mean_days': got 'x'; expected a number"
    ]


@pytest.mark.parametrize("text", ["", "# nothing yet\n"])
def test_an_empty_scenario_yml_is_named(tmp_path: Path, text: str) -> None:
    root = copy_example(tmp_path)
    (root / "scenario.yml").write_text(text, encoding="utf-8")
    problems = problems_of(root)
    assert problems[0] == (
        "scenario.yml, line 1: got 'an empty file'; expected a YAML mapping (name, start_date, "
        "end_date, ...)"
    )


def test_a_caravan_dispersing_before_it_sets_off_is_reported(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "caravans.csv", ",BB,2030-03-01,", ",BB,2030-01-10,")
    assert problems_of(root) == [
        "caravans.csv, line 2, column 'dispersal_date': got '2030-01-10'; expected a "
        "dispersal_date on or after the date (2030-01-20)"
    ]


def test_a_border_row_ending_before_it_starts_is_reported(tmp_path: Path) -> None:
    """Such a row was never in force, without a word."""
    root = copy_example(tmp_path)
    edit_file(root, "border.csv", "cross-b,2030-01-01,,", "cross-b,2030-01-01,2029-12-01,")
    assert problems_of(root) == [
        "border.csv, line 3, column 'end': got '2029-12-01'; expected an end on or after the "
        "start (2030-01-01)"
    ]


def test_an_event_after_the_period_is_warned_about(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    edit_file(root, "events.yml", "date: 2030-03-01", "date: 2031-03-01")
    assert _new_warnings(root) == [
        "events.yml, line 2, column 'date': got '2031-03-01'; expected a date on or before "
        "end_date (2030-04-30); this event's parameter changes never take effect"
    ]


def test_rows_naming_events_of_an_empty_events_yml_are_reported(tmp_path: Path) -> None:
    """An empty events.yml has no events; before, the rows' event ids went unchecked."""
    root = copy_example(tmp_path)
    (root / "events.yml").write_text("# none yet\n", encoding="utf-8")
    assert problems_of(root) == [
        "enforcement.csv, line 5, column 'event': got 'deployment'; expected an event id of "
        "events.yml",
        "enforcement.csv, line 6, column 'event': got 'deployment'; expected an event id of "
        "events.yml",
        "border.csv, line 4, column 'event': got 'mpp'; expected an event id of events.yml",
        "ports.csv, line 3, column 'event': got 'metering'; expected an event id of events.yml",
    ]


def test_observed_values_outside_the_period_are_warned_about(tmp_path: Path) -> None:
    """They were never compared, without a word."""
    root = copy_example(tmp_path)
    append_to(root, "observed/synthetic.csv", "arrivals,2031-01,5,x,\narrivals,2029,5,x,\n")
    append_to(root, "observed/synthetic.csv", "arrivals,2029-12,5,x,\narrivals,2030-04,5,x,\n")
    expected = "expected a period within the scenario's (2030-01 to 2030-04); this value is never"
    assert _new_warnings(root) == [
        f"observed/synthetic.csv, line 20, column 'period': got '2031-01'; {expected} compared",
        f"observed/synthetic.csv, line 21, column 'period': got '2029'; {expected} compared",
        f"observed/synthetic.csv, line 22, column 'period': got '2029-12'; {expected} compared",
    ]


# -- command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--population", "0", "--population must be at least 1 (got 0)"),
        ("--generations", "0", "--generations must be at least 1 (got 0)"),
        ("--days", "-1", "--days must be at least 1 (got -1)"),
    ],
)
def test_calibrate_checks_counts_before_any_trial(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    target = tmp_path / "fit.yml"
    result = _invoke("calibrate", SYNTHETIC, "--param", "w_time=0:2", "--train-until",
                     "2030-02-28", "--method", "abc", option, value, "--out", target,
                     "-q")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())  # no fit.abc.db left behind


def test_calibrate_with_no_observed_month_in_training_says_so(tmp_path: Path) -> None:
    for until, fragment in (
        ("2020-02-28", "--train-until 2020-02-28: before the first day of corridor-synthetic"),
        ("2030-01-15", "no observed month or year lies wholly within the simulated training days"),
    ):
        result = _invoke("calibrate", SYNTHETIC, "--param", "w_time=0:2", "--train-until", until,
                         "--trials", "1", "--out", tmp_path / "fit.yml", "-q")  # fmt: skip
        assert result.exit_code == 2, result.output
        assert fragment in " ".join(result.output.split()), result.output
    assert not list(tmp_path.iterdir())


def test_sensitivity_with_a_negative_seed_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "sens"
    result = _invoke("sensitivity", SYNTHETIC, "--param", "w_time=0:2", "--samples", "2",
                     "--seed", "-1", "--out", target, "-q")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--seed must be 0 or more (got -1)" in result.output
    assert not target.exists()


@pytest.mark.parametrize("command", ["validate", "report"])
def test_a_file_given_for_a_run_folder_is_named_a_file(tmp_path: Path, command: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{}", encoding="utf-8")
    result = _invoke(command, path)
    assert result.exit_code == 2, result.output
    assert "got a file" in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--days", "-1", "--days must be at least 1"), ("-n", "0", "--replicas must be at least 1"),
     ("--seed", "-1", "--seed must be 0 or more")],
)  # fmt: skip
def test_compare_checks_counts_before_running(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    out = tmp_path / "cmp"
    res = CliRunner().invoke(
        app,
        ["compare", str(SYNTHETIC), "--without", "mpp", option, value, "--out", str(out)],
    )
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert not out.exists()
