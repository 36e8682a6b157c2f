"""The cost to go: corridor's Dijkstra kernel against scipy's, on random graphs with parallel
places, unreachable places, closed (inf) routes and ties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor.engine.cost_to_go import nearest_goal_distances


@pytest.mark.parametrize("seed", range(20))
def test_nearest_goal_distances_equal_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    m = int(rng.integers(1, 4 * n))
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rows != cols
    pairs = sorted(set(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True)))
    if not pairs:
        pairs = [(0, 1)]
    row = np.array([p[0] for p in pairs])
    col = np.array([p[1] for p in pairs])
    # costs with ties (rounded) and a few closed routes (inf), as the day's pair costs are
    weight = np.round(rng.uniform(0.1, 5.0, len(pairs)), 1) + 1e-9
    weight[rng.uniform(size=len(pairs)) < 0.1] = np.inf
    indptr = np.searchsorted(row, np.arange(n + 1)).astype(np.int32)
    goals = np.unique(rng.integers(0, n, int(rng.integers(1, 4))))
    ours = np.empty(n)
    nearest_goal_distances(indptr, col.astype(np.int32), weight, goals, ours)
    finite = np.isfinite(weight)
    graph = csr_matrix((weight[finite], (row[finite], col[finite])), shape=(n, n))
    theirs = dijkstra(graph, directed=True, indices=goals, min_only=True)
    assert np.array_equal(ours, theirs)  # bit for bit, inf where no goal is in reach
