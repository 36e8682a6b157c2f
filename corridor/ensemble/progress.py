"""A rich progress bar for replica runs: done / total, running, failed, elapsed and ETA."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class RichProgress:
    """Context manager; pass it as ``progress=`` to the ensemble functions."""

    def __init__(
        self,
        description: str,
        total: int,
        console: Console | None = None,
        unit: str = "replicas",
    ) -> None:
        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit + ", {task.fields[running]} running, {task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task(description, total=total, running=0, failed=0)

    def update(self, done: int, running: int, failed: int) -> None:
        self._bar.update(self._task, completed=done, running=running, failed=failed)

    def set_total(self, total: int) -> None:
        self._bar.update(self._task, total=total)

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        et: type[BaseException] | None,
        ev: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.stop()
