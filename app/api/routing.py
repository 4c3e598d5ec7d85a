"""Unknown paths under an API prefix answer in that API's error format, with 405 where a method is wrong."""
from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def routed_methods():
    """Return the methods the request's path really has (the catch-all rules left out)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if not endpoint.rpartition(".")[2].startswith("unknown"):
            allowed.append(method)
    return allowed


def unknown_route(unknown=None):
    """Catch-all of a blueprint: 405 with Allow when another method fits the path, else 404."""
    allowed = routed_methods()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound()


def answer_options():
    """OPTIONS: the path's own methods in Allow (Werkzeug's answer would list the catch-all's too)."""
    if request.method != "OPTIONS":
        return None
    allowed = routed_methods()
    if not allowed:
        raise NotFound()
    extra = ["HEAD"] if "GET" in allowed else []
    return Response(status=204, headers={"Allow": ", ".join([*allowed, *extra, "OPTIONS"])})
