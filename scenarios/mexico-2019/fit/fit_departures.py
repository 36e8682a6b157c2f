"""Fit the flagship's departures and enforcement scale on the training months only.

Procedure (docs/flagship.md explains it in prose):

1. The model is (nearly) linear in departures: people setting off in month m produce encounters
   and Mexican detentions in later months in fixed proportions, given the parameters. For each
   candidate ``enforcement_scale`` we measure those proportions by simulation: one run per
   departure month m (Aug 2018 - May 2019) with a unit number of departures of every nationality
   in that month only, plus one run with no departures (the caravans alone). Runs stop at the end
   of the training window (2019-05-31) and average ``--seeds`` seeds.
2. Per nationality, departures D_m >= 0 are solved by least squares on *relative* errors of
   monthly encounters over the training months Oct 2018 - May 2019, with a small smoothness
   penalty on month-to-month changes (which pins the two warm-up months).
3. The ``enforcement_scale`` chosen is the one whose fitted departures also best reproduce
   Mexico's monthly detentions over the training months (Dec 2018 - May 2019).
4. Departures from June 2019 on continue the fitted level and seasonality: per nationality, the
   geometric mean of the deseasonalised fitted departures over Oct 2018 - May 2019, times the
   seasonal profile of southwest-border apprehensions FY2001-FY2018 (derive/seasonality.csv)
   moved earlier by the journey's length: a departure month's factor is the border's factors of
   the months its encounters fall in, weighted as the unit-departure runs of step 1 (at the
   chosen scale) spread them (``lag_shares``; about a month).
   Nothing after May 2019 is looked at. The rule (``EXTRAPOLATION``) is the one that forecast
   June - December best from October - May in every year 2001-2018 (fit/trend_backtest.py); the
   earlier rule, a log-linear trend continued, did far worse there (mean MAPE 61.5 % against
   25.7 %).

``--extrapolate-only`` redoes step 4 alone from the fitted departures in fit/fit_result.json
(steps 1-3 and the hazard levels do not depend on it) and rewrites departures.csv and
fit/fit_result.json.

Writes departures.csv (origins: a nationality's origin places share its departures equally;
children: derive/child_share.csv) and fit/fit_result.json, and sets enforcement_scale in
scenario.yml. Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/fit_departures.py --write
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import lsq_linear

HERE = Path(__file__).resolve().parent
SCEN = HERE.parent
sys.path.insert(0, str(SCEN.parent.parent))

import corridor  # noqa: E402
from corridor.api import apply_overrides  # noqa: E402
from corridor.compile.corridor import (  # noqa: E402
    EV_APPREHEND,
    EV_DEATH,
    EV_INTERCEPT,
    EV_MISSING,
    compile_corridor,
)
from corridor.engine.corridor_engine import run_corridor  # noqa: E402
from corridor.scenario.native.schema import DepartureRow  # noqa: E402

if TYPE_CHECKING:
    from corridor.compile.corridor import CorridorModel
    from corridor.engine.corridor_engine import CorridorRecord
    from corridor.scenario.native.model import CorridorScenario

NATS = ["GT", "HN", "SV", "MX", "OTHER"]
FIT_MONTHS = [
    f"{y}-{m:02d}"
    for y, m in [(2018, 8), (2018, 9), (2018, 10), (2018, 11), (2018, 12)]
    + [(2019, k) for k in range(1, 6)]
]
OBS_MONTHS = FIT_MONTHS[2:]  # Oct 2018 - May 2019
DET_MONTHS = ["2018-12", "2019-01", "2019-02", "2019-03", "2019-04", "2019-05"]
FUTURE = [f"2019-{k:02d}" for k in range(6, 13)]
TRAIN_END = dt.date(2019, 5, 31)
UNIT = 20000.0  # people per nationality in a unit run


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_inputs() -> tuple[
    dict[str, dict[str, float]], dict[str, float], dict[int, float], dict[str, float]
]:
    enc: dict[str, dict[str, float]] = {n: {} for n in NATS}
    for r in rows_of(SCEN / "observed" / "encounters.csv"):
        nat = r["series"].split("_", 1)[1].upper()
        enc[nat][r["period"]] = float(r["value"])
    det = {
        r["period"]: float(r["value"])
        for r in rows_of(SCEN / "observed" / "mexico_detentions_returns.csv")
        if r["series"] == "mx_detentions"
    }
    season = {
        int(r["month"]): float(r["factor"]) for r in rows_of(SCEN / "derive" / "seasonality.csv")
    }
    child = {  # the definition the caravans use too (SOURCES.md, derive/child_share.csv)
        r["nationality"]: float(r["child_share_fmua_half"])
        for r in rows_of(SCEN / "derive" / "child_share.csv")
    }
    return enc, det, season, child


def base_scenario() -> CorridorScenario:
    """The scenario with an empty departures table (departures are set in memory)."""
    tmp = Path(tempfile.mkdtemp(prefix="fit-mexico-"))
    folder = tmp / "mexico-2019"
    shutil.copytree(SCEN, folder, ignore=shutil.ignore_patterns("fit", "derive", "departures.csv"))
    (folder / "departures.csv").write_text(
        "month,origin,nationality,age_group,people,source\n"
        "2018-08,Guatemala City,GT,adult,0,placeholder\n"
    )
    sc = corridor.load(folder)
    shutil.rmtree(tmp)
    return sc


def origins_of(sc: CorridorScenario) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {n: [] for n in NATS}
    for p in sc.places:
        if p.kind.value != "origin":
            continue
        if "OTHER" in p.name:
            out["OTHER"].append(p.name)
        elif p.country in out:
            out[p.country].append(p.name)
    return out


def departure_rows(
    sc: CorridorScenario, people: dict[tuple[str, str], float], child: dict[str, float], note: str
) -> list[DepartureRow]:
    rows = []
    origins = origins_of(sc)
    for (nat, month), total in sorted(people.items()):
        if total <= 0:
            continue
        share_child = child.get(nat, child.get("GT", 0.1))
        for o in origins[nat]:
            each = total / len(origins[nat])
            for age, frac in (("child", share_child), ("adult", 1 - share_child)):
                rows.append(
                    DepartureRow(
                        month=month,
                        origin=o,
                        nationality=nat,
                        age_group=age,
                        people=round(each * frac, 3),
                        source=note,
                    )
                )
    return rows


def monthly(
    model: CorridorModel, rec: CorridorRecord, kind: int, mexico_only: bool = False
) -> dict[str, np.ndarray]:
    months = (
        (np.datetime64(model.start_date) + np.arange(model.days))
        .astype("datetime64[M]")
        .astype(str)
    )
    ev = rec.events[:, :, kind, :].astype(np.float64)
    if mexico_only:
        ev = ev[:, np.array([c == "MX" for c in model.place_country]), :]
    per_day = ev.sum(axis=1) / model.scale  # [day, nat]
    return {m: per_day[months == m].sum(axis=0) for m in sorted(set(months))}


def simulate(
    sc: CorridorScenario,
    people: dict[tuple[str, str], float],
    child: dict[str, float],
    seeds: int,
    days: int,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Mean monthly encounters and Mexican detentions, by nationality, over ``seeds`` runs."""
    s = sc.without_events([])
    s.departures = departure_rows(sc, people, child, "fit")
    model = compile_corridor(s, days=days)
    enc, det = [], []
    for seed in range(seeds):
        rec = run_corridor(model, seed=seed)
        enc.append(monthly(model, rec, EV_APPREHEND))
        det.append(monthly(model, rec, EV_INTERCEPT, mexico_only=True))
    months = sorted(enc[0])
    mean = {m: np.mean([e[m] for e in enc], axis=0) for m in months}
    return mean, {m: np.mean([d[m] for d in det], axis=0) for m in months}


