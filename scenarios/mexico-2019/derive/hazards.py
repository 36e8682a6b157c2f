"""Hazards (probability of death or going missing) by mode and, for the border, by USBP sector.

Pre-period only: calendar years 2014-2017. Nothing from 2018-08 on is used (the simulated period).

Border (per traversal of a border route, by sector):
    hazard_s = D_s / (A_s / P_APPREHEND)
    D_s = IOM dead + missing 2014-2017 flagged "US-Mexico border crossing" (2023 file), assigned to
          the sector of the nearest border city of locations.csv where the incident's coordinates
          lie within 150 km of one, else of a border city its location text names (see _sector);
          the rest, with a cumulative count located "Mixed", spread in proportion;
    A_s = USBP apprehensions of the sector, calendar years 2014-2017
          (usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv, summed by its `cy` column);
    P_APPREHEND = share of crossers not turning back who are apprehended (kveo.com 2013, USBP
          estimate for 2011: 61% apprehended, 16% got away -> 0.61 / 0.77).
Inside Mexico and Guatemala (per 1000 km, by mode):
    h_mode = 1000 * (D_ambient / K + D_mode / (K * SHARE_KM[mode]))
    D_* = IOM dead + missing 2014-2017 in Mexico (snapshot file with detailed causes), per year,
          split by iom.mode_category; "ambient" deaths (violence, sickness, unknown) fall on every
          mode;
    K = traversal-km per year = T * L;
    T = journeys through Mexico per year = PRESENTADOS_2018 + NONMEX_SHARE * A_SW / P_APPREHEND
          (Mexican interceptions + those reaching the US border);
    L = median network km from Ciudad Hidalgo to the 14 border cities (shortest path, all modes but
          border);
    SHARE_KM = assumed split of journey km by mode (no source gives one).
"""

from __future__ import annotations

import iom
import numpy as np
import pandas as pd
from common import HERE, src, write_csv
from network import BORDER_LINKS, SECTOR_COLUMN, distance_matrix

PRE_YEARS = (2014, 2015, 2016, 2017)
P_APPREHEND = 0.61 / (0.61 + 0.16)
P_APPREHEND_SOURCE = (
    "kveo.com 2013-04-22 'Border Patrol estimates apprehension rate' (USBP, 2011): 61% of "
    "would-be crossers apprehended, 23% turn back, 16% get away; apprehended among those "
    "who do not turn back = 0.61/(0.61+0.16)"
)
# mexico_upm_inm_detentions_returns_reported_2018_2021_transcribed.csv row 2018 (jornada)
PRESENTADOS_2018 = 131445
NONMEX_SHARE = 0.5  # assumption, see SOURCES.md
SHARE_KM = {"bus": 0.45, "road": 0.30, "rail": 0.20, "foot": 0.04, "sea": 0.01}  # assumption
MODE_OF_CATEGORY = {"rail": "rail", "road_vehicle": "road", "foot": "foot", "sea": "sea"}


def usbp_cy(years: tuple[int, ...] = PRE_YEARS) -> pd.DataFrame:
    u = pd.read_csv(src("usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv"), sep="|")
    return u[u["cy"].isin(years)]


def _sector(loc: str, coords: tuple | None, bcity: list[dict], sector_of_city: dict) -> str | None:
    """The USBP sector of a border incident (``loc``: its folded location text): that of the
    nearest border city where the coordinates lie within iom.NEAR_PLACE_KM of one; else that
    of a border city the text names; else None (spread in proportion with the unlocated).
    Coordinates farther out are stand-ins (a state's centre for incidents near Piedras Negras or
    Reynosa), and a cumulative count whose location is "Mixed" has coordinates but no place."""
    if loc.strip() == "mixed":
        return None
    if coords is not None:
        p, d = iom.nearest(bcity, *coords)
        if d <= iom.NEAR_PLACE_KM:
            return sector_of_city[p["name"]]
    for p in bcity:
        if iom.fold(p["name"]).removeprefix("ciudad ") in loc:
            return sector_of_city[p["name"]]
    return None


def border_hazards(net: dict, iom2023: pd.DataFrame) -> tuple[dict, list[list]]:
    places = net["places"]
    bcity = [p for p in places if p["kind"] == "border_city"]
    sector_of_city = dict(BORDER_LINKS)
    b = iom2023[(iom2023["zone"] == "us_mexico_border") & iom2023["year"].isin(PRE_YEARS)].copy()
    b["sector"] = [
        _sector(loc, c, bcity, sector_of_city) for loc, c in zip(b["loc"], b["coords"], strict=True)
    ]
    no_coords = float(b.loc[b["sector"].isna(), "dm"].sum())
    u = usbp_cy()
    rows, out = [], {}
    d_tot = float(b["dm"].sum())
    d_loc = float(b.loc[b["sector"].notna(), "dm"].sum())
    for place, col in SECTOR_COLUMN.items():
        d = float(b.loc[b["sector"] == place, "dm"].sum())
        d_scaled = d * d_tot / d_loc  # incidents without coordinates spread in proportion
        a = float(u[col].sum())
        h = d_scaled / (a / P_APPREHEND)
        out[place] = h
        rows.append(
            [
                "border",
                place,
                "deaths_2014_2017",
                d,
                "IOM 2023 file, US-Mexico border crossing, nearest border city (150 km) or named",
            ]
        )
        rows.append(
            [
                "border",
                place,
                "deaths_2014_2017_incl_unlocated",
                d_scaled,
                f"+ share of {no_coords:g} without coordinates",
            ]
        )
        rows.append(
            [
                "border",
                place,
                "usbp_apprehensions_cy2014_2017",
                a,
                f"usbp psv column {col}, cy 2014-2017",
            ]
        )
        rows.append(
            ["border", place, "hazard_per_traversal", h, "deaths / (apprehensions / p_apprehend)"]
        )
    a_all = float(u["southwest_border"].sum())
    out["_all"] = d_tot / (a_all / P_APPREHEND)
    rows.append(["border", "all sectors", "deaths_2014_2017", d_tot, "IOM 2023 file"])
    rows.append(
        [
            "border",
            "all sectors",
            "usbp_apprehensions_cy2014_2017",
            a_all,
            "usbp psv southwest_border",
        ]
    )
    rows.append(["border", "all sectors", "hazard_per_traversal", out["_all"], ""])
    return out, rows


