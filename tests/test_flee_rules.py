"""Conformance of the ``flee`` ruleset with Flee 3.1's rules, on small hand-built networks.

Each test states the Flee rule it checks. Statistical tests use fixed seeds; their tolerances are
4.5 binomial standard deviations (a correct engine fails one with probability below 1e-5 for a new
seed), so they catch a wrong rule (a shift of several per cent) without being brittle.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.compile.flee import FleeModel, compile_flee
from corridor.engine.flee_engine import FleeRecord, run_flee
from corridor.engine.flee_kernels import cap_multiplier
from corridor.scenario.flee.model import FleeScenario
from tests.flee_builder import constant_spawning, scenario, settings

Z = 4.5


def within(observed: float, p: float, n: int) -> bool:
    return abs(observed - p) <= Z * math.sqrt(p * (1 - p) / n) + 1e-12


def run(sc: FleeScenario, seed: int = 1) -> tuple[FleeModel, FleeRecord]:
    model = compile_flee(sc)
    return model, run_flee(model, seed)


def counts(model: FleeModel, rec: FleeRecord, day: int, name: str) -> int:
    return int(rec.loc_counts[day, model.loc_names.index(name)])


def on_link(model: FleeModel, rec: FleeRecord, day: int, a: str, b: str) -> int:
    i, j = model.loc_names.index(a), model.loc_names.index(b)
    mask = (model.link_start == i) & (model.link_end == j)
    return int(rec.link_counts[day, mask].sum())


# -- move chance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key", "p"),
    [
        ("town", "default_movechance", 0.3),
        ("camp", "camp_movechance", 0.2),
        ("conflict", None, 1.0),
    ],
)
def test_move_chance_by_location_type(kind: str, key: str | None, p: float) -> None:
    """Rule: an agent at a location leaves on a day with the location type's move chance
    (town: default_movechance, camp: camp_movechance, conflict zone: conflict_movechance)."""
    n = 20000
    rules = {key: p} if key else {}
    sc = scenario(
        [("A", kind, "X", 0), ("B", "town", "X", 0)],
        [("A", "B", 5000)],
        days=1,
        agents={"A": n},
        flee_settings=settings(**rules),
    )
    model, rec = run(sc)
    left = on_link(model, rec, 0, "A", "B") / n
    assert within(left, p, n), (left, p)


def test_movechance_population_scaling() -> None:
    """Rule: move chance x (max(pop, capacity) / movechance_pop_base) ** movechance_pop_scale."""
    n = 20000
    sc = scenario(
        [("A", "town", "X", 40000), ("B", "town", "X", 0)],
        [("A", "B", 5000)],
        days=1,
        agents={"A": n},
        flee_settings=settings(movechance_pop_base=10000, movechance_pop_scale_factor=-0.5),
    )
    model, rec = run(sc)
    p = 0.3 * (40000 / 10000) ** -0.5
    assert within(on_link(model, rec, 0, "A", "B") / n, p, n)


# -- route choice ----------------------------------------------------------------------------


def test_route_choice_follows_weight_formula() -> None:
    """Rule: weight = (weight_softening + score) / (softening + km) ** distance_power x cap, and
    the score is foreign_weight (other country) x camp_weight (camp)."""
    n = 30000
    rules = settings(
        softening=10, distance_power=0.75, foreign_weight=2.0, camp_weight=3.0, max_move_speed=1
    )
    sc = scenario(
        [
            ("O", "conflict", "X", 100),
            ("B", "town", "X", 0),
            ("C", "camp", "Y", 0),
            ("D", "town", "X", 0),
        ],
        [("O", "B", 100), ("O", "C", 300), ("O", "D", 50)],
        days=1,
        agents={"O": n},
        flee_settings=rules,
    )
    model, rec = run(sc)
    w = {"B": 1 / (110**0.75), "C": 2 * 3 / (310**0.75), "D": 1 / (60**0.75)}
    total = sum(w.values())
    for dest, weight in w.items():
        assert within(on_link(model, rec, 0, "O", dest) / n, weight / total, n), dest


def test_conflict_weight_with_decay() -> None:
    """Rule: a conflict zone's score is conflict_weight ** (decay(t - onset) x intensity)."""
    n = 30000
    rules = settings(
        conflict_weight=0.25, max_move_speed=1, spawn_rules={"conflict_spawn_decay": [1.0, 0.5]}
    )
    sc = scenario(
        [("O", "forward", "X", 0), ("B", "conflict", "X", 100), ("C", "town", "X", 0)],
        [("O", "B", 100), ("O", "C", 100)],
        days=1,
        agents={"O": n},
        conflicts={"B": [0.8]},
        flee_settings=rules,
    )
    model, rec = run(sc)
    wb = 0.25 ** (1.0 * 0.8)
    assert within(on_link(model, rec, 0, "O", "B") / n, wb / (wb + 1.0), n)


