"""The app a `flask worker` subprocess runs in tests: TestConfig on the database named in the environment."""
import os

from app import create_app
from app.delivery import register_delivery_cli
from config import TestConfig

app = create_app(type("WorkerTestConfig", (TestConfig,), {
    "SQLALCHEMY_DATABASE_URI": os.environ["WORKER_TEST_DATABASE_URL"],
    "INSTANCE_DIR": os.environ["RUAMKAN_INSTANCE"], "WEBHOOK_TIMEOUT": 10}))
if "worker" not in app.cli.commands:
    register_delivery_cli(app)
