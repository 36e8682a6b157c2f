"""Scaling of the corridor ruleset on the synthetic corridor: agents x 100 days.

Each size runs in its own process (so peak memory is that size's own), after a warm-up that loads
the compiled kernels. Reported per size: agent-days per second, wall seconds, seconds per phase
(spawn, costs = decide's route costs and cost to go, caravans, move = decide + move + enforce in
the kernel, perceive, record), peak RSS, state bytes per agent and RSS beyond the interpreter's
baseline per agent, and the pure-NumPy reference step on the same model (bench/numpy_reference.py)
for the smaller sizes, as a ratio measured in the same run. Every size runs in several processes
(``processes_for``), sizes up to 1e6 several times in each (``repeats_for``), and the processes
are dealt out in rounds, one of each size per round, so that a slow spell of the machine falls
on every size alike: on the benchmark machine one process can run 10-20 % slower than the next,
every run in it alike. Each size reports its median run over all processes and its fastest run;
the cost per agent-day from 1e5 agents up is compared both ways. The fastest run is the best
estimate of what the engine itself costs (the machine's interference only ever adds time, as
Python's ``timeit`` documentation puts it); the median says what a user should expect.

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
    """Processes per size: 3 up to 1e6 agents (each takes seconds), then 2 (~20 s each)."""
    return 3 if size <= 1_000_000 else 2


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
    # noise; the median and the fastest run are reported. Peak memory is taken after the first.
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
    all runs; the wall time, speed and phases of the median run; the fastest run's wall time and
    speed."""
    ordered = sorted(runs, key=lambda r: r[0])
    wall, timings = ordered[len(runs) // 2]
    fastest = ordered[0][0]
    return {
        "wall_seconds": round(wall, 4),
        "wall_seconds_all_runs": [round(w, 4) for w, _ in runs],
        "runs": runs,
        "agent_days_per_second": agent_days / wall,
        "seconds_per_day": {k: round(v / days, 6) for k, v in timings.items()},
        "seconds_by_phase": {k: round(v, 4) for k, v in timings.items()},
        "fastest_wall_seconds": round(fastest, 4),
        "fastest_agent_days_per_second": agent_days / fastest,
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


def linearity(rows: list[dict], wall_key: str) -> float | None:  # type: ignore[type-arg]
    """Largest over smallest cost per agent-day among the sizes from 1e5 agents up, each size's
    cost being ``wall_key`` seconds over its agent-days."""
    per = [r[wall_key] / r["agent_days"] for r in rows if r["size"] >= 1e5]
    return max(per) / min(per) if len(per) >= 2 else None


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
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    found: dict[int, dict] = {size: {} for size in sizes}  # type: ignore[type-arg]
    # rounds of one process per size still due: a slow spell then slows every size alike
    for k in range(max(processes_for(size) for size in sizes)):
        for size in sizes:
            if k >= processes_for(size):
                continue
            cmd = [sys.executable, __file__, "--one", str(size), "--days", str(args.days)]
            if k == 0 and size <= args.numpy_max:  # the NumPy reference from the first round
                cmd.append("--numpy")
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            # peak memory from the first process (that of the others is the same run's)
            found[size] = _with_runs_of(found[size], json.loads(done.stdout.splitlines()[-1]))
    rows = [found[size] for size in sizes]
    for row in rows:
        print(
            f"{row['size']:>10,} agents: {row['agent_days_per_second']:.3g} agent-days/s median, "
            f"{row['fastest_agent_days_per_second']:.3g} fastest, "
            f"{row['wall_seconds']:.2f} s, "
            f"{row['rss_beyond_baseline_per_agent']:.0f} B/agent beyond baseline"
            + (f", {row['engine_over_numpy']:.1f}x NumPy" if "engine_over_numpy" in row else ""),
            flush=True,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "rows": rows,
                "cost_per_agent_day_max_over_min_1e5_up": {
                    "fastest_runs": linearity(rows, "fastest_wall_seconds"),
                    "median_runs": linearity(rows, "wall_seconds"),
                },
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
