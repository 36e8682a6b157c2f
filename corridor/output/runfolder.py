"""Reading a run folder back (``corridor validate``, ``corridor report``): its manifest and tables,
checked, so that a damaged or foreign folder is an error naming the file and what was expected,
never a traceback from deep inside polars or the validation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from corridor.errors import InputIssue, RunError, ScenarioError

RULESETS = ("corridor", "flee")


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """The run's ``manifest.json`` as a dict whose ``ruleset``, ``start_date``, ``days`` and
    ``train_until`` are usable; raises :class:`ScenarioError` listing every problem found."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: no such run folder")
    path = run_dir / "manifest.json"
    if not path.is_file():
        raise RunError(f"{run_dir}: not a run folder (no manifest.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RunError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise RunError(f"{path}: not UTF-8 text (byte {exc.start}); expected JSON") from None
    except json.JSONDecodeError as exc:
        raise RunError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    name = "manifest.json"
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(data), "a number"
        )
        raise ScenarioError(
            str(run_dir),
            [InputIssue(name, "a JSON object (the run's manifest)", value=f"{kind}")],
        )
    issues: list[InputIssue] = []

    def bad(key: str, expected: str) -> None:
        if key not in data:
            issues.append(InputIssue(name, f"a key '{key}': {expected}"))
        else:
            issues.append(InputIssue(f"{name}, key '{key}'", expected, value=str(data[key])[:80]))

    if data.get("ruleset") not in RULESETS:
        bad("ruleset", f"one of {', '.join(RULESETS)}")
    days = data.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        bad("days", "a whole number of days, at least 1")
    if _date(data.get("start_date")) is None:
        bad("start_date", "a date YYYY-MM-DD")
    train = data.get("train_until")
    if train is not None and _date(train) is None:
        bad("train_until", "a date YYYY-MM-DD or null")
    if issues:
        raise ScenarioError(str(run_dir), issues)
    return data


def run_period(manifest: dict[str, Any]) -> tuple[dt.date, dt.date, dt.date | None]:
    """First day, last day and ``train_until`` of a checked manifest."""
    first = dt.date.fromisoformat(manifest["start_date"])
    last = first + dt.timedelta(days=int(manifest["days"]) - 1)
    train = manifest.get("train_until")
    return first, last, dt.date.fromisoformat(train) if train else None


def read_table(
    path: Path, columns: Iterable[str] = (), numeric: Iterable[str] = ()
) -> pl.DataFrame:
    """A Parquet table of a run or ensemble folder, with at least ``columns`` (``numeric`` among
    them must hold numbers); a missing, truncated or foreign file is a :class:`RunError`."""
    path, columns, numeric = Path(path), tuple(columns), tuple(numeric)
    if not path.is_file():
        raise RunError(f"{path}: missing; the folder is not a complete run (run it again)")
    try:
        df = pl.read_parquet(path)
    except Exception as exc:  # polars, pyarrow and OS errors alike: the file is damaged
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RunError(
            f"{path}: not a readable Parquet table ({reason}); the file is damaged or truncated: "
            "run again to rewrite it"
        ) from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise RunError(
            f"{path}: no column {', '.join(repr(c) for c in missing)}; expected columns "
            f"{', '.join(columns)}"
        )
    for col in numeric:
        if not df.schema[col].is_numeric():
            raise RunError(f"{path}: column '{col}' is {df.schema[col]}; expected numbers")
    return df


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
