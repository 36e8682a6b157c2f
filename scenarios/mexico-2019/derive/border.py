"""border.csv: US border rules per border route (crossing) and date.

p_apprehend = P_APPREHEND (hazards.py: USBP 2011 estimate, apprehended among those who do not
turn back).

Rows per nationality: CBP's encounters split by demographic differ by citizenship (over the
training months, about 81 % of Mexicans but 18 % of Guatemalans were single adults), so one
release share for everyone would release most apprehended Mexicans and remove too many Central
Americans.

Fates of the apprehended (no Title 42 before 2020-03, so p_expel = 0 in the whole period):
- before MPP: p_release = R_n, p_remove = 1 - R_n, where R_n = share of family-unit members and
  minors (FMUA + UC/Single Minors + Accompanied Minors) among CBP southwest-border encounters of
  citizenship n, Oct 2018 - May 2019 (verbatim CBP file). Mapping (assumption, the 2019 practice):
  family units and children are released into the US pending proceedings; single adults are
  removed.
- with MPP (from the city's start date; not for Mexicans): p_mpp = M, p_release = R_n - M,
  p_remove = 1 - R_n. M = MPP returns to Tijuana, Mexicali and Ciudad Juárez 2019-01-29..2019-04-08
  (1,323, INM via informador.mx) / non-Mexican USBP apprehensions of the San Diego, El Centro and El
  Paso sectors over the days each city's MPP was in force in that window: the sectors' apprehensions
  (psv, days pro rata) times the non-Mexican share of USBP apprehensions along the whole border in
  February-March 2019 (CBP file; the sectors' own split by citizenship is not in the sources:
  assumption). Only data up to April 2019. Later cities take the same M (assumption). MPP was
  halted by a court 2019-04-08 and resumed
  2019-04-16 (policy timeline): no MPP row is in force on those days for the cities then in
  operation, so the base row applies. Base rows run to the end of the period; MPP rows start later,
  come later in the file and win while in force ("later row wins", docs/scenario-format.md).
- the deal of 7 June 2019 (event us-mx-deal-2019-06) "immediately" expanded MPP across the
  southern border (policy timeline): from max(7 June, the city's start) every MPP city takes
  p_mpp = M2, p_release = R_n - M2, where M2 = USBP MPP enrolments in January 2020, the first
  month CBP gives by sector (transcribed CBP file), / non-Mexican USBP apprehensions along the
  southwest border that month (CBP file by citizenship). Both are Border Patrol's alone, and
  January 2020 lies after the period, so no month the model is validated on enters it. These
  rows come last, so they win while in force, and dropping the deal (corridor compare
  --without) leaves each city its earlier rate.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from common import SCENARIO, src, write_csv
from hazards import P_APPREHEND, P_APPREHEND_SOURCE
from network import BORDER_LINKS
from observed import cbp_monthly
from profiles import NAT  # CBP citizenship grouping -> nationality code

START, END = dt.date(2018, 8, 1), dt.date(2019, 12, 31)
MPP_RETURNS_EARLY = (
    1323  # mpp_returns_by_mexican_city_2019_transcribed.csv line 2 (informador.mx, INM)
)
MPP_WAIT_DAYS = 90  # assumption
# city: (start date, how the date is known, mpp_city, event id)
MPP = {
    "Tijuana": (
        dt.date(2019, 1, 29),
        "policy_timeline row 2019-01-29 (first returns San Ysidro -> Tijuana)",
        "Tijuana",
    ),
    "Mexicali": (
        dt.date(2019, 3, 15),
        "policy_timeline row 2019-03 (in operation in March; exact date not read: "
        "assumption mid-month)",
        "Mexicali",
    ),
    "Ciudad Juárez": (
        dt.date(2019, 3, 15),
        "policy_timeline row 2019-03 (in operation in March; exact date not read: "
        "assumption mid-month)",
        "Ciudad Juárez",
    ),
    "Nuevo Laredo": (dt.date(2019, 7, 9), "policy_timeline row 2019-07-09", "Nuevo Laredo"),
    "Matamoros": (
        dt.date(2019, 7, 19),
        "policy_timeline row 2019-07-19 (Rio Grande Valley, Brownsville -> Matamoros)",
        "Matamoros",
    ),
    "Reynosa": (
        dt.date(2019, 7, 19),
        "policy_timeline row 2019-07-19: Rio Grande Valley sector; returns to Matamoros "
        "(assumption: the sector's MPP port)",
        "Matamoros",
    ),
    "Piedras Negras": (
        dt.date(2019, 10, 28),
        "policy_timeline row 2019-10-28 (Eagle Pass -> Piedras Negras)",
        "Piedras Negras",
    ),
    "Ciudad Acuña": (
        dt.date(2019, 10, 28),
        "policy_timeline row 2019-10-28: Del Rio sector; returns via Eagle Pass "
        "to Piedras Negras (assumption)",
        "Piedras Negras",
    ),
}
EVENT = {
    "Tijuana": "mpp-tijuana",
    "Mexicali": "mpp-mexicali",
    "Ciudad Juárez": "mpp-ciudad-juarez",
    "Nuevo Laredo": "mpp-nuevo-laredo",
    "Matamoros": "mpp-matamoros",
    "Reynosa": "mpp-matamoros",
    "Piedras Negras": "mpp-piedras-negras",
    "Ciudad Acuña": "mpp-piedras-negras",
}
INJUNCTION = (dt.date(2019, 4, 8), dt.date(2019, 4, 15))
DEAL = (dt.date(2019, 6, 7), "us-mx-deal-2019-06")
MPP_ENROLMENTS = "cbp_mpp_enrollments_by_sector_2020-01_2021-01_transcribed.csv"


FAMILIES_AND_MINORS = ["FMUA", "UC / Single Minors", "Accompanied Minors"]


def release_shares() -> tuple[dict[str, float], dict]:
    """R_n per nationality over the training months, with the counts behind it."""
    c = cbp_monthly()
    c = c[(c["month"] >= "2018-10") & (c["month"] <= "2019-05")]
    shares, counts = {}, {}
    for cit, nat in NAT.items():
        n = c[c["Citizenship Grouping"] == cit]
        tot = float(n["Encounter Count"].sum())
        fam = float(n.loc[n["Demographic"].isin(FAMILIES_AND_MINORS), "Encounter Count"].sum())
        shares[nat] = fam / tot
        counts[nat] = {"families_and_minors": fam, "all": tot}
    return shares, counts


def non_mexican_share() -> float:
    """Non-Mexican share of USBP apprehensions along the southwest border, February-March 2019."""
    c = cbp_monthly()
    c = c[c["month"].isin(["2019-02", "2019-03"]) & (c["Component"] == "U.S. Border Patrol")]
    tot = float(c["Encounter Count"].sum())
    return float(c.loc[c["Citizenship Grouping"] != "Mexico", "Encounter Count"].sum()) / tot


def mpp_share() -> tuple[float, dict]:
    u = pd.read_csv(src("usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv"), sep="|")

    def month_val(col: str, y: int, m: int) -> float:
        return float(u[(u["cy"] == y) & (u["month"] == m)][col].iloc[0])

    def window(col: str, a: dt.date, b: dt.date) -> float:  # inclusive, pro rata by days
        tot, d = 0.0, a
        while d <= b:
            nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            ndays = (nxt - d.replace(day=1)).days
            tot += month_val(col, d.year, d.month) / ndays
            d += dt.timedelta(days=1)
        return tot

    end = INJUNCTION[0]
    parts = {
        "san_diego": window("san_diego", MPP["Tijuana"][0], end),
        "el_centro": window("el_centro", MPP["Mexicali"][0], end),
        "el_paso": window("el_paso", MPP["Ciudad Juárez"][0], end),
    }
    share = non_mexican_share()
    denom = sum(parts.values()) * share
    return MPP_RETURNS_EARLY / denom, {**parts, "non_mexican_share": share, "denominator": denom}


def mpp_share_expanded() -> tuple[float, dict]:
    """M2: the expanded programme's share of non-Mexican apprehensions, January 2020 (USBP)."""
    e = pd.read_csv(src(MPP_ENROLMENTS))
    e = e[(e["month"] == "2020-01") & (e["component"] == "USBP")]
    enrolled = float(e["mpp_enrollments"].sum())
    c = cbp_monthly()
    c = c[(c["month"] == "2020-01") & (c["Component"] == "U.S. Border Patrol")]
    non_mx = float(c.loc[c["Citizenship Grouping"] != "Mexico", "Encounter Count"].sum())
    return enrolled / non_mx, {
        "usbp_enrolments_2020_01": enrolled,
        "usbp_non_mexican_2020_01": non_mx,
        "usbp_all_2020_01": float(c["Encounter Count"].sum()),
    }