def mexico_hazards(net: dict) -> tuple[dict, list[list], dict]:
    snap = iom.load_snapshot()
    c = snap[(snap["Region of Incident"] == "Central America") & snap["year"].isin(PRE_YEARS)]
    c = c[c["loc"].str.contains("mexico")]
    c = c.assign(cat=[iom.mode_category(a, b) for a, b in zip(c["cause"], c["loc"], strict=True)])
    per_year = c.groupby("cat")["dm"].sum() / len(PRE_YEARS)
    u = usbp_cy()
    a_sw = float(u["southwest_border"].sum()) / len(PRE_YEARS)
    t = PRESENTADOS_2018 + NONMEX_SHARE * a_sw / P_APPREHEND
    names, dist = distance_matrix(net)
    idx = {n: i for i, n in enumerate(names)}
    bcs = [p["name"] for p in net["places"] if p["kind"] == "border_city"]
    lens = [dist[idx["Ciudad Hidalgo"], idx[b]] for b in bcs]
    length = float(np.median(lens))
    k = t * length
    ambient = float(per_year.get("ambient", 0.0))
    haz = {}
    rows = [
        [
            "mexico",
            "all",
            "usbp_sw_apprehensions_per_year_cy2014_2017",
            a_sw,
            "usbp psv southwest_border, cy mean",
        ],
        [
            "mexico",
            "all",
            "journeys_per_year_T",
            t,
            f"{PRESENTADOS_2018} + {NONMEX_SHARE} x A_SW / {P_APPREHEND:.4f}",
        ],
        [
            "mexico",
            "all",
            "journey_km_L",
            length,
            "median network km Ciudad Hidalgo -> border cities",
        ],
        ["mexico", "all", "traversal_km_per_year_K", k, "T x L"],
    ]
    for cat, v in per_year.items():
        rows.append(
            [
                "mexico",
                cat,
                "deaths_per_year_2014_2017",
                float(v),
                "IOM snapshot 2020-01-08, Mexico, iom.mode_category",
            ]
        )
    for mode, share in SHARE_KM.items():
        cat = {v: k_ for k_, v in MODE_OF_CATEGORY.items()}.get(mode)
        d_mode = float(per_year.get(cat, 0.0)) if cat else 0.0
        h = 1000 * (ambient / k + d_mode / (k * share))
        haz[mode] = h
        rows.append(["mexico", mode, "share_of_journey_km", share, "assumption"])
        rows.append(
            ["mexico", mode, "hazard_per_1000km", h, "1000 x (ambient/K + D_mode/(K x share))"]
        )
    info = {"T": t, "L": length, "K": k, "per_year": per_year.to_dict(), "a_sw": a_sw}
    return haz, rows, info


def missing_share(iom2023: pd.DataFrame) -> tuple[float, list[list]]:
    pre = iom2023[
        iom2023["year"].isin(PRE_YEARS)
        & iom2023["zone"].isin(
            [
                "us_mexico_border",
                "mexico_south",
                "mexico_isthmus_gulf",
                "mexico_centre",
                "mexico_north",
                "guatemala",
                "unlocated",
            ]
        )
    ]
    m, dm = float(pre["missing"].sum()), float(pre["dm"].sum())
    return m / dm, [
        ["all", "corridor", "missing_2014_2017", m, "IOM 2023 file"],
        ["all", "corridor", "dead_and_missing_2014_2017", dm, "IOM 2023 file"],
        ["all", "corridor", "missing_share", m / dm, "missing / (dead + missing)"],
    ]


def compute(net: dict) -> dict:
    iom2023 = iom.load_2023(net["places"])
    border, r1 = border_hazards(net, iom2023)
    mexico, r2, info = mexico_hazards(net)
    ms, r3 = missing_share(iom2023)
    write_csv(HERE / "hazards.csv", ["scope", "item", "quantity", "value", "how"], r1 + r2 + r3)
    return {
        "border": border,
        "mexico": mexico,
        "missing_share": ms,
        "info": info,
        "iom2023": iom2023,
    }


if __name__ == "__main__":
    import network

    res = compute(network.build())
    for k, v in res.items():
        if k != "iom2023":
            print(k, v)
