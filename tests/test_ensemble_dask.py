"""An ensemble on a two-worker Dask LocalCluster survives a worker killed mid-run: every replica is
stored exactly once, and the files are byte-identical to the same ensemble on the process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor
from corridor.ensemble import ExecutorChoice, open_executor, run_ensemble
from corridor.ensemble.worker import Delayed, ReplicaTask
from tests.conftest import REPO
from tests.test_ensemble import check_killed_replica_rerun, files, killer

pytest.importorskip("distributed")

EXAMPLE = REPO / "examples" / "flee-synthetic"


def test_dask_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    scenario = corridor.load(EXAMPLE)
    journal = tmp_path / "journal.txt"
    journal.touch()
    state: dict = {}  # type: ignore[type-arg]
    stored: list[int] = []

    def on_replica(task: ReplicaTask) -> None:
        stored.append(task.index)
        killer(journal, tmp_path / "dask", state)

    with open_executor(ExecutorChoice("dask-local", workers=2)) as handle:
        assert len(handle.client.nthreads()) == 2
        assert set(handle.client.nthreads().values()) == {1}
        before = set(handle.client.run(lambda: __import__("os").getpid()).values())
        res = run_ensemble(
            scenario, tmp_path / "dask", replicas=8, seed=11, days=45, executor=handle,
            fn=Delayed(0.5, str(journal)), on_replica=on_replica,
        )  # fmt: skip
        assert state["killed"] in before
    check_killed_replica_rerun(journal, state)
    # exactly once: one stored callback and one file per replica, no leftovers
    assert sorted(stored) == list(range(8))
    assert sorted(res.stats.completed) == [("main", k) for k in range(8)]
    names = sorted(p.name for p in (tmp_path / "dask" / "replicas").iterdir())
    assert names == [f"replica-{k:05d}.parquet" for k in range(8)]

    pool = run_ensemble(
        scenario, tmp_path / "pool", replicas=8, seed=11, days=45,
        executor=ExecutorChoice("process", workers=2),
    )  # fmt: skip
    assert (res.root / "bands.parquet").read_bytes() == (pool.root / "bands.parquet").read_bytes()
    assert files(res.root) == files(pool.root)
