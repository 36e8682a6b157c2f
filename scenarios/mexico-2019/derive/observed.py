"""observed/*.csv: the series the flagship scenario is validated against.

- observed/encounters.csv: CBP southwest land border encounters (USBP + OFO, Title 8 + Title 42)
  by citizenship and calendar month 2018-10 .. 2019-12, summed from the VERBATIM CBP file and
  checked,
  month by month, against the shared derived file (scope all_cbp); any difference stops the script.
- observed/mexico_detentions_returns.csv: UPM/INM presentados (mx_detentions) and devueltos
  (mx_returns), one chosen value per month (choice rule in CHOICE and SOURCES.md), alternatives in
  the note; annual totals as period YYYY rows.
- observed/deaths.csv: IOM dead + missing by death zone (death_region of locations.csv) and year,
  2018 and 2019, from the 2023 IOM file with the zone rule of iom.py.
- observed/mpp_returns.csv: people returned to Mexico under MPP in 2019 (INM yearly total).
"""

from __future__ import annotations

import iom
import pandas as pd
from common import SCENARIO, read_csv, src, write_csv

CBP_VERBATIM = "cbp_sbo_encounters_fy19_fy22_by_citizenship.csv"
CBP_DERIVED = "cbp_swb_encounters_monthly_by_citizenship_2018-10_2022-09_derived.csv"
SERIES = {
    "Guatemala": "encounters_GT",
    "Honduras": "encounters_HN",
    "El Salvador": "encounters_SV",
    "Mexico": "encounters_MX",
    "Other": "encounters_other",
}
MONTH_NUM = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def calendar_month(fy: int, mon: str) -> str:
    m = MONTH_NUM[mon]
    year = fy - 1 if m >= 10 else fy
    return f"{year}-{m:02d}"


def cbp_monthly() -> pd.DataFrame:
    """Encounters by calendar month x citizenship (all components, demographics, titles) from the
    verbatim file."""
    c = pd.read_csv(src(CBP_VERBATIM))
    c["month"] = [
        calendar_month(int(f), m) for f, m in zip(c["Fiscal Year"], c["Month (abbv)"], strict=True)
    ]
    return c


def encounters() -> list[list]:
    c = cbp_monthly()
    g = c.groupby(["month", "Citizenship Grouping"])["Encounter Count"].sum()
    derived = {r["month"]: r for r in read_csv(src(CBP_DERIVED)) if r["scope"] == "all_cbp"}
    rows = []
    months = [m for m in sorted({m for m, _ in g.index}) if "2018-10" <= m <= "2019-12"]
    for m in months:
        for cit, series in SERIES.items():
            v = float(g.get((m, cit), 0.0))
            d = float(derived[m][cit])
            if abs(v - d) > 0.5:
                raise SystemExit(f"CBP check failed: {m} {cit}: verbatim sum {v} != derived {d}")
            rows.append(
                [
                    series,
                    m,
                    v,
                    f"{CBP_VERBATIM}: sum of Encounter Count, citizenship {cit}, "
                    f"all components/demographics/titles, FY month -> calendar month",
                    f"equals {CBP_DERIVED} scope all_cbp",
                ]
            )
    return rows


# Choice rule for the Mexican series (see SOURCES.md):
# 1. a figure attributed to UPM (the statistics unit) beats one attributed to INM press statements;
# 2. among UPM figures, the series whose Jan-Apr 2019 months add up to the INM cumulative Jan-Apr
#    (presentados 52,205) is kept, so months of one series are not mixed with another's;
# 3. where one figure exists, it is used; a partial month (2019-06-01..24) is never used.
TRANSCRIBED = "mexico_upm_inm_detentions_returns_reported_2018_2021_transcribed.csv"
CHOICE = {
    # (series, period): (chosen value, source URL fragment of the chosen row)
    ("mx_detentions", "2018-12"): "amp.milenio.com",
    ("mx_detentions", "2019-01"): "diario.elmundo.sv",
    ("mx_detentions", "2019-02"): "diario.elmundo.sv",
    ("mx_detentions", "2019-03"): "diario.elmundo.sv",
    ("mx_detentions", "2019-04"): "diario.elmundo.sv",
    ("mx_detentions", "2019-05"): "michellerivera.com.mx",
    ("mx_detentions", "2019-06"): "eleconomista.com.mx",
    ("mx_detentions", "2019-07"): "eleconomista.com.mx",
    ("mx_detentions", "2018"): "jornada.com.mx/noticia/2020/01/03",
    ("mx_detentions", "2019"): "milenio.com/ciencia-y-salud",
    ("mx_returns", "2018-12"): "amp.milenio.com",
    ("mx_returns", "2019-01"): "themazatlanpost.com",
    ("mx_returns", "2019-02"): "themazatlanpost.com",
    ("mx_returns", "2019-03"): "amp.milenio.com",
    ("mx_returns", "2019-04"): "japantoday.com",
    ("mx_returns", "2019-06"): "eleconomista.com.mx",
    ("mx_returns", "2019-07"): "eleconomista.com.mx",
}
METRIC = {"presentados": "mx_detentions", "devueltos": "mx_returns"}


