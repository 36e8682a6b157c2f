"""How far the deterrence feedback can go: the flagship's test-period results against the deterrence
elasticity. A sensitivity analysis, not a fit: the elasticity stays a stated assumption (0.5) in
scenario.yml, because the training months cannot identify it (departures are fitted month by month
there, so any departure response is absorbed by the fitted departures).

For each elasticity and seed, the flagship is run at full scale and validated; written per run:
the May -> August 2019 change in simulated and observed encounters of Guatemalans, Hondurans and
Salvadorans, and the test-period MAPE (June - December 2019) of every encounter series. Result in
fit/deterrence_sensitivity.json (docs/flagship.md quotes it). Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/deterrence_sensitivity.py [--elasticities 0.5,1,2,4]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import corridor.api as api

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent


def one_run(elasticity: float, seed: int) -> dict[str, object]:
    scenario = api.apply_overrides(api.load(SCENARIO), {"deterrence_elasticity": elasticity})
    table = api.run(scenario, seed=seed).validation()
    row: dict[str, object] = {"elasticity": elasticity, "seed": seed}
    for nat in ("GT", "HN", "SV"):
        s = table[f"encounters_{nat}"]
        may, aug = s.periods.index("2019-05"), s.periods.index("2019-08")
        row[f"fall_may_aug_{nat}"] = {
            "simulated_pct": round(100 * (s.simulated[aug] / s.simulated[may] - 1), 1),
            "observed_pct": round(100 * (s.observed[aug] / s.observed[may] - 1), 1),
        }
    row["mape_test"] = {
        name: round(s.mape_test, 1)
        for name, s in table.items()
        if name.startswith("encounters_") and s.mape_test is not None
    }
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--elasticities", default="0.5,1,2,4")
    parser.add_argument("--seeds", default="0,1")
    args = parser.parse_args()
    rows = []
    for eps in (float(x) for x in args.elasticities.split(",")):
        for seed in (int(x) for x in args.seeds.split(",")):
            row = one_run(eps, seed)
            print(json.dumps(row), flush=True)
            rows.append(row)
    (HERE / "deterrence_sensitivity.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
