"""Check claimed Flee 3.1 behaviours by experiment, on tiny scenarios written to a temp folder.

Run with the Flee virtual environment (created by ``bench/flee_side_by_side.py``)::

    bench/.venv-flee/bin/python bench/flee_quirks.py [--only a,b,...] [--json OUT.json]

Every experiment runs in its own subprocess (Flee keeps its settings and spawning state in
module globals), drives Flee only through its public API (SimulationSettings, InputGeography,
Ecosystem, moving, spawning; ``bench/flee_driver.py`` for whole-loop runs), and reports a verdict
with the numbers it observed. A summary table is printed at the end.

Claims checked (see the experiment functions for the set-ups):
  a  a ``link`` row in closures.csv closes nothing (names compared with ``is not``)
  b  with awareness_level 0 no agent ever moves
  c  forced_redirection = 1 creates the link pair twice
  d  a newly entered link is credited a full day's speed
  e  an agent on a link closed while it travels is sent back, even if the link reopened
  f  camp deactivation (camps_are_sicks) leaves agents counted in the camp
  g  with conflict_driven_spawning the out.csv tail columns are all 0
and extra ones found while reading the code:
  h  spawn_mode Poisson is unreachable (and crashes)
  i  a ``location`` closure acts on name1 only (name2 ignored)
  j  a camp closed from day 0 stays a camp column in out.csv but behaves as a town
  k  close_link(twoway=True) closes only the endpoint->startpoint direction
  l  daily spawning uses spawn weights (conflict decay) computed for the previous day

This file is corridor's own code; nothing in it is copied from Flee.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flee import InputGeography, flee

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "flee_driver.py"
LOC_HEADER = "#name,region,country,latitude,longitude,location_type,conflict_date,population"

BASE_YML = {
    "log_levels": {"agent": 0, "link": 0, "camp": 0, "init": 0, "conflict": 0},
    "spawn_rules": {"take_from_population": False, "insert_day0": True},
    "move_rules": {
        "max_move_speed": 400.0,
        "max_walk_speed": 35.0,
        "camp_weight": 1.0,
        "softening": 50.0,
        "default_movechance": 0.5,
        "start_on_foot": False,
        "avoid_short_stints": False,
        "distance_power": 0.75,
        "awareness_level": 1,
        "camp_movechance": 0.001,
        "conflict_movechance": 1.0,
        "conflict_weight": 0.25,
        "foreign_weight": 1.0,
    },
    "optimisations": {"hasten": 1},
}


# --------------------------------------------------------------------------------------------
# Scenario writing and loading


def _yaml(d: dict, indent: int = 0) -> str:
    """Tiny YAML writer for nested dicts of scalars and lists (enough for simsetting.yml)."""
    out = []
    pad = "  " * indent
    for k, v in d.items():
        if isinstance(v, dict):
            out.append(f"{pad}{k}:")
            out.append(_yaml(v, indent + 1))
        elif isinstance(v, bool):
            out.append(f"{pad}{k}: {'True' if v else 'False'}")
        elif isinstance(v, list):
            out.append(f"{pad}{k}: [{', '.join(str(x) for x in v)}]")
        else:
            out.append(f"{pad}{k}: {v}")
    return "\n".join(out)


def settings(**overrides: dict) -> dict:
    """BASE_YML with per-section overrides, e.g. settings(move_rules={"awareness_level": 0})."""
    d = json.loads(json.dumps(BASE_YML))
    for section, values in overrides.items():
        d.setdefault(section, {}).update(values)
    return d


def write_scenario(
    root: Path,
    locations: list[str],
    routes: list[str],
    closures: Sequence[str] = (),
    yml: dict | None = None,
    loc_extra_header: str = "",
    conflicts: dict[str, list[float]] | None = None,
    days: int = 10,
    data: dict[str, list[tuple[str, int]]] | None = None,
    start: str = "2020-01-01",
) -> Path:
    """Write a scenario folder in the peer layout. Rows are CSV text lines."""
    inp = root / "input_csv"
    src = root / "source_data"
    inp.mkdir(parents=True, exist_ok=True)
    src.mkdir(parents=True, exist_ok=True)
    (inp / "locations.csv").write_text(
        "\n".join([LOC_HEADER + loc_extra_header, *locations]) + "\n"
    )
    (inp / "routes.csv").write_text(
        "\n".join(["#name1,name2,distance,forced_redirection", *routes]) + "\n"
    )
    (inp / "closures.csv").write_text(
        "\n".join(["#closure_type,name1,name2,closure_start,closure_end", *closures]) + "\n"
    )
    conflicts = conflicts or {}
    names = list(conflicts)
    lines = ["#Day," + ",".join(names)] if names else ["#Day,"]
    for t in range(days):
        lines.append(",".join([str(t), *(str(conflicts[n][t]) for n in names)]))
    (inp / "conflicts.csv").write_text("\n".join(lines) + "\n")
    (inp / "sim_period.csv").write_text(f"StartDate,{start}\nLength,{days}\n")
    (inp / "registration_corrections.csv").write_text("")
    data = data or {"total": [(start, 0)]}
    layout = []
    for name, series in data.items():
        fname = "refugees.csv" if name == "total" else f"{name.lower()}.csv"
        layout.append(f"{name},{fname}")
        (src / fname).write_text("\n".join(f"{d},{v}" for d, v in series) + "\n")
    (src / "data_layout.csv").write_text("\n".join(layout) + "\n")
    (root / "simsetting.yml").write_text(_yaml(yml or BASE_YML) + "\n")
    return root


def load(
    root: Path,
) -> tuple[flee.Ecosystem, dict[str, flee.Location], InputGeography.InputGeography]:
    """Build an Ecosystem from a scenario folder with Flee's readers. Returns (e, lm, ig)."""
    from flee import InputGeography, flee
    from flee.SimulationSettings import SimulationSettings

    SimulationSettings.ReadFromYML(str(root / "simsetting.yml"))
    SimulationSettings.ConflictInputFile = str(root / "input_csv" / "conflicts.csv")
    e = flee.Ecosystem()
    ig = InputGeography.InputGeography()
    ig.ReadConflictInputCSV(str(root / "input_csv" / "conflicts.csv"))
    ig.ReadLocationsFromCSV(str(root / "input_csv" / "locations.csv"))
    ig.ReadLinksFromCSV(str(root / "input_csv" / "routes.csv"))
    ig.ReadClosuresFromCSV(str(root / "input_csv" / "closures.csv"))
    e, lm = ig.StoreInputGeographyInEcosystem(e)
    return e, lm, ig


