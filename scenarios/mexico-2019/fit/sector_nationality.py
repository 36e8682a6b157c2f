"""Diagnostic, not validation: which citizenships crossed in which Border Patrol sector?

USBP counts apprehensions by sector (usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv) and,
separately, by citizenship (cbp_swb_encounters_monthly_by_citizenship_2018-10_2022-09_derived.csv,
scope usbp); no stored file crosses the two. So destinations.csv gives every nationality the same
sector shares (SOURCES.md section 13). This script asks what the two margins say about the
crossing: it finds the shares P[n, s] of each citizenship n over the nine sectors s, constant
over a window of months, that best reproduce every month's sector counts from that month's
counts by citizenship:

    sector[s, t] ~ sum_n citizenship[n, t] * P[n, s],   P[n, :] >= 0, summing to 1,

by least squares weighted by 1 / count (Poisson-like), from several starting points. Two windows:

- the training months, October 2018 - May 2019. Every citizenship grew alike in them, so the
  shares are not identified: fits from different starts reach about the same error with very
  different shares. Reported with that spread, to show it;
- October 2018 - December 2019, test months included. After June 2019 the citizenships fell by
  different amounts and so did the sectors, which identifies the shares; but it reads the test
  months, so nothing here is fed back into the scenario.

For the second window it also reports the change from May to August 2019 that each citizenship
would show if its flow in every sector changed as that sector's total did (the sum over sectors
of P[n, s] times the sector's own change). Close to the observed change by citizenship, this
says the citizenships' different falls are where they crossed; it cannot say which came first
(the sectors falling because Guatemalans stopped coming, or Guatemalans falling because the
routes to El Paso and Yuma closed).

    .venv/bin/python scenarios/mexico-2019/fit/sector_nationality.py [--write]

``--write`` saves the result to fit/sector_nationality.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # sector_shares.py, beside this script
sys.path.insert(0, str(HERE.parent / "derive"))  # profiles.py: CBP's citizenship names

from profiles import NAT as CITIZENSHIPS  # noqa: E402
from sector_shares import PSV as SECTORS_FILE  # noqa: E402
from sector_shares import SOURCES, column_of_sector  # noqa: E402

CITIZENSHIP_FILE = SOURCES / "cbp_swb_encounters_monthly_by_citizenship_2018-10_2022-09_derived.csv"
# column of the USBP file: the scenario's us_arrival place for that sector
SECTORS = {column: goal for goal, column in column_of_sector().items()}
WINDOWS = {
    "training Oct 2018 - May 2019": ("2018-10", "2019-05"),
    "Oct 2018 - Dec 2019 (reads the test months)": ("2018-10", "2019-12"),
}
STARTS = 12  # random starting points per window; the fit is not convex in the softmax shares
NEAR_BEST = 1.05  # fits within 5 % of the best error count as equally good (the spread)


def _read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def margins(first: str, last: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Months first..last, USBP apprehensions by citizenship (months x 5) and by sector
    (months x 9). Stops if the two margins do not add up to the same monthly total."""
    by_month = {r["month"]: r for r in _read(CITIZENSHIP_FILE) if r["scope"] == "usbp"}
    months = sorted(m for m in by_month if first <= m <= last)
    sectors = {f"{r['cy']}-{int(r['month']):02d}": r for r in _read(SECTORS_FILE, "|")}
    cit = np.array([[float(by_month[m][c]) for c in CITIZENSHIPS] for m in months])
    sec = np.array([[float(sectors[m][s]) for s in SECTORS] for m in months])
    gap = np.abs(cit.sum(1) - sec.sum(1)) / sec.sum(1)
    if gap.max() > 0.005:
        raise SystemExit(f"the two files' monthly totals differ by up to {gap.max():.1%}")
    return months, cit, sec


