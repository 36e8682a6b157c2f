"""Observed refugee series with Flee 3.1's ``DataTable`` meaning.

The agent totals of a Flee run are fixed by these rules (interpolation with truncation, the way
several files of one camp are added, registration corrections), so corridor reproduces them exactly,
quirks included, and documents each quirk in docs/flee-compat.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SeriesTable:
    """A (day offset, value) table in file order, values already divided by ``hasten``."""

    days: np.ndarray  # float64, days since the scenario start (may be negative)
    values: np.ndarray  # float64

    def __post_init__(self) -> None:
        self.days = np.asarray(self.days, dtype=np.float64)
        self.values = np.asarray(self.values, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.days)

    def copy(self) -> SeriesTable:
        return SeriesTable(self.days.copy(), self.values.copy())


def add_tables(table1: SeriesTable, table2: SeriesTable) -> SeriesTable:
    """Flee 3.1's ``AddCSVTables``: merge two series of one camp, as Flee does.

    Not a plain sum: where table2 has a point between two of table1's, table1's *next* value is
    added (no interpolation), points of table2 after table1's last are dropped or duplicate table1's
    last day, and table1's points after table2's last are dropped. corridor keeps this because it
    changes the observed values that validation compares against.
    """
    out_d: list[float] = []
    out_v: list[float] = []
    d1, v1 = table1.days, table1.values
    offset = 0
    last_c2_value = 0.0
    n1 = len(d1)
    for c2_day, c2_value in zip(table2.days, table2.values, strict=True):
        while c2_day > d1[offset]:
            out_d.append(d1[offset])
            out_v.append(last_c2_value + v1[offset])
            if offset < n1 - 1:
                offset += 1
            else:
                break
        if c2_day == d1[offset]:
            out_d.append(c2_day)
            out_v.append(c2_value + v1[offset])
            if offset < n1 - 1:
                offset += 1
            last_c2_value = c2_value
            continue
        if c2_day < d1[offset]:
            out_d.append(c2_day)
            out_v.append(c2_value + v1[offset])
            last_c2_value = c2_value
            continue
    return SeriesTable(np.array(out_d), np.array(out_v))


def correction_matches(table: SeriesTable, day: int) -> list[int]:
    """Indices of the points Flee's correction acts on (``int(day) == day``)."""
    return [i for i in range(len(table)) if int(table.days[i]) == int(day)]


def apply_registration_correction(table: SeriesTable, day: int) -> None:
    """Flee 3.1's ``correctLevel1Registrations``: scale every point before the date's point by
    (value at the date) / (value just before it); repeated for each point on that date."""
    values = table.values
    for i in correction_matches(table, day):
        if i > 0:
            values[0:i] *= values[i] / values[i - 1]


def interpolate(table: SeriesTable, days: np.ndarray) -> np.ndarray:
    """Flee 3.1's ``get_interpolated_data`` for each day: linear, truncated with ``int()``.

    Before the first point the first value is used and after the last the last value; in between,
    the first point later than the day and its predecessor are used (file order, as Flee does).
    """
    days = np.asarray(days, dtype=np.int64)
    out = np.empty(len(days), dtype=np.int64)
    t_days, t_vals = table.days, table.values
    first_day = t_days[0]
    later = days[:, None] < t_days[None, 1:]  # day < t_days[i] for i >= 1
    has_later = later.any(axis=1)
    idx = np.argmax(later, axis=1) + 1 if later.shape[1] else np.zeros(len(days), np.int64)
    for k, day in enumerate(days):
        if day <= first_day:
            out[k] = int(t_vals[0])
        elif has_later[k]:
            i = idx[k]
            old_val = t_vals[i - 1]
            old_day = t_days[i - 1]
            fraction = float(day - old_day) / float(t_days[i] - old_day)
            out[k] = -1 if fraction > 1.0 else int(old_val + fraction * float(t_vals[i] - old_val))
        else:
            out[k] = int(t_vals[-1])
    return out