def add_agents(e: flee.Ecosystem, loc: flee.Location, n: int) -> None:
    for _ in range(n):
        e.addAgent(location=loc, attributes={})


def links_of(loc: flee.Location) -> list[str]:
    return [lk.endpoint.name for lk in loc.links]


def closed_of(loc: flee.Location) -> list[str]:
    return [lk.endpoint.name for lk in loc.closed_links]


def where(e: flee.Ecosystem) -> dict[str, int]:
    """Agents by current place; travelling agents as 'on:<start>-><end>', deactivated as None."""
    c: Counter = Counter()
    for a in e.agents:
        if a.location is None:
            c["None"] += 1
        elif a.travelling:
            c[f"on:{a.location.startpoint.name}->{a.location.endpoint.name}"] += 1
        else:
            c[a.location.name] += 1
    return dict(sorted(c.items()))


def result(qid: str, claim: str, verdict: str, evidence: dict, detail: str) -> dict:
    return {"id": qid, "claim": claim, "verdict": verdict, "evidence": evidence, "detail": detail}


# --------------------------------------------------------------------------------------------
# Experiments


def exp_a(tmp: Path) -> dict:
    claim = "a `link` row in closures.csv closes nothing (multi-character names)"
    ev = {}
    for label, (x, y) in {"multi": ("Alpha", "Bravo"), "single": ("A", "B")}.items():
        root = write_scenario(
            tmp / f"a_{label}",
            # y is a camp so that agents settle there (a town would send some back the same day)
            [f"{x},r,Xland,0,0,conflict_zone,0,1000", f"{y},r,Xland,0,1,camp,0,"],
            [f"{x},{y},100,0"],
            [f"link,{x},{y},0,-1"],
        )
        e, lm, _ = load(root)
        same_obj = e.closures[0][2] is lm[y].name and e.closures[0][1] is lm[x].name
        e.enact_border_closures(0)
        add_agents(e, lm[x], 200)
        e.evolve()
        ev[label] = {
            "names": [x, y],
            "csv_name_is_location_name_object": same_obj,
            f"links {x}->": links_of(lm[x]),
            f"links {y}->": links_of(lm[y]),
            f"closed {x}->": closed_of(lm[x]),
            f"closed {y}->": closed_of(lm[y]),
            "after_day0": where(e),
        }
    m, s = ev["multi"], ev["single"]
    nothing_closed = not m["closed Alpha->"] and not m["closed Bravo->"]
    verdict = "CONFIRMED" if nothing_closed and m["links Alpha->"] == ["Bravo"] else "REFUTED"
    detail = (
        f"multi-char: nothing closed (links Alpha->{m['links Alpha->']}, Bravo->"
        f"{m['links Bravo->']}), agents moved {m['after_day0']}. single-char: CSV names are the "
        f"same objects ({s['csv_name_is_location_name_object']}); closed B->{s['closed B->']} "
        f"only, A->{s['links A->']} stays open (twoway closes just endpoint->start), agents "
        f"still moved {s['after_day0']}."
    )
    return result("a", claim, verdict, ev, detail)


