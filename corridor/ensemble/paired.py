"""Paired comparison: the same replica seeds on a base and a variant scenario, and bands of the
per-replica differences (variant - base).

Pairing removes most of the run-to-run noise from the comparison: replica k of both scenarios
draws from the same random streams, so what differs between them is mostly the policy's effect.
The band of the differences is therefore much narrower than the difference of two bands, which is
what ``corridor compare`` reports. Series present in only one of the two scenarios (a camp that
exists only in the variant) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from corridor.ensemble.bands import KEYS, quantile_bands
from corridor.ensemble.ensemble import ReplicasFailedError, effective_days
from corridor.ensemble.executors import ExecutorLike, executor_scope
from corridor.ensemble.parquet import write_parquet
from corridor.ensemble.runner import Progress, run_tasks
from corridor.ensemble.sampling import replica_seed
from corridor.ensemble.spec import EnsembleSpec
from corridor.ensemble.store import ReplicaStore
from corridor.ensemble.worker import ReplicaTask, SeriesMeasure
from corridor.errors import CorridorError

LABELS = ("base", "variant")


@dataclass(frozen=True)
class PairedRuns:
    """The series of every replica of both sides, in replica order (replica k of ``base`` and
    of ``variant`` ran with the same seed)."""

    base: list[pl.DataFrame]
    variant: list[pl.DataFrame]

    def deltas(self) -> list[pl.DataFrame]:
        """variant - base per replica, on the (series, period) rows both sides have."""
        return [
            b.join(v, on=list(KEYS), how="inner", suffix="_v").select(
                *KEYS, (pl.col("value_v") - pl.col("value")).alias("value")
            )
            for b, v in zip(self.base, self.variant, strict=True)
        ]


def paired_deltas(
    base_scenario: Any,
    variant_scenario: Any,
    replicas: int,
    seed: int = 0,
    days: int | None = None,
    executor: ExecutorLike = None,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Bands of variant - base per series and month, over ``replicas`` paired replicas.

    Columns: series, period, n, mean, p5, p25, p50, p75, p95 (of the difference), base_p50,
    variant_p50. With ``out``, both ensembles are stored (``out/base``, ``out/variant``, each a
    resumable ensemble folder) and the table is also written to ``out/deltas.parquet``.
    """
    runs = run_pairs(
        base_scenario, variant_scenario, replicas, seed, days, executor,
        out=out, resume=resume, progress=progress,
    )  # fmt: skip
    table = delta_bands(runs)
    if out:
        write_parquet(table, Path(out) / "deltas.parquet")
    return table


def delta_bands(runs: PairedRuns) -> pl.DataFrame:
    """Per (series, period): bands of the paired differences, and each side's median."""
    table = quantile_bands(runs.deltas())
    for label, frames in zip(LABELS, (runs.base, runs.variant), strict=True):
        med = quantile_bands(frames).select(*KEYS, pl.col("p50").alias(f"{label}_p50"))
        table = table.join(med, on=list(KEYS), how="left")
    return table.sort(list(KEYS))


def common_days(base: Any, variant: Any, days: int | None) -> int | None:
    """The days both sides simulate: the same calendar days, or the deltas of a month or year
    would set one side's part against the other's whole (or against nothing). The scenarios
    must start on the same date; the shorter one sets the length."""
    starts = (getattr(base, "start_date", None), getattr(variant, "start_date", None))
    if None not in starts and starts[0] != starts[1]:
        raise CorridorError(
            f"cannot pair {base.name} (from {starts[0]}) with {variant.name} (from {starts[1]}): "
            "paired deltas compare the same days, so both scenarios must start on the same date"
        )
    lengths = [d for d in (effective_days(base, days), effective_days(variant, days)) if d]
    return min(lengths) if lengths else days


def run_pairs(
    base_scenario: Any,
    variant_scenario: Any,
    replicas: int,
    seed: int = 0,
    days: int | None = None,
    executor: ExecutorLike = None,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> PairedRuns:
    """Run (or, with ``out`` and ``resume``, read back) ``replicas`` paired replicas."""
    from corridor.api import load

    scenarios = {
        label: load(s) if isinstance(s, str | Path) else s
        for label, s in zip(LABELS, (base_scenario, variant_scenario), strict=True)
    }
    days = common_days(scenarios["base"], scenarios["variant"], days)
    specs = {
        label: EnsembleSpec.for_scenario(sc, seed=seed, replicas=replicas, days=days)
        for label, sc in scenarios.items()
    }
    stores = {label: ReplicaStore(Path(out) / label) for label in LABELS} if out else {}
    results: dict[tuple[str, int], pl.DataFrame] = {}
    todo: list[ReplicaTask] = []
    for label in LABELS:
        done = stores[label].open(specs[label], resume) if stores else set()
        todo += [
            ReplicaTask(k, replica_seed(seed, k), {}, days, label)
            for k in range(replicas)
            if k not in done
        ]

    def keep(task: ReplicaTask, series: pl.DataFrame) -> None:
        if stores:
            stores[task.scenario].write_replica(specs[task.scenario], task, series)
        else:
            results[task.key] = series

    if todo:
        with executor_scope(executor) as handle:
            stats = run_tasks(scenarios, todo, handle, SeriesMeasure(), keep, progress=progress)
        if stats.failures:
            raise ReplicasFailedError(stats.failures, " in the paired comparison")
    frames = {
        label: (
            stores[label].read_replicas(specs[label])
            if stores
            else [results[(label, k)] for k in range(replicas)]
        )
        for label in LABELS
    }
    return PairedRuns(frames["base"], frames["variant"])
