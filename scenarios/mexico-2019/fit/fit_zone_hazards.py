"""Fit the hazard of each death zone inside Guatemala and Mexico on the training months only.

The hazards by mode (derive/hazards.py, IOM 2014-2017) give every zone the same hazard per km of a
mode, and hazard_scale_transit sets their level so that the total of dead and missing inside
Guatemala and Mexico over October 2018 - May 2019 matches IOM's. The zones' own counts over those
months have another shape: 46 of the 82 dead and missing were in Mexico's south
(derive/deaths_monthly.csv), where the model put few. This step gives each zone a multiplier
(scenario.yml `hazard_zones`) so that its simulated dead and missing over the training months
match IOM's for that zone:

    scale_z <- scale_z * (observed_z / simulated_z) ** damping,

repeated (``--rounds``), because route choice weighs hazard and shifts traffic between zones when
their hazards change; ``--damping`` (0.5: half the step, in logs) keeps a zone with few deaths
from swinging between rounds. Runs are at full scale over the training window (August 2018 -
May 2019), averaged over ``--seeds`` seeds. Nothing after May 2019 is looked at. Writes
fit/zone_hazards.json and, with ``--write``, the `hazard_zones` block of scenario.yml. Run from
the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/fit_zone_hazards.py --write
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

import corridor.api as api
from corridor.compile.corridor import EV_DEATH, EV_MISSING
from corridor.engine.corridor_engine import run_corridor
from corridor.scenario.native.schema import ZoneHazard

if TYPE_CHECKING:
    from corridor.scenario.native.model import CorridorScenario

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # training_window.py, beside this script
from training_window import TRAINING, damped_step, round_arguments, training_model  # noqa: E402

SCEN = HERE.parent
ZONES = ("guatemala", "mexico_south", "mexico_isthmus_gulf", "mexico_centre", "mexico_north")


def observed_deaths() -> dict[str, float]:
    """IOM dead and missing per zone over the training months (derive/deaths_monthly.csv)."""
    out = dict.fromkeys(ZONES, 0.0)
    with (SCEN / "derive" / "deaths_monthly.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if TRAINING[0] <= r["month"] <= TRAINING[1] and r["zone"] in out:
                out[r["zone"]] += float(r["dead_missing"])
    return out


def simulated_deaths(
    scenario: CorridorScenario, scales: dict[str, float], seeds: int
) -> dict[str, float]:
    """Dead and missing per zone over the training months of ``scenario`` (the flagship as
    loaded), with the zones' multipliers."""
    sc = scenario.without_events([])  # a copy, whose spec is replaced below
    sc.spec = sc.spec.model_copy(
        update={
            "hazard_zones": {
                z: ZoneHazard(scale=s, assumption="fit in progress") for z, s in scales.items()
            }
        }
    )
    model, keep = training_model(sc)
    zone = np.array(model.death_region)
    out = dict.fromkeys(ZONES, 0.0)
    for seed in range(seeds):
        rec = run_corridor(model, seed=seed)
        ev = rec.events[keep]
        per_place = (ev[:, :, EV_DEATH] + ev[:, :, EV_MISSING]).sum(axis=(0, 2))
        for z in ZONES:
            out[z] += float(per_place[zone == z].sum()) / model.scale / seeds
    return out


def write_block(scales: dict[str, float], observed: dict[str, float], rounds: int) -> None:
    block = {
        "hazard_zones": {
            z: {
                "scale": round(scales[z], 3),
                "source": (
                    f"fitted on IOM dead and missing in this zone, Oct 2018 - May 2019 "
                    f"({observed[z]:.0f}; derive/deaths_monthly.csv) by fit/fit_zone_hazards.py "
                    f"({rounds} rounds, see fit/zone_hazards.json)"
                ),
            }
            for z in ZONES
        }
    }
    text = (SCEN / "scenario.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^hazard_zones:\n(?:[ \t].*\n)*", "", text)
    dumped = yaml.safe_dump(block, sort_keys=False, allow_unicode=True, width=110)
    (SCEN / "scenario.yml").write_text(text.rstrip("\n") + "\n" + dumped, encoding="utf-8")


def main() -> None:
    args = round_arguments(__doc__.split("\n\n")[0], seeds=6, rounds=6, damping=0.5)
    observed = observed_deaths()
    scenario = api.load(SCEN)
    scales = dict.fromkeys(ZONES, 1.0)  # from the derived hazards, whatever scenario.yml holds
    history = []
    for k in range(args.rounds + 1):  # the last round only measures the final multipliers
        simulated = simulated_deaths(scenario, scales, args.seeds)
        history.append({"round": k, "scales": dict(scales), "simulated": simulated})
        print(json.dumps(history[-1]), flush=True)
        if k == args.rounds:
            break
        scales = damped_step(scales, observed, simulated, args.damping)
    result = {
        "observed_training_deaths": observed,
        "training_months": list(TRAINING),
        "seeds": args.seeds,
        "damping": args.damping,
        "rounds": history,
        "scales": {z: round(s, 3) for z, s in scales.items()},
    }
    (HERE / "zone_hazards.json").write_text(json.dumps(result, indent=1) + "\n")
    if args.write:
        write_block(scales, observed, args.rounds)
        print("wrote the hazard_zones block of scenario.yml and fit/zone_hazards.json")


if __name__ == "__main__":
    main()
