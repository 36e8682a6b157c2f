"""Mechanisms of the ``corridor`` ruleset on small networks where the answer is known.

Statistical tests use fixed seeds and a tolerance of 4.5 binomial standard deviations (a correct
engine fails one with probability below 1e-5 for a new seed); each states the rule it checks
(docs/model.md).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.compile.corridor import (
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
    EV_RAID,
    EV_REDEPART,
    EV_RELEASE,
    EV_REMOVE,
    EV_STOP,
    TRAVELLING,
    CorridorModel,
    compile_corridor,
)
from corridor.engine import rng
from corridor.engine.corridor_engine import CorridorRecord
from corridor.engine.corridor_kernels import (
    ARRIVED,
    DEAD,
    DETAINED,
    MISSING,
    RETURNED,
    STOPPED,
    gamma_draw,
)
from corridor.engine.cost_to_go import CostGraph, cost_to_go, positive_costs
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import ZoneHazard
from tests.conftest import REPO
from tests.corridor_builder import (
    BorderRow,
    CaravanRow,
    DetentionRow,
    EnforcementRow,
    EventEntry,
    FacilityRow,
    ReturnRow,
    day,
    place,
    route,
    run,
    scenario,
)

Z = 4.5


def within(observed: float, p: float, n: int) -> bool:
    return abs(observed - p) <= Z * math.sqrt(max(p * (1 - p), 1e-12) / n) + 1e-9


def events(model: CorridorModel, rec: CorridorRecord, kind: int, name: str | None = None) -> int:
    ev = rec.events[:, :, kind, :]
    if name is not None:
        ev = ev[:, model.place_names.index(name)]
        return int(ev.sum())
    return int(ev.sum())


def passages(model: CorridorModel, rec: CorridorRecord, a: str, b: str) -> np.ndarray:
    i, j = model.place_names.index(a), model.place_names.index(b)
    mask = (model.edge_from == i) & (model.edge_to == j)
    return rec.route_stats[:, mask, 0].sum(axis=1)


def straight(**kw: Any) -> CorridorScenario:
    """Origin --road--> border city --border--> US arrival."""
    return scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US")],
        [route("O", "B", "road", kw.pop("km", 150)), route("B", "U", "border", 10, id="bx")],
        **kw,
    )


# -- property: conservation -----------------------------------------------------------------


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    hazard=st.floats(0.0, 0.3),
    intensity=st.floats(0.0, 3.0),
    p_app=st.floats(0.0, 1.0),
    fates=st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4),
    move=st.floats(0.05, 1.0),
    response=st.floats(0.0, 0.5),
    seed=st.integers(0, 10_000),
)
def test_every_agent_is_in_exactly_one_status_every_day(
    hazard: float,
    intensity: float,
    p_app: float,
    fates: list[float],
    move: float,
    response: float,
    seed: int,
) -> None:
    """Property: the counts over places, statuses, nationalities and age groups add up to the
    number of agents created, every day, whatever the rates (agents are conserved)."""
    f = np.array(fates) / sum(fates)
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("F", "facility"),
         place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "T", "road", 120, hazard=hazard), route("T", "B", "bus", 280),
         route("B", "U", "border", 10, id="bx")],
        departures=[("2030-01", "O", "AA", 400), ("2030-01", "B", "MX", 100)],
        days=40,
        params={"move_chance_transit": move, "mpp_abandon_p": 0.5, "w_enforcement": 5.0,
                "departure_cost_response": response, "transit_cost_response": response,
                "announcement_belief": 1.0},
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="place", target="T",
                                    kind="checkpoint", intensity=intensity),
                     EnforcementRow(id="c2", start=day(15), target_type="place", target="B",
                                    kind="checkpoint", intensity=intensity, event="news")],
        events=[EventEntry(id="news", date=day(8), announced=True)],
        facilities=[FacilityRow(place="F", stay_mean_days=5, stay_sd_days=2)],
        detention=[DetentionRow(nationality=n, p_deport=0.4, p_release_papers=0.2,
                                p_release_order=0.2, p_asylum=0.2) for n in ("AA", "MX")],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.5,
                           redeparture_delay_days=5)],
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=p_app, p_release=f[0],
                          p_mpp=f[1], p_expel=f[2], p_remove=f[3], mpp_city="B", mpp_wait_days=7)],
        caravans=[CaravanRow(id="c1", date=day(2), origin="O", people=60, nationality="AA",
                             child_share=0.3, dispersal_date=day(35))],
    )  # fmt: skip
    model, rec = run(sc, seed)
    totals = rec.counts.sum(axis=(1, 2, 3, 4))
    assert np.array_equal(totals, rec.n_agents)
    assert rec.n_agents[-1] == rec.events[:, :, EV_DEPART].sum()
    # every way into a lasting status is an event: the stock is the running sum of its events
    stock = rec.counts.sum(axis=(1, 3, 4))  # [day, status]
    ev = rec.events.sum(axis=(1, 3)).cumsum(axis=0)  # [day, event]
    for status, kind in ((ARRIVED, EV_ARRIVE), (DEAD, EV_DEATH), (MISSING, EV_MISSING),
                         (STOPPED, EV_STOP)):  # fmt: skip
        assert np.array_equal(stock[:, status], ev[:, kind]), (status, kind)
    returned = ev[:, EV_DEPORT] + ev[:, EV_REMOVE] - ev[:, EV_REDEPART]
    assert np.array_equal(stock[:, RETURNED], returned)
    # everyone intercepted is detained at F (the only facility, so every place's): admitted as
    # a detention there, and held until deported, released or claiming asylum from it
    assert rec.events[:, :, EV_DETAIN].sum() == rec.events[:, :, EV_INTERCEPT].sum()
    f = model.place_names.index("F")
    assert rec.events[:, :, EV_DETAIN].sum() == rec.events[:, f, EV_DETAIN].sum()
    at_f = rec.events[:, f].sum(axis=2).cumsum(axis=0)  # [day, event] at the facility
    held = at_f[:, EV_DETAIN] - at_f[:, EV_DEPORT] - at_f[:, EV_RELEASE] - at_f[:, EV_ASYLUM]
    assert np.array_equal(stock[:, DETAINED], held)
    # every agent is once in the end-of-run attempts table, in its last state, and the tries
    # beyond the first are the redepartures
    assert np.array_equal(rec.attempts.sum(axis=(1, 2, 3)), stock[-1])
    extra = rec.attempts.sum(axis=(0, 1, 2)) * np.maximum(np.arange(rec.attempts.shape[3]) - 1, 0)
    assert extra.sum() == rec.events[:, :, EV_REDEPART].sum()


# -- departures and travel --------------------------------------------------------------------


def test_departures_spread_over_the_month() -> None:
    """Rule: a month's departures are spread evenly over its days (310 in 31 days: 10 a day)."""
    model, rec = run(straight(departures=[("2030-01", "O", "AA", 310)], days=31))
    assert list(rec.events[:, model.place_names.index("O"), EV_DEPART].sum(axis=1)) == [10] * 31


