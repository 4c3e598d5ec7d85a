"""A real HTTP server around a fresh app, for browser tests."""
import threading

from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestConfig


class LiveServer:
    """Serve an app with its own SQLite file on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, tmp_path, **config):
        settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}",
                    "INSTANCE_DIR": str(tmp_path), "WTF_CSRF_ENABLED": True, **config}
        self.app = create_app(type("LiveConfig", (TestConfig,), settings))
        with self.app.app_context():
            db.create_all()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


def block_outside_network(context, base_url):
    """Abort every request that is not to our own server (no tiles, no fonts from elsewhere)."""
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.abort())


def type_place(page, lat, lon):
    """Type coordinates as a member without GPS does: unfold "Search for a place, or type the coordinates"."""
    if not page.locator("#place-more").evaluate("details => details.open"):
        page.locator("#place-more summary").click()
    page.fill("#lat", lat)
    page.fill("#lon", lon)
