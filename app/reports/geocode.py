"""Address and landmark search through geopy (Nominatim by default), politely rate-limited."""
import threading

from flask import current_app
from flask_babel import lazy_gettext as _l
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

MAX_QUERY = 200
MAX_RESULTS = 5

_lock = threading.Lock()
_limiters = {}


class GeocodingUnavailable(RuntimeError):
    """The search service could not be reached or answered with an error."""


def _settings():
    config = current_app.config
    return (config.get("GEOCODER_DOMAIN", "nominatim.openstreetmap.org"),
            config.get("GEOCODER_SCHEME", "https"),
            config.get("GEOCODER_USER_AGENT", "ruamkan/1.0 (PAO council reports)"),
            float(config.get("GEOCODER_TIMEOUT", 5)),
            float(config.get("GEOCODER_MIN_DELAY", 1.0)))


def _geocode_function():
    """Return one RateLimiter per geocoder setting, shared by every request of this process."""
    settings = _settings()
    with _lock:
        limiter = _limiters.get(settings)
        if limiter is None:
            domain, scheme, agent, timeout, delay = settings
            geolocator = Nominatim(domain=domain, scheme=scheme, user_agent=agent, timeout=timeout)
            # Nominatim's policy is at most one request a second; no retries, the member can tap again.
            limiter = RateLimiter(geolocator.geocode, min_delay_seconds=delay, max_retries=0,
                                  swallow_exceptions=False)
            _limiters[settings] = limiter
    return limiter


def search_places(query, lang="th"):
    """Return up to five places [{lat, lon, label}] matching the query, Thailand only."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    if len(query) < 2:
        return []
    try:
        found = _geocode_function()(query, exactly_one=False, limit=MAX_RESULTS, country_codes="th",
                                    language=lang, addressdetails=False)
    except GeopyError as error:
        current_app.logger.warning("geocoder unavailable: %s", error)
        raise GeocodingUnavailable(str(error)) from None
    return [{"lat": round(p.latitude, 6), "lon": round(p.longitude, 6), "label": p.address[:300]}
            for p in (found or [])]


UNAVAILABLE_MESSAGE = _l("Place search is not available right now (the search service cannot be reached). "
                         "Please place the pin on the map or type the coordinates instead.")
NO_QUERY_MESSAGE = _l("Type a place, road or landmark to search for.")
NOTHING_FOUND_MESSAGE = _l("No place was found. Try another name, or place the pin on the map.")
