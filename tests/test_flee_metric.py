"""Flee's validation error, checked on a small out.csv against the formula written out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corridor.validate.flee_metric import flee_validation

HEADER = (
    "Day,Date,A sim,A data,A error,B sim,B data,B error,Total error,"
    "refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,"
    "refugees in camps (simulation),refugee_debt"
)


def write(tmp_path: Path, rows: list[list[float]]) -> Path:
    path = tmp_path / "out.csv"
    lines = [HEADER]
    for d, (a_sim, a_data, b_sim, b_data) in enumerate(rows):
        u, s = a_data + b_data, a_sim + b_sim
        lines.append(
            f"{d},2020-01-0{d + 1},{a_sim},{a_data},0,{b_sim},{b_data},0,0,{u},{s},{u},{s},0"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_error_formula(tmp_path: Path) -> None:
    """E(t) = sum_c |sim_c U/S - data_c| / max(U, 1); rescaled term 0 when S = 0; mean over days."""
    rows = [[0, 10, 0, 0], [30, 40, 10, 60], [50, 50, 50, 50]]
    v = flee_validation(write(tmp_path, rows))
    expected, expected_normal = [], []
    for a_sim, a_data, b_sim, b_data in rows:
        u, s = a_data + b_data, a_sim + b_sim
        scale = u / s if s > 0 else 0.0
        e = abs(a_sim * scale - a_data) + abs(b_sim * scale - b_data)
        expected.append(e / max(u, 1))
        expected_normal.append((abs(a_sim - a_data) + abs(b_sim - b_data)) / max(u, 1))
    assert np.isclose(v.error_rescaled, np.mean(expected))
    assert np.isclose(v.error_normal, np.mean(expected_normal))
    assert v.days == 3
    assert set(v.per_camp_rescaled) == {"A", "B"}
    assert np.isclose(sum(v.per_camp_rescaled.values()), v.error_rescaled)


def test_error_of_an_out_csv_named_by_a_string(tmp_path: Path) -> None:
    """The Python API takes a path as a string too (it raised AttributeError before)."""
    path = write(tmp_path, [[30, 40, 10, 60]])
    assert flee_validation(str(path)).error_rescaled == flee_validation(path).error_rescaled
