"""pydantic models of one record of each Flee input CSV, with Flee 3.1's parsing rules."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from corridor.scenario.fields import Date, Float, FloatOrZero, Int, IntOrNone, IntOrZero, Name


class LocationKind(StrEnum):
    """Flee's location types. Flee matches ``location_type`` by substring, in this order."""

    CAMP = "camp"
    IDPCAMP = "idpcamp"
    CONFLICT = "conflict_zone"
    FORWARD = "forwarding_hub"
    MARKER = "marker"
    TOWN = "town"


def classify_location_type(text: str) -> LocationKind | None:
    """Flee 3.1's rule (``Location.__init__``): case-insensitive substring, camp first."""
    t = text.lower()
    if "camp" in t:
        return LocationKind.IDPCAMP if "idp" in t else LocationKind.CAMP
    if "conflict" in t:
        return LocationKind.CONFLICT
    if "forward" in t:
        return LocationKind.FORWARD
    if "marker" in t:
        return LocationKind.MARKER
    if "default" in t or "town" in t:
        return LocationKind.TOWN
    return None


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocationRow(_Row):
    """``input_csv/locations.csv``: ``#name,region,country,latitude,longitude,location_type,
    conflict_date,population`` and optional attribute columns."""

    name: Name
    region: str = ""
    country: str = ""
    latitude: FloatOrZero = 0.0
    longitude: FloatOrZero = 0.0
    location_type: LocationKind
    conflict_date: IntOrNone = None
    population: IntOrZero = Field(0)
    attributes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _conflict_later(cls, data: Any) -> Any:
        """Flee 3.1 creates a place whose type mentions "conflict" and whose conflict_date is
        after day 0 as a town (a conflict zone from that date on), before it looks for "camp"
        in the type: such a place (``conflict_camp``, say) is a conflict zone to be, never a
        camp."""
        if not isinstance(data, dict):
            return data
        text = str(data.get("location_type", "")).lower()
        if "conflict" in text and "camp" in text:
            try:
                later = int(str(data.get("conflict_date", "")).strip()) > 0
            except ValueError:
                later = False
            if later:
                return {**data, "location_type": LocationKind.CONFLICT.value}
        return data

    @field_validator("location_type", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> LocationKind:
        kind = classify_location_type(str(value))
        if kind is None:
            raise PydanticCustomError(
                "corridor",
                "a location type: town, conflict_zone, camp, idpcamp, forwarding_hub or marker "
                "(matched case-insensitively by substring, as Flee does)",
            )
        return kind

    @field_validator("latitude")
    @classmethod
    def _lat(cls, value: float) -> float:
        if not -90.0 <= value <= 90.0:
            raise PydanticCustomError("corridor", "a latitude in [-90, 90]")
        return value

    @field_validator("longitude")
    @classmethod
    def _lon(cls, value: float) -> float:
        if not -180.0 <= value <= 180.0:
            raise PydanticCustomError("corridor", "a longitude in [-180, 180]")
        return value

    @field_validator("population")
    @classmethod
    def _pop(cls, value: int) -> int:
        if value < 0:
            raise PydanticCustomError("corridor", "a population (or camp capacity) of 0 or more")
        return value


class RouteRow(_Row):
    """``input_csv/routes.csv``: ``#name1,name2,distance,forced_redirection`` plus attributes."""

    name1: Name
    name2: Name
    distance: Float
    forced_redirection: IntOrZero = 0
    max_move_speed: Float | None = None
    walk_probability: Float | None = None
    attributes: dict[str, str] = Field(default_factory=dict)

    @field_validator("distance")
    @classmethod
    def _distance(cls, value: float) -> float:
        if value < 0:
            raise PydanticCustomError("corridor", "a distance in km of 0 or more")
        return value

    @field_validator("forced_redirection")
    @classmethod
    def _forced(cls, value: int) -> int:
        if value not in (0, 1, 2):
            raise PydanticCustomError("corridor", "0, 1, 2 or empty")
        return value

    @field_validator("max_move_speed")
    @classmethod
    def _speed(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise PydanticCustomError("corridor", "a speed above 0 km/day")
        return value

    @field_validator("walk_probability")
    @classmethod
    def _prob(cls, value: float | None) -> float | None:
        if value is not None and not 0.0 <= value <= 1.0:
            raise PydanticCustomError("corridor", "a probability in [0, 1]")
        return value


class ClosureType(StrEnum):
    COUNTRY = "country"
    LOCATION = "location"
    LINK = "link"
    CAMP = "camp"
    IDPCAMP = "idpcamp"
    REMOVE_FORCED_REDIRECTION = "remove_forced_redirection"


class ClosureRow(_Row):
    """``input_csv/closures.csv``: ``#closure_type,name1,name2,closure_start,closure_end``.

    Flee acts on the day ``t == closure_start`` and reopens on ``t == closure_end`` (-1: never).
    """

    closure_type: ClosureType
    name1: Name
    name2: str = ""
    closure_start: Int
    closure_end: Int

    @field_validator("closure_type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() not in {c.value for c in ClosureType}:
            raise PydanticCustomError(
                "corridor",
                "a closure type: country, location, link, camp, idpcamp or "
                "remove_forced_redirection",
            )
        return value.strip() if isinstance(value, str) else value

    @field_validator("closure_start")
    @classmethod
    def _start(cls, value: int) -> int:
        if value < 0:
            raise PydanticCustomError("corridor", "a start day of 0 or more")
        return value

    @field_validator("closure_end")
    @classmethod
    def _end(cls, value: int) -> int:
        if value < -1:
            raise PydanticCustomError("corridor", "an end day of 0 or more, or -1 for never")
        return value


class PeriodRow(_Row):
    """``sim_period.csv`` (or Flee 3.1's ``conflict_period.csv``)."""

    start_date: Date
    length: Int

    @field_validator("length")
    @classmethod
    def _length(cls, value: int) -> int:
        if value < 1:
            raise PydanticCustomError("corridor", "a length of at least 1 day")
        return value


class CorrectionRow(_Row):
    """``registration_corrections.csv``: ``<camp>,YYYY-MM-DD[,normalize]`` (no header)."""

    camp: Name
    date: Date
    mode: str = "normalize"


class LayoutRow(_Row):
    """``source_data/data_layout.csv``: ``<name>,<file>[,<file>...]``."""

    name: Name
    files: list[str] = Field(min_length=1)

    @field_validator("files")
    @classmethod
    def _files(cls, value: list[str]) -> list[str]:
        if any(not f.strip() for f in value):
            raise PydanticCustomError("corridor", "a file name in every column after the name")
        return value


class SeriesPointRow(_Row):
    """One ``YYYY-MM-DD,count`` line of an observed series file."""

    date: Date
    count: Int


def day_offset(date: dt.date, start: dt.date) -> int:
    return (date - start).days
