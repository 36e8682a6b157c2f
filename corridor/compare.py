"""``corridor compare``: the effect of a policy, as paired deltas with bands over seeds.

Two scenarios (BASE and VARIANT: deltas are VARIANT minus BASE), or one scenario with and without
events (``--without EVENT``: the scenario is compared with itself with the event's rows and
parameter changes removed, and the deltas read "scenario minus no-event world", the event's
effect). Replica k of both sides uses the same
seed, so the delta bands are narrow (corridor.ensemble.paired). Writes ``deltas.parquet`` (per
series and month: p5..p95 of the delta, base and variant medians) and ``summary.json``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from corridor.ensemble.bands import quantile_bands
from corridor.ensemble.clitools import (
    DaskLocalOpt,
    ExecutorOpt,
    QuietOpt,
    SchedulerOpt,
    WorkersOpt,
    check_at_least,
    choose_executor,
    fail,
    out,
)
from corridor.ensemble.paired import PairedRuns
from corridor.ensemble.parquet import write_json_atomic, write_parquet
from corridor.errors import CorridorError
from corridor.output.rundir import check_target

# Series whose monthly values are means (shares, ratios, stocks, days held per admission); the
# others are monthly counts. A period's value of a mean series is the mean of its months.
MEAN_PREFIXES = (
    "mode_share:", "overcrowding:", "occupancy:", "detained", "days_held", "camp:", "agents",
    "port_list:", "port_wait_days:",
)  # fmt: skip


def period_totals(frame: pl.DataFrame, since: str | None) -> pl.DataFrame:
    """One replica's series over the months from ``since`` (period "total"): the sum for counts,
    the mean for series that are monthly means."""
    df = frame.filter(pl.col("period").str.len_chars() == 7)  # months only
    if since is not None:
        df = df.filter(pl.col("period") >= since)
    is_mean = pl.lit(False)
    for prefix in MEAN_PREFIXES:
        is_mean = is_mean | pl.col("series").str.starts_with(prefix)
    return (
        df.with_columns(is_mean.alias("mean_kind"))
        .group_by("series", maintain_order=True)
        .agg(
            pl.when(pl.col("mean_kind").first())
            .then(pl.col("value").mean())
            .otherwise(pl.col("value").sum()),
            pl.col("mean_kind").first(),
        )
        .with_columns(pl.lit("total").alias("period"))
    )


def summarise(runs: PairedRuns, since: str | None) -> pl.DataFrame:
    """One row per series over the months from ``since``: the bands of the per-replica totals of
    the paired differences (totals for counts, means otherwise), and each side's median total.
    Bands of totals, not totals of monthly bands: the sum of monthly 5th percentiles is not the
    5th percentile of the sums."""
    totals = {
        label: [period_totals(f, since) for f in frames]
        for label, frames in (("base", runs.base), ("variant", runs.variant))
    }
    kinds = pl.concat([t.select("series", "mean_kind") for t in totals["base"]]).unique(
        "series", keep="first"
    )
    values = {label: [t.drop("mean_kind") for t in frames] for label, frames in totals.items()}
    bands = quantile_bands(PairedRuns(values["base"], values["variant"]).deltas())
    for label, frames in values.items():
        med = quantile_bands(frames)
        bands = bands.join(
            med.select("series", pl.col("p50").alias(f"{label}_p50")), on="series", how="left"
        )
    return bands.join(kinds, on="series", how="left").select(
        "series", "mean_kind", "base_p50", "variant_p50", "p5", "p50", "p95"
    )


def check_month(since: str) -> None:
    """``--since`` must be a month, YYYY-MM."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", since):
        raise CorridorError(f"--since '{since}': expected a month YYYY-MM, e.g. 2019-06")


def check_comparable(base: Any, variant: Any) -> None:
    """Paired deltas need two scenarios of the same ruleset: a corridor and a Flee scenario
    share no series, and their difference would be empty."""
    kinds = (getattr(base, "kind", None), getattr(variant, "kind", None))
    if kinds[0] != kinds[1]:
        raise CorridorError(
            f"cannot compare {base.name} ({kinds[0]} scenario) with {variant.name} ({kinds[1]} "
            "scenario): their series differ; compare two scenarios of the same ruleset"
        )


def check_since(since: str | None, base: Any, variant: Any, days: int | None) -> None:
    """``--since`` must leave at least one month of both runs to summarise."""
    if since is None:
        return
    for sc in (base, variant):
        n = sc.days if days is None else min(days, sc.days)
        last = sc.start_date + dt.timedelta(days=n - 1)
        if since > f"{last:%Y-%m}":
            raise CorridorError(
                f"--since {since}: after the last month of {sc.name}'s run ({last:%Y-%m}); "
                "nothing would be summarised"
            )


