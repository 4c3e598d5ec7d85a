"""The API keeps to its own OpenAPI document under every schemathesis check, in every phase.

Schemathesis runs as its CLI would in CI (`st run --checks all`: examples, coverage, fuzzing and
stateful phases) against a real HTTP server, once with a council member's token and once with a desk
officer's, so both sides of the workflow are fuzzed. A failure prints schemathesis' own report.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.triage.services import add_internal_note
from tests.api.helpers import token_for
from tests.factories import make_report, make_user
from tests.live import LiveServer
from tests.reports.factories_reports import make_world

CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = Path(sys.executable).with_name("st")


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    """A live server with a routed world, a report both roles can load, and both roles' tokens."""
    folder = tmp_path_factory.mktemp("schemathesis")
    server = LiveServer(folder, API_RATE_LIMIT="100000 per minute", SUBMIT_RATE_LIMIT="100000 per minute")
    with server.app.app_context(), server.app.test_request_context():
        world = make_world(prefix="SKA")
        world.pao.code = "songkhla"
        desk = make_user(role=Role.DESK_OFFICER, station=world.west, username="desk.west")
        report = make_report(filed_by=world.member, station=world.west, category=world.category)
        add_internal_note(report, "Watch from Friday", actor=desk)
        db.session.commit()
        tokens = {"member": token_for(world.member), "west_desk": token_for(desk)}
        db.session.commit()
    with server:
        yield server, tokens


@pytest.mark.parametrize("role", ["member", "west_desk"])
def test_the_api_keeps_to_its_document_under_every_check(api_server, role, tmp_path):
    server, tokens = api_server
    command = [str(ST), "--config-file", str(CONFIG), "run", f"{server.url}/api/v1/openapi.json",
               "--checks", "all", "-H", f"Authorization: Bearer {tokens[role]}", "--max-examples", "40",
               "--seed", "20261206", "--generation-database", "none", "--no-color", "--request-timeout", "20"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    summary = done.stdout[done.stdout.find("SUMMARY"):]
    assert done.returncode == 0, done.stdout[-20000:]
    assert "Tested: 9" in summary, summary  # every operation of the document was reached
