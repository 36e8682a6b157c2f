"""Ports of entry and their lists (ports.csv; docs/model.md, "Ports of entry and metering").

People who go to a port to ask for asylum are put on its list by the day kernel (status waiting,
reason ``WAIT_PORT``), which takes them off the live list (it has nothing more to do for them)
and hands them to this step, after the kernel. This step is the one place where people's days
depend on one another: the port takes in at most its capacity a day, first come first served, so
who is taken in depends on who came before. Per crossing, each day:

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
    EV_PORT_WAIT_DAYS,
    LEFT_PORT_LIST,
    RETURNED,
    TRAVELLING,
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
    from corridor.engine.day_phases import KernelRules

GIVE_UP_DRAW = 4  # the status stream's number for leaving a list (the kernel uses 0..3)


@dataclass
class PortLists:
    """Each crossing's list: agents in the order they are served, and the day each came, in one
    pair of arrays, crossing ``k``'s in ``start[k] : start[k] + room[k]`` with room to grow (so
    that a day of every port is one compiled call); ``credit`` carries each port's unused
    fraction of an agent to the next day."""

    members: np.ndarray  # int32
    since: np.ndarray  # int32
    start: np.ndarray  # int64 per crossing
    room: np.ndarray  # int64 per crossing
    length: np.ndarray  # int64 per crossing
    credit: np.ndarray  # float64 per crossing

    @classmethod
    def empty(cls, n_cross: int) -> PortLists:
        return cls(
            members=np.empty(64 * n_cross, np.int32),
            since=np.empty(64 * n_cross, np.int32),
            start=np.arange(n_cross, dtype=np.int64) * 64,
            room=np.full(n_cross, 64, np.int64),
            length=np.zeros(n_cross, np.int64),
            credit=np.zeros(n_cross),
        )


@nb.njit(cache=True)
def join_lists(new: np.ndarray, prev: np.ndarray, edge_border: np.ndarray, day: int,
               members: np.ndarray, since: np.ndarray, start: np.ndarray, room: np.ndarray,
               length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Append the agents ``new``, who joined a port's list on ``day`` (the day kernel hands them
    over), to the end of the lists of their crossings (the crossing edge is their ``prev``), in
    the order of their agent numbers, so that the order does not depend on the threads. Where a
    list has no room left, every list is moved into new arrays with twice its room (or as much
    as it needs). Returns the arrays of the lists."""
    new.sort()
    crossing = np.empty(len(new), np.int64)
    for j in range(len(new)):
        crossing[j] = edge_border[prev[new[j]]]
    need = length.copy()
    for j in range(len(new)):
        need[crossing[j]] += 1
    grow = False
    for k in range(len(room)):
        if need[k] > room[k]:
            grow = True
    if grow:
        new_room = room.copy()
        for k in range(len(room)):
            if need[k] > room[k]:
                new_room[k] = max(need[k], 2 * room[k])
        new_members = np.empty(new_room.sum(), np.int32)
        new_since = np.empty(new_room.sum(), np.int32)
        at = 0
        for k in range(len(room)):
            for i in range(length[k]):
                new_members[at + i] = members[start[k] + i]
                new_since[at + i] = since[start[k] + i]
            start[k] = at
            room[k] = new_room[k]
            at += new_room[k]
        members, since = new_members, new_since
    for j in range(len(new)):
        k = crossing[j]
        members[start[k] + length[k]] = new[j]
        since[start[k] + length[k]] = day
        length[k] += 1
    return members, since


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


@nb.njit(cache=True)
def serve_all(
    t: int,
    members: np.ndarray,
    since: np.ndarray,
    start: np.ndarray,
    room: np.ndarray,
    length: np.ndarray,
    credit: np.ndarray,
    capacity: np.ndarray,
    give_up: np.ndarray,
    scale: float,
    crossing_edges: np.ndarray,
    edge_from: np.ndarray,
    edge_to: np.ndarray,
    A: tuple[np.ndarray, ...],
    B: tuple[np.ndarray, ...],
    N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    keys: np.ndarray,
    ev: np.ndarray,
    counts: np.ndarray,
    live: np.ndarray,
    n_live: int,
    port_waiting: np.ndarray,
) -> int:
    """Day ``t`` of every crossing's list (:func:`serve_list`), with the day's ``capacity`` (at
    full scale) and chance to ``give_up`` per crossing; returns the new length of the live
    list. One compiled call: a day of a dozen ports would otherwise cost a Python loop's
    overhead per port."""
    for k in range(len(length)):
        n = length[k]
        allowed = credit[k] + capacity[k] * scale
        taken = 0
        if n > 0:
            e = crossing_edges[k]
            # all of them where the capacity reaches the whole list (inf: no limit)
            n_take = n if allowed >= n else max(int(np.floor(allowed)), 0)
            lo = start[k]
            n, n_live, taken = serve_list(
                members[lo : lo + room[k]], since[lo : lo + room[k]], n, n_take, give_up[k], t,
                k, edge_from[e], edge_to[e], A, B, N, keys, ev, counts, live, n_live,
            )  # fmt: skip
            length[k] = n
        # Carried to tomorrow while people still wait: the fraction of an agent the capacity did
        # not reach; and always what a group taken whole beyond it is owed (negative). Capacity
        # unused for want of people is not carried.
        left = allowed - taken
        if np.isinf(allowed):
            credit[k] = 0.0
        elif n > 0:
            credit[k] = left
        else:
            credit[k] = min(left, 0.0)
        port_waiting[k] = n
    return n_live


def serve_ports(
    m: CorridorModel,
    t: int,
    lists: PortLists,
    agents: CorridorAgents,
    rules: KernelRules,
    B: tuple[np.ndarray, ...],
    keys: np.ndarray,
    ev: np.ndarray,
    counts: np.ndarray,
    port_waiting: np.ndarray,
    joined: np.ndarray,
) -> None:
    """Day ``t`` of every port's list (module docstring): ``joined`` are the agents the day kernel
    put on a list today (it took them off the live list); ``ev`` is the day's event table, and
    ``port_waiting`` gets the agents on each crossing's list at the end of the day."""
    A, _P, N = rules
    if len(joined):
        lists.members, lists.since = join_lists(
            joined, agents.prev, m.edge_border, t, lists.members, lists.since, lists.start,
            lists.room, lists.length,
        )  # fmt: skip
    agents.n_live = serve_all(
        t, lists.members, lists.since, lists.start, lists.room, lists.length, lists.credit,
        m.port_capacity[t], m.port_give_up[t], m.scale, m.crossing_edges, m.edge_from,
        m.edge_to, A, B, N, keys, ev, counts, agents.live, agents.n_live, port_waiting,
    )  # fmt: skip