def fit_scale(
    sc: CorridorScenario,
    scale: float,
    enc_obs: dict[str, dict[str, float]],
    det_obs: dict[str, float],
    child: dict[str, float],
    seeds: int,
    smooth: float,
) -> dict[str, Any]:
    s = apply_overrides(sc, {"enforcement_scale": scale})
    days = (TRAIN_END - s.spec.start_date).days + 1
    base_enc, base_det = simulate(s, {}, child, seeds, days)
    K = np.zeros((len(NATS), len(OBS_MONTHS), len(FIT_MONTHS)))
    KD = np.zeros((len(NATS), len(DET_MONTHS), len(FIT_MONTHS)))
    for j, m in enumerate(FIT_MONTHS):
        enc, det = simulate(s, {(n, m): UNIT for n in NATS}, child, seeds, days)
        for i, mo in enumerate(OBS_MONTHS):
            K[:, i, j] = (enc[mo] - base_enc[mo]) / UNIT
        for i, mo in enumerate(DET_MONTHS):
            KD[:, i, j] = (det[mo] - base_det[mo]) / UNIT
    base_det_arr = np.array([base_det[mo].sum() for mo in DET_MONTHS])
    D = np.zeros((len(NATS), len(FIT_MONTHS)))
    resid = {}
    diff = np.zeros((len(FIT_MONTHS) - 1, len(FIT_MONTHS)))
    for k in range(len(FIT_MONTHS) - 1):
        diff[k, k], diff[k, k + 1] = -1, 1
    for n_i, n in enumerate(NATS):
        obs = np.array([enc_obs[n][mo] for mo in OBS_MONTHS])
        base = np.array([base_enc[mo][n_i] for mo in OBS_MONTHS])
        A = K[n_i] / obs[:, None]
        b = (obs - base) / obs
        typical = obs.mean() / max(K[n_i].sum(axis=0).max(), 1e-9)
        sol = lsq_linear(
            np.vstack([A, smooth * diff / typical]),
            np.concatenate([b, np.zeros(len(FIT_MONTHS) - 1)]),
            bounds=(0, np.inf),
        )
        D[n_i] = sol.x
        resid[n] = float(np.mean(np.abs(A @ sol.x - b)))
    det_pred = base_det_arr + np.einsum("nij,nj->i", KD, D)
    det_obs_arr = np.array([det_obs[mo] for mo in DET_MONTHS])
    det_err = float(np.mean(np.abs(det_pred - det_obs_arr) / det_obs_arr))
    return {
        "scale": scale,
        "D": D,
        "enc_mape": resid,
        "det_mape": det_err,
        "det_pred": det_pred.tolist(),
        "lag_shares": lag_shares(K),
    }


