"""Destinations (destinations.csv, a caravan's ``destination``): people given a goal head for it
and not for the cheapest one, on small networks where the answer is known.

The network: an origin O with two ways to the US, a short one by B1 to the goal U1 (100 km of
road and a 10 km border route) and a long one by B2 to U2 (300 km and 10 km). At 100 km a day
and w_time 1 the long way costs 2 more, so people free to choose (set 0, the nearest goal) take
it with the logit chance exp(-2) / (1 + exp(-2)) at O; the roads are one-way, so nobody can
switch goals after O.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corridor.compile.corridor import EV_ARRIVE, CorridorModel, compile_corridor
from corridor.engine.corridor_engine import CorridorRecord
from corridor.engine.cost_to_go import choice_weights, positive_costs
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import DestinationRow
from tests.conftest import REPO
from tests.corridor_builder import CaravanRow, day, place, route, scenario
from tests.example_copies import copy_example, first_place_of_kind
from tests.test_corridor_rules import Z, run


def two_goals(destinations: list[DestinationRow] | None = None, **kw: Any) -> CorridorScenario:
    return scenario(
        [place("O", "origin", "AA"), place("B1", "border_city"), place("B2", "border_city"),
         place("U1", "us_arrival", "US"), place("U2", "us_arrival", "US")],
        [route("O", "B1", "road", 100, two_way="no"), route("O", "B2", "road", 300, two_way="no"),
         route("B1", "U1", "border", 10, id="b1"), route("B2", "U2", "border", 10, id="b2")],
        days=kw.pop("days", 31),
        destinations=destinations or [],
        **kw,
    )  # fmt: skip


def arrivals(model: CorridorModel, rec: CorridorRecord, goal: str, nat: str) -> int:
    p, j = model.place_names.index(goal), model.nationalities.index(nat)
    return int(rec.events[:, p, EV_ARRIVE, j].sum())


def shares(**by_goal: float) -> list[DestinationRow]:
    return [DestinationRow(nationality="AA", goal=g, share=s) for g, s in by_goal.items()]


def test_people_given_a_destination_arrive_there_in_its_share() -> None:
    """Rule: each person of a nationality with destinations draws one at departure, with its
    share (0.7 to the dearer U2 here), and heads for it: every AA arrival at U2 is someone sent
    there, so U2's share of AA arrivals is binomial(0.7). Mexicans have no rows and take the
    nearest goal by the logit, U1 with 1 / (1 + exp(-2))."""
    both = [("2030-01", "O", "AA", 3000), ("2030-01", "O", "MX", 3000)]
    sc = two_goals(shares(U1=0.3, U2=0.7), departures=both)
    model, rec = run(sc)
    n_aa = arrivals(model, rec, "U1", "AA") + arrivals(model, rec, "U2", "AA")
    n_mx = arrivals(model, rec, "U1", "MX") + arrivals(model, rec, "U2", "MX")
    assert n_aa > 2000 and n_mx > 2000  # most have arrived in the month
    assert within(arrivals(model, rec, "U2", "AA") / n_aa, 0.7, n_aa)
    nearest = 1 / (1 + math.exp(-2.0))
    assert within(arrivals(model, rec, "U1", "MX") / n_mx, nearest, n_mx)


def test_a_goal_with_share_one_takes_everyone() -> None:
    """Rule: with the whole share on the dearer goal nobody of that nationality arrives at the
    cheaper one, though every route to it stays open."""
    sc = two_goals(shares(U2=1.0), departures=[("2030-01", "O", "AA", 1000)])
    model, rec = run(sc)
    assert arrivals(model, rec, "U1", "AA") == 0
    assert arrivals(model, rec, "U2", "AA") > 500


def test_choice_weights_have_a_row_per_destination_set() -> None:
    """Rule: set 0 weighs the routes out of O by the cost to go to the nearest goal (exp(-2) for
    the long way, relative to the short one); the set of U2 puts no weight on the way to B1,
    from where U2 cannot be reached."""
    model = compile_corridor(two_goals(shares(U1=0.5, U2=0.5)))
    assert model.n_dest_sets == 3
    cost = positive_costs(model.edge_km / model.edge_speed)
    w = choice_weights(model, cost, model.closed[0], 1.0)
    o_b1 = _edge(model, "O", "B1")
    o_b2 = _edge(model, "O", "B2")
    assert w[0, o_b2] / w[0, o_b1] == pytest.approx(math.exp(-2.0), rel=1e-6)
    u2 = list(model.dest_goal).index(model.place_names.index("U2"))
    assert w[u2, o_b1] == 0.0 and w[u2, o_b2] > 0.0


def test_a_caravan_heads_for_its_destination() -> None:
    """Rule: a caravan's leader chooses by the weights of the caravan's destination: the whole
    group goes the long way, by B2 (300 km at 30 km a day: there on day 9), where it stops."""
    sc = two_goals(
        days=12,
        params={"caravan_speed_km_day": 30.0, "caravan_breakthrough": 1.0},
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=400, nationality="AA",
                             destination="U2", dispersal_date=day(11))],
    )  # fmt: skip
    model, rec = run(sc)
    b2 = model.place_names.index("B2")
    assert rec.counts[9, b2].sum() == 400
    assert arrivals(model, rec, "U1", "AA") == 0


def test_members_of_a_caravan_without_destination_keep_their_own() -> None:
    """Rule: a caravan without a destination gives its members destinations as departures get
    them (all to U2 here); once it disperses (on its first day here) they head there."""
    sc = two_goals(
        shares(U2=1.0),
        days=12,
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=400, nationality="AA",
                             dispersal_date=day(0))],
    )  # fmt: skip
    model, rec = run(sc)
    assert arrivals(model, rec, "U1", "AA") == 0
    assert arrivals(model, rec, "U2", "AA") == 400


def test_destinations_csv_is_checked_against_the_scenario(tmp_path: Path) -> None:
    """Bad input: a goal that is not of the goal kind, an unknown nationality, and shares that
    do not add up to 1 are each reported with file, line, column and value, before anything
    runs."""
    import corridor
    from corridor.errors import ScenarioError

    root = tmp_path / "scenario"
    shutil.copytree(REPO / "examples" / "corridor-synthetic", root)
    (root / "destinations.csv").write_text(
        "nationality,goal,share,source\n"
        "AA,Arrival A,0.5,test\n"
        "AA,Arrival B,0.4,test\n"
        "ZZ,Arrival A,1,test\n"
        "BB,Nowhere,1,test\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        corridor.load(root)
    text = str(err.value)
    assert "destinations.csv" in text
    assert "line 2" in text and "add up to 1" in text  # AA: 0.5 + 0.4
    assert "ZZ" in text and "line 4" in text
    assert "Nowhere" in text and "line 5" in text


def test_a_destination_must_be_a_goal(tmp_path: Path) -> None:
    """Bad input: a destination that names a place not of the goal kind (here an origin)."""
    import corridor
    from corridor.errors import ScenarioError

    root = copy_example(tmp_path)
    origin = first_place_of_kind(root, "origin")
    (root / "destinations.csv").write_text(
        f"nationality,goal,share,source\nAA,{origin},1,test\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as err:
        corridor.load(root)
    text = str(err.value)
    assert "destinations.csv" in text and "goal kind" in text and origin in text


def within(observed: float, p: float, n: int) -> bool:
    """A binomial share within Z standard errors (a false alarm about 1 in 1e5), without the
    rule tests' slack for p at 0 or 1, which these shares never are."""
    return abs(observed - p) <= Z * math.sqrt(p * (1 - p) / n)


def _edge(model: CorridorModel, a: str, b: str) -> int:
    i, j = model.place_names.index(a), model.place_names.index(b)
    return int(np.flatnonzero((model.edge_from == i) & (model.edge_to == j))[0])