def test_scaled_departures_are_rounded_stochastically() -> None:
    """Rule: with scale < 1 each day's expected agents are rounded up or down at random, so the
    month's total is right on average (300 x 0.5 people: 150 +- 4.5 sd)."""
    _, rec = run(straight(departures=[("2030-01", "O", "AA", 300)], days=31, scale=0.5))
    total = int(rec.events[:, :, EV_DEPART].sum())
    frac = 300 * 0.5 / 31 % 1
    assert abs(total - 150) <= Z * math.sqrt(31 * frac * (1 - frac))


def test_travel_time_budget_and_same_day_continuation() -> None:
    """Rule: an agent has one day of time; 150 km at 100 km/day take 1.5 days, and the 0.5 day
    left is used for the 10 km border leg, so departures of day d arrive on day d + 1."""
    model, rec = run(straight(departures=[("2030-01", "O", "AA", 310)], days=10))
    arrivals = rec.events[:, model.place_names.index("U"), EV_ARRIVE].sum(axis=1)
    assert list(arrivals) == [0] + [10] * 9


def test_logit_route_choice() -> None:
    """Rule: P(route) is proportional to exp(-theta (cost + cost to go)); with two direct routes of
    1 and 2 days, theta = 1.5: P(short) = 1 / (1 + exp(-1.5))."""
    sc = scenario(
        [
            place("O", "origin", "AA"),
            place("U1", "us_arrival", "US"),
            place("U2", "us_arrival", "US"),
        ],
        [route("O", "U1", "road", 100), route("O", "U2", "road", 200)],
        departures=[("2030-01", "O", "AA", 31000)],
        days=40,
        params={"choice_theta": 1.5},
    )
    model, rec = run(sc)
    a1 = events(model, rec, EV_ARRIVE, "U1")
    a2 = events(model, rec, EV_ARRIVE, "U2")
    assert a1 + a2 == 31000
    assert within(a1 / (a1 + a2), 1 / (1 + math.exp(-1.5)), a1 + a2)


def test_no_immediate_u_turn() -> None:
    """Rule: the route back to the place just left is not chosen while another exists."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("D", "transit"),
         place("U", "us_arrival", "US")],
        [route("O", "T", "road", 50), route("T", "D", "road", 400), route("D", "U", "road", 50)],
        departures=[("2030-01", "O", "AA", 3100)],
        days=12,
        params={"choice_theta": 0.01},
    )  # fmt: skip
    model, rec = run(sc)
    assert passages(model, rec, "T", "O").sum() == 0


# -- enforcement, detention, returns --------------------------------------------------------------


def test_interception_probability() -> None:
    """Rule: p = 1 - exp(-enforcement_scale x intensity x exposure); 0.4 x 0.5 x 1.5 -> 0.259."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U", "us_arrival", "US")],
        [route("O", "U", "road", 50, id="r")],
        departures=[("2030-01", "O", "AA", 31000)],
        days=31,
        params={"enforcement_scale": 0.4},
        modes={"road": {"exposure": 1.5}},
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="route", target="r",
                                    kind="checkpoint", intensity=0.5)],
    )  # fmt: skip
    model, rec = run(sc)
    caught = events(model, rec, EV_INTERCEPT)
    arrived = events(model, rec, EV_ARRIVE)
    assert within(caught / (caught + arrived), 1 - math.exp(-0.3), caught + arrived)


def test_gamma_stays_have_the_stated_mean_and_sd() -> None:
    """Rule: detention stays are gamma distributed with the facility's mean and sd."""
    keys = np.array([rng.key_for(rng.root_key(3), 0, 0, k) for k in range(8)], dtype=np.uint64)
    for mean, sd in ((10.0, 5.0), (4.0, 6.0)):
        shape, scale = (mean / sd) ** 2, sd**2 / mean
        x = np.array([gamma_draw(keys, a, shape, scale) for a in range(40000)])
        assert abs(x.mean() - mean) < Z * sd / math.sqrt(len(x))
        assert abs(x.std() - sd) / sd < 0.05