LAGS = 3  # months after setting off in which a departure month's encounters are counted


def lag_shares(K: np.ndarray) -> dict[str, list[float]]:
    """Per nationality, the share of a month's departures' encounters that fall in the same
    month, the next and the one after, from the unit-departure runs ``K`` (encounters by
    observed month, per unit of departures by month): pooled over the departure months
    Oct 2018 - Mar 2019, whose three months all lie in the training window. Journeys take about
    a month, so departures follow the border's seasonal profile that much earlier."""
    out = {}
    for n_i, n in enumerate(NATS):
        total = np.zeros(LAGS)
        for m in OBS_MONTHS[: len(OBS_MONTHS) - LAGS + 1]:
            j, i = FIT_MONTHS.index(m), OBS_MONTHS.index(m)
            total += np.maximum(K[n_i, i : i + LAGS, j], 0.0)
        out[n] = (total / total.sum()).tolist()
    return out


def departure_season(
    season: dict[int, float], lags: dict[str, list[float]]
) -> dict[str, dict[int, float]]:
    """Seasonal factor of departures by nationality and calendar month: the border's seasonal
    factors of the months in which that month's departures meet the border, weighted by
    ``lags`` (:func:`lag_shares`)."""
    return {
        n: {
            month: sum(w * season[(month - 1 + k) % 12 + 1] for k, w in enumerate(lags[n]))
            for month in range(1, 13)
        }
        for n in NATS
    }


INSIDE = ("guatemala", "mexico_south", "mexico_isthmus_gulf", "mexico_centre", "mexico_north")
BORDER = ("us_mexico_border",)


