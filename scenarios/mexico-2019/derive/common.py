"""Shared helpers for the derive scripts of scenarios/mexico-2019.

Every table of the scenario that holds a number computed from the source files is written by a
script in this folder, so anyone can regenerate it:

    .venv/bin/python scenarios/mexico-2019/derive/make_all.py

Sources are read from ``$CORRIDOR_SHARED/data/corridor/sources`` (default: the ``shared`` folder
beside the repository, i.e. ``../shared`` from the repository root). Only the standard library,
numpy and pandas are used (and scipy for shortest paths, already a corridor dependency).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
REPO = SCENARIO.parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED", REPO.parent / "shared"))
SOURCES = SHARED / "data" / "corridor" / "sources"

# Mean Earth radius (IUGG), the value used by greatcircle_km_key_cities_derived.csv.
EARTH_RADIUS_KM = 6371.0088


def src(name: str) -> Path:
    path = SOURCES / name
    if not path.exists():
        raise SystemExit(f"source file not found: {path} (set CORRIDOR_SHARED)")
    return path


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def write_csv(
    path: Path, header: list[str], rows: list[list], comments: Sequence[str] = ()
) -> None:
    """Write a CSV with optional leading '#' comment lines (the corridor readers skip them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        for c in comments:
            fh.write(f"# {c}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])


def fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        if abs(v) >= 1e-3:
            return f"{v:.6f}".rstrip("0").rstrip(".")
        return f"{v:.4g}"
    return str(v)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines))
