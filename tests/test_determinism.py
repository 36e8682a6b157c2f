"""Same scenario and seed: byte-identical outputs, whatever the number of threads."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

import corridor
from tests.conftest import PEERS, REPO, needs_shared

FILES = ["out.csv", "daily.parquet", "routes.parquet"]


def digest(folder: Path) -> dict[str, str]:
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest() for f in FILES}


@needs_shared
def test_same_seed_same_bytes(tmp_path: Path) -> None:
    sc = corridor.load(PEERS / "mali2012")
    corridor.run(sc, seed=3, days=60, out=tmp_path / "a")
    corridor.run(sc, seed=3, days=60, out=tmp_path / "b")
    corridor.run(sc, seed=4, days=60, out=tmp_path / "c")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a")["out.csv"] != digest(tmp_path / "c")["out.csv"]


SCRIPT = """
import sys, numpy as np
sys.path.insert(0, {repo!r})
from tests.flee_builder import scenario, settings
from corridor.compile.flee import compile_flee
from corridor.engine.flee_engine import run_flee
sc = scenario(
    [("O", "conflict", "X", 100), ("B", "town", "X", 0), ("C", "camp", "Y", 0),
     ("D", "town", "Y", 0)],
    [("O", "B", 150), ("B", "C", 120), ("O", "D", 400), ("D", "C", 90)],
    days=6, agents={{"O": 300000}}, flee_settings=settings(awareness_level=2),
)
rec = run_flee(compile_flee(sc), seed=11)
sys.stdout.write(str(rec.loc_counts.tolist()) + str(rec.link_counts.tolist()))
"""


@pytest.mark.parametrize("threads", ["1", "2"])
def test_thread_count_does_not_change_results(threads: str) -> None:
    """300,000 agents take the parallel path (above PARALLEL_MIN); one and two threads must give
    the same counts as each other (compared through a reference run with the default count)."""
    code = SCRIPT.format(repo=str(REPO))
    ref = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    env = {"NUMBA_NUM_THREADS": threads, "PATH": "/usr/bin:/bin"}
    got = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert got.stdout == ref.stdout


CORRIDOR_SCRIPT = """
import sys
sys.path.insert(0, {repo!r})
import corridor
from corridor.compile.corridor import compile_corridor
from corridor.engine.corridor_engine import run_corridor
sc = corridor.load({path!r})
sc.spec = sc.spec.model_copy(update={{"scale": 6.0}})
rec = run_corridor(compile_corridor(sc, days=50), seed=5)
sys.stdout.write(str(rec.counts.sum(axis=(3, 4)).tolist()) + str(rec.events.sum(axis=3).tolist()))
"""


def test_corridor_same_seed_same_bytes(tmp_path: Path) -> None:
    sc = corridor.load(REPO / "examples" / "corridor-synthetic")
    corridor.run(sc, seed=3, out=tmp_path / "a")
    corridor.run(sc, seed=3, out=tmp_path / "b")
    for name in ("daily.parquet", "routes.parquet", "events.parquet", "series.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_corridor_thread_count_does_not_change_results() -> None:
    """About 240,000 agents: several chunks, so threads really share the work."""
    code = CORRIDOR_SCRIPT.format(
        repo=str(REPO), path=str(REPO / "examples" / "corridor-synthetic")
    )
    outs = []
    for threads in ("1", "2"):
        env = {"NUMBA_NUM_THREADS": threads, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        outs.append(done.stdout)
    assert outs[0] == outs[1]