def test_awareness_two_counts_every_prefix_route() -> None:
    """Rule (awareness_level 2): candidates are [B], [B,D], [C], [C,D]... every prefix competes
    with its own accumulated distance, and routes never loop back to the origin."""
    n = 30000
    sc = scenario(
        [
            ("O", "conflict", "X", 100),
            ("B", "town", "X", 0),
            ("C", "town", "X", 0),
            ("D", "town", "X", 0),
        ],
        [("O", "B", 100), ("O", "C", 200), ("B", "D", 300), ("C", "D", 50)],
        days=1,
        agents={"O": n},
        flee_settings=settings(awareness_level=2, softening=10, max_move_speed=10),
    )
    model, rec = run(sc)
    cands = model.candidates
    o = model.loc_names.index("O")
    routes = {
        tuple(model.loc_names[x] for x in cands.nodes[c, : cands.length[c]]): cands.dcum[c]
        for c in range(cands.start[o], cands.start[o + 1])
    }
    assert routes == {("B",): 100, ("B", "D"): 400, ("C",): 200, ("C", "D"): 250}
    w = {k: 1 / (10 + d) for k, d in routes.items()}
    p_b = (w[("B",)] + w[("B", "D")]) / sum(w.values())
    assert within(on_link(model, rec, 0, "O", "B") / n, p_b, n)


def test_markers_are_looked_through() -> None:
    """Rule: a marker gives no candidate of its own and uses no awareness step; the route through
    it is one candidate with the summed distance."""
    sc = scenario(
        [
            ("O", "conflict", "X", 100),
            ("M", "marker", "X", 0),
            ("B", "town", "X", 0),
            ("C", "town", "X", 0),
        ],
        [("O", "M", 100), ("M", "B", 50), ("O", "C", 10)],
        days=1,
    )
    model = compile_flee(sc)
    cands = model.candidates
    o = model.loc_names.index("O")
    routes = {
        tuple(model.loc_names[x] for x in cands.nodes[c, : cands.length[c]]): cands.dcum[c]
        for c in range(cands.start[o], cands.start[o + 1])
    }
    assert routes == {("M", "B"): 150, ("C",): 10}


def test_awareness_zero_picks_a_uniform_neighbour() -> None:
    """Rule (corridor's choice; Flee 3.1's awareness 0 never moves anyone): a neighbour uniformly
    at random, whatever the distances and scores."""
    n = 30000
    sc = scenario(
        [("O", "conflict", "X", 100), ("B", "town", "X", 0), ("C", "camp", "Y", 0)],
        [("O", "B", 10), ("O", "C", 1000)],
        days=1,
        agents={"O": n},
        flee_settings=settings(awareness_level=0, max_move_speed=5),
    )
    model, rec = run(sc)
    assert within(on_link(model, rec, 0, "O", "B") / n, 0.5, n)