def side_labels(base: str, variant: str) -> tuple[str, str]:
    """Column labels of the two sides: the scenarios' names (told apart if they are equal)."""
    if base == variant:
        return f"{base} (base)", f"{variant} (variant)"
    return base, variant


def summary_table(summary: pl.DataFrame, title: str, labels: tuple[str, str]) -> Table:
    """The summary as a table whose two sides are headed ``labels`` (the scenarios' names, or
    without/with an event)."""
    table = Table(title=title)
    table.add_column("series", no_wrap=True)
    for col in labels:  # scenario names may be long: let the header wrap, not the numbers
        table.add_column(col, justify="right", overflow="fold")
    for col in ("delta (p50)", "p5 .. p95"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in summary.iter_rows(named=True):
        fmt = "{:,.3f}" if r["mean_kind"] else "{:,.0f}"
        table.add_row(
            r["series"],
            fmt.format(r["base_p50"]),
            fmt.format(r["variant_p50"]),
            fmt.format(r["p50"]),
            f"{fmt.format(r['p5'])} .. {fmt.format(r['p95'])}",
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        base: Annotated[Path, typer.Argument(help="Base scenario folder.")],
        variant: Annotated[Path | None, typer.Argument(help="Variant scenario folder.")] = None,
        without: Annotated[
            list[str] | None,
            typer.Option(
                "--without",
                help="Compare BASE with itself without this event (repeatable); deltas are "
                "with minus without: the event's effect.",
            ),
        ] = None,
        replicas: Annotated[int, typer.Option("--replicas", "-n", help="Paired replicas.")] = 10,
        seed: Annotated[int, typer.Option(help="Root seed of the replica seeds.")] = 0,
        days: Annotated[int | None, typer.Option(help="Simulate only the first N days.")] = None,
        since: Annotated[
            str | None, typer.Option(help="Summarise months from YYYY-MM (default: event date).")
        ] = None,
        out_dir: Annotated[
            Path | None, typer.Option("--out", help="Folder for the results.")
        ] = None,
        executor: ExecutorOpt = None,
        workers: WorkersOpt = None,
        scheduler: SchedulerOpt = None,
        dask_local: DaskLocalOpt = None,
        quiet: QuietOpt = False,
    ) -> None:
        """Compare two scenarios, or a scenario with and without events, over paired seeds."""
        from corridor.api import load
        from corridor.cli import without_events
        from corridor.ensemble.paired import delta_bands, run_pairs

        try:
            if variant is not None and without:
                raise CorridorError("give either a VARIANT scenario or --without EVENT, not both")
            if variant is None and not without:
                raise CorridorError(
                    "nothing to compare: give a VARIANT scenario folder after BASE, or --without "
                    "EVENT to compare BASE with and without one of its events"
                )
            check_at_least(1, replicas=replicas, days=days)
            check_at_least(0, seed=seed)
            if since is not None:
                check_month(since)
            if out_dir is not None:
                check_target(out_dir, allow_empty=True)
            base_sc = load(base)
            if variant is not None:
                var_sc = load(variant)
                check_comparable(base_sc, var_sc)
                title = f"{var_sc.name} minus {base_sc.name}"
                labels = side_labels(base_sc.name, var_sc.name)
            else:
                # the event's effect: the scenario minus the same scenario without the event
                var_sc = base_sc
                base_sc = without_events(base_sc, list(without or []))
                title = f"effect of {', '.join(without or [])} in {base.name}"
                labels = ("without", "with")
                if since is None:
                    dates = [e.date for e in var_sc.events if e.id in set(without or [])]
                    since = f"{min(dates):%Y-%m}" if dates else None
            check_since(since, base_sc, var_sc, days)
            choice = choose_executor(executor, workers, scheduler, dask_local)
            runs = run_pairs(
                base_sc, var_sc, replicas, seed=seed, days=days, executor=choice, out=out_dir
            )
            summary = summarise(runs, since)
            if summary.is_empty():
                raise CorridorError(
                    f"{base_sc.name} and {var_sc.name} have no series in common over the months "
                    f"from {since or 'the start'}; nothing to compare"
                )
        except CorridorError as exc:
            fail(exc)
            return
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_parquet(delta_bands(runs), out_dir / "deltas.parquet")
            write_json_atomic(
                out_dir / "summary.json",
                {
                    "title": title,
                    "base": labels[0],
                    "variant": labels[1],
                    "since": since,
                    "replicas": replicas,
                    "seed": seed,
                    "rows": summary.to_dicts(),
                },
            )
        if quiet:
            return
        out.print(
            summary_table(
                summary,
                f"{title}: months from {since or 'the start'} ({replicas} paired seeds)",
                labels,
            )
        )
