"""Which way of continuing departures past the training months forecasts best, judged on the years
before the flagship: a backtest on USBP southwest-border apprehensions, FY2001-FY2018.

The flagship fits departures month by month on October 2018 - May 2019 and must continue them,
with the seasonal profile, through December 2019 (docs/flagship.md, the protocol). How to continue
them is a modelling choice that the training months cannot settle. This script settles it on
earlier data, never on 2019: for every calendar year Y from 2001 to 2018 it takes the same window
as the flagship's (train October Y-1 to May Y, forecast June to December Y) on the monthly
southwest-border totals, removes the seasonal profile (computed as derive/profiles.py does, but
leaving out the two fiscal years that the window touches), applies each candidate rule, and scores
the forecast by its MAPE over June - December.

The candidates were fixed before any score was seen:

- ``log_linear``: a straight line through the logs of the eight deseasonalised months, continued
  (the flagship's rule before this backtest);
- ``level_8``: no trend, the geometric mean of the eight deseasonalised months;
- ``level_3``: no trend, the geometric mean of the last three (March - May).

The rule with the lowest mean MAPE over the 18 years is the one fit/fit_departures.py uses
(``EXTRAPOLATION`` there; a test checks that the two agree). The series is all apprehensions,
mostly Mexicans until about 2013, not the flagship's nationalities: it tells which rule carries an
eight-month window of border flows seven months ahead best in general, not how any nationality
behaved in 2019. Result in fit/trend_backtest.json. Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/trend_backtest.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "derive"))

from profiles import FY_FIRST, FY_LAST, monthly_profile, usbp_monthly  # noqa: E402

PROFILE_YEARS = range(FY_FIRST, FY_LAST + 1)  # fiscal years of derive/seasonality.csv
YEARS = range(2001, 2019)  # calendar years whose June - December is forecast
RULES = ("log_linear", "level_8", "level_3")
TRAIN = [
    (-1, 10),
    (-1, 11),
    (-1, 12),
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
]  # (year offset, month)
TEST = [(0, m) for m in range(6, 13)]


def monthly_totals(u: pd.DataFrame) -> dict[tuple[int, int], float]:
    """Southwest-border apprehensions by (calendar year, month)."""
    return {
        (int(cy), int(m)): float(v)
        for cy, m, v in zip(u["cy"], u["month"], u["southwest_border"], strict=True)
    }


def fiscal_year(year: int, month: int) -> int:
    return year + 1 if month >= 10 else year


def seasonal_profile(u: pd.DataFrame, years: list[int]) -> np.ndarray:
    """Factor per month 1-12 over fiscal ``years``, by derive/profiles.py's own rule."""
    return monthly_profile(u[u["fy"].isin(years)]).sort_index().to_numpy()


def forecast(rule: str, train: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    """Deseasonalised forecasts at month offsets ``horizon`` (0 = the first training month) from
    the eight deseasonalised training values ``train``."""
    logs = np.log(np.maximum(train, 1.0))
    if rule == "log_linear":
        slope, level = np.polyfit(np.arange(len(logs)), logs, 1)
        return np.exp(level + slope * horizon)
    if rule == "level_8":
        return np.full(len(horizon), np.exp(logs.mean()))
    if rule == "level_3":
        return np.full(len(horizon), np.exp(logs[-3:].mean()))
    raise ValueError(rule)


def backtest(u: pd.DataFrame) -> dict[str, object]:
    """Every rule's forecast error in every year, from the USBP monthly table ``u``."""
    totals = monthly_totals(u)
    per_year: dict[int, dict[str, float]] = {}
    for year in YEARS:
        touched = {fiscal_year(year + dy, m) for dy, m in TRAIN + TEST}
        profile = seasonal_profile(u, [fy for fy in PROFILE_YEARS if fy not in touched])
        train = np.array([totals[(year + dy, m)] / profile[m - 1] for dy, m in TRAIN])
        actual = np.array([totals[(year + dy, m)] for dy, m in TEST])
        horizon = np.arange(len(TRAIN), len(TRAIN) + len(TEST), dtype=float)
        seasonal = np.array([profile[m - 1] for _, m in TEST])
        per_year[year] = {
            rule: float(np.mean(np.abs(forecast(rule, train, horizon) * seasonal / actual - 1)))
            * 100
            for rule in RULES
        }
    mean = {rule: float(np.mean([s[rule] for s in per_year.values()])) for rule in RULES}
    median = {rule: float(np.median([s[rule] for s in per_year.values()])) for rule in RULES}
    wins = {rule: sum(min(s, key=s.get) == rule for s in per_year.values()) for rule in RULES}
    return {
        "source": "usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv",
        "window": "train Oct Y-1 - May Y, forecast Jun - Dec Y, Y = 2001-2018",
        "mape_pct_mean": {k: round(v, 1) for k, v in mean.items()},
        "mape_pct_median": {k: round(v, 1) for k, v in median.items()},
        "years_best": wins,
        "chosen": min(mean, key=mean.get),
        "mape_pct_by_year": {
            y: {k: round(v, 1) for k, v in s.items()} for y, s in per_year.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="write fit/trend_backtest.json")
    args = ap.parse_args()
    result = backtest(usbp_monthly())
    print(json.dumps({k: result[k] for k in ("mape_pct_mean", "mape_pct_median", "years_best",
                                             "chosen")}, indent=1))  # fmt: skip
    if args.write:
        (HERE / "trend_backtest.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
