"""enforcement.csv, caravans.csv, events.yml, and the derived caravan parameters.

Enforcement intensities are personnel-based; no detention count is used (the post-June 2019 ones
are the test data).

Baseline (no event): a checkpoint of intensity 1.0 at every place where the sources put an INM
detention facility (inm_detention_facilities_capacity_transcribed.csv) and at the four hubs where
the rest of the system is aggregated (assumption). B = number of baseline rows. One unit of
intensity stands for INM_POSTS_2018 / B personnel. INM's 2019 budget cut (720 of 5,720 posts cut
by 31 May 2019, policy timeline) scales the baseline: 1.0 in 2018, the mean of 5,720 and 5,000
over 5,720 in Jan-May 2019 (cut assumed linear), 5,000/5,720 from June 2019.

The 7 June 2019 deal (event us-mx-deal-2019-06):
- south: 6,000 National Guard toward the Guatemalan border from 2019-06-10 (policy timeline row
  2019-06-10), spread evenly over the network's places in Chiapas and Tabasco: one region row per
  state with intensity = 6,000 / unit / N_south x NG_EFFECTIVENESS;
- north: >25,000 federal personnel on both borders by late June; north = 25,000 - 6,000 = 19,000
  (assumption: the southern contingent stayed at 6,000), from 2019-06-24 (assumption for "late
  June"), spread evenly over the network's places in the six states on the US border.
NG_EFFECTIVENESS = 1 (assumption: one Guard member intercepts as much as one INM post).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from common import SCENARIO, read_csv, write_csv
from network import distance_matrix
from places import AGGREGATES, FACILITIES

START = dt.date(2018, 8, 1)
INM_POSTS_2018, INM_POSTS_CUT = 5720, 720
NG_SOUTH, FEDERAL_BOTH = 6000, 25000
NG_EFFECTIVENESS = 1.0
SOUTH_STATES = ["Chiapas", "Tabasco"]
NORTH_STATES = ["Baja California", "Sonora", "Chihuahua", "Coahuila", "Nuevo León", "Tamaulipas"]
EVENT = "us-mx-deal-2019-06"
TIMELINE = "policy_timeline_2018_2023_transcribed.csv"


def baseline_places() -> list[tuple[str, str]]:
    out = [
        (
            host,
            f"INM detention facility at {host} ({name}; "
            "inm_detention_facilities_capacity_transcribed.csv)",
        )
        for name, host, _ in FACILITIES
    ]
    out += [
        (host, f"assumption: INM presence at the hub of the aggregated rest of the system ({name})")
        for name, host in AGGREGATES
    ]
    return out


def rows(net: dict) -> tuple[list[list], dict]:
    base = baseline_places()
    b = len(base)
    unit = INM_POSTS_2018 / b
    eras = [
        (START, dt.date(2018, 12, 31), 1.0, f"INM {INM_POSTS_2018} posts (2018)"),
        (
            dt.date(2019, 1, 1),
            dt.date(2019, 5, 31),
            (INM_POSTS_2018 - INM_POSTS_CUT / 2) / INM_POSTS_2018,
            f"INM posts cut by {INM_POSTS_CUT} between Jan and 31 May 2019 ({TIMELINE} row "
            "2019-01..2019-05); "
            f"mean of {INM_POSTS_2018} and {INM_POSTS_2018 - INM_POSTS_CUT} over "
            f"{INM_POSTS_2018} (linear cut assumed)",
        ),
        (
            dt.date(2019, 6, 1),
            None,
            (INM_POSTS_2018 - INM_POSTS_CUT) / INM_POSTS_2018,
            f"{INM_POSTS_2018 - INM_POSTS_CUT} of {INM_POSTS_2018} INM posts after the cut "
            f"({TIMELINE} row 2019-01..2019-05)",
        ),
    ]
    out = []
    for k, (place, why) in enumerate(base, start=1):
        for e, (a, z, f, how) in enumerate(eras, start=1):
            out.append(
                [
                    f"inm-{k:02d}-{e}",
                    a,
                    z or "",
                    "place",
                    place,
                    "checkpoint",
                    "INM",
                    round(f, 4),
                    "",
                    f"baseline checkpoint, intensity 1.0 x {f:.4f} ({how}); {why}",
                ]
            )
    places = net["places"]
    kinds = {"crossing", "transit", "border_city"}
    south = [p["name"] for p in places if p["region"] in SOUTH_STATES and p["kind"] in kinds]
    north = [p["name"] for p in places if p["region"] in NORTH_STATES and p["kind"] in kinds]
    north_personnel = FEDERAL_BOTH - NG_SOUTH
    i_south = NG_SOUTH / unit / len(south) * NG_EFFECTIVENESS
    i_north = north_personnel / unit / len(north) * NG_EFFECTIVENESS
    for st in SOUTH_STATES:
        out.append(
            [
                f"gn-south-{st.lower()}",
                dt.date(2019, 6, 10),
                "",
                "region",
                st,
                "patrol",
                "Guardia Nacional",
                round(i_south, 4),
                EVENT,
                f"{NG_SOUTH} National Guard toward the southern border from 2019-06-10 "
                f"({TIMELINE} row 2019-06-10) "
                f"= {NG_SOUTH / unit:.2f} units of {unit:.1f} personnel ({INM_POSTS_2018} INM "
                f"posts / {b} baseline "
                f"rows), spread over the {len(south)} network places of Chiapas and Tabasco; "
                "effectiveness "
                f"{NG_EFFECTIVENESS} (assumption)",
            ]
        )
    for st in NORTH_STATES:
        out.append(
            [
                f"gn-north-{st.lower().replace(' ', '-')}",
                dt.date(2019, 6, 24),
                "",
                "region",
                st,
                "patrol",
                "Guardia Nacional",
                round(i_north, 4),
                EVENT,
                f">{FEDERAL_BOTH} federal personnel on both borders by late June ({TIMELINE} row "
                "2019-06-10); "
                f"north = {FEDERAL_BOTH} - {NG_SOUTH} = {north_personnel} (assumption), from "
                "2019-06-24 "
                f"(assumption for 'late June') = {north_personnel / unit:.2f} units spread over "
                f"the {len(north)} "
                f"network places of the six US-border states; effectiveness {NG_EFFECTIVENESS} "
                "(assumption)",
            ]
        )
    info = {
        "baseline_rows": b,
        "unit_personnel": unit,
        "era_factors": [e[2] for e in eras],
        "n_south": len(south),
        "n_north": len(north),
        "i_south": i_south,
        "i_north": i_north,
    }
    return out, info


def write_enforcement(net: dict) -> dict:
    out, info = rows(net)
    write_csv(
        SCENARIO / "enforcement.csv",
        [
            "id",
            "start",
            "end",
            "target_type",
            "target",
            "kind",
            "authority",
            "intensity",
            "event",
            "source",
        ],
        out,
    )
    return info


# ---------------------------------------------------------------- caravans and caravan parameters
CARAVANS = "caravans_2018_2022_transcribed.csv"
CARAVAN_MODES = "road;bus;foot"
MODES_NOTE = (
    "modes road, bus and foot: an assumption (the sources have the caravans walk, ride trucks "
    "and buses and cross the Suchiate on foot or by raft; none has them on the freight train or "
    "at sea)"
)


def caravan_params(net: dict) -> dict:
    road = {
        "routes": [r for r in net["routes"] if r["mode"] in ("road", "bus")],
        "places": net["places"],
    }
    names, d = distance_matrix(road)
    i = {n: k for k, n in enumerate(names)}
    km = (
        d[i["Ciudad Hidalgo"], i["Mexico City"]]
        + d[i["Mexico City"], i["Guadalajara"]]
        + d[i["Guadalajara"], i["Tijuana"]]
    )
    days = (dt.date(2018, 11, 15) - dt.date(2018, 10, 20)).days
    speed = km / days
    # checkpoints (baseline places) on the caravan's path Ciudad Hidalgo -> Mexico City ->
    # Guadalajara -> Tijuana
    path = []
    for a, z in (
        ("Ciudad Hidalgo", "Mexico City"),
        ("Mexico City", "Guadalajara"),
        ("Guadalajara", "Tijuana"),
    ):
        path += _path(road, a, z)
    base = {p for p, _ in baseline_places()}
    k = len([p for p in dict.fromkeys(path) if p in base])
    passed, total = 3, 4
    p_caravan = passed / total
    p_check = p_caravan ** (1 / k)
    return {
        "km": km,
        "days": days,
        "speed": speed,
        "checkpoints_on_path": k,
        "p_caravan": p_caravan,
        "breakthrough": p_check,
        "path_checkpoints": [p for p in dict.fromkeys(path) if p in base],
    }


def _path(net: dict, a: str, z: str) -> list[str]:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    names = [p["name"] for p in net["places"]]
    idx = {n: k for k, n in enumerate(names)}
    n = len(names)
    w = np.zeros((n, n))
    for r in net["routes"]:
        for u, v in (
            ((r["from"], r["to"]), (r["to"], r["from"]))
            if r["two_way"] == "yes"
            else ((r["from"], r["to"]),)
        ):
            x, y = idx[u], idx[v]
            w[x, y] = r["km"] if w[x, y] == 0 else min(w[x, y], r["km"])
    _, pred = dijkstra(csr_matrix(w), indices=idx[a], return_predecessors=True)
    out, cur = [], idx[z]
    while cur != idx[a] and cur >= 0:
        out.append(names[cur])
        cur = pred[cur]
    return [a, *out[::-1]]


def write_caravans(child_share_hn: float) -> list[list]:
    rows_in = {
        r["caravan"]: (i, r)
        for i, r in enumerate(read_csv(__import__("common").src(CARAVANS)), start=2)
    }
    l18, _ = rows_in["October 2018 Honduran caravan"]
    l19, _ = rows_in["January 2019 caravan"]
    cs = round(child_share_hn, 3)
    cs_src = (
        f"child_share {cs}: derive/child_share.csv HN child_share_fmua_half (CBP encounters of "
        "Hondurans "
        "Oct 2018-May 2019: UC + accompanied minors + half of family-unit members; the half is "
        "an assumption)"
    )
    out = [
        [
            "caravan-2018-10",
            "2018-10-13",
            "San Pedro Sula",
            7000,
            cs,
            "HN",
            "2018-11-15",
            "USBP San Diego",
            "Ciudad Hidalgo;Mexico City;Guadalajara;Tijuana",
            CARAVAN_MODES,
            f"{CARAVANS} line {l18}: left San Pedro Sula 2018-10-12/13 (~1,500 on 10-13, ~3,000 "
            "within days); size 7,000 "
            "= the reported 7,000-7,200 in Tapachula 10-21/22 (UN, local govt), taken because a "
            "model caravan does not "
            "grow on the way and this is the group that crossed Mexico; nationality HN "
            "(Honduran caravan; Guatemalans "
            "and Salvadorans who joined are not split in the source); dispersal 2018-11-15: "
            "arrival in Tijuana "
            "(from 11-13/15; 2,397 there by 11-16); destination USBP San Diego: the sector of "
            "Tijuana, where the source has the caravan arrive (about 3,000 were also in Mexicali, "
            f"El Centro sector, by 11-21: the larger group's city is taken); via: the places "
            "the source reports, in order (forced the Suchiate bridge into Ciudad Hidalgo, Mexico "
            "City early November, Guadalajara 11-13, Tijuana); "
            f"{MODES_NOTE}; {cs_src}",
        ],
        [
            "caravan-2019-01",
            "2019-01-15",
            "San Pedro Sula",
            2000,
            cs,
            "HN",
            "2019-01-28",
            "",
            "Ciudad Hidalgo",
            CARAVAN_MODES,
            f"{CARAVANS} line {l19}: left San Pedro Sula 2019-01-14/15, ~2,000 at start (WaPo), "
            ">2,000 entered Mexico "
            "2019-01-18 (1,114 registered + >800 forced entry): 2,000 is consistent with both; "
            "dispersal 2019-01-28: "
            "humanitarian visitor cards issued (>14,000 applications by 01-27) and the group "
            "dispersed north in "
            "smaller groups (sipazen 2019-01-28); no destination: the source names none, so "
            f"members are given destinations as departures are (destinations.csv); via: "
            "entered Mexico by the Rodolfo Robles bridge (Tecún Umán - Ciudad Hidalgo), the "
            f"only place of its path the source gives; {MODES_NOTE}; {cs_src}",
        ],
    ]
    write_csv(
        SCENARIO / "caravans.csv",
        [
            "id",
            "date",
            "origin",
            "people",
            "child_share",
            "nationality",
            "dispersal_date",
            "destination",
            "via",
            "modes",
            "source",
        ],
        out,
    )
    return out


EVENTS_YML = """# Named, dated policy events. Rows of enforcement.csv and border.csv whose `event` column names an
# event belong to it (corridor compare BASE --without EVENT drops them). Sources: SOURCES.md.
- id: us-mx-deal-2019-06
  date: 2019-06-07
  title: US-Mexico Joint Declaration (National Guard deployment, MPP expansion)
  source: "policy_timeline_2018_2023_transcribed.csv rows 2019-06-07 (text: elleoglobal.com) and 2019-06-10 (~6,000 National Guard toward the Guatemalan border from Monday 10 June; >25,000 federal personnel north+south by late June: thebl.com, illegal-immigration.com); enforcement.csv rows gn-*"
  # The declaration's text, published on 7 June, announced the National Guard deployment (same rows)
  announced: true
