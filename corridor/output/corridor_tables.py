"""Parquet tables of a ``corridor`` run (docs/model.md, "A day", step 6).

- ``daily.parquet``: day × place × status × nationality × age group → people (non-zero rows);
  people on a route at the end of the day are counted at the route's destination as ``en_route``.
- ``routes.parquet``: day × route → passages completed, interceptions, deaths and missing, people
  on the route at the end of the day, and the perceived interception probability.
- ``events.parquet``: day × place × event kind × nationality → count (non-zero rows).
- ``attempts.parquet``: state at the end of the run × nationality × age group × attempts (the
  number of departures, the first included) → people (non-zero rows).
Counts are agents; divide by the manifest's ``scale`` for people (scale 1: one agent per person).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corridor.compile.corridor import EVENTS, MODES, STATUSES, CorridorModel
from corridor.engine.corridor_engine import CorridorRecord
from corridor.output import arrow
from corridor.output.flee_tables import PARQUET_OPTIONS


def _dict(codes: np.ndarray, names: list[str]) -> pa.DictionaryArray:
    return arrow.dictionary(codes.astype(np.int32), names)


def _dates(m: CorridorModel, days: np.ndarray) -> pa.Array:
    return arrow.dates(m.start_date, days)


def write_daily(path: Path, m: CorridorModel, rec: CorridorRecord) -> None:
    nz = np.nonzero(rec.counts)
    day, place, status, nat, age = nz
    table = pa.table(
        {
            "day": arrow.numeric(day, np.int32),
            "date": _dates(m, day),
            "place": _dict(place, m.place_names),
            "status": _dict(status, STATUSES),
            "nationality": _dict(nat, m.nationalities),
            "age_group": _dict(age, m.age_groups),
            "people": arrow.numeric(rec.counts[nz], np.int64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_routes(path: Path, m: CorridorModel, rec: CorridorRecord) -> None:
    days, n_edge = m.days, m.n_edge
    day = np.repeat(np.arange(days), n_edge)
    edge = np.tile(np.arange(n_edge), days)
    rs = rec.route_stats.reshape(-1, 4)
    table = pa.table(
        {
            "day": arrow.numeric(day, np.int32),
            "date": _dates(m, day),
            "route": _dict(edge, m.edge_id),
            "from": _dict(m.edge_from[edge], m.place_names),
            "to": _dict(m.edge_to[edge], m.place_names),
            "mode": _dict(m.edge_mode[edge], [x.value for x in MODES]),
            "passages": arrow.numeric(rs[:, 0], np.int64),
            "interceptions": arrow.numeric(rs[:, 1], np.int64),
            "deaths_missing": arrow.numeric(rs[:, 2], np.int64),
            "on_route": arrow.numeric(rs[:, 3], np.int64),
            "perceived_interception": arrow.numeric(rec.perceived.reshape(-1), np.float64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_events(path: Path, m: CorridorModel, rec: CorridorRecord) -> None:
    nz = np.nonzero(rec.events)
    day, place, kind, nat = nz
    table = pa.table(
        {
            "day": arrow.numeric(day, np.int32),
            "date": _dates(m, day),
            "place": _dict(place, m.place_names),
            "kind": _dict(kind, EVENTS),
            "nationality": _dict(nat, m.nationalities),
            "count": arrow.numeric(rec.events[nz], np.int64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_attempts(path: Path, m: CorridorModel, rec: CorridorRecord) -> None:
    nz = np.nonzero(rec.attempts)
    status, nat, age, tries = nz
    table = pa.table(
        {
            "status": _dict(status, STATUSES),
            "nationality": _dict(nat, m.nationalities),
            "age_group": _dict(age, m.age_groups),
            "attempts": arrow.numeric(tries, np.int32),
            "people": arrow.numeric(rec.attempts[nz], np.int64),
        }
    )
    pq.write_table(table, path, **PARQUET_OPTIONS)
