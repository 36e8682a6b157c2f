"""The corridor ruleset's parameters: name, unit, and default (None: the scenario must give it).

Defaults exist only for mechanisms that are off unless a scenario turns them on; every value a
scenario relies on is written in its scenario.yml with its source or assumption.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    unit: str
    meaning: str
    default: float | None = None
    low: float = float("-inf")
    high: float = float("inf")


PARAMETERS: dict[str, ParamSpec] = {
    "choice_theta": ParamSpec("1/cost", "logit scale of route choice", None, 0.0),
    "w_time": ParamSpec("cost/day", "weight of travel time in a route's cost", None, 0.0),
    "w_money": ParamSpec("cost/USD", "weight of money in a route's cost", None, 0.0),
    "w_hazard": ParamSpec(
        "cost/probability", "weight of the death hazard in a route's cost", None, 0.0
    ),
    "w_enforcement": ParamSpec("cost/probability", "weight of perceived interception", None, 0.0),
    "move_chance_origin": ParamSpec("1/day", "chance of setting off from an origin", None, 0, 1),
    "move_chance_crossing": ParamSpec("1/day", "chance of moving on from a crossing", None, 0, 1),
    "move_chance_transit": ParamSpec(
        "1/day", "chance of moving on from a transit place", None, 0, 1
    ),
    "move_chance_shelter": ParamSpec("1/day", "chance of moving on from a shelter", None, 0, 1),
    "move_chance_border_city": ParamSpec("1/day", "chance of attempting the US border", None, 0, 1),
    "perception_lag_days": ParamSpec(
        "days", "lag of perceived behind actual interception", None, 1.0
    ),
    "perception_min_passages": ParamSpec(
        "people", "passages needed to update perception", None, 0.0
    ),
    "enforcement_scale": ParamSpec("1", "interception hazard of intensity 1", None, 0.0),
    "caravan_speed_km_day": ParamSpec("km/day", "pace of a caravan", 30.0, 0.0),
    "caravan_breakthrough": ParamSpec("probability", "a caravan passes a checkpoint", 0.0, 0, 1),
    "detention_stay_scale": ParamSpec("1", "multiplier of detention stays", 1.0, 0.0),
    "group_visibility": ParamSpec(
        "1", "exponent of a travel group's size in its chance of interception", 0.0, 0.0
    ),
    "asylum_wait_days": ParamSpec("days", "wait after an asylum claim in Mexico", 30.0, 0.0),
    "missing_share": ParamSpec(
        "fraction", "share of hazard victims recorded as missing", 0.0, 0, 1
    ),
    "mpp_abandon_p": ParamSpec(
        "probability", "MPP returnees who give up after the wait", 0.0, 0, 1
    ),
    "deterrence_elasticity": ParamSpec("1", "departures' response to success rate", 0.0, 0.0),
    "deterrence_lag_days": ParamSpec("days", "lag of reported success rate", 30.0, 0.0),
    "departure_cost_response": ParamSpec(
        "1/cost", "departures' response to the perceived cost of the journey", 0.0, 0.0
    ),
    "transit_cost_response": ParamSpec(
        "1/cost", "response of the chance of moving on to the perceived cost ahead", 0.0, 0.0
    ),
    "announcement_belief": ParamSpec(
        "fraction", "share of an announced event's enforcement perceived on its date", 0.0, 0, 1
    ),
    "hazard_scale_transit": ParamSpec(
        "1", "multiplier of the hazards of routes other than border crossings", 1.0, 0.0
    ),
    "hazard_scale_border": ParamSpec(
        "1", "multiplier of the hazards of border crossings", 1.0, 0.0
    ),
    "road_detour": ParamSpec("1", "road km per great-circle km (used by derive scripts)", 1.0, 1.0),
}


def resolve(given: dict[str, float]) -> tuple[dict[str, float], list[str], list[str]]:
    """Values for every parameter, the names missing without default, and unknown names."""
    missing = [k for k, spec in PARAMETERS.items() if spec.default is None and k not in given]
    unknown = [k for k in given if k not in PARAMETERS]
    values = {k: given.get(k, spec.default) for k, spec in PARAMETERS.items()}
    return {k: float(v) for k, v in values.items() if v is not None}, missing, unknown
