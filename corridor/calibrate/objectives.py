"""Objectives: how wrong a run is over a date window. Calibration minimises one.

An objective is any picklable object with a ``name``, a ``needs_run_dir`` flag (the run must be
written first, e.g. because the metric reads out.csv) and ``__call__(result, window) -> float``.
Two come with corridor:

- :class:`FleeError`: Flee's validation error (rescaled by default), averaged over the days of the
  window, read from ``Result.validation().window(...)``. Flee scenarios carry their observed data.
- :class:`SeriesError`: for any scenario with ``Result.series()``: the mean over (series, month)
  of ``|simulated - observed| / max(|observed|, 1)``, for observed monthly series given in a
  file (columns series, period YYYY-MM, value). A month counts in a window only if all its days
  are inside: a month that straddles ``--train-until`` is in neither window, so no observed day
  after the training cut-off ever reaches the fit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from corridor.errors import CorridorError


@dataclass(frozen=True)
class Window:
    """Dates ``first`` to ``last`` inclusive (``YYYY-MM-DD``); ``None`` is open-ended."""

    first: str | None = None
    last: str | None = None

    def describe(self) -> str:
        return f"{self.first or 'start'} .. {self.last or 'end'}"


def split_windows(train_until: str) -> tuple[Window, Window]:
    """The training window (up to and including ``train_until``) and the held-back one (after)."""
    try:
        cut = dt.date.fromisoformat(train_until)
    except ValueError:
        raise CorridorError(f"--train-until '{train_until}': expected a date YYYY-MM-DD") from None
    return Window(last=cut.isoformat()), Window(first=(cut + dt.timedelta(days=1)).isoformat())


class Objective(Protocol):
    name: str
    needs_run_dir: bool

    def __call__(self, result: Any, window: Window) -> float: ...


@dataclass(frozen=True)
class FleeError:
    """Flee's validation error over the window's days (``kind``: rescaled or normal)."""

    kind: str = "rescaled"
    needs_run_dir: bool = True

    @property
    def name(self) -> str:
        return f"flee_error_{self.kind}"

    def __call__(self, result: Any, window: Window) -> float:
        w = result.validation().window(first=window.first, last=window.last)
        return float(w[f"error_{self.kind}"])


@dataclass(frozen=True)
class SeriesError:
    """Mean relative error of the run's monthly series against observed ones (see module doc)."""

    observed: pl.DataFrame
    needs_run_dir: bool = False
    name: str = "series_error"

    def __call__(self, result: Any, window: Window) -> float:
        obs = self.observed.filter(
            pl.col("period").map_elements(lambda p: _month_inside(p, window), pl.Boolean)
        )
        sim = result.series().select("series", "period", pl.col("value").alias("sim"))
        joined = obs.join(sim, on=["series", "period"], how="inner")
        if joined.height == 0:
            return float("nan")
        err = (pl.col("sim") - pl.col("value")).abs() / pl.max_horizontal(pl.col("value").abs(), 1)
        return float(joined.select(err.mean()).item())


def _month_inside(period: str, window: Window) -> bool:
    year, month = int(period[:4]), int(period[5:7])
    first = dt.date(year, month, 1).isoformat()
    last = dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return (window.first is None or first >= window.first) and (
        window.last is None or last <= window.last
    )


def read_observed(path: Path) -> pl.DataFrame:
    """Observed monthly series (CSV or Parquet: series, period YYYY-MM, value)."""
    if not path.exists():
        raise CorridorError(f"{path}: no such observed-series file")
    try:
        df = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path)
    except Exception as exc:
        raise CorridorError(f"{path}: cannot read observed series ({exc})") from None
    missing = {"series", "period", "value"} - set(df.columns)
    if missing:
        raise CorridorError(f"{path}: expected columns series, period, value; missing {missing}")
    df = df.select(pl.col("series").cast(pl.String), pl.col("period").cast(pl.String), "value")
    bad = df.filter(~pl.col("period").str.contains(r"^\d{4}-\d{2}$"))
    if bad.height:
        raise CorridorError(f"{path}: period {bad['period'][0]!r} is not YYYY-MM")
    try:
        return df.with_columns(pl.col("value").cast(pl.Float64))
    except Exception:
        raise CorridorError(f"{path}: column 'value' must be numbers") from None


def choose_objective(scenario: Any, observed: Path | None) -> Objective:
    """``SeriesError`` against ``observed`` if given; else the scenario family's own metric."""
    if observed is not None:
        return SeriesError(read_observed(observed))
    if getattr(scenario, "kind", None) == "flee":
        return FleeError()
    raise CorridorError(
        f"scenario {getattr(scenario, 'name', '?')}: no built-in validation metric; "
        "give --observed FILE (series, period, value)"
    )


@dataclass(frozen=True)
class ObjectiveMeasure:
    """The replica measurement for calibration: the objective over each labelled window."""

    objective: Any
    windows: tuple[tuple[str, Window], ...]

    @property
    def needs_run_dir(self) -> bool:
        return bool(self.objective.needs_run_dir)

    def __call__(self, result: Any) -> dict[str, float]:
        return {label: float(self.objective(result, w)) for label, w in self.windows}