- id: mpp-tijuana
  date: 2019-01-29
  title: Migrant Protection Protocols, first returns San Ysidro -> Tijuana
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-01-29 (eleconomista.com.mx; elsoldetijuana.com.mx); border.csv rows bc:Tijuana"
- id: mpp-mexicali
  date: 2019-03-15
  title: MPP returns to Mexicali
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-03 (in operation in March 2019; exact date not read, mid-month assumed); border.csv rows bc:Mexicali"
- id: mpp-ciudad-juarez
  date: 2019-03-15
  title: MPP returns to Ciudad Juarez
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-03 (in operation in March 2019; exact date not read, mid-month assumed); border.csv rows bc:Ciudad Juárez"
- id: mpp-nuevo-laredo
  date: 2019-07-09
  title: MPP expands to Laredo -> Nuevo Laredo
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-07-09 (welcomeqatar.com); border.csv rows bc:Nuevo Laredo"
- id: mpp-matamoros
  date: 2019-07-19
  title: MPP in the Rio Grande Valley (Brownsville -> Matamoros)
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-07-19 (krgv.com); border.csv rows bc:Matamoros and bc:Reynosa"
- id: mpp-piedras-negras
  date: 2019-10-28
  title: MPP expands to Eagle Pass -> Piedras Negras
  source: "policy_timeline_2018_2023_transcribed.csv row 2019-10-28 (dhs.gov); border.csv rows bc:Piedras Negras and bc:Ciudad Acuña"
- id: caravan-2018-10
  date: 2018-10-13
  title: October 2018 caravan leaves San Pedro Sula
  source: "caravans_2018_2022_transcribed.csv row 'October 2018 Honduran caravan'; policy_timeline row 2018-10-13 (IFRC); caravans.csv"
- id: caravan-2019-01
  date: 2019-01-15
  title: January 2019 caravan leaves San Pedro Sula
  source: "caravans_2018_2022_transcribed.csv row 'January 2019 caravan' (WaPo, pulsenewsmexico); caravans.csv"
"""  # noqa: E501 (event sources are single YAML lines)


def write_events() -> None:
    (SCENARIO / "events.yml").write_text(EVENTS_YML, encoding="utf-8")
