"""The periods the validation, the report and the comparison put side by side: monthly mode
shares as shares of the month's passages, yearly totals kept apart from months, panels over the
periods a run covers whole, a facility's own capacity, and paired runs over the same days. Each
test has an answer worked out by hand and failed on the code before the fix."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from corridor.api import load
from corridor.cli import app
from corridor.compile.corridor import CorridorModel, compile_corridor
from corridor.engine.corridor_engine import CorridorRecord, run_corridor
from corridor.ensemble.paired import common_days
from corridor.errors import CorridorError
from corridor.report import figures
from corridor.validate.corridor_series import ObservedPoint, monthly_series, validate_series
from tests.conftest import REPO
from tests.corridor_builder import START, place, route, scenario

runner = CliRunner()
SYNTH = REPO / "examples" / "corridor-synthetic"


def _border_run(days: int, months: int = 1) -> tuple[CorridorModel, CorridorRecord]:
    """O --road 150 km--> B --border 10 km--> U, 310 people leaving in each of the first
    ``months`` months: a month with few passages on few days follows the departures."""
    sc = scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US")],
        [route("O", "B", "road", 150), route("B", "U", "border", 10, id="bx")],
        departures=[(f"2030-{k:02d}", "O", "AA", 310) for k in range(1, months + 1)],
        days=days,
    )
    m = compile_corridor(sc)
    return m, run_corridor(m, 1)


def test_mode_shares_are_shares_of_the_months_passages() -> None:
    """Every month's shares add up to 1 and equal the month's passages by mode over all its
    passages; a mean of daily shares counted days without passages as 0 (February: 0.036)."""
    m, rec = _border_run(days=59)
    shares = monthly_series(m, rec).filter(pl.col("series").str.starts_with("mode_share:"))
    passages = rec.route_stats[:, :, 0].astype(float)
    for period, days in (("2030-01", slice(0, 31)), ("2030-02", slice(31, 59))):
        month = shares.filter(pl.col("period") == period)
        assert month["value"].sum() == pytest.approx(1.0)
        road = month.filter(pl.col("series") == "mode_share:road")["value"][0]
        by_road = passages[days][:, m.edge_mode == m.edge_mode[0]].sum()
        assert road == pytest.approx(by_road / passages[days].sum())


def test_a_yearly_total_beside_months_is_kept_out_of_the_months_and_the_mape() -> None:
    """Observed months and a yearly total of one series: the months are validated (MAPE over
    them only, in calendar order) and the year is reported apart, since it overlaps them."""
    sim = pl.DataFrame(
        {
            "series": ["x"] * 4,
            "period": ["2030-01", "2030-02", "2030-03", "2030"],
            "value": [10.0, 20.0, 30.0, 60.0],
        }
    )
    obs = [
        ObservedPoint("x", "2030", 120.0),
        ObservedPoint("x", "2030-02", 10.0),
        ObservedPoint("x", "2030-01", 10.0),
        ObservedPoint("x", "2030-03", 30.0),
    ]
    v = validate_series(sim, obs, dt.date(2030, 1, 31))["x"]
    assert v.periods == ["2030-01", "2030-02", "2030-03"]
    assert v.mape_train == 0.0 and v.mape_test == pytest.approx(50.0)  # (100 % + 0 %) / 2
    assert v.years is not None and v.years.rows() == [("2030", 120.0, 60.0)]
    assert v.as_dict()["months"] == v.periods and v.as_dict()["years"]["periods"] == ["2030"]


def test_a_period_the_run_has_no_value_for_is_left_out() -> None:
    """A mean over no cases (days held in a month without admissions) is null in the run's
    series: such a period is neither compared nor in the MAPE, instead of failing the
    validation; a period comparison (corridor compare) averages a mean series' months."""
    from corridor.compare import period_totals

    sim = pl.DataFrame(
        {
            "series": ["days_held"] * 3,
            "period": ["2030-01", "2030-02", "2030-03"],
            "value": [10.0, None, 14.0],
        }
    )
    obs = [ObservedPoint("days_held", p, 12.0) for p in ("2030-01", "2030-02", "2030-03")]
    v = validate_series(sim, obs, dt.date(2030, 1, 31))["days_held"]
    assert v.periods == ["2030-01", "2030-03"]
    assert v.mape_train == pytest.approx(100 * 2 / 12)
    assert v.mape_test == pytest.approx(100 * 2 / 12)
    total = period_totals(sim, None)
    assert total["value"][0] == pytest.approx(12.0) and total["mean_kind"][0]


