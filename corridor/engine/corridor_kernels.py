"""Numba kernels of the ``corridor`` ruleset: one day for every agent not in a caravan.

Agents do not interact within a day (route choice uses the day's costs, fixed before the day), so
each agent's whole day — timers, release from detention, decisions, several legs of travel with
hazard, interception and border rules — is processed in one pass, in parallel over fixed chunks.
Every random number is a function of (seed, day, purpose, agent, draw number), so results do not
depend on the number of threads. Events and route counts are accumulated per thread and summed
afterwards; the counts of agents by place and status are kept up to date from the changes of the
agents whose state changed, never recounted over every agent.

Tuples, unpacked once per chunk (see docs/model.md for the meaning of each array):
- ``A`` agents: (place, edge, km, prev, status, nat, age, origin, group, attempts, timer,
  wait_reason, papers, dest, group_size): ``group`` is a caravan's index (>= 0), -1 for someone
  travelling alone, or -2 - lead for a member of a travel group whose first member is ``lead``:
  every member uses the lead's draws, so that a group decides, is checked and meets its fate as
  one (only the hazard is drawn for each person). Kept in the caravan field, which the kernel
  reads anyway, so that a run without groups loads nothing more per agent
- ``P`` places: (goal, facility_of, stay_shape, stay_scale, stay_mean, raid probability today,
  today's chance of moving on [papers 0/1, place], release_place of each facility)
- ``E`` edges: (out_start, out_edge, destination of each out_edge entry, from, to, km, speed,
  hazard, interception probability today, border crossing index, cumulative choice weight in
  out_edge order per place (closed: weight 0), one row of them per destination set, flattened)
- ``B`` border rules today by crossing and nationality: (apprehend, fate_cum, mpp_city,
  mpp_wait), and by crossing the share who present at its port of entry (ports.csv; 0: none)
- ``N`` by nationality: (det_cum, return_place, redepart_p, redepart_delay, mx_index)
- ``S`` scalars: (enforcement_scale, missing_share, mpp_abandon_p, asylum_wait_days,
  stay_scale_multiplier, group_visibility)
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

# Statuses, events and waiting reasons are the compiled model's, which the outputs name: one
# definition, so a kind added there is counted here under the same number.
from corridor.compile.corridor import (
    ARRIVED,
    DEAD,
    DETAINED,
    EN_ROUTE,
    EV_APPREHEND,
    EV_ARRIVE,
    EV_ASYLUM,
    EV_CROSS,
    EV_DAYS_HELD,
    EV_DEATH,
    EV_DEPART,
    EV_DEPORT,
    EV_DETAIN,
    EV_EXPEL,
    EV_INTERCEPT,
    EV_MISSING,
    EV_MPP,
    EV_PORT_PRESENT,
    EV_RAID,
    EV_REDEPART,
    EV_RELEASE,
    EV_REMOVE,
    EV_STOP,
    EVENTS,
    LEFT_PORT_LIST,
    MISSING,
    RETURNED,
    STOPPED,
    TRAVELLING,
    WAIT_ASYLUM,
    WAIT_MPP,
    WAIT_PORT,
    WAITING,
)
from corridor.engine.rng import uniform

# Agents per chunk: small enough that the two threads, taking chunks in turn, finish together on
# a 1e5-agent day (8192 left one idle for ~8% of it), large enough that a chunk's bookkeeping is
# nothing beside its agents. Results do not depend on it.
CHUNK = 1 << 11
MAX_LEGS = 12
DRAWS = 64  # draws per agent per purpose and day
# The interception stream's numbers: 0..MAX_LEGS-1 a route's check (or the border's
# apprehension) per leg, MAX_LEGS.. Mexico's check on a border route, 2 * MAX_LEGS.. presenting
# at a port, 52..59 the caravan step (caravans.py), DRAWS-1 a raid. The fate stream's DRAWS-1 is
# the fate of someone a port takes in (ports.py), the status stream's 4 leaving a port's list.
# purposes (stream keys)
K_STATUS, K_MOVE, K_CHOOSE, K_HAZARD, K_INTERCEPT, K_FATE, K_GAMMA = range(7)
N_EVENTS = len(EVENTS)  # event kinds, one column of the day's event table each
# per-edge counters: passages, interceptions, deaths (incl. missing), on the edge at day's end
R_PASS, R_INTERCEPT, R_DEATH = 0, 1, 2
N_ROUTE_STATS = 3


@nb.njit(inline="always", cache=True)
def _draw(key: np.uint64, agent: int, j: int) -> float:
    """Draw ``j`` of ``agent`` in the stream ``key`` (scalars only, so inlining adds no
    reference counting)."""
    return uniform(key, agent * DRAWS + j)


@nb.njit(inline="always", cache=True)
def _u(keys: np.ndarray, purpose: int, agent: int, j: int) -> float:
    return _draw(keys[purpose], agent, j)


@nb.njit(cache=True)
def gamma_draw(keys: np.ndarray, agent: int, shape: float, scale: float) -> float:
    """Gamma(shape, scale) from counter-based uniforms (Marsaglia and Tsang's method)."""
    if shape <= 0.0:
        return scale
    boost = 1.0
    k = shape
    j = 0
    if k < 1.0:
        boost = _u(keys, K_GAMMA, agent, j) ** (1.0 / k)
        j += 1
        k += 1.0
    d = k - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while j < DRAWS - 3:
        u1 = max(_u(keys, K_GAMMA, agent, j), 1e-300)
        u2 = _u(keys, K_GAMMA, agent, j + 1)
        x = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        v = (1.0 + c * x) ** 3
        j += 2
        if v > 0.0:
            u = _u(keys, K_GAMMA, agent, j)
            j += 1
            if math.log(max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * math.log(v):
                return d * v * scale * boost
    return k * scale * boost  # practically unreachable: fall back to the mean


@nb.njit(inline="always", cache=True)
def _drawer(a: int, group: int) -> int:
    """Whose draws agent ``a`` takes: its travel group's lead where its ``group`` field holds
    one (-2 - lead), else its own (alone, -1, or a caravan's index)."""
    return a if group > -2 else -2 - group


@nb.njit(inline="always", cache=True)
def _seen(p: float, a: int, group_size: np.ndarray, visibility: float) -> float:
    """The chance that a check stops agent ``a``'s travel group of ``group_size[a]`` people, for
    a person's ``p``: 1 - (1 - p) ** (size ** visibility). Visibility 0: a group is stopped as
    often as one person (and the size is not read); 1: as if each member were checked and one
    stopped were enough to stop all."""
    if visibility == 0.0:
        return p
    size = group_size[a]
    if size <= 1:
        return p
    return 1.0 - (1.0 - p) ** (float(size) ** visibility)


@nb.njit(inline="always", cache=True)
def _detain(
    a: int,
    w: int,
    fac: int,
    place: np.ndarray,
    edge: np.ndarray,
    km: np.ndarray,
    status: np.ndarray,
    timer: np.ndarray,
    P: tuple[np.ndarray, ...],
    keys: np.ndarray,
    stay_mult: float,
) -> None:
    stay_shape, stay_scale, stay_mean = P[2], P[3], P[4]
    edge[a] = -1
    km[a] = 0.0
    place[a] = fac
    status[a] = DETAINED
    if stay_shape[fac] > 0:
        timer[a] = gamma_draw(keys, w, stay_shape[fac], stay_scale[fac]) * stay_mult
    else:
        timer[a] = stay_mean[fac] * stay_mult


@nb.njit(cache=True)
def corridor_chunk(
    ch: int,
    live: np.ndarray,
    n: int,
    A: tuple[np.ndarray, ...],
    P: tuple[np.ndarray, ...],
    E: tuple[np.ndarray, ...],
    B: tuple[np.ndarray, ...],
    N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    S: tuple[float, float, float, float, float, float],
    keys: np.ndarray,
    ev: np.ndarray,
    rs: np.ndarray,
    dc: np.ndarray,
    de: np.ndarray,
    kept: np.ndarray,
) -> None:
    """One day of the agents ``live[ch*CHUNK : (ch+1)*CHUNK]`` (``live[:n]`` lists, in creation
    order, every agent something can still happen to); events into ``ev``, route counts into
    ``rs``, changes of the state counts into ``dc`` (place, status, nat, age) and ``de`` (agents
    on each route): only agents whose counted state changed touch the tables, so recording a day
    costs nothing for the many who stay where they are. The chunk's agents still live are put
    back at its front, ``kept[ch, 0]`` of them; the ``kept[ch, 1]`` of them who joined a port's
    list today are marked as ``-1 - agent``, for the day's end to hand to the ports' step."""
    (place, edge, km, prev, status, nat, age, origin, group, attempts, timer, wait_reason,
     papers, dest_set, group_size) = A  # fmt: skip
    (goal, facility_of, _ss, _sc, _sm, raid, move_chance, release_place) = P
    (out_start, out_edge, out_to, e_from, e_to, e_km, e_speed, e_hazard, e_enf, e_border,
     e_cum) = E  # fmt: skip
    b_app, _b_cum, _b_city, _b_wait, port_present = B
    det_cum, ret_place, redepart_p, redepart_delay, mx = N
    _enf_scale, missing_share, mpp_abandon, asylum_wait, stay_mult, visibility = S
    lo = ch * CHUNK
    hi = min(n, lo + CHUNK)
    n_q = len(out_edge)  # e_cum holds one row of n_q per destination set
    # stream keys as scalars: drawing through the array would cost reference counting per draw
    k_status, k_move, k_hazard = keys[K_STATUS], keys[K_MOVE], keys[K_HAZARD]
    k_choose, k_intercept, k_fate = keys[K_CHOOSE], keys[K_INTERCEPT], keys[K_FATE]
    kept_n = 0  # agents of the chunk still live after today, back in live[lo : lo + kept_n]
    joined_n = 0  # of them, those who joined a port's list today (marked)
    for i in range(lo, hi):
        a = live[i]
        st = status[a]
        if st >= ARRIVED:  # arrived, dead, missing, stopped: nothing more happens to them
            continue
        if st == TRAVELLING:
            grp = group[a]
            if grp >= 0:  # caravan members move with their caravan
                live[lo + kept_n] = a
                kept_n += 1
                continue
        else:  # waiting, detained or returned: a day off the timer
            left = timer[a] - 1.0
            if left > 0.0:  # the usual day: nothing else changes, so nothing to count
                if left != math.inf:  # returned for good: dropped from the live list
                    timer[a] = left
                    live[lo + kept_n] = a
                    kept_n += 1
                continue
            timer[a] = left
            grp = group[a]
        p0 = place[a]
        e0 = edge[a]
        for _once in range(1):  # the agent's day; ``continue`` ends it
            g = nat[a]
            lw = _drawer(a, grp)  # whose draws decide: the travel group's lead, or a
            # -- a timer ran out: detention, waiting or return ends -----------------------------
            if st == DETAINED:
                fac = place[a]
                u = _draw(k_status, lw, 0)
                if u < det_cum[g, 0]:
                    ev[fac, EV_DEPORT, g] += 1
                    _to_return(a, lw, g, place, status, timer, ret_place, redepart_p,
                               redepart_delay, origin, keys)  # fmt: skip
                    continue
                if u >= det_cum[g, 2]:  # an asylum claim: the wait is in the facility's city
                    ev[fac, EV_ASYLUM, g] += 1
                    place[a] = release_place[fac]
                    status[a] = WAITING
                    wait_reason[a] = WAIT_ASYLUM
                    timer[a] = asylum_wait
                    continue
                # released into the facility's city: on the way again today (release comes
                # before decisions in a day)
                ev[fac, EV_RELEASE, g] += 1
                place[a] = release_place[fac]
                status[a] = TRAVELLING
                prev[a] = -1
                if u < det_cum[g, 1]:
                    papers[a] = 1
            elif st == RETURNED:
                status[a] = TRAVELLING
                place[a] = origin[a]
                prev[a] = -1
                papers[a] = 1 if g == mx else 0  # papers from a release are not carried home
                wait_reason[a] = 0  # a new journey: a port's list may be joined again
                attempts[a] += 1
                ev[origin[a], EV_REDEPART, g] += 1
            elif st == WAITING:
                if wait_reason[a] == WAIT_MPP and _draw(k_status, lw, 1) < mpp_abandon:
                    status[a] = STOPPED
                    ev[place[a], EV_STOP, g] += 1
                    continue
                if wait_reason[a] == WAIT_ASYLUM:
                    papers[a] = 1
                status[a] = TRAVELLING
                wait_reason[a] = 0
                prev[a] = -1
            # -- travelling: decide and move, several legs if time allows -----------------------
            time_left = 1.0
            for leg in range(MAX_LEGS):
                if time_left <= 1e-9:
                    break
                if edge[a] < 0:
                    p = place[a]
                    if goal[p]:  # set down at a goal (not by a route into it, which arrives below)
                        status[a] = ARRIVED
                        ev[p, EV_ARRIVE, g] += 1
                        break
                    chosen = -1
                    if _draw(k_move, lw, leg) < move_chance[papers[a], p]:
                        # Logit choice over the open routes out of p from the day's cumulative
                        # weights (closed routes weigh 0), leaving out the route straight back to
                        # where the agent came from unless it is the only way. Written out here, not
                        # called: an inlined helper taking arrays would add reference counting on
                        # shared arrays (atomic, contended between threads) to every choice.
                        back = prev[a]
                        base = dest_set[a] * n_q  # the weights of the agent's destination
                        q_lo = out_start[p]
                        q_hi = out_start[p + 1]
                        total = e_cum[base + q_hi - 1] if q_hi > q_lo else 0.0
                        w_back = 0.0
                        if back >= 0:
                            for q in range(q_lo, q_hi):
                                if out_to[q] == back:
                                    below = e_cum[base + q - 1] if q > q_lo else 0.0
                                    w_back += e_cum[base + q] - below
                        exclude = total - w_back > 0.0
                        if exclude:
                            total -= w_back
                        if total > 0.0:
                            x = _draw(k_choose, lw, leg) * total
                            acc = 0.0
                            prev_cum = 0.0
                            for q in range(q_lo, q_hi):
                                w = e_cum[base + q] - prev_cum
                                prev_cum = e_cum[base + q]
                                if w <= 0.0 or (exclude and out_to[q] == back):
                                    continue
                                acc += w
                                if x < acc:
                                    chosen = out_edge[q]
                                    break
                            if chosen < 0:  # rounding: the last route with weight
                                for q in range(q_hi - 1, q_lo - 1, -1):
                                    w = e_cum[base + q] - (e_cum[base + q - 1] if q > q_lo else 0.0)
                                    if w > 0.0 and not (exclude and out_to[q] == back):
                                        chosen = out_edge[q]
                                        break
                    if chosen < 0:  # staying at p (no move, or no open route): a raid finds it
                        p_raid = raid[p] if papers[a] == 0 else 0.0
                        if p_raid > 0.0 and _draw(k_intercept, lw, DRAWS - 1) < _seen(
                            p_raid, a, group_size, visibility
                        ):
                            ev[p, EV_RAID, g] += 1
                            _intercepted(a, lw, p, g, ev, facility_of, place, edge, km, status,
                                         timer, P, keys, stay_mult, ret_place, redepart_p,
                                         redepart_delay, origin)  # fmt: skip
                        break
                    edge[a] = chosen
                    km[a] = 0.0
                e = edge[a]
                need = (e_km[e] - km[a]) / e_speed[e]
                if need > time_left:
                    km[a] += time_left * e_speed[e]
                    break
                time_left -= need
                k = e_border[e]
                if (
                    k >= 0
                    and port_present[k] > 0.0
                    and wait_reason[a] != LEFT_PORT_LIST
                    and _draw(k_intercept, lw, 2 * MAX_LEGS + leg) < port_present[k]
                ):  # to the port of entry instead: onto its list in the border city (ports.py)
                    city = e_from[e]
                    edge[a] = -1
                    km[a] = 0.0
                    place[a] = city
                    prev[a] = e  # the crossing, for the lists' step; reset when leaving the list
                    status[a] = WAITING
                    wait_reason[a] = WAIT_PORT
                    timer[a] = math.inf  # no countdown: the port or leaving ends the wait
                    ev[city, EV_PORT_PRESENT, g] += 1
                    break
                dest = e_to[e]
                rs[e, R_PASS] += 1
                edge[a] = -1
                km[a] = 0.0
                prev[a] = e_from[e]
                place[a] = dest
                # hazard of the leg
                if _draw(k_hazard, a, leg) < e_hazard[e]:
                    rs[e, R_DEATH] += 1
                    if _draw(k_hazard, a, DRAWS - 1 - leg) < missing_share:
                        status[a] = MISSING
                        ev[dest, EV_MISSING, g] += 1
                    else:
                        status[a] = DEAD
                        ev[dest, EV_DEATH, g] += 1
                    break
                # interception, on every route; on one to the US line (k >= 0) it comes before
                # the border rules, the caught are taken from the Mexican side, and its draw is
                # apart from the apprehension's
                n_draw = leg if k < 0 else MAX_LEGS + leg
                if (
                    papers[a] == 0
                    and e_enf[e] > 0.0
                    and _draw(k_intercept, lw, n_draw) < _seen(e_enf[e], a, group_size, visibility)
                ):
                    rs[e, R_INTERCEPT] += 1
                    _intercepted(a, lw, dest if k < 0 else e_from[e], g, ev, facility_of, place,
                                 edge, km, status, timer, P, keys, stay_mult, ret_place,
                                 redepart_p, redepart_delay, origin)  # fmt: skip
                    break
                if k >= 0:
                    city = e_from[e]
                    if _draw(k_intercept, lw, leg) < b_app[k, g]:
                        ev[city, EV_APPREHEND, g] += 1
                        border_fate(a, lw, k, g, _draw(k_fate, lw, leg), city, dest, ev, place,
                                    prev, status, wait_reason, timer, B, N, origin,
                                    keys)  # fmt: skip
                    else:
                        status[a] = ARRIVED
                        ev[dest, EV_CROSS, g] += 1
                        ev[dest, EV_ARRIVE, g] += 1
                    break
                if goal[dest]:
                    status[a] = ARRIVED
                    ev[dest, EV_ARRIVE, g] += 1
                    break
        st1 = status[a]
        p1 = place[a]
        e1 = edge[a]
        if st1 != st or p1 != p0 or e1 != e0:
            g = nat[a]
            y = age[a]
            if e0 >= 0:
                de[e0] -= 1
                dc[e_to[e0], EN_ROUTE if st == TRAVELLING else st, g, y] -= 1
            else:
                dc[p0, st, g, y] -= 1
            if e1 >= 0:
                de[e1] += 1
                dc[e_to[e1], EN_ROUTE if st1 == TRAVELLING else st1, g, y] += 1
            else:
                dc[p1, st1, g, y] += 1
        if st1 < ARRIVED and not (st1 == RETURNED and timer[a] == math.inf):
            if st1 == WAITING and wait_reason[a] == WAIT_PORT:  # off to a port's list
                live[lo + kept_n] = -1 - a
                joined_n += 1
            else:
                live[lo + kept_n] = a
            kept_n += 1
    kept[ch, 0] = kept_n
    kept[ch, 1] = joined_n


@nb.njit(inline="always", cache=True)
def border_fate(a: int, lw: int, k: int, g: int, f: float, city: int, dest: int, ev: np.ndarray,
                place: np.ndarray, prev: np.ndarray, status: np.ndarray,
                wait_reason: np.ndarray, timer: np.ndarray, B: tuple[np.ndarray, ...],
                N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
                origin: np.ndarray, keys: np.ndarray) -> None:  # fmt: skip
    """What follows for agent ``a`` (nationality ``g``, drawing as ``lw``), apprehended at
    crossing ``k`` from ``city`` towards ``dest`` or taken in at its port, by the fate draw
    ``f``: released into the US (arrived), sent to wait in an MPP city, expelled to ``city``, or
    removed to the nationality's return point."""
    b_cum, b_city, b_wait = B[1], B[2], B[3]
    _det_cum, ret_place, redepart_p, redepart_delay, mx = N
    if f < b_cum[k, g, 0]:
        status[a] = ARRIVED
        ev[dest, EV_ARRIVE, g] += 1
    elif f < b_cum[k, g, 2]:
        if f < b_cum[k, g, 1] and g != mx and b_city[k, g] >= 0:
            status[a] = WAITING
            wait_reason[a] = WAIT_MPP
            timer[a] = b_wait[k, g]
            place[a] = b_city[k, g]
            ev[b_city[k, g], EV_MPP, g] += 1
        else:
            place[a] = city
            prev[a] = -1
            ev[city, EV_EXPEL, g] += 1
    else:
        ev[city, EV_REMOVE, g] += 1
        _to_return(a, lw, g, place, status, timer, ret_place, redepart_p, redepart_delay,
                   origin, keys)  # fmt: skip


@nb.njit(inline="always", cache=True)
def _to_return(
    a: int,
    w: int,
    g: int,
    place: np.ndarray,
    status: np.ndarray,
    timer: np.ndarray,
    ret_place: np.ndarray,
    redepart_p: np.ndarray,
    redepart_delay: np.ndarray,
    origin: np.ndarray,
    keys: np.ndarray,
) -> None:
    """Deported or removed: taken to the nationality's return point; sets off again later with
    probability redeparture_p (exponential delay), else stays returned (drawn for the group's
    lead ``w``: a group sets off again together)."""
    rp = ret_place[g]
    place[a] = rp if rp >= 0 else origin[a]
    status[a] = RETURNED
    if _u(keys, K_STATUS, w, 2) < redepart_p[g]:
        timer[a] = max(1.0, -math.log(max(_u(keys, K_STATUS, w, 3), 1e-300)) * redepart_delay[g])
    else:
        timer[a] = np.inf


@nb.njit(inline="always", cache=True)
def _intercepted(a: int, w: int, p: int, g: int, ev: np.ndarray, facility_of: np.ndarray,
                 place: np.ndarray, edge: np.ndarray, km: np.ndarray, status: np.ndarray,
                 timer: np.ndarray, P: tuple[np.ndarray, ...], keys: np.ndarray,
                 stay_mult: float, ret_place: np.ndarray, redepart_p: np.ndarray,
                 redepart_delay: np.ndarray, origin: np.ndarray) -> None:  # fmt: skip
    """Agent ``a`` (nationality ``g``, group lead ``w``) intercepted at place ``p``, on a route
    into it or in a raid: taken to the facility ``p`` is assigned to (an interception where it
    happened, a detention at the facility: admissions per facility, and the days the stay drawn
    will last), or, where it has none, deported at once."""
    ev[p, EV_INTERCEPT, g] += 1
    fac = facility_of[p]
    if fac >= 0:
        ev[fac, EV_DETAIN, g] += 1
        _detain(a, w, fac, place, edge, km, status, timer, P, keys, stay_mult)
        # The timer is counted down from tomorrow and ends on day max(1, ceil(timer)) after
        # today (t - 1 is exact in float32 for t in [1, 2^24)), so the stay is known now.
        ev[fac, EV_DAYS_HELD, g] += max(1, math.ceil(timer[a]))
    else:
        ev[p, EV_DEPORT, g] += 1
        _to_return(a, w, g, place, status, timer, ret_place, redepart_p, redepart_delay, origin,
                   keys)  # fmt: skip


@nb.njit(cache=True)
def intercept_each(
    who: np.ndarray,
    p: int,
    ev: np.ndarray,
    A: tuple[np.ndarray, ...],
    P: tuple[np.ndarray, ...],
    N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    keys: np.ndarray,
    stay_mult: float,
) -> None:
    """Agents ``who`` intercepted at place ``p`` outside the day kernel (caravan members caught at
    a checkpoint), each by the kernel's own rule (:func:`_intercepted`), events into ``ev``."""
    place, edge, km, status, nat, origin, timer = A[0], A[1], A[2], A[4], A[5], A[7], A[10]
    group = A[8]
    _det_cum, ret_place, redepart_p, redepart_delay, _mx = N
    for a in who:
        _intercepted(a, _drawer(a, group[a]), p, nat[a], ev, P[1], place, edge, km, status,
                     timer, P, keys, stay_mult, ret_place, redepart_p, redepart_delay,
                     origin)  # fmt: skip


@nb.njit(cache=True)
def init_agents(
    A: tuple[np.ndarray, ...],
    live: np.ndarray,
    first: int,
    n_live: int,
    place: np.ndarray,
    nat: np.ndarray,
    age: np.ndarray,
    dest: np.ndarray,
    group: int,
    papers_nat: int,
) -> None:
    """Write new agents ``first, first + 1, ...`` (one per entry of ``place``, ``nat``, ``age``
    and ``dest``, the destination set) into the state arrays ``A``: travelling from their origin
    on a first attempt, in ``group`` (-1: none), with papers where their nationality is
    ``papers_nat``; and list them live from ``live[n_live]`` on. One compiled loop, since a
    day's few new agents would otherwise pay a dozen NumPy calls' overhead."""
    (a_place, edge, km, prev, status, a_nat, a_age, origin, a_group, attempts, timer, wait_reason,
     papers, a_dest, group_size) = A  # fmt: skip
    for j in range(len(place)):
        a = first + j
        a_place[a] = place[j]
        origin[a] = place[j]
        a_nat[a] = nat[j]
        a_age[a] = age[j]
        a_dest[a] = dest[j]
        edge[a] = -1
        prev[a] = -1
        a_group[a] = group
        status[a] = TRAVELLING
        km[a] = 0.0
        attempts[a] = 1
        timer[a] = 0.0
        wait_reason[a] = 0
        papers[a] = 1 if nat[j] == papers_nat else 0
        group_size[a] = 1  # alone until the spawn forms groups
        live[n_live + j] = a


@nb.njit(cache=True)
def count_departures(
    events: np.ndarray,
    counts: np.ndarray,
    origin: np.ndarray,
    nat: np.ndarray,
    age: np.ndarray,
    people: np.ndarray,
) -> None:
    """Departure rows (``people`` each; a caravan passes one row per member) into the day's
    departure ``events`` and the running state ``counts`` as travellers at their origin: the
    kernel counts changes of state only, so new agents enter the counts here."""
    for r in range(len(origin)):
        events[origin[r], EV_DEPART, nat[r]] += people[r]
        counts[origin[r], TRAVELLING, nat[r], age[r]] += people[r]


@nb.njit(parallel=True, cache=True)
def corridor_day(
    live: np.ndarray,
    n: int,
    A: tuple[np.ndarray, ...],
    P: tuple[np.ndarray, ...],
    E: tuple[np.ndarray, ...],
    B: tuple[np.ndarray, ...],
    N: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    S: tuple[float, float, float, float, float, float],
    keys: np.ndarray,
    ev: np.ndarray,
    rs: np.ndarray,
    dc: np.ndarray,
    de: np.ndarray,
    out_ev: np.ndarray,
    out_rs: np.ndarray,
    counts: np.ndarray,
    on_edge: np.ndarray,
) -> tuple[int, np.ndarray]:
    """One day of the live agents ``live[:n]`` not in a caravan; returns how many are still live,
    packed at the front of ``live`` in their order (the others are done for good), and the
    agents who joined a port's list today, taken off the live list for the ports' step
    (ports.py). The first thread counts straight into the day's events ``out_ev``, route counts
    ``out_rs`` and the running ``counts`` and ``on_edge``; ``ev``, ``rs``, ``dc`` and ``de`` are
    scratch tables, one per other thread (``numba.get_num_threads() - 1`` of them), zero on entry
    and summed at the end into those (and zeroed again as they are read): integer sums, so the
    totals do not depend on which thread handled which chunk."""
    slots = ev.shape[0]  # scratch slots: threads beyond the first
    n_chunks = (n + CHUNK - 1) // CHUNK
    # Every chunk writes its row. Not np.zeros, nor a sum over an array below: in a parallel
    # function those become parallel loops of their own, and each parallel loop wakes the threads
    # again (tens of microseconds a day under OMP_WAIT_POLICY=PASSIVE).
    kept = np.empty((n_chunks, 2), dtype=np.int64)
    # Chunks dealt round-robin, one thread each: older agents (early chunks) are mostly done and
    # cheap, newer ones busy, so contiguous halves would leave one thread idle.
    for th in nb.prange(slots + 1):
        if th == 0:
            t_ev, t_rs, t_dc, t_de = out_ev, out_rs, counts, on_edge
        else:
            t_ev, t_rs, t_dc, t_de = ev[th - 1], rs[th - 1], dc[th - 1], de[th - 1]
        for ch in range(th, n_chunks, slots + 1):
            corridor_chunk(ch, live, n, A, P, E, B, N, S, keys, t_ev, t_rs, t_dc, t_de, kept)
    if slots > 0:
        _drain_slots(ev.reshape((slots, -1)), out_ev.reshape(-1))
        for s in range(slots):  # out_rs has a fourth column, agents on the route, set apart
            for e in range(rs.shape[1]):
                for k in range(N_ROUTE_STATS):
                    out_rs[e, k] += rs[s, e, k]
                    rs[s, e, k] = 0
        _drain_slots(dc.reshape((slots, -1)), counts.reshape(-1))
        _drain_slots(de, on_edge)
    # each chunk kept its live agents at its front: close the gaps (in order, so never overlapping
    # a part not yet moved), and take out those who joined a port's list
    n_joined = 0
    for ch in range(n_chunks):
        n_joined += kept[ch, 1]
    joined = np.empty(n_joined, dtype=np.int32)
    pos = 0
    q = 0
    for ch in range(n_chunks):
        lo = ch * CHUNK
        if kept[ch, 1] == 0:
            for j in range(kept[ch, 0]):
                live[pos + j] = live[lo + j]
            pos += kept[ch, 0]
        else:
            for j in range(kept[ch, 0]):
                a = live[lo + j]
                if a >= 0:
                    live[pos] = a
                    pos += 1
                else:
                    joined[q] = -1 - a
                    q += 1
    return pos, joined


@nb.njit(inline="always", cache=True)
def _drain_slots(tables: np.ndarray, out: np.ndarray) -> None:
    """Add every slot of ``tables`` into ``out`` and zero it, in one pass over the memory: the
    slots are zero between calls (they are allocated zeroed), so no separate clearing pass is
    needed at the start of a day."""
    for s in range(tables.shape[0]):
        for i in range(out.size):
            out[i] += tables[s, i]
            tables[s, i] = 0


@nb.njit(parallel=True, cache=True)
def count_states(
    n: int,
    place: np.ndarray,
    edge: np.ndarray,
    status: np.ndarray,
    nat: np.ndarray,
    age: np.ndarray,
    e_to: np.ndarray,
    out: np.ndarray,
) -> None:
    """Add each agent to ``out[place, status, nat, age]`` (an agent on a route counts at the
    route's destination as ``en_route``): the full recount that the day kernel's running counts
    must always equal (tests check it); per-chunk tables keep it parallel without atomics."""
    n_chunks = (n + CHUNK - 1) // CHUNK
    tables = np.zeros((n_chunks,) + out.shape, dtype=np.int32)  # noqa: RUF005 (Numba needs tuple concatenation)
    for ch in nb.prange(n_chunks):
        tab = tables[ch]
        for a in range(ch * CHUNK, min(n, (ch + 1) * CHUNK)):
            e = edge[a]
            st = status[a]
            if e >= 0:
                p = e_to[e]
                if st == TRAVELLING:
                    st = EN_ROUTE
            else:
                p = place[a]
            tab[p, st, nat[a], age[a]] += 1
    for ch in range(n_chunks):
        out += tables[ch]


@nb.njit(cache=True)
def count_change(
    idx: np.ndarray,
    place: np.ndarray,
    edge: np.ndarray,
    status: np.ndarray,
    nat: np.ndarray,
    age: np.ndarray,
    e_to: np.ndarray,
    counts: np.ndarray,
    on_edge: np.ndarray,
    sign: int,
) -> None:
    """Add (``sign`` = 1) or take away (-1) agents ``idx`` from the running state counts, with
    the counting rule of :func:`count_states` (used around the caravan step)."""
    for a in idx:
        e = edge[a]
        st = status[a]
        if e >= 0:
            on_edge[e] += sign
            counts[e_to[e], EN_ROUTE if st == TRAVELLING else st, nat[a], age[a]] += sign
        else:
            counts[place[a], st, nat[a], age[a]] += sign


@nb.njit(cache=True)
def count_attempts(
    n: int,
    edge: np.ndarray,
    status: np.ndarray,
    nat: np.ndarray,
    age: np.ndarray,
    attempts: np.ndarray,
    out: np.ndarray,
) -> None:
    """Add each agent to ``out[status, nat, age, attempts]``, a traveller on a route as
    ``en_route`` (the counting rule of :func:`count_states`); one pass, no temporary array the
    size of the agents (NumPy's would add tens of bytes per agent to a run's peak memory)."""
    for a in range(n):
        st = status[a]
        if st == TRAVELLING and edge[a] >= 0:
            st = EN_ROUTE
        out[st, nat[a], age[a], attempts[a]] += 1


@nb.njit(cache=True)
def count_on_edges(n: int, edge: np.ndarray, out: np.ndarray) -> None:
    for a in range(n):
        if edge[a] >= 0:
            out[edge[a]] += 1
