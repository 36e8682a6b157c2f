"""Parquet tables of a ``flee`` run: counts per day and location, and per day and route."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corridor.compile.flee import FleeModel
from corridor.engine.flee_engine import FleeRecord

# Fixed writer options so the same counts give the same bytes.
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": True, "write_statistics": True}


def _day_dates(model: FleeModel, n_rows_per_day: int) -> tuple[pa.Array, pa.Array]:
    days = np.repeat(np.arange(model.days, dtype=np.int32), n_rows_per_day)
    start = np.datetime64(model.start_date, "D")
    dates = start + days.astype("timedelta64[D]")
    return pa.array(days, pa.int32()), pa.array(dates, pa.date32())


def write_daily(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    """``daily.parquet``: one row per day and location; agents there at the end of the day."""
    n = model.n_loc
    day, date = _day_dates(model, n)
    names = pa.DictionaryArray.from_arrays(
        pa.array(np.tile(np.arange(n, dtype=np.int32), model.days)), pa.array(model.loc_names)
    )
    camp = model.camp[: model.days].reshape(-1)
    table = pa.table(
        {
            "day": day,
            "date": date,
            "location": names,
            "camp": pa.array(camp, pa.bool_()),
            "agents": pa.array(rec.loc_counts.reshape(-1), pa.int64()),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_routes(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    """``routes.parquet``: one row per day and directed link; agents on it at the end of the day."""
    n = model.n_link
    day, date = _day_dates(model, n)
    link = np.tile(np.arange(n, dtype=np.int32), model.days)
    names = pa.array(model.loc_names)
    table = pa.table(
        {
            "day": day,
            "date": date,
            "from": pa.DictionaryArray.from_arrays(pa.array(model.link_start[link]), names),
            "to": pa.DictionaryArray.from_arrays(pa.array(model.link_end[link]), names),
            "km": pa.array(model.link_dist[link], pa.float64()),
            "agents": pa.array(rec.link_counts.reshape(-1), pa.int64()),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)
