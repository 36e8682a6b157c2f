"""Every peer Flee scenario loads and runs; at full length its agent total equals Flee 3.1's and
its validation error is within 1.10 x Flee 3.1's (reference runs in flee31-reference.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import corridor
from tests.conftest import PEER_NAMES, PEERS, needs_shared

pytestmark = needs_shared


def reference() -> dict[str, Any]:
    return json.loads((PEERS / "flee31-reference.json").read_text())


@pytest.mark.parametrize("name", PEER_NAMES)
def test_peer_loads_and_runs_short(name: str, tmp_path: Path) -> None:
    sc = corridor.load(PEERS / name)
    result = corridor.run(sc, seed=1, days=30, out=tmp_path / "run")
    v = result.validation()
    assert v.days == 30
    assert np.isfinite(v.error_rescaled)
    assert (tmp_path / "run" / "daily.parquet").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", PEER_NAMES)
def test_peer_full_length_matches_flee(name: str, tmp_path: Path) -> None:
    """Three seeds at full length: agents equal to the agent, mean error <= 1.10 x Flee 3.1's."""
    ref = reference()[name]
    sc = corridor.load(PEERS / name)
    errors = []
    for seed in (0, 1, 2):
        result = corridor.run(sc, seed=seed, out=tmp_path / f"s{seed}")
        assert result.agents == ref["agents"]
        errors.append(result.validation().error_rescaled)
    assert np.mean(errors) <= 1.10 * ref["error"], (errors, ref["error"])
