"""Rate limits hold across gunicorn workers: the sign-in limit of 10 lets exactly 10 tries through.

With memory:// each worker counted on its own, so two workers let 18 of 20 sign-in tries through. Here
the production configuration runs under gunicorn with two workers, and 20 tries arrive at once from one
address, against the shared storages a deployment may choose: the database (the default) and Redis.
The access log names the worker of each request, so the test also shows both workers took part.
"""
import os
import re
import sys
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.conftest import require_service

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _http import Session, csrf_token  # noqa: E402
from _server import Gunicorn, drop_database, free_port, migrate, scratch_database, server_env  # noqa: E402

TRIES, LIMIT = 20, 10
REDIS_DB = 14  # a database number of its own, emptied by this test


@pytest.fixture()
def database_url(tmp_path):
    """A migrated scratch database on the engine under test."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        url = scratch_database(f"{base.rsplit('/', 1)[0]}/ruamkan_limits_{uuid.uuid4().hex[:8]}", tmp_path, "limits")
    else:
        url = scratch_database("", tmp_path, "limits")
    migrate(url, tmp_path)
    yield url
    drop_database(url)


def _redis_url():
    import redis

    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        require_service("Redis on 127.0.0.1:6379")
    return url


@pytest.mark.parametrize("storage", ["database://", "redis"])
def test_the_sign_in_limit_is_exact_across_two_workers(tmp_path, database_url, storage):
    storage_uri = _redis_url() if storage == "redis" else storage
    env = server_env(database_url, tmp_path)
    env.update(RUAMKAN_CONFIG="production", SEALING_KEY=Fernet.generate_key().decode(), RATELIMIT_ENABLED="true",
               RATELIMIT_STORAGE_URI=storage_uri, LOGIN_RATE_LIMIT=f"{LIMIT} per minute",
               RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex[:8]}", PUBLIC_BASE_URL="https://ruamkan.example")
    log = tmp_path / "access.log"
    server = Gunicorn("wsgi:app", env=env, workers=2, port=free_port(), log_path=tmp_path / "gunicorn.log",
                      extra_args=("--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"))
    server.start("/healthz")
    try:
        phones = [Session(server.port) for _ in range(TRIES)]
        tokens = [csrf_token(phone.get("/accounts/login").text) for phone in phones]

        def try_once(index):
            form = {"csrf_token": tokens[index], "username": f"nobody-{index}", "password": "wrong-guess-123"}
            return phones[index].post("/accounts/login", form=form).status

        with ThreadPoolExecutor(TRIES) as pool:
            statuses = Counter(pool.map(try_once, range(TRIES)))
    finally:
        server.stop()
    assert statuses == {400: LIMIT, 429: TRIES - LIMIT}, server.log_tail()
    posts = re.findall(r"^(?:<)?(\d+)>? POST /accounts/login (\d+)$", log.read_text(), re.M)
    assert len({pid for pid, _status in posts}) == 2, "both workers must have answered sign-in tries"


def test_production_refuses_per_process_counters(monkeypatch, tmp_path):
    from app import create_app
    from config import ProductionConfig

    for name, value in (("SECRET_KEY", "a-long-random-production-secret"), ("DATABASE_URL", "sqlite://"),
                        ("SEALING_KEY", Fernet.generate_key().decode())):
        monkeypatch.setenv(name, value)
    config = type("Prod", (ProductionConfig,), {"RATELIMIT_STORAGE_URI": "memory://", "INSTANCE_DIR": str(tmp_path),
                                                "PUBLIC_BASE_URL": "https://ruamkan.example"})
    with pytest.raises(RuntimeError, match="memory://.*redis://.*database://"):
        create_app(config)
