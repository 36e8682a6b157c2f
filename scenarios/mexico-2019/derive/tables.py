"""locations.csv, routes.csv, facilities.csv, detention.csv, returns.csv.

Facilities: official capacities from inm_detention_facilities_capacity_transcribed.csv; the rest of
the system (32 estaciones 3,705 + 26 estancias 660 = 4,365, minus the places listed here) is split
equally over four aggregate places (assumption: the sources do not say where the rest is).
Stays by Little's law (W = L / lambda) from the ASF audit 2011-2016: average occupancy of Siglo XXI
(1,869) and Acayucan (1,176) over the admissions of all 32 estaciones (7,725 per month). Only the
two largest stations' occupancy is known, so W is a lower bound for the system.
"""

from __future__ import annotations

import re

from common import SCENARIO, read_csv, src, write_csv
from places import AGGREGATES, FACILITIES

CAP_FILE = "inm_detention_facilities_capacity_transcribed.csv"
DAYS_PER_MONTH = 365.25 / 12
HUIXTLA_STAY = 2.0  # assumption: provisional stay (estancia provisional) is short
STAY_CV = 1.0  # assumption

# detention outcomes (see SOURCES.md for the derivation and the assumptions)
OTHER_P = {"p_deport": 0.05, "p_release_papers": 0.0, "p_release_order": 0.85, "p_asylum": 0.10}
REDEPARTURE = {  # nationality: (return place, redeparture_p, delay days) -- assumptions
    "GT": ("Return GT (Tecún Umán)", 0.4, 60),
    "HN": ("Return HN (Corinto)", 0.4, 60),
    "SV": ("Return SV (San Salvador)", 0.4, 60),
    "MX": ("Return MX (Ciudad Juárez)", 0.5, 14),
    "OTHER": ("Return OTHER (Mexico City)", 0.2, 90),
}


def capacities() -> tuple[dict[str, int], dict]:
    rows = {r["facility"]: (i, r) for i, r in enumerate(read_csv(src(CAP_FILE)), start=2)}
    caps, info = {}, {}
    for name, _host, label in FACILITIES:
        line, r = rows[label]
        m = re.search(r"\d[\d,]*", r["official_capacity"])
        caps[name] = int(m.group(0).replace(",", ""))
        info[name] = (line, r["official_capacity"], r["source"])
    total_em = int(rows["ALL 32 estaciones migratorias"][1]["official_capacity"])
    total_ep = int(rows["ALL 14 estancias tipo A + 12 tipo B"][1]["official_capacity"])
    rest = total_em + total_ep - sum(caps.values())
    n = len(AGGREGATES)
    for k, (name, _host) in enumerate(AGGREGATES):
        caps[name] = rest // n + (1 if k < rest % n else 0)
    info["_rest"] = (
        total_em,
        total_ep,
        rest,
        rows["ALL 32 estaciones migratorias"][0],
        rows["ALL 14 estancias tipo A + 12 tipo B"][0],
    )
    return caps, info


def stay_mean() -> tuple[float, str]:
    occ = 1869 + 1176
    adm = 7725 / DAYS_PER_MONTH
    w = occ / adm
    return w, (
        f"Little's law W = L/lambda = (1,869 + 1,176 avg occupancy of Siglo XXI and Acayucan) / "
        f"(7,725 admissions per month to the 32 estaciones / {DAYS_PER_MONTH:.2f}) = {w:.1f} days "
        f"({CAP_FILE}, ASF audit 2011-2016 via codicesoaxaca.com/archivos/577); lower bound"
    )


def write_locations(net: dict, facility_of: dict[str, tuple[str, float]]) -> None:
    rows = []
    caps, _ = capacities()
    for p in net["places"]:
        fac = facility_of.get(p["name"], ("", 0))[0]
        cap = caps.get(p["name"], "") if p["kind"] == "facility" else ""
        srcs = [
            f"coordinates: {p['coord_source']}",
            f"region: {'GeoNames admin1' if p['country'] == 'MX' else 'country'}",
        ]
        if p["note"]:
            srcs.append(p["note"])
        if p["kind"] == "facility":
            srcs.append(f"capacity: facilities.csv ({CAP_FILE})")
        if fac:
            srcs.append(f"facility: nearest by network km ({facility_of[p['name']][1]:.0f} km)")
        rows.append(
            [
                p["name"],
                p["kind"],
                p["country"],
                p["region"],
                p["death_region"],
                round(p["lat"], 6),
                round(p["lon"], 6),
                cap,
                fac,
                "; ".join(srcs),
            ]
        )
    write_csv(
        SCENARIO / "locations.csv",
        [
            "name",
            "kind",
            "country",
            "region",
            "death_region",
            "lat",
            "lon",
            "capacity",
            "facility",
            "source",
        ],
        rows,
    )


def write_routes(net: dict, border_hazard: dict[str, float]) -> None:
    rows = []
    for r in net["routes"]:
        hazard = ""
        srcs = r["source"]
        if r["mode"] == "border":
            hazard = float(f"{border_hazard[r['to']]:.4g}")
            srcs += (
                "; hazard = IOM dead+missing 2014-2017 of the sector / (USBP apprehensions "
                "cy2014-2017 / "
                "p_apprehend) (derive/hazards.csv)"
            )
        rows.append(
            [
                r["from"],
                r["to"],
                r["mode"],
                round(r["km"], 1),
                r["two_way"],
                hazard,
                r.get("id", ""),
                srcs,
            ]
        )
    write_csv(
        SCENARIO / "routes.csv",
        ["from", "to", "mode", "km", "two_way", "hazard", "id", "source"],
        rows,
    )


