"""Publishing a jurisdiction version with parts of tambon: Songkhla's 127 tambon by the approximate mapping,
plus one part (the middle quarter of the tambon's bounding box) given to another station in --parts tambon,
imported as one GeoJSON file.

Prints the seconds to import the parts, to plan the publication (cutting parts out of their tambon and the
union per station) and to publish it, and the routing index rebuild after it. A scratch SQLite file.

Run: python bench/jurisdiction_parts.py [--parts 60]
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench._seed import bench_app  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def _stations_csv(path):
    with open(DATA / "songkhla_stations_approx.csv", encoding="utf-8") as source, \
            open(path, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["code", "name_th", "name_en", "lat", "lon"])
        for row in csv.DictReader(source):
            writer.writerow([row["code"], row["name_th"], row["name_en"], row["approx_lat"], row["approx_lon"]])
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=60)
    args = parser.parse_args()
    import shapely
    from shapely.geometry import mapping

    from app.extensions import db
    from app.reports.jurisdiction_publish import publish_version
    from app.reports.routing_service import build_index
    from app.stations.adminareas import import_admin_areas
    from app.stations.importers import import_stations
    from app.stations.jurisdiction import (
        assignment_map,
        bangkok_today,
        draft_from_mapping,
        plan_publish,
        province_tambon,
    )
    from app.stations.jurisdiction_parts import import_parts
    from app.stations.models import Pao, Station

    with tempfile.TemporaryDirectory() as work:
        app = bench_app(f"sqlite:///{work}/bench.db", work)
        with app.app_context():
            db.create_all()
            import_stations(_stations_csv(Path(work) / "stations.csv"))
            pao = Pao(code="songkhla", name_th="อบจ.สงขลา", name_en="Songkhla PAO", reference_prefix="SKA",
                      province_code="90")
            db.session.add(pao)
            import_admin_areas(DATA / "songkhla_tambon.geojson")
            draft, _warnings = draft_from_mapping(pao, DATA / "songkhla_jurisdiction_approx.csv")
            stations = db.session.scalars(db.select(Station).order_by(Station.code)).all()
            given = assignment_map(draft)
            features = []
            for n, tambon in enumerate(province_tambon(pao)[:args.parts]):
                west, south, east, north = shapely.from_wkb(tambon.geometry_wkb).bounds
                dx, dy = (east - west) / 4, (north - south) / 4
                other = next(s for s in stations[n % len(stations):] + stations if s.id != given.get(tambon.code))
                features.append({"type": "Feature", "properties": {"station": other.code, "tambon": tambon.code},
                                 "geometry": mapping(shapely.box(west + dx, south + dy, east - dx, north - dy))})
            data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
            started = time.perf_counter()
            if features:
                import_parts(draft, data, "bench.geojson")
            added = time.perf_counter() - started
            started = time.perf_counter()
            plan = plan_publish(draft, bangkok_today())
            planned = time.perf_counter() - started
            started = time.perf_counter()
            publish_version(draft, bangkok_today(), actor=None)
            db.session.commit()
            published = time.perf_counter() - started
            started = time.perf_counter()
            index = build_index(1)
            rebuilt = time.perf_counter() - started
            print(f"tambon 127, parts {len(draft.parts)}, stations with areas {len(plan.new_areas)}")
            print(f"import parts (GeoJSON, {len(data)} bytes): {added:.3f} s "
                  f"({1000 * added / max(1, len(draft.parts)):.1f} ms per part)")
            print(f"plan (cut parts out, union per station): {planned:.3f} s")
            print(f"publish (plan again, write areas, re-route): {published:.3f} s")
            print(f"routing index rebuild: {rebuilt:.3f} s ({index.area_count} areas)")


if __name__ == "__main__":
    main()
