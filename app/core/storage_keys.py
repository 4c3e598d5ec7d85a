"""What every storage backend shares: the error of a store that is down, and the shape of a key."""
import re

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_.\-]*)*$")


class StorageUnavailable(OSError):
    """The store did not answer (down, unreachable, out of space): the caller answers 503 and writes nothing."""


def check_key(key):
    """Refuse a key that could name something outside the store's root (keys are made by us, but still)."""
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"invalid storage key {key!r}")
    return key