def test_detention_outcomes_and_redeparture() -> None:
    """Rule: at the end of a stay: deported (taken to the return point), released (with papers or
    an order to leave) or asylum claim, in the shares of detention.csv; deportees set off again
    with redeparture_p."""
    sc = scenario(
        [place("O", "origin", "AA"), place("F", "facility"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "U", "road", 50, id="r")],
        departures=[("2030-01", "O", "AA", 31000)],
        days=120,
        enforcement=[EnforcementRow(id="c", start=day(0), end=day(30), target_type="route",
                                    target="r", kind="checkpoint", intensity=50.0)],
        facilities=[FacilityRow(place="F", stay_mean_days=6, stay_sd_days=3)],
        detention=[DetentionRow(nationality=n, p_deport=0.5, p_release_papers=0.2,
                                p_release_order=0.2, p_asylum=0.1) for n in ("AA", "MX")],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.4,
                           redeparture_delay_days=5)],
    )  # fmt: skip
    model, rec = run(sc)
    dep, rel, asy = (events(model, rec, k) for k in (EV_DEPORT, EV_RELEASE, EV_ASYLUM))
    n = dep + rel + asy
    # admissions are counted at the facility, interceptions where they happened
    assert events(model, rec, EV_DETAIN, "F") == events(model, rec, EV_INTERCEPT, "U") >= n
    assert within(dep / n, 0.5, n) and within(rel / n, 0.4, n) and within(asy / n, 0.1, n)
    assert within(events(model, rec, EV_REDEPART) / dep, 0.4, dep)


@pytest.mark.parametrize("sd", [0.0, 2.0])
def test_days_held_are_the_days_each_admitted_person_is_held(sd: float) -> None:
    """Rule: an admission adds the days its stay will last (days_held), known when the stay is
    drawn. So over a run that every admitted person leaves, the days held add up to the
    end-of-day counts of people detained, summed over the days: each is counted on the day of
    admission and on every day until the one they leave. Both ways in are covered: the day
    kernel's interceptions and a caravan's members caught at a checkpoint (whose timers are set
    before the kernel's day). A fixed stay of 4.5 days holds each person 5 days."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("F", "facility"),
         place("U", "us_arrival", "US"), place("R", "return_point", "AA")],
        [route("O", "T", "road", 30), route("T", "U", "road", 60)],
        departures=[("2030-01", "O", "AA", 3100)],
        days=70,
        enforcement=[EnforcementRow(id="c", start=day(0), end=day(25), target_type="place",
                                    target="T", kind="checkpoint", intensity=5.0)],
        facilities=[FacilityRow(place="F", stay_mean_days=4.5, stay_sd_days=sd)],
        detention=[DetentionRow(nationality=n, p_deport=0.5, p_release_papers=0.2,
                                p_release_order=0.2, p_asylum=0.1) for n in ("AA", "MX")],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.0,
                           redeparture_delay_days=5)],
        caravans=[CaravanRow(id="c1", date=day(3), origin="O", people=200, nationality="AA",
                             child_share=0.0, dispersal_date=day(20))],
        params={"caravan_breakthrough": 0.0},
    )  # fmt: skip
    model, rec = run(sc)
    f = model.place_names.index("F")
    admitted = rec.events[:, f, EV_DETAIN].sum()
    days_held = rec.events[:, f, EV_DAYS_HELD].sum()
    assert admitted > 500
    assert rec.counts[-1, :, DETAINED].sum() == 0  # everyone admitted has left
    assert days_held == rec.counts[:, f, DETAINED].sum()
    if sd == 0.0:
        assert days_held == 5 * admitted
    # the series: days held over admissions, by facility and for all
    from corridor.validate.corridor_series import monthly_series

    series = monthly_series(model, rec)
    jan = series.filter((series["series"] == "days_held:F") & (series["period"] == "2030-01"))
    in_jan = rec.events[:31, f]
    assert jan["value"][0] == pytest.approx(
        in_jan[:, EV_DAYS_HELD].sum() / in_jan[:, EV_DETAIN].sum()
    )
    whole = series.filter((series["series"] == "days_held") & (series["period"] == "2030"))
    assert whole["value"][0] == pytest.approx(days_held / admitted)
    march = series.filter((series["series"] == "days_held") & (series["period"] == "2030-03"))
    assert march["value"][0] is None  # no admissions in March: no mean


def test_attempts_table_counts_every_departure() -> None:
    """Rule: each agent's attempts are its departures (1 + its redepartures after deportation).
    So the end-of-run table holds every agent once, in its final state, and its attempts beyond
    the first add up to the redeparture events."""
    sc = scenario(
        [place("O", "origin", "AA"), place("F", "facility"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "U", "road", 50, id="r")],
        departures=[("2030-01", "O", "AA", 3100)],
        days=90,
        enforcement=[EnforcementRow(id="c", start=day(0), end=day(60), target_type="route",
                                    target="r", kind="checkpoint", intensity=3.0)],
        facilities=[FacilityRow(place="F", stay_mean_days=3, stay_sd_days=1)],
        detention=[DetentionRow(nationality=n, p_deport=1.0, p_release_papers=0.0,
                                p_release_order=0.0, p_asylum=0.0) for n in ("AA", "MX")],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.8,
                           redeparture_delay_days=2)],
    )  # fmt: skip
    _model, rec = run(sc)
    table = rec.attempts  # [status, nat, age, attempts]
    assert table.sum() == rec.n_agents[-1]
    assert np.array_equal(table.sum(axis=(1, 2, 3)), rec.counts[-1].sum(axis=(0, 2, 3)))
    tries = np.arange(table.shape[3])
    assert table[..., 0].sum() == 0
    assert (table.sum(axis=(0, 1, 2)) * (tries - 1))[1:].sum() == rec.events[
        :, :, EV_REDEPART
    ].sum()
    assert table[..., 3:].sum() > 0  # some tried three times or more


def test_raid_intercepts_people_staying() -> None:
    """Rule: a raid at a place intercepts each person staying there that day with
    1 - exp(-enforcement_scale x intensity)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("S", "shelter"), place("U", "us_arrival", "US")],
        [route("O", "S", "road", 10), route("S", "U", "road", 50)],
        departures=[("2030-01", "O", "AA", 3100)],
        days=31,
        params={"move_chance_shelter": 0.0},
        enforcement=[EnforcementRow(id="r", start=day(0), target_type="place", target="S",
                                    kind="raid", intensity=0.05)],
    )  # fmt: skip
    model, rec = run(sc)
    raids = events(model, rec, EV_RAID)
    present = rec.counts[:, model.place_names.index("S"), 0].sum()  # at the shelter at day's end
    trials = raids + present - rec.counts[-1, model.place_names.index("S"), 0].sum()
    assert within(raids / trials, 1 - math.exp(-0.05), trials)


