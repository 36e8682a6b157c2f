"""Global sensitivity analysis with SALib (Sobol or Morris) over named settings.

The design is run as an ensemble (``DIR/replicas``, resumable, any executor; each design row with
the same model seeds), then each output is summarised to one number per replica and analysed:

- every series of ``Result.series()`` becomes the output ``<series>``: its mean over the months of
  the run (the time-averaged level the setting moves);
- with an objective, ``objective:<name>``: the objective over the whole run (how the fit to the
  observed data moves).

Indices go to ``DIR/indices.parquet`` and ``DIR/indices.json``: for Sobol, first-order (S1) and
total (ST) indices with their bootstrap confidence half-widths; for Morris, mu, mu*, sigma and
mu*'s confidence half-width. An output that does not vary at all gets NaN indices.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from corridor.calibrate.objectives import Objective, Window
from corridor.calibrate.settings import resolve_key
from corridor.ensemble.designs import MORRIS_LEVELS, Design, ParamRange
from corridor.ensemble.ensemble import EnsembleResult, run_ensemble
from corridor.ensemble.executors import ExecutorLike
from corridor.ensemble.parquet import write_json_atomic, write_parquet
from corridor.ensemble.runner import Progress
from corridor.ensemble.sampling import derived_seed
from corridor.ensemble.worker import SeriesMeasure

ANALYSIS_PURPOSE = 3  # derived_seed branch for SALib's bootstrap
COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "sigma", "mu_star_conf"),
}


@dataclass
class Sensitivity:
    """Indices per output and parameter, and the ensemble they came from."""

    indices: pl.DataFrame
    ensemble: EnsembleResult


def sensitivity(
    scenario: Any,
    params: list[ParamRange],
    out: str | Path,
    *,
    method: str = "sobol",
    samples: int = 64,
    seed: int = 0,
    days: int | None = None,
    seeds_per_sample: int = 1,
    objective: Objective | None = None,
    overrides: dict[str, Any] | None = None,
    executor: ExecutorLike = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> Sensitivity:
    """Run the SALib design for ``params`` as an ensemble in ``out`` and analyse it."""
    ranges = tuple(ParamRange(resolve_key(scenario, p.name), p.low, p.high) for p in params)
    design = Design(method, ranges, samples, derived_seed(seed, 1), seeds_per_sample)
    measure = SeriesMeasure(objective, (("all", Window()),) if objective is not None else ())
    ens = run_ensemble(
        scenario,
        out,
        seed=seed,
        days=days,
        design=design,
        overrides=overrides,
        measure=measure,
        executor=executor,
        resume=resume,
        progress=progress,
        check_draws=True,
    )
    indices = analyse(design, ens, seed)
    write_parquet(indices, ens.root / "indices.parquet")
    write_json_atomic(
        ens.root / "indices.json",
        {
            "method": method,
            "samples": samples,
            "rows": ens.spec.replicas // seeds_per_sample,
            "seeds_per_sample": seeds_per_sample,
            "params": {r.name: [r.low, r.high] for r in ranges},
            "indices": [
                {k: None if isinstance(v, float) and np.isnan(v) else v for k, v in row.items()}
                for row in indices.to_dicts()
            ],  # NaN (an output that does not vary) as null: JSON has no NaN
        },
    )
    return Sensitivity(indices, ens)


def outputs(ens: EnsembleResult, design: Design) -> dict[str, np.ndarray]:
    """Each output's value per design row (mean of a series over its months; averaged over the
    seeds). Yearly totals, which corridor runs write beside the months, are left out: averaged in,
    they would scale every count series' output (and its Morris indices) by the months per row.

    Sums run in a fixed order (NumPy over rows sorted by replica and month), so the same stored
    replicas always give the same numbers.
    """
    long = (
        ens.replicas()
        .filter(pl.col("period").str.len_chars() != 4)
        .select("series", "replica", "period", "value")
        .sort("series", "replica", "period")
        .collect()
    )
    r = design.seeds_per_row
    result = {}
    for (name,), group in long.group_by("series", maintain_order=True):
        replica = group["replica"].to_numpy()
        values = group["value"].to_numpy()
        starts = np.flatnonzero(np.r_[True, replica[1:] != replica[:-1]])
        counts = np.diff(np.r_[starts, len(replica)])
        y = np.add.reduceat(values, starts) / counts
        result[str(name)] = y.reshape(-1, r).mean(axis=1)
    return result


def analyse(design: Design, ens: EnsembleResult, seed: int) -> pl.DataFrame:
    """SALib indices for every output, rows sorted by output then parameter order."""
    problem = design.problem()
    x = design.rows()
    cols = COLUMNS[design.method]
    rows: list[dict[str, Any]] = []
    bootstrap_seed = derived_seed(seed, ANALYSIS_PURPOSE)
    for name, y in sorted(outputs(ens, design).items()):
        res = _indices(design.method, problem, x, y, bootstrap_seed)
        for i, pname in enumerate(problem["names"]):
            rows.append({"output": name, "parameter": pname, **{c: float(res[c][i]) for c in cols}})
    schema = {"output": pl.String, "parameter": pl.String, **dict.fromkeys(cols, pl.Float64)}
    return pl.DataFrame(rows, schema=schema)


def _indices(
    method: str, problem: dict[str, Any], x: np.ndarray, y: np.ndarray, seed: int
) -> dict[str, np.ndarray]:
    nan = np.full(problem["num_vars"], np.nan)
    if not np.all(np.isfinite(y)) or float(np.ptp(y)) == 0.0:
        return dict.fromkeys(COLUMNS[method], nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(
                problem, y, calc_second_order=False, print_to_console=False, seed=seed
            )
            return {c: np.asarray(res[c]) for c in COLUMNS["sobol"]}
        from SALib.analyze import morris

        res = morris.analyze(
            problem, x, y, num_levels=MORRIS_LEVELS, print_to_console=False, seed=seed
        )
        return {c: np.asarray(res[c], dtype=np.float64) for c in COLUMNS["morris"]}