def exp_b(tmp: Path) -> dict:
    from flee import moving

    claim = "with awareness_level 0 no agent ever moves"
    root = write_scenario(
        tmp / "b",
        [
            "A,r,X,0,0,conflict_zone,0,1000",
            "B,r,X,0,1,town,0,1000",
            "C,r,X,1,0,town,0,1000",
        ],
        ["A,B,100,0", "A,C,100,0"],
        yml=settings(move_rules={"awareness_level": 0}),
    )
    e, lm, _ = load(root)
    add_agents(e, lm["A"], 500)
    route = moving.selectRoute(e.agents[0], time=0)
    per_day = []
    for _ in range(5):
        e.evolve()
        per_day.append(where(e))
    ev = {"selectRoute_returns": repr(route), "per_day": per_day, "A_numAgents": lm["A"].numAgents}
    verdict = "CONFIRMED" if all(d == {"A": 500} for d in per_day) else "REFUTED"
    detail = (
        f"selectRoute returns {route!r} (an index list); after 5 days with movechance 1 at A: "
        f"{per_day[-1]}"
    )
    return result("b", claim, verdict, ev, detail)


def exp_c(tmp: Path) -> dict:
    claim = "forced_redirection = 1 creates the link pair twice"
    root = write_scenario(
        tmp / "c",
        [
            "A,r,X,0,0,conflict_zone,0,1000",
            # camps, so that agents stay where their first choice took them
            "B,r,X,0,1,camp,0,",
            "C,r,X,1,0,camp,0,",
            "D,r,X,1,1,camp,0,",
        ],
        ["A,B,100,1", "A,C,100,0", "A,D,100,2"],
    )
    e, lm, _ = load(root)
    counts = {n: dict(Counter(links_of(lm[n]))) for n in "ABCD"}
    flags = {
        n: [(lk.endpoint.name, bool(lk.forced_redirection)) for lk in lm[n].links] for n in "ABCD"
    }
    n_ag = 4000
    add_agents(e, lm["A"], n_ag)
    e.evolve()
    w = where(e)
    share_b = w.get("B", 0) / n_ag
    ev = {"links_per_location": counts, "forced_flags": flags, "after_day0": w}
    dup = counts["A"].get("B") == 2 and counts["B"].get("A") == 2
    verdict = "CONFIRMED" if dup else "REFUTED"
    detail = (
        f"links A->{counts['A']}, B->{counts['B']}, D->{counts['D']} (fr=2: one pair); "
        f"routing effect: B (fr=1) got {share_b:.3f} of {n_ag} agents vs 0.5 expected with the "
        f"duplicate and 0.333 without; C {w.get('C', 0) / n_ag:.3f}, D {w.get('D', 0) / n_ag:.3f}"
    )
    return result("c", claim, verdict, ev, detail)


