"""Run folders are written atomically: under a temporary name beside the target, renamed when
complete, removed if anything fails. A folder that exists under its final name is always whole."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corridor.errors import CorridorError, RunError


class OutputExistsError(CorridorError):
    """The requested run folder already exists; corridor never overwrites a run."""


def check_target(target: Path, allow_empty: bool = False) -> None:
    """Fail before any work is done if the run folder cannot be created: it exists (a file, a
    folder, a run; with ``allow_empty`` an empty folder is accepted), a folder on its way is a
    file, or the folder it would go in is not writable."""
    target = Path(target)
    ancestor = target.absolute().parent
    if allow_empty and target.is_dir() and not any(target.iterdir()):
        ancestor = target.absolute()
    elif target.exists() or target.is_symlink():
        what = "a folder" if target.is_dir() else "a file"
        raise OutputExistsError(
            f"{target} already exists ({what}); corridor never overwrites it: choose a new --out "
            "folder"
        )
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise CorridorError(f"cannot create {target}: {ancestor} is a file, not a folder")
    try:  # the only reliable test of writability (root, read-only mounts, ACLs): try it
        probe = tempfile.mkdtemp(prefix=f".{target.name}.probe-", dir=ancestor)
        os.rmdir(probe)
    except OSError as exc:
        raise CorridorError(
            f"cannot create {target}: cannot write in {ancestor} ({exc.strerror or exc}); "
            "choose an --out folder in a writable place"
        ) from None


@contextmanager
def atomic_run_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success rename it to ``target``, on failure delete it."""
    target = Path(target)
    check_target(target)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
    except OSError as exc:
        raise RunError(f"cannot create {target}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if target.exists():
            raise OutputExistsError(f"{target} appeared while the run was going; not replaced")
        os.rename(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RunError(
            f"cannot write the run folder {target}: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else "")
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8"
    )