def test_forced_redirection_one_doubles_the_link_as_in_flee31() -> None:
    """Rule (Flee 3.1 quirk, verified by experiment): a routes.csv row with forced_redirection 1
    builds its link pair twice, so that neighbour counts twice in route choice."""
    from corridor.scenario.flee.rows import RouteRow

    sc = scenario(
        [("O", "conflict", "X", 100), ("B", "town", "X", 0), ("C", "town", "X", 0)],
        [("O", "B", 100), ("O", "C", 100)],
        days=1,
    )
    sc.routes[0] = RouteRow(name1="O", name2="B", distance=100, forced_redirection=1)
    model = compile_flee(sc)
    o = model.loc_names.index("O")
    ends = [
        model.loc_names[model.link_end[k]]
        for k in model.out_link[model.out_start[o] : model.out_start[o + 1]]
    ]
    assert sorted(ends) == ["B", "B", "C"]


# -- travel ----------------------------------------------------------------------------------


def test_daily_distance_and_arrival_day() -> None:
    """Rule: an agent adds max_move_speed km a day and arrives on the day its km on the link
    exceed the link's length (strictly): 1000 km at 400 km/day arrives on day 2."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 1000)],
        days=4,
        agents={"A": 100},
        flee_settings=settings(max_move_speed=400, camp_movechance=0.0),
    )
    model, rec = run(sc)
    assert [counts(model, rec, d, "B") for d in range(4)] == [0, 0, 100, 100]


def test_link_speed_attribute_overrides() -> None:
    """Rule: a route's max_move_speed attribute replaces the global speed on that link."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 1000, 600)],
        days=3,
        agents={"A": 50},
        flee_settings=settings(max_move_speed=400, camp_movechance=0.0),
    )
    model, rec = run(sc)
    assert [counts(model, rec, d, "B") for d in range(3)] == [0, 50, 50]


@pytest.mark.parametrize(("credit", "arrival_day"), [("full", 0), ("remaining", 1)])
def test_multi_hop_in_one_day(credit: str, arrival_day: int) -> None:
    """Rule: an agent that arrives with distance left moves on the same day (Flee's evolveMore);
    Flee 3.1 credits the next link a full day's speed ("full"), so 100 + 350 km at 400 km/day is
    done on day 0; with "remaining" only the 300 km left are credited and C is reached on day 1."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "forward", "X", 0), ("C", "camp", "Y", 0)],
        [("A", "B", 100), ("B", "C", 350)],
        days=2,
        agents={"A": 100},
        flee_settings=settings(
            max_move_speed=400,
            conflict_weight=0.0,
            camp_movechance=0.0,
            corridor={"new_link_speed_credit": credit},
        ),
    )
    model, rec = run(sc)
    assert counts(model, rec, arrival_day, "C") == 100
    if arrival_day > 0:
        assert counts(model, rec, 0, "C") == 0


def test_start_on_foot_uses_walk_speed_on_first_link() -> None:
    """Rule: with start_on_foot the first link is walked at max_walk_speed."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 60)],
        days=3,
        agents={"A": 10},
        flee_settings=settings(start_on_foot=True, max_walk_speed=35, camp_movechance=0.0),
    )
    model, rec = run(sc)
    assert [counts(model, rec, d, "B") for d in range(3)] == [0, 10, 10]


# -- capacity --------------------------------------------------------------------------------


def test_capacity_multiplier_formula() -> None:
    """Rule: 1 up to buffer x capacity, 0 from capacity on, linear in between; capacity < 1 is
    unlimited."""
    c = np.array([0, 90, 95, 100, 150, 5], dtype=np.int64)
    cap = np.array([100, 100, 100, 100, 100, 0], dtype=np.float64)
    assert np.allclose(cap_multiplier(c, cap, 0.9), [1, 1, 0.5, 0, 0, 1])


def test_full_camp_is_avoided() -> None:
    """Rule: a camp at capacity gets weight 0, and a route whose destination camp is over 95 %
    full is dropped; agents go to the other camp."""
    sc = scenario(
        [("O", "conflict", "X", 100), ("F", "camp", "Y", 100), ("E", "camp", "Y", 10000)],
        [("O", "F", 100), ("O", "E", 100)],
        days=2,
        agents={"O": 500},
        camp_data={"F": [(0, 100)]},
        flee_settings=settings(camp_movechance=0.0001),
    )
    model, rec = run(sc)
    assert counts(model, rec, 1, "F") <= 100
    assert counts(model, rec, 1, "E") == 500 - on_link(model, rec, 1, "O", "E")


