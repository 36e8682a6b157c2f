"""Build small Flee scenarios in memory for conformance tests (no files needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from corridor.scenario.flee.model import ConflictTable, FleeScenario
from corridor.scenario.flee.rows import ClosureRow, LocationKind, LocationRow, RouteRow
from corridor.scenario.flee.series import SeriesTable
from corridor.scenario.flee.settings import FleeSettings

KINDS = {
    "town": LocationKind.TOWN,
    "camp": LocationKind.CAMP,
    "idpcamp": LocationKind.IDPCAMP,
    "conflict": LocationKind.CONFLICT,
    "forward": LocationKind.FORWARD,
    "marker": LocationKind.MARKER,
}


def settings(**move_rules: Any) -> FleeSettings:
    """Flee 3.1 defaults with some move_rules (and ``spawn_rules``/``corridor`` dicts) changed."""
    spawn = move_rules.pop("spawn_rules", {})
    corridor = move_rules.pop("corridor", {})
    return FleeSettings.model_validate(
        {"move_rules": move_rules, "spawn_rules": spawn, "corridor": corridor}
    )


def constant_spawning(per_conflict_day: int) -> FleeSettings:
    """Flee 3.1 defaults with conflict-driven spawning at a constant ``per_conflict_day``."""
    return settings(
        spawn_rules={
            "conflict_driven_spawning": {
                "spawn_mode": "constant",
                "displaced_per_conflict_day": per_conflict_day,
            }
        }
    )


def scenario(
    # (name, kind, country, population[, conflict_date])
    locations: list[tuple[str, str, str, int] | tuple[str, str, str, int, int]],
    # (a, b, km[, max_move_speed])
    routes: list[tuple[str, str, float] | tuple[str, str, float, float]],
    days: int = 5,
    agents: dict[str, int] | None = None,  # agents placed before day 0
    total: list[tuple[int, float]] | None = None,  # refugees.csv points (day, value)
    camp_data: dict[str, list[tuple[int, float]]] | None = None,
    # (type, name1, name2, start, end)
    closures: list[tuple[str, str, str, int, int]] | None = None,
    conflicts: dict[str, list[float]] | None = None,
    flee_settings: FleeSettings | None = None,
    coords: dict[str, tuple[float, float]] | None = None,
) -> FleeScenario:
    locs = []
    for row in locations:
        name, kind, country, pop = row[:4]
        cdate = row[4] if len(row) > 4 else (0 if kind == "conflict" else None)
        lat, lon = (coords or {}).get(name, (0.0, 0.0))
        locs.append(
            LocationRow(
                name=name,
                country=country,
                latitude=lat,
                longitude=lon,
                location_type=KINDS[kind],
                conflict_date=cdate,
                population=pop,
            )
        )
    route_rows = [
        RouteRow(name1=r[0], name2=r[1], distance=r[2], max_move_speed=r[3] if len(r) > 3 else None)
        for r in routes
    ]
    closure_rows = [
        ClosureRow(closure_type=c[0], name1=c[1], name2=c[2], closure_start=c[3], closure_end=c[4])
        for c in closures or []
    ]
    sc_settings = flee_settings or settings()
    observed = {"total": _table(total or [(0, 0.0)])}
    for loc in locs:
        if loc.location_type in (LocationKind.CAMP, LocationKind.IDPCAMP):
            observed[loc.name] = _table((camp_data or {}).get(loc.name, [(0, 0.0)]))
    table = None
    if conflicts:
        names = list(conflicts)
        values = np.array([conflicts[n] for n in names], dtype=np.float64).T
        table = ConflictTable(names, values)
    initial = [name for name, count in (agents or {}).items() for _ in range(count)]
    return FleeScenario(
        root=Path("."),
        name="test",
        start_date=dt.date(2020, 1, 1),
        days=days,
        settings=sc_settings,
        locations=locs,
        routes=route_rows,
        closures=closure_rows,
        conflicts=table,
        corrections=[],
        layout={k: [f"{k}.csv"] for k in observed},
        observed=observed,
        initial_agents=initial,
    )


def _table(points: list[tuple[int, float]]) -> SeriesTable:
    return SeriesTable(np.array([p[0] for p in points], float), np.array([p[1] for p in points]))
