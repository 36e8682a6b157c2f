"""Monthly (and yearly) series of a ``corridor`` run, in people, and validation against observed.

Series (docs/scenario-format.md, observed/): ``encounters_<NAT>`` (US border apprehensions by
nationality; ``OTHER`` is written ``other``), ``mx_detentions`` (interceptions in Mexico),
``mx_returns`` (deportations from Mexico's facilities), ``deaths_<region>`` (dead and missing by the
death region of the place), plus descriptive series: ``arrivals``, ``departures``,
``mpp_returns``, ``detained``, ``occupancy:<facility>`` and ``overcrowding:<facility>``
(monthly mean people held and held/capacity), and ``mode_share:<mode>`` (share of passages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from corridor.compile.corridor import (
    DETAINED,
    EV_APPREHEND,
    EV_ARRIVE,
    EV_DEATH,
    EV_DEPART,
    EV_DEPORT,
    EV_INTERCEPT,
    EV_MISSING,
    EV_MPP,
    KINDS,
    MODES,
    CorridorModel,
)
from corridor.engine.corridor_engine import CorridorRecord
from corridor.scenario.native.schema import PlaceKind
from corridor.validate.periods import period_end, period_start


def series_name(nat: str) -> str:
    return "encounters_other" if nat.upper() == "OTHER" else f"encounters_{nat}"


def _periods(m: CorridorModel, yearly: bool = False) -> np.ndarray:
    start = np.datetime64(m.start_date, "D")
    days = start + np.arange(m.days).astype("timedelta64[D]")
    return days.astype("datetime64[Y]" if yearly else "datetime64[M]").astype(str)


def daily_series(m: CorridorModel, rec: CorridorRecord) -> dict[str, tuple[np.ndarray, str]]:
    """Each series per day, with how to aggregate it over a month: 'sum' or 'mean'."""
    s = 1.0 / m.scale
    ev = rec.events
    mexico = np.array([c == "MX" for c in m.place_country])
    out: dict[str, tuple[np.ndarray, str]] = {}
    for j, nat in enumerate(m.nationalities):
        out[series_name(nat)] = (ev[:, :, EV_APPREHEND, j].sum(axis=1) * s, "sum")
    out["mx_detentions"] = (ev[:, mexico, EV_INTERCEPT, :].sum(axis=(1, 2)) * s, "sum")
    out["mx_returns"] = (ev[:, mexico, EV_DEPORT, :].sum(axis=(1, 2)) * s, "sum")
    dm = ev[:, :, EV_DEATH, :].sum(axis=2) + ev[:, :, EV_MISSING, :].sum(axis=2)
    for region in sorted(set(m.death_region)):
        cols = np.array([r == region for r in m.death_region])
        out[f"deaths_{_slug(region)}"] = (dm[:, cols].sum(axis=1) * s, "sum")
    out["arrivals"] = (ev[:, :, EV_ARRIVE, :].sum(axis=(1, 2)) * s, "sum")
    out["departures"] = (ev[:, :, EV_DEPART, :].sum(axis=(1, 2)) * s, "sum")
    out["mpp_returns"] = (ev[:, :, EV_MPP, :].sum(axis=(1, 2)) * s, "sum")
    held = rec.counts[:, :, DETAINED].sum(axis=(2, 3)) * s
    out["detained"] = (held.sum(axis=1), "mean")
    for i, name in enumerate(m.place_names):
        if KINDS[m.place_kind[i]] == PlaceKind.FACILITY:
            out[f"occupancy:{name}"] = (held[:, i], "mean")
            if m.capacity[i] > 0:
                out[f"overcrowding:{name}"] = (held[:, i] / m.capacity[i], "mean")
    passages = rec.route_stats[:, :, 0].astype(np.float64)
    total = passages.sum(axis=1)
    for k, mode in enumerate(MODES):
        cols = m.edge_mode == k
        if cols.any():
            share = np.divide(
                passages[:, cols].sum(axis=1), total, out=np.zeros(m.days), where=total > 0
            )
            out[f"mode_share:{mode.value}"] = (share, "mean")
    return out


def monthly_series(m: CorridorModel, rec: CorridorRecord) -> pl.DataFrame:
    """Long table ``series, period, value`` with months (YYYY-MM) and, for the series that are
    counts, years (YYYY) as well: some observed series are yearly totals only (deaths by zone, MPP
    returns), others have yearly totals beside their months (Mexico's detentions), and a year is
    compared wherever the run covers it whole."""
    months = _periods(m)
    years = _periods(m, yearly=True)
    frames = []
    for name, (values, how) in daily_series(m, rec).items():
        for labels in (months, years) if how == "sum" else (months,):
            df = pl.DataFrame({"period": labels, "value": values.astype(np.float64)})
            agg = pl.col("value").sum() if how == "sum" else pl.col("value").mean()
            frames.append(
                df.group_by("period", maintain_order=True)
                .agg(agg)
                .with_columns(pl.lit(name).alias("series"))
                .select("series", "period", "value")
            )
    return pl.concat(frames)


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text.strip())
    return "_".join(p for p in out.split("_") if p)


@dataclass(frozen=True)
class ObservedPoint:
    """One observed value (a row of observed/*.csv or of a run's observed.parquet)."""

    series: str
    period: str
    value: float


def observed_points(frame: pl.DataFrame) -> list[ObservedPoint]:
    """The rows of an ``observed.parquet`` table as :class:`ObservedPoint` values."""
    return [
        ObservedPoint(r["series"], r["period"], r["value"]) for r in frame.iter_rows(named=True)
    ]


@dataclass
class SeriesValidation:
    """Observed vs simulated of one series. MAPE is undefined where the observed value is 0:
    such periods are compared (``observed``, ``simulated``) but left out of the MAPE and counted
    in ``excluded_train`` / ``excluded_test``."""

    name: str
    periods: list[str]
    observed: list[float]
    simulated: list[float]
    mape_train: float | None
    mape_test: float | None
    excluded_train: int = 0
    excluded_test: int = 0

    @property
    def excluded(self) -> int:
        """Periods left out of the MAPE because their observed value is 0 (or below)."""
        return self.excluded_train + self.excluded_test

    def as_dict(self) -> dict[str, object]:
        return {
            "months": self.periods,
            "observed": self.observed,
            "simulated": self.simulated,
            "mape_train": self.mape_train,
            "mape_test": self.mape_test,
            "mape_excluded_zero_observed": {
                "train": self.excluded_train,
                "test": self.excluded_test,
            },
        }


def validate_series(
    simulated: pl.DataFrame,
    observed: list,  # type: ignore[type-arg]
    train_until: dt.date | None,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> dict[str, SeriesValidation]:
    """Observed vs simulated per series and period; MAPE (%) over training and test periods.

    A period is in training when it ends on or before ``train_until``; a year that runs past it is
    a test period. Periods the run does not cover fully (from ``first_day`` to ``last_day``) are
    left out."""
    sim = {(r["series"], r["period"]): r["value"] for r in simulated.iter_rows(named=True)}
    by_series: dict[str, list] = {}  # type: ignore[type-arg]
    for row in observed:
        by_series.setdefault(row.series, []).append(row)
    out: dict[str, SeriesValidation] = {}
    for name, rows in sorted(by_series.items()):
        rows = sorted(rows, key=lambda r: r.period)
        periods, obs, sims, train = [], [], [], []
        for r in rows:
            if (name, r.period) not in sim:
                continue
            if first_day is not None and period_start(r.period) < first_day:
                continue  # the run does not cover the whole period (e.g. a year that began earlier)
            if last_day is not None and period_end(r.period) > last_day:
                continue
            periods.append(r.period)
            obs.append(float(r.value))
            sims.append(float(sim[(name, r.period)]))
            train.append(train_until is not None and period_end(r.period) <= train_until)
        test = [not t for t in train]
        out[name] = SeriesValidation(
            name,
            periods,
            obs,
            sims,
            _mape(obs, sims, train),
            _mape(obs, sims, test),
            excluded_train=_undefined(obs, train),
            excluded_test=_undefined(obs, test),
        )
    return out


def excluded_note(result: dict[str, SeriesValidation]) -> str | None:
    """A sentence naming the periods left out of MAPE (observed 0), or None if there are none."""
    parts = [
        f"{name} {v.excluded} ({v.excluded_train} train, {v.excluded_test} test)"
        for name, v in result.items()
        if v.excluded
    ]
    if not parts:
        return None
    n = sum(v.excluded for v in result.values())
    return (
        f"MAPE leaves out {n} period{'s' if n != 1 else ''} whose observed value is 0 "
        f"(a percentage error of 0 is undefined): {'; '.join(parts)}"
    )


def _undefined(obs: list[float], keep: list[bool]) -> int:
    return sum(1 for o, k in zip(obs, keep, strict=True) if k and not o > 0)


def _mape(obs: list[float], sim: list[float], keep: list[bool]) -> float | None:
    pairs = [(o, s) for o, s, k in zip(obs, sim, keep, strict=True) if k and o > 0]
    if not pairs:
        return None
    return float(np.mean([abs(s - o) / o for o, s in pairs]) * 100)
