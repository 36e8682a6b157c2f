"""``corridor calibrate`` and ``corridor sensitivity``."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from corridor.ensemble.clitools import (
    DaskLocalOpt,
    ExecutorOpt,
    OverlayOpt,
    QuietOpt,
    SchedulerOpt,
    WorkersOpt,
    check_at_least,
    choose_executor,
    default_out,
    fail,
    load_scenario,
    out,
    progress_bar,
)
from corridor.errors import CorridorError

ParamOpt = Annotated[
    list[str],
    typer.Option("--param", help="A setting and its range, NAME=LOW:HIGH. Repeatable."),
]
ObservedOpt = Annotated[
    Path | None,
    typer.Option(
        "--observed",
        help="Observed monthly series (CSV/Parquet: series, period, value). Default for Flee "
        "scenarios: their own source_data, with Flee's error.",
    ),
]


def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario folder.")],
    param: ParamOpt,
    train_until: Annotated[
        str, typer.Option("--train-until", help="Last date (YYYY-MM-DD) the fit may see.")
    ],
    observed: ObservedOpt = None,
    trials: Annotated[
        int, typer.Option(help="optuna: trials. abc: ignored (see --population).")
    ] = 20,
    method: Annotated[str, typer.Option(help="optuna (TPE, default) or abc (pyabc).")] = "optuna",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Overlay YAML to write. Default: runs/<name>-fit-<time>.yml."),
    ] = None,
    seeds_per_trial: Annotated[
        int, typer.Option("--seeds-per-trial", help="Seeds each trial is averaged over.")
    ] = 1,
    seed: Annotated[int, typer.Option(help="Root seed (model seeds and sampler).")] = 0,
    days: Annotated[int | None, typer.Option(help="Simulate only the first N days.")] = None,
    batch: Annotated[int, typer.Option(help="optuna: trials asked (and run) together.")] = 4,
    population: Annotated[int, typer.Option(help="abc: particles per population.")] = 20,
    generations: Annotated[int, typer.Option(help="abc: populations at most.")] = 4,
    executor: ExecutorOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    dask_local: DaskLocalOpt = None,
    overlay: OverlayOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Fit settings to observed data on days up to --train-until; report the held-back days.

    Writes the fitted settings as an overlay (YAML, usable with --overlay) and the trial
    history beside it (<stem>.trials.parquet; with --method abc, the posterior and <stem>.abc.db).
    """
    from corridor.api import apply_overrides
    from corridor.calibrate.fit import calibrate as fit
    from corridor.calibrate.objectives import choose_objective
    from corridor.ensemble.designs import parse_range

    try:
        # before any trial runs: a bad count would otherwise fail every trial (or crash pyabc)
        check_at_least(1, trials=trials, seeds_per_trial=seeds_per_trial, days=days, batch=batch,
                       population=population, generations=generations)  # fmt: skip
        check_at_least(0, seed=seed)
        choice = choose_executor(executor, workers, scheduler, dask_local)
        ranges = [parse_range(p) for p in param]
        sc, overrides = load_scenario(scenario, overlay)
        if overrides:
            sc = apply_overrides(sc, overrides)
        check_train_until(train_until, sc)
        objective = choose_objective(sc, observed)
        check_observed_in_training(objective, train_until, sc, days)
        target = out_file or default_out(sc.name, "fit", ".yml")
        if target.exists():
            raise CorridorError(f"{target} already exists; choose a new --out file")
        explicit = any(x is not None for x in (executor, workers, scheduler, dask_local))
        parallel_abc = explicit and choice.kind != "serial"
        total = trials if method == "optuna" else 0
        with progress_bar(f"{sc.name} fit", total, quiet or method != "optuna", "trials") as bar:

            def on_trial(n: int, value: float) -> None:
                if bar is not None:
                    bar.update(n, 0, 0)

            result = fit(
                sc,
                ranges,
                objective,
                train_until,
                method=method,
                trials=trials,
                seeds_per_trial=seeds_per_trial,
                seed=seed,
                days=days,
                batch=batch,
                executor=choice,
                abc_db=target.with_name(target.stem + ".abc.db"),
                abc_population=population,
                abc_generations=generations,
                abc_parallel=parallel_abc,
                on_trial=on_trial,
            )
        result = dataclasses.replace(result, base=dict(overrides or {}))  # scored with BASE
        path = result.write(target)
    except CorridorError as exc:
        fail(exc)
        return
    out.print(report_table(result))
    out.print(f"[green]wrote[/] {path} (use with --overlay {path})")


def check_train_until(train_until: str, scenario: object) -> None:
    """--train-until must leave some days to fit on: not before the scenario's first day."""
    from corridor.calibrate.objectives import split_windows

    cut = split_windows(train_until)[0].last  # checks the date's form
    start = getattr(scenario, "start_date", None)
    if cut is not None and start is not None and cut < f"{start:%Y-%m-%d}":
        raise CorridorError(
            f"--train-until {train_until}: before the first day of "
            f"{getattr(scenario, 'name', 'the scenario')} ({start:%Y-%m-%d}); nothing to fit on"
        )


