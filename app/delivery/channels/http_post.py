"""One small HTTP POST helper shared by the webhook and LINE channels (stdlib only)."""
import json
import urllib.error
import urllib.parse
import urllib.request

from app.delivery.channels import DeliveryError, PermanentFailure

# Peers may ask us to come back later with these; every other 4xx means the request itself is wrong.
RETRYABLE_4XX = frozenset({408, 429})


def post_json(url, body, headers, *, timeout, accept=(), retry=()):
    """POST raw JSON bytes; return the status on 2xx (or a status in `accept`), else raise DeliveryError.

    Statuses in `retry` are retried even though they are 4xx (e.g. our own token was refused).
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        # urlopen would also follow file: and ftp: URLs; a peer address is only ever HTTP(S)
        raise PermanentFailure(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        # the scheme was checked above: only http(s) reaches urlopen
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        status = error.code
        if status in accept:
            return status
        detail = _snippet(error)
        retry_after = _retry_after(error.headers.get("Retry-After"))
        if 400 <= status < 500 and status not in RETRYABLE_4XX and status not in retry:
            raise PermanentFailure(f"HTTP {status} from {url}: {detail}") from None
        raise DeliveryError(f"HTTP {status} from {url}: {detail}", retry_after=retry_after) from None
    except (urllib.error.URLError, OSError) as error:  # refused, DNS, TLS, timeouts
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"cannot reach {url}: {reason}") from None


def dumps(document):
    """Return compact UTF-8 JSON bytes (Thai kept as is, not escaped)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _snippet(error):
    try:
        return error.read(300).decode("utf-8", "replace").strip() or error.reason
    except Exception:  # the body is only for the error message; never let it hide the status
        return error.reason


def _retry_after(value):
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None