# -- closures ----------------------------------------------------------------------------------


def test_country_closure_blocks_and_reopens() -> None:
    """Rule: a country closure closes every link between the two countries, both ways, from
    closure_start until closure_end."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 100)],
        days=5,
        agents={"A": 100},
        closures=[("country", "X", "Y", 0, 3)],
    )
    model, rec = run(sc)
    assert [counts(model, rec, d, "B") for d in range(5)] == [0, 0, 0, 100, 100]


def test_location_closure_isolates_the_place() -> None:
    """Rule: a location closure closes all links to and from name1 (name2 is ignored)."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("B", "camp", "Y", 0), ("C", "camp", "Y", 0)],
        [("A", "B", 100), ("A", "C", 100)],
        days=3,
        agents={"A": 100},
        closures=[("location", "B", "", 0, -1)],
    )
    model, rec = run(sc)
    assert counts(model, rec, 2, "B") == 0
    assert counts(model, rec, 2, "C") == 100


@pytest.mark.parametrize(("mode", "reach_b"), [("both", False), ("flee31_no_effect", True)])
def test_link_closure(mode: str, reach_b: bool) -> None:
    """Rule: a link closure closes the link both ways (corridor); Flee 3.1 compares names by
    identity and closes nothing for names read from a file ("flee31_no_effect")."""
    sc = scenario(
        [("Alpha", "conflict", "X", 100), ("Bravo", "camp", "Y", 0), ("Charlie", "camp", "Y", 0)],
        [("Alpha", "Bravo", 100), ("Alpha", "Charlie", 100)],
        days=3,
        agents={"Alpha": 100},
        closures=[("link", "Alpha", "Bravo", 0, -1)],
        flee_settings=settings(corridor={"link_closure": mode}),
    )
    model, rec = run(sc)
    assert (counts(model, rec, 2, "Bravo") > 0) == reach_b


def test_camp_closure_makes_a_town() -> None:
    """Rule: a camp closure turns the camp into a town (default move chance) until it reopens;
    it stays an out.csv camp column."""
    n = 20000
    sc = scenario(
        [("A", "camp", "X", 0), ("B", "town", "X", 0)],
        [("A", "B", 5000)],
        days=1,
        agents={"A": n},
        closures=[("camp", "A", "", 0, 5)],
    )
    model, rec = run(sc)
    assert within(on_link(model, rec, 0, "A", "B") / n, 0.3, n)
    assert "A" in [model.loc_names[i] for i in model.camp_idx]


def test_agent_on_a_closed_link_is_turned_back() -> None:
    """Rule: an agent on a link that closes while it travels is sent back to the link's start
    when it arrives, even if the link has reopened meanwhile (Flee reopens a copy)."""
    sc = scenario(
        [("A", "town", "X", 100), ("B", "camp", "Y", 0)],
        [("A", "B", 1000)],
        days=3,
        agents={"A": 100},
        closures=[("country", "X", "Y", 1, 2)],
        flee_settings=settings(max_move_speed=400, default_movechance=1.0),
    )
    model, rec = run(sc)
    # day 0: all 100 set off; day 1 the link closes under them; day 2 it reopens as they arrive
    assert on_link(model, rec, 0, "A", "B") == 100
    assert counts(model, rec, 2, "B") == 0
    assert counts(model, rec, 2, "A") == 100


# -- conflicts and spawning ---------------------------------------------------------------------


