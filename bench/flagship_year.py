"""The flagship at full scale for one year (365 days): wall time and peak memory.

Runs in its own process: memory beyond the interpreter's baseline is measured after the kernels are
loaded and the scenario is read, so it counts the simulation's own state and records.

    .venv/bin/python bench/flagship_year.py [--out bench/results/flagship_year.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "flagship_year.json")
    args = parser.parse_args()
    import numba

    import corridor
    from corridor.api import warm_up
    from corridor.compile.corridor import compile_corridor
    from corridor.engine.corridor_engine import run_corridor

    t0 = time.perf_counter()
    jit = warm_up("corridor")
    scenario = corridor.load(REPO / "scenarios" / "mexico-2019")
    t_load = time.perf_counter()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    model = compile_corridor(scenario, days=args.days)
    rec = run_corridor(model, seed=1)
    wall = time.perf_counter() - t_load
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    agents = int(rec.n_agents[-1])
    result = {
        "scenario": scenario.name,
        "days": args.days,
        "agents": agents,
        "agent_days": float(rec.n_agents.sum()),
        "wall_seconds": round(wall, 3),
        "jit_seconds": round(jit, 3),
        "load_seconds": round(t_load - t0 - jit, 3),
        "seconds_by_phase": {k: round(v, 3) for k, v in rec.timings.items()},
        "peak_rss_bytes": peak,
        "baseline_rss_bytes": base,
        "bytes_per_agent_beyond_baseline": (peak - base) / max(agents, 1),
        "state_bytes_per_agent": rec.state_bytes / max(agents, 1),
        "threads": numba.get_num_threads(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
