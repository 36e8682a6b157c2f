"""``make bench``: the benchmark suite. Writes bench/results/*.json and bench/results/SUMMARY.md.

1. Flee 3.1 and corridor side by side on every peer scenario (same days, same agents, same run),
   plus corridor's full-length validation error over seeds (bench/flee_side_by_side.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=100, help="days of the timed runs")
    parser.add_argument("--seeds", default="0,1,2,3,4", help="seeds of the full-length runs")
    parser.add_argument("--skip-flee", action="store_true")
    args = parser.parse_args()
    cmd = [
        sys.executable,
        str(HERE / "flee_side_by_side.py"),
        "--days",
        str(args.days),
        "--seeds",
        args.seeds,
        "--out",
        str(HERE / "results" / "flee_side_by_side.json"),
    ]
    if args.skip_flee:
        cmd.append("--skip-flee")
    subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