def test_closure_blocks_a_route_while_in_force() -> None:
    """Rule: a closed route cannot be chosen; it is used again once the closure ends."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U1", "us_arrival", "US"),
         place("U2", "us_arrival", "US")],
        [route("O", "U1", "road", 100, id="short"), route("O", "U2", "road", 300)],
        departures=[("2030-01", "O", "AA", 3100)],
        days=31,
        enforcement=[EnforcementRow(id="x", start=day(0), end=day(9), target_type="route",
                                    target="short", kind="closure")],
    )  # fmt: skip
    model, rec = run(sc)
    used = passages(model, rec, "O", "U1")
    assert used[:10].sum() == 0 and used[12:].sum() > 0


def test_cost_to_go_leaves_out_a_pair_whose_routes_are_all_closed() -> None:
    """Rule: the cost to go is the cheapest cost to a goal over open routes; a pair of places whose
    routes are all closed is no way at all, and the graph, refilled in place each day, takes the
    pair back when a route of it reopens. Known answers on O -> A -> U1 (2 + 3, two parallel
    routes A -> U1), O -> U2 (7) and back A -> O (2); routes out of a goal cost 100."""
    sc = scenario(
        [place("O", "origin", "AA"), place("A", "transit"), place("U1", "us_arrival", "US"),
         place("U2", "us_arrival", "US")],
        [route("O", "A", "road", 100), route("A", "U1", "road", 100, id="a1"),
         route("A", "U1", "foot", 100, id="a2"), route("O", "U2", "road", 100)],
        departures=[("2030-01", "O", "AA", 10)],
    )  # fmt: skip
    m = compile_corridor(sc)
    idx = {n: i for i, n in enumerate(m.place_names)}
    cost = np.zeros(m.n_edge)
    to_a1 = []
    for e in range(m.n_edge):
        pair = (m.place_names[m.edge_from[e]], m.place_names[m.edge_to[e]])
        cost[e] = {("O", "A"): 2.0, ("A", "O"): 2.0, ("A", "U1"): 3.0, ("O", "U2"): 7.0}.get(
            pair, 100.0
        )
        if pair == ("A", "U1"):
            to_a1.append(e)
    assert len(to_a1) == 2
    graph = CostGraph.of(m)
    open_ = np.zeros(m.n_edge, dtype=bool)
    one_closed = open_.copy()
    one_closed[to_a1[0]] = True
    both_closed = open_.copy()
    both_closed[to_a1] = True
    for closed, v_o, v_a in [(open_, 5.0, 3.0), (both_closed, 7.0, 9.0),
                             (one_closed, 5.0, 3.0), (both_closed, 7.0, 9.0),
                             (open_, 5.0, 3.0)]:  # fmt: skip
        v = cost_to_go(positive_costs(cost), closed, graph)
        assert v[idx["O"]] == pytest.approx(v_o) and v[idx["A"]] == pytest.approx(v_a)
        assert v[idx["U1"]] == pytest.approx(0.0) and v[idx["U2"]] == pytest.approx(0.0)


def test_perceived_enforcement_displaces_traffic() -> None:
    """Rule: perceived interception follows the real one with a lag, enters the route cost, and
    shifts traffic to the unwatched route; perception converges to the true probability."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U1", "us_arrival", "US"),
         place("U2", "us_arrival", "US")],
        [route("O", "U1", "road", 100, id="watched"), route("O", "U2", "road", 120)],
        departures=[("2030-01", "O", "AA", 31000), ("2030-02", "O", "AA", 28000),
                    ("2030-03", "O", "AA", 31000)],
        days=90,
        params={"w_enforcement": 20.0, "perception_lag_days": 5},
        enforcement=[EnforcementRow(id="c", start=day(20), target_type="route", target="watched",
                                    kind="checkpoint", intensity=math.log(2))],
    )  # fmt: skip
    model, rec = run(sc)
    a = passages(model, rec, "O", "U1")
    b = passages(model, rec, "O", "U2")
    before = a[:19].sum() / (a[:19].sum() + b[:19].sum())
    after = a[60:].sum() / (a[60:].sum() + b[60:].sum())
    assert before > 0.5 and after < 0.1
    seen = rec.perceived[:, model.edge_id.index("watched")]
    assert seen[19] < 0.01 < seen[20] < seen[30]  # rises with a lag, not at once


def test_perception_converges_to_the_true_probability() -> None:
    """Rule: where people keep passing, perceived interception converges to the true one."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U1", "us_arrival", "US")],
        [route("O", "U1", "road", 100, id="watched")],
        departures=[("2030-01", "O", "AA", 31000), ("2030-02", "O", "AA", 28000)],
        days=59,
        params={"perception_lag_days": 5},
        enforcement=[EnforcementRow(id="c", start=day(10), target_type="route", target="watched",
                                    kind="checkpoint", intensity=math.log(2))],
    )  # fmt: skip
    model, rec = run(sc)
    seen = rec.perceived[:, model.edge_id.index("watched")]
    assert abs(seen[40:].mean() - 0.5) < 0.02


# -- hazard and border ---------------------------------------------------------------------------


def test_hazard_deaths_and_missing() -> None:
    """Rule: each traversal kills (or loses) with the route's hazard; missing_share of them are
    recorded as missing."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U", "us_arrival", "US")],
        [route("O", "U", "foot", 50, hazard=0.2)],
        departures=[("2030-01", "O", "AA", 31000)],
        days=31,
        params={"missing_share": 0.25},
    )
    model, rec = run(sc)
    dead, missing = events(model, rec, EV_DEATH), events(model, rec, EV_MISSING)
    arrived = events(model, rec, EV_ARRIVE)
    n = dead + missing + arrived
    assert within((dead + missing) / n, 0.2, n)
    assert within(missing / (dead + missing), 0.25, dead + missing)


