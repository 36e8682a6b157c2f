"""derive/seasonality.csv and derive/child_share.csv (helper tables for fitting departures).

seasonality.csv: monthly seasonal profile of USBP southwest-border apprehensions, FY2001-FY2018
(pre-period), from usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv (column southwest_border):
for each fiscal year, each month's count divided by that year's monthly mean; the factor of a
calendar month is the mean of these ratios over the 18 years, rescaled so the 12 factors average 1.
FY2000 is left out (the file's first year, the last year of the 1990s high-apprehension regime).

child_share.csv: share of children among CBP southwest-border encounters by citizenship, Oct 2018 -
May 2019 (the training months), from the verbatim CBP file's Demographic column:
(UC / Single Minors + Accompanied Minors) / all encounters. CBP's FMUA (individuals in family units)
mixes parents and children and is not split, so children in families counted as FMUA are not in
the numerator: the share is a LOWER BOUND of the child share. The column child_share_fmua_half
adds half of the FMUA individuals (assumption: a family unit is typically one adult with one child).
"""

from __future__ import annotations

import pandas as pd
from common import HERE, src, write_csv
from observed import cbp_monthly

FY_FIRST, FY_LAST = 2001, 2018
NAT = {"Guatemala": "GT", "Honduras": "HN", "El Salvador": "SV", "Mexico": "MX", "Other": "OTHER"}


def usbp_monthly() -> pd.DataFrame:
    """The USBP monthly file: one row per month, with ``fy``, ``cy``, ``month`` and
    ``southwest_border``."""
    return pd.read_csv(src("usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv"), sep="|")


def monthly_profile(u: pd.DataFrame) -> pd.Series:
    """Factor per calendar month (index 1-12) of the whole fiscal years in ``u``: the mean over
    the years of month / the year's monthly mean, rescaled to average 1. fit/trend_backtest.py
    uses it too, on subsets of the years."""
    assert u.groupby("fy").size().eq(12).all()
    u = u.assign(
        ratio=u["southwest_border"] / u.groupby("fy")["southwest_border"].transform("mean")
    )
    f = u.groupby("month")["ratio"].mean()
    return f / f.mean()


def seasonality() -> list[list]:
    u = usbp_monthly()
    f = monthly_profile(u[(u["fy"] >= FY_FIRST) & (u["fy"] <= FY_LAST)])
    rows = [
        [
            m,
            float(f[m]),
            f"usbp psv southwest_border FY{FY_FIRST}-FY{FY_LAST}: mean of month/yearly-mean "
            "ratios, "
            f"normalised to mean 1",
        ]
        for m in range(1, 13)
    ]
    write_csv(HERE / "seasonality.csv", ["month", "factor", "source"], rows)
    return rows


def child_share() -> list[list]:
    c = cbp_monthly()
    c = c[(c["month"] >= "2018-10") & (c["month"] <= "2019-05")]
    rows = []
    for cit, nat in NAT.items():
        s = c[c["Citizenship Grouping"] == cit]
        tot = float(s["Encounter Count"].sum())
        uc = float(s.loc[s["Demographic"] == "UC / Single Minors", "Encounter Count"].sum())
        am = float(s.loc[s["Demographic"] == "Accompanied Minors", "Encounter Count"].sum())
        fm = float(s.loc[s["Demographic"] == "FMUA", "Encounter Count"].sum())
        rows.append(
            [
                nat,
                (uc + am) / tot,
                (uc + am + 0.5 * fm) / tot,
                uc,
                am,
                fm,
                tot,
                "cbp_sbo_encounters_fy19_fy22_by_citizenship.csv, 2018-10..2019-05, all "
                "components and titles; "
                "child share = (UC/Single Minors + Accompanied Minors)/all; lower bound (FMUA "
                "not split)",
            ]
        )
    write_csv(
        HERE / "child_share.csv",
        [
            "nationality",
            "child_share",
            "child_share_fmua_half",
            "uc_single_minors",
            "accompanied_minors",
            "fmua",
            "all_encounters",
            "source",
        ],
        rows,
    )
    return rows


if __name__ == "__main__":
    for r in seasonality():
        print(r[:2])
    for r in child_share():
        print(r[:7])
