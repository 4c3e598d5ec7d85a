"""Security headers on every response: a strict CSP, no framing, no sniffing, HSTS in production."""
from urllib.parse import urlsplit


def content_security_policy(tile_url):
    """Build the CSP: our own scripts and styles only (no inline), images also from the tile server."""
    tile = urlsplit(tile_url or "")
    tile_origin = f"{tile.scheme}://{tile.netloc}" if tile.scheme in ("http", "https") and tile.netloc else ""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: blob: {tile_origin}".strip(),
        "connect-src": "'self'",
        "font-src": "'self'",
        "worker-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_security_headers(app):
    """Add the security headers to every response."""
    csp = content_security_policy(app.config.get("TILE_URL"))
    hsts = app.config.get("SESSION_COOKIE_SECURE", False)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
