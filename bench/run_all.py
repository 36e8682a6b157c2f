"""``make bench``: the benchmark suite, then bench/results/SUMMARY.md (linked from the README).

1. Flee 3.1 and corridor side by side on every peer scenario: the same days and agents in the
   same run, wall-time ratios (whole process, and engine loop against engine loop), and
   corridor's full-length validation error over seeds (bench/flee_side_by_side.py).
2. Scaling of the corridor ruleset on the synthetic corridor, 1e4 to 1e7 agents x 100 days, with
   the pure-NumPy reference step measured in the same run (bench/scaling.py).
3. The flagship at full scale for one year (bench/flagship_year.py).
Timings are only compared within one run of this script.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flee-days", type=int, default=60, help="days of the Flee timing runs")
    parser.add_argument("--seeds", default="0,1,2", help="seeds of the full-length error runs")
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--skip-flee", action="store_true", help="corridor side only")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    t0 = time.time()
    sbs = [
        sys.executable,
        str(HERE / "flee_side_by_side.py"),
        "--days",
        str(args.flee_days),
        "--seeds",
        args.seeds,
        "--out",
        str(RESULTS / "flee_side_by_side.json"),
    ]
    if args.skip_flee:
        sbs.append("--skip-flee")
    run(sbs)
    run([sys.executable, str(HERE / "scaling.py"), "--sizes", args.sizes])
    run([sys.executable, str(HERE / "flagship_year.py")])
    write_summary(time.time() - t0)


def _load(name: str) -> dict | None:  # type: ignore[type-arg]
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def write_summary(seconds: float) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"From one run of `make bench` ({seconds / 60:.1f} min) on {platform.machine()} with "
        f"{_cpus()} CPUs, Python {platform.python_version()}. Ratios compare runs of the same "
        "invocation; absolute seconds depend on the machine.",
        "",
    ]
    for name, title in (
        ("flee_side_by_side.json", "this run of `make bench`"),
        (
            "flee_side_by_side_150d.json",
            "150-day timing runs (flee_side_by_side.py --days 150 --seeds 0,1,2,3,4; run "
            "separately after the make bench run, not by it)",
        ),
        (
            "flee_side_by_side_ssudan300.json",
            "the largest peer scenario over 300 days (--scenarios ssudan2013 --days 300; run "
            "separately after the make bench run, not by it)",
        ),
    ):
        lines += _side_by_side(_load(name), title)
    sc = _load("scaling.json")
    if sc:
        lines += [
            "## Scaling of the corridor ruleset (synthetic corridor, 100 days)",
            "",
            "Each size ran in several processes, dealt out in rounds (bench/scaling.py); the "
            "median run's figures, and the fastest run's speed.",
            "",
            "| agents | runs | agent-days/s (median run) | agent-days/s (fastest run) | wall s "
            "| ms/day: spawn, costs, caravans, move, perceive, record "
            "| peak RSS MB | B/agent beyond baseline | x NumPy reference |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in sc["rows"]:
            per_day = ", ".join(f"{v * 1000:.1f}" for v in r["seconds_per_day"].values())
            lines.append(
                f"| {r['agents']:,} | {len(r['wall_seconds_all_runs'])} "
                f"| {r['agent_days_per_second']:.3g} "
                f"| {r['fastest_agent_days_per_second']:.3g} | {r['wall_seconds']:.2f} | "
                f"{per_day} | {r['peak_rss_bytes'] / 1e6:.0f} | "
                f"{r['rss_beyond_baseline_per_agent']:.0f} | "
                f"{_f(r.get('engine_over_numpy'), 1)} |"
            )
        lin = sc.get("cost_per_agent_day_max_over_min_1e5_up") or {}
        if lin.get("fastest_runs"):
            lines += [
                "",
                "Cost per agent-day, largest over smallest from 1e5 agents up: "
                f"{lin['fastest_runs']:.2f} by each size's fastest run, "
                f"{lin['median_runs']:.2f} by its median run.",
            ]
        lines.append("")
    fy = _load("flagship_year.json")
    if fy:
        lines += [
            "## Flagship, one year at full scale",
            "",
            f"{fy['days']} days, {fy['agents']:,} agents: {fy['wall_seconds']:.1f} s wall "
            f"(JIT {fy['jit_seconds']:.1f} s reported apart), "
            f"{fy['bytes_per_agent_beyond_baseline']:.0f} bytes per agent beyond the interpreter's "
            f"baseline (agent state {fy['state_bytes_per_agent']:.0f} B/agent).",
            "",
        ]
    (RESULTS / "SUMMARY.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _side_by_side(sbs: dict | None, title: str) -> list[str]:  # type: ignore[type-arg]
    """A table of one side-by-side result file (each file is one run: ratios within it)."""
    if not sbs:
        return []
    rows = sbs.get("scenarios", []) if isinstance(sbs, dict) else sbs
    lines = [
        f"## Flee 3.1 side by side: {title}",
        "",
        "| scenario | days timed | agents (corridor / Flee) | Flee s | corridor s (process) "
        "| ratio | corridor s (in process) | in-process ratio | day loops ratio "
        "| error corridor (full, mean ± sd) | error Flee 3.1 (full) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    primed = sbs.get("kernel_cache_priming_seconds") if isinstance(sbs, dict) else None
    if primed is not None:
        lines[2:2] = [
            f"Kernels compiled into the on-disk cache first, untimed ({primed:.1f} s); each timed "
            "corridor run then loads them as an installed tool would.",
            "",
        ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r.get('days_timed', '')} | "
            f"{r.get('corridor_agents_timed', '')} / {r.get('flee_agents_timed', '')} | "
            f"{_f(r.get('flee_seconds'))} | {_f(r.get('corridor_seconds'))} | "
            f"{_f(r.get('ratio'), 0)} | {_f(r.get('corridor_run_seconds'))} | "
            f"{_f(_engine_ratio(r), 0)} | {_f(r.get('ratio_loops'), 0)} | "
            f"{_f(r.get('corridor_error_full_mean'), 4)} ± "
            f"{_f(r.get('corridor_error_full_sd'), 4)} | {_f(r.get('flee_error_full'), 4)} |"
        )
    return [*lines, ""]


def _engine_ratio(r: dict) -> float | None:  # type: ignore[type-arg]
    """Flee's in-process time (driver minus set-up) over corridor's in-process run time."""
    drv, setup = r.get("flee_driver_seconds"), r.get("flee_setup_seconds") or 0.0
    eng = r.get("corridor_run_seconds")
    return (drv - setup) / eng if drv and eng else None


def _f(x: object, digits: int = 2) -> str:
    if x is None or x == "":
        return "–"
    try:
        return f"{float(x):,.{digits}f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(x)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--summary-only":
        write_summary(0.0)
    else:
        main()
