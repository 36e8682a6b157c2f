"""Fit by approximate Bayesian computation (pyabc ABC-SMC): a posterior, not just a best point.

Priors are uniform over the ``--param`` ranges. Each particle runs the scenario with fresh seeds
(drawn from NumPy's global generator, which is seeded from the calibration seed) and its summary is
the objective on the training window; the ABC distance is that error itself (observed value 0), so
successive populations keep particles with ever smaller training error. The history is pyabc's
SQLite database; the last population (particles and weights) is also written as Parquet.

Runs are in this process by default, one particle at a time: reproducible. With an executor, pyabc's
``ConcurrentFutureSampler`` spreads particles over it, and pyabc reseeds each job from the operating
system, so a parallel ABC run is not reproducible (documented; use it for speed, not for bytes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from corridor.calibrate.objectives import Objective, Window
from corridor.calibrate.search_optuna import SearchOutcome
from corridor.ensemble.designs import ParamRange
from corridor.ensemble.executors import ExecutorHandle
from corridor.errors import CorridorError


@dataclass(frozen=True)
class AbcModel:
    """pyabc's model: settings -> {"error": training-window objective}; picklable for executors."""

    scenario: Any
    objective: Objective
    window: Window
    seeds_per_particle: int
    days: int | None
    ints: tuple[str, ...] = ()

    def __call__(self, pars: dict[str, Any]) -> dict[str, float]:
        from corridor.calibrate.objectives import ObjectiveMeasure
        from corridor.ensemble.worker import ReplicaTask, execute

        params = {k: (round(float(v)) if k in self.ints else float(v)) for k, v in pars.items()}
        measure = ObjectiveMeasure(self.objective, (("train", self.window),))
        errors = []
        for j in range(self.seeds_per_particle):
            seed = int(np.random.randint(0, 2**31 - 1))
            outcome = execute(self.scenario, ReplicaTask(j, seed, params, self.days), measure)
            if outcome.error is not None:
                errors.append(float("inf"))  # a failed run is never accepted
            else:
                errors.append(outcome.payload["train"])
        return {"error": float(np.mean(errors))}


def _distance(x: dict[str, float], x0: dict[str, float]) -> float:
    return abs(x["error"] - x0["error"])


def search_abc(
    scenario: Any,
    ranges: list[ParamRange],
    defaults: dict[str, Any],
    objective: Objective,
    train: Window,
    *,
    db_path: Path,
    population: int,
    generations: int,
    seeds_per_particle: int,
    seed: int,
    days: int | None = None,
    handle: ExecutorHandle | None = None,
) -> SearchOutcome:
    """ABC-SMC over uniform priors; the fitted point is the posterior's weighted mean."""
    try:
        import pyabc
    except Exception as exc:  # pragma: no cover - pyabc is pinned in requirements.lock
        raise CorridorError(f"--method abc needs pyabc, which cannot be imported: {exc}") from None
    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if db_path.exists():
        raise CorridorError(f"{db_path} already exists; choose a new --out")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    prior = pyabc.Distribution(
        **{r.name: pyabc.RV("uniform", r.low, r.high - r.low) for r in ranges}
    )
    ints = tuple(
        r.name
        for r in ranges
        if isinstance(defaults[r.name], int) and not isinstance(defaults[r.name], bool)
    )
    model = AbcModel(scenario, objective, train, seeds_per_particle, days, ints)
    if handle is None:
        sampler: Any = pyabc.sampler.SingleCoreSampler()
    else:
        sampler = pyabc.sampler.ConcurrentFutureSampler(
            handle.executor, client_max_jobs=handle.slots()
        )
    np.random.seed(seed)
    abc = pyabc.ABCSMC(model, prior, _distance, population_size=population, sampler=sampler)
    abc.new(f"sqlite:///{db_path.resolve()}", {"error": 0.0})
    history = abc.run(minimum_epsilon=0.0, max_nr_populations=generations)
    df, w = history.get_distribution(m=0, t=history.max_t)
    weights = np.asarray(w, dtype=np.float64)
    weights = weights / weights.sum()
    best: dict[str, Any] = {}
    summary: dict[str, Any] = {}
    for r in ranges:
        x = df[r.name].to_numpy(dtype=np.float64)
        mean = float(np.sum(weights * x))
        sd = float(np.sqrt(np.sum(weights * (x - mean) ** 2)))
        order = np.argsort(x)
        cdf = np.cumsum(weights[order])
        q = {
            f"q{int(p * 100):02d}": float(x[order][np.searchsorted(cdf, p)])
            for p in (0.05, 0.5, 0.95)
        }
        best[r.name] = round(mean) if r.name in ints else mean
        summary[r.name] = {"mean": mean, "sd": sd, **q}
    posterior = pl.DataFrame({r.name: df[r.name].to_numpy() for r in ranges}).with_columns(
        pl.Series("weight", weights)
    )
    pops = history.get_all_populations()
    eps = [float(e) for e in pops["epsilon"].to_numpy() if np.isfinite(e)]
    return SearchOutcome(
        best=best,
        history=posterior,
        evaluations=int(history.total_nr_simulations) * seeds_per_particle,
        extra={
            "posterior": summary,
            "populations": int(history.max_t) + 1,
            "epsilons": eps,
            "abc_db": str(db_path),
            "reproducible": handle is None,
        },
    )
