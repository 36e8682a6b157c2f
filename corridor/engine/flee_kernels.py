"""Numba kernels of the ``flee`` ruleset: rounds of decisions and travel over agents.

A day is one round over every agent (decide at a location, then travel along the link), followed by
rounds over the agents that arrived somewhere with distance left to travel that day (Flee's
``evolveMore``), until none is left. Within a round each agent sees the location counts as they were
at the start of the round (Flee updates them after every single agent); counts are brought up to
date between rounds. Agents are processed in fixed chunks, and every random number is a function of
(seed, day, round, purpose, agent) only, so a round gives the same result run serially or on any
number of threads (docs/flee-compat.md, "Processing order").

Arguments travel in tuples to keep signatures readable:
- ``A`` agent state: (loc, link, km_on_link, route, route_len, route_pos, recent, km_today,
  on_first_link, closure_epoch, active)
- ``L`` locations today: (movechance, town, camp, cap_multiplier)
- ``C`` candidates this round: (start, nodes, length, cumulative_weight, total_per_origin)
- ``K`` links: (out_start, out_link, start, end, km, speed, walk_p, open, epoch)
- ``R`` rules: (max_speed, walk_speed, start_on_foot, avoid_short_stints, any_walk_p, credit_full)
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.engine.rng import MOVE, ROUTE, WALK, stream_key, uniform

# Chunks of a round: at least MIN_CHUNK agents, doubled up to MAX_CHUNK while there would be more
# than MAX_CHUNKS of them. Small chunks keep both threads busy in the short rounds that follow the
# first one (agents going on after an arrival); the cap keeps the per-chunk count tables of a
# round over hundreds of thousands of agents small. Results do not depend on the chunk size.
MIN_CHUNK, MAX_CHUNK, MAX_CHUNKS = 1 << 11, 1 << 14, 64
# Below this many agents a round runs on one thread: starting threads costs more than it saves.
PARALLEL_MIN = 1 << 12


@nb.njit(cache=True)
def cap_multiplier(count: np.ndarray, capacity: np.ndarray, buffer: float) -> np.ndarray:
    """Flee's ``getCapMultiplier`` for every location: 1 below buffer x capacity, 0 at capacity,
    linear in between; places with capacity < 1 are unlimited."""
    out = np.ones(len(count))
    for i in range(len(count)):
        cap = capacity[i]
        if cap < 1:
            continue
        n = count[i]
        if n <= buffer * cap:
            continue
        if n >= cap:
            out[i] = 0.0
        else:
            out[i] = 1.0 - (n - buffer * cap) / (cap * (1.0 - buffer))
    return out


@nb.njit(cache=True)
def segment_cumsum(
    start: np.ndarray, weight: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative weights per origin; an origin whose present candidates all weigh 0 gets equal
    weights over them (Flee's ``normalizeWeights``). Returns (cum, total)."""
    n_loc = len(start) - 1
    cum = np.zeros(len(weight))
    total = np.zeros(n_loc)
    for o in range(n_loc):
        acc = 0.0
        for c in range(start[o], start[o + 1]):
            if present[c]:
                acc += weight[c]
            cum[c] = acc
        if acc <= 0.0:
            acc = 0.0
            for c in range(start[o], start[o + 1]):
                if present[c]:
                    acc += 1.0
                cum[c] = acc
        total[o] = acc
    return cum, total


