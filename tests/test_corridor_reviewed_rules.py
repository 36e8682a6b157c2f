"""Rules of the corridor ruleset that a review of the engine against docs/model.md (2026-11-24)
found it not following, each fixed together with a refit of the flagship (docs/model.md, "Rules
fixed after review"). Each test asserts the rule as documented on a small network and fails on
the engine before the fix.

Statistical checks use 4.5 binomial standard deviations (a correct engine exceeds it with
probability below 1e-5); the others are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from corridor.compile.corridor import (
    EV_ARRIVE,
    EV_INTERCEPT,
    EV_REDEPART,
    EV_RELEASE,
    TRAVELLING,
    CorridorModel,
)
from corridor.engine.corridor_engine import CorridorRecord
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import PlaceRow, RouteRow
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
    scenario,
)
from tests.test_corridor_rules import run


def events(m: CorridorModel, rec: CorridorRecord, kind: int, nat: int | None = None) -> np.ndarray:
    """Per day, summed over places (and nationalities unless ``nat``)."""
    e = rec.events[:, :, kind, :].sum(axis=1)
    return e[:, nat] if nat is not None else e.sum(axis=1)


# Everyone crossing route r1 on day 0 is caught (intensity 30).
CHECKPOINT_ON_R1_ON_DAY_0 = EnforcementRow(
    id="c", start=day(0), end=day(0), target_type="route", target="r1", kind="checkpoint",
    intensity=30.0,
)  # fmt: skip


# scenario() settings: a caravan at walking pace (30 km a day) that never breaks through the
# checkpoint on route r1, in force from day 0 to the end of the run.
CARAVAN_STOPPED_ON_R1 = {
    "params": {"caravan_speed_km_day": 30.0, "caravan_breakthrough": 0.0},
    "enforcement": [EnforcementRow(id="c", start=day(0), target_type="route", target="r1",
                                   kind="checkpoint", intensity=30.0)],
}  # fmt: skip


def released_with_an_order(stay_days: float) -> dict[str, Any]:
    """scenario() settings: facility F holds people ``stay_days`` exactly, then releases them all
    with an order to leave."""
    return {
        "facilities": [FacilityRow(place="F", stay_mean_days=stay_days, stay_sd_days=0)],
        "detention": [
            DetentionRow(nationality=n, p_deport=0.0, p_release_papers=0.0, p_release_order=1.0,
                         p_asylum=0.0)
            for n in ("AA", "MX")
        ],
    }  # fmt: skip


def announced_deployment(starts: int) -> CorridorScenario:
    """Two routes to the US, 14 days; a deal announced on day 10 (belief 1) deploys intensity 2 on
    the faster one, ``watched``, from day ``starts``."""
    return scenario(
        [place("O", "origin", "AA"), place("U1", "us_arrival", "US"),
         place("U2", "us_arrival", "US")],
        [route("O", "U1", "road", 100, id="watched"), route("O", "U2", "road", 120)],
        departures=[("2030-01", "O", "AA", 31000)],
        days=14,
        params={"w_enforcement": 20.0, "announcement_belief": 1.0},
        enforcement=[EnforcementRow(id="c", start=day(starts), target_type="route",
                                    target="watched", kind="checkpoint", intensity=2.0,
                                    event="deal")],
        events=[EventEntry(id="deal", date=day(10), announced=True)],
    )  # fmt: skip


def test_mexican_nationals_are_never_intercepted_in_mexico() -> None:
    """Mexicans removed at the US border set off again and meet the checkpoint: none is
    intercepted (the engine once dropped their papers on return and caught thousands)."""
    sc = scenario(
        [place("O", "origin", "MX"), place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "MX")],
        [route("O", "B", "road", 50, id="ob"), route("B", "U", "border", 10, id="bx")],
        departures=[("2030-01", "O", "MX", 3100)],
        days=31,
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="route", target="ob",
                                    kind="checkpoint", authority="INM", intensity=20.0)],
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=1.0, p_release=0.0,
                          p_mpp=0.0, p_expel=0.0, p_remove=1.0)],
        returns=[ReturnRow(nationality="MX", place="R", redeparture_p=1.0,
                           redeparture_delay_days=2)],
    )  # fmt: skip
    m, rec = run(sc)
    assert events(m, rec, EV_REDEPART).sum() > 0
    assert events(m, rec, EV_INTERCEPT).sum() == 0


def test_caravan_members_serve_the_whole_stay() -> None:
    """A fixed 3-day stay: people intercepted on day 0 are released on day 3, caravan members
    too (the engine once released the caravan's on day 2)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit", facility="F"),
         place("F", "facility"), place("U", "us_arrival", "US")],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 500)],
        days=8,
        **CARAVAN_STOPPED_ON_R1,
        **released_with_an_order(stay_days=3),
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=100, nationality="AA",
                             child_share=0.0, dispersal_date=day(7))],
    )  # fmt: skip
    m, rec = run(sc)
    caught, released = events(m, rec, EV_INTERCEPT), events(m, rec, EV_RELEASE)
    assert caught[0] == 100
    assert released[3] == 100 and released[:3].sum() == 0