def test_conflict_onset_and_removal_rules() -> None:
    """Rule: a place becomes a conflict zone on a day its intensity rises above 1e-6 from below;
    it stops only when the intensity drops below 1e-6 after being exactly 1; intensity changes
    during a spell are ignored."""
    sc = scenario(
        [("A", "town", "X", 100), ("B", "town", "X", 100), ("C", "camp", "Y", 0)],
        [("A", "C", 100), ("B", "C", 100)],
        days=6,
        conflicts={"A": [0, 0.5, 0.9, 0, 0, 0], "B": [0, 1, 1, 0, 0, 0]},
    )
    model = compile_flee(sc)
    a, b = model.loc_names.index("A"), model.loc_names.index("B")
    assert list(model.conflict[:, a]) == [-1, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert list(model.conflict[:, b]) == [-1, 1, 1, -1, -1, -1]
    assert model.town[3, b] and not model.town[3, a]


def test_spawning_follows_total_with_debt() -> None:
    """Rule: each day new = total(t) - total(t-1) - debt; a negative value becomes the debt
    (reset after the next positive spawn); day 0 spawns nothing when insert_day0."""
    sc = scenario(
        [("A", "conflict", "X", 100), ("C", "camp", "Y", 0)],
        [("A", "C", 100)],
        days=8,
        total=[(0, 100), (2, 120), (3, 110), (4, 105), (5, 140), (7, 150)],
    )
    model = compile_flee(sc)
    totals = [100, 110, 120, 110, 105, 140, 145, 150]
    new, debt, expected_new, expected_debt = 0, 0, [], []
    for t in range(8):
        diff = totals[t] - (totals[t - 1] if t else 0)
        new = 0 if t == 0 else diff - debt
        if new < 0:
            debt, new = -new, 0
        elif debt > 0:
            debt = 0
        expected_new.append(new)
        expected_debt.append(debt)
    assert list(model.spawn_new) == expected_new
    assert list(model.debt) == expected_debt
    assert list(model.raw_total) == totals
    model_rec = run_flee(model, 0)
    assert model_rec.n_agents[-1] == sum(expected_new)


def test_spawn_location_weights_population_and_intensity() -> None:
    """Rule: new agents start in a conflict zone with probability proportional to population x
    intensity (x decay); places not in conflict get none."""
    n = 40000
    sc = scenario(
        [
            ("A", "conflict", "X", 3000),
            ("B", "conflict", "X", 1000),
            ("T", "town", "X", 9000),
            ("C", "camp", "Y", 0),
        ],
        [("A", "C", 5000), ("B", "C", 5000), ("T", "C", 5000)],
        days=2,
        total=[(0, 0), (1, n)],
        conflicts={"A": [1, 1], "B": [0.5, 0.5]},
        flee_settings=settings(max_move_speed=1),
    )
    model, rec = run(sc)
    pa = 3000 / (3000 + 500)
    assert within(on_link(model, rec, 1, "A", "C") / n, pa, n)
    assert on_link(model, rec, 1, "T", "C") == 0


def test_conflict_driven_spawning_constant() -> None:
    """Rule: conflict_driven_spawning (constant) adds int(rate x intensity) agents per conflict
    zone per day (Flee's test_conflict_driven_spawning: 100 a day for 10 days = 1000)."""
    rules = constant_spawning(100)
    sc = scenario(
        [("A", "conflict", "X", 100), ("C", "camp", "Y", 0)],
        [("A", "C", 100)],
        days=10,
        conflicts={"A": [1.0] * 10},
        flee_settings=rules,
    )
    _, rec = run(sc)
    assert rec.n_agents[-1] == 1000


def test_camp_sinks_keep_agents_counted() -> None:
    """Rule (camps_are_sicks, Flee 3.1's spelling): at the end of a day each agent settled in a
    camp stops for good with the camp's deactivation_probability, and stays counted there."""
    n = 20000
    sc = scenario(
        [("A", "camp", "X", 0), ("B", "town", "X", 0)],
        [("A", "B", 5000)],
        days=2,
        agents={"A": n},
        closures=[("camp", "A", "", 1, -1)],
        flee_settings=settings(
            camp_movechance=0.0, default_movechance=1.0, spawn_rules={"camps_are_sicks": True}
        ),
    )
    sc.locations[0] = sc.locations[0].model_copy(
        update={"attributes": {"deactivation_probability": "0.5"}}
    )
    model, rec = run(sc)
    stayed = counts(model, rec, 1, "A")
    assert within(stayed / n, 0.5, n)
    assert rec.n_agents[-1] == n


def test_a_day_used_up_exactly_ends_the_days_travel() -> None:
    """Rule: an agent goes on the same day only if it used less than its speed. Links of 152.1
    and 207.9 km use up 360 km exactly (in float64, as in Flee), so nobody reaches C on day 0;
    in float32 the sum fell short and half of them went on (885 of 2000). Flee 3.1: 0."""
    rules = settings(max_move_speed=360.0, default_movechance=0.5, conflict_weight=0.0)
    sc = scenario(
        [("O", "conflict", "A", 10000), ("H", "forward", "A", 0), ("T", "town", "A", 0),
         ("C", "camp", "A", 100000)],
        [("O", "H", 152.1), ("H", "T", 207.9), ("T", "C", 10)],
        days=2,
        agents={"O": 2000},
        flee_settings=rules,
    )  # fmt: skip
    model, rec = run(sc)
    assert counts(model, rec, 0, "C") == 0
    assert counts(model, rec, 0, "T") > 0


def test_short_stint_rule_at_its_threshold_is_not_forced() -> None:
    """Rule: under avoid_short_stints a town move is forced when (recent + moved/speed)/2 < 0.5.
    394 km on day 0 and 163 km on day 1 at speed 360 give exactly 0.5 (in float64): no forced
    move, so only the town's move chance (0.01) sends people on to C; in float32 every agent at
    T was forced on (1794 of 2000 on C on day 1). Flee 3.1: 15."""
    rules = settings(max_move_speed=360.0, avoid_short_stints=True, default_movechance=0.01,
                     conflict_weight=0.0)  # fmt: skip
    sc = scenario(
        [("O", "conflict", "A", 10000), ("P", "conflict", "A", 10000), ("X", "forward", "A", 0),
         ("T", "town", "A", 0), ("C", "camp", "A", 100000)],
        [("O", "P", 100), ("P", "X", 294), ("X", "T", 163), ("T", "C", 10)],
        days=3,
        agents={"O": 2000},
        flee_settings=rules,
    )  # fmt: skip
    model, rec = run(sc)
    assert counts(model, rec, 1, "C") < 100


def test_day0_spawn_weights_use_the_population_before_agents_csv() -> None:
    """Rule: Flee computes spawn weights when it creates the places, before agents.csv takes its
    agents from their population (take_from_population), and refreshes them on day 0 only if a
    conflict changes: O1 and O2 (2000 each, 1800 taken from O1) still weigh 1:1 on day 0, so
    about 150 of the 300 spawned start at O2 (Flee 3.1, seeds 0-2: 156, 161, 147; corridor
    before this rule: about 275, weights 200:2000). 4 sd of Binomial(300, 0.5) is 35."""
    rules = settings(
        max_move_speed=360.0,
        spawn_rules={"take_from_population": True, "insert_day0": False},
    )
    sc = scenario(
        [("O1", "conflict", "A", 2000), ("O2", "conflict", "A", 2000),
         ("C1", "camp", "A", 100000), ("C2", "camp", "A", 100000)],
        [("O1", "C1", 10), ("O2", "C2", 10)],
        days=1,
        agents={"O1": 1800},
        total=[(0, 300.0)],
        flee_settings=rules,
    )  # fmt: skip
    model, rec = run(sc)
    assert int(rec.spawned[0]) == 300
    assert abs(counts(model, rec, 0, "C2") - 150) <= 35


def test_capacity_buffer_one_keeps_a_camp_open_until_full() -> None:
    """Flee 3.1 runs with capacity_buffer 1: the multiplier is 1 up to capacity, 0 from it."""
    from corridor.engine.flee_kernels import cap_multiplier

    rules = settings(capacity_buffer=1.0)
    assert rules.move_rules.capacity_buffer == 1.0
    got = cap_multiplier(np.array([0.0, 99.0, 100.0, 101.0]), np.full(4, 100.0), 1.0)
    assert got.tolist() == [1.0, 1.0, 1.0, 0.0]
