"""Parquet tables of a ``flee`` run: counts per day and location, and per day and route."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corridor.compile.flee import FleeModel
from corridor.engine.flee_engine import FleeRecord
from corridor.output import arrow

# Fixed writer options so the same counts give the same bytes.
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": True, "write_statistics": True}


def _day_dates(model: FleeModel, n_rows_per_day: int) -> tuple[pa.Array, pa.Array]:
    days = np.repeat(np.arange(model.days, dtype=np.int32), n_rows_per_day)
    return arrow.numeric(days), arrow.dates(model.start_date, days)


def write_daily(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    """``daily.parquet``: one row per day and location; agents there at the end of the day."""
    n = model.n_loc
    day, date = _day_dates(model, n)
    names = arrow.dictionary(np.tile(np.arange(n, dtype=np.int32), model.days), model.loc_names)
    camp = model.camp[: model.days].reshape(-1)
    table = pa.table(
        {
            "day": day,
            "date": date,
            "location": names,
            "camp": arrow.booleans(camp),
            "agents": arrow.numeric(rec.loc_counts.reshape(-1), np.int64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_routes(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    """``routes.parquet``: one row per day and directed link; agents on it at the end of the day."""
    n = model.n_link
    day, date = _day_dates(model, n)
    link = np.tile(np.arange(n, dtype=np.int32), model.days)
    names = arrow.strings(model.loc_names)
    table = pa.table(
        {
            "day": day,
            "date": date,
            "from": arrow.dictionary(model.link_start[link], names),
            "to": arrow.dictionary(model.link_end[link], names),
            "km": arrow.numeric(model.link_dist[link], np.float64),
            "agents": arrow.numeric(rec.link_counts.reshape(-1), np.int64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)
