"""Input guards that keep hostile values from the database: bounded ids in URLs, bounded JSON, storable text."""
import json
import re

from flask import current_app
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from app.security.params import INT64_MAX


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only values a database integer can hold, so a longer one is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT64_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class JsonRefused(ValueError):
    """A JSON text refused before parsing: too large or nested too deep; carries English and Thai."""

    def __init__(self, message, message_th):
        super().__init__(message)
        self.message, self.message_th = message, message_th


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text):
    """Return how deep the arrays and objects of a JSON text nest, ignoring brackets inside strings."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def check_json_text(data, max_bytes, max_depth):
    """Raise JsonRefused for a body too large or too deep for json.loads (deep nesting is a RecursionError)."""
    if len(data) > max_bytes:
        raise JsonRefused(f"The JSON body is larger than {max_bytes} bytes.",
                          f"เนื้อหา JSON มีขนาดเกิน {max_bytes} ไบต์")
    if isinstance(data, bytes):
        try:
            data = data.decode(json.detect_encoding(data))
        except (UnicodeDecodeError, LookupError):
            raise JsonRefused("The JSON body is not valid UTF-8.", "เนื้อหา JSON ไม่ใช่ UTF-8 ที่ถูกต้อง") from None
    # Cheap first: a text with few brackets cannot nest deeply, so most bodies skip the scan.
    if data.count("[") + data.count("{") > max_depth and json_depth(data) > max_depth:
        raise JsonRefused(f"The JSON body nests deeper than {max_depth} levels.",
                          f"เนื้อหา JSON ซ้อนกันลึกเกิน {max_depth} ชั้น")
    return data


# No person types these, and the database cannot keep them: a lone surrogate fails to encode at flush,
# NUL is refused by PostgreSQL text. Tab, LF and CR are ordinary typing.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def has_unstorable(text):
    """Return True when a text holds a character no text column can keep (or no person types)."""
    return _UNSTORABLE.search(text) is not None


def without_unstorable(text):
    """Return the text without those characters."""
    return _UNSTORABLE.sub("", text)


def unstorable_field(value, path="body"):
    """Return the path of the first string (or key) in a parsed JSON value that cannot be stored, or None."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        name = f"{path}.{key}" if path != "body" else str(key)
        if isinstance(key, str) and _UNSTORABLE.search(key):
            return path
        found = unstorable_field(item, name)
        if found:
            return found
    return None


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with the size and depth limits checked before parsing."""

    def loads(self, s, **kwargs):
        config = current_app.config
        text = check_json_text(s, config.get("JSON_MAX_BYTES", 1024 * 1024), config.get("JSON_MAX_DEPTH", 32))
        value = super().loads(text, **kwargs)
        field = unstorable_field(value)
        if field:
            raise JsonRefused(f"{field}: remove control characters or broken (surrogate) characters.",
                              f"{field}: กรุณาลบอักขระควบคุมหรืออักขระที่เสียหาย (surrogate) ออก")
        return value


def unstorable_parameter(request):
    """Return the name of the first query value (or machine-interface form value) that cannot be stored."""
    machine = request.path.startswith(("/open311/", "/api/"))  # no form to show again: answer 400
    pairs = [*request.args.items(multi=True), *(request.form.items(multi=True) if machine else ())]
    for name, value in pairs:
        if _UNSTORABLE.search(name) or _UNSTORABLE.search(value):
            return name
    return None


def refuse_unstorable_parameters():
    """Before any view: a path part no text column can keep is a 404, such a query value a clear 400.

    Form values of HTML pages are left to the forms, which show the form again with the field's error;
    Open311 and the API have no form to show, so their form values are checked here too.
    """
    from flask import request
    from werkzeug.exceptions import BadRequest, NotFound

    if any(isinstance(v, str) and _UNSTORABLE.search(v) for v in (request.view_args or {}).values()):
        raise NotFound()
    name = unstorable_parameter(request)
    if name is not None:
        refused = BadRequest(f"{name[:40]!r}: remove control characters (such as NUL) and send it again. "
                             f"กรุณาลบอักขระควบคุม (เช่น NUL) ออกแล้วส่งใหม่")
        refused.show_description = True  # the error page shows this text instead of the generic one
        raise refused


def init_input_guards(app):
    """Install the bounded `int` converter (before any blueprint adds its rules), the guarded JSON, the text guard."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = GuardedJSONProvider(app)
    app.before_request(refuse_unstorable_parameters)
