"""Run folders are written atomically: under a temporary name beside the target, renamed when
complete, removed if anything fails. A folder that exists under its final name is always whole."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError


class OutputExistsError(CorridorError):
    """The requested run folder already exists; corridor never overwrites a run."""


def check_target(target: Path) -> None:
    """Fail before any work is done if the run folder cannot be created."""
    if target.exists():
        raise OutputExistsError(f"{target} already exists; choose a new --out folder")
    parent = target.parent if str(target.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise CorridorError(f"cannot create {target}: {parent} is not a folder")


@contextmanager
def atomic_run_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success rename it to ``target``, on failure delete it."""
    target = Path(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
        if target.exists():
            raise OutputExistsError(f"{target} appeared while the run was going; not replaced")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8"
    )
