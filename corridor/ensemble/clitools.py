"""Pieces the ensemble, sensitivity and calibrate commands share: options, errors, progress."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from corridor.ensemble.executors import ExecutorChoice, parse_executor
from corridor.ensemble.progress import RichProgress
from corridor.errors import CorridorError

out = Console()
err = Console(stderr=True)

ExecutorOpt = Annotated[
    str | None,
    typer.Option(
        "--executor",
        help="Where replicas run: process[:N] (default), serial, dask-local:N, tcp://HOST:PORT.",
    ),
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", help="Process-pool size (default: all CPUs).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Use the Dask cluster at tcp://HOST:PORT."),
]
DaskLocalOpt = Annotated[
    int | None,
    typer.Option("--dask-local", help="Start a Dask LocalCluster of N single-thread workers."),
]
OverlayOpt = Annotated[
    Path | None,
    typer.Option("--overlay", help="Settings overlay (YAML from `corridor calibrate`) to apply."),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def fail(exc: CorridorError) -> None:
    """Print a user-facing error and exit with status 2 (never a traceback)."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def check_at_least(low: int, **options: int | None) -> None:
    """Raise a CorridorError naming the first option given below ``low`` (None: not given).

    Keyword names are the options' names with ``_`` for ``-`` (``seeds_per_trial``)."""
    for name, value in options.items():
        if value is not None and value < low:
            flag = "--" + name.replace("_", "-")
            bound = "0 or more" if low == 0 else f"at least {low}"
            raise CorridorError(f"{flag} must be {bound} (got {value})")


def choose_executor(
    executor: str | None, workers: int | None, scheduler: str | None, dask_local: int | None
) -> ExecutorChoice:
    return parse_executor(executor, workers=workers, scheduler=scheduler, dask_local=dask_local)


def load_scenario(path: Path, overlay: Path | None) -> tuple[Any, dict[str, Any]]:
    """The scenario at ``path`` and the overrides of ``overlay`` (not yet applied, but checked:
    a bad overlay is an error naming its file before any work is done)."""
    from corridor.api import load
    from corridor.calibrate.overlay import apply_overlay, load_overlay

    scenario = load(path)
    overrides = load_overlay(overlay) if overlay is not None else {}
    if overlay is not None:
        apply_overlay(scenario, overlay, overrides)
    return scenario, overrides


def default_out(name: str, what: str, suffix: str = "") -> Path:
    return Path("runs") / f"{name}-{what}-{dt.datetime.now():%Y%m%d-%H%M%S}{suffix}"


@contextlib.contextmanager
def progress_bar(
    description: str, total: int, quiet: bool, unit: str = "replicas"
) -> Iterator[RichProgress | None]:
    """A rich progress bar on stderr when it is a terminal and not ``quiet``; else nothing."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with RichProgress(description, total, console=err, unit=unit) as bar:
        yield bar
