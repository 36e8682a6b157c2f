"""``run_ensemble``: replicas of one scenario over seeds and parameter draws, stored, summarised.

    from corridor.ensemble import run_ensemble, parse_vary
    res = run_ensemble(scenario, "runs/ens", replicas=40, seed=1,
                       vary=[parse_vary("distance_power=uniform(0.5,1.0)")])
    res.bands            # polars: series, period, n, mean, p5, p25, p50, p75, p95

Stored replicas are never recomputed (``resume=True``); bands are computed from the stored files,
in replica order, so they are byte-identical for the same spec whatever executor ran the replicas
and however often the run was interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from corridor.ensemble.bands import quantile_bands
from corridor.ensemble.designs import Design
from corridor.ensemble.executors import ExecutorLike, executor_scope
from corridor.ensemble.parquet import write_parquet
from corridor.ensemble.runner import Failure, Progress, RunStats, run_tasks
from corridor.ensemble.sampling import Vary
from corridor.ensemble.spec import EnsembleSpec
from corridor.ensemble.store import ReplicaStore
from corridor.ensemble.worker import Outcome, ReplicaTask, SeriesMeasure, execute
from corridor.errors import CorridorError


class ReplicasFailedError(CorridorError):
    """Some replicas' models raised; the others are stored. Lists each with seed and settings."""

    def __init__(self, failures: list[Failure], where: str = "") -> None:
        self.failures = failures
        lines = [f"{len(failures)} replica(s) failed{where}:"]
        lines += [f"  - {f.describe()}" for f in sorted(failures, key=lambda f: f.task.key)[:20]]
        if len(failures) > 20:
            lines.append(f"  ... and {len(failures) - 20} more")
        super().__init__("\n".join(lines))


@dataclass
class EnsembleResult:
    """A finished ensemble: its folder, spec, bands and what this call did."""

    store: ReplicaStore
    spec: EnsembleSpec
    bands: pl.DataFrame
    stats: RunStats
    skipped: int

    @property
    def root(self) -> Path:
        return self.store.root

    def replicas(self) -> pl.LazyFrame:
        """The ensemble's replicas as one lazy frame (series, period, value, replica, seed,
        param:*): those below ``spec.replicas`` only, since a folder resumed with fewer replicas
        keeps the files of the others."""
        frame = pl.scan_parquet(self.store.replica_dir / "replica-*.parquet")
        return frame.filter(pl.col("replica") < self.spec.replicas)


def run_ensemble(
    scenario: Any,
    out: str | Path,
    *,
    replicas: int = 1,
    seed: int = 0,
    days: int | None = None,
    vary: Sequence[Vary] = (),
    design: Design | None = None,
    overrides: dict[str, Any] | None = None,
    measure: SeriesMeasure | None = None,
    executor: ExecutorLike = None,
    resume: bool = False,
    progress: Progress | None = None,
    on_replica: Callable[[ReplicaTask], None] | None = None,
    fn: Callable[..., Outcome] = execute,
    check_draws: bool = True,
) -> EnsembleResult:
    """Run (or resume) an ensemble into ``out`` and write its bands; see the module docstring.

    ``scenario`` is a loaded Scenario (or a folder path). ``overrides`` are applied to it first and
    recorded in the spec. ``on_replica`` is called after each replica is stored (progress hooks,
    tests). Raises :class:`ReplicasFailedError` (after storing every replica that finished) if any
    replica's model raised; ``failures.json`` then lists them, and ``--resume`` retries them.
    Every replica's settings are checked before anything is written (``check_draws``), so that
    an ensemble that cannot finish (a draw outside a setting's range) is refused before its folder
    is created. With ``check_draws=False`` only the first replica's are, and the others fail one
    by one at run time and are reported as above (the tests use this to exercise that path).
    """
    from corridor.api import apply_overrides, load

    if isinstance(scenario, str | Path):
        scenario = load(scenario)
    overrides = dict(overrides or {})
    if overrides:
        scenario = apply_overrides(scenario, overrides)
    measure = measure or SeriesMeasure()
    days = effective_days(scenario, days)
    spec = EnsembleSpec.for_scenario(
        scenario,
        seed=seed,
        replicas=replicas,
        days=days,
        overrides=overrides,
        vary=tuple(vary),
        design=design,
        measure=_measure_json(measure),
    )
    _check_settings(scenario, spec, every=check_draws)
    store = ReplicaStore(out)
    done = store.open(spec, resume)
    todo = [t for t in spec.tasks() if t.index not in done]
    if progress is not None and hasattr(progress, "set_total"):
        progress.set_total(spec.replicas)  # a design's size is known only now

    def keep(task: ReplicaTask, series: pl.DataFrame) -> None:
        store.write_replica(spec, task, series)
        if on_replica is not None:
            on_replica(task)

    if todo:
        with executor_scope(executor) as handle:
            stats = run_tasks(
                {"main": scenario},
                todo,
                handle,
                measure,
                keep,
                progress=_Offset(progress, len(done)),
                fn=fn,
            )
    else:
        stats = RunStats()
    store.write_failures(stats.failures)
    if stats.failures:
        raise ReplicasFailedError(stats.failures, f" (details in {store.failures_path})")
    bands = quantile_bands(store.read_replicas(spec))
    write_parquet(bands, store.bands_path)
    if spec.varied:
        store.write_parameters(spec)
    return EnsembleResult(store, spec, bands, stats, skipped=len(done))


def effective_days(scenario: Any, days: int | None) -> int | None:
    """The number of days a run will simulate, so that ``--days 90`` of a 90-day scenario and
    no ``--days`` are recognised as the same ensemble."""
    length = getattr(scenario, "days", None)
    if not isinstance(length, int):
        return days
    return length if days is None else min(days, length)


def _measure_json(measure: SeriesMeasure) -> dict[str, Any]:
    if measure.objective is None:
        return {}
    return {
        "objective": measure.objective.name,
        "windows": {label: [w.first, w.last] for label, w in measure.windows},
    }


def _check_settings(scenario: Any, spec: EnsembleSpec, every: bool = False) -> None:
    """Fail before any work (and before the folder is created) if a varied setting is unknown or
    the first replica's value is rejected; with ``every``, if any replica's drawn value is (a draw
    outside the setting's allowed range, a value of the wrong kind): an ensemble that cannot
    finish is then never started, since ``--resume`` would draw the same values again."""
    from corridor.api import apply_overrides

    if not spec.varied:
        return
    tasks = spec.tasks()
    if not every:
        apply_overrides(scenario, tasks[0].params)
        return
    bad: list[tuple[ReplicaTask, str]] = []
    for task in tasks:
        try:
            apply_overrides(scenario, task.params)
        except CorridorError as exc:
            bad.append((task, str(exc)))
    if not bad:
        return
    task, message = bad[0]
    how = ", ".join(v.text() for v in spec.vary) if spec.vary else "the design's ranges"
    raise CorridorError(
        f"{how}: {len(bad)} of {spec.replicas} replicas draw a value that is not allowed, "
        f"e.g. {task.describe()}: {message}. Nothing was run; draw only values the settings "
        "allow (for a bounded setting, e.g. uniform(LOW,HIGH) inside its range)"
    )


class _Offset:
    """Progress counts that include replicas already stored by an earlier run."""

    def __init__(self, inner: Progress | None, base: int) -> None:
        self.inner, self.base = inner, base

    def update(self, done: int, running: int, failed: int) -> None:
        if self.inner is not None:
            self.inner.update(self.base + done, running, failed)
