"""Files in an S3-compatible object store (SeaweedFS, MinIO, Ceph, AWS S3), through boto3.

boto3 is AWS's own client, released weekly and used everywhere: it signs requests (SigV4), retries,
does multipart uploads of large exports (s3transfer) and reads the standard AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION variables, so operators configure it the way they
configure every other S3 tool. S3_ENDPOINT_URL points it at a store other than AWS.
"""
import io

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from app.core.storage_keys import StorageUnavailable, check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    """Objects in one bucket under an optional prefix; keys are the same as LocalStorage's."""

    def __init__(self, bucket, prefix, config):
        self.bucket, self.prefix = bucket, prefix
        timeout = float(config.get("STORAGE_TIMEOUT", 5))
        self.client = boto3.client(
            "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            config=BotoConfig(connect_timeout=timeout, read_timeout=timeout * 6,
                              retries={"max_attempts": 2, "mode": "standard"},
                              s3={"addressing_style": "path"}))

    @property
    def url(self):
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def _name(self, key):
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, method, key, **kwargs):
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code"))
            if code in _MISSING:
                raise FileNotFoundError(key) from error
            raise StorageUnavailable(f"object store refused {method} {key}: {code}") from error
        except BotoCoreError as error:  # connection refused, timeout, DNS
            raise StorageUnavailable(f"object store unreachable ({method} {key}): {error}") from error

    def save(self, key, data):
        """Store data under key; S3 writes are atomic (an object is whole or absent)."""
        self._call("put_object", key, Key=self._name(key), Body=data)

    def save_file(self, key, fileobj):
        """Upload an open binary file (multipart when large), never holding it all in memory."""
        name = self._name(key)
        try:
            self.client.upload_fileobj(fileobj, self.bucket, name)
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(f"object store refused upload of {key}: {error}") from error
        except Exception as error:  # s3transfer wraps failures in its own errors
            if type(error).__module__.startswith(("s3transfer", "boto")):
                raise StorageUnavailable(f"object store refused upload of {key}: {error}") from error
            raise

    def open(self, key):
        """Return a readable binary stream of the object (raises FileNotFoundError)."""
        body = self._call("get_object", key, Key=self._name(key))["Body"]
        return _Stream(body)

    def read(self, key):
        """Return the object's bytes."""
        with self.open(key) as stream:
            return stream.read()

    def delete(self, key):
        """Remove the object; a missing object is not an error."""
        self._call("delete_object", key, Key=self._name(key))

    def exists(self, key):
        """Return True when an object is stored under key."""
        try:
            self._call("head_object", key, Key=self._name(key))
        except FileNotFoundError:
            return False
        return True

    def keys(self):
        """Yield every stored key under the prefix."""
        start = f"{self.prefix}/" if self.prefix else ""
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
            for page in pages:
                for item in page.get("Contents", ()):
                    yield item["Key"][len(start):]
        except (ClientError, BotoCoreError) as error:
            raise StorageUnavailable(f"object store refused listing: {error}") from error


class _Stream(io.RawIOBase):
    """A botocore body as a file object (with, read, iteration in chunks)."""

    def __init__(self, body):
        self.body = body

    def readable(self):
        return True

    def read(self, size=-1):
        try:
            return self.body.read(None if size is None or size < 0 else size)
        except BotoCoreError as error:
            raise StorageUnavailable(f"object store broke off a read: {error}") from error

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.body.close()
        super().close()
