"""Ports of entry and metering (ports.csv): people who present at a port wait on its list, the
port takes in at most its capacity a day, first come first served, and people leave the list to
cross between ports. Each test states the rule; every run recounts its agents every day
(``verify_counts``), so a state changed without its count fails any of them."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from corridor.compile.corridor import (
    EV_APPREHEND,
    EV_ARRIVE,
    EV_CROSS,
    EV_DEPART,
    EV_PORT_ENTRY,
    EV_PORT_GIVE_UP,
    EV_PORT_PRESENT,
    EV_PORT_WAIT_DAYS,
    EV_REMOVE,
    WAITING,
)
from corridor.engine.corridor_engine import CorridorRecord
from corridor.scenario.native.model import CorridorScenario
from corridor.scenario.native.schema import PortRow
from corridor.validate.corridor_series import daily_series
from tests.corridor_builder import (
    BorderRow,
    GroupRow,
    ReturnRow,
    day,
    place,
    route,
    run,
    scenario,
)

Z = 4.5  # standard errors: the statistical tests' tolerance (fixed seeds; a false alarm ~1e-5)
B_CITY = 1  # the border city's place number in :func:`network`


def network(
    ports: list[PortRow],
    per_month: float = 310,
    scale: float = 1.0,
    p_apprehend: float = 1.0,
    p_remove: float = 0.0,
    **files: object,
) -> CorridorScenario:
    """An origin a day's road from a border city, and the crossing to the US (``bx``): 10 people
    set off a day (at full scale) and reach the crossing the next day."""
    return scenario(
        [place("O", "origin", "AA"), place("B", "border_city"), place("U", "us_arrival", "US"),
         place("R", "return_point", "AA")],
        [route("O", "B", "road", 100, two_way=False), route("B", "U", "border", 5, id="bx")],
        departures=[("2030-01", "O", "AA", per_month)],
        days=31,
        scale=scale,
        border=[BorderRow(crossing="bx", start=day(0), p_apprehend=p_apprehend,
                          p_release=1 - p_remove, p_mpp=0, p_expel=0, p_remove=p_remove)],
        returns=[ReturnRow(nationality="AA", place="R", redeparture_p=0.0,
                           redeparture_delay_days=1)],
        ports=ports,
        **files,
    )  # fmt: skip


def port(**kw: object) -> PortRow:
    values = {"crossing": "bx", "start": day(0), "p_present": 1.0, "p_give_up": 0.0} | kw
    return PortRow.model_validate(values)


def at_city(rec: CorridorRecord, kind: int) -> np.ndarray:
    return rec.events[:, B_CITY, kind].sum(axis=1)


def test_a_metered_port_takes_in_its_capacity_first_come_first_served() -> None:
    """Rule: everyone presents (p_present 1) and the port takes in 4 a day of the 10 who come:
    each day it takes min(4, list), the list grows by the difference, and the days waited by
    those taken in are those of a first-come-first-served queue (worked out here with a deque
    from the day's newcomers). Those taken in meet the border fates (all released: they arrive)
    and count as encounters; nobody crosses between ports."""
    model, rec = run(network([port(capacity_per_day=4)]))
    came = at_city(rec, EV_PORT_PRESENT)
    assert came.sum() >= 290  # everyone who set off by day 29 reached the port
    queue: deque[int] = deque()
    expected_in, expected_wait, expected_list = [], [], []
    for t in range(model.days):
        queue.extend([t] * int(came[t]))
        taken = [queue.popleft() for _ in range(min(4, len(queue)))]
        expected_in.append(len(taken))
        expected_wait.append(sum(t - s for s in taken))
        expected_list.append(len(queue))
    assert at_city(rec, EV_PORT_ENTRY).tolist() == expected_in
    assert at_city(rec, EV_PORT_WAIT_DAYS).tolist() == expected_wait
    assert rec.port_waiting[:, 0].tolist() == expected_list
    assert rec.counts[:, B_CITY, WAITING].sum(axis=(1, 2)).tolist() == expected_list
    assert rec.events[:, 2, EV_ARRIVE].sum() == sum(expected_in)
    assert rec.events[:, :, EV_APPREHEND].sum() == 0 and rec.events[:, :, EV_CROSS].sum() == 0
    encounters = daily_series(model, rec)["encounters_AA"][0]
    assert encounters.tolist() == expected_in
    series = daily_series(model, rec)
    assert series["port_list:B"][0].tolist() == expected_list


def test_capacity_is_scaled_and_its_fraction_carried() -> None:
    """Rule: at scale 0.1 a port of 25 people a day takes in 2.5 agents a day: the fraction not
    reached is carried to the next day, so by each day with a long list it has taken in the
    whole part of 2.5 a day since it began (2, 3, 2, 3, ...)."""
    _model, rec = run(network([port(capacity_per_day=25)], per_month=3100, scale=0.1))
    taken = at_city(rec, EV_PORT_ENTRY)
    first = int(np.flatnonzero(taken)[0])
    days = np.arange(1, len(taken) - first + 1)
    assert np.array_equal(np.cumsum(taken[first:]), np.floor(2.5 * days + 1e-9).astype(int))


def test_people_leave_the_list_and_cross_between_ports() -> None:
    """Rule: a port that takes nobody in (capacity 0) keeps everyone on its list, and each day
    a share p_give_up = 0.2 of those who came before today leave it; they cross between ports
    the next day (the border rules: nobody is apprehended here) and never join a list again."""
    _model, rec = run(network([port(capacity_per_day=0, p_give_up=0.2)], p_apprehend=0.0))
    came = at_city(rec, EV_PORT_PRESENT)
    left = at_city(rec, EV_PORT_GIVE_UP)
    listed = rec.port_waiting[:, 0]
    eligible = np.concatenate([[0], listed[:-1]])  # on the list at the start of the day
    assert np.array_equal(listed, eligible + came - left)
    n, k = eligible.sum(), left.sum()
    assert abs(k - 0.2 * n) <= Z * math.sqrt(n * 0.2 * 0.8)
    crossed = rec.events[:, :, EV_CROSS].sum(axis=(1, 2))
    assert np.array_equal(crossed[1:], left[:-1])  # the next day, between ports
    assert at_city(rec, EV_PORT_ENTRY).sum() == 0
    # each came once: everyone who set off before the last day, and nobody again after leaving
    assert came.sum() == rec.events[:-1, :, EV_DEPART].sum()


def test_an_unmetered_port_takes_everyone_in_the_day_they_come() -> None:
    """Rule: without a capacity the port takes in all who come, the day they come: nobody
    waits. Those it takes in meet the crossing's fates: here half are removed."""
    _model, rec = run(network([port(capacity_per_day=None)], p_remove=0.5))
    came = at_city(rec, EV_PORT_PRESENT)
    assert np.array_equal(at_city(rec, EV_PORT_ENTRY), came)
    assert at_city(rec, EV_PORT_WAIT_DAYS).sum() == 0 and rec.port_waiting.sum() == 0
    removed = at_city(rec, EV_REMOVE).sum()
    arrived = rec.events[:, 2, EV_ARRIVE].sum()
    assert removed + arrived == came.sum()
    assert abs(removed - 0.5 * came.sum()) <= Z * math.sqrt(came.sum() * 0.25 / 1)


def test_a_port_without_a_row_keeps_no_list() -> None:
    """Rule: on a day no ports.csv row is in force, nobody presents and those on the list leave
    it (there is no port the scenario speaks of): a row ending on day 9 empties the list on
    day 10, and everyone who comes later crosses between ports."""
    _model, rec = run(network([port(capacity_per_day=2, end=day(9))]))
    came = at_city(rec, EV_PORT_PRESENT)
    assert came[:10].sum() > 0 and came[10:].sum() == 0
    assert rec.port_waiting[9, 0] > 0 and rec.port_waiting[10:, 0].sum() == 0
    assert at_city(rec, EV_PORT_GIVE_UP)[10] == rec.port_waiting[9, 0]
    assert rec.events[11:, :, EV_APPREHEND].sum() > 0


def test_a_travel_group_is_taken_in_whole() -> None:
    """Rule: the port never splits a travel group: with everyone in groups of 3 and a capacity
    of 4 a day, every count and event is a multiple of 3 every day, and what a group taken whole
    beyond the capacity is owed is counted against the next days (over the month, the port
    takes in 4 a day, give or take one group)."""
    model, rec = run(
        network([port(capacity_per_day=4, p_give_up=0.1)], per_month=930, p_apprehend=0.5,
                groups=[GroupRow(nationality="AA", share=1.0, size=3)]),
    )  # fmt: skip
    assert np.all(rec.counts.sum(axis=4) % 3 == 0)
    assert np.all(rec.events % 3 == 0)
    taken = at_city(rec, EV_PORT_ENTRY)
    busy = int((rec.port_waiting[:-1, 0] > 0).sum())  # days that began with a list
    first = int(np.flatnonzero(taken)[0])
    assert abs(taken[first:].sum() - 4 * (model.days - first)) < 3
    assert busy > 20 and at_city(rec, EV_PORT_GIVE_UP).sum() > 0


def test_switching_off_an_event_drops_its_port_rows() -> None:
    """Rule: ``corridor compare --without EVENT`` drops the rows of ports.csv that name it, as
    those of the other files."""
    sc = network([port(capacity_per_day=4, event="metering"), port(start=day(20))])
    assert [r.start for r in sc.without_events(["metering"]).ports] == [day(20)]
