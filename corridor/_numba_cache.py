"""Where Numba caches compiled kernels, keyed by the engine's source.

Numba's own cache checks only the timestamp of the file that defines a kernel, not the files whose
functions it inlines (the random-number functions, for instance). After an upgrade or an edit that
could load stale machine code. corridor therefore points Numba's cache at a folder named after a
hash of every engine source file and the Numba version: new code, new folder. Set NUMBA_CACHE_DIR to
choose the folder yourself, or CORRIDOR_CACHE_DIR to move corridor's cache root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numba

_DONE = False


def configure() -> str:
    """Set ``numba.config.CACHE_DIR`` before any kernel module is imported; return it."""
    global _DONE
    # OpenMP threads that spin while waiting make a shared machine crawl (measured: 20x slower
    # with one other busy process on two cores); passive waiting costs little here.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(numba.__version__.encode())
    for path in sorted(here.rglob("*.py")):
        if "kernels" in path.name or path.parent.name == "engine" or path.name == "rng.py":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    base = os.environ.get("CORRIDOR_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(xdg) / "corridor")
    folder = Path(base) / f"numba-{digest.hexdigest()[:16]}"
    if not folder.exists():  # new engine code: drop caches of earlier versions
        for old in Path(base).glob("numba-*"):
            shutil.rmtree(old, ignore_errors=True)
    numba.config.CACHE_DIR = str(folder)
    _DONE = True
    return str(folder)