def fit_hazard_scales(
    sc: CorridorScenario,
    people: dict[tuple[str, str], float],
    child: dict[str, float],
    seeds: int,
) -> dict[str, Any]:
    """Hazard levels that reproduce IOM's dead and missing over the training months, inside Mexico
    and Guatemala and at the US border (the 2014-2017 derivation gives their shape by mode and
    sector; derive/deaths_monthly.csv gives the counts)."""
    obs = {"inside": 0.0, "border": 0.0}
    for r in rows_of(SCEN / "derive" / "deaths_monthly.csv"):
        if OBS_MONTHS[0] <= r["month"] <= OBS_MONTHS[-1]:
            if r["zone"] in INSIDE:
                obs["inside"] += float(r["dead_missing"])
            elif r["zone"] in BORDER:
                obs["border"] += float(r["dead_missing"])
    s = sc.without_events([])
    s.departures = departure_rows(sc, people, child, "fit")
    model = compile_corridor(s, days=(TRAIN_END - s.spec.start_date).days + 1)
    months = (
        (np.datetime64(model.start_date) + np.arange(model.days))
        .astype("datetime64[M]")
        .astype(str)
    )
    keep = (months >= OBS_MONTHS[0]) & (months <= OBS_MONTHS[-1])
    zone = np.array(model.death_region)
    sim = {"inside": 0.0, "border": 0.0}
    for seed in range(seeds):
        rec = run_corridor(model, seed=seed)
        dm = (rec.events[keep][:, :, EV_DEATH] + rec.events[keep][:, :, EV_MISSING]).sum(
            axis=(0, 2)
        )
        sim["inside"] += dm[np.isin(zone, INSIDE)].sum() / model.scale / seeds
        sim["border"] += dm[np.isin(zone, BORDER)].sum() / model.scale / seeds
    return {
        "hazard_scale_transit": obs["inside"] / max(sim["inside"], 1e-9),
        "hazard_scale_border": obs["border"] / max(sim["border"], 1e-9),
        "observed_training_deaths": obs,
        "simulated_training_deaths_at_scale_1": sim,
    }


# How departures continue past the training months: the rule fit/trend_backtest.py chose.
EXTRAPOLATION = "level_8"


def extrapolate(
    D: np.ndarray, season: dict[str, dict[int, float]]
) -> tuple[dict[tuple[str, str], float], dict[str, dict[str, str | float]]]:
    """The fitted months as they are; from June 2019 the level of the deseasonalised fitted months
    Oct 2018 - May 2019 (their geometric mean) times the month's seasonal factor, both with the
    departures' own seasonal factors by nationality (:func:`departure_season`). The log-linear
    slope over the same months is recorded too, as a diagnostic only."""
    idx = {m: k for k, m in enumerate(FIT_MONTHS + FUTURE)}
    out: dict[tuple[str, str], float] = {}
    trends: dict[str, dict[str, str | float]] = {}
    for n_i, n in enumerate(NATS):
        t = np.array([idx[m] for m in OBS_MONTHS], dtype=float)
        y = np.log(
            np.maximum(
                [D[n_i, FIT_MONTHS.index(m)] / season[n][int(m[5:])] for m in OBS_MONTHS], 1.0
            )
        )
        slope, _ = np.polyfit(t, y, 1)
        level = float(y.mean())
        trends[n] = {
            "rule": EXTRAPOLATION,
            "log_level": level,
            "log_slope_per_month_not_used": float(slope),
        }
        for m in FIT_MONTHS:
            out[(n, m)] = float(D[n_i, FIT_MONTHS.index(m)])
        for m in FUTURE:
            out[(n, m)] = float(np.exp(level) * season[n][int(m[5:])])
    return out, trends


