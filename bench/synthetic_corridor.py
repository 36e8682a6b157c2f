"""A synthetic corridor for benchmarks: a few hundred places, every mechanism switched on.

The network is a band of layers from south (origins) to north (border cities and their US arrival
points); each place links to the nearest places of the next layer by random modes, with a few
lateral links. Enforcement (checkpoints, patrols, raids, a closure, a dated deployment event),
detention facilities, deportation and redeparture, border rules with MPP, metered ports of entry,
caravans, travel groups (two in five of N1 in threes, more visible than one person) and
deterrence are all on.
Everything is generated from a seed; nothing here describes a real place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.parameters import PARAMETERS
from corridor.scenario.native.schema import (
    BorderRow,
    CaravanRow,
    DepartureRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    GroupRow,
    ModeSpec,
    PlaceRow,
    PortRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
)

START = dt.date(2031, 1, 1)
NATS = ["N1", "N2", "N3", "MX"]
MODES = {
    "road": (60, 0.02, 0.0005, 1.0),
    "bus": (500, 0.10, 0.0001, 2.0),
    "rail": (250, 0.0, 0.003, 1.0),
    "foot": (25, 0.0, 0.004, 0.3),
    "sea": (200, 0.5, 0.008, 0.2),
    "border": (40, 2.0, 0.05, 1.0),
}
PARAMS = {
    "choice_theta": 1.0,
    "w_time": 1.0,
    "w_money": 0.01,
    "w_hazard": 200.0,
    "w_enforcement": 20.0,
    "move_chance_origin": 0.5,
    "move_chance_crossing": 0.8,
    "move_chance_transit": 0.6,
    "move_chance_shelter": 0.3,
    "move_chance_border_city": 0.3,
    "perception_lag_days": 14.0,
    "perception_min_passages": 5.0,
    "enforcement_scale": 0.05,
    "caravan_speed_km_day": 30.0,
    "caravan_breakthrough": 0.5,
    "missing_share": 0.3,
    "mpp_abandon_p": 0.3,
    "deterrence_elasticity": 0.3,
    "deterrence_lag_days": 14.0,
    "asylum_wait_days": 20.0,
    "group_visibility": 0.5,
}


def make_scenario(
    agents: int, days: int = 100, places: int = 300, seed: int = 0
) -> CorridorScenario:
    """About ``agents`` people set off over the first 30 days, on a network of ``places`` places."""
    rng = np.random.default_rng(seed)
    layers = 15
    width = max(2, (places - 20) // layers)
    rows: list[PlaceRow] = []
    grid: list[list[str]] = []
    for k in range(layers):
        layer = []
        for j in range(width):
            kind = (
                "origin"
                if k == 0
                else "crossing"
                if k == 1
                else "border_city"
                if k == layers - 1
                else ("shelter" if rng.random() < 0.1 else "transit")
            )
            name = f"L{k:02d}P{j:03d}"
            lat = 14.0 + 18.0 * k / (layers - 1) + rng.normal(0, 0.2)
            lon = -118.0 + 30.0 * j / max(width - 1, 1) + rng.normal(0, 0.2)
            country = NATS[j % 3] if k == 0 else "MX"
            rows.append(
                PlaceRow(
                    name=name,
                    kind=kind,
                    country=country,
                    region=f"R{k // 3}{j // 5}",
                    lat=float(lat),
                    lon=float(lon),
                    death_region="south" if k < layers - 1 else "border",
                )
            )
            layer.append(name)
        grid.append(layer)
    arrivals = []
    for j, city in enumerate(grid[-1]):
        name = f"US{j:03d}"
        rows.append(
            PlaceRow(
                name=name,
                kind="us_arrival",
                country="US",
                region="US",
                lat=33.0,
                lon=-118.0 + 30.0 * j / max(width - 1, 1),
                death_region="border",
            )
        )
        arrivals.append((city, name))
    facilities = [f"F{i}" for i in range(5)]
    for i, f in enumerate(facilities):
        rows.append(
            PlaceRow(
                name=f,
                kind="facility",
                country="MX",
                region="R00",
                lat=15.0 + 3.0 * i,
                lon=-100.0 + 4.0 * i,
                capacity=200,
            )
        )
    for n in NATS[:3]:
        rows.append(
            PlaceRow(name=f"RET-{n}", kind="return_point", country=n, region=n, lat=14.0, lon=-92.0)
        )
    routes: list[RouteRow] = []
    modes = ["road", "bus", "rail", "foot", "sea"]
    for k in range(layers - 1):
        for j, a in enumerate(grid[k]):
            for dj in (-1, 0, 1):
                jj = j + dj
                if 0 <= jj < width and (dj == 0 or rng.random() < 0.5):
                    mode = str(rng.choice(modes, p=[0.35, 0.3, 0.15, 0.12, 0.08]))
                    routes.append(
                        RouteRow.model_validate(
                            {
                                "from": a,
                                "to": grid[k + 1][jj],
                                "mode": mode,
                                "km": float(rng.uniform(80, 250)),
                                "id": f"{a}>{grid[k + 1][jj]}:{mode}",
                            }
                        )
                    )
            if j + 1 < width and rng.random() < 0.2:
                routes.append(
                    RouteRow.model_validate(
                        {
                            "from": a,
                            "to": grid[k][j + 1],
                            "mode": "foot",
                            "km": float(rng.uniform(30, 80)),
                        }
                    )
                )
    for city, us in arrivals:
        routes.append(
            RouteRow.model_validate(
                {"from": city, "to": us, "mode": "border", "km": 20.0, "id": f"bx-{city}"}
            )
        )
    end = START + dt.timedelta(days=days - 1)
    spec = ScenarioFile(
        name=f"synthetic-{agents}",
        start_date=START,
        end_date=end,
        nationalities=NATS,
        modes={
            m: ModeSpec(
                speed_km_day=v[0],
                cost_per_km=v[1],
                hazard_per_1000km=v[2],
                exposure=v[3],
                assumption="synthetic",
            )
            for m, v in MODES.items()
        },
    )
    origins = grid[0]
    per = agents / (len(origins) + 1)
    deps = [
        DepartureRow(
            month=f"{START:%Y-%m}",
            origin=o,
            nationality=NATS[j % 3],
            age_group="adult" if j % 4 else "child",
            people=per,
        )
        for j, o in enumerate(origins)
    ]
    deps.append(
        DepartureRow(
            month=f"{START:%Y-%m}",
            origin=grid[-1][0],
            nationality="MX",
            age_group="adult",
            people=per,
        )
    )
    enforcement = []
    route_ids = [r.id or f"{r.from_}>{r.to}:{r.mode.value}" for r in routes]
    for i, rid in enumerate(rng.choice(route_ids, size=len(route_ids) // 5, replace=False)):
        enforcement.append(
            EnforcementRow(
                id=f"cp{i}",
                start=START,
                target_type="route",
                target=str(rid),
                kind="checkpoint",
                intensity=float(rng.uniform(0.5, 3.0)),
            )
        )
    regions = sorted({p.region for p in rows if p.region.startswith("R")})
    for i, reg in enumerate(regions[:6]):
        enforcement.append(
            EnforcementRow(
                id=f"pt{i}",
                start=START,
                target_type="region",
                target=reg,
                kind="patrol",
                intensity=1.0,
            )
        )
        enforcement.append(
            EnforcementRow(
                id=f"dep{i}",
                start=START + dt.timedelta(days=days // 2),
                target_type="region",
                target=reg,
                kind="checkpoint",
                intensity=3.0,
                event="deployment",
            )
        )
    for i, p in enumerate(
        rng.choice([r.name for r in rows if r.kind == "shelter"] or [grid[3][0]], size=3)
    ):
        enforcement.append(
            EnforcementRow(
                id=f"raid{i}",
                start=START,
                target_type="place",
                target=str(p),
                kind="raid",
                intensity=0.02,
            )
        )
    enforcement.append(
        EnforcementRow(
            id="closure",
            start=START + dt.timedelta(days=10),
            end=START + dt.timedelta(days=25),
            target_type="mode",
            target="rail",
            kind="closure",
        )
    )
    border = [
        BorderRow(
            crossing=f"bx-{c}",
            start=START,
            p_apprehend=0.8,
            p_release=0.5,
            p_mpp=0.2,
            p_expel=0.1,
            p_remove=0.2,
            mpp_city=c,
            mpp_wait_days=30,
        )
        for c, _ in arrivals
    ]
    # a metered port at every crossing: a fifth ask for asylum there, and it takes in a share of
    # the run's people a day small enough that lists form
    ports = [
        PortRow(crossing=f"bx-{c}", start=START, p_present=0.2,
                capacity_per_day=max(1.0, agents * 2e-4), p_give_up=0.05)
        for c, _ in arrivals
    ]  # fmt: skip
    caravans = [
        CaravanRow(
            id=f"cv{i}",
            date=START + dt.timedelta(days=5 + 10 * i),
            origin=origins[i],
            people=max(10.0, agents * 0.005),
            child_share=0.3,
            nationality=NATS[i],
            dispersal_date=START + dt.timedelta(days=40),
        )
        for i in range(2)
    ]
    values = {k: v.default for k, v in PARAMETERS.items() if v.default is not None}
    values.update(PARAMS)
    return CorridorScenario(
        root=Path("."),
        spec=spec,
        parameters={k: float(v) for k, v in values.items()},
        places=rows,
        routes=routes,
        departures=deps,
        caravans=caravans,
        enforcement=enforcement,
        facilities=[
            FacilityRow(place=f, capacity=200, stay_mean_days=12, stay_sd_days=6)
            for f in facilities
        ],
        detention=[
            DetentionRow(
                nationality=n, p_deport=0.6, p_release_papers=0.1, p_release_order=0.2, p_asylum=0.1
            )
            for n in NATS
        ],
        returns=[
            ReturnRow(nationality=n, place=f"RET-{n}", redeparture_p=0.5, redeparture_delay_days=20)
            for n in NATS[:3]
        ]
        + [
            ReturnRow(
                nationality="MX", place=grid[-1][0], redeparture_p=0.7, redeparture_delay_days=5
            )
        ],
        border=border,
        ports=ports,
        groups=[GroupRow(nationality="N1", share=0.4, size=3)],
        events=[EventEntry(id="deployment", date=START + dt.timedelta(days=days // 2))],
    )
