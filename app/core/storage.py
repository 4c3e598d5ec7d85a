"""Where files live (photos, sealed originals, exports): one save/open/delete-by-key interface, two backends.

STORAGE_URL chooses the backend: `file:///path` (a local folder, the embedded demo's default) or
`s3://bucket/prefix` (any S3-compatible object store: SeaweedFS in tests, MinIO, Ceph, AWS; see
app/core/s3storage.py). Several servers must share one object store, never each its own folder.
The store is private: files are served by the app after its access checks, never from a public bucket.
"""
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from app.core.storage_keys import StorageUnavailable, check_key  # noqa: F401 - callers import them from here


class LocalStorage:
    """Files under one folder; keys are relative paths."""

    def __init__(self, root):
        self.root = Path(root)

    @property
    def url(self):
        return self.root.resolve().as_uri()

    def _path(self, key):
        return self.root / check_key(key)

    def save(self, key, data):
        """Write data under key atomically, so a crash never leaves half a file."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError as error:
            raise StorageUnavailable(f"cannot write under {self.root}: {error}") from error
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError as error:
            Path(tmp).unlink(missing_ok=True)
            raise StorageUnavailable(f"cannot write {key}: {error}") from error
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def save_file(self, key, fileobj):
        """Store the rest of an open binary file under key (large files: read in chunks, written atomically)."""
        self.save(key, fileobj.read())

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

    def keys(self):
        """Yield every stored key (temporary files of unfinished writes excluded)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()


def storage_from_url(url, config=None):
    """Return the storage a STORAGE_URL names: file:///path or s3://bucket/prefix (ValueError otherwise)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise ValueError(f"STORAGE_URL {url!r}: write file:///absolute/path")
        return LocalStorage(parts.path)
    if parts.scheme == "s3":
        from app.core.s3storage import S3Storage  # boto3 is needed only by deployments that use S3
        if not parts.netloc:
            raise ValueError(f"STORAGE_URL {url!r}: write s3://bucket/prefix")
        return S3Storage(parts.netloc, parts.path.strip("/"), config or {})
    raise ValueError(f"STORAGE_URL {url!r}: use file:///path or s3://bucket/prefix")


def storage_url(app):
    """Return the app's STORAGE_URL: as configured, else the folder PHOTO_STORAGE_DIR or instance/photos."""
    url = app.config.get("STORAGE_URL")
    if url:
        return url
    root = app.config.get("PHOTO_STORAGE_DIR") or os.path.join(app.instance_path, "photos")
    return Path(root).resolve().as_uri()


def get_storage():
    """Return the file storage configured for this app (one client per app and URL, shared by threads)."""
    app = current_app._get_current_object()
    url = storage_url(app)
    key = (url, app.config.get("S3_ENDPOINT_URL"))
    cache = app.extensions.setdefault("ruamkan_storage", {})
    if key not in cache:
        cache[key] = storage_from_url(url, app.config)
    return cache[key]


def declare_stored_keys(app, name, source):
    """Tell `flask storage check` which keys a package's rows expect: source() yields storage keys."""
    app.extensions.setdefault("ruamkan_stored_keys", {})[name] = source


def expected_keys(app):
    """Return {key: what holds it} for every key some row expects to find in storage."""
    expected = {}
    for name, source in app.extensions.get("ruamkan_stored_keys", {}).items():
        for key in source():
            expected[key] = name
    return expected