def test_border_rules_and_mpp() -> None:
    """Rule: each crossing is apprehended with p_apprehend (an encounter each time); the fates
    of the apprehended follow border.csv; Mexican nationals are never put in MPP (expelled
    instead); MPP returnees wait, then give up with mpp_abandon_p."""
    sc = scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "B", "road", 10), route("B", "U", "border", 10, id="bx")],
        departures=[("2030-01", "O", "AA", 31000), ("2030-01", "B", "MX", 31000)],
        days=60,
        params={"move_chance_border_city": 0.5, "mpp_abandon_p": 1.0},
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=0.6, p_release=0.5, p_mpp=0.3,
                          p_expel=0.1, p_remove=0.1, mpp_city="B", mpp_wait_days=10)],
        returns=[ReturnRow(nationality=n, place=p, redeparture_p=0.0, redeparture_delay_days=1)
                 for n, p in (("AA", "R"), ("MX", "B"))],
    )  # fmt: skip
    _, rec = run(sc)
    ev = rec.events.sum(axis=(0, 1))  # [event, nationality]
    aa, mx = 0, 1
    app = ev[EV_APPREHEND]
    crossed = ev[EV_CROSS]
    for j in (aa, mx):
        assert within(app[j] / (app[j] + crossed[j]), 0.6, app[j] + crossed[j])
    released = ev[EV_ARRIVE] - crossed
    assert within(released[aa] / app[aa], 0.5, app[aa])
    assert within(ev[EV_MPP, aa] / app[aa], 0.3, app[aa])
    assert ev[EV_MPP, mx] == 0
    assert within(ev[EV_EXPEL, mx] / app[mx], 0.4, app[mx])
    assert within(ev[EV_REMOVE, aa] / app[aa], 0.1, app[aa])
    mpp_done = ev[EV_MPP, aa] - rec.counts[-1, :, 2, aa].sum()  # still waiting at the end
    assert ev[EV_STOP, aa] == mpp_done


def test_border_fates_by_nationality() -> None:
    """Rule: a border row with a nationality holds for that nationality only, and overrides the
    row for every nationality where both are in force (later row wins); other nationalities keep
    the row for all."""
    both = [("2030-01", "O", "AA", 31000), ("2030-01", "O", "BB", 31000)]
    sc = scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "B", "road", 10), route("B", "U", "border", 10, id="bx")],
        departures=both,
        days=40,
        nationalities=("AA", "BB", "MX"),
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=1.0, p_release=0.8,
                          p_mpp=0.0, p_expel=0.0, p_remove=0.2),
                BorderRow(crossing="bx", nationality="BB", start=day(0), p_apprehend=0.5,
                          p_release=0.1, p_mpp=0.0, p_expel=0.0, p_remove=0.9)],
        returns=[ReturnRow(nationality=n, place="R", redeparture_p=0.0, redeparture_delay_days=1)
                 for n in ("AA", "BB", "MX")],
    )  # fmt: skip
    _, rec = run(sc)
    ev = rec.events.sum(axis=(0, 1))  # [event, nationality]
    aa, bb = 0, 1
    app, crossed = ev[EV_APPREHEND], ev[EV_CROSS]
    assert crossed[aa] == 0  # p_apprehend 1 for AA
    assert within(app[bb] / (app[bb] + crossed[bb]), 0.5, app[bb] + crossed[bb])
    assert within(ev[EV_REMOVE, aa] / app[aa], 0.2, app[aa])
    assert within(ev[EV_REMOVE, bb] / app[bb], 0.9, app[bb])


# -- caravans, events, deterrence ---------------------------------------------------------------


def _caravan(breakthrough: float) -> CorridorScenario:
    return scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("T2", "transit"),
         place("U", "us_arrival", "US")],
        [route("O", "T", "road", 90, id="r1"), route("T", "T2", "road", 60),
         route("T2", "U", "road", 500)],
        days=12,
        params={"caravan_speed_km_day": 30.0, "caravan_breakthrough": breakthrough},
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="route", target="r1",
                                    kind="checkpoint", intensity=0.5)],
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=2000, nationality="AA",
                             child_share=0.3, dispersal_date=day(8))],
    )  # fmt: skip


def test_caravan_moves_together_at_walking_pace() -> None:
    """Rule: caravan members move as one group at caravan_speed_km_day (90 km at 30 km/day: at T
    at the end of day 2), and break through checkpoints with caravan_breakthrough (1: nobody
    intercepted)."""
    model, rec = run(_caravan(1.0))
    t = model.place_names.index("T")
    at_place, en_route = 0, 1
    assert rec.counts[2, t, at_place].sum() == 2000  # everyone at T at the end of day 2
    assert rec.counts[1, t, en_route].sum() == 2000  # all still on the way on day 1
    assert events(model, rec, EV_INTERCEPT) == 0


def test_caravan_failing_to_break_through_is_partly_intercepted() -> None:
    """Rule: a caravan that does not break through loses each member with the individual
    probability (1 - exp(-0.5))."""
    model, rec = run(_caravan(0.0))
    caught = events(model, rec, EV_INTERCEPT)
    assert within(caught / 2000, 1 - math.exp(-0.5), 2000)


