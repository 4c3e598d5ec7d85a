"""Unknown paths under an API prefix answer in that API's error format, with 405 where a method is wrong."""
from flask import current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def unknown_route(unknown=None):
    """Catch-all of a blueprint: 405 with Allow when another method fits the path, else 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if not endpoint.rpartition(".")[2].startswith("unknown"):
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound()
