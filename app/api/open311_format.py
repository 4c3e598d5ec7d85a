"""GeoReport v2 answers as JSON or XML (the format is the path's extension)."""
from xml.etree import ElementTree as ET

from flask import Response, json

# A list under one of these keys becomes a wrapper element with one child per item.
_LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
ROOTS = {  # kind of answer -> (root element, item element); item None: the answer is one object
    "discovery": ("discovery", None),
    "services": ("services", "service"),
    "service_definition": ("service_definition", None),
    "requests": ("service_requests", "request"),
    "updates": ("service_request_updates", "request_update"),
}


def render(kind, data, fmt, status=200):
    """Return the answer in the requested format."""
    if fmt == "xml":
        root_name, item_name = ROOTS[kind]
        root = ET.Element(root_name)
        if item_name is None:
            _fill(root, data)
        else:
            for item in data:
                _fill(ET.SubElement(root, item_name), item)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")


def _fill(element, data):
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for item in value:
                _fill_value(ET.SubElement(child, _LIST_ITEMS.get(key, "item")), item)
        else:
            _fill_value(child, value)


def _fill_value(element, value):
    if isinstance(value, dict):
        _fill(element, value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
