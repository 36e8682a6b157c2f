"""Fit by optuna: a TPE sampler with a fixed seed, asked for trials in fixed-size batches.

Trials are asked ``batch`` at a time (and told back in order), the batch's runs go to the executor
together, and the sampler's seed comes from the calibration seed. The batch size is a setting, not
the number of workers, so the same command gives the same trials on a laptop or on a cluster.
The scenario's own values are enqueued as the first trial when they lie inside the ranges: the fit
then never reports settings worse (on the training window, with these seeds) than the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from corridor.calibrate.evaluate import evaluate_points
from corridor.calibrate.objectives import ObjectiveMeasure
from corridor.ensemble.designs import ParamRange
from corridor.ensemble.executors import ExecutorHandle
from corridor.ensemble.runner import Failure
from corridor.errors import CorridorError


@dataclass
class SearchOutcome:
    """What a search found: the best settings, every evaluated point, and method-specific extras."""

    best: dict[str, Any]
    history: pl.DataFrame
    evaluations: int
    extra: dict[str, Any] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)


def search_optuna(
    scenario: Any,
    ranges: list[ParamRange],
    defaults: dict[str, Any],
    measure: ObjectiveMeasure,
    seeds: list[int],
    handle: ExecutorHandle,
    *,
    trials: int,
    sampler_seed: int,
    batch: int = 4,
    days: int | None = None,
    on_trial: Any = None,
) -> SearchOutcome:
    """Minimise the measure's ``train`` value over ``ranges`` in ``trials`` trials."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=sampler_seed, n_startup_trials=min(10, trials))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    if all(r.low <= float(defaults[r.name]) <= r.high for r in ranges):
        study.enqueue_trial({r.name: defaults[r.name] for r in ranges})
    rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    while len(rows) < trials:
        asked = [study.ask() for _ in range(min(batch, trials - len(rows)))]
        points = [{r.name: _suggest(t, r, defaults[r.name]) for r in ranges} for t in asked]
        values = evaluate_points(scenario, points, seeds, measure, handle, days)
        for t, point, v in zip(asked, points, values, strict=True):
            value = v.values["train"]
            failures += v.failures
            if math.isnan(value):
                study.tell(t, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(t, value)
            rows.append({"trial": t.number, **point, "train": value})
            if on_trial is not None:
                on_trial(len(rows), value)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not done:
        detail = f": {failures[0].describe()}" if failures else ""
        raise CorridorError(f"every calibration trial failed{detail}")
    best = {r.name: study.best_params[r.name] for r in ranges}
    return SearchOutcome(
        best=best,
        history=pl.DataFrame(rows),
        evaluations=len(rows) * len(seeds),
        extra={"best_trial": study.best_trial.number},
        failures=failures,
    )


def _suggest(trial: Any, r: ParamRange, default: Any) -> float | int:
    """An integer setting is searched over integers; anything else over floats."""
    if isinstance(default, int) and not isinstance(default, bool):
        return int(trial.suggest_int(r.name, math.ceil(r.low), math.floor(r.high)))
    return float(trial.suggest_float(r.name, r.low, r.high))
