"""Agent state as a structure of arrays (no Python object per agent)."""

from __future__ import annotations

import numpy as np

FIELDS = (
    "loc", "link", "dist", "route", "rlen", "rpos", "recent", "moved", "first", "epoch", "active",
)  # fmt: skip


class FleeAgents:
    """State of the ``flee`` ruleset's agents; rows ``[0, n)`` are in use, in creation order.

    Memory per agent: 4 (loc) + 4 (link) + 8 (km on link) + 4 x route length + 2 (route length and
    position) + 8 (recent travel) + 8 (km today) + 1 (first link) + 4 (closure epoch) + 1 (active).
    Distances are float64, as Flee's: its thresholds (a day's distance used up exactly, the
    short-stint rule's 0.5) are met exactly by integer km and speeds, which float32 misses.
    """

    def __init__(self, capacity: int, route_len: int) -> None:
        self.n = 0
        self.route_len = max(route_len, 1)
        self._alloc(max(capacity, 1))

    def _alloc(self, cap: int) -> None:
        old = self.__dict__.copy()
        self.loc = np.zeros(cap, dtype=np.int32)
        self.link = np.full(cap, -1, dtype=np.int32)
        self.dist = np.zeros(cap, dtype=np.float64)
        self.route = np.full((cap, self.route_len), -1, dtype=np.int32)
        self.rlen = np.zeros(cap, dtype=np.int8)
        self.rpos = np.zeros(cap, dtype=np.int8)
        self.recent = np.zeros(cap, dtype=np.float64)
        self.moved = np.zeros(cap, dtype=np.float64)
        self.first = np.ones(cap, dtype=np.uint8)
        self.epoch = np.zeros(cap, dtype=np.int32)
        self.active = np.ones(cap, dtype=np.uint8)
        if "loc" in old:
            n = self.n
            for name in FIELDS:
                getattr(self, name)[:n] = old[name][:n]

    @property
    def capacity(self) -> int:
        return len(self.loc)

    def add(self, locations: np.ndarray) -> None:
        """Append new agents, one per entry of ``locations``, settled there and not travelling."""
        k = len(locations)
        if self.n + k > self.capacity:
            self._alloc(max(self.n + k, 2 * self.capacity))
        sl = slice(self.n, self.n + k)
        self.loc[sl] = locations
        self.link[sl] = -1
        self.dist[sl] = 0.0
        self.rlen[sl] = 0
        self.rpos[sl] = 0
        self.recent[sl] = 0.0
        self.moved[sl] = 0.0
        self.first[sl] = 1
        self.epoch[sl] = 0
        self.active[sl] = 1
        self.n += k

    def arrays(self) -> tuple[np.ndarray, ...]:
        """The state arrays in the order the kernels take them (see flee_kernels)."""
        return tuple(getattr(self, name) for name in FIELDS)

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in FIELDS)