def mexico_series() -> list[list]:
    rows_in = read_csv(src(TRANSCRIBED))
    cand: dict[tuple[str, str], list[dict]] = {}
    for i, r in enumerate(rows_in, start=2):
        if r["nationality"] != "all" or r["metric"] not in METRIC or r["note"].startswith("state="):
            continue
        per = r["period"]
        if not (len(per) == 7 or len(per) == 4):  # months YYYY-MM and years YYYY only
            continue
        if not ("2018" <= per[:4] <= "2019"):
            continue
        cand.setdefault((METRIC[r["metric"]], per), []).append({**r, "line": i})
    out = []
    for key, frag in CHOICE.items():
        opts = cand[key]
        chosen = [o for o in opts if frag in o["source"]]
        assert len(chosen) == 1, (key, opts)
        ch = chosen[0]
        alts = [
            f"{o['value']} ({o['source'].split('/')[2] if '//' in o['source'] else o['source']}, "
            f"line {o['line']})"
            for o in opts
            if o is not ch
        ]
        note = ("alternatives: " + "; ".join(alts)) if alts else "single value in the source file"
        if ch["note"]:
            note += f" | source note: {ch['note']}"
        out.append(
            [
                key[0],
                key[1],
                float(ch["value"]),
                f"{TRANSCRIBED} line {ch['line']}: {ch['source']}",
                note,
            ]
        )
    return out


def deaths(places: list[dict]) -> list[list]:
    df = iom.load_2023(places)
    zones = sorted(
        {p["death_region"] for p in places if p["kind"] not in ("return_point", "facility")}
        - {"honduras", "el_salvador"}
    )
    rows = []
    for year in (2018, 2019):
        sub = df[df["year"] == year]
        for z in zones:
            v = float(sub.loc[sub["zone"] == z, "dm"].sum())
            n = int((sub["zone"] == z).sum())
            rows.append(
                [
                    f"deaths_{z}",
                    str(year),
                    v,
                    f"{iom.FILE_2023}: Total Number of Dead and Missing, "
                    f"Incident year {year}, zone rule of derive/iom.py",
                    f"{n} incidents; IOM counts are a floor (deaths found and reported)",
                ]
            )
        left = sub[~sub["zone"].isin(zones)].groupby("zone")["dm"].sum()
        for z, v in left.items():
            print(
                f"  deaths {year}: {v:g} dead+missing in zone '{z}' not compared (outside the "
                "network)"
            )
    return rows


def deaths_monthly(places: list[dict]) -> list[list]:
    """IOM dead + missing by zone and month, 2018-2019 (for fitting hazard levels on the training
    months only; the fit reads derive/deaths_monthly.csv, validation reads observed/deaths.csv)."""
    df = iom.load_2023(places)
    rows = []
    for (year, month, zone), v in (
        df[df["year"].isin([2018, 2019])].groupby(["year", "month", "zone"])["dm"].sum().items()
    ):
        rows.append(
            [
                f"{int(year)}-{int(month):02d}",
                zone,
                float(v),
                f"{iom.FILE_2023}: Total Number of Dead and Missing, Incident year and Reported "
                "Month, zone rule of derive/iom.py",
            ]
        )
    return rows


MPP = "mpp_returns_by_mexican_city_2019_transcribed.csv"


def mpp_returns() -> list[list]:
    """People returned to Mexico under MPP ("Remain in Mexico") in 2019, all cities: INM's yearly
    total (persons; the same source counts 84,583 entries including re-entries after hearings)."""
    rows = read_csv(src(MPP))
    for i, r in enumerate(rows, start=2):
        if r["period"] == "2019-01..2019-12" and r["city"] == "ALL":
            return [
                [
                    "mpp_returns",
                    "2019",
                    float(r["value"]),
                    f"{MPP} line {i}: {r['source']}",
                    f"{r['unit']}; other totals in the file: DHS more than 56,000 by 2020-01-02, "
                    "Human Rights First more than 59,000",
                ]
            ]
    raise SystemExit(f"{MPP}: no all-city total for 2019-01..2019-12")


def main(places: list[dict]) -> None:
    hdr = ["series", "period", "value", "source", "note"]
    enc = encounters()
    write_csv(SCENARIO / "observed" / "encounters.csv", hdr, enc)
    mx = mexico_series()
    write_csv(SCENARIO / "observed" / "mexico_detentions_returns.csv", hdr, mx)
    de = deaths(places)
    write_csv(SCENARIO / "observed" / "deaths.csv", hdr, de)
    write_csv(SCENARIO / "observed" / "mpp_returns.csv", hdr, mpp_returns())
    write_csv(
        SCENARIO / "derive" / "deaths_monthly.csv",
        ["month", "zone", "dead_missing", "source"],
        deaths_monthly(places),
    )
    tot = {}
    for s, _, v, *_ in enc:
        tot[s] = tot.get(s, 0) + v
    print("encounters 2018-10..2019-12:", tot)
    print("mexico:", [(r[0], r[1], r[2]) for r in mx])
    print("deaths:", [(r[0], r[1], r[2]) for r in de])


if __name__ == "__main__":
    import places as pl

    main(pl.load_places())
