"""Quantile bands over replicas: p5, p25, p50, p75, p95 (and mean, n) per series and month.

Computed with NumPy on a (series x month) by replica matrix whose columns are in replica order,
so the same replicas give the same numbers to the last bit wherever and in whatever order they
were run. Quantiles use NumPy's default (linear interpolation, "type 7"). A replica that lacks a
(series, month) row (a shorter run, a camp absent from a variant) is left out of that row's
band; ``n`` says how many replicas each row summarises.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)
BAND_COLUMNS = ("p5", "p25", "p50", "p75", "p95")
KEYS = ("series", "period")


def value_matrix(frames: Sequence[pl.DataFrame]) -> tuple[pl.DataFrame, np.ndarray]:
    """Sorted (series, period) keys and a values matrix, one column per frame (NaN: absent)."""
    keys = (
        pl.concat([f.select(KEYS) for f in frames]).unique().sort(list(KEYS)).with_row_index("_row")
    )
    matrix = np.full((keys.height, len(frames)), np.nan)
    for j, frame in enumerate(frames):
        rows = frame.join(keys, on=list(KEYS), how="inner")
        matrix[rows["_row"].to_numpy(), j] = rows["value"].to_numpy()
    return keys.drop("_row"), matrix


def quantile_bands(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Bands of ``value`` over ``frames`` (long tables with series, period, value), rows sorted."""
    if not frames:
        raise ValueError("no replicas to summarise")
    keys, m = value_matrix(frames)
    present = ~np.isnan(m)
    n = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(present, m, 0.0).sum(axis=1) / np.maximum(n, 1), np.nan)
    q = np.full((len(QUANTILES), m.shape[0]), np.nan)
    full = n == m.shape[1]
    if full.any():
        q[:, full] = np.quantile(m[full], QUANTILES, axis=1)
    for i in np.flatnonzero(~full & (n > 0)):
        q[:, i] = np.quantile(m[i, present[i]], QUANTILES)
    cols = {"n": pl.Series("n", n.astype(np.int32)), "mean": pl.Series("mean", mean)}
    cols.update({name: pl.Series(name, q[i]) for i, name in enumerate(BAND_COLUMNS)})
    return keys.with_columns(**cols)