def test_people_released_from_detention_travel_on_the_day_of_release() -> None:
    """The day's order releases before decisions: released next to the goal (all move chances
    1), they arrive on the day of release (the engine once had them arrive the next day)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit", facility="F"), place("F", "facility"),
         place("U", "us_arrival", "US")],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 900),
         route("F", "U", "road", 10, two_way="no")],
        departures=[("2030-01", "O", "AA", 3100)],
        days=10,
        enforcement=[CHECKPOINT_ON_R1_ON_DAY_0],
        **released_with_an_order(stay_days=3),
    )  # fmt: skip
    m, rec = run(sc)
    released = events(m, rec, EV_RELEASE)
    arrived = rec.events[:, m.place_names.index("U"), EV_ARRIVE].sum(axis=1)
    first = int(np.flatnonzero(released)[0])
    assert arrived[first] > 0


def test_an_announcement_changes_route_choice_on_its_date() -> None:
    """Belief 1, event dated day 10 announcing intensity 2 on the faster route: from day 10 the
    perceived check (0.86) makes that route all but unchosen (the engine once took the news in
    after the day's movement, and sent about half of day 10's travellers on it)."""
    m, rec = run(announced_deployment(starts=30))
    w = m.edge_id.index("watched")
    o = m.place_names.index("O")
    out = [e for e in range(m.n_edge) if m.edge_from[e] == o]
    share = rec.route_stats[10, w, 0] / rec.route_stats[10, out, 0].sum()
    assert share < 0.01


def test_a_mexican_caravan_is_not_intercepted_in_mexico() -> None:
    """A caravan of Mexicans that fails to break through a checkpoint loses nobody to it: its
    members travel with papers, as Mexican departures do."""
    sc = scenario(
        [place("O", "origin", "MX"), place("T", "transit"), place("U", "us_arrival", "US")],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 500)],
        days=4,
        **CARAVAN_STOPPED_ON_R1,
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=200, nationality="MX",
                             child_share=0.0, dispersal_date=day(3))],
    )  # fmt: skip
    m, rec = run(sc)
    assert events(m, rec, EV_INTERCEPT).sum() == 0


def test_caravan_members_deported_on_the_spot_wait_out_their_delay() -> None:
    """Caught where there is no facility, caravan members are deported at once and set off again
    after at least one day, as people the kernel catches do (delay at least 1 day): none on the
    day they are caught (the engine once let some set off that same day)."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 500)],
        days=5,
        **CARAVAN_STOPPED_ON_R1,
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=1.0,
                           redeparture_delay_days=0.01)],
        caravans=[CaravanRow(id="k", date=day(0), origin="O", people=300, nationality="AA",
                             child_share=0.0, dispersal_date=day(4))],
    )  # fmt: skip
    m, rec = run(sc)
    redepart = events(m, rec, EV_REDEPART)
    assert events(m, rec, EV_INTERCEPT)[0] == 300
    assert redepart[0] == 0 and redepart[1] == 300


def test_an_announcement_of_rows_after_the_period_is_heard() -> None:
    """An announced deployment that comes into force only after the simulated period still
    raises perceived interception on its date (the compiler once dropped such rows)."""
    m, rec = run(announced_deployment(starts=60))
    w = m.edge_id.index("watched")
    assert rec.perceived[9, w] == 0.0
    assert rec.perceived[10, w] > 0.5


def test_a_caravan_timer_ends_on_the_day_a_kernel_timer_would() -> None:
    """Timers set by the caravan step (before the day kernel takes a day off them) end on day
    max(1, ceil(t)) after the catch, as the kernel's own: a stay of 0, a tiny one, one just above
    an integer (whose t + 1 rounds down in float32) and an infinite one."""
    from corridor.engine.caravans import timer_from_tomorrow

    above = np.nextafter(np.float32(1.0), np.float32(2.0))  # 1 + 2^-23: t + 1 rounds to 2.0
    t = np.array([0.0, 1e-9, 0.5, 1.0, above, 2.5, 3.0, np.inf], dtype=np.float32)
    out = timer_from_tomorrow(t)
    assert out.dtype == np.float32
    for own, caravan in zip(t, out, strict=True):
        # the kernel's own timer ends on the first day k >= 1 with own - k <= 0; the caravan's,
        # counted down from the day of the catch (k = 0), on the first k with caravan - 1 - k <= 0
        if np.isinf(own):
            assert np.isinf(caravan)
            continue
        end_own = next(k for k in range(1, 10) if np.float32(own) - k <= 0)
        end_caravan = next(k for k in range(0, 10) if np.float64(caravan) - 1 - k <= 0)
        assert end_caravan == end_own, (own, caravan)


