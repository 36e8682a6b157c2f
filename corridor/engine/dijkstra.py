"""Shortest paths from a set of sources, compiled, for the cost to go that a day recomputes.

scipy.sparse.csgraph.dijkstra gives the same distances, and the tests hold this function to it
bit for bit. It is not called from the day loop because of what surrounds its search: validating
and converting the graph and its arguments on every call took 35 µs on a warm cache and about
120 µs within a run (after the day kernel has emptied the caches), more than the search itself
on a few hundred places. That was the largest cost of a day that does not grow with the number
of agents (docs/performance.md). This search on the same graph takes under 10 µs.

The distances do not depend on the order in which a search settles places: each is the least,
over the place's incoming edges, of the distance at the edge's start plus its weight, and IEEE
addition is monotone, so any correct search reaches the same floating-point numbers.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def _push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:
    """Insert into the binary min-heap ``keys[:size]`` (with ``items``); return the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@nb.njit(cache=True)
def _pop_last_into_root(keys: np.ndarray, items: np.ndarray, size: int) -> int:
    """Remove the root of the heap ``keys[:size]`` (read by the caller first); return the new
    size."""
    size -= 1
    key, item = keys[size], items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i] = keys[child]
        items[i] = items[child]
        i = child
    keys[i] = key
    items[i] = item
    return size


@nb.njit(cache=True)
def distances_from(
    indptr: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    dist: np.ndarray,
) -> np.ndarray:
    """Fill ``dist`` with each node's least distance from any of ``sources`` over the directed
    graph whose edges out of node u are ``targets[indptr[u]:indptr[u + 1]]`` with ``weights``
    (non-negative; inf: no edge); inf where no source reaches. Returns ``dist``."""
    n = len(indptr) - 1
    for v in range(n):
        dist[v] = np.inf
    settled = np.zeros(n, dtype=np.bool_)
    # Each improvement pushes once (stale entries are skipped when popped), so the heap never
    # holds more than one entry per edge plus the sources.
    keys = np.empty(len(weights) + len(sources), dtype=np.float64)
    items = np.empty(len(weights) + len(sources), dtype=np.int64)
    size = 0
    for s in sources:
        if dist[s] > 0.0:
            dist[s] = 0.0
            size = _push(keys, items, size, 0.0, s)
    while size > 0:
        d, u = keys[0], items[0]
        size = _pop_last_into_root(keys, items, size)
        if settled[u]:
            continue
        settled[u] = True
        for q in range(indptr[u], indptr[u + 1]):
            v = targets[q]
            through_u = d + weights[q]
            if through_u < dist[v]:
                dist[v] = through_u
                size = _push(keys, items, size, through_u, v)
    return dist
