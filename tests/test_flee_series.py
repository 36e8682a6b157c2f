"""Observed series with Flee 3.1's DataTable meaning: interpolation, merged files, corrections."""

from __future__ import annotations

import numpy as np

from corridor.scenario.flee.series import (
    SeriesTable,
    add_tables,
    apply_registration_correction,
    interpolate,
)


def table(points: list[tuple[int, float]]) -> SeriesTable:
    return SeriesTable(
        np.array([p[0] for p in points], float), np.array([p[1] for p in points], float)
    )


def test_interpolation_truncates_and_clamps() -> None:
    """Rule: linear between points, truncated with int(); the first value before the first point
    and the last value after the last one (Flee's get_interpolated_data)."""
    t = table([(2, 10), (6, 13), (8, 13)])
    got = interpolate(t, np.arange(0, 11))
    assert list(got) == [10, 10, 10, 10, 11, 12, 13, 13, 13, 13, 13]


def test_single_point_series() -> None:
    assert list(interpolate(table([(5, 7)]), np.arange(3))) == [7, 7, 7]


def test_points_in_file_order_as_flee_reads_them() -> None:
    """Rule: an out-of-order point is used where the file puts it (nigeria2016's data has one)."""
    t = table([(0, 0), (10, 100), (5, 50), (20, 200)])
    # day 12: the first point later than 12 is day 20, its predecessor in the file is (5, 50)
    assert interpolate(t, np.array([12]))[0] == int(50 + (12 - 5) / (20 - 5) * 150)


def test_add_tables_keeps_flee_quirks() -> None:
    """Rule (AddCSVTables): at a table2 point between table1 points table1's *next* value is added,
    and points of either table past the other's end are dropped."""
    t1 = table([(0, 100), (10, 200), (20, 300)])
    t2 = table([(0, 1), (5, 2), (10, 3)])
    merged = add_tables(t1, t2)
    assert list(merged.days) == [0, 5, 10]
    assert list(merged.values) == [101, 202, 203]


def test_registration_correction_scales_earlier_points() -> None:
    """Rule: points before the correction date are scaled by value(date) / value(previous)."""
    t = table([(0, 50), (10, 100), (20, 80), (30, 90)])
    apply_registration_correction(t, 20)
    assert np.allclose(t.values, [40, 80, 80, 90])