def test_a_caravan_stops_at_the_border_city_and_its_members_cross_one_by_one() -> None:
    """Rule: a caravan does not cross the US border as a group: it stops on reaching a border city
    (here at a third of a day, with time left to walk the 10 km border route) and disperses the
    next day; its members then cross under the border rules, each apprehension an encounter."""
    sc = scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US")],
        [route("O", "B", "road", 40), route("B", "U", "border", 10, id="bx")],
        days=20,
        params={"caravan_speed_km_day": 60.0, "move_chance_border_city": 1.0},
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=1.0, p_release=1.0,
                          p_mpp=0.0, p_expel=0.0, p_remove=0.0)],
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=500, nationality="AA",
                             child_share=0.3, dispersal_date=day(19))],
    )  # fmt: skip
    model, rec = run(sc)
    crossing = passages(model, rec, "B", "U")
    assert crossing[0] == 0  # at B after 2/3 of day 0: the caravan stops there
    assert crossing.sum() == 500
    assert events(model, rec, EV_APPREHEND) == 500
    assert events(model, rec, EV_ARRIVE, "U") == 500


def test_caravan_members_caught_where_no_facility_is_assigned_are_deported() -> None:
    """Rule (as for everyone): intercepted at a place with no facility means deported at once,
    to the nationality's return point."""
    sc = _caravan(0.0)
    sc.returns = [ReturnRow(nationality="AA", place="O", redeparture_p=0.0,
                            redeparture_delay_days=1)]  # fmt: skip
    model, rec = run(sc)
    caught = events(model, rec, EV_INTERCEPT)
    assert caught > 0
    assert events(model, rec, EV_DEPORT) == caught
    returned = 4
    assert rec.counts[-1, model.place_names.index("O"), returned].sum() == caught


def test_caravan_members_reaching_a_goal_arrive() -> None:
    """Rule: members of a caravan that reaches a goal arrive there together (650 km at 30 km/day:
    during day 21), each an arrival."""
    sc = _caravan(1.0)
    sc.spec = sc.spec.model_copy(update={"end_date": day(29)})
    sc.caravans = [sc.caravans[0].model_copy(update={"dispersal_date": day(29)})]
    model, rec = run(sc)
    arrivals = rec.events[:, model.place_names.index("U"), EV_ARRIVE].sum(axis=1)
    assert arrivals[21] == 2000
    assert arrivals.sum() == 2000


def test_switching_off_an_event_drops_its_rows() -> None:
    """Rule: `--without EVENT` removes the event's rows and parameter changes."""
    sc = scenario(
        [place("O", "origin", "AA"), place("U", "us_arrival", "US")],
        [route("O", "U", "road", 50, id="r")],
        departures=[("2030-01", "O", "AA", 3100)],
        days=31,
        enforcement=[EnforcementRow(id="c", start=day(10), target_type="route", target="r",
                                    kind="checkpoint", intensity=1.0, event="deal")],
        events=[EventEntry(id="deal", date=day(10))],
    )  # fmt: skip
    model, rec = run(sc)
    assert events(model, rec, EV_INTERCEPT) > 0
    model2, rec2 = run(sc.without_events(["deal"]))
    assert events(model2, rec2, EV_INTERCEPT) == 0
    assert model2.disabled_events == ("deal",)


# The response tests' detention: the intercepted are held at F for about 5 days, then deported to
# their origin O for good, so only the perceived enforcement differs between the runs compared.
DETAINED_THEN_DEPORTED_FOR_GOOD = {
    "facilities": [FacilityRow(place="F", stay_mean_days=5, stay_sd_days=2)],
    "detention": [
        DetentionRow(
            nationality="AA", p_deport=1.0, p_release_papers=0, p_release_order=0, p_asylum=0
        )
    ],
    "returns": [
        ReturnRow(nationality="AA", place="O", redeparture_p=0.0, redeparture_delay_days=1)
    ],
}


def test_deterrence_lowers_departures_after_failures() -> None:
    """Rule: with deterrence_elasticity > 0, departures follow (recent success / long-run
    success) ** elasticity with a lag: after the border turns everyone back, fewer set off."""

    def build(eps: float) -> CorridorScenario:
        return straight(
            departures=[(f"2030-0{k}", "O", "AA", 30000) for k in (1, 2, 3, 4)],
            days=120,
            params={"deterrence_elasticity": eps, "deterrence_lag_days": 10},
            border=[BorderRow(crossing="bx", start=day(0), p_apprehend=0.5, p_release=1.0,
                              p_mpp=0, p_expel=0, p_remove=0),
                    BorderRow(crossing="bx", start=day(45), p_apprehend=1.0, p_release=0.0,
                              p_mpp=0, p_expel=0, p_remove=1.0)],
            returns=[ReturnRow(nationality="AA", place="O", redeparture_p=0.0,
                               redeparture_delay_days=1)],
        )  # fmt: skip

    _, off = run(build(0.0))
    _, on = run(build(1.0))
    late_off = off.events[80:, :, EV_DEPART].sum()
    late_on = on.events[80:, :, EV_DEPART].sum()
    assert late_on < 0.7 * late_off
    assert on.events[:50, :, EV_DEPART].sum() == off.events[:50, :, EV_DEPART].sum()