def exp_d(tmp: Path) -> dict:
    claim = "a newly entered link is credited a full day's speed (A-B 100 km, B-C 350 km)"
    variants = {
        "hub, speed 400": ("forwarding_hub", 400.0, False),
        "town (movechance 0.5, avoid_short_stints), speed 400": ("town", 400.0, True),
        "town (movechance 0.5, no avoid_short_stints), speed 400": ("town", 400.0, False),
        "hub, speed 300 (control)": ("forwarding_hub", 300.0, False),
    }
    ev = {}
    n = 400
    for label, (btype, speed, ass) in variants.items():
        root = write_scenario(
            tmp / f"d_{len(ev)}",
            ["A,r,X,0,0,conflict_zone,0,1000", f"B,r,X,0,1,{btype},0,1000", "C,r,X,0,2,camp,0,"],
            ["A,B,100,0", "B,C,350,0"],
            # conflict_weight 0 makes the way back to A worthless, so choices at B are all C.
            yml=settings(
                move_rules={
                    "max_move_speed": speed,
                    "conflict_weight": 0.0,
                    "avoid_short_stints": ass,
                }
            ),
        )
        e, lm, _ = load(root)
        add_agents(e, lm["A"], n)
        e.evolve()
        ev[label] = where(e)
    main = ev["hub, speed 400"].get("C", 0)
    verdict = "CONFIRMED" if main == n and ev["hub, speed 300 (control)"].get("C", 0) == 0 else "?"
    detail = "; ".join(f"{k}: day 0 -> {v}" for k, v in ev.items())
    detail += f". {main}/{n} covered 450 km on day 0 at speed 400."
    return result("d", claim, verdict, ev, detail)


def exp_e(tmp: Path) -> dict:
    claim = "an agent on a link closed while it travels is sent back, even if the link reopened"
    variants = {
        "control (no closure)": [],
        "country closure days 1..never": ["country,Xland,Yland,1,-1"],
        "country closure day 1, reopened day 2": ["country,Xland,Yland,1,2"],
        "location closure of B day 1, reopened day 2": ["location,B,,1,2"],
    }
    ev = {}
    n = 100
    for i, (label, closures) in enumerate(variants.items()):
        root = write_scenario(
            tmp / f"e_{i}",
            ["A,r,Xland,0,0,conflict_zone,0,1000", "B,r,Yland,0,5,camp,0,"],
            ["A,B,1000,0"],
            closures,
        )
        e, lm, _ = load(root)
        add_agents(e, lm["A"], n)
        days = []
        for t in range(7):
            e.enact_border_closures(t)
            e.evolve()
            days.append(where(e))
        ev[label] = days
    sent_back = ev["country closure day 1, reopened day 2"][2] == {"A": n}
    never = ev["country closure days 1..never"][2] == {"A": n}
    loc = ev["location closure of B day 1, reopened day 2"][2] == {"A": n}
    ok_ctrl = ev["control (no closure)"][2] == {"B": n}
    verdict = "CONFIRMED" if sent_back and never and loc and ok_ctrl else "REFUTED"
    detail = "; ".join(f"{k}: end of day 2 {v[2]}, day 6 {v[6]}" for k, v in ev.items())
    detail += ". (1000 km at 400 km/day: arrival on day 2.)"
    return result("e", claim, verdict, ev, detail)


