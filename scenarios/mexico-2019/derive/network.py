"""Routes between the places of places.py: road/bus links, La Bestia rail, foot paths, sea, border.

km rules (written into each route's ``source``):
- road and bus: great-circle km (haversine, R = 6371.0088 km) x ``road_detour`` (scenario.yml).
- rail: official line length where la_bestia_rail_routes_compiled.csv gives one, spread over the
  line's segments in proportion to their great-circle km; elsewhere great-circle km x
  ``RAIL_DETOUR`` = the mean ratio official/great-circle of the lines with official lengths.
- foot: great-circle km x road_detour (paths follow roads or river banks; no better source).
- sea: great-circle km (open water along the Gulf of Tehuantepec).
- border: great-circle km x road_detour from the border city to the sector's reference city.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from common import haversine_km, read_csv, src
from places import load_places
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

# Assumption (see SOURCES.md): no road-distance table exists in the sources.
ROAD_DETOUR = 1.3

# Official lengths quoted in la_bestia_rail_routes_compiled.csv (route_source_note), midpoints.
OFFICIAL_RAIL = {
    # line: (official km, first node, last node, note)
    "K": (465.5, "Ixtepec–Ciudad Hidalgo 459–472 km (midpoint)"),
    "Z": (308.0, "Salina Cruz–Medias Aguas–Coatzacoalcos ~308 km"),
    "FA": (319.5, "Coatzacoalcos–Palenque 310–329 km (midpoint)"),
}

RAIL_ROUTES_USED = {
    # compiled route_id -> (line code for official length or None, first seq used, note)
    "S1_Chiapas_coast_line_K": (
        "K",
        7,
        "boarded at Arriaga since the track south of it was damaged "
        "by Hurricane Stan in 2005 (compiled file note)",
    ),
    "S2_Isthmus_line_Z": ("Z", 0, ""),
    "S3_Tabasco_line_FA": ("FA", 0, "Tenosique as a southern boarding point (compiled file note)"),
    "G1_Gulf_to_Valley_of_Mexico": (None, 0, ""),
    "N1_Northeast_KCSM": (None, 0, ""),
    "N1b_Monterrey_Reynosa_Matamoros": (None, 0, ""),
    "N2_Central_to_Juarez": (None, 0, ""),
    "N3_Pacific_to_Nogales_Mexicali": (None, 0, ""),
    "N3b_Sonora_to_Mexicali": (None, 0, ""),
}
# names in the compiled rail file -> place names of this scenario
RAIL_NAME = {"Lechería (Tultitlán)": "Lechería"}

# Road/bus links between neighbouring places: every link gets a `bus` route (public buses, the
# usual way) and a `road` route (smuggler or private vehicles, hitch-hiking). Each tuple is
# (a, b, basis); the basis says why the link is there.
HWY = "federal highway between neighbouring places"
MVS = "Gulf route stopping points named in MVS 2018-10-16 (la_bestia_rail_routes_compiled.csv note)"
CAR18 = "October 2018 caravan path (caravans_2018_2022_transcribed.csv)"
VIA18 = "Viacrucis 2018 caravan path (caravans_2018_2022_transcribed.csv)"
ROAD_LINKS: list[tuple[str, str, str]] = [
    # Guatemala (origins to staging places; origin routes are one-way, outbound)
    ("Guatemala City", "Tecún Umán", "CA-2 Pacific highway"),
    ("Guatemala City", "La Mesilla (La Democracia)", "CA-1 Pan-American highway"),
    ("Guatemala City", "Flores (Petén)", "CA-13/CA-9 to Petén"),
    ("Quetzaltenango", "Tecún Umán", "highway to the Suchiate"),
    ("Quetzaltenango", "Malacatán (El Carmen)", "highway to El Carmen"),
    ("Huehuetenango", "La Mesilla (La Democracia)", "CA-1 Pan-American highway"),
    ("San Pedro Sula", "Tecún Umán", CAR18 + ": via Agua Caliente/El Florido and Guatemala"),
    ("San Pedro Sula", "Flores (Petén)", "CA-13 via Corinto/Morales to Petén"),
    ("Tegucigalpa", "Tecún Umán", "CA-1/CA-2 via El Salvador and Guatemala"),
    ("San Salvador", "Tecún Umán", "CA-2 Pacific coastal highway"),
    ("San Salvador", "La Mesilla (La Democracia)", "CA-1 Pan-American highway"),
    ("Malacatán (El Carmen)", "Talismán", "El Carmen-Talismán bridge"),
    ("La Mesilla (La Democracia)", "Ciudad Cuauhtémoc", "La Mesilla-Ciudad Cuauhtémoc border road"),
    ("Flores (Petén)", "El Ceibo", "Petén road to El Ceibo"),
    ("Flores (Petén)", "Frontera Corozal", "road to Bethel, boat across the Usumacinta"),
    # Chiapas
    ("Ciudad Hidalgo", "Tapachula", CAR18),
    ("Talismán", "Tapachula", HWY),
    ("Tapachula", "Puerto Madero", HWY),
    ("Tapachula", "Huixtla", CAR18 + " (coastal highway 200)"),
    ("Huixtla", "Escuintla", "coastal highway 200"),
    ("Escuintla", "Mapastepec", "coastal highway 200"),
    ("Mapastepec", "Pijijiapan", "coastal highway 200"),
    ("Pijijiapan", "Tonalá", "coastal highway 200"),
    ("Tonalá", "Arriaga", "coastal highway 200"),
    ("Arriaga", "Chahuites", "highway 200 into Oaxaca"),
    ("Ciudad Cuauhtémoc", "Comitán", "Pan-American highway 190"),
    ("Ciudad Cuauhtémoc", "Frontera Comalapa", HWY),
    ("Frontera Comalapa", "Huixtla", "mountain road via Motozintla"),
    ("Comitán", "Tuxtla Gutiérrez", "highway 190 via San Cristóbal"),
    ("Tuxtla Gutiérrez", "Juchitán", "highway 190 via Cintalapa"),
    ("Tuxtla Gutiérrez", "Villahermosa", "highway 195/187"),
    ("El Ceibo", "Tenosique", "El Ceibo-Tenosique federal highway (IOM incident locations)"),
    ("Frontera Corozal", "Palenque", "Frontera (border) highway 307"),
    ("Tenosique", "Palenque", HWY),
    ("Tenosique", "Villahermosa", "highway 203/186 via Emiliano Zapata"),
    ("Palenque", "Villahermosa", "highway 186"),
    # Oaxaca, Veracruz
    ("Chahuites", "Juchitán", "highway 200/190"),
    ("Juchitán", "Ixtepec", HWY),
    ("Juchitán", "Salina Cruz", HWY),
    ("Juchitán", "Matías Romero", CAR18 + " (Trans-isthmian highway 185)"),
    ("Ixtepec", "Matías Romero", HWY),
    ("Matías Romero", "Acayucan", "Trans-isthmian highway 185"),
    ("Acayucan", "Medias Aguas", HWY),
    ("Acayucan", "Coatzacoalcos", MVS),
    ("Villahermosa", "Coatzacoalcos", "highway 180"),
    ("Acayucan", "Tierra Blanca", "highway 145 via Isla"),
    ("Acayucan", "Veracruz", MVS),
    ("Tierra Blanca", "Córdoba", HWY),
    ("Córdoba", "Orizaba", MVS),
    ("Veracruz", "Córdoba", MVS),
    ("Orizaba", "Puebla", "highway 150D"),
    ("Veracruz", "Puebla", "highway 140 via Xalapa"),
    ("Veracruz", "Tampico", "Gulf coastal highway 180"),
    # Centre
    ("Puebla", "Mexico City", CAR18),
    ("Puebla", "Apizaco", HWY),
    ("Mexico City", "Lechería", HWY),
    ("Lechería", "Huehuetoca", HWY),
    ("Huehuetoca", "Querétaro", "highway 57"),
    ("Mexico City", "Querétaro", CAR18 + " (highway 57)"),
    ("Querétaro", "Celaya", "highway 45"),
    ("Celaya", "Irapuato", "highway 45"),
    ("Querétaro", "San Luis Potosí", "highway 57"),
    ("Irapuato", "Guadalajara", CAR18 + " (Guadalajara 11-13)"),
    ("Irapuato", "Aguascalientes", "highway 45 via León"),
    ("Aguascalientes", "Zacatecas", "highway 45"),
    ("Guadalajara", "Tepic", CAR18 + " (highway 15 to the Pacific coast)"),
    # North-east
    ("Tampico", "Ciudad Victoria", "highway 85"),
    ("Ciudad Victoria", "Monterrey", "highway 85"),
    ("Ciudad Victoria", "Matamoros", "highway 101 via San Fernando"),
    ("San Luis Potosí", "Saltillo", "highway 57"),
    ("Saltillo", "Monterrey", "highway 40"),
    ("Monterrey", "Nuevo Laredo", "highway 85"),
    ("Monterrey", "Reynosa", "highway 40"),
    ("Reynosa", "Matamoros", "highway 2"),
    ("Saltillo", "Piedras Negras", "highway 57 via Monclova"),
    ("Piedras Negras", "Ciudad Acuña", "highway 2"),
    # North-central and north-west
    ("Zacatecas", "Torreón", "highway 49"),
    ("Saltillo", "Torreón", "highway 40"),
    ("Torreón", "Chihuahua", "highway 45/49"),
    ("Chihuahua", "Ciudad Juárez", "highway 45"),
    ("Chihuahua", "Ojinaga", "highway 16"),
    ("Tepic", "Mazatlán", "highway 15"),
    ("Mazatlán", "Culiacán", "highway 15"),
    ("Culiacán", "Los Mochis", "highway 15"),
    ("Los Mochis", "Navojoa", "highway 15"),
    ("Navojoa", "Ciudad Obregón", "highway 15"),
    ("Ciudad Obregón", "Guaymas", "highway 15"),
    ("Guaymas", "Hermosillo", VIA18 + " (highway 15)"),
    ("Hermosillo", "Nogales", "highway 15"),
    ("Hermosillo", "Agua Prieta", "highway 14/17 via Cananea"),
    ("Hermosillo", "Caborca", "highway 2 via Santa Ana"),
    ("Caborca", "Altar", "highway 2"),
    ("Altar", "Sásabe", "desert road to Sásabe"),
    ("Caborca", "Sonoyta", "highway 2"),
    ("Sonoyta", "San Luis Río Colorado", "highway 2"),
    ("San Luis Río Colorado", "Mexicali", "highway 2"),
    ("Mexicali", "Tijuana", CAR18 + " (Mexicali and Tijuana, 11-21)"),
    # origins of Mexican nationals (one-way, outbound)
    ("Oaxaca (MX origin)", "Puebla", "highway 135D/150D"),
    ("Morelia (MX origin)", "Irapuato", "highway 43"),
    ("Morelia (MX origin)", "Guadalajara", "highway 15D"),
    ("León (MX origin)", "Irapuato", "highway 45"),
    ("León (MX origin)", "Aguascalientes", "highway 45"),
]

FOOT_LINKS: list[tuple[str, str, str]] = [
    (
        "Tecún Umán",
        "Ciudad Hidalgo",
        "fording / rafts across the Suchiate (policy_timeline_2018_2023_transcribed.csv "
        "2018-10-19: "
        "'migrants ford river'; caravans file: Rodolfo Robles bridge)",
    ),
    (
        "Suchiate GT bank (OTHER entry)",
        "Ciudad Hidalgo",
        "same river crossing as Tecún Umán-Ciudad Hidalgo",
    ),
    ("Malacatán (El Carmen)", "Talismán", "walking across the Talismán bridge / river"),
    ("La Mesilla (La Democracia)", "Ciudad Cuauhtémoc", "walking the 4 km border strip"),
    ("Flores (Petén)", "El Ceibo", "assumption: jungle paths of Petén toward El Ceibo"),
    (
        "El Ceibo",
        "Tenosique",
        "walkers on the El Ceibo-Tenosique highway: IOM incidents 2016 "
        "(hyperthermia at Km 45, 'hit by vehicle' at Km 39)",
    ),
    (
        "Tapachula",
        "Huixtla",
        "caravans walk Tapachula-Huixtla (~40 km; caravans file, 2021 and 2022 rows)",
    ),
    (
        "Arriaga",
        "Chahuites",
        "assumption: walking around the Chiapas-Oaxaca checkpoints "
        "(IOM 2016: body found in an orchard in Chahuites)",
    ),
]

SEA_LINKS: list[tuple[str, str, str]] = [
    (
        "Puerto Madero",
        "Salina Cruz",
        "Pacific boat route along the Chiapas/Oaxaca coast: IOM incidents 2016-2019 (boats from "
        "San José, "
        "off Mazatán, off Puerto Arista/Paredón near Tonalá, San Mateo del Mar, Oaxaca)",
    ),
]

BORDER_LINKS: list[tuple[str, str]] = [
    ("Tijuana", "USBP San Diego"),
    ("Mexicali", "USBP El Centro"),
    ("San Luis Río Colorado", "USBP Yuma"),
    ("Sonoyta", "USBP Tucson"),
    ("Sásabe", "USBP Tucson"),
    ("Nogales", "USBP Tucson"),
    ("Agua Prieta", "USBP Tucson"),
    ("Ciudad Juárez", "USBP El Paso"),
    ("Ojinaga", "USBP Big Bend"),
    ("Ciudad Acuña", "USBP Del Rio"),
    ("Piedras Negras", "USBP Del Rio"),
    ("Nuevo Laredo", "USBP Laredo"),
    ("Reynosa", "USBP Rio Grande Valley"),
    ("Matamoros", "USBP Rio Grande Valley"),
]
# us_arrival place -> column of usbp_monthly_apprehensions_by_sector_fy2000_fy2020.psv
SECTOR_COLUMN = {
    "USBP San Diego": "san_diego",
    "USBP El Centro": "el_centro",
    "USBP Yuma": "yuma",
    "USBP Tucson": "tucson",
    "USBP El Paso": "el_paso",
    "USBP Big Bend": "big_bend",
    "USBP Del Rio": "del_rio",
    "USBP Laredo": "laredo",
    "USBP Rio Grande Valley": "rio_grande_valley",
}


def rail_segments(places: dict[str, dict]) -> tuple[list[dict], dict]:
    rows = read_csv(src("la_bestia_rail_routes_compiled.csv"))
    by_route: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_route[r["route_id"]].append(r)

    # ratios official / great-circle for the lines with official lengths
    def gc(a: dict, b: dict) -> float:
        return haversine_km(float(a["lat"]), float(a["lon"]), float(b["lat"]), float(b["lon"]))

    ratios = {}
    k = by_route["S1_Chiapas_coast_line_K"]
    ratios["K"] = OFFICIAL_RAIL["K"][0] / sum(gc(k[i], k[i + 1]) for i in range(len(k) - 1))
    z = by_route["S2_Isthmus_line_Z"]
    sc = places["Salina Cruz"]
    gc_z = haversine_km(sc["lat"], sc["lon"], float(z[0]["lat"]), float(z[0]["lon"])) + sum(
        gc(z[i], z[i + 1]) for i in range(len(z) - 1)
    )
    ratios["Z"] = OFFICIAL_RAIL["Z"][0] / gc_z
    fa = by_route["S3_Tabasco_line_FA"]
    ratios["FA"] = OFFICIAL_RAIL["FA"][0] / gc(fa[1], fa[2])  # Palenque–Coatzacoalcos
    rail_detour = float(np.mean(list(ratios.values())))
    segs: dict[tuple[str, str], dict] = {}
    for route_id, (line, first, note) in RAIL_ROUTES_USED.items():
        nodes = sorted(by_route[route_id], key=lambda r: int(r["seq"]))
        for i in range(first, len(nodes) - 1):
            a, b = nodes[i], nodes[i + 1]
            na, nb = RAIL_NAME.get(a["node"], a["node"]), RAIL_NAME.get(b["node"], b["node"])
            if (na, nb) in segs or (nb, na) in segs:
                continue
            d = gc(a, b)
            if line:
                km = d * ratios[line]
                how = (
                    f"official length of line {line} ({OFFICIAL_RAIL[line][1]}) spread by "
                    "great-circle "
                    f"km: {d:.1f} x {ratios[line]:.3f}"
                )
            else:
                km = d * rail_detour
                how = (
                    f"great-circle {d:.1f} km x rail detour {rail_detour:.3f} "
                    "(mean official/great-circle of lines K, Z, FA)"
                )
            segs[(na, nb)] = {
                "from": na,
                "to": nb,
                "km": km,
                "gc": d,
                "source": f"la_bestia_rail_routes_compiled.csv {route_id} seq "
                f"{a['seq']}-{b['seq']}; {how}" + (f"; {note}" if note else ""),
            }
    return list(segs.values()), {"ratios": ratios, "rail_detour": rail_detour}


def build(road_detour: float = ROAD_DETOUR) -> dict:
    plist = load_places()
    places = {p["name"]: p for p in plist}

    def gckm(a: str, b: str) -> float:
        pa, pb = places[a], places[b]
        return haversine_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"])

    routes: list[dict] = []
    origin_kinds = {"origin"}
    for a, b, basis in ROAD_LINKS:
        d = gckm(a, b)
        two_way = "no" if places[a]["kind"] in origin_kinds else "yes"
        for mode in ("bus", "road"):
            routes.append(
                {
                    "from": a,
                    "to": b,
                    "mode": mode,
                    "km": d * road_detour,
                    "gc": d,
                    "two_way": two_way,
                    "source": f"great-circle {d:.1f} km x road_detour {road_detour} "
                    f"(scenario.yml); {basis}",
                }
            )
    for a, b, basis in FOOT_LINKS:
        d = gckm(a, b)
        two_way = "no" if places[a]["kind"] in origin_kinds else "yes"
        routes.append(
            {
                "from": a,
                "to": b,
                "mode": "foot",
                "km": d * road_detour,
                "gc": d,
                "two_way": two_way,
                "source": f"great-circle {d:.1f} km x road_detour {road_detour}; {basis}",
            }
        )
    for a, b, basis in SEA_LINKS:
        d = gckm(a, b)
        routes.append(
            {
                "from": a,
                "to": b,
                "mode": "sea",
                "km": d,
                "gc": d,
                "two_way": "no",
                "source": f"great-circle {d:.1f} km (open water); {basis}",
            }
        )
    segs, rail_info = rail_segments(places)
    for s in segs:
        for n in (s["from"], s["to"]):
            assert n in places, f"rail node {n} missing from places"
        routes.append(
            {
                "from": s["from"],
                "to": s["to"],
                "mode": "rail",
                "km": s["km"],
                "gc": s["gc"],
                "two_way": "yes",
                "source": s["source"],
            }
        )
    for a, b in BORDER_LINKS:
        d = gckm(a, b)
        routes.append(
            {
                "from": a,
                "to": b,
                "mode": "border",
                "km": d * road_detour,
                "gc": d,
                "two_way": "no",
                "id": f"bc:{a}",
                "source": f"great-circle {d:.1f} km x road_detour {road_detour} from the border "
                "city to "
                f"the sector's reference city; one border route per border city",
            }
        )
    for r in routes:
        assert r["from"] in places and r["to"] in places, r
    return {
        "places": plist,
        "by_name": places,
        "routes": routes,
        "rail": rail_info,
        "road_detour": road_detour,
    }


def distance_matrix(
    net: dict, exclude_modes: tuple[str, ...] = ("border",)
) -> tuple[list[str], np.ndarray]:
    names = [p["name"] for p in net["places"]]
    idx = {n: i for i, n in enumerate(names)}
    n = len(names)
    w = np.full((n, n), np.inf)
    for r in net["routes"]:
        if r["mode"] in exclude_modes:
            continue
        i, j = idx[r["from"]], idx[r["to"]]
        w[i, j] = min(w[i, j], r["km"])  # parallel routes (bus and road): the shorter counts
        if r["two_way"] == "yes":
            w[j, i] = min(w[j, i], r["km"])
    w[np.isinf(w)] = 0.0  # csgraph: 0 = no edge
    m = csr_matrix(w)
    return names, dijkstra(m, directed=True)


def assign_facilities(net: dict) -> dict[str, tuple[str, float]]:
    """Nearest facility (by network km, ignoring border routes) for every Mexican place."""
    from places import AGGREGATES, FACILITIES

    names, dist = distance_matrix(net)
    idx = {n: i for i, n in enumerate(names)}
    hosts = [(f, h) for f, h, _ in FACILITIES] + list(AGGREGATES)
    out = {}
    for p in net["places"]:
        if p["country"] != "MX" or p["kind"] in ("facility", "return_point", "us_arrival"):
            continue
        best = min(hosts, key=lambda fh: dist[idx[p["name"]], idx[fh[1]]])
        out[p["name"]] = (best[0], float(dist[idx[p["name"]], idx[best[1]]]))
    return out
