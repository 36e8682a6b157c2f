"""Travel groups (groups.csv): people who set off together travel as one, and a group may be
more visible to a check than one person (``group_visibility``). Each test states the rule."""

from __future__ import annotations

import math

import numpy as np

from corridor.compile.corridor import (
    EV_APPREHEND,
    EV_ARRIVE,
    EV_DEPART,
    EV_DETAIN,
    EV_INTERCEPT,
    EV_MPP,
    EV_REDEPART,
    EV_REMOVE,
    compile_corridor,
)
from corridor.engine.corridor_engine import (
    CorridorAgents,
    _empty_record,
)
from corridor.engine.day_phases import set_up_run, spawn
from tests.corridor_builder import (
    BorderRow,
    DepartureRow,
    DestinationRow,
    DetentionRow,
    EnforcementRow,
    FacilityRow,
    GroupRow,
    ReturnRow,
    day,
    place,
    route,
    run,
    scenario,
)

Z = 4.5  # standard errors: the statistical tests' tolerance (fixed seeds; a false alarm ~1e-5)


def test_groups_travel_as_one() -> None:
    """Rule: the members of a group take their lead's draws, so they make the same decisions and
    meet the same checks and fates: with everyone in groups of 3 and no deaths (the only draw each
    makes alone), every count of people by place, status and nationality, and every event count,
    is a multiple of 3 on every day, through route choice, interception, detention (stay and
    outcome), return and setting off again, and the US border's apprehension and fates."""
    sc = scenario(
        [place("O", "origin", "AA"), place("T", "transit"), place("T2", "transit"),
         place("F", "facility"), place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "T", "road", 120), route("O", "T2", "foot", 90), route("T", "B", "bus", 280),
         route("T2", "B", "road", 300), route("B", "U", "border", 10, id="bx")],
        departures=[("2030-01", "O", "AA", 279)],  # 9 a day: three groups
        days=70,
        params={"move_chance_transit": 0.5, "mpp_abandon_p": 0.3},
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="place", target="T",
                                    kind="checkpoint", intensity=2.0),
                     EnforcementRow(id="r", start=day(0), target_type="place", target="T2",
                                    kind="raid", intensity=1.0)],
        facilities=[FacilityRow(place="F", stay_mean_days=5, stay_sd_days=3)],
        detention=[DetentionRow(nationality=n, p_deport=0.4, p_release_papers=0.2,
                                p_release_order=0.2, p_asylum=0.2) for n in ("AA", "MX")],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.6,
                           redeparture_delay_days=4)],
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=0.7, p_release=0.3,
                          p_mpp=0.3, p_expel=0.2, p_remove=0.2, mpp_city="B", mpp_wait_days=6)],
        groups=[GroupRow(nationality="AA", share=1.0, size=3)],
    )  # fmt: skip
    _model, rec = run(sc)
    by_cell = rec.counts.sum(axis=4)  # day, place, status, nationality
    assert np.all(by_cell % 3 == 0)
    assert np.all(rec.events % 3 == 0)
    # and every mechanism above was met, so the test covers them
    for kind in (EV_INTERCEPT, EV_DETAIN, EV_REDEPART, EV_APPREHEND, EV_MPP, EV_REMOVE):
        assert rec.events[:, :, kind].sum() > 0, kind


def interception_rate(visibility: float, size: int, p_person: float) -> tuple[float, int]:
    """Share of people intercepted on one checked route, everyone in groups of ``size``; and the
    number of groups (the independent trials)."""
    scale, intensity = 0.4, -math.log(1 - p_person) / 0.4
    sc = scenario(
        [place("O", "origin", "AA"), place("U", "us_arrival", "US")],
        [route("O", "U", "road", 50, id="r")],
        departures=[("2030-01", "O", "AA", 31000 * size)],
        days=31,
        params={"enforcement_scale": scale, "group_visibility": visibility},
        enforcement=[EnforcementRow(id="c", start=day(0), target_type="route", target="r",
                                    kind="checkpoint", intensity=intensity)],
        groups=[GroupRow(nationality="AA", share=1.0, size=size)],
    )  # fmt: skip
    _model, rec = run(sc)
    caught = rec.events[:, :, EV_INTERCEPT].sum()
    arrived = rec.events[:, :, EV_ARRIVE].sum()
    return caught / (caught + arrived), int((caught + arrived) // size)


def test_a_group_is_stopped_as_one_person_without_visibility() -> None:
    """Rule: with group_visibility 0 a group is stopped with a person's chance p (all or none)."""
    rate, n = interception_rate(0.0, 3, 0.2)
    assert abs(rate - 0.2) <= Z * math.sqrt(0.2 * 0.8 / n)


def test_a_larger_group_is_stopped_more_often() -> None:
    """Rule: a group of s is stopped with 1 - (1 - p) ** (s ** group_visibility): at visibility 1,
    as if each member were checked and one stopped were enough (0.2 a person -> 0.488 for 3)."""
    rate, n = interception_rate(1.0, 3, 0.2)
    target = 1 - 0.8**3
    assert abs(rate - target) <= Z * math.sqrt(target * (1 - target) / n)


def test_groups_keep_their_share_at_any_scale() -> None:
    """Rule: the people of a nationality's departures who travel in groups (``share``) set off
    as groups of ``size``, their number rounded at random from the day's expected people in
    groups over the size: the share is kept in expectation however few set off a day (here 1.2
    agents a day at scale 0.02, fewer than a group). Each group's members are consecutive agents
    from one origin, led by the first, with the lead's destination and age groups drawn from the
    departures (groups mix adults and children)."""
    months = [f"2030-{k:02d}" for k in range(1, 13)]
    sc = scenario(
        [place("O", "origin", "AA"), place("U", "us_arrival", "US"),
         place("V", "us_arrival", "US")],
        [route("O", "U", "road", 50), route("O", "V", "road", 50)],
        departures=[(mo, "O", "AA", 1200) for mo in months],
        days=365,
        scale=0.02,
        groups=[GroupRow(nationality="AA", share=0.5, size=4)],
        destinations=[DestinationRow(nationality="AA", goal=g, share=0.5) for g in ("U", "V")],
    )  # fmt: skip
    sc.departures += [
        DepartureRow(month=mo, origin="O", nationality="AA", age_group="child", people=800)
        for mo in months
    ]
    model = compile_corridor(sc)
    agents = CorridorAgents(20_000)
    rec = _empty_record(model)
    tb = set_up_run(model, 3, rec)
    for t in range(model.days):
        spawn(model, t, tb, agents, rec)
    n = agents.n
    group, size = agents.group[:n], agents.group_size[:n]
    grouped = group <= -2
    expected_people = 0.02 * (1200 + 800) * 12
    assert abs(n - expected_people) <= Z * math.sqrt(expected_people * 4)  # groups: lumpier
    n_groups = grouped.sum() // 4
    assert abs(grouped.mean() - 0.5) <= Z * math.sqrt(0.25 / max(n_groups, 1))
    assert np.all(size[grouped] == 4) and np.all(size[~grouped] == 1)
    assert np.all(group[~grouped] == -1)
    lead = -2 - group[grouped]
    members = np.flatnonzero(grouped)
    assert np.all(members - lead < 4) and np.all(members >= lead)  # consecutive, lead first
    assert np.array_equal(agents.dest[members], agents.dest[lead])
    mixed = [set(agents.age[members[lead == x]]) for x in np.unique(lead)]
    assert any(len(ages) == 2 for ages in mixed)  # a group of an adult and children
    assert rec.events[:, :, EV_DEPART].sum() == n  # every member counted as a departure
