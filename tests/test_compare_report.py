"""`corridor compare` (paired deltas of a policy event) and reports of ensembles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.compare import summarise
from corridor.ensemble.paired import PairedRuns
from tests.conftest import REPO

runner = CliRunner()
SYNTH = REPO / "examples" / "corridor-synthetic"


def test_compare_without_an_event_gives_its_effect(tmp_path: Path) -> None:
    """The synthetic deployment raises interceptions in Mexico and lowers encounters; the deltas
    are "with the event minus without it", over paired seeds, summarised from the event's month."""
    res = runner.invoke(
        app,
        [
            "compare",
            str(SYNTH),
            "--without",
            "deployment",
            "-n",
            "3",
            "--executor",
            "serial",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "cmp" / "summary.json").read_text())
    assert summary["since"] == "2030-03"
    rows = {r["series"]: r for r in summary["rows"]}
    assert rows["mx_detentions"]["p5"] > 0
    assert rows["encounters_AA"]["p95"] < 0
    assert (tmp_path / "cmp" / "deltas.parquet").exists()


def _series(values: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series": ["arrivals"] * len(values),
            "period": list(values),
            "value": list(values.values()),
        }
    )


def test_compare_bands_totals_over_pairs_not_monthly_bands_summed() -> None:
    """The summary's band is over the replicas' totals: deltas of (0, 20), (10, 10) and (20, 0)
    over two months total 20 in every pair, so the band is 20 .. 20, where summing the monthly
    5th and 95th percentiles would give 2 .. 38."""
    base = [_series({"2030-01": 100.0, "2030-02": 100.0, "2029": 7.0}) for _ in range(3)]
    variant = [
        _series({"2030-01": 100.0 + a, "2030-02": 100.0 + b, "2029": 7.0})
        for a, b in ((0, 20), (10, 10), (20, 0))
    ]
    row = summarise(PairedRuns(base, variant), since="2030-01").row(0, named=True)
    assert row["series"] == "arrivals" and not row["mean_kind"]
    assert np.allclose([row["p5"], row["p50"], row["p95"]], 20.0)
    assert row["base_p50"] == 200.0 and row["variant_p50"] == 220.0
    later = summarise(PairedRuns(base, variant), since="2030-02").row(0, named=True)
    assert np.isclose(later["p5"], 1.0) and np.isclose(later["p95"], 19.0)


def test_compare_rejects_an_unknown_event(tmp_path: Path) -> None:
    res = runner.invoke(app, ["compare", str(SYNTH), "--without", "no-such-event", "-n", "2"])
    assert res.exit_code == 2
    assert "no-such-event" in res.output and "Traceback" not in res.output


def test_report_of_an_ensemble_draws_bands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    ens = tmp_path / "ens"
    res = runner.invoke(
        app,
        [
            "ensemble",
            "examples/corridor-synthetic",
            "--replicas",
            "3",
            "--executor",
            "serial",
            "--out",
            str(ens),
            "-q",
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", str(ens)])
    assert res.exit_code == 0, res.output
    html = (ens / "report.html").read_text()
    assert "ensemble bands" in html and (ens / "run" / "manifest.json").exists()
