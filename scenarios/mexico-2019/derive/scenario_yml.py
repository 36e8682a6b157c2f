"""scenario.yml: header, parameters (value, unit, source | assumption) and modes.

Derived numbers are passed in from the other derive scripts, so the file always matches them.
"""

from __future__ import annotations

import yaml
from common import SCENARIO

CAL = (
    "assumption: not calibrated (the observed series do not identify it; the departures and "
    "enforcement_scale fit absorb it), see docs/flagship.md"
)


def q(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def build(d: dict) -> dict:
    hz, rail, car = d["hazards"], d["rail"], d["caravan"]
    mx = hz["mexico"]
    P = {}

    def par(
        name: str,
        value: float,
        unit: str,
        source: str | None = None,
        assumption: str | None = None,
    ) -> None:
        e = {"value": value, "unit": unit}
        if source:
            e["source"] = source
        if assumption:
            e["assumption"] = assumption
        P[name] = e

    par(
        "road_detour",
        d["road_detour"],
        "road km per great-circle km",
        assumption=(
            "no road-distance table in the sources (README: 'No road-distance table was found'); "
            "the three rail lines "
            "with official lengths run "
            f"{min(rail['ratios'].values()):.2f}-{max(rail['ratios'].values()):.2f} x their "
            "great-circle length (derive/network.py), roads through the same mountains and "
            "around towns are taken as "
            "somewhat longer; 1.3 is within the usual range of road circuity factors (about "
            "1.2-1.4)"
        ),
    )
    par(
        "choice_theta",
        2.0,
        "1/cost",
        assumption="cost is in days-equivalent (w_time = 1): a route one day "
        "costlier than the best is taken exp(-2) = 14% as often. Not identified by the observed "
        "series (the "
        "departures and enforcement_scale fit absorb it); chosen so that journeys are about 25% "
        "more legs than "
        "the shortest path (18 vs 14.7 legs at theta 8, measured on the training months, "
        "docs/flagship.md); "
        "theta 0.5 gave 33 legs, i.e. agents wandering the network",
    )
    par("w_time", 1.0, "cost/day", assumption=CAL + "; the unit of cost: one day of travel")
    par("w_money", 0.02, "cost/USD", assumption=CAL + "; 50 USD ~ one day")
    par(
        "w_hazard", 5000.0, "cost/probability", assumption=CAL + "; a 1/1000 risk of death ~ 5 days"
    )
    par(
        "w_enforcement",
        60.0,
        "cost/probability",
        assumption=CAL + "; interception costs detention (~12 d), "
        "return and a new start: ~60 days per unit probability",
    )
    par(
        "move_chance_origin",
        1.0,
        "1/day",
        assumption="a departure in departures.csv is the decision to leave: "
        "agents leave their origin on the day they depart",
    )
    par(
        "move_chance_crossing",
        0.8,
        "1/day",
        assumption="most cross and go on within a day or two; some wait for papers or a guide",
    )
    par(
        "move_chance_transit",
        0.6,
        "1/day",
        assumption="stops of one to a few days (rest, work, money transfers, "
        "waiting for a train or a smuggler); mean stay ~1.7 days",
    )
    par(
        "move_chance_shelter",
        0.3,
        "1/day",
        assumption="shelters allow stays of several days (no shelter place "
        "in this scenario; kept for completeness)",
    )
    par(
        "move_chance_border_city",
        0.2,
        "1/day",
        assumption="people wait in border cities before crossing "
        "(metering lists at ports, smugglers' schedules); mean wait ~5 days",
    )
    par(
        "perception_lag_days",
        14.0,
        "days",
        assumption="news of checkpoints travels through migrant networks, "
        "shelters and messaging within about two weeks",
    )
    par(
        "perception_min_passages",
        20.0,
        "people",
        assumption="a handful of passages is not seen as a pattern",
    )
    par(
        "enforcement_scale",
        0.05,
        "1",
        assumption="interception per unit of enforcement intensity; starting value 0.05 (with ~4-5 "
        "baseline checkpoints on a journey, 1-exp(-0.05 x 4.5) ~ 0.2), fitted by "
        "fit/fit_departures.py, with the departures, to Mexico's monthly detentions Dec 2018-May "
        "2019 (observed/mexico_detentions_returns.csv; training MAPE per grid value in "
        "fit/fit_result.json, docs/flagship.md)",
    )
    par(
        "caravan_speed_km_day",
        q(car["speed"]),
        "km/day",
        source=(
            "caravans_2018_2022_transcribed.csv, October 2018 caravan: re-formed in Ciudad "
            "Hidalgo 2018-10-20, in "
            f"Tijuana from 2018-11-13/15 (11-15 taken) = {car['days']} days, along its reported "
            "path Ciudad Hidalgo -> "
            f"Mexico City -> Guadalajara -> Tijuana = {car['km']:.0f} km on this network "
            "(road/bus shortest paths); "
            f"includes stops and rides on trucks"
        ),
    )
    par(
        "caravan_breakthrough",
        q(car["breakthrough"]),
        "probability",
        source=(
            "caravans_2018_2022_transcribed.csv, caravans up to May 2019: Viacrucis 2018, "
            "October 2018, January 2019 "
            f"passed Mexico, spring 2019 was contained at Mapastepec -> {car['p_caravan']:.2f} "
            "per caravan; per "
            f"checkpoint {car['p_caravan']:.2f}^(1/{car['checkpoints_on_path']}) with "
            f"{car['checkpoints_on_path']} "
            f"baseline checkpoints on the October 2018 path ({', '.join(car['path_checkpoints'])})"
        ),
    )
    par("detention_stay_scale", 1.0, "1", assumption="stays as in facilities.csv")
    par(
        "asylum_wait_days",
        63.0,
        "days",
        assumption="COMAR's legal deadline of 45 working days (~63 calendar "
        "days) for a decision (Ley sobre Refugiados); not in the sources",
    )
    par(
        "missing_share",
        q(hz["missing_share"]),
        "fraction",
        source=(
            "iom_mmp_incidents_central_north_america_2014_2023H1.csv: Minimum Estimated Number "
            "of Missing / Total "
            "Number of Dead and Missing, corridor zones, 2014-2017 (derive/hazards.csv)"
        ),
    )
    par(
        "mpp_abandon_p",
        0.3,
        "probability",
        assumption="a sizeable share of MPP returnees gave up waiting in "
        "Mexican border cities; no figure in the sources",
    )
    par(
        "hazard_scale_transit",
        1.0,
        "1",
        assumption="level of the hazards of routes inside Mexico and "
        "Guatemala relative to the 2014-2017 derivation (derive/hazards.py); fitted by "
        "fit/fit_departures.py to "
        "IOM dead and missing in those zones over the training months Oct 2018-May 2019 "
        "(derive/deaths_monthly.csv)",
    )
    par(
        "hazard_scale_border",
        1.0,
        "1",
        assumption="level of the border-crossing hazards relative to the "
        "2014-2017 derivation; fitted by fit/fit_departures.py to IOM dead and missing at the "
        "US-Mexico border over "
        "the training months Oct 2018-May 2019 (derive/deaths_monthly.csv)",
    )
    par(
        "deterrence_elasticity",
        0.5,
        "1",
        assumption="starting value: departures respond less than "
        "proportionally to the reported success rate; not identifiable on the training months",
    )
    par(
        "deterrence_lag_days",
        30.0,
        "days",
        assumption="returnees' reports reach origin communities within about a month",
    )

    def off(name: str, unit: str, what: str, why: str) -> None:
        """A response left off: its strength is not identifiable on the training months."""
        par(
            name,
            0.0,
            unit,
            assumption=f"off: {what} is not identifiable on the training months ({why}); "
            "fit/sensitivity.py shows what it would do (docs/flagship.md)",
        )

    off(
        "departure_cost_response",
        "1/cost",
        "how strongly departures respond to the perceived cost of the journey",
        "departures are fitted month by month there",
    )
    off(
        "transit_cost_response",
        "1/cost",
        "how readily people on the way wait while the road ahead is perceived dearer than usual",
        "perceived costs hardly change before June 2019",
    )
    off(
        "announcement_belief",
        "fraction",
        "how much of the deal's announced deployment people believed before meeting it",
        "no announced event falls in them",
    )

    border_all = hz["border"]["_all"]
    mean_border_km = d["mean_border_km"]
    modes = {
        "road": {
            "speed_km_day": 400.0,
            "cost_per_km": 2.0,
            "hazard_per_1000km": q(mx["road"]),
            "exposure": 0.5,
            "source": "hazard: derive/hazards.csv (IOM 2014-2017 vehicle deaths in Mexico + "
            "ambient, per "
            "traversal-km)",
            "assumption": "smuggler or private vehicles: ~8 h driving a day; cost ~2 USD/km "
            "(smuggling fees of "
            "several thousand USD for the journey, not in the sources); exposure 0.5: hidden in "
            "trucks, checkpoints avoided or paid",
        },
        "bus": {
            "speed_km_day": 450.0,
            "cost_per_km": 0.06,
            "hazard_per_1000km": q(mx["bus"]),
            "exposure": 1.0,
            "source": "hazard: derive/hazards.csv (ambient deaths per traversal-km)",
            "assumption": "intercity buses with transfers ~450 km a day; fares ~1.2 MXN/km "
            "(~0.06 USD); exposure "
            "1.0 = reference: INM inspects buses at highway checkpoints",
        },
        "rail": {
            "speed_km_day": q(rail["speed"]),
            "cost_per_km": 0.03,
            "hazard_per_1000km": q(mx["rail"]),
            "exposure": 0.5,
            "source": (
                f"speed: la_bestia_rail_routes_compiled.csv, Arriaga->Ixtepec ride 12-16 h over "
                f"{rail['arriaga_km']:.0f} km (14 h taken, 24 h basis); the long-haul "
                "Lechería->Mexicali "
                f"~106 h over {rail['lecheria_km']:.0f} km gives {rail['longhaul_speed']:.0f} "
                "km/day "
                f"without waits; hazard: derive/hazards.csv (IOM 2014-2017 train deaths + ambient)"
            ),
            "assumption": "cost: extortion fees on the trains (no fare), not quantified in the "
            "sources; "
            "exposure 0.5: riders jump off before stations and checkpoints, INM raids trains",
        },
        "foot": {
            "speed_km_day": q(d["foot_speed"]),
            "cost_per_km": 0.0,
            "hazard_per_1000km": q(mx["foot"]),
            "exposure": 0.3,
            "source": (
                "speed: caravans_2018_2022_transcribed.csv, October 2021 caravan walked ~330 km "
                "from "
                "Tapachula 2021-10-23 to 2021-11-11 (walking pace of a group with children); "
                "hazard: "
                "derive/hazards.csv"
            ),
            "assumption": "exposure 0.3: paths avoid checkpoints",
        },
        "sea": {
            "speed_km_day": 200.0,
            "cost_per_km": 0.5,
            "hazard_per_1000km": q(mx["sea"]),
            "exposure": 0.2,
            "source": "hazard: derive/hazards.csv (IOM 2014-2017 drownings off the "
            "Chiapas/Oaxaca coast + ambient)",
            "assumption": "small boats ~10 km/h for ~20 h a day; fee ~0.5 USD/km; exposure 0.2: "
            "few patrols at sea",
        },
        "border": {
            "speed_km_day": 30.0,
            "cost_per_km": 0.0,
            "hazard_per_1000km": q(border_all / mean_border_km * 1000),
            "exposure": 1.0,
            "source": (
                f"hazard (default only; each border route has its own in routes.csv): all-sector "
                f"{border_all:.3g} deaths per crossing (derive/hazards.csv) / mean border route "
                f"{mean_border_km:.0f} km"
            ),
            "assumption": "speed: walking through desert or across the river ~30 km a day; cost "
            "0: crossing "
            "fees not quantified in the sources (included in road smuggling cost)",
        },
    }
    return {
        "name": "mexico-2019",
        "title": "Central America - Mexico - US corridor, Aug 2018 - Dec 2019 (flagship)",
        "description": (
            "Journeys from Guatemala, Honduras, El Salvador, elsewhere (OTHER) and Mexico to the "
            "US "
            "southwest border; two warm-up months (Aug-Sep 2018); fitted on months up to 2019-05, "
            "the months after the 7 June 2019 deal are a test. Every number: SOURCES.md."
        ),
        "ruleset": "corridor",
        "start_date": "2018-08-01",
        "end_date": "2019-12-31",
        "train_until": "2019-05-31",
        "scale": 1.0,
        "seed": 1,
        "nationalities": ["GT", "HN", "SV", "MX", "OTHER"],
        "age_groups": ["child", "adult"],
        "goal_kind": "us_arrival",
        "parameters": P,
        "modes": modes,
    }


def write(d: dict) -> dict:
    spec = build(d)
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=110)
    # dates as YAML dates (unquoted)
    for k in ("start_date", "end_date", "train_until"):
        text = text.replace(f"{k}: '{spec[k]}'", f"{k}: {spec[k]}")
    header = (
        "# Flagship scenario inputs. Generated by derive/make_all.py from "
        "../shared/data/corridor/sources;\n"
        "# edit the derive scripts, not this file. Every number's provenance: SOURCES.md.\n"
    )
    (SCENARIO / "scenario.yml").write_text(header + text, encoding="utf-8")
    return spec
