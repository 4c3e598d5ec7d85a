"""Small builders for import files used by the station and routing-service tests."""
import json

from shapely.geometry import box, mapping

# Two neighbouring squares near Hat Yai (lon 100.40-100.50, lat 7.00-7.05) and one further east.
WEST = box(100.40, 7.00, 100.45, 7.05)
EAST = box(100.45, 7.00, 100.50, 7.05)
FAR = box(100.60, 7.00, 100.65, 7.05)
IN_WEST = (7.025, 100.425)
IN_EAST = (7.025, 100.475)


def feature(value, geom, key="station", **props):
    """Return a GeoJSON Feature dict with the key property set to value (None leaves it out)."""
    properties = dict(props)
    if value is not None:
        properties[key] = value
    geometry = geom if isinstance(geom, (dict, type(None))) else mapping(geom)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features, crs=None):
    """Return a FeatureCollection dict."""
    data = {"type": "FeatureCollection", "features": list(features)}
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def write_json(path, data):
    """Write data as JSON to path and return the path."""
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_text(path, text):
    """Write text (UTF-8) to path and return the path."""
    path.write_text(text, encoding="utf-8")
    return path
