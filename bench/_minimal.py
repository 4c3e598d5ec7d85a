"""The smallest Flask app, served by the same gunicorn setup as Ruamkan: the load test's yardstick."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    """Answer 'ok'."""
    return "ok"