def exp_f(tmp: Path) -> dict:
    claim = "camp deactivation (camps_are_sicks) leaves agents counted in the camp"
    ev = {}
    n = 100
    locs = ["A,r,X,0,0,conflict_zone,0,1000,", "B,r,X,0,1,camp,0,,1.0"]
    # (1) the attribute as read from locations.csv (a string)
    root = write_scenario(
        tmp / "f_csv",
        locs,
        ["A,B,50,0"],
        yml=settings(spawn_rules={"camps_are_sicks": True}),
        loc_extra_header=",deactivation_probability",
    )
    e, lm, _ = load(root)
    add_agents(e, lm["A"], n)
    try:
        e.evolve()
        ev["csv attribute"] = {"ok": True, "where": where(e), "B.numAgents": lm["B"].numAgents}
    except Exception as exc:
        ev["csv attribute"] = {
            "ok": False,
            "exception": f"{type(exc).__name__}: {exc}",
            "attribute_value": repr(lm["B"].attributes.get("deactivation_probability")),
        }
    # (2) the attribute set as a float through the API
    for label, key in (
        ("float attribute", "camps_are_sicks"),
        ("key spelt sinks", "camps_are_sinks"),
    ):
        root = write_scenario(
            tmp / f"f_{key}",
            locs,
            ["A,B,50,0"],
            yml=settings(spawn_rules={key: True}),
            loc_extra_header=",deactivation_probability",
        )
        e, lm, _ = load(root)
        lm["B"].attributes["deactivation_probability"] = 1.0
        add_agents(e, lm["A"], n)
        e.evolve()
        e.evolve()
        ev[label] = {
            "where": where(e),
            "B.numAgents": lm["B"].numAgents,
            "Ecosystem.numAgents()": e.numAgents(),
        }
    fl = ev["float attribute"]
    verdict = "CONFIRMED" if fl["where"].get("None") == n and fl["B.numAgents"] == n else "REFUTED"
    detail = (
        f"probability 1.0 set as float: agents {fl['where']}, yet B.numAgents = "
        f"{fl['B.numAgents']} and numAgents() = {fl['Ecosystem.numAgents()']}. From "
        f"locations.csv the value is a string: {ev['csv attribute']}. With the key spelt "
        f"camps_are_sinks nothing happens: {ev['key spelt sinks']['where']}"
    )
    return result("f", claim, verdict, ev, detail)


def _run_driver(root: Path, days: int, seed: int = 0) -> tuple[list[dict], dict]:
    out = root / "out.csv"
    r = subprocess.run(
        [
            *(sys.executable, str(DRIVER), str(root), "--seed", str(seed)),
            *("--days", str(days), "--out", str(out), "--log", str(root / "flee.log")),
        ],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"flee_driver failed: {r.stderr[-1500:]}")
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    return rows, json.loads((root / "out.csv.json").read_text())


TAIL = [
    "Total error",
    "refugees in camps (UNHCR)",
    "total refugees (simulation)",
    "raw UNHCR refugee count",
    "refugees in camps (simulation)",
    "refugee_debt",
]


def exp_g(tmp: Path) -> dict:
    claim = "with conflict_driven_spawning the out.csv tail columns are all 0"
    days = 10
    root = write_scenario(
        tmp / "g",
        ["A,r,X,0,0,conflict_zone,0,10000", "B,r,X,0,1,camp,0,"],
        ["A,B,100,0"],
        yml=settings(
            spawn_rules={
                "conflict_driven_spawning": {
                    "spawn_mode": "constant",
                    "displaced_per_conflict_day": 100,
                }
            }
        ),
        conflicts={"A": [1] * days},
        days=days,
        data={
            "total": [("2020-01-01", 0), ("2020-01-10", 900)],
            "B": [("2020-01-01", 0), ("2020-01-10", 500)],
        },
    )
    rows, side = _run_driver(root, days)
    tails = {c: sorted({r[c] for r in rows}) for c in TAIL}
    b_sim = [int(r["B sim"]) for r in rows]
    all_zero = all(v == ["0"] for v in tails.values())
    ev = {"tail_values": tails, "B sim": b_sim, "agents": side["agents"]}
    verdict = "CONFIRMED" if all_zero else "REFUTED"
    detail = (
        f"tail columns over {days} days take only {tails}; meanwhile {side['agents']} agents exist "
        f"(100/day) and 'B sim' = {b_sim}"
    )
    return result("g", claim, verdict, ev, detail)


def exp_h(tmp: Path) -> dict:
    from flee import spawning

    claim = "conflict_driven_spawning with spawn_mode Poisson is unreachable (crashes)"
    root = write_scenario(
        tmp / "h",
        ["A,r,X,0,0,conflict_zone,0,10000", "B,r,X,0,1,camp,0,"],
        ["A,B,100,0"],
        yml=settings(
            spawn_rules={
                "conflict_driven_spawning": {
                    "spawn_mode": "Poisson",
                    "displaced_per_conflict_day": 5,
                }
            }
        ),
    )
    e, _lm, _ = load(root)
    try:
        spawning.spawn_daily_displaced(e, 0, None)
        ev = {"exception": None, "agents": e.numAgents()}
    except Exception as exc:
        ev = {"exception": f"{type(exc).__name__}: {exc}"}
    verdict = "CONFIRMED" if ev.get("exception") else "REFUTED"
    return result("h", claim, verdict, ev, f"spawn_daily_displaced on day 0: {ev}")


