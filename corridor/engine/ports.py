"""Ports of entry and their lists (ports.csv; docs/model.md, "Ports of entry and metering").

People who go to a port to ask for asylum are put on its list by the day kernel (status waiting,
reason ``WAIT_PORT``). This step, after the kernel, takes them off the live list (the kernel has
nothing to do for them) and is the one place where people's days depend on one another: the
port takes in at most its capacity a day, first come first served, so who is taken in depends on
who came before. Per crossing, each day:

1. today's newcomers join the end of the list, in the order of their agent numbers (so the
   order does not depend on the threads), with the day they came;
2. the port takes people from the front, as many as its capacity at the run's scale allows
   (while people still wait, the fraction of an agent it did not reach is carried to the next
   day; capacity unused for want of people is not), and never splits a travel group: the last
   group taken in is taken whole, and the extra people are counted against the next days;
3. each of the others who has waited at least a day leaves the list with the day's chance
   ``p_give_up`` (a travel group together) and sets off again from the border city to cross
   between ports (``LEFT_PORT_LIST``: no list again on this journey).

Those taken in meet the crossing's border fates (the kernel's own rule, ``border_fate``),
drawn for their group's lead. Everyone whose state changes here leaves and re-enters the
running counts and, where something can still happen to them, the live list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba as nb
import numpy as np

from corridor.compile.corridor import (
    EV_PORT_ENTRY,
    EV_PORT_GIVE_UP,
    EV_PORT_PRESENT,
    EV_PORT_WAIT_DAYS,
    LEFT_PORT_LIST,
    RETURNED,
    TRAVELLING,
    WAIT_PORT,
    WAITING,
    CorridorModel,
)
from corridor.engine.corridor_kernels import (
    ARRIVED,
    DRAWS,
    K_FATE,
    K_STATUS,
    _drawer,
    _u,
    border_fate,
)

if TYPE_CHECKING:
    from corridor.engine.corridor_engine import CorridorAgents

GIVE_UP_DRAW = 4  # the status stream's number for leaving a list (the kernel uses 0..3)


@dataclass
class PortLists:
    """Each crossing's list: agents in the order they are served, and the day each came, with
    room to grow; ``credit`` carries each port's unused fraction of an agent to the next day."""

    agents: list[np.ndarray]
    since: list[np.ndarray]
    length: np.ndarray  # int64 per crossing
    credit: np.ndarray  # float64 per crossing

    @classmethod
    def empty(cls, n_cross: int) -> PortLists:
        return cls(
            agents=[np.empty(64, np.int32) for _ in range(n_cross)],
            since=[np.empty(64, np.int32) for _ in range(n_cross)],
            length=np.zeros(n_cross, np.int64),
            credit=np.zeros(n_cross),
        )

    def append(self, k: int, new: np.ndarray, day: int) -> None:
        n = int(self.length[k])
        if n + len(new) > len(self.agents[k]):
            size = max(n + len(new), 2 * len(self.agents[k]))
            for table in (self.agents, self.since):
                grown = np.empty(size, np.int32)
                grown[:n] = table[k][:n]
                table[k] = grown
        self.agents[k][n : n + len(new)] = new
        self.since[k][n : n + len(new)] = day
        self.length[k] = n + len(new)