def test_people_released_where_the_facility_has_no_route_set_off_from_its_city() -> None:
    """A facility off the network (no route leaves it, as scenario-format.md allows): the
    released set off from the nearest place on the way and travel on (the engine once left them
    at the facility for good). Fixed 2-day stay, everyone released with an order."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit", facility="F", lat=15.0, lon=-92.0),
         place("F", "facility", lat=15.01, lon=-92.01), place("U", "us_arrival", "US")],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 100)],
        departures=[("2030-01", "O", "AA", 3100)],
        days=12,
        enforcement=[CHECKPOINT_ON_R1_ON_DAY_0],
        **released_with_an_order(stay_days=2),
    )  # fmt: skip
    m, rec = run(sc)
    f, t = m.place_names.index("F"), m.place_names.index("T")
    assert m.release_place[f] == t
    caught = events(m, rec, EV_INTERCEPT).sum()
    assert caught > 0 and events(m, rec, EV_RELEASE).sum() == caught
    assert rec.counts[-1, f].sum() == 0  # nobody left at the facility
    assert rec.counts[:, f, TRAVELLING].sum() == 0  # nor ever travelling there


def _released_to(places: list[PlaceRow], routes: list[RouteRow]) -> str:
    """The place that people released from facility F set off from, in a scenario where a
    checkpoint on route r1 sends its catches to F."""
    from corridor.compile.corridor import compile_corridor

    sc = scenario(
        places,
        routes,
        departures=[("2030-01", "O", "AA", 310)],
        days=3,
        **released_with_an_order(stay_days=2),
    )  # fmt: skip
    m = compile_corridor(sc)
    return m.place_names[m.release_place[m.place_names.index("F")]]


def test_a_facility_releases_into_a_city_that_leads_somewhere_in_its_own_country() -> None:
    """The nearest place on the way is passed over when the routes lead from it to no goal (a
    dead-end spur 0.5 km away) or when it is across the border (a Guatemalan town 3 km away):
    the facility's Mexican city T is chosen in both cases."""
    spur = _released_to(
        [place("O", "origin", "AA", lat=14.0), place("T", "transit", lat=15.05, facility="F"),
         place("S", "shelter", lat=15.005), place("D", "transit", lat=15.5, lon=-93.0),
         place("F", "facility", lat=15.0), place("U", "us_arrival", "US", lat=32.5, lon=-117.0)],
        [route("O", "T", "road", 30, id="r1"), route("T", "U", "road", 300),
         route("T", "S", "road", 5, two_way="no"), route("S", "D", "road", 50, two_way="no")],
    )  # fmt: skip
    abroad = _released_to(
        [place("O", "origin", "AA", lat=14.6, lon=-90.5),
         place("G", "transit", "GT", lat=14.68, lon=-92.14),
         place("T", "transit", "MX", lat=14.90, lon=-92.26, facility="F"),
         place("F", "facility", "MX", lat=14.70, lon=-92.13),
         place("U", "us_arrival", "US", lat=32.5, lon=-117.0)],
        [route("O", "G", "road", 200), route("G", "T", "road", 30, id="r1"),
         route("T", "U", "road", 300)],
    )  # fmt: skip
    assert (spur, abroad) == ("T", "T")


def test_a_facility_whose_released_can_go_nowhere_is_warned_about() -> None:
    """Origin straight to the US and an off-network facility: no place on the way leads to a
    goal, so the released would stay at the facility; the check warns, naming its line."""
    from corridor.errors import IssueLog
    from corridor.scenario.native.checks import _check_goals_reachable
    from corridor.scenario.native.schema import ScenarioFile

    places = [(2, place("O", "origin", "AA", facility="F")), (3, place("F", "facility")),
              (4, place("U", "us_arrival", "US"))]  # fmt: skip
    log = IssueLog("test")
    goal = ScenarioFile.model_fields["goal_kind"].default
    _check_goals_reachable(goal, places, [(2, route("O", "U", "road", 300))], [], [], log)
    assert [(w.file, w.line, w.value) for w in log.warnings] == [("locations.csv", 3, "F")]