def write_facilities() -> dict:
    caps, info = capacities()
    w, how = stay_mean()
    rows = []
    for name, _host, _label in FACILITIES:
        line, raw, s = info[name]
        mean = HUIXTLA_STAY if "Huixtla" in name else w
        stay_src = (
            f"stay: assumption {HUIXTLA_STAY:g} days (estancia provisional, short holding before "
            "transfer)"
            if "Huixtla" in name
            else f"stay: {how}"
        )
        rows.append(
            [
                name,
                caps[name],
                round(mean, 2),
                round(mean * STAY_CV, 2),
                f"capacity: {CAP_FILE} line {line} ('{raw}'; {s}); {stay_src}; sd = mean x "
                f"{STAY_CV} (assumption)",
            ]
        )
    em, ep, rest, l1, l2 = info["_rest"]
    for name, _host in AGGREGATES:
        rows.append(
            [
                name,
                caps[name],
                round(w, 2),
                round(w * STAY_CV, 2),
                f"capacity: ({em} estaciones line {l1} + {ep} estancias line {l2} - listed "
                f"places) = {rest}, "
                f"split equally over {len(AGGREGATES)} aggregates (assumption); stay: {how}; sd "
                f"= mean x {STAY_CV} "
                f"(assumption)",
            ]
        )
    write_csv(
        SCENARIO / "facilities.csv",
        ["place", "capacity", "stay_mean_days", "stay_sd_days", "source"],
        rows,
    )
    return {"stay_mean": w, "caps": caps, "rest": rest}


def detention_rows(obs_mx: list[list]) -> tuple[list[list], dict]:
    val = {(s, p): v for s, p, v, *_ in obs_mx}
    months = ["2018-12", "2019-01", "2019-02", "2019-03", "2019-04"]
    dev = sum(val[("mx_returns", m)] for m in months)
    pre = sum(val[("mx_detentions", m)] for m in months)
    # Central American share of presentados where both are reported (Jan and Apr 2019)
    ca_rows = {
        r["period"]: float(r["value"])
        for r in read_csv(
            src("mexico_upm_inm_detentions_returns_reported_2018_2021_transcribed.csv")
        )
        if r["metric"] == "presentados" and r["nationality"] == "Central America"
    }
    ca_share = (ca_rows["2019-01"] + ca_rows["2019-04"]) / (
        val[("mx_detentions", "2019-01")] + val[("mx_detentions", "2019-04")]
    )
    p_dep = round(dev / pre / ca_share, 4)
    rest = 1 - p_dep
    each = round(rest / 3, 4)
    ntca = [p_dep, each, each, round(1 - p_dep - 2 * each, 4)]
    src_ntca = (
        f"p_deport = devueltos / presentados Dec 2018-Apr 2019 ({dev:.0f}/{pre:.0f} = "
        f"{dev / pre:.3f}, observed/"
        "mexico_detentions_returns.csv) / Central American share of presentados "
        f"({ca_share:.3f}, Jan+Apr 2019, "
        "La Jornada/UPM rows of the transcribed file), assuming devueltos are Central "
        "Americans; the rest "
        "split equally between papers (TVRH/regional visitor cards), order to leave and asylum "
        "(assumption)"
    )
    rows = [[n, *ntca, src_ntca] for n in ("GT", "HN", "SV")]
    rows.append(
        [
            "MX",
            0.0,
            1.0,
            0.0,
            0.0,
            "assumption: Mexican nationals are citizens and cannot be held by INM; "
            "an intercepted Mexican is released with papers (the engine should not intercept "
            "them at all)",
        ]
    )
    rows.append(
        [
            "OTHER",
            OTHER_P["p_deport"],
            OTHER_P["p_release_papers"],
            OTHER_P["p_release_order"],
            OTHER_P["p_asylum"],
            "assumption: extra-continental and other nationals are rarely deported from "
            "Mexico (devueltos are almost all Central Americans, see GT row); most leave with an "
            "order to "
            "leave the country (oficio de salida), some claim asylum",
        ]
    )
    return rows, {"p_deport_ntca": p_dep, "ca_share": ca_share, "ratio": dev / pre}


def write_detention(obs_mx: list[list]) -> dict:
    rows, info = detention_rows(obs_mx)
    write_csv(
        SCENARIO / "detention.csv",
        ["nationality", "p_deport", "p_release_papers", "p_release_order", "p_asylum", "source"],
        rows,
    )
    return info


def write_returns() -> None:
    rows = []
    for nat, (place, p, delay) in REDEPARTURE.items():
        rows.append(
            [
                nat,
                place,
                p,
                delay,
                "place: assumption (one return point per nationality; see SOURCES.md); "
                "redeparture_p and "
                "delay: assumption (no recidivism figure in the sources; starting values)",
            ]
        )
    write_csv(
        SCENARIO / "returns.csv",
        ["nationality", "place", "redeparture_p", "redeparture_delay_days", "source"],
        rows,
    )
