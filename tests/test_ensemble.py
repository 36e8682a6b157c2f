"""Ensembles: seeding, parameter draws, bands, storage, resume, failures, lost workers, pairing."""

from __future__ import annotations

import json
import os
import signal
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

import corridor
from corridor.api import apply_overrides
from corridor.ensemble import (
    ExecutorChoice,
    ReplicasFailedError,
    open_executor,
    paired_deltas,
    parse_executor,
    parse_vary,
    quantile_bands,
    replica_params,
    replica_seed,
    run_ensemble,
)
from corridor.ensemble.cli import register
from corridor.ensemble.executors import SerialExecutor, SerialHandle
from corridor.ensemble.worker import Delayed, ReplicaTask
from corridor.errors import CorridorError
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "flee-synthetic"
DAYS = 40
SERIAL = ExecutorChoice("serial")
VARY = ["distance_power=uniform(0.5,1.0)", "awareness_level=choice(0,1,2)"]


@pytest.fixture(scope="module")
def scenario() -> corridor.Scenario:
    return corridor.load(EXAMPLE)


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes)."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# --- seeding and draws ---------------------------------------------------------------------


def test_replica_seed_is_the_spawned_child_and_independent_of_count() -> None:
    children = np.random.SeedSequence(42).spawn(10)
    for k in (0, 3, 9):
        expected = np.random.SeedSequence(42, spawn_key=(k, 0)).generate_state(1, np.uint64)[0]
        assert children[k].spawn_key == (k,)
        assert replica_seed(42, k) == int(expected >> np.uint64(1))
    assert len({replica_seed(42, k) for k in range(1000)}) == 1000
    assert replica_seed(42, 5) != replica_seed(43, 5)


def test_parameter_draws_are_per_replica_and_within_their_distributions() -> None:
    varies = [parse_vary(v) for v in [*VARY, "x=normal(2,0.1)", "y=loguniform(1,100)"]]
    draws = [replica_params(7, k, varies) for k in range(200)]
    assert draws[17] == replica_params(7, 17, varies)  # no dependence on how many were drawn
    assert all(0.5 <= d["distance_power"] <= 1.0 for d in draws)
    assert {d["awareness_level"] for d in draws} == {0, 1, 2}
    assert 1.9 < np.mean([d["x"] for d in draws]) < 2.1
    assert all(1 <= d["y"] <= 100 for d in draws)


@pytest.mark.parametrize(
    "text",
    [
        "distance_power",
        "p=uniform(1)",
        "p=uniform(2,1)",
        "p=normal(0,0)",
        "p=beta(1,2)",
        "p=choice()",
    ],
)
def test_bad_vary_is_a_clear_error(text: str) -> None:
    with pytest.raises(CorridorError, match="--vary"):
        parse_vary(text)


def test_executor_options() -> None:
    assert parse_executor(None).kind == "process"
    assert parse_executor("process:3").workers == 3
    assert parse_executor(None, scheduler="tcp://h:8786").address == "tcp://h:8786"
    assert parse_executor("tcp://h:8786").kind == "dask"
    assert parse_executor(None, dask_local=2).workers == 2
    with pytest.raises(CorridorError):
        parse_executor("serial", dask_local=2)
    with pytest.raises(CorridorError):
        parse_executor("threads")


# --- bands -----------------------------------------------------------------------------------


def test_quantile_bands_match_numpy_and_handle_missing_rows() -> None:
    rng = np.random.default_rng(0)
    frames = [
        pl.DataFrame({"series": ["a", "a", "b"], "period": ["2030-02", "2030-01", "2030-01"],
                      "value": rng.normal(size=3)})
        for _ in range(9)
    ]  # fmt: skip
    frames.append(pl.DataFrame({"series": ["a"], "period": ["2030-01"], "value": [5.0]}))
    bands = quantile_bands(frames)
    assert bands.select("series", "period").rows() == [
        ("a", "2030-01"), ("a", "2030-02"), ("b", "2030-01")
    ]  # fmt: skip
    a1 = np.array([f.filter(pl.col("period") == "2030-01")["value"][0] for f in frames])
    row = bands.row(0, named=True)
    assert row["n"] == 10
    assert row["p50"] == pytest.approx(np.quantile(a1, 0.5))
    assert row["p5"] == pytest.approx(np.quantile(a1, 0.05))
    assert bands.row(1, named=True)["n"] == 9  # the short replica lacks 2030-02


# --- storage, determinism, resume ------------------------------------------------------------


