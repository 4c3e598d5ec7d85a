"""Lighthouse mobile on the intake form as a council member sees it: loaded, then with the map opened.

Sets up a scratch SQLite database with the Songkhla demo (and the station areas when ../shared/data is
there), serves it with gunicorn, signs a council member in, and runs a Lighthouse user flow
(bench/lighthouse/flow.mjs: Lighthouse's default mobile emulation and throttling) in Debian's Chromium:
navigation of /reports/new, a timespan in which the member taps *Map* and the map draws, and a snapshot
of the form with the map open. Prints each step's category scores, the navigation's metrics and any
failing accessibility audit. Targets: performance ≥ 0.95, accessibility 1.00.

Needs Node.js and npm (it runs `npm install` in bench/lighthouse the first time) and CHROME_PATH or
/usr/bin/chromium. Map tiles are switched off (no internet here): the map draws the tambon base layer.

Run: python bench/lighthouse_form.py [--keep]
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

from bench._http import Session, sign_in  # noqa: E402
from bench._seed import PASSWORD, bench_app, seed_people  # noqa: E402
from bench._server import Gunicorn, free_port, migrate, scratch_database, server_env, stop_on_sigterm  # noqa: E402

FLOW = REPO / "bench" / "lighthouse"
TARGETS = {"performance": 0.95, "accessibility": 1.0}


def ensure_lighthouse():
    if not (FLOW / "node_modules" / "lighthouse").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=FLOW, check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    ensure_lighthouse()
    workdir = Path(tempfile.mkdtemp(prefix="ruamkan_lh_"))
    url = scratch_database(None, workdir, "lighthouse")
    server = None
    try:
        migrate(url, workdir)
        seeded = seed_people(bench_app(url, workdir), members=1, desks=0, coordinators=0, areas=True)
        env = dict(server_env(url, workdir), TILE_URL="")
        server = Gunicorn("wsgi:app", env=env, workers=2, port=free_port(), log_path=workdir / "gunicorn.log")
        server.start(ready_path="/accounts/login")
        session = Session(server.port)
        sign_in(session, seeded.members[0], PASSWORD)
        (name, value), = [(k, v) for k, v in session.cookies.items() if k == "session"] or session.cookies.items()
        done = subprocess.run(["node", "flow.mjs", f"http://127.0.0.1:{server.port}/reports/new", name, value],
                              cwd=FLOW, capture_output=True, text=True,
                              env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium")))
        if done.returncode:
            raise SystemExit(f"lighthouse failed:\n{done.stderr[-3000:]}")
        steps = json.loads(done.stdout.strip().splitlines()[-1])
        misses = []
        for step in steps:
            scores = ", ".join(f"{k} {v:.2f}" for k, v in step["scores"].items() if v is not None)
            print(f"{step['name']} ({step['mode']}): {scores}")
            m = step.get("metrics") or {}
            print("  " + ", ".join(f"{k} {v:.3f}" if k == "cls" else f"{k} {v}" if isinstance(v, str)
                                   else f"{k} {v:.0f}" for k, v in m.items() if v))
            if step["failing"]:
                print(f"  failing accessibility audits: {', '.join(step['failing'])}")
            for category, target in TARGETS.items():
                score = step["scores"].get(category)
                # a snapshot's and a timespan's "performance" are a few pass/fail audits, not the mobile score
                judged = category == "accessibility" or step["mode"] == "navigation"
                if judged and score is not None and score < target:
                    misses.append(f"{step['name']}: {category} {score:.2f} < {target:.2f}")
        print("meets the targets" if not misses else "MISSES: " + "; ".join(misses))
        return 1 if misses else 0
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
