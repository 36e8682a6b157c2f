"""Statistical checks of the counter-based generator (fixed keys; tolerances stated)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from corridor.engine.rng import MOVE, ROUTE, root_key, stream_key, uniforms

N = 1_000_000


def test_uniform_distribution() -> None:
    """Kolmogorov-Smirnov against U(0,1): p > 1e-4 (a correct generator fails 1 in 10,000)."""
    u = uniforms(stream_key(root_key(7), 3, 0, MOVE), np.arange(N))
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-4


def test_neighbours_streams_and_days_are_uncorrelated() -> None:
    """Correlations between adjacent agents, between purposes and between days: |r| < 5/sqrt(N)."""
    root = root_key(7)
    a = uniforms(stream_key(root, 3, 0, MOVE), np.arange(N))
    b = uniforms(stream_key(root, 3, 0, ROUTE), np.arange(N))
    c = uniforms(stream_key(root, 4, 0, MOVE), np.arange(N))
    limit = 5 / np.sqrt(N)
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < limit
    assert abs(np.corrcoef(a, b)[0, 1]) < limit
    assert abs(np.corrcoef(a, c)[0, 1]) < limit


def test_draws_depend_only_on_key_and_agent() -> None:
    key = stream_key(root_key(1), 0, 0, MOVE)
    full = uniforms(key, np.arange(1000))
    assert np.array_equal(uniforms(key, np.arange(500, 1000)), full[500:])
    assert not np.array_equal(uniforms(stream_key(root_key(2), 0, 0, MOVE), np.arange(1000)), full)
