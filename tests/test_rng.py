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


def test_an_agents_successive_draws_are_jointly_uniform() -> None:
    """The kernels number an agent's draws of a day agent * 64 + j: pairs (j, j + 1) and draws
    64 apart (the same j of neighbouring agents) must fill the unit square evenly. Chi-square
    over a 32 x 32 grid, 1,023 degrees of freedom: p > 1e-4 (a correct generator fails 1 in
    10,000)."""
    u = uniforms(stream_key(root_key(11), 5, 0, ROUTE), np.arange(64 * 40_000))
    for lag in (1, 64):
        x, y = u[:-lag], u[lag:]
        cells = np.bincount((x * 32).astype(int) * 32 + (y * 32).astype(int), minlength=1024)
        assert stats.chisquare(cells).pvalue > 1e-4


def test_bits_of_a_draw_are_balanced() -> None:
    """Each of the 53 bits behind a uniform is set in half the draws: |share - 0.5| < 5 / (2
    sqrt(N)) for every bit (low bits of a weak mixer are the first to show a bias)."""
    u = uniforms(stream_key(root_key(3), 0, 0, MOVE), np.arange(N))
    bits = (u * 2.0**53).astype(np.uint64)
    for b in range(53):
        share = ((bits >> np.uint64(b)) & np.uint64(1)).mean()
        assert abs(share - 0.5) < 5 / (2 * np.sqrt(N))