def exp_i(tmp: Path) -> dict:
    claim = "a `location` closure closes all links of name1 and ignores name2"
    root = write_scenario(
        tmp / "i",
        ["A,r,X,0,0,conflict_zone,0,1000", "B,r,X,0,1,town,0,1000", "C,r,X,1,0,town,0,1000"],
        ["A,B,100,0", "B,C,100,0"],
        ["location,Alpha_unused,B,0,-1", "location,A,C,0,-1"],
    )
    e, lm, _ = load(root)
    e.enact_border_closures(0)
    ev = {n: {"links": links_of(lm[n]), "closed": closed_of(lm[n])} for n in "ABC"}
    ok = ev["A"]["links"] == [] and ev["B"]["links"] == ["C"] and ev["C"]["links"] == ["B"]
    verdict = "CONFIRMED" if ok else "REFUTED"
    detail = (
        f"rows `location,A,C` and `location,<unknown>,B`: {ev} (A's links closed both ways; "
        f"B-C untouched; an unknown name1 closes nothing)"
    )
    return result("i", claim, verdict, ev, detail)


def exp_j(tmp: Path) -> dict:
    claim = "a camp closed (`camp,X,,0,N`) from day 0 stays an out.csv camp column, acts as town"
    days = 6
    root = write_scenario(
        tmp / "j",
        ["A,r,X,0,0,conflict_zone,0,10000", "B,r,Y,0,1,camp,0,", "C,r,Y,1,1,camp,0,"],
        ["A,B,100,0", "B,C,100,0"],
        ["camp,B,,0,4"],
        conflicts={"A": [1] * days},
        days=days,
        data={
            "total": [("2020-01-01", 1000), ("2020-01-06", 1000)],
            "B": [("2020-01-01", 600), ("2020-01-06", 600)],
            "C": [("2020-01-01", 400), ("2020-01-06", 400)],
        },
    )
    rows, _side = _run_driver(root, days)
    b = [int(r["B sim"]) for r in rows]
    c = [int(r["C sim"]) for r in rows]
    ev = {"B sim": b, "C sim": c, "columns": [k for k in rows[0] if k.endswith(" sim")]}
    # a camp (movechance 0.001) would keep ~599 of its 600 on day 0
    ok = "B sim" in rows[0] and b[0] < 450
    verdict = "CONFIRMED" if ok else "REFUTED"
    detail = (
        f"B starts with 600 agents (day-0 data) but is a town (movechance 0.5) on days 0-3, "
        f"camp again from day 4: B sim by day {b}, C sim {c}"
    )
    return result("j", claim, verdict, ev, detail)


def exp_k(tmp: Path) -> dict:
    claim = "Ecosystem.close_link(a, b) (twoway=True) closes only b->a; twoway=False closes a->b"
    root = write_scenario(
        tmp / "k",
        ["A,r,X,0,0,conflict_zone,0,1000", "B,r,X,0,1,town,0,1000"],
        ["A,B,100,0"],
    )
    ev = {}
    for twoway in (True, False):
        e, lm, _ = load(root)
        e.close_link(lm["A"].name, lm["B"].name, twoway=twoway)
        ev[f"twoway={twoway}"] = {
            "A->": links_of(lm["A"]),
            "B->": links_of(lm["B"]),
            "closed A->": closed_of(lm["A"]),
            "closed B->": closed_of(lm["B"]),
        }
    t = ev["twoway=True"]
    verdict = "CONFIRMED" if t["A->"] == ["B"] and t["B->"] == [] else "REFUTED"
    return result("k", claim, verdict, ev, f"{ev}")


