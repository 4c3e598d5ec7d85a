"""WSGI entry point: `gunicorn wsgi:app`."""
import os

from app import create_app
from config import CONFIGS

app = create_app(CONFIGS[os.environ.get("RUAMKAN_CONFIG", "default")])
