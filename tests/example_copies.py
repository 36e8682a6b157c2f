"""Broken copies of the synthetic corridor example, for the bad-input tests: copy it, change one
file, and read the problems that loading the copy reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corridor
from corridor.errors import ScenarioError
from tests.conftest import REPO

SYNTHETIC = REPO / "examples" / "corridor-synthetic"


def copy_example(tmp_path: Path) -> Path:
    """A copy of the synthetic corridor example, to break."""
    root = tmp_path / "scenario"
    shutil.copytree(SYNTHETIC, root)
    return root


def edit_file(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first ``old`` in ``root/rel`` (which must hold it) with ``new``."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_to(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as fh:
        fh.write(text)


def problems_of(root: Path) -> list[str]:
    """The problems (one string each) of the ScenarioError that loading ``root`` must raise."""
    with pytest.raises(ScenarioError) as err:
        corridor.load(root)
    return [str(i) for i in err.value.issues]


def first_place_of_kind(root: Path, kind: str) -> str:
    """The name of the first place of ``kind`` in ``root``'s locations.csv."""
    lines = (root / "locations.csv").read_text(encoding="utf-8").splitlines()
    return next(line.split(",")[0] for line in lines if f",{kind}," in line)