@nb.njit(cache=True)
def newcomers(live: np.ndarray, n_live: int, status: np.ndarray, wait_reason: np.ndarray,
              prev: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """Take off the live list the agents who joined a port's list today (after the day kernel,
    the only agents on a list still on it), keeping the others in order. Returns them sorted by
    agent number, the crossing edge each came to, and the new length of the live list."""
    count = 0
    for i in range(n_live):
        a = live[i]
        if status[a] == WAITING and wait_reason[a] == WAIT_PORT:
            count += 1
    out = np.empty(count, np.int32)
    j = 0
    kept = 0
    for i in range(n_live):
        a = live[i]
        if status[a] == WAITING and wait_reason[a] == WAIT_PORT:
            out[j] = a
            j += 1
        else:
            live[kept] = a
            kept += 1
    out.sort()
    edges = np.empty(count, np.int32)
    for j in range(count):
        edges[j] = prev[out[j]]
    return out, edges, kept


@nb.njit(cache=True)
def serve_list(
    members: np.ndarray,
    since: np.ndarray,
    n: int,
    n_take: int,
    p_give_up: float,
    t: int,
    k: int,
    city: int,
    dest: int,
    A: tuple[np.ndarray, ...],
    B: tuple[np.ndarray, ...],
    N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    keys: np.ndarray,
    ev: np.ndarray,
    counts: np.ndarray,
    live: np.ndarray,
    n_live: int,
) -> tuple[int, int, int]:
    """Crossing ``k``'s list ``members[:n]`` (came on days ``since``) on day ``t``: the port
    takes in the first ``n_take`` and then the rest of the last group taken; the others leave
    with chance ``p_give_up`` if they came before today. Writes the day's events ``ev`` and the
    running ``counts``, appends to ``live`` those something can still happen to, and packs the
    people still waiting at the front of ``members``/``since``. Returns (people left on the
    list, new length of the live list, people taken in)."""
    (place, _edge, _km, prev, status, nat, age, origin, group, _attempts, timer, wait_reason,
     _papers, _dest, _size) = A  # fmt: skip
    taken = min(n_take, n)
    if taken > 0:  # never split a travel group at the port's door
        last = _drawer(members[taken - 1], group[members[taken - 1]])
        while taken < n and _drawer(members[taken], group[members[taken]]) == last:
            taken += 1
    kept = 0
    for i in range(n):
        a = members[i]
        lw = _drawer(a, group[a])
        g = nat[a]
        y = age[a]
        if i < taken:
            ev[city, EV_PORT_ENTRY, g] += 1
            ev[city, EV_PORT_WAIT_DAYS, g] += t - since[i]
            counts[city, WAITING, g, y] -= 1
            wait_reason[a] = 0
            status[a] = TRAVELLING
            place[a] = dest  # as if across: the fate sends them on from there
            prev[a] = -1
            border_fate(a, lw, k, g, _u(keys, K_FATE, lw, DRAWS - 1), city, dest, ev, place,
                        prev, status, wait_reason, timer, B, N, origin, keys)  # fmt: skip
        elif since[i] < t and _u(keys, K_STATUS, lw, GIVE_UP_DRAW) < p_give_up:
            ev[city, EV_PORT_GIVE_UP, g] += 1
            counts[city, WAITING, g, y] -= 1
            status[a] = TRAVELLING
            wait_reason[a] = LEFT_PORT_LIST
            prev[a] = -1
        else:
            members[kept] = a
            since[kept] = since[i]
            kept += 1
            continue
        st = status[a]
        counts[place[a], st, g, y] += 1
        if st < ARRIVED and not (st == RETURNED and timer[a] == np.inf):
            live[n_live] = a
            n_live += 1
    return kept, n_live, taken


def serve_ports(
    m: CorridorModel,
    t: int,
    lists: PortLists,
    agents: CorridorAgents,
    rules: tuple[tuple[np.ndarray, ...], tuple[object, ...], tuple[object, ...]],
    B: tuple[np.ndarray, ...],
    keys: np.ndarray,
    ev: np.ndarray,
    counts: np.ndarray,
    port_waiting: np.ndarray,
) -> None:
    """Day ``t`` of every port's list (module docstring); ``ev`` is the day's event table, and
    ``port_waiting`` gets the agents on each crossing's list at the end of the day."""
    A, _P, N = rules
    if ev[:, EV_PORT_PRESENT].any():
        new, edges, agents.n_live = newcomers(
            agents.live, agents.n_live, agents.status, agents.wait_reason, agents.prev
        )
        crossing = m.edge_border[edges]
        for k in np.unique(crossing):
            lists.append(int(k), new[crossing == k], t)
    for k in range(len(m.crossing_edges)):
        n = int(lists.length[k])
        allowed = lists.credit[k] + m.port_capacity[t, k] * m.scale
        taken = 0
        if n > 0:
            e = m.crossing_edges[k]
            n_take = n if np.isinf(allowed) else max(int(np.floor(allowed)), 0)
            n, agents.n_live, taken = serve_list(
                lists.agents[k], lists.since[k], n, n_take, m.port_give_up[t, k], t, k,
                int(m.edge_from[e]), int(m.edge_to[e]), A, B, N, keys, ev, counts, agents.live,
                agents.n_live,
            )  # fmt: skip
            lists.length[k] = n
        # Carried to tomorrow while people still wait: the fraction of an agent the capacity did
        # not reach; and always what a group taken whole beyond it is owed (negative). Capacity
        # unused for want of people is not carried.
        left = allowed - taken
        lists.credit[k] = 0.0 if np.isinf(allowed) else (left if n > 0 else min(left, 0.0))
        port_waiting[k] = n
