"""Where photo files live: a small save/open/delete-by-key interface, local folder for now."""
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_.\-]*)*$")


class LocalStorage:
    """Files under one folder; keys are relative paths. Swap for an object store with the same methods."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key):
        # Keys are made by us, but a key must never name a file outside the root.
        if not _KEY.match(key) or ".." in key:
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    def save(self, key, data):
        """Write data under key atomically, so a crash never leaves half a file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key):
        """Return the stored file opened for binary reading (raises FileNotFoundError)."""
        return open(self._path(key), "rb")

    def read(self, key):
        """Return the stored bytes."""
        with self.open(key) as f:
            return f.read()

    def delete(self, key):
        """Remove the file; a missing file is not an error."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key):
        """Return True when a file is stored under key."""
        return self._path(key).is_file()


def get_storage():
    """Return the photo storage configured for this app (PHOTO_STORAGE_DIR, else instance/photos)."""
    root = current_app.config.get("PHOTO_STORAGE_DIR") or os.path.join(current_app.instance_path, "photos")
    return LocalStorage(root)
