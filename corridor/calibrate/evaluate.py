"""Evaluate settings points: each point run with the same seeds, the objective averaged over them.

Every point is run with the same model seeds (common random numbers): two points are then compared
on the same random draws, so the fit follows the parameters rather than the luck of the seeds.
Runs go through the ensemble runner, so they use the same executors and survive lost workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor.calibrate.objectives import ObjectiveMeasure
from corridor.ensemble.executors import ExecutorHandle
from corridor.ensemble.runner import Failure, Progress, run_tasks
from corridor.ensemble.worker import ReplicaTask


@dataclass
class PointValues:
    """The objective per window label, averaged over seeds (NaN where a run failed)."""

    values: dict[str, float]
    failures: list[Failure]


def evaluate_points(
    scenario: Any,
    points: list[dict[str, Any]],
    seeds: list[int],
    measure: ObjectiveMeasure,
    handle: ExecutorHandle,
    days: int | None = None,
    progress: Progress | None = None,
) -> list[PointValues]:
    """Run every point with every seed; average each window's objective over the seeds."""
    r = len(seeds)
    tasks = [
        ReplicaTask(i * r + j, seed, dict(point), days)
        for i, point in enumerate(points)
        for j, seed in enumerate(seeds)
    ]
    got: dict[int, dict[str, float]] = {}
    stats = run_tasks(
        {"main": scenario},
        tasks,
        handle,
        measure,
        lambda task, value: got.__setitem__(task.index, value),
        progress=progress,
    )
    labels = [label for label, _ in measure.windows]
    out = []
    for i in range(len(points)):
        runs = [got.get(i * r + j) for j in range(r)]
        fails = [f for f in stats.failures if f.task.index // r == i]
        done = [v for v in runs if v is not None]
        values = {
            label: float(np.mean([v[label] for v in done])) if len(done) == r else float("nan")
            for label in labels
        }
        out.append(PointValues(values, fails))
    return out
