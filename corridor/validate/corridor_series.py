"""Monthly (and yearly) series of a ``corridor`` run, in people, and validation against observed.

Series (docs/scenario-format.md, observed/): ``encounters_<NAT>`` (US border apprehensions and
people taken in at ports of entry, by nationality; ``OTHER`` is written ``other``),
``mx_detentions`` (interceptions in Mexico), ``mx_returns`` (deportations from Mexico's
facilities), ``deaths_<region>`` (dead and missing by the death region of the place), plus
descriptive series: ``arrivals``, ``departures``, ``mpp_returns``, ``detained``,
``admissions:<facility>`` (people taken into the facility), ``occupancy:<facility>`` and
``overcrowding:<facility>`` (monthly mean people held and held/capacity), ``days_held:<facility>``
and ``days_held`` (mean days in detention of the people taken in during the period, at one
facility or at all), ``mode_share:<mode>`` (share of passages), and where ports.csv has rows,
``port_list:<city>`` (monthly mean people on the lists of the city's ports) and
``port_wait_days:<city>`` (mean days on the list of the people its ports took in during the
period).
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
    EV_DAYS_HELD,
    EV_DEATH,
    EV_DEPART,
    EV_DEPORT,
    EV_DETAIN,
    EV_INTERCEPT,
    EV_MISSING,
    EV_MPP,
    EV_PORT_ENTRY,
    EV_PORT_WAIT_DAYS,
    KINDS,
    MODES,
    CorridorModel,
)
from corridor.engine.corridor_engine import CorridorRecord
from corridor.scenario.native.schema import PlaceKind
from corridor.validate.periods import covered_whole, period_end, period_start


def series_name(nat: str) -> str:
    return "encounters_other" if nat.upper() == "OTHER" else f"encounters_{nat}"


def _periods(m: CorridorModel, yearly: bool = False) -> np.ndarray:
    start = np.datetime64(m.start_date, "D")
    days = start + np.arange(m.days).astype("timedelta64[D]")
    return days.astype("datetime64[Y]" if yearly else "datetime64[M]").astype(str)


def daily_series(m: CorridorModel, rec: CorridorRecord) -> dict[str, tuple[np.ndarray, str]]:
    """Each series per day, with how to aggregate it over a month: 'sum', 'mean', 'share'
    (the day's passages by a mode, whose monthly share is the month's passages by the mode over
    the month's passages by every mode: a mean of daily shares would weigh a quiet day as much
    as a busy one), or 'ratio' (two columns, whose sums over the period are divided: the days
    held by the people admitted, over the people admitted)."""
    s = 1.0 / m.scale
    ev = rec.events
    mexico = np.array([c == "MX" for c in m.place_country])
    out: dict[str, tuple[np.ndarray, str]] = {}
    for j, nat in enumerate(m.nationalities):
        # CBP's encounters: apprehensions between ports and people found inadmissible at one
        found = ev[:, :, EV_APPREHEND, j] + ev[:, :, EV_PORT_ENTRY, j]
        out[series_name(nat)] = (found.sum(axis=1) * s, "sum")
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
    stays = np.stack([ev[:, :, EV_DAYS_HELD, :].sum(axis=2), ev[:, :, EV_DETAIN, :].sum(axis=2)], 2)
    facilities = np.array([KINDS[k] == PlaceKind.FACILITY for k in m.place_kind], dtype=bool)
    out["days_held"] = (stays[:, facilities].sum(axis=1), "ratio")
    for i, name in enumerate(m.place_names):
        if facilities[i]:
            out[f"admissions:{name}"] = (ev[:, i, EV_DETAIN, :].sum(axis=1) * s, "sum")
            out[f"days_held:{name}"] = (stays[:, i], "ratio")
            out[f"occupancy:{name}"] = (held[:, i], "mean")
            if m.capacity[i] > 0:
                out[f"overcrowding:{name}"] = (held[:, i] / m.capacity[i], "mean")
    if m.has_ports:
        out |= _port_series(m, rec)
    passages = rec.route_stats[:, :, 0].astype(np.float64)
    for k, mode in enumerate(MODES):
        cols = m.edge_mode == k
        if cols.any():  # the day's passages by the mode: a share once summed over the period
            out[f"mode_share:{mode.value}"] = (passages[:, cols].sum(axis=1), "share")
    return out


def _port_series(m: CorridorModel, rec: CorridorRecord) -> dict[str, tuple[np.ndarray, str]]:
    """Per border city with a port of entry: people on its ports' lists (a daily mean) and the
    days waited by those its ports took in (a ratio, as days held)."""
    ev = rec.events
    out: dict[str, tuple[np.ndarray, str]] = {}
    cities = m.edge_from[m.crossing_edges]
    ported = m.port_crossings
    for c in sorted(set(cities[ported].tolist())):
        name = m.place_names[c]
        waiting = rec.port_waiting[:, (cities == c) & ported].sum(axis=1) / m.scale
        out[f"port_list:{name}"] = (waiting, "mean")
        waits = np.stack([ev[:, c, EV_PORT_WAIT_DAYS].sum(axis=1),
                          ev[:, c, EV_PORT_ENTRY].sum(axis=1)], axis=1)  # fmt: skip
        out[f"port_wait_days:{name}"] = (waits, "ratio")
    return out


def monthly_series(m: CorridorModel, rec: CorridorRecord) -> pl.DataFrame:
    """Long table ``series, period, value`` with months (YYYY-MM) and, for the series that are
    counts, years (YYYY) as well: some observed series are yearly totals only (deaths by zone, MPP
    returns), others have yearly totals beside their months (Mexico's detentions), and a year is
    compared wherever the run covers it whole. Mode shares are null in a month without passages."""
    months = _periods(m)
    years = _periods(m, yearly=True)
    frames = []
    shares = []
    for name, (values, how) in daily_series(m, rec).items():
        if how == "ratio":  # a mean per admission: null in a period without admissions
            for labels in (months, years):
                df = pl.DataFrame({"period": labels, "num": values[:, 0], "den": values[:, 1]})
                frames.append(
                    df.group_by("period", maintain_order=True)
                    .agg(pl.col("num").sum(), pl.col("den").sum())
                    .select(
                        pl.lit(name).alias("series"),
                        "period",
                        pl.when(pl.col("den") > 0)
                        .then(pl.col("num") / pl.col("den"))
                        .otherwise(None)
                        .cast(pl.Float64)
                        .alias("value"),
                    )
                )
            continue
        for labels in (months, years) if how == "sum" else (months,):
            df = pl.DataFrame({"period": labels, "value": values.astype(np.float64)})
            agg = pl.col("value").mean() if how == "mean" else pl.col("value").sum()
            frame = (
                df.group_by("period", maintain_order=True)
                .agg(agg)
                .with_columns(pl.lit(name).alias("series"))
                .select("series", "period", "value")
            )
            (shares if how == "share" else frames).append(frame)
    if shares:
        passages = pl.concat(shares)
        total = pl.col("value").sum().over("period")
        frames.append(
            passages.with_columns(
                pl.when(total > 0).then(pl.col("value") / total).otherwise(None).alias("value")
            )
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


@dataclass(frozen=True)
class YearlyTotals:
    """Yearly totals observed beside a series' months (Mexico's detentions for 2019): compared,
    but kept apart from the months, whose periods they overlap, and out of the MAPE."""

    periods: list[str]
    observed: list[float]
    simulated: list[float]

    def rows(self) -> list[tuple[str, float, float]]:
        """(year, observed, simulated) per yearly total."""
        return list(zip(self.periods, self.observed, self.simulated, strict=True))

    def as_dict(self) -> dict[str, object]:
        return {"periods": self.periods, "observed": self.observed, "simulated": self.simulated}


@dataclass
class SeriesValidation:
    """Observed vs simulated of one series, over periods of one length: its months, or its years
    where it has only yearly totals (deaths by zone); a series with both keeps its yearly totals
    in ``years``. MAPE is undefined where the observed value is 0: such periods are compared
    (``observed``, ``simulated``) but left out of the MAPE and counted in ``excluded_train`` /
    ``excluded_test``."""

    name: str
    periods: list[str]
    observed: list[float]
    simulated: list[float]
    mape_train: float | None
    mape_test: float | None
    excluded_train: int = 0
    excluded_test: int = 0
    years: YearlyTotals | None = None

    @property
    def excluded(self) -> int:
        """Periods left out of the MAPE because their observed value is 0 (or below)."""
        return self.excluded_train + self.excluded_test

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
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
        if self.years is not None:
            out["years"] = self.years.as_dict()
        return out


def validate_series(
    simulated: pl.DataFrame,
    observed: list,  # type: ignore[type-arg]
    train_until: dt.date | None,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> dict[str, SeriesValidation]:
    """Observed vs simulated per series and period; MAPE (%) over training and test periods.

    A series is validated over its months; where it has only yearly totals, over its years
    (labelled ``YYYY``); yearly totals beside months go to ``years``, out of the MAPE and the
    periods, since they overlap the months. A period is in training when it ends on or before
    ``train_until``; one that runs past it is a test period (for a yearly series, the year that
    contains ``train_until`` is its test, although its first months were in training). Periods
    the run does not cover fully (from ``first_day`` to ``last_day``) are left out, and so are
    those it has no value for: a mean over no cases, such as the days held in a month without
    admissions or a mode's share in a month without passages."""
    sim = {(r["series"], r["period"]): r["value"] for r in simulated.iter_rows(named=True)}
    by_series: dict[str, list] = {}  # type: ignore[type-arg]
    for row in observed:
        by_series.setdefault(row.series, []).append(row)
    out: dict[str, SeriesValidation] = {}
    for name, rows in sorted(by_series.items()):
        covered = [
            r
            for r in sorted(rows, key=lambda r: (period_start(r.period), len(r.period)))
            if sim.get((name, r.period)) is not None
            and covered_whole(r.period, first_day, last_day)
        ]
        has_months = any(len(r.period) == 7 for r in rows)
        main = [r for r in covered if (len(r.period) == 7) == has_months]
        beside = [r for r in covered if (len(r.period) == 7) != has_months]
        periods = [r.period for r in main]
        obs = [float(r.value) for r in main]
        sims = [float(sim[(name, p)]) for p in periods]
        train = [train_until is not None and period_end(p) <= train_until for p in periods]
        test = [not t for t in train]
        out[name] = SeriesValidation(
            name,
            periods,
            obs,
            sims,
            mape(obs, sims, train),
            mape(obs, sims, test),
            excluded_train=_undefined(obs, train),
            excluded_test=_undefined(obs, test),
            years=YearlyTotals(
                [r.period for r in beside],
                [float(r.value) for r in beside],
                [float(sim[(name, r.period)]) for r in beside],
            )
            if beside
            else None,
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


def mape(obs: list[float], sim: list[float], keep: list[bool]) -> float | None:
    """MAPE (%) over the periods marked in ``keep`` whose observed value is above 0; None if
    there are none. The one rule every MAPE of a corridor validation is computed by."""
    pairs = [(o, s) for o, s, k in zip(obs, sim, keep, strict=True) if k and o > 0]
    if not pairs:
        return None
    return float(np.mean([abs(s - o) / o for o, s in pairs]) * 100)
