"""The corridor report's attempts, days-held and ports sections, read from a run of the shipped
synthetic example: their numbers are the run's tables', and an older run folder without the
attempts table still gets a report."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

import corridor
from corridor.report.html import build_report
from tests.conftest import REPO


def test_attempts_and_days_held_sections(tmp_path: Path) -> None:
    scenario = corridor.load(REPO / "examples" / "corridor-synthetic")
    run = tmp_path / "run"
    corridor.run(scenario, seed=1, days=90, out=run)
    text = build_report(run).read_text(encoding="utf-8")
    assert 'alt="Days held per facility"' in text
    assert "<h2>Attempts</h2>" in text
    assert 'alt="People waiting on port lists"' in text  # the example meters a port
    assert 'alt="Days waited on port lists"' in text
    table = pl.read_parquet(run / "attempts.parquet")
    total = int(table["people"].sum())
    again = int(table.filter(pl.col("attempts") > 1)["people"].sum())
    assert again > 0  # the example deports people who set off again
    stated = re.search(r"<p>([\d,]+) of ([\d,]+) agents", text)
    assert stated is not None
    assert (int(stated[1].replace(",", "")), int(stated[2].replace(",", ""))) == (again, total)
    # a run folder from before the attempts table: the rest of the report is unchanged
    (run / "attempts.parquet").unlink()
    older = build_report(run, out=tmp_path / "older.html").read_text(encoding="utf-8")
    assert "<h2>Attempts</h2>" not in older
    assert 'alt="Days held per facility"' in older
