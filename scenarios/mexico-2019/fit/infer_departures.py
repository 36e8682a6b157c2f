"""Diagnostic, not validation: the departures that the observed encounters imply, all months.

The validated scenario misses the fall in encounters after the June 2019 deal (its departures
continue the training months' trend, docs/flagship.md). This script asks the converse question
with the model as shipped (every parameter, hazard and event unchanged): which departures per
nationality and month, August 2018 - December 2019, would reproduce the observed encounters of
every month, test months included? It uses the linear method of fit_departures.py (one run per
departure month with a unit of people of every nationality, plus a run with the caravans alone),
with the runs carried to the end of 2019 and the encounters of October 2018 - December 2019 as
the target.

What it tells:

- how far departures must fall after May 2019 for the model's enforcement to give the observed
  encounters: the part of the observed fall that the model puts on fewer people setting off;
- whether Mexico's detentions then follow: the monthly detentions of June and July 2019 and the
  2019 total are *not* targets here, so how close the model comes to them with these departures
  is a check of the enforcement mechanisms apart from the departure trend.

This reads test months, so nothing it finds is fed back into the scenario. Result in
fit/inferred_departures.json and a Markdown table on standard output; with ``--departures F``
it also writes the inferred departures as a departures.csv, for a full-scale check that the
linear method holds (docs/flagship.md gives the commands). Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/infer_departures.py --seeds 2
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import lsq_linear

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fit_departures as fd  # noqa: E402
from ensemble_validation import REPORTED_DETENTIONS_JAN_AUG_2019  # noqa: E402

import corridor  # noqa: E402

if TYPE_CHECKING:
    from corridor.scenario.native.model import CorridorScenario

ALL_MONTHS = fd.FIT_MONTHS + fd.FUTURE  # departure months, Aug 2018 - Dec 2019
ENC_MONTHS = ALL_MONTHS[2:]  # observed encounters, Oct 2018 - Dec 2019
END = dt.date(2019, 12, 31)
DET_TEST = ["2019-06", "2019-07"]  # monthly detentions after the training window
NAMES = {"GT": "Guatemalans", "HN": "Hondurans", "SV": "Salvadorans", "MX": "Mexicans"}


def shipped_departures() -> np.ndarray:
    """Departures of the scenario as shipped, by nationality and month (people)."""
    D = np.zeros((len(fd.NATS), len(ALL_MONTHS)))
    for r in fd.rows_of(fd.SCEN / "departures.csv"):
        D[fd.NATS.index(r["nationality"]), ALL_MONTHS.index(r["month"])] += float(r["people"])
    return D


def responses(
    sc: CorridorScenario, child: dict[str, float], seeds: int, unit: float
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Encounters per month [nat, month, departure month] for a unit of departures in each
    month, and the encounters of the caravans alone [nat, month]."""
    days = (END - sc.spec.start_date).days + 1
    base_enc, _ = fd.simulate(sc, {}, child, seeds, days)
    months = sorted(base_enc)
    K = np.zeros((len(fd.NATS), len(months), len(ALL_MONTHS)))
    for j, m in enumerate(ALL_MONTHS):
        enc, _ = fd.simulate(sc, {(n, m): unit for n in fd.NATS}, child, seeds, days)
        for i, mo in enumerate(months):
            K[:, i, j] = (enc[mo] - base_enc[mo]) / unit
        print(f"unit run {m} done", file=sys.stderr, flush=True)
    return months, K, np.array([base_enc[mo] for mo in months]).T