def test_same_seed_same_bytes_on_serial_and_process_pool(
    scenario: corridor.Scenario, tmp_path: Path
) -> None:
    vary = [parse_vary(v) for v in VARY]
    a = run_ensemble(scenario, tmp_path / "a", replicas=6, seed=5, days=DAYS, vary=vary,
                     executor=SERIAL)  # fmt: skip
    b = run_ensemble(scenario, tmp_path / "b", replicas=6, seed=5, days=DAYS, vary=vary,
                     executor=ExecutorChoice("process", workers=2))  # fmt: skip
    assert files(a.root) == files(b.root)
    assert sorted(os.listdir(a.root)) == [
        "bands.parquet", "ensemble.json", "parameters.parquet", "replicas"
    ]  # fmt: skip
    params = pl.read_parquet(a.root / "parameters.parquet")
    assert params.columns == ["replica", "seed", "distance_power", "awareness_level"]
    assert params["seed"].to_list() == [replica_seed(5, k) for k in range(6)]
    rep = pl.read_parquet(a.root / "replicas" / "replica-00003.parquet")
    assert rep["seed"].unique().to_list() == [replica_seed(5, 3)]
    assert "param:distance_power" in rep.columns
    # a replica's series equal a plain run with its seed and parameters
    row = params.row(3, named=True)
    one = corridor.run(
        apply_overrides(scenario, {k: row[k] for k in ("distance_power", "awareness_level")}),
        seed=row["seed"],
        days=DAYS,
    ).series()
    got = rep.select("series", "period", "value")
    assert got.equals(one.sort("series", "period"))


def test_interrupted_ensemble_resumes_to_identical_files(
    scenario: corridor.Scenario, tmp_path: Path
) -> None:
    vary = [parse_vary(VARY[0])]
    whole = run_ensemble(scenario, tmp_path / "whole", replicas=8, seed=9, days=DAYS,
                         vary=vary, executor=SERIAL)  # fmt: skip
    stored: list[int] = []

    def stop_after_three(task: ReplicaTask) -> None:
        stored.append(task.index)
        if len(stored) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ensemble(scenario, tmp_path / "cut", replicas=8, seed=9, days=DAYS, vary=vary,
                     executor=ExecutorChoice("process", workers=2),
                     on_replica=stop_after_three)  # fmt: skip
    cut = tmp_path / "cut"
    assert len(list((cut / "replicas").glob("replica-*.parquet"))) == 3
    assert not (cut / "bands.parquet").exists()
    with pytest.raises(CorridorError, match="--resume"):
        run_ensemble(scenario, cut, replicas=8, seed=9, days=DAYS, vary=vary, executor=SERIAL)
    with pytest.raises(CorridorError, match="seed: stored 9, now 10"):
        run_ensemble(scenario, cut, replicas=8, seed=10, days=DAYS, vary=vary,
                     executor=SERIAL, resume=True)  # fmt: skip
    resumed = run_ensemble(scenario, cut, replicas=8, seed=9, days=DAYS, vary=vary,
                           executor=SERIAL, resume=True)  # fmt: skip
    assert resumed.skipped == 3 and len(resumed.stats.completed) == 5
    assert files(cut) == files(whole.root)


