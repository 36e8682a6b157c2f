"""The flagship's report renders in headless Chromium: every figure decodes, the map is there, no
script error, and nothing is fetched from the network (requests to any host are made to fail)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import corridor
from corridor.report.html import build_report
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_flagship_report_renders_offline(tmp_path: Path) -> None:
    scenario = corridor.load(REPO / "scenarios" / "mexico-2019")
    corridor.run(scenario, seed=1, days=150, out=tmp_path / "run")
    report = build_report(tmp_path / "run")
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", text), "the page must not load anything"
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=10000",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    attrs = body.group(1)
    assert 'data-rendered="ok"' in attrs, attrs
    assert "data-errors" not in attrs, attrs
    images = int(re.search(r'data-images="(\d+)"', attrs).group(1))  # type: ignore[union-attr]
    assert images >= 6
    assert "Map of places and flows" in dom
