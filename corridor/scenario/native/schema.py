"""pydantic models of the corridor layout: ``scenario.yml`` and one record of each CSV file."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from corridor.scenario.fields import Date, DateOrNone, Float, FloatOrNone, Int, IntOrNone, Name


def _fail(expected: str) -> PydanticCustomError:
    return PydanticCustomError("corridor", expected)


class PlaceKind(StrEnum):
    ORIGIN = "origin"
    CROSSING = "crossing"
    TRANSIT = "transit"
    SHELTER = "shelter"
    FACILITY = "facility"
    BORDER_CITY = "border_city"
    US_ARRIVAL = "us_arrival"
    RETURN_POINT = "return_point"


# Kinds of place that people released from detention may set off from (the facility's city):
# a place on the way, not an origin, a detention place, a return point or a goal.
RELEASE_KINDS = (PlaceKind.CROSSING, PlaceKind.TRANSIT, PlaceKind.SHELTER, PlaceKind.BORDER_CITY)


class Mode(StrEnum):
    ROAD = "road"
    BUS = "bus"
    RAIL = "rail"
    FOOT = "foot"
    SEA = "sea"
    BORDER = "border"


class _WithProvenance(BaseModel):
    """Numbers that carry a ``source``, or an ``assumption`` with its reason (never neither)."""

    # ``.inf`` and ``.nan`` are valid YAML floats; no number of a scenario may be either (an
    # infinite value would pass every "0 or more" bound).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _provenance(self) -> _WithProvenance:
        if not (self.source or self.assumption):
            raise _fail("a 'source' or an 'assumption' (every number needs its provenance)")
        return self


class Sourced(_WithProvenance):
    """A number with its unit and provenance."""

    value: float
    unit: str = ""


class ModeSpec(_WithProvenance):
    """A route mode's defaults (a route may override them)."""

    speed_km_day: float = Field(gt=0)
    cost_per_km: float = Field(0.0, ge=0)
    hazard_per_1000km: float = Field(0.0, ge=0, le=1)
    exposure: float = Field(1.0, ge=0)


class ZoneHazard(_WithProvenance):
    """A multiplier of the hazard of every route into a death zone (a place's ``death_region``,
    else its ``region``): where the zones' observed deaths show a shape that the hazards by mode
    do not give."""

    scale: float = Field(ge=0)


# Dates of scenario.yml outside these years are taken for typos (2091 for 2019, 9030 for 2030).
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_PERIOD_YEARS = 100


class ScenarioFile(BaseModel):
    """``scenario.yml``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str
    title: str = ""
    description: str = ""
    ruleset: str = "corridor"
    start_date: dt.date
    end_date: dt.date
    train_until: dt.date | None = None
    scale: float = Field(1.0, gt=0, le=1000)
    seed: int = Field(0, ge=0)
    nationalities: list[str] = Field(min_length=1)
    age_groups: list[str] = Field(default_factory=lambda: ["child", "adult"], min_length=1)
    goal_kind: PlaceKind = PlaceKind.US_ARRIVAL
    parameters: dict[str, Sourced] = Field(default_factory=dict)
    modes: dict[Mode, ModeSpec] = Field(default_factory=dict)
    hazard_zones: dict[str, ZoneHazard] = Field(default_factory=dict)

    @field_validator("ruleset")
    @classmethod
    def _ruleset(cls, value: str) -> str:
        if value != "corridor":
            raise _fail("ruleset 'corridor' (Flee scenarios use the input_csv/ layout instead)")
        return value

    @field_validator("nationalities", "age_groups")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise _fail("names without repeats")
        return value

    @field_validator("start_date", "end_date", "train_until")
    @classmethod
    def _year(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise _fail(f"a date in the years {FIRST_YEAR} to {LAST_YEAR} (a mistyped year?)")
        return value

    @field_validator("end_date")
    @classmethod
    def _period(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start_date")  # absent when start_date itself is invalid
        if start is None:
            return value
        if value < start:
            raise _fail("end_date on or after start_date")
        if value.year - start.year > MAX_PERIOD_YEARS:
            raise _fail(
                f"a period of at most {MAX_PERIOD_YEARS} years from start_date (a mistyped year?)"
            )
        return value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _prob(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise _fail("a probability in [0, 1]")
    return value


def _nonneg(value: float | None) -> float | None:
    if value is not None and value < 0:
        raise _fail("a number of 0 or more")
    return value


def _capacity(value: int | None) -> int | None:
    # Only a capacity above 0 means anything (the overcrowding series divides by it); 0 would be
    # taken for unlimited without a word, and a negative number is a typo.
    if value is not None and value <= 0:
        raise _fail("a capacity of 1 or more people, or empty for unlimited")
    return value


def _yes_no(value: Any) -> bool:
    text = str(value).strip().lower()
    if text in ("", "yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise _fail("yes or no")


class PlaceRow(_Row):
    name: Name
    kind: PlaceKind
    country: str
    region: str = ""
    lat: Float
    lon: Float
    capacity: IntOrNone = None
    facility: str = ""
    death_region: str = ""
    source: str = ""

    @property
    def death_zone(self) -> str:
        """The zone the place's deaths are counted in: its ``death_region``, else its region."""
        return self.death_region or self.region

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if str(value).strip() not in {k.value for k in PlaceKind}:
            raise _fail("a kind: " + ", ".join(k.value for k in PlaceKind))
        return str(value).strip()

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float) -> float:
        if not -90 <= value <= 90:
            raise _fail("a latitude in [-90, 90]")
        return value

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float) -> float:
        if not -180 <= value <= 180:
            raise _fail("a longitude in [-180, 180]")
        return value

    _cap = field_validator("capacity")(classmethod(lambda cls, v: _capacity(v)))


