"""Apprehensions by Border Patrol sector in a run of the flagship, against USBP's counts.

The validated series are national totals by citizenship, so a run can match them while putting
the crossings in the wrong places; this check compares where. For each sector (a us_arrival
place; a border city's border route in routes.csv says which sector it belongs to), the run's
apprehensions at the sector's border cities over a window are set beside USBP's
(usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv), as shares of the nine sectors. Two
windows: the training months (October 2018 - May 2019, which fit/fit_destinations.py fits) and
fiscal year 2019 (October 2018 - September 2019, whose last four months were not fitted).

A third table reads the test months: each sector's change from May 2019 to June and to August,
observed and simulated. Shares can match while the changes do not: USBP's sectors fell by very
different amounts after the June 2019 deal (El Paso and Yuma far more than the others), and the
national falls by citizenship differ too; this shows whether the run's sectors fall alike.

    .venv/bin/python scenarios/mexico-2019/fit/sector_shares.py RUN_DIR [--write]

``--write`` saves the table to fit/sector_shares.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
SCEN = HERE.parent
REPO = SCEN.parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED", REPO.parent / "shared"))
SOURCES = SHARED / "data" / "corridor" / "sources"
PSV = SOURCES / "usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv"
WINDOWS = {  # name: (first month, last month), inclusive
    "training Oct 2018 - May 2019": ("2018-10", "2019-05"),
    "FY2019 Oct 2018 - Sep 2019": ("2018-10", "2019-09"),
}


def sector_of_city() -> dict[str, str]:
    """Border city -> its sector's us_arrival place, from the border routes of routes.csv."""
    with (SCEN / "routes.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return {r["from"]: r["to"] for r in rows if r["mode"] == "border"}


def column_of_sector() -> dict[str, str]:
    """us_arrival place -> its column of the USBP file (derive/sector_apprehensions.csv)."""
    path = SCEN / "derive" / "sector_apprehensions.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return {r["goal"]: r["sector"] for r in rows}


def observed(first: str, last: str) -> dict[str, float]:
    """USBP apprehensions per sector over the months first..last (YYYY-MM, inclusive)."""
    u = pl.read_csv(PSV, separator="|")
    u = u.with_columns(pl.format("{}-{}", "cy", pl.col("month").cast(pl.String).str.zfill(2))
                       .alias("ym"))  # fmt: skip
    rows = u.filter(pl.col("ym").is_between(pl.lit(first), pl.lit(last)))
    return {goal: float(rows[col].sum()) for goal, col in column_of_sector().items()}


def simulated(run_dir: Path, first: str, last: str) -> dict[str, float]:
    """The run's apprehensions per sector over the months first..last."""
    sector = sector_of_city()
    ev = pl.read_parquet(run_dir / "events.parquet").filter(pl.col("kind") == "apprehensions")
    ev = ev.with_columns(pl.col("date").dt.strftime("%Y-%m").alias("ym"),
                         pl.col("place").cast(pl.String))  # fmt: skip
    ev = ev.filter(pl.col("ym").is_between(pl.lit(first), pl.lit(last)))
    out = dict.fromkeys(column_of_sector(), 0.0)
    for place, n in ev.group_by("place").agg(pl.col("count").sum()).iter_rows():
        out[sector[place]] += float(n)
    return out


CHANGES = {"May -> June 2019": ("2019-05", "2019-06"), "May -> August 2019": ("2019-05", "2019-08")}


def changes(run_dir: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Per sector, the % change between the two months of each entry of CHANGES, observed and
    simulated, with the same change over all nine sectors under "all sectors"."""
    months = sorted({month for pair in CHANGES.values() for month in pair})
    obs = {m: _with_total(observed(m, m)) for m in months}
    sim = {m: _with_total(simulated(run_dir, m, m)) for m in months}
    return {
        name: {
            "observed_pct": {k: _pct_change(obs[before][k], obs[after][k]) for k in obs[before]},
            "simulated_pct": {k: _pct_change(sim[before][k], sim[after][k]) for k in sim[before]},
        }
        for name, (before, after) in CHANGES.items()
    }


def _with_total(counts: dict[str, float]) -> dict[str, float]:
    return {**counts, "all sectors": sum(counts.values())}


def _pct_change(before: float, after: float) -> float:
    return round(100 * (after / before - 1), 1)


def shares(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: round(100 * v / total, 1) for k, v in counts.items()}


def table(run_dir: Path) -> dict[str, dict[str, dict[str, float]]]:
    result = {}
    for name, (first, last) in WINDOWS.items():
        obs, sim = observed(first, last), simulated(run_dir, first, last)
        result[name] = {
            "observed_pct": shares(obs),
            "simulated_pct": shares(sim),
            "observed": obs,
            "simulated": sim,
        }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    result = table(args.run_dir)
    for name, t in result.items():
        print(f"{name}: sector, simulated %, observed %")
        for goal in t["observed_pct"]:
            print(f"  {goal:24s} {t['simulated_pct'][goal]:5.1f} {t['observed_pct'][goal]:5.1f}")
    test = changes(args.run_dir)
    for name, t in test.items():
        print(f"change {name} (test months): sector, simulated %, observed %")
        for goal in t["observed_pct"]:
            print(f"  {goal:24s} {t['simulated_pct'][goal]:6.1f} {t['observed_pct'][goal]:6.1f}")
    if args.write:
        out = {"run": str(args.run_dir), "windows": result, "test_changes": test}
        (HERE / "sector_shares.json").write_text(json.dumps(out, indent=1) + "\n")
        print("wrote fit/sector_shares.json")


if __name__ == "__main__":
    main()
