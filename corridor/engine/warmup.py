"""Compile the kernels once on a two-place problem, so a run's timings can report JIT apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.compile.flee import compile_flee
from corridor.engine.flee_engine import run_flee
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.flee.rows import LocationKind, LocationRow, RouteRow
from corridor.scenario.flee.series import SeriesTable
from corridor.scenario.flee.settings import FleeSettings

if TYPE_CHECKING:
    from corridor.scenario.native.model import CorridorScenario


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


def tiny_corridor() -> CorridorScenario:
    """An origin, a facility and a border crossing: enough to compile every corridor kernel."""
    from corridor.scenario.native.model import CorridorScenario
    from corridor.scenario.native.parameters import PARAMETERS
    from corridor.scenario.native.schema import (
        BorderRow,
        DepartureRow,
        DetentionRow,
        FacilityRow,
        ModeSpec,
        PlaceRow,
        PortRow,
        RouteRow,
        ScenarioFile,
    )

    spec = ScenarioFile(
        name="warm-up",
        start_date=dt.date(2000, 1, 1),
        end_date=dt.date(2000, 1, 3),
        nationalities=["AA"],
        modes={m: ModeSpec(speed_km_day=100, assumption="warm-up") for m in ("road", "border")},
    )
    places = [
        PlaceRow(name="O", kind="origin", country="AA", lat=0, lon=0),
        PlaceRow(name="F", kind="facility", country="MX", lat=0, lon=1),
        PlaceRow(name="B", kind="border_city", country="MX", lat=0, lon=2),
        PlaceRow(name="U", kind="us_arrival", country="US", lat=0, lon=3),
    ]
    routes = [
        RouteRow.model_validate({"from": "O", "to": "B", "mode": "road", "km": 50}),
        RouteRow.model_validate({"from": "B", "to": "U", "mode": "border", "km": 5, "id": "x"}),
    ]
    params = {k: (v.default if v.default is not None else 0.5) for k, v in PARAMETERS.items()}
    params["perception_lag_days"] = 5.0
    return CorridorScenario(
        root=Path("."),
        spec=spec,
        parameters=params,
        places=places,
        routes=routes,
        departures=[
            DepartureRow(
                month="2000-01", origin="O", nationality="AA", age_group="adult", people=31
            )
        ],
        facilities=[FacilityRow(place="F", stay_mean_days=2, stay_sd_days=1)],
        detention=[
            DetentionRow(
                nationality="AA",
                p_deport=0.5,
                p_release_papers=0.2,
                p_release_order=0.2,
                p_asylum=0.1,
            )
        ],
        border=[
            BorderRow(
                crossing="x",
                start=dt.date(2000, 1, 1),
                p_apprehend=0.5,
                p_release=0.5,
                p_mpp=0,
                p_expel=0.25,
                p_remove=0.25,
            )
        ],
        # a metered port, so that the lists' step is compiled too (ports.py)
        ports=[
            PortRow(
                crossing="x",
                start=dt.date(2000, 1, 1),
                p_present=0.5,
                capacity_per_day=1,
                p_give_up=0.5,
            )
        ],
    )


def warm_up_corridor() -> None:
    import numpy as np

    from corridor.compile.corridor import compile_corridor
    from corridor.engine.corridor_engine import N_STATUS, CorridorAgents, run_corridor
    from corridor.engine.corridor_kernels import (
        DRAWS,
        N_EVENTS,
        count_change,
        gamma_draw,
        intercept_each,
    )
    from corridor.engine.rng import uniforms

    model = compile_corridor(tiny_corridor())
    run_corridor(model, seed=0)
    # the caravan step's count update (the tiny scenario has no caravan)
    agents = CorridorAgents(1)
    counts = np.zeros((model.n_place, N_STATUS, 1, 1), dtype=np.int32)
    on_edge = np.zeros(model.n_edge, dtype=np.int32)
    count_change(np.zeros(0, dtype=np.int64), agents.place, agents.edge, agents.status,
                 agents.nat, agents.age, model.edge_to, counts, on_edge, 1)  # fmt: skip
    # draws the caravan step makes from Python: hazard, interception, stays in detention
    keys = np.zeros(8, dtype=np.uint64)
    uniforms(keys[3], np.arange(2) * DRAWS)
    gamma_draw(keys, 0, np.float64(2.0), np.float64(1.0))
    # caravan members caught at a checkpoint (typed as the day loop passes them)
    move_chance = np.zeros((2, model.n_place))
    P = (model.goal, model.facility_of, model.stay_shape, model.stay_scale, model.stay_mean,
         np.zeros(model.n_place), move_chance, model.release_place)  # fmt: skip
    N = (model.det_cum, model.return_place, model.redepart_p, model.redepart_delay, -1)
    events = np.zeros((1, model.n_place, N_EVENTS, 1), dtype=np.int32)
    intercept_each(np.zeros(0, dtype=np.int64), 0, events[0], agents.arrays(), P, N, keys,
                   model.params["detention_stay_scale"][0])  # fmt: skip
