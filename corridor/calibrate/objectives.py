"""Objectives: how wrong a run is over a date window. Calibration minimises one.

An objective is any picklable object with a ``name``, a ``needs_run_dir`` flag (the run must be
written first, e.g. because the metric reads out.csv) and ``__call__(result, window) -> float``.
Two come with corridor:

- :class:`FleeError`: Flee's validation error (rescaled by default), averaged over the days of the
  window, read from ``Result.validation().window(...)``. Flee scenarios carry their observed data.
- :class:`SeriesError`: for any scenario with ``Result.series()``: the mean over (series,
  period) of ``|simulated - observed| / max(|observed|, 1)``, for observed series given in a file
  (columns series, period, value; a period is a month YYYY-MM or a year YYYY) or, for a corridor
  scenario, its own observed/*.csv. A period counts in a window only if all its days are inside:
  a month (or year) that straddles ``--train-until`` is in neither window, and one the run
  covers in part is in neither either, so no observed day after the training cut-off ever
  reaches the fit. :class:`FleeError`'s training window ends at the last day whose interpolated
  observed counts use no observation after the cut-off (:func:`observed_through`). Corridor runs
  have yearly series beside their monthly ones (counts); a Flee run's are monthly only, so yearly
  observed values find no match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from corridor.errors import CorridorError
from corridor.validate.periods import covered_whole


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
        last = window.last
        if last is not None:  # the training window: only days observed up to its end
            last = observed_through(result.scenario, last) or "0000-01-01"
        w = result.validation().window(first=window.first, last=last)
        return float(w[f"error_{self.kind}"])


def observed_through(scenario: Any, last: str) -> str | None:
    """The last day up to ``last`` whose observed camp counts (linear between observations, as
    Flee interpolates them) come from observations dated on or before ``last`` only: the last
    observation of the camp observed earliest. A day after it would be interpolated towards an
    observation after ``last``, so a training window that ends at ``train_until`` would read
    held-back data. None where a camp has no observation on or before ``last``."""
    cut = (dt.date.fromisoformat(last) - scenario.start_date).days
    ends = []
    for camp in scenario.camp_names():
        days = scenario.observed[camp].days
        known = days[days <= cut]
        if not len(known):
            return None
        ends.append(int(known.max()))
    if not ends:
        return last
    return (scenario.start_date + dt.timedelta(days=min(ends))).isoformat()


@dataclass(frozen=True)
class SeriesError:
    """Mean relative error of the run's monthly series against observed ones (see module doc)."""

    observed: pl.DataFrame
    needs_run_dir: bool = False
    name: str = "series_error"

    def __call__(self, result: Any, window: Window) -> float:
        window = _within_run(window, result)
        obs = self.observed.filter(
            pl.col("period").map_elements(lambda p: _month_inside(p, window), pl.Boolean)
        )
        sim = result.series().select("series", "period", pl.col("value").alias("sim"))
        # a period the run has no value for (a mean over no cases) is not compared
        joined = obs.join(sim, on=["series", "period"], how="inner").drop_nulls("sim")
        if joined.height == 0:
            return float("nan")
        err = (pl.col("sim") - pl.col("value")).abs() / pl.max_horizontal(pl.col("value").abs(), 1)
        return float(joined.select(err.mean()).item())


def _within_run(window: Window, result: Any) -> Window:
    """``window`` cut to the days the run simulated: a month or year it covered in part would
    otherwise set a part's total against the whole period's observed count. A result without a
    ``period`` (any object with ``series()``) is taken to cover the window."""
    period = getattr(result, "period", None)
    if period is None:
        return window
    first, last = (d.isoformat() for d in period)
    return Window(
        first=max(window.first or first, first),
        last=min(window.last or last, last),
    )


def _month_inside(period: str, window: Window) -> bool:
    """Whether every day of ``period`` (a month YYYY-MM or a year YYYY) is inside ``window``."""
    first = None if window.first is None else dt.date.fromisoformat(window.first)
    last = None if window.last is None else dt.date.fromisoformat(window.last)
    return covered_whole(period, first, last)


_PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


def read_observed(path: Path) -> pl.DataFrame:
    """Observed series (CSV or Parquet: series, period YYYY-MM or YYYY, value)."""
    if not path.is_file():
        raise CorridorError(f"{path}: no such observed-series file")
    try:
        df = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path)
    except Exception as exc:
        raise CorridorError(f"{path}: cannot read observed series ({exc})") from None
    missing = {"series", "period", "value"} - set(df.columns)
    if missing:
        raise CorridorError(f"{path}: expected columns series, period, value; missing {missing}")
    df = df.select(pl.col("series").cast(pl.String), pl.col("period").cast(pl.String), "value")
    header = 1 if path.suffix != ".parquet" else 0  # CSV line numbers count the header
    bad = df.with_row_index("row").filter(~pl.col("period").fill_null("").str.contains(_PERIOD))
    if bad.height:
        row = bad.row(0, named=True)
        raise CorridorError(
            f"{path}, row {row['row'] + 1 + header}, column 'period': got {row['period']!r}; "
            "expected a month YYYY-MM or a year YYYY"
        )
    values = df["value"].cast(pl.Float64, strict=False)
    bad_values = df.with_row_index("row").filter(values.is_null() | ~values.is_finite())
    if bad_values.height:
        row = bad_values.row(0, named=True)
        raise CorridorError(
            f"{path}, row {row['row'] + 1 + header}, column 'value': got {row['value']!r}; "
            "expected a number"
        )
    return df.with_columns(values.alias("value"))


def scenario_observed(scenario: Any) -> pl.DataFrame:
    """A corridor scenario's own observed series (observed/*.csv), as ``read_observed`` gives."""
    rows = list(getattr(scenario, "observed", None) or [])
    return pl.DataFrame(
        {
            "series": [r.series for r in rows],
            "period": [r.period for r in rows],
            "value": [float(r.value) for r in rows],
        },
        schema={"series": pl.String, "period": pl.String, "value": pl.Float64},
    )


def choose_objective(scenario: Any, observed: Path | None) -> Objective:
    """``SeriesError`` against ``observed`` if given; else the scenario family's own metric:
    Flee's error for a Flee scenario, ``SeriesError`` against a corridor scenario's own
    observed/*.csv."""
    if observed is not None:
        return SeriesError(read_observed(observed))
    kind = getattr(scenario, "kind", None)
    if kind == "flee":
        return FleeError()
    if kind == "corridor":
        own = scenario_observed(scenario)
        if own.height:
            return SeriesError(own)
    raise CorridorError(
        f"scenario {getattr(scenario, 'name', '?')}: no observed series to fit or score against "
        "(its observed/ folder is empty); give --observed FILE (series, period, value)"
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