def exp_l(tmp: Path) -> dict:
    from flee import spawning
    from flee.datamanager import handle_refugee_data

    claim = "spawning on day t uses spawn weights (conflict decay) computed for day t-1"
    days = 34
    # Z1 erupts on day 0, Z2 on day 1; decay drops to 0.001 after 30 days. Correct timing puts
    # ~0 of day 30's spawns in Z1 and ~half of day 31's; weights one day stale do the opposite.
    root = write_scenario(
        tmp / "l",
        [
            "Z1,r,X,0,0,conflict_zone,0,10000",
            "Z2,r,X,0,1,conflict_zone,1,10000",
            "C,r,Y,1,1,camp,0,",
        ],
        ["Z1,C,100,0", "Z2,C,100,0"],
        yml=settings(spawn_rules={"conflict_spawn_decay": [1.0, 0.001]}),
        conflicts={"Z1": [1] * days, "Z2": [0] + [1] * (days - 1)},
        days=days,
        data={
            "total": [("2020-01-01", 0), ("2020-03-01", 60000)],
            "C": [("2020-01-01", 0), ("2020-03-01", 0)],
        },
    )
    e, lm, ig = load(root)
    table = handle_refugee_data.RefugeeTable(
        csvformat="generic",
        data_directory=str(root / "source_data"),
        start_date="2020-01-01",
        data_layout="data_layout.csv",
    )
    share = {}
    for t in range(days):
        ig.AddNewConflictZones(e, t)
        n0 = len(e.agents)
        spawning.spawn_daily_displaced(e, t, table)
        new = e.agents[n0:]
        if t in (29, 30, 31, 32):
            z1 = sum(1 for a in new if a.home_location is lm["Z1"])
            share[t] = {"new": len(new), "Z1": z1, "Z1_share": round(z1 / max(len(new), 1), 3)}
        spawning.refresh_spawn_weights(e)
        e.enact_border_closures(t)
        e.evolve()
    stale = share[30]["Z1_share"] > 0.3 and share[31]["Z1_share"] < 0.05
    verdict = "CONFIRMED" if stale else "REFUTED"
    detail = (
        f"share of new agents spawned in Z1 (onset day 0) vs Z2 (onset day 1): {share}; "
        "decay for day t would give ~0 on day 30 and ~0.5 on day 31"
    )
    return result("l", claim, verdict, {"by_day": share}, detail)


EXPERIMENTS = {
    "a": exp_a,
    "b": exp_b,
    "c": exp_c,
    "d": exp_d,
    "e": exp_e,
    "f": exp_f,
    "g": exp_g,
    "h": exp_h,
    "i": exp_i,
    "j": exp_j,
    "k": exp_k,
    "l": exp_l,
}


# --------------------------------------------------------------------------------------------
# Driver


def run_one(qid: str, tmp: Path, seed: int) -> dict:
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    real_stdout = sys.stdout
    with (
        open(os.devnull, "w") as sink,
        contextlib.redirect_stderr(sink),
        contextlib.redirect_stdout(sink),
    ):
        try:
            res = EXPERIMENTS[qid](tmp)
        except Exception as exc:
            res = result(
                qid,
                EXPERIMENTS[qid].__name__,
                "ERROR",
                {"traceback": traceback.format_exc()[-3000:]},
                f"{type(exc).__name__}: {exc}",
            )
    print("QUIRK_RESULT " + json.dumps(res, default=str), file=real_stdout)
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default=",".join(EXPERIMENTS), help="comma-separated experiment ids")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    p.add_argument("--one", default=None, help=argparse.SUPPRESS)
    p.add_argument("--tmp", type=Path, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.one:
        run_one(args.one, args.tmp, args.seed)
        return 0

    try:
        import flee  # noqa: F401
    except ImportError:
        print("Run this with the Flee venv: bench/.venv-flee/bin/python", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="flee_quirks_") as td:
        for qid in [q.strip() for q in args.only.split(",") if q.strip()]:
            tmp = Path(td) / qid
            tmp.mkdir()
            r = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    qid,
                    "--tmp",
                    str(tmp),
                    "--seed",
                    str(args.seed),
                ],
                capture_output=True,
                text=True,
            )
            line = next(
                (ln for ln in r.stdout.splitlines() if ln.startswith("QUIRK_RESULT ")), None
            )
            if line is None:
                res = result(qid, "?", "ERROR", {"stderr": r.stderr[-2000:]}, "no result")
            else:
                res = json.loads(line[len("QUIRK_RESULT ") :])
            results.append(res)
            print(f"[{res['verdict']}] ({qid}) {res['claim']}\n    {res['detail']}\n", flush=True)
    print("| id | verdict | claim |\n|---|---|---|")
    for res in results:
        print(f"| {res['id']} | {res['verdict']} | {res['claim']} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 0 if all(r["verdict"] != "ERROR" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
