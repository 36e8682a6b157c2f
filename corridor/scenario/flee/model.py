"""The validated content of a Flee scenario folder (what the loader returns, what compile reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from corridor.errors import InputIssue
from corridor.scenario.flee.rows import (
    ClosureRow,
    CorrectionRow,
    LocationKind,
    LocationRow,
    RouteRow,
)
from corridor.scenario.flee.series import SeriesTable
from corridor.scenario.flee.settings import FleeSettings


@dataclass
class ConflictTable:
    """``conflicts.csv``: intensity per day (row) and named location (column)."""

    names: list[str]
    values: np.ndarray  # float64 [days, len(names)]


@dataclass
class FleeScenario:
    """A Flee scenario after validation: every reference resolved, every value typed."""

    root: Path
    name: str
    start_date: dt.date
    days: int
    settings: FleeSettings
    locations: list[LocationRow]
    routes: list[RouteRow]
    closures: list[ClosureRow]
    conflicts: ConflictTable | None
    corrections: list[CorrectionRow]
    layout: dict[str, list[str]]  # data_layout.csv: name -> files (first row wins, as in Flee)
    observed: dict[str, SeriesTable]  # after merges and registration corrections
    initial_agents: list[str] = field(default_factory=list)  # agents.csv locations, in order
    warnings: list[InputIssue] = field(default_factory=list)
    input_hash: str = ""
    kind: Literal["flee"] = "flee"

    @property
    def location_names(self) -> list[str]:
        return [loc.name for loc in self.locations]

    @property
    def home_country(self) -> str:
        """Flee: the country of the first location is home; every other country is foreign."""
        country = self.locations[0].country
        return country if country else "unknown"

    def camp_names(self) -> list[str]:
        """Locations that are camps at the start (Flee's ``get_camp_names``), in file order."""
        return [loc.name for loc in self.locations if self.starts_as_camp(loc)]

    def starts_as_camp(self, loc: LocationRow) -> bool:
        if loc.location_type in (LocationKind.CAMP, LocationKind.IDPCAMP):
            return True
        # Flee makes any place whose move chance is below 0.005 a camp.
        return self.initial_movechance(loc) < 0.005

    def initial_movechance(self, loc: LocationRow) -> float:
        mr = self.settings.move_rules
        kind = loc.location_type
        if kind == LocationKind.CAMP:
            return mr.camp_movechance
        if kind == LocationKind.IDPCAMP:
            return mr.idpcamp_movechance
        if kind == LocationKind.CONFLICT:
            if loc.conflict_date is not None and loc.conflict_date > 0:
                return mr.default_movechance  # created as a town until its conflict begins
            return mr.conflict_movechance
        if kind in (LocationKind.FORWARD, LocationKind.MARKER):
            return 1.0
        return mr.default_movechance
