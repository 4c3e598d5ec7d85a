""".ci/audit_latest.py, the dependency audit used where pip-audit's source does not answer, against a
real local HTTP server standing in for PyPI's project JSON."""
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_latest.py"
ADVISORY = {"id": "GHSA-test-0001", "aliases": ["CVE-2026-0001"], "summary": "made up for the test"}


@pytest.fixture
def pypi():
    """A local project-JSON server: every project is at its installed version and clean, except what
    the test puts in `answers` (name -> (latest version, advisories)) or in `down`."""
    answers, down = {}, set()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            name = self.path.strip("/").split("/")[0]
            if name in down:
                self.send_error(503)
                return
            latest, advisories = answers.get(name.lower(), (version(name), []))
            body = json.dumps({"info": {"version": latest}, "vulnerabilities": advisories}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", answers, down
    server.shutdown()


def run(url, exceptions_file):
    done = subprocess.run([sys.executable, str(SCRIPT), "--json-url", url, "--exceptions", str(exceptions_file)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_clean_when_every_latest_release_has_no_advisory(pypi, tmp_path):
    url, answers, _down = pypi
    answers["pytest"] = ("999.0", [ADVISORY])  # behind the latest: its advisories cannot be judged here
    code, out = run(url, tmp_path / "none.txt")
    assert code == 0, out
    assert "0 with advisories, 1 not checked" in out
    assert f"not checked: pytest {version('pytest')} (latest 999.0)" in out


def test_an_advisory_on_the_installed_latest_release_fails(pypi, tmp_path):
    url, answers, _down = pypi
    answers["flask"] = (version("flask"), [ADVISORY])
    code, out = run(url, tmp_path / "none.txt")
    assert code == 1, out
    assert f"ADVISORY: Flask {version('flask')}: GHSA-test-0001" in out


def test_a_documented_exception_is_accepted_by_id_or_alias(pypi, tmp_path):
    url, answers, _down = pypi
    answers["flask"] = (version("flask"), [ADVISORY])
    exceptions = tmp_path / "exceptions.txt"
    exceptions.write_text("# accepted until the next Flask release: not reachable in Ruamkan\nCVE-2026-0001 why\n")
    code, out = run(url, exceptions)
    assert code == 0, out
    assert "0 with advisories" in out


def test_unreachable_json_says_not_run(tmp_path):
    code, out = run("http://127.0.0.1:9", tmp_path / "none.txt")
    assert code == 2, out
    assert "fallback audit NOT RUN" in out


def test_a_failed_lookup_is_listed_not_counted_clean(pypi, tmp_path):
    url, _answers, down = pypi
    down.add("Flask")
    code, out = run(url, tmp_path / "none.txt")
    assert code == 0, out
    assert "1 lookups failed" in out and "lookup failed: Flask" in out
