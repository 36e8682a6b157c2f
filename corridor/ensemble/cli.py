"""``corridor ensemble``: replicas over seeds and parameter draws, stored, summarised in bands."""

from __future__ import annotations

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
    choose_executor,
    default_out,
    fail,
    load_scenario,
    out,
    progress_bar,
)
from corridor.errors import CorridorError


def ensemble(
    scenario: Annotated[Path, typer.Argument(help="Scenario folder.")],
    replicas: Annotated[int, typer.Option("--replicas", "-n", help="Number of replicas.")],
    days: Annotated[int | None, typer.Option(help="Simulate only the first N days.")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Ensemble folder. Default: runs/<name>-ensemble-<time>."),
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="Draw a setting per replica: NAME=uniform(a,b) | loguniform(a,b) | normal(m,s) "
            "| choice(a,b,...). Repeatable.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Root seed of all replica seeds and draws.")] = 0,
    executor: ExecutorOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    dask_local: DaskLocalOpt = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the ensemble in --out; skip stored replicas.")
    ] = False,
    overlay: OverlayOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Run replicas of a scenario over seeds (and --vary draws); write quantile bands.

    Each replica is stored as it finishes (DIR/replicas/replica-NNNNN.parquet); bands (p5, p25,
    p50, p75, p95 per series and month) go to DIR/bands.parquet. The same --seed gives
    byte-identical bands on any executor; --resume skips replicas already stored.
    """
    from corridor.ensemble.ensemble import run_ensemble
    from corridor.ensemble.sampling import parse_vary

    try:
        if resume and out_dir is None:
            raise CorridorError("--resume needs --out, the ensemble folder to continue")
        choice = choose_executor(executor, workers, scheduler, dask_local)
        varies = [parse_vary(v) for v in vary or []]
        sc, overrides = load_scenario(scenario, overlay)
        target = out_dir or default_out(sc.name, "ensemble")
        with progress_bar(sc.name, replicas, quiet) as bar:
            res = run_ensemble(
                sc,
                target,
                replicas=replicas,
                seed=seed,
                days=days,
                vary=varies,
                overrides=overrides,
                executor=choice,
                resume=resume,
                progress=bar,
                check_draws=True,
            )
    except CorridorError as exc:
        fail(exc)
        return
    ran = len(res.stats.completed)
    note = f", {res.skipped} already stored" if res.skipped else ""
    lost = (
        f", {res.stats.resubmitted} re-run after a worker was lost" if res.stats.resubmitted else ""
    )
    out.print(
        f"[green]done[/] {sc.name}: {res.spec.replicas} replicas ({ran} run here{note}{lost}), "
        f"{res.stats.seconds:.1f} s on {choice.describe()} -> {res.root}"
    )
    out.print(summary_table(res.bands))


def summary_table(bands: pl.DataFrame) -> Table:
    """The last month's bands, one row per series (the full table is in bands.parquet)."""
    last = bands.filter(pl.col("period") == pl.col("period").max().over("series"))
    table = Table(title="last month, p5 / p50 / p95 over replicas")
    for name in ("series", "period", "p5", "p50", "p95"):
        table.add_column(name, justify="left" if name in ("series", "period") else "right")
    for row in last.iter_rows(named=True):
        table.add_row(
            row["series"], row["period"], *(f"{row[c]:,.1f}" for c in ("p5", "p50", "p95"))
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``corridor ensemble`` to ``app``."""
    app.command("ensemble")(ensemble)
