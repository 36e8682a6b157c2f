"""What runs in a worker: one replica (a scenario, a seed, settings overrides) and a measurement.

The worker never raises for a failure of the model: it returns an :class:`Outcome` carrying the
error's type, message and traceback as text. So an exception class that cannot be pickled (many
carry extra constructor arguments) never turns a model error into a mysterious executor error, and
the runner can tell "the model failed" (reported with seed and parameters) from "the worker died"
(the replica is re-run) by whether a value came back at all.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl


@dataclass(frozen=True)
class ReplicaTask:
    """One run: which scenario (a key of the runner's scenarios), its index, seed and settings."""

    index: int
    seed: int
    params: dict[str, Any] = field(default_factory=dict)
    days: int | None = None
    scenario: str = "main"

    @property
    def key(self) -> tuple[str, int]:
        return (self.scenario, self.index)

    def describe(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        who = (
            f"replica {self.index}" if self.scenario == "main" else f"{self.scenario} {self.index}"
        )
        return f"{who} (seed {self.seed}{', ' + params if params else ''})"


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: a payload, or an error as text."""

    payload: Any = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0


class Measure(Protocol):
    """What to keep of a finished run. ``needs_run_dir``: the run must be written first."""

    needs_run_dir: bool

    def __call__(self, result: Any) -> Any: ...


@dataclass(frozen=True)
class SeriesMeasure:
    """The run's monthly series (``Result.series()``), optionally with objective rows added.

    With an ``objective``, one row per window is appended: series ``objective:<name>``, period
    the window's label, value the objective over that window (sensitivity analyses use it).
    """

    objective: Any = None
    windows: tuple[tuple[str, Any], ...] = ()

    @property
    def needs_run_dir(self) -> bool:
        return bool(self.objective is not None and self.objective.needs_run_dir)

    def __call__(self, result: Any) -> pl.DataFrame:
        df = result.series().select(
            pl.col("series").cast(pl.String),
            pl.col("period").cast(pl.String),
            pl.col("value").cast(pl.Float64),
        )
        if self.objective is None:
            return df
        extra = pl.DataFrame(
            {
                "series": [f"objective:{self.objective.name}"] * len(self.windows),
                "period": [label for label, _ in self.windows],
                "value": [float(self.objective(result, w)) for _, w in self.windows],
            },
            schema={"series": pl.String, "period": pl.String, "value": pl.Float64},
        )
        return pl.concat([df, extra])


def execute(scenario: Any, task: ReplicaTask, measure: Measure) -> Outcome:
    """Run ``task`` on ``scenario`` and measure it; never raises for a model failure."""
    from corridor.api import apply_overrides, run

    t0 = time.perf_counter()
    try:
        sc = apply_overrides(scenario, task.params) if task.params else scenario
        if measure.needs_run_dir:
            with tempfile.TemporaryDirectory(prefix="corridor-replica-") as tmp:
                result = run(sc, seed=task.seed, days=task.days, out=Path(tmp) / "run")
                payload = measure(result)
        else:
            payload = measure(run(sc, seed=task.seed, days=task.days))
    except Exception as exc:
        return Outcome(
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
            seconds=time.perf_counter() - t0,
        )
    return Outcome(payload=payload, seconds=time.perf_counter() - t0)


@dataclass(frozen=True)
class Delayed:
    """``execute`` after a pause: a picklable wrapper for fault-injection tests and demos.

    Lets a test kill a worker while replicas are certainly still running, without making the
    model itself slower. With ``journal``, each start is appended to that file as
    ``"<index> <pid>"``, so the test can tell which worker runs what, and that a replica whose
    worker was killed was started again elsewhere.
    """

    seconds: float
    journal: str | None = None

    def __call__(self, scenario: Any, task: ReplicaTask, measure: Measure) -> Outcome:
        if self.journal is not None:
            with open(self.journal, "a", encoding="utf-8") as f:
                f.write(f"{task.index} {os.getpid()}\n")
        time.sleep(self.seconds)
        return execute(scenario, task, measure)
