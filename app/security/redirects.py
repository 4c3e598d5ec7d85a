"""Safe `next=` targets: read a return-to value as a browser would and keep only a path on this host."""
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# The WHATWG URL parser strips C0 controls and spaces at both ends and drops tab, CR and LF anywhere,
# then reads "\" as "/" for http(s). A check on the raw text misses "\t//evil.com" or "/\evil.com",
# which the browser follows to evil.com; so we normalise exactly as it does before judging.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters a Location header may carry as they are; anything else is percent-encoded.
_SAFE = "/%:@!$&'()*+,;=-._~?"


def browser_view(value):
    """Return the text the browser would parse for this URL: ends trimmed, tabs/newlines gone, '\\' as '/'."""
    text = value.strip(_EDGES)
    text = _TAB_OR_NEWLINE.sub("", text)
    return text.replace("\\", "/")


def safe_redirect_target(value, fallback):
    """Return value as a path (+query) on this host when a browser would stay here, else fallback."""
    if not isinstance(value, str) or not value:
        return fallback
    text = browser_view(value)
    if not text.startswith("/") or text.startswith("//") or _CONTROL.search(text):
        return fallback
    try:
        parts = urlsplit(text)
        text.encode("utf-8")  # a lone surrogate cannot be sent in a header
    except (ValueError, UnicodeEncodeError):
        return fallback
    if parts.scheme or parts.netloc:
        return fallback
    # "/%2F/evil.com" stays on this host in the browser, but a server that decodes before it routes
    # (or merges slashes and redirects) could turn it into "//evil.com"; refuse it, no page needs it.
    if browser_view(unquote(parts.path)).startswith("//") or _CONTROL.search(unquote(text)):
        return fallback
    return urlunsplit(("", "", quote(parts.path, safe=_SAFE), quote(parts.query, safe=_SAFE), ""))
