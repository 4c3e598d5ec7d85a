"""Build the demo's small Songkhla boundary file from the full-precision shared data.

    python -m app.demo.boundaries ../shared/data   # writes app/demo/data/songkhla_demo.geojson

The 127 tambon of Songkhla (HDX COD-AB, CC BY-IGO 3.0, OCHA / RTSD) are simplified as one coverage
(shapely's coverage_simplify keeps shared edges shared, so no gaps open between neighbours), rounded
to 5 decimals (about 1 m) and tagged with the station of the approximate tambon → station
assignment, so `make run` routes by real areas on a machine without ../shared/data. Real rollouts
import the full-precision files (README, "Rolling out a province").
"""
import csv
import json
import re
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

DEMO_FILE = Path(__file__).resolve().parent / "data" / "songkhla_demo.geojson"
TOLERANCE_DEGREES = 0.0003  # about 33 m: well below the 100 m near-boundary warning
KEEP = ("tambon_code", "tambon_th", "tambon_en", "amphoe_code", "amphoe_th", "amphoe_en", "province_code",
        "province_th", "province_en")
_DECIMALS = re.compile(r"(-?\d+\.\d{5})\d+")


def _polygonal(geometry):
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        geometry = shapely.union_all([g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geometry


def build(source_dir, out_path=DEMO_FILE, tolerance=TOLERANCE_DEGREES):
    """Write the simplified, station-tagged tambon file; return its size in bytes."""
    source_dir = Path(source_dir)
    features = json.loads((source_dir / "songkhla_tambon.geojson").read_text(encoding="utf-8"))["features"]
    with open(source_dir / "songkhla_jurisdiction_approx.csv", newline="", encoding="utf-8") as handle:
        station_of = {row["tambon_code"]: row["station_code"] for row in csv.DictReader(handle)}
    simplified = shapely.coverage_simplify([_polygonal(shape(f["geometry"])) for f in features], tolerance)
    out = {"type": "FeatureCollection",
           "attribution": "Boundaries: OCHA / Royal Thai Survey Department, HDX COD-AB (CC BY-IGO 3.0), simplified; "
                          "station assignment approximate (not police data)",
           "features": [{"type": "Feature",
                         "properties": {**{k: f["properties"][k] for k in KEEP},
                                        "station_code": station_of.get(f["properties"]["tambon_code"])},
                         "geometry": mapping(geometry)} for f, geometry in zip(features, simplified, strict=True)]}
    text = _DECIMALS.sub(r"\1", json.dumps(out, ensure_ascii=False, separators=(",", ":")))
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


if __name__ == "__main__":
    size = build(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared" / "data")
    print(f"wrote {DEMO_FILE} ({size:,} bytes)")