def rows() -> tuple[list[list], dict]:
    shares, counts = release_shares()
    m, minfo = mpp_share()
    m = round(m, 6)
    m2, m2info = mpp_share_expanded()
    m2 = round(m2, 6)
    src_m2 = (
        f"MPP expanded across the southern border by the deal of 2019-06-07 (policy_timeline "
        f"row 2019-06-07); p_mpp {m2} = {m2info['usbp_enrolments_2020_01']:.0f} USBP MPP "
        f"enrolments 2020-01 ({MPP_ENROLMENTS}, all sectors) / "
        f"{m2info['usbp_non_mexican_2020_01']:.0f} non-Mexican USBP apprehensions 2020-01 "
        "(cbp_sbo_encounters_fy19_fy22_by_citizenship.csv); the first month with sector figures, "
        "after the period"
    )
    deal_rows: list[list] = []
    out = []
    src_pa = f"p_apprehend {P_APPREHEND:.4f}: {P_APPREHEND_SOURCE}"
    src_m = (
        f"p_mpp {m} = {MPP_RETURNS_EARLY} MPP returns to Tijuana/Mexicali/Ciudad Juárez "
        "2019-01-29..04-08 "
        "(mpp_returns_by_mexican_city_2019_transcribed.csv, informador.mx/INM) / "
        f"{minfo['denominator']:.0f} "
        "non-Mexican USBP apprehensions of San Diego, El Centro and El Paso sectors over the "
        "days MPP ran there "
        f"(usbp psv, pro rata, x non-Mexican share {minfo['non_mexican_share']:.4f} of USBP "
        "apprehensions "
        f"Feb-Mar 2019 from the CBP file: assumption that the sectors' split is the border's)"
    )
    pa = round(P_APPREHEND, 6)
    for city, _sector in BORDER_LINKS:
        cid = f"bc:{city}"
        for cit, nat in NAT.items():
            r = round(shares[nat], 6)
            k = counts[nat]
            src_r = (
                f"p_release {r} = (FMUA + UC/Single Minors + Accompanied Minors) / CBP SW "
                "encounters of "
                f"citizenship {cit} 2018-10..2019-05 "
                f"({k['families_and_minors']:.0f}/{k['all']:.0f}, "
                "cbp_sbo_encounters_fy19_fy22_by_citizenship.csv); families and minors "
                "released, single "
                f"adults removed (assumption); no expulsions before Title 42 (2020-03)"
            )
            base = [pa, r, 0.0, 0.0, round(1 - r, 6)]
            if city not in MPP or nat == "MX":
                why = (
                    "no MPP at this crossing in 2019"
                    if city not in MPP
                    else "MPP is not for Mexican nationals"
                )
                out.append([cid, nat, START, "", *base, "", "", "", f"{src_pa}; {src_r}; {why}"])
                continue
            start, how, mcity = MPP[city]
            ev = EVENT[city]
            # the base row stays in force to the end; MPP rows (later start, later in the file)
            # override it while they are in force, so dropping the event (corridor compare
            # --without) restores the base
            out.append([cid, nat, START, "", *base, "", "", "", f"{src_pa}; {src_r}"])
            with_mpp = [pa, round(r - m, 6), m, 0.0, round(1 - r, 6)]
            later = (
                ""
                if city in ("Tijuana", "Mexicali", "Ciudad Juárez")
                else "; later city: same p_mpp as the early cities (assumption)"
            )
            if start < INJUNCTION[0]:
                out.append(
                    [
                        cid,
                        nat,
                        start,
                        INJUNCTION[0] - dt.timedelta(days=1),
                        *with_mpp,
                        mcity,
                        MPP_WAIT_DAYS,
                        ev,
                        f"MPP start: {how}; {src_m}; mpp_wait_days assumption; MPP halted by a "
                        "federal "
                        f"judge 2019-04-08 (base row in force 2019-04-08..15)",
                    ]
                )
                out.append(
                    [
                        cid,
                        nat,
                        INJUNCTION[1] + dt.timedelta(days=1),
                        "",
                        *with_mpp,
                        mcity,
                        MPP_WAIT_DAYS,
                        ev,
                        f"MPP resumed 2019-04-16 per INM (policy_timeline row 2019-04-08); {src_m}",
                    ]
                )
            else:
                out.append(
                    [
                        cid,
                        nat,
                        start,
                        "",
                        *with_mpp,
                        mcity,
                        MPP_WAIT_DAYS,
                        ev,
                        f"MPP start: {how}; {src_m}{later}; mpp_wait_days assumption",
                    ]
                )
            deal_rows.append(
                [
                    cid,
                    nat,
                    max(start, DEAL[0]),
                    "",
                    pa,
                    round(r - m2, 6),
                    m2,
                    0.0,
                    round(1 - r, 6),
                    mcity,
                    MPP_WAIT_DAYS,
                    DEAL[1],
                    f"{src_m2}; MPP at this city from {start} ({how})",
                ]
            )
    out += deal_rows  # last in the file: they win while in force
    info = {
        "p_release": {n: round(v, 6) for n, v in shares.items()},
        "p_mpp": m,
        "p_mpp_after_deal": m2,
        **m2info,
        "p_apprehend": pa,
        "release_counts": counts,
        **minfo,
    }
    return out, info


def main() -> dict:
    out, info = rows()
    write_csv(
        SCENARIO / "border.csv",
        [
            "crossing",
            "nationality",
            "start",
            "end",
            "p_apprehend",
            "p_release",
            "p_mpp",
            "p_expel",
            "p_remove",
            "mpp_city",
            "mpp_wait_days",
            "event",
            "source",
        ],
        out,
    )
    return info


if __name__ == "__main__":
    print(main())