class RouteRow(_Row):
    from_: Name = Field(alias="from")
    to: Name
    mode: Mode
    km: Float
    two_way: bool = True
    speed_km_day: FloatOrNone = None
    cost: FloatOrNone = None
    hazard: FloatOrNone = None
    exposure: FloatOrNone = None
    id: str = ""
    source: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        if str(value).strip() not in {m.value for m in Mode}:
            raise _fail("a mode: " + ", ".join(m.value for m in Mode))
        return str(value).strip()

    @field_validator("two_way", mode="before")
    @classmethod
    def _two_way(cls, value: Any) -> bool:
        return _yes_no(value)

    @field_validator("km")
    @classmethod
    def _km(cls, value: float) -> float:
        if value <= 0:
            raise _fail("a length above 0 km")
        return value

    @field_validator("speed_km_day")
    @classmethod
    def _speed(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise _fail("a speed above 0 km/day")
        return value

    _hazard = field_validator("hazard")(classmethod(lambda cls, v: _prob(v)))
    _nonneg_fields = field_validator("cost", "exposure")(classmethod(lambda cls, v: _nonneg(v)))


class DepartureRow(_Row):
    month: str
    origin: Name
    nationality: Name
    age_group: Name
    people: Float
    source: str = ""

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        try:
            dt.datetime.strptime(value.strip(), "%Y-%m")
        except ValueError:
            raise _fail("a month written YYYY-MM") from None
        return value.strip()

    _people = field_validator("people")(classmethod(lambda cls, v: _nonneg(v)))


def _items(value: str) -> list[str]:
    """The non-blank items of a ';'-separated cell, stripped."""
    return [item.strip() for item in value.split(";") if item.strip()]


class CaravanRow(_Row):
    id: Name
    date: Date
    origin: Name
    people: Float
    child_share: Float = 0.0
    nationality: Name
    dispersal_date: DateOrNone = None
    # A place of the goal kind, where the caravan's source says it went. Blank: the group heads
    # for the nearest goal and its members are given destinations as departures are.
    destination: str = ""
    # The caravan's reported path: places it passes in this order, separated by ";". Between
    # them it keeps to the shortest chain of open routes (in km) of its modes, since a reported
    # path is a fact about the group and not a choice to simulate; after the last it chooses as a
    # caravan without a path does. Blank: no path.
    via: str = ""
    # The modes it travels by, separated by ";"; blank: every mode. A group of thousands walks
    # and rides the roads; it does not board boats.
    modes: str = ""
    source: str = ""

    _share = field_validator("child_share")(classmethod(lambda cls, v: _prob(v)))

    @field_validator("modes")
    @classmethod
    def _modes(cls, value: str) -> str:
        known = [m.value for m in Mode]
        if any(m not in known for m in _items(value)):
            raise _fail(f"modes separated by ';', each one of {', '.join(known)}")
        return value

    @property
    def via_places(self) -> list[str]:
        """The places of ``via``, in order."""
        return _items(self.via)

    @property
    def mode_names(self) -> list[str]:
        """The modes of ``modes``; empty for every mode."""
        return _items(self.modes)

    @field_validator("people")
    @classmethod
    def _people(cls, value: float) -> float:
        if value <= 0:
            raise _fail("a number of people above 0")
        return value


class TargetType(StrEnum):
    ROUTE = "route"
    PLACE = "place"
    REGION = "region"
    MODE = "mode"


class EnforcementKind(StrEnum):
    CHECKPOINT = "checkpoint"
    PATROL = "patrol"
    RAID = "raid"
    CLOSURE = "closure"


class EnforcementRow(_Row):
    id: Name
    start: Date
    end: DateOrNone = None
    target_type: TargetType
    target: Name
    kind: EnforcementKind
    authority: str = ""
    intensity: Float = 0.0
    event: str = ""
    source: str = ""

    _intensity = field_validator("intensity")(classmethod(lambda cls, v: _nonneg(v)))


class FacilityRow(_Row):
    place: Name
    capacity: IntOrNone = None
    stay_mean_days: Float
    stay_sd_days: Float = 0.0
    source: str = ""

    _cap = field_validator("capacity")(classmethod(lambda cls, v: _capacity(v)))

    @field_validator("stay_mean_days")
    @classmethod
    def _mean(cls, value: float) -> float:
        if value <= 0:
            raise _fail("a mean stay above 0 days")
        return value

    _sd = field_validator("stay_sd_days")(classmethod(lambda cls, v: _nonneg(v)))


class DetentionRow(_Row):
    nationality: Name
    p_deport: Float
    p_release_papers: Float
    p_release_order: Float
    p_asylum: Float
    source: str = ""

    _p = field_validator("p_deport", "p_release_papers", "p_release_order", "p_asylum")(
        classmethod(lambda cls, v: _prob(v))
    )

    @model_validator(mode="after")
    def _sum(self) -> DetentionRow:
        total = self.p_deport + self.p_release_papers + self.p_release_order + self.p_asylum
        if abs(total - 1.0) > 1e-6:
            raise _fail(
                f"p_deport + p_release_papers + p_release_order + p_asylum = 1 (got {total:g})"
            )
        return self


class ReturnRow(_Row):
    nationality: Name
    place: Name
    redeparture_p: Float
    redeparture_delay_days: Float
    source: str = ""

    _p = field_validator("redeparture_p")(classmethod(lambda cls, v: _prob(v)))
    _d = field_validator("redeparture_delay_days")(classmethod(lambda cls, v: _nonneg(v)))


class GroupRow(_Row):
    """Groups of one nationality (groups.csv): the share of its departing people (departures.csv,
    not caravans) who set off in groups of ``size`` people, such as families, and travel as one:
    the same decisions, checks and fates. A nationality without a row travels alone."""

    nationality: Name
    share: Float
    size: Int
    source: str = ""

    _s = field_validator("share")(classmethod(lambda cls, v: _prob(v)))

    @field_validator("size")
    @classmethod
    def _size(cls, v: int) -> int:
        if not 2 <= v <= 100:
            raise ValueError("a group size from 2 to 100 people")
        return v


class DestinationRow(_Row):
    """One nationality's share of people heading for one goal place (destinations.csv). A
    nationality without rows heads for whichever goal is cheapest to reach, as in a scenario
    without the file; one with rows draws each person's goal from its shares at departure."""

    nationality: Name
    goal: Name
    share: Float
    source: str = ""

    _s = field_validator("share")(classmethod(lambda cls, v: _prob(v)))


class BorderRow(_Row):
    crossing: Name
    # Blank: the row holds for every nationality. CBP's fates differ by nationality (Mexicans are
    # mostly single adults, removed; Central Americans mostly families, released), so a scenario
    # may give each nationality its own rows.
    nationality: str = ""
    start: Date
    end: DateOrNone = None
    p_apprehend: Float
    p_release: Float
    p_mpp: Float
    p_expel: Float
    p_remove: Float
    mpp_city: str = ""
    mpp_wait_days: FloatOrNone = None
    event: str = ""
    source: str = ""

    _p = field_validator("p_apprehend", "p_release", "p_mpp", "p_expel", "p_remove")(
        classmethod(lambda cls, v: _prob(v))
    )

    @model_validator(mode="after")
    def _sum(self) -> BorderRow:
        total = self.p_release + self.p_mpp + self.p_expel + self.p_remove
        if abs(total - 1.0) > 1e-6:
            raise _fail(f"p_release + p_mpp + p_expel + p_remove = 1 (got {total:g})")
        if self.p_mpp > 0 and not self.mpp_city.strip():
            raise _fail("an mpp_city where p_mpp > 0")
        return self


class PortRow(_Row):
    """A port of entry at a border crossing (ports.csv), from ``start`` to ``end``. Of the people
    who reach the crossing, a share ``p_present`` go to the port to ask for asylum instead of
    crossing between ports. The port takes at most ``capacity_per_day`` of them a day ("metering";
    blank: all who come), first come first served. The others wait on its list in the border city,
    and each day a share ``p_give_up`` of them leave it to cross between ports. Those the port
    takes meet the crossing's fates (border.csv) and count as encounters, as CBP counts people
    found inadmissible at a port."""

    crossing: Name
    start: Date
    end: DateOrNone = None
    p_present: Float
    capacity_per_day: FloatOrNone = None
    p_give_up: Float
    event: str = ""
    source: str = ""

    _p = field_validator("p_present", "p_give_up")(classmethod(lambda cls, v: _prob(v)))
    _c = field_validator("capacity_per_day")(classmethod(lambda cls, v: _nonneg(v)))


class EventSet(_WithProvenance):
    """A parameter's value from an event's date: like a parameter of scenario.yml, a number with
    its ``source`` or ``assumption`` (range-checked against the parameter by the loader)."""

    value: float


class EventEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    date: dt.date
    title: str = ""
    source: str = ""
    # Public news on its date: perception may take in the enforcement that the event's rows
    # will bring before anyone meets it (parameter announcement_belief; docs/model.md).
    announced: bool = False
    set: dict[str, EventSet] = Field(default_factory=dict)


class ObservedRow(_Row):
    series: Name
    period: str
    value: Float
    source: str = ""
    note: str = ""

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        text = value.strip()
        for fmt in ("%Y-%m", "%Y"):
            try:
                dt.datetime.strptime(text, fmt)
                return text
            except ValueError:
                continue
        raise _fail("a month YYYY-MM or a year YYYY")
