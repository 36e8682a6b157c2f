"""Parquet files written the same way every time, and atomically.

Every table corridor's ensembles write goes through :func:`write_parquet`: a fixed Arrow schema
(plain ``string``, never polars' view types), rows in the order given (callers sort), fixed writer
options and no timestamps. The same rows therefore give the same bytes, which is what lets the tests
(and users) check "byte-identical whichever executor ran it". The file appears under its final name
only when complete: it is written to a hidden temporary name beside it, then renamed.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "row_group_size": 1 << 20,
}
METADATA_KEY = b"corridor"


def _plain(df: pl.DataFrame) -> pa.Table:
    table = df.to_arrow()
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_large_string(t) or pa.types.is_string_view(t):
            t = pa.string()
        fields.append(pa.field(f.name, t))
    return table.cast(pa.schema(fields))


def write_parquet(df: pl.DataFrame, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Write ``df`` to ``path`` atomically, deterministically, with optional JSON metadata."""
    table = _plain(df)
    if metadata is not None:
        blob = json.dumps(metadata, sort_keys=True, separators=(",", ":")).encode()
        table = table.replace_schema_metadata({METADATA_KEY: blob})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        pq.write_table(table, tmp, **WRITER_OPTIONS)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_metadata(path: Path) -> dict[str, Any]:
    """The JSON metadata :func:`write_parquet` stored (empty if none)."""
    meta = pq.read_schema(path).metadata or {}
    blob = meta.get(METADATA_KEY)
    return json.loads(blob) if blob else {}


def write_json_atomic(path: Path, data: Any) -> None:
    """A JSON file, complete or absent; keys in the order given, so diffs stay readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
