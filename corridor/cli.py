"""The ``corridor`` command line: run, check and validate scenarios.

Exit codes: 0 success, 2 bad input or a run that cannot go on (a message, never a traceback),
1 an unexpected internal error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from corridor.errors import CorridorError, summarize

if TYPE_CHECKING:
    from corridor.api import Scenario
    from corridor.scenario.native.model import CorridorScenario

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Simulate migration journeys through border-enforcement corridors (and Flee scenarios).",
)
out = Console()
err = Console(stderr=True)


def _fail(exc: CorridorError) -> None:
    # the message quotes users' file contents: never interpret it as rich markup
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def check(
    path: Annotated[Path, typer.Argument(help="Scenario folder.")],
) -> None:
    """Validate a scenario's files without running it; list every problem found."""
    from corridor.api import load

    try:
        scenario = load(path)
    except CorridorError as exc:
        _fail(exc)
        return
    out.print(f"[green]ok[/] {scenario.name}: {_describe(scenario)}")
    if scenario.warnings:
        out.print(f"{len(scenario.warnings)} warning(s):")
        for line in summarize(scenario.warnings):
            out.print(f"  - {line}", highlight=False, markup=False)


def without_events(scenario: Scenario, ids: list[str]) -> CorridorScenario:
    """The scenario with events switched off; unknown ids are an error naming the known ones."""
    if scenario.kind != "corridor":
        raise CorridorError("--without applies to corridor scenarios (events.yml)")
    known = {e.id for e in scenario.events}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise CorridorError(
            f"no event {', '.join(unknown)} in events.yml (events: {', '.join(sorted(known))})"
        )
    return scenario.without_events(ids)


def _describe(scenario: Scenario) -> str:
    if scenario.kind == "corridor":
        return (
            f"corridor layout, {scenario.days} days from {scenario.start_date}, "
            f"{len(scenario.places)} places, {len(scenario.routes)} routes, "
            f"{len(scenario.departures)} departure rows, {len(scenario.enforcement)} enforcement "
            f"rows, {len(scenario.events)} events, {len(scenario.observed)} observed values"
        )
    return (
        f"Flee layout, {scenario.days} days from {scenario.start_date}, "
        f"{len(scenario.locations)} locations, {len(scenario.routes)} routes, "
        f"{len(scenario.camp_names())} camps, {len(scenario.closures)} closures"
    )