def check_observed_in_training(
    objective: object, train_until: str, scenario: object, days: int | None
) -> None:
    """An observed-series objective needs some observed period wholly inside the simulated
    training days; without one every trial would fail with no value to minimise."""
    import datetime as dt

    from corridor.calibrate.objectives import (
        FleeError,
        SeriesError,
        Window,
        _month_inside,
        observed_through,
    )

    start = getattr(scenario, "start_date", None)
    n_days = getattr(scenario, "days", None)
    if isinstance(objective, FleeError):
        through = observed_through(scenario, train_until)
        if through is None or through < f"{start:%Y-%m-%d}":
            raise CorridorError(
                f"a camp has no observation on or before --train-until {train_until}: the "
                "training days would be compared with held-back data; give a later --train-until"
            )
        return
    if not isinstance(objective, SeriesError) or start is None or n_days is None:
        return
    last = start + dt.timedelta(days=(n_days if days is None else min(days, n_days)) - 1)
    window = Window(first=f"{start:%Y-%m-%d}", last=min(train_until, f"{last:%Y-%m-%d}"))
    periods = objective.observed["period"].to_list()
    if not any(_month_inside(p, window) for p in periods):
        raise CorridorError(
            f"no observed month or year lies wholly within the simulated training days "
            f"({window.describe()}): nothing to fit on; give a later --train-until"
            + ("" if days is None else " or more --days")
        )


def report_table(result: object) -> Table:
    """Default vs fitted, on the training window and, apart, the held-back window."""
    from corridor.calibrate.fit import Calibration

    assert isinstance(result, Calibration)
    table = Table(title=f"{result.scenario}: {result.method}, {result.objective}")
    table.add_column("")
    table.add_column("default", justify="right")
    table.add_column("fitted", justify="right")
    for r in result.ranges:
        table.add_row(r.name, _fmt(result.defaults[r.name]), _fmt(result.fitted[r.name]))
    for label, window in (("training", result.train), ("held back", result.held_back)):
        e = result.errors["train" if label == "training" else "held_back"]
        table.add_row(
            f"error, {label} ({window.describe()})", _fmt(e["default"]), _fmt(e["fitted"])
        )
    return table


def _fmt(x: object) -> str:
    if isinstance(x, float):
        return "n/a (no days)" if math.isnan(x) else f"{x:.4f}"
    return str(x)


def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario folder.")],
    param: ParamOpt,
    method: Annotated[str, typer.Option(help="sobol (Saltelli/Sobol design) or morris.")] = "sobol",
    samples: Annotated[
        int,
        typer.Option(
            help="Base samples N: sobol runs N*(D+2) rows (N a power of 2), morris N*(D+1)."
        ),
    ] = 64,
    seeds_per_sample: Annotated[
        int, typer.Option("--seeds-per-sample", help="Seeds each design row is averaged over.")
    ] = 1,
    objective: Annotated[
        bool,
        typer.Option(
            "--objective/--no-objective",
            help="Also analyse the validation error (Flee's, or against --observed).",
        ),
    ] = False,
    observed: ObservedOpt = None,
    seed: Annotated[int, typer.Option(help="Root seed of the design and model seeds.")] = 0,
    days: Annotated[int | None, typer.Option(help="Simulate only the first N days.")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder. Default: runs/<name>-sensitivity-<time>."),
    ] = None,
    executor: ExecutorOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    dask_local: DaskLocalOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --out.")] = False,
    overlay: OverlayOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Sobol or Morris sensitivity indices (SALib) of every series to the named settings.

    The design runs as an ensemble in --out (resumable); indices go to indices.parquet and
    indices.json there.
    """
    from corridor.calibrate.objectives import choose_objective
    from corridor.calibrate.sensitivity import sensitivity as analyse
    from corridor.ensemble.designs import parse_range

    try:
        if resume and out_dir is None:
            raise CorridorError("--resume needs --out, the folder to continue")
        check_at_least(1, seeds_per_sample=seeds_per_sample, days=days)
        check_at_least(0, seed=seed)
        choice = choose_executor(executor, workers, scheduler, dask_local)
        ranges = [parse_range(p) for p in param]
        sc, overrides = load_scenario(scenario, overlay)
        obj = choose_objective(sc, observed) if (objective or observed) else None
        target = out_dir or default_out(sc.name, "sensitivity")
        with progress_bar(f"{sc.name} {method}", 0, quiet) as bar:
            res = analyse(
                sc,
                ranges,
                target,
                method=method,
                samples=samples,
                seed=seed,
                days=days,
                seeds_per_sample=seeds_per_sample,
                objective=obj,
                overrides=overrides,
                executor=choice,
                resume=resume,
                progress=bar,
            )
    except CorridorError as exc:
        fail(exc)
        return
    out.print(indices_table(res.indices, method))
    out.print(
        f"[green]done[/] {res.ensemble.spec.replicas} runs -> {res.ensemble.root}/indices.parquet"
    )


def indices_table(indices: pl.DataFrame, method: str) -> Table:
    cols = [c for c in indices.columns if c not in ("output", "parameter")]
    table = Table(title=f"{method} indices")
    table.add_column("output")
    table.add_column("parameter")
    for c in cols:
        table.add_column(c, justify="right")
    for row in indices.iter_rows(named=True):
        values = ["-" if math.isnan(row[c]) else f"{row[c]:.3f}" for c in cols]
        table.add_row(row["output"], row["parameter"].rpartition(".")[2], *values)
    table.caption = "- : the output does not vary over the design"
    return table


def register(app: typer.Typer) -> None:
    """Add ``corridor calibrate`` and ``corridor sensitivity`` to ``app``."""
    app.command("calibrate")(calibrate)
    app.command("sensitivity")(sensitivity)