def test_departures_respond_to_the_perceived_cost_of_the_journey() -> None:
    """Rule: with departure_cost_response = b > 0, a day's departures are multiplied by
    exp(-b (V - V_mean)), V the perceived cost to go from the origin: when a checkpoint appears on
    the only road, agents learn it (perceived enforcement), the journey's cost rises and fewer set
    off; before it, departures are those of b = 0."""

    def build(beta: float) -> CorridorScenario:
        return scenario(
            [place("O", "origin", "AA"), place("F", "facility"), place("U", "us_arrival", "US")],
            [route("O", "U", "road", 50, id="r")],
            departures=[(f"2030-0{k}", "O", "AA", 30000) for k in (1, 2, 3, 4)],
            days=120,
            params={"departure_cost_response": beta, "enforcement_scale": 1.0,
                    "perception_lag_days": 3, "w_enforcement": 10.0},
            **DETAINED_THEN_DEPORTED_FOR_GOOD,
            enforcement=[EnforcementRow(id="c", start=day(45), target_type="route", target="r",
                                        kind="checkpoint", intensity=2.0)],
        )  # fmt: skip

    _, off = run(build(0.0))
    _, on = run(build(0.2))
    assert on.events[:46, :, EV_DEPART].sum() == off.events[:46, :, EV_DEPART].sum()
    late_off = off.events[60:, :, EV_DEPART].sum()
    late_on = on.events[60:, :, EV_DEPART].sum()
    # Perceived interception on the road settles near 1 - exp(-2) = 0.86 after the checkpoint,
    # so V rises by about 10 x 0.86 and departures fall well below a half (exp(-0.2 x 8.6) = 0.18
    # against a mean that slowly takes in the new cost).
    assert late_on < 0.5 * late_off


def test_travellers_wait_while_the_road_ahead_is_dearer_than_usual() -> None:
    """Rule: with transit_cost_response = b > 0, the chance of moving on from a place other than an
    origin is multiplied by exp(-b (V - V_mean)) (at most 1), V the perceived cost to go from it:
    when a checkpoint appears on the road ahead, people without papers wait longer where they
    are. People with papers (Mexicans here) price no interception in, so their days are the same
    draw for draw; before the checkpoint, everyone's are."""

    def build(beta: float) -> CorridorScenario:
        return scenario(
            [place("O", "origin", "AA"), place("T", "transit"), place("F", "facility"),
             place("U", "us_arrival", "US")],
            [route("O", "T", "road", 50), route("T", "U", "road", 50, id="r")],
            departures=[(f"2030-0{k}", "O", n, 3000) for k in (1, 2, 3, 4) for n in ("AA", "MX")],
            days=120,
            params={"transit_cost_response": beta, "enforcement_scale": 1.0,
                    "perception_lag_days": 3, "w_enforcement": 10.0, "move_chance_transit": 0.5},
            **DETAINED_THEN_DEPORTED_FOR_GOOD,
            enforcement=[EnforcementRow(id="c", start=day(45), target_type="place", target="U",
                                        kind="checkpoint", intensity=2.0)],
        )  # fmt: skip

    model, off = run(build(0.0))
    _, on = run(build(0.2))
    aa, mx = model.nationalities.index("AA"), model.nationalities.index("MX")
    assert np.array_equal(on.counts[:46], off.counts[:46])
    assert np.array_equal(on.counts[..., mx, :], off.counts[..., mx, :])
    assert np.array_equal(on.events[..., mx], off.events[..., mx])
    t = model.place_names.index("T")
    waiting_off = off.counts[60:, t, TRAVELLING, aa].sum()
    waiting_on = on.counts[60:, t, TRAVELLING, aa].sum()
    # The checkpoint's perceived chance settles near 1 - exp(-2) = 0.86, so V at T rises by about
    # 8.6 and the chance of moving on falls from 0.5 to about 0.5 exp(-0.2 x 8.6) = 0.09 at first
    # (less as the mean takes in the new cost): people stay at T several times longer.
    assert waiting_on > 2 * waiting_off


def test_an_announced_deployment_is_perceived_on_its_date() -> None:
    """Rule: on the date of an event marked announced, the perceived interception on the routes
    its rows will cover rises by announcement_belief of the way to the chance they will bring,
    before anyone meets them; without belief, or for an event not announced, perception waits
    for the rows to start."""

    def build(belief: float, announced: bool = True) -> CorridorScenario:
        return scenario(
            [place("O", "origin", "AA"), place("F", "facility"), place("U", "us_arrival", "US")],
            [route("O", "U", "road", 50, id="r")],
            departures=[("2030-01", "O", "AA", 3000)],
            days=40,
            params={"announcement_belief": belief, "enforcement_scale": 1.0},
            **DETAINED_THEN_DEPORTED_FOR_GOOD,
            enforcement=[EnforcementRow(id="c", start=day(20), target_type="route", target="r",
                                        kind="checkpoint", intensity=2.0, event="deal")],
            events=[EventEntry(id="deal", date=day(10), announced=announced)],
        )  # fmt: skip

    model, full = run(build(1.0))
    _, half = run(build(0.5))
    _, off = run(build(0.0))
    _, quiet = run(build(1.0, announced=False))
    r = model.edge_id.index("r")
    chance = 1 - math.exp(-2.0)  # intensity 2 at enforcement_scale 1, exposure 1 on roads
    # The record holds perception at the end of the day: the news, taken in before the day's
    # route choice, then learns from day 10's passages (none caught). Replay the smoothing.
    alpha = 1.0 / model.params["perception_lag_days"][0]
    seen = max(float(model.params["perception_min_passages"][0]), 1e-6)
    passes = full.route_stats[:, r, 0]  # one route: the same passages in every variant
    for t in range(10):
        seen = (1 - alpha) * seen + alpha * passes[t]
    kept = (1 - alpha) * seen / ((1 - alpha) * seen + alpha * passes[10])
    assert passes[10] > 0
    assert off.perceived[10, r] == 0.0 and quiet.perceived[10, r] == 0.0
    assert full.perceived[10, r] == pytest.approx(chance * kept, rel=1e-6)
    assert half.perceived[10, r] == pytest.approx(chance / 2 * kept, rel=1e-6)
    assert np.array_equal(full.perceived[:10], off.perceived[:10])
    assert off.perceived[19, r] == 0.0 < off.perceived[21, r]  # learnt once the rows start


