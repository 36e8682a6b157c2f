"""A pure-NumPy day step of the corridor ruleset: the benchmark's reference line.

It runs the same mechanisms on the same compiled model as the engine (timers and detention
outcomes, move chances, logit route choice, travel with a one-day time budget over several legs,
hazard, interception, border rules) but written the plain vectorised way: whole-array NumPy
operations over every agent, masks and fancy indexing, a NumPy ``Generator`` for draws. No Numba,
no chunks, no skipping of settled agents. The engine's speed is reported as a ratio to it.
Caravans and deterrence are left out (they cost the engine almost nothing either), and so are the
ports' lists: nobody presents at a port here, so those people cross between ports instead.
"""

from __future__ import annotations

import time

import numpy as np

from corridor.compile.corridor import (
    ARRIVED,
    DEAD,
    DETAINED,
    RETURNED,
    TRAVELLING,
    WAITING,
    CorridorModel,
)
from corridor.engine.cost_to_go import choice_weights

MAX_LEGS = 4


def run_numpy(m: CorridorModel, seed: int) -> dict[str, float]:
    """Simulate ``m`` with plain NumPy; return wall seconds and agent-days."""
    gen = np.random.default_rng(seed)
    total = int(m.dep_people.sum() * m.scale * 1.05) + 1024
    place = np.zeros(total, np.int32)
    edge = np.full(total, -1, np.int32)
    km = np.zeros(total, np.float32)
    status = np.full(total, ARRIVED, np.int8)
    nat = np.zeros(total, np.int8)
    timer = np.zeros(total, np.float32)
    origin = np.zeros(total, np.int32)
    n = 0
    deg = np.diff(m.out_start)
    width = int(deg.max())
    table = np.full((m.n_place, width), -1, np.int64)
    for p in range(m.n_place):
        e = m.out_edge[m.out_start[p] : m.out_start[p + 1]]
        table[p, : len(e)] = e
    bounds = np.searchsorted(m.dep_day, np.arange(m.days + 1))
    p = m.params
    agent_days = 0
    t0 = time.perf_counter()
    for t in range(m.days):
        lo, hi = bounds[t], bounds[t + 1]
        people = m.dep_people[lo:hi] * m.scale
        k = (np.floor(people) + (gen.random(len(people)) < people % 1)).astype(np.int64)
        add = int(k.sum())
        sl = slice(n, n + add)
        place[sl] = np.repeat(m.dep_origin[lo:hi], k)
        origin[sl] = place[sl]
        nat[sl] = np.repeat(m.dep_nat[lo:hi], k)
        status[sl] = TRAVELLING
        edge[sl] = -1
        n += add
        cost = p["w_time"][t] * m.edge_km / m.edge_speed + p["w_hazard"][t] * m.edge_hazard
        weight = np.where(  # row 0: the synthetic corridor's people head for the nearest goal
            m.closed[t], 0.0, choice_weights(m, cost, m.closed[t], p["choice_theta"][t])[0]
        )
        w_tab = np.where(table >= 0, weight[np.maximum(table, 0)], 0.0)
        cum = np.cumsum(w_tab, axis=1)
        # timers
        st = status[:n]
        timed = (st == DETAINED) | (st == RETURNED) | (st == WAITING)
        timer[:n][timed] -= 1
        done = timed & (timer[:n] <= 0)
        det_done = done & (st == DETAINED)
        u = gen.random(n)
        deport = det_done & (u < m.det_cum[nat[:n], 0])
        status[:n][deport] = RETURNED
        timer[:n][deport] = 20
        freed = det_done & ~deport
        status[:n][freed] = TRAVELLING
        place[:n][freed] = m.release_place[place[:n][freed]]
        back = done & (st != DETAINED)
        status[:n][back] = TRAVELLING
        place[:n][back & (st == RETURNED)] = origin[:n][back & (st == RETURNED)]
        # decisions and legs
        left = np.ones(n, np.float32)
        for _leg in range(MAX_LEGS):
            active = (status[:n] == TRAVELLING) & (left > 1e-6)
            at_place = active & (edge[:n] < 0)
            mc = m.move_chance_by_kind[t][m.place_kind[place[:n]]]
            go = at_place & (gen.random(n) < mc)
            left[at_place & ~go] = 0
            idx = np.flatnonzero(go)
            if len(idx):
                pc = place[idx]
                x = gen.random(len(idx)) * cum[pc, -1]
                slot = (cum[pc] > x[:, None]).argmax(axis=1)
                chosen = table[pc, slot]
                ok = cum[pc, -1] > 0
                edge[idx[ok]] = chosen[ok]
                km[idx[ok]] = 0
                left[idx[~ok]] = 0
            on = np.flatnonzero((status[:n] == TRAVELLING) & (edge[:n] >= 0) & (left > 1e-6))
            if not len(on):
                break
            e = edge[on]
            need = (m.edge_km[e] - km[on]) / m.edge_speed[e]
            short = need > left[on]
            km[on[short]] += left[on[short]] * m.edge_speed[e[short]]
            left[on[short]] = 0
            arr = on[~short]
            ea = e[~short]
            left[arr] -= need[~short]
            edge[arr] = -1
            place[arr] = m.edge_to[ea]
            r = gen.random((3, len(arr)))
            dead = r[0] < m.edge_hazard[ea]
            status[arr[dead]] = DEAD
            border = m.edge_border[ea] >= 0
            caught = (
                ~dead
                & ~border
                & (
                    r[1]
                    < 1
                    - np.exp(
                        -p["enforcement_scale"][t] * m.enforcement[t][ea] * m.edge_exposure[ea]
                    )
                )
            )
            fac = m.facility_of[m.edge_to[ea]]
            status[arr[caught]] = DETAINED
            place[arr[caught]] = np.maximum(fac[caught], 0)
            timer[arr[caught]] = m.stay_mean[np.maximum(fac[caught], 0)]
            b = m.edge_border[ea]
            crossing = ~dead & border
            g = nat[arr]
            app = crossing & (r[1] < m.b_apprehend[t][np.maximum(b, 0), g])
            fate = m.b_fate_cum[t][np.maximum(b, 0), g]
            released = app & (r[2] < fate[:, 0])
            status[arr[(crossing & ~app) | released]] = ARRIVED
            status[arr[app & ~released]] = RETURNED
            timer[arr[app & ~released]] = 20
            status[arr[~dead & ~border & ~caught & m.goal[m.edge_to[ea]]]] = ARRIVED
            left[arr[dead | caught | crossing]] = 0
        np.bincount(place[:n] * 9 + status[:n], minlength=m.n_place * 9)
        agent_days += n
    return {"seconds": time.perf_counter() - t0, "agent_days": float(agent_days)}
