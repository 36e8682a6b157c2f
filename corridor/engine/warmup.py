"""Compile the kernels once on a two-place problem, so a run's timings can report JIT apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from corridor.compile.flee import compile_flee
from corridor.engine.flee_engine import run_flee
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.flee.rows import LocationKind, LocationRow, RouteRow
from corridor.scenario.flee.series import SeriesTable
from corridor.scenario.flee.settings import FleeSettings


def tiny_scenario(settings: FleeSettings | None = None) -> FleeScenario:
    """A conflict zone and a camp 10 km apart; 5 people on day 1."""
    import numpy as np

    locs = [
        LocationRow(
            name="A",
            country="X",
            location_type=LocationKind.CONFLICT,
            conflict_date=0,
            population=100,
        ),
        LocationRow(name="B", country="Y", location_type=LocationKind.CAMP, population=10),
    ]
    return FleeScenario(
        root=Path("."),
        name="warm-up",
        start_date=dt.date(2000, 1, 1),
        days=3,
        settings=settings or FleeSettings(),
        locations=locs,
        routes=[RouteRow(name1="A", name2="B", distance=10.0)],
        closures=[],
        conflicts=None,
        corrections=[],
        layout={"total": ["t"], "B": ["b"]},
        observed={
            "total": SeriesTable(np.array([0.0, 1.0]), np.array([0.0, 5.0])),
            "B": SeriesTable(np.array([0.0]), np.array([0.0])),
        },
    )


def warm_up_flee() -> None:
    run_flee(compile_flee(tiny_scenario()), seed=0)
