"""The compiled shortest-path search (corridor/engine/dijkstra.py) against SciPy's, bit for bit.

The day loop uses its own search only to avoid SciPy's per-call overhead (docs/performance.md),
so the two must agree exactly, not approximately: the cost to go feeds the route choice, and a
last-bit difference would change which route an agent takes.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor.engine.dijkstra import distances_from


def _random_graph(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays of ``m`` random edges on ``n`` nodes, one per (from, to) pair, with weights
    spread over six orders of magnitude, some infinite (a closed pair) and some tiny (1e-9, the
    floor the route costs get), so that near-ties and unreachable nodes occur."""
    gen = np.random.default_rng(seed)
    pairs = np.unique(gen.integers(0, n, size=(m, 2)), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    w = 10.0 ** gen.uniform(-3, 3, len(pairs))
    w[gen.random(len(pairs)) < 0.05] = np.inf
    w[gen.random(len(pairs)) < 0.05] = 1e-9
    indptr = np.searchsorted(pairs[:, 0], np.arange(n + 1))
    return indptr, pairs[:, 1].astype(np.int64), w


def _scipy(
    indptr: np.ndarray, targets: np.ndarray, w: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    n = len(indptr) - 1
    graph = csr_matrix((w, targets, indptr), shape=(n, n))
    return dijkstra(graph, directed=True, indices=sources, min_only=True)


@pytest.mark.parametrize("seed", range(20))
def test_same_distances_as_scipy(seed: int) -> None:
    """Random sparse graphs (a few hundred nodes, like a scenario's places), one to five sources,
    some nodes out of reach: every distance equal to SciPy's, inf where SciPy gives inf."""
    n = 50 + 20 * seed
    indptr, targets, w = _random_graph(seed, n, 3 * n)
    sources = np.random.default_rng(100 + seed).choice(n, size=1 + seed % 5, replace=False)
    ours = distances_from(indptr, targets, w, sources, np.empty(n))
    theirs = _scipy(indptr, targets, w, sources)
    np.testing.assert_array_equal(ours, theirs)


def test_random_graphs_cover_unreachable_and_long_paths() -> None:
    """The graphs above are not trivial: across the seeds some nodes are out of reach and some
    are reached over paths of several edges (a distance above any single weight out of a source
    would not show that, so count settled nodes not adjacent to a source)."""
    unreachable = multi_edge = 0
    for seed in range(20):
        n = 50 + 20 * seed
        indptr, targets, w = _random_graph(seed, n, 3 * n)
        sources = np.random.default_rng(100 + seed).choice(n, size=1 + seed % 5, replace=False)
        dist = distances_from(indptr, targets, w, sources, np.empty(n))
        adjacent = np.zeros(n, dtype=bool)
        adjacent[sources] = True
        for s in sources:
            adjacent[targets[indptr[s] : indptr[s + 1]]] = True
        unreachable += int(np.isinf(dist).sum())
        multi_edge += int((np.isfinite(dist) & ~adjacent).sum())
    assert unreachable > 0 and multi_edge > 100


def test_known_answer() -> None:
    """0 -> 1 (1), 1 -> 2 (1), 0 -> 2 (3), 2 -> 3 (inf: closed), 4 isolated; from node 0:
    the two-step path to 2 wins, 3 and 4 are out of reach. A repeated source counts once."""
    indptr = np.array([0, 2, 3, 4, 4, 4])
    targets = np.array([1, 2, 2, 3], dtype=np.int64)
    w = np.array([1.0, 3.0, 1.0, np.inf])
    dist = distances_from(indptr, targets, w, np.array([0, 0]), np.empty(5))
    np.testing.assert_array_equal(dist, [0.0, 1.0, 2.0, np.inf, np.inf])
