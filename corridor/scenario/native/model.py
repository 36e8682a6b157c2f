"""The validated content of a corridor scenario folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from corridor.errors import InputIssue
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
    ObservedRow,
    PlaceRow,
    PortRow,
    ReturnRow,
    RouteRow,
    ScenarioFile,
)


@dataclass
class CorridorScenario:
    root: Path
    spec: ScenarioFile
    parameters: dict[str, float]
    places: list[PlaceRow]
    routes: list[RouteRow]
    departures: list[DepartureRow]
    caravans: list[CaravanRow] = field(default_factory=list)
    enforcement: list[EnforcementRow] = field(default_factory=list)
    facilities: list[FacilityRow] = field(default_factory=list)
    detention: list[DetentionRow] = field(default_factory=list)
    returns: list[ReturnRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    destinations: list[DestinationRow] = field(default_factory=list)
    border: list[BorderRow] = field(default_factory=list)
    ports: list[PortRow] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    observed: list[ObservedRow] = field(default_factory=list)
    warnings: list[InputIssue] = field(default_factory=list)
    input_hash: str = ""
    kind: Literal["corridor"] = "corridor"
    disabled_events: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def start_date(self) -> dt.date:
        return self.spec.start_date

    @property
    def days(self) -> int:
        return (self.spec.end_date - self.spec.start_date).days + 1

    def capacities(self) -> list[int | None]:
        """Capacity per place, in the order of ``places`` (None: unlimited): a facility's own
        capacity (facilities.csv) replaces its place's (locations.csv). The model, the
        overcrowding series and the run's places table all take it from here."""
        own = {f.place: f.capacity for f in self.facilities if f.capacity is not None}
        return [own.get(p.name, p.capacity) for p in self.places]

    def route_id(self, row: RouteRow) -> str:
        return row.id or f"{row.from_}>{row.to}:{row.mode.value}"

    def without_events(self, ids: list[str]) -> CorridorScenario:
        """A copy with the named events switched off: their rows and parameter changes dropped."""
        import copy

        out = copy.copy(self)
        drop = set(ids)
        out.enforcement = [r for r in self.enforcement if r.event not in drop]
        out.border = [r for r in self.border if r.event not in drop]
        out.ports = [r for r in self.ports if r.event not in drop]
        out.events = [e for e in self.events if e.id not in drop]
        out.disabled_events = tuple(sorted(set(self.disabled_events) | drop))
        return out
