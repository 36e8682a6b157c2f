"""IOM Missing Migrants Project incidents: region, death zone, USBP sector and mode category.

Two IOM files are read (both row filters of IOM exports, see the sources README):
- ``iom_mmp_incidents_central_north_america_2014_2023H1.csv`` (IOM data as of 2023, newer region
  scheme, a ``Migration route`` flag for the US-Mexico border crossing): used for the observed
  deaths 2018-2019 and for the border hazards (2014-2017).
- ``iom_mmp_incidents_usmx_central_america_2014_2019_daily_snapshot2020-01-08.csv`` (export of
  2020-01-08 with detailed causes such as "Fall from train", "Hit by vehicle"): used only to split
  deaths inside Mexico by mode for the hazards of the pre-period.

Zone rule (death_region of locations.csv):
1. ``Migration route`` = "US-Mexico border crossing" (2023 file) or ``Region of Incident`` =
   "US-Mexico Border" (snapshot) -> ``us_mexico_border`` (both banks: the model counts a death on a
   border route in the region of its destination, the us_arrival place).
2. ``Migration route`` = "Darien" -> dropped (outside the corridor).
3. Else a Mexican state or Central American country named in the location text (accents and the
   typos found in the file folded) -> its zone (places.DEATH_ZONE).
4. "Various locations in Mexico", "Mexico (likely)", "Unspecified location in Mexico",
   "Northern Mexico" -> ``unlocated``.
5. Else the death_region of the nearest place of locations.csv to the incident's coordinates (by
   great-circle km, within 150 km) -> that zone; else ``unlocated`` (e.g. "Various locations in
   Mexico").
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
from common import haversine_km, src
from places import DEATH_ZONE

FILE_2023 = "iom_mmp_incidents_central_north_america_2014_2023H1.csv"
FILE_SNAP = "iom_mmp_incidents_usmx_central_america_2014_2019_daily_snapshot2020-01-08.csv"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})

# text pattern -> region name (a key of DEATH_ZONE); order matters (longer names first)
STATE_PATTERNS = [
    (r"baja california sur", "Baja California Sur"),
    (r"baja california", "Baja California"),
    (r"aguascalient", "Aguascalientes"),
    (r"campeche", "Campeche"),
    (r"chi?apa?s\b", "Chiapas"),
    (r"chihua", "Chihuahua"),
    (r"coahuila", "Coahuila"),
    (r"colima", "Colima"),
    (r"durango", "Durango"),
    (r"guan[ua]juato", "Guanajuato"),
    (r"guerrero", "Guerrero"),
    (r"hidalgo, mexico|, hidalgo\b|state of hidalgo", "Hidalgo"),
    (r"jalisco", "Jalisco"),
    (r"michoac|, mich\.", "Michoacán"),
    # the state, not a town named after it (Jáltipan de Morelos, Veracruz; Montemorelos, N.L.)
    (r"(?<!de )\bmorelos\b", "Morelos"),
    (r"nayarit", "Nayarit"),
    (r"nuevo leon", "Nuevo León"),
    (r"oax[h]?aca", "Oaxaca"),
    (r"puebla", "Puebla"),
    (r"queretaro", "Querétaro"),
    (r"quintana roo", "Quintana Roo"),
    (r"san luis (de )?potosi", "San Luis Potosí"),
    (r"sinaloa", "Sinaloa"),
    (r"sonora", "Sonora"),
    (r"tabasco", "Tabasco"),
    (r"tamaulipas", "Tamaulipas"),
    (r"tlaxcala", "Tlaxcala"),
    (r"vera?u?cruz", "Veracruz"),
    (r"yucatan", "Yucatán"),
    (r"zacatecas", "Zacatecas"),
    (r"mexico city|ciudad de mexico|cdmx", "Ciudad de México"),
    (r"state of mexico|estado de mexico", "Estado de México"),
    (r"guatemala", "Guatemala"),
    (r"honduras", "Honduras"),
    (r"el salvador", "El Salvador"),
]
# An incident located only by coordinates belongs to a place no farther than this (km).
NEAR_PLACE_KM = 150
OUTSIDE = r"nicaragua|costa rica|panama|belize|colombia"


def fold(text: object) -> str:
    t = unicodedata.normalize("NFKD", str(text if isinstance(text, str) else "")).encode(
        "ascii", "ignore"
    )
    return t.decode().lower()


def parse_coords(text: object) -> tuple[float, float] | None:
    m = re.match(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)", str(text))
    return (float(m.group(1)), float(m.group(2))) if m else None


def zone_from_text(loc: str) -> str | None:
    for pat, region in STATE_PATTERNS:
        if re.search(pat, loc):
            return DEATH_ZONE[region]
    if re.search(OUTSIDE, loc):
        return "outside_corridor"
    return None


def nearest(
    places: list[dict], lat: float, lon: float, kinds: set[str] | None = None
) -> tuple[dict, float]:
    best, bd = None, float("inf")
    for p in places:
        if kinds and p["kind"] not in kinds:
            continue
        d = haversine_km(lat, lon, p["lat"], p["lon"])
        if d < bd:
            best, bd = p, d
    return best, bd


def load_2023(places: list[dict]) -> pd.DataFrame:
    df = pd.read_csv(src(FILE_2023))
    df["line"] = df.index + 2  # physical line in the file (header = line 1; no embedded newlines)
    df["year"] = df["Incident year"].astype(int)
    df["month"] = df["Reported Month"].map(lambda m: MONTHS.get(fold(m)))
    df["dm"] = df["Total Number of Dead and Missing"].fillna(0)
    df["missing"] = df["Minimum Estimated Number of Missing"].fillna(0)
    df["loc"] = df["Location of death"].map(fold)
    df["coords"] = df["Coordinates"].map(parse_coords)
    df["zone"] = [
        _zone(r.get("Migration route"), r["loc"], r["coords"], places, r["Region of Incident"])
        for _, r in df.iterrows()
    ]
    return df


def _zone(
    route: object,
    loc: str,
    coords: tuple[float, float] | None,
    places: list[dict],
    region_of_incident: object,
) -> str:
    if route == "US-Mexico border crossing":
        return "us_mexico_border"
    if route == "Darien":
        return "outside_corridor"
    if re.search(
        r"various locations|mexico \(likely\)|unspecified location in mexico|northern mexico", loc
    ):
        return "unlocated"
    z = zone_from_text(loc)
    if z:
        return z
    if region_of_incident == "North America":
        return "us_interior"
    if coords:
        p, d = nearest(
            [q for q in places if q["kind"] not in ("facility", "return_point")], *coords
        )
        if d <= NEAR_PLACE_KM:
            return p["death_region"]
    return "unlocated"


def load_snapshot() -> pd.DataFrame:
    df = pd.read_csv(src(FILE_SNAP))
    df["year"] = df["Reported Year"].astype(int)
    df["month"] = df["Reported Month"].map(lambda m: MONTHS.get(fold(m)))
    df["dm"] = df["Total Dead and Missing"].fillna(0)
    df["loc"] = df["Location Description"].map(fold)
    df["cause"] = df["Cause of Death"].map(fold)
    return df


def mode_category(cause: str, loc: str) -> str:
    """Mode a death inside Mexico is attributed to, from the snapshot's detailed cause."""
    if re.search(r"train|railway|rail\b|tracks", cause) or re.search(
        r"train|tracks|railway|ferrocarril", loc
    ):
        return "rail"
    if re.search(r"drown", cause) and re.search(
        r"pacific|ocean|\bsea\b|boat|lancha|beach|playa", loc
    ):
        return "sea"
    if re.search(r"hit by (vehicle|car)|hyperthermia|dehydration|exposure", cause):
        return "foot"
    if re.search(r"vehicle|bus|truck|asphyxiation", cause):
        return "road_vehicle"
    return "ambient"
