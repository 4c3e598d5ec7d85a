"""What the service worker keeps on the phone, and a version that changes whenever any of it changes."""
import hashlib
import json
from pathlib import Path

from flask import current_app, url_for

# Pages a council member needs without a signal; each is cached when fetched (network first).
MEMBER_PAGES = ("home.home", "reports.new", "reports.mine")
# Kept at install so the form works offline on the first visit without a signal.
PRECACHE_STATIC = ("css/app.css", "css/intake.css", "css/offline.css", "js/intake.js", "js/offline.js",
                   "js/offline-store.js", "js/offline-send.js", "js/offline-photos.js", "js/offline-fields.js",
                   "js/offline-list.js", "js/offline-drafts.js",
                   "icons/icon-192.png")
PRECACHE_LEAFLET = ("leaflet.js", "leaflet.css", "images/marker-icon.png", "images/marker-icon-2x.png",
                    "images/marker-shadow.png")
WORKER_SCRIPTS = ("js/offline-store.js", "js/offline-send.js")
_SIGNATURE_CACHE = {}


def _files():
    """Return every file whose change must give the worker a new version (and so fresh caches)."""
    app = current_app
    static = Path(app.static_folder)
    leaflet = Path(app.blueprints["stations"].static_folder) if "stations" in app.blueprints else None
    templates = Path(app.root_path).parent / "templates" / "offline"
    translations = Path(app.root_path) / "translations"
    files = sorted(p for p in static.rglob("*") if p.is_file())
    if leaflet is not None:
        files += [leaflet / name for name in PRECACHE_LEAFLET if (leaflet / name).is_file()]
    files += sorted(templates.glob("*.html")) + sorted(translations.rglob("*.mo"))
    return files


def asset_version():
    """Return a short hash of the static files, the offline templates and the translations."""
    files = _files()
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp not in _SIGNATURE_CACHE:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _SIGNATURE_CACHE.clear()
        _SIGNATURE_CACHE[stamp] = digest.hexdigest()[:16]
    return _SIGNATURE_CACHE[stamp]


def worker_config():
    """Return the settings written ahead of the worker script: version, URLs to keep, pages to cache."""
    precache = [url_for("static", filename=name) for name in PRECACHE_STATIC]
    if "stations" in current_app.blueprints:
        precache += [url_for("stations.static", filename=name) for name in PRECACHE_LEAFLET]
    static_prefixes = [current_app.static_url_path + "/"]
    if "stations" in current_app.blueprints:
        static_prefixes.append(url_for("stations.static", filename=""))
    return {
        "version": asset_version(),
        "precache": precache,
        "staticPrefixes": static_prefixes,
        "pages": [url_for(endpoint) for endpoint in MEMBER_PAGES],
        "formUrl": url_for("reports.new"),
        "offlineUrl": url_for("offline.page"),
        "sessionUrl": url_for("offline.session_info"),
        "scripts": [url_for("static", filename=name) for name in WORKER_SCRIPTS],
    }


def worker_script():
    """Return the service worker: its settings as one line of JavaScript, then app/static/js/sw.js."""
    source = (Path(current_app.static_folder) / "js" / "sw.js").read_text(encoding="utf-8")
    return f"self.RUAMKAN_CONFIG = {json.dumps(worker_config(), separators=(',', ':'))};\n{source}"


def manifest():
    """Return the web app manifest with its icon and start URLs made absolute for this deployment."""
    data = json.loads((Path(current_app.static_folder) / "manifest.webmanifest").read_text(encoding="utf-8"))
    data["start_url"] = url_for("home.home")
    data["scope"] = "/"
    for icon in data["icons"]:
        icon["src"] = url_for("static", filename=icon["src"])
    return data