def test_a_zone_multiplier_scales_the_hazard_of_routes_into_the_zone() -> None:
    """Rule: scenario.yml's hazard_zones multiply the hazard of every route whose destination lies
    in the zone (its death_region), and leave other routes alone."""
    sc = scenario(
        [place("O", "origin", "AA"), place("M", "transit", death_region="south"),
         place("U", "us_arrival", "US", death_region="border")],
        [route("O", "M", "foot", 50, hazard=0.1), route("M", "U", "foot", 50, hazard=0.1)],
        departures=[("2030-01", "O", "AA", 31000)],
        days=31,
    )  # fmt: skip
    sc.spec = sc.spec.model_copy(
        update={"hazard_zones": {"south": ZoneHazard(scale=2.5, assumption="test")}}
    )
    model, rec = run(sc)
    into_m = events(model, rec, EV_DEATH, "M")
    into_u = events(model, rec, EV_DEATH, "U")
    left_o = int(passages(model, rec, "O", "M").sum())
    left_m = int(passages(model, rec, "M", "U").sum())
    assert within(into_m / left_o, 0.25, left_o)
    assert within(into_u / left_m, 0.1, left_m)


def _load_error(root: Path) -> str:
    """The message of the ScenarioError that loading ``root`` must raise."""
    import corridor
    from corridor.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        corridor.load(root)
    return str(err.value)


def _synthetic_copy(tmp_path: Path) -> Path:
    """A copy of examples/corridor-synthetic to break one thing in."""
    import shutil

    root = tmp_path / "scenario"
    shutil.copytree(REPO / "examples" / "corridor-synthetic", root)
    return root


def test_a_zone_multiplier_must_name_a_death_region(tmp_path: Path) -> None:
    """Bad input: a hazard_zones entry naming no place's death region is reported with the file
    and key, before anything runs."""
    root = _synthetic_copy(tmp_path)
    with (root / "scenario.yml").open("a", encoding="utf-8") as fh:
        fh.write("hazard_zones:\n  nowhere:\n    scale: 2\n    assumption: test\n")
    text = _load_error(root)
    assert "scenario.yml" in text and "hazard_zones.nowhere" in text


def test_a_border_row_must_name_a_nationality_of_the_scenario(tmp_path: Path) -> None:
    """Bad input: a border.csv row for a nationality scenario.yml does not list is reported with
    the file, line, column and value, before anything runs."""
    path = _synthetic_copy(tmp_path) / "border.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, first = lines[0].split(","), lines[1].split(",")
    lines[0] = ",".join([head[0], "nationality", *head[1:]])
    lines[1] = ",".join([first[0], "ZZ", *first[1:]])
    lines[2:] = [",".join([row.split(",")[0], "", *row.split(",")[1:]]) for row in lines[2:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = _load_error(path.parent)
    assert "border.csv" in text and "nationality" in text and "ZZ" in text
    assert "line 2" in text


def test_a_raid_acts_on_everyone_staying_at_the_place() -> None:
    """Rule: a raid acts on everyone staying at the place. T's only route out is closed from day
    10: everyone at T stays, those who would move on as well as those who would not, and each is
    a raid trial (p = 1 - exp(-0.2) = 0.181 a day). Before the fix only those failing the move
    draw were (about half: 0.096)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("U", "us_arrival", "US")],
        [route("O", "T", "road", 10, id="ot", two_way="no"), route("T", "U", "road", 10, id="tu")],
        departures=[("2030-01", "O", "AA", 31000)],
        days=31,
        params={"move_chance_transit": 0.5},
        enforcement=[EnforcementRow(id="r", start=day(0), target_type="place", target="T",
                                    kind="raid", intensity=0.2),
                     EnforcementRow(id="x", start=day(10), target_type="route", target="tu",
                                    kind="closure")],
    )  # fmt: skip
    m, rec = run(sc)
    t = m.place_names.index("T")
    present = rec.counts[:, t, 0].sum(axis=(1, 2))  # travelling at T at the end of each day
    trials = int(present[10:30].sum())
    raids = int(rec.events[11:31, :, EV_RAID].sum())
    assert within(raids / trials, 1 - math.exp(-0.2), trials)


def test_enforcement_on_a_border_route_intercepts_before_the_border_rules() -> None:
    """Rule: enforcement applies on every route, border routes included: intensity 1 on the
    route to the line intercepts 1 - exp(-1) = 0.632 of its passages, on the Mexican side (at
    the border city), and only the others meet the border rules (before the fix: none)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US")],
        [route("O", "B", "road", 20), route("B", "U", "border", 10, id="bx")],
        departures=[("2030-01", "O", "AA", 3100)],
        days=10,
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="route", target="bx",
                                    kind="checkpoint", authority="INM", intensity=1.0)],
    )  # fmt: skip
    m, rec = run(sc)
    e = m.edge_id.index("bx")
    n_pass, caught = int(rec.route_stats[:, e, 0].sum()), int(rec.route_stats[:, e, 1].sum())
    assert within(caught / n_pass, 1 - math.exp(-1.0), n_pass)
    assert events(m, rec, EV_INTERCEPT, "B") == caught
    assert events(m, rec, EV_ARRIVE, "U") + caught == n_pass


def test_the_kernels_count_the_events_the_outputs_name() -> None:
    """The event numbers of the day kernel and of the ports' step are the compiled model's
    (events.parquet names them from ``EVENTS``), one table column per event kind."""
    import corridor.compile.corridor as compiled
    import corridor.engine.corridor_kernels as kernels
    import corridor.engine.ports as ports

    assert len(compiled.EVENTS) == kernels.N_EVENTS
    for i, kind in enumerate(compiled.EVENTS):
        name = next(k for k in dir(compiled) if k.startswith("EV_") and getattr(compiled, k) == i)
        assert getattr(kernels, name, None) == i or getattr(ports, name, None) == i, kind
    assert compiled.EVENTS[compiled.EV_DETAIN] == "detentions"
