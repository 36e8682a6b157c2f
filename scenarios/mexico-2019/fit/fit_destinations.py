"""Fit the destination shares (destinations.csv) on the training months only.

People head for a Border Patrol sector drawn at departure (docs/model.md, "Route choice"). The
shares are fitted so that the model's apprehensions by sector over October 2018 - May 2019
match USBP's (derive/sector_apprehensions.csv, all nationalities together: the sector counts
have no citizenship, so every nationality is given the same shares, an assumption). They start
at the observed shares of apprehensions and are corrected in rounds,

    share_s <- share_s * (observed_s / simulated_s) ** damping, then normalised,

because a sector's apprehensions per person sent there differ between sectors (MPP returns,
expulsions and removals send people back to try again, at different rates by city and date).
Runs are at full scale over the training window (August 2018 - May 2019), summed over
``--seeds`` seeds; nothing after May 2019 is looked at. Writes fit/destinations.json and, with
``--write``, destinations.csv. Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/fit_destinations.py --write
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

import corridor.api as api
from corridor.compile.corridor import EV_APPREHEND, CorridorModel
from corridor.engine.corridor_engine import run_corridor
from corridor.scenario.native.schema import DestinationRow

if TYPE_CHECKING:
    from corridor.scenario.native.model import CorridorScenario

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # training_window.py, beside this script
from training_window import TRAINING, damped_step, round_arguments, training_model  # noqa: E402

SCEN = HERE.parent
OBSERVED = SCEN / "derive" / "sector_apprehensions.csv"


def observed_counts() -> dict[str, float]:
    """USBP apprehensions per sector's us_arrival place over the training months."""
    with OBSERVED.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return {r["goal"]: float(r["apprehensions"]) for r in rows}


def sector_of_city(model: CorridorModel) -> dict[int, str]:
    """Border city -> the us_arrival place its border route leads to (its sector)."""
    border = np.flatnonzero(model.edge_border >= 0)
    return {int(model.edge_from[e]): model.place_names[int(model.edge_to[e])] for e in border}


def simulated_counts(
    scenario: CorridorScenario, shares: dict[str, float], seeds: int
) -> dict[str, float]:
    """Apprehensions per sector over the training months of ``scenario`` (the flagship as
    loaded) with every nationality given ``shares``, per run (mean over the seeds)."""
    sc = scenario.without_events([])  # a copy, whose destinations are replaced below
    sc.destinations = rows(shares, list(sc.spec.nationalities), source="fit in progress")
    model, keep = training_model(sc)
    sector = sector_of_city(model)
    out = dict.fromkeys(shares, 0.0)
    for seed in range(seeds):
        rec = run_corridor(model, seed=seed)
        per_place = rec.events[keep][:, :, EV_APPREHEND].sum(axis=(0, 2))
        for city, goal in sector.items():
            out[goal] += float(per_place[city]) / model.scale / seeds
    return out


def rows(shares: dict[str, float], nationalities: list[str], source: str) -> list[DestinationRow]:
    return [
        DestinationRow(nationality=n, goal=g, share=s, source=source)
        for n in nationalities
        for g, s in shares.items()
    ]


def normalised(shares: dict[str, float]) -> dict[str, float]:
    total = sum(shares.values())
    return {g: s / total for g, s in shares.items()}


def write_csv(shares: dict[str, float], nationalities: list[str], rounds: int) -> None:
    """destinations.csv: the same shares for every nationality, rounded to 6 places with the
    largest share taking the rounding so that each nationality's shares add up to 1."""
    rounded = {g: round(s, 6) for g, s in shares.items()}
    top = max(rounded, key=rounded.__getitem__)
    rounded[top] = round(1.0 - sum(v for g, v in rounded.items() if g != top), 6)
    source = (
        "fitted by fit/fit_destinations.py on USBP apprehensions by sector, Oct 2018 - May 2019 "
        f"(derive/sector_apprehensions.csv; {rounds} rounds, fit/destinations.json); the same "
        "shares for every nationality: the sector counts have no citizenship (assumption)"
    )
    with (SCEN / "destinations.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["nationality", "goal", "share", "source"])
        for n in nationalities:
            for g, s in rounded.items():
                w.writerow([n, g, f"{s:.6f}", source])


def main() -> None:
    args = round_arguments(__doc__.split("\n\n")[0], seeds=3, rounds=4, damping=1.0)
    observed = observed_counts()
    obs_share = normalised(observed)
    scenario = api.load(SCEN)
    shares = dict(obs_share)  # the observed shares, whatever destinations.csv holds
    history = []
    for k in range(args.rounds + 1):  # the last round only measures the final shares
        simulated = simulated_counts(scenario, shares, args.seeds)
        sim_share = normalised(simulated)
        worst = max(abs(sim_share[g] - obs_share[g]) for g in shares)
        history.append(
            {"round": k, "shares": shares, "simulated": simulated, "simulated_share": sim_share,
             "largest_share_gap": worst}
        )  # fmt: skip
        print(json.dumps({"round": k, "largest_share_gap": round(worst, 4),
                          "simulated_share": {g: round(v, 4) for g, v in sim_share.items()}}),
              flush=True)  # fmt: skip
        if k == args.rounds:
            break
        shares = normalised(damped_step(shares, obs_share, sim_share, args.damping))
    result = {
        "observed_training_apprehensions": observed,
        "observed_share": obs_share,
        "training_months": list(TRAINING),
        "seeds": args.seeds,
        "damping": args.damping,
        "rounds": history,
        "shares": {g: round(s, 6) for g, s in shares.items()},
    }
    (HERE / "destinations.json").write_text(json.dumps(result, indent=1) + "\n")
    if args.write:
        write_csv(shares, list(scenario.spec.nationalities), args.rounds)
        print("wrote destinations.csv and fit/destinations.json")


if __name__ == "__main__":
    main()
