"""``calibrate``: fit named settings on a training window; report the held-back window apart.

The protocol (design.md section 7): the fit sees only the objective over days up to
``train_until``. After the fit, the default and the fitted settings are both run with the same
seeds and scored on the training window and on the held-back window (the days after
``train_until``). The held-back numbers are computed once, at the end, and never reach the search.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from corridor.calibrate.evaluate import evaluate_points
from corridor.calibrate.objectives import Objective, ObjectiveMeasure, Window, split_windows
from corridor.calibrate.overlay import write_overlay
from corridor.calibrate.search_abc import search_abc
from corridor.calibrate.search_optuna import SearchOutcome, search_optuna
from corridor.calibrate.settings import current_value, resolve_key
from corridor.ensemble.designs import ParamRange
from corridor.ensemble.executors import ExecutorLike, executor_scope
from corridor.ensemble.parquet import write_parquet
from corridor.ensemble.sampling import derived_seed, replica_seed
from corridor.errors import CorridorError

METHODS = ("optuna", "abc")
SAMPLER_PURPOSE = 2  # derived_seed branch for the optuna / pyabc samplers


@dataclass
class Calibration:
    """A finished fit: fitted settings, errors of default vs fitted on both windows, history."""

    scenario: str
    scenario_hash: str
    method: str
    objective: str
    ranges: list[ParamRange]
    defaults: dict[str, Any]
    fitted: dict[str, Any]
    train: Window
    held_back: Window
    errors: dict[str, dict[str, float]]
    trials: int
    evaluations: int
    seeds: list[int]
    history: pl.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)
    # Settings of an overlay the fit ran on top of (``calibrate --overlay BASE``): every error
    # above was scored with them, so the written overlay carries them beside the fitted ones.
    base: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The overlay's provenance fields (everything except ``overrides``)."""
        return {
            "fitted_on": {"scenario": self.scenario, "input_hash": self.scenario_hash},
            "method": self.method,
            "objective": self.objective,
            "train_until": self.train.last,
            "trials": self.trials,
            "evaluations": self.evaluations,
            "ranges": {r.name: [r.low, r.high] for r in self.ranges},
            "defaults": self.defaults,
            "errors": self.errors,
            "seeds": self.seeds,
            **({"base_overrides": self.base} if self.base else {}),
            **self.extra,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    def write(self, path: str | Path) -> Path:
        """Write the overlay YAML and, beside it, the trial history (``<stem>.trials.parquet``)."""
        p = write_overlay(path, {**self.base, **self.fitted}, self.record())
        write_parquet(self.history, p.with_name(p.stem + ".trials.parquet"))
        return p


def calibrate(
    scenario: Any,
    params: list[ParamRange],
    objective: Objective,
    train_until: str,
    *,
    method: str = "optuna",
    trials: int = 20,
    seeds_per_trial: int = 1,
    seed: int = 0,
    days: int | None = None,
    batch: int = 4,
    executor: ExecutorLike = None,
    abc_db: Path | None = None,
    abc_population: int = 20,
    abc_generations: int = 4,
    abc_parallel: bool = False,
    on_trial: Any = None,
) -> Calibration:
    """Fit ``params`` on the window up to ``train_until``; see the module docstring."""
    if method not in METHODS:
        raise CorridorError(f"--method '{method}': expected one of {METHODS}")
    if trials < 1 or seeds_per_trial < 1 or batch < 1:
        raise CorridorError("--trials, --seeds-per-trial and --batch must be at least 1")
    if not params:
        raise CorridorError("give at least one --param NAME=LOW:HIGH to fit")
    ranges = [ParamRange(resolve_key(scenario, r.name), r.low, r.high) for r in params]
    if len({r.name for r in ranges}) != len(ranges):
        raise CorridorError("a setting is named twice in --param")
    defaults = {r.name: current_value(scenario, r.name) for r in ranges}
    for name, value in defaults.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise CorridorError(f"setting '{name}' is {value!r}; only numeric settings are fitted")
    check_ranges(scenario, ranges, defaults)
    train, held = split_windows(train_until)
    seeds = [replica_seed(seed, j) for j in range(seeds_per_trial)]
    sampler_seed = derived_seed(seed, SAMPLER_PURPOSE)
    train_only = ObjectiveMeasure(objective, (("train", train),))
    both = ObjectiveMeasure(objective, (("train", train), ("held_back", held)))
    with executor_scope(executor) as handle:
        if method == "optuna":
            found = search_optuna(
                scenario, ranges, defaults, train_only, seeds, handle,
                trials=trials, sampler_seed=sampler_seed, batch=batch, days=days,
                on_trial=on_trial,
            )  # fmt: skip
        else:
            if abc_db is None:
                raise CorridorError("--method abc needs a database path (from --out)")
            found = search_abc(
                scenario, ranges, defaults, objective, train, db_path=abc_db,
                population=abc_population, generations=abc_generations,
                seeds_per_particle=seeds_per_trial, seed=sampler_seed, days=days,
                handle=handle if abc_parallel else None,
            )  # fmt: skip
        default_v, fitted_v = evaluate_points(
            scenario, [defaults, found.best], seeds, both, handle, days
        )
    errors = {
        label: {"default": default_v.values[label], "fitted": fitted_v.values[label]}
        for label in ("train", "held_back")
    }
    return Calibration(
        scenario=str(getattr(scenario, "name", "scenario")),
        scenario_hash=str(getattr(scenario, "input_hash", "")),
        method=method,
        objective=objective.name,
        ranges=ranges,
        defaults=defaults,
        fitted=found.best,
        train=train,
        held_back=held,
        errors=errors,
        trials=_trials(found, method),
        evaluations=found.evaluations,
        seeds=seeds,
        history=found.history,
        extra=found.extra,
    )


def check_ranges(scenario: Any, ranges: list[ParamRange], defaults: dict[str, Any]) -> None:
    """Fail before any run if a --param range reaches values the setting does not allow (a
    chance above 1, a negative weight): every trial there would fail."""
    from corridor.api import apply_overrides

    for r in ranges:
        ints = isinstance(defaults[r.name], int) and not isinstance(defaults[r.name], bool)
        ends = (math.ceil(r.low), math.floor(r.high)) if ints else (r.low, r.high)
        for value in ends:
            try:
                apply_overrides(scenario, {r.name: value})
            except CorridorError as exc:
                raise CorridorError(
                    f"--param {r.text()}: {exc}; give a range inside the allowed values"
                ) from None


def _trials(found: SearchOutcome, method: str) -> int:
    return found.history.height if method == "optuna" else found.evaluations
