"""Settings overlays: fitted parameters as a small YAML file that ``--overlay`` applies to a run.

An overlay is ``{"overrides": {"move_rules.distance_power": 0.83, ...}, ...}``; everything besides
``overrides`` (what it was fitted on, the objective, the training window, the errors) is a record
for people and is ignored when applying it. Keys are written in full (``section.key``) so that an
overlay keeps its meaning if a later settings section reuses a short name.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import yaml

from corridor.errors import CorridorError


def load_overlay(path: str | Path) -> dict[str, Any]:
    """The ``overrides`` of the overlay at ``path``, ready for ``corridor.api.apply_overrides``."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorridorError(f"{p}: cannot read the overlay ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CorridorError(
            f"{p}: not UTF-8 text (byte {exc.start}: {exc.object[exc.start : exc.start + 1]!r}); "
            "expected an overlay YAML file in UTF-8"
        ) from None
    except yaml.YAMLError as exc:
        raise CorridorError(f"{p}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("overrides"), dict):
        raise CorridorError(f"{p}: expected a mapping with an 'overrides' mapping of settings")
    overrides = data["overrides"]
    for key, value in overrides.items():
        if not isinstance(key, str) or not key:
            raise CorridorError(f"{p}: overrides: {key!r} is not a setting name")
        if not isinstance(value, int | float | str | bool | list) or value is None:
            raise CorridorError(f"{p}: overrides: {key}: {value!r} is not a setting value")
    return dict(overrides)


def apply_overlay(scenario: Any, path: str | Path, overrides: dict[str, Any]) -> Any:
    """``scenario`` with the overlay's ``overrides`` applied; an unknown setting or a value of the
    wrong kind is an error naming the overlay file and the setting."""
    from corridor.api import apply_overrides

    try:
        return apply_overrides(scenario, overrides)
    except CorridorError as exc:
        raise CorridorError(f"{path}: overrides: {exc}") from None


def write_overlay(path: str | Path, overrides: dict[str, Any], record: dict[str, Any]) -> Path:
    """Write an overlay atomically; ``record`` adds the provenance fields after ``overrides``."""
    p = Path(path)
    if p.exists():
        raise CorridorError(f"{p} already exists; choose a new --out file")
    p.parent.mkdir(parents=True, exist_ok=True)
    data = {"overrides": {k: _plain(v) for k, v in overrides.items()}, **_plain(record)}
    tmp = p.parent / f".{p.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    os.replace(tmp, p)
    return p


def _plain(value: Any) -> Any:
    """NumPy scalars and tuples as plain YAML types."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value
