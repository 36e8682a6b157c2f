"""Scaling of the corridor ruleset on the synthetic corridor: agents x 100 days.

Each size runs in its own process (so peak memory is that size's own), after a warm-up that loads
the compiled kernels. Reported per size: agent-days per second, wall seconds, seconds per phase
(spawn, costs = decide's route costs and cost to go, caravans, move = decide + move + enforce in
the kernel, perceive, record), peak RSS, state bytes per agent and RSS beyond the interpreter's
baseline per agent, and the pure-NumPy reference step on the same model (bench/numpy_reference.py)
for the smaller sizes, as a ratio measured in the same run. Sizes up to 1e6 are run several times
in each of several processes (``repeats_for``, ``processes_for``) and the median run over all of
them is reported: on the benchmark machine one process can run 10-20 % slower than the next, every
run in it alike, so the runs of one process are not independent samples of the engine's speed.

    .venv/bin/python bench/scaling.py [--sizes 1e4,1e5,1e6,1e7] [--days 100] [--numpy-max 1e6]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def repeats_for(size: int) -> int:
    """Runs per size: 5 up to 1e5 agents, 3 up to 1e6, then 1 (a 1e7 run takes ~15 s)."""
    return 5 if size <= 100_000 else 3 if size <= 1_000_000 else 1


def processes_for(size: int) -> int:
    """Processes per size: 3 up to 1e6 agents (each takes seconds), then 1."""
    return 3 if size <= 1_000_000 else 1


def one(size: int, days: int, numpy_too: bool) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    import numba
    from synthetic_corridor import make_scenario

    from corridor.api import warm_up
    from corridor.compile.corridor import compile_corridor
    from corridor.engine.corridor_engine import run_corridor

    t0 = time.perf_counter()
    jit = warm_up("corridor")
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    model = compile_corridor(make_scenario(size, days=days))
    t1 = time.perf_counter()
    # Several runs for the small sizes, whose tenths of a second are at the mercy of the machine's
    # noise; the median run is reported (its phases too). Peak memory is taken after the first.
    rec = run_corridor(model, seed=1)
    runs = [(time.perf_counter() - t1, rec.timings)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    for _ in range(repeats_for(size) - 1):
        t_run = time.perf_counter()
        timings = run_corridor(model, seed=1).timings
        runs.append((time.perf_counter() - t_run, timings))
    agents = int(rec.n_agents[-1])
    agent_days = float(rec.n_agents.sum())
    out: dict[str, object] = {
        "size": size,
        "days": days,
        "agents": agents,
        "agent_days": agent_days,
        **_median_run([[w, t] for w, t in runs], agent_days, days),
        "jit_seconds": round(jit, 3),
        "setup_seconds": round(t1 - t0, 3),
        "peak_rss_bytes": peak,
        "baseline_rss_bytes": base_rss,
        "state_bytes_per_agent": rec.state_bytes / max(agents, 1),
        "rss_beyond_baseline_per_agent": (peak - base_rss) / max(agents, 1),
        "threads": numba.get_num_threads(),
    }
    if numpy_too:
        from numpy_reference import run_numpy

        ref = run_numpy(model, seed=1)
        out["numpy_seconds"] = round(ref["seconds"], 4)
        out["numpy_agent_days_per_second"] = ref["agent_days"] / ref["seconds"]
        out["engine_over_numpy"] = out["agent_days_per_second"] / out["numpy_agent_days_per_second"]  # type: ignore[operator]
    return out


def _median_run(runs: list, agent_days: float, days: int) -> dict:  # type: ignore[type-arg]
    """The fields of a size's row that come from its runs (``[wall seconds, phase timings]``):
    all runs, and the wall time, speed and phases of the median run."""
    wall, timings = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    return {
        "wall_seconds": round(wall, 4),
        "wall_seconds_all_runs": [round(w, 4) for w, _ in runs],
        "runs": runs,
        "agent_days_per_second": agent_days / wall,
        "seconds_per_day": {k: round(v / days, 6) for k, v in timings.items()},
        "seconds_by_phase": {k: round(v, 4) for k, v in timings.items()},
    }


def _with_runs_of(row: dict, more: dict) -> dict:  # type: ignore[type-arg]
    """``row`` (the first process's, or empty) with the runs of another process of the same size
    added: wall time, speed and phases are then those of the median run over all processes."""
    if not row:
        return more
    row.update(_median_run(row["runs"] + more["runs"], row["agent_days"], row["days"]))
    if "numpy_agent_days_per_second" in row:
        row["engine_over_numpy"] = row["agent_days_per_second"] / row["numpy_agent_days_per_second"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument(
        "--numpy-max", type=float, default=1e6, help="largest size also run in NumPy"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scaling.json")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--numpy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(int(args.one), args.days, args.numpy)))
        return
    rows = []
    for s in args.sizes.split(","):
        size = int(float(s))
        cmd = [sys.executable, __file__, "--one", str(size), "--days", str(args.days)]
        if size <= args.numpy_max:
            cmd.append("--numpy")
        row: dict = {}  # type: ignore[type-arg]
        for k in range(processes_for(size)):
            # the NumPy reference and peak memory from the first process only
            done = subprocess.run(
                cmd if k == 0 else [c for c in cmd if c != "--numpy"],
                capture_output=True,
                text=True,
                check=True,
            )
            row = _with_runs_of(row, json.loads(done.stdout.strip().splitlines()[-1]))
        rows.append(row)
        print(
            f"{size:>10,} agents: {row['agent_days_per_second']:.3g} agent-days/s, "
            f"{row['wall_seconds']:.2f} s, "
            f"{row['rss_beyond_baseline_per_agent']:.0f} B/agent beyond baseline"
            + (f", {row['engine_over_numpy']:.1f}x NumPy" if "engine_over_numpy" in row else ""),
            flush=True,
        )
    small = [r for r in rows if r["size"] >= 1e5]
    linearity = None
    if len(small) >= 2:
        per = [r["wall_seconds"] / r["agent_days"] for r in small]
        linearity = max(per) / min(per)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"rows": rows, "cost_per_agent_day_max_over_min_1e5_up": linearity}, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