def full_runs(
    sc: CorridorScenario, D: np.ndarray, child: dict[str, float], seeds: int
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly encounters [nat, month] and Mexican detentions [month] of the scenario at its own
    scale with departures D, mean over ``seeds`` runs."""
    people = {
        (n, m): float(D[i, j]) for i, n in enumerate(fd.NATS) for j, m in enumerate(ALL_MONTHS)
    }
    enc, det = fd.simulate(sc, people, child, seeds, (END - sc.spec.start_date).days + 1)
    months = sorted(enc)
    return (
        np.array([enc[mo] for mo in months]).T,
        np.array([det[mo].sum() for mo in months]),
    )


def _smoothness() -> np.ndarray:
    diff = np.zeros((len(ALL_MONTHS) - 1, len(ALL_MONTHS)))
    for k in range(len(ALL_MONTHS) - 1):
        diff[k, k], diff[k, k + 1] = -1, 1
    return diff


def solve(
    K: np.ndarray,
    sim: np.ndarray,
    D0: np.ndarray,
    months: list[str],
    enc_obs: dict[str, dict[str, float]],
    smooth: float,
) -> np.ndarray:
    """Departures >= 0 per nationality whose encounters best match the observed ones over
    ENC_MONTHS (least squares on relative errors, with fit_departures.py's smoothness penalty on
    month-to-month changes), with the unit runs ``K`` as the response to a change of departures:
    ``sim`` are the encounters that departures ``D0`` gave (the caravans alone for D0 = 0, the
    linear method), so repeating this with the model's own runs corrects what is not linear."""
    rows = [months.index(mo) for mo in ENC_MONTHS]
    diff = _smoothness()
    D = np.zeros_like(D0)
    for n_i, n in enumerate(fd.NATS):
        obs = np.array([enc_obs[n][mo] for mo in ENC_MONTHS])
        A = K[n_i][rows] / obs[:, None]
        b = (obs - sim[n_i][rows]) / obs
        typical = obs.mean() / max(K[n_i][rows].sum(axis=0).max(), 1e-9)
        pen = smooth * diff / typical
        step = lsq_linear(
            np.vstack([A, pen]),
            np.concatenate([b, -pen @ D0[n_i]]),
            bounds=(-D0[n_i], np.inf),
        )
        D[n_i] = D0[n_i] + step.x
    return D


def change(series: dict[str, float], month: str) -> float:
    return round(100.0 * (series[month] / series["2019-05"] - 1.0), 1)


def mape(obs: list[float], sim: list[float]) -> float:
    return round(100.0 * float(np.mean([abs(s - o) / o for o, s in zip(obs, sim, strict=True)])), 1)


def summarise(
    months: list[str],
    runs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    enc_obs: dict[str, dict[str, float]],
    det_obs: dict[str, float],
) -> dict[str, object]:
    """``runs``: label -> (departures [nat, month], encounters [nat, month], detentions [month])."""
    test = [mo for mo in ENC_MONTHS if mo >= "2019-06"]
    out: dict[str, object] = {"nationalities": {}}
    for label, (D, enc, det) in runs.items():
        det_m = dict(zip(months, det.tolist(), strict=True))
        out[f"mx_detentions_{label}"] = {
            **{mo: round(det_m[mo]) for mo in DET_TEST},
            "2019": round(sum(v for mo, v in det_m.items() if mo.startswith("2019"))),
            "jan_aug_2019": round(sum(det_m[f"2019-{k:02d}"] for k in range(1, 9))),
            "mape_jun_jul": mape([det_obs[mo] for mo in DET_TEST], [det_m[mo] for mo in DET_TEST]),
        }
        for n_i, n in enumerate(fd.NATS):
            sim = dict(zip(months, enc[n_i].tolist(), strict=True))
            dep = dict(zip(ALL_MONTHS, D[n_i].tolist(), strict=True))
            row = out["nationalities"].setdefault(n, {})  # type: ignore[union-attr]
            row[label] = {
                "departures": {mo: round(v) for mo, v in dep.items()},
                "departures_may_to_aug": change(dep, "2019-08"),
                "encounters": {mo: round(sim[mo]) for mo in ENC_MONTHS},
                "encounters_may_to_jun": change(sim, "2019-06"),
                "encounters_may_to_aug": change(sim, "2019-08"),
                "encounters_mape_train": mape(
                    [enc_obs[n][mo] for mo in ENC_MONTHS if mo < "2019-06"],
                    [sim[mo] for mo in ENC_MONTHS if mo < "2019-06"],
                ),
                "encounters_mape_test": mape(
                    [enc_obs[n][mo] for mo in test], [sim[mo] for mo in test]
                ),
            }
            obs = {mo: enc_obs[n][mo] for mo in ENC_MONTHS}
            row["observed"] = {
                "encounters_may_to_jun": change(obs, "2019-06"),
                "encounters_may_to_aug": change(obs, "2019-08"),
            }
    out["mx_detentions_observed"] = {
        **{mo: det_obs[mo] for mo in DET_TEST},
        "2019": det_obs["2019"],
        "jan_aug_2019": REPORTED_DETENTIONS_JAN_AUG_2019,
    }
    return out


def table(res: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "| nationality | departures May → Aug, inferred (shipped) | encounters May → Aug, "
        "shipped departures | observed | encounters test MAPE, inferred |",
        "|---|---|---|---|---|",
    ]
    for n, row in res["nationalities"].items():
        inf, ship, obs = row["inferred"], row["shipped"], row["observed"]
        lines.append(
            f"| {NAMES.get(n, 'others')} | {inf['departures_may_to_aug']} % "
            f"({ship['departures_may_to_aug']} %) | {ship['encounters_may_to_aug']} % | "
            f"{obs['encounters_may_to_aug']} % | {inf['encounters_mape_test']} % |"
        )
    det_i, det_s = res["mx_detentions_inferred"], res["mx_detentions_shipped"]
    det_o = res["mx_detentions_observed"]
    lines += [
        "",
        "| Mexico's detentions | with inferred departures | with shipped departures | observed |",
        "|---|---|---|---|",
    ]
    for key, label in (
        ("2019-06", "June 2019"),
        ("2019-07", "July 2019"),
        ("jan_aug_2019", "January - August 2019"),
        ("2019", "2019"),
    ):
        lines.append(f"| {label} | {det_i[key]:,} | {det_s[key]:,} | {det_o[key]:,.0f} |")
    return "\n".join(lines)


def write_departures(
    path: Path, sc: CorridorScenario, D: np.ndarray, child: dict[str, float]
) -> None:
    people = {
        (n, m): float(D[i, j]) for i, n in enumerate(fd.NATS) for j, m in enumerate(ALL_MONTHS)
    }
    rows = fd.departure_rows(sc, people, child, "inferred from encounters Oct 2018-Dec 2019")
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["month", "origin", "nationality", "age_group", "people", "source"])
        for r in rows:
            w.writerow([r.month, r.origin, r.nationality, r.age_group, f"{r.people:.3f}", r.source])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=0.2, help="agents per person in the unit runs")
    ap.add_argument("--seeds", type=int, default=3, help="seeds per unit run and per full run")
    ap.add_argument(
        "--unit",
        type=float,
        default=100_000.0,
        help="people per nationality in a unit run: large against the caravans of the base run, "
        "whose chance variation from run to run is noise in the difference",
    )
    ap.add_argument("--smooth", type=float, default=0.3)
    ap.add_argument(
        "--rounds", type=int, default=3, help="corrections from runs at the scenario's scale"
    )
    ap.add_argument("--departures", type=Path, help="also write the inferred departures here")
    args = ap.parse_args()
    enc_obs, det_obs, _season, child = fd.load_inputs()  # every month, test months included
    sc = corridor.load(fd.SCEN)
    unit_sc = corridor.load(fd.SCEN)
    unit_sc.spec = unit_sc.spec.model_copy(update={"scale": args.scale})
    months, K, base_enc = responses(unit_sc, child, args.seeds, args.unit)
    D = solve(K, base_enc, np.zeros((len(fd.NATS), len(ALL_MONTHS))), months, enc_obs, args.smooth)
    for k in range(args.rounds):
        enc, _ = full_runs(sc, D, child, args.seeds)
        D = solve(K, enc, D, months, enc_obs, args.smooth)
        print(f"correction round {k + 1} done", file=sys.stderr, flush=True)
    D_ship = shipped_departures()
    runs = {
        "inferred": (D, *full_runs(sc, D, child, args.seeds)),
        "shipped": (D_ship, *full_runs(sc, D_ship, child, args.seeds)),
    }
    res = summarise(months, runs, enc_obs, det_obs)
    res["settings"] = {
        "unit_runs_agents_per_person": args.scale,
        "seeds": args.seeds,
        "unit_people": args.unit,
        "smooth": args.smooth,
        "correction_rounds": args.rounds,
        "encounter_months": ENC_MONTHS,
    }
    (HERE / "inferred_departures.json").write_text(json.dumps(res, indent=1) + "\n")
    print(table(res))
    if args.departures:
        write_departures(args.departures, sc, D, child)


if __name__ == "__main__":
    main()
