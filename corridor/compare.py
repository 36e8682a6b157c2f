"""``corridor compare``: the effect of a policy, as paired deltas with bands over seeds.

Two scenarios (BASE and VARIANT), or one scenario with and without events (``--without EVENT``:
the variant is the scenario with the event's rows and parameter changes removed, so the deltas
read "scenario minus no-event world" = the event's effect). Replica k of both sides uses the same
seed, so the delta bands are narrow (corridor.ensemble.paired). Writes ``deltas.parquet`` (per
series and month: p5..p95 of the delta, base and variant medians) and ``summary.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from corridor.ensemble.clitools import (
    DaskLocalOpt,
    ExecutorOpt,
    QuietOpt,
    SchedulerOpt,
    WorkersOpt,
    choose_executor,
    fail,
    out,
)
from corridor.errors import CorridorError

# Series whose monthly values are means (shares, ratios, stocks); the others are monthly counts.
MEAN_PREFIXES = ("mode_share:", "overcrowding:", "occupancy:", "detained", "camp:", "agents")


def summarise(deltas: pl.DataFrame, since: str | None) -> pl.DataFrame:
    """One row per series over the months from ``since``: totals for counts, means otherwise."""
    df = deltas if since is None else deltas.filter(pl.col("period") >= since)
    df = df.filter(pl.col("period").str.len_chars() == 7)  # months only
    is_mean = pl.lit(False)
    for prefix in MEAN_PREFIXES:
        is_mean = is_mean | pl.col("series").str.starts_with(prefix)
    df = df.with_columns(is_mean.alias("mean_kind"))
    agg = [
        pl.when(pl.col("mean_kind").first())
        .then(pl.col(c).mean())
        .otherwise(pl.col(c).sum())
        .alias(c)
        for c in ("base_p50", "variant_p50", "p5", "p50", "p95")
    ]
    return df.group_by("series", maintain_order=True).agg(pl.col("mean_kind").first(), *agg)


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(
        base: Annotated[Path, typer.Argument(help="Base scenario folder.")],
        variant: Annotated[Path | None, typer.Argument(help="Variant scenario folder.")] = None,
        without: Annotated[
            list[str] | None,
            typer.Option("--without", help="Variant = BASE without this event (repeatable)."),
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
        from corridor.ensemble.paired import paired_deltas

        try:
            if (variant is None) == (not without):
                raise CorridorError("give either a VARIANT scenario or --without EVENT, not both")
            base_sc = load(base)
            if variant is not None:
                var_sc = load(variant)
                title = f"{variant.name} minus {base.name}"
            else:
                # the event's effect: the scenario minus the same scenario without the event
                var_sc = base_sc
                base_sc = without_events(base_sc, list(without or []))
                title = f"effect of {', '.join(without or [])} in {base.name}"
                if since is None:
                    dates = [e.date for e in var_sc.events if e.id in set(without or [])]
                    since = f"{min(dates):%Y-%m}" if dates else None
            choice = choose_executor(executor, workers, scheduler, dask_local)
            deltas = paired_deltas(
                base_sc, var_sc, replicas, seed=seed, days=days, executor=choice, out=out_dir
            )
        except CorridorError as exc:
            fail(exc)
            return
        summary = summarise(deltas, since)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / "summary.json").write_text(
                json.dumps(
                    {
                        "title": title,
                        "since": since,
                        "replicas": replicas,
                        "seed": seed,
                        "rows": summary.to_dicts(),
                    },
                    indent=1,
                )
                + "\n"
            )
        if quiet:
            return
        table = Table(
            title=f"{title}: months from {since or 'the start'} ({replicas} paired seeds)"
        )
        table.add_column("series", no_wrap=True)
        for col in ("without", "with", "delta (p50)", "p5 .. p95"):
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
        out.print(table)