def test_a_series_of_yearly_totals_only_is_validated_over_its_years() -> None:
    sim = pl.DataFrame({"series": ["d", "d"], "period": ["2030-01", "2030"], "value": [1.0, 8.0]})
    v = validate_series(sim, [ObservedPoint("d", "2030", 10.0)], dt.date(2030, 5, 31))["d"]
    assert v.periods == ["2030"] and v.years is None
    assert v.mape_test == pytest.approx(20.0)


def test_validation_panels_leave_out_periods_the_run_covers_in_part() -> None:
    """A run from 1 January to 15 December: the panels, like the table, compare neither
    December nor the year 2030 (a part year's total against a whole year's count)."""
    m, rec = _border_run(days=349, months=12)
    sim = monthly_series(m, rec).filter(pl.col("series") == "arrivals")
    last = START + dt.timedelta(days=348)
    period = (START, last)
    year = pl.DataFrame({"series": ["arrivals"], "period": ["2030"], "value": [3720.0]})
    assert figures._comparable(year, sim, period).is_empty()
    months = pl.DataFrame(
        {"series": ["arrivals"] * 2, "period": ["2030-11", "2030-12"], "value": [310.0, 310.0]}
    )
    assert figures._comparable(months, sim, period)["period"].to_list() == ["2030-11"]
    table = validate_series(sim, [ObservedPoint("arrivals", "2030-12", 310.0)], None, *period)
    assert table["arrivals"].periods == []


def test_places_table_has_the_facilitys_own_capacity(tmp_path: Path) -> None:
    """A capacity given in facilities.csv only (locations.csv leaves it empty) is the one the
    run's places table, and so the report's occupancy figure, use: the overcrowding series'."""
    ex = tmp_path / "ex"
    shutil.copytree(SYNTH, ex)
    locs = (ex / "locations.csv").read_text(encoding="utf-8").splitlines()
    fac = (ex / "facilities.csv").read_text(encoding="utf-8").splitlines()
    locs = [
        ",".join(c if i != 6 else "" for i, c in enumerate(line.split(",")))
        if line.startswith("Holding Centre,")
        else line
        for line in locs
    ]
    fac = [
        "Holding Centre,80," + line.split(",", 2)[2] if line.startswith("Holding Centre,") else line
        for line in fac
    ]
    (ex / "locations.csv").write_text("\n".join(locs) + "\n", encoding="utf-8")
    (ex / "facilities.csv").write_text("\n".join(fac) + "\n", encoding="utf-8")
    sc = load(ex)
    assert [
        c for p, c in zip(sc.places, sc.capacities(), strict=True) if p.name == "Holding Centre"
    ] == [80]
    res = runner.invoke(app, ["run", str(ex), "--out", str(tmp_path / "run"), "-q"])
    assert res.exit_code == 0, res.output
    places = pl.read_parquet(tmp_path / "run" / "places.parquet")
    assert places.filter(pl.col("name") == "Holding Centre")["capacity"].to_list() == [80]
    series = pl.read_parquet(tmp_path / "run" / "series.parquet")
    pair = series.filter(pl.col("series").str.ends_with(":Holding Centre")).sort("period", "series")
    occ = pair.filter(pl.col("series").str.starts_with("occupancy:"))["value"].to_numpy()
    ratio = pair.filter(pl.col("series").str.starts_with("overcrowding:"))["value"].to_numpy()
    assert np.allclose(occ[ratio > 0] / ratio[ratio > 0], 80.0)


def test_paired_runs_cover_the_same_days(tmp_path: Path) -> None:
    """Two scenarios of different lengths are paired over the shorter one's days (with the same
    inputs and seeds every delta is then 0); different start dates are refused."""
    long = tmp_path / "long"
    shutil.copytree(SYNTH, long)
    yml = (long / "scenario.yml").read_text(encoding="utf-8")
    assert "end_date: 2030-04-30" in yml
    (long / "scenario.yml").write_text(yml.replace("end_date: 2030-04-30", "end_date: 2030-06-30"))
    base, variant = load(long), load(SYNTH)
    assert common_days(base, variant, None) == variant.days == 120
    assert common_days(base, variant, 60) == 60
    res = runner.invoke(
        app,
        ["compare", str(long), str(SYNTH), "-n", "2", "--since", "2030-03",
         "--executor", "serial", "--out", str(tmp_path / "cmp"), "-q"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    deltas = pl.read_parquet(tmp_path / "cmp" / "deltas.parquet")
    assert deltas["p50"].abs().max() == 0.0 and deltas["p95"].abs().max() == 0.0
    late = tmp_path / "late"
    shutil.copytree(SYNTH, late)
    yml = (late / "scenario.yml").read_text(encoding="utf-8")
    (late / "scenario.yml").write_text(
        yml.replace("start_date: 2030-01-01", "start_date: 2030-01-02")
    )
    with pytest.raises(CorridorError, match="same date"):
        common_days(load(late), variant, None)
