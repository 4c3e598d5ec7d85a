"""Shared by bench/crash.py and bench/load.py: scratch databases, migrations and a killable gunicorn."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The server and the seeding code must agree on it: sessions and sealed data outlive a restart.
SECRET_KEY = "bench-only-secret-never-for-production"


def stop_on_sigterm():
    """Turn SIGTERM into SystemExit, so `finally` blocks stop gunicorn and drop scratch databases."""
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def engine_name(url):
    """Return 'postgresql' or 'sqlite' for a database URL."""
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def scratch_database(url, workdir, name):
    """Return the URL of an empty database: a SQLite file in workdir, or the PostgreSQL one of url re-created."""
    if not url:
        return f"sqlite:///{Path(workdir) / f'{name}.sqlite'}"
    if engine_name(url) != "postgresql":
        raise SystemExit("--database-url must be a PostgreSQL URL; leave it out to use a SQLite file")
    _admin(url, "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", 'CREATE DATABASE "{name}"')
    return url


def drop_database(url):
    """Drop the PostgreSQL database of url (SQLite files go with their temporary folder)."""
    if engine_name(url) == "postgresql":
        _admin(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url, *statements):
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    admin = sa.create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement.format(name=name))
    finally:
        admin.dispose()


def server_env(url, workdir):
    """Return the environment of the app's processes: this database, no rate limits, a private instance folder."""
    env = dict(os.environ)
    env.update(DATABASE_URL=url, SECRET_KEY=SECRET_KEY, RATELIMIT_ENABLED="false", RUAMKAN_CONFIG="default",
               RUAMKAN_INSTANCE=str(Path(workdir) / "instance"), FLASK_APP="wsgi", PYTHONUNBUFFERED="1")
    return env


def migrate(url, workdir):
    """Bring the database to the newest schema with `flask db upgrade`, as an operator would."""
    done = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=REPO, env=server_env(url, workdir),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"flask db upgrade failed:\n{done.stdout}{done.stderr}")


class Gunicorn:
    """A gunicorn master and its workers in their own process group, so one signal ends them all."""

    def __init__(self, app, *, env, workers, port, log_path, timeout=60, extra_args=()):
        self.app, self.env, self.workers, self.port = app, env, workers, port
        self.extra_args = tuple(extra_args)
        self.log_path, self.timeout = Path(log_path), timeout
        self.process = None
        self.starts = 0

    def start(self, ready_path="/", wait=60.0):
        """Start the server and return once it answers HTTP on ready_path."""
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers",
                 str(self.workers), "--timeout", str(self.timeout), "--graceful-timeout", "5",
                 "--log-level", "warning", *self.extra_args, self.app],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        self.wait_ready(ready_path, wait)

    def wait_ready(self, path, wait):
        """Poll until the server answers anything below 500 on path; fail with its log when it dies first."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path)
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer within {wait:.0f} s:\n{self.log_tail()}")

    def kill(self):
        """SIGKILL the master and every worker at once, as a power cut or the OOM killer would."""
        pgid = self.process.pid  # start_new_session made the master the group leader
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self._wait_group_gone(pgid)

    def stop(self):
        """Stop the server gracefully (SIGTERM), killing it if it does not go within ten seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        pgid = self.process.pid
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait()
        self._wait_group_gone(pgid)

    @staticmethod
    def _wait_group_gone(pgid, wait=10.0):
        # A worker dies a moment after its master; until then it may hold the port and database locks.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _live_members(pgid):
            time.sleep(0.02)

    def log_tail(self, lines=40):
        """Return the last lines of the server's log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _live_members(pgid):
    """Return how many processes of the group are still running (zombies hold nothing; Linux /proc only)."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the command name is in parentheses and may hold spaces: split after the last ')'
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            count += 1
    return count
