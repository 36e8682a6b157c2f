"""What calibration and sensitivity compare: only periods the run covers whole, only observations
up to the training cut-off, monthly values (not yearly totals beside them), the overlay a fit was
scored with, and an ensemble's own replicas. Each test failed on the code before its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

import corridor
from corridor.calibrate.objectives import FleeError, SeriesError, split_windows
from corridor.calibrate.sensitivity import outputs
from corridor.ensemble import ExecutorChoice, run_ensemble
from tests.conftest import REPO
from tests.test_calibrate import cli

FLEE = REPO / "examples" / "flee-synthetic"
CORRIDOR = REPO / "examples" / "corridor-synthetic"
SERIAL = ExecutorChoice("serial")


def test_series_error_leaves_out_a_month_the_run_covers_in_part() -> None:
    """Observed = the full run's own January and February: a 45-day run (February half
    simulated) scores 0 on January alone, not its half February against the whole one."""
    sc = corridor.load(CORRIDOR)
    own = corridor.run(sc, seed=1).series()
    obs = own.filter(
        (pl.col("series") == "encounters_AA") & pl.col("period").is_in(["2030-01", "2030-02"])
    )
    train, _ = split_windows("2030-02-28")
    assert SeriesError(obs)(corridor.run(sc, seed=1, days=45), train) == 0.0


def test_flee_training_error_does_not_read_a_held_back_observation(tmp_path: Path) -> None:
    """Two copies that differ only in an observation after --train-until (Fenwick, 2030-03-31)
    give the same training error (and different held-back errors)."""
    errors = []
    for value in ("8600", "20000"):
        folder = tmp_path / value
        shutil.copytree(FLEE, folder)
        data = folder / "source_data" / "fenwick.csv"
        text = data.read_text(encoding="utf-8")
        assert "2030-03-31,8600" in text
        data.write_text(text.replace("2030-03-31,8600", f"2030-03-31,{value}"), encoding="utf-8")
        result = corridor.run(corridor.load(folder), seed=1, out=tmp_path / f"run{value}")
        errors.append([FleeError()(result, w) for w in split_windows("2030-02-15")])
    assert errors[0][0] == errors[1][0]
    assert errors[0][1] != errors[1][1]


class _Replicas:
    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def replicas(self) -> pl.LazyFrame:
        return self.frame.lazy()


class _Design:
    seeds_per_row = 1


def test_sensitivity_outputs_are_means_over_months_without_the_yearly_total() -> None:
    """Months 10 and 30 with their yearly total 40 beside them: the output is 20 (it was 80/3)."""
    frame = pl.DataFrame(
        {
            "series": ["x"] * 3,
            "replica": [0, 0, 0],
            "period": ["2030-01", "2030-02", "2030"],
            "value": [10.0, 30.0, 40.0],
        }
    )
    assert outputs(_Replicas(frame), _Design()) == {"x": pytest.approx(np.array([20.0]))}  # type: ignore[arg-type]


def test_an_ensemble_resumed_with_fewer_replicas_holds_only_its_own(tmp_path: Path) -> None:
    sc = corridor.load(FLEE)
    out = tmp_path / "ens"
    run_ensemble(sc, out, replicas=3, seed=2, days=10, executor=SERIAL)
    res = run_ensemble(sc, out, replicas=2, seed=2, days=10, executor=SERIAL, resume=True)
    held = res.replicas().select("replica").unique().collect()["replica"].sort().to_list()
    assert held == [0, 1]


def test_an_overlay_fitted_on_a_base_overlay_carries_the_base(tmp_path: Path) -> None:
    """calibrate --overlay BASE scores every trial with BASE applied; the written overlay holds
    BASE's settings beside the fitted ones (and names them), so applying it alone reproduces
    what was scored."""
    base = tmp_path / "base.yml"
    base.write_text("overrides:\n  move_rules.default_movechance: 0.05\n", encoding="utf-8")
    fitted = tmp_path / "fit.yml"
    r = CliRunner().invoke(
        cli(),
        ["calibrate", str(FLEE), "--param", "distance_power=0.5:2.0", "--train-until",
         "2030-02-15", "--trials", "2", "--batch", "2", "--days", "40", "--seed", "1",
         "--executor", "serial", "--overlay", str(base), "--out", str(fitted), "-q"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(fitted.read_text(encoding="utf-8"))
    assert data["overrides"]["move_rules.default_movechance"] == 0.05
    assert "move_rules.distance_power" in data["overrides"]
    assert data["base_overrides"] == {"move_rules.default_movechance": 0.05}
