"""A caravan's reported path (``via``) and modes (``modes``), on a network where the answer is
known.

The network: an origin O and a border city B joined three ways: by T1 (100 + 100 km of road), by
T2 (150 + 150 km of road) and by a 50 km boat. A caravan walks 50 km a day and stops at B. Left
to the logit, its leader takes mostly the boat, the cheapest way; a path and a list of modes
pin the way down, so each test below knows every member's place on every day.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.compile.corridor import CorridorModel
from corridor.engine.corridor_engine import CorridorRecord
from corridor.engine.cost_to_go import choice_weights, positive_costs
from corridor.scenario.native.model import CorridorScenario
from tests.corridor_builder import CaravanRow, day, place, route, scenario
from tests.example_copies import copy_example, first_place_of_kind, problems_of
from tests.test_corridor_rules import passages, run

PEOPLE = 300


def three_ways(**caravan: str) -> CorridorScenario:
    return scenario(
        [place("O", "origin", "AA"), place("T1", "transit"), place("T2", "transit"),
         place("B", "border_city"), place("U", "us_arrival", "US")],
        [route("O", "T1", "road", 100), route("T1", "B", "road", 100),
         route("O", "T2", "road", 150), route("T2", "B", "road", 150),
         route("O", "B", "sea", 50), route("B", "U", "border", 10, id="bx")],
        days=12,
        params={"caravan_speed_km_day": 50.0, "caravan_breakthrough": 1.0},
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=PEOPLE, nationality="AA",
                             dispersal_date=day(11), **caravan)],
    )  # fmt: skip


def at(model: CorridorModel, rec: CorridorRecord, t: int, name: str) -> int:
    """People at ``name`` at the end of day ``t`` (not on a route towards it)."""
    at_place = 0
    return int(rec.counts[t, model.place_names.index(name), at_place].sum())


def test_a_caravan_keeps_to_its_path() -> None:
    """Rule: a caravan with a path goes to its next place by the shortest chain of routes, here
    the long road by T2 (150 km: there at the end of day 2), though the boat and the road by T1
    are shorter to B; after T2, the last place of its path, it chooses as any caravan and the
    only way on is the road to B (150 km more: there at the end of day 5)."""
    model, rec = run(three_ways(via="T2", modes="road;border"))
    assert at(model, rec, 2, "T2") == PEOPLE
    assert at(model, rec, 5, "B") == PEOPLE
    # while it moves as one (after day 5 its members, dispersed at B, are on their own)
    assert passages(model, rec, "O", "T1")[:6].sum() == 0
    assert passages(model, rec, "O", "B")[:6].sum() == 0


def test_a_path_is_followed_by_the_shortest_chain_of_the_caravans_modes() -> None:
    """Rule: towards B, the shortest chain is the 50 km boat (at B at the end of day 0); with the
    caravan's modes road and border it is the 200 km road by T1 (at B at the end of day 3)."""
    model, rec = run(three_ways(via="B"))
    assert passages(model, rec, "O", "B")[0] == PEOPLE
    assert at(model, rec, 0, "B") == PEOPLE
    model, rec = run(three_ways(via="B", modes="road;border"))
    assert passages(model, rec, "O", "B")[:4].sum() == 0
    assert passages(model, rec, "O", "T1")[1] == PEOPLE  # 100 km: reached during day 1
    assert at(model, rec, 3, "B") == PEOPLE


def test_a_caravans_own_choice_keeps_to_its_modes() -> None:
    """Rule: without a path the leader chooses by the logit, but never a route of another mode:
    the boat, which the logit weighs most of the three ways out of O, is never taken."""
    model, rec = run(three_ways(modes="road;border"))
    weight = choice_weights(model, positive_costs(model.edge_km / model.edge_speed),
                            model.closed[0], 1.0)[0]  # fmt: skip
    out_of_o = model.out_edge[model.out_start[0] : model.out_start[1]]
    boat = out_of_o[model.edge_to[out_of_o] == model.place_names.index("B")]
    assert weight[boat[0]] == weight[out_of_o].max()
    assert passages(model, rec, "O", "B")[:3].sum() == 0  # at B by day 2 (by T1) or 5 (by T2)
    assert (passages(model, rec, "O", "T1") + passages(model, rec, "O", "T2"))[:3].sum() == PEOPLE


def test_a_path_along_the_border_passes_its_border_cities() -> None:
    """Rule: a caravan stops at a US border city only once no place of its path is ahead: bound
    for B2 by way of the border city B1 (100 km, then 100 km more), it walks on through B1 and
    stops at B2 at the end of day 3, where it disperses."""
    sc = scenario(
        [place("O", "origin", "AA"), place("B1", "border_city"), place("B2", "border_city"),
         place("U", "us_arrival", "US")],
        [route("O", "B1", "road", 100), route("B1", "B2", "road", 100),
         route("B1", "U", "border", 10, id="b1"), route("B2", "U", "border", 10, id="b2")],
        days=8,
        params={"caravan_speed_km_day": 50.0, "caravan_breakthrough": 1.0},
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=PEOPLE, nationality="AA",
                             dispersal_date=day(7), via="B2")],
    )  # fmt: skip
    model, rec = run(sc)
    assert at(model, rec, 3, "B2") == PEOPLE
    assert passages(model, rec, "B1", "U")[:4].sum() == 0


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("Nowhere,", ["line 2", "via", "Nowhere"]),
        (",road;plane", ["line 2", "modes", "plane"]),
        # Over roads alone no chain leads over the border: the arrival cannot be reached.
        ("{arrival},road", ["line 2", "via", "can reach from"]),
    ],
)
def test_a_bad_path_is_reported(tmp_path: Path, cells: str, expected: list[str]) -> None:
    """Bad input: an unknown place on a path, an unknown mode, and a place of the path that the
    caravan cannot reach over routes of its modes are reported with the file, line, column and
    value, before anything runs."""
    root = copy_example(tmp_path)
    arrival = first_place_of_kind(root, "us_arrival")
    path = root / "caravans.csv"
    header, row = path.read_text(encoding="utf-8").splitlines()[:2]
    fields = row.rsplit(",", 1)  # the source is the last column
    path.write_text(
        f"{header.rsplit(',', 1)[0]},via,modes,source\n"
        f"{fields[0]},{cells.format(arrival=arrival)},{fields[1]}\n",
        encoding="utf-8",
    )
    text = "\n".join(problems_of(root))
    assert "caravans.csv" in text
    for part in expected:
        assert part in text
