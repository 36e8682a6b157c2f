"""Derive corridor/data/boundaries_americas.json from Natural Earth's 1:110m countries.

Natural Earth (naturalearthdata.com) is in the public domain. The 1:110m "Admin 0 – Countries"
layer is taken from the copy bundled with the PyPI wheel geopandas==0.14.4
(geopandas/datasets/naturalearth_lowres, which that project built from Natural Earth 5.0.1).
This script reads the shapefile with its own small reader (polygons and dBase attributes), keeps
the countries that touch the corridor's box (lon -125..-60, lat 0..40), clips nothing, rounds
coordinates to 0.01 degree and drops repeated points, and writes a compact JSON. Run:

    .venv/bin/pip download geopandas==0.14.4 --no-deps -d /tmp/gpd
    .venv/bin/python tools/derive_boundaries.py /tmp/gpd/geopandas-0.14.4-py3-none-any.whl
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

BOX = (-125.0, 0.0, -60.0, 40.0)
OUT = Path(__file__).resolve().parent.parent / "corridor" / "data" / "boundaries_americas.json"


def read_dbf(data: bytes) -> list[dict[str, str]]:
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        length = data[pos + 16]
        fields.append((name, length))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        off = 1
        row = {}
        for name, length in fields:
            row[name] = rec[off : off + length].decode("utf-8", "replace").strip()
            off += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    shapes = []
    pos = 100
    while pos < len(data):
        _, content_len = struct.unpack(">ii", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + content_len * 2]
        pos += 8 + content_len * 2
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        pts_off = 44 + 4 * n_parts
        pts = [
            struct.unpack("<dd", body[pts_off + 16 * k : pts_off + 16 * k + 16])
            for k in range(n_points)
        ]
        rings = [pts[a:b] for a, b in zip(parts, [*parts[1:], n_points], strict=True)]
        shapes.append(rings)
    return shapes


def main(wheel: str) -> None:
    base = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
    with zipfile.ZipFile(wheel) as z:
        shp = z.read(base + ".shp")
        dbf = z.read(base + ".dbf")
    rows = read_dbf(dbf)
    shapes = read_shp(shp)
    countries = []
    for row, rings in zip(rows, shapes, strict=True):
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        if not xs or max(xs) < BOX[0] or min(xs) > BOX[2] or max(ys) < BOX[1] or min(ys) > BOX[3]:
            continue
        out_rings = []
        for ring in rings:
            pts: list[list[float]] = []
            for x, y in ring:
                p = [round(x, 2), round(y, 2)]
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) >= 4:
                out_rings.append(pts)
        countries.append(
            {"name": row.get("name", ""), "iso_a3": row.get("iso_a3", ""), "rings": out_rings}
        )
    doc = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain), "
        "as bundled in the PyPI wheel geopandas==0.14.4 (datasets/naturalearth_lowres)",
        "licence": "Public domain (Natural Earth terms of use: https://www.naturalearthdata.com/about/terms-of-use/)",
        "derived_by": "tools/derive_boundaries.py: countries meeting lon -125..-60, lat 0..40; "
        "coordinates rounded to 0.01 degree",
        "countries": countries,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(countries)} countries, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
