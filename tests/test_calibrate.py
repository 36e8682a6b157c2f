"""Calibration (optuna, pyabc), held-back evaluation, overlays, objectives and sensitivity."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest
import typer
import yaml
from typer.testing import CliRunner

import corridor
from corridor.api import apply_overrides
from corridor.calibrate import (
    FleeError,
    SeriesError,
    Window,
    calibrate,
    load_overlay,
    sensitivity,
    split_windows,
)
from corridor.calibrate.cli import register
from corridor.ensemble import ExecutorChoice, parse_range
from corridor.errors import CorridorError
from tests.conftest import PEERS, REPO, needs_shared

EXAMPLE = REPO / "examples" / "flee-synthetic"
SERIAL = ExecutorChoice("serial")


@pytest.fixture(scope="module")
def example() -> corridor.Scenario:
    return corridor.load(EXAMPLE)


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_windows_split_at_train_until() -> None:
    train, held = split_windows("2012-06-30")
    assert train == Window(None, "2012-06-30")
    assert held == Window("2012-07-01", None)
    with pytest.raises(CorridorError, match="YYYY-MM-DD"):
        split_windows("June")


def test_flee_error_window_uses_only_days_in_the_window(
    example: corridor.Scenario, tmp_path: Path
) -> None:
    """The held-back window is every day after --train-until; the training window ends at the
    last day all camps are observed up to (2030-02-01 in the example: Galen's last observation
    before the cut), since the observed counts of the days after it are interpolated towards a
    held-back observation (2030-03-31)."""
    result = corridor.run(example, seed=1, out=tmp_path / "run")
    v = result.validation()
    train, held = split_windows("2030-02-15")
    e_train, e_held = FleeError()(result, train), FleeError()(result, held)
    n_train = sum(d <= "2030-02-01" for d in v.dates)
    n_before_cut = sum(d <= "2030-02-15" for d in v.dates)
    assert (n_train, n_before_cut) == (32, 46)
    assert e_train == pytest.approx(float(v.daily_rescaled[:n_train].mean()))
    assert e_held == pytest.approx(float(v.daily_rescaled[n_before_cut:].mean()))


def test_series_error_counts_only_whole_months_inside_the_window(
    example: corridor.Scenario,
) -> None:
    result = corridor.run(example, seed=1)
    sim = result.series().filter(pl.col("series") == "camp:Galen Camp")
    observed = sim.with_columns(pl.col("value") * pl.Series([1.0, 2.0, 3.0]))  # errors 0, 1, 2
    err = SeriesError(observed)
    expected = [0.0, 0.5, 2 / 3]  # |sim - obs| / obs for the three months
    assert err(result, Window(last="2030-01-31")) == pytest.approx(expected[0])
    assert err(result, Window(last="2030-02-27")) == pytest.approx(expected[0])  # Feb incomplete
    assert err(result, Window(first="2030-02-01")) == pytest.approx(sum(expected[1:]) / 2)
    assert err(result, Window()) == pytest.approx(sum(expected) / 3)


def test_overlay_round_trip_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "fit.yml"
    good.write_text("overrides:\n  move_rules.distance_power: 0.83\nobjective: x\n")
    assert load_overlay(good) == {"move_rules.distance_power": 0.83}
    bad = tmp_path / "bad.yml"
    bad.write_text("distance_power: 0.83\n")
    with pytest.raises(CorridorError, match="overrides"):
        load_overlay(bad)
    with pytest.raises(CorridorError, match="cannot read"):
        load_overlay(tmp_path / "missing.yml")


def test_optuna_calibration_lowers_training_error_on_the_example(
    example: corridor.Scenario, tmp_path: Path
) -> None:
    fit = calibrate(example, [parse_range("distance_power=0.2:2.0")], FleeError(), "2030-02-15",
                    trials=8, seed=1, executor=SERIAL)  # fmt: skip
    assert fit.history["trial"].to_list() == list(range(8))
    assert fit.history["move_rules.distance_power"][0] == 0.75  # the defaults come first
    assert fit.errors["train"]["fitted"] < fit.errors["train"]["default"]
    assert fit.errors["train"]["fitted"] == pytest.approx(fit.history["train"].min())
    assert math.isfinite(fit.errors["held_back"]["fitted"])
    again = calibrate(example, [parse_range("distance_power=0.2:2.0")], FleeError(), "2030-02-15",
                      trials=8, seed=1, executor=ExecutorChoice("process", workers=2))  # fmt: skip
    assert again.fitted == fit.fitted  # same seed, same trials, whatever the executor
    path = fit.write(tmp_path / "fit.yml")
    data = yaml.safe_load(path.read_text())
    assert data["overrides"] == fit.fitted
    assert data["train_until"] == "2030-02-15" and data["trials"] == 8
    assert set(data["errors"]) == {"train", "held_back"}
    assert (tmp_path / "fit.trials.parquet").exists()
    fitted = apply_overrides(example, load_overlay(path))
    assert fitted.settings.move_rules.distance_power == fit.fitted["move_rules.distance_power"]


@needs_shared
def test_calibrate_cli_on_mali_lowers_training_error_and_reports_held_back(
    tmp_path: Path,
) -> None:
    out = tmp_path / "mali-fit.yml"
    args = ["calibrate", str(PEERS / "mali2012"), "--param", "default_movechance=0.1:1.0",
            "--train-until", "2012-06-30", "--days", "200", "--trials", "8", "--seed", "0",
            "--workers", "2", "--out", str(out)]  # fmt: skip
    r = CliRunner().invoke(cli(), args)
    assert r.exit_code == 0, r.output
    assert "held back (2012-07-01 .. end)" in r.output
    data = yaml.safe_load(out.read_text())
    errors = data["errors"]
    assert errors["train"]["fitted"] < errors["train"]["default"]
    assert math.isfinite(errors["held_back"]["default"])
    assert math.isfinite(errors["held_back"]["fitted"])
    assert data["fitted_on"]["scenario"] == "mali2012"
    assert set(data["overrides"]) == {"move_rules.default_movechance"}


def test_abc_gives_a_posterior_and_an_overlay(example: corridor.Scenario, tmp_path: Path) -> None:
    r = CliRunner().invoke(
        cli(),
        ["calibrate", str(EXAMPLE), "--param", "distance_power=0.2:2.0", "--method", "abc",
         "--train-until", "2030-02-15", "--population", "8", "--generations", "2",
         "--out", str(tmp_path / "abc.yml")],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    data = yaml.safe_load((tmp_path / "abc.yml").read_text())
    post = data["posterior"]["move_rules.distance_power"]
    assert 0.2 <= post["q05"] <= post["q50"] <= post["q95"] <= 2.0
    assert data["reproducible"] is True and data["populations"] == 2
    assert (tmp_path / "abc.abc.db").exists()
    weights = pl.read_parquet(tmp_path / "abc.trials.parquet")["weight"]
    assert weights.sum() == pytest.approx(1.0)
    assert data["errors"]["train"]["fitted"] < data["errors"]["train"]["default"]


def test_sensitivity_morris_and_sobol(example: corridor.Scenario, tmp_path: Path) -> None:
    params = [parse_range("distance_power=0.2:2.0"), parse_range("default_movechance=0.1:1.0")]
    m = sensitivity(example, params, tmp_path / "m", method="morris", samples=4, days=45,
                    objective=FleeError(), executor=SERIAL)  # fmt: skip
    assert m.ensemble.spec.replicas == 4 * 3
    assert set(m.indices["output"]) >= {
        "agents",
        "camp:Galen Camp",
        "objective:flee_error_rescaled",
    }
    agents = m.indices.filter(pl.col("output") == "agents")
    assert agents["mu_star"].is_nan().all()  # spawning follows the data: no sensitivity at all
    camp = m.indices.filter(pl.col("output") == "camp:Harrow Camp")
    assert (camp["mu_star"] > 0).all()
    data = json.loads((tmp_path / "m" / "indices.json").read_text())
    assert data["indices"][0]["mu_star"] is None  # NaN is written as null
    r = CliRunner().invoke(
        cli(),
        ["sensitivity", str(EXAMPLE), "--param", "distance_power=0.2:2.0", "--param",
         "default_movechance=0.1:1.0", "--method", "sobol", "--samples", "8", "--days", "45",
         "--executor", "serial", "--out", str(tmp_path / "s")],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    s = pl.read_parquet(tmp_path / "s" / "indices.parquet")
    assert s.columns == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(list((tmp_path / "s" / "replicas").iterdir())) == 8 * 4