def write_departures(
    sc: CorridorScenario, people: dict[tuple[str, str], float], child: dict[str, float]
) -> None:
    """departures.csv from the fitted and the extrapolated departures."""
    note_fit = "fitted on encounters Oct 2018-May 2019 (fit/fit_departures.py, docs/flagship.md)"
    note_ext = (
        "level x seasonality of the fitted months continued (fit/fit_departures.py, rule chosen "
        "by fit/trend_backtest.py)"
    )
    rows = departure_rows(sc, {k: v for k, v in people.items() if k[1] in FIT_MONTHS}, child,
                          note_fit)  # fmt: skip
    rows += departure_rows(sc, {k: v for k, v in people.items() if k[1] in FUTURE}, child,
                           note_ext)  # fmt: skip
    with open(SCEN / "departures.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["month", "origin", "nationality", "age_group", "people", "source"])
        for r in rows:
            w.writerow([r.month, r.origin, r.nationality, r.age_group, f"{r.people:.3f}", r.source])


def extrapolate_only() -> None:
    """Step 4 again from fit/fit_result.json's fitted departures: departures.csv and the
    extrapolation in fit_result.json rewritten, nothing refitted."""
    _enc, _det, season, child = load_inputs()
    summary = json.loads((HERE / "fit_result.json").read_text())
    if "journey_lag_shares" not in summary:
        raise SystemExit("fit/fit_result.json has no journey_lag_shares: run the full fit")
    D = np.array([[summary["fitted_departures"][n][m] for m in FIT_MONTHS] for n in NATS])
    people, trends = extrapolate(D, departure_season(season, summary["journey_lag_shares"]))
    summary["extrapolated_departures"] = {n: {m: people[(n, m)] for m in FUTURE} for n in NATS}
    summary["trend"] = trends
    (HERE / "fit_result.json").write_text(json.dumps(summary, indent=1) + "\n")
    write_departures(base_scenario(), people, child)
    print(json.dumps(trends, indent=1))
    print("wrote departures.csv and fit/fit_result.json (extrapolation only)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=0.2, help="agents per person in the fit runs")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--grid", default="0.05,0.1,0.15,0.2,0.3")
    ap.add_argument("--smooth", type=float, default=0.3)
    ap.add_argument("--write", action="store_true")
    ap.add_argument(
        "--extrapolate-only",
        action="store_true",
        help="redo only the extrapolation past May 2019 from fit/fit_result.json, and write it",
    )
    args = ap.parse_args()
    if args.extrapolate_only:
        extrapolate_only()
        return
    enc_obs, det_obs, season, child = load_inputs()
    sc = base_scenario()
    # Zone multipliers come after this fit (fit_zone_hazards.py), fitted on its hazard levels.
    sc.spec = sc.spec.model_copy(update={"scale": args.scale, "hazard_zones": {}})
    # Fitted values from an earlier fit must not feed this one: hazards start at their derived
    # level (the departures and enforcement scale are fitted first, then the hazard levels).
    sc = apply_overrides(sc, {"hazard_scale_transit": 1.0, "hazard_scale_border": 1.0})
    results = []
    for g in [float(x) for x in args.grid.split(",")]:
        r = fit_scale(sc, g, enc_obs, det_obs, child, args.seeds, args.smooth)
        results.append(r)
        print(
            f"enforcement_scale {g}: encounters rel. error {r['enc_mape']}, "
            f"detentions MAPE {r['det_mape']:.3f}",
            flush=True,
        )
    best = min(results, key=lambda r: r["det_mape"] + float(np.mean(list(r["enc_mape"].values()))))
    people, trends = extrapolate(best["D"], departure_season(season, best["lag_shares"]))
    fitted_sc = apply_overrides(sc, {"enforcement_scale": best["scale"]})
    hazards = fit_hazard_scales(
        fitted_sc, {k: v for k, v in people.items() if k[1] in FIT_MONTHS}, child, args.seeds
    )
    print(
        "hazard scales:", {k: v for k, v in hazards.items() if k.startswith("hazard")}, flush=True
    )
    summary = {
        "enforcement_scale": best["scale"],
        "hazards": hazards,
        "grid": [
            {"scale": r["scale"], "det_mape": r["det_mape"], "enc_rel_error": r["enc_mape"]}
            for r in results
        ],
        "fitted_departures": {n: {m: people[(n, m)] for m in FIT_MONTHS} for n in NATS},
        "extrapolated_departures": {n: {m: people[(n, m)] for m in FUTURE} for n in NATS},
        "trend": trends,
        "journey_lag_shares": best["lag_shares"],
        "fit_scale_agents_per_person": args.scale,
        "seeds": args.seeds,
        "smooth": args.smooth,
        "training_months": {"encounters": OBS_MONTHS, "detentions": DET_MONTHS},
    }
    print(json.dumps({k: summary[k] for k in ("enforcement_scale", "trend")}, indent=1))
    if args.write:
        (HERE / "fit_result.json").write_text(json.dumps(summary, indent=1) + "\n")
        write_departures(sc, people, child)
        text = (SCEN / "scenario.yml").read_text(encoding="utf-8")
        fitted = {"enforcement_scale": best["scale"]}
        fitted.update({k: round(v, 4) for k, v in hazards.items() if k.startswith("hazard_scale")})
        for key, value in fitted.items():
            text = re.sub(rf"(  {key}:\n    value: )[0-9.eE+-]+", rf"\g<1>{value}", text)
        (SCEN / "scenario.yml").write_text(text, encoding="utf-8")
        print("wrote departures.csv, fit/fit_result.json and the fitted values in scenario.yml")


if __name__ == "__main__":
    main()
