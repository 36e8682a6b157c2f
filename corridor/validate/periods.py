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


def covered_whole(period: str, first: dt.date | None, last: dt.date | None) -> bool:
    """Whether every day of ``period`` lies from ``first`` to ``last`` (None: open-ended). A
    period covered only in part is never set against a whole period's observed value: the
    validation, the report's panels and the calibration objectives all keep periods by this rule.
    """
    return (first is None or period_start(period) >= first) and (
        last is None or period_end(period) <= last
    )
