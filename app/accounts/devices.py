"""A short, readable name for the device behind a User-Agent ("Chrome on Android")."""
from flask_babel import gettext as _

# First match wins: in-app browsers and Edge/Samsung/Opera announce Chrome or Safari too.
_BROWSERS = (("Line/", "LINE"), ("FBAN", "Facebook"), ("FBAV", "Facebook"), ("EdgA/", "Edge"), ("Edg/", "Edge"),
             ("SamsungBrowser/", "Samsung Internet"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_device(user_agent):
    """Return e.g. 'Chrome on Android', or 'Unknown device' when the agent says nothing we know."""
    text = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in text), None)
    system = next((name for marker, name in _SYSTEMS if marker in text), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown device")
