"""`corridor compare` (paired deltas of a policy event) and reports of ensembles."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app
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


def test_compare_rejects_an_unknown_event(tmp_path: Path) -> None:
    res = runner.invoke(app, ["compare", str(SYNTH), "--without", "no-such-event", "-n", "2"])
    assert res.exit_code == 2
    assert "no-such-event" in res.output and "Traceback" not in res.output


def test_report_of_an_ensemble_draws_bands(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
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
