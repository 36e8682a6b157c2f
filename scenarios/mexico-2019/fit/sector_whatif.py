"""Diagnostic, not validation: two copies of the flagship for the "where the fall happened" check.

Writes two scenario folders under OUT, each a copy of scenarios/mexico-2019 with files replaced:

- ``inferred``: departures.csv holds the departures that fit/infer_departures.py inferred from
  the observed encounters of every month (fit/inferred_departures.json), destinations as shipped;
- ``inferred_by_nationality``: the same departures, and destinations.csv holds each
  citizenship's own sector shares from fit/sector_nationality.py over October 2018 - December
  2019 (fit/sector_nationality.json; shares under 0.1 % raised to 0.1 % so that every sector
  stays reachable, then renormalised).

Both read the test months, so neither is a scenario to validate: they ask whether departures
that fall as the encounters did, with Guatemalans crossing mostly at El Paso and Yuma, give
USBP's very different falls by sector (docs/flagship.md, "Where the fall happened"). Run each
with ``corridor run`` and compare with fit/sector_shares.py.

    .venv/bin/python scenarios/mexico-2019/fit/sector_whatif.py runs/whatif
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCEN = HERE.parent
sys.path.insert(0, str(HERE))  # infer_departures.py, beside this script

import infer_departures as inf  # noqa: E402

import corridor  # noqa: E402

WINDOW = "Oct 2018 - Dec 2019 (reads the test months)"
FLOOR_PCT = 0.1


def write_inferred_departures(path: Path) -> None:
    fitted = json.loads((HERE / "inferred_departures.json").read_text())["nationalities"]
    table = np.array(
        [[fitted[n]["inferred"]["departures"][m] for m in inf.ALL_MONTHS] for n in inf.fd.NATS],
        dtype=float,
    )
    _, _, _, child = inf.fd.load_inputs()
    inf.write_departures(path, corridor.load(SCEN), table, child)


def nationality_shares() -> dict[str, dict[str, float]]:
    """Each citizenship's sector shares (fractions summing to 1 at 5 decimals)."""
    pct = json.loads((HERE / "sector_nationality.json").read_text())[WINDOW]["shares_pct"]
    result = {}
    for nat, row in pct.items():
        raised = {goal: max(v, FLOOR_PCT) for goal, v in row.items()}
        total = sum(raised.values())
        shares = {goal: round(v / total, 5) for goal, v in raised.items()}
        largest = max(shares, key=shares.__getitem__)
        shares[largest] = round(shares[largest] + 1 - sum(shares.values()), 5)
        result[nat] = shares
    return result


def write_destinations(path: Path) -> None:
    note = f"fit/sector_nationality.json, {WINDOW}; diagnostic only (fit/sector_whatif.py)"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["nationality", "goal", "share", "source"])
        for nat, shares in nationality_shares().items():
            for goal, share in shares.items():
                w.writerow([nat, goal, f"{share:.5f}", note])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder for the two scenario copies")
    args = ap.parse_args(argv)
    inferred, by_nat = args.out / "inferred", args.out / "inferred_by_nationality"
    for folder in (inferred, by_nat):
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(SCEN, folder, ignore=shutil.ignore_patterns("fit", "derive"))
        write_inferred_departures(folder / "departures.csv")
    write_destinations(by_nat / "destinations.csv")
    print(f"wrote {inferred} and {by_nat}")


if __name__ == "__main__":
    main()
