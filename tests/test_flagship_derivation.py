"""The flagship's inputs are what its derive scripts make from the shared sources.

Every number in scenarios/mexico-2019 comes from a source file through a script in its derive/
folder, or from the fit scripts. This test reruns the derivation on a copy of the scenario and
checks that it rebuilds the committed files byte for byte, so an edit made by hand to a derived
table, or a change to a script without regenerating its outputs, fails here. The fitted values
(which ``make_all.py`` resets to their starting points, see docs/flagship.md) are the only part
of ``scenario.yml`` carried over from the committed file before comparing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO, SHARED, needs_shared

FLAGSHIP = REPO / "scenarios" / "mexico-2019"
SOURCES = SHARED / "data" / "corridor" / "sources"
# what fit/fit_departures.py and fit/fit_zone_hazards.py write into scenario.yml
FITTED_PARAMETERS = ("enforcement_scale", "hazard_scale_transit", "hazard_scale_border")
FITTED_SECTIONS = ("hazard_zones",)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _with_fitted_values(rebuilt: dict[str, Any], committed: dict[str, Any]) -> dict[str, Any]:
    for name in FITTED_PARAMETERS:
        rebuilt["parameters"][name]["value"] = committed["parameters"][name]["value"]
    for section in FITTED_SECTIONS:
        if section in committed:
            rebuilt[section] = committed[section]
    return rebuilt


@needs_shared
def test_derive_scripts_rebuild_the_committed_flagship_inputs(tmp_path: Path) -> None:
    assert SOURCES.is_dir(), f"{SOURCES} not found"
    copy = tmp_path / "repo" / "scenarios" / "mexico-2019"
    shutil.copytree(FLAGSHIP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "CORRIDOR_SHARED": str(SHARED)}
    done = subprocess.run(
        [sys.executable, str(copy / "derive" / "make_all.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    before, after = _files(FLAGSHIP), _files(copy)
    assert sorted(after) == sorted(before), "the derivation adds or removes files"
    changed = [name for name in before if name != "scenario.yml" and before[name] != after[name]]
    assert not changed, f"derived files differ from the committed ones: {changed}"

    committed = yaml.safe_load(before["scenario.yml"])
    rebuilt = _with_fitted_values(yaml.safe_load(after["scenario.yml"]), committed)
    assert rebuilt == committed


def test_sources_quote_the_fitted_values_that_scenario_yml_holds() -> None:
    """The fit scripts write their results into scenario.yml; SOURCES.md quotes them by hand, so
    a refit that is not carried into SOURCES.md fails here."""
    spec = yaml.safe_load((FLAGSHIP / "scenario.yml").read_text(encoding="utf-8"))
    rows = {}
    for line in (FLAGSHIP / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3:
            rows[cells[1]] = cells[2]
    for name in FITTED_PARAMETERS:
        assert float(rows[name]) == spec["parameters"][name]["value"], name
    zones = dict(z.split() for z in rows["hazard_zones (scenario.yml)"].split(", "))
    assert {z: float(v) for z, v in zones.items()} == {
        z: entry["scale"] for z, entry in spec["hazard_zones"].items()
    }