@app.command()
def run(
    path: Annotated[Path, typer.Argument(help="Scenario folder.")],
    seed: Annotated[
        int | None,
        typer.Option(
            help="Random seed; same seed, same output. Default: the scenario's seed "
            "(scenario.yml), else 0."
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Run folder to create (must not exist). Default: runs/<name>-seed<N>-<time>.",
        ),
    ] = None,
    days: Annotated[int | None, typer.Option(help="Simulate only the first N days.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    overlay: Annotated[
        Path | None,
        typer.Option("--overlay", help="Settings overlay YAML (from `corridor calibrate`)."),
    ] = None,
    without: Annotated[
        list[str] | None,
        typer.Option("--without", help="Switch off an event of events.yml (repeatable)."),
    ] = None,
) -> None:
    """Run a scenario and write a new run folder (out.csv, daily.parquet, manifest.json, ...)."""
    from corridor.api import default_seed, load
    from corridor.api import run as run_scenario
    from corridor.output.rundir import check_target

    try:
        if out_dir is not None:
            check_target(out_dir)  # before loading or simulating anything
        t0 = time.perf_counter()
        scenario = load(path)
        if overlay is not None:
            from corridor.calibrate.overlay import apply_overlay, load_overlay

            scenario = apply_overlay(scenario, overlay, load_overlay(overlay))
        if without:
            scenario = without_events(scenario, without)
        load_seconds = time.perf_counter() - t0
        if seed is None:
            seed = default_seed(scenario)
        target = out_dir or Path("runs") / (
            f"{scenario.name}-seed{seed}-{dt.datetime.now():%Y%m%d-%H%M%S}"
        )
        n_days = scenario.days if days is None else min(days, scenario.days)
        if quiet or not sys.stderr.isatty():
            result = run_scenario(
                scenario, seed=seed, days=days, out=target, load_seconds=load_seconds
            )
        else:
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("days"),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as progress:
                task = progress.add_task(scenario.name, total=n_days)
                result = run_scenario(
                    scenario,
                    seed=seed,
                    days=days,
                    out=target,
                    on_day=lambda t: progress.update(task, completed=t + 1),
                    load_seconds=load_seconds,
                )
    except CorridorError as exc:
        _fail(exc)
        return
    m = result.manifest
    out.print(
        f"[green]done[/] {scenario.name}: {m['days']} days, {m['agents']:,} agents, "
        f"{m['wall_seconds']:.2f} s -> {target}"
    )
    if (target / "out.csv").exists():
        v = result.validation()
        out.print(
            f"  Flee validation error: rescaled {v.error_rescaled:.4f}, normal {v.error_normal:.4f}"
        )


@app.command()
def validate(
    run_dir: Annotated[Path, typer.Argument(help="A run folder written by `corridor run`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Compare a run with the observed data: Flee's validation error for Flee scenarios,
    observed vs simulated per series and month with MAPE for corridor scenarios."""
    try:
        _not_a_file(run_dir, "a run folder (written by `corridor run`)")
        manifest = _read_manifest(run_dir)
        if manifest.get("ruleset") == "corridor":
            _validate_corridor(run_dir, manifest, as_json)
        else:
            _validate_flee(run_dir, manifest, as_json)
    except CorridorError as exc:
        _fail(exc)


def _validate_flee(run_dir: Path, manifest: dict[str, Any], as_json: bool) -> None:
    from corridor.validate.flee_metric import flee_validation

    v = flee_validation(run_dir / "out.csv")
    data = v.as_dict(manifest.get("scenario", run_dir.name))
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    table = Table(title=f"{data['scenario']}: {v.days} days, {v.agents:,} agents")
    table.add_column("camp")
    table.add_column("error (rescaled)", justify="right")
    table.add_column("error (normal)", justify="right")
    for camp in v.camps:
        table.add_row(camp, f"{v.per_camp_rescaled[camp]:.4f}", f"{v.per_camp_normal[camp]:.4f}")
    table.add_row("[bold]total", f"[bold]{v.error_rescaled:.4f}", f"[bold]{v.error_normal:.4f}")
    out.print(table)


def _validate_corridor(run_dir: Path, manifest: dict[str, Any], as_json: bool) -> None:
    from corridor.output.runfolder import read_table, run_period
    from corridor.validate.corridor_series import excluded_note, observed_points, validate_series

    keys = ("series", "period", "value")
    series = read_table(run_dir / "series.parquet", keys, ["value"])
    observed = observed_points(read_table(run_dir / "observed.parquet", keys, ["value"]))
    train = manifest.get("train_until")
    first, last, train_date = run_period(manifest)
    result = validate_series(series, observed, train_date, first, last)
    data = {
        "scenario": manifest.get("scenario", run_dir.name),
        "train_until": train,
        "series": {k: v.as_dict() for k, v in result.items()},
    }
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    rows = []
    for k, v in result.items():
        rows.append(
            (
                k,
                str(len(v.periods)),
                f"{sum(v.observed):,.0f}",
                f"{sum(v.simulated):,.0f}",
                "-" if v.mape_train is None else f"{v.mape_train:.1f}",
                "-" if v.mape_test is None else f"{v.mape_test:.1f}",
            )
        )
        if v.years is not None:  # yearly totals beside the months: shown, not in the MAPE
            for year, o, s in v.years.rows():
                rows.append((f"{k} ({year} total)", "1", f"{o:,.0f}", f"{s:,.0f}", "-", "-"))
    table = Table(title=f"{data['scenario']}: observed vs simulated (train until {train})")
    # whole names: the rows of deaths_<zone> differ only at their ends
    table.add_column("series", no_wrap=True, min_width=max((len(r[0]) for r in rows), default=6))
    for col in ("periods", "observed total", "simulated total", "MAPE train %", "MAPE test %"):
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*row)
    # piped or redirected, rich would fit the table to 80 columns and cut names and headers:
    # give it the width it needs (a terminal keeps its own width)
    needed = out.measure(table, options=out.options.update_width(1000)).maximum
    (out if out.is_terminal or needed <= out.width else Console(width=needed)).print(table)
    note = excluded_note(result)
    if note:
        out.print(f"note: {note}", highlight=False, markup=False)


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A run folder, or an ensemble folder.")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="HTML file (default FOLDER/report.html).")
    ] = None,
) -> None:
    """Write a self-contained HTML report (figures and map embedded; no network needed)."""
    from corridor.report.html import build_report

    try:
        _not_a_file(folder, "a run or ensemble folder")
        path = build_report(folder, out_file)
    except CorridorError as exc:
        _fail(exc)
        return
    out.print(f"[green]wrote[/] {path}")


def _not_a_file(path: Path, what: str) -> None:
    """A file given where a folder is expected is named as such, not as a missing folder."""
    if path.is_file():
        raise CorridorError(f"{path}: expected {what}, got a file")


def _read_manifest(run_dir: Path) -> dict[str, Any]:
    from corridor.output.runfolder import read_manifest

    return read_manifest(run_dir)


from corridor.calibrate.cli import register as _register_calibrate  # noqa: E402
from corridor.compare import register as _register_compare  # noqa: E402
from corridor.ensemble.cli import register as _register_ensemble  # noqa: E402

_register_ensemble(app)  # corridor ensemble
_register_compare(app)  # corridor compare
_register_calibrate(app)  # corridor calibrate, corridor sensitivity


def main() -> None:
    """Entry point of the ``corridor`` command."""
    try:
        app()
    except CorridorError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