def test_cli_ensemble_extends_with_resume(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command, so `ensemble` stays a subcommand
    runner = CliRunner()
    base = [str(EXAMPLE), "--days", str(DAYS), "--seed", "4", "--executor", "serial", "-q"]
    r1 = runner.invoke(app, ["ensemble", *base, "-n", "3", "--out", str(tmp_path / "e")])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(
        app, ["ensemble", *base, "-n", "6", "--out", str(tmp_path / "e"), "--resume"]
    )
    assert r2.exit_code == 0, r2.output
    assert "3 already stored" in r2.output
    r3 = runner.invoke(app, ["ensemble", *base, "-n", "6", "--out", str(tmp_path / "f")])
    assert r3.exit_code == 0, r3.output
    assert files(tmp_path / "e") == files(tmp_path / "f")
    bad = runner.invoke(app, ["ensemble", *base, "-n", "6", "--vary", "nope=uniform(0,1)"])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_model_failures_are_reported_with_seed_and_parameters(
    scenario: corridor.Scenario, tmp_path: Path
) -> None:
    vary = [parse_vary("default_movechance=choice(0.5,oops)")]
    draws = [replica_params(12, k, vary)["default_movechance"] for k in range(6)]
    assert draws[0] == 0.5 and "oops" in draws  # seed 12 draws a mix, a valid one first
    with pytest.raises(ReplicasFailedError) as info:
        run_ensemble(scenario, tmp_path / "e", replicas=6, seed=12, days=DAYS, vary=vary,
                     executor=ExecutorChoice("process", workers=2),
                     check_draws=False)  # fmt: skip
    bad = [k for k, d in enumerate(draws) if d == "oops"]
    assert sorted(f.task.index for f in info.value.failures) == bad
    assert f"seed {replica_seed(12, bad[0])}" in str(info.value)
    assert "default_movechance='oops'" in str(info.value)
    stored = sorted(p.name for p in (tmp_path / "e" / "replicas").glob("replica-*.parquet"))
    assert stored == [f"replica-{k:05d}.parquet" for k in range(6) if k not in bad]
    report = json.loads((tmp_path / "e" / "failures.json").read_text())
    assert [r["replica"] for r in report] == bad and report[0]["params"]["default_movechance"]


def killer(journal: Path, root: Path, state: dict[str, int]) -> None:
    """After the first stored replica, SIGKILL a worker that is running an unstored replica."""
    if state.get("killed"):
        return
    done = {int(p.stem.split("-")[1]) for p in (root / "replicas").glob("replica-*.parquet")}
    started = [tuple(map(int, line.split())) for line in journal.read_text().splitlines()]
    running = [(k, pid) for k, pid in started if k not in done and pid != os.getpid()]
    if running:
        k, pid = running[-1]
        os.kill(pid, signal.SIGKILL)
        state.update(killed=pid, replica=k)


def check_killed_replica_rerun(journal: Path, state: dict[str, int]) -> None:
    assert state.get("killed"), "no worker was killed"
    starts = [tuple(map(int, line.split())) for line in journal.read_text().splitlines()]
    runs_of_victim = [pid for k, pid in starts if k == state["replica"]]
    assert state["killed"] in runs_of_victim
    assert any(pid != state["killed"] for pid in runs_of_victim), "lost replica was not re-run"


def test_process_pool_worker_killed_mid_run(scenario: corridor.Scenario, tmp_path: Path) -> None:
    journal = tmp_path / "journal.txt"
    journal.touch()
    state: dict = {}  # type: ignore[type-arg]
    with open_executor(ExecutorChoice("process", workers=2)) as handle:
        res = run_ensemble(
            scenario, tmp_path / "e", replicas=6, seed=2, days=DAYS, executor=handle,
            fn=Delayed(0.4, str(journal)),
            on_replica=lambda t: killer(journal, tmp_path / "e", state),
        )  # fmt: skip
    check_killed_replica_rerun(journal, state)
    assert res.stats.resubmitted >= 1
    assert sorted(res.stats.completed) == [("main", k) for k in range(6)]
    ref = run_ensemble(scenario, tmp_path / "ref", replicas=6, seed=2, days=DAYS, executor=SERIAL)
    assert files(res.root) == files(ref.root)


class BreaksAtSubmission(SerialExecutor):
    """Refuses its ``at``-th submission the way a process pool does once a worker has died."""

    def __init__(self, at: int) -> None:
        self.at, self.count = at, 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.count += 1
        if self.count == self.at:
            raise BrokenProcessPool("a child process terminated abruptly")
        return super().submit(fn, *args, **kwargs)


class RenewableHandle(SerialHandle):
    """A serial handle whose first executor breaks at a submission; ``renew`` replaces it."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.executor = BreaksAtSubmission(at)
        self.renewed = 0

    def renew(self) -> None:
        self.renewed += 1
        self.executor = SerialExecutor()


def test_pool_found_broken_at_submission_is_renewed(
    scenario: corridor.Scenario, tmp_path: Path
) -> None:
    # A worker can die between two rounds, so that the pool refuses the next submission before
    # any future has reported the loss (seen in CI). The runner must renew it and go on.
    handle = RenewableHandle(at=3)
    res = run_ensemble(scenario, tmp_path / "e", replicas=6, seed=2, days=DAYS, executor=handle)
    assert handle.renewed == 1 and res.stats.resubmitted == 1
    assert sorted(res.stats.completed) == [("main", k) for k in range(6)]
    ref = run_ensemble(scenario, tmp_path / "ref", replicas=6, seed=2, days=DAYS, executor=SERIAL)
    assert files(res.root) == files(ref.root)


# --- paired comparison -----------------------------------------------------------------------


def test_paired_deltas(scenario: corridor.Scenario, tmp_path: Path) -> None:
    same = paired_deltas(scenario, scenario, replicas=4, seed=1, days=DAYS, executor=SERIAL)
    assert same["n"].unique().to_list() == [4]
    assert (same.select(pl.col("p5", "p50", "p95").abs().max()).row(0)) == (0.0, 0.0, 0.0)
    variant = apply_overrides(scenario, {"distance_power": 1.5})
    d = paired_deltas(scenario, variant, replicas=4, seed=1, days=DAYS, executor=SERIAL,
                      out=tmp_path / "cmp")  # fmt: skip
    assert d.columns == ["series", "period", "n", "mean", "p5", "p25", "p50", "p75", "p95",
                         "base_p50", "variant_p50"]  # fmt: skip
    camps = d.filter(pl.col("series").str.starts_with("camp:"))
    assert camps["p50"].abs().max() > 0
    assert (tmp_path / "cmp" / "deltas.parquet").exists()
    assert len(list((tmp_path / "cmp" / "variant" / "replicas").iterdir())) == 4
    # agents spawn from the data, not from routes: same seeds, zero difference
    assert d.filter(pl.col("series") == "agents")["p95"].abs().max() == 0.0
    again = paired_deltas(scenario, variant, replicas=4, seed=1, days=DAYS, executor=SERIAL,
                          out=tmp_path / "cmp", resume=True)  # fmt: skip
    assert again.equals(d)


def test_ctrl_c_handler_is_not_inherited_by_pool_workers() -> None:
    # workers ignore SIGINT so that Ctrl-C is handled once, by the parent, which stops the pool
    with open_executor(ExecutorChoice("process", workers=1)) as handle:
        handler = handle.executor.submit(signal.getsignal, signal.SIGINT).result()
    assert handler == signal.SIG_IGN
    assert threading.current_thread() is threading.main_thread()