def _shares(z: np.ndarray) -> np.ndarray:
    z = z.reshape(len(CITIZENSHIPS), len(SECTORS))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit(cit: np.ndarray, sec: np.ndarray, starts: int = STARTS) -> list[tuple[float, np.ndarray]]:
    """(error, shares) from each of ``starts`` starting points, best first. The error is the sum
    of squared residuals over count (a chi-square)."""

    def loss(z: np.ndarray) -> float:
        return float((((cit @ _shares(z)) - sec) ** 2 / sec).sum())

    rng = np.random.default_rng(2019)
    fits = []
    for _ in range(starts):
        z0 = rng.normal(0.0, 1.0, len(CITIZENSHIPS) * len(SECTORS))
        r = minimize(loss, z0, method="L-BFGS-B", options={"maxiter": 20000, "maxfun": 400000})
        fits.append((float(r.fun), _shares(r.x)))
    return sorted(fits, key=lambda f: f[0])


def window(first: str, last: str) -> dict[str, object]:
    months, cit, sec = margins(first, last)
    fits = fit(cit, sec)
    best_err, best = fits[0]
    near = np.array([p for err, p in fits if err <= NEAR_BEST * best_err])
    common = np.tile(sec.sum(0) / sec.sum(), (len(CITIZENSHIPS), 1))
    out: dict[str, object] = {
        "months": [months[0], months[-1]],
        "rms_residual_pct": _rms_pct(cit, sec, best),
        "rms_residual_pct_same_shares_for_all": _rms_pct(cit, sec, common),
        "fits_within_5pct_of_best": len(near),
        "shares_pct": _table(best),
        "shares_pct_range_over_near_fits": {
            CITIZENSHIPS[c]: {
                SECTORS[s]: [_pct(near[:, i, j].min()), _pct(near[:, i, j].max())]
                for j, s in enumerate(SECTORS)
            }
            for i, c in enumerate(CITIZENSHIPS)
        },
    }
    if "2019-05" in months and "2019-08" in months:
        may, aug = months.index("2019-05"), months.index("2019-08")
        sector_ratio = sec[aug] / sec[may]
        out["may_to_august_pct"] = {
            CITIZENSHIPS[c]: {
                "observed": round(100 * (cit[aug, i] / cit[may, i] - 1), 1),
                "if_each_sector_fell_alike": round(100 * (best[i] @ sector_ratio - 1), 1),
            }
            for i, c in enumerate(CITIZENSHIPS)
        }
    return out


def _pct(share: float) -> float:
    return round(100 * float(share), 1)


def _rms_pct(cit: np.ndarray, sec: np.ndarray, p: np.ndarray) -> float:
    """Root mean square of the monthly sector counts' residuals, in % of the count."""
    return round(100 * float(np.sqrt((((cit @ p) / sec - 1) ** 2).mean())), 1)


def _table(p: np.ndarray) -> dict[str, dict[str, float]]:
    return {
        CITIZENSHIPS[c]: {SECTORS[s]: round(100 * p[i, j], 1) for j, s in enumerate(SECTORS)}
        for i, c in enumerate(CITIZENSHIPS)
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    result = {name: window(*span) for name, span in WINDOWS.items()}
    short = [s.removeprefix("USBP ") for s in SECTORS.values()]
    for name, w in result.items():
        same = w["rms_residual_pct_same_shares_for_all"]
        near = w["fits_within_5pct_of_best"]
        print(f"{name}: residual {w['rms_residual_pct']} % RMS ({same} % with the same shares "
              f"for all), {near} of {STARTS} starts within 5 % of the best")  # fmt: skip
        print("  shares %: " + " / ".join(short))
        for nat, row in w["shares_pct"].items():  # type: ignore[attr-defined]
            spread = w["shares_pct_range_over_near_fits"][nat]  # type: ignore[index]
            cells = [f"{v:.0f} ({spread[s][0]:.0f}-{spread[s][1]:.0f})" for s, v in row.items()]
            print(f"  {nat:6s} " + ", ".join(cells))
        for nat, f in w.get("may_to_august_pct", {}).items():  # type: ignore[attr-defined]
            alike = f["if_each_sector_fell_alike"]
            print(f"  {nat:6s} May -> Aug: observed {f['observed']:6.1f} %, "
                  f"if each sector's flows fell alike {alike:6.1f} %")  # fmt: skip
    if args.write:
        (HERE / "sector_nationality.json").write_text(json.dumps(result, indent=1) + "\n")
        print("wrote fit/sector_nationality.json")


if __name__ == "__main__":
    main()