@nb.njit(inline="always", cache=True)
def _pick(cum: np.ndarray, lo: int, hi: int, x: float) -> int:
    """First index in [lo, hi) with cumulative weight above x (bisect_right, as random.choices)."""
    while lo < hi:
        mid = (lo + hi) >> 1
        if x < cum[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@nb.njit(cache=True)
def _chunk(
    ch: int,
    chunk: int,
    ids: np.ndarray,
    all_agents: bool,
    force: np.ndarray,
    first_round: bool,
    A: tuple[np.ndarray, ...],
    L: tuple[np.ndarray, ...],
    C: tuple[np.ndarray, ...],
    K: tuple[np.ndarray, ...],
    R: tuple[float, float, bool, bool, bool, bool],
    keys: tuple[np.uint64, np.uint64, np.uint64],
    out: tuple[np.ndarray, ...],
    n: int,
) -> None:
    """Process agents ``[ch*chunk, (ch+1)*chunk)`` of the round's list.

    For each agent: Flee's ``Person.evolve`` at a location (roll the move chance, choose a route if
    none is stored, step onto the next link of the route unless it is closed or the destination
    camp is full, which drops the route), then ``Person.finish_travel`` on a link (advance; on
    arrival, an agent with distance left today goes on the list for the next round; an agent whose
    link closed while it was on it is turned back to the link's start).
    The tuples are unpacked once here: touching them per agent would cost reference counting.
    """
    loc, link, dist, route, rlen, rpos, recent, moved, first, epoch, active = A
    movechance, town, camp, capm = L
    cand_start, cand_nodes, cand_len, cand_cum, cand_total = C
    (
        out_start,
        out_link,
        link_start,
        link_end,
        link_dist,
        link_speed,
        link_walk_p,
        link_open,
        link_epoch,
    ) = K
    max_speed, walk_speed, start_on_foot, avoid_short_stints, any_walk_p, credit_full = R
    key_move, key_route, key_walk = keys
    cont_ids, cont_force, cont_count, loc_delta, link_delta = out
    lo = ch * chunk
    hi = min(n, lo + chunk)
    n_cont = 0
    for k in range(lo, hi):
        a = k if all_agents else ids[k]
        if active[a] == 0:
            continue
        if first_round:
            if avoid_short_stints:
                recent[a] = (recent[a] + moved[a] / max_speed) / 2.0
            moved[a] = 0.0
        # -- evolve: decide at a location ----------------------------------------------------
        if link[a] < 0:
            o = loc[a]
            forced = False if all_agents else force[k] == 1
            mc = 1.0 if (forced and town[o]) else movechance[o]
            if uniform(key_move, a) < mc:
                if rpos[a] >= rlen[a]:
                    rlen[a] = 0
                    rpos[a] = 0
                    s0 = cand_start[o]
                    s1 = cand_start[o + 1]
                    if s1 > s0 and cand_total[o] > 0.0:
                        c = _pick(cand_cum, s0, s1, uniform(key_route, a) * cand_total[o])
                        if c >= s1:
                            c = s1 - 1
                        m = cand_len[c]
                        for j in range(m):
                            route[a, j] = cand_nodes[c, j]
                        rlen[a] = m
                if rpos[a] < rlen[a]:
                    nxt = route[a, rpos[a]]
                    chosen = -1
                    for q in range(out_start[o], out_start[o + 1]):
                        lk = out_link[q]
                        if link_open[lk] and link_end[lk] == nxt:
                            chosen = lk
                            break
                    last = route[a, rlen[a] - 1]
                    if chosen < 0 or (camp[last] and capm[last] < 0.5):
                        rlen[a] = 0  # link gone or destination camp full: drop the route
                        rpos[a] = 0
                    else:
                        rpos[a] += 1
                        if rpos[a] >= rlen[a]:
                            rlen[a] = 0
                            rpos[a] = 0
                        link[a] = chosen
                        dist[a] = 0.0
                        epoch[a] = link_epoch[chosen]
                        loc_delta[ch, o] -= 1
                        link_delta[ch, chosen] += 1
        # -- finish_travel: move along the link ----------------------------------------------
        lk = link[a]
        if lk < 0:
            continue
        speed = link_speed[lk]
        if start_on_foot and first[a] == 1:
            speed = walk_speed
        if any_walk_p and uniform(key_walk, a) < link_walk_p[lk]:
            speed = walk_speed
        credit = speed if credit_full else max(speed - moved[a], 0.0)
        dist[a] += credit
        moved[a] += credit
        length = link_dist[lk]
        if dist[a] <= length:
            continue
        first[a] = 0
        moved[a] += length - dist[a]
        link_delta[ch, lk] -= 1
        link[a] = -1
        dist[a] = 0.0
        if epoch[a] != link_epoch[lk]:
            loc[a] = link_start[lk]  # the link closed while the agent was on it: back to start
            loc_delta[ch, link_start[lk]] += 1
            continue
        loc[a] = link_end[lk]
        loc_delta[ch, link_end[lk]] += 1
        if moved[a] < speed:
            f = avoid_short_stints and (recent[a] + moved[a] / max_speed) / 2.0 < 0.5
            cont_ids[lo + n_cont] = a
            cont_force[lo + n_cont] = 1 if f else 0
            n_cont += 1
    cont_count[ch] = n_cont


@nb.njit(parallel=True, cache=True)
def _round_parallel(
    ids: np.ndarray,
    all_agents: bool,
    force: np.ndarray,
    first_round: bool,
    A: tuple[np.ndarray, ...],
    L: tuple[np.ndarray, ...],
    C: tuple[np.ndarray, ...],
    K: tuple[np.ndarray, ...],
    R: tuple[float, float, bool, bool, bool, bool],
    keys: tuple[np.uint64, np.uint64, np.uint64],
    out: tuple[np.ndarray, ...],
    n: int,
    chunk: int,
) -> None:
    for ch in nb.prange((n + chunk - 1) // chunk):
        _chunk(ch, chunk, ids, all_agents, force, first_round, A, L, C, K, R, keys, out, n)


@nb.njit(cache=True)
def _round_serial(
    ids: np.ndarray,
    all_agents: bool,
    force: np.ndarray,
    first_round: bool,
    A: tuple[np.ndarray, ...],
    L: tuple[np.ndarray, ...],
    C: tuple[np.ndarray, ...],
    K: tuple[np.ndarray, ...],
    R: tuple[float, float, bool, bool, bool, bool],
    keys: tuple[np.uint64, np.uint64, np.uint64],
    out: tuple[np.ndarray, ...],
    n: int,
    chunk: int,
) -> None:
    for ch in range((n + chunk - 1) // chunk):
        _chunk(ch, chunk, ids, all_agents, force, first_round, A, L, C, K, R, keys, out, n)


@nb.njit(cache=True)
def compact(
    cont_ids: np.ndarray, cont_force: np.ndarray, cont_count: np.ndarray, chunk: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gather the per-chunk regions of continuing agents into one list, in chunk order."""
    total = 0
    for c in range(len(cont_count)):
        total += cont_count[c]
    ids = np.empty(total, dtype=np.int64)
    force = np.empty(total, dtype=np.uint8)
    k = 0
    for c in range(len(cont_count)):
        base = c * chunk
        for j in range(cont_count[c]):
            ids[k] = cont_ids[base + j]
            force[k] = cont_force[base + j]
            k += 1
    return ids, force


@nb.njit(cache=True)
def flee_day(
    day: int, root: np.uint64, n_agents: int, A: tuple[np.ndarray, ...], counts: np.ndarray,
    link_counts: np.ndarray, movechance: np.ndarray, town: np.ndarray, camp: np.ndarray,
    capacity: np.ndarray, capacity_buffer: float, cand: tuple[np.ndarray, ...],
    weight_power: float, uniform_choice: bool, K: tuple[np.ndarray, ...],
    R: tuple[float, float, bool, bool, bool, bool],
) -> int:  # fmt: skip
    """All rounds of one day; returns the number of rounds. Counts are brought up to date after
    every round, and route weights recomputed from them (capacity), before the next round.

    ``cand`` is (start, nodes, length, last, pre_weight, present) for the day."""
    cand_start, cand_nodes, cand_len, cand_last, cand_pre, cand_present = cand
    n_loc = len(counts)
    n_link = len(link_counts)
    n_cand = len(cand_pre)
    ids = np.zeros(0, dtype=np.int64)
    force = np.zeros(0, dtype=np.uint8)
    weight = np.empty(n_cand)
    round_ = 0
    while True:
        first = round_ == 0
        n = n_agents if first else len(ids)
        if not first and n == 0:
            break
        capm = cap_multiplier(counts, capacity, capacity_buffer)
        for c in range(n_cand):
            if uniform_choice:
                weight[c] = 1.0
            else:
                weight[c] = (cand_pre[c] * capm[cand_last[c]]) ** weight_power
        cum, total = segment_cumsum(cand_start, weight, cand_present)
        chunk = MIN_CHUNK
        while chunk < MAX_CHUNK and (n + chunk - 1) // chunk > MAX_CHUNKS:
            chunk *= 2
        n_chunks = max((n + chunk - 1) // chunk, 1)
        out = (
            np.empty(max(n, 1), dtype=np.int64),
            np.empty(max(n, 1), dtype=np.uint8),
            np.zeros(n_chunks, dtype=np.int64),
            np.zeros((n_chunks, n_loc), dtype=np.int64),
            np.zeros((n_chunks, n_link), dtype=np.int64),
        )
        keys = (
            stream_key(root, day, round_, MOVE),
            stream_key(root, day, round_, ROUTE),
            stream_key(root, day, round_, WALK),
        )
        L = (movechance, town, camp, capm)
        C = (cand_start, cand_nodes, cand_len, cum, total)
        if n >= PARALLEL_MIN:
            _round_parallel(ids, first, force, first, A, L, C, K, R, keys, out, n, chunk)
        else:
            _round_serial(ids, first, force, first, A, L, C, K, R, keys, out, n, chunk)
        loc_delta = out[3]
        link_delta = out[4]
        for ch in range(n_chunks):
            for i in range(n_loc):
                counts[i] += loc_delta[ch, i]
            for i in range(n_link):
                link_counts[i] += link_delta[ch, i]
        ids, force = compact(out[0], out[1], out[2], chunk)
        round_ += 1
    return round_


@nb.njit(parallel=True, cache=True)
def camp_sinks(
    n_agents: int,
    a_loc: np.ndarray,
    a_link: np.ndarray,
    a_active: np.ndarray,
    camp: np.ndarray,
    deactivation_p: np.ndarray,
    key_sink: np.uint64,
) -> None:
    """Flee's camp sinks (``camps_are_sicks``): agents settled in a camp stop moving with the
    camp's ``deactivation_probability``; as in Flee 3.1 they stay counted there."""
    for a in nb.prange(n_agents):
        if a_active[a] == 1 and a_link[a] < 0:
            o = a_loc[a]
            if camp[o] and deactivation_p[o] > 0.0 and uniform(key_sink, a) < deactivation_p[o]:
                a_active[a] = 0
