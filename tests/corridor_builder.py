"""Small corridor-ruleset scenarios built in memory for mechanism tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from corridor.compile.corridor import CorridorModel, compile_corridor
from corridor.engine.corridor_engine import CorridorRecord, run_corridor
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.parameters import PARAMETERS
from corridor.scenario.native.schema import (
    BorderRow,
    CaravanRow,
    DepartureRow,
    DestinationRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    GroupRow,
    ModeSpec,
    PlaceRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
)

START = dt.date(2030, 1, 1)

BASE_PARAMS = {
    "choice_theta": 1.0,
    "w_time": 1.0,
    "w_money": 0.0,
    "w_hazard": 0.0,
    "w_enforcement": 0.0,
    "move_chance_origin": 1.0,
    "move_chance_crossing": 1.0,
    "move_chance_transit": 1.0,
    "move_chance_shelter": 1.0,
    "move_chance_border_city": 1.0,
    "perception_lag_days": 10.0,
    "perception_min_passages": 1.0,
    "enforcement_scale": 1.0,
}


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def place(name: str, kind: str, country: str = "MX", **kw: Any) -> PlaceRow:
    return PlaceRow(name=name, kind=kind, country=country, lat=kw.pop("lat", 15.0),
                    lon=kw.pop("lon", -92.0), **kw)  # fmt: skip


def route(a: str, b: str, mode: str, km: float, **kw: Any) -> RouteRow:
    return RouteRow.model_validate({"from": a, "to": b, "mode": mode, "km": km, **kw})


def scenario(
    places: list[PlaceRow],
    routes: list[RouteRow],
    departures: list[tuple[str, str, str, float]] | None = None,  # (month, origin, nat, people)
    days: int = 31,
    params: dict[str, float] | None = None,
    modes: dict[str, dict[str, float]] | None = None,
    nationalities: tuple[str, ...] = ("AA", "MX"),
    scale: float = 1.0,
    **files: Any,
) -> CorridorScenario:
    spec_modes = {
        m: ModeSpec(**{"speed_km_day": 100.0, **(modes or {}).get(m, {})}, assumption="test")
        for m in ("road", "bus", "rail", "foot", "sea", "border")
    }
    spec = ScenarioFile(
        name="test",
        start_date=START,
        end_date=START + dt.timedelta(days=days - 1),
        nationalities=list(nationalities),
        scale=scale,
        modes=spec_modes,
        train_until=files.pop("train_until", None),
    )
    values = {k: v.default for k, v in PARAMETERS.items() if v.default is not None}
    values.update(BASE_PARAMS)
    values.update(params or {})
    deps = [
        DepartureRow(month=m, origin=o, nationality=n, age_group="adult", people=p)
        for m, o, n, p in departures or []
    ]
    return CorridorScenario(
        root=Path("."),
        spec=spec,
        parameters={k: float(v) for k, v in values.items()},
        places=places,
        routes=routes,
        departures=deps,
        **files,
    )


def run(sc: CorridorScenario, seed: int = 1) -> tuple[CorridorModel, CorridorRecord]:
    """Compile and run, checking every day that the running counts equal a full recount."""
    model = compile_corridor(sc)
    return model, run_corridor(model, seed, verify_counts=True)


__all__ = [
    "BorderRow", "CaravanRow", "DepartureRow", "DestinationRow", "DetentionRow", "EnforcementRow",
    "EventEntry", "FacilityRow", "GroupRow", "ReturnRow", "day", "place", "route", "run",
    "scenario",
]  # fmt: skip
