"""Field types shared by every input schema: parse text cells, fail with a message to act on.

The message of each failure is phrased as *what was expected* ("a whole number", "a date
YYYY-MM-DD"), because :class:`corridor.errors.InputIssue` prints it after "expected".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from corridor.errors import IssueLog
from corridor.scenario.csvio import decode_text


def _fail(expected: str) -> PydanticCustomError:
    return PydanticCustomError("corridor", expected)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _fail("a whole number")
    if isinstance(value, int):
        return value
    try:
        return int(_text(value).strip())
    except ValueError:
        raise _fail("a whole number") from None


def parse_float(value: Any) -> float:
    if isinstance(value, bool):
        raise _fail("a number")
    try:
        out = float(value) if isinstance(value, int | float) else float(_text(value).strip())
    except ValueError:
        raise _fail("a number") from None
    if not math.isfinite(out):
        raise _fail("a finite number")
    return out


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(_text(value).strip(), "%Y-%m-%d").date()
    except ValueError:
        raise _fail("a date written YYYY-MM-DD") from None


def parse_name(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise _fail("a non-empty name")
    return text


def _empty_as(default: Any, parse: Any) -> Any:
    def inner(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        return parse(value)

    return inner


Int = Annotated[int, BeforeValidator(parse_int)]
Float = Annotated[float, BeforeValidator(parse_float)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Name = Annotated[str, BeforeValidator(parse_name)]
IntOrNone = Annotated[int | None, BeforeValidator(_empty_as(None, parse_int))]
IntOrZero = Annotated[int, BeforeValidator(_empty_as(0, parse_int))]
FloatOrZero = Annotated[float, BeforeValidator(_empty_as(0.0, parse_float))]
FloatOrNone = Annotated[float | None, BeforeValidator(_empty_as(None, parse_float))]
DateOrNone = Annotated[dt.date | None, BeforeValidator(_empty_as(None, parse_date))]

M = TypeVar("M", bound=BaseModel)

# pydantic's own wording ("Input should be a valid number, unable to parse string as a number")
# reads badly after "expected"; these are the phrases corridor's own parsers use.
_PLAIN_EXPECTED = {
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing_size": "a whole number of sensible size",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
}
_BOUNDS = {
    "greater_than": "a number above {gt}",
    "greater_than_equal": "a number of {ge} or more",
    "less_than": "a number below {lt}",
    "less_than_equal": "a number of at most {le}",
    "too_short": "at least {min_length} item(s)",
    "too_long": "at most {max_length} item(s)",
}


def expected_text(err: Any, noun: str = "field") -> str:
    """What a pydantic error expected, phrased to follow "expected" in an :class:`InputIssue`.

    ``noun`` is "field" for CSV columns and "key" for YAML settings.
    """
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", "a valid value"))
    if kind == "missing":
        return f"a value (the {noun} is required)"
    if kind == "extra_forbidden":
        return f"no such {noun} (unknown name)"
    if kind.startswith("literal") and "expected" in ctx:
        return "one of " + str(ctx["expected"])
    if kind == "enum" and "expected" in ctx:
        return "one of " + str(ctx["expected"])
    if kind == "value_error":  # a validator's ValueError: its text is already the expectation
        return msg.removeprefix("Value error, ")
    if kind in _BOUNDS:
        with contextlib.suppress(KeyError, IndexError):
            return _BOUNDS[kind].format(**ctx)
    return _PLAIN_EXPECTED.get(kind, msg)


def report_validation_error(
    exc: ValidationError, log: IssueLog, file: str, line: int | None, data: Any = None
) -> None:
    """Turn each pydantic error into an :class:`InputIssue` naming the column and the value."""
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        column = ".".join(loc) if loc else None
        value = err.get("input")
        if isinstance(value, dict):  # a missing field: pydantic reports the whole row as input
            value = None
        expected = expected_text(err, "field")
        log.error(file, expected, line=line, column=column, value=value)


def validate_model(
    model: type[M], data: Any, log: IssueLog, file: str, line: int | None = None
) -> M | None:
    """Validate one record; on failure log every problem and return None."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, log, file, line, data)
        return None


def yaml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path of a YAML mapping to the (1-based) line it is written on.

    pydantic knows the path of a bad value but not where it is in the file; this lets messages
    about ``simsetting.yml`` or ``scenario.yml`` name the line as well.
    """
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, val in node.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                walk(val, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = (*path, str(i))
                lines[sub] = item.start_mark.line + 1
                walk(item, sub)

    with contextlib.suppress(yaml.YAMLError):
        walk(yaml.compose(text), ())
    return lines


def yaml_duplicate_keys(text: str) -> list[tuple[tuple[str, ...], int, int]]:
    """Each key written twice in one mapping: (key path, line of the repeat, line of the first).

    PyYAML keeps the last of repeated keys without a word, so a value written higher up in the
    file is silently ignored; a scenario's own YAML files report the repeat instead.
    """
    found: list[tuple[tuple[str, ...], int, int]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, val in node.value:
                name = str(key.value)
                line = key.start_mark.line + 1
                if name in first and name != "<<":
                    found.append(((*path, name), line, first[name]))
                first.setdefault(name, line)
                walk(val, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, str(i)))

    with contextlib.suppress(yaml.YAMLError):
        walk(yaml.compose(text), ())
    return found


def read_yaml(
    path: Path, rel: str, log: IssueLog, *, unique_keys: bool = False
) -> tuple[Any, dict[tuple[str, ...], int]]:
    """Read a YAML file; on failure log the line and return (None, {}).

    ``unique_keys`` reports each key repeated in one mapping (YAML would keep the last silently);
    the data is still returned, so the rest of the file is checked as well."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.error(rel, f"a readable file ({exc.strerror})")
        return None, {}
    text = decode_text(raw, rel, log)
    if text is None:
        return None, {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "valid YAML"
        log.error(rel, f"valid YAML ({problem})", line=line)
        return None, {}
    if unique_keys:
        for key_path, line, first in yaml_duplicate_keys(text):
            log.error(
                rel,
                f"each key once in its mapping (also on line {first}; YAML keeps only the last)",
                line=line,
                column=".".join(key_path),
            )
    return data, yaml_key_lines(text)


def report_yaml_validation_error(
    exc: ValidationError,
    log: IssueLog,
    file: str,
    key_lines: dict[tuple[str, ...], int],
    prefix: Iterable[str] = (),
) -> None:
    """Like :func:`report_validation_error`, with the line of each key looked up in the YAML."""
    for err in exc.errors():
        path = (*prefix, *(str(p) for p in err.get("loc", ())))
        line = None
        for cut in range(len(path), 0, -1):
            if path[:cut] in key_lines:
                line = key_lines[path[:cut]]
                break
        value = err.get("input")
        if isinstance(value, dict | list):
            value = None
        log.error(
            file, expected_text(err, "key"), line=line, column=".".join(path) or None, value=value
        )
