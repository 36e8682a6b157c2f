"""Run one Flee 3.1 scenario folder through Flee's public API and write Flee's out.csv.

Run with the Flee virtual environment (created by ``bench/flee_side_by_side.py``)::

    bench/.venv-flee/bin/python bench/flee_driver.py SCENARIO_DIR --seed 0 [--days 30] \
        --out OUT.csv

SCENARIO_DIR is laid out like ``shared/peer/flee-scenarios/<name>/``: ``input_csv/``,
``source_data/`` and ``simsetting.yml``. Flee 3.1's own runner expects
``input_csv/conflict_period.csv``; these folders carry the same data as ``sim_period.csv``, so
this script reads the period itself (either name is accepted).

The day loop is the standard Flee 3.1 one: new conflict zones, daily spawning, spawn weights
refreshed, closures enacted, ``Ecosystem.evolve()``, then one output row. Python's ``random`` and
NumPy's legacy global generator are both seeded with ``--seed`` (Flee never seeds itself).

Flee's diagnostics (printed on stderr and, in a few places, stdout) are discarded, or written to
``--log`` if given. A JSON sidecar ``OUT.csv.json`` records the wall time of the whole run (from
the start of this script, imports and set-up included), the set-up and loop times, the number of
agents and the number of days.

This file is corridor's own code; nothing in it is copied from Flee.
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def read_period(input_dir: Path) -> tuple[str, int]:
    """Start date and length from sim_period.csv (or conflict_period.csv)."""
    for name in ("sim_period.csv", "conflict_period.csv"):
        path = input_dir / name
        if path.is_file():
            break
    else:
        raise SystemExit(f"flee_driver: no sim_period.csv or conflict_period.csv in {input_dir}")
    start, length = "", 0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 2:
                continue
            key = row[0].strip().lower()
            if key == "startdate":
                start = row[1].strip()
            elif key == "length":
                length = int(row[1].strip())
    if not start or length <= 0:
        raise SystemExit(f"flee_driver: {path} lacks StartDate or Length")
    return start, length


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenario", type=Path, help="scenario folder (input_csv/, source_data/)")
    p.add_argument("--seed", type=int, default=0, help="seed for random and numpy.random")
    p.add_argument("--days", type=int, default=0, help="days to simulate (0: sim_period length)")
    p.add_argument("--out", type=Path, required=True, help="out.csv to write")
    p.add_argument("--simsetting", type=Path, default=None, help="default: SCENARIO/simsetting.yml")
    p.add_argument("--log", type=Path, default=None, help="keep Flee's diagnostics in this file")
    p.add_argument("--no-json", action="store_true", help="do not write OUT.json sidecar")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scenario = args.scenario.resolve()
    input_dir = scenario / "input_csv"
    data_dir = scenario / "source_data"
    simsetting = (args.simsetting or scenario / "simsetting.yml").resolve()
    out_path = args.out.resolve()
    log_path = args.log.resolve() if args.log else None
    for p in (input_dir / "locations.csv", data_dir / "data_layout.csv", simsetting):
        if not p.is_file():
            raise SystemExit(f"flee_driver: missing {p}")
    start_date, length = read_period(input_dir)
    end_time = args.days if args.days > 0 else length

    sink: io.TextIOBase
    sink = log_path.open("w", encoding="utf-8") if log_path else open(os.devnull, "w")  # noqa: SIM115
    # Flee looks for optional demographics under ./input_csv, as when run from the scenario folder.
    old_cwd = os.getcwd()
    os.chdir(scenario)
    try:
        with contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
            result = simulate(
                input_dir, data_dir, simsetting, start_date, end_time, args.seed, out_path
            )
    finally:
        os.chdir(old_cwd)
        sink.close()

    t_end = time.perf_counter()
    info = {
        "scenario": scenario.name,
        "seed": args.seed,
        "days": end_time,
        "agents": result["agents"],
        "seconds": round(t_end - T_START, 3),
        "setup_seconds": round(result["t_setup_done"] - T_START, 3),
        "loop_seconds": round(result["t_loop_done"] - result["t_setup_done"], 3),
        "flee_version": result["flee_version"],
        "python": sys.version.split()[0],
    }
    if not args.no_json:
        Path(str(out_path) + ".json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info), file=sys.stderr)
    return 0


def simulate(
    input_dir: Path,
    data_dir: Path,
    simsetting: Path,
    start_date: str,
    end_time: int,
    seed: int,
    out_path: Path,
) -> dict:
    import numpy as np
    from flee import InputGeography, flee, spawning
    from flee import __version__ as flee_version
    from flee.datamanager import handle_refugee_data
    from flee.SimulationSettings import SimulationSettings

    def rel_err(sim: int, data: int) -> float:
        # Per-camp relative error as Flee writes it: 0 when data is ~0, NumPy rounding to 4 places.
        if data < 0.00001:
            return 0.0
        return float(np.round(abs(float(sim) / float(data) - 1.0), 4))

    def abs_err(sim: int, data: int) -> float:
        return float(np.round(abs(float(sim) - float(data)), 4))

    random.seed(seed)
    np.random.seed(seed)

    SimulationSettings.ReadFromYML(str(simsetting))
    conflicts_csv = input_dir / "conflicts.csv"
    # As Flee's runner does: the conflicts file always drives conflict onsets.
    SimulationSettings.ConflictInputFile = str(conflicts_csv)

    eco = flee.Ecosystem()
    geo = InputGeography.InputGeography()
    geo.ReadConflictInputCSV(str(conflicts_csv))
    geo.ReadLocationsFromCSV(str(input_dir / "locations.csv"))
    geo.ReadLinksFromCSV(str(input_dir / "routes.csv"))
    closures = input_dir / "closures.csv"
    if closures.is_file():
        geo.ReadClosuresFromCSV(str(closures))
    else:
        geo.closures = []
    eco, loc_map = geo.StoreInputGeographyInEcosystem(eco)
    if SimulationSettings.spawn_rules["read_from_agents_csv_file"]:
        geo.ReadAgentsFromCSV(eco, str(input_dir / "agents.csv"))

    table = handle_refugee_data.RefugeeTable(
        csvformat="generic",
        data_directory=str(data_dir),
        start_date=start_date,
        data_layout="data_layout.csv",
        population_scaledown_factor=SimulationSettings.optimisations["PopulationScaleDownFactor"],
    )
    table.ReadL1Corrections(str(input_dir / "registration_corrections.csv"))

    camps = eco.get_camp_names()
    header = ["Day", "Date"]
    for name in camps:
        spawning.add_initial_refugees(eco, table, loc_map[name])
        header += [f"{name} sim", f"{name} data", f"{name} error"]
    header += [
        "Total error",
        "refugees in camps (UNHCR)",
        "total refugees (simulation)",
        "raw UNHCR refugee count",
        "refugees in camps (simulation)",
        "refugee_debt",
    ]
    idp_totals = SimulationSettings.log_levels.get("idp_totals", 0) > 0
    if idp_totals:
        header.append("total IDPs")

    t_setup_done = time.perf_counter()
    day0 = dt.datetime.strptime(start_date, "%Y-%m-%d")
    lines = [",".join(header)]
    for t in range(end_time):
        geo.AddNewConflictZones(eco, t)
        _new, raw, debt = spawning.spawn_daily_displaced(eco, t, table)
        spawning.refresh_spawn_weights(eco)
        eco.enact_border_closures(t)
        eco.evolve()

        sims = [loc_map[name].numAgents for name in camps]
        datas = [table.get_field(name, t) for name in camps]
        date = (day0 + dt.timedelta(days=t)).strftime("%Y-%m-%d")
        row = [str(t), date]
        for s, d in zip(sims, datas, strict=True):
            row += [str(s), str(d), str(rel_err(s, d))]
        if raw > 0:
            total_abs = float(np.sum([abs_err(s, d) for s, d in zip(sims, datas, strict=True)]))
            row += [
                str(total_abs / float(raw)),
                str(int(sum(datas))),
                str(eco.numAgents()),
                str(raw),
                str(sum(sims)),
                str(debt),
            ]
        else:
            row += ["0"] * 6
        if idp_totals:
            row.append(str(eco.numIDPs()))
        lines.append(",".join(row))
    t_loop_done = time.perf_counter()

    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "agents": eco.numAgents(),
        "t_setup_done": t_setup_done,
        "t_loop_done": t_loop_done,
        "flee_version": str(flee_version),
    }


if __name__ == "__main__":
    sys.exit(main())
