"""Border Patrol apprehensions by sector over the training months (October 2018 - May 2019):
what the destination shares (destinations.csv) are fitted to, and their starting values.

Source: usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv (USBP Monthly Encounters
FY2000-FY2020), its nine southwest-border sector columns, the rows of fiscal year 2019 with
month October to May. The file has no citizenship, so the counts are of every nationality
together. Writes derive/sector_apprehensions.csv: sector, the model's us_arrival place for it,
apprehensions, share of the nine sectors' total.
"""

from __future__ import annotations

import pandas as pd
from common import HERE, src, write_csv
from network import SECTOR_COLUMN

PSV = "usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv"
FISCAL_YEAR = 2019
MONTHS = (10, 11, 12, 1, 2, 3, 4, 5)  # October 2018 - May 2019, the training months
OUT = HERE / "sector_apprehensions.csv"


def training_counts() -> dict[str, int]:
    """Apprehensions per us_arrival place (one per sector) over the training months."""
    u = pd.read_csv(src(PSV), sep="|")
    rows = u[(u["fy"] == FISCAL_YEAR) & u["month"].isin(MONTHS)]
    if len(rows) != len(MONTHS):
        raise SystemExit(f"{PSV}: expected {len(MONTHS)} rows of FY{FISCAL_YEAR}, got {len(rows)}")
    return {place: int(rows[col].sum()) for place, col in SECTOR_COLUMN.items()}


def main() -> dict[str, int]:
    counts = training_counts()
    total = sum(counts.values())
    write_csv(
        OUT,
        ["sector", "goal", "apprehensions", "share", "source"],
        [
            [
                SECTOR_COLUMN[g],
                g,
                n,
                round(n / total, 6),
                f"{PSV} column {SECTOR_COLUMN[g]}, fy {FISCAL_YEAR} months Oct-May",
            ]
            for g, n in counts.items()
        ],
        comments=[
            "USBP apprehensions by southwest-border sector, October 2018 - May 2019 (all "
            "nationalities); derive/sectors.py"
        ],
    )
    return counts


if __name__ == "__main__":
    main()
