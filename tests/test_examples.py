"""Every shipped example and scenario is a smoke test: it checks, runs and validates via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from tests.conftest import REPO

runner = CliRunner()
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())
SCENARIOS = (
    sorted(p for p in (REPO / "scenarios").iterdir() if p.is_dir())
    if (REPO / "scenarios").is_dir()
    else []
)


@pytest.mark.parametrize("path", EXAMPLES + SCENARIOS, ids=lambda p: p.name)
def test_check_run_validate(path: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(path)])
    assert res.exit_code == 0, res.output
    out = tmp_path / "run"
    res = runner.invoke(
        app, ["run", str(path), "--seed", "1", "--days", "45", "--out", str(out), "-q"]
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["days"] == 45 and manifest["agents"] > 0
    res = runner.invoke(app, ["validate", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["scenario"] == manifest["scenario"]
