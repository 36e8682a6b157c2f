"""Shared fixtures: where ../shared is, and small Flee scenarios built in memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", REPO.parent / "shared")).resolve()
PEERS = SHARED / "peer" / "flee-scenarios"
PEER_NAMES = ["mali2012", "burundi2015", "tigray2020", "car2013", "ssudan2013", "nigeria2016"]

needs_shared = pytest.mark.skipif(
    not PEERS.is_dir(),
    reason=f"../shared is absent ({PEERS} not found): peer scenarios and observed data are "
    "only available where the shared folder sits beside the repository (as in CI)",
)
