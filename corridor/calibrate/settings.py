"""Reading a scenario's settings by name, with the same short-name rule as ``apply_overrides``.

A Flee scenario's settings are the sections of simsetting.yml (``move_rules.distance_power``, or
``distance_power`` when the name is unique). A corridor scenario's are the ruleset's parameters in
scenario.yml (``parameters.w_time``, or ``w_time``)."""

from __future__ import annotations

from typing import Any

from corridor.errors import CorridorError

PARAMETERS_SECTION = "parameters"


def _corridor_parameters(scenario: Any) -> dict[str, Any] | None:
    """The parameters of a corridor scenario (None for any other scenario)."""
    params = getattr(scenario, "parameters", None)
    if getattr(scenario, "kind", None) == "corridor" and isinstance(params, dict):
        return params
    return None


def _settings(scenario: Any) -> dict[str, Any]:
    settings = getattr(scenario, "settings", None)
    if settings is None or not hasattr(settings, "model_dump"):
        raise CorridorError(
            f"scenario {getattr(scenario, 'name', '?')} has no named settings (expected a Flee "
            "scenario's simsetting.yml sections or a corridor scenario's parameters)"
        )
    data: dict[str, Any] = settings.model_dump()
    return data


def _parameter_name(key: str) -> str:
    from corridor.scenario.native.parameters import PARAMETERS

    name = key.removeprefix(f"{PARAMETERS_SECTION}.")
    if "." in name or name not in PARAMETERS:
        raise CorridorError(
            f"parameter '{key}': the corridor ruleset has no such parameter; expected one of "
            f"{', '.join(sorted(PARAMETERS))} (or parameters.<name>)"
        )
    return name


def resolve_key(scenario: Any, key: str) -> str:
    """``distance_power`` -> ``move_rules.distance_power``; ``w_time`` -> ``parameters.w_time``
    for a corridor scenario (a full key is checked and returned)."""
    if _corridor_parameters(scenario) is not None:
        return f"{PARAMETERS_SECTION}.{_parameter_name(key)}"
    data = _settings(scenario)
    path = key.split(".")
    if len(path) == 1:
        sections = [s for s in data if isinstance(data[s], dict) and key in data[s]]
        if len(sections) != 1:
            where = "no" if not sections else "more than one"
            raise CorridorError(f"setting '{key}': {where} settings section has this key")
        return f"{sections[0]}.{key}"
    current_value(scenario, key)
    return key


def current_value(scenario: Any, key: str) -> Any:
    """The scenario's value of setting ``key`` (full or short name)."""
    params = _corridor_parameters(scenario)
    if params is not None:
        name = _parameter_name(key)
        if name not in params:
            raise CorridorError(f"parameter '{key}': scenario.yml does not set it")
        return params[name]
    node: Any = _settings(scenario)
    path = resolve_key(scenario, key).split(".") if "." not in key else key.split(".")
    for part in path:
        if not isinstance(node, dict) or part not in node:
            raise CorridorError(f"setting '{key}': unknown")
        node = node[part]
    return node
