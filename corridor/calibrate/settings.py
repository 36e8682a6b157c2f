"""Reading a scenario's settings by name, with the same short-name rule as ``apply_overrides``."""

from __future__ import annotations

from typing import Any

from corridor.errors import CorridorError


def _settings(scenario: Any) -> dict[str, Any]:
    settings = getattr(scenario, "settings", None)
    if settings is None or not hasattr(settings, "model_dump"):
        raise CorridorError(f"scenario {getattr(scenario, 'name', '?')} has no named settings")
    data: dict[str, Any] = settings.model_dump()
    return data


def resolve_key(scenario: Any, key: str) -> str:
    """``distance_power`` -> ``move_rules.distance_power`` (a full key is checked and returned)."""
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
    node: Any = _settings(scenario)
    path = resolve_key(scenario, key).split(".") if "." not in key else key.split(".")
    for part in path:
        if not isinstance(node, dict) or part not in node:
            raise CorridorError(f"setting '{key}': unknown")
        node = node[part]
    return node
