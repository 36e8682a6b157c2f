"""Calendar periods of the observed series: a month ``YYYY-MM`` or a year ``YYYY``.

Kept apart from the series code so that the report can split training from test periods by the
same rule as the validation without importing the engine."""

from __future__ import annotations

import datetime as dt


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), 1 if len(period) == 4 else int(period[5:7]), 1)


def period_end(period: str) -> dt.date:
    if len(period) == 4:
        return dt.date(int(period), 12, 31)
    year, month = int(period[:4]), int(period[5:7])
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
